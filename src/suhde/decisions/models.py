"""The decision log, its agreement polls and its discussion.

A decision points at its meeting (``workshops.Meeting``, whose page lists its decisions through
the reverse relation) and, when it is polled live, at the gradients prompt of a live session.
Members who were not there answer by a personal link until the deadline.

A **named** poll keeps each ``Ballot`` with its voter: one per member (a database constraint),
replaced when the member changes their answer. An **anonymous** poll keeps two tables that
nothing joins (docs/privacy.md): ``Voter`` says who has answered, ``SecretBallot`` says what was
answered. A secret ballot has a random id, no timestamp and no link to a person; it is found
again (to change it) only by a keyed hash of the poll and the person, and the key is the
server's secret, not anything in the database.
"""

import hashlib
import hmac
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suhde.networks.models import NAME_MAX, TEXT_MAX, Network, Person
from suhde.workshops.models import DecisionMode, Meeting, Prompt

REASON_MAX = 1000
POINTS = 8
FORMAL_DISAGREEMENT = (6, 7)


SCORE_MAX = 10
OPTIONS_MAX = 10
OPTION_MAX = 200
DOTS_MAX = 20
COMMENT_MAX = 2000


class Status(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    DECIDED = "decided", _("decided")
    NOT_DECIDED = "not_decided", _("not decided")
    MORE_WORK = "more_work", _("needs more work")
    CARRIED_OUT = "carried_out", _("carried out")
    REVISED = "revised", _("revised")


class PollKind(models.TextChoices):
    GRADIENTS = "gradients", _("gradients of agreement")
    CONSENT = "consent", _("consent: any objections?")
    SCORE = "score", _("score from 0 to 10")
    DOTS = "dots", _("dot voting over options")
    SENSE = "sense", _("quick sense-check")


class Results(models.TextChoices):
    ALWAYS = "always", _("at all times")
    VOTED = "voted", _("to those who have answered, and to all after closing")
    CLOSED = "closed", _("only after the poll has closed")


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
    kind = models.CharField(
        _("kind of poll"), max_length=16, choices=PollKind.choices, default=PollKind.GRADIENTS
    )
    # Dot voting: the options, and how many dots each voter spreads over them.
    options = models.JSONField(default=list, blank=True)
    dots = models.PositiveSmallIntegerField(default=0)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    results = models.CharField(
        _("results are shown"), max_length=8, choices=Results.choices, default=Results.VOTED
    )
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
    outcome = models.TextField(_("outcome"), blank=True, max_length=TEXT_MAX)
    # The distribution as it stood when the poll closed, kept with the decision in the log.
    final = models.JSONField(default=dict, blank=True)

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
    """A named poll's answer, with its voter."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # The point on the poll's scale (gradients 1–8, consent 1–3, score 0–10, sense-check 1–3);
    # empty for dot voting, whose answer is ``dots``.
    point = models.PositiveSmallIntegerField(
        _("answer"), null=True, blank=True, validators=[MaxValueValidator(SCORE_MAX)]
    )
    dots = models.JSONField(default=list, blank=True)
    named = models.BooleanField(_("show my name with my disagreement"), default=False)
    reason = models.TextField(_("reason"), blank=True, max_length=REASON_MAX)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.MEETING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="ballot_one_per_voter"),
            models.CheckConstraint(
                condition=Q(point__isnull=True) | Q(point__lte=SCORE_MAX),
                name="ballot_point_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class Voter(models.Model):
    """An anonymous poll's voter list: who has answered, never what. No timestamp on purpose."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.MEETING)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="voter_one_per_poll"),
        ]

    def __str__(self) -> str:
        return f"voter {self.pk}"


class SecretBallot(models.Model):
    """An anonymous poll's answer: a random id, no timestamp, no person (docs/privacy.md).

    ``key`` is an HMAC of the poll and the person under the server's secret key, so that the
    voter (and only a process holding that key) can find the ballot again to change it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="secret_ballots")
    key = models.CharField(max_length=64)
    point = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(SCORE_MAX)]
    )
    dots = models.JSONField(default=list, blank=True)
    # A name only when its voter chose to sign a formal disagreement: a copy, not a link.
    signed = models.CharField(max_length=NAME_MAX, blank=True)
    reason = models.TextField(blank=True, max_length=REASON_MAX)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "key"], name="secret_ballot_one_per_key"),
            models.CheckConstraint(
                condition=Q(point__isnull=True) | Q(point__lte=SCORE_MAX),
                name="secret_ballot_point_0_10",
            ),
        ]

    def __str__(self) -> str:
        return "secret ballot"


class Comment(models.Model):
    """A post in a decision's discussion: plain text, links made clickable when shown."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["decision", "created_at"])]

    def __str__(self) -> str:
        return f"comment {self.pk}"


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


def ballot_key(poll_id: int, person_id: int) -> str:
    """What finds an anonymous ballot again for its voter: a keyed hash nobody can compute
    without the server's secret key (the same formula as migration 0003)."""
    secret = hashlib.sha256(("suhde-poll-ballot:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(secret, f"{poll_id}:{person_id}".encode(), hashlib.sha256).hexdigest()
