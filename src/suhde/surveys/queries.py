"""Reads of survey waves. Figures come only from the closed wave's snapshot, re-checked by
``common.privacy.figures_public``; open answers come without any link to their authors."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import TypedDict

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from suhde.common.privacy import K_MINIMUM, figure_allowed, figures_public, in_ratings_allowed
from suhde.networks.models import Network, Person

from .models import OPEN_KINDS, OpenAnswer, Response, Status, SurveyInvitation, Wave
from .snapshot import Responses, Snapshot, snapshot_of

DYADIC = ("knowing", "trust", "commitment")


def _count(queryset) -> Coalesce:
    """A per-wave count as a subquery: two joined counts would multiply each other's rows."""
    counted = queryset.filter(wave=OuterRef("pk")).order_by().values("wave")
    return Coalesce(Subquery(counted.annotate(n=Count("id")).values("n")), 0)


def waves_of(network: Network) -> QuerySet[Wave]:
    return network.waves.annotate(
        invited=_count(SurveyInvitation.objects.all()),
        answered=_count(Response.objects.filter(submitted_at__isnull=False)),
    ).order_by("-closes_at", "-id")


def wave_in(network: Network, wave_id: int) -> Wave:
    return get_object_or_404(waves_of(network), pk=wave_id)


def invitations_to_mail(wave: Wave, *, only_unanswered: bool = False) -> QuerySet:
    """The invitations a sending mails: those with an address, and with ``only_unanswered``
    those without a submitted response. The question before sending counts the same rows."""
    invitations = wave.invitations.exclude(person__email="")
    if only_unanswered:
        answered = wave.responses.filter(submitted_at__isnull=False).values("respondent_id")
        invitations = invitations.exclude(person_id__in=answered)
    return invitations


def response_rate(wave: Wave) -> Responses:
    """How many were invited and answered: the counts ``waves_of`` annotates, or two queries."""
    invited: int | None = getattr(wave, "invited", None)
    answered: int | None = getattr(wave, "answered", None)
    if invited is None or answered is None:
        invited = wave.invitations.count()
        answered = wave.responses.filter(submitted_at__isnull=False).count()
    return {
        "invited": invited,
        "answered": answered,
        "rate": round(answered / invited * 100, 1) if invited else None,
    }


@dataclass
class Results:
    wave: Wave
    responses: Responses
    figures: dict
    structure: dict
    mine: dict | None  # the viewer's in-ratings, or None
    theme_names: dict


def wave_results(wave: Wave, viewer: Person | None) -> Results | None:
    """What anyone in the network may see of a closed wave, plus the viewer's own ratings."""
    snapshot = snapshot_of(wave)
    if wave.status != Status.CLOSED or snapshot is None:
        return None
    return Results(
        wave=wave,
        responses=snapshot.responses,
        figures=figures_public(snapshot.figures, wave.k),
        structure={
            "network": snapshot.structure["network"],
            "groups": snapshot.structure["groups"],
        },
        mine=my_ratings(snapshot, viewer),
        theme_names=snapshot.theme_names,
    )


def my_ratings(snapshot: Snapshot, viewer: Person | None) -> dict | None:
    """A person's in-ratings, family by family, each only with three or more raters. How they
    rated others is never shown back, not even to them: nothing reads a sent answer back."""
    if viewer is None:
        return None
    stored = snapshot.in_ratings.get(str(viewer.pk))
    if not stored or not isinstance(stored.get("raters"), dict):
        return None
    raters = {f: n for f, n in stored["raters"].items() if in_ratings_allowed(n)}
    if not raters:
        return None
    received = {family: stored.get(family) if family in raters else None for family in DYADIC}
    return {"received": {**received, "raters": max(raters.values()), "counts": raters}}


def open_answer_ref(wave_id: int, answer_id: int) -> str:
    """An answer's name in pages and links: stable, but says nothing of when it was written
    (ids grow with time, and the time could point at the author)."""
    key = hashlib.sha256(("suhde-open-answer:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, f"{wave_id}:{answer_id}".encode(), hashlib.sha256).hexdigest()[:24]


class OpenAnswerRow(TypedDict):
    ref: str  # ``open_answer_ref``: the answer's name, which says nothing of when it was written
    kind: str  # one of OPEN_KINDS
    text: str
    hidden: bool


@dataclass
class OpenAnswers:
    authors_needed: int  # at least k people must have given an open answer
    shown: bool
    answers: list[OpenAnswerRow]  # grouped by question


def open_answers(wave: Wave, *, include_hidden: bool = False) -> OpenAnswers:
    """Open answers of submitted responses: only when at least k people gave one in the wave,
    without names, in a random order fixed for the wave (never the order they were written)."""
    rows = list(
        OpenAnswer.objects.filter(response__wave=wave, response__submitted_at__isnull=False)
        .order_by()
        .values_list("id", "response_id", "kind", "text", "hidden")
    )
    authors = len({response_id for _id, response_id, *_rest in rows})
    if not figure_allowed(authors, wave.k):
        return OpenAnswers(authors_needed=max(wave.k, K_MINIMUM), shown=False, answers=[])
    kinds = {kind: position for position, kind in enumerate(OPEN_KINDS)}
    answers = [
        OpenAnswerRow(ref=open_answer_ref(wave.pk, pk), kind=kind, text=text, hidden=hidden)
        for pk, _response, kind, text, hidden in rows
        if include_hidden or not hidden
    ]
    answers.sort(key=lambda a: (kinds.get(a["kind"], len(kinds)), a["ref"]))
    return OpenAnswers(authors_needed=max(wave.k, K_MINIMUM), shown=True, answers=answers)


def person_answers(person: Person, *, network_ids: list[int] | None, own: bool) -> dict:
    """A person's own survey answers, for their own download only: nobody else ever reads one
    respondent's answers (promise 8), so a coordinator's download of someone has none. How
    others rated the person is never in it (promise 24)."""
    if not own:
        return {}
    responses = (
        Response.objects.filter(respondent=person)
        .select_related("wave")
        .prefetch_related("partners__partner", "open_answers")
        .order_by("wave__opens_at", "pk")
    )
    waves, partners, texts = [], [], []
    for response in responses:
        wave = {"wave": response.wave.title, "wave_id": response.wave_id}
        waves.append(
            {**wave, "submitted_at": response.submitted_at, "c1": response.c1,
             "c2": response.c2, "c3": response.c3}
        )  # fmt: skip
        for answer in response.partners.all():
            fields = ("level", "k1", "k2", "k3", "k4", "t1", "t2", "t3", "t4", "c4")
            partners.append(
                {**wave, "partner": answer.partner.name}
                | {name: getattr(answer, name) for name in fields}
            )
        texts += [{**wave, "question": a.kind, "text": a.text} for a in response.open_answers.all()]
    return {
        "survey_responses": waves,
        "survey_partner_answers": partners,
        "survey_open_answers": texts,
    }


def response_visible(invitation: SurveyInvitation) -> Response | None:
    """The response this link may continue: None when an earlier link (before an address
    change) wrote it. Which of its answers a page may show is decided by the page."""
    return (
        Response.objects.filter(
            wave=invitation.wave,
            respondent=invitation.person,
            link_generation=invitation.generation,
        )
        .prefetch_related("partners__partner__organization", "open_answers")
        .first()
    )


def response_draft(invitation: SurveyInvitation) -> dict:
    """Only the partners, never a rating: the API has no browser session that wrote them, so
    answering again through it starts from the partners (instrument: nothing reads back)."""
    response = response_visible(invitation)
    if response is None:
        return {"partners": [], "submitted": False}
    return {
        "partners": [{"person": a.partner_id} for a in response.partners.all()],
        "submitted": response.submitted_at is not None,
    }
