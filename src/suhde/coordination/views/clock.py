"""The annual clock: the wheel, the month and the list, events, import, settings."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from suhde.common.confirm import confirm_render, undo_message
from suhde.common.forms import form_add_errors, form_status
from suhde.common.http import AuthedRequest
from suhde.common.jobs import job_start
from suhde.networks import access
from suhde.networks.access import Need, network_view
from suhde.networks.models import Network
from suhde.networks.queries import people_of

from .. import domain, ical, queries
from ..forms import (
    COLOURS,
    CategoryForm,
    ClockSettingsForm,
    EventForm,
    ImportForm,
    event_initial,
)
from ..jobs import CLOCK_PDF
from ..models import PALETTE
from ..recurrence import Occurrence, occurrences
from ..repeat_words import rule_words
from ..wheel import wheel_for

# --- the clock --------------------------------------------------------------------------------


def clock_context(
    user: User, network: Network, *, year: str | None = None, month: str | None = None
) -> dict[str, object]:
    """The clock of ``year`` as ``user`` sees it: the page's and the worker's PDF's (no request)."""
    annual = domain.clock_ensure(network=network)
    categories = queries.categories_of(network)
    window = queries.year_for(annual.start_month, year)
    extra = queries.theme_networks(user, network) if annual.show_theme_networks else []
    own = [network.pk, *(child.pk for child in extra)]
    found = queries.year_occurrences(own, window)
    for occurrence in found:  # a shared event opens on this clock, where the viewer is
        event = occurrence.event
        event.link_slug = event.network.slug if event.network_id in own else network.slug
    rings = queries.rings_for(network, categories, found, extra)
    shown = queries.month_for(month, window)
    month_end = (shown + timedelta(days=32)).replace(day=1)
    tz = queries.local_zone()
    in_month = [
        o
        for o in found
        if o.start < datetime.combine(month_end, time(0), tzinfo=tz)
        and o.end > datetime.combine(shown, time(0), tzinfo=tz)
    ]
    months = window.months()
    index = months.index(shown)
    context = {
        "network": network,
        "annual": annual,
        "window": window,
        "wheel": wheel_for(rings, window, months, timezone.now()),
        "rings": rings,
        "occurrences": found,
        "month": shown,
        "weeks": queries.month_weeks(shown, in_month),
        "previous_month": months[index - 1] if index > 0 else None,
        "next_month": months[index + 1] if index < 11 else None,
        "palette": PALETTE,
    }
    return context


@network_view()
def clock(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    context = clock_context(
        request.user, network, year=request.GET.get("year"), month=request.GET.get("month")
    )
    context["can_edit"] = access.role_allows(role, Need.FACILITATE)
    context["can_manage"] = access.role_allows(role, Need.MANAGE)
    template = "coordination/clock.html"
    return render(request, f"{template}#month-view" if request.htmx else template, context)


@network_view()
def clock_pdf(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    """The wheel and the year's list as a PDF, made by the worker (WeasyPrint holds a request for
    seconds on a full year): a POST starts it, a GET shows the button that does."""
    year = request.POST.get("year") or request.GET.get("year")
    window = queries.year_for(domain.clock_ensure(network=network).start_month, year)
    if request.method == "POST":
        job = job_start(
            kind=CLOCK_PDF,
            network_id=network.pk,
            user=request.user,
            arguments={"year": str(window.year)},
        )
        return redirect("networks:job", network.slug, job.pk)
    return confirm_render(
        request,
        title=_("The annual clock as a PDF"),
        action=request.path,
        button=_("Make the PDF"),
        cancel=reverse("coordination:clock", args=[network.slug]) + f"?year={window.year}",
        lines=[
            _(
                "The PDF is laid out in the background, which takes a few seconds for a full "
                "year; its page offers the file when it is ready."
            )
        ],
        fields={"year": str(window.year)},
        danger=False,
    )


@network_view()
def event_detail(
    request: AuthedRequest, network: Network, role: str, event_id: int
) -> HttpResponseBase:
    event = queries.event_in([network.pk], event_id)
    today = datetime.combine(timezone.localdate(), time(0), tzinfo=queries.local_zone())
    start = max(today, event.start)
    context = {
        "network": network,
        "event": event,
        "span": Occurrence(event, event.start, event.end),
        "repeats": rule_words(event.rrule, event.start.astimezone(ZoneInfo(event.time_zone))),
        "next": occurrences(event, start, start + timedelta(days=732))[:12],
        "can_edit": event.network_id == network.pk and access.role_allows(role, Need.FACILITATE),
    }
    return render(request, "coordination/event_detail.html", context)


def _event_form(request, network, initial=None):
    shareable = queries.networks_to_share_with(
        access.network_ids_where(request.user, Need.FACILITATE), network
    )
    return EventForm(
        request.POST or None,
        initial=initial,
        categories=queries.categories_in(network),
        people=people_of(network),
        networks=shareable,
    )


@network_view(Need.FACILITATE)
def event_create(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    domain.clock_ensure(network=network)
    form = _event_form(request, network)
    if request.method == "POST" and form.is_valid():
        try:
            event = domain.event_create(network=network, **form.domain_fields())
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The event was added to the clock."))
            return redirect("coordination:event", slug=network.slug, event_id=event.pk)
    context = {"network": network, "form": form}
    return render(request, "coordination/event_form.html", context, status=form_status(form))


@network_view(Need.FACILITATE)
def event_edit(
    request: AuthedRequest, network: Network, role: str, event_id: int
) -> HttpResponseBase:
    event = queries.event_own_in(network, event_id)
    form = _event_form(request, network, initial=event_initial(event, queries.local_zone()))
    if request.method == "POST" and form.is_valid():
        fields = form.domain_fields()
        if "shared_with" in fields:  # networks the editor cannot choose stay as they were
            kept = queries.shared_beyond(event, form.fields["shared_with"].queryset)
            fields["shared_with"] = [*fields["shared_with"], *kept]
        try:
            domain.event_update(event=event, **fields)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("coordination:event", slug=network.slug, event_id=event.pk)
    context = {"network": network, "form": form, "event": event}
    return render(request, "coordination/event_form.html", context, status=form_status(form))


@network_view(Need.FACILITATE)
def event_delete(
    request: AuthedRequest, network: Network, role: str, event_id: int
) -> HttpResponseBase:
    event = queries.event_own_in(network, event_id)
    if request.method != "POST":
        lines = [_("It disappears from the clock, the calendar feeds and the reminders.")]
        if event.rrule:
            when = event.start.astimezone(ZoneInfo(event.time_zone))
            lines.insert(
                0,
                _("Repeats: %(rule)s. Every time of the series goes.")
                % {"rule": rule_words(event.rrule, when)},
            )
        return confirm_render(
            request,
            title=_("Remove %(title)s from the clock?") % {"title": event.title},
            lines=lines,
            action=request.path,
            button=_("Remove from the clock"),
            cancel=reverse("coordination:event", args=[network.slug, event.pk]),
            undoable=True,
        )
    removal = domain.event_delete(event=event, user=request.user)
    undo_message(
        request,
        _("The event was removed from the clock."),
        reverse("networks:removal_restore", args=[network.slug, removal.pk]),
    )
    return redirect("coordination:clock", slug=network.slug)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@network_view()
def event_ics(
    request: AuthedRequest, network: Network, role: str, event_id: int
) -> HttpResponseBase:
    event = queries.event_in([network.pk], event_id)
    content = ical.calendar_bytes([event], name=event.title)
    return _ics_response(content, f"{slugify(event.title)[:50] or 'event'}.ics")


@network_view(Need.FACILITATE)
def clock_import(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    domain.clock_ensure(network=network)
    categories = queries.categories_in(network)
    form = ImportForm(request.POST or None, request.FILES or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            result = domain.events_import(
                network=network,
                category=form.cleaned_data["category"],
                data=form.cleaned_data["file"].read(ical.IMPORT_MAX_BYTES + 1),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            count = len(result.events)
            messages.success(
                request,
                ngettext("%(count)d event was imported.", "%(count)d events were imported.", count)
                % {"count": count},
            )
            if result.skipped:
                messages.warning(
                    request,
                    _("These parts of the file were skipped: %(names)s.")
                    % {"names": ", ".join(result.skipped)},
                )
            return redirect("coordination:clock", slug=network.slug)
    context = {"network": network, "form": form}
    return render(request, "coordination/import.html", context, status=form_status(form))


# --- settings and categories -----------------------------------------------------------------


def _settings_context(network, form, category_form):
    categories = queries.categories_of(network)
    return {
        "network": network,
        "form": form,
        "category_form": category_form,
        "categories": categories,
        "colours": dict(enumerate(COLOURS)),
    }


@network_view(Need.MANAGE)
def clock_settings(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    annual = domain.clock_ensure(network=network)
    initial = {key: getattr(annual, key) for key in ClockSettingsForm.base_fields}
    form = ClockSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.clock_update(network=network, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("coordination:clock", slug=network.slug)
    context = _settings_context(network, form, CategoryForm(prefix="category"))
    return render(request, "coordination/settings.html", context, status=form_status(form))


@require_POST
@network_view(Need.MANAGE)
def category_create(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    domain.clock_ensure(network=network)
    form = CategoryForm(request.POST, prefix="category")
    if form.is_valid():
        try:
            domain.category_create(network=network, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The category was added."))
            return redirect("coordination:settings", slug=network.slug)
    annual = domain.clock_ensure(network=network)
    initial = {key: getattr(annual, key) for key in ClockSettingsForm.base_fields}
    context = _settings_context(network, ClockSettingsForm(initial=initial), form)
    return render(request, "coordination/settings.html", context, status=400)


@network_view(Need.MANAGE)
def category_edit(
    request: AuthedRequest, network: Network, role: str, category_id: int
) -> HttpResponseBase:
    category = queries.category_in(network, category_id)
    initial = {"name": category.label, "colour": category.colour, "order": category.order}
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.category_update(category=category, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The category was saved."))
            return redirect("coordination:settings", slug=network.slug)
    context = {"network": network, "form": form, "category": category}
    return render(request, "coordination/category_form.html", context, status=form_status(form))


@network_view(Need.MANAGE)
def category_delete(
    request: AuthedRequest, network: Network, role: str, category_id: int
) -> HttpResponseBase:
    category = queries.category_in(network, category_id)
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Delete the category %(name)s?") % {"name": category.label},
            lines=[_("A category can be deleted only when none of its events is on the clock.")],
            action=request.path,
            button=_("Delete the category"),
            cancel=reverse("coordination:category_edit", args=[network.slug, category.pk]),
            final=True,
        )
    try:
        domain.category_delete(category=category)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The category was deleted."))
    return redirect("coordination:settings", slug=network.slug)
