"""The demo network's year on its annual clock: a school year, from August to July.

Loaded with ``suhde demo_clock`` after ``suhde demo``. Each event is kept by
``event_upsert_for`` under the source kind ``demo``, so a second run changes nothing. The dates
follow the current clock year, so the demo never looks empty.
"""

from __future__ import annotations

from datetime import date, datetime, time

from suhde.networks.demo import CORE_SLUG, THEMES
from suhde.networks.models import Network, Person

from . import domain
from .models import Event
from .queries import local_zone, year_for

START_MONTH = 8

# key: (category, title, first day (month, day), last day or None, start time or None, rule).
# A repeating event starts on the 1st: its rule finds the weekday, whatever the year.
CORE_EVENTS = {
    "network-meeting": (
        "meetings",
        "Verkostopalaveri",
        (8, 1),
        None,
        (14, 16),
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=11",
    ),
    "kickoff": ("meetings", "Syksyn aloitustyöpaja", (8, 26), None, (9, 15), ""),
    "development-day": ("meetings", "Yhteinen kehittämispäivä", (9, 24), None, None, ""),
    "spring-seminar": ("meetings", "Kevätseminaari ja vuoden reflektio", (5, 19), None, None, ""),
    "steering": (
        "steering",
        "Ohjausryhmä",
        (8, 1),
        None,
        (13, 15),
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=1TH;COUNT=6",
    ),
    "survey-autumn": ("surveys", "Verkostokysely, syksyn aalto", (9, 14), (10, 2), None, ""),
    "survey-spring": ("surveys", "Kevään pulssikysely", (3, 1), (3, 19), None, ""),
    "report-funder": ("reporting", "Väliraportti rahoittajalle", (10, 30), None, None, ""),
    "report-annual": ("reporting", "Toimintakertomus ohjausryhmälle", (1, 29), None, None, ""),
    "report-half": ("reporting", "Puolivuotisraportti", (6, 15), None, None, ""),
    "theme-day": ("themes", "Teemaverkostojen yhteinen päivä", (4, 20), None, None, ""),
    "city-budget": ("budget", "Kaupungin talousarvion valmistelu", (8, 17), (10, 16), None, ""),
    "council": ("budget", "Talousarvio valtuustossa", (11, 23), None, (17, 21), ""),
    "ngo-grants": ("budget", "Järjestöavustusten haku", (1, 11), (2, 12), None, ""),
    "closing": ("budget", "Tilinpäätökset ja vuosikertomukset", (2, 1), (3, 31), None, ""),
}
THEME_EVENTS = {
    "jarvela-asuminen": {
        "housing-meeting": (
            "meetings",
            "Asumisen teemaverkoston tapaaminen",
            (9, 1),
            None,
            (9, 11),
            "FREQ=MONTHLY;BYDAY=-1TH;COUNT=9",
        ),
        "housing-fair": ("meetings", "Asumisen infopäivä nuorille", (3, 11), None, None, ""),
    },
    "jarvela-tyo-ja-koulutus": {
        "work-fair": ("meetings", "Työpaikkamessut", (2, 10), None, None, ""),
        "study-paths": (
            "meetings",
            "Opintopolkujen suunnittelu",
            (10, 1),
            None,
            (12, 14),
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TH;COUNT=4",
        ),
    },
}


def _day(year: int, month_day: tuple[int, int]) -> date:
    month, day = month_day
    return date(year if month >= START_MONTH else year + 1, month, day)


def _times(year: int, spec) -> tuple[datetime, datetime, bool]:
    _category, _title, first, last, hours, _rule = spec
    tz = local_zone()
    start_day = _day(year, first)
    if hours is None:
        end_day = _day(year, last) if last else start_day
        return (
            datetime.combine(start_day, time(0), tzinfo=tz),
            datetime.combine(end_day, time(23, 59), tzinfo=tz),
            True,
        )
    return (
        datetime.combine(start_day, time(hours[0]), tzinfo=tz),
        datetime.combine(start_day, time(hours[1]), tzinfo=tz),
        False,
    )


def _load(network: Network, events: dict, year: int, responsible: Person | None) -> int:
    created = 0
    for key, spec in events.items():
        start, end, all_day = _times(year, spec)
        exists = Event.objects.filter(network=network, source_kind="demo", source_id=key).exists()
        domain.event_upsert_for(
            source_kind="demo",
            source_id=key,
            network=network,
            title=spec[1],
            start=start,
            end=end,
            category_key=spec[0],
            all_day=all_day,
            rrule=spec[5],
            responsible=responsible if spec[0] in ("meetings", "steering") else None,
            place="Ohjaamo Järvelä, Kauppakatu 5" if spec[0] == "meetings" else "",
        )
        created += 0 if exists else 1
    return created


def clock_demo_load() -> int:
    """Fill the demo clocks; return how many events were new. Nothing happens without the demo."""
    core = Network.objects.filter(slug=CORE_SLUG).first()
    if core is None:
        return 0
    domain.clock_update(network=core, start_month=START_MONTH)
    year = year_for(START_MONTH, None).year
    coordinator = Person.objects.filter(user__username="demo").first()
    created = _load(core, CORE_EVENTS, year, coordinator)
    for theme in THEMES:
        network = Network.objects.filter(slug=theme["slug"]).first()
        if network is not None:
            domain.clock_update(network=network, start_month=START_MONTH)
            created += _load(network, THEME_EVENTS.get(str(theme["slug"]), {}), year, None)
    return created
