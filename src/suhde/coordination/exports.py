"""The contact list as vCard, CSV and Excel. Cells that a spreadsheet would run are escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import vobject
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from suhde.common.pdf import pdf_fetcher
from suhde.networks.models import Role

from .queries import Contact

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """Promise 19: a cell starting with = + - @ tab or CR is read as text, not as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def _header() -> list[str]:
    return [
        _("Name"),
        _("Organization"),
        pgettext("job title", "Title"),
        _("Role"),
        _("Email"),
        _("Phone"),
        _("Confirmed"),
        _("Stale"),
    ]


def _row(contact: Contact) -> list[str]:
    person = contact.person
    confirmed = person.confirmed_at
    return [
        person.name,
        person.organization.name if person.organization else "",
        person.title,
        str(Role(contact.membership.role).label),
        person.email,
        person.phone,
        formats.date_format(confirmed, "Y-m-d") if confirmed else "",
        _("yes") if contact.stale else _("no"),
    ]


def contacts_csv(contacts: Iterable[Contact]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header())
    for contact in contacts:
        writer.writerow([cell(value) for value in _row(contact)])
    # A byte-order mark so that Excel opens the Finnish letters right.
    return ("\ufeff" + buffer.getvalue()).encode()


def contacts_xlsx(contacts: Iterable[Contact], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "contacts"
    sheet.append(_header())
    for contact in contacts:
        sheet.append([cell(value) for value in _row(contact)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def contacts_vcard(contacts: Iterable[Contact]) -> bytes:
    cards = []
    for contact in contacts:
        person = contact.person
        card = vobject.vCard()
        card.add("fn").value = person.name
        parts = person.name.rsplit(" ", 1)
        card.add("n").value = vobject.vcard.Name(
            family=parts[-1], given=parts[0] if len(parts) > 1 else ""
        )
        if person.email:
            card.add("email").value = person.email
            card.email.type_param = "WORK"
        if person.phone:
            card.add("tel").value = person.phone
            card.tel.type_param = "WORK"
        if person.organization:
            card.add("org").value = [person.organization.name]
        if person.title:
            card.add("title").value = person.title
        cards.append(card.serialize())
    return "".join(cards).encode()


def clock_pdf(context: dict) -> tuple[bytes, str]:
    """The wheel and the year's list as a PDF and its file name, fetching nothing (promise 21).

    Made by the worker: WeasyPrint holds a web worker for seconds on a full year."""
    from weasyprint import CSS, HTML

    html = render_to_string("coordination/clock_print.html", context)
    stylesheet = CSS(filename=finders.find("coordination/clock-print.css"))
    pdf = HTML(string=html, url_fetcher=pdf_fetcher()).write_pdf(stylesheets=[stylesheet])
    return pdf, f"clock-{context['network'].slug}-{context['window'].year}.pdf"
