from django.urls import path

from . import suggestion_views as views

app_name = "suggestions"

urlpatterns = [
    path("suggestions/apply/", views.suggestion_apply, name="apply"),
    path("suggestions/<int:pk>/undo/", views.suggestion_undo, name="undo"),
]
