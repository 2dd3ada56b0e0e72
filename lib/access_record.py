"""The access record: one structured line per sign-in, refusal, reveal and download.

Each event is one JSON object on one line, written to the logger ``consultation_insight.access``
(INFO; to stderr, i.e. the server log, unless logging is configured elsewhere) and kept in a
bounded, thread-safe ring buffer shared by the whole server process, so analysts can read
the most recent entries on the Data quality page (``recent_access``). The buffer is lost on
restart; the server log is the lasting record.

Fields: ``time`` (UTC, ISO 8601), ``event``, ``who`` (the address the decision used, or
"anonymous"), ``role``, ``page``, ``filters`` (only those set), ``rows``, ``email`` (whether
e-mail addresses were included) and ``detail``. Values are JSON-escaped, so text a viewer
chose (a search, a filter) can't forge a line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import sys
import threading
from collections import deque
from collections.abc import Mapping
from enum import StrEnum

import pandas as pd

LOGGER_NAME = "consultation_insight.access"
#: How many entries the process keeps for the Data quality page.
KEEP = 500
COLUMNS = ["time", "event", "who", "role", "page", "filters", "rows", "email", "detail"]

log = logging.getLogger(LOGGER_NAME)


class Event(StrEnum):
    SIGN_IN = "sign-in"
    REFUSAL = "refusal"
    REVEAL = "reveal"
    DOWNLOAD = "download"


def _plain(value: object) -> object:
    """A filter value as JSON can hold it (tuples → lists, dates → ISO text)."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def filters_dict(filters: object) -> dict[str, object]:
    """The filters that are set (a ``Filters`` dataclass or a mapping), as plain JSON values."""
    if filters is None:
        return {}
    if dataclasses.is_dataclass(filters) and not isinstance(filters, type):
        items = {f.name: getattr(filters, f.name) for f in dataclasses.fields(filters)}
        defaults = {f.name: f.default for f in dataclasses.fields(filters)
                    if f.default is not dataclasses.MISSING}
        items = {k: v for k, v in items.items() if not (k in defaults and v == defaults[k])}
    elif isinstance(filters, Mapping):
        items = dict(filters)
    else:
        raise TypeError(f"filters must be a dataclass or a mapping, not {type(filters).__name__}")
    return {str(k): _plain(v) for k, v in items.items() if v not in (None, "", (), [], {})}


def access_entry(event: Event | str, *, who: str | None, role: str = "", page: str = "", filters: object = None,
                 rows: int | None = None, email: bool = False, detail: str = "",
                 when: dt.datetime | None = None) -> dict[str, object]:
    """One access event as a flat dict (see the module docstring for the fields)."""
    when = when or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        raise ValueError("access_entry needs a time with a time zone")
    return {
        "time": when.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "event": str(Event(event)),
        "who": who or "anonymous",
        "role": str(role),
        "page": page,
        "filters": filters_dict(filters),
        "rows": None if rows is None else int(rows),
        "email": bool(email),
        "detail": detail,
    }


def format_entry(entry: Mapping[str, object]) -> str:
    """The entry as one line of JSON (ASCII only: no line break or control character survives)."""
    return json.dumps(entry, ensure_ascii=True, separators=(", ", ": "))


class AccessLog:
    """A bounded ring buffer of the most recent entries, safe to use from any thread."""

    def __init__(self, keep: int = KEEP):
        self._entries: deque[dict[str, object]] = deque(maxlen=keep)
        self._lock = threading.Lock()

    def add(self, entry: dict[str, object]) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, object]]:
        """The entries held, newest first."""
        with self._lock:
            return list(reversed(self._entries))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


#: The process-wide record read by ``recent_access``.
ACCESS_LOG = AccessLog()
_handler_lock = threading.Lock()


def _ensure_handler() -> None:
    """Make the lines reach the server log: without any handler configured, write them to stderr."""
    if log.handlers or logging.getLogger().handlers:
        if log.level == logging.NOTSET:
            log.setLevel(logging.INFO)
        return
    with _handler_lock:
        if not log.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(message)s"))
            log.addHandler(handler)
            log.setLevel(logging.INFO)
            log.propagate = False


def record_access(event: Event | str, **fields) -> dict[str, object]:
    """Log one access event (``access_entry``'s keyword arguments) and keep it for ``recent_access``."""
    entry = access_entry(event, **fields)
    ACCESS_LOG.add(entry)
    _ensure_handler()
    log.info(format_entry(entry))
    return entry


def recent_access(limit: int | None = None, record: AccessLog | None = None) -> pd.DataFrame:
    """The most recent entries, newest first, as a table (``time`` as UTC timestamps, ``filters`` as JSON)."""
    entries = (record or ACCESS_LOG).entries()[:limit]
    frame = pd.DataFrame(entries, columns=COLUMNS)
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    frame["filters"] = [json.dumps(f, ensure_ascii=False, sort_keys=True) for f in frame["filters"]]
    frame["rows"] = frame["rows"].astype("Int64")
    frame["email"] = frame["email"].astype(bool)
    return frame
