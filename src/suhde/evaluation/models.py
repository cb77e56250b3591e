"""What a coordinator decided about a weaving suggestion of a closed wave.

The suggestion itself lives in the wave's snapshot (structural, from ``suhde.analysis``); this
row only remembers the decision, under the suggestion's stable key, and a copy of what it said so
that an accepted to-do still reads the same after the next wave.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suhde.charter.models import Goal, Indicator
from suhde.decisions.models import Decision as MadeDecision
from suhde.networks.models import NAME_MAX, TEXT_MAX, Network, Person
from suhde.surveys.models import Wave
from suhde.workshops.models import LiveSession, Meeting


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    DISMISSED = "dismissed", _("dismissed")
    DONE = "done", _("done")


class SuggestionDecision(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="suggestion_decisions"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="suggestion_decisions")
    key = models.CharField(max_length=40)
    kind = models.CharField(max_length=32)
    suggestion = models.JSONField(default=dict)  # the snapshot's suggestion, as it was shown
    status = models.CharField(_("status"), max_length=12, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("suggestion decision")
        verbose_name_plural = _("suggestion decisions")
        constraints = [
            models.UniqueConstraint(fields=["wave", "key"], name="suggestion_decision_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=Decision.values), name="suggestion_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.key}"


# --- rounds of the continuum (docs/evaluation.md) --------------------------------------------
#
# A round is the span from a start in phase 1 to the next return to phase 1. Its span is never
# stored: ``evaluation.rounds`` derives it from the network's phase changes, so moving between
# phases is the only way to open or close one. A Round row holds only what people wrote about
# the round, and is made the first time someone writes something.


class Round(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField(_("round"))
    # section key (``rounds.NARRATIVE_SECTIONS``) → the coordinator's text around the figures
    narrative = models.JSONField(_("narrative"), default=dict)
    narrative_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    narrative_at = models.DateTimeField(null=True, blank=True)
    reflection_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reflection_session = models.ForeignKey(
        LiveSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["network", "number"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="round_once"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="round_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.network_id} #{self.number}"


class NarrativeRevision(models.Model):
    """An earlier text of one narrative section: editing never loses what was written."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="revisions")
    section = models.CharField(max_length=24)
    text = models.TextField(max_length=TEXT_MAX)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "section", "-written_at", "-id"]

    def __str__(self) -> str:
        return f"{self.round_id} {self.section}"


class Verdict(models.TextChoices):
    REACHED = "reached", _("reached")
    PARTLY = "partly", _("partly reached")
    NOT = "not", _("not reached")


class GoalResult(models.Model):
    """A goal's verdict for one round, with why and where it was agreed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="goal_results")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="results")
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    reason = models.TextField(_("why"), max_length=TEXT_MAX)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("agreed in the meeting"),
    )
    decision = models.ForeignKey(
        MadeDecision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("agreed by the decision"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "goal_id"]
        verbose_name = _("goal result")
        verbose_name_plural = _("goal results")
        constraints = [
            models.UniqueConstraint(fields=["round", "goal"], name="goal_result_once"),
            models.CheckConstraint(
                condition=models.Q(verdict__in=Verdict.values), name="goal_verdict_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.verdict}"


class IndicatorValue(models.Model):
    """An indicator's measured value in a round. A correction is a new row that names the one it
    corrects; the earlier value stays as history and is never overwritten."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="results")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    source = models.CharField(_("source"), max_length=NAME_MAX)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="correction"
    )
    correction_reason = models.CharField(_("why corrected"), max_length=NAME_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "indicator_id", "measured_on", "id"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.measured_on}: {self.value}"


class OutcomeKind(models.TextChoices):
    """The material's three outcomes of learning together."""

    KNOWLEDGE = "knowledge", _("knowledge spread and adopted")
    TOGETHER = "together", _("shared goals, problems solved together, a we-spirit")
    NEW_ACTORS = "new_actors", _("new actors inspired, bringing new knowledge")


class LearningOutcome(models.Model):
    """One example of a learning outcome in a round, with the evidence for it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="learning_outcomes")
    kind = models.CharField(_("learning outcome"), max_length=12, choices=OutcomeKind.choices)
    example = models.TextField(_("example"), max_length=TEXT_MAX)
    evidence = models.TextField(_("evidence"), max_length=TEXT_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "kind", "created_at", "id"]
        verbose_name = _("learning outcome")
        verbose_name_plural = _("learning outcomes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OutcomeKind.values), name="learning_outcome_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.kind}"


class Position(models.TextChoices):
    """The material's three positions of leading, facilitating or taking part."""

    ON_BEHALF = "on_behalf", _("knowing on behalf of others")
    GUIDING = "guiding", _("guiding shared understanding")
    PLATFORM = "platform", _("building a platform for self-directed understanding")


class Working(models.TextChoices):
    SIDE_BY_SIDE = "side_by_side", _("side by side")
    TOGETHER = "together", _("together")


class PositionReflection(models.Model):
    """A coordinator's or facilitator's own look at where they led from, for a round or one
    meeting of it. Only its writer sees it; the network sees a distribution of many, after the
    round has closed and from k people (``common.privacy.position_aggregate_allowed``)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="position_reflections")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    working = models.CharField(_("working"), max_length=12, choices=Working.choices)
    note = models.TextField(_("note to myself"), max_length=TEXT_MAX, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "person", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                condition=models.Q(meeting__isnull=True),
                name="position_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "person", "meeting"],
                condition=models.Q(meeting__isnull=False),
                name="position_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=models.Q(position__in=Position.values), name="position_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(working__in=Working.values), name="position_working_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.person_id}"
