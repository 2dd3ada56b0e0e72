"""Browser: a real sign-in to the dashboard through a local OpenID Connect provider
(oidc-provider-mock): a refused person and a viewer receive no planted e-mail address over the
websocket; an analyst signed in without an ``email`` claim (as Microsoft Entra may do) reveals
addresses and downloads them, and the access record says so; sign-out; named providers each
get their own button."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook
from tests.e2e.conftest import as_shown, download_csv, wait_for_app
from tests.e2e.signin import SIGN_IN_BUTTON, FrameRecorder, sign_in, sign_out

ACCESS = {"viewers": ["ana@council.gov.uk", "@d2i.org.uk"], "analysts": ["sam@council.gov.uk"],
          "contact": "insight-team@council.gov.uk"}
PLANTED = "planted.person@example.org"
MASKED = "p***@example.org"
#: What a masked address shows of itself (on screen a word joiner may sit before the @).
MASKED_LOCAL = "p***"
MARKER = "Planted summary 7f3a"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    t0 = dt.datetime(2026, 10, 1, 9, 0)
    rows = [fb_row(when=t0, summary=MARKER, details=f"Please write to {PLANTED} about this", email=PLANTED),
            fb_row(when=t0 + dt.timedelta(hours=1), summary="A second response")]
    return write_workbook(tmp_path_factory.mktemp("signin") / "planted.xlsx",
                          {"Feedback": [FEEDBACK_HEADER, *rows], "MainFeedback": [SURVEY_HEADER, survey_row(when=t0)]})


@pytest.fixture(scope="module")
def app(serve_signed_in, workbook):
    return serve_signed_in("dashboard.py", env={"INSIGHT_SOURCE": str(workbook)}, access=ACCESS)


def signed_in_as(page) -> str:
    return page.locator(".st-key-sidebar_signed_in").inner_text()


def access_lines(server) -> list[dict]:
    """The access record's JSON lines in the server's log."""
    out = []
    for line in server.log.read_text().splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if "event" in entry and "who" in entry:
                out.append(entry)
    return out


def test_a_refused_person_receives_no_response_data_and_can_sign_out(app, oidc, page):
    oidc.set_user("bob-1", email="bob@gmail.example", email_verified=True, hd="d2i.org.uk")
    frames = FrameRecorder(page)
    sign_in(page, app.url, "bob-1", oidc)
    expect(page.locator(".st-key-access_gate")).to_contain_text(as_shown("write to insight-team@council.gov.uk"))
    frames.assert_never_received(PLANTED, MASKED, MARKER)
    assert frames.received("only open to the feedback analysis team")  # the page itself did arrive
    sign_out(page, app.url, oidc)
    expect(page.get_by_role("button", name=SIGN_IN_BUTTON)).to_be_visible()


def open_comments(page) -> None:
    """Go to the Comments page's table within the same session (the sidebar's navigation)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Comments").click()
    page.wait_for_url("**/comments")
    wait_for_app(page)
    page.locator(".st-key-comments_view").get_by_role("radio", name="Table").click()
    page.wait_for_url("**/comments?*comments_view=Table*")
    expect(page.locator(".st-key-comments_table_box").get_by_test_id("stDataFrame")).to_be_visible()
    wait_for_app(page)


def test_a_viewer_receives_the_responses_with_no_address(app, oidc, page):
    oidc.set_user("someone-at-d2i", email="Someone@D2I.org.uk", email_verified=True, name="Someone Else")
    frames = FrameRecorder(page)
    sign_in(page, app.url, "someone-at-d2i", oidc)
    open_comments(page)
    expect(page.locator(".st-key-comments_table_box")).to_contain_text(MARKER)
    assert "Signed in as Someone Else · viewer" in signed_in_as(page)
    expect(page.get_by_text("Show e-mail addresses")).to_have_count(0)
    frames.assert_never_received(PLANTED)
    assert frames.received(MARKER) and frames.received(MASKED_LOCAL)   # the data arrived, the typed address masked


def test_an_analyst_without_an_email_claim_reveals_and_downloads(app, oidc, page, tmp_path):
    oidc.set_user("sam-entra", preferred_username="Sam@Council.gov.uk", name="Sam Smith")
    frames = FrameRecorder(page)
    sign_in(page, app.url, "sam-entra", oidc)
    open_comments(page)
    assert "Signed in as Sam Smith · analyst" in signed_in_as(page)
    expect(page.locator(".st-key-comments_table_box")).to_contain_text(MARKER)
    frames.assert_never_received(PLANTED)       # masked until revealed
    assert frames.received(MASKED_LOCAL)

    page.get_by_text("Show e-mail addresses").click()
    expect(page.locator(".st-key-comments_table_box")).to_contain_text(PLANTED)   # the rerun has drawn it
    wait_for_app(page)
    _, _, rows = download_csv(page, "comments", tmp_path)
    assert sorted(r["E-mail"] for r in rows) == ["", PLANTED]
    assert frames.received(PLANTED)             # the check can fail: once revealed, it is there

    mine = [e for e in access_lines(app) if e["who"] == "sam@council.gov.uk"]
    assert [e["event"] for e in mine] == ["sign-in", "reveal", "download"]
    download = mine[-1]
    assert (download["rows"], download["email"], download["role"], download["page"]) == (2, True, "analyst",
                                                                                         "Comments")


def test_named_providers_each_get_a_button(serve_signed_in, oidc, page, workbook):
    server = serve_signed_in("dashboard.py", named=("staff", "partners"), env={"INSIGHT_SOURCE": str(workbook)},
                             access=ACCESS)
    oidc.set_user("ana-2", email="ana@council.gov.uk", name="Ana")
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_role("button", name="Sign in with Test accounts (staff)")).to_be_visible()
    sign_in(page, server.url, "ana-2", oidc, button="Sign in with Test accounts (partners)")
    assert "Signed in as Ana · viewer" in signed_in_as(page)
