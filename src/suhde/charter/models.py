"""Phase 2, agreeing: the charter's answers (every saved version kept), goals and roles.

A charter is the list of its versions: the newest is the current one, and no version is ever
changed except to record that it was agreed on. Who approved it is a date and a free-text
reference (a meeting, a decision), so the charter does not import the apps above it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suhde.networks.models import NAME_MAX, TEXT_MAX, GoalKind, Network, Person, Role

ANSWER_MAX = TEXT_MAX


class CharterVersion(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="charter_versions")
    number = models.PositiveIntegerField(_("version"))
    # question number (as a string, 1–15) → answer text; an unanswered question is absent.
    answers = models.JSONField(_("answers"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("author"), max_length=NAME_MAX, blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreed_in = models.CharField(
        _("approved in"),
        max_length=NAME_MAX,
        blank=True,
        help_text=_("The meeting or decision that approved this version."),
    )
    # An optional pointer to the approving object ("decision", "event" …) without a foreign key.
    agreed_ref_kind = models.CharField(max_length=32, blank=True)
    agreed_ref_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["network", "-number"]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="charter_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="charter_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.network_id} v{self.number}"

    def answer(self, number: int) -> str:
        return self.answers.get(str(number), "")


class Goal(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("kind of goal"), max_length=16, choices=GoalKind.choices)
    title = models.CharField(_("goal"), max_length=NAME_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    why = models.TextField(_("why?"), blank=True, max_length=TEXT_MAX)
    who = models.TextField(_("who?"), blank=True, max_length=TEXT_MAX)
    how = models.TextField(_("how?"), blank=True, max_length=TEXT_MAX)
    what = models.TextField(_("what?"), blank=True, max_length=TEXT_MAX)
    resources = models.TextField(_("with what resources?"), blank=True, max_length=TEXT_MAX)
    owner = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goals_owned",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "due_on", "title", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=GoalKind.values), name="goal_kind_valid")
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=NAME_MAX)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    how_measured = models.TextField(_("how measured"), blank=True, max_length=TEXT_MAX)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["goal", "order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class Progress(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=NAME_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "recorded_on", "id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.recorded_on}: {self.value}"


class RoleKind(models.TextChoices):
    """The roles of strong partnerships. The first three are held through the membership role."""

    COORDINATION = "coordination", _("coordination")
    FACILITATION = "facilitation", _("facilitation")
    COMMUNICATION = "communication", _("communication")
    OTHER = "other", _("other role")


MEMBERSHIP_ROLE: dict[str, str] = {
    RoleKind.COORDINATION: Role.COORDINATOR,
    RoleKind.FACILITATION: Role.FACILITATOR,
    RoleKind.COMMUNICATION: Role.COMMUNICATOR,
}


class CharterRole(models.Model):
    """A role the charter names. Coordination, facilitation and communication are held by the
    members with that membership role; any other role by the people named here."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="charter_roles")
    kind = models.CharField(_("kind"), max_length=16, choices=RoleKind.choices)
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    description = models.TextField(_("what the role does"), blank=True, max_length=TEXT_MAX)
    holders = models.ManyToManyField(
        Person, blank=True, related_name="charter_roles", verbose_name=_("held by")
    )

    class Meta:
        ordering = ["network", "kind", "name", "id"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RoleKind.values), name="role_kind_valid"),
            models.UniqueConstraint(
                fields=["network", "kind"],
                condition=~Q(kind="other"),
                name="role_one_per_standard_kind",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return self.name or str(RoleKind(self.kind).label)


class CharterAnnex(models.Model):
    """An annex of the charter: an agreement the network recorded beside its fifteen answers,
    such as the agreed handoff of a service path's transition phase. It names where it came from
    as a kind and an id (``ref_kind``, ``ref_id``), so the charter does not import the apps above
    it; a page links back through ``common.links``."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="charter_annexes")
    title = models.CharField(_("annex"), max_length=NAME_MAX)
    text = models.TextField(_("what was agreed"), max_length=TEXT_MAX)
    agreed_on = models.DateField(_("recorded on"))
    ref_kind = models.CharField(max_length=32, blank=True)
    ref_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network", "-agreed_on", "-id"]
        verbose_name = _("charter annex")
        verbose_name_plural = _("charter annexes")

    def __str__(self) -> str:
        return self.title
