"""Relationship survey waves: knowing, trust and commitment between named partners.

The survey is confidential, not anonymous (docs/instrument.md): a response knows its
respondent, because the tie A → B needs both ends. That is why ``Response``, ``PartnerAnswer``
and ``OpenAnswer`` are never registered in the admin, never serialized by the API, and read only
by ``surveys.scores`` which hands out group figures through ``common.privacy``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suhde.common.privacy import K_DEFAULT, K_MINIMUM
from suhde.networks.models import Network, Person, TieOrigin

DYADIC_ITEMS = ("K1", "K2", "K3", "K4", "T1", "T2", "T3", "T4", "C4")
SELF_ITEMS = ("C1", "C2", "C3")
OPEN_KINDS = ("works", "improve", "barriers")
OPEN_MAX = 2000


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Wave(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="waves", verbose_name=_("network")
    )
    title = models.CharField(_("title"), max_length=200)
    recall_months = models.PositiveSmallIntegerField(
        _("recall period (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"))
    k = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        default=K_DEFAULT,
        validators=[MinValueValidator(K_MINIMUM), MaxValueValidator(50)],
        help_text=_("A group figure is shown only when at least this many people answered."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    reminder_days = models.JSONField(_("reminders (days before closing)"), default=list, blank=True)
    reminders_sent = models.JSONField(default=list, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closes_at", "-id"]
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        constraints = [
            models.CheckConstraint(condition=Q(k__gte=K_MINIMUM), name="wave_k_at_least_3"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="wave_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == Status.OPEN and self.opens_at <= now < self.closes_at


class SurveyInvitation(models.Model):
    """A person's invitation to one wave; its personal links are ``SurveyLink`` rows.

    The invitation is bound to the person and to the address it was sent to (``sent_to``). When
    the person's address changes, its links are revoked: ``generation`` moves on, every link
    stops working, and the next one waits until the person has confirmed the new address
    (``address_changed_at``). A link is never mailed to an address other than the one it was
    first sent to.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="survey_invitations")
    generation = models.PositiveIntegerField(default=0)
    sent_to = models.EmailField(blank=True, default="")
    address_changed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="survey_invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.person_id}"


class SurveyLink(models.Model):
    """One personal link of an invitation: each mailing (the invitation, every reminder) carries
    a new random token (``common.tokens``), and every link of the invitation opens it until the
    links are revoked. Only the token's digest is stored (promise 6); nothing is derived from
    ``SECRET_KEY``, so rotating the key breaks no link."""

    invitation = models.ForeignKey(SurveyInvitation, on_delete=models.CASCADE, related_name="links")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"link {self.pk} of {self.invitation_id}"


class Response(models.Model):
    """One respondent's answers to one wave: a draft until ``submitted_at`` is set."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The generation of the link that wrote this response: a link issued after an address
    # change sees nothing of what an earlier link wrote, not even the partners.
    link_generation = models.PositiveIntegerField(default=0)
    c1 = models.PositiveSmallIntegerField(null=True, blank=True)
    c2 = models.PositiveSmallIntegerField(null=True, blank=True)
    c3 = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            # Two submits at once still give exactly one response (promise 15).
            models.UniqueConstraint(fields=["wave", "respondent"], name="response_once"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 1, f"{f}__lte": 5}),
                    name=f"response_{f}_1_5",
                )
                for f in ("c1", "c2", "c3")
            ],
        ]

    def __str__(self) -> str:  # never the respondent: this may end up in a log line
        return f"response {self.pk}"


def _rating(maximum: int):
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(maximum)]
    )


class PartnerAnswer(models.Model):
    """What one respondent said about one partner. Never shown; only aggregated."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="partners")
    partner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    k1, k2, k3, k4 = _rating(4), _rating(4), _rating(4), _rating(4)
    t1, t2, t3, t4 = _rating(4), _rating(4), _rating(4), _rating(4)
    c4 = _rating(4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "partner"], name="partner_answer_once"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5),
                name="partner_level_1_5",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 1, f"{f}__lte": 4}),
                    name=f"partner_{f}_1_4",
                )
                for f in ("k1", "k2", "k3", "k4", "t1", "t2", "t3", "t4", "c4")
            ],
        ]

    def __str__(self) -> str:
        return f"partner answer {self.pk}"


class OpenAnswer(models.Model):
    """A free-text answer, shown without a name; a coordinator can hide one that identifies."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="open_answers")
    kind = models.CharField(max_length=16, choices=[(k, k) for k in OPEN_KINDS])
    text = models.TextField(max_length=OPEN_MAX)
    hidden = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "kind"], name="open_answer_once")
        ]

    def __str__(self) -> str:
        return f"open answer {self.pk}"


class WaveTie(models.Model):
    """The wave behind a tie's survey origin: each wave that reported a tie is one origin."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="wave_ties")
    origin = models.OneToOneField(TieOrigin, on_delete=models.CASCADE, related_name="wave_link")

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.origin_id}"
