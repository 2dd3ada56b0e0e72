"""AppTest of every page on a workbook where every field is hostile (tests/hostile.py): no page
fails, and every Markdown the pages send shows the planted text literally (nothing a Streamlit
frontend would turn into a link, image, icon, colour, maths or layout). Also: link parameters
too long to be a filter, and what an upload does to the date range and when it can't be read."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from tests.app.conftest import new_app, shown
from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook
from tests.hostile import PLANT, hostile_workbook
from tests.test_safe_text import TEXT_NODE_PATTERNS, resolved

SITE = "https://data-to-insight.github.io/centre-of-excellence/"
PAGES = ["app_pages/overview.py", "app_pages/reactions.py", "app_pages/priorities.py", "app_pages/comments.py",
         "app_pages/data_quality.py", "app_pages/you_said.py"]
#: Markdown that a page may send with untrusted text in it: every element type that renders Markdown.
MARKDOWN_ELEMENTS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
                     "toast")

#: The Comments page's compact table (it opens on the reading view).
TABLE = {"comments_view": "Table"}


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHT_SOURCE", str(hostile_workbook(tmp_path / "hostile.xlsx")))


def markdown_sent(at) -> list[str]:
    out = []
    for kind in MARKDOWN_ELEMENTS:
        out += [str(el.value) for el in at.get(kind)]
    out += [str(w.label) for kind in ("multiselect", "selectbox", "text_input", "toggle", "button", "expander")
            for w in at.get(kind)]
    return out


def assert_inert(text: str) -> None:
    """``text`` (Markdown a page sent) has no planted text a frontend would act on."""
    # our own links to the site's pages (built from its metadata, never from a response) are not text
    text = re.sub(re.escape("](" + SITE) + r"[^)\s]*\)", "]", text)
    nodes = resolved(text)   # text nodes as the frontend sees them (escapes resolved, joiners kept)
    for name, pattern in TEXT_NODE_PATTERNS.items():
        for m in pattern.finditer(nodes):
            # our own words may say "http" only where no planted text is involved
            assert PLANT not in nodes[max(0, m.start() - 200):m.end() + 200], (name, text[:300])
    # planted Markdown syntax arrives escaped: no unescaped link, image or HTML bracket near the plant
    near = [(m.start() - 120, m.end() + 120) for m in re.finditer(PLANT, text)]
    for syntax in (r"(?<!\\)\]\((?!\\)", r"(?<!\\)<(?!\\)[a-z/]"):
        for m in re.finditer(syntax, text):
            assert not any(a <= m.start() <= b for a, b in near), text[max(0, m.start() - 80):m.end() + 80]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_hostile_text_literally(hostile, page):
    at = new_app(page)
    assert not at.exception
    sent = markdown_sent(at)
    for text in sent:
        if PLANT in shown(text):
            assert_inert(text)


def test_the_comments_detail_view_shows_hostile_text_literally(hostile):
    at = new_app("app_pages/comments.py", query=TABLE)
    planted_markdown = 0
    n = len(next(d for d in at.dataframe if d.key and d.key.startswith("comments_table_")).value)
    for i in range(n):
        table = next(d for d in at.dataframe if d.key and d.key.startswith("comments_table_"))
        at.session_state[table.key] = {"selection": {"rows": [i], "columns": [], "cells": []}}
        at.run()
        assert not at.exception
        for text in markdown_sent(at):
            if PLANT in shown(text):
                planted_markdown += 1
                assert_inert(text)
    assert planted_markdown > 10          # the detail view did show planted text as Markdown


def test_a_link_parameter_too_long_to_be_a_filter_is_dropped_unread():
    start = time.perf_counter()
    at = new_app(query={"org": "x" * 100_000, "group": "Private sector"})
    assert time.perf_counter() - start < 20        # 28 s before: the page no longer reads it
    notes = [shown(c.value) for c in at.sidebar.caption]
    assert any("“org” was longer than 2,000 characters" in n for n in notes)
    assert at.multiselect(key="org").value == [] and at.multiselect(key="group").value == ["Private sector"]


def test_a_crafted_link_is_no_link_in_the_notice():
    at = new_app(query={"http://evil.example/key": "1"})
    (note,) = [c.value for c in at.sidebar.caption if "not a filter" in shown(c.value)]
    assert "http://evil.example/key" in shown(note)                      # quoted as typed…
    quoted = resolved(note).split("Link ignored:", 1)[1]
    for name, pattern in TEXT_NODE_PATTERNS.items():                       # …but no autolink survives
        assert not pattern.search(quoted), name


def workbook_of_days(path, first: dt.datetime, days: int):
    rows = [fb_row(when=first + dt.timedelta(days=d), summary=f"Response on day {d}") for d in range(days)]
    return write_workbook(path, {"Feedback": [FEEDBACK_HEADER, *rows],
                                 "MainFeedback": [SURVEY_HEADER, survey_row(when=first)]})


def test_an_upload_starts_on_its_own_dates_and_a_bad_one_says_what_to_do(tmp_path):
    at = new_app()
    demo_dates = at.date_input(key="dates").value
    at.date_input(key="dates").set_value((demo_dates[0], demo_dates[0] + dt.timedelta(days=6))).run()
    other = workbook_of_days(tmp_path / "other.xlsx", dt.datetime(2027, 3, 1, 10), 10)
    at.file_uploader(key="sidebar_upload").upload("other.xlsx", other.read_bytes()).run()
    assert at.date_input(key="dates").value == (dt.date(2027, 3, 1), dt.date(2027, 3, 10))
    bad = new_app()
    bad.file_uploader(key="sidebar_upload").upload("notes.xlsx", b"just some text, not a workbook").run()
    (message,) = [shown(e.value) for e in bad.sidebar.error]
    assert message.endswith("Remove it (×) to go back to the demo data.") and "secrets" not in message
    assert bad.metric and not bad.exception          # the demo data is still on screen
