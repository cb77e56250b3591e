import os
import secrets
from typing import Any

from django.core.management.base import BaseCommand

from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network
from suhde.networks.signals import demo_loaded


class Command(BaseCommand):
    help = "Load the demo network (idempotent) and print the demo coordinator's login."

    def handle(self, *args: object, **options: Any) -> None:
        password = os.environ.get("SUHDE_DEMO_PASSWORD") or secrets.token_urlsafe(12)
        created = demo_load(password=password)
        demo_loaded.send(sender=Network, network=Network.objects.get(slug=CORE_SLUG))
        self.stdout.write("Demo network " + ("loaded." if created else "already there."))
        self.stdout.write(f"Log in as: demo\nPassword:  {password}")
