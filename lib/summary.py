"""The headless summary: the dashboard's headline numbers as one JSON-ready dict."""

from __future__ import annotations

import math

import pandas as pd

from .aggregates import (
    activity_counts,
    among,
    by_page,
    count_by,
    drop_empty_catch_all,
    reaction_order,
    role_order,
    score_means,
)
from .dataset import Dataset, kept
from .pages_meta import site_relative


def _ints(series: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in series.items()}


def feedback_summary(ds: Dataset) -> dict:
    """Counts for the per-page feedback (kept rows unless a count says otherwise)."""
    q, c = ds.feedback_quality, ds.consultation
    fb = kept(ds.feedback[["role", "reaction", "page_path", "is_spam", "is_duplicate"]])  # only what is counted
    pairs = fb.groupby(["role", "reaction"]).size()
    by_role_reaction: dict[str, dict[str, int]] = {}
    for (role, reaction), n in pairs.items():
        by_role_reaction.setdefault(role, {})[reaction] = int(n)
    return {
        "rows_read": q.rows_read,
        "spam": q.spam,
        "duplicates": q.duplicates,
        "kept": q.kept,
        "quarantined": len(q.quarantined),
        "unmatched_pages": q.unmatched_pages,
        "bad_timestamps": q.bad_timestamps,
        "by_reaction": _ints(drop_empty_catch_all(count_by(fb["reaction"], reaction_order(c)))),
        "by_role": _ints(drop_empty_catch_all(count_by(fb["role"], role_order(c)))),
        "by_page": _ints(by_page(fb, ds.site).assign(path=lambda t: t["path"].map(site_relative))
                         .set_index("path")["n"]),
        "by_role_reaction": by_role_reaction,
    }


def survey_summary(ds: Dataset) -> dict:
    """Counts and mean scores for the main survey (kept responses)."""
    q, c = ds.survey_quality, ds.consultation
    ids = kept(ds.survey[["response_id", "is_spam", "is_duplicate"]])["response_id"]
    stats = score_means(ds.scores[among(ds.scores["response_id"], ids)], c)  # no interval: no scipy import
    out: dict = {"rows_read": q.rows_read, "spam": q.spam, "duplicates": q.duplicates, "kept": q.kept,
                 "quarantined": len(q.quarantined)}
    for measure in (m.key for m in c.measures):
        part = stats[stats["measure"] == measure]
        out[measure] = {
            row.idea: {"n": int(row.n), "mean": None if math.isnan(row.mean) else round(float(row.mean), 3)}
            for row in part.itertuples()
        }
    acts = ds.activities[among(ds.activities["response_id"], ids)]
    out["activities"] = _ints(activity_counts(acts, c))
    return out


def summarise(ds: Dataset) -> dict:
    """The headline numbers for both tables, as the dashboard shows them."""
    return {"feedback": feedback_summary(ds), "survey": survey_summary(ds)}
