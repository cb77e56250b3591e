"""Who may open each route of the dashboard (see tests/access.py)."""

from datetime import timedelta

from django.utils import timezone

from suhde.evaluation import queries
from suhde.surveys import closing, domain
from suhde.surveys.models import Response
from tests.access import API_MANAGE, API_VIEW, MANAGE_POST, VIEW


def _closed_wave(network):
    """A closed wave whose one respondent names a partner: it has a suggestion to act on."""
    wave = domain.wave_create(
        network=network, user=None, title="W", closes_at=timezone.now() + timedelta(days=3), k=3
    )
    invitations = list(wave.invitations.select_related("person")[:2])
    response = Response.objects.create(
        wave=wave, respondent=invitations[0].person, submitted_at=timezone.now()
    )
    if len(invitations) > 1:
        response.partners.create(partner=invitations[1].person, level=3)
    return closing.wave_close(wave=wave)


def _key(wave):
    return queries.suggestions_of(wave)[0]["key"]


def _wave(w):
    return {"slug": "core", "wave_id": _closed_wave(w.network).pk}


def _chart(w):
    return {**_wave(w), "name": "indices", "fmt": "svg"}


def _suggestion(w):
    wave = _closed_wave(w.network)
    return {"slug": "core", "wave_id": wave.pk, "key": _key(wave)}


def _compare_chart(w):
    before = _closed_wave(w.network)
    after = _closed_wave(w.network)
    return {
        "slug": "core",
        "wave_id": after.pk,
        "before_id": before.pk,
        "name": "ties",
        "fmt": "svg",
    }


PAGES = {
    "evaluation:latest": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "evaluation:dashboard": ("get", _wave, VIEW, None),
    "evaluation:chart": ("get", _chart, VIEW, None),
    "evaluation:xlsx": ("get", _wave, VIEW, None),
    "evaluation:pdf": ("get", _wave, VIEW, None),
    "evaluation:suggestion": ("post", _suggestion, MANAGE_POST, {"status": "accepted"}),
    "evaluation:compare": ("get", _wave, VIEW, None),
    "evaluation:compare_chart": ("get", _compare_chart, VIEW, None),
}


def _other(w):
    return _closed_wave(w.other).pk


OBJECT_ROUTES = {
    "evaluation:dashboard": ("wave_id", _other),
    "evaluation:xlsx": ("wave_id", _other),
    "evaluation:pdf": ("wave_id", _other),
    "evaluation:compare": ("wave_id", _other),
}


def _api_suggestion(w):
    wave = _closed_wave(w.network)
    return f"/waves/{wave.pk}/suggestions/{_key(wave)}"


def _api_compare(w):
    before = _closed_wave(w.network)
    return f"/waves/{_closed_wave(w.network).pk}/compare?before={before.pk}"


API = {
    "wave_dashboard": (
        "get",
        lambda w: f"/waves/{_closed_wave(w.network).pk}/dashboard",
        None,
        API_VIEW,
    ),
    "wave_compare": ("get", _api_compare, None, API_VIEW),
    # The worker makes the report: the answer is a job (202), whose file is the PDF.
    "wave_report_pdf": (
        "post",
        lambda w: f"/waves/{_closed_wave(w.network).pk}/report.pdf",
        None,
        API_VIEW | {"member": 202, "coordinator": 202},
    ),
    "suggestion_list": (
        "get",
        lambda w: f"/waves/{_closed_wave(w.network).pk}/suggestions",
        None,
        API_VIEW,
    ),
    "suggestion_update": ("put", _api_suggestion, lambda w: {"status": "accepted"}, API_MANAGE),
}
