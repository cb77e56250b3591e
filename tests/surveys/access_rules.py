"""Who may open each route of the relationship survey (see tests/access.py)."""

from datetime import timedelta

from django.utils import timezone

from suhde.surveys import closing, domain, queries
from suhde.surveys.models import OpenAnswer, Response, Wave
from tests.access import API_CREATE, API_MANAGE, API_VIEW, MANAGE, MANAGE_POST, VIEW


def _wave(network, closed=False):
    wave = domain.wave_create(
        network=network, user=None, title="W", closes_at=timezone.now() + timedelta(days=3), k=3
    )
    if closed:
        response = Response.objects.create(
            wave=wave, respondent=wave.invitations.first().person, submitted_at=timezone.now()
        )
        OpenAnswer.objects.create(response=response, kind="works", text="Good.")
        closing.wave_close(wave=wave)
    return wave


def _open(w):
    return {"slug": "core", "wave_id": _wave(w.network).pk}


def _closed(w):
    return {"slug": "core", "wave_id": _wave(w.network, closed=True).pk}


def _answer(w):
    wave = _wave(w.network, closed=True)
    return {
        "slug": "core",
        "wave_id": wave.pk,
        "ref": queries.open_answer_ref(wave.pk, OpenAnswer.objects.get(response__wave=wave).pk),
    }


def _token(w):
    wave = _wave(w.network)
    return domain.survey_link_create(invitation=wave.invitations.first())


PAGES = {
    "surveys:waves": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "surveys:wave_create": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "surveys:wave": ("get", _open, VIEW, None),
    "surveys:wave_preview": ("get", _open, MANAGE, None),
    "surveys:wave_invite": ("post", _open, MANAGE_POST, {}),
    "surveys:wave_close": ("post", _open, MANAGE_POST, {}),
    "surveys:results": ("get", _closed, VIEW, None),
    "surveys:open_answer_hide": ("post", _answer, MANAGE_POST, {"hidden": "1"}),
}
PUBLIC = {
    name: "the respondent's personal link: the token is the key (tests/surveys/test_answering.py)"
    for name in (
        "survey_start",
        "survey_roster",
        "survey_partner",
        "survey_self",
        "survey_open",
        "survey_review",
        "survey_thanks",
    )
}


def _other_wave(w):
    return _wave(w.other).pk


OBJECT_ROUTES = {
    "surveys:wave": ("wave_id", _other_wave),
    "surveys:wave_preview": ("wave_id", _other_wave),
    "surveys:wave_invite": ("wave_id", _other_wave),
    "surveys:wave_close": ("wave_id", _other_wave),
    "surveys:results": ("wave_id", lambda w: _wave(w.other, closed=True).pk),
}

TOKEN = {"anonymous": 200, "outsider": 200, "member": 200, "coordinator": 200}
API = {
    "wave_list": ("get", lambda w: "/networks/core/waves", None, API_VIEW),
    "wave_create": (
        "post",
        lambda w: "/networks/core/waves",
        lambda w: {
            "title": "W",
            "closes_at": (timezone.now() + timedelta(days=2)).isoformat(),
            "k": 5,
        },
        API_CREATE,
    ),
    "wave_invitations_send": (
        "post",
        lambda w: f"/waves/{_wave(w.network).pk}/invitations",
        lambda w: {"only_unanswered": False},
        API_MANAGE,
    ),
    "wave_close": ("post", lambda w: f"/waves/{_wave(w.network).pk}/close", None, API_MANAGE),
    "wave_results": (
        "get",
        lambda w: f"/waves/{_wave(w.network, closed=True).pk}/results",
        None,
        API_VIEW,
    ),
    "survey_get": ("get", lambda w: f"/survey/{_token(w)}", None, TOKEN),
    "survey_put": ("put", lambda w: f"/survey/{_token(w)}", lambda w: {"submit": False}, TOKEN),
}

__all__ = ["Wave"]
