"""AppTest of the live Google Sheet against the local stand-in, serving the hand-counted rows of
tests/small_workbook.py (15 kept page responses of 17 read): the badge, one read for every
session within the TTL, "Refresh now", the failure banner and the plain messages."""

import datetime as dt
import re

import pytest

from lib.settings import resolve_settings
from lib.ui import live as app
from tests.app.conftest import badges, metrics, new_app, shown
from tests.sheets_standin import SHEET_KEY, live_secrets
from tests.small_workbook import TABS

TITLE = "Consultation responses (live)"
ANONYMOUS = "Not signed in: anyone with this address can see these responses."
TIME = r"(\d\d:\d\d(?::\d\d)?)"


def unescape(text: str) -> str:
    return shown(text)


def minutes_between(earlier: str, later: str) -> float:
    """Minutes from one time of day shown on the page to another (HH:MM or HH:MM:SS)."""
    a, b = (dt.datetime.strptime(t, "%H:%M:%S" if t.count(":") == 2 else "%H:%M") for t in (earlier, later))
    return ((b - a).total_seconds() % 86_400) / 60


@pytest.fixture
def live(standin):
    account = standin.service_account()
    standin.add_sheet(SHEET_KEY, TITLE, TABS, shared_with=[account["client_email"]])
    return live_secrets(standin, account)


def counts(standin) -> tuple[int, int, int]:
    return standin.counts["token"], standin.counts["metadata"], standin.counts["values"]


def test_the_dashboard_runs_live_with_the_badge(standin, live):
    at = new_app(secrets=live)
    (badge,) = badges(at)
    loaded, nxt = re.fullmatch(rf"Live: {re.escape(TITLE)} · loaded {TIME} · next refresh {TIME}", badge).groups()
    assert 4 <= minutes_between(loaded, nxt) <= 5    # the default TTL, 5 minutes (shown to the minute)
    assert metrics(at)["Page feedback responses"] == "15"
    assert counts(standin) == (1, 1, 1)
    assert [shown(w.value) for w in at.warning] == [ANONYMOUS]   # allow_anonymous: the banner, no other


def test_many_sessions_within_the_ttl_make_one_read(standin, live):
    sessions = [new_app(secrets=live) for _ in range(4)]
    sessions[0].switch_page("app_pages/data_quality.py").run()
    assert [m.value for m in sessions[0].metric][:2] == ["17", "15"]  # the Feedback tab: read, kept
    for at in sessions[1:]:
        at.run()
    assert counts(standin) == (1, 1, 1)


def test_refresh_now_reads_once_per_30_seconds_for_all_sessions(standin, live):
    first, second = new_app(secrets=live), new_app(secrets=live)
    first.button(key=app.REFRESH_KEY).click().run()
    assert counts(standin) == (1, 1, 2)
    (read_at,) = [re.fullmatch(rf"Read from Google at {TIME}\.", c.value).group(1) for c in first.caption
                  if c.value.startswith("Read from Google at ")]
    second.button(key=app.REFRESH_KEY).click().run()  # another viewer, seconds later
    assert counts(standin) == (1, 1, 2)
    (until,) = [re.search(rf"can be read again on request from {TIME}\.$", c.value).group(1) for c in second.caption
                if "can be read again on request from" in c.value]
    assert 29 / 60 <= minutes_between(read_at, until) <= 31 / 60


def test_new_responses_appear_after_a_refresh_and_the_date_range_follows(standin, live):
    import datetime as dt

    from tests.conftest import fb_row

    at = new_app(secrets=live)
    before = 15
    assert metrics(at)["Page feedback responses"] == f"{before:,}"
    rows = standin.sheets[SHEET_KEY].tabs["Feedback"]
    late = dt.datetime(2026, 12, 1, 10, 0)  # after every date shown so far
    rows.append(fb_row(when=late, summary="Arrived while you watched"))
    at.button(key=app.REFRESH_KEY).click().run()
    assert counts(standin) == (1, 1, 2)
    assert metrics(at)["Page feedback responses"] == f"{before + 1:,}"
    assert at.date_input(key="dates").value[1] == late.date()
    # a range the viewer chose is kept (within the new bounds)
    first = at.date_input(key="dates").value[0]
    at.date_input(key="dates").set_value((first, first)).run()
    chosen = metrics(at)["Page feedback responses"]
    rows.append(fb_row(when=late + dt.timedelta(days=1), summary="And another"))
    app.live_feed(resolve_settings(live, env={})).force_interval = 0  # let the same viewer refresh again
    at.button(key=app.REFRESH_KEY).click().run()
    assert counts(standin) == (1, 1, 3)
    assert at.date_input(key="dates").value == (first, first)
    assert metrics(at)["Page feedback responses"] == chosen


def test_an_outage_keeps_the_last_good_data_with_a_banner(standin, live):
    at = new_app(secrets=live)
    shown = metrics(at)
    standin.fail_always("values", 500)
    at.button(key=app.REFRESH_KEY).click().run()
    assert not at.exception
    assert counts(standin) == (1, 1, 4)  # one read, three attempts
    banner = unescape(at.warning[-1].value)
    since, loaded = re.fullmatch(
        rf"\*\*Live data unavailable since {TIME} — showing data loaded at {TIME}\.\*\* Google Sheets answered with "
        r"a server error \(HTTP 500, 3 attempts\)\. The dashboard tries again at the next refresh\.", banner).groups()
    assert minutes_between(loaded, since) <= 1   # the good read just before
    assert metrics(at) == shown
    other = new_app(secrets=live)  # another viewer: same banner, last good data, no new request
    assert unescape(other.warning[-1].value) == banner
    assert metrics(other) == shown
    assert counts(standin) == (1, 1, 4)


def _no_data_message(at) -> str:
    assert not at.exception
    assert not at.get("plotly_chart") and not at.metric
    return unescape(at.error[0].value)


def test_not_shared_names_the_service_account_and_how_to_fix_it(standin, live):
    standin.sheets[SHEET_KEY].shared_with.clear()
    at = new_app(secrets=live)
    email = live["gcp_service_account"]["client_email"]
    assert _no_data_message(at) == (
        "**The live Google Sheet could not be read.** The sheet is not shared with the service account. In "
        f"Google Sheets, click Share and add {email} as a Viewer, then refresh.")
    assert "press **Refresh now** in the sidebar" in at.caption[0].value
    assert counts(standin) == (1, 1, 0)
    at.run()  # reruns during the failure don't call Google again
    assert counts(standin) == (1, 1, 0)
    standin.sheets[SHEET_KEY].shared_with.add(email)
    at.button(key=app.REFRESH_KEY).click().run()  # fixed: Refresh now shows the data
    assert badges(at)[0].startswith(f"Live: {TITLE} · loaded ")
    assert counts(standin) == (1, 2, 1)  # the refused metadata request is made again, then the values


@pytest.mark.parametrize("scenario, message", [
    ("wrong key", "No Google Sheet has the key '1WrongKey_abcdefghijklmnop' (or it was deleted)."),
    ("missing tab", f"The Google Sheet '{TITLE}' has no 'MainFeedback' tab (tabs found: Feedback, Pages)."),
    ("revoked key", "Google did not accept the service account's key (invalid_grant: Invalid JWT Signature.)."),
    ("malformed key", "The private_key in [gcp_service_account] could not be read as a key"),
    ("bad ttl", "[sheets] ttl must be a number of seconds of at least 1"),
])
def test_each_failure_has_its_plain_message(standin, live, scenario, message):
    if scenario == "wrong key":
        live["sheets"]["spreadsheet"] = "1WrongKey_abcdefghijklmnop"
    elif scenario == "missing tab":
        standin.add_sheet(SHEET_KEY, TITLE, {"Feedback": TABS["Feedback"], "Pages": [["path"]]},
                          shared_with=standin.sheets[SHEET_KEY].shared_with)
    elif scenario == "revoked key":
        standin.keys.clear()
    elif scenario == "malformed key":
        live["gcp_service_account"]["private_key"] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"
    elif scenario == "bad ttl":
        live["sheets"]["ttl"] = "soon"
    at = new_app(secrets=live)
    assert message in _no_data_message(at)
