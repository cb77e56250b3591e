import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExactJSONEncoder(DjangoJSONEncoder):
    """Keeps times to the microsecond (Django's encoder cuts them to milliseconds), so a row
    restored from a removal's snapshot is the row that was removed."""

    def default(self, o: object) -> object:
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class AuditEvent(models.Model):
    """An append-only record of who did what (promise 26). Never holds answers or secrets."""

    class Outcome(models.TextChoices):
        OK = "ok", _("succeeded")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    # Set by audit_record before the hash is taken (auto_now_add would change it after).
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    address = models.CharField(_("address"), max_length=64, blank=True)
    # What the action changed from, where the record must tell it: an email address's old value.
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    # The network the entry concerns, where it is known (its coordinators see the entry on the
    # network's audit page). An id and not a key: common is below networks (docs/architecture.md).
    network_id = models.BigIntegerField(_("network"), null=True, blank=True, editable=False)
    # The chain (common/audit.py): each entry carries the hash of the one before and its own, so
    # an entry changed, removed or put in between in the database breaks `suhde audit verify`.
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["network_id", "-id"], name="audit_network_newest")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:  # as Model.save
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:  # as Model.delete
        raise ValueError("Audit events are append-only.")


class Job(models.Model):
    """A piece of long work done by the background worker, with its progress for the page.

    The network is kept as a plain id: ``common`` stands below ``networks`` and names no app above
    it. Pages read a job only through the network they resolved (``Job.objects.filter(
    network_id=network.pk, pk=...)``), so a job id from another network is simply not found.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=64)
    network_id = models.PositiveBigIntegerField(_("network"), null=True, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default="queued")
    stage = models.CharField(_("stage"), max_length=32, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    output = models.BinaryField(_("file"), null=True, blank=True)
    output_name = models.CharField(_("file name"), max_length=200, blank=True)
    output_type = models.CharField(_("file type"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)


class ScheduledRun(models.Model):
    """When each periodic job last ran, so that several workers start it only once."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    last_run_at = models.DateTimeField(_("last run"))

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return self.name


class OutboxMessage(models.Model):
    """One email on its way out: queued in the same transaction as the change that caused it.

    The body is encrypted with a key derived from the server's secret, because it carries the
    recipient's single-use link: a copy of the database alone opens nobody's link. It is wiped
    once the message has gone.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DEFERRED = "deferred", _("failed, will retry")
        FAILED = "failed", _("failed")
        BOUNCED = "bounced", _("refused by the recipient's server")

    kind = models.CharField(_("kind"), max_length=32, db_index=True)
    network_id = models.PositiveBigIntegerField(_("network"), null=True, blank=True, db_index=True)
    # Where in the network it was sent from ("wave:12"), for the counts shown there.
    source = models.CharField(_("sent from"), max_length=64, blank=True, db_index=True)
    to = models.EmailField(_("recipient"), max_length=254)
    # A survey reminder goes only to those who have not answered: its recipient is never shown.
    hide_recipient = models.BooleanField(_("recipient hidden"), default=False)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default="queued", db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.state}"


class Removal(models.Model):
    """Something a person removed, kept for undo for ``SUHDE_UNDO_DAYS`` (common/removals.py).

    Either the rows were deleted and ``payload`` holds them and the links that pointed at them
    (a snapshot), or they stay in place with a flag (an ended membership, an archived person)
    and the kind's own restore turns the flag back. ``network_id`` is the network whose
    "recently removed" page lists it; common does not import networks, so it is a plain number.
    """

    network_id = models.PositiveBigIntegerField(db_index=True)
    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    name = models.CharField(_("name"), max_length=300)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    payload = models.JSONField(default=dict, encoder=ExactJSONEncoder)
    removed_at = models.DateTimeField(_("removed"), default=timezone.now, db_index=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("removed by"),
    )
    restored_at = models.DateTimeField(_("restored"), null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-removed_at", "-id"]
        verbose_name = _("removal")
        verbose_name_plural = _("removals")
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.name}"


class RateCount(models.Model):
    """One fixed window's count of attempts, when there is no shared cache (``REDIS_URL``).

    Every app process shares the database, so a limit holds across processes; a per-process
    cache let 15 logins through a limit of 8 (issue 14). Rows past their window are deleted.
    """

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate count")
        verbose_name_plural = _("rate counts")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
