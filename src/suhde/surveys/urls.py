from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("n/<slug:slug>/surveys/", views.wave_list, name="waves"),
    path("n/<slug:slug>/surveys/new/", views.wave_create, name="wave_create"),
    path("n/<slug:slug>/surveys/<int:wave_id>/", views.wave_detail, name="wave"),
    path("n/<slug:slug>/surveys/<int:wave_id>/invite/", views.wave_invite, name="wave_invite"),
    path("n/<slug:slug>/surveys/<int:wave_id>/close/", views.wave_close, name="wave_close"),
    path("n/<slug:slug>/surveys/<int:wave_id>/preview/", views.wave_preview, name="wave_preview"),
    path("n/<slug:slug>/surveys/<int:wave_id>/results/", views.wave_results, name="results"),
    path(
        "n/<slug:slug>/surveys/<int:wave_id>/open/<str:ref>/hide/",
        views.open_answer_hide,
        name="open_answer_hide",
    ),
]
