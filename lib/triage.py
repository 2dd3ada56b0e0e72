"""Triage on response frames: join the store's triage onto responses, filter by status and tag,
and count progress (overall and per page, in site order). Pure functions on DataFrames;
the store itself is ``lib.store``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .identity import IDENTITY

STATUS = "triage_status"
TAGS = "triage_tags"
NOTE = "triage_note"
VERSION = "triage_version"
UPDATED_BY = "triage_updated_by"
UPDATED_AT = "triage_updated_at"
#: Columns ``join_triage`` adds, from ``lib.store.Triage.frame``'s columns.
JOINED = {"status": STATUS, "tags": TAGS, "note": NOTE, "version": VERSION,
          "updated_by": UPDATED_BY, "updated_at": UPDATED_AT}


def join_triage(responses: pd.DataFrame, triage: pd.DataFrame, default_status: str) -> pd.DataFrame:
    """``responses`` (with an ``identity`` column) with their triage: status (``default_status``
    when untriaged), tags (a tuple), note, version (0 when untriaged), who and when."""
    if responses.empty:  # the column types of an empty join are pandas' own
        right = triage[list(JOINED)].rename(columns=JOINED).assign(**{IDENTITY: triage[IDENTITY].to_numpy()})
        out = responses.merge(right.drop_duplicates(IDENTITY), on=IDENTITY, how="left", validate="many_to_one")
        out.index = responses.index
        out[STATUS] = out[STATUS].fillna(default_status).astype(object)
        out[TAGS] = out[TAGS].map(lambda t: t if isinstance(t, tuple) else ())
        out[NOTE] = out[NOTE].fillna("").astype(object)
        out[VERSION] = out[VERSION].fillna(0).astype("int64")
        return out
    right = triage[list(JOINED)].rename(columns=JOINED).set_axis(triage[IDENTITY].to_numpy())
    right = right[~right.index.duplicated()]
    # a left join by position: the responses' columns are not copied (only the triaged rows are looked at)
    joined = right.reindex(responses[IDENTITY].to_numpy()) if len(right) else right.reindex(
        pd.Index([None] * len(responses), dtype=object))
    found = right.index.get_indexer(responses[IDENTITY]) >= 0 if len(right) else np.zeros(len(responses), bool)
    tags: list = [()] * len(responses)
    for i, t in zip(np.flatnonzero(found), joined[TAGS].to_numpy()[found]):
        tags[i] = t if isinstance(t, tuple) else ()
    added = {STATUS: joined[STATUS].fillna(default_status).astype(object),
             TAGS: pd.Series(tags, dtype=object),
             NOTE: joined[NOTE].fillna("").astype(object),
             VERSION: joined[VERSION].fillna(0).astype("int64"),
             UPDATED_BY: joined[UPDATED_BY], UPDATED_AT: joined[UPDATED_AT]}
    return responses.assign(**{name: values.set_axis(responses.index) for name, values in added.items()})


def _tag_key(text: str) -> str:
    return " ".join(str(text).split()).lstrip("#").strip().casefold()


def filter_triage(frame: pd.DataFrame, statuses: Sequence[str] = (), tags: Sequence[str] = (),
                  all_tags: bool = False) -> pd.DataFrame:
    """Rows of a joined frame whose status is one of ``statuses`` and that carry any of ``tags``
    (every one of them with ``all_tags``); tags match ignoring case and spacing; empty = no filter."""
    keep = pd.Series(True, index=frame.index)
    if statuses:
        keep &= frame[STATUS].isin(list(statuses))
    wanted = {_tag_key(t) for t in tags} - {""}
    if wanted:
        have = frame[TAGS].map(lambda ts: {_tag_key(t) for t in ts})
        keep &= have.map(wanted.issubset if all_tags else (lambda h: bool(h & wanted))).astype(bool)
    return frame[keep]


def _status_counts(status: pd.Categorical) -> pd.DataFrame:
    """How many responses (each once) have each status, in ``status``' order of categories."""
    n = np.bincount(status.codes, minlength=len(status.categories))
    return pd.DataFrame({"status": list(status.categories), "responses": n.astype("int64")})


def _progress_by_page(page: pd.Categorical, status: pd.Categorical, pages: pd.DataFrame) -> pd.DataFrame:
    """Per page (site order; pages with the form or with responses): responses (each once), one
    column per status (``status``' categories) and ``triaged`` (not the first status)."""
    statuses = list(status.categories)
    has = page.codes >= 0
    codes = page.codes[has].astype(np.int64)
    seen = np.bincount(codes, minlength=len(page.categories)) > 0
    counts = np.bincount(codes * len(statuses) + status.codes[has],
                         minlength=len(page.categories) * len(statuses)).reshape(-1, len(statuses))
    table = pd.DataFrame(counts[seen], index=pd.Index(page.categories[seen], dtype=object, name="page_path"),
                         columns=statuses)
    known = pages[pages["has_form"] | pages["path"].isin(table.index)]
    rows = known[["path", "label"]].rename(columns={"path": "page_path", "label": "page"})
    unknown = [p for p in table.index if p not in set(known["path"])]
    if unknown:
        rows = pd.concat([rows, pd.DataFrame({"page_path": unknown, "page": unknown})], ignore_index=True)
    out = rows.join(table, on="page_path").fillna({s: 0 for s in statuses})
    for s in statuses:
        out[s] = out[s].astype("int64")
    out.insert(2, "responses", out[statuses].sum(axis=1).astype("int64"))
    out["triaged"] = (out["responses"] - out[statuses[0]]).astype("int64")
    return out.reset_index(drop=True)


def progress(feedback: pd.DataFrame, triage: pd.DataFrame, default_status: str, pages: pd.DataFrame,
             statuses: Sequence[str], *, unique: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How many responses of ``feedback`` (kept, filtered) have each status (``statuses`` in order,
    any other found after them), and the same per page, with the store's ``triage``: each response
    counted once (``unique``: its rows are known to carry distinct identities), its status looked up
    and nothing else joined, the counts made on integer codes."""
    one = feedback if unique else feedback[~feedback[IDENTITY].duplicated().to_numpy()]
    right = triage.drop_duplicates(IDENTITY) if len(triage) else None
    others = (set(right["status"]) if right is not None else set()) | {default_status}
    categories = [*statuses, *sorted(others - set(statuses))]
    code = {s: i for i, s in enumerate(categories)}
    if right is None:
        codes = np.full(len(one), code[default_status], dtype=np.int64)
    else:
        at = _positions(right, one[IDENTITY])
        codes = np.append(right["status"].map(code).to_numpy(dtype=np.int64), code[default_status])[at]
    listed = np.bincount(codes, minlength=len(categories)) > 0   # another status only when a response has it
    listed[:len(statuses)] = True
    recode = np.cumsum(listed) - 1
    status = pd.Categorical.from_codes(recode[codes], categories=[s for s, k in zip(categories, listed) if k])
    return _status_counts(status), _progress_by_page(pd.Categorical(one["page_path"]), status, pages)


def _positions(right: pd.DataFrame, identities: pd.Series) -> np.ndarray:
    """Where each of ``identities`` is in ``right`` (triage rows, one per identity); -1 when absent
    (the triaged few put in a table, every response looked up once)."""
    return pd.Index(right[IDENTITY].to_numpy(dtype=object)).get_indexer(identities.to_numpy(dtype=object))


def statuses_of(identities: pd.Series, triage: pd.DataFrame, default_status: str) -> pd.Series:
    """Each response's triage status (``default_status`` when untriaged), aligned with ``identities``."""
    if not len(triage):
        return pd.Series(np.full(len(identities), default_status, dtype=object), index=identities.index)
    right = triage.drop_duplicates(IDENTITY)
    status = np.append(right["status"].to_numpy(dtype=object), default_status)   # position -1: the last
    return pd.Series(status[_positions(right, identities)], index=identities.index, dtype=object)


def triage_mask(identities: pd.Series, triage: pd.DataFrame, statuses: Sequence[str], tags: Sequence[str],
                default_status: str) -> pd.Series:
    """Which responses (by identity) have one of ``statuses`` and carry any of ``tags`` (empty: no
    restriction), from the store's triage frame (``lib.store.Triage.frame``) without joining it."""
    keep = pd.Series(True, index=identities.index)
    if statuses:
        keep &= statuses_of(identities, triage, default_status).isin(list(statuses))
    wanted = {_tag_key(t) for t in tags} - {""}
    if wanted:
        tagged = triage[triage["tags"].map(lambda ts: bool({_tag_key(t) for t in ts} & wanted))] \
            if len(triage) else triage
        keep &= identities.isin(set(tagged[IDENTITY]))
    return keep


def revision_key(triage: pd.DataFrame | None) -> int:
    """A number that changes whenever the triage does (a key for results that depend on it)."""
    if triage is None or triage.empty:
        return 0
    return int(pd.util.hash_pandas_object(triage[[IDENTITY, "version"]].astype(str), index=False).sum())


def progress_display(by_page: pd.DataFrame, statuses: Sequence[str]) -> pd.DataFrame:
    """``progress``' table per page as the Overview shows it: page, responses, one column per status and
    the share triaged (0–1; blank for a page without responses)."""
    out = by_page[["page", "responses", *[s for s in statuses if s in by_page.columns]]].rename(
        columns={"page": "Page", "responses": "Responses"})
    out["Triaged"] = (by_page["triaged"] / by_page["responses"].where(by_page["responses"] > 0)).astype(float)
    return out.reset_index(drop=True)


def orphans_display(orphans: pd.DataFrame) -> pd.DataFrame:
    """``lib.store.Triage.orphans`` as the Data quality page lists them: the team's triage, the
    text it was made on, who and when, and how many current responses look like it."""
    cols = {"status": "Status", "note": "Note", "page_label": "Page", "summary": "Summary as triaged",
            "details": "Details as triaged", "comments": "Comment as triaged", "updated_by": "Triaged by",
            "updated_at": "When"}
    out = orphans[[c for c in cols if c in orphans.columns]].rename(columns=cols)
    out.insert(1, "Tags", orphans["tags"].map(lambda t: ", ".join(t) if isinstance(t, tuple) else ""))
    out["When"] = pd.to_datetime(out["When"], utc=True).dt.tz_localize(None)
    out["Likely now"] = orphans["candidates"].map(lambda c: len(c) if isinstance(c, tuple) else 0)
    return out.reset_index(drop=True)
