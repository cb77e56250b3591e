"""Removal with undo: one mechanism for everything a person can remove.

Two ways to remove, one way back:

- **A snapshot.** ``removal_snapshot`` deletes the objects and everything Django would cascade
  from them, and keeps those rows (and the links that pointed at them and were set to null) in a
  ``Removal``. The data are really gone from the tables, so every count, list, map, export, feed
  and API answer agrees at once without a filter anywhere. ``removal_restore`` puts the same rows
  back with the same ids.
- **A flag.** Some removals keep their rows on purpose: an ended membership is history, an
  archived person is kept for the record. ``removal_flag`` only records the removal; the kind's
  own ``restore`` turns the flag back.

- **A journal.** A change that moves and folds many rows (merging two records of one person)
  records with a ``Journal`` the rows it deleted (a snapshot, as above) and every field it changed
  with the old value; ``removal_journal`` keeps both. Restoring puts the rows back and sets each
  changed field back, refusing when something has changed the same field since.

Each app registers its kinds (``removal_kind_register``) with what the "recently removed" page
calls them, who may restore them, and any rule to check before restoring (a tie needs both people
to be members again). Removals older than ``SUHDE_UNDO_DAYS`` are forgotten by
``removals_purge`` (the ``purge_removals`` command), and with them the snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError, connection, models, router, transaction
from django.db.models import QuerySet
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from suhde.common.users import saved_user

from .models import Removal

MANAGE = "manage"
FACILITATE = "facilitate"


@dataclass(frozen=True)
class RemovalKind:
    key: str
    label: object  # a lazy translation: what the "recently removed" page calls it
    need: str = MANAGE  # who may restore it: "manage" (coordinators) or "facilitate"
    restore: Callable[[Removal], None] | None = None  # a flag kind turns its flag back here
    check: Callable[[Removal], None] | None = None  # a snapshot kind's rule before restoring
    after: Callable[[Removal], None] | None = None  # a snapshot kind's work after its rows return
    url: Callable[[Removal], str | None] | None = None  # where the restored thing lives


KINDS: dict[str, RemovalKind] = {}


def removal_kind_register(key: str, *, label: str | Promise, **options: Any) -> RemovalKind:
    """Called from an app's ``AppConfig.ready``; registering again replaces (tests reload)."""
    kind = RemovalKind(key=key, label=label, **options)
    KINDS[key] = kind
    return kind


def removal_rows(removal: Removal, label: str) -> list[dict]:
    """The snapshot's rows of one model (``"app.model"``), as ``{"pk": …, **fields}``: what an
    app's check before a restore reads."""
    return [
        {"pk": row["pk"], **row["fields"]}
        for row in removal.payload.get("rows", [])
        if row["model"] == label
    ]


def undo_days() -> int:
    return settings.SUHDE_UNDO_DAYS


def _cutoff(now=None):
    return (now or timezone.now()) - timedelta(days=undo_days())


# --- removing ---------------------------------------------------------------------------------


def _serialize(model, objects) -> list[dict]:
    # Local fields only: many-to-many links are rows of their own through table, which the
    # collector gathers like any other cascade, so they come back exactly once.
    fields = [field.name for field in model._meta.local_fields]
    return serializers.serialize("python", objects, fields=fields)


def _collect(objects: Iterable[models.Model]) -> Collector:
    objects = list(objects)
    collector = Collector(using=router.db_for_write(type(objects[0])), origin=objects[0])
    by_model: dict[type, list] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    try:
        for group in by_model.values():
            collector.collect(group)
    except (ProtectedError, RestrictedError) as error:
        blocking = error.protected_objects if isinstance(error, ProtectedError) else []
        names = ", ".join(sorted({str(obj) for obj in list(blocking)[:5]}))
        raise ValidationError(
            _("This cannot be removed while something else uses it: %(names)s.")
            % {"names": names or "…"}
        ) from error
    return collector


def _snapshot(collector: Collector) -> dict:
    rows: list[dict] = []
    for model, instances in collector.data.items():
        rows += _serialize(model, list(instances))
    for queryset in collector.fast_deletes:
        rows += _serialize(queryset.model, list(queryset.all()))
    links = []
    # django-stubs types a group as a Model; Django appends a QuerySet or a list of instances
    for (field, _value), groups in collector.field_updates.items():
        label = field.model._meta.label
        for group in groups:
            if isinstance(group, models.QuerySet):
                pairs = list(group.values_list("pk", field.attname))
            else:
                pairs = [(obj.pk, getattr(obj, field.attname)) for obj in group]  # type: ignore[attr-defined]
            links += [[label, pk, field.name, value] for pk, value in pairs if value is not None]
    return {"rows": rows, "links": links}


@transaction.atomic
def removal_snapshot(
    *,
    objects: Iterable[models.Model],
    network_id: int,
    kind: str,
    name: str,
    detail: str = "",
    user: User | None = None,
) -> Removal:
    """Delete ``objects`` (the first is the one the removal is about) and keep them for undo."""
    objects = list(objects)
    collector = _collect(objects)
    payload = _snapshot(collector)
    object_id = str(objects[0].pk)
    collector.delete()
    return _record(network_id, kind, object_id, name, detail, user, payload)


class Journal:
    """What a compound change did, so that ``removal_restore`` can take it all back: the rows it
    deleted (snapshots with their cascade) and each field it changed, old and new value."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.links: list[list] = []
        self.changes: list[list] = []

    def update(self, queryset: models.QuerySet[Any], **values: object) -> int:
        """``queryset.update(**values)`` (by attribute name: ``person_id=…``), remembering the
        old values. Returns how many rows changed."""
        model = queryset.model
        label = model._meta.label
        olds = list(queryset.values_list("pk", *values))
        for pk, *old in olds:
            for (name, new), before in zip(values.items(), old, strict=True):
                if before != new:
                    self.changes.append([label, pk, name, before, new])
        if olds:
            model._base_manager.filter(pk__in=[row[0] for row in olds]).update(**values)
        return len(olds)

    def delete(self, objects: Iterable[models.Model]) -> None:
        """Delete the objects and what cascades from them, keeping the rows for the undo."""
        objects = list(objects)
        if not objects:
            return
        collector = _collect(objects)
        payload = _snapshot(collector)
        self.rows += payload["rows"]
        self.links += payload["links"]
        collector.delete()

    def payload(self, **extra: object) -> dict[str, object]:
        return {"rows": self.rows, "links": self.links, "changes": self.changes, **extra}


def removal_journal(
    *,
    journal: Journal,
    network_id: int,
    kind: str,
    object_id: int | str,
    name: str,
    detail: str = "",
    user: User | None = None,
    extra: dict[str, object] | None = None,
) -> Removal:
    """Record a compound change, undone by putting its rows back and its fields as they were."""
    payload = journal.payload(**(extra or {}))
    return _record(network_id, kind, str(object_id), name, detail, user, payload)


def removal_flag(
    *,
    network_id: int,
    kind: str,
    object_id: int | str,
    name: str,
    detail: str = "",
    user: User | None = None,
    payload: dict[str, object] | None = None,
) -> Removal:
    """Record a removal whose rows stay in place (the kind's ``restore`` undoes it)."""
    return _record(network_id, kind, str(object_id), name, detail, user, payload or {})


def _record(network_id, kind, object_id, name, detail, user, payload) -> Removal:
    if kind not in KINDS:
        raise ValueError(f"unregistered removal kind {kind!r}")
    return Removal.objects.create(
        network_id=network_id,
        kind=kind,
        object_id=object_id,
        name=str(name)[:300],
        detail=str(detail)[:300],
        payload=payload,
        removed_by=saved_user(user),
    )


# --- restoring --------------------------------------------------------------------------------


def _restore_rows(payload: dict) -> None:
    try:
        items = list(
            serializers.deserialize("python", payload.get("rows", []), ignorenonexistent=True)
        )
    except (DeserializationError, LookupError) as error:
        raise ValidationError(_("This can no longer be restored.")) from error
    tables = set()
    try:
        with transaction.atomic():
            for item in items:
                # Insert, never update: a row with the same id that exists now is a conflict.
                models.Model.save_base(item.object, raw=True, force_insert=True)
                tables.add(item.object._meta.db_table)
            for label, pk, field, value in payload.get("links", []):
                model = apps.get_model(label)
                model._base_manager.filter(pk=pk, **{field: None}).update(**{field: value})
            _revert_changes(payload.get("changes", []))
            # Foreign keys are checked at commit; check them here, where a failure can still be
            # turned into a message (something the rows point at was removed for good).
            connection.check_constraints(table_names=sorted(tables))
    except IntegrityError as error:
        raise ValidationError(
            _(
                "This cannot be restored: something it refers to is gone, or the same thing "
                "has been added again."
            )
        ) from error


def _revert_changes(changes: list[list]) -> None:
    """Set each changed field back, newest change first. A field that something else has
    changed since is not overwritten: the whole undo is refused instead."""
    for label, pk, field, before, after in reversed(changes):
        manager = apps.get_model(label)._base_manager
        if not manager.filter(pk=pk, **{field: after}).update(**{field: before}):
            raise ValidationError(_("This can no longer be undone: it has been changed since."))


@transaction.atomic
def removal_restore(*, removal: Removal, user: User | None = None) -> Removal:
    """Undo a removal: the rows come back with their ids, or the flag is turned back."""
    removal = Removal.objects.select_for_update().get(pk=removal.pk)
    if removal.restored_at is not None:
        raise ValidationError(_("This has already been restored."))
    if removal.removed_at < _cutoff():
        raise ValidationError(_("The time to undo this has passed."))
    kind = KINDS.get(removal.kind)
    if kind is None:
        raise ValidationError(_("This can no longer be restored."))
    if kind.restore is not None:
        kind.restore(removal)
    else:
        if kind.check is not None:
            kind.check(removal)
        _restore_rows(removal.payload)
        if kind.after is not None:
            kind.after(removal)
    removal.restored_at = timezone.now()
    removal.restored_by = saved_user(user)
    removal.payload = {}  # the rows are live again; keep no second copy of them
    removal.save(update_fields=["restored_at", "restored_by", "payload"])
    return removal


def removal_settle(*, kind: str, object_id: int | str, user: User | None = None) -> int:
    """The thing came back another way (a "restore" button on its own page): close its
    open removals so the undo list does not offer it twice."""
    return Removal.objects.filter(
        kind=kind, object_id=str(object_id), restored_at__isnull=True
    ).update(restored_at=timezone.now(), restored_by=saved_user(user))


# --- reading and forgetting -------------------------------------------------------------------


def removals_open(network_id: int) -> QuerySet[Removal]:
    """What can still be restored in a network, newest first."""
    return Removal.objects.filter(
        network_id=network_id, restored_at__isnull=True, removed_at__gte=_cutoff()
    ).select_related("removed_by")


def removal_open(network_id: int, removal_id: int) -> Removal | None:
    return removals_open(network_id).filter(pk=removal_id).first()


def removal_label(removal: Removal) -> str:
    kind = KINDS.get(removal.kind)
    return str(kind.label) if kind else removal.kind


def removals_purge(*, now: datetime | None = None) -> int:
    """Forget removals older than the undo window, snapshots and all. Returns how many."""
    return Removal.objects.filter(removed_at__lt=_cutoff(now)).delete()[0]
