from django.contrib import admin

from .models import Decision

# Ballots and personal links are not in the admin: who answered what stays out of sight.


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("title", "network", "mode", "status", "decided_on", "review_on")
    list_filter = ("mode", "status")
