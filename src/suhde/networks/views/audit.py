"""The network's audit log for its coordinators (promise 26)."""

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from .. import queries
from ..access import Need, network_view
from ..models import Network


@network_view(Need.MANAGE)
def audit_log(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    """Who did what in this network: newest first, 50 to a page, filtered by action."""
    actions = queries.audit_actions(network)
    action = request.GET.get("action", "")
    if action not in {code for code, _label in actions}:
        action = ""
    page = Paginator(queries.audit_entries(network, action=action), queries.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "network": network,
        "page": page,
        "rows": queries.audit_rows(page),
        "actions": actions,
        "action": action,
    }
    return render(request, "networks/audit.html", context)
