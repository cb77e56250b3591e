from django.contrib import admin
from django.http import HttpRequest

from .models import ApiToken, SignInIdentity


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at"]
    readonly_fields = ["token_digest", "prefix", "created_at", "last_used_at"]
    search_fields = ["name", "user__username"]


@admin.register(SignInIdentity)
class SignInIdentityAdmin(admin.ModelAdmin):
    """Read only; deleting one unlinks the account, so that its owner can link it again (to a
    new tenant, say) at their next sign-in by verified address."""

    list_display = ["user", "issuer", "subject", "created_at", "last_used_at"]
    readonly_fields = ["user", "issuer", "subject", "created_at", "last_used_at"]
    search_fields = ["user__username", "subject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
