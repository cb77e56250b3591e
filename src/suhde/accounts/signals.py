from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from suhde.common.audit import audit_record

from .models import ApiToken


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


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_password_change(sender, instance, **kwargs):
    # ``set_password`` keeps the new password in ``_password`` until the save; Django clears it
    # for a mere re-hash at login, so only a real change (form, reset, admin, command) counts.
    instance._suhde_password_changed = instance.pk is not None and bool(
        getattr(instance, "_password", None)
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _revoke_tokens_on_password_change(sender, instance, created, **kwargs):
    """A new password ends every API token too, as it ends the other sessions (promise 7)."""
    if getattr(instance, "_suhde_password_changed", False):
        instance._suhde_password_changed = False
        ApiToken.objects.filter(user_id=instance.pk).delete()
