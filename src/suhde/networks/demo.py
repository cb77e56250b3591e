"""The demo: the young adults' service network of the fictional city of Järvelä, in Finnish.

Generated from a fixed seed, so every install shows the same network. Loading is idempotent:
a second run finds the core network and only resets the demo coordinator's password.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .domain import ties_bulk_enter
from .models import Membership, Network, Organization, Person, PhaseChange, Role, Tie

CORE_SLUG = "jarvelan-nuoret-aikuiset"
SEED = 2026

# (name, sector, parent index or None, people, titles, themes: h = housing, w = work and study)
ORGANIZATIONS = [
    (
        "Järvelän kaupunki, lastensuojelun jälkihuolto",
        "public",
        None,
        6,
        ["sosiaalityöntekijä", "jälkihuollon ohjaaja", "johtava sosiaalityöntekijä"],
        "h",
    ),
    (
        "Järvelän kaupunki, aikuissosiaalityö",
        "public",
        None,
        5,
        ["sosiaalityöntekijä", "sosiaaliohjaaja"],
        "h",
    ),
    (
        "Järvelän työllisyyspalvelut",
        "public",
        None,
        5,
        ["työllisyysasiantuntija", "uravalmentaja", "palvelupäällikkö"],
        "w",
    ),
    (
        "Järvelän ammattiopisto",
        "public",
        None,
        5,
        ["opinto-ohjaaja", "erityisopettaja", "kuraattori"],
        "w",
    ),
    ("Järvelän lukio", "public", None, 3, ["opinto-ohjaaja", "kuraattori"], "w"),
    (
        "Järvelän kaupunki, nuorisopalvelut",
        "public",
        None,
        4,
        ["nuoriso-ohjaaja", "nuorisopalvelupäällikkö"],
        "hw",
    ),
    ("Etsivä nuorisotyö", "public", 5, 4, ["etsivä nuorisotyöntekijä"], "w"),
    (
        "Ohjaamo Järvelä",
        "public",
        None,
        5,
        ["ohjaamokoordinaattori", "psykiatrinen sairaanhoitaja", "palveluohjaaja"],
        "hw",
    ),
    (
        "Hyvinvointialue, mielenterveys- ja päihdepalvelut",
        "public",
        None,
        4,
        ["psykiatrinen sairaanhoitaja", "psykologi", "päihdetyöntekijä"],
        "h",
    ),
    ("Kela, Järvelän palvelupiste", "public", None, 3, ["etuuskäsittelijä", "palveluneuvoja"], ""),
    (
        "Hyvinvointialue, nuorisoasema",
        "public",
        None,
        3,
        ["sosiaaliohjaaja", "terveydenhoitaja"],
        "",
    ),
    (
        "Nuorisoasuntoyhdistys Järvelä ry",
        "third",
        None,
        5,
        ["asumisneuvoja", "toiminnanjohtaja", "asumisohjaaja"],
        "h",
    ),
    (
        "Mielenterveysyhdistys Mielikki ry",
        "third",
        None,
        4,
        ["vertaistoiminnan ohjaaja", "toiminnanjohtaja"],
        "h",
    ),
    (
        "Järvelän seurakunta, diakonia",
        "third",
        None,
        3,
        ["diakoniatyöntekijä", "nuorisopappi"],
        "h",
    ),
    ("Setlementti Järvelä ry", "third", None, 4, ["työvalmentaja", "yhteisöohjaaja"], "w"),
    (
        "Pelastakaa Lapset ry, Järvelän toimipiste",
        "third",
        None,
        3,
        ["jälkihuollon tukihenkilö", "projektikoordinaattori"],
        "h",
    ),
    ("Rakennus Oy Kivijalka", "private", None, 2, ["työnjohtaja", "henkilöstöpäällikkö"], "w"),
    (
        "Kahvila Lähde Oy (yhteiskunnallinen yritys)",
        "private",
        None,
        3,
        ["yrittäjä", "työvalmentaja"],
        "w",
    ),
    (
        "Järvelän Vuokrakodit Oy",
        "private",
        None,
        3,
        ["asukasisännöitsijä", "asiakkuuspäällikkö"],
        "h",
    ),
    ("Taitava Henkilöstöpalvelut Oy", "private", None, 3, ["rekrytoija", "aluepäällikkö"], "w"),
]

FIRST_NAMES = [
    "Aino",
    "Eero",
    "Helmi",
    "Juha",
    "Katja",
    "Lauri",
    "Maria",
    "Mikko",
    "Noora",
    "Olli",
    "Pirjo",
    "Riikka",
    "Sami",
    "Tiina",
    "Ville",
    "Anu",
    "Heikki",
    "Johanna",
    "Kari",
    "Leena",
    "Marko",
    "Minna",
    "Paula",
    "Petri",
    "Sari",
    "Timo",
    "Ulla",
    "Veera",
    "Antti",
    "Elina",
    "Hanna",
    "Jari",
    "Kirsi",
    "Matti",
    "Niina",
    "Pekka",
    "Satu",
    "Tuomas",
    "Outi",
    "Jenni",
]
LAST_NAMES = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
]
COMPETENCES = [
    "asumisen tuki",
    "jälkihuolto",
    "palveluohjaus",
    "ryhmänohjaus",
    "mielenterveystyö",
    "päihdetyö",
    "työhönvalmennus",
    "opinto-ohjaus",
    "etuudet",
    "vertaistuki",
    "rekrytointi",
    "monikulttuurinen työ",
    "verkostotyö",
    "fasilitointi",
    "kokemusasiantuntijuus",
]
NEEDS = [
    "Tieto siitä, kenen puoleen kääntyä, kun nuoren asuminen on uhattuna.",
    "Yhteinen tapa sopia, kuka vastaa nuoresta nivelvaiheessa.",
    "Kontakteja työnantajiin, jotka voivat tarjota ensimmäisen työpaikan.",
    "Ajantasainen kuva siitä, mitä muut toimijat tarjoavat.",
    "Säännöllinen foorumi, jossa tapauksia voi pohtia yhdessä.",
]

CORE = {
    "name": "Järvelän nuorten aikuisten palveluverkosto",
    "slug": CORE_SLUG,
    "purpose": "Verkosto tukee 16–29-vuotiaita järveläläisiä nuoria aikuisuuteen, esimerkiksi "
    "lastensuojelun jälkihuollosta itsenäiseen elämään. Tavoitteena on yksi ovi: nuorta ei "
    "pompoteta luukulta toiselle, vaan julkinen, yksityinen ja kolmas sektori toimivat yhdessä.",
    "form": "joint",
    "levels": ["strategy", "service_path", "customer"],
    "scope": "external",
    "goal_kinds": ["customer", "efficiency"],
    "phase": 3,
}
THEMES = [
    {
        "name": "Asumisen teemaverkosto",
        "slug": "jarvela-asuminen",
        "tag": "h",
        "phase": 2,
        "purpose": "Ennaltaehkäistään nuorten asunnottomuutta ja sujuvoitetaan muuttoa "
        "omaan kotiin jälkihuollon päättyessä.",
        "form": "joint",
        "levels": ["service_path"],
        "goal_kinds": ["customer"],
    },
    {
        "name": "Työn ja koulutuksen teemaverkosto",
        "slug": "jarvela-tyo-ja-koulutus",
        "tag": "w",
        "phase": 1,
        "purpose": "Rakennetaan polkuja opintoihin ja työhön yhdessä oppilaitosten, "
        "työllisyyspalvelujen ja yritysten kanssa.",
        "form": "evolving",
        "levels": ["service_path", "understanding"],
        "goal_kinds": ["phenomenon", "aim"],
    },
]


def _email(name: str, organization_index: int) -> str:
    ascii_name = name.lower().translate(str.maketrans("äöå ", "aoa."))
    return f"{ascii_name}@org{organization_index + 1}.jarvela.example"


def _people(rng: random.Random, organizations: list[Organization]) -> list[Person]:
    people, used = [], set()
    for index, (_, _, _, count, titles, _) in enumerate(ORGANIZATIONS):
        for _ in range(count):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            while name in used:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            used.add(name)
            people.append(
                Person(
                    name=name,
                    organization=organizations[index],
                    title=rng.choice(titles),
                    email=_email(name, index),
                    phone=f"+358 40 {rng.randint(1000000, 9999999)}",
                    competences=rng.sample(COMPETENCES, 2),
                    needs=rng.choice(NEEDS),
                    confirmed_at=timezone.now() - timedelta(days=rng.randint(5, 500)),
                )
            )
    return people


def _ties(rng: random.Random, network: Network, people: list[Person], density: float) -> list[Tie]:
    """Strong ties mostly inside organizations, weak ones across them: the deck's two kinds."""
    ties = []
    for source in people:
        for target in people:
            if source is target:
                continue
            same = source.organization_id == target.organization_id
            chance = 0.55 if same else density
            if rng.random() < chance:
                strong = rng.random() < (0.7 if same else 0.25)
                ties.append(
                    Tie(
                        network=network,
                        source=source,
                        target=target,
                        strength="strong" if strong else "weak",
                        since=date(2024, 1, 1) + timedelta(days=rng.randint(0, 600)),
                    )
                )
    return ties


def _roles(rng: random.Random, people: list[Person], coordinator: Person) -> list[tuple]:
    roles = []
    for person in people:
        role = Role.MEMBER
        if person is coordinator:
            role = Role.COORDINATOR
        elif rng.random() < 0.06:
            role = rng.choice([Role.FACILITATOR, Role.COMMUNICATOR, Role.OBSERVER])
        roles.append((person, role, person is coordinator or rng.random() < 0.1))
    return roles


def _demo_user(password: str):
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username="demo",
        defaults={"first_name": "Aino", "last_name": "Virtanen", "email": "demo@jarvela.example"},
    )
    user.set_password(password)
    user.is_active = True
    user.save()
    return user


@transaction.atomic
def demo_load(*, password: str) -> bool:
    """Create the demo network once; return whether it was created now."""
    user = _demo_user(password)
    if Network.objects.filter(slug=CORE_SLUG).exists():
        return False
    rng = random.Random(SEED)
    organizations = [
        Organization(name=name, sector=sector, website="")
        for name, sector, _, _, _, _ in ORGANIZATIONS
    ]
    Organization.objects.bulk_create(organizations)
    for organization, (_, _, parent, _, _, _) in zip(organizations, ORGANIZATIONS, strict=True):
        if parent is not None:
            organization.parent = organizations[parent]
            organization.save(update_fields=["parent"])
    people = _people(rng, organizations)
    # The demo coordinator is the first person of Ohjaamo, the one-door service for the young.
    ohjaamo = next(i for i, spec in enumerate(ORGANIZATIONS) if spec[0].startswith("Ohjaamo"))
    coordinator = people[sum(spec[3] for spec in ORGANIZATIONS[:ohjaamo])]
    coordinator.name, coordinator.user = "Aino Virtanen", user
    coordinator.email = "demo@jarvela.example"
    coordinator.title = "ohjaamokoordinaattori"
    Person.objects.bulk_create(people)
    core = Network.objects.create(**CORE)
    core.organizations.set(organizations)
    Membership.objects.bulk_create(
        Membership(person=p, network=core, role=r, in_steering_group=s, joined_on=date(2024, 1, 15))
        for p, r, s in _roles(rng, people, coordinator)
    )
    ties_bulk_enter(ties=_ties(rng, core, people, density=0.045))
    _phase_history(core, user)
    for theme in THEMES:
        _theme_load(rng, theme, core, organizations, people, coordinator)
    return True


def _theme_load(rng, theme, core, organizations, people, coordinator) -> None:
    tag = theme["tag"]
    fields = {k: v for k, v in theme.items() if k != "tag"}
    network = Network.objects.create(parent=core, scope="external", **fields)
    chosen = [o for o, spec in zip(organizations, ORGANIZATIONS, strict=True) if tag in spec[5]]
    network.organizations.set(chosen)
    members = [p for p in people if p.organization in chosen and rng.random() < 0.75]
    lead = next(p for p in members if p.organization_id != coordinator.organization_id)
    Membership.objects.bulk_create(
        Membership(
            person=p,
            network=network,
            role=Role.COORDINATOR if p is lead else Role.MEMBER,
            in_steering_group=p is lead,
            joined_on=date(2025, 2, 1),
        )
        for p in members
    )
    ties_bulk_enter(ties=_ties(rng, network, members, density=0.09))


def _phase_history(network: Network, user) -> None:
    notes = [
        (1, 2, "Verkostokartta tehty ja toimijat koottu yhteen aloitustyöpajassa."),
        (2, 3, "Yhteiset toimintatavat ja tavoitteet hyväksytty ohjausryhmässä."),
    ]
    start = timezone.now() - timedelta(days=300)
    PhaseChange.objects.bulk_create(
        PhaseChange(
            network=network,
            from_phase=a,
            to_phase=b,
            note=note,
            changed_by=user,
            changed_at=start + timedelta(days=120 * i),
        )
        for i, (a, b, note) in enumerate(notes)
    )
