from django.urls import path

from . import views

app_name = "evaluation"

BASE = "n/<slug:slug>/evaluation/"
WAVE = BASE + "<int:wave_id>/"

ROUND = BASE + "rounds/<int:number>/"

urlpatterns = [
    path(BASE + "rounds/", views.round_list, name="rounds"),
    path(ROUND, views.round_detail, name="round"),
    path(ROUND + "goals/<int:goal_id>/result/", views.goal_result, name="goal_result"),
    path(
        ROUND + "indicators/<int:indicator_id>/values/",
        views.indicator_value,
        name="indicator_value",
    ),
    path(ROUND + "outcomes/", views.learning_outcome_add, name="learning_outcome_add"),
    path(ROUND + "reflection/", views.reflection_plan, name="reflection_plan"),
    path(ROUND + "position/", views.position_save, name="position_save"),
    path(ROUND + "report/", views.round_report, name="round_report"),
    path(ROUND + "report/edit/", views.round_narrative, name="round_narrative"),
    path(ROUND + "report.pdf", views.round_report_pdf, name="round_report_pdf"),
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
