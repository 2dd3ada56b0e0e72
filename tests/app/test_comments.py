"""AppTest of the Comments page on the hand-counted workbook (tests/small_workbook.py): the table,
filters, search, the source switch, paging and the detail view, with the rows written out."""

import datetime as dt
import re

import pytest

from lib.filters import COMMENTS_SOURCE_PARAM
from tests.app.conftest import new_app, shown
from tests.conftest import FEEDBACK_HEADER, fb_row, write_workbook
from tests.small_workbook import FORMULA, LONG_DETAILS, MARKUP

PAGE = "app_pages/comments.py"
SITE = "https://data-to-insight.github.io/centre-of-excellence/"
#: The 15 kept page-feedback summaries, newest first; row 15 (no readable time) last.
NEWEST_FIRST = ["Where is this page?", "Loved the context", "Context is helpful", "Health partners matter",
                "Hosting costs are missing", "A model we could use", "No reaction chosen", "Keen to help test this",
                "Suppliers were not asked", "Markup in the details", "Unsure how this scales", FORMULA,
                "Good start on funding", "A clear picture of the whole system", "Quality comes first"]

#: The Comments page's compact table (it opens on the reading view).
TABLE = {"comments_view": "Table"}


def table(at):
    (el,) = [d for d in at.dataframe if d.key and d.key.startswith("comments_table_")]
    return el


def rows(at):
    return table(at).value


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def select_row(at, i: int):
    at.session_state[table(at).key] = {"selection": {"rows": [i], "columns": [], "cells": []}}
    return at.run()


def test_the_table_shows_the_newest_responses_first_without_email(small):
    at = new_app(PAGE, query=TABLE)
    assert "Showing 1–15 of 15 responses." in captions(at)
    shown_rows = rows(at)
    assert list(shown_rows["Summary"]) == NEWEST_FIRST
    assert list(shown_rows.columns) == ["Submitted", "Page", "Link", "Section", "Role", "Reaction", "Summary",
                                        "Details", "Organisation", "Status", "Tags"]
    assert list(shown_rows["Link"][-2:]) == [SITE + "how-our-system-works/",
                                             SITE + "appendix-2-more-on-possible-mechanisms-for-change/"
                                             "improving-data-quality/"]
    assert shown_rows["Link"].iloc[0] == ""                        # row 16: no page of the site: a blank
    assert not shown_rows.astype(str).apply(lambda col: col.str.contains("@")).any().any()


def test_filtering_changes_the_rows_shown(small):
    at = new_app(PAGE, query=TABLE)
    at.multiselect(key="group").select("Private sector").run()
    assert list(rows(at)["Summary"]) == ["Keen to help test this", "Suppliers were not asked", "Markup in the details",
                                         FORMULA]                   # rows 6, 9, 8, 4
    assert "Showing 1–4 of 4 responses." in captions(at)


@pytest.mark.parametrize("query, found", [   # what matches is lib.comments' (unit tests); here, the wiring
    ("FUNDING", [FORMULA, "Good start on funding"]),               # row 4's details, row 3's summary
    ('"rotating chair"', ["A clear picture of the whole system"]),  # a phrase in row 2's details
])
def test_search_changes_the_rows_shown(small, query, found):
    at = new_app(PAGE, query=TABLE)
    at.text_input(key="comments_q").input(query).run()
    assert list(rows(at)["Summary"]) == found
    n = len(found)
    assert (f"Showing 1–{n} of {n} response{'s' if n > 1 else ''} matching the search (of 15 under the filters)."
            in captions(at))


def test_a_search_nothing_matches_says_so(small):
    at = new_app(PAGE, query=TABLE)
    at.text_input(key="comments_q").input('"no such phrase anywhere"').run()
    assert rows(at).empty
    assert "No response matches the search (of 15 responses under the filters)." in captions(at)


def test_a_link_preselects_the_source_and_the_search(small):
    at = new_app(PAGE, query=TABLE | {COMMENTS_SOURCE_PARAM: "Both", "comments_q": "first"})
    assert at.segmented_control(key=COMMENTS_SOURCE_PARAM).value == "Both"
    assert at.text_input(key="comments_q").value == "first"
    found = rows(at)
    assert list(found["Source"]) == ["Survey", "Page feedback"]    # survey row 5 (12/10), feedback row 15 (no time)
    assert list(found["Details"]) == ["Publish the data first", ""]
    assert list(found["Summary"]) == ["", "Quality comes first"]


def test_the_source_switch_shows_survey_comments(small):
    at = new_app(PAGE, query=TABLE)
    at.segmented_control(key=COMMENTS_SOURCE_PARAM).set_value("Survey comments").run()
    found = rows(at)
    assert "Summary" not in found and "Reaction" not in found
    # survey rows 5, 4 and 2 left a comment (row 3 did not)
    assert list(found["Details"]) == ["Publish the data first", "Markets need a push", "Publish the shared rulebook"]
    assert not at.info
    # a page filter can't apply to the survey: the page says so and shows the same rows
    at.multiselect(key="page").set_value(["/models-for-delivery/"]).run()
    assert "not filtered by page" in at.info[0].value
    assert list(rows(at)["Details"]) == ["Publish the data first", "Markets need a push", "Publish the shared rulebook"]


def test_paging_shows_the_next_rows(tmp_path, monkeypatch):
    start = dt.datetime(2026, 10, 1, 9, 0)
    path = write_workbook(tmp_path / "sixty.xlsx", {
        "Feedback": [FEEDBACK_HEADER, *(fb_row(when=start + dt.timedelta(hours=i), summary=f"Comment {i:02}")
                                       for i in range(1, 61))],
        "MainFeedback": [["Timestamp", "role"]]})
    monkeypatch.setenv("INSIGHT_SOURCE", str(path))
    at = new_app(PAGE, query=TABLE)
    (pager,) = at.pagination
    assert pager.num_pages == 2
    assert list(rows(at)["Summary"]) == [f"Comment {i:02}" for i in range(60, 10, -1)]
    pager.set_value(2).run()
    assert list(rows(at)["Summary"]) == [f"Comment {i:02}" for i in range(10, 0, -1)]
    assert "Showing 51–60 of 60 responses." in captions(at)
    at.selectbox(key="comments_page_size").set_value(100).run()
    assert list(rows(at)["Summary"]) == [f"Comment {i:02}" for i in range(60, 0, -1)]   # a new view: page 1
    assert "Showing 1–60 of 60 responses." in captions(at)


def test_selecting_a_row_shows_the_whole_response_and_its_organisation_s_others(small):
    at = new_app(PAGE, query=TABLE | {COMMENTS_SOURCE_PARAM: "Both"})
    at.text_input(key="comments_q").input('"rotating chair"').run()
    assert any(c.startswith("Select a row") for c in captions(at))
    assert len(rows(at)["Details"].iloc[0]) < len(LONG_DETAILS)    # the table shows the start only
    select_row(at, 0)
    assert not at.exception
    texts = [m.value for m in at.markdown]
    detail = next(t for t in texts if "yellow-background" in t)
    assert shown(detail) == LONG_DETAILS.strip().replace("rotating chair", ":yellow-background[rotating chair]")
    facts = next(t for t in texts if t.startswith("**Page feedback**"))
    assert "05/10/2026 09:00 · sheet row 2" in shown(facts)
    assert "E-mail" not in facts and "@" not in facts
    # row 2's organisation, Northshire: feedback rows 10 and 5 and survey row 2, newest first
    (same,) = [d.value for d in at.dataframe if d.key != table(at).key]   # a read-only table exposes no key
    assert list(same["Source"]) == ["Page feedback", "Page feedback", "Survey"]
    assert list(same["Summary"]) == ["A model we could use", "Unsure how this scales", ""]
    assert list(same["Details"]) == ["", "Counties differ.", "Publish the shared rulebook"]
    # a new search starts afresh, with nothing selected
    at.text_input(key="comments_q").input("funding").run()
    assert any(c.startswith("Select a row") for c in captions(at))


def test_a_response_without_an_organisation_says_so(small):
    at = new_app(PAGE, query=TABLE)
    at.text_input(key="comments_q").input("keen").run()
    select_row(at, 0)
    assert "No organisation given, so no other responses to show." in captions(at)


def test_markup_in_a_response_is_shown_literally(small):
    at = new_app(PAGE, query=TABLE)
    at.text_input(key="comments_q").input("<b>bold</b>").run()
    select_row(at, 0)
    detail = next(m.value for m in at.markdown if "yellow-background" in m.value)
    assert shown(detail) == MARKUP.replace("<b>bold</b>", ":yellow-background[<b>bold</b>]")
    assert not re.search(r"(?<!\\)[<*\[]", detail.replace(":yellow-background[", ""))   # every one escaped
