from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/days/<str:day>/", views.profile_day, name="profile_day"),
    path("calf-test/", views.calf_test, name="calf_test"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
]
