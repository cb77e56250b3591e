"""The decision log, and agreement polls on Kaner's gradients for facilitated decisions.

A decision points at its meeting (``workshops.Meeting``, whose page lists its decisions through
the reverse relation) and, when it is polled live, at the gradients prompt of a live session.
Members who were not there answer by a personal link until the deadline. A ballot knows its
voter, so that each member votes once (a database constraint); the pages show only the
distribution, and a name only with a formal disagreement whose voter chose to be named.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suhde.networks.models import NAME_MAX, TEXT_MAX, Network, Person
from suhde.workshops.models import DecisionMode, Meeting, Prompt

REASON_MAX = 1000
POINTS = 8
FORMAL_DISAGREEMENT = (6, 7)


class Status(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    DECIDED = "decided", _("decided")
    CARRIED_OUT = "carried_out", _("carried out")
    REVISED = "revised", _("revised")


class Decision(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("decision"), max_length=NAME_MAX)
    proposal = models.TextField(_("proposal"), max_length=TEXT_MAX)
    mode = models.CharField(
        _("way of deciding"),
        max_length=16,
        choices=DecisionMode.choices,
        default=DecisionMode.FACILITATED,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = models.CharField(_("who decided"), max_length=NAME_MAX, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True, max_length=TEXT_MAX)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    review_on = models.DateField(_("review date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "-created_at", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [models.Index(fields=["network", "review_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=DecisionMode.values), name="decision_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="decision_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True)
                | Q(decided_on__isnull=True)
                | Q(review_on__gte=F("decided_on")),
                name="decision_review_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Poll(models.Model):
    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="poll")
    deadline = models.DateTimeField(_("answers by"))
    # The same question asked live in a meeting's session (a gradients prompt), if it was.
    live_prompt = models.ForeignKey(
        Prompt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement poll")
        verbose_name_plural = _("agreement polls")

    def __str__(self) -> str:
        return f"poll {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.deadline > timezone.now()


class Channel(models.TextChoices):
    MEETING = "meeting", _("signed in")
    LINK = "link", _("by link")


class Ballot(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    point = models.PositiveSmallIntegerField(
        _("gradient"), validators=[MinValueValidator(1), MaxValueValidator(POINTS)]
    )
    named = models.BooleanField(_("show my name with my disagreement"), default=False)
    reason = models.TextField(_("reason"), blank=True, max_length=REASON_MAX)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.MEETING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="ballot_one_per_voter"),
            models.CheckConstraint(
                condition=Q(point__gte=1, point__lte=8), name="ballot_point_1_8"
            ),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class PollLink(models.Model):
    """A member's personal link to the poll. Only the token's digest is stored (promise 6)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="poll_link_one_per_person")
        ]

    def __str__(self) -> str:
        return f"link {self.pk}"
