"""Closing a wave runs in the background worker: on a large network computing the snapshot
(scores, the structure of the network, the ties) takes longer than a request should."""

from __future__ import annotations

from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.jobs import JobRefused, job_register

from . import closing
from .models import Wave

WAVE_CLOSE = "surveys.wave_close"


def wave_close_run(job, progress) -> dict:
    wave = Wave.objects.filter(pk=job.arguments.get("wave"), network_id=job.network_id).first()
    if wave is None:
        raise JobRefused(_("This wave no longer exists."))
    progress("close", 0, 1)
    wave = closing.wave_close(wave=wave)
    audit_record(user=job.user, action="survey_wave_close", obj=wave)
    return {"wave": wave.pk}


def jobs_register() -> None:
    job_register(
        WAVE_CLOSE,
        wave_close_run,
        labels=lambda: {"close": _("Closing the wave and computing its results…")},
        result_template="surveys/_wave_closed.html",
    )
