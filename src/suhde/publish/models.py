"""Spreading (issue 22, point 6): a network's opt-in public summary.

One row per network, made when a coordinator first opens the page; nothing is public until they
turn it on, and turning it off takes the page and its JSON away at once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suhde.networks.models import Network

CONTACT_MAX = 254


class PublicSummary(models.Model):
    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="public_summary")
    enabled = models.BooleanField(_("public"), default=False)
    contact = models.CharField(_("contact"), max_length=CONTACT_MAX, blank=True)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("public summary")
        verbose_name_plural = _("public summaries")

    def __str__(self) -> str:
        return f"{self.network} ({'on' if self.enabled else 'off'})"
