"""The team's themes: one canonical run per collection of responses, kept up to date as the data
changes, the team's corrections reapplied, and what the Themes page shows of it.

Why one canonical run rather than themes per filter: a theme must mean the same thing whatever
the sidebar shows (so "T4" on the Comments page, in a link and in "you said, we did" are the same
responses), and the team corrects it once. So themes are found over *every* kept page-feedback
response (summary and details), and the Themes page shows that set restricted to the responses
under the filters (sizes, reactions, representatives and spread of the filtered part).

- ``collection_key``: which data a run belongs to (the demo, a workbook, the live sheet, an upload).
- ``themed_responses``: the responses themed (kept page feedback, one per identity).
- ``next_run``: after a fresh automatic run on new data, the run to keep: the previous run's ids
  carried over by overlap (``lib.theme_edits.carry_ids``), fresh ids that never reuse one given out
  before, and what changed for the team (``theme_changes`` with the corrections applied both sides).
- ``team_view``: a run with the team's corrections applied (``apply_edits``).
- ``theme_rows``, ``in_theme``, ``representatives_in``, ``spread``: what the page shows for the filtered
  part (``row_themes``: each row's theme, worked out once per data and themes).

Pure functions on DataFrames and the store's records; nothing here reads the store or draws.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.preprocessing import normalize

from .aggregates import CATCH_ALL
from .dataset import kept
from .identity import IDENTITY
from .sources import SourceInfo
from .store.themes import EditRecord, ThemeRun
from .theme_edits import Edit, Merge, Move, Rename, Split, apply_edits, carry_ids, new_theme_id, theme_changes
from .themes import UNTHEMED, Themes, ThemeSettings, reaction_mix

METHOD = "TF-IDF (words and pairs) → LSA → average-linkage clustering, c-TF-IDF labels"


def collection_key(info: SourceInfo) -> str:
    """Which data themes belong to: ``demo``, or the source's kind and where it is (a workbook's
    path, the live sheet's key, an upload's file name)."""
    if info.is_demo:
        return "demo"
    return f"{info.kind}:{info.location or info.name}"[:300]


def themed_responses(feedback: pd.DataFrame) -> pd.DataFrame:
    """The responses themes are found in: every kept page-feedback response, one per identity
    (two identical rows without a readable time share one)."""
    return kept(feedback).drop_duplicates(IDENTITY)


def data_key(identities: Sequence[str]) -> str:
    """A digest of the set of responses themed: a new, removed or edited response changes it."""
    text = "\n".join(sorted(map(str, identities)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def k_rule(settings: ThemeSettings | None = None) -> str:
    """The automatic number of themes, in a sentence."""
    settings = settings or ThemeSettings()
    return (f"the smallest number between {settings.k_min} and {settings.k_max} whose silhouette (how much "
            f"closer responses are to their own theme than to the next) is within "
            f"{round((1 - settings.plateau) * 100)} % of the best; themes of fewer than max(3, n ÷ 200) "
            "responses are left Unthemed")


def is_current(run: ThemeRun | None, key: str, k: int | None) -> bool:
    """Whether ``run`` was made on exactly these responses with this number of themes."""
    return run is not None and run.data_key == key and run.k == k


def _native(record: Mapping) -> dict:
    out = {}
    for name, value in record.items():
        if isinstance(value, (np.bool_, bool)):
            out[name] = bool(value)
        elif isinstance(value, (np.integer, int)):
            out[name] = int(value)
        else:
            out[name] = str(value)
    return out


def named_themes(edits: Sequence[Edit]) -> set[str]:
    """Every theme id a correction names."""
    out: set[str] = set()
    for e in edits:
        if isinstance(e, Rename):
            out.add(e.theme)
        elif isinstance(e, Merge):
            out |= {e.source, e.target}
        elif isinstance(e, Move):
            out.add(e.target)
        elif isinstance(e, Split):
            out.add(e.theme)
    return out - {UNTHEMED}


def next_run(stored: ThemeRun | None, auto: Themes, edits: Sequence[Edit], *, collection: str, key: str,
             loaded_at=None) -> ThemeRun:
    """The run to keep after ``auto``, a fresh automatic run (indexed by identity), unsaved.

    Against ``stored`` (the last kept run, if any): ids carried over by overlap; a theme without
    a match gets a fresh ``N…`` id never given out before in this collection, so a correction
    naming a gone theme can't land on a new one; ``changes``: what the team sees change (their
    corrections applied to both runs).
    """
    assignment, labels = auto.assignment.astype(object), auto.labels
    changes: tuple = ()
    issued = set(labels)
    previous_at = None
    if stored is not None:
        previous = stored.series()
        assignment, labels = carry_ids(previous, assignment, labels)
        taken = set(stored.issued) | set(stored.labels) | named_themes(edits)
        fresh = {t for t in labels if t not in stored.labels and t in taken}
        rename: dict[str, str] = {}
        for t in sorted(fresh, key=lambda t: (len(t), t)):
            rename[t] = new_theme_id(taken | set(labels) | set(rename.values()), prefix="N")
        if rename:
            assignment = assignment.map(lambda t: rename.get(t, t))
            labels = {rename.get(t, t): label for t, label in labels.items()}
        before = apply_edits(previous, stored.labels, edits)
        after = apply_edits(assignment, labels, edits)
        table = theme_changes(before.assignment, before.labels, after.assignment, after.labels)
        changes = tuple(_native(r) for r in table.to_dict("records"))
        issued = taken | set(labels)
        previous_at = stored.computed_at
    when = None
    if loaded_at is not None:
        when = pd.Timestamp(loaded_at).to_pydatetime()
    return ThemeRun(
        collection=collection, assignment={str(i): str(t) for i, t in assignment.items()},
        labels={str(t): str(label) for t, label in labels.items()}, k=auto.settings.k, k_chosen=int(auto.k_chosen),
        data_key=key, responses=len(assignment), data_loaded_at=when, issued=tuple(sorted(issued)),
        changes=changes, previous_at=previous_at, method=METHOD)


@dataclass(frozen=True)
class TeamThemes:
    """A run with the team's corrections applied: what every page uses.

    ``assignment``: identity → theme id (or Unthemed); ``labels``: theme id → label, largest
    theme first; ``skipped``: corrections that no longer apply, with why; ``last_edit``: the id
    of the last correction (a new one names it); ``saved``: the run is the one in the store (False:
    worked out for this view only, e.g. a preview of another number of themes).
    """

    run: ThemeRun
    assignment: pd.Series
    labels: dict[str, str]
    skipped: tuple[tuple[Edit, str], ...]
    edits: tuple[EditRecord, ...]
    last_edit: int
    saved: bool = True

    def theme_of(self, identities: pd.Series) -> pd.Series:
        """Each identity's theme (Unthemed when it isn't in the run: new since, or spam)."""
        return identities.map(self.assignment).fillna(UNTHEMED).astype(object)

    @property
    def key(self) -> tuple:
        """What these themes are (run, number of themes, last correction, saved): a cache key."""
        return (self.run.collection, self.run.version, self.run.k, self.last_edit, self.saved, self.run.data_key)

    @functools.cached_property
    def sizes(self) -> pd.Series:
        """Responses per theme in the whole run (worked out once: these themes are shared)."""
        return self.assignment.value_counts()

    @functools.cached_property
    def members(self) -> dict[str, pd.Index]:
        """Each theme's identities in the whole run."""
        return {t: pd.Index(ids) for t, ids in self.assignment.groupby(self.assignment, sort=False).groups.items()} \
            if len(self.assignment) else {}

    def choices(self) -> dict[str, str]:
        """Theme id → label for the theme filter, Unthemed last; labels made unique."""
        out: dict[str, str] = {}
        seen: dict[str, int] = {}
        for label in self.labels.values():
            seen[label] = seen.get(label, 0) + 1
        for t, label in self.labels.items():
            out[t] = f"{label} ({t})" if seen[label] > 1 or label == UNTHEMED else label
        out[UNTHEMED] = UNTHEMED
        return out


def team_view(run: ThemeRun, edits: Sequence[EditRecord], saved: bool = True) -> TeamThemes:
    """``run`` with the corrections in ``edits`` applied in order (``lib.theme_edits.apply_edits``)."""
    applied = apply_edits(run.series(), run.labels, [e.edit for e in edits])
    sizes = applied.assignment[applied.assignment != UNTHEMED].value_counts()
    order = sorted(applied.labels, key=lambda t: (-int(sizes.get(t, 0)), len(t), t))
    return TeamThemes(run, applied.assignment, {t: applied.labels[t] for t in order}, applied.skipped,
                      tuple(edits), max((e.id for e in edits), default=0), saved)


def describe_edit(edit: Edit, labels: Mapping[str, str]) -> str:
    """A correction in words, for the history ("Renamed T3 to “Funding”")."""
    def name(t: str) -> str:
        return f"{t} ({labels[t]})" if t in labels and t != UNTHEMED else t

    if isinstance(edit, Rename):
        return f"Renamed {edit.theme} to “{edit.label}”"
    if isinstance(edit, Merge):
        return f"Merged {name(edit.source)} into {name(edit.target)}"
    if isinstance(edit, Move):
        n = len(edit.responses)
        return f"Moved {n} response{'s' if n != 1 else ''} to {name(edit.target)}"
    if isinstance(edit, Split):
        n = len(edit.responses)
        return f"Split {n} response{'s' if n != 1 else ''} off as {edit.theme} “{edit.label}”"
    return str(edit)


# -- what the page shows of the filtered responses --------------------------------------


def row_themes(frame: pd.DataFrame, themes: TeamThemes) -> pd.Series:
    """Each row's theme (categorical, on ``frame``'s index). Worked out once for every row read, a
    filtered frame's are taken from it by index: mapping 100k identities on every rerun cost more
    than the rest of the page."""
    return themes.theme_of(frame[IDENTITY]).astype("category")


def _themes_of(frame: pd.DataFrame, themes: TeamThemes, of: pd.Series | None) -> pd.Series:
    """``of`` (each row's theme, from ``row_themes``) on ``frame``'s rows, or worked out now (``of``
    as it is when it is on the same rows: looking up 100k labels cost more than the rest)."""
    if of is None:
        return themes.theme_of(frame[IDENTITY])
    return of if of.index.equals(frame.index) else of.reindex(frame.index)


def in_theme(frame: pd.DataFrame, themes: TeamThemes, theme: str, of: pd.Series | None = None,
             rows: np.ndarray | None = None) -> pd.DataFrame:
    """The rows of ``frame`` in ``theme`` (``of``: each row's theme, ``row_themes``, if worked out;
    ``rows``: which of ``frame``'s rows are in view, ``View.rows``, when it is the dataset's)."""
    keep = (_themes_of(frame, themes, of) == theme).to_numpy()
    return frame[keep & rows if rows is not None else keep]


def theme_rows(frame: pd.DataFrame, themes: TeamThemes, short: Mapping[str, str] | None = None,
               of: pd.Series | None = None) -> pd.DataFrame:
    """One row per theme (largest overall first, Unthemed last) for the responses in ``frame``:
    ``theme, label, responses`` (in ``frame``), ``share`` (of ``frame``), ``overall`` (in the
    whole run), ``reaction_mix`` (a sentence). ``of``: each row's theme (``row_themes``), if
    worked out."""
    short = short or {}
    mix: dict[str, dict[str, int]] = {}
    if len(frame):
        pairs = pd.DataFrame({"theme": _themes_of(frame, themes, of).array, "reaction": frame["reaction"].array})
        for (t, r), n in pairs.groupby(["theme", "reaction"], observed=True, sort=False, dropna=False).size().items():
            said = mix.setdefault(t, {})
            r = "" if pd.isna(r) else short.get(r, r)
            said[r] = said.get(r, 0) + int(n)
    rows = []
    for t, label in [*themes.labels.items(), (UNTHEMED, UNTHEMED)]:
        n = sum(mix.get(t, {}).values())
        rows.append({"theme": t, "label": label, "responses": n, "share": n / len(frame) if len(frame) else 0.0,
                     "overall": int(themes.sizes.get(t, 0)),
                     "reaction_mix": reaction_mix(mix[t]) if n else "no responses here"})
    return pd.DataFrame(rows, columns=["theme", "label", "responses", "share", "overall", "reaction_mix"])


def closeness(themes: TeamThemes, theme: str, vectors: pd.DataFrame | None) -> pd.Series:
    """How close each of ``theme``'s responses with a vector is to the theme's centre (the mean of
    all its responses' vectors, filtered or not): identity → cosine. Empty without vectors or for
    Unthemed. It depends on the themes alone, so it is worked out once, not on every filter."""
    if vectors is None or theme == UNTHEMED:
        return pd.Series(dtype=float)
    have = vectors.index.intersection(themes.members.get(theme, pd.Index([])))
    if have.empty:
        return pd.Series(dtype=float)
    rows = vectors.loc[have].to_numpy()
    return pd.Series(rows @ normalize(rows.mean(axis=0, keepdims=True))[0], index=have)


def representatives_in(frame: pd.DataFrame, themes: TeamThemes, theme: str, vectors: pd.DataFrame | None,
                       n: int = 3, of: pd.Series | None = None, close: pd.Series | None = None) -> pd.DataFrame:
    """The ``n`` responses of ``frame`` in ``theme`` closest to the theme's centre (``closeness``);
    without vectors, or for Unthemed, the newest. ``of``: each row's theme (``row_themes``) and
    ``close``: ``closeness``, if worked out."""
    mine = in_theme(frame, themes, theme, of)
    if mine.empty:
        return mine
    if vectors is None or theme == UNTHEMED:
        return mine.sort_values("submitted_at", ascending=False, na_position="last", kind="stable").head(n)
    close = closeness(themes, theme, vectors) if close is None else close
    if close.empty:
        return mine.head(n)
    score = close.reindex(mine[IDENTITY].to_numpy()).fillna(-np.inf).to_numpy()
    order = np.lexsort((np.arange(len(mine)), -score))
    return mine.iloc[order[:n]]


def spread(frame: pd.DataFrame, themes: TeamThemes, theme: str, pages: Sequence[str],
           groups: Sequence[str], of: pd.Series | None = None) -> pd.DataFrame:
    """Responses of ``theme`` in ``frame``: pages (rows, ``pages`` order, only those with any)
    × role groups (columns, ``groups`` order then others; "Not given" and "Unrecognised" only
    when someone is in them), counts. ``of``: each row's theme (``row_themes``), if worked out."""
    mine = in_theme(frame, themes, theme, of)
    groups = [g for g in groups if g not in CATCH_ALL]
    if mine.empty:
        return pd.DataFrame(columns=groups, dtype="int64")
    table = pd.crosstab(mine["page_label"].astype(object), mine["role_group"].astype(object))
    rows = [p for p in pages if p in table.index] + sorted(p for p in table.index if p not in set(pages))
    cols = groups + [g for g in CATCH_ALL if g in table.columns] + \
        sorted(g for g in table.columns if g not in set(groups) | set(CATCH_ALL))
    return table.reindex(index=rows, columns=cols, fill_value=0).astype("int64")
