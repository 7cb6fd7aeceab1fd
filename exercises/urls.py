from django.urls import path

from . import views

app_name = "exercises"

urlpatterns = [
    path("exercises/", views.exercise_list, name="list"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="detail"),
    path("muscles/<slug:slug>/", views.muscle_detail, name="muscle"),
    path("conditions/<slug:slug>/", views.condition_detail, name="condition"),
]
