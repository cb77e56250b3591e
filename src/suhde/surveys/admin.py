"""Only waves are in the admin. Responses and answers are never registered here (promise 8)."""

from django.contrib import admin
from django.http import HttpRequest

from .models import Wave


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin[Wave]):
    list_display = ["title", "network", "status", "opens_at", "closes_at", "k"]
    list_filter = ["status"]
    search_fields = ["title", "network__name"]
    list_select_related = ["network"]
    exclude = ["snapshot", "reminders_sent"]
    readonly_fields = ["network", "status", "closed_at", "k", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # waves are opened in the app, where the rules are checked

    def has_delete_permission(self, request: HttpRequest, obj: Wave | None = None) -> bool:
        return False
