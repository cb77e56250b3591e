from django.contrib import admin

from .models import ServicePath


@admin.register(ServicePath)
class ServicePathAdmin(admin.ModelAdmin):
    list_display = ("name", "network", "updated_at")
    search_fields = ("name",)
