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
    path(
        "n/<slug:slug>/decisions/<int:decision_id>/comments/",
        views.comment_create,
        name="comment_create",
    ),
    path(
        "n/<slug:slug>/decisions/<int:decision_id>/comments/<int:comment_id>/edit/",
        views.comment_edit,
        name="comment_edit",
    ),
    path(
        "n/<slug:slug>/decisions/<int:decision_id>/comments/<int:comment_id>/hide/",
        views.comment_hide,
        name="comment_hide",
    ),
    path("vote/<str:token>/", views.ballot, name="ballot"),
]
