"""AppTest of the Overview page: the demo against its generator's manifest, the hand-counted
workbook (tests/small_workbook.py) given by INSIGHT_SOURCE, by secrets and by upload, and
sources that can't be read."""

import datetime as dt
import json

from tests.app.conftest import badges, bars, chart, metrics, new_app, shown
from tests.conftest import PROJECT

MANIFEST = json.loads((PROJECT / "lib/data/demo_manifest.json").read_text(encoding="utf-8"))
SMALL_METRICS = {"Page feedback responses": "15", "Survey responses": "4", "Pages with feedback": "4 of 25",
                 "Organisations": "4"}


def tag_total(table: str, prefix: str) -> int:
    return sum(n for tag, n in MANIFEST[table]["tags"].items() if tag.startswith(prefix))


def kept_rows(table: str) -> int:
    return MANIFEST[table]["rows"] - tag_total(table, "spam") - tag_total(table, "double")


def test_with_nothing_configured_the_demo_shows_what_its_generator_planted():
    at = new_app()
    assert badges(at) == ["Demo data"]
    by_page = MANIFEST["story"]["responses_by_page"]
    m = metrics(at)   # the manifest doesn't count organisations
    assert (m["Page feedback responses"], m["Survey responses"], m["Pages with feedback"]) == (
        f"{kept_rows('Feedback'):,}", f"{kept_rows('MainFeedback'):,}",
        f"{sum(n > 0 for n in by_page.values())} of {len(by_page)}")
    pages = chart(at, "overview_pages_chart").data[0]      # site order, as the manifest lists its pages
    assert list(pages.x) == [*by_page.values(), tag_total("Feedback", "page: unknown")]


def test_a_workbook_given_by_path(small):
    at = new_app()
    assert badges(at)[0].startswith("Workbook: small.xlsx · loaded ")
    assert {k: v for k, v in metrics(at).items() if k in SMALL_METRICS} == SMALL_METRICS
    assert bars(at, "overview_reactions_chart") == {
        "Enthusiastic": 5, "Unsure": 2, "Disagree": 3, "General reflection": 1, "Specific issue": 1, "Other": 1,
        "Not given": 1, "Unrecognised": 1}
    assert bars(at, "overview_groups_chart") == {
        "Local authority": 7, "Central government": 2, "Other public sector": 1, "Private sector": 4,
        "People with lived or no experience of social care": 0, "Unrecognised": 1}
    weeks = chart(at, "overview_weekly_chart").data[0]
    assert list(zip(weeks.x, weeks.y)) == [("5 Oct", 6), ("12 Oct", 4), ("19 Oct", 4)]   # weeks from Monday
    pages = bars(at, "overview_pages_chart")
    assert len(pages) == 25 + 1                                 # every page with a form, and (unknown)
    assert {page: n for page, n in pages.items() if n} == {
        "How our system works": 6, "Models for delivery": 5, "Appendix 1 › Context": 2,
        "Appendix 2 › Improving data quality": 1, "(unknown)": 1}


def test_secrets_choose_the_workbook(tmp_path):
    from tests.small_workbook import write_small_workbook

    path = write_small_workbook(tmp_path / "small.xlsx")
    at = new_app(secrets={"source": {"path": str(path)}})
    assert badges(at)[0].startswith("Workbook: small.xlsx · loaded ")
    assert {k: v for k, v in metrics(at).items() if k in SMALL_METRICS} == SMALL_METRICS


def test_a_broken_source_is_a_plain_message(tmp_path, monkeypatch):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    monkeypatch.setenv("INSIGHT_SOURCE", str(bad))
    at = new_app()
    assert "Could not read 'bad.xlsx' as an Excel workbook" in shown(at.error[0].value)
    assert not at.get("plotly_chart")


def test_an_uploaded_workbook_replaces_the_demo(tmp_path):
    from tests.small_workbook import write_small_workbook

    data = write_small_workbook(tmp_path / "mine.xlsx").read_bytes()
    at = new_app()
    assert badges(at) == ["Demo data"]
    at.file_uploader(key="sidebar_upload").upload("mine [v2].xlsx", data).run()
    assert not at.exception
    assert badges(at)[0].startswith("Uploaded: mine [v2].xlsx · loaded ")
    assert {k: v for k, v in metrics(at).items() if k in SMALL_METRICS} == SMALL_METRICS
    # the date range follows the new data: the upload's own first and last day
    assert at.date_input(key="dates").value == (dt.date(2026, 10, 5), dt.date(2026, 10, 22))


def test_a_broken_upload_is_a_plain_message_and_the_demo_stays():
    at = new_app()
    at.file_uploader(key="sidebar_upload").upload("**big** [x](http://e.example).xlsx", b"\x00\x01 not a zip").run()
    message = at.error[0].value
    assert shown(message) == "This file isn't an Excel workbook (.xlsx). Remove it (×) to go back to the demo data."
    assert not at.exception
    assert badges(at) == ["Demo data"]
