"""The open data of a public summary: the same content as the public page, as JSON."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from ninja import Router

from suhde.networks.schemas import ErrorOut

from . import queries
from .ratelimit import PUBLIC_PER_ADDRESS, public_read_allowed
from .schemas import PublicSummaryOut

router = Router(tags=["publish"])


@router.get(
    "/public/{slug}",
    response={200: PublicSummaryOut, 404: ErrorOut, 429: ErrorOut},
    auth=None,
    operation_id="public_summary_get",
)
def public_summary_get(request: HttpRequest, slug: str) -> dict | JsonResponse:
    """A network's public summary, open to anyone; 404 when its coordinator has not made it
    public, exactly as for a network that does not exist."""
    if not public_read_allowed(request):
        response = JsonResponse(
            {"detail": "Too many requests: wait a moment and try again."}, status=429
        )
        response["Retry-After"] = str(PUBLIC_PER_ADDRESS[1])
        return response
    network = queries.public_network(slug)
    data = queries.public_data(network, queries.summary_of(network))
    return {
        "network": data.slug,
        "name": data.name,
        "purpose": data.purpose,
        "form": network.form,
        "organizations": [{"name": o.name, "sector": o.sector} for o in data.organizations],
        "round": data.round_number,
        "round_starts_on": data.round_starts_on,
        "round_ends_on": data.round_ends_on,
        "in_brief": data.in_brief,
        "goals": [
            {"title": g.title, "kind": g.kind, "verdict": g.verdict, "indicators": g.indicators}
            for g in data.goals
        ],
        "figures": data.figures,
        "k": data.k,
        "next_focus": data.next_focus,
        "contact": data.contact,
    }
