from django.contrib import admin

from .models import AnnualClock, Category, Event


@admin.register(AnnualClock)
class AnnualClockAdmin(admin.ModelAdmin):
    list_display = ["network", "start_month", "stale_months", "reminder_days"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["network", "key", "name", "order"]
    list_filter = ["network"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "category", "start", "rrule", "source_kind"]
    list_filter = ["network"]
    search_fields = ["title"]
    raw_id_fields = ["responsible"]
