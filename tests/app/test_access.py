"""AppTest of sign-in on the dashboard itself, with simulated viewers (``at.user``): not signed
in, refused, viewer, analyst with e-mail addresses masked and shown; a removal taking effect on
the next rerun; the live sheet without ``[auth]`` (set-up message, or a banner with
``allow_anonymous``); the access record on the Data quality page.

``at.user`` is what the run reads as ``st.user``; ``is_logged_in`` is set by hand (``at.secrets``
doesn't reach the secrets ``st.user`` consults).
"""

from __future__ import annotations

import datetime as dt

import pytest

from lib import access_record
from tests.app.conftest import metrics, new_app, shown
from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook
from tests.oidc_mock import COOKIE_SECRET
from tests.sheets_standin import SHEET_KEY, demo_tabs, live_secrets

PLANTED = "planted.person@example.org"
MASKED = "p***@example.org"
MARKER = "Planted summary 7f3a"
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": COOKIE_SECRET,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration"}
ACCESS = {"viewers": ["ana@council.gov.uk", "@d2i.org.uk"], "analysts": ["sam@council.gov.uk"],
          "contact": "insight-team@council.gov.uk"}
COMMENTS = "app_pages/comments.py"

#: The Comments page's compact table (it opens on the reading view).
TABLE = {"comments_view": "Table"}


@pytest.fixture
def workbook(tmp_path, monkeypatch):
    """Two responses, one carrying the planted address in its e-mail cell and in its details."""
    t0 = dt.datetime(2026, 10, 1, 9, 0)
    rows = [fb_row(when=t0, summary=MARKER, details=f"Please write to {PLANTED} about this", email=PLANTED),
            fb_row(when=t0 + dt.timedelta(hours=1), summary="A second response")]
    path = write_workbook(tmp_path / "planted.xlsx", {"Feedback": [FEEDBACK_HEADER, *rows],
                                                      "MainFeedback": [SURVEY_HEADER, survey_row(when=t0)]})
    monkeypatch.setenv("INSIGHT_SOURCE", str(path))
    access_record.ACCESS_LOG.clear()
    yield path
    access_record.ACCESS_LOG.clear()


def signed_in(email: str, **claims) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": True, "name": email.split("@")[0].title(),
            **claims}


def everything(at) -> str:
    """All text the run put on the page (tables as CSV, widgets' labels), escapes resolved."""
    parts = [e.value for e in (*at.markdown, *at.caption, *at.warning, *at.info, *at.error, *at.title,
                               *at.subheader, *at.header)]
    parts += [b.label for b in at.button] + [df.value.to_csv() for df in at.dataframe]
    parts += [str(m.value) for m in at.metric] + [m.label for m in at.metric]
    return shown("\n".join(str(p) for p in parts))


def test_without_auth_a_workbook_is_shown_and_no_address_reaches_anyone(workbook):
    at = new_app(COMMENTS, query=TABLE, user={})
    text = everything(at)
    assert MARKER in text and PLANTED not in text
    assert "E-mail" not in text
    assert "sidebar_show_email" not in [t.key for t in at.toggle]


def test_not_signed_in_sees_only_the_sign_in_button(workbook):
    at = new_app(secrets={"auth": AUTH, "access": ACCESS}, user={"is_logged_in": False})
    assert [b.label for b in at.button] == ["Sign in with Google"]
    assert MARKER not in everything(at) and not at.metric and not at.dataframe
    assert not at.get("file_uploader") and not at.multiselect


def test_a_refused_person_is_told_politely_and_receives_nothing(workbook):
    at = new_app(secrets={"auth": AUTH, "access": ACCESS}, user=signed_in("bob@gmail.example"))
    text = everything(at)
    assert "only open to the feedback analysis team" in text and "insight-team@council.gov.uk" in text
    assert MARKER not in text and not at.metric and not at.dataframe and not at.multiselect
    assert "Sign out" in [b.label for b in at.button]
    entries = access_record.recent_access()
    assert list(entries["event"]) == ["refusal"] and entries["who"][0] == "bob@gmail.example"


def test_an_unverified_address_counts_for_nothing(workbook):
    at = new_app(secrets={"auth": AUTH, "access": ACCESS},
                 user=signed_in("sam@council.gov.uk", email_verified="false"))
    assert MARKER not in everything(at) and not at.metric


def test_a_viewer_sees_the_responses_without_any_address(workbook):
    at = new_app(COMMENTS, query=TABLE, secrets={"auth": AUTH, "access": ACCESS}, user=signed_in("Someone@D2I.org.uk"))
    text = everything(at)
    assert MARKER in text and PLANTED not in text and "E-mail" not in text
    assert shown(at.sidebar.caption[0].value).endswith("Signed in as **Someone** · viewer")
    assert "sidebar_show_email" not in [t.key for t in at.toggle]


def test_an_analyst_sees_addresses_masked_until_they_reveal_them(workbook):
    at = new_app(COMMENTS, query=TABLE, secrets={"auth": AUTH, "access": ACCESS}, user=signed_in("sam@council.gov.uk"))
    table = at.dataframe[0].value
    assert MASKED in set(table["E-mail"]) and PLANTED not in everything(at)
    at.toggle(key="sidebar_show_email").set_value(True).run()
    table = at.dataframe[0].value
    assert PLANTED in set(table["E-mail"])
    events = list(access_record.recent_access()["event"])
    assert events[:2] == ["reveal", "sign-in"]     # newest first


def test_a_removal_takes_effect_on_the_next_rerun(workbook):
    at = new_app(secrets={"auth": AUTH, "access": ACCESS}, user=signed_in("ana@council.gov.uk"))
    assert metrics(at)["Page feedback responses"] == "2"
    at.secrets["access"] = {**ACCESS, "viewers": ["@d2i.org.uk"]}
    at.run()
    assert not at.metric and "only open to the feedback analysis team" in everything(at)


def test_the_live_sheet_needs_sign_in_or_allow_anonymous(standin):
    account = standin.service_account()
    standin.add_sheet(SHEET_KEY, "Live", demo_tabs(feedback_rows=20, survey_rows=5),
                      shared_with=[account["client_email"]])
    at = new_app(secrets=live_secrets(standin, account, access={}))
    assert "sign-in is not, so no responses are shown" in everything(at)
    assert not at.metric and standin.counts["values"] == 0       # the sheet wasn't even read
    at = new_app(secrets=live_secrets(standin, account, access={"allow_anonymous": True}))
    assert shown(at.warning[0].value) == "Not signed in: anyone with this address can see these responses."
    assert metrics(at)["Page feedback responses"] != "0"


def test_analysts_read_the_access_record_on_the_data_quality_page(workbook):
    at = new_app("app_pages/data_quality.py", secrets={"auth": AUTH, "access": ACCESS},
                 user=signed_in("sam@council.gov.uk"))
    record = next(df.value for df in at.dataframe if "event" in df.value.columns)
    assert list(record["event"]) == ["sign-in"] and list(record["who"]) == ["sam@council.gov.uk"]
    viewer = new_app("app_pages/data_quality.py", secrets={"auth": AUTH, "access": ACCESS},
                     user=signed_in("ana@council.gov.uk"))
    assert not [df for df in viewer.dataframe if "event" in df.value.columns]
