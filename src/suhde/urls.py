from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from suhde.accounts.forms import NewPasswordForm
from suhde.accounts.sso import SignInCallback, SignInStart
from suhde.accounts.views import LoginView, PasswordResetView
from suhde.common.views import accessibility, guide_index, guide_page_view, healthz
from suhde.networks.views import invitation_accept, person_change_link

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("accessibility/", accessibility, name="accessibility"),
    path("guide/", guide_index, name="guide"),
    path("guide/<slug:key>/", guide_page_view, name="guide_page"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sso/login/", SignInStart.as_view(), name="sso_login"),
    path("sso/callback/", SignInCallback.as_view(), name="sso_callback"),
    path("reset/", PasswordResetView.as_view(), name="password_reset"),
    path("reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invite/<str:token>/", invitation_accept, name="invitation_accept"),
    path("change/<str:token>/", person_change_link, name="person_change_link"),
    path("s/", include("suhde.surveys.respond_urls")),
    path("j/", include("suhde.workshops.join_urls")),
    path("account/", include("suhde.accounts.urls")),
    path("", include("suhde.coordination.urls")),
    path("", include("suhde.surveys.urls")),
    path("", include("suhde.charter.urls")),
    path("", include("suhde.workshops.urls")),
    path("", include("suhde.decisions.urls")),
    path("", include("suhde.paths.urls")),
    path("", include("suhde.evaluation.urls")),
    path("", include("suhde.publish.urls")),
    path("", include("suhde.networks.urls")),
]
