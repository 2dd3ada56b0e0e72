"""AppTest of the Data quality page: counts and listings match what normalisation counted."""

from tests.app.conftest import metrics, new_app
from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook
from tests.test_summary_cli import messy_workbook


def test_counts_on_a_messy_workbook(tmp_path, monkeypatch):
    expect, *_ = messy_workbook(tmp_path / "messy.xlsx")
    monkeypatch.setenv("INSIGHT_SOURCE", str(tmp_path / "messy.xlsx"))
    at = new_app("app_pages/data_quality.py")
    m = [(x.label, x.value) for x in at.metric]
    rows_read = expect["kept"] + expect["spam"] + expect["duplicates"]
    assert m[:5] == [("Rows read", str(rows_read)), ("Kept", str(expect["kept"])), ("Spam", str(expect["spam"])),
                     ("Duplicates", str(expect["duplicates"])),
                     ("Unreadable timestamps", str(expect["bad_timestamps"]))]
    urls = next(d.value for d in at.dataframe if "Address" in d.value.columns)
    assert urls.to_dict("records") == [
        {"Address": "https://data-to-insight.github.io/centre-of-excellence/suggestions/", "Rows": 1}]


def test_unrecognised_values_and_extra_columns_are_listed(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "w.xlsx", {
        "Feedback": [FEEDBACK_HEADER + ["Notes"], fb_row(nature="Loved it", role="Student") + ["called"],
                     fb_row(summary="b", nature="Loved it") + [""]],
        "MainFeedback": [SURVEY_HEADER, survey_row(use='{"Improving data quality": 9}')],
    })
    monkeypatch.setenv("INSIGHT_SOURCE", str(path))
    at = new_app("app_pages/data_quality.py")
    tables = [d.value.to_dict("records") for d in at.dataframe]
    assert [{"Typed value": "Loved it", "Rows": 2}] in tables          # reactions
    assert [{"Typed value": "Student", "Rows": 1}] in tables           # roles
    assert [{"Column": "Notes", "Rows": 1}] in tables
    assert [{"Value": "Improving data quality: 9", "Rows": 1}] in tables
    assert metrics(at)["Kept"] == "1"  # the survey's count (shown last)
