"""Pages of the annual clock, the calendar feeds and the contact list.

Views parse, call ``networks.access`` and ``domain``, and render.
"""

from .clock import (
    category_create,
    category_delete,
    category_edit,
    clock,
    clock_import,
    clock_pdf,
    clock_settings,
    event_create,
    event_delete,
    event_detail,
    event_edit,
    event_ics,
)
from .feeds import (
    feed,
    feed_create,
    feed_revoke,
    ical_feed,
    my_feed,
    my_feed_create,
    my_feed_revoke,
)
from .people import confirm, contacts, contacts_ask, contacts_export

__all__ = [
    "category_create",
    "category_delete",
    "category_edit",
    "clock",
    "clock_import",
    "clock_pdf",
    "clock_settings",
    "confirm",
    "contacts",
    "contacts_ask",
    "contacts_export",
    "event_create",
    "event_delete",
    "event_detail",
    "event_edit",
    "event_ics",
    "feed",
    "feed_create",
    "feed_revoke",
    "ical_feed",
    "my_feed",
    "my_feed_create",
    "my_feed_revoke",
]
