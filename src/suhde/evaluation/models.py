"""What a coordinator decided about a weaving suggestion of a closed wave.

The suggestion itself lives in the wave's snapshot (structural, from ``suhde.analysis``); this
row only remembers the decision, under the suggestion's stable key, and a copy of what it said so
that an accepted to-do still reads the same after the next wave.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suhde.networks.models import Network
from suhde.surveys.models import Wave


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    DISMISSED = "dismissed", _("dismissed")
    DONE = "done", _("done")


class SuggestionDecision(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="suggestion_decisions"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="suggestion_decisions")
    key = models.CharField(max_length=40)
    kind = models.CharField(max_length=32)
    suggestion = models.JSONField(default=dict)  # the snapshot's suggestion, as it was shown
    status = models.CharField(_("status"), max_length=12, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("suggestion decision")
        verbose_name_plural = _("suggestion decisions")
        constraints = [
            models.UniqueConstraint(fields=["wave", "key"], name="suggestion_decision_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=Decision.values), name="suggestion_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.key}"
