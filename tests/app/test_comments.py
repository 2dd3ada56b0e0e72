"""AppTest of the Comments page on the demo: filters, search, the source switch, paging, the detail view."""

import pytest

from lib import comments as cm
from lib.filters import COMMENTS_SOURCE_PARAM, Filters
from lib.privacy import apply_policy
from lib.settings import Settings, load_dataset
from tests.app.conftest import new_app

PAGE = "app_pages/comments.py"
TABLE = {"comments_view": "Table"}   # these tests use the compact table (the reading view: test_reading_view.py)


@pytest.fixture(scope="module")
def ds():
    return apply_policy(load_dataset(Settings()), may_see_email=False)


def expected(ds, f: Filters | None = None, source=cm.FEEDBACK, query=""):
    return cm.search(cm.comments(ds.feedback, ds.survey, ds.site, f or Filters(), source), query)


def table(at):
    (el,) = [d for d in at.dataframe if d.key and d.key.startswith("comments_table_")]
    return el


def shown(at):
    return table(at).value


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def select_row(at, i: int):
    at.session_state[table(at).key] = {"selection": {"rows": [i], "columns": [], "cells": []}}
    return at.run()


def test_the_table_shows_the_newest_responses_first_without_email(ds):
    at = new_app(PAGE, query=TABLE)
    rows = expected(ds)
    assert f"Showing 1–50 of {len(rows):,} responses." in captions(at)
    table_rows = shown(at)
    assert list(table_rows["Summary"]) == list(rows["summary"][:50])
    assert list(table_rows.columns) == ["Submitted", "Page", "Link", "Section", "Role", "Reaction", "Summary",
                                        "Details", "Organisation"]
    assert table_rows["Submitted"].is_monotonic_decreasing
    assert all(link.startswith(ds.site.site_url) for link in table_rows["Link"].dropna())


def test_filtering_changes_the_rows_shown(ds):
    at = new_app(PAGE, query=TABLE)
    before = list(shown(at)["Summary"])
    at.multiselect(key="group").select("Private sector").run()
    rows = expected(ds, Filters(role_groups=("Private sector",)))
    assert list(shown(at)["Summary"]) == list(rows["summary"][:50])
    assert list(shown(at)["Summary"]) != before
    assert set(shown(at)["Role"]) <= set(ds.consultation.roles) - {
        r for g in ds.consultation.role_groups if g.label != "Private sector" for r in g.roles}
    assert f"Showing 1–{min(50, len(rows))} of {len(rows):,} responses." in captions(at)


@pytest.mark.parametrize("query", ["HYPERLINK", "rulebook DAY", '"shared rulebook"', "evidence-based <b>"])
def test_search_changes_the_rows_shown(ds, query):
    at = new_app(PAGE, query=TABLE)
    at.text_input(key="comments_q").input(query).run()
    rows = expected(ds, query=query)
    assert 1 <= len(rows) < 50
    assert list(shown(at)["Summary"]) == list(rows["summary"])
    n = len(expected(ds))
    assert (f"Showing 1–{len(rows)} of {len(rows)} response{'s' if len(rows) > 1 else ''} matching the search "
            f"(of {n:,} under the filters).") in captions(at)


def test_a_search_nothing_matches_says_so(ds):
    at = new_app(PAGE, query=TABLE)
    at.text_input(key="comments_q").input('"no such phrase anywhere"').run()
    assert shown(at).empty
    assert any(c.startswith("No response matches the search") for c in captions(at))


def test_a_link_preselects_the_source_and_the_search(ds):
    at = new_app(PAGE, query={**TABLE, COMMENTS_SOURCE_PARAM: "Both", "comments_q": "publish"})
    assert at.segmented_control(key=COMMENTS_SOURCE_PARAM).value == "Both"
    assert at.text_input(key="comments_q").value == "publish"
    rows = expected(ds, source=cm.BOTH, query="publish")
    assert set(rows["source"]) == {"Survey", "Page feedback"}
    assert list(shown(at)["Source"]) == list(rows["source"][:50])
    assert list(shown(at)["Details"]) == [cm.preview(t) for t in rows["details"][:50]]


def test_the_source_switch_shows_survey_comments(ds):
    at = new_app(PAGE, query=TABLE)
    at.segmented_control(key=COMMENTS_SOURCE_PARAM).set_value("Survey comments").run()
    rows = expected(ds, source=cm.SURVEY)
    assert 0 < len(rows) < len(ds.survey)                    # only responses with a comment
    table_rows = shown(at)
    assert "Summary" not in table_rows and "Reaction" not in table_rows
    assert list(table_rows["Details"]) == [cm.preview(t) for t in rows["details"][:50]]
    assert not at.info
    # a page filter can't apply to the survey: the page says so and shows the same rows
    at.multiselect(key="page").set_value(["/models-for-delivery/"]).run()
    assert "not filtered by page" in at.info[0].value
    assert list(shown(at)["Details"]) == [cm.preview(t) for t in rows["details"][:50]]


def test_paging_shows_the_next_rows(ds):
    at = new_app(PAGE, query=TABLE)
    rows = expected(ds)
    (pager,) = at.pagination
    assert pager.num_pages == -(-len(rows) // 50)
    pager.set_value(2).run()
    assert list(shown(at)["Summary"]) == list(rows["summary"][50:100])
    assert f"Showing 51–100 of {len(rows):,} responses." in captions(at)
    at.selectbox(key="comments_page_size").set_value(100).run()
    assert list(shown(at)["Summary"]) == list(rows["summary"][:100])   # a new view starts on page 1


def test_selecting_a_row_shows_the_whole_response(ds):
    query = '"rotating chair"'
    at = new_app(PAGE, query=TABLE)
    at.text_input(key="comments_q").input(query).run()
    assert any(c.startswith("Select a row") for c in captions(at))
    rows = expected(ds, query=query)
    row = rows.iloc[0]
    assert len(row["details"]) > 1_000 and cm.preview(row["details"]) != row["details"]
    select_row(at, 0)
    assert not at.exception
    texts = [m.value for m in at.markdown]
    detail = cm.highlight(row["details"], query)
    assert detail in texts                                      # the whole text, with the phrase marked
    assert cm.HIGHLIGHT.format("rotating chair") in detail
    assert len(detail) > len(row["details"])
    facts = next(t for t in texts if t.startswith("**Page feedback**"))
    assert f"sheet row {row['sheet_row']}" in facts and "E-mail" not in facts and "@" not in facts
    assert not row["organisation"]
    assert "No organisation given, so no other responses to show." in captions(at)
    # a new search starts afresh, with nothing selected
    at.text_input(key="comments_q").input("funding").run()
    assert any(c.startswith("Select a row") for c in captions(at))


def test_a_selected_response_lists_its_organisation_s_other_responses(ds):
    query = '"shared rulebook"'
    at = new_app(PAGE, query={**TABLE, COMMENTS_SOURCE_PARAM: "Both"})
    at.text_input(key="comments_q").input(query).run()
    rows = expected(ds, source=cm.BOTH, query=query)
    i = next(i for i, org in enumerate(rows["organisation"]) if org)
    select_row(at, i)
    pool = cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.BOTH)
    others = cm.same_organisation(pool, rows.iloc[i])
    assert len(others) > 0
    (same,) = [d for d in at.dataframe if d.key != table(at).key]   # a read-only table exposes no key
    assert list(same.value["Details"]) == [cm.preview(t) for t in others["details"][:200]]
    assert list(same.value["Source"]) == list(others["source"][:200])


def test_markup_in_a_response_is_shown_literally(ds):
    at = new_app(PAGE, query=TABLE)
    at.text_input(key="comments_q").input("<b>bold</b>").run()
    rows = expected(ds, query="<b>bold</b>")
    assert len(rows) == 1
    select_row(at, 0)
    detail = cm.highlight(rows.iloc[0]["details"], "<b>bold</b>")
    assert detail in [m.value for m in at.markdown]
    assert "\\<b\\>" in detail and "<b>" not in detail.replace("\\<b\\>", "")
