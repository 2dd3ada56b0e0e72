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
import pyarrow as pa

from .cells import cell_text, is_blank
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


def _read_csv_rows(path: Path, limits: Limits) -> Iterable[list[str]]:
    """A CSV file's rows (refused plainly past ``limits.max_file_bytes``)."""
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


#: The fast CSV reader takes files whose first line has fewer fields than this (wider ones, rare and
#: perhaps hostile, are read row by row, where every limit is checked as the rows arrive).
FAST_CSV_MAX_COLUMNS = 1_000
_CHUNK = 1 << 20


def _csv_table_fast(path: Path, limits: Limits, max_cells: int) -> pd.DataFrame | None:
    """The table of a plain CSV file, read by pyarrow's parser (ten times faster than the csv module
    row by row, and its text stays in compact pyarrow strings); the same table, sheet row
    numbers and names as ``table_from_rows`` over ``csv.reader``.

    ``None`` when the file is not plain enough to be sure of that, and the caller reads it row by
    row: rows of different lengths, a quote left open, a blank line, a quote in the first line
    (the width is the first line's), a first line of ``FAST_CSV_MAX_COLUMNS``
    fields or more, a cell longer than the csv module's field limit (which refuses it), or a table
    past a limit (the row-by-row reader refuses it with its message). What pandas may build is
    bounded before it parses: lines × the first line's fields, at most ``max_cells``.
    """
    lines = 1
    with path.open("rb") as fh:
        head = chunk = fh.read(_CHUNK)
        while chunk:
            lines += chunk.count(b"\n") + chunk.count(b"\r")
            chunk = fh.read(_CHUNK)
    ends = [i for i in (head.find(b"\n"), head.find(b"\r")) if i >= 0]
    if not ends:
        return None  # one line, or a first line longer than a chunk: nothing to gain here
    first = head[:min(ends)]
    width = first.count(b",") + 1
    if b'"' in first or width >= FAST_CSV_MAX_COLUMNS or lines * width > max_cells:
        return None
    parsed = _parse_plain_csv(path, width)
    if parsed is None or not parsed.num_rows:
        return None
    import pyarrow.compute as pc

    limit = csv.field_size_limit()
    columns = parsed.columns
    if any((pc.max(pc.utf8_length(col)).as_py() or 0) > limit for col in columns):
        return None
    # blank as ``is_blank`` sees it: empty, or only characters ``str.isspace`` accepts (utf8_is_space)
    filled = np.column_stack([~(pc.equal(pc.utf8_length(col), 0).to_numpy(zero_copy_only=False)
                                | pc.utf8_is_space(col).to_numpy(zero_copy_only=False)) for col in columns])
    width_of_row = np.where(filled.any(axis=1), filled.shape[1] - np.argmax(filled[:, ::-1], axis=1), 0)
    rows = np.flatnonzero(width_of_row)
    if len(rows) < 2:
        return None  # no responses: the row-by-row reader's empty table is the one to give
    width, body = int(width_of_row.max()), rows[1:]
    if width > limits.max_columns or len(body) > limits.max_rows or (len(body) + 1) * width > max_cells:
        return None
    names = _column_names([columns[i][int(rows[0])].as_py() for i in range(width)], width)
    # the body without its blank rows, as slices of what was parsed (no copy of the text)
    starts = np.flatnonzero(np.diff(body, prepend=-2) != 1)
    runs = [parsed.slice(int(body[a]), int(b - a)) for a, b in zip(starts, [*starts[1:], len(body)])]
    kept = pa.concat_tables(runs)
    frame = pd.DataFrame({name: pd.array(kept.column(i), dtype="str") for i, name in enumerate(names)},
                         columns=names)
    frame.index = pd.Index(body + 1, dtype="int64", name="row")  # csv records are numbered from 1
    return frame


def _parse_plain_csv(path: Path, width: int) -> pa.Table | None:
    """Every record of the file as text (columns 0…width-1), parsed by pyarrow (in C++, straight into
    compact strings; on one thread: on a shared 2-core server more threads cost memory, not time);
    ``None`` when pyarrow refuses the file (rows of another length, a
    blank line, a quote left open, text that is neither UTF-8 nor Windows-1252)."""
    from pyarrow import csv as pa_csv

    parse = pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False)
    convert = pa_csv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                    strings_can_be_null=False, quoted_strings_can_be_null=False)
    for encoding in ("utf8", "cp1252"):  # pyarrow drops one leading byte-order mark, as "utf-8-sig" does
        try:
            table = pa_csv.read_csv(path, read_options=pa_csv.ReadOptions(autogenerate_column_names=True, use_threads=False,
                                                                          encoding=encoding),
                                    parse_options=parse, convert_options=convert)
        except UnicodeDecodeError:
            continue
        except pa.ArrowInvalid as exc:
            if "utf8" in str(exc).lower():  # not UTF-8: Windows-1252 next
                continue
            return None
        except (pa.ArrowException, ValueError, OverflowError):
            return None
        return table if table.num_columns == width else None
    return None


def _read_csv_table(path: Path, where: str, limits: Limits, max_cells: int) -> pd.DataFrame:
    """One CSV file as a raw table: the fast reader when the file is plain, else row by row."""
    _check_csv_size(path, limits)
    table = _csv_table_fast(path, limits, max_cells)
    if table is not None:
        return table
    try:
        return table_from_rows(_read_csv_rows(path, limits), where=where, limits=limits, max_cells=max_cells)
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
