"""The demo network's decision log: all three ways of deciding, one closed and one open poll.

Runs on ``suhde.networks.signals.demo_loaded``; a network that already has decisions is left
as it is.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NotRequired, TypedDict

from django.db import transaction
from django.utils import timezone

from suhde.networks import access
from suhde.networks.models import Network

from . import domain


class _DemoDecision(TypedDict):
    title: str
    proposal: str
    mode: str
    status: str
    decided_by: str
    days_ago: int | None
    review_in: int | None
    rationale: str
    votes: NotRequired[list[int]]
    open: NotRequired[bool]


DECISIONS: list[_DemoDecision] = [
    {
        "title": "Saattaen vaihtaminen yhteiseksi käytännöksi",
        "proposal": "Kun nuori ohjataan toiseen palveluun, ohjaaja sopii vastaanottajan kanssa "
        "ajan ja on tarvittaessa mukana ensitapaamisessa.",
        "mode": "facilitated",
        "status": "decided",
        "decided_by": "Verkostopalaveri",
        "days_ago": 60,
        "review_in": 120,
        "rationale": "Nuoret putoavat palveluista siirtymissä.",
        "votes": [1, 1, 2, 2, 2, 3, 3, 4, 6, 1],
    },
    {
        "title": "Kevätseminaari pidetään nuorten tiloissa",
        "proposal": "Kevätseminaari järjestetään Ohjaamossa, ja nuoret kutsutaan mukaan "
        "suunnittelemaan ohjelmaa.",
        "mode": "facilitated",
        "status": "proposed",
        "decided_by": "",
        "days_ago": None,
        "review_in": None,
        "rationale": "",
        "votes": [1, 3, 7],
        "open": True,
    },
    {
        "title": "Verkostokoordinaattorin työaika 20 %",
        "proposal": "Kaupunki osoittaa verkoston koordinointiin 20 % yhden henkilön työajasta.",
        "mode": "top_down",
        "status": "carried_out",
        "decided_by": "Nuorisopalvelujen johtaja",
        "days_ago": 200,
        "review_in": 10,
        "rationale": "Koordinointi ei onnistu muun työn ohessa.",
    },
    {
        "title": "Kukin organisaatio nimeää yhteyshenkilön",
        "proposal": "Jokainen jäsenorganisaatio päättää itse, kuka on sen yhteyshenkilö.",
        "mode": "self_directed",
        "status": "decided",
        "decided_by": "Jäsenorganisaatiot",
        "days_ago": 90,
        "review_in": None,
        "rationale": "",
    },
]


def decisions_demo_load(network: Network) -> None:
    if network.decisions.exists():
        return
    today = timezone.localdate()
    people = list(access.people_in(network).order_by("name", "pk")[:12])
    with transaction.atomic():
        for spec in DECISIONS:
            decided_on = today - timedelta(days=spec["days_ago"]) if spec["days_ago"] else None
            decision = domain.decision_create(
                network=network,
                title=spec["title"],
                proposal=spec["proposal"],
                mode=spec["mode"],
                status=spec["status"],
                decided_by=spec["decided_by"],
                decided_on=decided_on,
                rationale=spec["rationale"],
                review_on=today + timedelta(days=spec["review_in"]) if spec["review_in"] else None,
            )
            if "votes" not in spec:
                continue
            poll = domain.poll_open(
                decision=decision,
                deadline=timezone.now() + timedelta(days=7),
                anonymous=not spec.get("open"),
            )
            for person, point in zip(people, spec["votes"], strict=False):
                domain.poll_vote(
                    poll=poll,
                    person=person,
                    point=point,
                    named=point == 6,
                    reason="Resurssit eivät riitä kaikkiin siirtymiin." if point == 6 else "",
                )
            if not spec.get("open"):
                domain.poll_close(
                    poll=poll,
                    outcome="Hyväksyttiin: saattaen vaihtaminen on yhteinen käytäntö.",
                    status="decided",
                )
