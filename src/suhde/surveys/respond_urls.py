"""The respondent's personal link: /s/<token>/… (the token is removed from every log line)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>/", views.survey_start, name="survey_start"),
    path("<str:token>/partners/", views.survey_roster, name="survey_roster"),
    path("<str:token>/partners/<int:number>/", views.survey_partner, name="survey_partner"),
    path("<str:token>/you/", views.survey_self, name="survey_self"),
    path("<str:token>/thoughts/", views.survey_open, name="survey_open"),
    path("<str:token>/review/", views.survey_review, name="survey_review"),
    path("<str:token>/thanks/", views.survey_thanks, name="survey_thanks"),
]
