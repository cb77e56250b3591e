from django.core.management.base import BaseCommand

from suhde.coordination.demo import clock_demo_load


class Command(BaseCommand):
    help = "Fill the demo network's annual clock (idempotent; run after `suhde demo`)."

    def handle(self, *args: str, **options: object) -> None:
        created = clock_demo_load()
        self.stdout.write(f"Demo clock: {created} events added.")
