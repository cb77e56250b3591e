"""The participant's side at /j/…: no account; the code opens the session."""

from django.urls import path

from . import live_views

urlpatterns = [
    path("", live_views.join_start, name="live_join_start"),
    path("<str:code>", live_views.join, name="live_join"),
    path("<str:code>/post", live_views.join_post, name="live_join_post"),
    path("<str:code>/vote", live_views.join_vote, name="live_join_vote"),
    path("<str:code>/upvote", live_views.join_upvote, name="live_join_upvote"),
    path("<str:code>/events", live_views.join_events, name="live_join_events"),
    path("<str:code>/watch", live_views.join_watch, name="live_join_watch"),
    path("<str:code>/results", live_views.join_results, name="live_join_results"),
]
