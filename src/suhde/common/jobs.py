"""Long work off the request: background jobs with progress that a page can show.

An app registers a runner for a kind of job (``job_register``) in its ``AppConfig.ready()``;
a view starts one with ``job_start`` (inside the request's transaction: the job is enqueued only
if the request's writes commit) and sends the user to the job's page, which polls its progress.
The runner runs in ``suhde worker`` and reports progress through a callback.

Progress lives outside the database while a job runs, because most long jobs write in one
transaction (an import happens whole or not at all): a row updated inside that transaction would
not be seen by the page until the end, and on SQLite could not even be written. With Redis the
progress goes to the shared cache; without it to a small file in the data folder, which every
process on the one machine sees.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Job
from .users import saved_user

log = logging.getLogger("suhde.jobs")

Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 0.3  # seconds between two progress writes


class JobRefused(Exception):
    """The job cannot be done as asked; ``message`` (translated) is shown to the user."""

    def __init__(self, message: str, details: list | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


@dataclass
class JobKind:
    runner: Callable[..., dict]  # (job, progress) -> result, JSON-serializable
    labels: Callable[[], dict[str, str]]  # stage -> what the page says while it runs
    result_template: str  # the fragment shown when it is done


JOB_KINDS: dict[str, JobKind] = {}


def job_register(
    kind: str,
    runner: Callable[[Job, Progress], dict[str, Any]],
    *,
    labels: Callable[[], dict[str, str]],
    result_template: str,
) -> None:
    JOB_KINDS[kind] = JobKind(runner, labels, result_template)


def job_start(
    *,
    kind: str,
    network_id: int | None,
    user: User | AnonymousUser | None,
    arguments: dict[str, object],
) -> Job:
    """Create a job and hand it to the worker once the surrounding transaction commits."""
    if kind not in JOB_KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    arguments = {"language": translation.get_language() or settings.LANGUAGE_CODE, **arguments}
    job = Job.objects.create(
        kind=kind,
        network_id=network_id,
        user=saved_user(user),
        arguments=arguments,
    )
    transaction.on_commit(lambda: job_task.enqueue(job.pk))
    log.info("job queued", extra={"job": job.pk, "kind": kind})
    return job


@task()
def job_task(job_id: int) -> None:
    job_execute(job_id=job_id)


def job_execute(*, job_id: int) -> None:
    """Run one queued job to its end; a job already taken by another worker is left alone."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    kind = JOB_KINDS.get(job.kind)
    started = time.monotonic()
    with translation.override(job.arguments.get("language") or settings.LANGUAGE_CODE):
        try:
            if kind is None:
                raise RuntimeError(f"no runner for {job.kind}")
            result = kind.runner(job, _progress_writer(job.pk))
        except (JobRefused, ValidationError) as refused:
            details = getattr(refused, "details", None)
            _finish(job, Job.State.FAILED, error=_refusal(refused), result={"problems": details}
                    if details else None)  # fmt: skip
        except Exception:
            log.exception("job failed", extra={"job": job.pk, "kind": job.kind})
            _finish(job, Job.State.FAILED, error=_("Something went wrong; nothing was changed."))
        else:
            _finish(job, Job.State.DONE, result=result or {})
    log.info(
        "job finished",
        extra={
            "job": job.pk,
            "kind": job.kind,
            "state": job.state,
            "duration_ms": round((time.monotonic() - started) * 1000),
        },
    )
    progress_forget(job.pk)


def job_output(job: Job, *, data: bytes, name: str, content_type: str) -> None:
    """Keep the file a runner made (a PDF report): the job's page offers it for download."""
    job.output, job.output_name, job.output_type = data, name[:200], content_type[:100]


def _refusal(refused: Exception) -> str:
    if isinstance(refused, JobRefused):
        return refused.message
    return " ".join(refused.messages)  # type: ignore[attr-defined]


def _finish(job: Job, state: str, *, result: dict | None = None, error: str = "") -> None:
    job.state, job.result, job.error = state, result or {}, error
    job.finished_at = timezone.now()
    fields = ["state", "result", "error", "finished_at", "output", "output_name", "output_type"]
    job.save(update_fields=fields)


# --- progress --------------------------------------------------------------------------------


def _progress_file(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / "jobs" / f"{int(job_id)}.json"


def _progress_key(job_id: int) -> str:
    return f"suhde:job-progress:{int(job_id)}"


def progress_write(job_id: int, stage: str, done: int, total: int) -> None:
    data = {"stage": stage, "done": max(0, int(done)), "total": max(0, int(total))}
    if settings.REDIS_URL:
        cache.set(_progress_key(job_id), data, 24 * 3600)
        return
    path = _progress_file(job_id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(data, out)
    os.replace(partial, path)  # a reader sees the old or the new state, never half of one


def progress_read(job_id: int) -> dict | None:
    if settings.REDIS_URL:
        return cache.get(_progress_key(job_id))
    try:
        return json.loads(_progress_file(job_id).read_text())
    except (OSError, ValueError):
        return None


def progress_forget(job_id: int) -> None:
    if settings.REDIS_URL:
        cache.delete(_progress_key(job_id))
        return
    _progress_file(job_id).unlink(missing_ok=True)


def _progress_writer(job_id: int) -> Progress:
    """A progress callback that writes at most every PROGRESS_EVERY s, and at each new stage."""
    last_at, last_stage = 0.0, ""

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal last_at, last_stage
        now = time.monotonic()
        if stage == last_stage and now - last_at < PROGRESS_EVERY and done < total:
            return
        last_at, last_stage = now, stage
        progress_write(job_id, stage, done, total)

    return progress


def job_status(job: Job) -> dict:
    """What the job's page shows: the stage's label, how far, and whether it has finished."""
    kind = JOB_KINDS.get(job.kind)
    live = progress_read(job.pk) if job.state == Job.State.RUNNING else None
    stage, done, total = (live["stage"], live["done"], live["total"]) if live else ("", 0, 0)
    percent = 100 if job.state == Job.State.DONE else (min(99, done * 100 // total) if total else 0)
    labels = kind.labels() if kind else {}
    label = labels.get(stage) or (
        _("Waiting for its turn…") if job.state == Job.State.QUEUED else _("Working…")
    )
    return {
        "label": label,
        "percent": percent,
        "done": done,
        "total": total,
        "finished": job.finished,
        "result_template": kind.result_template if kind else "",
    }


def job_in(*, network_id: int, user: Any, job_id: int) -> Job:
    """A job of this network started by this user (its output unread): nobody else's progress
    or file, 404 otherwise."""
    return get_object_or_404(
        Job.objects.defer("output"), network_id=network_id, user=user, pk=job_id
    )


def job_file_response(job: Job) -> HttpResponse:
    """The file a finished job made, as a download; 404 before it is done (page and API)."""
    if job.state != Job.State.DONE or not job.output_name:
        raise Http404("file")
    body = Job.objects.values_list("output", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(body or b""), content_type=job.output_type)
    response["Content-Disposition"] = f'attachment; filename="{job.output_name}"'
    return response


def jobs_purge(*, now: datetime | None = None) -> int:
    """Forget finished jobs (and the files they made) after a day."""
    cutoff = (now or timezone.now()) - timedelta(days=1)
    deleted, _rows = Job.objects.filter(created_at__lt=cutoff).delete()
    return deleted
