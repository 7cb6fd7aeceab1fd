from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/new/", views.plan_create, name="create"),
    path("plans/generate/", views.plan_generate, name="generate"),
    path("plans/add-exercise/", views.exercise_add_to_plan, name="add_exercise"),
    path("plans/starters/<slug:slug>/copy/", views.starter_copy, name="starter_copy"),
    path("plans/calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="edit"),
    path("plans/<int:pk>/duplicate/", views.plan_duplicate, name="duplicate"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="delete"),
    path("plans/<int:pk>/activate/", views.plan_activate, name="activate"),
    path("plans/<int:pk>/print/", views.plan_print, name="print"),
    path("plans/<int:pk>/calendar/", views.calendar_renew, name="calendar_renew"),
    path("plans/<int:pk>/add/", views.item_add, name="item_add"),
    path("plans/<int:pk>/days/copy/", views.day_copy, name="day_copy"),
    path("plans/<int:pk>/items/<int:item_pk>/", views.item_update, name="item_update"),
    path("plans/<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("plans/<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("plans/<int:pk>/items/<int:item_pk>/restore/", views.item_restore, name="item_restore"),
]
