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


def crosstab(rows: pd.Series, columns: pd.Series) -> pd.DataFrame:
    """How many times each pair of values occurs (rows: the distinct values of ``rows``, columns
    those of ``columns``; pairs with a missing value left out), counted on integer codes."""
    r, r_values = codes_of(rows)
    c, c_values = codes_of(columns)
    both = (r >= 0) & (c >= 0)
    n = np.bincount(r[both] * len(c_values) + c[both], minlength=len(r_values) * len(c_values))
    return pd.DataFrame(n.reshape(len(r_values), len(c_values)), index=pd.Index(r_values, dtype=object),
                        columns=pd.Index(c_values, dtype=object))


def among(values: pd.Series, chosen: Iterable[object]) -> np.ndarray:
    """``values.isin(chosen)`` as a boolean array, for a column of repeated values and many chosen
    ones: each distinct value looked up once (pandas' ``isin`` on text converts every chosen value
    one by one, 10k survey responses costing tens of milliseconds), a categorical ``chosen`` by its
    categories in use, and every value then answered from a table by its code (no sort)."""
    codes, uniques = codes_of(values)
    if isinstance(chosen, (pd.Series, pd.Index)) and isinstance(chosen.dtype, pd.CategoricalDtype):
        cat = pd.Categorical(chosen)
        used = np.bincount(cat.codes[cat.codes >= 0], minlength=len(cat.categories)) > 0
        wanted = cat.categories[used]
    elif isinstance(chosen, (pd.Series, pd.Index)):
        wanted = pd.Index(chosen).unique()
    else:
        wanted = pd.Index(list(chosen)).unique()
    found = uniques.get_indexer(wanted)
    table = np.zeros(len(uniques) + 1, dtype=bool)   # the last entry answers code -1 (missing): False
    table[found[found >= 0]] = True
    return table[codes]


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
    if start is None or end is None:
        if not when.notna().any():
            return pd.DataFrame({c: pd.Series(dtype=object) for c in WEEK_COLUMNS}).astype(
                {"days": int, "partial": bool, "n": int})
        start = start or local_date(when.min(), tz)
        end = end or local_date(when.max(), tz)
    first_monday = start - dt.timedelta(days=start.weekday())
    mondays = [first_monday + dt.timedelta(weeks=k) for k in range((end - first_monday).days // 7 + 1)]
    rows = []
    for monday in mondays:
        sunday = monday + dt.timedelta(days=6)
        first, last = max(monday, start), min(sunday, end)
        covered = (last - first).days + 1
        rows.append((monday, sunday, first, last, covered, covered < 7))
    # each time placed among the weeks' bounds (the start of each week's first day, then the day
    # after the last): no date worked out per response
    bounds = day_starts([r[2] for r in rows] + [end + dt.timedelta(days=1)], when, tz)
    week = np.searchsorted(bounds, _instants(when), side="right") - 1
    counts = np.bincount(week[(week >= 0) & (week < len(rows)) & when.notna().to_numpy()], minlength=len(rows))
    return pd.DataFrame([(*r, int(n)) for r, n in zip(rows, counts)], columns=list(WEEK_COLUMNS))


WEEK_COLUMNS = ("week_start", "week_end", "first_day", "last_day", "days", "partial", "n")


def local_date(when: pd.Timestamp, tz: str | None = "Europe/London") -> dt.date:
    """The calendar day of one time in ``tz`` (None, or a time without a zone: its own clock)."""
    return (when.tz_convert(tz) if tz and when.tzinfo is not None else when).date()


def _instants(when: pd.Series) -> np.ndarray:
    """The times as the integers they are held in (UTC for times with a zone; NaT the smallest)."""
    return when.array.asi8


def day_starts(days: Sequence[dt.date], like: pd.Series, tz: str | None = "Europe/London") -> np.ndarray:
    """When each of the calendar ``days`` begins in ``tz`` (None: the zone of ``like``'s times;
    naive times: on their own clock), as the integers ``like``'s times are held in, so the two
    compare directly (a midnight the clocks skip starts the day at the first time that exists,
    a midnight they repeat at its first occurrence)."""
    zone = getattr(like.dtype, "tz", None)
    stamps = pd.DatetimeIndex([pd.Timestamp(d) for d in days])
    if zone is not None:
        stamps = stamps.tz_localize(tz or zone, ambiguous=np.ones(len(stamps), dtype=bool),
                                    nonexistent="shift_forward").tz_convert(zone)
    return stamps.as_unit(like.dt.unit).asi8


def within_days(when: pd.Series, first: dt.date | None, last: dt.date | None,
                tz: str | None = "Europe/London") -> np.ndarray:
    """Which times of ``when`` fall on the days ``first``–``last`` (either may be open) by the
    calendar of ``tz`` (None: each time's own zone): two comparisons with the days' bounds,
    no date worked out per response. Missing times: False."""
    at = _instants(when)
    keep = when.notna().to_numpy().copy()
    if first is not None:
        keep &= at >= day_starts([first], when, tz)[0]
    if last is not None:
        keep &= at < day_starts([last + dt.timedelta(days=1)], when, tz)[0]
    return keep


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
