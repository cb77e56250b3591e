from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import PasswordForm

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/new/", views.api_token_create, name="api_token_create"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            form_class=PasswordForm, success_url=reverse_lazy("accounts:password_done")
        ),
        name="password_change",
    ),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_done"),
]
