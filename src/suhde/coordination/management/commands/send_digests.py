from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suhde.common.mail import outbox_deliver
from suhde.coordination.digest import digests_send, reminders_send
from suhde.coordination.domain import coordination_purge


class Command(BaseCommand):
    help = (
        "Mail each coordinator this week's digest (once per week) and each responsible person "
        "their event reminders (once per occurrence), and purge used links and old records. "
        "Safe to run daily from cron or a timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--language", help="Language of the mails (default: LANGUAGE_CODE).")

    def handle(self, *args: str, **options: Any) -> None:  # as BaseCommand's
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as error:
            raise CommandError("--today must be a date like 2026-03-10") from error
        digests = digests_send(today=today, language=options["language"])
        reminders = reminders_send(today=today, language=options["language"])
        purged = coordination_purge()
        outbox_deliver()  # without a running worker, cron alone still delivers them
        self.stdout.write(
            f"Digests sent: {digests}\nReminders sent: {reminders}\nOld records purged: {purged}"
        )
