"""What waits for the signed-in person, shown on "my networks" by the apps above.

An app registers a provider in its ``AppConfig.ready()`` (decisions: the polls that need my
vote); networks only shows the lines, so it imports none of those apps (docs/architecture.md,
floors). A provider takes the user and returns a few ``Attention`` lines in one or two queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User


@dataclass
class Attention:
    text: str
    url: str


PROVIDERS: list[Callable[..., list[Attention]]] = []


def attention_register(provider: Callable[..., list[Attention]]) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def attention_for(user: User) -> list[Attention]:
    return [item for provider in PROVIDERS for item in provider(user)]
