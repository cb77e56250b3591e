"""The charter as print and PDF: the answers, open questions, goals with indicators and roles."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from suhde.common.pdf import pdf_fetcher
from suhde.networks.models import Network

from . import queries


def print_context(network: Network) -> dict[str, object]:
    current = queries.charter_current(network)
    return {
        "network": network,
        "current": current,
        "agreed": queries.charter_versions(network).filter(agreed_on__isnull=False).first(),
        "sections": queries.charter_sections(current),
        "goals": queries.goals_of(network),
        "roles": queries.roles_of(network),
    }


def charter_pdf(network: Network) -> tuple[bytes, str]:
    """The charter as a PDF and its file name (made by the worker: WeasyPrint holds a web worker
    for seconds on a long charter)."""
    from weasyprint import CSS, HTML

    html = render_to_string("charter/charter_print.html", {**print_context(network), "pdf": True})
    # The stylesheet is read from disk and nothing is fetched over the network (promise 21).
    stylesheet = CSS(filename=finders.find("charter/print.css"))
    pdf = HTML(string=html, url_fetcher=pdf_fetcher()).write_pdf(stylesheets=[stylesheet])
    return pdf, f"charter-{network.slug}.pdf"
