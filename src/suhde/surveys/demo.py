"""Two closed survey waves for the demo network, a year apart, with a believable change.

Between the waves the housing theme network started, so trust across sectors grew; and one
broker, who tied several organizations together, left the network.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from suhde.networks.models import Membership, Network, Tie

from .closing import wave_close
from .models import OpenAnswer, PartnerAnswer, Response, Status, SurveyInvitation, Wave

SEED = 4242
WORKS = [
    "Kuukausittaiset verkostopalaverit: tiedän, keneen ottaa yhteyttä.",
    "Yhteiset asiakastapaamiset, joissa nuori on itse mukana.",
    "Ohjaamon matala kynnys – nuoret löytävät paikalle.",
    "Luottamus on kasvanut, kun olemme tehneet yhdessä eikä toistemme puolesta.",
]
IMPROVE = [
    "Tieto ei kulje nivelvaiheissa, kun jälkihuolto päättyy.",
    "Yritykset tulevat mukaan liian myöhään; tarvitaan yhteinen foorumi.",
    "Kokouksia on paljon, mutta päätökset jäävät auki.",
    "Sovitaan selkeästi, kuka vastaa nuoresta muuton jälkeen.",
]


def _rating(rng: random.Random, centre: float) -> int | None:
    if rng.random() < 0.06:  # "can't say" now and then
        return None
    return max(1, min(4, round(rng.gauss(centre, 0.7))))


def _broker(network: Network) -> int:
    """The non-coordinator member with ties into the most other organizations."""
    reach: dict[int, set] = {}
    for source, target_org in Tie.objects.filter(
        network=network, origins__kind="entered"
    ).values_list("source_id", "target__organization_id"):
        reach.setdefault(source, set()).add(target_org)
    coordinators = set(
        network.memberships.filter(role="coordinator").values_list("person_id", flat=True)
    )
    return max((p for p in reach if p not in coordinators), key=lambda p: (len(reach[p]), -p))


def _answer(rng, wave, person, partners, org_of, sector_of, cross_trust):
    response = Response.objects.create(
        wave=wave,
        respondent_id=person,
        submitted_at=wave.closes_at - timedelta(days=3),
        c1=rng.randint(3, 5),
        c2=rng.randint(3, 5),
        c3=rng.randint(2, 4),
    )
    answers = []
    for partner in partners:
        same_org = org_of[person] == org_of[partner]
        same_sector = sector_of[person] == sector_of[partner]
        knowing = 3.2 if same_org else 2.3
        trust = 3.3 if same_org else (2.8 if same_sector else cross_trust)
        answers.append(
            PartnerAnswer(
                response=response,
                partner_id=partner,
                level=rng.choice([3, 4, 5]) if same_org else rng.choice([1, 2, 2, 3]),
                k1=_rating(rng, knowing + 0.4),
                k2=_rating(rng, knowing),
                k3=_rating(rng, knowing),
                k4=_rating(rng, knowing - 0.2),
                t1=_rating(rng, trust + 0.2),
                t2=_rating(rng, trust),
                t3=_rating(rng, trust - 0.3),
                t4=_rating(rng, trust),
                c4=_rating(rng, trust),
            )
        )
    PartnerAnswer.objects.bulk_create(answers)
    if rng.random() < 0.3:
        OpenAnswer.objects.create(response=response, kind="works", text=rng.choice(WORKS))
    if rng.random() < 0.3:
        OpenAnswer.objects.create(response=response, kind="improve", text=rng.choice(IMPROVE))


def _wave(rng, network, title, closes_at, members, partners_of, org_of, sector_of, cross):
    wave = Wave.objects.create(
        network=network,
        title=title,
        k=5,
        recall_months=12,
        opens_at=closes_at - timedelta(days=21),
        closes_at=closes_at,
        status=Status.OPEN,
        reminder_days=[7, 1],
    )
    SurveyInvitation.objects.bulk_create(
        # The demo's invitations were "sent" in the past and carry no link: a link is issued
        # (surveys.domain) only when a real mailing goes out.
        SurveyInvitation(wave=wave, person_id=p, sent_at=wave.opens_at)
        for p in members
    )
    for person in members:
        if rng.random() < 0.78 and partners_of.get(person):
            _answer(rng, wave, person, partners_of[person], org_of, sector_of, cross)
    wave_close(wave=wave, at=closes_at)  # the demo's waves closed in the past


@transaction.atomic
def waves_demo_load(network: Network) -> bool:
    if network.waves.exists():
        return False
    rng = random.Random(SEED)
    people = dict(
        Membership.objects.filter(network=network, left_on__isnull=True).values_list(
            "person_id", "person__organization_id"
        )
    )
    sector_of = dict(
        Membership.objects.filter(network=network).values_list(
            "person_id", "person__organization__sector"
        )
    )
    partners_of: dict[int, list[int]] = {}
    for source, target in Tie.objects.filter(network=network, origins__kind="entered").values_list(
        "source_id", "target_id"
    ):
        partners_of.setdefault(source, []).append(target)
    broker = _broker(network)
    now = timezone.now()
    first = now - timedelta(days=400)
    _wave(
        rng,
        network,
        "Suhdekysely 2025",
        first,
        sorted(people),
        partners_of,
        people,
        sector_of,
        cross=2.2,
    )
    Membership.objects.filter(network=network, person_id=broker).update(
        left_on=(first + timedelta(days=200)).date()
    )
    remaining = sorted(p for p in people if p != broker)
    partners_after = {p: [q for q in partners_of.get(p, []) if q != broker] for p in remaining}
    _wave(
        rng,
        network,
        "Suhdekysely 2026",
        now - timedelta(days=30),
        remaining,
        partners_after,
        people,
        sector_of,
        cross=2.9,
    )
    return True
