"""Priorities: the survey's scores for the ideas and its ticked activities.

Every function takes frames already filtered (``lib.filters.apply_survey`` for the
responses, ``restrict`` for their scores and activities) and lists every idea,
activity and role group in the consultation's order, zeros kept:

- Likert shares per idea and measure with the geometry of a diverging stacked bar
  centred on the neutral score (3 of 1–5: 1–2 left of zero, 3 split half each side,
  4–5 right);
- one row per idea with n, mean and 95% t-interval per measure
  (``lib.aggregates.t_interval``), the gap between the measures and the idea's
  quadrant against the overall means;
- the same per role group, groups with fewer than ``SMALL_NUMBER`` respondents flagged;
- ticks and shares of respondents per activity and per longlist section, the top ten;
- the survey comments, without e-mail addresses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .aggregates import (
    SMALL_NUMBER,
    activity_counts,
    among,
    codes_of,
    count_by,
    drop_empty_catch_all,
    role_group_order,
    t_interval,
)
from .consultation import Consultation

SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)
NEUTRAL: int = 3
#: Groups (and idea scores) from fewer respondents than this are flagged "small number".
NOT_SCORED = "Not scored"
TOP_N = 10


def measure_keys(consultation: Consultation) -> tuple[str, str]:
    """The two measures (x: usefulness, y: likelihood) in the consultation's order."""
    keys = tuple(m.key for m in consultation.measures)
    if len(keys) != 2:
        raise ValueError(f"The priorities page needs exactly two survey measures; the consultation has {len(keys)}.")
    return keys  # type: ignore[return-value]


def restrict(frame: pd.DataFrame, survey: pd.DataFrame) -> pd.DataFrame:
    """Rows of a long table (scores or activities) belonging to the given survey responses."""
    return frame[among(frame["response_id"], survey["response_id"])]


@dataclass(frozen=True)
class SurveyNumbers:
    """The counts at the top of the Priorities page."""

    responses: int
    scored: int
    ticked: int
    commented: int


def survey_numbers(survey: pd.DataFrame, scores: pd.DataFrame, activities: pd.DataFrame) -> SurveyNumbers:
    """Responses; those scoring at least one idea, ticking at least one activity, leaving a comment."""
    commented = int((survey["comments"].astype(str).str.strip() != "").sum())
    return SurveyNumbers(len(survey), int(scores["response_id"].nunique()),
                         int(activities["response_id"].nunique()), commented)


def members(survey: pd.DataFrame, group: str) -> pd.DataFrame:
    """The responses of one role group."""
    return survey[survey["role_group"] == group]


# -- scores -------------------------------------------------------------------------------


def likert(scores: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """Share of each score 1–5 per idea and measure, with its segment of a bar centred on 3.

    Columns: idea, measure, score, n (responses giving that score), answered (responses
    scoring the idea on that measure), share (n / answered; 0 when none answered), and
    start/end of the segment on a scale where 0 is the middle of the neutral score: scores
    below it lie left of zero, the neutral score straddles zero, scores above it lie right.
    """
    return _likert(_codes(scores, consultation), consultation)


def _likert(codes: _Codes, consultation: Consultation) -> pd.DataFrame:
    """``likert`` from the scores' codes: each (idea, measure, score) counted by ``np.bincount``."""
    ideas, measures = list(consultation.ideas), [m.key for m in consultation.measures]
    grid = pd.MultiIndex.from_product([ideas, measures, list(SCORES)], names=["idea", "measure", "score"])
    value = np.nan_to_num(codes.score, nan=-1.0)
    ok = (codes.idea >= 0) & (codes.measure >= 0) & np.isin(value, SCORES)
    cell = (codes.idea[ok] * len(measures) + codes.measure[ok]) * len(SCORES) + (value[ok].astype(np.int64) - SCORES[0])
    n = np.bincount(cell, minlength=len(grid))
    out = pd.Series(n.astype(int), index=grid, name="n").reset_index()
    answered = n.reshape(-1, len(SCORES)).sum(axis=1)
    out["answered"] = np.repeat(answered, len(SCORES)).astype(int)
    out["share"] = (out["n"] / out["answered"].where(out["answered"] > 0)).fillna(0.0)
    share = out["share"].to_numpy().reshape(-1, len(SCORES))
    below = np.array(SCORES) < NEUTRAL
    neutral = np.array(SCORES) == NEUTRAL
    # the bar's left end: everything below neutral plus half the neutral share, left of zero
    left = -(share[:, below].sum(axis=1) + share[:, neutral].sum(axis=1) / 2)
    before = np.cumsum(share, axis=1) - share
    out["start"] = (left[:, None] + before).ravel()
    out["end"] = out["start"] + out["share"]
    return out


def overall_means(scores: pd.DataFrame, consultation: Consultation) -> dict[str, float]:
    """Mean of every score given per measure (all ideas pooled); NaN when none."""
    codes = _codes(scores, consultation)
    return _overall_means(codes, consultation)


@dataclass(frozen=True)
class _Codes:
    """A long scores table as integer arrays (made once per table, then masked per role group):
    each score's idea and measure as positions in the consultation's lists (-1: neither), its
    response as a code (-1: none) and its value."""

    idea: np.ndarray
    measure: np.ndarray
    response: np.ndarray
    score: np.ndarray

    def __getitem__(self, mask: np.ndarray) -> _Codes:
        return _Codes(self.idea[mask], self.measure[mask], self.response[mask], self.score[mask])


def _positions(values: pd.Series, labels: list[str]) -> np.ndarray:
    """Each value's position in ``labels`` (-1: not there, or missing): each distinct value looked up once."""
    codes, uniques = codes_of(values)
    if not len(uniques):
        return np.full(len(values), -1, dtype=np.int64)
    where = np.append(pd.Index(labels, dtype=object).get_indexer(pd.Index(uniques, dtype=object)), -1)
    return where[codes].astype(np.int64)   # code -1 (missing) takes the appended -1


def _codes(scores: pd.DataFrame, consultation: Consultation) -> _Codes:
    return _Codes(_positions(scores["idea"], list(consultation.ideas)),
                  _positions(scores["measure"], [m.key for m in consultation.measures]),
                  codes_of(scores["response_id"])[0],
                  scores["score"].to_numpy(dtype=float))


def _overall_means(codes: _Codes, consultation: Consultation) -> dict[str, float]:
    keys = [m.key for m in consultation.measures]
    ok = codes.measure >= 0
    n = np.bincount(codes.measure[ok], minlength=len(keys))
    total = np.bincount(codes.measure[ok], weights=codes.score[ok], minlength=len(keys))
    return {k: float(total[i] / n[i]) if n[i] else float("nan") for i, k in enumerate(keys)}


def quadrant(x: float, y: float, x_line: float, y_line: float, names: tuple[str, str, str, str]) -> str:
    """Quadrant of an idea against the lines (on a line counts as the higher side); ``names``
    as ``Consultation.quadrants``: (high, high), (high, low), (low, high), (low, low)."""
    if pd.isna(x) or pd.isna(y) or pd.isna(x_line) or pd.isna(y_line):
        return NOT_SCORED
    high_x, high_y = x >= x_line, y >= y_line
    if high_x:
        return names[0] if high_y else names[1]
    return names[2] if high_y else names[3]


def idea_table(scores: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """One row per idea (consultation order): n_any, and per measure n, mean, sd, ci_low,
    ci_high, high (share scoring 4–5), small (n < SMALL_NUMBER); gap (usefulness − likelihood
    means) and quadrant (against the overall means of these scores)."""
    return _idea_table(_codes(scores, consultation), consultation)


def _idea_table(codes: _Codes, consultation: Consultation) -> pd.DataFrame:
    """``idea_table`` by counting integer codes (``np.bincount``): the groupbys on text it replaces
    cost tens of milliseconds per call on 100k scores. Same numbers as those groupbys (a test holds
    them together)."""
    return _idea_tables(codes, consultation, np.zeros(len(codes.idea), dtype=np.int64), 1)


def _idea_tables(codes: _Codes, consultation: Consultation, group: np.ndarray, n_groups: int) -> pd.DataFrame:
    """``idea_table`` for each of ``n_groups`` groups of the scores (``group``: each score's, -1
    none; a response's scores all in one group), one after the other, each against its own
    overall means: every group counted in the same pass."""
    use, like = measure_keys(consultation)
    ideas, keys = list(consultation.ideas), [m.key for m in consultation.measures]
    n_ideas, n_measures = len(ideas), len(keys)
    size = n_ideas * n_measures
    ok = (codes.idea >= 0) & (codes.measure >= 0) & (group >= 0)
    cell = group[ok] * size + codes.idea[ok] * n_measures + codes.measure[ok]
    x = codes.score[ok]
    total = n_groups * size
    n = np.bincount(cell, minlength=total)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.bincount(cell, weights=x, minlength=total) / n, np.nan)
        squares = np.bincount(cell, weights=(x - mean[cell]) ** 2, minlength=total) if len(cell) else np.zeros(total)
        sd = np.where(n >= 2, np.sqrt(squares / (n - 1)), np.nan)
    high = np.bincount(cell, weights=(x > NEUTRAL).astype(float), minlength=total)
    low_ci, high_ci = (s.to_numpy() for s in t_interval(pd.Series(n), pd.Series(mean), pd.Series(sd)))
    # responses scoring each idea on any measure: one mark per (response, idea), counted in its group
    seen = (codes.idea >= 0) & (codes.response >= 0) & (group >= 0)
    n_any = np.zeros(n_groups * n_ideas, dtype=np.int64)
    if seen.any():
        marks = np.zeros((int(codes.response[seen].max()) + 1, n_ideas), dtype=bool)
        marks[codes.response[seen], codes.idea[seen]] = True
        group_of = np.zeros(len(marks), dtype=np.int64)
        group_of[codes.response[seen]] = group[seen]
        response, idea = np.nonzero(marks)
        n_any = np.bincount(group_of[response] * n_ideas + idea, minlength=n_groups * n_ideas)
    # each group's overall mean per measure (every idea pooled, ideas outside the consultation too)
    scored = (codes.measure >= 0) & (group >= 0)
    at_m = group[scored] * n_measures + codes.measure[scored]
    n_m = np.bincount(at_m, minlength=n_groups * n_measures)
    with np.errstate(invalid="ignore", divide="ignore"):
        lines = np.where(n_m > 0, np.bincount(at_m, weights=codes.score[scored], minlength=n_groups * n_measures)
                         / n_m, np.nan).reshape(n_groups, n_measures)
    rows = (np.arange(n_groups)[:, None] * size + np.arange(n_ideas)[None, :] * n_measures).ravel()
    out = pd.DataFrame({"idea": ideas * n_groups})
    out["n_any"] = n_any.astype(int)
    for m in (use, like):
        at = rows + keys.index(m)
        out[f"{m}_n"] = n[at].astype(int)
        out[f"{m}_mean"] = mean[at].astype(float)
        out[f"{m}_sd"] = sd[at].astype(float)
        out[f"{m}_ci_low"] = low_ci[at].astype(float)
        out[f"{m}_ci_high"] = high_ci[at].astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"{m}_high"] = np.where(n[at] > 0, high[at] / np.where(n[at] > 0, n[at], 1), np.nan).astype(float)
        out[f"{m}_small"] = out[f"{m}_n"] < SMALL_NUMBER
    out["gap"] = out[f"{use}_mean"] - out[f"{like}_mean"]
    g_of_row = np.repeat(np.arange(n_groups), n_ideas)
    out["quadrant"] = [quadrant(x, y, lines[g, keys.index(use)], lines[g, keys.index(like)], consultation.quadrants)
                       for g, x, y in zip(g_of_row, out[f"{use}_mean"], out[f"{like}_mean"])]
    return out


def sorts(consultation: Consultation) -> dict[str, str]:
    """What the ideas can be sorted by, in the order offered: label (the page's sort widget and its
    URL parameter) → column of ``idea_table``. Each measure's mean, then the gap between them."""
    use, like = measure_keys(consultation)
    titles = {key: title.lower() for key, title in consultation.measure_titles.items()}
    return {f"Mean {titles[use]}": f"{use}_mean", f"Mean {titles[like]}": f"{like}_mean",
            f"Gap ({titles[use]} − {titles[like]})": "gap"}


def sort_ideas(table: pd.DataFrame, by: str, consultation: Consultation) -> pd.DataFrame:
    """Ideas from the highest to the lowest of ``by`` (a label of ``sorts`` or a column);
    ideas without a value last, ties in the consultation's order."""
    options = sorts(consultation)
    column = options.get(by, by)
    if column not in table.columns:
        raise ValueError(f"Ideas can be sorted by {', '.join(options)}, not “{by}”.")
    return table.sort_values(column, ascending=False, na_position="last", kind="stable").reset_index(drop=True)


def unplaced(table: pd.DataFrame, consultation: Consultation) -> int:
    """Ideas of ``idea_table`` without a mean on both measures (no point on the quadrant chart)."""
    use, like = measure_keys(consultation)
    return int(table[[f"{use}_mean", f"{like}_mean"]].isna().any(axis=1).sum())


def ideas_display(table: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """``idea_table`` as the page shows it: idea, then per measure n, mean and the interval as
    text, then the gap and the quadrant (columns named for people)."""
    titles = consultation.measure_titles
    out = pd.DataFrame({"Idea": table["idea"]})
    for m, title in titles.items():
        out[f"{title}: n"] = table[f"{m}_n"]
        out[f"{title}: mean"] = table[f"{m}_mean"]
        out[f"{title}: 95% CI"] = [interval_text(lo, hi, n) for lo, hi, n in
                                   zip(table[f"{m}_ci_low"], table[f"{m}_ci_high"], table[f"{m}_n"])]
    out["Gap"] = table["gap"]
    out["Quadrant"] = table["quadrant"]
    return out.reset_index(drop=True)


def interval_text(low: float, high: float, n: int) -> str:
    """An interval for people: "3.21–3.87", or why it is undefined."""
    if n == 0:
        return "no scores"
    if pd.isna(low) or pd.isna(high):
        return "undefined (1 score)" if n == 1 else "undefined"
    return f"{low:.2f}–{high:.2f}"


# -- role groups --------------------------------------------------------------------------


def group_sizes(survey: pd.DataFrame, consultation: Consultation) -> pd.Series:
    """Respondents per role group: every configured group (zeros kept), catch-alls when seen."""
    return drop_empty_catch_all(count_by(survey["role_group"], role_group_order(consultation)))


def is_small(respondents: int) -> bool:
    """Whether a number of respondents is too small to read much into (flag "small number")."""
    return respondents < SMALL_NUMBER


def group_idea_table(scores: pd.DataFrame, survey: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """``idea_table`` per role group (each against its own overall means), with the group's
    respondents and its small-number flag; empty groups listed with n = 0."""
    return _group_idea_table(scores, _codes(scores, consultation), survey, consultation)


def _group_idea_table(scores: pd.DataFrame, coded: _Codes, survey: pd.DataFrame, consultation: Consultation
                      ) -> pd.DataFrame:
    sizes = group_sizes(survey, consultation)
    # each score's group as a number, looked up once per response (not once per score)
    _, responses = codes_of(scores["response_id"])
    at = pd.Index(survey["response_id"].to_numpy(dtype=object)).get_indexer(pd.Index(responses, dtype=object))
    group = pd.Index(list(sizes.index), dtype=object).get_indexer(survey["role_group"].to_numpy(dtype=object))
    group_of_response = np.append(np.where(at >= 0, group[np.maximum(at, 0)] if len(group) else -1, -1), -1)
    score_group = group_of_response[coded.response]   # code -1 (no response) takes the appended -1
    out = _idea_tables(coded, consultation, score_group, len(sizes))
    respondents = np.repeat(sizes.to_numpy(dtype=int), len(consultation.ideas))
    out.insert(0, "role_group", np.repeat(np.array(list(sizes.index), dtype=object), len(consultation.ideas)))
    out.insert(1, "respondents", respondents)
    out.insert(2, "small_group", [is_small(int(r)) for r in respondents])
    return out


# -- activities ---------------------------------------------------------------------------


def activity_table(activities: pd.DataFrame, survey: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """One row per longlist activity (longlist order): section, activity, label, n (responses
    ticking it) and share of the survey's respondents (NaN when there are none)."""
    counts = activity_counts(activities.drop_duplicates(["response_id", "label"]), consultation)
    rows = [(s, a, f"{s}: {a}") for s, items in consultation.activities for a in items]
    out = pd.DataFrame(rows, columns=["section", "activity", "label"])
    out["n"] = out["label"].map(counts).fillna(0).astype(int)
    respondents = len(survey)
    out["share"] = out["n"] / respondents if respondents else float("nan")
    return out


def top_activities(table: pd.DataFrame, k: int = TOP_N) -> pd.DataFrame:
    """The ``k`` most ticked activities (ticked at least once), ties in longlist order."""
    ticked = table[table["n"] > 0]
    return ticked.sort_values("n", ascending=False, kind="stable").head(k).reset_index(drop=True)


def group_activity_table(activities: pd.DataFrame, survey: pd.DataFrame, consultation: Consultation
                         ) -> pd.DataFrame:
    """``activity_table`` per role group (shares of the group's respondents), with the group's
    respondents and its small-number flag."""
    parts = []
    for group, respondents in group_sizes(survey, consultation).items():
        members = survey[survey["role_group"] == group]
        table = activity_table(restrict(activities, members), members, consultation)
        table.insert(0, "role_group", group)
        table.insert(1, "respondents", int(respondents))
        table.insert(2, "small_group", is_small(int(respondents)))
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


# -- what the page shows, worked out once per view ------------------------------------------


@dataclass(frozen=True)
class Summary:
    """What the Priorities page shows for the survey responses under the filters: their scores
    and activities, the counts at the top, the idea table with its Likert shares and overall
    means, the activities and their top ten, the role groups' sizes and idea tables."""

    scores: pd.DataFrame
    activities: pd.DataFrame
    numbers: SurveyNumbers
    ideas: pd.DataFrame
    shares: pd.DataFrame
    means: dict[str, float]
    activity_table: pd.DataFrame
    top: pd.DataFrame
    sizes: pd.Series
    group_ideas: pd.DataFrame


def summary(all_scores: pd.DataFrame, all_activities: pd.DataFrame, survey: pd.DataFrame,
            consultation: Consultation) -> Summary:
    """The page's tables for ``survey`` (already filtered) from the dataset's long tables."""
    scores, acts = restrict(all_scores, survey), restrict(all_activities, survey)
    coded = _codes(scores, consultation)   # once, for every table below
    activities = activity_table(acts, survey, consultation)
    return Summary(scores, acts, survey_numbers(survey, scores, acts), _idea_table(coded, consultation),
                   _likert(coded, consultation), _overall_means(coded, consultation), activities,
                   top_activities(activities), group_sizes(survey, consultation),
                   _group_idea_table(scores, coded, survey, consultation))


@dataclass(frozen=True)
class GroupSummary:
    """One role group's part of ``Summary``: its responses, scores, idea table and overall
    means, activities and top ten."""

    members: pd.DataFrame
    scores: pd.DataFrame
    ideas: pd.DataFrame
    means: dict[str, float]
    activity_table: pd.DataFrame
    top: pd.DataFrame


def group_summary(whole: Summary, survey: pd.DataFrame, group: str, consultation: Consultation) -> GroupSummary:
    """``whole`` restricted to one role group's responses."""
    people = members(survey, group)
    scores = restrict(whole.scores, people)
    coded = _codes(scores, consultation)
    activities = activity_table(restrict(whole.activities, people), people, consultation)
    return GroupSummary(people, scores, _idea_table(coded, consultation), _overall_means(coded, consultation),
                        activities, top_activities(activities))


# -- comments -----------------------------------------------------------------------------

COMMENT_COLUMNS = {
    "submitted_at": "Submitted", "comments": "Comment", "section": "Section", "role_group": "Role group",
    "role": "Role", "organisation": "Organisation",
}


def survey_comments(survey: pd.DataFrame) -> pd.DataFrame:
    """Responses with a comment, newest first, with who left it (never an e-mail address)."""
    has = survey[survey["comments"].str.strip() != ""]
    out = has.sort_values("submitted_at", ascending=False, na_position="last", kind="stable")
    return out[list(COMMENT_COLUMNS)].rename(columns=COMMENT_COLUMNS).reset_index(drop=True)


# -- tables for download ------------------------------------------------------------------


def idea_export(table: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """``idea_table`` (or its per-group form) with readable headers; intervals as numbers
    (blank when undefined) and as text."""
    out = pd.DataFrame()
    if "role_group" in table.columns:
        out["Role group"] = table["role_group"]
        out["Respondents in group"] = table["respondents"]
        out["Small number (group)"] = table["small_group"]
    out["Idea"] = table["idea"]
    out["Responses scoring it"] = table["n_any"]
    for m, title in titles.items():
        out[f"{title}: n"] = table[f"{m}_n"]
        out[f"{title}: mean"] = table[f"{m}_mean"].round(3)
        out[f"{title}: 95% CI low"] = table[f"{m}_ci_low"].round(3)
        out[f"{title}: 95% CI high"] = table[f"{m}_ci_high"].round(3)
        out[f"{title}: 95% CI"] = [interval_text(lo, hi, n) for lo, hi, n in
                                   zip(table[f"{m}_ci_low"], table[f"{m}_ci_high"], table[f"{m}_n"])]
        out[f"{title}: share scoring 4–5"] = table[f"{m}_high"].round(3)
    out["Gap (mean difference)"] = table["gap"].round(3)
    out["Quadrant"] = table["quadrant"]
    return out


def likert_export(shares: pd.DataFrame, titles: dict[str, str], order: list[str]) -> pd.DataFrame:
    """``likert`` as one row per idea and measure with the count and share of each score."""
    rows = []
    for idea in order:
        for m, title in titles.items():
            part = shares[(shares["idea"] == idea) & (shares["measure"] == m)].set_index("score")
            row = {"Idea": idea, "Measure": title, "Answered": int(part["n"].sum())}
            for s in SCORES:
                row[f"Score {s}: n"] = int(part.at[s, "n"])
            for s in SCORES:
                row[f"Score {s}: share"] = round(float(part.at[s, "share"]), 4)
            rows.append(row)
    return pd.DataFrame(rows)


def activity_export(table: pd.DataFrame) -> pd.DataFrame:
    """``activity_table`` (or its per-group form) with readable headers."""
    out = pd.DataFrame()
    if "role_group" in table.columns:
        out["Role group"] = table["role_group"]
        out["Respondents in group"] = table["respondents"]
        out["Small number (group)"] = table["small_group"]
    out["Section"] = table["section"]
    out["Activity"] = table["activity"]
    out["Responses ticking it"] = table["n"]
    out["Share of respondents"] = table["share"].round(4)
    return out.reset_index(drop=True)
