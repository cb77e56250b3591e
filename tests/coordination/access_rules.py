"""Who may open each route of the annual clock, the feeds and the contact list."""

from tests.access import (
    API_CREATE,
    API_MANAGE,
    API_VIEW,
    MANAGE,
    MANAGE_POST,
    SIGNED_IN,
    SIGNED_IN_POST,
    VIEW,
)
from tests.coordination.helpers import other_category, other_event, world_category, world_event

FACILITATE = MANAGE  # member 403, coordinator 200
FACILITATE_POST = MANAGE_POST


def _slug(w):
    return {"slug": "core"}


def _event(w):
    return {"slug": "core", "event_id": world_event(w).pk}


def _category(w):
    return {"slug": "core", "category_id": world_category(w).pk}


PAGES = {
    "coordination:clock": ("get", _slug, VIEW, None),
    "coordination:clock_pdf": ("get", _slug, VIEW, None),
    "coordination:settings": ("get", _slug, MANAGE, None),
    "coordination:category_create": (
        "post",
        _slug,
        MANAGE_POST,
        {"category-name": "Budget", "category-colour": "1", "category-order": "3"},
    ),
    "coordination:category_edit": ("get", _category, MANAGE, None),
    "coordination:category_delete": ("post", _category, MANAGE_POST, {}),
    "coordination:event_create": ("get", _slug, FACILITATE, None),
    "coordination:import": ("get", _slug, FACILITATE, None),
    "coordination:event": ("get", _event, VIEW, None),
    "coordination:event_edit": ("get", _event, FACILITATE, None),
    "coordination:event_delete": ("post", _event, FACILITATE_POST, {}),
    "coordination:event_ics": ("get", _event, VIEW, None),
    "coordination:feed": ("get", _slug, VIEW, None),
    # Making a subscription answers with the page that shows the address once.
    "coordination:feed_create": ("post", _slug, VIEW, {}),
    "coordination:feed_revoke": ("post", _slug, VIEW | {"member": 302, "coordinator": 302}, {}),
    "coordination:my_feed": ("get", lambda w: {}, SIGNED_IN, None),
    "coordination:my_feed_create": ("post", lambda w: {}, SIGNED_IN, {}),
    "coordination:my_feed_revoke": ("post", lambda w: {}, SIGNED_IN_POST, {}),
    "coordination:contacts": ("get", _slug, VIEW, None),
    "coordination:contacts_export": ("get", lambda w: {"slug": "core", "fmt": "csv"}, VIEW, None),
    "coordination:contacts_ask": ("post", _slug, MANAGE_POST, {}),
}

PUBLIC = {
    "coordination:ical_feed": "guarded by the feed token (tests/coordination/test_feeds.py)",
    "coordination:confirm": "guarded by the confirm token (tests/coordination/test_contacts.py)",
}

OBJECT_ROUTES = {
    "coordination:event": ("event_id", lambda w: other_event(w).pk),
    "coordination:event_edit": ("event_id", lambda w: other_event(w).pk),
    "coordination:event_delete": ("event_id", lambda w: other_event(w).pk),
    "coordination:event_ics": ("event_id", lambda w: other_event(w).pk),
    "coordination:category_edit": ("category_id", lambda w: other_category(w).pk),
    "coordination:category_delete": ("category_id", lambda w: other_category(w).pk),
}


def _event_body(w):
    return {
        "network": "core",
        "title": "Monthly meeting",
        "category": "meetings",
        "start": "2026-03-10T17:00:00",
        "end": "2026-03-10T18:00:00",
        "timezone": "Europe/Helsinki",
        "rrule": "FREQ=MONTHLY;BYDAY=2TU",
    }


API = {
    "event_list": ("get", lambda w: "/events?network=core", None, API_VIEW),
    "event_get": ("get", lambda w: f"/events/{world_event(w).pk}", None, API_VIEW),
    "event_create": ("post", lambda w: "/events", _event_body, API_CREATE),
    "event_update": (
        "patch",
        lambda w: f"/events/{world_event(w).pk}",
        lambda w: {"title": "x"},
        API_MANAGE,
    ),
    "event_delete": (
        "delete",
        lambda w: f"/events/{world_event(w).pk}",
        None,
        API_MANAGE | {"coordinator": 204},
    ),
    "category_list": ("get", lambda w: "/categories?network=core", None, API_VIEW),
    "calendar_feed_url": ("post", lambda w: "/networks/core/calendar-feed", None, API_VIEW),
    "contact_list": ("get", lambda w: "/contacts?network=core", None, API_VIEW),
}
