from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from suhde.common.forms import StyledForm
from suhde.common.mail import mail_queue
from suhde.common.net import client_ip
from suhde.common.ratelimit import rate_hit

TOO_MANY = _("Too many attempts. Wait a quarter of an hour and try again.")


def _limits_ok(request: HttpRequest, scope: str, account: str) -> bool:
    window = settings.SUHDE_LOGIN_LIMIT_WINDOW
    by_address = rate_hit(
        scope=f"{scope}:ip",
        subject=client_ip(request),
        limit=settings.SUHDE_LOGIN_LIMIT_PER_ADDRESS,
        window=window,
    )
    by_account = rate_hit(
        scope=f"{scope}:acct",
        subject=account or "-",
        limit=settings.SUHDE_LOGIN_LIMIT_PER_ACCOUNT,
        window=window,
    )
    return by_address and by_account


class LoginForm(AuthenticationForm, StyledForm):
    """Django's login form, with attempts counted per address and per account (promise 23)."""

    def clean(self) -> dict[str, Any]:
        if self.request is not None and not _limits_ok(
            self.request, "login", self.data.get("username", "")
        ):
            raise ValidationError(TOO_MANY, code="rate_limited")
        return super().clean()


class ResetForm(PasswordResetForm, StyledForm):
    """The same answer whether or not the address has an account; limited like the login."""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if self.request is not None and not _limits_ok(self.request, "reset", email):
            raise ValidationError(TOO_MANY, code="rate_limited")
        return email

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Through the outbox like every mail, with the link on SUHDE_SITE_URL (not the Host
        header of whoever asked)."""
        context = {**context, "site": settings.SUHDE_SITE_URL}
        mail_queue(
            kind="password_reset",
            to=to_email,
            subject=lambda: render_to_string(subject_template_name, context),
            template=email_template_name,
            context=context,
        )


class ApiTokenForm(StyledForm):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("For example the script or program that uses it."),
    )


class PasswordForm(PasswordChangeForm, StyledForm):
    pass


class NewPasswordForm(SetPasswordForm, StyledForm):
    pass
