from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from suhde.common.tokens import token_digest, token_find, token_new

from .models import ApiToken


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is shown once and never stored."""
    raw = f"suhde_{token_new()[0]}"
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        token_digest=token_digest(raw),
        prefix=raw[6:14],
        expires_at=timezone.now() + timedelta(days=settings.SUHDE_API_TOKEN_DAYS),
    )
    return token, raw


def api_token_user(*, raw: str) -> User | None:
    """The active user a raw token belongs to, or None for an unknown, expired or revoked one."""
    tokens = ApiToken.objects.select_related("user").filter(
        expires_at__gt=timezone.now(), user__is_active=True
    )
    token = token_find(tokens, raw)
    if token is None:
        return None
    if token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> bool:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)
