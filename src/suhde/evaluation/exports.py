"""The dashboard's downloads: an Excel file of the aggregates and the PDF report.

Both are built from the same ``Dashboard`` as the page, so suppression holds in them as it does
on the page: a hidden cell is the words "too few answers to show", never a number. The PDF is the
page's own template rendered for print; its charts are the same SVGs, embedded as data URIs.
"""

from __future__ import annotations

import base64
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from suhde.common.pdf import pdf_fetcher, pdf_tagged
from suhde.networks.exports import escape_cell
from suhde.networks.models import Network, Sector

from . import charts, reading
from .queries import FAMILIES, Dashboard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECTIONS = (
    "network",
    "sectors",
    "organizations",
    "theme_networks",
    "organization_ties",
    "sector_ties",
    "sector_matrix",
)


def _section_label(section: str) -> str:
    labels = {
        "network": _("Whole network"),
        "sectors": _("By sector"),
        "organizations": _("By organization"),
        "theme_networks": _("By theme network"),
        "organization_ties": _("Ties between organizations"),
        "sector_ties": _("Ties between sectors"),
        "sector_matrix": _("Sector × sector"),
    }
    return labels[section]


def _direction_label(direction: str) -> str:
    return {"received": _("received"), "given": _("given")}.get(direction, "")


def _key_label(section: str, key: str, names: dict) -> str:
    if section in ("sectors",) and key in Sector.values:
        return str(Sector(key).label)
    if section.endswith("_ties"):
        return {"within": _("within"), "across": _("across")}.get(key, key)
    if section == "sector_matrix":
        rater, _sep, partner = key.partition(">")
        return f"{Sector(rater).label} → {Sector(partner).label}"
    if section == "theme_networks":
        return names.get(key, key)
    if key == "network":
        return _("Whole network")
    return key


def _figure_rows(figures: dict, names: dict):
    """One row per group and direction; a family too few answered is the words, never a
    number, and a wholly hidden group says so once."""
    for section in SECTIONS:
        cells = figures.get(section)
        cells = [cells] if isinstance(cells, dict) else cells or []
        for cell in cells:
            row = [
                _section_label(section),
                _key_label(section, cell["key"], names),
                _direction_label(cell.get("direction", "")),
            ]
            counts = cell.get("counts") or {}
            if not counts:
                yield [*row, _("too few answers to show"), None, None, None, None]
                continue
            values = [
                _round(cell.get(family), 1) if family in counts else _("too few answers to show")
                for family in FAMILIES
            ]
            yield [*row, *values, cell["respondents"]]


def _round(value, digits: int):
    return round(value, digits) if isinstance(value, float) else value


# Excel shows these in the reader's own locale: "4,7 %" in a Finnish Excel, "4.7%" in English.
PERCENT, DECIMAL = "0.0%", "0.00"


def _cell(sheet, value, number_format: str | None = None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=escape_cell(value))
    if number_format:
        cell.number_format = number_format
    return cell


def _structure_row(sheet, key: str, value) -> list:
    """A figure by its name in the reader's language, rounded to what it means."""
    if key in reading.SHARES and value is not None:
        return [_cell(sheet, reading.figure_name(key)), _cell(sheet, round(value, 3), PERCENT)]
    if isinstance(value, float):
        return [_cell(sheet, reading.figure_name(key)), _cell(sheet, round(value, 2), DECIMAL)]
    return [_cell(sheet, reading.figure_name(key)), _cell(sheet, value)]


def to_xlsx(board: Dashboard) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Indices"))
    sheet.append(
        [
            _("Group"),
            _("Name"),
            _("Direction"),
            _("Knowing"),
            _("Trust"),
            _("Keeps promises"),
            _("Own commitment"),
            _("Respondents"),
        ]
    )
    for row in _figure_rows(board.figures, board.theme_names):
        sheet.append([escape_cell(v) for v in row])
    sheet = workbook.create_sheet(_("Structure"))
    sheet.append([_("Figure"), _("Value")])
    for key, value in board.network.items():
        sheet.append(_structure_row(sheet, key, value))
    sheet = workbook.create_sheet(_("Ties between sectors"))
    sheet.append([_("Raters' sector"), _("Rated people's sector"), _("Ties")])
    for row in board.heatmap["rows"]:
        for cell in row["cells"]:
            sheet.append(
                [str(Sector(cell["rater"]).label), str(Sector(cell["partner"]).label), cell["ties"]]
            )
    sheet = workbook.create_sheet(_("Communities"))
    sheet.append(
        [
            _("Community"),
            _("People"),
            _("Organizations"),
            _("Largest organization"),
            _("Share of the largest organization"),
        ]
    )
    for number, row in enumerate(board.communities["rows"], start=1):
        sheet.append(
            [
                number,
                row["size"],
                row["organizations"],
                escape_cell(row["largest"]),
                _cell(sheet, round(row["largest_share"], 3), PERCENT),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# The map has one path per tie; as SVG it took WeasyPrint 20 s at 500 members, as PNG well under 1.
PDF_FORMATS = {"map": "png"}


def _data_uri(data: bytes, fmt: str) -> str:
    return f"data:{charts.FORMATS[fmt]};base64," + base64.b64encode(data).decode()


def _pdf_chart(board: Dashboard, name: str, by: str) -> str:
    fmt = PDF_FORMATS.get(name, "svg")
    return _data_uri(charts.dashboard_chart(board, name, fmt, by=by), fmt)


def report_context(board: Dashboard, context: dict) -> dict:
    """The page's context for print: charts inline, no viewer's own view, no hidden answers."""
    by = context.get("map_by", "sector")
    images = {name: _pdf_chart(board, name, by) for name in charts.CHARTS}
    return {**context, "pdf": True, "chart_data": images, "show_mine": False}


def report_html(board: Dashboard, context: dict) -> str:
    return render_to_string("evaluation/dashboard.html", report_context(board, context))


def to_pdf(board: Dashboard, context: dict) -> bytes:
    """The report embeds everything it needs, so only data: URLs are fetched (promise 21)."""
    from weasyprint import HTML

    html = report_html(board, context)
    return HTML(string=html, url_fetcher=pdf_fetcher()).write_pdf()


def round_report_html(network: Network, number: int) -> str:
    """The report's own page template, laid out for print: no navigation, no forms."""
    from .report import round_report

    context = {"network": network, "report": round_report(network, number), "pdf": True}
    return render_to_string("evaluation/round_report.html", context)


def round_report_pdf(network: Network, number: int) -> bytes:
    """The round report as a tagged PDF in the active language."""
    return pdf_tagged(round_report_html(network, number))
