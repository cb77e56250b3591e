from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from suhde.common.text import email_normal
from suhde.common.tokens import token_digest, token_find, token_new

from .models import ApiToken, SignInIdentity


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


# --- single sign-on -----------------------------------------------------------------------------


class SignInRefused(Exception):
    """The sign-in service vouched for someone Suhde will not let in; ``reason`` says why
    (``accounts.sso.REFUSALS`` turns it into words)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def sign_in_account(
    *, issuer: str, subject: str, email: str, email_verified: bool, name: str, create: bool
) -> tuple[Any, str]:
    """The account a provider's subject signs in to, and how it was found: ``known`` (linked
    before), ``linked`` (an account with this verified address, linked now) or ``created``.

    The rules that keep an account from being taken over (docs/operations.md, "Single sign-on"):
    the provider's subject is what identifies someone once linked, never their address; an
    address links only when the provider says it verified it; an account is linked to one
    subject only, and a second subject never replaces the first; an operator's account
    (staff or superuser) is never linked by address; an inactive account stays shut.
    """
    if not subject:
        raise SignInRefused("no_subject")
    identity = (
        SignInIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        if not identity.user.is_active:
            raise SignInRefused("inactive")
        identity.last_used_at = timezone.now()
        identity.save(update_fields=["last_used_at"])
        return identity.user, "known"
    address = email_normal(email)
    if not address or email_verified is not True:
        raise SignInRefused("unverified")
    users = [
        user
        for user in get_user_model().objects.filter(email__iexact=address)
        if email_normal(user.email) == address
    ]
    if len(users) > 1:
        raise SignInRefused("ambiguous")
    if users:
        user, how = users[0], "linked"
        if user.is_staff or user.is_superuser:
            raise SignInRefused("operator")
        if not user.is_active:
            raise SignInRefused("inactive")
        if SignInIdentity.objects.filter(user=user).exists():
            raise SignInRefused("taken")
        _sign_in_only(user)
    elif create:
        user, how = _sign_in_user_create(address, name), "created"
    else:
        raise SignInRefused("no_account")
    try:
        with transaction.atomic():
            SignInIdentity.objects.create(
                user=user, issuer=issuer, subject=subject, last_used_at=timezone.now()
            )
    except IntegrityError:  # the same account or subject linked at this moment by another
        raise SignInRefused("taken") from None
    return user, how


def _sign_in_only(user) -> None:
    """From now on the account opens through the provider alone: its password stops working,
    which also ends its other sessions (their hash was the password's), and its API tokens are
    revoked. Whoever had set this address on an account beforehand, hoping to share it with its
    real owner once linked, keeps nothing."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user).delete()


def _sign_in_user_create(address: str, name: str):
    """A new account with no password: it signs in through the provider only (a password can
    be set later through the reset link sent to the verified address, unless SSO-only)."""
    model = get_user_model()
    username = address[:150]
    if model.objects.filter(username__iexact=username).exists():
        username = f"sso-{token_new()[0][:24]}"
    user = model.objects.create_user(
        username=username, email=address, first_name=(name or address.split("@")[0])[:150]
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def sign_in_identity_rows(person: Any, *, network_ids: Any, own: bool) -> dict[str, list]:
    """The person's download (promise 24): the link of their account to the sign-in service."""
    rows = SignInIdentity.objects.filter(user_id=person.user_id).values(
        "issuer", "subject", "created_at", "last_used_at"
    )
    return {"sign_in_identities": list(rows) if person.user_id else []}


def sign_in_identity_personal_erase(person: Any) -> dict[str, int]:
    """An erased person's account forgets its link to the sign-in service (promise 24); signing
    in there again makes a new, empty account."""
    if person.user_id is None:
        return {"sign_in_identities": 0}
    deleted, _ = SignInIdentity.objects.filter(user_id=person.user_id).delete()
    return {"sign_in_identities": deleted}
