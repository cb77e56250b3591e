from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suhde.common.audit import audit_record
from suhde.networks.exports import FORMATS, TABLES, export_data, export_render
from suhde.networks.models import Network


class Command(BaseCommand):
    help = (
        "Export a network as csv (people or ties), xlsx (both), gexf, graphml, "
        "node-link json or vcard."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("network", help="the network's short name (slug)")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument(
            "--table", choices=TABLES, default="people", help="for csv: people or ties"
        )

    def handle(self, *args: object, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"No network with the short name {options['network']!r}.")
        data = export_data(network, contacts=True)
        body, _content_type, _name = export_render(data, options["format"], options["table"])
        Path(options["output"]).write_bytes(body)
        audit_record(action=f"export:{options['format']}", obj=network, label="command line")
        self.stdout.write(
            f"Wrote {options['output']}: {len(data.people)} people, {len(data.ties)} ties."
        )
