"""A live session's record as CSV, Excel and PDF: every post and every poll's distribution.

Spreadsheet cells that a spreadsheet program would read as a formula are escaped (promise 19).
"""

import csv
import io
from datetime import date

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from suhde.common.pdf import pdf_fetcher
from suhde.networks.exports import escape_cell

from .models import LiveSession
from .queries import Results


def session_date(session: LiveSession) -> date:
    """The day the session was held: its meeting's, not the day it was prepared."""
    moment = session.meeting.starts_at if session.meeting else session.created_at
    return timezone.localdate(moment)


def rows(results: list[Results], session: LiveSession | None = None) -> list[list[object]]:
    header: list[object] = [
        _("Question"), _("Type"), pgettext("noun", "Answer"), _("Count"), _("Name"),
        _("Organization"), _("Hidden"), _("Pinned"), _("Time"), _("Meeting date"),
        _("Upvotes"), _("Answered"),
    ]  # fmt: skip
    day = session_date(session).isoformat() if session is not None else ""
    out: list[list[object]] = [header]
    for result in results:
        prompt = result.prompt
        kind = prompt.get_kind_display()
        for item in result.items:
            for post in [item.post, *item.merged]:
                upvotes: int | str = getattr(post, "upvote_count", 0) if prompt.is_qa else ""
                out.append(
                    [
                        prompt.question,
                        kind,
                        post.text,
                        item.count if post is item.post else 0,
                        post.participant.name,
                        post.participant.organization,
                        _("yes") if post.hidden else "",
                        _("yes") if post.pinned else "",
                        timezone.localtime(post.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                        day,
                        upvotes,
                        _("yes") if post.answered else "",
                    ]
                )
        for bar in result.bars:
            out.append(
                [prompt.question, kind, str(bar.label), bar.value, "", "", "", "", "", day, "", ""]
            )
    return out


def _name(session: LiveSession, extension: str) -> str:
    return f"{slugify(session.title)[:50] or 'session'}-{session.pk}.{extension}"


def _attachment(response: HttpResponse, session: LiveSession, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{_name(session, extension)}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(session: LiveSession, results: list[Results]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(results, session):
        writer.writerow([escape_cell(str(v)) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, session, "csv")


def xlsx_response(session: LiveSession, results: list[Results]) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Answers")[:31]
    for row in rows(results, session):
        sheet.append([escape_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _attachment(response, session, "xlsx")


def pdf_file(session: LiveSession, results: list[Results]) -> tuple[bytes, str]:
    """The session's record as a PDF and its file name (made by the worker: WeasyPrint took
    minutes for 3,000 posts on a busy machine)."""
    from weasyprint import HTML

    context = {"session": session, "results": results, "day": session_date(session)}
    html = render_to_string("workshops/session_pdf.html", context)
    # No base_url: the PDF never fetches anything, local or remote.
    return HTML(string=html, url_fetcher=pdf_fetcher()).write_pdf(), _name(session, "pdf")


def join_qr_svg(url: str) -> bytes:
    """The join address as a QR code for the presenter's screen (SVG)."""
    import segno

    out = io.BytesIO()
    qr = segno.make(url, error="m")
    qr.save(out, kind="svg", scale=8, border=2, xmldecl=False, title=_("Join code"))
    return out.getvalue()
