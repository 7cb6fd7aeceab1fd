from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("progress/", views.progress_index, name="index"),
]
