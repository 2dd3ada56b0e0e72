"""Reactions by page, by role and by role group; who has not been heard from where ("missing
voices"); the net reaction score; the responses behind the charts; the tables as downloaded;
and turning a chart selection into filter changes.

Every function takes the per-page feedback already filtered with ``lib.filters.apply_feedback``
plus the ``Filters`` themselves, which decide which categories are in view: the pages of the
site's nav in nav order (zeros kept) narrowed to the chosen pages/sections, the form's roles
and role groups narrowed to the chosen ones, the form's reactions narrowed to the chosen ones.
``Not given``/``Unrecognised`` categories appear only when some response has them.

The net reaction score of a group of responses is the share that chose the positive reaction
(``consultation.positive_reaction``) minus the share that chose the negative one
(``negative_reaction``), in percentage points of all its responses (with or
without a reaction), from −100 to +100. Groups under ``SMALL_NUMBER`` responses are flagged
"small number" and not ranked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .aggregates import CATCH_ALL, SMALL_NUMBER, crosstab, pages_in_scope, reaction_order, role_group_order, role_order
from .consultation import UNKNOWN_PAGE, Consultation
from .filters import FilterOptions, Filters, Under
from .pages_meta import SiteMeta, site_relative

#: The note on a group with fewer than ``SMALL_NUMBER`` responses (flagged, not ranked).
SMALL_NOTE = "small number"
NONE_NOTE = "no responses"


@dataclass(frozen=True)
class Dimension:
    """A way to split responses: its feedback column and the filter a selection sets."""

    name: str
    column: str
    filter_field: str
    title: str


PAGE = Dimension("page", "page_path", "pages", "Page")
ROLE_GROUP = Dimension("role_group", "role_group", "role_groups", "Role group")
ROLE = Dimension("role", "role", "roles", "Role")
#: The filter fields a chart point can set, in the order of a point's selection key.
SELECT_FIELDS: tuple[str, ...] = ("pages", "roles", "role_groups", "reactions")


# -- what each chart filters by (a chart never filters itself) ---------------------------------

#: The filters a chart of each dimension shows as a highlight instead of applying them.
OWN_FILTERS = {"page": ("pages",), "role_group": ("role_groups",), "role": ("roles",)}


def chart_filters(f: Filters, *dims: Dimension) -> Filters:
    """The filters a chart of ``dims`` applies: every filter except the reaction (each chart on
    the page shows every reaction, the chosen ones highlighted) and its own dimensions' (its
    chosen bars are highlighted among the others). So a click never leaves a chart of one bar
    at 100 %: the comparison stays on screen."""
    own = {name for d in dims for name in OWN_FILTERS[d.name]}
    return f.with_(reactions=(), **{name: () for name in own})


#: The columns the charts and headlines count responses by: only these are taken from the kept rows.
COUNTED = ("page_path", "page_label", "section", "role", "role_group", "reaction", "submitted_at")


def charted(under: Under, f: Filters, *dims: Dimension) -> pd.DataFrame:
    """The responses a chart of ``dims`` draws (``chart_filters``, applied by ``under``: the view's
    filtering, so a chart honours the triage, theme and campaign filters as the page's counts do),
    with the columns it counts by (``COUNTED``)."""
    return under(chart_filters(f, *dims), columns=COUNTED)


def chosen(f: Filters, dim: Dimension) -> tuple[str, ...]:
    """The categories of ``dim`` chosen in the filters (highlighted in its chart)."""
    return getattr(f, dim.filter_field)


# -- categories in view -----------------------------------------------------------------


def _present(fb: pd.DataFrame, column: str, label: str) -> bool:
    return bool((fb[column] == label).any())


def page_rows(site: SiteMeta, all_feedback: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Pages in view (columns ``key``, ``label``, ``section``), nav order, zero pages kept.

    The scope comes from every row read (as the sidebar's options do), so a page does not
    vanish from a chart because a filter leaves it without responses.
    """
    scope = pages_in_scope(site, all_feedback)
    if f.pages:
        scope = scope[scope["path"].isin(f.pages)]
    if f.sections:
        scope = scope[scope["section"].isin(f.sections)]
    return pd.DataFrame({"key": scope["path"].astype(object), "label": scope["label"].astype(object),
                         "section": scope["section"].astype(object)}).reset_index(drop=True)


def real_pages(pages: pd.DataFrame) -> pd.DataFrame:
    """``pages`` without the ``(unknown)`` bucket of addresses that matched no page (it is
    no page anyone could be missing from, nor one to rank)."""
    return pages[pages["key"] != UNKNOWN_PAGE].reset_index(drop=True)


def _group_of(c: Consultation, role: str) -> str:
    return c.group_of_role.get(role, role)


def role_rows(c: Consultation, fb: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Roles in view in the form's order (zeros kept; catch-alls only when present)."""
    keys = [r for r in role_order(c) if r not in CATCH_ALL or _present(fb, "role", r)]
    if f.roles:
        keys = [r for r in keys if r in f.roles]
    if f.role_groups:
        keys = [r for r in keys if _group_of(c, r) in f.role_groups]
    return pd.DataFrame({"key": keys, "label": keys, "section": [_group_of(c, r) for r in keys]}, dtype=object)


def group_rows(c: Consultation, fb: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Role groups in view in the consultation's order (zeros kept; catch-alls only when present)."""
    keys = [g for g in role_group_order(c) if g not in CATCH_ALL or _present(fb, "role_group", g)]
    if f.role_groups:
        keys = [g for g in keys if g in f.role_groups]
    if f.roles:
        keys = [g for g in keys if g in {_group_of(c, r) for r in f.roles}]
    return pd.DataFrame({"key": keys, "label": keys, "section": [""] * len(keys)}, dtype=object)


def rows_for(dim: Dimension, ds, fb: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The categories in view for one dimension (``ds`` is the ``Dataset``)."""
    if dim.name == PAGE.name:
        return page_rows(ds.site, ds.feedback, f)
    if dim.name == ROLE.name:
        return role_rows(ds.consultation, fb, f)
    return group_rows(ds.consultation, fb, f)


def reactions_in_view(c: Consultation, fb: pd.DataFrame, f: Filters) -> list[str]:
    """Reactions in the form's order, narrowed to the filter; catch-alls only when present."""
    keys = [r for r in reaction_order(c) if r not in CATCH_ALL or _present(fb, "reaction", r)]
    return [r for r in keys if r in f.reactions] if f.reactions else keys


def groups_in_view(c: Consultation, f: Filters) -> list[str]:
    """The consultation's role groups a coverage check asks about (narrowed by the filters)."""
    groups = [g for g in c.role_group_labels if not f.role_groups or g in f.role_groups]
    if f.roles:
        groups = [g for g in groups if g in {_group_of(c, r) for r in f.roles}]
    return groups


# -- reactions per category ---------------------------------------------------------------


def _counts(fb: pd.DataFrame, rows: Sequence[str], column: str, cols: Sequence[str], by: str) -> pd.DataFrame:
    """Responses per (row, col) value, every row and column listed (zeros kept): counted on the
    columns' integer codes (the viewer's are categorical), not grouped by their values."""
    table = crosstab(fb[column], fb[by]) if len(fb) else pd.DataFrame()
    table = table.reindex(index=list(rows), columns=list(cols), fill_value=0).fillna(0).astype(int)
    table.index.name, table.columns.name = None, None
    return table


@dataclass(frozen=True)
class ReactionTable:
    """Reactions per category: ``rows`` (key, label, section, n) in display order and
    ``counts`` (index key, one column per reaction in display order)."""

    dimension: Dimension
    rows: pd.DataFrame
    counts: pd.DataFrame

    @property
    def reactions(self) -> list[str]:
        """The reactions counted, in display order."""
        return list(self.counts.columns)

    def shares(self) -> pd.DataFrame:
        """Percentages of each category's responses (0 for a category without any)."""
        n = self.rows.set_index("key")["n"]
        return shares_of(self.counts, n)

    def export(self, short: Mapping[str, str]) -> pd.DataFrame:
        """The table for a CSV download: counts and percentages per reaction."""
        out = pd.DataFrame({self.dimension.title: self.rows["label"].to_numpy()})
        if self.dimension.name == PAGE.name:
            out["Section"] = self.rows["section"].to_numpy()
            out["Path"] = self.rows["key"].map(site_relative).to_numpy()
        elif self.dimension.name == ROLE.name:
            out["Role group"] = self.rows["section"].to_numpy()
        out["Responses"] = self.rows["n"].to_numpy()
        shares = self.shares()
        for r in self.reactions:
            out[short.get(r, r)] = self.counts[r].to_numpy()
        for r in self.reactions:
            out[f"{short.get(r, r)} %"] = shares[r].round(1).to_numpy()
        return out


def shares_of(counts: pd.DataFrame, n: pd.Series) -> pd.DataFrame:
    """``counts`` as percentages of ``n`` per row; 0 where ``n`` is 0."""
    total = n.reindex(counts.index).astype(float)
    out = counts.astype(float).mul(100).div(total.where(total > 0), axis=0)
    return out.fillna(0.0)


def reaction_table(fb: pd.DataFrame, rows: pd.DataFrame, dim: Dimension, reactions: Sequence[str]) -> ReactionTable:
    """Responses per category and reaction; ``n`` counts every response of the category."""
    n = fb[dim.column].value_counts()
    out_rows = rows.copy()
    out_rows["n"] = out_rows["key"].map(n).fillna(0).astype(int)
    counts = _counts(fb, rows["key"], dim.column, reactions, "reaction")
    return ReactionTable(dim, out_rows.reset_index(drop=True), counts)


# -- net reaction score ---------------------------------------------------------------------


def net_scores(fb: pd.DataFrame, rows: pd.DataFrame, dim: Dimension, c: Consultation,
               min_n: int = SMALL_NUMBER) -> pd.DataFrame:
    """Net reaction score per category (rows in display order).

    Columns: key, label, n, positive, negative (counts), positive_pct, negative_pct, score
    (percentage points; NaN without responses), small (0 < n < min_n), rank (1 = highest
    score, among categories with at least ``min_n`` responses; ties share a rank), note.
    """
    table = reaction_table(fb, rows, dim, [c.positive_reaction, c.negative_reaction])
    out = table.rows[["key", "label", "n"]].copy()
    out["positive"] = table.counts[c.positive_reaction].to_numpy()
    out["negative"] = table.counts[c.negative_reaction].to_numpy()
    n = out["n"].astype(float).where(out["n"] > 0)
    out["positive_pct"] = out["positive"] * 100 / n
    out["negative_pct"] = out["negative"] * 100 / n
    out["score"] = out["positive_pct"] - out["negative_pct"]
    out["small"] = (out["n"] > 0) & (out["n"] < min_n)
    ranked = out["score"].where(out["n"] >= min_n)
    out["rank"] = ranked.rank(ascending=False, method="min").astype("Int64")
    out["note"] = [NONE_NOTE if k == 0 else SMALL_NOTE if s else "" for k, s in zip(out["n"], out["small"])]
    return out


def signed(value: float) -> str:
    """A score with its sign and a real minus, as people read it: +55, −38, 0."""
    text = f"{value:+.0f}"
    return "0" if text in ("+0", "-0") else text.replace("-", "\u2212")


def score_order(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores for a chart: ranked categories best first, then small numbers (display order);
    categories without responses left out."""
    ranked = scores[scores["rank"].notna()].sort_values(["rank", "label"], kind="stable")
    small = scores[scores["small"]]
    return pd.concat([ranked, small]).reset_index(drop=True)


def score_export(scores: pd.DataFrame, title: str, positive: str, negative: str) -> pd.DataFrame:
    """The score table for display and download (``positive``/``negative``: the reactions' short labels)."""
    return pd.DataFrame({
        "Rank": scores["rank"],
        title: scores["label"],
        "Responses": scores["n"],
        f"{positive} %": scores["positive_pct"].round(1),
        f"{negative} %": scores["negative_pct"].round(1),
        "Net score": scores["score"].round(1),
        "Note": scores["note"],
    })


# -- who has been heard from where ----------------------------------------------------------


#: What a page heatmap's colour can show: responses, the net score or the share of one reaction.
RESPONSES = "responses"
NET = "net"


@dataclass(frozen=True)
class Heat:
    """A page × role group (or role) grid: responses per cell (``counts``) and the value the
    colour shows (``value``: NaN where a cell is not coloured: no responses, or a net score
    under ``SMALL_NUMBER``). ``measure`` is ``RESPONSES``, ``NET`` or a reaction label (its share)."""

    dimension: Dimension
    pages: pd.DataFrame
    counts: pd.DataFrame
    value: pd.DataFrame
    measure: str

    @property
    def columns(self) -> list[str]:
        """The grid's columns (role groups or roles), in display order."""
        return list(self.counts.columns)

    @property
    def zero(self) -> pd.DataFrame:
        """Cells nobody from the column responded on."""
        return self.counts == 0

    @property
    def small(self) -> pd.DataFrame:
        """Cells whose net score or share is a small number: some responses, but fewer than
        ``SMALL_NUMBER`` (drawn pale with their n; never coloured as if 1 of 1 were 100 %)."""
        if self.measure == RESPONSES:
            return self.counts < 0
        return (self.counts > 0) & (self.counts < SMALL_NUMBER)

    def export(self, short: Mapping[str, str]) -> pd.DataFrame:
        """Long table for a download: one row per page and column."""
        title = self.dimension.title
        labels = self.pages.set_index("key")["label"]
        counts, value = self.counts.stack(), self.value.stack()
        out = pd.DataFrame({"Page": counts.index.get_level_values(0).map(labels),
                            title: counts.index.get_level_values(1), "Responses": counts.to_numpy()})
        if self.measure == NET:
            out["Net score"] = value.round(1).to_numpy()
            out["Note"] = [SMALL_NOTE if 0 < n < SMALL_NUMBER else "" for n in out["Responses"]]
        elif self.measure != RESPONSES:
            out[f"{short.get(self.measure, self.measure)} %"] = value.round(1).to_numpy()
            out["Note"] = [SMALL_NOTE if 0 < n < SMALL_NUMBER else "" for n in out["Responses"]]
        return out.reset_index(drop=True)


def heat_measures(c: Consultation, f: Filters) -> dict[str, str]:
    """What the heatmap's colour can show, key → name on screen: responses, the net score, or
    the share of one of the form's reactions in view."""
    shown = [r for r in c.reaction_labels if not f.reactions or r in f.reactions]
    return {RESPONSES: "Responses", NET: "Net score"} | {r: c.short_reaction[r] for r in shown}


def heat_colours(measure: str, c: Consultation, neutral: str) -> tuple[str, str]:
    """The heatmap's colour for high values and, for the net score, for negative ones: ``neutral``
    for responses, the positive/negative reactions' colours for the net score, a reaction's own."""
    if measure == RESPONSES:
        return neutral, ""
    if measure == NET:
        return c.reaction_colours[c.positive_reaction], c.reaction_colours[c.negative_reaction]
    return c.reaction_colours.get(measure, neutral), ""


def measure_words(measure: str, short: Mapping[str, str]) -> str:
    """A heatmap measure in a sentence ("responses", "net score", "share Disagree")."""
    return {RESPONSES: "responses", NET: "net score"}.get(measure, f"share {short.get(measure, measure)}")


def uncharted(fb: pd.DataFrame, dim: Dimension) -> int:
    """Responses whose role (or group) is not one of the form's, so no heatmap column shows them."""
    return int(fb[dim.column].isin(CATCH_ALL).sum())


def with_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """The pages of ``coverage_gaps`` not yet heard from by at least one group."""
    return gaps[gaps["missing"].map(len) > 0]


def heat_columns(dim: Dimension, c: Consultation, fb: pd.DataFrame, f: Filters) -> list[str]:
    """Columns of the page heatmap: the form's role groups or roles in view (not the
    catch-alls: an unrecognised role is no voice anyone could be missing)."""
    rows = role_rows(c, fb, f) if dim.name == ROLE.name else group_rows(c, fb, f)
    return [k for k in rows["key"] if k not in CATCH_ALL]


def heat(fb: pd.DataFrame, pages: pd.DataFrame, dim: Dimension, columns: Sequence[str], measure: str,
         c: Consultation, min_n: int = SMALL_NUMBER) -> Heat:
    """Responses per page and role group (or role), and the value the colour shows."""
    counts = _counts(fb, pages["key"], PAGE.column, columns, dim.column)
    out_pages = pages.copy()
    out_pages["n"] = out_pages["key"].map(fb[PAGE.column].value_counts()).fillna(0).astype(int)

    def hits(reaction: str) -> pd.DataFrame:
        return _counts(fb[fb["reaction"] == reaction], pages["key"], PAGE.column, columns, dim.column)

    total = counts.astype(float).where(counts > 0)
    if measure == RESPONSES:
        value = total
    elif measure == NET:
        value = (hits(c.positive_reaction) - hits(c.negative_reaction)) * 100 / total
        value = value.where(counts >= min_n)
    else:
        value = hits(measure) * 100 / total
    return Heat(dim, out_pages.reset_index(drop=True), counts, value.astype(float), measure)


def coverage_gaps(fb: pd.DataFrame, pages: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """Per page (display order): its responses, how many of ``groups`` were heard from, and
    which were not (``missing``, a tuple in the groups' order)."""
    grid = _counts(fb, pages["key"], PAGE.column, groups, ROLE_GROUP.column)
    out = pages[["key", "label"]].copy().reset_index(drop=True)
    out["n"] = out["key"].map(fb[PAGE.column].value_counts()).fillna(0).astype(int)
    heard = grid > 0
    out["heard"] = heard.sum(axis=1).to_numpy().astype(int) if len(groups) else 0
    out["missing"] = [tuple(g for g in groups if not heard.at[k, g]) for k in out["key"]]
    return out


def silent_pages(gaps: pd.DataFrame) -> list[str]:
    """Labels of the pages in view with no feedback at all."""
    return list(gaps.loc[gaps["n"] == 0, "label"])


NO_FEEDBACK = "No feedback at all"


def gaps_export(gaps: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """The coverage table for display and download."""
    return pd.DataFrame({
        "Page": gaps["label"],
        "Not yet heard from": [NO_FEEDBACK if n == 0 else "; ".join(m) for n, m in zip(gaps["n"], gaps["missing"])],
        "Responses": gaps["n"],
        "Groups heard": [f"{h} of {len(groups)}" for h in gaps["heard"]],
    })


# -- from a chart point to filters -----------------------------------------------------------


def select_key(*, page: str = "", role: str = "", group: str = "", reaction: str = "") -> list[str]:
    """The selection key a chart point carries first in its ``customdata`` (blank: not set)."""
    return [page, role, group, reaction]


def point_key(dim: Dimension, key: str, reaction: str = "") -> list[str]:
    """The selection key of a category (and reaction) of ``dim``."""
    return select_key(**{{"pages": "page", "roles": "role", "role_groups": "group"}[dim.filter_field]: key},
                      reaction=reaction)


def selection_changes(points: Iterable[Mapping]) -> dict[str, tuple[str, ...]]:
    """Filter changes for selected chart points: each field a point sets, with every value
    selected for it (points without a selection key are ignored)."""
    chosen: dict[str, dict[str, None]] = {}
    for point in points or ():
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if not isinstance(data, (list, tuple)) or len(data) < len(SELECT_FIELDS):
            continue
        for name, value in zip(SELECT_FIELDS, data):
            if isinstance(value, str) and value:
                chosen.setdefault(name, {})[value] = None
    return {name: tuple(values) for name, values in chosen.items()}


#: How a selection's filters are named to people (the sidebar's words).
SELECTION_TITLES = {"pages": "Page", "roles": "Role", "role_groups": "Role group", "reactions": "Reaction"}


def describe_changes(changes: Mapping[str, Sequence[str]], opts: FilterOptions) -> str:
    """The filters a selection applied, in the sidebar's words ("Page: …; Reaction: …")."""
    parts = []
    for name, values in changes.items():
        labels = getattr(opts, name)
        parts.append(f"{SELECTION_TITLES[name]}: " + ", ".join(labels.get(v, v) for v in values))
    return "; ".join(parts)


# -- the matching responses -------------------------------------------------------------------


#: The matching responses drawn on the page, newest first (the download has every one): a table of
#: 100k rows would be serialised and sent to the browser on every rerun.
SHOWN = 1_000


def matching_responses(fb: pd.DataFrame, c: Consultation, limit: int | None = None) -> pd.DataFrame:
    """The filtered responses as a compact table, newest first (no e-mail address); with ``limit``, the
    newest ``limit`` of them (what is drawn, worked out without sorting or converting the rest).
    Reactions as the screen shows them, the form's wording beside them for the downloads."""
    when = fb["submitted_at"]
    if limit is not None and len(fb) > limit:
        # newest first, undated last, ties in sheet order: what the stable sort below gives
        stamps = when.array.asi8
        undated = when.isna().to_numpy()
        newest = np.lexsort((np.arange(len(fb)), -np.where(undated, 0, stamps), undated))[:limit]
        ordered = fb.iloc[newest]
    else:
        ordered = fb.sort_values("submitted_at", ascending=False, na_position="last", kind="stable")
    ordered = ordered[["submitted_at", "page_label", "reaction", "role", "organisation", "summary", "details"]]
    when = ordered["submitted_at"]
    return pd.DataFrame({
        "Submitted": when.dt.tz_convert(c.timezone).dt.tz_localize(None) if len(ordered) else when,
        "Page": ordered["page_label"].astype(object),
        "Reaction": c.short_reactions(ordered["reaction"]),
        "Role": ordered["role"].astype(object),
        "Organisation": ordered["organisation"].astype(object),
        "Summary": ordered["summary"].astype(object),
        "Details": ordered["details"].astype(object),
        "Reaction (form wording)": ordered["reaction"].astype(object),
    }).reset_index(drop=True)
