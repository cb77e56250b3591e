from django.urls import path

from . import views

app_name = "charter"

urlpatterns = [
    path("n/<slug:slug>/charter/", views.charter, name="charter"),
    path("n/<slug:slug>/charter/edit/", views.charter_edit, name="charter_edit"),
    path("n/<slug:slug>/charter/diff/", views.charter_diff_view, name="charter_diff"),
    path("n/<slug:slug>/charter/print/", views.charter_print, name="charter_print"),
    path("n/<slug:slug>/charter/charter.pdf", views.charter_pdf, name="charter_pdf"),
    path(
        "n/<slug:slug>/charter/versions/<int:number>/agree/",
        views.charter_agree,
        name="charter_agree",
    ),
    path("n/<slug:slug>/goals/", views.goal_list, name="goals"),
    path("n/<slug:slug>/goals/new/", views.goal_create, name="goal_create"),
    path("n/<slug:slug>/goals/<int:goal_id>/", views.goal_detail, name="goal"),
    path("n/<slug:slug>/goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path(
        "n/<slug:slug>/goals/<int:goal_id>/progress/",
        views.progress_create,
        name="progress_create",
    ),
    path(
        "n/<slug:slug>/progress/<int:progress_id>/",
        views.progress_correct,
        name="progress_correct",
    ),
    path(
        "n/<slug:slug>/progress/<int:progress_id>/remove/",
        views.progress_remove,
        name="progress_remove",
    ),
    path(
        "n/<slug:slug>/goals/<int:goal_id>/indicators/<int:indicator_id>/chart.svg",
        views.indicator_chart,
        name="indicator_chart",
    ),
    path("n/<slug:slug>/roles/", views.role_list, name="roles"),
    path("n/<slug:slug>/roles/new/", views.role_create, name="role_create"),
    path("n/<slug:slug>/roles/<int:role_id>/", views.role_edit, name="role_edit"),
]
