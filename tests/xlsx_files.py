"""Hand-built .xlsx files for the bounded-read tests: normal parts plus a worksheet whose XML
the test writes itself (gaps, a hostile <dimension>, or megabytes of repeated rows), streamed
into the zip so that even a gigabyte-sized sheet is never held in memory here.

Nothing here is committed as a file: each test builds what it needs in ``tmp_path``.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '{sheets}</Types>'
)
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def column_letter(n: int) -> str:
    """1 → A, 16384 → XFD."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def cell(col: int, row: int | None, value: object) -> str:
    """One cell: numbers as numbers, anything else as an inline string."""
    ref = f' r="{column_letter(col)}{row}"' if row is not None else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"<c{ref}><v>{value!r}</v></c>"
    return f'<c{ref} t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row_xml(number: int | None, values: Iterable[object], first_col: int = 1) -> str:
    """A ``<row>`` of values from ``first_col`` on (``None`` values are left out, like a real file)."""
    cells = "".join(cell(first_col + i, number, v) for i, v in enumerate(values) if v is not None)
    ref = f' r="{number}"' if number is not None else ""
    return f"<row{ref}>{cells}</row>"


def sheet_xml(rows: Iterable[str], dimension: str | None = None) -> Iterable[bytes]:
    """A worksheet's XML, in pieces: the optional ``<dimension>``, then the given ``<row>`` elements."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode()
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    for r in rows:
        yield r.encode()
    yield b"</sheetData></worksheet>"


@dataclass(frozen=True)
class Repeat:
    """``block`` written ``times`` times in a row (compressed once)."""

    block: bytes
    times: int


class _Entry:
    def __init__(self, name: str, offset: int, crc: int, csize: int, usize: int):
        self.name, self.offset, self.crc, self.csize, self.usize = name.encode(), offset, crc, csize, usize


#: cell style 1 is a date and time (number format 22), as Google Sheets exports a timestamp column
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}"><cellXfs count="2">'
    '<xf numFmtId="0"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def write_xlsx(path: Path, sheets: dict[str, Iterable[bytes | Repeat]], *, level: int = 6,
               shared_strings: Iterable[bytes | Repeat] | None = None, extra: dict[str, bytes] | None = None
               ) -> Path:
    """Write a minimal .xlsx: each sheet's XML pieces deflated as they come (a zip written by hand,
    so that a ``Repeat`` is compressed once and its compressed bytes reused: a gigabyte of sheet
    XML is written in seconds). Always a styles part (style 1: a date); shared strings if given;
    ``extra`` parts as they are."""
    names = list(sheets)
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                + "".join(f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                          for i, n in enumerate(names))
                + "</sheets></workbook>")
    rels = [f'<Relationship Id="rId{i + 1}" Type="{REL}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(names))]
    rels.append(f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>')
    if shared_strings is not None:
        rels.append(f'<Relationship Id="rIdT" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
    wb_rels = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{"".join(rels)}</Relationships>'
    types = CONTENT_TYPES.format(sheets="".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{SHEET_TYPE}"/>'
        for i in range(len(names))))
    parts: list[tuple[str, Iterable[bytes | Repeat]]] = [
        ("[Content_Types].xml", [types.encode()]), ("_rels/.rels", [ROOT_RELS.encode()]),
        ("xl/workbook.xml", [workbook.encode()]), ("xl/_rels/workbook.xml.rels", [wb_rels.encode()]),
        ("xl/styles.xml", [STYLES.encode()]),
    ] + [(f"xl/worksheets/sheet{i + 1}.xml", sheets[n]) for i, n in enumerate(names)]
    if shared_strings is not None:
        parts.append(("xl/sharedStrings.xml", shared_strings))
    parts += [(name, [data]) for name, data in (extra or {}).items()]
    entries: list[_Entry] = []
    with open(path, "wb") as out:
        for name, pieces in parts:
            offset = out.tell()
            header_at = offset
            out.write(b"\0" * (30 + len(name.encode())))  # local header, filled in below
            crc, csize, usize = _deflate_into(out, pieces, level)
            end = out.tell()
            out.seek(header_at)
            out.write(_local_header(name.encode(), crc, csize, usize))
            out.seek(end)
            entries.append(_Entry(name, offset, crc, csize, usize))
        cd_start = out.tell()
        for e in entries:
            out.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, e.crc, e.csize,
                                  e.usize, len(e.name), 0, 0, 0, 0, 0, e.offset) + e.name)
        cd_size = out.tell() - cd_start
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), cd_size, cd_start, 0))
    return path


def _local_header(name: bytes, crc: int, csize: int, usize: int) -> bytes:
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, csize, usize, len(name), 0) + name


def _deflate_into(out, pieces: Iterable[bytes | Repeat], level: int) -> tuple[int, int, int]:
    """Raw-deflate ``pieces`` into ``out``. A ``Repeat`` is compressed once between two full
    flushes (after which the compressor starts afresh), and those bytes are written ``times`` times."""
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    crc = csize = usize = 0
    for piece in pieces:
        if isinstance(piece, Repeat):
            data = comp.flush(zlib.Z_FULL_FLUSH)
            out.write(data)
            csize += len(data)
            block = comp.compress(piece.block) + comp.flush(zlib.Z_FULL_FLUSH)
            for _ in range(piece.times):
                out.write(block)
                crc = zlib.crc32(piece.block, crc)
            csize += len(block) * piece.times
            usize += len(piece.block) * piece.times
            continue
        data = comp.compress(piece)
        out.write(data)
        crc = zlib.crc32(piece, crc)
        csize += len(data)
        usize += len(piece)
    tail = comp.flush()
    out.write(tail)
    return crc, csize + len(tail), usize


def workbook_with_sheet(path: Path, feedback: Iterable[bytes | Repeat], survey_header: list[str]) -> Path:
    """A workbook whose Feedback tab is the given XML and whose MainFeedback tab is just a header."""
    return write_xlsx(path, {"Feedback": feedback,
                             "MainFeedback": sheet_xml([row_xml(1, survey_header)])})


def row_cells(number: int, cells: dict[int, object]) -> str:
    """A ``<row>`` with values at the given columns (1 = A), leaving the others out."""
    return f'<row r="{number}">' + "".join(cell(col, number, v) for col, v in sorted(cells.items())) + "</row>"
