"""The demo network's service path: young people leaving aftercare, five stages, one strong,
one weak and one missing handoff (issue 21).

Runs on ``suhde.networks.signals.demo_loaded`` after the survey's demo, so the ties it sets
across the handoffs are the ones the pages read. A network that already has a path is left as
it is.
"""

from __future__ import annotations

from django.db import transaction

from suhde.networks import access
from suhde.networks.domain import tie_create, tie_update
from suhde.networks.models import Network, Person, Tie

from . import domain
from .domain import StageRow
from .models import ServicePath

STAGES = [
    ("s1", "Jälkihuoltosuunnitelma 17-vuotiaana", ["lastensuojelun jälkihuolto"],
     "Oma sosiaalityöntekijä ja suunnitelma, johon nuori itse vaikuttaa."),
    ("s2", "Muutto omaan kotiin", ["Nuorisoasuntoyhdistys", "Vuokrakodit"],
     "Edullinen asunto, vuokravakuus ja tukea arjen taitoihin."),
    ("s3", "Toimeentulo ja Kela", ["Kela", "aikuissosiaalityö"],
     "Hakemukset ajallaan, perustoimeentulotuki ja asumistuki ilman katkoja."),
    ("s4", "Opiskelu- tai työpaikka", ["Ohjaamo", "ammattiopisto"],
     "Opiskelupaikka tai työ, ja joku joka kysyy, miten menee."),
    ("s5", "Jälkihuolto päättyy 25-vuotiaana", ["aikuissosiaalityö", "lastensuojelun jälkihuolto"],
     "Tieto siitä, mistä saa apua jälkihuollon jälkeen."),
]  # fmt: skip
HANDOFFS = {
    ("s1", "s2"): {
        "status": "agreed",
        "way": "meeting",
        "information": "Jälkihuoltosuunnitelma ja asumisen tuen tarve.",
        "consent": "Nuoren kirjallinen suostumus suunnitelmapalaverissa.",
        "timing": "Puoli vuotta ennen 18 vuoden ikää.",
    },
    ("s2", "s3"): {
        "status": "informal",
        "way": "phone",
        "timing": "Kun vuokrasopimus on allekirjoitettu.",
        "problems": "Tieto kulkee yhden asumisneuvojan muistin varassa; lomien aikana "
        "hakemukset myöhästyvät.",
    },
    ("s3", "s4"): {
        "status": "missing",
        "problems": "Kukaan ei ole sopinut, kuka ohjaa nuoren opintoihin tai työhön, kun "
        "toimeentulo on järjestyksessä. Nuoret jäävät kotiin odottamaan.",
    },
    ("s4", "s5"): {"status": "informal", "way": "meeting", "timing": "Vuosi ennen 25 vuoden ikää."},
}


def _organizations(network: Network, names: list[str]) -> list[int]:
    organizations = access.organizations_in(network)
    return [o.pk for name in names for o in organizations if name in o.name][: len(names)]


def _people(network: Network, org_ids: list[int]) -> list[Person]:
    return list(access.people_in(network).filter(organization_id__in=org_ids).order_by("pk"))


def _cross(network: Network, left: list[Person], right: list[Person]):
    ids_l, ids_r = [p.pk for p in left], [p.pk for p in right]
    return Tie.objects.filter(network=network, source_id__in=ids_l, target_id__in=ids_r) | (
        Tie.objects.filter(network=network, source_id__in=ids_r, target_id__in=ids_l)
    )


def _tie(network: Network, source: Person, target: Person, strength: str) -> None:
    tie = Tie.objects.filter(network=network, source=source, target=target).first()
    if tie is None:
        tie_create(network=network, source_id=source.pk, target_id=target.pk, strength=strength)
    elif tie.strength != strength:
        tie_update(tie=tie, strength=strength)


def _ties_shape(network: Network, sides: dict[str, list[Person]]) -> None:
    """Strong, mutual ties across the first handoff; weak ones through one housing advisor
    across the second; none across the third. The demo's registry ties are random otherwise."""
    for left, right in zip(sides["s1"][:3], sides["s2"][:3], strict=False):
        _tie(network, left, right, "strong")
        _tie(network, right, left, "strong")
    carrier = sides["s2"][0]
    # The demo's own random ties are replaced here, not removed by anyone: nothing to undo.
    _cross(network, sides["s2"], sides["s3"]).exclude(source=carrier).exclude(
        target=carrier
    ).delete()
    for person in sides["s3"][:2]:
        _tie(network, carrier, person, "weak")
    for tie in _cross(network, sides["s2"], sides["s3"]).filter(strength="strong"):
        tie_update(tie=tie, strength="weak")
    _cross(network, sides["s3"], sides["s4"]).delete()


@transaction.atomic
def paths_demo_load(network: Network) -> ServicePath | None:
    if network.service_paths.exists():
        return None
    stages: list[StageRow] = []
    sides: dict[str, list[Person]] = {}
    for key, name, organizations, needs in STAGES:
        org_ids = _organizations(network, organizations)
        sides[key] = _people(network, org_ids)
        stages.append({"key": key, "name": name, "needs": needs, "organization_ids": org_ids})
    _ties_shape(network, sides)
    return domain.path_create(
        network=network,
        name="Jälkihuollosta omaan elämään",
        client_group="Lastensuojelun jälkihuollossa olevat 17–25-vuotiaat nuoret, jotka muuttavat "
        "omaan kotiin ja hakevat opiskelu- tai työpaikkaa.",
        goal="Yksi ovi: nuorta ei pompotella palvelusta toiseen, ja jokainen siirtymä on sovittu.",
        stages=stages,
        transitions=[{"source": a, "target": b, **fields} for (a, b), fields in HANDOFFS.items()],
    )
