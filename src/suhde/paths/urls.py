from django.urls import path

from . import views

app_name = "paths"

N = "n/<slug:slug>/paths/"
P = N + "<int:path_id>/"
T = N + "transitions/<int:transition_id>/"

urlpatterns = [
    path(N, views.path_list, name="paths"),
    path(N + "new/", views.path_create, name="path_create"),
    path(P, views.path_detail, name="path"),
    path(P + "edit/", views.path_edit, name="path_edit"),
    path(P + "remove/", views.path_delete, name="path_delete"),
    path(P + "diagram.svg", views.path_svg, name="path_svg"),
    path(P + "print/", views.path_print, name="path_print"),
    path(P + "pdf/", views.path_pdf, name="path_pdf"),
    path(P + "path.json", views.path_json, name="path_json"),
    path(T, views.transition_detail, name="transition"),
    path(T + "edit/", views.transition_edit, name="transition_edit"),
    path(T + "meeting/", views.transition_meeting, name="transition_meeting"),
    path(T + "decision/", views.transition_decision, name="transition_decision"),
    path(T + "annex/", views.transition_annex, name="transition_annex"),
]
