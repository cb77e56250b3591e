"""Access rules for the bottom floor's own pages (see tests/access.py)."""

from tests.access import OPEN

# The guide is the same general text for everyone, signed in or not.
PAGES = {
    "guide": ("get", lambda w: {}, OPEN, None),
    "guide_page": ("get", lambda w: {"key": "decision_modes"}, OPEN, None),
}
