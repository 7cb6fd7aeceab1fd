from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("accounts/sharing/", views.links, name="links"),
    path("accounts/sharing/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("shared/<str:token>/", views.shared, name="shared"),
]
