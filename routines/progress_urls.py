from django.urls import path

from . import progress_views as views

app_name = "progress"

urlpatterns = [
    path("progress/", views.progress_index, name="index"),
]
