from django.urls import path

from . import views

app_name = "coordination"

N = "n/<slug:slug>/"
EVENT = N + "clock/events/<int:event_id>/"

urlpatterns = [
    path(N + "clock/", views.clock, name="clock"),
    path(N + "clock/clock.pdf", views.clock_pdf, name="clock_pdf"),
    path(N + "clock/settings/", views.clock_settings, name="settings"),
    path(N + "clock/categories/new/", views.category_create, name="category_create"),
    path(N + "clock/categories/<int:category_id>/", views.category_edit, name="category_edit"),
    path(
        N + "clock/categories/<int:category_id>/delete/",
        views.category_delete,
        name="category_delete",
    ),
    path(N + "clock/events/new/", views.event_create, name="event_create"),
    path(N + "clock/import/", views.clock_import, name="import"),
    path(EVENT, views.event_detail, name="event"),
    path(EVENT + "edit/", views.event_edit, name="event_edit"),
    path(EVENT + "delete/", views.event_delete, name="event_delete"),
    path(EVENT + "event.ics", views.event_ics, name="event_ics"),
    path(N + "clock/feed/", views.feed, name="feed"),
    path(N + "clock/feed/new/", views.feed_create, name="feed_create"),
    path(N + "clock/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/", views.my_feed, name="my_feed"),
    path("calendar/new/", views.my_feed_create, name="my_feed_create"),
    path("calendar/revoke/", views.my_feed_revoke, name="my_feed_revoke"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical_feed"),
    path(N + "contacts/", views.contacts, name="contacts"),
    path(N + "contacts/export.<str:fmt>", views.contacts_export, name="contacts_export"),
    path(N + "contacts/ask/", views.contacts_ask, name="contacts_ask"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
