"""Meeting pages: the list, the agenda, attendees and notes, the method library, participation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from suhde.common.confirm import confirm_render, undo_message
from suhde.common.forms import form_add_errors, form_status
from suhde.common.http import AuthedRequest
from suhde.common.models import Removal
from suhde.networks import access
from suhde.networks.access import Need, network_view, people_in
from suhde.networks.models import Network

from . import domain, queries
from .forms import AttendeesForm, BlockForm, MeetingForm, MethodForm, NotesForm
from .methods import METHODS
from .models import AgendaBlock, Meeting


def _block(meeting: Meeting, block_id: int) -> AgendaBlock:
    return queries.block_in(meeting, block_id)


def _events(network: Network) -> list[tuple[int, str]]:
    events = queries.events_to_link(network)
    return [(e.pk, f"{timezone.localtime(e.start):%Y-%m-%d} {e.title}") for e in events]


@network_view()
def meeting_list(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    context = {
        "network": network,
        "meetings": queries.meetings_of(network),
        "can_facilitate": access.role_allows(role, Need.FACILITATE),
    }
    return render(request, "workshops/meeting_list.html", context)


@network_view(Need.FACILITATE)
def meeting_create(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    form = MeetingForm(request.POST or None, events=_events(network))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = domain.meeting_create(
                network=network,
                user=request.user,
                title=data["title"],
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                purpose=data["purpose"],
                place=data["place"],
                event_id=data["event"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The meeting was created. Plan its agenda next."))
            return redirect("workshops:meeting", slug=network.slug, meeting_id=meeting.pk)
    context = {"network": network, "form": form}
    return render(request, "workshops/meeting_form.html", context, status=form_status(form))


@network_view(Need.FACILITATE)
def meeting_edit(
    request: AuthedRequest, network: Network, role: str, meeting_id: int
) -> HttpResponseBase:
    meeting = queries.meeting_in(network, meeting_id)
    initial = {
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at),
        "minutes": meeting.minutes,
        "place": meeting.place,
        "purpose": meeting.purpose,
        "event": meeting.event_id,
    }
    form = MeetingForm(request.POST or None, initial=initial, events=_events(network))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["event_id"] = data.pop("event")
        try:
            domain.meeting_update(meeting=meeting, **data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("workshops:meeting", slug=network.slug, meeting_id=meeting.pk)
    context = {"network": network, "form": form, "meeting": meeting}
    return render(request, "workshops/meeting_form.html", context, status=form_status(form))


@network_view(Need.FACILITATE)
def meeting_delete(
    request: AuthedRequest, network: Network, role: str, meeting_id: int
) -> HttpResponseBase:
    meeting = queries.meeting_in(network, meeting_id)
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Delete the meeting %(title)s?") % {"title": meeting.title},
            lines=[
                _("Its agenda and attendees go with it, and it leaves the annual clock."),
                _("Its live sessions stay in the record."),
            ],
            action=request.path,
            button=_("Delete the meeting"),
            cancel=reverse("workshops:meeting", args=[network.slug, meeting.pk]),
            undoable=True,
        )
    removal = domain.meeting_delete(meeting=meeting, user=request.user)
    _removed(request, network, removal, _("The meeting was deleted."))
    return redirect("workshops:meetings", slug=network.slug)


def _removed(request: AuthedRequest, network: Network, removal: Removal, text: str) -> None:
    undo_message(
        request, text, reverse("networks:removal_restore", args=[network.slug, removal.pk])
    )


@network_view()
def meeting_detail(
    request: AuthedRequest, network: Network, role: str, meeting_id: int
) -> HttpResponseBase:
    meeting = queries.meeting_in(network, meeting_id)
    can_facilitate = access.role_allows(role, Need.FACILITATE)
    sessions = list(queries.sessions_of_meeting(meeting))
    results = queries.sessions_results(sessions)
    context = {
        "network": network,
        "meeting": meeting,
        "agenda": queries.agenda(meeting),
        "attendees": meeting.attendees.select_related("person", "organization").order_by(
            "person__name"
        ),
        "sessions": [(s, results[s.pk]) for s in sessions],
        "decisions": queries.meeting_decisions(meeting),
        "notes_form": NotesForm(initial={"notes": meeting.notes}),
        "can_facilitate": can_facilitate,
    }
    return render(request, "workshops/meeting_detail.html", context)


@require_POST
@network_view(Need.FACILITATE)
def meeting_notes(
    request: AuthedRequest, network: Network, role: str, meeting_id: int
) -> HttpResponseBase:
    meeting = queries.meeting_in(network, meeting_id)
    form = NotesForm(request.POST)
    if form.is_valid():
        domain.meeting_update(meeting=meeting, notes=form.cleaned_data["notes"])
        messages.success(request, _("The notes were saved."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("notes", [])))
    return redirect("workshops:meeting", slug=network.slug, meeting_id=meeting.pk)


@network_view(Need.FACILITATE)
def meeting_attendees(
    request: AuthedRequest, network: Network, role: str, meeting_id: int
) -> HttpResponseBase:
    meeting = queries.meeting_in(network, meeting_id)
    people = people_in(network).select_related("organization").order_by("name")
    choices = [
        (p.pk, f"{p.name} ({p.organization.name})" if p.organization else p.name) for p in people
    ]
    initial = {"attendees": queries.attendee_ids(meeting)}
    form = AttendeesForm(request.POST or None, initial=initial, people=choices)
    if request.method == "POST" and form.is_valid():
        try:
            count = domain.attendees_set(meeting=meeting, person_ids=form.cleaned_data["attendees"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d attendee was saved.", "%(count)d attendees were saved.", count)
                % {"count": count},
            )
            return redirect("workshops:meeting", slug=network.slug, meeting_id=meeting.pk)
    context = {"network": network, "meeting": meeting, "form": form}
    return render(request, "workshops/attendees_form.html", context, status=form_status(form))


def _block_form(
    request: AuthedRequest, network: Network, meeting: Meeting, block: AgendaBlock | None = None
) -> HttpResponseBase:
    initial = {}
    if block is not None:
        method = block.method_key or (f"custom:{block.method_id}" if block.method_id else "")
        initial = {
            "title": block.title,
            "minutes": block.minutes,
            "method": method,
            "learning_mode": block.learning_mode,
            "decision_mode": block.decision_mode,
            "notes": block.notes,
        }
    form = BlockForm(request.POST or None, initial=initial, methods=queries.method_choices(network))
    if request.method == "POST" and form.is_valid():
        try:
            if block is None:
                domain.block_add(meeting=meeting, **form.cleaned_data)
            else:
                domain.block_update(block=block, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect("workshops:meeting", slug=network.slug, meeting_id=meeting.pk)
    context = {"network": network, "meeting": meeting, "form": form, "block": block}
    return render(request, "workshops/block_form.html", context, status=form_status(form))


@network_view(Need.FACILITATE)
def block_add(
    request: AuthedRequest, network: Network, role: str, meeting_id: int
) -> HttpResponseBase:
    return _block_form(request, network, queries.meeting_in(network, meeting_id))


@network_view(Need.FACILITATE)
def block_edit(
    request: AuthedRequest, network: Network, role: str, meeting_id: int, block_id: int
) -> HttpResponseBase:
    meeting = queries.meeting_in(network, meeting_id)
    return _block_form(request, network, meeting, _block(meeting, block_id))


@require_POST
@network_view(Need.FACILITATE)
def block_move(
    request: AuthedRequest, network: Network, role: str, meeting_id: int, block_id: int
) -> HttpResponseBase:
    meeting = queries.meeting_in(network, meeting_id)
    domain.block_move(block=_block(meeting, block_id), up=request.POST.get("direction") == "up")
    return redirect("workshops:meeting", slug=network.slug, meeting_id=meeting.pk)


@network_view(Need.FACILITATE)
def block_delete(
    request: AuthedRequest, network: Network, role: str, meeting_id: int, block_id: int
) -> HttpResponseBase:
    meeting = queries.meeting_in(network, meeting_id)
    block = _block(meeting, block_id)
    back = reverse("workshops:meeting", args=[network.slug, meeting.pk])
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Remove %(title)s from the agenda?") % {"title": block.title},
            lines=[_("The times of the items after it move up.")],
            action=request.path,
            button=_("Remove"),
            cancel=back,
            undoable=True,
        )
    removal = domain.block_delete(block=block, user=request.user)
    _removed(request, network, removal, _("The item was removed from the agenda."))
    return redirect(back)


@network_view()
def method_list(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    context = {
        "network": network,
        "builtin": METHODS,
        "own": queries.methods_of(network),
        "can_facilitate": access.role_allows(role, Need.FACILITATE),
    }
    return render(request, "workshops/method_list.html", context)


@network_view(Need.FACILITATE)
def method_create(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    form = MethodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.method_create(network=network, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The method was added to the network's library."))
            return redirect("workshops:methods", slug=network.slug)
    context = {"network": network, "form": form}
    return render(request, "workshops/method_form.html", context, status=form_status(form))


@network_view(Need.FACILITATE)
def method_delete(
    request: AuthedRequest, network: Network, role: str, method_id: int
) -> HttpResponseBase:
    method = queries.method_in(network, method_id)
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Remove %(name)s from the method library?") % {"name": method.name},
            lines=[_("Agenda items that use it keep their title and times.")],
            action=request.path,
            button=_("Remove"),
            cancel=reverse("workshops:methods", args=[network.slug]),
            undoable=True,
        )
    removal = domain.method_delete(method=method, user=request.user)
    _removed(request, network, removal, _("The method was removed from the library."))
    return redirect("workshops:methods", slug=network.slug)


@network_view()
def participation(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    context = {"network": network, "participation": queries.participation(network)}
    return render(request, "workshops/participation.html", context)
