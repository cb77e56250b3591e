from django.contrib import admin
from django.forms import Form
from django.http import HttpRequest

from .domain import person_email_record
from .models import (
    Invitation,
    Membership,
    Network,
    Organization,
    Person,
    PhaseChange,
    Tie,
    TieOrigin,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


class PhaseChangeInline(admin.TabularInline):
    model = PhaseChange
    extra = 0
    readonly_fields = ["changed_at", "changed_by"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "form", "scope", "phase", "parent", "archived_at"]
    list_filter = ["form", "scope", "phase"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseChangeInline]
    list_select_related = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "parent", "archived_at"]
    list_filter = ["sector"]
    search_fields = ["name"]
    filter_horizontal = ["networks"]
    list_select_related = ["parent"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "title", "email", "confirmed_at"]
    search_fields = ["name", "email", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization", "user"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Person, form: Form, change: bool) -> None:
        """An address changed here is audited and followed up like everywhere else."""
        old = Person.objects.filter(pk=obj.pk).values_list("email", flat=True).first() or ""
        super().save_model(request, obj, form, change)
        if change and obj.email != old:
            person_email_record(person=obj, old_email=old, user=request.user)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "network", "role", "in_steering_group", "joined_on", "left_on"]
    list_filter = ["role", "in_steering_group", "network"]
    search_fields = ["person__name", "network__name"]
    list_select_related = ["person", "network"]
    autocomplete_fields = ["person", "network"]


class TieOriginInline(admin.TabularInline):
    """A tie's sources, read-only here: they are written by hand entry, import and survey waves."""

    model = TieOrigin
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "label", "strength", "knowing", "trust", "commitment", "current")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Tie | None = None) -> bool:
        return False


@admin.register(Tie)
class TieAdmin(admin.ModelAdmin):
    list_display = ["source", "target", "network", "strength", "since"]
    list_filter = ["strength", "origins__kind", "network"]
    list_select_related = ["source", "target", "network"]
    autocomplete_fields = ["source", "target", "network"]
    inlines = [TieOriginInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "network", "role", "created_at", "expires_at", "used_at"]
    exclude = ["token_digest"]
    list_select_related = ["network"]
    readonly_fields = ["network", "person", "email", "role", "invited_by", "expires_at", "used_at"]
