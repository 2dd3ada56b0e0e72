"""The live Google Sheet over real HTTP: the real gspread and google-auth code against the
local stand-in (tests/sheets_standin.py), request counts asserted; the shared feed on a
fake clock; the settings and the command line."""

import datetime as dt
import json
import subprocess
import sys
import threading
import time
import types

import pandas as pd
import pytest

from lib.consultation import load_consultation
from lib.dataset import build_dataset
from lib.errors import SourceError
from lib.pages_meta import default_site
from lib.settings import Settings, load_dataset, read_secrets_file, resolve_settings
from lib.sheets import (
    LiveFeed,
    RetryPolicy,
    SheetReader,
    is_transient,
    sheet_settings,
    spreadsheet_key,
)
from lib.sources import RawTables, SourceInfo, TabNames, table_from_rows
from lib.summary import summarise
from tests.conftest import FEEDBACK_HEADER, PROJECT, SURVEY_HEADER, fb_row, survey_row
from tests.e2e.conftest import free_port
from tests.sheets_standin import (
    DROP,
    HANG,
    SHEET_KEY,
    Fault,
    live_secrets,
    serial,
    toml_text,
)

T0 = dt.datetime(2026, 10, 5, 9, 0, 15)
TITLE = "Centre of Excellence – responses"
FEEDBACK = [
    FEEDBACK_HEADER + ["Notes"],
    fb_row(when=T0, org="007", details="Long\ntext") + ["called back"],
    fb_row(when=T0 + dt.timedelta(hours=5), summary="Second point"),              # ragged: blanks at the end
    fb_row(when=T0 + dt.timedelta(hours=5, minutes=2), summary="Second point"),   # a double submission
    [None] * 9,                                                                    # an empty row
    fb_row(when=T0 + dt.timedelta(days=8), page="models-for-delivery/", nature="I’m unsure about this",
           summary=12345, role="Central government leadership"),                  # a number typed as a number
    fb_row(when=T0, summary="cheap pills", hp="http://spam.example", role="bot"),
]
SURVEY = [SURVEY_HEADER,
          survey_row(when=T0, use=json.dumps({"Improving data quality": 5}), comments="Yes"),
          survey_row(when=T0 + dt.timedelta(days=1), role="Local authority leadership")]
PAGES = [["path", "title", "section", "order", "has_form"],
         ["how-our-system-works/", "How it works", "", 1, "yes"],
         ["models-for-delivery/", "Models", "", 2, "yes"]]


def tabs(pages: bool = False, **extra) -> dict:
    out = {"Feedback": FEEDBACK, "MainFeedback": SURVEY}
    if pages:
        out["Pages"] = PAGES
    return out | extra


def expected(tab_rows: dict) -> dict:
    """The summary of the same rows read from a workbook (typed cells, dates as datetimes)."""
    c = load_consultation()
    raw = RawTables(table_from_rows(tab_rows["Feedback"]), table_from_rows(tab_rows["MainFeedback"]),
                    table_from_rows(tab_rows["Pages"]) if "Pages" in tab_rows else None,
                    SourceInfo("workbook", "w.xlsx", pd.Timestamp.now(tz="UTC")))
    return summarise(build_dataset(raw, c, default_site(c)))


@pytest.fixture
def account(standin):
    return standin.service_account()


@pytest.fixture
def sheet(standin, account):
    return standin.add_sheet(SHEET_KEY, TITLE, tabs(), shared_with=[account["client_email"]])


def conf_for(standin, account, **sheets):
    secrets = live_secrets(standin, account, **sheets)
    return sheet_settings(secrets["sheets"], secrets["gcp_service_account"])


def reader(standin, account, waits=None, **sheets) -> SheetReader:
    """A reader on the stand-in whose waits are recorded in ``waits`` instead of slept."""
    sheets.setdefault("retry_waits", [1, 4])
    return SheetReader(conf_for(standin, account, **sheets), TabNames(),
                       sleep=(waits.append if waits is not None else time.sleep))


def counts(standin) -> tuple[int, int, int]:
    return standin.counts["token"], standin.counts["metadata"], standin.counts["values"]


# -- settings ---------------------------------------------------------------------------


def test_spreadsheet_key_from_a_url_or_the_key():
    assert spreadsheet_key(f"https://docs.google.com/spreadsheets/d/{SHEET_KEY}/edit?gid=0#gid=0") == SHEET_KEY
    assert spreadsheet_key(f"https://docs.google.com/spreadsheets/u/1/d/{SHEET_KEY}/") == SHEET_KEY
    assert spreadsheet_key(f"  {SHEET_KEY} ") == SHEET_KEY
    with pytest.raises(SourceError, match="must be the sheet's URL or its key"):
        spreadsheet_key("My consultation sheet")


def test_settings_precedence_env_then_source_path_then_sheets_then_demo(tmp_path):
    live = {"sheets": {"spreadsheet": SHEET_KEY}, "gcp_service_account": {"client_email": "a@b.c"}}
    s = resolve_settings(live, env={})
    assert s.source_kind == "sheet" and s.sheet.key == SHEET_KEY
    assert (s.sheet.ttl, s.sheet.timeout, s.sheet.account_email) == (300.0, 10.0, "a@b.c")
    assert resolve_settings(live | {"source": {"path": "x.xlsx"}}, env={}).source_kind == "workbook"
    assert resolve_settings(live, env={"INSIGHT_SOURCE": "y.xlsx"}).source_path == "y.xlsx"
    assert resolve_settings({"sheets": {"feedback_tab": "Responses"}}, env={}).source_kind == "demo"
    assert resolve_settings({}, env={}).source_kind == "demo"


def test_ttl_and_timeout_accept_durations_and_name_bad_values():
    def ttl(value):
        return sheet_settings({"spreadsheet": SHEET_KEY, "ttl": value}, {}).ttl

    assert (ttl(None), ttl(90), ttl("90"), ttl("5m"), ttl("1 hour")) == (300.0, 90.0, 90.0, 300.0, 3600.0)
    for bad in (0, "soon", True):
        with pytest.raises(SourceError, match=r"\[sheets\] ttl must be a number of seconds"):
            ttl(bad)


def test_the_private_key_never_shows_in_a_repr(standin, account):
    s = resolve_settings(live_secrets(standin, account), env={})
    assert "PRIVATE KEY" not in repr(s) and "PRIVATE KEY" not in str(s)


def test_cli_secrets_follow_streamlit_secrets_files(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('[sheets]\nspreadsheet = "first"\n[pages]\nfile = "p.yml"\n')
    b.write_text('[sheets]\nspreadsheet = "second"\n')
    got = read_secrets_file(env={"STREAMLIT_SECRETS_FILES": f"{a} {b}"})
    assert got == {"sheets": {"spreadsheet": "second"}, "pages": {"file": "p.yml"}}


# -- one read, one request ----------------------------------------------------------------


def test_one_read_is_one_values_request_for_every_tab(standin, account, sheet):
    raw = reader(standin, account).read()
    assert counts(standin) == (1, 1, 1)
    (values,) = standin.requests_to("values")
    assert values["query"]["ranges"] == ["'Feedback'", "'MainFeedback'"]
    assert values["query"]["valueRenderOption"] == ["UNFORMATTED_VALUE"]
    assert values["query"]["dateTimeRenderOption"] == ["SERIAL_NUMBER"]
    (meta,) = standin.requests_to("metadata")
    assert meta["query"]["fields"] == ["properties.title,sheets.properties.title"]
    assert (raw.info.kind, raw.info.name) == ("sheet", TITLE)
    assert raw.info.location == f"https://docs.google.com/spreadsheets/d/{SHEET_KEY}"
    fb = raw.feedback
    assert list(fb.columns) == FEEDBACK_HEADER + ["Notes"]
    assert fb.loc[2, "org"] == "007"                       # text stays text
    assert fb.loc[2, "Timestamp"] == serial(T0)            # a serial number, no locale guessing
    assert fb.loc[3, "Notes"] is None                      # ragged row padded
    assert fb.loc[6, "summary"] == 12345                   # numbers stay numbers
    assert raw.pages is None


def test_the_live_read_gives_the_same_numbers_as_the_workbook(standin, account, sheet):
    raw = reader(standin, account).read()
    assert summarise(load_dataset(Settings(), raw=raw)) == expected(tabs())


def test_later_reads_reuse_the_client_token_and_tab_list(standin, account, sheet):
    r = reader(standin, account)
    for n in range(1, 4):
        r.read()
        assert counts(standin) == (1, 1, n)


def test_a_read_after_the_token_expired_costs_exactly_one_token_request(standin, account, sheet, monkeypatch):
    from google.auth import _helpers

    # tokens live 240 s and google-auth renews them 225 s early: fresh for 15 s; each read is 20 s later
    standin.token_lifetime, later, real_utcnow = 240, [0], _helpers.utcnow
    monkeypatch.setattr(_helpers, "utcnow", lambda: real_utcnow() + dt.timedelta(seconds=later[0]))
    r = reader(standin, account)
    for n in range(1, 4):
        r.read()
        assert counts(standin) == (n, 1, n)
        later[0] += 20


def test_a_pages_tab_is_read_in_the_same_request(standin, account):
    standin.add_sheet(SHEET_KEY, TITLE, tabs(pages=True), shared_with=[account["client_email"]])
    raw = reader(standin, account).read()
    assert counts(standin) == (1, 1, 1)
    assert standin.requests_to("values")[0]["query"]["ranges"] == ["'Feedback'", "'MainFeedback'", "'Pages'"]
    assert list(raw.pages["title"]) == ["How it works", "Models"]
    assert summarise(load_dataset(Settings(), raw=raw)) == expected(tabs(pages=True))


def test_tab_names_with_quotes_and_spaces(standin, account):
    standin.add_sheet(SHEET_KEY, TITLE, {"Page feedback": FEEDBACK, "Survey '26": SURVEY},
                      shared_with=[account["client_email"]])
    conf = conf_for(standin, account)
    raw = SheetReader(conf, TabNames(feedback="Page feedback", survey="Survey '26")).read()
    assert standin.requests_to("values")[0]["query"]["ranges"] == ["'Page feedback'", "'Survey ''26'"]
    assert len(raw.survey) == len(SURVEY) - 1


# -- faults -------------------------------------------------------------------------------


def test_429_then_200_recovers(standin, account, sheet):
    waits = []
    standin.fail("values", 429)
    raw = reader(standin, account, waits).read()
    assert len(raw.feedback) == len(FEEDBACK) - 2  # the header and the empty row are not data rows
    assert counts(standin) == (1, 1, 2)
    assert waits == [1.0]


def test_a_retry_after_header_is_honoured(standin, account, sheet):
    waits = []
    standin.fail("values", Fault(429, headers=(("Retry-After", "3"),)))
    reader(standin, account, waits).read()
    assert waits == [3.0]


def test_a_non_json_502_is_retried_on_its_http_status(standin, account, sheet):
    from gspread.exceptions import APIError

    standin.fail("values", Fault(502, html=True))
    reader(standin, account, []).read()
    assert counts(standin) == (1, 1, 2)
    # gspread's APIError.code comes from the JSON body: -1 here, so the status decides
    import requests

    response = requests.Response()
    response.status_code, response._content = 502, b"<html>Bad gateway</html>"
    err = APIError(response)
    assert err.code == -1 and is_transient(err)


def test_persistent_500_gives_up_after_three_attempts(standin, account, sheet):
    waits = []
    standin.fail_always("values", 500)
    with pytest.raises(SourceError) as info:
        reader(standin, account, waits).read()
    assert str(info.value) == ("Google Sheets answered with a server error (HTTP 500, 3 attempts). "
                               "The dashboard tries again at the next refresh.")
    assert counts(standin) == (1, 1, 3)
    assert waits == [1.0, 4.0]


def test_not_shared_names_the_service_account(standin, account):
    standin.add_sheet(SHEET_KEY, TITLE, tabs(), shared_with=[])
    with pytest.raises(SourceError) as info:
        reader(standin, account, []).read()
    assert str(info.value) == (
        "The sheet is not shared with the service account. In Google Sheets, click Share and add "
        f"{account['client_email']} as a Viewer, then refresh.")
    assert counts(standin) == (1, 1, 0)  # a 403 is not retried


def test_sheets_api_not_enabled(standin, account, sheet):
    standin.api_disabled = True
    with pytest.raises(SourceError, match=r"Google Sheets API is not enabled for the service account's Google "
                                          r"Cloud project \(insight-test\)"):
        reader(standin, account, []).read()


def test_a_wrong_key(standin, account, sheet):
    other = "1NoSuchSheet_abcdefghijklmnop"
    with pytest.raises(SourceError) as info:
        reader(standin, account, [], spreadsheet=other).read()
    assert str(info.value).startswith(f"No Google Sheet has the key '{other}'")
    assert counts(standin) == (1, 1, 0)


def test_a_missing_tab_lists_the_tabs_and_is_rechecked_next_time(standin, account):
    sheet = standin.add_sheet(SHEET_KEY, TITLE, {"Feedback": FEEDBACK, "Sheet2": [["x"]]},
                              shared_with=[account["client_email"]])
    r = reader(standin, account, [])
    with pytest.raises(SourceError) as info:
        r.read()
    assert str(info.value) == (f"The Google Sheet '{TITLE}' has no 'MainFeedback' tab (tabs found: Feedback, "
                               "Sheet2). Rename the tab, or set [sheets] survey_tab to its name.")
    assert counts(standin) == (1, 1, 0)
    sheet.tabs["MainFeedback"] = SURVEY
    r.read()
    assert counts(standin) == (1, 2, 1)


def test_a_revoked_key(standin, sheet):
    account = standin.service_account(key_number=1, register=False)  # a key Google doesn't know (any more)
    sheet.shared_with.add(account["client_email"])
    with pytest.raises(SourceError) as info:
        reader(standin, account, []).read()
    assert str(info.value).startswith(
        "Google did not accept the service account's key (invalid_grant: Invalid JWT Signature.). The key may "
        "have been deleted or revoked")
    assert counts(standin) == (1, 0, 0)


@pytest.mark.parametrize("change, message", [
    ({"private_key": "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"},
     "The private_key in [gcp_service_account] could not be read as a key"),
    ({"client_email": ""}, "[gcp_service_account] lacks client_email"),
    (None, "The secrets have a [sheets] section but no [gcp_service_account]"),
])
def test_malformed_credentials(standin, account, sheet, change, message):
    broken = {} if change is None else account | change
    with pytest.raises(SourceError) as info:
        reader(standin, broken, []).read()
    assert str(info.value).startswith(message)
    assert "not a key" not in str(info.value)
    assert counts(standin) == (0, 0, 0)


def test_a_key_pasted_with_escaped_newlines_still_works(standin, account, sheet):
    flat = account | {"private_key": account["private_key"].replace("\n", "\\n")}
    reader(standin, flat).read()
    assert counts(standin) == (1, 1, 1)


def test_a_stand_in_that_never_answers_times_out_within_the_bound(standin, account, sheet):
    standin.fail_always("values", HANG)
    r = reader(standin, account, [], timeout=0.5)
    start = time.monotonic()
    with pytest.raises(SourceError) as info:
        r.read()
    elapsed = time.monotonic() - start
    assert str(info.value).startswith("Google Sheets did not answer within 0.5 seconds (3 attempts)")
    assert counts(standin) == (1, 1, 3)
    assert 1.5 <= elapsed < 1.5 + 2.0  # three read timeouts, waits recorded not slept


def test_the_retry_budget_bounds_the_attempts(standin, account, sheet):
    standin.fail_always("token", HANG)
    conf = conf_for(standin, account, timeout=0.5)
    policy = RetryPolicy(timeout=0.5, budget=1.4, waits=(0.0,))
    start = time.monotonic()
    with pytest.raises(SourceError, match=r"did not answer within 0\.5 seconds \(2 attempts\)"):
        SheetReader(conf, policy=policy).read()
    assert time.monotonic() - start < 1.4 + 0.5
    assert counts(standin) == (2, 0, 0)


def test_a_token_endpoint_outage_is_retried_by_google_auth_only(standin, account, sheet, monkeypatch):
    import google.auth._exponential_backoff as backoff

    monkeypatch.setattr(backoff, "time", types.SimpleNamespace(sleep=lambda s: None))
    standin.fail_always("token", 503)
    with pytest.raises(SourceError, match="Google's sign-in service did not answer"):
        reader(standin, account, []).read()
    assert counts(standin) == (3, 0, 0)  # google-auth's own three tries; ours don't multiply them


def test_a_dropped_connection_is_retried(standin, account, sheet):
    standin.fail("values", DROP)
    reader(standin, account, []).read()
    assert counts(standin) == (1, 1, 2)


def test_nothing_listening(standin, account):
    waits = []
    with pytest.raises(SourceError, match=r"Could not connect to Google \(3 attempts\)"):
        reader(standin, account, waits, api_base=f"http://127.0.0.1:{free_port()}").read()
    assert waits == [1.0, 4.0]


# -- the shared feed ----------------------------------------------------------------------


class Clock:
    def __init__(self, t: float = 1_700_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_the_feed_reads_once_per_ttl():
    clock, loads = Clock(), []
    feed = LiveFeed(lambda: loads.append(clock.t) or len(loads), ttl=300, clock=clock)
    start = clock.t
    s = feed.get()
    assert (s.data, s.version, s.loaded_at, s.next_read_at) == (1, 1, start, start + 300)
    clock.t += 299
    assert feed.get().data == 1 and len(loads) == 1
    clock.t += 1
    assert feed.get().data == 2 and loads == [start, start + 300]


def test_many_sessions_at_once_make_one_read():
    release, loads = threading.Event(), []

    def load():
        loads.append(1)
        release.wait(10)
        return "data"

    feed = LiveFeed(load, ttl=300)
    results = []
    threads = [threading.Thread(target=lambda: results.append(feed.get().data)) for _ in range(12)]
    for t in threads:
        t.start()
    while not loads:
        time.sleep(0.01)
    release.set()
    for t in threads:
        t.join(10)
    assert results == ["data"] * 12 and len(loads) == 1


def test_viewers_get_the_last_good_data_while_one_session_reads():
    clock, gate, calls = Clock(), threading.Event(), []

    def load():
        calls.append(1)
        if len(calls) == 2:
            gate.wait(10)
        return len(calls)

    feed = LiveFeed(load, ttl=300, clock=clock)
    feed.get()
    clock.t += 300
    reader_thread = threading.Thread(target=feed.get)
    reader_thread.start()
    while len(calls) < 2:
        time.sleep(0.01)
    assert feed.get().data == 1  # not blocked behind the slow read
    gate.set()
    reader_thread.join(10)
    assert feed.get().data == 2 and len(calls) == 2


def test_a_failed_read_keeps_the_last_good_data_and_is_rate_limited_too():
    clock, outcomes = Clock(), ["first", SourceError("Google is down."), SourceError("Still down."), "back"]
    loads = []

    def load():
        loads.append(clock.t)
        result = outcomes[len(loads) - 1]
        if isinstance(result, Exception):
            raise result
        return result

    feed = LiveFeed(load, ttl=300, clock=clock)
    good_at = clock.t
    feed.get()
    clock.t += 300
    failed_at = clock.t
    s = feed.get()
    assert (s.data, s.loaded_at, s.error, s.failed_since, s.failing) == ("first", good_at, "Google is down.",
                                                                       failed_at, True)
    for _ in range(50):  # every rerun of every viewer during the outage
        clock.t += 5
        assert feed.get().failing
    assert len(loads) == 2
    clock.t = failed_at + 300
    s = feed.get()
    assert (s.error, s.failed_since, len(loads)) == ("Still down.", failed_at, 3)
    clock.t += 300
    s = feed.get()
    assert (s.data, s.error, s.failed_since, s.failing) == ("back", None, None, False)


def test_forced_reads_are_limited_to_one_per_30_seconds_for_everyone():
    clock, loads = Clock(), []
    feed = LiveFeed(lambda: loads.append(1) or len(loads), ttl=300, clock=clock)
    feed.get()
    clock.t += 5
    first = clock.t
    s = feed.get(force=True)
    assert s.forced and s.data == 2
    clock.t += 29
    s = feed.get(force=True)  # another session, within 30 s
    assert (s.refused_until, s.data, len(loads)) == (first + 30, 2, 2)
    clock.t += 1
    assert feed.get(force=True).data == 3


def test_unexpected_errors_become_a_plain_message():
    feed = LiveFeed(lambda: {}["missing"], ttl=300)
    s = feed.get()
    assert s.data is None and s.error == "Unexpected KeyError (details are in the server log)."


def test_the_feed_over_the_stand_in_through_an_outage(standin, account, sheet):
    clock = Clock()
    r = reader(standin, account, [])
    feed = LiveFeed(lambda: load_dataset(Settings(), raw=r.read()), ttl=300, clock=clock)
    good = feed.get()
    assert counts(standin) == (1, 1, 1)
    standin.fail_always("values", 500)
    clock.t += 300
    s = feed.get()
    assert s.data is good.data and s.failing and "HTTP 500, 3 attempts" in s.error
    assert counts(standin) == (1, 1, 4)
    for _ in range(20):  # twenty sessions rerunning within the TTL
        feed.get()
    assert counts(standin) == (1, 1, 4)
    standin.fail_always("values", None)
    clock.t += 300
    s = feed.get()
    assert not s.failing and s.data is not good.data
    assert counts(standin) == (1, 1, 5)


# -- the command line ---------------------------------------------------------------------


def _summary(secrets_path):
    return subprocess.run([sys.executable, "-m", "lib", "summary"], cwd=PROJECT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "STREAMLIT_SECRETS_FILES": str(secrets_path)}, timeout=120)


def test_the_command_line_prints_the_live_numbers(standin, account, sheet, tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text(toml_text(live_secrets(standin, account)))
    out = _summary(path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(expected(tabs())))
    assert counts(standin) == (1, 1, 1)


def test_the_command_line_reports_a_sharing_problem_plainly(standin, account, tmp_path):
    standin.add_sheet(SHEET_KEY, TITLE, tabs(), shared_with=[])
    path = tmp_path / "secrets.toml"
    path.write_text(toml_text(live_secrets(standin, account)))
    out = _summary(path)
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "error: The sheet is not shared with the service account. In Google Sheets, click Share and add "
        f"{account['client_email']} as a Viewer, then refresh.")
    assert "Traceback" not in out.stderr


def test_the_secrets_example_resolves_to_a_live_sheet():
    import tomllib

    text = (PROJECT / ".streamlit" / "secrets.toml.example").read_text()
    part = text[text.index("# [sheets]"):text.index("# For tests only")]
    secrets = tomllib.loads("\n".join(line[2:] for line in part.splitlines() if line.startswith("# ")))
    s = resolve_settings(secrets, env={})
    assert s.source_kind == "sheet" and s.sheet.key == "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    assert s.sheet.account_email == "insight-reader@my-project.iam.gserviceaccount.com"
    assert s.sheet.account["private_key"].startswith("-----BEGIN PRIVATE KEY-----\nMIIE")
    assert s.tabs == TabNames()


# -- hostile cells and bounded answers (issue 9) -------------------------------------------------


def test_hostile_cells_in_the_live_sheet_are_counted_never_fatal(standin, account):
    """Each of these once froze the live sheet on its last good data ("RecursionError")."""
    deep = "[" * 1000 + "]" * 1000
    feedback = [FEEDBACK_HEADER, fb_row(when=dt.datetime(9999, 12, 31)), fb_row(page="//[", summary="b"),
                fb_row(when="31/12/9999 23:59", summary="c"), fb_row(page="http://[::1/x", summary="d")]
    survey = [SURVEY_HEADER, survey_row(use=deep, like=deep, activities=deep)]
    pages = [["path", "title", "order"], ["how-our-system-works/", "How it works", float("inf")],
             ["models-for-delivery/", "Models", 2]]
    standin.add_sheet(SHEET_KEY, TITLE, {"Feedback": feedback, "MainFeedback": survey, "Pages": pages},
                      shared_with=[account["client_email"]])
    ds = load_dataset(Settings(), raw=reader(standin, account).read())
    fq, sq = ds.feedback_quality, ds.survey_quality
    assert (fq.rows_read, fq.kept, fq.bad_timestamps, fq.unmatched_pages) == (4, 4, 2, 2)
    assert (fq.bad_rows["timestamp"], fq.bad_rows["page"]) == ((2, 4), (3, 5))
    assert (sq.kept, sq.bad_scores, sq.unknown_activities) == (1, 2, 1)
    assert ds.site.bad_orders == 1
    assert list(ds.pages["order"]) == [1, 2]


def test_an_oversized_answer_is_refused_plainly_and_never_read_whole(standin, account, sheet):
    from lib.limits import Limits

    r = SheetReader(conf_for(standin, account), TabNames(), limits=Limits(max_response_bytes=2 * 1024 * 1024))
    assert len(r.read().feedback) == len(FEEDBACK) - 2
    small = SheetReader(conf_for(standin, account), TabNames(), limits=Limits(max_response_bytes=500))
    with pytest.raises(SourceError, match=r"^The Google Sheet's answer is larger than 0 MB, more than the dashboard "
                                          r"reads: remove rows or tabs that aren't responses"):
        small.read()
    assert counts(standin)[2] == 2        # refused at once, not retried


def test_the_live_sheet_shares_the_cell_limit(standin, account, sheet):
    from lib.limits import Limits

    limited = SheetReader(conf_for(standin, account), TabNames(), limits=Limits(max_cells=30))
    with pytest.raises(SourceError, match=r"^The Google Sheet's tab 'Feedback' has more than 30 cells"):
        limited.read()
