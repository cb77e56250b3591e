from django.contrib import admin

from .models import CharterRole, CharterVersion, Goal, Indicator


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ("network", "number", "author_name", "created_at", "agreed_on")
    readonly_fields = ("answers",)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("title", "network", "kind", "due_on")
    inlines = [IndicatorInline]


@admin.register(CharterRole)
class CharterRoleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "network", "kind")
