"""Closing a wave runs in the background worker: on a large network computing the snapshot
(scores, the structure of the network, the ties) takes longer than a request should."""

from __future__ import annotations

from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.jobs import JobRefused, job_register

from . import closing
from .models import Wave

WAVE_CLOSE = "surveys.wave_close"
INVITATIONS_SEND = "surveys.invitations_send"


def wave_close_run(job, progress) -> dict:
    wave = Wave.objects.filter(pk=job.arguments.get("wave"), network_id=job.network_id).first()
    if wave is None:
        raise JobRefused(_("This wave no longer exists."))
    progress("close", 0, 1)
    wave = closing.wave_close(wave=wave)
    audit_record(user=job.user, action="survey_wave_close", obj=wave)
    return {"wave": wave.pk}


def invitations_send_run(job, progress) -> dict:
    """The same sending as the page's, for a wave too large to queue inside a request."""
    from .domain import wave_invitations_send

    wave = Wave.objects.filter(pk=job.arguments.get("wave"), network_id=job.network_id).first()
    if wave is None:
        raise JobRefused(_("This wave no longer exists."))
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
