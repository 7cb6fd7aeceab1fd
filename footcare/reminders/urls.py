from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("accounts/reminders/", views.settings_page, name="settings"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
