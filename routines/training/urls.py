from django.urls import path

from . import views as views

app_name = "log"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/items/<int:item_pk>/", views.item_log, name="item"),
    path("today/items/<int:item_pk>/sets/<int:number>/", views.set_tick, name="set"),
    path("today/finish/", views.today_finish, name="finish"),
    path("today/check-in/", views.check_in, name="check_in"),
    path("log/", views.log_list, name="list"),
    path("log/new/", views.log_new, name="new"),
    path("log/new/plan/<int:weekday>/", views.log_plan_day, name="plan_day"),
    path("log/export.csv", views.log_export, name="export"),
    path("log/<int:pk>/", views.log_detail, name="detail"),
    path("log/<int:pk>/add/", views.log_entry_add, name="entry_add"),
    path("log/<int:pk>/entries/<int:log_pk>/", views.log_entry_edit, name="entry_edit"),
    path("log/<int:pk>/finish/", views.log_finish, name="log_finish"),
    path("log/<int:pk>/delete/", views.log_delete, name="delete"),
]
