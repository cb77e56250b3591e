"""The dashboard on the network's home: phase 4 points to it, phase 1 lists the to-dos."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.coordination.digest import DigestSection
from suhde.networks.continuum import ChecklistItem
from suhde.networks.models import Network

from . import queries, weaving
from .models import Decision, SuggestionDecision

TODOS_SHOWN = 10


def dashboard_checklist(network: Network) -> list[ChecklistItem]:
    last = queries.waves_closed(network).only("id", "title", "network_id").first()
    if last is None:
        return []
    return [
        ChecklistItem(
            _("Results read together on the dashboard"),
            queries.todos(network).filter(wave=last).exists(),
            _("accept a weaving suggestion to make it a to-do"),
            reverse("evaluation:dashboard", args=[network.slug, last.pk]),
        )
    ]


def _todo_text(decision: SuggestionDecision, names: dict[str, str]) -> str:
    return weaving.reason(decision.suggestion, names)


def todo_checklist(network: Network) -> list[ChecklistItem]:
    """Accepted weaving suggestions of earlier waves: the next round's to-dos."""
    decisions = list(queries.todos(network)[:TODOS_SHOWN])
    if not decisions:
        return []
    names = {pid: p["name"] for pid, p in queries.names_of(network).items()}
    return [
        ChecklistItem(
            _todo_text(d, names),
            d.status == Decision.DONE,
            _("done") if d.status == Decision.DONE else _("to do"),
            reverse("evaluation:dashboard", args=[network.slug, d.wave_id]) + "#suggestions",
        )
        for d in decisions
    ]


def todo_digest(network: Network, *, today: date) -> DigestSection | None:
    open_todos = queries.todos(network).filter(status=Decision.ACCEPTED)
    count = open_todos.count()
    if not count:
        return None
    names = {pid: p["name"] for pid, p in queries.names_of(network).items()}
    lines = [_todo_text(d, names) for d in open_todos[:TODOS_SHOWN]]
    return DigestSection(
        title=ngettext("%(count)d weaving to-do", "%(count)d weaving to-dos", count)
        % {"count": count},
        lines=lines,
        url=reverse("evaluation:latest", args=[network.slug]),
    )
