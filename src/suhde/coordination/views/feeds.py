"""Calendar subscriptions: making, revoking and serving the secret feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common.audit import audit_record
from suhde.common.http import AuthedRequest
from suhde.networks import access
from suhde.networks.access import Need, network_view
from suhde.networks.models import Network

from .. import domain, ical, queries

# --- calendar feeds ---------------------------------------------------------------------------


def _feed_page(request, network, url=""):
    context = {"network": network, "url": url}
    return render(request, "coordination/feed.html", context)


@network_view()
def feed(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    return _feed_page(request, network)


@require_POST
@network_view()
def feed_create(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    _feed, raw = domain.feed_create(user=request.user, network=network)
    audit_record(request=request, action="feed_create", obj=network)
    return _feed_page(request, network, url=domain.feed_url(raw))


@require_POST
@network_view()
def feed_revoke(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    domain.feed_revoke(user=request.user, network=network)
    audit_record(request=request, action="feed_revoke", obj=network)
    messages.success(request, _("The subscription address was revoked."))
    return redirect("coordination:feed", slug=network.slug)


@login_required
def my_feed(request: AuthedRequest) -> HttpResponseBase:
    return _feed_page(request, None)


@require_POST
@login_required
def my_feed_create(request: AuthedRequest) -> HttpResponseBase:
    _feed, raw = domain.feed_create(user=request.user)
    audit_record(request=request, action="feed_create")
    return _feed_page(request, None, url=domain.feed_url(raw))


@require_POST
@login_required
def my_feed_revoke(request: AuthedRequest) -> HttpResponseBase:
    domain.feed_revoke(user=request.user)
    audit_record(request=request, action="feed_revoke")
    messages.success(request, _("The subscription address was revoked."))
    return redirect("coordination:my_feed")


def ical_feed(request: HttpRequest, token: str) -> HttpResponseBase:
    """The subscription itself: the token is the only credential; access is checked again now."""
    subscription = domain.feed_open(raw=token)
    if subscription is None:
        raise Http404("feed")
    user = subscription.user
    network = subscription.network
    if network is not None:
        if not access.network_visible(user, network.pk):
            raise Http404("feed")
        ids, name = [network.pk], network.name
    else:
        ids, name = access.network_ids_where(user, Need.VIEW), _("Suhde: my networks")
    content = ical.calendar_bytes(queries.events_of(ids), name=name)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
