"""Single sign-on with OpenID Connect (authorization code flow with PKCE and a nonce).

The protocol is mozilla-django-oidc's: its views keep the state, nonce and PKCE verifier in the
session and its backend trades the code for tokens and checks the ID token's signature and
nonce. Suhde adds what the library leaves to its users: the endpoints from the provider's
discovery document (whose issuer must be the configured one), the ID token's issuer and
audience, the ``iss`` of the authorization response (RFC 9207), the rules of
``domain.sign_in_account`` about whose account a sign-in opens, a clear page instead of a bare
400 or redirect when anything fails, and an audit entry for every outcome.

The apps above fill ``sign_in_register`` (in their ``AppConfig.ready()``) with what follows a
sign-in: ``networks`` links a new account to its person and grants the roles that the
provider's groups map to (``SUHDE_OIDC_ROLES``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from suhde.common.audit import audit_record

from .domain import SignInRefused, sign_in_account

log = logging.getLogger(__name__)

# What each refusal tells the person (they did nothing wrong; the page says whom to ask).
REFUSALS = {
    "unverified": _(
        "Your organization’s sign-in service did not confirm that the email address it gave "
        "is yours, so Suhde cannot tell which account is yours. Ask your IT support to send a "
        "verified address."
    ),
    "taken": _(
        "The account with this email address is already linked to another identity at your "
        "organization’s sign-in service. Suhde never moves an account from one identity to "
        "another: ask the administrator of Suhde."
    ),
    "ambiguous": _(
        "More than one account in Suhde has this email address, so Suhde will not guess which "
        "one is yours. Ask the administrator of Suhde."
    ),
    "operator": _(
        "This email address belongs to an administrator’s account, which is never opened "
        "through single sign-on. Log in with the administrator’s password."
    ),
    "inactive": _("This account has been closed. Ask the administrator of Suhde."),
    "no_account": _(
        "There is no account in Suhde for this email address, and new accounts are not made "
        "at sign-in here. Ask a coordinator of your network for an invitation."
    ),
    "no_subject": _("The sign-in service did not say who you are."),
    "protocol": _(
        "The answer from the sign-in service could not be accepted: it was not for this "
        "sign-in, it was used already, or it came from another service. Nothing was changed. "
        "Start again from the login page."
    ),
    "denied": _("The sign-in was cancelled at the sign-in service. Nothing was changed."),
    "unavailable": _(
        "The sign-in service cannot be reached right now. Try again in a moment; if it keeps "
        "happening, tell the administrator of Suhde."
    ),
}
STATUS = {"protocol": 400, "denied": 400, "unavailable": 503}

# The library's settings that the provider's discovery document fills.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_SECONDS = 3600
_discovery: dict[str, Any] = {}
_discovery_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The discovery document could not be read, or it names another issuer."""


def sso_enabled() -> bool:
    return bool(settings.SUHDE_OIDC_ISSUER)


def discovery() -> dict[str, Any]:
    """The provider's discovery document, read once an hour per process. Its ``issuer`` must be
    the configured one exactly (OpenID Connect Discovery, section 4.3)."""
    with _discovery_lock:
        if _discovery.get("issuer_configured") == settings.SUHDE_OIDC_ISSUER and (
            time.monotonic() - _discovery.get("read_at", 0.0) < DISCOVERY_SECONDS
        ):
            return _discovery["document"]
        url = settings.SUHDE_OIDC_DISCOVERY_URL
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailable(f"{url}: {error}") from error
        if not isinstance(document, dict) or document.get("issuer") != (settings.SUHDE_OIDC_ISSUER):
            raise ProviderUnavailable(f"{url} names another issuer")
        missing = [key for key in DISCOVERED.values() if not document.get(key)]
        if missing:
            raise ProviderUnavailable(f"{url} lacks {', '.join(missing)}")
        _discovery.update(
            document=document,
            read_at=time.monotonic(),
            issuer_configured=settings.SUHDE_OIDC_ISSUER,
        )
        return document


def discovery_forget() -> None:
    with _discovery_lock:
        _discovery.clear()


def oidc_setting(attr: str, *args: Any) -> Any:
    if attr in DISCOVERED:
        return discovery()[DISCOVERED[attr]]
    return import_from_settings(attr, *args)


# --- what follows a sign-in, registered by the apps above ----------------------------------------

_AFTER: list[Callable[..., None]] = []


def sign_in_register(after: Callable[..., None]) -> None:
    """``after(request=, user=, claims=, how=)`` runs in the sign-in's transaction."""
    if after not in _AFTER:
        _AFTER.append(after)


class Backend(OIDCAuthenticationBackend):
    """The library's backend with Suhde's rules of whose account a sign-in opens."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django makes every backend for every sign-in, a password's too: the provider's
        # endpoints are read only when a sign-in through it arrives (``authenticate``).
        self.UserModel = auth.get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not sso_enabled() or request is None or "code_verifier" not in kwargs:
            return None  # a password sign-in (only the callback passes a PKCE verifier)
        self.OIDC_OP_TOKEN_ENDPOINT = oidc_setting("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = oidc_setting("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = oidc_setting("OIDC_OP_JWKS_ENDPOINT")
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != settings.SUHDE_OIDC_ISSUER:
            raise SuspiciousOperation("The ID token names another issuer.")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client.")
        if len(audiences) > 1 and payload.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token was issued to another party.")
        return payload

    def get_user(self, user_id: Any) -> Any:
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None  # promise 7

    @transaction.atomic
    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        claims = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.2: the UserInfo answer is about the ID token's subject.
            raise SuspiciousOperation("The UserInfo answer is about someone else.")
        merged = {**claims, **{k: v for k, v in payload.items() if k not in claims}}
        verified = merged.get(settings.SUHDE_OIDC_EMAIL_VERIFIED_CLAIM)
        user, how = sign_in_account(
            issuer=settings.SUHDE_OIDC_ISSUER,
            subject=str(payload.get("sub") or ""),
            email=str(merged.get("email") or ""),
            email_verified=verified is True or verified == "true",
            name=str(merged.get("name") or ""),
            create=settings.OIDC_CREATE_USER,
        )
        for after in _AFTER:
            after(request=self.request, user=user, claims=merged, how=how)
        if how != "known":
            audit_record(request=self.request, user=user, action="sso_link", detail=how)
        return user


def _failure(request: HttpRequest, reason: str) -> HttpResponse:
    audit_record(request=request, action="login", outcome="failed", label="sso", detail=reason)
    return render(
        request,
        "accounts/sso_failed.html",
        {"message": REFUSALS[reason]},
        status=STATUS.get(reason, 403),
    )


class SignInStart(OIDCAuthenticationRequestView):
    """``/sso/login/``: off to the provider, with a state, a nonce and a PKCE challenge."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads the endpoints here; Suhde reads them (from discovery) in get().
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as error:
            log.warning("single sign-on: %s", error)
            return _failure(request, "unavailable")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignInCallback(OIDCAuthenticationCallbackView):
    """``/sso/callback/``: the provider sends the browser back here with a code."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        if request.GET.get("error"):
            # The state is spent (no replay), and nobody is signed out by a link to here.
            states = request.session.get("oidc_states") or {}
            if states.pop(request.GET.get("state", ""), None) is not None:
                request.session["oidc_states"] = states
            return _failure(request, "denied")
        issuer = request.GET.get("iss")
        if issuer is not None and issuer != settings.SUHDE_OIDC_ISSUER:
            return _failure(request, "protocol")  # RFC 9207: an answer from another service
        try:
            return super().get(request)
        except SignInRefused as refused:
            return _failure(request, refused.reason)
        except (SuspiciousOperation, requests.HTTPError, KeyError, ValueError) as error:
            log.warning("single sign-on refused: %s", error)
            return _failure(request, "protocol")
        except (ProviderUnavailable, requests.RequestException) as error:
            log.warning("single sign-on: %s", error)
            return _failure(request, "unavailable")

    def login_failure(self) -> HttpResponse:
        return _failure(self.request, "protocol")


class PasswordBackend(ModelBackend):
    """Passwords, as Django checks them; in SSO-only mode (``SUHDE_OIDC_ONLY``) for operators'
    accounts alone, so that the administration keeps a way in when the provider is down."""

    def user_can_authenticate(self, user: Any) -> bool:
        if settings.SUHDE_OIDC_ONLY and not (user.is_staff or user.is_superuser):
            return False
        return super().user_can_authenticate(user)
