"""The survey API: waves for coordinators, and the respondent's side by personal token."""

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Router, Status

from suhde.common.audit import audit_record
from suhde.common.http import AuthedRequest
from suhde.common.schemas import Id
from suhde.networks import access
from suhde.networks.access import Need
from suhde.networks.schemas import ErrorOut

from . import closing, domain, instrument, queries
from .models import SurveyInvitation, Wave
from .schemas import (
    SendIn,
    SendOut,
    SurveyIn,
    SurveyOut,
    SurveySaved,
    WaveIn,
    WaveOut,
    WaveResultsOut,
)

router = Router(tags=["surveys"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _wave(user: User, wave_id: int, need: Need) -> Wave:
    return access.object_in_network(user, Wave, wave_id, need, scope=queries.waves_of)[0]


@router.get(
    "/networks/{slug}/waves", response={200: list[WaveOut], **ERRORS}, operation_id="wave_list"
)
def wave_list(request: AuthedRequest, slug: str) -> list[Wave]:
    network, _ = access.network_access(request.user, slug)
    return list(queries.waves_of(network).select_related("network"))


@router.post(
    "/networks/{slug}/waves", response={201: WaveOut, **ERRORS}, operation_id="wave_create"
)
def wave_create(request: AuthedRequest, slug: str, payload: WaveIn) -> Status[Wave]:
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    wave = domain.wave_create(network=network, user=request.user, **payload.model_dump())
    return Status(201, queries.wave_in(network, wave.pk))


@router.post(
    "/waves/{wave_id}/invitations",
    response={200: SendOut, **ERRORS},
    operation_id="wave_invitations_send",
)
def wave_invitations_send(request: AuthedRequest, wave_id: Id, payload: SendIn) -> SendOut:
    wave = _wave(request.user, wave_id, Need.MANAGE)
    sending = domain.wave_invitations_send(
        wave=wave, only_unanswered=payload.only_unanswered, language=get_language()
    )
    audit_record(request=request, action="survey_invitations_send", obj=wave)
    return SendOut(sent=sending.sent, waiting=sending.waiting)


@router.post("/waves/{wave_id}/close", response={200: WaveOut, **ERRORS}, operation_id="wave_close")
def wave_close(request: AuthedRequest, wave_id: Id) -> Wave:
    wave = _wave(request.user, wave_id, Need.MANAGE)
    closing.wave_close(wave=wave)
    audit_record(request=request, action="survey_wave_close", obj=wave)
    return queries.wave_in(wave.network, wave.pk)


@router.get(
    "/waves/{wave_id}/results",
    response={200: WaveResultsOut, **ERRORS},
    operation_id="wave_results",
)
def wave_results(request: AuthedRequest, wave_id: Id) -> dict[str, object]:
    wave = _wave(request.user, wave_id, Need.VIEW)
    results = queries.wave_results(wave, getattr(request.user, "person", None))
    if results is None:
        raise Http404("results")
    return {
        "wave": wave.pk,
        "k": wave.k,
        "responses": results.responses,
        "figures": results.figures,
        "structure": results.structure,
        "mine": results.mine,
        "theme_names": results.theme_names,
    }


# --- the respondent's side: the personal token is the only key --------------------------------


def _invitation(token: str) -> SurveyInvitation:
    invitation = domain.invitation_for_token(token)
    if invitation is None:
        raise Http404("survey")
    if not invitation.wave.is_open:
        raise Http404("survey closed")
    return invitation


def _items() -> list[dict[str, object]]:
    return [
        {
            "id": item.id,
            "dimension": item.dimension,
            "kind": item.kind,
            "text": str(item.text),
            "scale": item.scale,
        }
        for item in instrument.ITEMS
    ]


@router.get(
    "/survey/{token}",
    response={200: SurveyOut, 404: ErrorOut},
    auth=None,
    operation_id="survey_get",
)
def survey_get(request: HttpRequest, token: str) -> dict[str, object]:
    invitation = _invitation(token)
    roster = domain.roster(invitation.wave, invitation.person)
    return {
        "wave": invitation.wave.title,
        "closes_at": invitation.wave.closes_at,
        "k": invitation.wave.k,
        "roster": [
            {
                "id": p.pk,
                "name": p.name,
                "organization": p.organization.name if p.organization else None,
            }
            for p in roster
        ],
        "items": _items(),
        **queries.response_draft(invitation),
    }


@router.put(
    "/survey/{token}", response={200: SurveySaved, **ERRORS}, auth=None, operation_id="survey_put"
)
def survey_put(request: HttpRequest, token: str, payload: SurveyIn) -> SurveySaved:
    invitation = _invitation(token)
    data = payload.model_dump()
    data["partners"] = [
        {"person": p["person"], "level": p["level"], "answers": p["answers"]}
        for p in data["partners"]
    ]
    response = domain.response_put(invitation=invitation, payload=data)
    return SurveySaved(saved=True, submitted=response.submitted_at is not None)
