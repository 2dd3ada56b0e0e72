"""Normalisation of the per-page feedback table, and the rules shared with the survey.

Rules (see README): headers matched loosely with aliases; all-empty rows
ignored; text kept as typed and trimmed; honeypot → spam; repeat posts within
10 minutes → duplicates; reactions and roles matched to the form's options;
page URLs matched to site pages; timestamps from dates, serial numbers, ISO
8601 or UK day-first text. Every non-empty row read is kept in the output with
``is_spam``/``is_duplicate`` flags, so nothing is silently dropped.

Every per-cell parser is total (a value or "bad", counted by kind with its rows).
The per-row work runs vectorised on the whole table; should it still raise, the
rows that make it raise are found by halving and quarantined (``isolate_rows``):
counted and listed with the reason, while the rest of the table loads as usual.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .cells import WHITESPACE_CLASS, blank_text, cell_text, finite_number, is_blank
from .consultation import NOT_GIVEN, UNKNOWN_PAGE, UNRECOGNISED, Consultation, loose_key, match_key
from .errors import SourceError
from .limits import LIMITS, Limits
from .pages_meta import PageMatcher, SiteMeta

log = logging.getLogger("consultation_insight.normalise")

DUPLICATE_WINDOW = pd.Timedelta(minutes=10)
SERIAL_EPOCH = pd.Timestamp("1899-12-30")

FEEDBACK_COLUMNS = [
    "submitted_at", "page_url", "page_path", "page_title", "page_label", "section",
    "reaction", "summary", "details", "role", "role_group", "organisation", "email",
    "is_spam", "is_duplicate",
]

#: canonical name → accepted header keys (``loose_key`` of the header).
FEEDBACK_ALIASES: dict[str, tuple[str, ...]] = {
    "submitted_at": ("timestamp", "submitted", "submittedat", "date"),
    "page_url": ("page", "pageurl", "url"),
    "reaction": ("nature", "reaction", "reflection"),
    "summary": ("summary",),
    "details": ("details", "detail"),
    "role": ("role",),
    "organisation": ("org", "organisation", "organization"),
    "email": ("email",),
    "hp_field": ("hpfield", "honeypot"),
}
FEEDBACK_REQUIRED = ("page_url", "role", "summary")
#: how a missing required column is named to people (the form's field name).
FIELD_NAMES = {"page_url": "page", "role": "role", "summary": "summary"}


#: kinds of bad value counted on kept rows → how the Data quality page names them
BAD_VALUE_KINDS: dict[str, str] = {
    "timestamp": "Timestamp missing or unreadable (or outside 1678–2261)",
    "page": "Page address matching no page (or unparsable, or over 2,048 characters)",
    "reaction": "Reaction that is not an option of the form",
    "role": "Role that is not an option of the form",
    "score": "Score ignored (not a whole number 1–5, unknown idea, or a cell too long or deeply nested)",
    "activity": "Ticked activity not on the longlist (or a cell too long or deeply nested)",
}


@dataclass(frozen=True)
class TableQuality:
    """What normalisation counted for one table: nothing is dropped without a count here.

    Every non-empty row read is kept, spam, a duplicate or quarantined. ``bad_values`` counts
    the bad values of kept rows by kind (see ``BAD_VALUE_KINDS``) and ``bad_rows`` lists their
    sheet rows; ``quarantined`` maps the sheet row of each row that could not be normalised to why.
    """

    table: str
    rows_read: int
    spam: int
    duplicates: int
    bad_timestamps: int
    extra_columns: Mapping[str, int] = field(default_factory=dict)
    unrecognised: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    unmatched_pages: int = 0
    unmatched_urls: Mapping[str, int] = field(default_factory=dict)
    bad_scores: int = 0
    bad_score_values: Mapping[str, int] = field(default_factory=dict)
    unknown_activities: int = 0
    unknown_activity_values: Mapping[str, int] = field(default_factory=dict)
    bad_values: Mapping[str, int] = field(default_factory=dict)
    bad_rows: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    quarantined: Mapping[int, str] = field(default_factory=dict)

    @property
    def kept(self) -> int:
        return self.rows_read - self.spam - self.duplicates - len(self.quarantined)


def bad_by_kind(per_row: Mapping[str, pd.Series], kept: pd.Series) -> tuple[dict[str, int], dict[str, tuple[int, ...]]]:
    """kind → number of bad values per row (aligned on the table) → totals and sheet rows of kept rows."""
    values, rows = {}, {}
    for kind, n in per_row.items():
        n = n[kept].astype(int)
        values[kind] = int(n.sum())
        rows[kind] = tuple(int(r) for r in n.index[n.to_numpy() > 0])
    return values, rows


#: the sheet rows listed for one kind of bad value (the rest are counted)
ROWS_LISTED = 20


def bad_values_table(q: TableQuality) -> pd.DataFrame:
    """What the Data quality page lists: each kind of bad value that occurred, how many, and where."""
    def where(rows: tuple[int, ...]) -> str:
        shown = ", ".join(map(str, rows[:ROWS_LISTED]))
        return shown + (f" and {len(rows) - ROWS_LISTED:,} more" if len(rows) > ROWS_LISTED else "")

    kinds = [k for k, n in q.bad_values.items() if n]
    return pd.DataFrame({"Kind": [BAD_VALUE_KINDS.get(k, k) for k in kinds],
                         "Values": [q.bad_values[k] for k in kinds],
                         "Sheet rows": [where(q.bad_rows.get(k, ())) for k in kinds]})


def quarantine_table(q: TableQuality) -> pd.DataFrame:
    """The quarantined rows: sheet row and why it could not be normalised."""
    return pd.DataFrame({"Sheet row": list(q.quarantined), "Reason": list(q.quarantined.values())})


# -- quarantine -----------------------------------------------------------------

def _reason(exc: BaseException) -> str:
    """Why a row was quarantined, without the exception's message (it may quote the row's cells,
    e-mail addresses included): its kind and where in ``lib`` it was raised. Details go to the log."""
    frames = traceback.extract_tb(exc.__traceback__)[1:]  # from the call of the work on, not the catcher
    ours = [f for f in frames if Path(f.filename).parent.name == "lib"]
    here = ours[-1] if ours else (frames[-1] if frames else None)
    where = f" in {here.name} ({Path(here.filename).name}:{here.lineno})" if here else ""
    return f"{exc.__class__.__name__}{where}; details in the server log"


def isolate_rows(rows: pd.DataFrame, work: Callable[[pd.DataFrame], pd.DataFrame], table: str,
                 limits: Limits = LIMITS) -> tuple[pd.DataFrame, dict[int, str]]:
    """``work`` (per-row, vectorised) on all rows at once; when it raises, the rows that make it raise
    are found by halving and quarantined (sheet row → reason), the others worked on as usual.

    The common case costs one call. With k failing rows among n it costs about 2·k·log2(n/k) calls;
    once ``limits.max_isolation_calls`` are spent, each part still waiting is tried once more and,
    if it fails, quarantined whole (at most 2·log2(n) further calls).
    """
    try:
        return work(rows), {}
    except MemoryError:
        raise  # not a row's fault: halving would only make it worse
    except Exception as exc:
        log.warning("%s tab: normalising the rows failed; looking for the rows that fail", table, exc_info=True)
        first = exc
    quarantined: dict[int, str] = {}
    calls = 1

    def run(part: pd.DataFrame) -> list[pd.DataFrame]:
        nonlocal calls
        calls += 1
        try:
            return [work(part)]
        except MemoryError:
            raise
        except Exception as exc:
            if len(part) == 1 or calls >= limits.max_isolation_calls:
                reason = _reason(exc)
                quarantined.update((int(r), reason) for r in part.index)
                log.warning("%s tab: quarantined sheet row(s) %s: %s: %s", table, ", ".join(map(str, part.index[:20])),
                            exc.__class__.__name__, exc)
                return []
            mid = len(part) // 2
            return run(part.iloc[:mid]) + run(part.iloc[mid:])

    if len(rows) == 1:
        quarantined[int(rows.index[0])] = _reason(first)
        log.warning("%s tab: quarantined sheet row %s", table, rows.index[0])
        done = []
    else:
        mid = len(rows) // 2
        done = run(rows.iloc[:mid]) + run(rows.iloc[mid:])
    if done:
        return pd.concat(done), quarantined
    return work(rows.iloc[:0]), quarantined  # every row failed: the empty table's columns


# -- columns ------------------------------------------------------------------


def map_columns(
    raw: pd.DataFrame,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    table: str,
    field_names: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Canonical name → source header, and the headers left over (extra columns).

    Headers match ignoring case, spaces, underscores and punctuation; the first
    of several headers for one canonical name wins, the others are extras.
    """
    by_alias = {a: canon for canon, keys in aliases.items() for a in keys}
    mapping: dict[str, str] = {}
    extras: list[str] = []
    for header in raw.columns:
        canon = by_alias.get(loose_key(str(header)))
        if canon and canon not in mapping:
            mapping[canon] = header
        else:
            extras.append(header)
    for canon in required:
        if canon not in mapping:
            name = (field_names or {}).get(canon, canon)
            found = ", ".join(map(str, raw.columns)) or "none"
            raise SourceError(f"{table} tab: required column '{name}' is missing (columns found: {found}).")
    return mapping, extras


def as_text(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """Cells as trimmed text, typed values kept as typed ("007" stays "007"); empty → ""."""
    if values is None:
        return pd.Series("", index=index, dtype=object)
    if is_text_column(values):  # a CSV's column: trimmed in pyarrow; each distinct text one Python object
        return _shared_objects(values.fillna("").str.strip(), index)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        # all text (or empty): the common case for sheets and CSVs, done in one vectorised pass
        return values.astype(object).where(values.notna(), "").astype(str).str.strip().astype(object)
    return values.map(cell_text).astype(object)


def trimmed(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """``as_text``'s text, left in pyarrow for a column of text: for what is matched or compared rather
    than kept (options, the honeypot)."""
    if values is not None and is_text_column(values):
        return values.fillna("").str.strip()
    return as_text(values, index)


_IS_BLANK = np.frompyfunc(is_blank, 1, 1)


def _shared_objects(values: pd.Series, index: pd.Index) -> pd.Series:
    """``values`` as an object column in which equal texts are one Python object (a column of a few
    page addresses or roles then costs a pointer per row, not a string)."""
    codes, uniques = pd.factorize(values)
    return pd.Series(np.asarray(uniques, dtype=object)[codes], index=index, dtype=object)


def per_distinct(values: pd.Series, work: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``work(values)`` for an element-wise ``work``, done on the distinct values only and spread back
    to every row (a column of a few roles or pages costs a lookup per row, not a ``map``)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    done = work(pd.Series(uniques, dtype=values.dtype))
    out = done.take(codes) if len(codes) else work(values.iloc[:0])
    out.index = values.index
    return out


def is_text_column(values: pd.Series) -> bool:
    """Whether a column holds only text (pandas' string dtype, as the CSV reader gives)."""
    return isinstance(values.dtype, pd.StringDtype)


def filled_cells(frame: pd.DataFrame) -> np.ndarray:
    """True where a cell holds something (not ``None``, NaN or only whitespace). Columns of text are
    checked vectorised, one by one; all others in one pass over their cells (a table costs the same
    whether it is tall or 16,384 columns wide)."""
    if frame.empty:
        return np.zeros(frame.shape, dtype=bool)
    text = [i for i in range(frame.shape[1]) if is_text_column(frame.iloc[:, i])]
    if not text:
        return ~_IS_BLANK(frame.to_numpy(dtype=object)).astype(bool)
    out = np.empty(frame.shape, dtype=bool)
    others = [i for i in range(frame.shape[1]) if i not in set(text)]
    if others:
        out[:, others] = ~_IS_BLANK(frame.iloc[:, others].to_numpy(dtype=object)).astype(bool)
    for i in text:
        out[:, i] = ~blank_text(frame.iloc[:, i])
    return out


def non_empty_rows(raw: pd.DataFrame) -> pd.DataFrame:
    """Drop rows whose cells are all empty (they are not responses and are not counted)."""
    if raw.empty:
        return raw
    filled = filled_cells(raw).any(axis=1)
    return raw if filled.all() else raw[filled]  # no copy when there is nothing to drop


def extra_column_counts(raw: pd.DataFrame, extras: Sequence[str]) -> dict[str, int]:
    """Extra column → number of non-empty cells (listed on the data-quality page)."""
    if not len(extras):
        return {}
    filled = filled_cells(raw[list(extras)]).sum(axis=0)
    return {str(c): int(n) for c, n in zip(extras, filled)}


# -- timestamps -----------------------------------------------------------------

_SERIAL = re.compile(r"\d+(?:\.\d+)?")
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?",
    re.I,
)
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")

#: How a UK-locale Google Sheet exports a timestamp: ``dd/mm/yyyy hh:mm:ss``, 19 ASCII characters.
_EXPORTED_LAYOUT = np.frombuffer(b"dd/dd/dddd dd:dd:dd", dtype=np.uint8)
_DIGITS = _EXPORTED_LAYOUT == ord("d")  # noqa: SIM300 - an array compared with a number


def _exported_times(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Which texts are timestamps as the sheet exports them, and those times (datetime64[us]; NaT
    elsewhere), by arithmetic on their characters, without a regular expression or a Python call
    per text. Taken only where ``_parse_text`` reads exactly the same: ASCII digits where the layout
    has them, hours 00–23, minutes and seconds 00–59, a day the month has (never 31/04 or
    29/02/2027). Anything else is left to ``_parse_text``."""
    n = len(texts)
    times = np.full(n, np.datetime64("NaT", "us"))
    fits = (texts.str.len() == 19).to_numpy(dtype=bool, na_value=False)
    if not fits.any():
        return np.zeros(n, dtype=bool), times
    # one character a byte: anything outside ASCII becomes "?", which no digit or separator matches
    chars = np.frombuffer("".join(texts[fits].tolist()).encode("ascii", "replace"), dtype=np.uint8).reshape(-1, 19)
    is_digit = (chars >= ord("0")) & (chars <= ord("9"))
    ok = is_digit[:, _DIGITS].all(axis=1) & (chars[:, ~_DIGITS] == _EXPORTED_LAYOUT[~_DIGITS]).all(axis=1)
    values = chars.astype(np.int64) - ord("0")

    def number(start: int, width: int) -> np.ndarray:
        return values[:, start:start + width] @ (10 ** np.arange(width - 1, -1, -1))

    day, month, year = number(0, 2), number(3, 2), number(6, 4)
    hour, minute, second = number(11, 2), number(14, 2), number(17, 2)
    ok &= (day >= 1) & (month >= 1) & (month <= 12) & (hour <= 23) & (minute <= 59) & (second <= 59)
    month_start = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    date = month_start.astype("datetime64[D]") + (day - 1)
    ok &= date.astype("datetime64[M]") == month_start  # the month has that day
    when = date.astype("datetime64[us]") + (hour * 3600 + minute * 60 + second).astype("timedelta64[s]")
    at = np.flatnonzero(fits)
    taken = np.zeros(n, dtype=bool)
    taken[at[ok]] = True
    times[at[ok]] = when[ok]
    return taken, times


#: timestamps are read from 1678 to 2261: inside what pandas holds, with room for time zones
FIRST_TIMESTAMP = np.datetime64("1678-01-01T00:00:00", "us")
END_TIMESTAMP = np.datetime64("2262-01-01T00:00:00", "us")
_NAT = np.datetime64("NaT", "ns")
_EPOCH_US = SERIAL_EPOCH.to_datetime64().astype("datetime64[us]")
_MAX_SERIAL = float((END_TIMESTAMP - _EPOCH_US) / np.timedelta64(1, "D"))
_PY_EPOCH = dt.datetime(1899, 12, 30)

_NONE, _DT, _DT_AWARE, _DATE, _NUM, _STR = range(6)
_KIND_OF_TYPE: dict[type, int] = {
    str: _STR, float: _NUM, int: _NUM, np.float64: _NUM, np.int64: _NUM, dt.datetime: _DT, pd.Timestamp: _DT,
    dt.date: _DATE, type(None): _NONE, bool: _NONE, type(pd.NaT): _NONE,
}


def _kind(value: object) -> int:
    kind = _KIND_OF_TYPE.get(type(value))
    if kind is None:
        if isinstance(value, (bool, np.bool_)) or value is pd.NaT:
            kind = _NONE
        elif isinstance(value, (dt.datetime, np.datetime64)):
            kind = _DT
        elif isinstance(value, dt.date):
            kind = _DATE
        elif isinstance(value, (int, float, np.integer, np.floating)):
            kind = _NUM
        elif isinstance(value, str):
            kind = _STR
        else:
            kind = _NONE
    if kind == _DT and getattr(value, "tzinfo", None) is not None:
        kind = _DT_AWARE
    return kind


def _bounded(values: np.ndarray) -> np.ndarray:
    """datetime64 values of any unit as nanoseconds; outside 1678–2261 (or NaT) → NaT."""
    us = np.asarray(values).astype("datetime64[us]")
    ok = (us >= FIRST_TIMESTAMP) & (us < END_TIMESTAMP)
    return np.where(ok, us, np.datetime64("NaT", "us")).astype("datetime64[ns]")


def _from_serials(days: np.ndarray) -> np.ndarray:
    """Serial day numbers (days since 1899-12-30, to the second) → datetime64[ns]; bad → NaT."""
    days = np.asarray(days, dtype=float)
    ok = np.isfinite(days) & (days > 0) & (days < _MAX_SERIAL)
    seconds = np.rint(np.where(ok, days, 0.0) * 86400).astype(np.int64)
    when = _EPOCH_US + seconds.astype("timedelta64[s]")
    return np.where(ok, when, np.datetime64("NaT", "us")).astype("datetime64[ns]")


def _parse_text(text: str) -> float | dt.datetime | None:
    """Typed text → a serial day number, a datetime (naive = local time, or aware), or ``None``."""
    text = text.strip()
    if not text:
        return None
    try:
        if _SERIAL.fullmatch(text):
            return float(text)
        if m := _ISO.fullmatch(text):
            y, mo, d, h, mi, s, frac, off = m.groups()
            micro = int((frac or "0")[:6].ljust(6, "0"))
            value = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), micro)
            if off:
                if off.upper() == "Z":
                    tz = dt.UTC
                else:
                    sign = -1 if off[0] == "-" else 1
                    digits = off[1:].replace(":", "")
                    tz = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))
                value = value.replace(tzinfo=tz)
            return value
        if m := _UK.fullmatch(text):
            d, mo, y, h, mi, s = m.groups()
            return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except (ValueError, OverflowError):  # e.g. 31/02/2026, hour 25, year 0, offset of 24 hours
        return None
    return None


def _utc_naive(value: dt.datetime) -> dt.datetime | None:
    """An aware datetime as naive UTC (``None`` when that falls outside Python's years 1–9999)."""
    try:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None


def _datetimes(values: list) -> np.ndarray:
    """Naive datetimes (or ``None``) → datetime64[ns], outside 1678–2261 → NaT."""
    try:
        return _bounded(pd.to_datetime(np.array(values, dtype=object), errors="coerce").to_numpy())
    except Exception:  # one odd value spoils the vectorised conversion: convert one by one
        return np.array([_one_datetime(v) for v in values], dtype="datetime64[ns]")


def _one_datetime(value: object) -> np.datetime64:
    try:
        return _bounded(np.array([np.datetime64(value, "us")]))[0]
    except Exception:
        return _NAT


def _serial_number(value: object) -> float:
    number = finite_number(value)
    return np.nan if number is None else number


def parse_timestamps(values: pd.Series, tz: str = "Europe/London") -> pd.Series:
    """Timestamps as tz-aware datetimes; naive values are local time in ``tz``; bad → NaT. Never raises.

    Accepts date cells, serial day numbers (days since 1899-12-30, as numbers or
    digits in text), ISO 8601 (``T`` or space, optional offset) and UK
    ``dd/mm/yyyy HH:MM[:SS]`` (always day first). Anything else, and any time
    outside the years 1678–2261 (beyond what pandas can hold), is bad.
    Vectorised by kind of cell: date cells and numbers in one pass each, text once per distinct value.
    """
    n = len(values)
    local = np.full(n, _NAT)  # naive: local time in tz
    utc = np.full(n, _NAT)    # given with an offset: UTC
    if is_text_column(values):
        # a CSV's column: text or missing. The sheet's own export format is read vectorised; what
        # that leaves unread (other forms, impossible dates) is parsed one distinct text at a time.
        kinds = np.where(values.isna().to_numpy(), _NONE, _STR).astype(np.int8)
        exported, times = _exported_times(values)
        local[exported] = _bounded(times[exported])
        kinds[exported] = _NONE  # read: nothing left to do (outside 1678–2261 is missing either way)
        cells = np.empty(n, dtype=object)
        cells[kinds == _STR] = values[kinds == _STR].to_numpy(dtype=object)
    else:
        cells = values.to_numpy(dtype=object)
        kinds = np.fromiter(map(_kind, cells), dtype=np.int8, count=n)

    if (at := np.flatnonzero(kinds == _DT)).size:
        local[at] = _datetimes(list(cells[at]))
    if (at := np.flatnonzero(kinds == _DATE)).size:
        local[at] = _datetimes([dt.datetime(d.year, d.month, d.day) for d in cells[at]])
    if (at := np.flatnonzero(kinds == _NUM)).size:
        local[at] = _from_serials(np.fromiter(map(_serial_number, cells[at]), dtype=float, count=at.size))
    if (at := np.flatnonzero(kinds == _DT_AWARE)).size:
        utc[at] = _datetimes([_utc_naive(v) for v in cells[at]])
    if (at := np.flatnonzero(kinds == _STR)).size:
        codes, texts = pd.factorize(cells[at])  # each distinct text is parsed once
        parsed = [_parse_text(t) for t in texts]
        naive = [p if isinstance(p, dt.datetime) and p.tzinfo is None else None for p in parsed]
        found = _datetimes(naive)
        if serial := [i for i, p in enumerate(parsed) if isinstance(p, float)]:
            found[serial] = _from_serials(np.array([parsed[i] for i in serial], dtype=float))
        local[at] = found[codes]
        if aware := [i for i, p in enumerate(parsed) if isinstance(p, dt.datetime) and p.tzinfo is not None]:
            found_utc = np.full(len(parsed), _NAT)
            found_utc[aware] = _datetimes([_utc_naive(parsed[i]) for i in aware])
            utc[at] = found_utc[codes]

    out = pd.Series(local, index=values.index)
    out = out.dt.tz_localize(tz, ambiguous=np.ones(n, dtype=bool), nonexistent="shift_forward")
    if not np.isnat(utc).all():
        given = pd.Series(utc, index=values.index).dt.tz_localize("UTC").dt.tz_convert(tz)
        out = out.where(given.isna(), given)
    return out.astype(f"datetime64[ns, {tz}]")


# -- options, identity, duplicates --------------------------------------------


def match_options(values: pd.Series, by_key: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """Typed values → the form's own spelling, ``Not given`` or ``Unrecognised``.

    Returns the labels and, aligned, the typed text of unrecognised values.
    """
    def label(text: str) -> str:
        if not text:
            return NOT_GIVEN
        return by_key.get(match_key(text), UNRECOGNISED)

    codes, uniques = pd.factorize(values, use_na_sentinel=False)  # each distinct text matched once
    uniques = list(uniques)
    found = np.array([label(v) for v in uniques], dtype=object)
    bad = np.array([v if lab == UNRECOGNISED else "" for v, lab in zip(uniques, found)], dtype=object)
    return (pd.Series(found[codes], index=values.index, dtype=object),
            pd.Series(bad[codes], index=values.index, dtype=object))




#: Every character Python's ``str.isspace`` accepts, spelt out: pandas runs a class like this
#: in pyarrow (vectorised), whereas ``\s`` makes it fall back to Python's ``re`` per cell.
_WHITESPACE_RUN = WHITESPACE_CLASS + "+"


def identity(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """A row's identity for duplicate detection: fields trimmed, runs of whitespace collapsed."""
    parts = [frame[c].astype(str).astype("str").str.replace(_WHITESPACE_RUN, " ", regex=True).str.strip()
             for c in columns]
    out = parts[0]
    for p in parts[1:]:
        out = out + "\x1f" + p
    return out


#: What ``identity`` changes in a text: whitespace other than a single inner space (every character
#: ``str.isspace`` accepts besides the space, a run of spaces, a space at either end).
_NEEDS_COLLAPSE = ("[" + "".join(re.escape(chr(i)) for i in range(0x3001) if chr(i).isspace() and chr(i) != " ")
                   + "]|  |^ | $")


def _normalised_codes(values: pd.Series) -> np.ndarray:
    """Codes per row, equal exactly where ``identity``'s text of the field is equal (each distinct
    text normalised once). pyarrow's trim removes exactly what ``str.isspace`` calls whitespace, so
    for text ``" ".join(text.split())`` is ``identity``'s collapse-and-trim."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    try:
        texts = pa.array(np.asarray(uniques, dtype=object), type=pa.string())
    except (pa.ArrowException, TypeError, ValueError):
        texts = None
    if texts is not None and not texts.null_count:
        # only the texts with something to collapse are normalised (in Python) and looked up among
        # the others, which are their own normal form
        odd = np.flatnonzero(pc.match_substring_regex(texts, _NEEDS_COLLAPSE).to_numpy(zero_copy_only=False))
        if not len(odd):
            return codes
        merged = np.arange(len(uniques))
        position = {u: i for i, u in enumerate(uniques)}
        for i in odd:
            normal = " ".join(uniques[i].split())
            merged[i] = position.setdefault(normal, len(position))
        return merged[codes]
    # anything but text: exactly as ``identity`` spells it (missing stays missing: code -1)
    codes, uniques = pd.factorize(values.astype(str).astype("str"))
    normal = pd.Series(uniques, dtype="str").str.replace(_WHITESPACE_RUN, " ", regex=True).str.strip()
    merged, _ = pd.factorize(normal)
    return np.where(codes >= 0, merged[np.maximum(codes, 0)] if len(merged) else -1, -1)


def identity_codes(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """A number per row, equal exactly where ``identity(frame, columns)`` is equal, without building the
    joined text (what duplicate detection groups by). The fields' own whitespace, the separator
    ``\x1f`` included, is collapsed to spaces, so equal joined texts mean equal fields."""
    key = np.zeros(len(frame), dtype=np.int64)
    missing = np.zeros(len(frame), dtype=bool)
    for c in columns:
        codes = _normalised_codes(frame[c])
        missing |= codes < 0
        width = int(codes.max()) + 2 if len(codes) else 1
        key, _ = pd.factorize(key * width + codes + 1)  # both below the number of rows: no overflow
    if missing.any():  # a missing field makes ``identity`` missing, which groups with nothing
        return pd.Series(pd.array(key, dtype="Int64"), index=frame.index).mask(missing)
    return pd.Series(key, index=frame.index)


def flag_duplicates(ident: pd.Series, when: pd.Series, eligible: pd.Series,
                    window: pd.Timedelta = DUPLICATE_WINDOW) -> pd.Series:
    """True where an identical eligible row was submitted at most ``window`` before.

    Rows without a timestamp are never duplicates (their timing is unknown).
    """
    mask = eligible & when.notna()
    frame = pd.DataFrame({"ident": ident[mask], "when": when[mask], "pos": np.arange(len(ident))[mask.to_numpy()]})
    frame = frame.sort_values(["when", "pos"], kind="stable")
    # ``when <= previous + window`` rather than ``when - previous <= window``: two readable times can
    # be 583 years apart (1678–2261), more than a nanosecond timedelta holds
    previous = frame.groupby("ident", sort=False)["when"].shift()
    close = (frame["when"] <= previous + window).to_numpy()
    dup = pd.Series(False, index=ident.index)
    dup.loc[frame.index[close]] = True
    return dup


def duplicates(frame: pd.DataFrame, columns: Sequence[str], when: pd.Series, eligible: pd.Series) -> pd.Series:
    """``flag_duplicates`` of ``identity(frame, columns)``, worked out only for the rows that share their
    first column's text with another row: a repeat is identical in every column, so a row whose first
    column (the summary, say) is its own can be neither a repeat nor repeated."""
    first = _normalised_codes(frame[columns[0]])
    shared = np.bincount(first - first.min(), minlength=1)[first - first.min()] > 1 if len(first) else first > 0
    if first.min(initial=0) < 0:  # a missing first field: identity is missing, no row with it is a repeat
        shared &= first >= 0
    out = pd.Series(False, index=frame.index)
    if shared.any():
        part = frame[shared]
        out[shared] = flag_duplicates(identity_codes(part, columns), when[shared], eligible[shared]).to_numpy()
    return out


def counts(values: pd.Series) -> dict[str, int]:
    """Value → count for non-empty texts, most common first (ties in order of first appearance, as
    ``Counter.most_common`` orders them)."""
    present = values[(values != "").to_numpy(dtype=bool)]
    codes, uniques = pd.factorize(present)
    n = np.bincount(codes, minlength=len(uniques))
    order = np.argsort(-n, kind="stable")
    return {uniques[i]: int(n[i]) for i in order}


# -- the feedback table -----------------------------------------------------------


def submitted_at(rows: pd.DataFrame, mapping: Mapping[str, str], tz: str) -> pd.Series:
    """The timestamp column parsed (all missing when the table has none)."""
    if "submitted_at" in mapping:
        return parse_timestamps(rows[mapping["submitted_at"]], tz)
    return pd.Series(pd.NaT, index=rows.index, dtype=f"datetime64[ns, {tz}]")


def _feedback_rows(rows: pd.DataFrame, mapping: Mapping[str, str], consultation: Consultation) -> pd.DataFrame:
    """The per-row part of normalising feedback (each row on its own; no row looks at another)."""
    idx = rows.index

    def text(canon: str) -> pd.Series:
        return as_text(rows[mapping[canon]] if canon in mapping else None, idx)

    out = pd.DataFrame(index=idx)
    out["submitted_at"] = submitted_at(rows, mapping, consultation.timezone)
    out["page_url"] = text("page_url")
    def typed(canon: str) -> pd.Series:
        return trimmed(rows[mapping[canon]] if canon in mapping else None, idx)

    out["reaction"], out["_bad_reaction"] = match_options(typed("reaction"), consultation.reaction_by_key)
    out["summary"] = text("summary")
    out["details"] = text("details")
    out["role"], out["_bad_role"] = match_options(typed("role"), consultation.role_by_key)
    out["role_group"] = per_distinct(out["role"], lambda r: r.map(consultation.group_of_role).fillna(r))
    out["organisation"] = text("organisation")
    out["email"] = text("email")
    out["is_spam"] = (typed("hp_field") != "").to_numpy(dtype=bool)
    return out


def normalise_feedback(raw: pd.DataFrame, site: SiteMeta, consultation: Consultation,
                       table: str = "Feedback", limits: Limits = LIMITS) -> tuple[pd.DataFrame, TableQuality]:
    """Raw per-page feedback → canonical frame (every non-empty row, flagged) and its counts.

    Rows that can't be normalised are left out of the frame and listed in ``quality.quarantined``.
    """
    mapping, extras = map_columns(raw, FEEDBACK_ALIASES, FEEDBACK_REQUIRED, table, FIELD_NAMES)
    rows = non_empty_rows(raw)
    out, quarantined = isolate_rows(rows, lambda part: _feedback_rows(part, mapping, consultation), table, limits)

    # across rows: page matching learns base paths from other rows; duplicates compare rows
    meta = site.pages.set_index("path")
    page_columns = {"page_title": lambda p: p.map(meta["title"]).fillna(UNKNOWN_PAGE),
                    "page_label": lambda p: p.map(meta["label"]).fillna(UNKNOWN_PAGE),
                    "section": lambda p: p.map(meta["section"]).fillna("")}
    if len(out):  # each distinct address matched, and its page looked up, once
        codes, urls = pd.factorize(out["page_url"], use_na_sentinel=False)
        paths = pd.Series(PageMatcher(site).match(list(urls)))
        out["page_path"] = paths.array.take(codes)
        for name, look_up in page_columns.items():
            out[name] = look_up(paths).array.take(codes)
    else:
        out["page_path"] = []
        for name, look_up in page_columns.items():
            out[name] = look_up(out["page_path"])
    out["is_duplicate"] = duplicates(out, ["summary", "page_path", "role", "reaction", "details", "organisation",
                                           "email"], out["submitted_at"], ~out["is_spam"])

    kept = ~(out["is_spam"] | out["is_duplicate"])
    unknown = out["page_path"] == UNKNOWN_PAGE
    bad_values, bad_rows = bad_by_kind({
        "timestamp": out["submitted_at"].isna(), "page": unknown,
        "reaction": out["_bad_reaction"] != "", "role": out["_bad_role"] != "",
    }, kept)
    quality = TableQuality(
        table=table,
        rows_read=len(rows),
        spam=int(out["is_spam"].sum()),
        duplicates=int(out["is_duplicate"].sum()),
        bad_timestamps=bad_values["timestamp"],
        extra_columns=extra_column_counts(rows, extras),
        unrecognised={"reaction": counts(out["_bad_reaction"][kept]), "role": counts(out["_bad_role"][kept])},
        unmatched_pages=bad_values["page"],
        unmatched_urls=counts(out["page_url"][kept & unknown].replace("", "(empty)")),
        bad_values=bad_values,
        bad_rows=bad_rows,
        quarantined=dict(sorted(quarantined.items())),
    )
    return out[FEEDBACK_COLUMNS], quality
