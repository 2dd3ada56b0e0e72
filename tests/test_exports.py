"""The export path: formula neutralisation (OWASP cases), encodings, Excel limits."""

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from lib.exports import (
    CAPPED_SHEET,
    CUT_MARKER,
    EXCEL_CELL_LIMIT,
    file_name,
    neutralise,
    to_csv_bytes,
    to_xlsx_bytes,
)

OWASP = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "  =1+1",
         '=1+2";=1+2', "\n=1+1", "  -5", "   @x",
         # spreadsheets skip invisible characters before a formula sign, and read full-width signs
         '\x00=HYPERLINK("http://evil.example","click")', "\u200b=1+1", "\ufeff=1+1", "\u2060@x",
         "\xa0=1", "\x00 \u200b -1", "＝1+1", "＋1", "－1", "＠SUM(A1)", "\t", "\rplain"]
HARMLESS = ["plain", "a=b", "1-2", "email@example.org", "", "'already quoted", "–2 (en dash)"]


@pytest.mark.parametrize("text", OWASP)
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_untouched(text):
    assert neutralise(text) == text


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_neutralises_cells_and_headers_but_keeps_numbers():
    frame = pd.DataFrame({"=cmd": OWASP, "n": range(-5, -5 + len(OWASP))})
    rows = read_csv(to_csv_bytes(frame))
    assert rows[0] == ["'=cmd", "n"]
    assert [r[0] for r in rows[1:]] == ["'" + t for t in OWASP]
    assert [r[1] for r in rows[1:]] == [str(n) for n in range(-5, -5 + len(OWASP))]  # negative numbers stay numbers


def test_categorical_columns_are_written_as_their_text():
    """The viewer's label columns are categorical (``lib.dataset.CATEGORICAL``): in both files they
    are text like any other, neutralised as any other."""
    frame = pd.DataFrame({"Page": pd.Categorical(["=HYPERLINK(\"http://x\")", "Home", "Home"]), "n": [1, 2, 3]})
    assert [r[0] for r in read_csv(to_csv_bytes(frame))[1:]] == ["'=HYPERLINK(\"http://x\")", "Home", "Home"]
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(frame, "Comments")))["Comments"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["=HYPERLINK(\"http://x\")", "Home", "Home"]


def test_csv_round_trips_unicode_and_long_text():
    long = "Zoë said: " + "x" * 50_000
    frame = pd.DataFrame({"text": ["👍 emoji", "مرحبا بالعالم (right to left)", long, "Siân\nnew line"]})
    rows = read_csv(to_csv_bytes(frame))
    assert [r[0] for r in rows[1:]] == list(frame["text"])


def test_csv_writes_local_times_plainly():
    frame = pd.DataFrame({"when": pd.to_datetime(["2026-10-01 09:30"]).tz_localize("Europe/London")})
    assert read_csv(to_csv_bytes(frame))[1] == ["2026-10-01 09:30:00"]


def test_xlsx_holds_no_formula_or_link_and_cuts_at_the_limit():
    long = "y" * 50_000
    frame = pd.DataFrame({"text": OWASP[:4] + ["http://example.org", long],
                          "n": [1, 2, 3, 4, 5, 6],
                          "when": pd.to_datetime(["2026-10-01 09:30"] * 6).tz_localize("Europe/London")})
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(frame, "Comments")))
    ws = wb["Comments"]
    values = [row for row in ws.iter_rows(values_only=True)]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert not any(c.hyperlink for c in cells)
    assert [v[0] for v in values[1:5]] == OWASP[:4]       # text as typed, stored as text
    assert values[5][0] == "http://example.org"
    cut = values[6][0]
    assert len(cut) == EXCEL_CELL_LIMIT and cut.startswith("y" * 1000)
    assert cut.endswith(CUT_MARKER.format(n=50_000 - cut.index(" …")))
    assert [v[1] for v in values[1:]] == [1, 2, 3, 4, 5, 6]
    assert str(values[1][2]) == "2026-10-01 09:30:00"


def test_file_names_carry_description_and_time():
    when = pd.Timestamp("2026-11-27 14:05", tz="Europe/London")
    assert file_name("comments", "group-Local authority", when, "csv") == \
        "comments_group-Local-authority_2026-11-27_1405.csv"
    assert file_name("reactions", "page-../../etc", when, "xlsx") == "reactions_page-.-.-etc_2026-11-27_1405.xlsx"


def test_a_long_table_in_excel_holds_the_first_rows_and_says_where_the_rest_are():
    frame = pd.DataFrame({"n": range(12), "text": [f"row {i}" for i in range(12)]})
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(frame, "Comments", max_rows=5)))
    assert wb.sheetnames == [CAPPED_SHEET, "Comments"]
    note = wb[CAPPED_SHEET]["A1"].value
    assert "12 rows" in note and "first 5" in note and "CSV" in note
    assert [r[0] for r in wb["Comments"].iter_rows(values_only=True)] == ["n", 0, 1, 2, 3, 4]
    assert load_workbook(io.BytesIO(to_xlsx_bytes(frame, "Comments", max_rows=12))).sheetnames == ["Comments"]


def worker_pid(frame: pd.DataFrame) -> bytes:
    """The process a file is built in (run by ``in_worker``)."""
    import os

    return str(os.getpid()).encode()


def test_large_files_are_built_in_another_process_and_come_out_the_same():
    import os

    from lib.exports import WORKER_ROWS, in_worker

    small = pd.DataFrame({"n": range(WORKER_ROWS)})
    large = pd.DataFrame({"n": range(WORKER_ROWS + 1), "text": ["=1+1", "plain"] * ((WORKER_ROWS + 1) // 2) + ["x"]})
    assert in_worker(worker_pid, small) == str(os.getpid()).encode()
    assert in_worker(worker_pid, large) != str(os.getpid()).encode()
    assert in_worker(to_csv_bytes, large) == to_csv_bytes(large)
