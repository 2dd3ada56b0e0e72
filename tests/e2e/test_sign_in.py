"""Browser: a real sign-in through a local OpenID Connect provider (oidc-provider-mock), on the
scratch app tests/e2e/auth_app.py: what st.user holds, each role's view, the websocket check,
an analyst's reveal and download, the access record in the server log, sign-out, and named
providers each with its own button."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.auth_app import MARKER, PLANTED
from tests.e2e.conftest import download_csv, wait_for_app
from tests.e2e.signin import FrameRecorder, sign_in, sign_out, user_claims

SCRIPT = "tests/e2e/auth_app.py"
ACCESS = {"viewers": ["ana@council.gov.uk", "@d2i.org.uk"], "analysts": ["sam@council.gov.uk"],
          "contact": "insight-team@council.gov.uk"}
MASKED = "p***@example.org"


@pytest.fixture(scope="module")
def app(serve_signed_in):
    return serve_signed_in(SCRIPT, access=ACCESS, scratch={"source": "sheet"})


def role(page) -> str:
    return page.locator(".st-key-role").inner_text()


def access_lines(server) -> list[dict]:
    """The access record's JSON lines in the server's log."""
    out = []
    for line in server.log.read_text().splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if "event" in entry and "who" in entry:
                out.append(entry)
    return out


def test_st_user_holds_the_providers_claims_after_a_real_sign_in(app, oidc, page):
    oidc.set_user("ana-1", email="Ana@Council.gov.uk", email_verified=True, name="Ana Example",
                  preferred_username="ana", hd="council.gov.uk")
    page.goto(app.url)
    wait_for_app(page)
    assert user_claims(page) == {"is_logged_in": False}
    expect(page.get_by_role("button", name="Sign in with your organisation's account")).to_be_visible()

    sign_in(page, app.url, "ana-1", oidc)
    claims = user_claims(page)
    assert {k: claims[k] for k in ("is_logged_in", "sub", "email", "email_verified", "name", "preferred_username",
                                   "hd", "iss", "provider")} == {
        "is_logged_in": True, "sub": "ana-1", "email": "Ana@Council.gov.uk", "email_verified": True,
        "name": "Ana Example", "preferred_username": "ana", "hd": "council.gov.uk", "iss": oidc.url,
        "provider": "default"}
    assert "Role: viewer" in role(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as Ana Example (viewer)")


def test_a_refused_person_receives_no_response_data(app, oidc, page):
    oidc.set_user("bob-1", email="bob@gmail.example", email_verified=True, hd="d2i.org.uk")
    frames = FrameRecorder(page)
    sign_in(page, app.url, "bob-1", oidc)
    assert "Role: refused" in role(page)
    expect(page.locator(".st-key-gate_message")).to_contain_text("write to insight-team@council.gov.uk")
    frames.assert_never_received(PLANTED, MASKED, MARKER)
    assert frames.received("bob@gmail.example")  # the page itself did arrive over the socket

    sign_out(page, app.url, oidc)
    assert user_claims(page) == {"is_logged_in": False}


def test_an_unverified_address_is_refused(app, oidc, page):
    oidc.set_user("sam-unverified", email="sam@council.gov.uk", email_verified="false")
    sign_in(page, app.url, "sam-unverified", oidc)
    assert user_claims(page)["email_verified"] == "false"
    assert "Role: refused" in role(page)
    expect(page.locator(".st-key-gate_message")).to_contain_text("has not verified the e-mail address")


def test_a_viewer_receives_the_responses_with_every_address_masked(app, oidc, page):
    oidc.set_user("someone-at-d2i", email="someone@d2i.org.uk", email_verified=True)
    frames = FrameRecorder(page)
    sign_in(page, app.url, "someone-at-d2i", oidc)
    assert "Role: viewer" in role(page)
    expect(page.get_by_role("switch", name="Show e-mail addresses")).to_have_count(0)
    frames.assert_never_received(PLANTED)
    assert frames.received(MARKER) and frames.received(MASKED)  # the data did arrive, masked


def test_an_analyst_signed_in_without_an_email_claim_reveals_and_downloads(app, oidc, page, tmp_path):
    # Microsoft Entra may send no email claim: preferred_username counts
    oidc.set_user("sam-entra", preferred_username="Sam@Council.gov.uk", name="Sam Smith")
    frames = FrameRecorder(page)
    sign_in(page, app.url, "sam-entra", oidc)
    assert "email" not in user_claims(page)
    assert "Role: analyst" in role(page)
    frames.assert_never_received(PLANTED)       # masked until revealed
    assert frames.received(MASKED)

    page.get_by_text("Show e-mail addresses").click()
    wait_for_app(page)
    expect(page.locator(".st-key-access_record")).to_be_visible()
    assert frames.received(PLANTED)             # the check can fail: once revealed, it is there
    _, _, rows = download_csv(page, "scratch", tmp_path)
    assert [r["email"] for r in rows] == [PLANTED, ""]

    mine = [e for e in access_lines(app) if e["who"] == "sam@council.gov.uk"]
    download = next(e for e in mine if e["event"] == "download")
    assert [e["event"] for e in mine][:2] == ["sign-in", "reveal"]
    assert (download["rows"], download["email"], download["role"], download["page"]) == (2, True, "analyst",
                                                                                         "Scratch")


def test_named_providers_each_get_a_button_and_st_login_takes_the_section_name(serve_signed_in, oidc, page):
    server = serve_signed_in(SCRIPT, named=("staff", "partners"), access=ACCESS)
    oidc.set_user("ana-2", email="ana@council.gov.uk")
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_role("button", name="Sign in with Test accounts (staff)")).to_be_visible()
    sign_in(page, server.url, "ana-2", oidc, button="Sign in with Test accounts (partners)")
    claims = user_claims(page)
    assert (claims["provider"], claims["email"]) == ("partners", "ana@council.gov.uk")
    assert "Role: viewer" in role(page)
