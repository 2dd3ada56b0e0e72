"""Sources: each yields the raw tables (``Feedback``, ``MainFeedback``, optional ``Pages``).

Raw tables keep every cell as it was read (text stays text, dates stay dates);
normalisation happens later in ``lib.normalise``. Sources here: the embedded
demo workbook, a local workbook (``.xlsx`` or a folder of CSVs) and an uploaded
workbook. The live Google Sheet is one more source with the same contract.

Every read is bounded (``lib.limits``): workbooks through ``lib.xlsx`` (zip checked
first, sheets streamed), CSV files by size, and every table, whatever its source,
by rows, columns and cells as it is built (``table_from_numbered_rows``). Empty rows
are skipped as they stream past; each table's index is the real sheet row number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .cells import WHITESPACE_CLASS, cell_text, is_blank
from .consultation import DATA_DIR, loose_key
from .errors import SourceError
from .limits import LIMITS, MB, Limits
from .xlsx import Workbook

DEMO_WORKBOOK = DATA_DIR / "demo.xlsx"
SourceKind = Literal["demo", "workbook", "upload", "sheet"]


@dataclass(frozen=True)
class TabNames:
    """Names of the tabs (or CSV files) a source reads."""

    feedback: str = "Feedback"
    survey: str = "MainFeedback"
    pages: str = "Pages"


@dataclass(frozen=True)
class SourceInfo:
    """Where the data came from and when it was read."""

    kind: SourceKind
    name: str
    loaded_at: pd.Timestamp
    location: str = ""

    @property
    def is_demo(self) -> bool:
        return self.kind == "demo"


@dataclass(frozen=True)
class RawTables:
    """The tables as read, before normalisation; index = row number in the sheet."""

    feedback: pd.DataFrame
    survey: pd.DataFrame
    pages: pd.DataFrame | None
    info: SourceInfo


def _now() -> pd.Timestamp:
    return pd.Timestamp.now(tz="UTC")


def table_from_rows(rows: Iterable[Sequence[object]], *, where: str = "The table", limits: Limits = LIMITS,
                    max_cells: int | None = None) -> pd.DataFrame:
    """A raw table from a header row and data rows (sheet rows numbered from 1); see
    ``table_from_numbered_rows``."""
    return table_from_numbered_rows(enumerate(rows, start=1), where=where, limits=limits, max_cells=max_cells)


def table_from_numbered_rows(rows: Iterable[tuple[int, Sequence[object]]], *, where: str = "The table",
                             limits: Limits = LIMITS, max_cells: int | None = None) -> pd.DataFrame:
    """A raw table from (sheet row number, values) pairs: the first non-empty row is the header,
    later non-empty rows the data (ragged rows padded, headers made unique, empty rows skipped).

    The index is the row number in the sheet, so messages can point at a row. Refused with a
    plain ``SourceError`` (naming ``where``) past ``limits.max_columns`` columns,
    ``limits.max_rows`` rows or ``max_cells`` cells (rows × columns, header included; default
    ``limits.max_cells``), checked as rows arrive, so an oversized table is never built.
    """
    max_cells = limits.max_cells if max_cells is None else max_cells
    header: list[object] | None = None
    body: list[list[object]] = []
    numbers: list[int] = []
    width = 0
    for number, values in rows:
        row = list(values)
        while row and is_blank(row[-1]):
            row.pop()
        if not row:
            continue
        if len(row) > limits.max_columns:
            raise SourceError(f"{where} has more than {limits.max_columns:,} columns, more than a Google Sheet "
                              "can hold; remove the columns that aren't part of the responses.")
        width = max(width, len(row))
        if header is None:
            header = row
            continue
        body.append(row)
        numbers.append(number)
        if len(body) > limits.max_rows or (len(body) + 1) * width > max_cells:
            raise SourceError(f"{where} has more than {max_cells:,} cells (rows × columns), more than a Google "
                              "Sheet can hold; remove rows or columns that aren't responses.")
    if header is None:
        return pd.DataFrame()
    names = _column_names(header, width)
    for row in body:
        row.extend([None] * (width - len(row)))
    index = pd.Index(numbers, dtype="int64", name="row")
    return pd.DataFrame(body, columns=names, index=index, dtype=object)


def _column_names(header: Sequence[object], width: int) -> list[str]:
    """Unique column names from a header row: blank → "(blank column N)", repeats → "name (2)"."""
    names: list[str] = []
    taken: set[str] = set()
    for i in range(width):
        raw = header[i] if i < len(header) else None
        name = "" if is_blank(raw) else cell_text(raw)
        name = name or f"(blank column {i + 1})"
        base, n = name, 2
        while name in taken:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
        taken.add(name)
    return names


def _pick_tab(available: Sequence[str], wanted: str) -> str | None:
    if wanted in available:
        return wanted
    key = loose_key(wanted)
    return next((t for t in available if loose_key(t) == key), None)


def _missing_tab(kind: str, name: str, wanted: str, found: Sequence[str]) -> SourceError:
    return SourceError(
        f"{kind} '{name}' has no '{wanted}' {'tab' if kind == 'Workbook' else 'file'} "
        f"({'tabs' if kind == 'Workbook' else 'files'} found: {', '.join(found) or 'none'})."
    )


def _read_xlsx(data: bytes | Path, name: str, tabs: TabNames, limits: Limits = LIMITS
               ) -> dict[str, pd.DataFrame | None]:
    with Workbook(data, name, limits) as wb:
        out: dict[str, pd.DataFrame | None] = {}
        cells = 0
        for key, wanted in (("feedback", tabs.feedback), ("survey", tabs.survey), ("pages", tabs.pages)):
            tab = _pick_tab(wb.sheetnames, wanted)
            if tab is None:
                if key == "pages":
                    out[key] = None
                    continue
                raise _missing_tab("Workbook", name, wanted, wb.sheetnames)
            out[key] = table = table_from_numbered_rows(
                wb.rows(tab), where=f"Workbook '{name}', tab '{tab}',", limits=limits,
                max_cells=limits.max_cells - cells)
            cells += table.size + len(table.columns)
        return out


def _check_csv_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise SourceError(f"'{path.name}' is {size / MB:,.0f} MB, more than the {limits.max_file_bytes // MB:,} MB "
                          "the dashboard reads.")


def _read_csv_rows(path: Path, limits: Limits, raw: bytes | None = None) -> Iterable[list[str]]:
    """A CSV file's rows (refused plainly past ``limits.max_file_bytes``)."""
    if raw is None:
        _check_csv_size(path, limits)
        raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise SourceError(f"Could not decode '{path.name}': save it as UTF-8 CSV.")
    del raw
    return csv.reader(io.StringIO(text, newline=""))


#: The fast CSV reader takes files whose first line has fewer commas than this (wider ones, rare and
#: perhaps hostile, are read row by row, where every limit is checked as the rows arrive).
FAST_CSV_MAX_COLUMNS = 1_000
_UTF8_BOM = b"\xef\xbb\xbf"


def blank_text(values: pd.Series) -> np.ndarray:
    """Where a column of text is blank as ``lib.cells.is_blank`` sees it (missing, empty or only what
    Python calls whitespace), in one vectorised pass (a regular expression run by pyarrow)."""
    blank = values.str.fullmatch(WHITESPACE_CLASS + "*")
    return blank.fillna(True).to_numpy(dtype=bool) if blank.dtype != bool else blank.to_numpy()


def _csv_table_fast(data: bytes, limits: Limits, max_cells: int) -> pd.DataFrame | None:
    """The table of a plain CSV file, read by pandas' C parser (several times faster than the csv
    module row by row, and its text stays in compact pyarrow strings); the same table, sheet row
    numbers and names as ``table_from_rows`` over ``csv.reader``.

    ``None`` when the file is not plain enough to be sure of that, and the caller reads it row by
    row: rows of different lengths, a quote left open, blank lines before the header, a cell
    longer than the csv module's field limit (which refuses it), a first line of
    ``FAST_CSV_MAX_COLUMNS`` fields or more, more separators than ``max_cells`` (checked before
    parsing, so memory stays bounded), or a table past a limit (the row-by-row reader refuses it
    with its message).
    """
    if data.count(b",") + data.count(b"\n") + data.count(b"\r") + 1 > max_cells:
        return None
    end = min((i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0), default=len(data))
    if data[:end].count(b",") >= FAST_CSV_MAX_COLUMNS or data.startswith(_UTF8_BOM * 2):
        return None  # pandas would also drop a second byte-order mark, which the csv module keeps
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            frame = pd.read_csv(io.BytesIO(data), header=None, dtype=str, na_filter=False, skip_blank_lines=False,
                                encoding=encoding, engine="c")
            break
        except UnicodeDecodeError:
            continue
        except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, OverflowError):
            return None
    else:
        return None
    if frame.empty or any(frame[c].str.len().max() > csv.field_size_limit() for c in frame.columns):
        return None
    filled = np.column_stack([~blank_text(frame[c]) for c in frame.columns])
    width_of_row = np.where(filled.any(axis=1), filled.shape[1] - np.argmax(filled[:, ::-1], axis=1), 0)
    rows = np.flatnonzero(width_of_row)
    if not len(rows):
        return pd.DataFrame()
    width, body = int(width_of_row.max()), rows[1:]
    if width > limits.max_columns or len(body) > limits.max_rows or (len(body) + 1) * width > max_cells:
        return None
    names = _column_names(frame.iloc[rows[0], :width].tolist(), width)
    table = frame.iloc[body, :width] if len(body) != len(frame) - 1 else frame.iloc[1:, :width]
    table.columns = names
    table.index = pd.Index(body + 1, dtype="int64", name="row")  # csv records are numbered from 1
    return table


def _read_csv_table(path: Path, where: str, limits: Limits, max_cells: int) -> pd.DataFrame:
    """One CSV file as a raw table: the fast reader when the file is plain, else row by row."""
    _check_csv_size(path, limits)
    data = path.read_bytes()
    table = _csv_table_fast(data, limits, max_cells)
    if table is not None:
        return table
    try:
        return table_from_rows(_read_csv_rows(path, limits, data), where=where, limits=limits, max_cells=max_cells)
    except csv.Error as exc:
        raise SourceError(f"Could not read '{path.name}' as CSV: {exc}.") from None


def _read_folder(folder: Path, tabs: TabNames, limits: Limits = LIMITS) -> dict[str, pd.DataFrame | None]:
    files = {p.stem: p for p in sorted(folder.glob("*.csv"))}
    out: dict[str, pd.DataFrame | None] = {}
    cells = 0
    for key, wanted in (("feedback", tabs.feedback), ("survey", tabs.survey), ("pages", tabs.pages)):
        stem = _pick_tab(list(files), wanted)
        if stem is None:
            if key == "pages":
                out[key] = None
                continue
            raise _missing_tab("Folder", str(folder), f"{wanted}.csv", [p.name for p in files.values()])
        path = files[stem]
        out[key] = table = _read_csv_table(path, f"File '{path.name}'", limits, limits.max_cells - cells)
        cells += table.size + len(table.columns)
    return out


def _raw(tables: dict[str, pd.DataFrame | None], info: SourceInfo) -> RawTables:
    return RawTables(tables["feedback"], tables["survey"], tables["pages"], info)


def read_demo(tabs: TabNames = TabNames(), limits: Limits = LIMITS) -> RawTables:
    """The embedded demo workbook."""
    tables = _read_xlsx(DEMO_WORKBOOK, "demo.xlsx", tabs, limits)
    return _raw(tables, SourceInfo("demo", "Demo data", _now(), str(DEMO_WORKBOOK)))


def read_workbook(path: str | Path, tabs: TabNames = TabNames(), limits: Limits = LIMITS) -> RawTables:
    """A local workbook: an ``.xlsx`` file or a folder holding ``Feedback.csv`` and ``MainFeedback.csv``."""
    path = Path(path).expanduser()
    if path.is_dir():
        tables = _read_folder(path, tabs, limits)
    elif path.is_file():
        tables = _read_xlsx(path, path.name, tabs, limits)
    else:
        raise SourceError(f"Workbook not found: {path} (give an .xlsx file or a folder of CSV files).")
    return _raw(tables, SourceInfo("workbook", path.name, _now(), str(path)))


def read_upload(name: str, data: bytes, tabs: TabNames = TabNames(), limits: Limits = LIMITS) -> RawTables:
    """A workbook uploaded in the sidebar (``.xlsx``)."""
    tables = _read_xlsx(data, name, tabs, limits)
    return _raw(tables, SourceInfo("upload", name, _now()))
