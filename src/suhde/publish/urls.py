from django.urls import path

from . import views

app_name = "publish"

BASE = "n/<slug:slug>/public/"

urlpatterns = [
    path(BASE, views.summary_settings, name="settings"),
    path(BASE + "on/", views.summary_publish, name="publish"),
    path(BASE + "off/", views.summary_withdraw, name="withdraw"),
    path("p/<slug:slug>/", views.public_page, name="public"),
]
