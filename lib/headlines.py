"""Headlines in words: what the filtered data says, each with the responses it rests on and
the view that shows it.

Every function takes frames already filtered by the shared filter model and returns
``Headline``s: a lead in our own words ("Most welcomed"), a sentence that may hold labels
from the data (shown escaped), the number of responses behind it and a ``Link`` to the
page (and the place on it) that shows the same thing. Rules:

- **Welcomed pages**: the net reaction score (``lib.reactions.net_scores``) of pages with at
  least ``SMALL_NUMBER`` responses; the best two and the worst two, never the same page twice.
  The score needs every reaction, so it is computed without the reaction filter.
- **Not yet heard from**: the role groups in view without a response; when every group has
  responded, the group heard on the fewest pages.
- **The last 7 days**: the 7 days that end on the last day of the data (or of the chosen date
  range), not today: a closed consultation would otherwise show nothing. Compared with the
  7 days before them, counted under every filter except the dates.
- **Top ideas**: the survey's ideas by mean usefulness with their 95% interval, among ideas
  scored by at least ``SMALL_NUMBER`` responses; the largest gap between the two measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from . import priorities as pr
from . import reactions as rx
from .aggregates import SMALL_NUMBER, within_days
from .consultation import Consultation
from .filters import COMMENTS_SOURCE_PARAM, COMMENTS_SOURCES, FilterOptions, Filters, Under, apply_survey, filtering
from .reactions import signed

#: The window of "what changed lately", in days.
RECENT_DAYS = 7


@dataclass(frozen=True)
class Link:
    """Where a headline is shown: a page (``overview``, ``reactions``, ``priorities``,
    ``comments``), a place on it (an anchor) and URL parameters to add to the current ones."""

    page: str
    anchor: str = ""
    params: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    label: str = "Show"


@dataclass(frozen=True)
class Headline:
    """One sentence: ``lead`` (our words), ``text`` (may hold data labels: escape it), the
    responses it rests on (``n``) and the view that shows it."""

    key: str
    lead: str
    text: str
    n: int
    link: Link | None = None


def day_text(day: dt.date) -> str:
    """A day for people: DD/MM/YYYY."""
    return day.strftime("%d/%m/%Y")


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _and(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# -- pages by net score ------------------------------------------------------------------


def welcomed(scores: pd.DataFrame, k: int = 2) -> list[Headline]:
    """The most and least welcomed pages by net score (``lib.reactions.net_scores`` of the
    pages; only ranked pages, i.e. with at least ``SMALL_NUMBER`` responses)."""
    link = Link("reactions", "net-score", label="Net scores")
    ranked = scores[scores["rank"].notna()].sort_values(["score", "label"], ascending=[False, True], kind="stable")
    if ranked.empty:
        return [Headline("welcomed", "Most and least welcomed",
                         f"no page has {SMALL_NUMBER} or more responses under these filters yet", 0, link)]
    best = ranked.head(min(k, len(ranked)))
    rest = ranked.drop(best.index)
    worst = rest.tail(min(k, len(rest))).iloc[::-1]

    def pages(part: pd.DataFrame) -> str:
        return _and([f"{lab} ({signed(score)}, n={n})" for lab, score, n in
                     zip(part["label"], part["score"], part["n"])])

    out = [Headline("most_welcomed", "Most welcomed", pages(best), int(best["n"].sum()), link)]
    if len(worst):
        out.append(Headline("least_welcomed", "Least welcomed", pages(worst), int(worst["n"].sum()), link))
    return out


# -- who has been heard ----------------------------------------------------------------------


def unheard(fb: pd.DataFrame, groups: Sequence[str], gaps: pd.DataFrame) -> Headline:
    """The role groups in view that have not responded; or, when all have, the group heard on
    the fewest pages (``gaps``: ``lib.reactions.coverage_gaps`` of the pages in view)."""
    link = Link("reactions", "missing-voices", label="Missing voices")
    counts = fb["role_group"].value_counts()
    silent = [g for g in groups if counts.get(g, 0) == 0]
    if not groups:
        return Headline("unheard", "Not yet heard from", "no role group is in view", 0, link)
    if silent:
        return Headline("unheard", "Not yet heard from",
                        f"{_and(silent)}: no responses under these filters", len(fb), link)
    pages = len(gaps)
    heard = {g: int(sum(1 for miss, n in zip(gaps["missing"], gaps["n"]) if n and g not in miss)) for g in groups}
    fewest = min(heard.values())
    thin = [g for g in groups if heard[g] == fewest]
    where = (f"on {fewest} of {_count(pages, 'page')} "
             f"({_count(int(sum(counts.get(g, 0) for g in thin)), 'response')})")
    if len(groups) == 1:
        return Headline("unheard", "Heard from", f"{thin[0]}, {where}", len(fb), link)
    return Headline("unheard", "Not yet heard from",
                    f"every role group has responded; fewest pages: {_and(thin)}, {where}", len(fb), link)


# -- what changed lately ---------------------------------------------------------------------


def recent_window(end: dt.date, days: int = RECENT_DAYS) -> tuple[dt.date, dt.date]:
    """The ``days`` days ending on ``end``."""
    return end - dt.timedelta(days=days - 1), end


def recent(when: pd.Series, end: dt.date | None, what: str, *, tz: str = "Europe/London",
           labels: pd.Series | None = None, days: int = RECENT_DAYS, chosen_end: bool = False,
           params: Mapping[str, tuple[str, ...]] | None = None) -> Headline:
    """Responses (``when``: their times, under every filter but the dates) in the ``days`` days
    to ``end`` against the ``days`` before; with ``labels`` (one per time, e.g. the page), the
    label most of the recent ones carry. ``chosen_end``: ``end`` is the end of the chosen dates
    (not the data's last day). ``params``: more URL parameters for the link to the comments."""
    if end is None:
        return Headline("recent", f"Last {days} days", f"no {what} with a readable date", 0)
    first, last = recent_window(end, days)
    before_first, before_last = first - dt.timedelta(days=days), first - dt.timedelta(days=1)
    inside = within_days(when, first, last, tz)   # compared as times: no date object per response
    n = int(inside.sum())
    before = int(within_days(when, before_first, before_last, tz).sum())
    whose = "the last day of the chosen dates" if chosen_end else "the data's last day"
    text = (f"{_count(n, what)} in the {days} days to {day_text(last)} ({whose}), "
            f"against {before:,} in the {days} days before")
    if labels is not None and n:
        top = labels[inside].value_counts()
        if len(top) and top.iloc[0] > 1:
            text += f"; most on {top.index[0]} ({top.iloc[0]})"
    link = Link("comments", params={"dates": (first.isoformat(), last.isoformat()), **(params or {})},
                label=f"Read those {days} days")
    return Headline("recent", f"Last {days} days", text, n, link)


# -- the survey's ideas ------------------------------------------------------------------------


def _interval(low: float, high: float) -> str:
    return f"{low:.2f}–{high:.2f}" if low == low and high == high else "undefined"


def top_ideas(table: pd.DataFrame, consultation: Consultation, k: int = 2) -> Headline:
    """The ``k`` ideas with the highest mean of the first measure (``lib.priorities.idea_table``),
    among ideas it was scored for by at least ``SMALL_NUMBER`` responses, with their intervals."""
    m = consultation.measures[0]
    link = Link("priorities", "scores-by-idea", label="Scores by idea")
    lead = f"Top ideas by {m.title.lower()}"
    ok = table[table[f"{m.key}_n"] >= SMALL_NUMBER].sort_values(f"{m.key}_mean", ascending=False, kind="stable")
    if ok.empty:
        return Headline("top_ideas", lead, f"no idea has {SMALL_NUMBER} or more scores under these filters", 0, link)
    top = ok.head(k)
    parts = [f"{idea} {mean:.2f} of 5 (95% CI {_interval(lo, hi)}, n={n})" for idea, mean, lo, hi, n in
             zip(top["idea"], top[f"{m.key}_mean"], top[f"{m.key}_ci_low"], top[f"{m.key}_ci_high"],
                 top[f"{m.key}_n"])]
    return Headline("top_ideas", lead, _and(parts), int(top[f"{m.key}_n"].max()), link)


def largest_gap(table: pd.DataFrame, consultation: Consultation) -> Headline | None:
    """The idea whose first measure's mean most exceeds the second's (both scored by at least
    ``SMALL_NUMBER`` responses); None when no idea qualifies or none is higher on the first."""
    (a, b) = consultation.measures[:2]
    ok = table[(table[f"{a.key}_n"] >= SMALL_NUMBER) & (table[f"{b.key}_n"] >= SMALL_NUMBER)]
    ok = ok[ok["gap"] > 0].sort_values("gap", ascending=False, kind="stable")
    if ok.empty:
        return None
    row = ok.iloc[0]
    return Headline(
        "largest_gap", f"{a.title} far above {b.title.lower()}",
        f"{row['idea']}: {a.title.lower()} {row[f'{a.key}_mean']:.2f}, {b.title.lower()} "
        f"{row[f'{b.key}_mean']:.2f} (gap {row['gap']:+.2f}, n={int(min(row[f'{a.key}_n'], row[f'{b.key}_n']))})",
        int(row["n_any"]), Link("priorities", "quadrant", label="Quadrant"))


# -- each page's headlines ------------------------------------------------------------------


def data_end(f: Filters, opts: FilterOptions) -> dt.date | None:
    """The last day the headlines look at: the end of the chosen dates, else the data's last day."""
    return f.date_to or opts.last_date


def _feedback(ds, under: Under | None) -> Under:
    """The view's filtering (``View.feedback_under``: the headlines count what the page's charts
    count), or the data's alone."""
    return under or filtering(ds.feedback)


def _survey(ds, under: Under | None) -> Under:
    return under or (lambda g: apply_survey(ds.survey, g))


def page_headlines(ds, f: Filters, *, reaction_filter: bool = True, under: Under | None = None) -> list[Headline]:
    """Welcomed pages (without the reaction filter: the score needs every reaction) and the
    groups not yet heard from (with it unless ``reaction_filter`` is off)."""
    c = ds.consultation
    feedback = _feedback(ds, under)
    base = f.with_(reactions=())
    pages = rx.real_pages(rx.page_rows(ds.site, ds.feedback, base))
    fb_all = feedback(base, columns=rx.COUNTED)
    fb = feedback(f, columns=rx.COUNTED) if reaction_filter and base != f else fb_all
    groups = rx.groups_in_view(c, f)
    return [*welcomed(rx.net_scores(fb_all, pages, rx.PAGE, c)),
            unheard(fb, groups, rx.coverage_gaps(fb, pages, groups))]


def recent_feedback(ds, f: Filters, opts: FilterOptions, *, reaction_filter: bool = True,
                    under: Under | None = None) -> Headline:
    """Page responses in the last 7 days of the data, under every filter but the dates."""
    undated = f.with_(date_from=None, date_to=None, **({} if reaction_filter else {"reactions": ()}))
    fb = _feedback(ds, under)(undated, columns=rx.COUNTED)
    return recent(fb["submitted_at"], data_end(f, opts), "page response", tz=ds.consultation.timezone,
                  labels=fb["page_label"], chosen_end=f.date_to is not None)


def recent_survey(ds, f: Filters, opts: FilterOptions, *, under: Under | None = None) -> Headline:
    """Survey responses in the last 7 days of the data, under every filter but the dates."""
    sv = _survey(ds, under)(f.with_(date_from=None, date_to=None))
    return recent(sv["submitted_at"], data_end(f, opts), "survey response", tz=ds.consultation.timezone,
                  chosen_end=f.date_to is not None, params={COMMENTS_SOURCE_PARAM: (COMMENTS_SOURCES[1],)})


def idea_headlines(ds, survey: pd.DataFrame) -> list[Headline]:
    """The top ideas by usefulness and the largest gap, from the scores of ``survey`` (filtered)."""
    table = pr.idea_table(pr.restrict(ds.scores, survey), ds.consultation)
    gap = largest_gap(table, ds.consultation)
    return [top_ideas(table, ds.consultation), *([gap] if gap else [])]


def for_overview(ds, f: Filters, opts: FilterOptions, under: Under | None = None,
                 survey_under: Under | None = None) -> list[Headline]:
    """Overview: welcomed pages, who is missing, the last 7 days, the top ideas (``under``,
    ``survey_under``: the view's filtering; plain filtering when not given)."""
    return [*page_headlines(ds, f, under=under), recent_feedback(ds, f, opts, under=under),
            idea_headlines(ds, _survey(ds, survey_under)(f))[0]]


def for_reactions(ds, f: Filters, opts: FilterOptions, under: Under | None = None) -> list[Headline]:
    """Reactions: welcomed pages, who is missing, the last 7 days (every reaction: the page's
    charts show all of them and highlight a chosen one)."""
    return [*page_headlines(ds, f, reaction_filter=False, under=under),
            recent_feedback(ds, f, opts, reaction_filter=False, under=under)]


def for_priorities(ds, f: Filters, opts: FilterOptions, survey_under: Under | None = None) -> list[Headline]:
    """Priorities: the top ideas, the largest gap, the survey's last 7 days."""
    return [*idea_headlines(ds, _survey(ds, survey_under)(f)), recent_survey(ds, f, opts, under=survey_under)]
