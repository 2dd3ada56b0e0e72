"""Excel files people can use: the header row frozen and filtered, columns as wide as what they
hold (within bounds), dates shown day first."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from lib.exports import MAX_WIDTH, MIN_WIDTH, to_xlsx_bytes


def test_the_header_is_frozen_and_filtered_and_columns_fit_their_contents():
    frame = pd.DataFrame({
        "Page": ["Models for delivery", "Appendix 2 › Making sense of case management systems"],
        "n": [3, 12],
        "Details": ["short", "x" * 500],
        "Submitted": pd.to_datetime(["2026-10-25 12:33", "2026-10-01 09:00"]).tz_localize("Europe/London"),
    })
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(frame, "Comments")))["Comments"]
    assert ws.freeze_panes == "A2"                      # the header row stays on screen
    assert ws.auto_filter.ref == "A1:D3"                # a filter on the header, over every row
    widths = {c: ws.column_dimensions[c].width for c in "ABCD"}
    # (Excel stores a width with the cell padding added: within a character of what was set)
    assert widths["A"] == pytest.approx(len("Appendix 2 › Making sense of case management systems") + 1, abs=1)
    assert widths["B"] == pytest.approx(MIN_WIDTH, abs=1)   # a narrow column is still wide enough to read
    assert widths["C"] == pytest.approx(MAX_WIDTH, abs=1)   # a long text is capped, not 500 characters wide
    assert ws["D2"].number_format == "dd/mm/yyyy hh:mm"


def test_an_empty_table_still_has_its_filtered_header():
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"Page": [], "Responses": []}))))["Data"]
    assert [c.value for c in ws[1]] == ["Page", "Responses"] and ws.auto_filter.ref == "A1:B1"
