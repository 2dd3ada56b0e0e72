"""AppTest of triage on the Comments page, on three literal responses: one response's status,
tags and note saved with who and when; the history; the status and tag filters in the URL;
triage for every response in view; two people changing the same response; viewers read only."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.app.conftest import new_app
from tests.app.test_access import ACCESS, AUTH, signed_in
from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook

PAGE = "app_pages/comments.py"
T0 = dt.datetime(2026, 10, 1, 9, 0)
# newest first on the page: C, B, A
ROWS = [fb_row(when=T0, summary="Alpha: data tools need funding", role="Local authority leadership"),
        fb_row(when=T0 + dt.timedelta(hours=1), summary="Bravo: standards first", page="models-for-delivery/"),
        fb_row(when=T0 + dt.timedelta(hours=2), summary="Charlie: skills matter most")]

#: The Comments page's compact table (it opens on the reading view).
TABLE = {"comments_view": "Table"}


@pytest.fixture(autouse=True)
def workbook(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "three.xlsx", {"Feedback": [FEEDBACK_HEADER, *ROWS],
                                                    "MainFeedback": [SURVEY_HEADER, survey_row(when=T0)]})
    monkeypatch.setenv("INSIGHT_SOURCE", str(path))


def table(at):
    (el,) = [d for d in at.dataframe if d.key and d.key.startswith("comments_table_")]
    return el


def select_row(at, i: int):
    at.session_state[table(at).key] = {"selection": {"rows": [i], "columns": [], "cells": []}}
    return at.run()


def widget(widgets, suffix: str):
    (found,) = [w for w in widgets if w.key and w.key.startswith("comments_triage_") and w.key.endswith(suffix)]
    return found


def triage(at, status: str, tags: list[str], note: str):
    widget(at.selectbox, "_status").set_value(status)
    widget(at.multiselect, "_tags").set_value(tags)
    widget(at.text_area, "_note").set_value(note)
    next(b for b in at.button if b.label == "Save triage").click()
    return at.run()


def statuses(at) -> dict[str, str]:
    t = table(at).value
    return dict(zip(t["Summary"], t["Status"]))


def test_one_response_is_triaged_with_its_history():
    at = select_row(new_app(PAGE, query=TABLE), 1)                       # Bravo
    triage(at, "Needs action", ["standards", "reply"], "Ask which standards they mean.")
    assert statuses(at) == {"Charlie: skills matter most": "New", "Bravo: standards first": "Needs action",
                            "Alpha: data tools need funding": "New"}
    assert dict(zip(table(at).value["Summary"], table(at).value["Tags"]))["Bravo: standards first"] == "reply, standards"
    history = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    assert list(history["Who"]) == ["local"] and list(history["Status"]) == ["Needs action"]
    assert list(history["Note"]) == ["Ask which standards they mean."]
    # the tag is offered to the next response, and the filters find it (and travel in the URL)
    at = new_app(PAGE, query=TABLE | {"tag": "reply"})
    assert list(table(at).value["Summary"]) == ["Bravo: standards first"]
    at = new_app(PAGE, query=TABLE | {"status": "New"})
    assert list(table(at).value["Summary"]) == ["Charlie: skills matter most", "Alpha: data tools need funding"]


def test_every_response_in_view_at_once():
    at = new_app(PAGE, query=TABLE | {"page": "How our system works"})         # Alpha and Charlie
    at.selectbox(key="comments_bulk_status").set_value("Read")
    at.multiselect(key="comments_bulk_tags").set_value(["first pass"])
    next(b for b in at.button if b.label.startswith("Apply to 2")).click()
    at.run()
    assert set(statuses(at).values()) == {"Read"}
    at = new_app(PAGE, query=TABLE)
    assert statuses(at)["Bravo: standards first"] == "New"


def test_the_second_person_sees_both_versions_and_chooses():
    ana, sam = select_row(new_app(PAGE, query=TABLE), 2), select_row(new_app(PAGE, query=TABLE), 2)   # both open Alpha (version 0)
    triage(ana, "Actioned", [], "Done by Ana")
    sam = triage(sam, "No action", ["later"], "Sam thinks not")
    conflict = next(d.value for d in sam.dataframe if "Yours (not saved)" in d.value.columns)
    assert list(conflict.iloc[:, 1]) == ["Actioned", "none", "Done by Ana"]
    assert list(conflict.iloc[:, 2]) == ["No action", "later", "Sam thinks not"]
    assert statuses(sam)["Alpha: data tools need funding"] == "Actioned"      # nothing overwritten unseen
    sam.button(key="comments_triage_mine").click().run()
    assert statuses(sam)["Alpha: data tools need funding"] == "No action"


def test_viewers_read_the_triage_and_analysts_change_it():
    secrets = {"auth": AUTH, "access": ACCESS}
    sam = select_row(new_app(PAGE, query=TABLE, secrets=secrets, user=signed_in("sam@council.gov.uk")), 0)
    triage(sam, "Read", [], "Seen")
    ana = select_row(new_app(PAGE, query=TABLE, secrets=secrets, user=signed_in("ana@council.gov.uk")), 0)
    assert not [b for b in ana.button if b.label == "Save triage"] and not ana.text_area
    assert any("**Status:** Read" in m.value for m in ana.markdown)
    history = next(d.value for d in ana.dataframe if "Who" in d.value.columns)
    assert list(history["Who"]) == ["sam@council.gov.uk"]


def test_the_overview_headlines_count_under_a_status_filter_like_its_charts():
    """The triage filters narrow the headlines too: with one of the three responses Read, the
    Overview's "Last 7 days" under status=Read counts that one, as the charts do."""
    triage(select_row(new_app(PAGE, query=TABLE), 1), "Read", [], "")             # Bravo
    at = new_app(query={"status": "Read"})
    (recent,) = [m.value for m in at.markdown if m.value.startswith("**Last 7 days:** ")]
    assert recent.startswith("**Last 7 days:** 1 page response in the 7 days to 01\\/10\\/2026"), recent
