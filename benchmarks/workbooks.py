"""Workbooks for ``make bench``: the demo's two tabs scaled to a size, as CSV folders.

Each folder holds ``Feedback.csv`` and ``MainFeedback.csv`` as a Google Sheet downloads them
(File › Download › CSV, UK locale): every cell as text, timestamps as ``dd/mm/yyyy hh:mm:ss``.
The rows are the demo's, with all of its mess (spam, double submissions, timestamps in several
formats, option variants, unknown pages, awkward text, hand-typed notes, blank rows), repeated:
each copy a week later and its summary or comments reworded, so that copies are new responses,
not duplicates of the first. Every other copy of the survey has its ticked activities joined by
", " instead of a JSON array, as a hand-edited sheet holds them. Deterministic: the same size
gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd

from lib.cells import cell_text
from lib.sources import RawTables, read_demo

#: per-page responses of each generated workbook; the survey has a tenth as many rows
SIZES = (1_000, 10_000, 100_000)
FOLDER = Path(__file__).resolve().parent.parent / ".bench"
UK_FORMAT = "%d/%m/%Y %H:%M:%S"


def _as_cell(value: object, shift: dt.timedelta) -> str:
    """A typed demo cell as a CSV export writes it (a date cell moved by ``shift``)."""
    if isinstance(value, dt.datetime):
        return (value + shift).strftime(UK_FORMAT)
    return "" if value is None else cell_text(value)


def _joined(cell: str) -> str:
    """A JSON array of ticked activities as the same entries joined by ", " (other cells as they are)."""
    try:
        items = json.loads(cell)
    except ValueError:
        return cell
    return ", ".join(map(str, items)) if isinstance(items, list) else cell


def _grow(table: pd.DataFrame, n: int, text_col: str, joined_col: str | None = None) -> list[list[str]]:
    """The header and ``n`` data rows: copies of ``table``, each a week later and reworded, with a
    blank row between copies (as people leave them)."""
    columns = [str(c) for c in table.columns]
    rows: list[list[str]] = [columns]
    text_at = columns.index(text_col)
    joined_at = columns.index(joined_col) if joined_col else None
    records = list(table.itertuples(index=False, name=None))
    copy = count = 0
    while count < n:
        shift = dt.timedelta(days=7 * copy)
        for record in records[: n - count]:
            row = [_as_cell(record[0], shift)] + [_as_cell(v, dt.timedelta()) for v in record[1:]]
            if copy and row[text_at]:
                row[text_at] = f"{row[text_at]} ({copy})"
            if joined_at is not None and copy % 2 and row[joined_at].startswith("["):
                row[joined_at] = _joined(row[joined_at])
            rows.append(row)
            count += 1
        rows.append([""] * len(columns))
        copy += 1
    return rows


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)


def workbook(feedback_rows: int, raw: RawTables | None = None, folder: Path = FOLDER) -> Path:
    """The CSV folder with ``feedback_rows`` per-page responses and a tenth as many survey rows
    (written once, then reused)."""
    target = folder / f"responses-{feedback_rows}"
    if (target / "MainFeedback.csv").is_file():
        return target
    raw = raw or read_demo()
    target.mkdir(parents=True, exist_ok=True)
    _write(target / "Feedback.csv", _grow(raw.feedback, feedback_rows, "summary"))
    _write(target / "MainFeedback.csv", _grow(raw.survey, max(1, feedback_rows // 10), "comments", "activities"))
    return target


def workbooks(sizes: tuple[int, ...] = SIZES) -> dict[int, Path]:
    """Every size's folder (generated when missing)."""
    raw = read_demo()
    return {n: workbook(n, raw) for n in sizes}


if __name__ == "__main__":
    for size, path in workbooks().items():
        print(size, path, sum(f.stat().st_size for f in path.iterdir()) // 1024, "KiB")
