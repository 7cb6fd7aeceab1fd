from django.contrib import admin
from django.urls import include, path

from footcare import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("exercises.urls")),
    path("admin/", admin.site.urls),
]
