from django.urls import path

from . import live_views, views

app_name = "workshops"

N = "n/<slug:slug>/"
M = N + "meetings/<int:meeting_id>/"
L = N + "live/<int:session_id>/"

urlpatterns = [
    path(N + "meetings/", views.meeting_list, name="meetings"),
    path(N + "meetings/new/", views.meeting_create, name="meeting_create"),
    path(N + "meetings/participation/", views.participation, name="participation"),
    path(M, views.meeting_detail, name="meeting"),
    path(M + "edit/", views.meeting_edit, name="meeting_edit"),
    path(M + "delete/", views.meeting_delete, name="meeting_delete"),
    path(M + "notes/", views.meeting_notes, name="meeting_notes"),
    path(M + "attendees/", views.meeting_attendees, name="meeting_attendees"),
    path(M + "blocks/new/", views.block_add, name="block_add"),
    path(M + "blocks/<int:block_id>/", views.block_edit, name="block_edit"),
    path(M + "blocks/<int:block_id>/move/", views.block_move, name="block_move"),
    path(M + "blocks/<int:block_id>/delete/", views.block_delete, name="block_delete"),
    path(N + "methods/", views.method_list, name="methods"),
    path(N + "methods/new/", views.method_create, name="method_create"),
    path(N + "methods/<int:method_id>/delete/", views.method_delete, name="method_delete"),
    path(N + "live/", live_views.session_list, name="sessions"),
    path(N + "live/new/", live_views.session_create, name="session_create"),
    path(L, live_views.session_detail, name="session"),
    path(L + "prompts/", live_views.prompt_add, name="prompt_add"),
    path(L + "prompts/<int:prompt_id>/", live_views.prompt_edit, name="prompt_edit"),
    path(L + "prompts/<int:prompt_id>/move/", live_views.prompt_move, name="prompt_move"),
    path(L + "prompts/<int:prompt_id>/open/", live_views.prompt_open, name="prompt_open"),
    path(L + "prompts/<int:prompt_id>/reveal/", live_views.prompt_reveal, name="prompt_reveal"),
    path(L + "end/", live_views.session_end, name="session_end"),
    path(L + "posts/<int:post_id>/", live_views.post_moderate, name="post_moderate"),
    path(L + "present/", live_views.presenter, name="presenter"),
    path(L + "present/board/", live_views.presenter_board, name="presenter_board"),
    path(L + "events/", live_views.session_events, name="session_events"),
    path(L + "qr.svg", live_views.session_qr, name="session_qr"),
    path(L + "export.<str:fmt>", live_views.session_export, name="session_export"),
]
