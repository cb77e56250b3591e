from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common.audit import audit_record
from suhde.common.http import AuthedRequest

from . import domain
from .forms import ApiTokenForm, LoginForm, ResetForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

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
