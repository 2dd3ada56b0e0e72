"""Normalisation of the per-page feedback table, and the rules shared with the survey.

Rules (see README): headers matched loosely with aliases; all-empty rows
ignored; text kept as typed and trimmed; honeypot → spam; repeat posts within
10 minutes → duplicates; reactions and roles matched to the form's options;
page URLs matched to site pages; timestamps from dates, serial numbers, ISO
8601 or UK day-first text. Every non-empty row read is kept in the output with
``is_spam``/``is_duplicate`` flags, so nothing is silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .consultation import NOT_GIVEN, UNKNOWN_PAGE, UNRECOGNISED, Consultation, loose_key, match_key
from .errors import SourceError
from .pages_meta import PageMatcher, SiteMeta

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


@dataclass(frozen=True)
class TableQuality:
    """What normalisation counted for one table: nothing is dropped without a count here."""

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

    @property
    def kept(self) -> int:
        return self.rows_read - self.spam - self.duplicates


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


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def as_text(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """Cells as trimmed text, typed values kept as typed ("007" stays "007"); empty → ""."""
    if values is None:
        return pd.Series("", index=index, dtype=object)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        # all text (or empty): the common case for sheets and CSVs, done in one vectorised pass
        return values.astype(object).where(values.notna(), "").astype(str).str.strip().astype(object)
    return values.map(_cell_text).astype(object)


def non_empty_rows(raw: pd.DataFrame) -> pd.DataFrame:
    """Drop rows whose cells are all empty (they are not responses and are not counted)."""
    if raw.empty:
        return raw
    filled = pd.concat([as_text(raw[c], raw.index) != "" for c in raw.columns], axis=1)
    return raw[filled.any(axis=1).to_numpy()]


def extra_column_counts(raw: pd.DataFrame, extras: Sequence[str]) -> dict[str, int]:
    """Extra column → number of non-empty cells (listed on the data-quality page)."""
    return {str(c): int((as_text(raw[c], raw.index) != "").sum()) for c in extras}


# -- timestamps -----------------------------------------------------------------

_SERIAL = re.compile(r"\d+(?:\.\d+)?")
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?",
    re.I,
)
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_MAX_SERIAL = 2958465  # 9999-12-31


def _from_serial(days: float) -> dt.datetime | None:
    if not 0 < days <= _MAX_SERIAL:
        return None
    return (SERIAL_EPOCH + pd.Timedelta(days=days)).round("s").to_pydatetime()


def _parse_one(value: object) -> dt.datetime | None:
    """One cell → a datetime (naive = local time, or aware), or ``None``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return None if pd.isna(value) else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if value != value else _from_serial(float(value))
    text = str(value).strip()
    if not text:
        return None
    try:
        if _SERIAL.fullmatch(text):
            return _from_serial(float(text))
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
    except ValueError:  # e.g. 31/02/2026 or hour 25
        return None
    return None


def parse_timestamps(values: pd.Series, tz: str = "Europe/London") -> pd.Series:
    """Timestamps as tz-aware datetimes; naive values are local time in ``tz``; bad → NaT.

    Accepts date cells, serial day numbers (days since 1899-12-30, as numbers or
    digits in text), ISO 8601 (``T`` or space, optional offset) and UK
    ``dd/mm/yyyy HH:MM[:SS]`` (always day first).
    """
    parsed = [_parse_one(v) for v in values]
    naive = [p if p is not None and p.tzinfo is None else None for p in parsed]
    local = pd.to_datetime(pd.Series(naive, index=values.index, dtype=object), errors="coerce")
    local = local.dt.tz_localize(tz, ambiguous=np.ones(len(local), dtype=bool), nonexistent="shift_forward")
    aware = [p if p is not None and p.tzinfo is not None else None for p in parsed]
    if any(a is not None for a in aware):
        utc = pd.to_datetime(pd.Series(aware, index=values.index, dtype=object), utc=True, errors="coerce")
        local = local.where(utc.isna(), utc.dt.tz_convert(tz))
    return local.astype(f"datetime64[ns, {tz}]")


# -- options, identity, duplicates --------------------------------------------


def match_options(values: pd.Series, by_key: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """Typed values → the form's own spelling, ``Not given`` or ``Unrecognised``.

    Returns the labels and, aligned, the typed text of unrecognised values.
    """
    def label(text: str) -> str:
        if not text:
            return NOT_GIVEN
        return by_key.get(match_key(text), UNRECOGNISED)

    mapping = {v: label(v) for v in values.unique()}
    labels = values.map(mapping).astype(object)
    return labels, values.where(labels == UNRECOGNISED, "")




#: Every character Python's ``str.isspace`` accepts, spelt out: pandas runs a class like this
#: in pyarrow (vectorised), whereas ``\s`` makes it fall back to Python's ``re`` per cell.
_WHITESPACE_RUN = "[" + "".join(re.escape(chr(i)) for i in range(0x3001) if chr(i).isspace()) + "]+"


def identity(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """A row's identity for duplicate detection: fields trimmed, runs of whitespace collapsed."""
    parts = [frame[c].astype(str).astype("str").str.replace(_WHITESPACE_RUN, " ", regex=True).str.strip()
             for c in columns]
    out = parts[0]
    for p in parts[1:]:
        out = out + "\x1f" + p
    return out


def flag_duplicates(ident: pd.Series, when: pd.Series, eligible: pd.Series,
                    window: pd.Timedelta = DUPLICATE_WINDOW) -> pd.Series:
    """True where an identical eligible row was submitted at most ``window`` before.

    Rows without a timestamp are never duplicates (their timing is unknown).
    """
    mask = eligible & when.notna()
    frame = pd.DataFrame({"ident": ident[mask], "when": when[mask], "pos": np.arange(len(ident))[mask.to_numpy()]})
    frame = frame.sort_values(["when", "pos"], kind="stable")
    gap = frame["when"] - frame.groupby("ident", sort=False)["when"].shift()
    dup = pd.Series(False, index=ident.index)
    dup.loc[frame.index[(gap <= window).to_numpy()]] = True
    return dup


def counts(values: pd.Series) -> dict[str, int]:
    """Value → count for non-empty values, most common first."""
    return dict(Counter(v for v in values if v).most_common())


# -- the feedback table -----------------------------------------------------------


def normalise_feedback(raw: pd.DataFrame, site: SiteMeta, consultation: Consultation,
                       table: str = "Feedback") -> tuple[pd.DataFrame, TableQuality]:
    """Raw per-page feedback → canonical frame (every non-empty row, flagged) and its counts."""
    mapping, extras = map_columns(raw, FEEDBACK_ALIASES, FEEDBACK_REQUIRED, table, FIELD_NAMES)
    rows = non_empty_rows(raw)
    idx = rows.index

    def text(canon: str) -> pd.Series:
        return as_text(rows[mapping[canon]] if canon in mapping else None, idx)

    out = pd.DataFrame(index=idx)
    out["submitted_at"] = (
        parse_timestamps(rows[mapping["submitted_at"]], consultation.timezone)
        if "submitted_at" in mapping
        else pd.Series(pd.NaT, index=idx, dtype=f"datetime64[ns, {consultation.timezone}]")
    )
    out["page_url"] = text("page_url")
    out["page_path"] = PageMatcher(site).match(out["page_url"])
    meta = site.pages.set_index("path")
    out["page_title"] = out["page_path"].map(meta["title"]).fillna(UNKNOWN_PAGE)
    out["page_label"] = out["page_path"].map(meta["label"]).fillna(UNKNOWN_PAGE)
    out["section"] = out["page_path"].map(meta["section"]).fillna("")
    out["reaction"], bad_reaction = match_options(text("reaction"), consultation.reaction_by_key)
    out["summary"] = text("summary")
    out["details"] = text("details")
    out["role"], bad_role = match_options(text("role"), consultation.role_by_key)
    out["role_group"] = out["role"].map(consultation.group_of_role).fillna(out["role"])
    out["organisation"] = text("organisation")
    out["email"] = text("email")
    out["is_spam"] = text("hp_field") != ""
    ident = identity(out, ["page_path", "role", "reaction", "summary", "details", "organisation", "email"])
    out["is_duplicate"] = flag_duplicates(ident, out["submitted_at"], ~out["is_spam"])

    kept = ~(out["is_spam"] | out["is_duplicate"])
    unknown = kept & (out["page_path"] == UNKNOWN_PAGE)
    quality = TableQuality(
        table=table,
        rows_read=len(out),
        spam=int(out["is_spam"].sum()),
        duplicates=int(out["is_duplicate"].sum()),
        bad_timestamps=int((kept & out["submitted_at"].isna()).sum()),
        extra_columns=extra_column_counts(rows, extras),
        unrecognised={"reaction": counts(bad_reaction[kept]), "role": counts(bad_role[kept])},
        unmatched_pages=int(unknown.sum()),
        unmatched_urls=counts(out["page_url"][unknown].replace("", "(empty)")),
    )
    return out[FEEDBACK_COLUMNS], quality
