"""Phase 1, seeing the network: who is in it and how they relate.

Names follow the glossary (docs/glossary.md). Models stay small: rules that span
objects (no cycles in the network tree, ties only between members) live in ``domain.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suhde.common.folding import fold, organization_key

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import ManyRelatedManager

NAME_MAX = 200
TEXT_MAX = 5000


class Sector(models.TextChoices):
    PUBLIC = "public", _("public sector")
    PRIVATE = "private", _("private sector")
    THIRD = "third", _("third sector")


class Form(models.TextChoices):
    """The deck's four network forms, from goal-oriented to naturally evolving."""

    HIERARCHICAL = "hierarchical", _("hierarchically led strategic network")
    JOINT = "joint", _("jointly led strategic network")
    EVOLVING = "evolving", _("freely evolving network")
    CHAOTIC = "chaotic", _("chaotic organizing")


class Level(models.TextChoices):
    UNDERSTANDING = "understanding", _("understanding the world")
    ADVOCACY = "advocacy", _("advocacy")
    STRATEGY = "strategy", _("strategy development")
    SERVICE_PATH = "service_path", _("service-path development")
    CUSTOMER = "customer", _("customer interface")


class Scope(models.TextChoices):
    INTERNAL = "internal", _("internal network")
    EXTERNAL = "external", _("external network")


class GoalKind(models.TextChoices):
    CUSTOMER = "customer", _("serving the customer well")
    EFFICIENCY = "efficiency", _("smooth and efficient work")
    PHENOMENON = "phenomenon", _("answering a phenomenon together")
    AIM = "aim", _("reaching an aim")


class Phase(models.IntegerChoices):
    """The strategic continuum: four phases that repeat."""

    SEE = 1, _("seeing the network")
    AGREE = 2, _("choosing ways of working and goals")
    ACT = 3, _("coordination and facilitation")
    REFLECT = 4, _("evaluation and joint reflection")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    FACILITATOR = "facilitator", _("facilitator")
    COMMUNICATOR = "communicator", _("communicator")
    MEMBER = "member", _("member")
    OBSERVER = "observer", _("observer")


class Strength(models.TextChoices):
    WEAK = "weak", _("weak")
    STRONG = "strong", _("strong")


class OriginKind(models.TextChoices):
    """Where a tie is known from. A tie has one origin of each kind at most, but one per wave."""

    ENTERED = "entered", _("entered by hand")
    IMPORTED = "imported", _("imported from a file")
    SURVEY = "survey", _("survey wave")


class FoldedQuerySet(models.QuerySet):
    """Bulk writes (imports, the demo) skip ``save``: fill the folded search columns here too."""

    def bulk_create(self, objs: Iterable[Folded], *args: Any, **kwargs: Any) -> list[Folded]:
        objs = list(objs)
        for obj in objs:
            obj.folded_fill()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(
        self, objs: Iterable[Folded], fields: Iterable[str], *args: Any, **kwargs: Any
    ) -> int:
        objs, fields = list(objs), list(fields)
        if "name" in fields and objs:
            for obj in objs:
                obj.folded_fill()
            fields += [name for name in objs[0].FOLDED if name not in fields]
        return super().bulk_update(objs, fields, *args, **kwargs)


class Folded(models.Model):
    """A model with a folded copy of its name for search (common/folding.py), kept on save."""

    FOLDED: tuple[str, ...] = ("search",)
    objects = FoldedQuerySet.as_manager()
    name: str
    search: str

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.folded_fill()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, *self.FOLDED}
        super().save(*args, **kwargs)

    def folded_fill(self) -> None:
        self.search = fold(self.name)[:NAME_MAX]


class Organization(Folded):
    FOLDED = ("search", "key")

    name = models.CharField(_("name"), max_length=NAME_MAX)
    # Folded name (search) and the name without legal form or spacing (finding duplicates).
    search = models.CharField(max_length=NAME_MAX, blank=True, editable=False)
    key = models.CharField(max_length=NAME_MAX, blank=True, editable=False, db_index=True)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
        verbose_name=_("parent organization"),
    )
    website = models.URLField(_("website"), blank=True, max_length=500)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX)
    networks: models.ManyToManyField[Network, Any] = models.ManyToManyField(
        "Network",
        blank=True,
        related_name="organizations",
        verbose_name=_("networks"),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="organization_sector_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def folded_fill(self) -> None:
        super().folded_fill()
        self.key = organization_key(self.name)[:NAME_MAX]


class Person(Folded):
    name = models.CharField(_("name"), max_length=NAME_MAX)
    search = models.CharField(max_length=NAME_MAX, blank=True, editable=False)
    email = models.EmailField(_("email"), blank=True, max_length=254)
    phone = models.CharField(_("phone"), blank=True, max_length=40)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("home organization"),
    )
    title = models.CharField(pgettext_lazy("job title", "title"), blank=True, max_length=NAME_MAX)
    human = models.TextField(_("the human behind the title"), blank=True, max_length=TEXT_MAX)
    competences = models.JSONField(_("competences"), default=list, blank=True)
    needs = models.TextField(_("needs and expectations"), blank=True, max_length=TEXT_MAX)
    confirmed_at = models.DateTimeField(_("contact details confirmed"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("user account"),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    # The other side of ``Organization.networks``, which the type checker's Django plugin does
    # not see through the folded models' manager.
    organizations: ManyRelatedManager[Organization, Any]

    name = models.CharField(_("name"), max_length=NAME_MAX)
    slug = models.SlugField(_("short name"), unique=True, max_length=60)
    purpose = models.TextField(_("purpose"), blank=True, max_length=TEXT_MAX)
    form = models.CharField(_("form"), max_length=16, choices=Form.choices, default=Form.JOINT)
    levels = models.JSONField(_("levels of work"), default=list, blank=True)
    scope = models.CharField(
        _("scope"), max_length=16, choices=Scope.choices, default=Scope.EXTERNAL
    )
    goal_kinds = models.JSONField(_("goal kinds"), default=list, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent network"),
    )
    phase = models.PositiveSmallIntegerField(_("phase"), choices=Phase.choices, default=Phase.SEE)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__gte=1, phase__lte=4), name="network_phase_1_4"
            ),
            models.CheckConstraint(condition=Q(form__in=Form.values), name="network_form_valid"),
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="network_scope_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def level_labels(self) -> list[str]:
        return [str(Level(value).label) for value in self.levels if value in Level.values]

    def goal_kind_labels(self) -> list[str]:
        return [str(GoalKind(value).label) for value in self.goal_kinds if value in GoalKind.values]


class PhaseChange(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.PositiveSmallIntegerField(_("from phase"), choices=Phase.choices)
    to_phase = models.PositiveSmallIntegerField(_("to phase"), choices=Phase.choices)
    note = models.TextField(_("note"), blank=True, max_length=TEXT_MAX)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")

    def __str__(self) -> str:
        return f"{self.network}: {self.from_phase} → {self.to_phase}"


class Membership(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    in_steering_group = models.BooleanField(
        pgettext_lazy("membership", "in the steering or coordinating group"), default=False
    )
    joined_on = models.DateField(_("joined"), default=timezone.localdate)
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["network", "person__name", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_person",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.network}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


RATINGS = ("knowing", "trust", "commitment")


def _rating_field(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


def _rating_checks(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True})
            | Q(**{f"{field}__gte": 1, f"{field}__lte": 4}),
            name=f"{prefix}_{field}_1_4",
        )
        for field in RATINGS
    ]


class Tie(models.Model):
    """A directed relation person → person inside one network: one row per ordered pair.

    What is known about it comes from its origins (``TieOrigin``): entered by hand, imported from
    a file, each survey wave that reported it. ``strength`` is the strength of the most recent
    current origin and the ratings those of the most recent current origin that has them (a
    survey origin never does); ``networks.domain`` keeps them so. A tie exists while at least one
    origin is current. Organization-level ties are derived from these, never stored.
    """

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="ties", verbose_name=_("network")
    )
    source = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="ties_out", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="ties_in", verbose_name=_("to")
    )
    strength = models.CharField(
        _("strength"), max_length=8, choices=Strength.choices, default=Strength.WEAK
    )
    knowing = _rating_field(_("knowing"))
    trust = _rating_field(_("trust"))
    commitment = _rating_field(_("commitment"))
    since = models.DateField(_("since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["network", "source__name", "target__name", "id"]
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "source", "target"], name="tie_one_per_pair"
            ),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="tie_not_self"),
            models.CheckConstraint(
                condition=Q(strength__in=Strength.values), name="tie_strength_valid"
            ),
            *_rating_checks("tie"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def current_origins(self) -> list[TieOrigin]:
        """The origins that stand now, newest first (uses ``origins`` when prefetched)."""
        origins = [o for o in self.origins.all() if o.current]
        return sorted(origins, key=lambda o: (o.recorded_at, o.pk), reverse=True)

    @property
    def survey_reported(self) -> bool:
        return any(o.kind == OriginKind.SURVEY for o in self.current_origins())


class TieOrigin(models.Model):
    """One source that reports a tie, with the strength (and ratings) it gave and when.

    Entered and imported origins are one per tie and are updated in place; a survey wave adds
    its own origin, and a respondent's later wave makes their earlier waves' origins history
    (``current`` false). The wave itself is linked from ``surveys.WaveTie``; ``label`` keeps its
    title so that this floor can name it. A survey origin carries the wave, never a date that
    could point at a response: ``recorded_at`` is the wave's closing time, used only for order.
    """

    tie = models.ForeignKey(
        Tie, on_delete=models.CASCADE, related_name="origins", verbose_name=_("tie")
    )
    kind = models.CharField(_("source"), max_length=16, choices=OriginKind.choices)
    strength = models.CharField(_("strength"), max_length=8, choices=Strength.choices)
    knowing = _rating_field(_("knowing"))
    trust = _rating_field(_("trust"))
    commitment = _rating_field(_("commitment"))
    label = models.CharField(_("label"), max_length=NAME_MAX, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["tie", "-recorded_at", "-id"]
        verbose_name = _("tie source")
        verbose_name_plural = _("tie sources")
        constraints = [
            models.UniqueConstraint(
                fields=["tie", "kind"],
                condition=Q(kind__in=[OriginKind.ENTERED, OriginKind.IMPORTED]),
                name="tie_origin_one_entered_one_imported",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OriginKind.values), name="tie_origin_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(strength__in=Strength.values), name="tie_origin_strength_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=OriginKind.SURVEY)
                | Q(knowing__isnull=True, trust__isnull=True, commitment__isnull=True),
                name="tie_origin_survey_no_ratings",
            ),
            *_rating_checks("tie_origin"),
        ]
        indexes = [models.Index(fields=["tie", "kind"])]

    def __str__(self) -> str:
        return f"{self.tie_id}:{self.kind}"

    @property
    def name(self) -> str:
        """The source as the pages name it: its kind, and a survey wave's title."""
        if self.kind == OriginKind.SURVEY and self.label:
            return _("survey wave “%(title)s”") % {"title": self.label}
        return str(self.get_kind_display())

    @property
    def has_ratings(self) -> bool:
        return any(getattr(self, name) is not None for name in RATINGS)


EXTERNAL_KEY_MAX = 100


class ExternalKey(models.Model):
    """The id an imported file gave a person, remembered in the network it was imported into.

    A file's ``id`` column is the file's own (Gephi's 0…n, a register's ``E-1043``, a name),
    never a database id: it means something only in the network the file was imported into, so
    importing the same file again finds the same people there and nobody anywhere else. A person
    may have several keys in a network (two files that number people differently); a key means
    one person in a network.
    """

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="external_keys", verbose_name=_("network")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="external_keys", verbose_name=_("person")
    )
    key = models.CharField(_("id in the file"), max_length=EXTERNAL_KEY_MAX)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["network", "key"]
        verbose_name = _("external key")
        verbose_name_plural = _("external keys")
        constraints = [
            models.UniqueConstraint(fields=["network", "key"], name="external_key_one_per_network")
        ]
        indexes = [models.Index(fields=["person", "network"])]

    def __str__(self) -> str:
        return f"{self.network_id}:{self.key}"


class Invitation(models.Model):
    """An emailed link that lets a person into a network. Only the token's digest is stored."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.network}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class MapLayout(models.Model):
    """Server-computed map positions, kept until the ties or the people change.

    ``digest`` is a hash of the people, their organizations and the tie set; a map request whose
    digest differs recomputes the layout (the browser never runs one).
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="map_layouts")
    kind = models.CharField(max_length=16)
    digest = models.CharField(max_length=64)
    positions = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "kind"], name="map_layout_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.network_id}:{self.kind}"


class MapView(models.Model):
    """A saved view of the network map: its filters, its encoding (layout, size, colour), the
    positions a coordinator dragged into place, a title and a note.

    Coordinators prepare them for a meeting; every member of the network may open one (its
    address is the read-only share link) and step through them in the presentation. Positions
    are keyed by the map's node ids (``p12``, ``o3``) and cover only the nodes that were moved.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="map_views")
    title = models.CharField(_("title"), max_length=NAME_MAX)
    note = models.TextField(_("note"), blank=True, max_length=TEXT_MAX)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    encoding = models.JSONField(_("encoding"), default=dict, blank=True)
    positions = models.JSONField(_("positions"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["network", "order", "id"]
        verbose_name = _("saved map view")
        verbose_name_plural = _("saved map views")

    def __str__(self) -> str:
        return self.title


class MapPins(models.Model):
    """One person's own positions on a network's map: anyone who may view the map may drag
    nodes and keep them where they put them, seen by them alone."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="map_pins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    positions = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="map_pins_one_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.network_id}:{self.user_id}"


class PendingImport(models.Model):
    """Uploaded files waiting for the coordinator's confirmation; nothing is written before it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="pending_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    people_name = models.CharField(max_length=255)
    people_data = models.BinaryField()
    ties_name = models.CharField(max_length=255, blank=True)
    ties_data = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.network_id}:{self.people_name}"


class PersonChange(models.Model):
    """A change to a person's details that a coordinator proposed because they may not make it
    (networks/access.py ``person_edit``). It takes effect only when the person accepts it: on
    their own page, or by the single-use link mailed to the address they had when it was made.
    ``fields`` holds the proposed values by field name (``organization`` as an id)."""

    class State(models.TextChoices):
        OPEN = "open", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="proposed_changes", verbose_name=_("person")
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="+", verbose_name=_("network")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    fields = models.JSONField(_("proposed values"), default=dict)
    # The mailed link's digest; emptied when the person's address changes (the link went to the
    # old one). Null, not "", so that the unique constraint ignores changes without a link.
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["open", "accepted", "declined"]),
                name="person_change_state_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.state}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN and self.expires_at > timezone.now()


class FieldKind(models.TextChoices):
    TEXT = "text", pgettext_lazy("kind of custom field", "text")
    NUMBER = "number", pgettext_lazy("kind of custom field", "number")
    CHOICE = "choice", pgettext_lazy("kind of custom field", "choice")
    TAGS = "tags", pgettext_lazy("kind of custom field", "tags")


class FieldFor(models.TextChoices):
    PERSON = "person", pgettext_lazy("custom field for", "people")
    ORGANIZATION = "organization", pgettext_lazy("custom field for", "organizations")


CUSTOM_FIELD_NAME_MAX = 60
CUSTOM_VALUE_MAX = 1000  # characters of a text value, and of a choice or tag


class CustomField(models.Model):
    """A detail a network keeps on its people or organizations beyond Suhde's own (Kumu's
    fields and tags): defined by the network's coordinators, valued per network, since a person
    or organization may be in several networks that each keep their own."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="custom_fields", verbose_name=_("network")
    )
    applies_to = models.CharField(_("for"), max_length=16, choices=FieldFor.choices)
    name = models.CharField(_("name"), max_length=CUSTOM_FIELD_NAME_MAX)
    kind = models.CharField(_("kind"), max_length=8, choices=FieldKind.choices)
    # The allowed values of a choice field; a tags field lists the tags in use as suggestions.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["network", "applies_to", "position", "id"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "applies_to", "name"], name="custom_field_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FieldKind.values), name="custom_field_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(applies_to__in=FieldFor.values), name="custom_field_for_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CustomValue(models.Model):
    """One field's value for one person or one organization: text, a number, a choice, or a
    list of tags (JSON)."""

    field = models.ForeignKey(
        CustomField, on_delete=models.CASCADE, related_name="values", verbose_name=_("field")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="custom_values",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="custom_values",
        verbose_name=_("organization"),
    )
    value = models.JSONField(_("value"))

    class Meta:
        verbose_name = _("field value")
        verbose_name_plural = _("field values")
        constraints = [
            models.UniqueConstraint(
                fields=["field", "person"],
                condition=Q(person__isnull=False),
                name="custom_value_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["field", "organization"],
                condition=Q(organization__isnull=False),
                name="custom_value_one_per_organization",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, organization__isnull=True)
                | Q(person__isnull=True, organization__isnull=False),
                name="custom_value_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field_id}: {self.value}"
