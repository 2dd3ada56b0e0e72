"""The one export path: CSV and Excel files that are safe to open in a spreadsheet.

CSV: UTF-8 with a byte-order mark (so Excel shows accents and emoji), and any
text cell or header that a spreadsheet would read as a formula is prefixed with an
apostrophe (OWASP's rule: starting with ``= + - @``, tab, CR or LF; here also after leading
spaces and invisible characters such as NUL, zero-width spaces or a byte-order mark, which
spreadsheets skip, and for the full-width ``＝ ＋ － ＠`` that some of them read as the
ASCII signs); numeric columns stay numbers. XLSX: written with formula and URL
conversion off, so every text cell stays text; texts over Excel's cell limit
are cut in the XLSX only, with a visible marker. Personal columns are removed
before anything reaches here (``lib.privacy``).
"""

from __future__ import annotations

import io
import re

import pandas as pd

EXCEL_CELL_LIMIT = 32_767
#: Characters a spreadsheet may skip before it looks for a formula sign: whitespace, controls
#: (NUL included), zero-width and other invisible format characters, the byte-order mark.
_SKIPPED = "\\s\x00-\x1f\x7f-\xa0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff"
_FORMULA_START = re.compile(f"^[{_SKIPPED}]*[=+\\-@\uff1d\uff0b\uff0d\uff20]|^[\\t\\r\\n]")
CUT_MARKER = " … [cut: {n:,} more characters; the CSV download has the full text]"


def neutralise(text: str) -> str:
    """``text`` made inert for spreadsheets: an apostrophe before anything formula-like."""
    return "'" + text if _FORMULA_START.match(text) else text


def _text_cells(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not (pd.api.types.is_numeric_dtype(frame[c])
                                             or pd.api.types.is_bool_dtype(frame[c])
                                             or pd.api.types.is_datetime64_any_dtype(frame[c]))]


def _plain_times(frame: pd.DataFrame) -> pd.DataFrame:
    """Datetimes as local wall-clock time without a zone (what a spreadsheet can show)."""
    out = frame.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_localize(None)
    return out


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with headers and text cells neutralised; numbers, booleans and dates untouched."""
    out = _plain_times(frame)
    for c in _text_cells(out):
        out[c] = out[c].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV (UTF-8 with BOM) of ``frame``, formula-safe, without the index."""
    buffer = io.StringIO()
    # CRLF rows (RFC 4180): any cell holding CR or LF is then quoted, so a lone CR can't split a row
    safe_frame(frame).to_csv(buffer, index=False, date_format="%Y-%m-%d %H:%M:%S", lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def _cut(value: object) -> object:
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        marker = CUT_MARKER.format(n=len(value) - EXCEL_CELL_LIMIT)
        keep = EXCEL_CELL_LIMIT - len(marker)
        marker = CUT_MARKER.format(n=len(value) - keep)
        return value[:keep] + marker
    return value


#: Excel column widths (in characters) are fitted to the header and the cells, within these bounds.
MIN_WIDTH, MAX_WIDTH = 8, 60
#: How many rows are measured to fit a column's width (enough to see a column's typical text).
WIDTH_SAMPLE = 2_000


def column_widths(frame: pd.DataFrame) -> list[int]:
    """A width per column for Excel: its header or its longest cell among the first rows
    (times as 16 characters), within ``MIN_WIDTH``–``MAX_WIDTH``, plus room for the filter arrow."""
    out = []
    head = frame.head(WIDTH_SAMPLE)
    for c in frame.columns:
        col = head[c]
        if pd.api.types.is_datetime64_any_dtype(col):
            longest = 16
        elif len(col):
            longest = int(col.map(lambda v: 0 if v is None or (isinstance(v, float) and v != v)
                                  else max(len(line) for line in str(v).split("\n"))).max())
        else:
            longest = 0
        out.append(min(MAX_WIDTH, max(MIN_WIDTH, len(str(c)) + 3, longest + 1)))
    return out


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """An Excel workbook of ``frame``: text stays text (no formulas, no auto-links); the header
    row frozen and filtered, columns as wide as their contents (up to ``MAX_WIDTH``)."""
    out = _plain_times(frame)
    for c in _text_cells(out):
        out[c] = out[c].map(_cut)
    out.columns = [str(_cut(str(c))) for c in out.columns]
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options},
                        datetime_format="dd/mm/yyyy hh:mm") as writer:
        out.to_excel(writer, sheet_name=sheet_name[:31], index=False)
        sheet = writer.sheets[sheet_name[:31]]
        sheet.freeze_panes(1, 0)
        if len(out.columns):
            sheet.autofilter(0, 0, len(out), len(out.columns) - 1)
        for i, width in enumerate(column_widths(out)):
            sheet.set_column(i, i, width)
    return buffer.getvalue()


def file_name(base: str, description: str, when: pd.Timestamp, extension: str) -> str:
    """``<base>_<description>_<YYYY-MM-DD_HHMM>.<ext>``, safe for any file system."""
    stamp = when.strftime("%Y-%m-%d_%H%M")
    name = "_".join(p for p in (base, description, stamp) if p)
    name = re.sub(r"[^\w+.-]+", "-", name, flags=re.ASCII)
    name = re.sub(r"\.{2,}", ".", name).strip("-.")
    return f"{name}.{extension}"
