import json

from django.core.management.base import BaseCommand

from suhde.api import api


class Command(BaseCommand):
    help = "Print the API's OpenAPI schema, as committed in docs/openapi.json."

    def handle(self, *args: str, **options: object) -> None:
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
        self.stdout.write(json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False))
