"""Pages for spreading: the coordinator's settings with a preview, and the public page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from suhde.common.forms import form_add_errors
from suhde.networks.access import Need, network_view
from suhde.networks.models import Network

from . import domain, queries
from .forms import PublishForm
from .ratelimit import PUBLIC_PER_ADDRESS, public_read_allowed


def _settings_page(
    request: HttpRequest, network: Network, form: PublishForm, status: int = 200
) -> HttpResponse:
    summary = queries.summary_of(network)
    context = {
        "network": network,
        "summary": summary,
        "form": form,
        "data": queries.public_data(network, summary),
        "public_url": request.build_absolute_uri(reverse("publish:public", args=[network.slug])),
        "json_url": request.build_absolute_uri(f"/api/v1/public/{network.slug}"),
    }
    return render(request, "publish/settings.html", context, status=status)


@network_view(Need.MANAGE)
def summary_settings(request: HttpRequest, network: Network, role: str) -> HttpResponse:
    summary = queries.summary_of(network)
    return _settings_page(request, network, PublishForm(initial={"contact": summary.contact}))


@require_POST
@network_view(Need.MANAGE)
def summary_publish(request: HttpRequest, network: Network, role: str) -> HttpResponse:
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            domain.summary_publish(
                network=network, contact=form.cleaned_data["contact"], user=request.user
            )
        except ValidationError as error:
            form_add_errors(form, error)
    if form.errors:
        return _settings_page(request, network, form, status=400)
    messages.success(request, _("The summary is public now."))
    return redirect("publish:settings", slug=network.slug)


@require_POST
@network_view(Need.MANAGE)
def summary_withdraw(request: HttpRequest, network: Network, role: str) -> HttpResponse:
    domain.summary_withdraw(network=network, user=request.user)
    messages.success(request, _("The summary is no longer public."))
    return redirect("publish:settings", slug=network.slug)


@never_cache
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    if not public_read_allowed(request):
        response = render(request, "publish/limited.html", status=429)
        response["Retry-After"] = str(PUBLIC_PER_ADDRESS[1])
        return response
    network = queries.public_network(slug)
    summary = queries.summary_of(network)
    data = queries.public_data(network, summary)
    return render(request, "publish/public.html", {"data": data})
