"""Bounded reads (issue 9, "Why" 2 and 3): a workbook costs time and memory for what it holds,
never for what it claims; past the documented limits it is refused with one plain sentence.

The hostile files are built here, in ``tmp_path``, and read in a child process under a memory
watchdog (``tests/bounded_run.py``): each must end within 60 s and under 1 GB."""

import datetime as dt
import json
import random
import string

import pytest
from openpyxl import load_workbook

from lib.errors import SourceError
from lib.limits import Limits
from lib.sources import DEMO_WORKBOOK, read_upload, read_workbook, table_from_rows
from lib.xlsx import Workbook
from tests.bounded_run import GB, read_bounded
from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook
from tests.xlsx_files import Repeat, row_cells, row_xml, sheet_xml, write_xlsx

T0 = dt.datetime(2026, 10, 1, 9, 0)
SURVEY_TAB = list(sheet_xml([row_xml(1, SURVEY_HEADER)]))


def text_row(**kwargs) -> list:
    """A feedback row with its timestamp as ISO text (the hand-built files write text or numbers)."""
    row = fb_row(**kwargs)
    row[0] = row[0].isoformat() if isinstance(row[0], dt.datetime) else row[0]
    return row


def feedback_book(path, rows, **kwargs):
    return write_xlsx(path, {"Feedback": sheet_xml(rows, **kwargs), "MainFeedback": SURVEY_TAB})


# -- the reader reads what openpyxl reads ---------------------------------------------------------

def openpyxl_rows(path, sheet):
    """openpyxl's reading of a sheet, as (row number, values) of non-empty rows, trailing blanks cut."""
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb[sheet]
    ws.reset_dimensions()
    out = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        values = list(values)
        while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
            values.pop()
        if values:
            out.append((number, values))
    wb.close()
    return out


def test_reader_agrees_with_openpyxl_on_typed_cells_and_the_demo(tmp_path):
    path = write_workbook(tmp_path / "typed.xlsx", {
        "Feedback": [FEEDBACK_HEADER, fb_row(org="007", details="Long\ntext  "), [None] * 9,
                     fb_row(when=dt.date(2026, 10, 2), summary=12345, org=3.25, email=True),
                     [None, None, None, "   "], ["=1+1", -7, 1e300, "x" * 5000, "ünïcødé ’", None, None, None, "h"]],
        "MainFeedback": [SURVEY_HEADER, survey_row(use=json.dumps({"Improving data quality": 5}))],
    })
    for book, sheets in ((path, ("Feedback", "MainFeedback")), (DEMO_WORKBOOK, ("Feedback", "MainFeedback"))):
        with Workbook(book, book.name) as wb:
            for sheet in sheets:
                assert list(wb.rows(sheet)) == openpyxl_rows(book, sheet)


# -- "Why" 2: a 2 KB file must not exhaust the server -----------------------------------------------

def test_a_row_gap_file_reads_its_three_rows_with_their_sheet_numbers(tmp_path):
    last = {i + 1: v for i, v in enumerate(text_row(summary="At the very end"))} | {16_384: "a note in XFD"}
    path = feedback_book(tmp_path / "gap.xlsx", [row_xml(1, FEEDBACK_HEADER), row_xml(2, text_row()),
                                                 row_cells(1_048_576, last)])
    assert path.stat().st_size < 4096
    got = read_bounded(path)
    assert got.result == {"rows": [2, 1_048_576], "rows_read": 2, "kept": 2, "columns": 16_384}
    assert got.seconds < 60 and got.max_rss < GB


def test_a_dimension_bomb_is_ignored(tmp_path):
    rows = [row_xml(1, FEEDBACK_HEADER), row_xml(2, text_row()), row_xml(3, text_row(summary="b"))]
    path = feedback_book(tmp_path / "dimension.xlsx", rows, dimension="A1:XFD1048576")
    got = read_bounded(path)
    assert got.result == {"rows": [2, 3], "rows_read": 2, "kept": 2, "columns": 9}
    assert got.seconds < 60 and got.max_rss < GB


# -- "Why" 3: a zip bomb ------------------------------------------------------------------------------

def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    spam = row_xml(None, text_row(summary="cheap pills " * 6, hp="bot")).encode()
    block = spam * 1000
    times = (1_200_000_000 // len(block)) + 1            # ~1.2 GB of sheet XML, ~6.7 M rows
    feedback = [*sheet_xml([row_xml(1, FEEDBACK_HEADER)])][:-1] + [Repeat(block, times), b"</sheetData></worksheet>"]
    path = write_xlsx(tmp_path / "bomb.xlsx", {"Feedback": feedback, "MainFeedback": SURVEY_TAB})
    assert path.stat().st_size < 50 * 1024 * 1024        # under the upload limit
    got = read_bounded(path)
    assert got.error.startswith("Workbook 'bomb.xlsx' was not opened: its part xl/worksheets/sheet1.xml would "
                                "expand ")
    assert "(a zip bomb)" in got.error
    assert got.seconds < 60 and got.max_rss < GB


def test_a_zip_bomb_below_the_ratio_is_refused_by_its_total_size(tmp_path):
    """Rows that compress less than 100:1 still may not expand beyond the total limit."""
    rows = [row_xml(1, FEEDBACK_HEADER)] + [row_xml(n, text_row(summary=f"Point {n * 7919 % 100_003}"))
                                            for n in range(2, 20_000)]
    path = feedback_book(tmp_path / "big.xlsx", rows)
    limits = Limits(max_total_bytes=2 * 1024 * 1024)
    with pytest.raises(SourceError, match=r"^Workbook 'big.xlsx' expands to \d+ MB, more than the 2 MB the "
                                          r"dashboard reads\.$"):
        read_upload("big.xlsx", path.read_bytes(), limits=limits)
    with pytest.raises(SourceError, match=r"has a part \(xl/worksheets/sheet1.xml\) of \d+ MB uncompressed"):
        read_upload("big.xlsx", path.read_bytes(), limits=Limits(max_entry_bytes=1024 * 1024))


# -- the other limits -----------------------------------------------------------------------------------

def test_file_size_and_entry_count_limits(tmp_path):
    path = feedback_book(tmp_path / "w.xlsx", [row_xml(1, FEEDBACK_HEADER), row_xml(2, text_row())])
    with pytest.raises(SourceError, match=r"^Workbook 'w.xlsx' is 0 MB, more than the 0 MB the dashboard reads"):
        read_workbook(path, limits=Limits(max_file_bytes=100))
    with pytest.raises(SourceError, match=r"holds 7 files inside, more than the 5 the dashboard reads"):
        read_workbook(path, limits=Limits(max_zip_entries=5))


def test_cells_columns_rows_and_cell_length_are_capped(tmp_path):
    rows = [row_xml(1, FEEDBACK_HEADER)] + [row_xml(n, text_row(summary=f"p{n}")) for n in range(2, 12)]
    path = feedback_book(tmp_path / "w.xlsx", rows)
    assert len(read_workbook(path).feedback) == 10
    with pytest.raises(SourceError, match=r"^Workbook 'w.xlsx', tab 'Feedback', has more than 90 cells \(rows × "
                                          r"columns\), more than a Google Sheet can hold"):
        read_workbook(path, limits=Limits(max_cells=90))
    with pytest.raises(SourceError, match=r"tab 'Feedback': a cell beyond column 8, more than a Google Sheet has"):
        read_workbook(path, limits=Limits(max_columns=8))
    with pytest.raises(SourceError, match=r"tab 'Feedback': a row numbered beyond 5"):
        read_workbook(path, limits=Limits(max_rows=5))
    with pytest.raises(SourceError, match=r"a cell \(A1\) of more than 5 characters"):
        read_workbook(path, limits=Limits(max_cell_chars=5))


def test_cells_are_counted_across_tabs(tmp_path):
    rows = [row_xml(1, FEEDBACK_HEADER)] + [row_xml(n, text_row(summary=f"p{n}")) for n in range(2, 12)]
    survey = sheet_xml([row_xml(1, SURVEY_HEADER), row_xml(2, ["2026-10-01", "x", "Local authority leadership"])])
    path = write_xlsx(tmp_path / "w.xlsx", {"Feedback": sheet_xml(rows), "MainFeedback": survey})
    read_workbook(path, limits=Limits(max_cells=99 + 22))            # 11 × 9 + 2 × 11
    with pytest.raises(SourceError, match=r"tab 'MainFeedback', has more than 21 cells"):
        read_workbook(path, limits=Limits(max_cells=99 + 21))


@pytest.mark.parametrize("xml, why", [
    ('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet xmlns="{m}"><sheetData/></worksheet>', "declares a DOCTYPE"),
    ('<worksheet xmlns="{m}"><sheetData>' + "<x>" * 100 + "</x>" * 100 + "</sheetData></worksheet>",
     "nests more than 64 levels deep"),
    ('<worksheet xmlns="{m}"><sheetData><row r="1"><c r="A1" z="' + "".join(random.Random(9).choices(
        string.ascii_letters, k=3_000_000)) + '"/></row></sheetData></worksheet>', "one XML tag is longer than 1 MB"),
    ('<worksheet xmlns="{m}"><sheetData><row r="1"><c r="AAAA1"><v>1</v></c></row></sheetData></worksheet>',
     "beyond column ZZZ"),
])
def test_malformed_sheets_are_refused_plainly(tmp_path, xml, why):
    xml = xml.replace("{m}", "http://schemas.openxmlformats.org/spreadsheetml/2006/main")
    path = write_xlsx(tmp_path / "odd.xlsx", {"Feedback": [xml.encode()], "MainFeedback": SURVEY_TAB})
    with pytest.raises(SourceError, match=why):
        read_workbook(path)


def test_blank_rows_with_attributes_cost_nothing(tmp_path):
    """A million empty <row> elements (openpyxl keeps a dict for each): read in bounded memory."""
    blank = b"".join(f'<row r="{n}" ht="20" customHeight="1"/>'.encode() for n in range(2, 1_048_575))
    feedback = [*sheet_xml([row_xml(1, FEEDBACK_HEADER)])][:-1] + [
        blank, row_xml(1_048_575, text_row()).encode(), b"</sheetData></worksheet>"]
    path = write_xlsx(tmp_path / "blank.xlsx", {"Feedback": feedback, "MainFeedback": SURVEY_TAB})
    got = read_bounded(path, "workbook")
    assert got.result == {"rows": [1_048_575], "rows_read": 1, "kept": 1, "columns": 9}
    assert got.seconds < 60 and got.max_rss < GB


# -- CSV folders and the live sheet's rows share the table limits -------------------------------------------

def test_csv_folder_limits(tmp_path):
    (tmp_path / "Feedback.csv").write_text(",".join(FEEDBACK_HEADER) + "\n\n\n" + "2026-10-01,/a/,,x,,r\n" * 5)
    (tmp_path / "MainFeedback.csv").write_text(",".join(SURVEY_HEADER) + "\n")
    raw = read_workbook(tmp_path)
    assert list(raw.feedback.index) == [4, 5, 6, 7, 8]   # blank lines skipped, row numbers kept
    with pytest.raises(SourceError, match=r"^File 'Feedback.csv' has more than 50 cells"):
        read_workbook(tmp_path, limits=Limits(max_cells=50))
    with pytest.raises(SourceError, match=r"^File 'Feedback.csv' has more than 8 columns"):
        read_workbook(tmp_path, limits=Limits(max_columns=8))
    with pytest.raises(SourceError, match=r"^'Feedback.csv' is 0 MB, more than the 0 MB the dashboard reads"):
        read_workbook(tmp_path, limits=Limits(max_file_bytes=100))


def test_table_from_rows_caps_and_keeps_sheet_row_numbers():
    rows = [[], ["a", "b"], [None, ""], ["1", "2", None, ""], [], ["3"]]
    t = table_from_rows(rows)
    assert list(t.index) == [4, 6] and list(t.columns) == ["a", "b"]
    with pytest.raises(SourceError, match=r"^The Google Sheet's tab 'X' has more than 5 cells"):
        table_from_rows(rows, where="The Google Sheet's tab 'X'", limits=Limits(max_cells=5))
    wide = [["h"], [None] * 30 + ["x"]]
    with pytest.raises(SourceError, match="has more than 30 columns"):
        table_from_rows(wide, limits=Limits(max_columns=30))
    assert table_from_rows([["h"], ["x"] + [None] * 100_000]).shape == (1, 1)   # trailing blanks don't count


def test_the_upload_limit_is_the_file_limit():
    import tomllib

    from lib.limits import LIMITS, MB
    from tests.conftest import PROJECT

    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * MB == LIMITS.max_file_bytes
