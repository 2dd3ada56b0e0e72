"""Aggregates on normalised frames: counts by category in display order, the pages in scope
and responses per page, responses per week, score statistics with t-intervals, activity ticks.

Every function takes already-filtered frames; ordering follows the
consultation's own option order (zeros included) so charts and the headless
summary show the same categories in the same order.
"""

from __future__ import annotations

import datetime as dt
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
    seen = seen[seen > 0]   # a categorical column's value_counts lists its unseen categories too
    out = pd.Series(0, index=pd.Index(list(order), dtype=object), dtype=int)
    out = out.add(seen.reindex(out.index).fillna(0).astype(int), fill_value=0).astype(int)
    extra = seen[~seen.index.isin(out.index)]
    return pd.concat([out, extra.astype(int)]) if len(extra) else out


def codes_of(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of ``values`` (-1: missing) and the distinct values they stand for: a
    categorical column's own codes, at no cost (``pd.factorize`` recodes it), or ``pd.factorize``."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype=np.int64), values.cat.categories
    codes, uniques = pd.factorize(values)
    return codes, pd.Index(uniques)


def among(values: pd.Series, chosen: Iterable[object]) -> np.ndarray:
    """``values.isin(chosen)`` as a boolean array, for a column of repeated values and many chosen
    ones: each distinct value looked up once (pandas' ``isin`` on text converts every chosen value
    one by one, 10k survey responses costing tens of milliseconds)."""
    codes, uniques = codes_of(values)
    if isinstance(chosen, (pd.Series, pd.Index)):
        wanted = pd.Index(chosen.to_numpy(dtype=object) if isinstance(chosen.dtype, pd.CategoricalDtype) else chosen)
    else:
        wanted = pd.Index(list(chosen))
    found = uniques.get_indexer(wanted.unique())
    return np.isin(codes, found[found >= 0])


def reaction_order(consultation: Consultation) -> list[str]:
    """The form's reactions, then the catch-alls."""
    return [*consultation.reaction_labels, *CATCH_ALL]


def role_order(consultation: Consultation) -> list[str]:
    """The form's roles, then the catch-alls."""
    return [*consultation.roles, *CATCH_ALL]


def role_group_order(consultation: Consultation) -> list[str]:
    """The reporting role groups, then the catch-alls."""
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


def weekly(when: pd.Series, start: dt.date | None = None, end: dt.date | None = None,
           tz: str = "Europe/London") -> pd.DataFrame:
    """Responses per week, weeks starting on Monday by the calendar of ``tz`` (UK time: a week
    is Monday 00:00 to Sunday 24:00 on the clock, whether it holds 167, 168 or 169 hours).

    ``when``: submission times (time-zone aware, or naive local times); rows without one are
    left out. ``start``/``end``: the days the data covers (default: the first and last day in
    ``when``); every week between them is listed, empty ones with n = 0. Columns: week_start
    (a Monday), week_end (its Sunday), first_day, last_day (the part of the week inside
    ``start``–``end``), days (1–7), partial (fewer than 7 days covered), n.
    """
    days = local_midnights(when, tz)   # compared and counted as times: no date object per response
    if start is None or end is None:
        if days.empty:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in WEEK_COLUMNS}).astype(
                {"days": int, "partial": bool, "n": int})
        start = start or days.min().date()
        end = end or days.max().date()
    first_monday = start - dt.timedelta(days=start.weekday())
    mondays = [first_monday + dt.timedelta(weeks=k) for k in range((end - first_monday).days // 7 + 1)]
    inside = days[on_days(days, start, end)]
    counts: dict[dt.date, int] = {}
    for midnight, n in inside.value_counts().items():   # each distinct day's Monday once, not each response's
        day = midnight.date()
        monday = day - dt.timedelta(days=day.weekday())
        counts[monday] = counts.get(monday, 0) + int(n)
    rows = []
    for monday in mondays:
        sunday = monday + dt.timedelta(days=6)
        first, last = max(monday, start), min(sunday, end)
        covered = (last - first).days + 1
        rows.append((monday, sunday, first, last, covered, covered < 7, int(counts.get(monday, 0))))
    return pd.DataFrame(rows, columns=list(WEEK_COLUMNS))


WEEK_COLUMNS = ("week_start", "week_end", "first_day", "last_day", "days", "partial", "n")


def local_midnights(when: pd.Series, tz: str | None = "Europe/London", *, keep_missing: bool = False) -> pd.Series:
    """The start of the calendar day (in ``tz``; None: on each time's own clock) of each time in
    ``when``, as a time without a zone; missing times left out (``keep_missing``: kept, as NaT).
    Days are compared and counted as times, without a date object per response."""
    if not keep_missing:
        when = when.dropna()
    if isinstance(when.dtype, pd.DatetimeTZDtype):
        when = (when if tz is None else when.dt.tz_convert(tz)).dt.tz_localize(None)
    return when.dt.normalize()


def on_days(midnights: pd.Series, first: dt.date, last: dt.date) -> pd.Series:
    """Which of ``local_midnights`` fall on the days ``first``–``last``."""
    return (midnights >= pd.Timestamp(first)) & (midnights <= pd.Timestamp(last))


def in_days(when: pd.Series, first: dt.date, last: dt.date, tz: str = "Europe/London") -> int:
    """How many times of ``when`` fall on the days ``first``–``last`` (in ``tz``)."""
    return int(on_days(local_midnights(when, tz), first, last).sum())


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
