"""Normalisation of the main survey table (``MainFeedback``).

One row per response plus two long tables: scores (idea, measure, score 1–5)
and ticked activities. Scores come as one JSON object cell per measure or as
one column per idea; activities as a JSON array or entries joined by ", ",
"; " or newlines, split by matching the known longlist (activity texts may
contain commas themselves). A score or activity cell longer or more deeply
nested than the limits (``lib.limits``) is ignored whole and counted once.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from .cells import cell_text, load_json, within_list_limits
from .consultation import Consultation, loose_key, match_key
from .limits import LIMITS, Limits
from .normalise import (
    TableQuality,
    as_text,
    bad_by_kind,
    counts,
    extra_column_counts,
    flag_duplicates,
    identity_codes,
    isolate_rows,
    map_columns,
    match_options,
    non_empty_rows,
    per_distinct,
    submitted_at,
    trimmed,
)

#: canonical name → accepted header keys; the measures' own columns come from the consultation
#: (``survey_aliases``).
SURVEY_ALIASES: dict[str, tuple[str, ...]] = {
    "submitted_at": ("timestamp", "submitted", "submittedat", "date"),
    "page_url": ("page", "pageurl", "url"),
    "role": ("role",),
    "organisation": ("org", "organisation", "organization"),
    "email": ("email",),
    "activities": ("activities", "activity"),
    "section": ("section",),
    "comments": ("comments", "comment"),
    "hp_field": ("hpfield", "honeypot"),
}
SURVEY_REQUIRED = ("role",)

SURVEY_COLUMNS = [
    "response_id", "submitted_at", "role", "role_group", "organisation", "email",
    "section", "comments", "n_scored", "n_activities", "is_spam", "is_duplicate",
]
SCORE_COLUMNS = ["response_id", "idea", "measure", "score"]
ACTIVITY_COLUMNS = ["response_id", "activity_section", "activity", "label"]

def survey_aliases(consultation: Consultation) -> dict[str, tuple[str, ...]]:
    """The survey's header aliases: the fixed fields, and one JSON column per measure
    (``rank_<key>`` or the key itself, as the consultation names them)."""
    measures = {m.field: tuple(dict.fromkeys(loose_key(w) for w in (m.field, m.key))) for m in consultation.measures}
    return SURVEY_ALIASES | measures


@functools.lru_cache(maxsize=8)
def _score_header(consultation: Consultation) -> tuple[re.Pattern, dict[str, str]]:
    """The pattern of a per-idea score header, and which measure each of its words names."""
    words = {loose_key(w): m.key for m in consultation.measures for w in m.words}
    spelt = sorted({w.replace("_", "[ _]?") for m in consultation.measures for w in m.words}, key=len, reverse=True)
    pattern = re.compile(rf"\s*({'|'.join(spelt)})\s*[\s:\-_.]\s*(.+)", re.I)
    return pattern, words


def score_column(header: str, consultation: Consultation) -> tuple[str, str] | None:
    """(measure, idea) for a per-idea score header such as ``usefulness: Data tool collaboration``."""
    pattern, words = _score_header(consultation)
    m = pattern.fullmatch(str(header))
    if not m:
        return None
    idea = consultation.idea_by_key.get(loose_key(m.group(2)))
    measure = words.get(loose_key(m.group(1)))
    return (measure, idea) if idea and measure else None


def parse_score(value: object) -> int | None:
    """A score 1–5 from a number or text; anything else (infinite, NaN, huge, 2.5, "n/a") → ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= 5 else None
    if isinstance(value, float):
        number = value
    else:
        text = cell_text(value)
        if not re.fullmatch(r"[+]?\d+(\.0+)?", text):
            return None
        number = float(text)  # a long run of digits is inf: not a score
    return int(number) if number.is_integer() and 1 <= number <= 5 else None


#: a bad value is listed on the Data quality page cut to this many characters
MAX_SHOWN_CHARS = 80


def shown(text: str) -> str:
    """A bad value as listed: at most ``MAX_SHOWN_CHARS`` characters."""
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 1] + "…"


class ActivityMatcher:
    """Splits ticked-activity cells into longlist entries (``"<Section>: <activity>"``)."""

    _SEPARATORS = re.compile(r"[\s,;]*")

    def __init__(self, consultation: Consultation):
        self.labels = consultation.activity_labels
        self.by_key = {match_key(lab): lab for lab in self.labels}
        self.section_of = {f"{s}: {a}": s for s, items in consultation.activities for a in items}
        self.activity_of = {f"{s}: {a}": a for s, items in consultation.activities for a in items}

        def pattern(label: str) -> str:
            words = [re.escape(w).replace("'", "['’]").replace("’", "['’]") for w in label.split()]
            return r"\s+".join(words)

        ordered = sorted(self.labels, key=len, reverse=True)
        self._pattern = "|".join(f"({pattern(lab)})" for lab in ordered)
        self._ordered = ordered

    @functools.cached_property
    def _entry(self) -> re.Pattern:
        """The longlist as one pattern, compiled when first needed (only joined cells need it; it
        takes tens of milliseconds to compile)."""
        return re.compile(self._pattern, re.I)

    def split(self, cell: str, limits: Limits = LIMITS) -> tuple[list[str], list[str]]:
        """(known labels, unknown fragments) in one cell; a cell too long or too deeply nested to
        read is one unknown fragment."""
        text = cell.strip()
        if not text:
            return [], []
        if not within_list_limits(text, limits):
            return [], [shown(text)]
        if text.startswith("["):
            items = load_json(text, limits)
            if isinstance(items, list):
                known, unknown = [], []
                for item in items:
                    item_text = cell_text(item)
                    label = self.by_key.get(match_key(item_text))
                    (known if label else unknown).append(label or shown(item_text))
                return known, [u for u in unknown if u]
        return self._split_joined(text)

    def _split_joined(self, text: str) -> tuple[list[str], list[str]]:
        known, unknown = [], []
        pos = 0
        while pos < len(text):
            pos = self._SEPARATORS.match(text, pos).end()
            if pos >= len(text):
                break
            m = self._entry.match(text, pos)
            after = text[m.end():].lstrip(" \t") if m else ""
            if m and (not after or after[0] in ",;\n\r"):
                known.append(self._ordered[m.lastindex - 1])
                pos = m.end()
                continue
            nxt = re.compile(r"[,;\n]").search(text, pos)
            end = nxt.start() if nxt else len(text)
            unknown.append(text[pos:end].strip())
            pos = end
        return known, [u for u in unknown if u]


def _json_scores(cell: str, consultation: Consultation, bad: list[str], limits: Limits) -> dict[str, int]:
    if not cell:
        return {}
    obj = load_json(cell, limits)
    if not isinstance(obj, dict):
        bad.append(shown(cell))
        return {}
    out: dict[str, int] = {}
    for name, value in obj.items():
        idea = consultation.idea_by_key.get(loose_key(str(name)))
        score = parse_score(value)
        if idea is None or score is None:
            bad.append(shown(f"{name}: {cell_text(value)}"))
            continue
        out.setdefault(idea, score)
    return out


def _distinct_rows(columns: list[pd.Series], n: int) -> tuple[np.ndarray, list[int]]:
    """For rows described by ``columns``: each row's combination (numbered in order of first
    appearance) and the first row of each combination."""
    key = np.zeros(n, dtype=np.int64)
    for values in columns:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        key, _ = pd.factorize(key * (len(uniques) + 1) + codes)
    first = np.full(int(key.max()) + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first, key, np.arange(n))
    return key, first.tolist()


def _read_scores(json_texts: tuple[str | None, ...], idea_values: list[object],
                 idea_headers: list[tuple[str, tuple[str, str]]], consultation: Consultation, limits: Limits
                 ) -> tuple[dict[tuple[str, str], int], list[str]]:
    """One row's scores, (measure, idea) → score, and its bad score values: the JSON cell of each
    measure first, then the per-idea columns for anything not yet scored."""
    scored: dict[tuple[str, str], int] = {}
    bad: list[str] = []
    for measure, cell in zip((m.key for m in consultation.measures), json_texts):
        if cell is None:
            continue
        for idea, score in _json_scores(cell, consultation, bad, limits).items():
            scored.setdefault((measure, idea), score)
    for (header, (measure, idea)), value in zip(idea_headers, idea_values):
        cell = cell_text(value)
        if not cell:
            continue
        score = parse_score(value)
        if score is None:
            bad.append(shown(f"{header}: {cell}"))
        else:
            scored.setdefault((measure, idea), score)
    return scored, bad


def _survey_rows(rows: pd.DataFrame, mapping: dict[str, str], per_idea: dict[str, tuple[str, str]],
                 consultation: Consultation, matcher: ActivityMatcher, limits: Limits) -> pd.DataFrame:
    """The per-row part of normalising the survey (each row on its own; no row looks at another)."""
    idx = rows.index

    def text(canon: str) -> pd.Series:
        return as_text(rows[mapping[canon]] if canon in mapping else None, idx)

    resp = pd.DataFrame(index=idx)
    resp["submitted_at"] = submitted_at(rows, mapping, consultation.timezone)
    resp["role"], resp["_bad_role"] = match_options(trimmed(rows[mapping["role"]], idx), consultation.role_by_key)
    resp["role_group"] = per_distinct(resp["role"], lambda r: r.map(consultation.group_of_role).fillna(r))
    resp["organisation"] = text("organisation")
    resp["email"] = text("email")
    resp["section"] = text("section")
    resp["comments"] = text("comments")
    resp["is_spam"] = (trimmed(rows[mapping["hp_field"]] if "hp_field" in mapping else None, idx) != "").to_numpy(
        dtype=bool)

    # scores: JSON cells first, then per-idea columns for anything not yet scored. Rows whose score
    # cells are the same share one reading: each distinct combination is read once.
    measures = [m.key for m in consultation.measures]
    json_cells = [trimmed(rows[mapping[f"rank_{m}"]], idx) if f"rank_{m}" in mapping else None for m in measures]
    idea_headers = list(per_idea.items())
    if idea_headers:  # typed cells, where 1, 1.0 and True read differently: by type and value, row by row
        texts = [None if cells is None else cells.tolist() for cells in json_cells]
        idea_cells = [rows[header].to_numpy(dtype=object, na_value=None) for header in per_idea]
        readings: dict[tuple, tuple[dict[tuple[str, str], int], list[str]]] = {}
        scored: list[dict[tuple[str, str], int]] = []
        bad_scores: list[list[str]] = []
        for i in range(len(idx)):
            cells = tuple(None if t is None else t[i] for t in texts)
            values = tuple((type(c[i]), c[i]) for c in idea_cells)
            found = readings.get((cells, values))
            if found is None:
                found = readings[(cells, values)] = _read_scores(cells, [v for _, v in values], idea_headers,
                                                                consultation, limits)
            scored.append(found[0])
            bad_scores.append(found[1])
    else:
        key, first = _distinct_rows([c for c in json_cells if c is not None], len(idx))
        found_all = [_read_scores(tuple(None if c is None else c.iat[i] for c in json_cells), [], [], consultation,
                                  limits) for i in first]
        scored = [found_all[k][0] for k in key]
        bad_scores = [found_all[k][1] for k in key]

    activity_cells = trimmed(rows[mapping["activities"]], idx) if "activities" in mapping else None
    acts, first = _distinct_rows([] if activity_cells is None else [activity_cells], len(idx))
    split_all = []
    for i in first:  # each distinct cell split once
        known, unknown = matcher.split("" if activity_cells is None else activity_cells.iat[i], limits)
        split_all.append((list(dict.fromkeys(known)), unknown))
    ticked = [split_all[k][0] for k in acts]
    unknown_acts = [split_all[k][1] for k in acts]

    for name, values in (("_scored", scored), ("_bad_scores", bad_scores), ("_ticked", ticked),
                         ("_unknown_acts", unknown_acts)):
        resp[name] = pd.Series(values, index=idx, dtype=object)
    return resp


def _by_object(items: list) -> tuple[np.ndarray, list]:
    """Each item's distinct object (numbered in order of first appearance) and those objects: rows
    that read the same cells share one object, so its work is done once."""
    codes, _ = pd.factorize(np.fromiter(map(id, items), dtype=np.int64, count=len(items)))
    first = np.full(int(codes.max()) + 1 if len(items) else 0, len(items), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(items)))
    return codes, [items[i] for i in first]


def _once_each(items: list, make: Callable[[object], object]) -> list:
    """``make(item)`` for each item, worked out once per distinct object."""
    codes, distinct = _by_object(items)
    made = [make(item) for item in distinct]
    return [made[k] for k in codes]


def _long_table(response_ids: np.ndarray, per_row: list, entries: Callable[[object], list[tuple]],
                columns: list[str]) -> pd.DataFrame:
    """A long table: for each response, one row per entry of its object (``entries(obj)``: tuples of the
    other columns), in order. Each distinct object's entries are listed once, then taken for every
    response sharing it (vectorised)."""
    which, distinct = _by_object(per_row)
    flat: list[tuple] = []
    starts: list[int] = []
    lengths: list[int] = []
    for item in distinct:
        found = entries(item)
        starts.append(len(flat))
        lengths.append(len(found))
        flat.extend(found)
    counts = np.asarray(lengths, dtype=np.int64)[which] if len(per_row) else np.zeros(0, dtype=np.int64)
    total = int(counts.sum())
    if not total:
        return pd.DataFrame([], columns=columns)
    row_of = np.repeat(np.arange(len(per_row)), counts)
    take = np.repeat(np.asarray(starts, dtype=np.int64)[which] - (np.cumsum(counts) - counts), counts) \
        + np.arange(total)

    def column(values: Sequence[object], at: np.ndarray):
        if isinstance(values[0], str):  # taken in pyarrow: no Python object per row
            return pd.array(list(values), dtype="str").take(at)
        return np.asarray(values, dtype=object)[at]

    data = {columns[0]: column(response_ids, row_of)}
    for name, values in zip(columns[1:], zip(*flat)):
        data[name] = column(values, take)
    return pd.DataFrame(data, columns=columns)


def normalise_survey(raw: pd.DataFrame, consultation: Consultation, table: str = "MainFeedback",
                     limits: Limits = LIMITS) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, TableQuality]:
    """Raw survey → (responses, scores, activities, counts). Every non-empty row is kept, flagged;
    rows that can't be normalised are left out and listed in ``quality.quarantined``."""
    per_idea = {h: score_column(h, consultation) for h in raw.columns}
    per_idea = {h: v for h, v in per_idea.items() if v is not None}
    plain = raw[[c for c in raw.columns if c not in per_idea]]
    mapping, extras = map_columns(plain, survey_aliases(consultation), SURVEY_REQUIRED, table)
    rows = non_empty_rows(raw)
    matcher = ActivityMatcher(consultation)
    resp, quarantined = isolate_rows(
        rows, lambda part: _survey_rows(part, mapping, per_idea, consultation, matcher, limits), table, limits)
    idx = resp.index
    scored, ticked = resp["_scored"].tolist(), resp["_ticked"].tolist()

    resp.insert(0, "response_id", [f"S{r}" for r in idx])
    resp["n_scored"] = [len(s) for s in scored]
    resp["n_activities"] = [len(t) for t in ticked]
    score_key = pd.Series(_once_each(scored, lambda sc: "|".join(f"{m}/{i}={s}" for (m, i), s in sorted(sc.items()))),
                          index=idx, dtype=object)
    act_key = pd.Series(_once_each(ticked, lambda t: "|".join(sorted(t))), index=idx, dtype=object)
    ident = identity_codes(
        resp.assign(_scores=score_key, _acts=act_key),
        ["role", "organisation", "email", "_scores", "_acts", "comments"],
    )
    resp["is_duplicate"] = flag_duplicates(ident, resp["submitted_at"], ~resp["is_spam"])

    rid = resp["response_id"].to_numpy(dtype=object)
    scores = _long_table(rid, scored, lambda sc: [(idea, measure, s) for (measure, idea), s in sc.items()],
                         SCORE_COLUMNS)
    scores["score"] = scores["score"].astype(int)
    acts = _long_table(rid, ticked, lambda t: [(matcher.section_of[lab], matcher.activity_of[lab], lab) for lab in t],
                       ACTIVITY_COLUMNS)

    kept = ~(resp["is_spam"] | resp["is_duplicate"])
    kept_rows = kept.to_numpy()
    bad_scores, unknown_acts = resp["_bad_scores"].tolist(), resp["_unknown_acts"].tolist()
    bad_counter = Counter(v for i, vs in enumerate(bad_scores) if kept_rows[i] for v in vs)
    unknown_counter = Counter(v for i, vs in enumerate(unknown_acts) if kept_rows[i] for v in vs)
    bad_values, bad_rows = bad_by_kind({
        "timestamp": resp["submitted_at"].isna(), "role": resp["_bad_role"] != "",
        "score": pd.Series([len(v) for v in bad_scores], index=idx, dtype=int),
        "activity": pd.Series([len(v) for v in unknown_acts], index=idx, dtype=int),
    }, kept)
    quality = TableQuality(
        table=table,
        rows_read=len(rows),
        spam=int(resp["is_spam"].sum()),
        duplicates=int(resp["is_duplicate"].sum()),
        bad_timestamps=bad_values["timestamp"],
        extra_columns=extra_column_counts(rows, extras),
        unrecognised={"role": counts(resp["_bad_role"][kept])},
        bad_scores=sum(bad_counter.values()),
        bad_score_values=dict(bad_counter.most_common()),
        unknown_activities=sum(unknown_counter.values()),
        unknown_activity_values=dict(unknown_counter.most_common()),
        bad_values=bad_values,
        bad_rows=bad_rows,
        quarantined=dict(sorted(quarantined.items())),
    )
    return resp[SURVEY_COLUMNS], scores, acts, quality
