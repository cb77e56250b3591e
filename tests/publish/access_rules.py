"""Who may open each route of spreading (see tests/access.py)."""

from tests.access import MANAGE, MANAGE_POST

# Off by default: the public page and its JSON are not found for anyone, signed in or not.
NOT_PUBLIC = {"anonymous": 404, "outsider": 404, "member": 404, "coordinator": 404}
API_NOT_PUBLIC = NOT_PUBLIC

PAGES = {
    "publish:settings": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "publish:publish": ("post", lambda w: {"slug": "core"}, MANAGE_POST, {"contact": "x@y.fi"}),
    "publish:withdraw": ("post", lambda w: {"slug": "core"}, MANAGE_POST, {}),
    "publish:public": ("get", lambda w: {"slug": "core"}, NOT_PUBLIC, None),
}
API = {
    "public_summary_get": ("get", lambda w: "/public/core", None, API_NOT_PUBLIC),
}
