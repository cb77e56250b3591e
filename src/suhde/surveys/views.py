"""Survey pages: the coordinator's waves and results, and the respondent's personal link.

The respondent's pages need no account: the token in the link is the key. An unknown token gets
a friendly page and changes nothing; a closed wave says so.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common.audit import audit_record
from suhde.common.confirm import confirm_render
from suhde.common.forms import form_add_errors, form_status
from suhde.common.http import AuthedRequest
from suhde.common.jobs import job_start
from suhde.common.numbers import format_quantity
from suhde.networks import access
from suhde.networks.access import Need, network_view
from suhde.networks.models import Network, Person
from suhde.networks.queries import people_of
from suhde.networks.sending import sending_confirm, sending_in_background

from . import domain, instrument, queries
from .forms import OpenForm, PartnerForm, SelfForm, WaveForm
from .jobs import INVITATIONS_SEND, WAVE_CLOSE
from .models import Response, Status, SurveyInvitation, Wave

# --- the coordinator's side ------------------------------------------------------------------


@network_view()
def wave_list(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    context = {
        "network": network,
        "waves": queries.waves_of(network),
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return render(request, "surveys/wave_list.html", context)


@network_view(Need.MANAGE)
def wave_create(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    members = people_of(network)
    form = WaveForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = domain.wave_create(
                network=network,
                user=request.user,
                title=data["title"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                k=data["k"],
                recall_months=data["recall_months"],
                invitees=[int(pid) for pid in data["invitees"]] or None,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The wave was opened. Send the invitations next."))
            return redirect("surveys:wave", slug=network.slug, wave_id=wave.pk)
    return render(
        request,
        "surveys/wave_form.html",
        {"network": network, "form": form},
        status=form_status(form),
    )


@network_view()
def wave_detail(
    request: HttpRequest, network: Network, role: str, wave_id: int
) -> HttpResponseBase:
    wave = queries.wave_in(network, wave_id)
    context = {
        "network": network,
        "wave": wave,
        "rate": queries.response_rate(wave),
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return render(request, "surveys/wave_detail.html", context)


@network_view(Need.MANAGE)
def wave_invite(
    request: HttpRequest, network: Network, role: str, wave_id: int
) -> HttpResponseBase:
    wave = queries.wave_in(network, wave_id)
    if request.method != "POST":
        return _invite_confirm(request, network, wave, request.GET.get("only_unanswered") == "1")
    only_unanswered = request.POST.get("only_unanswered") == "1"
    count = queries.invitations_to_mail(wave, only_unanswered=only_unanswered).count()
    arguments = {"wave": wave.pk, "only_unanswered": only_unanswered}
    job = sending_in_background(
        request, network, count=count, kind=INVITATIONS_SEND, arguments=arguments
    )
    if job is not None:
        return job
    try:
        sending = domain.wave_invitations_send(
            wave=wave, only_unanswered=only_unanswered, language=get_language()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        audit_record(request=request, action="survey_invitations_send", obj=wave)
        messages.success(
            request,
            ngettext("%(count)d email was sent.", "%(count)d emails were sent.", sending.sent)
            % {"count": sending.sent},
        )
        if sending.waiting:
            messages.info(
                request,
                ngettext(
                    "%(count)d link waits until its person confirms a changed email address.",
                    "%(count)d links wait until their people confirm changed email addresses.",
                    sending.waiting,
                )
                % {"count": sending.waiting},
            )
    return redirect("surveys:wave", slug=network.slug, wave_id=wave.pk)


def _invite_confirm(
    request: HttpRequest, network: Network, wave: Wave, only_unanswered: bool
) -> HttpResponseBase:
    """Mail to many asks first, saying to how many (never who: see only_unanswered)."""
    count = queries.invitations_to_mail(wave, only_unanswered=only_unanswered).count()
    if only_unanswered:
        title = _("Remind those who have not answered?")
        line = ngettext(
            "%(count)d person who has not answered gets a reminder with their link.",
            "%(count)d people who have not answered get a reminder with their link.",
            count,
        )
    else:
        title = _("Send the invitations?")
        line = ngettext(
            "%(count)d person gets their personal link by email; "
            "anyone already sent one gets it again as a reminder.",
            "%(count)d people get their personal link by email; "
            "anyone already sent one gets it again as a reminder.",
            count,
        )
    return sending_confirm(
        request,
        title=title,
        count=count,
        lines=[line % {"count": count}],
        fields={"only_unanswered": "1"} if only_unanswered else {},
        cancel=reverse("surveys:wave", args=[network.slug, wave.pk]),
    )


@network_view(Need.MANAGE)
def wave_close(
    request: AuthedRequest, network: Network, role: str, wave_id: int
) -> HttpResponseBase:
    wave = queries.wave_in(network, wave_id)
    if wave.status == Status.CLOSED:
        messages.error(request, _("This wave is already closed."))
        return redirect("surveys:wave", slug=network.slug, wave_id=wave.pk)
    if request.method != "POST":
        # Closing is final: the coordinator sees how many have answered before deciding.
        rate = queries.response_rate(wave)
        answered = (
            _("%(answered)d of %(invited)d invited have answered (%(rate)s).")
            % {**rate, "rate": format_quantity(rate["rate"], "%", 1)}
            if rate["invited"]
            else _("Nobody has been invited yet.")
        )
        return confirm_render(
            request,
            title=_("Close the wave %(title)s?") % {"title": wave.title},
            lines=[
                answered,
                _("Nobody can answer after closing, and a closed wave cannot be reopened."),
                _("The results are computed at once."),
            ],
            action=request.path,
            button=_("Close the wave now"),
            cancel=reverse("surveys:wave", args=[network.slug, wave.pk]),
            final=True,
        )
    # The snapshot of a large network takes a while: the worker computes it, the page follows.
    job = job_start(
        kind=WAVE_CLOSE, network_id=network.pk, user=request.user, arguments={"wave": wave.pk}
    )
    return redirect("networks:job", network.slug, job.pk)


@network_view(Need.MANAGE)
def wave_preview(
    request: HttpRequest, network: Network, role: str, wave_id: int
) -> HttpResponseBase:
    wave = queries.wave_in(network, wave_id)
    # Translators: a made-up person's name, as common in examples in your language.
    example = _("Alex Example")
    context = {
        "network": network,
        "wave": wave,
        "preview": True,
        "partner_form": PartnerForm(),
        "self_form": SelfForm(),
        "open_form": OpenForm(),
        "partner_name": example,
    }
    return render(request, "surveys/preview.html", context)


@network_view()
def wave_results(
    request: HttpRequest, network: Network, role: str, wave_id: int
) -> HttpResponseBase:
    wave = queries.wave_in(network, wave_id)
    viewer = getattr(request.user, "person", None)
    results = queries.wave_results(wave, viewer)
    if results is None:
        raise Http404("results")
    can_manage = access.role_allows(role, Need.MANAGE)
    context = {
        "network": network,
        "wave": wave,
        "results": results,
        "can_manage": can_manage,
        "open_answers": queries.open_answers(wave, include_hidden=can_manage),
        "open_questions": dict(instrument.OPEN_QUESTIONS)
        | {"barriers": instrument.BARRIERS_QUESTION},
    }
    return render(request, "surveys/results.html", context)


@require_POST
@network_view(Need.MANAGE)
def open_answer_hide(
    request: HttpRequest, network: Network, role: str, wave_id: int, ref: str
) -> HttpResponseBase:
    wave = queries.wave_in(network, wave_id)
    hidden = request.POST.get("hidden", "1") == "1"
    if len(ref) > 64 or not domain.open_answer_hide(wave=wave, ref=ref, hidden=hidden):
        raise Http404("answer")
    return redirect(reverse("surveys:results", args=[network.slug, wave.pk]) + "#open-answers")


# --- the respondent's side -------------------------------------------------------------------


RespondentView = Callable[..., HttpResponse]


def survey_view(view: RespondentView) -> Callable[..., HttpResponse]:
    """Resolve the personal link; every failure is a friendly page that changes nothing."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        invitation = domain.invitation_for_token(token)
        if invitation is None:
            audit_record(request=request, action="survey_link", outcome="refused")
            return render(request, "surveys/respond/invalid.html", status=404)
        wave = invitation.wave
        if not wave.is_open:
            upcoming = wave.status == Status.OPEN and wave.opens_at > timezone.now()
            return render(
                request, "surveys/respond/closed.html", {"wave": wave, "upcoming": upcoming}
            )
        return view(request, invitation, token, *args, **kwargs)

    return wrapper


# The answers a link wrote are shown back only in the browser session that wrote them (a
# coordinator who gets hold of the link in another browser sees a blank form). Other sessions
# start again from the partners, never from the ratings.
WRITTEN = "survey_written"


def _mark(invitation: SurveyInvitation) -> str:
    return f"{invitation.pk}:{invitation.generation}"


def _written(request: HttpRequest, invitation: SurveyInvitation) -> None:
    marks = [m for m in request.session.get(WRITTEN, []) if m != _mark(invitation)]
    request.session[WRITTEN] = [*marks[-9:], _mark(invitation)]


def _readable(request: HttpRequest, invitation: SurveyInvitation) -> bool:
    return _mark(invitation) in request.session.get(WRITTEN, [])


def _partner_ids(response: Response | None) -> list[int]:
    if response is None:
        return []
    answers = sorted(
        response.partners.all(),
        key=lambda a: (
            (a.partner.organization.name if a.partner.organization else ""),
            a.partner.name,
            a.partner_id,
        ),
    )
    return [answer.partner_id for answer in answers]


def _respond(
    request: HttpRequest,
    template: str,
    invitation: SurveyInvitation,
    token: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    base = {
        "invitation": invitation,
        "wave": invitation.wave,
        "token": token,
        "person": invitation.person,
        "readable": _readable(request, invitation),
    }
    return render(request, f"surveys/respond/{template}", base | context, status=status)


@survey_view
def survey_start(request: HttpRequest, invitation: SurveyInvitation, token: str) -> HttpResponse:
    response = queries.response_visible(invitation)
    context = {"response": response, "rotated": invitation.generation > 0 and response is None}
    return _respond(request, "start.html", invitation, token, context)


@survey_view
def survey_roster(request: HttpRequest, invitation: SurveyInvitation, token: str) -> HttpResponse:
    people = domain.roster(invitation.wave, invitation.person)
    response = queries.response_visible(invitation)
    chosen = set(_partner_ids(response))
    error = ""
    if request.method == "POST":
        picked = request.POST.getlist("partners")
        if "my_organization" in request.POST:
            own = invitation.person.organization_id
            picked += [str(p.pk) for p in people if own and p.organization_id == own]
        try:
            ids = [int(pid) for pid in picked]
            domain.response_roster_set(invitation=invitation, partner_ids=ids)
        except (ValueError, ValidationError) as failure:
            error = " ".join(getattr(failure, "messages", [_("The form was not valid.")]))
        else:
            _written(request, invitation)
            if "my_organization" in request.POST:
                return redirect("survey_roster", token=token)
            return redirect("survey_partner", token=token, number=1)
    groups: dict[str, list[Person]] = {}
    for person in people:
        key = person.organization.name if person.organization else _("No home organization")
        groups.setdefault(key, []).append(person)
    return _respond(
        request,
        "roster.html",
        invitation,
        token,
        {"groups": groups, "chosen": chosen, "error": error},
        status=400 if error else 200,
    )


@survey_view
def survey_partner(
    request: HttpRequest, invitation: SurveyInvitation, token: str, number: int
) -> HttpResponse:
    response = queries.response_visible(invitation)
    ids = _partner_ids(response)
    if response is None or not ids:
        return redirect("survey_self", token=token)
    if not 1 <= number <= len(ids):
        return redirect("survey_partner", token=token, number=1)
    answer = next(a for a in response.partners.all() if a.partner_id == ids[number - 1])
    initial = {}
    if _readable(request, invitation):
        initial = {"level": str(answer.level or "")} | {
            item.id: str(getattr(answer, item.id.lower()) or "") for item in instrument.DYADIC
        }
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.response_partner_set(
                invitation=invitation,
                partner_id=answer.partner_id,
                level=form.cleaned_data["level"] or None,
                answers=form.answers(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            _written(request, invitation)
            if number < len(ids):
                return redirect("survey_partner", token=token, number=number + 1)
            return redirect("survey_self", token=token)
    context = {"form": form, "partner": answer.partner, "number": number, "total": len(ids)}
    return _respond(request, "partner.html", invitation, token, context, status=form_status(form))


def _texts(
    request: HttpRequest, invitation: SurveyInvitation, response: Response | None
) -> dict[str, str]:
    """The open answers this session may see again (none in any other session)."""
    if response is None or not _readable(request, invitation):
        return {}
    return {a.kind: a.text for a in response.open_answers.all()}


@survey_view
def survey_self(request: HttpRequest, invitation: SurveyInvitation, token: str) -> HttpResponse:
    response = queries.response_visible(invitation)
    initial = {}
    if response and _readable(request, invitation):
        initial = {"barriers": _texts(request, invitation, response).get("barriers", "")}
        initial |= {
            item.id: str(getattr(response, item.id.lower()) or "") for item in instrument.SELF
        }
    form = SelfForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {item.id: form.cleaned_data[item.id] or None for item in instrument.SELF}
        try:
            domain.response_self_set(
                invitation=invitation,
                values=values,
                texts={"barriers": form.cleaned_data["barriers"]},
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            _written(request, invitation)
            return redirect("survey_open", token=token)
    total = len(_partner_ids(response))
    return _respond(
        request,
        "self.html",
        invitation,
        token,
        {"form": form, "total": total},
        status=form_status(form),
    )


@survey_view
def survey_open(request: HttpRequest, invitation: SurveyInvitation, token: str) -> HttpResponse:
    response = queries.response_visible(invitation)
    form = OpenForm(request.POST or None, initial=_texts(request, invitation, response))
    if request.method == "POST" and form.is_valid():
        try:
            domain.response_self_set(
                invitation=invitation,
                texts={kind: form.cleaned_data[kind] for kind, _q in instrument.OPEN_QUESTIONS},
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            _written(request, invitation)
            return redirect("survey_review", token=token)
    return _respond(
        request, "open.html", invitation, token, {"form": form}, status=form_status(form)
    )


@survey_view
def survey_review(request: HttpRequest, invitation: SurveyInvitation, token: str) -> HttpResponse:
    if request.method == "POST":
        domain.response_submit(invitation=invitation)
        _written(request, invitation)
        return redirect("survey_thanks", token=token)
    response = queries.response_visible(invitation)
    partners = list(response.partners.all()) if response else []
    readable = _readable(request, invitation)
    rated = sum(1 for a in partners if a.level is not None) if readable else None
    return _respond(
        request,
        "review.html",
        invitation,
        token,
        {"response": response, "partners": len(partners), "rated": rated},
    )


@survey_view
def survey_thanks(request: HttpRequest, invitation: SurveyInvitation, token: str) -> HttpResponse:
    return _respond(request, "thanks.html", invitation, token, {})
