"""Bounded reading of .xlsx workbooks: the zip is checked before anything is inflated, then
each sheet is streamed cell by cell, so a hostile file costs time and memory in proportion to
what it really holds, never to what it claims.

Why not openpyxl's read-only mode: it pads every missing row and every row up to the
declared ``<dimension>`` (a 2 KB file claiming ``A1:XFD1048576`` grows without bound), and its
parser keeps every element it has seen attached to the tree (cleared, but never freed), a
dict per ``<row>`` carrying attributes, and, for a sheet without ``<dimension>``, the whole
sheet's elements while merely sizing it. Here each part is read with expat in pieces; the
only state kept is the shared strings, the date styles and the cells of the current row.
openpyxl still supplies the number-format rules (which formats are dates) and the serial
date conversion, so values read exactly as openpyxl reads them.

Checks, each refused with one plain sentence (``SourceError``): file size; number of zip
entries; each entry's and the total uncompressed size; each entry's inflate ratio (Apache
POI's zip-bomb rule: above ``max_inflate_ratio`` once bigger than ``ratio_grace_bytes``).
Python's ``zipfile`` never inflates an entry past the size its directory declares (and
checks the CRC), so the declared sizes checked here are the sizes read. While parsing: a
DOCTYPE (never in a real workbook, and the door to entity tricks), nesting deeper than 64,
one XML token over 1 MB (a giant attribute; expat would buffer and re-scan it), a cell over
``max_cell_chars`` characters, a row number beyond ``max_rows`` or a column beyond
``max_columns``.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from .errors import SourceError
from .limits import LIMITS, MB, Limits

MAIN_NS = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
           "http://purl.oclc.org/ooxml/spreadsheetml/main")
REL_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "http://purl.oclc.org/ooxml/officeDocument/relationships")
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "/officeDocument"   # the end of the root relationship's type
MAX_XML_DEPTH = 64
MAX_TOKEN_BYTES = 1 * MB
CHUNK_BYTES = 1 * MB
MAX_STYLES = 65_536                   # Excel's own limit on cell formats
_SEP = "\x1f"                         # between namespace and local name in expat's names


def _names(namespaces: tuple[str, ...] | str, *locals_: str) -> dict[str, str]:
    """Expat's namespaced name → local name, for the given namespaces."""
    spaces = (namespaces,) if isinstance(namespaces, str) else namespaces
    return {f"{ns}{_SEP}{local}": local for ns in spaces for local in locals_}


@functools.cache
def _column_numbers(limit: int = 18_278) -> dict[str, int]:
    """Column letters → number, A … ZZZ (built when a workbook is first read, not on import)."""
    out: dict[str, int] = {}
    for n in range(1, limit + 1):
        letters, m = "", n
        while m:
            m, r = divmod(m - 1, 26)
            letters = chr(65 + r) + letters
        out[letters] = n
    return out


_INT = re.compile(r"[+-]?\d{1,100}")


class Part:
    """Streams one XML part of the archive through expat, in pieces, within the parse bounds."""

    def __init__(self, book: Workbook, path: str):
        self.book, self.path = book, path
        self.parser = expat.ParserCreate(namespace_separator=_SEP)
        self.parser.buffer_text = True
        self.parser.buffer_size = 64 * 1024
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.depth = 0

    def _refuse_doctype(self, *_args) -> None:
        raise self.book.malformed(self.path, "it declares a DOCTYPE, which no workbook does")

    def too_deep(self) -> SourceError:
        return self.book.malformed(self.path, f"its XML nests more than {MAX_XML_DEPTH} levels deep")

    def chunks(self) -> Iterator[None]:
        """Parse the part piece by piece, pausing after each piece (handlers collect what they need)."""
        fed = 0
        with self.book.open(self.path) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                fed += len(chunk)
                self._parse(chunk, False)
                if fed - self.parser.CurrentByteIndex > MAX_TOKEN_BYTES:
                    raise self.book.malformed(self.path, "one XML tag is longer than 1 MB")
                yield
            self._parse(b"", True)
        yield

    def feed(self) -> None:
        """Parse the whole part."""
        for _ in self.chunks():
            pass

    def _parse(self, data: bytes, final: bool) -> None:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            raise self.book.unreadable(f"{self.path}: {expat.ErrorString(exc.code)}") from None


class Workbook:
    """An .xlsx opened for bounded reading: ``sheetnames``, then ``rows(name)`` per sheet."""

    def __init__(self, source: bytes | Path, name: str, limits: Limits = LIMITS):
        self.name, self.limits = name, limits
        size = len(source) if isinstance(source, bytes) else source.stat().st_size
        if size > limits.max_file_bytes:
            raise SourceError(
                f"Workbook '{name}' is {size / MB:,.0f} MB, more than the {limits.max_file_bytes // MB:,} MB "
                "the dashboard reads; download only the feedback tabs, or read the live Google Sheet.")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise self.unreadable(exc.__class__.__name__) from None
        try:
            self._check_archive()
            self._read_structure()
        except BaseException:
            self.zip.close()
            raise

    # -- plain messages ------------------------------------------------------------------

    def unreadable(self, what: str) -> SourceError:
        return SourceError(
            f"Could not read '{self.name}' as an Excel workbook (.xlsx): {what}. "
            "Download the sheet again with File › Download › Microsoft Excel.")

    def malformed(self, part: str, why: str) -> SourceError:
        return SourceError(f"Workbook '{self.name}' was not read: its part {part} is not as Excel or Google "
                           f"Sheets write it ({why}).")

    # -- the archive -----------------------------------------------------------------------

    def _check_archive(self) -> None:
        lim, infos = self.limits, self.zip.infolist()
        if len(infos) > lim.max_zip_entries:
            raise SourceError(f"Workbook '{self.name}' holds {len(infos):,} files inside, more than the "
                              f"{lim.max_zip_entries:,} the dashboard reads; it is not a workbook as Excel or "
                              "Google Sheets write them.")
        total = 0
        for info in infos:
            size = info.file_size
            if size > lim.ratio_grace_bytes and size > lim.max_inflate_ratio * max(info.compress_size, 1):
                ratio = size / max(info.compress_size, 1)
                raise SourceError(f"Workbook '{self.name}' was not opened: its part {info.filename} would "
                                  f"expand {ratio:,.0f} times (to {size / MB:,.0f} MB), more than the "
                                  f"{lim.max_inflate_ratio:,.0f} times of a real workbook (a zip bomb).")
            if size > lim.max_entry_bytes:
                raise SourceError(f"Workbook '{self.name}' has a part ({info.filename}) of {size / MB:,.0f} MB "
                                  f"uncompressed, more than the {lim.max_entry_bytes // MB:,} MB the dashboard "
                                  "reads.")
            total += size
        if total > lim.max_total_bytes:
            raise SourceError(f"Workbook '{self.name}' expands to {total / MB:,.0f} MB, more than the "
                              f"{lim.max_total_bytes // MB:,} MB the dashboard reads.")

    def open(self, path: str):
        try:
            return self.zip.open(path)
        except KeyError:
            raise self.unreadable(f"it has no part {path}") from None
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile, OSError) as exc:  # encrypted, odd method
            raise self.unreadable(f"{path}: {exc.__class__.__name__}") from None

    def has(self, path: str) -> bool:
        try:
            self.zip.getinfo(path)
            return True
        except KeyError:
            return False

    # -- workbook structure: sheets, shared strings, date styles ----------------------------

    def _relationships(self, path: str) -> list[tuple[str, str, str]]:
        """(id, type, target) of a relationships part (none when absent)."""
        if not self.has(path):
            return []
        part, rels = Part(self, path), []
        tags = _names(PKG_REL_NS, "Relationship")

        def start(name, attrs):
            part.depth += 1
            if part.depth > MAX_XML_DEPTH:
                raise part.too_deep()
            if name in tags and len(rels) < self.limits.max_zip_entries:
                rels.append((attrs.get("Id", ""), attrs.get("Type", ""), attrs.get("Target", "")))

        def end(_name):
            part.depth -= 1

        part.parser.StartElementHandler, part.parser.EndElementHandler = start, end
        part.feed()
        return rels

    @staticmethod
    def _resolve(base_part: str, target: str) -> str:
        if target.startswith("/"):
            return posixpath.normpath(target).lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))

    def _read_structure(self) -> None:
        root = self._relationships("_rels/.rels")
        book_part = next((self._resolve("", t) for _, kind, t in root if kind.endswith(OFFICE_DOCUMENT)),
                         "xl/workbook.xml")
        rel_path = posixpath.join(posixpath.dirname(book_part), "_rels", posixpath.basename(book_part) + ".rels")
        targets = {rid: (kind, self._resolve(book_part, t)) for rid, kind, t in self._relationships(rel_path)}

        sheets: list[tuple[str, str]] = []
        self.epoch_1904 = False
        part = Part(self, book_part)
        sheet_tags, pr_tags = _names(MAIN_NS, "sheet"), _names(MAIN_NS, "workbookPr")
        rid_keys = [f"{ns}{_SEP}id" for ns in REL_NS]

        def start(name, attrs):
            part.depth += 1
            if part.depth > MAX_XML_DEPTH:
                raise part.too_deep()
            if name in sheet_tags and len(sheets) < self.limits.max_zip_entries:
                rid = next((attrs[k] for k in rid_keys if k in attrs), "")
                sheets.append((attrs.get("name", ""), rid))
            elif name in pr_tags:
                self.epoch_1904 = attrs.get("date1904", "").lower() in ("1", "true")

        def end(_name):
            part.depth -= 1

        part.parser.StartElementHandler, part.parser.EndElementHandler = start, end
        part.feed()
        self._sheet_paths = {n: targets[rid][1] for n, rid in sheets if rid in targets}
        self.sheetnames = [n for n, rid in sheets if rid in targets]

        kinds = {kind.rsplit("/", 1)[-1]: path for kind, path in targets.values()}
        self._strings_path = kinds.get("sharedStrings")
        self._styles_path = kinds.get("styles")
        self._strings: list[str] | None = None
        self._date_styles: frozenset[int] | None = None

    def _shared_strings(self) -> list[str]:
        if self._strings is not None:
            return self._strings
        self._strings = strings = []
        if not self._strings_path or not self.has(self._strings_path):
            return strings
        part, lim = Part(self, self._strings_path), self.limits
        tags = _names(MAIN_NS, "si", "t", "rPh")
        state = {"si": False, "rph": 0, "t": False}
        pieces: list[str] = []
        length = 0

        def start(name, _attrs):
            nonlocal length
            part.depth += 1
            if part.depth > MAX_XML_DEPTH:
                raise part.too_deep()
            tag = tags.get(name)
            if tag == "si":
                state["si"], length = True, 0
                pieces.clear()
            elif tag == "rPh":
                state["rph"] += 1
            elif tag == "t":
                state["t"] = state["si"] and not state["rph"]

        def end(name):
            part.depth -= 1
            tag = tags.get(name)
            if tag == "si":
                if len(strings) >= lim.max_cells:
                    raise SourceError(f"Workbook '{self.name}' holds more than {lim.max_cells:,} different texts, "
                                      "more than a Google Sheet can hold.")
                strings.append("".join(pieces).replace("x005F_", ""))  # as openpyxl unescapes
                state["si"] = False
            elif tag == "rPh":
                state["rph"] -= 1
            elif tag == "t":
                state["t"] = False

        def text(data):
            nonlocal length
            if state["t"]:
                length += len(data)
                if length > lim.max_cell_chars:
                    raise SourceError(f"Workbook '{self.name}' has a text of more than {lim.max_cell_chars:,} "
                                      "characters, more than a Google Sheets cell can hold.")
                pieces.append(data)

        part.parser.StartElementHandler, part.parser.EndElementHandler = start, end
        part.parser.CharacterDataHandler = text
        part.feed()
        return strings

    def _dates(self) -> frozenset[int]:
        """Indexes of the cell styles whose number format is a date or time."""
        if self._date_styles is not None:
            return self._date_styles
        custom: dict[int, str] = {}
        formats: list[int] = []
        if self._styles_path and self.has(self._styles_path):
            part = Part(self, self._styles_path)
            tags = _names(MAIN_NS, "numFmt", "cellXfs", "xf")
            in_xfs = False

            def start(name, attrs):
                nonlocal in_xfs
                part.depth += 1
                if part.depth > MAX_XML_DEPTH:
                    raise part.too_deep()
                tag = tags.get(name)
                if tag == "numFmt" and len(custom) < MAX_STYLES:
                    number = _int(attrs.get("numFmtId"))
                    if number is not None:
                        custom[number] = attrs.get("formatCode", "")
                elif tag == "cellXfs":
                    in_xfs = True
                elif tag == "xf" and in_xfs and len(formats) < MAX_STYLES:
                    formats.append(_int(attrs.get("numFmtId")) or 0)

            def end(name):
                nonlocal in_xfs
                part.depth -= 1
                if tags.get(name) == "cellXfs":
                    in_xfs = False

            part.parser.StartElementHandler, part.parser.EndElementHandler = start, end
            part.feed()
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format  # only when a workbook is read

        is_date: dict[int, bool] = {}
        for number in set(formats):
            code = custom.get(number, BUILTIN_FORMATS.get(number))
            try:
                is_date[number] = bool(code) and is_date_format(code)
            except Exception:  # an odd format code is not a date
                is_date[number] = False
        self._date_styles = frozenset(i for i, number in enumerate(formats) if is_date[number])
        return self._date_styles

    # -- sheets ------------------------------------------------------------------------------

    def rows(self, sheet: str) -> Iterator[tuple[int, list[object]]]:
        """(sheet row number, values) of each row holding a value, in file order. Missing rows and
        cells are never materialised: a row's list is as long as its last non-blank cell."""
        path = self._sheet_paths[sheet]
        reader = _SheetReader(self, sheet, path, self._shared_strings(), self._dates())
        return reader.rows()

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _int(text: str | None) -> int | None:
    if text is None or not _INT.fullmatch(text.strip()):
        return None
    return int(text)


class _SheetReader:
    """The expat handlers for one worksheet: a small state machine over rows and cells."""

    def __init__(self, book: Workbook, sheet: str, path: str, strings: list[str], dates: frozenset[int]):
        self.book, self.sheet, self.path = book, sheet, path
        self.strings, self.dates = strings, dates
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

        self.epoch = CALENDAR_MAC_1904 if book.epoch_1904 else CALENDAR_WINDOWS_1900
        self.from_excel = from_excel
        self.columns = _column_numbers()
        self.limits = book.limits
        self.tags = _names(MAIN_NS, "row", "c", "v", "is", "t", "rPh")
        self.part = Part(book, path)
        self.done: list[tuple[int, list[object]]] = []
        self.row_number = 0
        self.row_cells: list[tuple[int, object]] = []
        self.column = 0
        self.cell_ref = self.cell_type = self.cell_style = None
        self.text: list[str] | None = None   # text being collected (a <v>, or a <t> of an inline string)
        self.text_length = 0
        self.value_text: str | None = None   # the finished <v> of the current cell
        self.in_is = False
        self.rph = 0
        self.inline: list[str] = []

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        p = self.part.parser
        p.StartElementHandler, p.EndElementHandler = self.start, self.end
        p.CharacterDataHandler = self.chars
        for _ in self.part.chunks():  # hand over the rows each piece completed, then parse the next
            done, self.done = self.done, []
            yield from done

    def _refuse(self, what: str) -> SourceError:
        return SourceError(f"Workbook '{self.book.name}', tab '{self.sheet}': {what}.")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        part = self.part
        part.depth += 1
        if part.depth > MAX_XML_DEPTH:
            raise part.too_deep()
        tag = self.tags.get(name)
        if tag is None:
            return
        if tag == "c":
            self.cell_ref, self.cell_type, self.cell_style = attrs.get("r"), attrs.get("t"), attrs.get("s")
            self.text, self.text_length, self.value_text = None, 0, None
            self.inline.clear()
        elif tag == "v":
            self.text, self.text_length = [], 0
        elif tag == "is":
            self.in_is = True
        elif tag == "rPh":
            self.rph += 1
        elif tag == "t":
            if self.in_is and not self.rph:
                self.text = self.inline
        elif tag == "row":
            number = _int(attrs.get("r"))
            self.row_number = number if number is not None and number > 0 else self.row_number + 1
            if self.row_number > self.limits.max_rows:
                raise self._refuse(f"a row numbered beyond {self.limits.max_rows:,}")
            self.row_cells = []
            self.column = 0

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text_length += len(data)
            if self.text_length > self.limits.max_cell_chars:
                raise self._refuse(f"a cell ({self.cell_ref or 'unnamed'}) of more than "
                                   f"{self.limits.max_cell_chars:,} characters, more than a Google Sheets cell "
                                   "can hold")
            self.text.append(data)

    def end(self, name: str) -> None:
        self.part.depth -= 1
        tag = self.tags.get(name)
        if tag is None:
            return
        if tag == "v" or tag == "t":
            if tag == "v" and self.text is not None:
                self.value_text = "".join(self.text)
            self.text = None
        elif tag == "c":
            self._end_cell()
        elif tag == "is":
            self.in_is = False
        elif tag == "rPh":
            self.rph -= 1
        elif tag == "row":
            if self.row_cells:
                width = max(c for c, _ in self.row_cells)
                values: list[object] = [None] * width
                for c, v in self.row_cells:
                    values[c - 1] = v
                self.done.append((self.row_number, values))
            self.row_cells = []

    def _end_cell(self) -> None:
        ref = self.cell_ref
        if ref:
            column = self.columns.get(ref.rstrip("0123456789"))
            if column is None:
                raise self._refuse(f"a cell reference ({ref[:20]}) beyond column ZZZ, the last of a Google Sheet")
            self.column = column
        else:
            self.column += 1
        if self.column > self.limits.max_columns:
            raise self._refuse(f"a cell beyond column {self.limits.max_columns:,}, more than a Google Sheet has")
        value = self._value()
        self.value_text = None
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        self.row_cells.append((self.column, value))

    def _value(self) -> object:
        kind, text = self.cell_type, self.value_text
        if kind == "inlineStr":
            return "".join(self.inline)
        if text is None:
            return None
        if kind == "s":
            index = _int(text)
            return self.strings[index] if index is not None and 0 <= index < len(self.strings) else None
        if kind in ("str", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(text.strip())
            except ValueError:
                return text
        return self._number(text)

    def _number(self, text: str) -> object:
        text = text.strip()
        if _INT.fullmatch(text):
            number: int | float = int(text)
        else:
            try:
                number = float(text)
            except ValueError:
                return text
        style = _int(self.cell_style) if self.cell_style is not None else 0
        if style in self.dates:
            try:
                return self.from_excel(number, self.epoch)
            except (OverflowError, ValueError, TypeError):  # a serial outside the years 1–9999
                return number
        return number
