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

Large files never freeze other viewers: ``in_worker`` builds a file of more than
``WORKER_ROWS`` rows in a separate process (xlsxwriter is pure Python: 100k rows held the
interpreter lock, and so every other session, for about 24 s). An Excel download holds at
most ``EXCEL_MAX_ROWS`` rows; a longer table's workbook opens on a sheet saying so and
pointing to the CSV, which has every row.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

EXCEL_CELL_LIMIT = 32_767
#: The rows an Excel download holds (xlsxwriter writes about 4,000 a second here); the CSV has them all.
EXCEL_MAX_ROWS = 25_000
#: The first sheet of a workbook cut at ``EXCEL_MAX_ROWS``.
CAPPED_SHEET = "Read me"
CAPPED_NOTE = ("This table has {rows:,} rows. An Excel download holds the first {kept:,} of them (sheet "
               "“{sheet}”). Download the CSV for all of them: it opens in Excel too.")
#: Files of more rows than this are built in a separate process (smaller ones are quicker at home).
WORKER_ROWS = 5_000
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
    """Datetimes as local wall-clock time without a zone (what a spreadsheet can show), and
    categorical columns (``lib.dataset.CATEGORICAL``) as their plain values."""
    out = frame.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_localize(None)
        elif isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(object)
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


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "Data", max_rows: int = EXCEL_MAX_ROWS) -> bytes:
    """An Excel workbook of ``frame``: text stays text (no formulas, no auto-links); the header
    row frozen and filtered, columns as wide as their contents (up to ``MAX_WIDTH``). Past ``max_rows``
    rows it holds the first ``max_rows`` and opens on a sheet that says so and points to the CSV."""
    capped = len(frame) > max_rows
    out = _plain_times(frame.iloc[:max_rows] if capped else frame)
    for c in _text_cells(out):
        out[c] = out[c].map(_cut)
    out.columns = [str(_cut(str(c))) for c in out.columns]
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options},
                        datetime_format="dd/mm/yyyy hh:mm") as writer:
        if capped:
            note = CAPPED_NOTE.format(rows=len(frame), kept=max_rows, sheet=sheet_name[:31])
            pd.DataFrame({"": [note]}).to_excel(writer, sheet_name=CAPPED_SHEET, index=False, header=False)
            writer.sheets[CAPPED_SHEET].set_column(0, 0, 120)
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


# -- off the interpreter lock ------------------------------------------------------------

log = logging.getLogger("consultation_insight.exports")
_PROJECT = Path(__file__).resolve().parent.parent
#: What the worker runs: the job (a module-level function, the frame, its arguments) pickled on its
#: standard input, the file's bytes on its standard output.
_WORKER = "import pickle, sys; b, f, a = pickle.load(sys.stdin.buffer); sys.stdout.buffer.write(b(f, *a))"


def in_worker(build: Callable[..., bytes], frame: pd.DataFrame, *args: object) -> bytes:
    """``build(frame, *args)`` (a module-level function such as ``to_xlsx_bytes``): for more than
    ``WORKER_ROWS`` rows in a separate Python process, so that building a large file never holds the
    interpreter lock that every other session's page needs (waiting for it does not). A plain
    ``python -c`` child, not ``multiprocessing``: that would import the running script (Streamlit
    makes the page ``__main__``) again in the child. Should the child fail, the file is built here
    instead: slower for everyone else, never lost."""
    if len(frame) <= WORKER_ROWS:
        return build(frame, *args)
    job = pickle.dumps((build, frame, args), protocol=pickle.HIGHEST_PROTOCOL)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(_PROJECT), os.environ.get("PYTHONPATH")) if p)}
    try:
        done = subprocess.run([sys.executable, "-c", _WORKER], input=job, capture_output=True, cwd=_PROJECT,
                              env=env, check=False)
    except OSError as exc:
        log.warning("Could not start a worker process for a download (%s); building it here", exc)
        return build(frame, *args)
    if done.returncode:
        log.warning("The worker process building a download failed (%s); building it here: %s", done.returncode,
                    done.stderr.decode(errors="replace")[-2000:])
        return build(frame, *args)
    return done.stdout
