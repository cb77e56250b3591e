"""Phase 3, coordination: the annual clock (vuosikello), its events, calendar feeds, and the
links that keep contact details current.

Models stay small; recurrence, feeds and the rules between objects live in ``recurrence.py``,
``ical.py`` and ``domain.py``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suhde.networks.models import NAME_MAX, TEXT_MAX, Network, Person

DEFAULT_TIME_ZONE = "Europe/Helsinki"

# Okabe–Ito, colour-blind safe; a category's colour is an index into it (clock.css).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]

# The categories every clock starts with. Their names stay translatable until someone renames
# them; ``key`` is what surveys and workshops use to put their events in the right ring.
DEFAULT_CATEGORIES = {
    "meetings": _("network meetings"),
    "steering": _("steering group"),
    "surveys": _("surveys"),
    "reporting": _("reporting deadlines"),
    "themes": _("theme networks"),
    "budget": _("home organizations' budget cycles"),
}


class AnnualClock(models.Model):
    """A network's clock: where its year starts and how it keeps contacts current."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="clock")
    start_month = models.PositiveSmallIntegerField(
        _("the year starts in"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    stale_months = models.PositiveSmallIntegerField(
        _("contact details are stale after (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind the responsible person (days before)"),
        default=7,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    show_theme_networks = models.BooleanField(
        _("show the theme networks' events as extra rings"), default=True
    )

    class Meta:
        verbose_name = _("annual clock")
        verbose_name_plural = _("annual clocks")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_month__gte=1, start_month__lte=12), name="clock_start_month_1_12"
            )
        ]

    def __str__(self) -> str:
        return str(self.network)


class Category(models.Model):
    """One ring of the clock."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=100, blank=True)
    colour = models.PositiveSmallIntegerField(
        _("colour"), default=0, validators=[MaxValueValidator(len(PALETTE) - 1)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["network", "order", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["network", "key"], name="category_key_per_network")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name or str(DEFAULT_CATEGORIES.get(self.key, self.key))


class Event(models.Model):
    """Something on the clock: once, or repeating by an RFC 5545 rule.

    ``start`` and ``end`` are stored in UTC; ``time_zone`` is where the event's wall-clock times
    live, so a rule repeats at 17:00 Helsinki time across daylight-saving changes. An all-day
    event ends at the midnight after its last day, as in iCalendar.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="events")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="events", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=NAME_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=False)
    time_zone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_TIME_ZONE)
    place = models.CharField(_("place"), max_length=NAME_MAX, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    responsible = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_for",
        verbose_name=_("responsible person"),
    )
    shared_with = models.ManyToManyField(
        Network,
        blank=True,
        related_name="shared_events",
        verbose_name=_("also on the clocks of"),
    )
    rrule = models.CharField(_("repeats (RRULE)"), max_length=300, blank=True)
    exdates = models.JSONField(_("exceptions"), default=list, blank=True)
    # Events that another app keeps on the clock (a survey wave, a meeting): its kind and id.
    source_kind = models.CharField(max_length=32, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set on the clock for the page that shows it (views.clock.clock_context); never stored.
    link_slug: str

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["network", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="event_end_after"),
            models.UniqueConstraint(
                fields=["network", "source_kind", "source_id"],
                condition=~Q(source_kind=""),
                name="event_one_per_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def uid(self) -> str:
        return f"event-{self.pk}@suhde"


class FeedToken(models.Model):
    """A secret calendar subscription: one network's clock, or all of a user's networks.

    Only the token's digest is stored. What the feed shows is checked again at every fetch.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} – {self.network or '*'}"


class ConfirmRequest(models.Model):
    """An emailed link that lets a person confirm or correct their own contact details."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="confirm_requests")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("confirmation request")
        verbose_name_plural = _("confirmation requests")

    def __str__(self) -> str:
        return f"{self.person} ({self.created_at:%Y-%m-%d})"


class DigestSent(models.Model):
    """One row per user and ISO week: the digest goes out once a week, however often cron runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="digest_once_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.week}"


class ReminderSent(models.Model):
    """One row per event occurrence: its responsible person is reminded once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    occurrence = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "occurrence"], name="reminder_once_per_occurrence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.occurrence}"
