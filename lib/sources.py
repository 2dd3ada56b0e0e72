"""Sources: each yields the raw tables (``Feedback``, ``MainFeedback``, optional ``Pages``).

Raw tables keep every cell as it was read (text stays text, dates stay dates);
normalisation happens later in ``lib.normalise``. Sources here: the embedded
demo workbook, a local workbook (``.xlsx`` or a folder of CSVs) and an uploaded
workbook. The live Google Sheet is one more source with the same contract.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from .consultation import DATA_DIR, loose_key
from .errors import SourceError

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


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value != value


def table_from_rows(rows: Iterable[Sequence[object]]) -> pd.DataFrame:
    """A raw table from a header row and data rows (ragged rows padded, headers made unique).

    The index is the 1-based row number in the sheet, so messages can point at a row.
    """
    rows = [list(r) for r in rows]
    start = next((i for i, r in enumerate(rows) if any(not _blank(v) for v in r)), None)
    if start is None:
        return pd.DataFrame()
    header, body = rows[start], rows[start + 1:]
    width = max([len(header), *map(len, body)])
    names: list[str] = []
    for i in range(width):
        raw = header[i] if i < len(header) else None
        name = "" if _blank(raw) else str(raw).strip()
        name = name or f"(blank column {i + 1})"
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    padded = [r + [None] * (width - len(r)) for r in body]
    index = pd.RangeIndex(start + 2, start + 2 + len(padded), name="row")
    return pd.DataFrame(padded, columns=names, index=index, dtype=object)


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


def _read_xlsx(data: bytes | Path, name: str, tabs: TabNames) -> dict[str, pd.DataFrame | None]:
    from openpyxl import load_workbook

    try:
        stream = io.BytesIO(data) if isinstance(data, bytes) else data
        wb = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(
            f"Could not read '{name}' as an Excel workbook (.xlsx): {exc.__class__.__name__}. "
            "Download the sheet again with File › Download › Microsoft Excel."
        ) from None
    try:
        out: dict[str, pd.DataFrame | None] = {}
        for key, wanted in (("feedback", tabs.feedback), ("survey", tabs.survey), ("pages", tabs.pages)):
            tab = _pick_tab(wb.sheetnames, wanted)
            if tab is None:
                if key == "pages":
                    out[key] = None
                    continue
                raise _missing_tab("Workbook", name, wanted, wb.sheetnames)
            out[key] = table_from_rows(wb[tab].iter_rows(values_only=True))
        return out
    finally:
        wb.close()


def _read_csv_text(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise SourceError(f"Could not decode '{path.name}': save it as UTF-8 CSV.")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise SourceError(f"Could not read '{path.name}' as CSV: {exc}.") from None


def _read_folder(folder: Path, tabs: TabNames) -> dict[str, pd.DataFrame | None]:
    files = {p.stem: p for p in sorted(folder.glob("*.csv"))}
    out: dict[str, pd.DataFrame | None] = {}
    for key, wanted in (("feedback", tabs.feedback), ("survey", tabs.survey), ("pages", tabs.pages)):
        stem = _pick_tab(list(files), wanted)
        if stem is None:
            if key == "pages":
                out[key] = None
                continue
            raise _missing_tab("Folder", str(folder), f"{wanted}.csv", [p.name for p in files.values()])
        out[key] = table_from_rows(_read_csv_text(files[stem]))
    return out


def _raw(tables: dict[str, pd.DataFrame | None], info: SourceInfo) -> RawTables:
    return RawTables(tables["feedback"], tables["survey"], tables["pages"], info)


def read_demo(tabs: TabNames = TabNames()) -> RawTables:
    """The embedded demo workbook."""
    tables = _read_xlsx(DEMO_WORKBOOK, "demo.xlsx", tabs)
    return _raw(tables, SourceInfo("demo", "Demo data", _now(), str(DEMO_WORKBOOK)))


def read_workbook(path: str | Path, tabs: TabNames = TabNames()) -> RawTables:
    """A local workbook: an ``.xlsx`` file or a folder holding ``Feedback.csv`` and ``MainFeedback.csv``."""
    path = Path(path).expanduser()
    if path.is_dir():
        tables = _read_folder(path, tabs)
    elif path.is_file():
        tables = _read_xlsx(path, path.name, tabs)
    else:
        raise SourceError(f"Workbook not found: {path} (give an .xlsx file or a folder of CSV files).")
    return _raw(tables, SourceInfo("workbook", path.name, _now(), str(path)))


def read_upload(name: str, data: bytes, tabs: TabNames = TabNames()) -> RawTables:
    """A workbook uploaded in the sidebar (``.xlsx``)."""
    tables = _read_xlsx(data, name, tabs)
    return _raw(tables, SourceInfo("upload", name, _now()))
