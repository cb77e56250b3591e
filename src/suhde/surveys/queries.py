"""Reads of survey waves. Figures come only from the closed wave's snapshot, re-checked by
``common.privacy.figures_public``; open answers come without any link to their authors."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from suhde.common.privacy import figures_public, in_ratings_allowed
from suhde.networks.models import Network, Person

from .models import OpenAnswer, Response, Status, SurveyInvitation, Wave


def _count(queryset) -> Coalesce:
    """A per-wave count as a subquery: two joined counts would multiply each other's rows."""
    counted = queryset.filter(wave=OuterRef("pk")).order_by().values("wave")
    return Coalesce(Subquery(counted.annotate(n=Count("id")).values("n")), 0)


def waves_of(network: Network) -> QuerySet[Wave]:
    return network.waves.annotate(
        invited=_count(SurveyInvitation.objects.all()),
        answered=_count(Response.objects.filter(submitted_at__isnull=False)),
    ).order_by("-closes_at", "-id")


def wave_in(network: Network, wave_id: int) -> Wave | None:
    return waves_of(network).filter(pk=wave_id).first()


def response_rate(wave: Wave) -> dict:
    invited = getattr(wave, "invited", None)
    answered = getattr(wave, "answered", None)
    if invited is None:
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
    responses: dict
    figures: dict
    structure: dict
    mine: dict | None  # the viewer's in-ratings and out-ratings, or None


def wave_results(wave: Wave, viewer: Person | None) -> Results | None:
    """What anyone in the network may see of a closed wave, plus the viewer's own ratings."""
    if wave.status != Status.CLOSED or not wave.snapshot:
        return None
    snapshot = wave.snapshot
    return Results(
        wave=wave,
        responses=snapshot["responses"],
        figures=figures_public(snapshot["figures"], wave.k),
        structure={
            "network": snapshot["structure"]["network"],
            "groups": snapshot["structure"]["groups"],
        },
        mine=my_ratings(snapshot, viewer),
    )


def my_ratings(snapshot: dict, viewer: Person | None) -> dict | None:
    """A person's in-ratings, only with three or more raters. How they rated others is never
    shown back, not even to them: nothing reads a sent answer back."""
    if viewer is None:
        return None
    received = snapshot.get("in_ratings", {}).get(str(viewer.pk))
    if not received or not in_ratings_allowed(received.get("raters", 0)):
        return None
    return {"received": received}


def open_answers(wave: Wave, *, include_hidden: bool = False) -> QuerySet[OpenAnswer]:
    """Open answers of submitted responses, in a fixed order that says nothing about authors."""
    answers = OpenAnswer.objects.filter(response__wave=wave, response__submitted_at__isnull=False)
    if not include_hidden:
        answers = answers.filter(hidden=False)
    return answers.only("id", "kind", "text", "hidden").order_by("kind", "text", "id")
