"""The demo network's charter: two versions, partly answered, two goals with progress, roles.

Runs on ``suhde.networks.signals.demo_loaded``; a network that already has a charter is left
as it is, so a second run changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import NotRequired, TypedDict

from django.db import transaction
from django.utils import timezone

from suhde.networks.models import Membership, Network, Role

from . import domain
from .models import RoleKind

FIRST = {
    "1": "Koordinaattori kokoaa verkoston ja pitää vuosikellon ajan tasalla. Fasilitaattorit "
    "valmistelevat tapaamiset vuorotellen.",
    "3": "Verkostopalaveri kuukauden toisena tiistaina, 2 tuntia, vuorotellen eri "
    "organisaatioiden tiloissa. Kaksi kehittämispäivää vuodessa.",
    "5": "Yhteinen Teams-kanava tiedottamiseen, sähköpostilista kutsuihin.",
    "6": "Palvelupolkujen muutoksista päätetään fasilitoidusti verkostopalaverissa. Kukin "
    "organisaatio päättää omista resursseistaan itse.",
    "8": "Koordinointi, fasilitointi ja viestintä. Teemaverkostoilla on omat vetäjänsä.",
    "9": "Osallistuminen vähintään puoleen tapaamisista ja sovittujen tehtävien hoitaminen.",
}
SECOND = {
    **FIRST,
    "3": "Verkostopalaveri kuukauden toisena tiistaina, 2 tuntia, vuorotellen eri "
    "organisaatioiden tiloissa tai etänä. Kaksi kehittämispäivää vuodessa: elokuussa ja "
    "toukokuussa.",
    "7": "Uusia toimijoita kutsutaan, kun nuorten palvelupolulta puuttuu joku. Uusi jäsen saa "
    "kummin ensimmäiseksi puoleksi vuodeksi.",
    "10": "Työaikaa noin 4 tuntia kuukaudessa, tiloja tapaamisiin vuorotellen.",
    "14": "Tavoitteiden mittarit käydään läpi keväällä. Suhdekysely kerran vuodessa.",
}


class _DemoIndicator(TypedDict):
    name: str
    baseline: Decimal
    target: Decimal
    unit: str
    how_measured: NotRequired[str]
    progress: list[tuple[int, str]]  # days from today, value


class _DemoGoal(TypedDict):
    kind: str
    title: str
    description: str
    why: NotRequired[str]
    who: NotRequired[str]
    how: NotRequired[str]
    indicators: list[_DemoIndicator]


GOALS: list[_DemoGoal] = [
    {
        "kind": "customer",
        "title": "Yksi ovi nuorelle",
        "description": "Nuori saa avun ensimmäisestä paikasta, johon hän ottaa yhteyttä.",
        "why": "Nuoria pompotellaan luukulta toiselle, ja moni putoaa palveluista.",
        "who": "Aikuissosiaalityö, Ohjaamo, järjestöt ja oppilaitokset.",
        "how": "Yhteinen ohjauskäytäntö ja saattaen vaihtaminen.",
        "indicators": [
            {
                "name": "Saattaen vaihdetut nuoret",
                "baseline": Decimal("12"),
                "target": Decimal("60"),
                "unit": "nuorta / vuosi",
                "how_measured": "Ohjaamon tilasto",
                "progress": [(-300, "15"), (-200, "24"), (-100, "31"), (-10, "42")],
            }
        ],
    },
    {
        "kind": "efficiency",
        "title": "Sujuva siirtymä jälkihuollosta",
        "description": "Jokaisella jälkihuollosta itsenäistyvällä on suunnitelma asumiseen.",
        "indicators": [
            {
                "name": "Nuoret, joilla asumissuunnitelma",
                "baseline": Decimal("40"),
                "target": Decimal("90"),
                "unit": "%",
                "how_measured": "Jälkihuollon asiakasrekisteri",
                "progress": [(-250, "45"), (-120, "58"), (-20, "66")],
            },
            {
                "name": "Asunnottomaksi jääneet nuoret",
                "baseline": Decimal("9"),
                "unit": "nuorta",
                "target": Decimal("2"),
                "progress": [(-150, "7"), (-30, "5")],
            },
        ],
    },
]


def charter_demo_load(network: Network) -> None:
    if network.charter_versions.exists():
        return
    with transaction.atomic():
        first, _ = domain.charter_update(network=network, user=None, answers=FIRST, based_on=0)
        if first is not None:  # FIRST has answers, so a version is always made
            domain.charter_version_agree(
                version=first, agreed_on=timezone.localdate(), agreed_in="Verkostopalaveri"
            )
        domain.charter_update(network=network, user=None, answers=SECOND, based_on=1)
        coordinator = (
            Membership.objects.filter(network=network, role=Role.COORDINATOR, left_on=None)
            .select_related("person")
            .first()
        )
        today = timezone.localdate()
        for spec in GOALS:
            fields = {name: value for name, value in spec.items() if name != "indicators"}
            indicators: list[dict[str, object]] = [
                {name: value for name, value in i.items() if name != "progress"}
                for i in spec["indicators"]
            ]
            progress = [i["progress"] for i in spec["indicators"]]
            goal = domain.goal_create(
                network=network,
                owner_id=coordinator.person_id if coordinator else None,
                due_on=today + timedelta(days=365),
                indicators=indicators,
                **fields,
            )
            for indicator, points in zip(goal.indicators.all(), progress, strict=True):
                for days, value in points:
                    domain.goal_progress_create(
                        indicator=indicator, recorded_on=today + timedelta(days=days), value=value
                    )
        members = list(
            Membership.objects.filter(network=network, role=Role.MEMBER, left_on=None)
            .order_by("person__name", "person_id")
            .values_list("person_id", flat=True)[:3]
        )
        domain.role_save(network=network, kind=RoleKind.COORDINATION)
        domain.role_save(network=network, kind=RoleKind.FACILITATION, holder_ids=members[:2])
        domain.role_save(network=network, kind=RoleKind.COMMUNICATION, holder_ids=members[2:])
        domain.role_save(
            network=network,
            kind=RoleKind.OTHER,
            name="Kokemusasiantuntija",
            description="Tuo nuorten oman näkökulman verkoston työhön.",
        )
