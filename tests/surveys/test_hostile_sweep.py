"""The hostile coordinator with everything they have (issue 13, Done when).

A coordinator of the network — and a coordinator of a theme network, a plain member, and the
coordinator again as the server's superuser — first does what the issue's attack did: changes a
respondent's address to their own, sends the invitations again, lets the reminders go, and
confirms whatever arrives at that address. Then they open every page of the URL conf, every
operation of the OpenAPI schema (writes too, each rolled back) and, as superuser, every admin
screen, with every wave in place of every wave id; and every link that reached their inbox.

Two things must hold for everything they got (pages, JSON, CSV, .xlsx, PDF text, mails, logs):

- **Texts.** Open answers planted with unique markers (fewer than k people wrote one, so none
  may be shown) appear nowhere.
- **Numbers.** Two respondents in exactly the same groups, rating the same partners, give
  opposite answers. Swapping their answers changes no group figure, so a coordinator who sees
  only what may be published sees exactly the same bytes before and after the swap; and what a
  respondent wrote in a wave that is still open changes nothing anywhere. Every GET is made in
  both worlds and compared: any difference is one respondent's answer reaching the attacker.

Routes are taken from the URL conf, the OpenAPI schema and the admin registry as they are, with
the access matrix's rules for their arguments: a new page or operation is swept without anyone
remembering to add it here (and ``tests/test_access_matrix.py`` fails on one without a rule).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import random
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core import mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook

from suhde.api import api
from suhde.networks.models import Membership, Role, Tie
from suhde.surveys import closing, domain
from suhde.surveys.models import OPEN_KINDS, OpenAnswer, PartnerAnswer, Response
from tests.access import rules
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
    member_user,
)
from tests.paths.helpers import path as service_path
from tests.surveys.conftest import answer

K = 5
ATTACKER = "attacker.inbox@evil.example"
DYADIC = ["k1", "k2", "k3", "k4", "t1", "t2", "t3", "t4", "c4"]
SELF = ["c1", "c2", "c3"]
RULES = rules()
MARKER = "Zq{}Mark{}"  # unique, and no word of any page in any language


def marker(wave_label: str, who: str, kind: str) -> str:
    return MARKER.format(wave_label, f"{who}{kind}")


@dataclass
class Hostile:
    world: object
    victims: tuple  # two respondents in exactly the same groups, rating the same partners
    waves: dict  # label -> wave: "before" and "closed" (closed), "open"
    theme: object
    theme_coordinator: object
    markers: set = field(default_factory=set)


def _respond(wave, person, partners, value, self_value, label, who, texts=True):
    kinds = {"works": "W", "improve": "I", "barriers": "B"}
    written = {kind: marker(label, who, short) for kind, short in kinds.items()} if texts else {}
    answer(wave, person, partners, value=value, self_value=self_value, level=4, texts=written)
    return set(written.values())


@pytest.fixture
def hostile(world):
    """Core (k = 5) with three organizations of seven, a theme network, two closed waves and an
    open one; the two victims in the same organization and theme, rating the same partners."""
    network = world.network
    theme = NetworkFactory(name="Youth theme", slug="youth-theme", parent=network)
    orgs = [
        world.organization,
        OrganizationFactory(name="Housing NGO", sector="third", networks=[network]),
        OrganizationFactory(name="Builder Ltd", sector="private", networks=[network]),
    ]
    people = [PersonFactory(organization=orgs[i % 3]) for i in range(18)]
    for index, person in enumerate(people):
        MembershipFactory(person=person, network=network)
        if index % 2 == 0:
            MembershipFactory(person=person, network=theme)
    theme_coordinator = member_user(network, Role.MEMBER, orgs[2], username="themecoord")
    MembershipFactory(person=theme_coordinator.person, network=theme, role=Role.COORDINATOR)
    victims = (people[4], people[10])  # both in Housing NGO and in the theme network
    assert victims[0].organization == victims[1].organization == orgs[1]
    partners = [people[0], people[2], people[3], people[5], world.member.person]
    everyone = [
        m.person for m in Membership.objects.filter(network=network).select_related("person")
    ]
    waves, markers = {}, set()
    for label, days in (("before", 400), ("closed", 30), ("open", None)):
        wave = domain.wave_create(
            network=network,
            user=world.coordinator,
            title=f"Wave {label}",
            closes_at=timezone.now() + timedelta(days=10),
            k=K,
        )
        rng = random.Random(label)
        for index, person in enumerate(people):
            if person in victims or index % 5 == 4:
                continue
            pool = [p for p in everyone if p != person and p not in victims]
            answer(wave, person, rng.sample(pool, 6), value=rng.randint(1, 4), level=3)
        for who, victim, value, self_value in (("A", victims[0], 1, 1), ("B", victims[1], 4, 5)):
            markers |= _respond(wave, victim, partners, value, self_value, label, who)
        if days is not None:
            closing.wave_close(wave=wave, at=timezone.now() - timedelta(days=days))
        waves[label] = wave
    draft = people[13]
    markers |= _respond(waves["open"], draft, partners[:2], 2, 2, "open", "D")
    # A service path whose first transition runs between the victims' organization and the
    # first one: its pages, PDF, JSON and API read the pair's published figures (issue 21).
    service_path(network)
    Response.objects.filter(wave=waves["open"], respondent=draft).update(submitted_at=None)
    return Hostile(world, victims, waves, theme, theme_coordinator, markers)


# --- the two worlds ------------------------------------------------------------------------------


def _swap(wave, first, second):
    """Swap two respondents' ratings, self items and open answers: every group figure stays."""
    one = Response.objects.get(wave=wave, respondent=first)
    two = Response.objects.get(wave=wave, respondent=second)
    for answer_one in PartnerAnswer.objects.filter(response=one):
        answer_two = PartnerAnswer.objects.get(response=two, partner_id=answer_one.partner_id)
        values = [{f: getattr(a, f) for f in DYADIC} for a in (answer_one, answer_two)]
        PartnerAnswer.objects.filter(pk=answer_one.pk).update(**values[1])
        PartnerAnswer.objects.filter(pk=answer_two.pk).update(**values[0])
    values = [{f: getattr(r, f) for f in SELF} for r in (one, two)]
    Response.objects.filter(pk=one.pk).update(**values[1])
    Response.objects.filter(pk=two.pk).update(**values[0])
    for kind in OPEN_KINDS:
        texts = [OpenAnswer.objects.get(response=r, kind=kind).text for r in (one, two)]
        OpenAnswer.objects.filter(response=one, kind=kind).update(text=texts[1])
        OpenAnswer.objects.filter(response=two, kind=kind).update(text=texts[0])


def _rewrite_open_wave(h):
    """What a respondent wrote in a wave still open: all different, texts included."""
    response = Response.objects.get(wave=h.waves["open"], respondent=h.victims[0])
    PartnerAnswer.objects.filter(response=response).update(**dict.fromkeys(DYADIC, 3), level=4)
    Response.objects.filter(pk=response.pk).update(**dict.fromkeys(SELF, 3))
    for kind, short in (("works", "W2"), ("improve", "I2"), ("barriers", "B2")):
        text = marker("open", "A", short)
        h.markers.add(text)
        OpenAnswer.objects.filter(response=response, kind=kind).update(text=text)


def _world_b(h):
    for label in ("before", "closed"):
        _swap(h.waves[label], *h.victims)
    _rewrite_open_wave(h)


# --- what the attacker can reach ----------------------------------------------------------------


def _named_patterns():
    from tests.test_access_matrix import _named_patterns as names

    return sorted(names())


TOKEN_ROUTES = {
    "survey_start": [],
    "survey_roster": [],
    "survey_partner": [1],
    "survey_self": [],
    "survey_open": [],
    "survey_review": [],
    "survey_thanks": [],
}


def _variants(kwargs: dict, h) -> list[dict]:
    """The rule's arguments, and the same with each planted wave and each victim put in."""
    out = [kwargs]
    if "wave_id" in kwargs:
        planted = [{**kwargs, "wave_id": wave.pk} for wave in h.waves.values()]
        # The rule's own wave matters only where another argument belongs to it.
        out = planted if set(kwargs) <= {"slug", "wave_id", "name", "fmt"} else out + planted
    if "person_id" in kwargs:
        out += [{**kwargs, "person_id": victim.pk} for victim in h.victims]
    if set(kwargs) == {"slug"}:
        out.append({"slug": h.theme.slug})
    return out


SKIPPED: list[str] = []
# Rules that cannot run after all the others in one shared world, and why. A route listed here
# is not swept; anything else that cannot run fails the test, so the list stays honest.
SHARED_WORLD_CONFLICTS = {
    "person_change_decline": "a fourth waiting proposal to one person is refused (at most three)",
}


def _tie_in_place(world) -> None:
    """A rule that removes the world's tie (to have a removal to restore) leaves the next rule
    without one: each rule gets a tie of its own then."""
    if world.tie.pk is None or not Tie.objects.filter(pk=world.tie.pk).exists():
        pair = [PersonFactory(organization=world.organization) for _ in range(2)]
        for person in pair:
            MembershipFactory(person=person, network=world.network)
        world.tie = TieFactory(network=world.network, source=pair[0], target=pair[1])


def _arguments(make, h, name):
    """A rule's arguments. Rules were written for a world of their own; the rare one that
    cannot run after the others here is listed, and the test says which."""
    _tie_in_place(h.world)
    try:
        with transaction.atomic():
            return make(h.world)
    except Exception as error:  # reported by the test (SKIPPED), not hidden
        SKIPPED.append(f"{name}: {error!r}")
        return None


def _page_requests(h) -> list[tuple]:
    """(method, url, data) for every named route; arguments resolved once for both worlds."""
    requests = []
    for name in _named_patterns():
        if name in RULES["PAGES"]:
            method, kwargs, _expected, data = RULES["PAGES"][name]
            arguments = _arguments(kwargs, h, name)
            for variant in _variants(arguments, h) if arguments is not None else []:
                try:
                    url = reverse(name, kwargs=variant)
                except NoReverseMatch:
                    continue
                requests.append((method, url, data(h.world) if callable(data) else data))
        elif name not in TOKEN_ROUTES:
            # A public route guarded by its own token does not reverse: the attacker has none.
            with contextlib.suppress(NoReverseMatch):
                requests.append(("get", reverse(name), None))
    return requests


def _template_regex(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$")


def _api_requests(h) -> list[tuple]:
    requests = []
    schema = api.get_openapi_schema()
    for template, methods in schema["paths"].items():
        template = template.removeprefix("/api/v1")
        for method, operation in methods.items():
            rule = RULES["API"][operation["operationId"]]
            path = _arguments(rule[1], h, operation["operationId"])
            body = _arguments(rule[2], h, operation["operationId"]) if rule[2] else None
            if path is None:
                continue
            match = _template_regex(template).match(path)
            params = match.groupdict() if match else {}
            paths = [path] if match is None else []
            for variant in _variants(params, h) if match else []:
                paths.append(template.format(**{k: str(v) for k, v in variant.items()}))
            requests += [(method, "/api/v1" + p, body) for p in dict.fromkeys(paths)]
    return requests


def _admin_requests() -> list[tuple]:
    """The admin index, and every registered model's list, add, change and history screens."""
    requests = [("get", reverse("admin:index"), None)]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        requests += [("get", reverse(f"{prefix}_{view}"), None) for view in ("changelist", "add")]
        for pk in model._default_manager.values_list("pk", flat=True)[:5]:
            requests += [
                ("get", reverse(f"{prefix}_{view}", args=[pk]), None)
                for view in ("change", "history")
            ]
    return requests


# --- reading what came back ---------------------------------------------------------------------


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind and shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True)
        if done.returncode == 0:  # else not a real PDF (a stored job's stand-in): raw below
            return done.stdout.decode()
    if content[:2] == b"PK":
        return _zip_text(content)
    return content.decode("utf-8", "replace")


def _zip_text(content: bytes) -> str:
    """A workbook's cells, or any other archive's files, as text."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True)
    except Exception:  # not a workbook: read the archive file by file
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return "\n".join(
        "\t".join("" if value is None else str(value) for value in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


VOLATILE = [  # what differs between two identical requests a minute apart
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1"),
    (re.compile(r'(nonce=")[^"]+'), r"\1"),
    (re.compile(r'("X-CSRFToken": ")[^"]+'), r"\1"),
    (re.compile(r'(data-csrf=")[^"]+'), r"\1"),  # the live pages hand their scripts the token
    # ISO moments, also as a CSV writes them with a space (a person's download of their audit)
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?"), "TIME"),
    (re.compile(r'(id="|#)[mp][0-9a-f]{10}\b'), r"\1SVGID"),  # matplotlib's random element ids
    (re.compile(r"\b\d\d?[:.]\d\d([:.]\d\d)?\b(?![.,]\d)"), "CLOCK"),  # 18:49, 18.49.53
    (re.compile(r'<line [^>]*class="clock-today"[^>]*>'), "TODAY"),  # the annual clock's hand
    # Reads are audited; PostgreSQL does not give a rolled-back event's id again.
    (re.compile(r"/auditevent/\d+/"), "/auditevent/ID/"),
]


def _normal(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _write(client, method, url, data):
    if url.startswith("/api/"):
        body = {"content_type": "application/json", "data": data} if data is not None else {}
        return getattr(client, method)(url, **body)
    return client.post(url, data or {}, follow=True)


def _sweep(client, user, requests, tokens, writes=True) -> dict[str, str]:
    """Every request once, each write rolled back; what each answer showed, as text."""
    seen = {}
    client.cookies.pop("messages", None)  # the attack's own notices, shown once
    client.force_login(user)
    for method, url, data in requests:
        if method == "get":
            seen[f"GET {url}"] = _text(client.get(url))
            continue
        if not writes:
            continue
        with transaction.atomic():
            seen[f"{method.upper()} {url}"] = _text(_write(client, method, url, data))
            transaction.set_rollback(True)
        client.force_login(user)  # a write may have ended the session (a password change)
    for token in tokens:
        for name, args in TOKEN_ROUTES.items():
            url = reverse(name, args=[token, *args])
            seen[f"GET {url}"] = _text(client.get(url, follow=True))
        seen[f"GET /api/v1/survey/{token}"] = _text(client.get(f"/api/v1/survey/{token}"))
    return seen


def _first_differences(world_a: dict, world_b: dict, differ: list[str]) -> str:
    lines = []
    for where in differ:
        before, after = _normal(world_a[where]).splitlines(), _normal(world_b[where]).splitlines()
        for one, two in zip([*before, ""], [*after, ""], strict=False):
            if one != two:
                lines.append(f"{where}\n  - {one.strip()[:200]}\n  + {two.strip()[:200]}")
                break
    return "\n".join(lines)


# --- the attack on the link, then the sweep -----------------------------------------------------


def _mailed_to(address) -> list[str]:
    return [
        link
        for message in mail.outbox
        if address in message.to
        for link in re.findall(r"https?://\S+", message.body)
    ]


def _redirect_the_link(client, h, user, capture) -> list[str]:
    """The issue's attack: the victim's address becomes the attacker's; invitations and
    reminders go again; whatever arrives at the attacker's inbox is confirmed and opened.
    Returns the survey tokens that reached the attacker (there may be a fresh one, which
    must read nothing back)."""
    victim, wave = h.victims[0], h.waves["open"]
    client.force_login(user)
    for slug in ("core", h.theme.slug):
        with capture(execute=True):
            client.patch(
                f"/api/v1/people/{victim.pk}",
                {"network": slug, "email": ATTACKER},
                content_type="application/json",
            )
            client.post(reverse("coordination:contacts_ask", kwargs={"slug": slug}))
    for link in _mailed_to(ATTACKER):
        path = link.split("://", 1)[1].split("/", 1)[1]
        if path.startswith("confirm/"):
            with capture(execute=True):
                client.post("/" + path, {"name": victim.name, "email": ATTACKER})
    client.force_login(user)
    with capture(execute=True):
        for only_unanswered in ("0", "1"):
            client.post(
                reverse("surveys:wave_invite", kwargs={"slug": "core", "wave_id": wave.pk}),
                {"only_unanswered": only_unanswered},
            )
        domain.reminders_due(now=wave.closes_at - timedelta(hours=12))
    return sorted(
        {
            match.group(1)
            for link in _mailed_to(ATTACKER)
            if (match := re.search(r"/s/([^/\s]+)/", link))
        }
    )


def _user(h, role):
    world = h.world
    if role == "theme_coordinator":
        return h.theme_coordinator
    if role == "superuser":
        world.coordinator.is_superuser = world.coordinator.is_staff = True
        world.coordinator.save()
    return world.member if role == "member" else world.coordinator


class PdfSource:
    """WeasyPrint's HTML, standing in for it: the "PDF" is the HTML it would typeset, so its
    text is read in a fraction of the time. (A real PDF's text is read with pdftotext in
    ``tests/evaluation/test_privacy.py``.)"""

    def __init__(self, string="", **_kwargs):
        self.string = string

    def write_pdf(self, *_args, **_kwargs) -> bytes:
        return b"%PDF-stand-in\n" + self.string.encode()


@pytest.fixture(autouse=True)
def _pdf_source(monkeypatch):
    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", PdfSource)


@pytest.mark.parametrize("role", ["superuser", "theme_coordinator", "member"])
def test_a_hostile_user_with_every_page_and_operation_obtains_no_answer(
    client, hostile, role, caplog, django_capture_on_commit_callbacks
):
    h = hostile
    caplog.set_level(logging.DEBUG)
    user = _user(h, role)
    mail.outbox.clear()
    tokens = (
        []
        if role == "member"
        else _redirect_the_link(client, h, user, django_capture_on_commit_callbacks)
    )
    SKIPPED.clear()
    if role == "superuser":
        # The attack is real: a fresh link reached the attacker's inbox (it must read nothing).
        assert len(tokens) == 1
    requests = _page_requests(h) + _api_requests(h)
    if role == "superuser":
        requests += _admin_requests()
    # Reads first, then the writes: the second world repeats the reads alone.
    requests.sort(key=lambda request: request[0] != "get")
    closing.waves_refigure(force=True)  # both worlds' figures are computed the same way
    with transaction.atomic():
        world_a = _sweep(client, user, requests, tokens)
        transaction.set_rollback(True)
    with transaction.atomic():
        _world_b(h)
        closing.waves_refigure(force=True)
        world_b = _sweep(client, user, requests, tokens, writes=False)
        transaction.set_rollback(True)

    texts = [*world_a.items(), *world_b.items()]
    texts += [(f"mail to {m.to}", f"{m.subject}\n{m.body}") for m in mail.outbox]
    texts += [("log", record.getMessage() + repr(record.__dict__)) for record in caplog.records]
    leaks = sorted({(where, m) for where, text in texts for m in h.markers if m in text})
    assert leaks == []
    differ = [
        where
        for where in world_a
        if where.startswith("GET ") and _normal(world_a[where]) != _normal(world_b[where])
    ]
    assert differ == [], _first_differences(world_a, world_b, differ)
    # Not a vacuous sweep: the closed wave's figures were there to be seen.
    results = json.loads(world_a[f"GET /api/v1/waves/{h.waves['closed'].pk}/results"])
    assert results["figures"]["network"]["counts"]["knowing"] >= K
    assert {entry.split(": ")[0] for entry in SKIPPED} <= set(SHARED_WORLD_CONFLICTS), SKIPPED
