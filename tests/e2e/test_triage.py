"""Browser: the team's work survives a restart and is shared by servers on one database.

A response triaged on the Comments page is still triaged after the server restarts (SQLite,
the default store); "you said, we did" exports as Markdown and Word with what was written;
two servers on one PostgreSQL database see each other's triage.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from playwright.sync_api import expect

from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook
from tests.e2e.conftest import StreamlitServer, wait_for_app

T0 = dt.datetime(2026, 10, 1, 9, 0)
ROWS = [fb_row(when=T0, summary="Alpha: data tools need funding"),
        fb_row(when=T0 + dt.timedelta(hours=1), summary="Bravo: standards *first* [see](http://x.example)",
               page="models-for-delivery/"),
        fb_row(when=T0 + dt.timedelta(hours=2), summary="Charlie: skills matter most")]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return write_workbook(tmp_path_factory.mktemp("triage") / "three.xlsx",
                          {"Feedback": [FEEDBACK_HEADER, *ROWS], "MainFeedback": [SURVEY_HEADER, survey_row(when=T0)]})


def choose_option(page, box, name: str) -> None:
    """Pick ``name`` in a selectbox (its list opens on a click; a click during a rerun may be lost)."""
    option = page.get_by_role("option", name=name, exact=True)
    for _ in range(5):
        box.click()
        try:
            option.wait_for(timeout=3_000)
            break
        except Exception:   # the list didn't open: the box was redrawn under the click
            wait_for_app(page)
    option.click()


def triage_view(page, url: str, status: str, tag: str) -> None:
    """On the Comments page at ``url`` (a view of one response), give it ``status`` and ``tag``."""
    page.goto(url)
    wait_for_app(page)
    page.get_by_text("Triage all 1 responses in this view").click()
    form = page.get_by_test_id("stExpander").filter(has_text="Triage all 1 responses in this view")
    choose_option(page, form.get_by_test_id("stSelectbox"), status)
    expect(form.get_by_test_id("stSelectbox").get_by_role("combobox")).to_have_value(status)
    tags = form.get_by_test_id("stMultiSelect").locator("input")
    tags.fill(tag)
    tags.press("Enter")
    page.keyboard.press("Escape")
    form.get_by_role("button", name="Apply to 1 responses").click()
    wait_for_app(page)


def status_shown(page, url: str) -> None:
    """Open ``url`` (the Comments page) and wait until it has drawn."""
    page.goto(url)
    wait_for_app(page)


def test_triage_survives_a_restart_and_you_said_exports(page, workbook, tmp_path):
    store = f"sqlite+pysqlite:///{tmp_path / 'analysis.sqlite'}"
    env = {"INSIGHT_SOURCE": str(workbook), "INSIGHT_STORE": store}
    first = StreamlitServer(env)
    try:
        triage_view(page, f"{first.url}/comments?comments_q=Bravo", "Needs action", "standards")
        expect(page.locator(".st-key-sidebar_filters")).to_be_visible()
    finally:
        first.stop()
    second = StreamlitServer(env)
    try:
        page.goto(f"{second.url}/comments?status=Needs+action")
        wait_for_app(page)
        box = page.locator(".st-key-comments_table_box")
        expect(box).to_contain_text("Showing 1–1 of 1 response.")
        expect(box).to_contain_text("Bravo")

        page.goto(f"{second.url}/you-said-we-did")
        wait_for_app(page)
        entry = page.get_by_test_id("stExpander").filter(has_text="Models for delivery · 1 response")
        entry.locator("summary").click()
        entry.get_by_label("What you said").fill("People asked for *standards* first: <b>all</b> of them.")
        entry.get_by_label("What we will do").fill("We will publish a standards plan.")
        entry.get_by_role("button", name="Save").click()
        wait_for_app(page)
        with page.expect_download() as md:
            page.locator(".st-key-you_said_exports").get_by_role("button", name="Markdown page for the site").click()
        text = md.value.path().read_text(encoding="utf-8")
        assert "## Models for delivery" in text and "We will publish a standards plan" in text
        assert "<b>" not in text and r"\*standards\*" in text          # people's words stay words
        with page.expect_download() as word:
            page.locator(".st-key-you_said_exports").get_by_role("button", name="Word document").click()
        from docx import Document

        doc = Document(io.BytesIO(word.value.path().read_bytes()))
        paragraphs = [p.text for p in doc.paragraphs]
        assert "Models for delivery" in paragraphs
        assert "People asked for *standards* first: <b>all</b> of them." in paragraphs
    finally:
        second.stop()


def test_two_servers_on_one_postgresql_database_share_the_triage(page, browser, workbook, postgres_server):
    secrets = {"connections": {"analysis": {"url": postgres_server.create_schema()}}}
    env = {"INSIGHT_SOURCE": str(workbook)}
    one, two = StreamlitServer(env, secrets=secrets), StreamlitServer(env, secrets=secrets)
    try:
        triage_view(page, f"{one.url}/comments?comments_q=Charlie", "Actioned", "done")
        other = browser.new_page()
        other.goto(f"{two.url}/comments?tag=done")
        wait_for_app(other)
        box = other.locator(".st-key-comments_table_box")
        expect(box).to_contain_text("Showing 1–1 of 1 response.")
        expect(box).to_contain_text("Charlie")
        other.close()
    finally:
        one.stop()
        two.stop()
