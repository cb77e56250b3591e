"""The one way Suhde's PDFs fetch what their HTML names: only data: URLs (promise 21).

Every PDF embeds what it shows and reads its stylesheet from disk, so an address in the HTML —
even one that slipped in — is refused before anything is requested. A plain function would do
the same on older WeasyPrint, but WeasyPrint 70 expects a URLFetcher and crashes on a function
the moment a fetch is tried.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # WeasyPrint loads only when a PDF is made
    from weasyprint import URLFetcher


def pdf_fetcher() -> URLFetcher:
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def pdf_tagged(html: str, *, stylesheets: list | None = None) -> bytes:
    """A tagged, accessible PDF (PDF/UA-1) of ``html``: headings, lists, tables and the reading
    order reach a screen reader, and the document carries its language and title (``<html
    lang>`` and ``<title>`` of the template). Fetches only data: URLs, like every PDF here."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=pdf_fetcher()).write_pdf(
        stylesheets=stylesheets, pdf_variant="pdf/ua-1"
    )
