from django.contrib import admin

from .models import AgendaBlock, LiveSession, Meeting, Method


class BlockInline(admin.TabularInline):
    model = AgendaBlock
    extra = 0
    fields = ["order", "title", "minutes", "method_key", "learning_mode", "decision_mode"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "starts_at", "minutes"]
    list_filter = ["network"]
    search_fields = ["title"]
    inlines = [BlockInline]
    raw_id_fields = ["event", "created_by"]


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "learning_mode", "minutes"]
    list_filter = ["network"]


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    # Posts and participants are left out on purpose: the admin is no back door to them.
    list_display = ["title", "network", "state", "created_at"]
    list_filter = ["state", "network"]
    readonly_fields = ("title", "network", "meeting", "state", "created_at", "ended_at")
    fields = readonly_fields
