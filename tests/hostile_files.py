"""Workbooks built by hand to attack a reader; the tests use small ones, ``bench/readers.py`` big.

Each builder writes the few parts an .xlsx needs (content types, workbook, its relationships,
one sheet, optionally shared strings) so that the attack is the only unusual thing in the file.
"""

import io
import struct
import zipfile

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    "{sheets}</sheets></workbook>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{rels}"
    '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
SHEET_TAIL = b"</worksheet>"


def sheet(rows_xml: str, dimension: str = "") -> bytes:
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return SHEET_HEAD + f"{head}<sheetData>{rows_xml}</sheetData>".encode() + SHEET_TAIL


def shared_strings(*texts: str) -> bytes:
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{items}</sst>"
    ).encode()


def workbook(sheets: dict[str, bytes], strings: bytes | None = None) -> bytes:
    """An .xlsx with the given sheets (name → sheet XML) in order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _common_parts(archive, list(sheets))
        for number, content in enumerate(sheets.values(), start=1):
            archive.writestr(f"xl/worksheets/sheet{number}.xml", content)
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def _common_parts(archive: zipfile.ZipFile, names: list[str]) -> None:
    archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    entries = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, 1)
    )
    archive.writestr("xl/workbook.xml", WORKBOOK.format(sheets=entries))
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(names) + 1)
    )
    archive.writestr("xl/_rels/workbook.xml.rels", RELS.format(rels=rels))


def dimension_bomb() -> bytes:
    """Declares the whole sheet, A1:XFD1048576, and has one cell in its last corner."""
    rows = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook({"people": sheet(rows, dimension="A1:XFD1048576")})


def _streamed(head: bytes, body: bytes, unpacked: int, tail: bytes) -> bytes:
    """An .xlsx whose one sheet is ``head``, ``body`` repeated to ``unpacked`` bytes, ``tail``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _common_parts(archive, ["people"])
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(head)
            block = body * max(1, (1 << 20) // len(body))
            written = len(head)
            while written < unpacked:
                member.write(block)
                written += len(block)
            member.write(tail)
    return out.getvalue()


def zip_bomb(unpacked: int) -> bytes:
    """A sheet of ``unpacked`` bytes of spaces: about a thousandth of that once compressed."""
    return _streamed(
        SHEET_HEAD + b"<sheetData>", b" " * 4096, unpacked, b"</sheetData>" + SHEET_TAIL
    )


def xml_flood(unpacked: int) -> bytes:
    """A sheet of real, identical rows up to ``unpacked`` bytes of XML (``r`` is optional)."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>'
    return _streamed(SHEET_HEAD + b"<sheetData>", row, unpacked, b"</sheetData>" + SHEET_TAIL)


def lying_zip_bomb(unpacked: int, declared: int = 1000) -> bytes:
    """A zip bomb whose headers say its sheet unpacks to only ``declared`` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _common_parts(archive, ["people"])
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            member.write(SHEET_HEAD + b"<sheetData>")
            for _ in range(unpacked // (1 << 20)):
                member.write(b" " * (1 << 20))
    data = bytearray(out.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header
    name = info.filename.encode()
    central = data.rfind(b"PK\x01\x02", 0, len(data))
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.rfind(b"PK\x01\x02", 0, central)
    struct.pack_into("<I", data, central + 24, declared)  # central directory
    return bytes(data)
