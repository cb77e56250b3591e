"""Closing a wave runs in the background worker: on a large network computing the snapshot
(scores, the structure of the network, the ties) takes longer than a request should."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.jobs import JobRefused, Progress, job_register
from suhde.common.models import Job
from suhde.networks import access
from suhde.networks.access import Need

from . import closing, queries
from .models import Wave

WAVE_CLOSE = "surveys.wave_close"
INVITATIONS_SEND = "surveys.invitations_send"


def _job_wave(job: Job) -> Wave:
    """The job's wave, through the gate again: the starter may have lost the coordinator's role
    (or the wave may be gone) since they pressed the button."""
    network, _role = access.job_network(job, Need.MANAGE)
    try:
        return queries.wave_in(network, job.arguments.get("wave"))
    except Http404:
        raise JobRefused(_("This wave no longer exists.")) from None


def wave_close_run(job: Job, progress: Progress) -> dict[str, int]:
    wave = _job_wave(job)
    progress("close", 0, 1)
    wave = closing.wave_close(wave=wave)
    audit_record(user=job.user, action="survey_wave_close", obj=wave)
    return {"wave": wave.pk}


def invitations_send_run(job: Job, progress: Progress) -> dict[str, int]:
    """The same sending as the page's, for a wave too large to queue inside a request."""
    from .domain import wave_invitations_send

    wave = _job_wave(job)
    progress("send", 0, 1)
    sending = wave_invitations_send(
        wave=wave,
        only_unanswered=bool(job.arguments.get("only_unanswered")),
        language=job.arguments.get("language") or "fi",
    )
    audit_record(user=job.user, action="survey_invitations_send", obj=wave)
    return {"wave": wave.pk, "sent": sending.sent, "waiting": sending.waiting}


def jobs_register() -> None:
    job_register(
        INVITATIONS_SEND,
        invitations_send_run,
        labels=lambda: {"send": _("Writing the emails…")},
        result_template="surveys/_invitations_sent.html",
    )
    job_register(
        WAVE_CLOSE,
        wave_close_run,
        labels=lambda: {"close": _("Closing the wave and computing its results…")},
        result_template="surveys/_wave_closed.html",
    )
