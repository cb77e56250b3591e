"""Bounded readers: hostile files refused by a named limit, real ones read as Excel shows them."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from suhde.common.readers import Limits, ReadRefused, csv_rows, ics_check, xlsx_rows
from tests import hostile_files as hostile

SMALL = Limits(
    bytes=1 << 20, unpacked=1 << 20, rows=5, columns=4, cells=12, strings=3, cell_chars=10
)


def _refusal(read, *args, **kwargs) -> tuple[str, int | None, str]:
    with pytest.raises(ReadRefused) as caught:
        read(*args, **kwargs)
    return caught.value.message, caught.value.row, caught.value.column


def _rows(*rows_xml: str, dimension: str = "", strings: bytes | None = None, limits=SMALL):
    data = hostile.workbook({"people": hostile.sheet("".join(rows_xml), dimension)}, strings)
    return xlsx_rows(data, limits)


# --- the attacks of issue 14 -----------------------------------------------------------------


def test_xlsx_dimension_bomb_is_refused_by_its_declaration():
    assert _refusal(xlsx_rows, hostile.dimension_bomb(), Limits()) == (
        "The sheet declares 1,048,576 rows and 16,384 columns; "
        "the limit is 1,000,000 rows and 256 columns.",
        None,
        "",
    )


def test_xlsx_cell_far_to_the_right_is_refused_by_the_column_limit():
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    assert _refusal(_rows, far) == ("The file has more than 4 columns, the limit.", 1048576, "")


def test_xlsx_empty_styled_cell_far_to_the_right_counts_for_nothing():
    assert _rows('<row r="2"><c r="A2"><v>7</v></c><c r="XFD2" s="1"/></row>') == [(2, ["7"])]


def test_xlsx_zip_bomb_is_refused_by_its_declared_size():
    bomb = hostile.zip_bomb(2 << 20)
    assert len(bomb) < 10_000
    assert _refusal(xlsx_rows, bomb, SMALL) == (
        "The workbook unpacks to more than 1 MB, the limit.",
        None,
        "",
    )


def test_xlsx_zip_bomb_that_lies_about_its_size_is_read_no_further_than_it_says():
    bomb = hostile.lying_zip_bomb(8 << 20)
    assert _refusal(xlsx_rows, bomb, Limits()) == (
        "The file is not an Excel workbook (.xlsx), though its name or content says so.",
        None,
        "",
    )


def test_xlsx_flood_of_real_rows_is_refused_by_the_row_limit():
    flood = hostile.xml_flood(1 << 19)
    assert _refusal(xlsx_rows, flood, Limits(rows=1000)) == (
        "The file has more than 1,000 rows, the limit.",
        1001,
        "",
    )


def test_xlsx_reading_past_its_time_is_refused():
    flood = hostile.xml_flood(1 << 19)
    assert _refusal(xlsx_rows, flood, Limits(seconds=0)) == (
        "Reading the file took longer than the limit of 0 seconds.",
        None,
        "",
    )


def test_xlsx_entity_bomb_in_shared_strings_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst><si><t>&b;</t></si></sst>'
    )
    assert _refusal(_rows, '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=laughs) == (
        "The file declares a document type or entities; they are not read.",
        None,
        "",
    )


# --- every limit names itself ----------------------------------------------------------------


def test_xlsx_cells_limit():
    row = '<row r="{n}"><c r="A{n}"><v>1</v></c><c r="B{n}"><v>2</v></c><c r="C{n}"><v>3</v></c>'
    rows = [row.format(n=n) + "</row>" for n in range(1, 6)]
    assert _refusal(_rows, *rows) == ("The file has more than 12 filled cells, the limit.", 5, "")


def test_xlsx_long_inline_cell_is_refused_with_its_place():
    cell = '<row r="3"><c r="B3" t="inlineStr"><is><t>12345678901</t></is></c></row>'
    assert _refusal(_rows, cell) == ("A cell holds more than 10 characters, the limit.", 3, "B")


def test_xlsx_long_shared_string_is_refused():
    strings = hostile.shared_strings("12345678901")
    assert _refusal(_rows, '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=strings)[0] == (
        "A cell holds more than 10 characters, the limit."
    )


def test_xlsx_shared_strings_limit():
    strings = hostile.shared_strings("a", "b", "c", "d")
    assert _refusal(_rows, "", strings=strings) == (
        "The workbook has more than 3 different texts, the limit.",
        None,
        "",
    )


def test_xlsx_nul_written_as_an_escape_is_refused_with_its_place():
    strings = hostile.shared_strings("ok", "bad_x0000_")
    row = '<row r="4"><c r="A4" t="s"><v>0</v></c><c r="C4" t="s"><v>1</v></c></row>'
    assert _refusal(_rows, row, strings=strings) == (
        "A cell holds control characters (such as NUL) that text cannot hold.",
        4,
        "C",
    )


def test_xlsx_shared_string_index_out_of_range_is_not_excel():
    strings = hostile.shared_strings("a")
    assert _refusal(_rows, '<row r="1"><c r="A1" t="s"><v>5</v></c></row>', strings=strings)[
        0
    ].startswith("The file is not an Excel workbook")


def test_xlsx_that_is_not_a_zip_is_not_excel():
    assert _refusal(xlsx_rows, b"PK\x03\x04 and then nothing", Limits())[0].startswith(
        "The file is not an Excel workbook"
    )


def test_xlsx_over_the_byte_limit_is_refused_before_opening():
    assert _refusal(xlsx_rows, b"PK\x03\x04" + b"x" * 2048, Limits(bytes=1024))[0] == (
        "The file is 0.0 MB; the limit is 0 MB."
    )


# --- what a real workbook holds --------------------------------------------------------------


def test_xlsx_values_read_as_the_spreadsheet_shows_them():
    book = Workbook()
    sheet = book.active
    sheet.title = "people"
    sheet.append(["id", "name", "score", "ok", "when", "formula"])
    sheet.append([7, "Aino\nAalto", 2.5, True, date(2026, 3, 1), "=1+1"])  # never calculated
    sheet.append([8.0, "Bo_x005F_Berg", 1e3, False, None, None])
    sheet["A10"] = "  "  # a row of spaces only is empty
    out = io.BytesIO()
    book.save(out)
    assert xlsx_rows(out.getvalue(), Limits()) == [
        (1, ["id", "name", "score", "ok", "when", "formula"]),
        (2, ["7", "Aino\nAalto", "2.5", "True", "46082"]),  # a date is its serial number
        (3, ["8", "Bo_Berg", "1000", "False"]),  # _x005F_ is "_" to Excel and openpyxl
    ]


def test_xlsx_sheet_is_chosen_by_name_else_the_first():
    first = hostile.sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>first</t></is></c></row>')
    ties = hostile.sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>ties</t></is></c></row>')
    data = hostile.workbook({"Taul1": first, " Siteet ": ties})
    assert xlsx_rows(data, Limits(), ("ties", "siteet")) == [(1, ["ties"])]
    assert xlsx_rows(data, Limits(), ("people",)) == [(1, ["first"])]


def test_xlsx_escapes_rich_text_prefixes_and_missing_references():
    strings = (
        b'<?xml version="1.0"?><x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml'
        b'/2006/main"><x:si><x:r><x:t>Ju</x:t></x:r><x:r><x:t>ho</x:t></x:r>'
        b"<x:rPh><x:t>JUHO</x:t></x:rPh></x:si><x:si><x:t>a_x000D_b</x:t></x:si></x:sst>"
    )
    rows = (
        '<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c>'
        '<x:c t="str"><x:f>A1</x:f><x:v>Juho</x:v></x:c></x:row>'
    )
    assert _rows(rows, strings=strings, limits=Limits()) == [(1, ["Juho", "a\rb", "Juho"])]


# --- CSV -------------------------------------------------------------------------------------


def test_csv_separators_encodings_and_empty_rows():
    text = "\ufeffname;email;;;\r\n\r\n;;\r\nAino;aino@example.fi;;;\r\n"
    assert csv_rows(text.encode("utf-8"), Limits()) == [
        (1, ["name", "email"]),
        (4, ["Aino", "aino@example.fi"]),
    ]
    assert csv_rows("nimi,sähköposti\nÄijä,a@b.fi\n".encode("cp1252"), Limits()) == [
        (1, ["nimi", "sähköposti"]),
        (2, ["Äijä", "a@b.fi"]),
    ]


def test_csv_limits_name_themselves():
    assert _refusal(csv_rows, b"a,b,c,d,e\n", SMALL) == (
        "The file has more than 4 columns, the limit.",
        1,
        "",
    )
    assert _refusal(csv_rows, b"a\n" * 6, SMALL) == (
        "The file has more than 5 rows, the limit.",
        6,
        "",
    )
    assert _refusal(csv_rows, b"a,b,c\n" * 5, SMALL)[0] == (
        "The file has more than 12 filled cells, the limit."
    )
    assert _refusal(csv_rows, b"a,12345678901\n", SMALL) == (
        "A cell holds more than 10 characters, the limit.",
        1,
        "B",
    )
    huge = b'a,"' + b"x" * 200_000 + b'"\n'
    assert _refusal(csv_rows, huge, Limits())[0] == (
        "A cell holds more than 32,767 characters, the limit."
    )


def test_csv_control_characters_are_refused_with_their_place():
    assert _refusal(csv_rows, b"name\nok\nbad\x0bname\n", Limits()) == (
        "A cell holds control characters (such as NUL) that text cannot hold.",
        3,
        "A",
    )
    assert _refusal(csv_rows, b"name\nnul\x00\n", Limits())[0] == (
        "The file is not text in UTF-8 or Latin-1: save it as CSV UTF-8 or as .xlsx."
    )


# --- iCalendar -------------------------------------------------------------------------------


def test_ics_with_a_nul_is_refused_before_parsing():
    calendar = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:a\x00b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert _refusal(ics_check, calendar, Limits())[0] == (
        "This is not a valid iCalendar (.ics) file."
    )


def test_ics_nesting_and_component_counts_are_limited():
    deep = b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 20
    assert _refusal(ics_check, deep, Limits())[0] == (
        "The calendar nests more than 8 levels of components, the limit."
    )
    many = b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\nEND:VEVENT\r\n" * 5001
    assert _refusal(ics_check, many, Limits())[0] == (
        "The calendar has more than 5,000 components or 100,000 lines, the limit."
    )
