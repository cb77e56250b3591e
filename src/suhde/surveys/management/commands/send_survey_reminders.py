from typing import Any

from django.core.management.base import BaseCommand

from suhde.common.mail import outbox_deliver
from suhde.surveys.domain import reminders_due


class Command(BaseCommand):
    help = "Send the scheduled survey reminders that are due (run hourly from cron or a timer)."

    def handle(self, *args: object, **options: Any) -> None:
        sent = reminders_due()
        outbox_deliver()  # without a running worker, cron alone still delivers them
        self.stdout.write(f"{sent} reminders sent.")
