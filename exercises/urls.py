from django.urls import path

from . import views

app_name = "exercises"

urlpatterns = [
    path("exercises/", views.exercise_list, name="list"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="detail"),
    path("muscles/", views.muscle_list, name="muscles"),
    path("muscles/<slug:slug>/", views.related_exercises, {"kind": "muscle"}, name="muscle"),
    path("conditions/", views.condition_list, name="conditions"),
    path(
        "conditions/<slug:slug>/",
        views.related_exercises,
        {"kind": "condition"},
        name="condition",
    ),
]
