from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from suhde.common.removals import removals_purge


class Command(BaseCommand):
    help = (
        "Forget removals older than SUHDE_UNDO_DAYS (default 30), with the rows kept for undo. "
        "Run daily from cron or the task worker."
    )

    def handle(self, *args: str, **options: Any) -> None:
        count = removals_purge()
        self.stdout.write(
            ngettext(
                "%(count)d removal older than %(days)d days forgotten.",
                "%(count)d removals older than %(days)d days forgotten.",
                count,
            )
            % {"count": count, "days": settings.SUHDE_UNDO_DAYS}
        )
