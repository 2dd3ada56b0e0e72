"""The live Google Sheet: every tab read in one request, bounded retries, plain messages,
and a feed shared by every viewer that reads at most once per TTL and keeps the last
good data when Google fails.

- ``SheetSettings``: the ``[sheets]`` and ``[gcp_service_account]`` secrets, resolved.
- ``SheetReader``: a service-account client (read-only scope, connect and read timeouts)
  that fetches the spreadsheet's title and tab names once, then reads the tabs with ONE
  values batchGet per read (unformatted values, timestamps as serial numbers, so no
  locale guessing). Retries 429, 5xx and timeouts: at most 3 attempts within about 30 s.
- ``explain``: what went wrong, in plain words, with how to fix it.
- ``LiveFeed``: the shared cache: one read per TTL for all sessions, one forced read per
  30 s, failed reads rate-limited too, the last good data kept with the time it failed.

Pure: no Streamlit. gspread and google-auth are imported only when a client is built,
so the demo and workbook sources never load them.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

import pandas as pd

from .errors import SourceError
from .limits import LIMITS, Limits
from .sources import RawTables, SourceInfo, TabNames, _pick_tab, table_from_rows

log = logging.getLogger("consultation_insight.sheets")

GOOGLE_SHEETS_BASE = "https://sheets.googleapis.com"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)
DEFAULT_TTL = 300.0          # seconds between reads of the sheet
DEFAULT_TIMEOUT = 10.0       # seconds to wait for Google's answer to one request
CONNECT_TIMEOUT = 5.0        # seconds to open a connection (capped by the timeout)
MIN_TTL = 1.0
FORCE_INTERVAL = 30.0        # at most one forced ("Refresh now") read per this many seconds
MAX_ATTEMPTS = 3
RETRY_BUDGET = 30.0          # no retry starts that could end later than this after the first
RETRY_WAITS = (1.0, 4.0)     # seconds before the 2nd and the 3rd attempt
MAX_RETRY_AFTER = 10.0       # a Retry-After header is honoured up to this many seconds
REQUIRED_ACCOUNT_FIELDS = ("client_email", "private_key", "token_uri")
VALUE_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER",
                "majorDimension": "ROWS"}
METADATA_FIELDS = "properties.title,sheets.properties.title"

T = TypeVar("T")


# -- settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetSettings:
    """The live sheet's configuration (``[sheets]`` and ``[gcp_service_account]``).

    ``api_base`` and ``retry_waits`` exist for tests: they send the Sheets API calls to a
    local stand-in and shorten the waits between attempts.
    """

    spreadsheet: str
    ttl: float = DEFAULT_TTL
    timeout: float = DEFAULT_TIMEOUT
    service_account: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    api_base: str = GOOGLE_SHEETS_BASE
    retry_waits: tuple[float, ...] = RETRY_WAITS

    @property
    def key(self) -> str:
        """The spreadsheet's key (raises ``SourceError`` when neither a key nor a sheet URL)."""
        return spreadsheet_key(self.spreadsheet)

    @property
    def account(self) -> dict[str, str]:
        return dict(self.service_account)

    @property
    def account_email(self) -> str:
        return self.account.get("client_email", "")

    @property
    def url(self) -> str:
        return f"https://docs.google.com/spreadsheets/d/{self.key}"

    @property
    def policy(self) -> RetryPolicy:
        return RetryPolicy(waits=self.retry_waits, timeout=self.timeout)


_URL_KEY = re.compile(r"/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")
_PARAM_KEY = re.compile(r"[?&#]key=([A-Za-z0-9_-]+)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{10,}")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)?", re.I)


def spreadsheet_key(value: str) -> str:
    """The key in a Google Sheet URL (``…/spreadsheets/d/<key>/edit``), or the key itself."""
    text = str(value).strip()
    if m := _URL_KEY.search(text) or _PARAM_KEY.search(text):
        return m.group(1)
    if _BARE_KEY.fullmatch(text):
        return text
    raise SourceError(
        f"[sheets] spreadsheet must be the sheet's URL or its key (the long code between /d/ and "
        f"/edit in the URL), not '{text[:80]}'.")


def duration_seconds(value: object, name: str, default: float, minimum: float = 0.0) -> float:
    """Seconds from a number or a text such as ``"300"``, ``"5m"``, ``"1 hour"``."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        seconds = None
    elif isinstance(value, (int, float)):
        seconds = float(value)
    else:
        m = _DURATION.fullmatch(str(value).strip())
        unit = (m.group(2) or "s").lower()[:1] if m else ""
        seconds = float(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[unit] if m else None
    if seconds is None or seconds != seconds or seconds < minimum:
        raise SourceError(
            f"[sheets] {name} must be a number of seconds of at least {minimum:g} (or a duration "
            f"such as \"5m\"), not {value!r}.")
    return seconds


def sheet_settings(sheets: Mapping, account: Mapping) -> SheetSettings | None:
    """``SheetSettings`` from the ``[sheets]`` and ``[gcp_service_account]`` sections (None: no sheet)."""
    spreadsheet = str(sheets.get("spreadsheet") or sheets.get("url") or sheets.get("key") or "").strip()
    if not spreadsheet:
        return None
    waits = sheets.get("retry_waits")
    waits = RETRY_WAITS if waits is None else tuple(
        duration_seconds(w, "retry_waits", 0.0) for w in (waits if isinstance(waits, (list, tuple)) else [waits]))
    return SheetSettings(
        spreadsheet=spreadsheet,
        ttl=duration_seconds(sheets.get("ttl"), "ttl", DEFAULT_TTL, MIN_TTL),
        timeout=duration_seconds(sheets.get("timeout"), "timeout", DEFAULT_TIMEOUT, 0.1),
        service_account=tuple(sorted((str(k), str(v)) for k, v in dict(account).items())),
        api_base=str(sheets.get("api_base") or GOOGLE_SHEETS_BASE).rstrip("/"),
        retry_waits=waits,
    )


# -- retries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """At most ``attempts`` tries; no retry starts that could end after ``budget`` seconds."""

    attempts: int = MAX_ATTEMPTS
    budget: float = RETRY_BUDGET
    waits: tuple[float, ...] = RETRY_WAITS
    timeout: float = DEFAULT_TIMEOUT

    def wait_before(self, attempt: int) -> float:
        """Seconds to wait before attempt number ``attempt`` (2, 3, …)."""
        if not self.waits:
            return 0.0
        return self.waits[min(attempt - 2, len(self.waits) - 1)]


def http_status(exc: BaseException) -> int | None:
    """The HTTP status of a failed API call (from the response, not from the JSON body)."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def _is_timeout(exc: BaseException) -> bool:
    import requests

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, requests.Timeout) or any(isinstance(a, requests.Timeout) for a in exc.args):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def is_transient(exc: BaseException) -> bool:
    """Worth another attempt: HTTP 429 or 5xx, a timeout, or a dropped connection."""
    import requests
    from google.auth import exceptions as auth_errors
    from gspread.exceptions import APIError

    if isinstance(exc, APIError):
        status = http_status(exc)
        return status is not None and (status == 429 or status >= 500)
    if isinstance(exc, auth_errors.RefreshError):
        return False  # google-auth has already retried the token endpoint itself
    return isinstance(exc, (requests.Timeout, requests.ConnectionError, auth_errors.TransportError))


def _expected(exc: BaseException) -> bool:
    """A failure we explain in plain words (anything else is logged with its traceback)."""
    import requests
    from google.auth import exceptions as auth_errors
    from gspread.exceptions import GSpreadException

    return isinstance(exc, (SourceError, GSpreadException, auth_errors.GoogleAuthError,
                            requests.RequestException, PermissionError))


def _retry_after(exc: BaseException) -> float:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        return min(float(headers.get("Retry-After", 0)), MAX_RETRY_AFTER)
    except (TypeError, ValueError):
        return 0.0


def call_with_retries(call: Callable[[], T], policy: RetryPolicy, *, sleep: Callable[[float], Any] = time.sleep,
                      clock: Callable[[], float] = time.monotonic) -> T:
    """``call()``, tried again on transient failures within the policy's attempts and budget."""
    start = clock()
    attempt = 1
    while True:
        try:
            return call()
        except Exception as exc:
            if attempt >= policy.attempts or not is_transient(exc):
                raise
            wait = max(policy.wait_before(attempt + 1), _retry_after(exc))
            if clock() - start + wait + policy.timeout > policy.budget:
                raise
            log.warning("Google Sheets attempt %d failed (%s); trying again in %.1f s", attempt, exc, wait)
            sleep(wait)
            attempt += 1


# -- plain messages ---------------------------------------------------------------------


def _google_message(exc: BaseException) -> str:
    error = getattr(exc, "error", None)
    if isinstance(error, Mapping) and error.get("code") != -1:
        return str(error.get("message") or "").strip()
    return ""


def _api_disabled(exc: BaseException) -> bool:
    error = getattr(exc, "error", None) or {}
    text = str(error.get("message", "")) + " " + str(error.get("details", ""))
    return "SERVICE_DISABLED" in text or "has not been used in project" in text or "is disabled" in text


def explain(exc: BaseException, conf: SheetSettings, attempts: int = 1) -> SourceError:
    """A plain message saying what went wrong reading the sheet and how to fix it."""
    import requests
    from google.auth import exceptions as auth_errors
    from gspread.exceptions import APIError, SpreadsheetNotFound

    if isinstance(exc, SourceError):
        return exc
    email = conf.account_email or "the service account"
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    status = http_status(exc)
    if isinstance(exc, SpreadsheetNotFound) or status == 404:
        return SourceError(
            f"No Google Sheet has the key '{conf.key}' (or it was deleted). Check [sheets] spreadsheet in "
            "the secrets: paste the sheet's full URL from the browser's address bar.")
    if isinstance(exc, PermissionError) or status == 403:
        if _api_disabled(exc):
            project = conf.account.get("project_id", "")
            return SourceError(
                f"The Google Sheets API is not enabled for the service account's Google Cloud project"
                f"{f' ({project})' if project else ''}. Enable it (APIs & Services › Library › Google Sheets "
                "API › Enable), wait a minute, then refresh.")
        return SourceError(
            f"The sheet is not shared with the service account. In Google Sheets, click Share and add "
            f"{email} as a Viewer, then refresh.")
    if isinstance(exc, auth_errors.RefreshError):
        if exc.retryable:
            return SourceError(
                "Google's sign-in service did not answer (it was tried 3 times); the dashboard tries again "
                "at the next refresh.")
        reason = str(exc.args[0]) if exc.args else "refused"
        return SourceError(
            f"Google did not accept the service account's key ({reason}). The key may have been deleted or "
            f"revoked, or pasted incompletely: create a new JSON key for {email} (IAM & Admin › Service "
            "accounts › Keys › Add key) and paste its fields into [gcp_service_account].")
    if status == 401:
        return SourceError(
            f"Google did not accept the credentials of {email} (HTTP 401). Create a new JSON key for the "
            "service account and paste its fields into [gcp_service_account].")
    if status == 429:
        return SourceError(
            f"Google's request limit for the Sheets API was reached (HTTP 429, {tries}). "
            "The dashboard tries again at the next refresh.")
    if status is not None and status >= 500:
        return SourceError(
            f"Google Sheets answered with a server error (HTTP {status}, {tries}). "
            "The dashboard tries again at the next refresh.")
    if isinstance(exc, APIError):
        detail = _google_message(exc)
        return SourceError(f"Google Sheets refused the request (HTTP {status}{': ' + detail if detail else ''}).")
    if _is_timeout(exc):
        return SourceError(
            f"Google Sheets did not answer within {conf.timeout:g} seconds ({tries}). "
            "The dashboard tries again at the next refresh.")
    if isinstance(exc, (requests.ConnectionError, auth_errors.TransportError)):
        return SourceError(
            f"Could not connect to Google ({tries}): check the server's internet connection. "
            "The dashboard tries again at the next refresh.")
    return SourceError(
        f"The Google Sheet could not be read: unexpected {exc.__class__.__name__} (details are in the server log).")


# -- the client and the read ------------------------------------------------------------


def _a1(tab: str) -> str:
    """A whole tab as an A1 range (quoted, so any tab name works)."""
    return "'" + tab.replace("'", "''") + "'"


def _http_client_class(api_base: str) -> type:
    """gspread's HTTP client with a size-bounded values read, sending Sheets API calls to ``api_base``
    when it is not Google (a test stand-in)."""
    from gspread.exceptions import APIError
    from gspread.http_client import HTTPClient
    from gspread.urls import SPREADSHEET_VALUES_BATCH_URL

    base = api_base.rstrip("/")

    class BoundedHTTPClient(HTTPClient):
        """Rewrites ``https://sheets.googleapis.com`` to the configured base; reads values in pieces."""

        def request(self, method, endpoint, *args, **kwargs):
            if base != GOOGLE_SHEETS_BASE and endpoint.startswith(GOOGLE_SHEETS_BASE):
                endpoint = base + endpoint[len(GOOGLE_SHEETS_BASE):]
            return super().request(method, endpoint, *args, **kwargs)

        def values_batch_get_bounded(self, key: str, ranges: list[str], params: dict, max_bytes: int) -> Any:
            """values:batchGet, refused with a plain message once the answer passes ``max_bytes``
            (read in pieces, so an oversized answer is never held whole)."""
            url = SPREADSHEET_VALUES_BATCH_URL % key
            if base != GOOGLE_SHEETS_BASE:
                url = base + url[len(GOOGLE_SHEETS_BASE):]
            response = self.session.request("get", url, params={**params, "ranges": ranges},
                                            timeout=self.timeout, stream=True)
            try:
                if not response.ok:
                    raise APIError(response)
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise _too_large(max_bytes)
                body = bytearray()
                for piece in response.iter_content(chunk_size=1 << 20):
                    body += piece
                    if len(body) > max_bytes:
                        raise _too_large(max_bytes)
                return json.loads(body)
            finally:
                response.close()

    return BoundedHTTPClient


def _too_large(max_bytes: int) -> SourceError:
    return SourceError(
        f"The Google Sheet's answer is larger than {max_bytes // (1024 * 1024):,} MB, more than the dashboard "
        "reads: remove rows or tabs that aren't responses (spam posts with very long texts, for instance).")


def service_account_credentials(conf: SheetSettings):
    """Read-only service-account credentials from ``[gcp_service_account]`` (plain message when unusable)."""
    from google.oauth2.service_account import Credentials

    info = conf.account
    if not info:
        raise SourceError(
            "The secrets have a [sheets] section but no [gcp_service_account]: paste the fields of the "
            "service account's JSON key there (see .streamlit/secrets.toml.example).")
    missing = [k for k in REQUIRED_ACCOUNT_FIELDS if not info.get(k)]
    if missing:
        raise SourceError(
            f"[gcp_service_account] lacks {', '.join(missing)}: paste every field of the service account's "
            "JSON key file.")
    key = info["private_key"]
    if "\\n" in key and "\n" not in key:  # pasted with literal \n escapes
        info["private_key"] = key.replace("\\n", "\n")
    try:
        return Credentials.from_service_account_info(info, scopes=list(SCOPES))
    except Exception as exc:  # never echo key material
        log.warning("Service-account key could not be parsed: %s", exc.__class__.__name__)
        raise SourceError(
            f"The private_key in [gcp_service_account] could not be read as a key ({exc.__class__.__name__}). "
            "Paste it exactly as in the JSON key file, from -----BEGIN PRIVATE KEY----- to "
            "-----END PRIVATE KEY-----, in triple quotes.") from None


@dataclass(frozen=True)
class _Metadata:
    title: str
    tabs: tuple[str, ...]


class SheetReader:
    """One spreadsheet read through a service account; the client and tab list are kept between reads.

    Each ``read()`` makes one values request for all tabs (plus, once per client, a metadata
    request for the title and tab names, and a token request when the token is due).
    """

    def __init__(self, conf: SheetSettings, tabs: TabNames | None = None, *, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], Any] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 limits: Limits = LIMITS):
        self.conf, self.tabs, self.limits = conf, tabs or TabNames(), limits
        self.policy = policy or conf.policy
        self._sleep, self._clock = sleep, clock
        self._client = None
        self._meta: _Metadata | None = None
        self._lock = threading.Lock()
        self.attempts = 0

    @property
    def title(self) -> str:
        return self._meta.title if self._meta else ""

    def _http(self):
        if self._client is None:
            import gspread

            client = gspread.Client(auth=service_account_credentials(self.conf),
                                    http_client=_http_client_class(self.conf.api_base))
            client.set_timeout((min(CONNECT_TIMEOUT, self.conf.timeout), self.conf.timeout))
            self._client = client
        return self._client.http_client

    def _metadata(self, key: str) -> _Metadata:
        if self._meta is None:
            meta = self._http().fetch_sheet_metadata(key, params={"fields": METADATA_FIELDS})
            self._meta = _Metadata(
                title=str(meta.get("properties", {}).get("title", "")),
                tabs=tuple(str(s.get("properties", {}).get("title", "")) for s in meta.get("sheets", [])))
        return self._meta

    def _choose_tabs(self, meta: _Metadata) -> dict[str, str | None]:
        chosen: dict[str, str | None] = {}
        for name, wanted, setting in (("feedback", self.tabs.feedback, "feedback_tab"),
                                      ("survey", self.tabs.survey, "survey_tab"),
                                      ("pages", self.tabs.pages, "pages_tab")):
            tab = _pick_tab(meta.tabs, wanted)
            if tab is None and name != "pages":
                self._meta = None  # the tabs may be fixed by the next read
                raise SourceError(
                    f"The Google Sheet '{meta.title}' has no '{wanted}' tab (tabs found: "
                    f"{', '.join(meta.tabs) or 'none'}). Rename the tab, or set [sheets] {setting} to its name.")
            chosen[name] = tab
        return chosen

    def _read_once(self) -> RawTables:
        self.attempts += 1
        key = self.conf.key
        http = self._http()
        meta = self._metadata(key)
        chosen = self._choose_tabs(meta)
        tabs = [t for t in chosen.values() if t is not None]
        try:
            answer = http.values_batch_get_bounded(key, [_a1(t) for t in tabs], dict(VALUE_PARAMS),
                                                   self.limits.max_response_bytes)
        except Exception as exc:
            if http_status(exc) == 400:
                self._meta = None  # a tab was renamed or deleted since the tab list was read
            raise
        ranges = answer.get("valueRanges", [])
        values = {t: (ranges[i].get("values", []) if i < len(ranges) else []) for i, t in enumerate(tabs)}
        tables: dict[str, pd.DataFrame | None] = {}
        cells = 0
        for name, tab in chosen.items():
            if tab is None:
                tables[name] = None
                continue
            tables[name] = table = table_from_rows(values[tab], where=f"The Google Sheet's tab '{tab}'",
                                                   limits=self.limits, max_cells=self.limits.max_cells - cells)
            cells += table.size + len(table.columns)
        info = SourceInfo("sheet", meta.title or "Google Sheet", pd.Timestamp.now(tz="UTC"), self.conf.url)
        return RawTables(tables["feedback"], tables["survey"], tables["pages"], info)

    def read(self) -> RawTables:
        """The tabs as raw tables (``SourceError`` with a plain message when they can't be read)."""
        with self._lock:
            self.attempts = 0
            try:
                return call_with_retries(self._read_once, self.policy, sleep=self._sleep, clock=self._clock)
            except Exception as exc:
                error = explain(exc, self.conf, self.attempts)
                log.warning("Reading the Google Sheet failed after %d attempt(s): %s [%s: %s]", self.attempts,
                            error, exc.__class__.__name__, exc, exc_info=not _expected(exc))
                raise error from None


def read_sheet(conf: SheetSettings, tabs: TabNames | None = None) -> RawTables:
    """One read of the sheet with a fresh client (the command line)."""
    return SheetReader(conf, tabs).read()


# -- the shared feed --------------------------------------------------------------------


@dataclass(frozen=True)
class FeedStatus(Generic[T]):
    """What the feed holds: the last good data and, when the latest read failed, why and since when.

    Times are seconds since the epoch (``clock()``); ``version`` counts finished reads.
    """

    data: T | None = None
    loaded_at: float | None = None
    attempted_at: float | None = None
    failed_since: float | None = None
    error: str | None = None
    next_read_at: float | None = None
    version: int = 0
    forced: bool = False
    refused_until: float | None = None

    @property
    def failing(self) -> bool:
        return self.error is not None


class LiveFeed(Generic[T]):
    """Data shared by every session: read at most once per ``ttl`` (successful or not), plus at
    most one forced read per ``force_interval``; the last good data is kept when a read fails.

    When a read is due and another thread is already reading, callers that have data get the
    last good data at once; only the very first read makes callers wait.
    """

    def __init__(self, load: Callable[[], T], ttl: float, *, force_interval: float = FORCE_INTERVAL,
                 clock: Callable[[], float] = time.time):
        self._load, self.ttl, self.force_interval, self.clock = load, ttl, force_interval, clock
        self._read_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._status: FeedStatus[T] = FeedStatus()
        self._last_forced: float | None = None

    def status(self) -> FeedStatus[T]:
        with self._state_lock:
            return self._status

    def _due(self, now: float) -> bool:
        at = self._status.attempted_at
        return at is None or now >= at + self.ttl

    def _read(self) -> None:
        started = self.clock()
        try:
            data, error = self._load(), None
        except SourceError as exc:
            data, error = None, str(exc)
        except Exception as exc:  # never a traceback for a viewer; details to the server log
            log.exception("Unexpected error reading the live source")
            data, error = None, f"Unexpected {exc.__class__.__name__} (details are in the server log)."
        now = self.clock()
        with self._state_lock:
            old = self._status
            if error is None:
                self._status = FeedStatus(data, now, started, None, None, started + self.ttl, old.version + 1)
            else:
                self._status = FeedStatus(old.data, old.loaded_at, started, old.failed_since or started, error,
                                          started + self.ttl, old.version + 1)

    def get(self, force: bool = False) -> FeedStatus[T]:
        """The current status, reading first when a read is due (or forced and allowed)."""
        now = self.clock()
        if force:
            with self._state_lock:
                if self._last_forced is not None and now < self._last_forced + self.force_interval:
                    return replace(self._status, refused_until=self._last_forced + self.force_interval)
                self._last_forced = now
            with self._read_lock:
                if (self._status.attempted_at or -1) < now:  # nobody read since the button was pressed
                    self._read()
            return replace(self.status(), forced=True)
        with self._state_lock:
            if not self._due(now):
                return self._status
            have_data = self._status.data is not None
        if not self._read_lock.acquire(blocking=not have_data):
            return self.status()  # someone else is reading: serve the last good data meanwhile
        try:
            if self._due(self.clock()):
                self._read()
        finally:
            self._read_lock.release()
        return self.status()
