from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common.audit import audit_record
from suhde.common.http import AuthedRequest

from . import domain
from .forms import ApiTokenForm, LoginForm, ResetForm
from .sso import sso_enabled


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "sso_enabled": sso_enabled(),
            "sso_only": settings.SUHDE_OIDC_ONLY,
            "sso_name": settings.SUHDE_OIDC_NAME,
        }


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if settings.SUHDE_OIDC_ONLY:
            raise Http404  # passwords are the operators' alone (docs/operations.md)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


@login_required
def account(request: AuthedRequest) -> HttpResponseBase:
    form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(request, "accounts/account.html", {"form": form, "tokens": tokens})


@login_required
@require_POST
def api_token_create(request: AuthedRequest) -> HttpResponseBase:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        tokens = request.user.api_tokens.all()
        return render(
            request, "accounts/account.html", {"form": form, "tokens": tokens}, status=400
        )
    token, raw = domain.api_token_create(user=request.user, name=form.cleaned_data["name"])
    audit_record(request=request, action="api_token_create", obj=token)
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/account.html",
        {"form": ApiTokenForm(), "tokens": tokens, "new_token": raw},
    )


@login_required
@require_POST
def api_token_revoke(request: AuthedRequest, token_id: int) -> HttpResponseBase:
    if domain.api_token_revoke(user=request.user, token_id=token_id):
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:account")
