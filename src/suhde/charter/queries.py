"""Reads shared by the charter's pages and API. Each costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from suhde.networks.models import Membership, Network

from .models import (
    MEMBERSHIP_ROLE,
    CharterAnnex,
    CharterRole,
    CharterVersion,
    Goal,
    Indicator,
    Progress,
)
from .questions import QUESTIONS, Question


def charter_current(network: Network) -> CharterVersion | None:
    return network.charter_versions.select_related("author").order_by("-number").first()


def charter_versions(network: Network) -> QuerySet[CharterVersion]:
    return network.charter_versions.order_by("-number").defer("answers")


def version_in(network: Network, number: int) -> CharterVersion:
    return get_object_or_404(network.charter_versions, number=number)


@dataclass(frozen=True)
class Answered:
    question: Question
    answer: str


def charter_sections(version: CharterVersion | None) -> list[Answered]:
    answers = version.answers if version is not None else {}
    return [Answered(q, answers.get(str(q.number), "")) for q in QUESTIONS]


def answered_count(version: CharterVersion | None) -> int:
    return 0 if version is None else sum(1 for q in QUESTIONS if version.answer(q.number))


def goals_of(network: Network) -> QuerySet[Goal]:
    return (
        network.goals.select_related("owner")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("progress", queryset=Progress.objects.order_by("recorded_on", "id"))
                ),
            )
        )
        .order_by("due_on", "title", "id")
    )


def goal_in(network: Network, goal_id: int) -> Goal:
    return get_object_or_404(goals_of(network), pk=goal_id)


def indicator_in(network: Network, indicator_id: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("goal", "goal__network"),
        goal__network=network,
        pk=indicator_id,
    )


def progress_in(network: Network, progress_id: int) -> Progress:
    """A progress update of one of the network's goals."""
    return get_object_or_404(
        Progress.objects.select_related("indicator", "indicator__goal"),
        indicator__goal__network=network,
        pk=progress_id,
    )


@dataclass
class RoleRow:
    role: CharterRole
    holders: list

    @property
    def vacant(self) -> bool:
        return not self.holders


def roles_of(network: Network) -> list[RoleRow]:
    """The roles the charter names, each with who holds it now (two queries)."""
    roles = list(network.charter_roles.prefetch_related("holders"))
    by_role: dict[str, list] = {}
    memberships = Membership.objects.filter(
        network=network,
        left_on__isnull=True,
        person__archived_at__isnull=True,
        role__in=list(MEMBERSHIP_ROLE.values()),
    ).select_related("person")
    for membership in memberships:
        by_role.setdefault(membership.role, []).append(membership.person)
    rows = []
    for role in roles:
        holders = list(role.holders.all())
        if role.kind in MEMBERSHIP_ROLE:
            known = {person.pk for person in holders}
            extra = [p for p in by_role.get(MEMBERSHIP_ROLE[role.kind], []) if p.pk not in known]
            holders = sorted(holders + extra, key=lambda person: person.name)
        rows.append(RoleRow(role, holders))
    return rows


def role_in(network: Network, role_id: int) -> CharterRole:
    return get_object_or_404(network.charter_roles, pk=role_id)


def annexes_of(network: Network) -> QuerySet[CharterAnnex]:
    """The charter's annexes, newest first (service paths record agreed handoffs here)."""
    return CharterAnnex.objects.filter(network=network).order_by("-agreed_on", "-id")
