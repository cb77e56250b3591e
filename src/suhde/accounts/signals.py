from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from suhde.common.audit import audit_record


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_record(request=request, user=user, action="login")


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(request=request, user=user, action="logout")


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    # The tried user name is not stored: it may be a password typed into the wrong field.
    audit_record(request=request, action="login", outcome="failed", label="?")
