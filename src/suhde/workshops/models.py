"""Meetings with their agendas, the network's own methods, and live participation sessions.

A live session's participants have no account: each holds a random token of its own, and only
the token's digest is stored. Nothing about the participant's address or browser is stored with
what they post (promise 13). One vote per participant per poll is a database constraint
(promise 15).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suhde.coordination.models import Event
from suhde.networks.models import NAME_MAX, TEXT_MAX, Network, Organization, Person

POST_MAX = 280
WORD_MAX = 40
PARTICIPANT_NAME_MAX = 80
QUESTION_MAX = 300
OPTION_MAX = 120
OPTIONS_MAX = 12


class LearningMode(models.TextChoices):
    TEACHING = "teaching", _("teaching")
    FACILITATION = "facilitation", _("facilitation")
    HOSTING = "hosting", _("hosting")


class DecisionMode(models.TextChoices):
    TOP_DOWN = "top_down", _("top-down")
    FACILITATED = "facilitated", _("facilitated")
    SELF_DIRECTED = "self_directed", _("self-directed")


class Method(models.Model):
    """A working method a network added to its own library (built-in ones live in methods.py)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="methods")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    description = models.TextField(_("description"), max_length=TEXT_MAX, blank=True)
    learning_mode = models.CharField(
        _("learning mode"), max_length=16, choices=LearningMode.choices, blank=True
    )
    minutes = models.PositiveSmallIntegerField(_("typical duration (minutes)"), default=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="method_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=NAME_MAX)
    purpose = models.TextField(_("purpose"), max_length=TEXT_MAX, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("time reserved (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=NAME_MAX, blank=True)
    # A meeting either stands on its own (and puts itself on the clock) or belongs to an event
    # that is already on the clock.
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("event on the annual clock"),
    )
    notes = models.TextField(_("notes"), max_length=50_000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["network", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=5) & Q(minutes__lte=24 * 60), name="meeting_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaBlock(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="blocks")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=NAME_MAX)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    method_key = models.CharField(_("method"), max_length=40, blank=True)
    method = models.ForeignKey(
        Method, on_delete=models.SET_NULL, null=True, blank=True, related_name="blocks"
    )
    learning_mode = models.CharField(
        _("learning mode"), max_length=16, choices=LearningMode.choices, blank=True
    )
    decision_mode = models.CharField(
        _("decision mode"), max_length=16, choices=DecisionMode.choices, blank=True
    )
    notes = models.TextField(_("notes"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=600), name="block_minutes_range"
            ),
            models.CheckConstraint(
                condition=Q(method_key="") | Q(method__isnull=True), name="block_one_method"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attendee(models.Model):
    """Someone who took part in a meeting, for participation by organization and sector."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendances")
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendee_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.person_id}"


class SessionState(models.TextChoices):
    OPEN = "open", _("open")
    ENDED = "ended", _("ended")


class LiveSession(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="live_sessions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="live_sessions"
    )
    title = models.CharField(_("title"), max_length=NAME_MAX)
    code = models.CharField(max_length=8, unique=True)
    state = models.CharField(max_length=8, choices=SessionState.choices, default="open")
    open_prompt = models.ForeignKey(
        "Prompt", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # ``stage`` changes when participants must see another page (a prompt opened, results
    # revealed, the session ended); ``revision`` changes on every facilitator action.
    stage = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == SessionState.OPEN


class PromptKind(models.TextChoices):
    HIGHLIGHTS = "highlights", _("highlights (open text)")
    WORDCLOUD = "wordcloud", _("word cloud")
    CHOICE = "choice", _("multiple choice")
    SCALE = "scale", _("scale")
    RANKING = "ranking", _("ranking")
    DOTS = "dots", _("dot voting")
    GRADIENTS = "gradients", _("gradients of agreement")
    QA = "qa", _("questions from the audience (Q&A)")


TEXT_KINDS = {PromptKind.HIGHLIGHTS, PromptKind.WORDCLOUD, PromptKind.QA}


class Prompt(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="prompts")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=16, choices=PromptKind.choices)
    question = models.CharField(_("question"), max_length=QUESTION_MAX)
    options = models.JSONField(_("options"), default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(default=5)
    dots = models.PositiveSmallIntegerField(default=3)
    revealed = models.BooleanField(default=False)
    # Posts wait in the facilitator's queue and reach the wall only when approved.
    approval = models.BooleanField(_("approve posts before they are shown"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def is_qa(self) -> bool:
        return self.kind == PromptKind.QA

    @property
    def shown_to_participants(self) -> bool:
        """Participants see the answers: when the facilitator shows them, and always in a Q&A,
        where they read each other's questions to upvote them."""
        return self.revealed or self.is_qa


class Participant(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="participants")
    token_digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=PARTICIPANT_NAME_MAX, blank=True)
    organization = models.CharField(max_length=PARTICIPANT_NAME_MAX, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"participant {self.pk}"


class Post(models.Model):
    """One highlight or word-cloud entry. Hidden posts stay in the record, marked hidden."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="posts")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="posts")
    text = models.CharField(max_length=POST_MAX)
    # A random key from the form or the client: sending the same post twice stores it once.
    key = models.CharField(max_length=40, blank=True)
    hidden = models.BooleanField(default=False)
    # Waiting in the approval queue: hidden until the facilitator approves or rejects it.
    held = models.BooleanField(default=False)
    flagged = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    # A Q&A question the facilitator has taken up: it moves below the open ones.
    answered = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["participant", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "key"], condition=~Q(key=""), name="post_key_once"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Upvote(models.Model):
    """A participant backs someone else's Q&A question: once per question, and it can be undone.

    ``prompt`` repeats the post's so that the board's version counts upvotes like posts."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="upvotes")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="upvotes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="upvotes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "participant"], name="upvote_once"),
        ]

    def __str__(self) -> str:
        return f"upvote {self.pk}"


class Vote(models.Model):
    """One participant's answer to a poll (choice, scale, ranking, dots or gradients)."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    value = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prompt", "participant"], name="vote_once_per_poll"),
        ]

    def __str__(self) -> str:
        return f"vote {self.pk}"
