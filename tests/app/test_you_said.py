"""AppTest of "You said, we did" and of triage beyond the Comments page, on literal responses:
an entry written per page and kept, read-only for viewers, a conflict shown with both versions;
the Overview's triage progress; a response edited in the sheet keeps its triage on Data quality."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.app.conftest import metrics, new_app, shown
from tests.app.test_access import ACCESS, AUTH, signed_in
from tests.app.test_triage import select_row, triage
from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook

PAGE = "app_pages/you_said.py"
T0 = dt.datetime(2026, 10, 1, 9, 0)
ROWS = [fb_row(when=T0, summary="Alpha: data tools need funding"),
        fb_row(when=T0 + dt.timedelta(hours=1), summary="Bravo: standards first", page="models-for-delivery/"),
        fb_row(when=T0 + dt.timedelta(hours=2), summary="Charlie: skills matter most")]

#: The Comments page's compact table (it opens on the reading view).
TABLE = {"comments_view": "Table"}


def write(path, rows):
    return write_workbook(path, {"Feedback": [FEEDBACK_HEADER, *rows], "MainFeedback": [SURVEY_HEADER,
                                                                                        survey_row(when=T0)]})


@pytest.fixture(autouse=True)
def workbook(tmp_path, monkeypatch):
    path = write(tmp_path / "three.xlsx", ROWS)
    monkeypatch.setenv("INSIGHT_SOURCE", str(path))
    return path


def entry_form(at, title: str):
    """The key prefix of the form inside the expander titled ``title``."""
    (exp,) = [e for e in at.expander if shown(e.label).startswith(title)]
    (area,) = [t for t in exp.text_area if t.label == "What you said"]
    return area.key.rsplit("_", 1)[0], exp


def test_an_entry_is_written_for_a_page_and_kept():
    at = new_app(PAGE)
    key, exp = entry_form(at, "How our system works · 2 responses")
    at.text_area(key=f"{key}_heard").set_value("Funding for data tools came up twice.")
    at.text_area(key=f"{key}_action").set_value("We will cost a shared tool.")
    at.selectbox(key=f"{key}_status").set_value("Agreed")
    next(b for b in exp.button if b.label == "Save").click()
    at.run()
    again = new_app(PAGE)   # another session reads it back from the store
    (exp,) = [e for e in again.expander if shown(e.label).startswith("How our system works")]
    assert shown(exp.label) == "How our system works · 2 responses · Agreed"
    assert any("1** of " in m.value for m in again.markdown)


def test_viewers_read_entries_and_a_conflict_shows_both_versions():
    secrets = {"auth": AUTH, "access": ACCESS}
    sam = new_app(PAGE, secrets=secrets, user=signed_in("sam@council.gov.uk"))
    other = new_app(PAGE, secrets=secrets, user=signed_in("sam@council.gov.uk"))
    key, exp = entry_form(sam, "Models for delivery")
    sam.text_area(key=f"{key}_heard").set_value("Sam's words")
    next(b for b in exp.button if b.label == "Save").click()
    sam.run()
    key2, exp2 = entry_form(other, "Models for delivery")       # opened before Sam saved
    other.text_area(key=f"{key2}_heard").set_value("Other words")
    next(b for b in exp2.button if b.label == "Save").click()
    other.run()
    assert any("since you opened it" in shown(w.value) for w in other.warning)
    assert any("Sam's words" in shown(m.value) for m in other.markdown)
    ana = new_app(PAGE, secrets=secrets, user=signed_in("ana@council.gov.uk"))
    assert not ana.text_area and any("Sam's words" in shown(m.value) for m in ana.markdown)


def test_the_overview_shows_triage_progress():
    at = select_row(new_app("app_pages/comments.py", query=TABLE), 0)            # Charlie
    triage(at, "Actioned", [], "")
    at = new_app()
    assert metrics(at)["Actioned"] == "1" and metrics(at)["New"] == "2"
    progress = next(d.value for d in at.dataframe if "Triaged" in d.value.columns)
    row = progress.set_index("Page").loc["How our system works"]
    assert (row["Responses"], row["Actioned"], row["Triaged"]) == (2, 1, 0.5)


def test_a_response_edited_in_the_sheet_keeps_its_triage(workbook, monkeypatch):
    at = select_row(new_app("app_pages/comments.py", query=TABLE), 1)            # Bravo
    triage(at, "Needs action", ["standards"], "Ask which")
    edited = [ROWS[0], fb_row(when=T0 + dt.timedelta(hours=1), summary="Bravo: standards first, then tools",
                              page="models-for-delivery/"), ROWS[2]]
    monkeypatch.setenv("INSIGHT_SOURCE", str(write(workbook.with_name("edited.xlsx"), edited)))
    at = new_app("app_pages/data_quality.py")
    lost = next(d.value for d in at.dataframe if "Summary as triaged" in d.value.columns)
    assert list(lost["Summary as triaged"]) == ["Bravo: standards first"]
    assert (lost["Status"][0], lost["Tags"][0], lost["Likely now"][0]) == ("Needs action", "standards", 1)
    at.button(key="quality_orphans_move").click().run()
    at = new_app("app_pages/comments.py", query=TABLE)
    statuses = dict(zip(at.dataframe[0].value["Summary"], at.dataframe[0].value["Status"]))
    assert statuses["Bravo: standards first, then tools"] == "Needs action"
