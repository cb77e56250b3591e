from django.urls import path

from . import views

app_name = "evaluation"

BASE = "n/<slug:slug>/evaluation/"
WAVE = BASE + "<int:wave_id>/"

urlpatterns = [
    path(BASE, views.latest, name="latest"),
    path(WAVE, views.dashboard, name="dashboard"),
    path(WAVE + "charts/<str:name>.<str:fmt>", views.dashboard_chart, name="chart"),
    path(WAVE + "figures.xlsx", views.dashboard_xlsx, name="xlsx"),
    path(WAVE + "report.pdf", views.dashboard_pdf, name="pdf"),
    path(WAVE + "suggestions/<str:key>/", views.suggestion_update, name="suggestion"),
    path(WAVE + "compare/", views.compare, name="compare"),
    path(
        WAVE + "compare/<int:before_id>/charts/<str:name>.<str:fmt>",
        views.compare_chart,
        name="compare_chart",
    ),
]
