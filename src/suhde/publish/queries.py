"""Reads for spreading: what a network's public summary shows, for the page and the open data.

The summary is built from the registry's organizations (names only, never people), the round
report's goals and results (``evaluation.report``) and the survey's published figures, each
checked again against the wave's k through ``common.privacy``. The coordinator's preview and
the public page render the very same ``PublicData``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import Http404

from suhde.common.privacy import figure_allowed
from suhde.evaluation.report import round_report
from suhde.evaluation.rounds import round_for_report, rounds_of
from suhde.networks.access import memberships_current
from suhde.networks.models import Network, Organization, Sector

from .models import PublicSummary

FIGURE_LABELS = ("knowing", "trust", "commitment")


@dataclass
class PublicOrganization:
    name: str
    sector: str
    sector_label: str


@dataclass
class PublicIndicator:
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    latest: Decimal | None
    measured_on: date | None


@dataclass
class PublicGoal:
    title: str
    kind: str
    kind_label: str
    verdict: str | None
    verdict_label: str
    indicators: list[PublicIndicator]


@dataclass
class PublicFigure:
    key: str
    value: float
    respondents: int


@dataclass
class PublicData:
    slug: str
    name: str
    purpose: str
    form_label: str
    organizations: list[PublicOrganization]
    round_number: int
    round_starts_on: date
    round_ends_on: date | None
    in_brief: str
    goals: list[PublicGoal]
    figures: list[PublicFigure]
    k: int | None
    next_focus: str
    contact: str
    sectors: dict[str, int] = field(default_factory=dict)


def summary_of(network: Network) -> PublicSummary:
    """The network's setting, unsaved and off when nobody has opened the page yet."""
    return PublicSummary.objects.filter(network=network).first() or PublicSummary(network=network)


def public_network(slug: str) -> Network:
    """The network whose summary is public: 404 alike for one that is off, archived or not
    there at all."""
    row = (
        PublicSummary.objects.filter(
            enabled=True, network__slug=slug, network__archived_at__isnull=True
        )
        .select_related("network")
        .first()
    )
    if row is None:
        raise Http404("no public summary")
    return row.network


def _organizations(network: Network) -> list[PublicOrganization]:
    ids = memberships_current(network).values_list("person__organization_id", flat=True)
    rows = Organization.objects.filter(pk__in=ids, archived_at__isnull=True).order_by("name", "pk")
    return [
        PublicOrganization(o.name, o.sector or "", str(Sector(o.sector).label) if o.sector else "")
        for o in rows
    ]


def _figures(health) -> list[PublicFigure]:
    """Only the survey's published network figures, each standing on at least k answers."""
    out = []
    for key in FIGURE_LABELS:
        value, count = health.figures.get(key), health.counts.get(key)
        if value is None or count is None or health.k is None:
            continue
        if figure_allowed(count, health.k):
            out.append(PublicFigure(key, round(float(value), 2), int(count)))
    return out


def _goals(report) -> list[PublicGoal]:
    return [
        PublicGoal(
            title=g.title,
            kind=g.kind,
            kind_label=g.kind_label,
            verdict=g.verdict,
            verdict_label=g.verdict_label,
            indicators=[
                PublicIndicator(
                    i.name,
                    i.unit,
                    i.baseline,
                    i.target,
                    i.latest.value if i.latest else None,
                    i.latest.measured_on if i.latest else None,
                )
                for i in g.indicators
            ],
        )
        for g in report.goals
    ]


def public_data(network: Network, summary: PublicSummary) -> PublicData:
    span = round_for_report(network, rounds_of(network))
    report = round_report(network, span.number)
    organizations = _organizations(network)
    sectors: dict[str, int] = {}
    for o in organizations:
        if o.sector:
            sectors[o.sector] = sectors.get(o.sector, 0) + 1
    return PublicData(
        slug=network.slug,
        name=network.name,
        purpose=network.purpose,
        form_label=str(network.get_form_display()),
        organizations=organizations,
        round_number=span.number,
        round_starts_on=span.starts_on,
        round_ends_on=span.ends_on,
        in_brief=report.text("summary"),
        goals=_goals(report),
        figures=_figures(report.health),
        k=report.health.k,
        next_focus=report.text("next_focus"),
        contact=summary.contact,
        sectors=sectors,
    )
