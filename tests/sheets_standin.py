"""A local stand-in for Google's OAuth token endpoint and the Sheets API v4, for tests.

Started on 127.0.0.1 and a free port, in a thread of the test process. It answers
like Google: the token endpoint takes a service account's signed JWT (the signature
is verified with the public half of a key generated here; the audience must be
Google's token URL, which google-auth uses whatever ``token_uri`` says) and returns
a bearer token; the Sheets API serves spreadsheet metadata and values batchGet,
with Google-shaped JSON errors ``{"error": {"code", "message", "status"}}``
(401 bad token, 403 not shared, 404 unknown key, 400 unknown range).

Cells are stored as typed in a sheet (text, numbers, datetimes). With
``valueRenderOption=UNFORMATTED_VALUE`` and ``dateTimeRenderOption=SERIAL_NUMBER``
a datetime is sent as a serial day number; otherwise everything is sent as
formatted text, dates month-first as a US-locale sheet would, so a client asking
for the wrong rendering gets misread dates. Trailing empty cells and rows are
omitted, as the API does.

Requests are counted per endpoint (``token``, ``metadata``, ``values``) and
faults can be queued per endpoint: an HTTP status (JSON error body), ``Fault(502,
html=True)`` (a non-JSON body), ``HANG`` (never answers) or ``DROP`` (closes the
connection).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
READONLY_SCOPE = "https://www.googleapis.com/auth/spreadsheets.readonly"
SERIAL_EPOCH = dt.datetime(1899, 12, 30)
STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 502: "UNAVAILABLE", 503: "UNAVAILABLE",
                504: "DEADLINE_EXCEEDED"}


@dataclass(frozen=True)
class Fault:
    """What the stand-in does instead of answering normally."""

    status: int = 500
    html: bool = False         # a non-JSON body (as a proxy or load balancer sends)
    hang: bool = False         # never answer (until the stand-in is closed)
    drop: bool = False         # close the connection without an answer
    headers: tuple = ()
    message: str = ""


HANG = Fault(hang=True)
DROP = Fault(drop=True)


@dataclass
class Sheet:
    title: str
    tabs: dict[str, list[list]]
    shared_with: set[str] = field(default_factory=set)


@lru_cache(maxsize=8)
def rsa_key(n: int = 0) -> rsa.RSAPrivateKey:
    """A fresh RSA key per test session (``n`` tells keys apart)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def serial(value: dt.datetime | dt.date) -> float:
    """A date or datetime as a Sheets serial number (days since 1899-12-30)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return (value - SERIAL_EPOCH) / dt.timedelta(days=1)


def _formatted(value) -> str:
    if isinstance(value, dt.datetime):
        return f"{value.month}/{value.day}/{value.year} {value.hour}:{value.minute:02d}:{value.second:02d}"
    if isinstance(value, dt.date):
        return f"{value.month}/{value.day}/{value.year}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return "" if value is None else str(value)


def _cell(value, unformatted: bool, serials: bool):
    if not unformatted:
        return _formatted(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return serial(value) if serials else _formatted(value)
    return "" if value is None else value


def _column(n: int) -> str:
    name = ""
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def _tab_of(a1: str) -> str:
    name = a1.split("!")[0] if "!" in a1 and not a1.endswith("'") else a1
    if name.startswith("'") and name.endswith("'"):
        name = name[1:-1].replace("''", "'")
    return name


class SheetsStandIn:
    """Google's token endpoint and Sheets API v4, as far as the dashboard uses them."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPublicKey] = {}      # service account e-mail → public key
        self.sheets: dict[str, Sheet] = {}
        self.tokens: dict[str, tuple[str, float]] = {}   # token → (e-mail, expiry)
        self.counts: Counter[str] = Counter()
        self.log: list[dict] = []
        self.faults: dict[str, list[Fault]] = {}
        self.persistent: dict[str, Fault] = {}
        self.token_lifetime = 3600
        self.api_disabled = False
        self._lock = threading.Lock()
        self._release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.token_uri = f"{self.url}/token"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    # -- set-up --------------------------------------------------------------------------

    def service_account(self, email: str = "insight-reader@insight-test.iam.gserviceaccount.com",
                        key_number: int = 0, register: bool = True) -> dict[str, str]:
        """The fields of a service account's JSON key file; its public key is known here if ``register``."""
        key = rsa_key(key_number)
        if register:
            self.keys[email] = key.public_key()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        return {
            "type": "service_account", "project_id": "insight-test", "private_key_id": f"key-{key_number}",
            "private_key": pem, "client_email": email, "client_id": "1234567890",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "universe_domain": "googleapis.com",
        }

    def add_sheet(self, key: str, title: str, tabs: dict[str, list[list]], shared_with=()) -> Sheet:
        sheet = Sheet(title, {name: [list(r) for r in rows] for name, rows in tabs.items()}, set(shared_with))
        self.sheets[key] = sheet
        return sheet

    def fail(self, endpoint: str, *faults: Fault | int) -> None:
        """Queue faults for the next requests to ``endpoint`` (``token``, ``metadata``, ``values``)."""
        with self._lock:
            self.faults.setdefault(endpoint, []).extend(f if isinstance(f, Fault) else Fault(f) for f in faults)

    def fail_always(self, endpoint: str, fault: Fault | int | None) -> None:
        """Make every request to ``endpoint`` fail (``None`` heals it)."""
        with self._lock:
            if fault is None:
                self.persistent.pop(endpoint, None)
            else:
                self.persistent[endpoint] = fault if isinstance(fault, Fault) else Fault(fault)

    def requests_to(self, endpoint: str) -> list[dict]:
        return [r for r in self.log if r["endpoint"] == endpoint]

    def close(self) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    # -- serving -------------------------------------------------------------------------

    def _next_fault(self, endpoint: str) -> Fault | None:
        with self._lock:
            queued = self.faults.get(endpoint)
            if queued:
                return queued.pop(0)
            return self.persistent.get(endpoint)

    def _record(self, endpoint: str, handler, query: dict) -> None:
        with self._lock:
            self.counts[endpoint] += 1
            self.log.append({"endpoint": endpoint, "path": handler.path, "query": query, "time": time.monotonic()})

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _send(self, status: int, body, headers=()) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html" if isinstance(body, bytes) else
                                 "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _google_error(self, status: int, message: str, headers=()) -> None:
                self._send(status, {"error": {"code": status, "message": message,
                                              "status": STATUS_NAMES.get(status, "UNKNOWN")}}, headers)

            def _fault(self, endpoint: str) -> bool:
                fault = standin._next_fault(endpoint)
                if fault is None:
                    return False
                if fault.hang:
                    standin._release.wait(120)
                    self.close_connection = True
                    return True
                if fault.drop:
                    self.close_connection = True
                    return True
                if fault.html:
                    self._send(fault.status, b"<html><body><h1>Server Error</h1></body></html>", fault.headers)
                elif endpoint == "token":
                    self._send(fault.status, {"error": fault.message or "internal_failure",
                                              "error_description": "stand-in fault"}, fault.headers)
                else:
                    self._google_error(fault.status, fault.message or f"stand-in fault {fault.status}", fault.headers)
                return True

            def do_POST(self):  # noqa: N802 - the stdlib's name
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                if parsed.path != "/token":
                    return self._google_error(404, "Not found")
                standin._record("token", self, form)
                if self._fault("token"):
                    return None
                return self._token(form)

            def _token(self, form):
                def refuse(error, description):
                    self._send(400, {"error": error, "error_description": description})

                if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
                    return refuse("unsupported_grant_type", "Invalid grant_type.")
                try:
                    head, body, sig = form["assertion"][0].split(".")
                    header, claims = json.loads(_b64decode(head)), json.loads(_b64decode(body))
                except (KeyError, ValueError):
                    return refuse("invalid_request", "Malformed JWT.")
                key = standin.keys.get(claims.get("iss", ""))
                if header.get("alg") != "RS256" or key is None:
                    return refuse("invalid_grant", "Invalid JWT Signature.")
                try:
                    key.verify(_b64decode(sig), f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
                except Exception:
                    return refuse("invalid_grant", "Invalid JWT Signature.")
                if claims.get("aud") != GOOGLE_TOKEN_AUDIENCE:
                    return refuse("invalid_grant", "Invalid JWT: audience.")
                now = time.time()
                if not claims.get("iat", 0) - 300 <= now <= claims.get("exp", 0):
                    return refuse("invalid_grant", "Invalid JWT: Token must be a short-lived token.")
                if READONLY_SCOPE not in str(claims.get("scope", "")).split():
                    return refuse("invalid_scope", "Bad scope.")
                token = uuid.uuid4().hex
                standin.tokens[token] = (claims["iss"], now + standin.token_lifetime)
                return self._send(200, {"access_token": token, "expires_in": standin.token_lifetime,
                                        "token_type": "Bearer"})

            def do_GET(self):  # noqa: N802 - the stdlib's name
                parsed = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(parsed.query)
                path = urllib.parse.unquote(parsed.path)
                prefix = "/v4/spreadsheets/"
                if not path.startswith(prefix):
                    return self._google_error(404, "Not found")
                rest = path[len(prefix):]
                if rest.endswith("/values:batchGet"):
                    endpoint, key = "values", rest[: -len("/values:batchGet")]
                elif "/" not in rest:
                    endpoint, key = "metadata", rest
                else:
                    return self._google_error(404, "Not found")
                standin._record(endpoint, self, query)
                if self._fault(endpoint):
                    return None
                auth = self.headers.get("Authorization", "")
                email, expiry = standin.tokens.get(auth.removeprefix("Bearer "), ("", 0))
                if not email or expiry < time.time():
                    return self._google_error(401, "Request had invalid authentication credentials. Expected "
                                                   "OAuth 2 access token.")
                if standin.api_disabled:
                    return self._google_error(403, "Google Sheets API has not been used in project 1234567890 "
                                                   "before or it is disabled.")
                sheet = standin.sheets.get(key)
                if sheet is None:
                    return self._google_error(404, "Requested entity was not found.")
                if email not in sheet.shared_with:
                    return self._google_error(403, "The caller does not have permission")
                if endpoint == "metadata":
                    return self._send(200, {"properties": {"title": sheet.title},
                                            "sheets": [{"properties": {"title": t}} for t in sheet.tabs]})
                return self._values(key, sheet, query)

            def _values(self, key, sheet, query):
                unformatted = query.get("valueRenderOption") == ["UNFORMATTED_VALUE"]
                serials = query.get("dateTimeRenderOption", ["SERIAL_NUMBER"]) == ["SERIAL_NUMBER"]
                out = []
                for a1 in query.get("ranges", []):
                    tab = _tab_of(a1)
                    if tab not in sheet.tabs:
                        return self._google_error(400, f"Unable to parse range: {a1}")
                    rows = [[_cell(v, unformatted, serials) for v in row] for row in sheet.tabs[tab]]
                    rows = [r[: max([i + 1 for i, v in enumerate(r) if v != ""], default=0)] for r in rows]
                    while rows and not rows[-1]:
                        rows.pop()
                    width = max((len(r) for r in rows), default=1)
                    entry = {"range": f"'{tab}'!A1:{_column(width)}{max(len(rows), 1)}", "majorDimension": "ROWS"}
                    if rows:
                        entry["values"] = rows
                    out.append(entry)
                return self._send(200, {"spreadsheetId": key, "valueRanges": out})

        return Handler


# -- helpers for tests -----------------------------------------------------------------------

SHEET_KEY = "1TestSheetKey_0123456789abcdefghij"
SHEET_URL = f"https://docs.google.com/spreadsheets/d/{SHEET_KEY}/edit#gid=0"


def live_secrets(standin: SheetsStandIn, account: dict, *, access: dict | None = None, **sheets) -> dict:
    """Secrets pointing the dashboard at the stand-in (no waits between attempts unless given).

    Without ``[auth]`` the live sheet is shown only with ``[access] allow_anonymous = true``,
    which is the default here (as on a laptop); pass ``access`` to change it.
    """
    return {"sheets": {"spreadsheet": SHEET_URL, "api_base": standin.url, "retry_waits": [0, 0], **sheets},
            "gcp_service_account": dict(account), "access": access if access is not None else {"allow_anonymous": True}}


def demo_tabs(feedback_rows: int | None = None, survey_rows: int | None = None) -> dict[str, list[list]]:
    """The demo workbook's tabs as typed rows (header first), optionally only their first rows."""
    from openpyxl import load_workbook

    from lib.sources import DEMO_WORKBOOK

    wb = load_workbook(DEMO_WORKBOOK, read_only=True, data_only=True)
    try:
        tabs = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()
    limits = {"Feedback": feedback_rows, "MainFeedback": survey_rows}
    return {t: rows if limits.get(t) is None else rows[: limits[t] + 1] for t, rows in tabs.items()}


def toml_text(secrets: dict, prefix: str = "") -> str:
    """Secrets as a secrets.toml: sections of strings, numbers, booleans and lists (JSON's escapes and
    literals are TOML's); a dict inside a section becomes a sub-section (``[auth.google]``)."""
    lines = []
    for section, values in secrets.items():
        name = f"{prefix}{json.dumps(section) if not re.fullmatch(r'[A-Za-z0-9_-]+', section) else section}"
        lines.append(f"[{name}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in values.items() if not isinstance(v, dict)]
        lines.append("")
        subs = {k: v for k, v in values.items() if isinstance(v, dict)}
        if subs:
            lines.append(toml_text(subs, f"{name}."))
    return "\n".join(lines)
