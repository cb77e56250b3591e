"""The background worker: django-tasks' database backend, periodic jobs, jobs with progress."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from suhde.common import jobs, schedule
from suhde.common.jobs import JobRefused, job_register, job_start, job_status, progress_read
from suhde.common.mail import mail_queue, outbox_task
from suhde.common.models import Job, OutboxMessage, ScheduledRun

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE


def _queue_one():
    return mail_queue(
        kind="invitation",
        to="a@example.org",
        subject="Hello",
        template="networks/email/invitation.txt",
        context={"invitation": {"network": {"name": "Core"}}, "url": "/u", "days": 1},
    )


# The worker closes old connections between tasks, as a long-running process must; inside a
# test's transaction (the `db` fixture) that closes the test's own connection on PostgreSQL, so
# tests that run the worker use `transactional_db`.


def test_the_worker_sends_the_outbox_from_the_database_queue(transactional_db, database_tasks):
    _queue_one()
    result = outbox_task.enqueue()
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    assert mail.outbox == []  # enqueued, not run
    call_command("worker", "--batch", "--no-clock")
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT
    assert len(mail.outbox) == 1


def test_queued_mail_asks_for_one_delivery_run_per_transaction(
    db, database_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            _queue_one()
    assert DBTaskResult.objects.filter(task_path__endswith="outbox_task").count() == 1


def test_a_periodic_job_starts_once_per_interval_whatever_the_workers(db, database_tasks):
    now = timezone.now()
    first = schedule.schedule_tick(now=now)
    assert "outbox" in first and "survey-reminders" in first
    assert schedule.schedule_tick(now=now + timedelta(seconds=10)) == []  # a second worker
    assert schedule.schedule_tick(now=now + timedelta(seconds=31)) == ["outbox"]
    assert ScheduledRun.objects.get(name="outbox").last_run_at == now + timedelta(seconds=31)
    queued = DBTaskResult.objects.filter(task_path__endswith="periodic_task")
    assert queued.count() == len(first) + 1


def test_the_worker_runs_periodic_jobs_in_batch_mode(transactional_db, database_tasks):
    _queue_one()
    call_command("worker", "--batch")
    assert len(mail.outbox) == 1


def _counting(job, progress):
    for i in range(job.arguments["count"]):
        progress("count", i, job.arguments["count"])
    if job.arguments.get("refuse"):
        raise JobRefused("No, thank you.")
    if job.arguments.get("crash"):
        raise RuntimeError("secret detail")
    job.output, job.output_name, job.output_type = b"x", "x.txt", "text/plain"
    return {"counted": job.arguments["count"]}


@pytest.fixture
def counting_jobs():
    job_register(
        "test.count",
        _counting,
        labels=lambda: {"count": "Counting…"},
        result_template="common/_mail_counts.html",
    )
    yield
    jobs.JOB_KINDS.pop("test.count")


def test_a_job_runs_in_the_worker_and_reports_its_result(
    transactional_db, database_tasks, counting_jobs, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="test.count", network_id=world.network.pk, user=world.coordinator,
            arguments={"count": 3},
        )  # fmt: skip
    job.refresh_from_db()
    assert (job.state, job_status(job)["label"]) == ("queued", "Waiting for its turn…")
    call_command("worker", "--batch", "--no-clock")
    job.refresh_from_db()
    assert (job.state, job.result, job.error) == ("done", {"counted": 3}, "")
    assert (bytes(job.output), job.output_name) == (b"x", "x.txt")
    assert job_status(job)["percent"] == 100
    assert progress_read(job.pk) is None  # the progress file is gone with the run


def test_a_refused_job_says_why_and_a_crash_says_nothing_inside(db, counting_jobs, world):
    refused = job_start(
        kind="test.count", network_id=None, user=None, arguments={"count": 1, "refuse": True}
    )
    crashed = job_start(
        kind="test.count", network_id=None, user=None, arguments={"count": 1, "crash": True}
    )
    jobs.job_execute(job_id=refused.pk)
    jobs.job_execute(job_id=crashed.pk)
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.state, refused.error) == ("failed", "No, thank you.")
    assert crashed.state == "failed"
    assert "secret" not in crashed.error


def test_a_job_runs_once_even_when_two_workers_take_it(db, counting_jobs):
    job = job_start(kind="test.count", network_id=None, user=None, arguments={"count": 1})
    jobs.job_execute(job_id=job.pk)
    Job.objects.filter(pk=job.pk).update(result={"counted": 99})
    jobs.job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.result == {"counted": 99}


def test_progress_is_seen_while_the_job_runs(db, counting_jobs):
    job = job_start(kind="test.count", network_id=None, user=None, arguments={"count": 1})
    Job.objects.filter(pk=job.pk).update(state="running")
    jobs.progress_write(job.pk, "count", 25, 100)
    job.refresh_from_db()
    assert job_status(job) | {"result_template": ""} == {
        "label": "Counting…",
        "percent": 25,
        "done": 25,
        "total": 100,
        "finished": False,
        "result_template": "",
    }


def test_only_the_starter_sees_a_job_page(client, world, counting_jobs):
    job = job_start(
        kind="test.count", network_id=world.network.pk, user=world.member, arguments={"count": 1}
    )
    client.force_login(world.coordinator)
    assert client.get(f"/n/core/jobs/{job.pk}/").status_code == 404
    client.force_login(world.member)
    page = client.get(f"/n/core/jobs/{job.pk}/")
    assert page.status_code == 200
    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert client.get(f"/n/elsewhere/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/n/core/jobs/{job.pk}/file/").status_code == 404  # not done yet
