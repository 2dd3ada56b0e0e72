"""Sources: .xlsx files, folders of CSVs, uploads, and plain messages for broken input."""

import datetime as dt

import pytest

from lib.errors import SourceError
from lib.sources import read_upload, read_workbook, table_from_rows
from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook


def test_table_from_rows_pads_ragged_rows_and_names_headers():
    t = table_from_rows([[None, None], ["a", "", "a"], [1], [1, 2, 3, 4]])
    assert list(t.columns) == ["a", "(blank column 2)", "a (2)", "(blank column 4)"]
    assert list(t.index) == [3, 4]  # sheet row numbers after the header row 2
    assert t.iloc[0].tolist() == [1, None, None, None]


def test_xlsx_keeps_cell_types(tmp_path):
    path = write_workbook(tmp_path / "w.xlsx", {
        "Feedback": [FEEDBACK_HEADER, fb_row(org="007")],
        "MainFeedback": [SURVEY_HEADER, survey_row()],
    })
    raw = read_workbook(path)
    assert raw.feedback.iloc[0]["org"] == "007"
    assert raw.feedback.iloc[0]["Timestamp"] == dt.datetime(2026, 10, 1, 9, 0)
    assert raw.pages is None and raw.info.kind == "workbook" and raw.info.name == "w.xlsx"


def test_tab_names_match_loosely_and_pages_tab_is_read(tmp_path):
    path = write_workbook(tmp_path / "w.xlsx", {
        "feedback": [FEEDBACK_HEADER], "Main Feedback": [SURVEY_HEADER],
        "PAGES": [["path", "title"], ["/a/", "A"]],
    })
    raw = read_workbook(path)
    assert list(raw.pages["title"]) == ["A"]


def test_missing_tab_is_named(tmp_path):
    path = write_workbook(tmp_path / "w.xlsx", {"Feedback": [FEEDBACK_HEADER], "Sheet2": [["x"]]})
    with pytest.raises(SourceError, match=r"has no 'MainFeedback' tab \(tabs found: Feedback, Sheet2\)"):
        read_workbook(path)


def test_broken_file_is_a_plain_message(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a workbook")
    with pytest.raises(SourceError, match="Could not read 'broken.xlsx' as an Excel workbook"):
        read_workbook(path)
    with pytest.raises(SourceError, match="Could not read 'up.xlsx'"):
        read_upload("up.xlsx", b"PK\x03\x04 truncated")


def test_missing_path_is_a_plain_message(tmp_path):
    with pytest.raises(SourceError, match="Workbook not found"):
        read_workbook(tmp_path / "nope.xlsx")


def test_folder_of_csvs(tmp_path):
    (tmp_path / "Feedback.csv").write_text(
        "Timestamp,page,nature,summary,role\n01/10/2026 09:00,/how-our-system-works/,Other,Fine words,x\n",
        encoding="utf-8-sig")
    (tmp_path / "MainFeedback.csv").write_bytes("role,comments\nx,Caf\xe9 culture\n".encode("cp1252"))
    raw = read_workbook(tmp_path)
    assert raw.feedback.iloc[0]["Timestamp"] == "01/10/2026 09:00"
    assert raw.feedback.columns[0] == "Timestamp"  # BOM removed
    assert raw.survey.iloc[0]["comments"] == "Café culture"


def test_folder_missing_file(tmp_path):
    (tmp_path / "Feedback.csv").write_text("page,role,summary\n")
    with pytest.raises(SourceError, match=r"no 'MainFeedback.csv' file \(files found: Feedback.csv\)"):
        read_workbook(tmp_path)


def test_upload_bytes(tmp_path):
    path = write_workbook(tmp_path / "w.xlsx", {"Feedback": [FEEDBACK_HEADER, fb_row()],
                                               "MainFeedback": [SURVEY_HEADER]})
    raw = read_upload("mine.xlsx", path.read_bytes())
    assert raw.info.kind == "upload" and len(raw.feedback) == 1


# -- the fast CSV reader reads exactly what the csv module reads -------------------------------------

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CSV_CHARS = ["a", "b", "7", ",", ",", '"', "\n", "\r", "\r\n", " ", "\t", "\u00a0", "\u2028", "\x1c", "\x85",
             "\ufeff", "é", "\x00"]


def _blank_as_none(table):
    from lib.cells import is_blank

    return {"columns": list(table.columns), "index": list(table.index),
            "cells": [[None if is_blank(v) else v for v in row] for row in table.itertuples(index=False)]}


def _fast(data: bytes, limits=None, max_cells=None):
    import tempfile
    from pathlib import Path

    from lib.limits import LIMITS
    from lib.sources import _csv_table_fast

    limits = limits or LIMITS
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        return _csv_table_fast(path, limits, limits.max_cells if max_cells is None else max_cells)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(CSV_CHARS), max_size=60).map("".join), st.booleans())
@example('a,b\n"x"y,2\n\n1,"2" \r\r\n3,4', False)
@example("a,b\n1,2,3\n", False)
@example("\n\na,b\n1,2", True)
@example("\ufeffa,b\n1,2", True)
def test_fast_csv_reader_agrees_with_the_csv_module(text, bom):
    """Whenever the fast reader takes a file, its table is the row-by-row reader's: same header names,
    same sheet row numbers, the same text in every cell (blank cells may be "" or missing)."""
    import csv
    import io

    data = ("\ufeff" if bom else "") + text
    fast = _fast(data.encode("utf-8"))
    if fast is None:
        return
    slow = table_from_rows(csv.reader(io.StringIO(data.removeprefix("\ufeff"), newline="")))
    assert _blank_as_none(fast) == _blank_as_none(slow)


def test_fast_csv_reader_leaves_what_it_cannot_be_sure_of_to_the_csv_module(tmp_path):
    from lib.limits import Limits

    assert _fast(b"a,b\n1,2,3\n") is None                      # ragged
    assert _fast(b'a,b\n"open,2\n') is None                    # a quote left open
    assert _fast(b"a\n" + b"x" * 200_000 + b"\n") is None      # over the csv module's field limit
    assert _fast(b"a,b\n1,2\n3,4\n", Limits(max_cells=5), 5) is None  # over a limit
    assert _fast(b"," * 2000 + b"\n1\n") is None                 # very wide
    assert _fast(b'"a\nb",c\n1,2\n') is None                    # a quote in the first line
    assert _fast(b"a,b\n1,2\n") is not None
    (tmp_path / "Feedback.csv").write_bytes(b"page,role,summary\n" + b"x" * 200_000 + b",r,s\n")
    (tmp_path / "MainFeedback.csv").write_text("role\n")
    with pytest.raises(SourceError, match="Could not read 'Feedback.csv' as CSV: field larger than field limit"):
        read_workbook(tmp_path)
