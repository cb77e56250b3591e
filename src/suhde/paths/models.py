"""Service paths: a client group's route through the network's organizations, stage by stage,
and the transition phases (handoffs) between consecutive stages (docs/service-paths.md).

A path holds no client's personal data: the client group and the needs are described in words.
Stages form a directed acyclic graph through ``Stage.after`` (a stage may branch into two
alternatives and the branches may rejoin); a ``Transition`` exists for each edge of that graph and
nowhere else, which ``paths.domain`` keeps so.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suhde.charter.models import CharterAnnex
from suhde.decisions.models import Decision
from suhde.networks.models import NAME_MAX, TEXT_MAX, Network, Organization, Person
from suhde.workshops.models import Meeting

KEY_MAX = 40
STAGES_MAX = 40  # a path longer than this is a map of the whole service system, not a path
SIDE_MAX = 20  # organizations (and people) named responsible for one stage


class ServicePath(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="service_paths")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    client_group = models.TextField(_("client group"), max_length=TEXT_MAX, blank=True)
    goal = models.TextField(_("goal"), max_length=TEXT_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "name", "id"]
        verbose_name = _("service path")
        verbose_name_plural = _("service paths")

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    path = models.ForeignKey(ServicePath, on_delete=models.CASCADE, related_name="stages")
    # The caller's own name for the stage (API bodies refer to stages by it); unique in a path.
    key = models.CharField(max_length=KEY_MAX)
    position = models.PositiveSmallIntegerField(default=0)  # the order it was listed in
    name = models.CharField(_("stage"), max_length=NAME_MAX)
    needs = models.TextField(_("what the client needs here"), max_length=TEXT_MAX, blank=True)
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("organizations responsible")
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("people responsible")
    )
    after = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="next", verbose_name=_("comes after")
    )

    class Meta:
        ordering = ["path", "position", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [models.UniqueConstraint(fields=["path", "key"], name="stage_key_once")]

    def __str__(self) -> str:
        return self.name


class HandoffStatus(models.TextChoices):
    AGREED = "agreed", _("agreed")
    INFORMAL = "informal", _("informal")
    MISSING = "missing", _("missing")


class HandoffWay(models.TextChoices):
    UNKNOWN = "", _("not said")
    MEETING = "meeting", _("a joint meeting")
    FORM = "form", _("a form")
    PHONE = "phone", _("a phone call")
    ESCORT = "escort", _("escorted in person")
    OTHER = "other", _("another way")


class Transition(models.Model):
    """The handoff between two consecutive stages. Known problems are described in words; a
    transition never names a client."""

    path = models.ForeignKey(ServicePath, on_delete=models.CASCADE, related_name="transitions")
    source = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    handed_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who hands over"),
    )
    received_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who receives"),
    )
    information = models.TextField(_("what information passes"), max_length=TEXT_MAX, blank=True)
    consent = models.TextField(_("with what consent"), max_length=TEXT_MAX, blank=True)
    timing = models.CharField(_("when"), max_length=NAME_MAX, blank=True)
    way = models.CharField(
        _("agreed way"), max_length=16, choices=HandoffWay.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=16, choices=HandoffStatus.choices, default=HandoffStatus.MISSING
    )
    problems = models.TextField(_("known problems"), max_length=TEXT_MAX, blank=True)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    annex = models.ForeignKey(
        CharterAnnex, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path", "source__position", "target__position", "id"]
        verbose_name = _("transition phase")
        verbose_name_plural = _("transition phases")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="transition_once"),
            models.CheckConstraint(
                condition=Q(status__in=HandoffStatus.values), name="transition_status_valid"
            ),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="transition_two"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}→{self.target_id}"
