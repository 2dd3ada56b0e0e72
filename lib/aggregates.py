"""Aggregates on normalised frames: counts by category in display order, scores, activities.

Every function takes already-filtered frames; ordering follows the
consultation's own option order (zeros included) so charts and the headless
summary show the same categories in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .consultation import NOT_GIVEN, UNKNOWN_PAGE, UNRECOGNISED, Consultation
from .pages_meta import SiteMeta

CATCH_ALL = (NOT_GIVEN, UNRECOGNISED)
#: Fewer responses (or respondents) than this: flagged "small number" and never ranked.
SMALL_NUMBER = 5


def count_by(values: pd.Series, order: Sequence[str]) -> pd.Series:
    """Counts for every label in ``order`` (zeros kept), then any other label seen, by count."""
    seen = values.value_counts(sort=True)
    out = pd.Series(0, index=pd.Index(list(order), dtype=object), dtype=int)
    out = out.add(seen.reindex(out.index).fillna(0).astype(int), fill_value=0).astype(int)
    extra = seen[~seen.index.isin(out.index)]
    return pd.concat([out, extra.astype(int)]) if len(extra) else out


def among(values: pd.Series, chosen: Iterable[object]) -> np.ndarray:
    """``values.isin(chosen)`` as a boolean array, for a column of repeated values and many chosen
    ones: each distinct value looked up once (pandas' ``isin`` on text converts every chosen value
    one by one, 10k survey responses costing tens of milliseconds)."""
    codes, uniques = pd.factorize(values)
    found = pd.Index(uniques).get_indexer(pd.Index(list(chosen) if not isinstance(chosen, (pd.Series, pd.Index))
                                                   else chosen).unique())
    return np.isin(codes, found[found >= 0])


def reaction_order(consultation: Consultation) -> list[str]:
    return [*consultation.reaction_labels, *CATCH_ALL]


def role_order(consultation: Consultation) -> list[str]:
    return [*consultation.roles, *CATCH_ALL]


def role_group_order(consultation: Consultation) -> list[str]:
    return [*consultation.role_group_labels, *CATCH_ALL]


def drop_empty_catch_all(counts: pd.Series) -> pd.Series:
    """Hide ``Not given``/``Unrecognised`` rows when they are zero."""
    return counts[~(counts.index.isin(CATCH_ALL) & (counts == 0))]


def pages_in_scope(site: SiteMeta, feedback: pd.DataFrame) -> pd.DataFrame:
    """Pages to report on, in nav order: every page with a form, plus any other page that got
    feedback, plus ``(unknown)`` when some URLs matched no page."""
    pages = site.pages
    seen = set(feedback["page_path"].unique())
    scope = pages[pages["has_form"] | pages["path"].isin(seen)].copy()
    if UNKNOWN_PAGE in seen:
        unknown = {"order": len(pages) + 1, "path": UNKNOWN_PAGE, "title": UNKNOWN_PAGE,
                   "section": "", "has_form": False, "label": UNKNOWN_PAGE}
        scope = pd.concat([scope, pd.DataFrame([unknown])], ignore_index=True)
    return scope.reset_index(drop=True)


def by_page(feedback: pd.DataFrame, site: SiteMeta) -> pd.DataFrame:
    """One row per page in scope with its number of responses (zeros kept), nav order."""
    scope = pages_in_scope(site, feedback)
    n = feedback["page_path"].value_counts()
    scope["n"] = scope["path"].map(n).fillna(0).astype(int)
    return scope


def over_time(feedback: pd.DataFrame, freq: str = "W-MON") -> pd.DataFrame:
    """Responses per period (weeks starting Monday by default): columns ``period``, ``n``."""
    when = feedback["submitted_at"].dropna()
    if when.empty:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "n": pd.Series(dtype=int)})
    local = when.dt.tz_localize(None)
    periods = local.dt.to_period(freq).dt.start_time
    counted = periods.value_counts().sort_index()
    return pd.DataFrame({"period": counted.index, "n": counted.to_numpy()})


def _score_grid(scores: pd.DataFrame, consultation: Consultation, stats: list[str]) -> pd.DataFrame:
    grid = pd.MultiIndex.from_product(
        [list(consultation.ideas), [m.key for m in consultation.measures]], names=["idea", "measure"]
    )
    out = scores.groupby(["idea", "measure"], observed=True)["score"].agg(stats).reindex(grid)
    out["count"] = out["count"].fillna(0).astype(int)
    return out.rename(columns={"count": "n", "std": "sd"})


def score_means(scores: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """n and mean per idea and measure, every idea listed (n=0 → mean NaN)."""
    return _score_grid(scores, consultation, ["count", "mean"]).reset_index()


def score_stats(scores: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """n, mean, standard deviation and 95% t-interval per idea and measure, every idea listed
    (n=0 → mean NaN; n<2 → sd and interval NaN: undefined)."""
    stats = _score_grid(scores, consultation, ["count", "mean", "std"])
    stats["ci_low"], stats["ci_high"] = t_interval(stats["n"], stats["mean"], stats["sd"])
    return stats.reset_index()


def activity_counts(activities: pd.DataFrame, consultation: Consultation) -> pd.Series:
    """Ticks per activity label, every longlist entry listed (zeros kept), longlist order."""
    return count_by(activities["label"], consultation.activity_labels)


# -- priorities: intervals for mean scores ------------------------------------------------

#: Confidence level of the intervals shown around mean scores.
CONFIDENCE = 0.95


def t_interval(n: pd.Series, mean: pd.Series, sd: pd.Series, level: float = CONFIDENCE
               ) -> tuple[pd.Series, pd.Series]:
    """Student t-interval for a mean: mean ± t(1−α/2, n−1)·sd/√n (sd with n−1); NaN when n < 2."""
    from scipy.special import stdtrit  # the t quantile; imported here, only scores need it (slow import)

    n = pd.Series(n, dtype=float)
    defined = n >= 2
    crit = pd.Series(float("nan"), index=n.index)
    crit[defined] = stdtrit(n[defined] - 1, 0.5 + level / 2)
    half = crit * pd.Series(sd, index=n.index, dtype=float) / n.where(defined) ** 0.5
    mean = pd.Series(mean, index=n.index, dtype=float)
    return mean - half, mean + half
