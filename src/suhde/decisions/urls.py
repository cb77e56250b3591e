from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("n/<slug:slug>/decisions/", views.decision_list, name="decisions"),
    path("n/<slug:slug>/decisions/new/", views.decision_create, name="decision_create"),
    path("n/<slug:slug>/decisions/<int:decision_id>/", views.decision_detail, name="decision"),
    path(
        "n/<slug:slug>/decisions/<int:decision_id>/edit/",
        views.decision_edit,
        name="decision_edit",
    ),
    path("n/<slug:slug>/decisions/<int:decision_id>/poll/", views.poll_open, name="poll_open"),
    path(
        "n/<slug:slug>/decisions/<int:decision_id>/poll/links/",
        views.poll_links,
        name="poll_links",
    ),
    path(
        "n/<slug:slug>/decisions/<int:decision_id>/poll/close/",
        views.poll_close,
        name="poll_close",
    ),
    path(
        "n/<slug:slug>/decisions/<int:decision_id>/poll/vote/",
        views.poll_vote,
        name="poll_vote",
    ),
    path("vote/<str:token>/", views.ballot, name="ballot"),
]
