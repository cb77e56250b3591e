"""The request a signed-in page or API call is given, for the type checker.

Django types ``request.user`` as ``User | AnonymousUser``. Behind ``login_required``, the network
gate (``networks.access.network_view``) and the API's authentication (``suhde.api``) it is always
a ``User``; such a view says so by taking an ``AuthedRequest``. Nothing changes at run time: the
class only narrows the attribute's type, and the request is still Django's own.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails  # django-htmx's middleware sets it on every request
