"""The team's corrections to themes, as pure data, and carrying them across recomputations.

An *assignment* is a Series: response identity → theme id (or ``UNTHEMED``); *labels* map
theme id → label. Edits (frozen dataclasses, so the store can keep them as rows):

- ``Rename(theme, label)``
- ``Merge(source, target)``: the source's responses join the target; the source is gone.
- ``Move(responses, target)``: those responses go to ``target`` (a theme, or ``UNTHEMED``).
- ``Split(responses, theme, label)``: those responses become a new theme; its id is chosen
  when the edit is made (``new_theme_id``) so reapplying the edit gives the same id.

When themes are recomputed on new data, ``match_themes`` pairs each new theme with the
previous run's theme it overlaps most (Jaccard on the responses both runs hold), the new run
takes the previous ids (``carry_ids``), the team's edits are applied again (``apply_edits``: an edit
whose theme or responses are gone is skipped and reported), and ``theme_changes`` says which
themes are new, gone, grew, shrank or were renamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .themes import UNTHEMED


@dataclass(frozen=True)
class Rename:
    theme: str
    label: str


@dataclass(frozen=True)
class Merge:
    source: str
    target: str


@dataclass(frozen=True)
class Move:
    responses: tuple
    target: str


@dataclass(frozen=True)
class Split:
    responses: tuple
    theme: str
    label: str


Edit = Rename | Merge | Move | Split


@dataclass(frozen=True)
class Applied:
    """The result of applying edits: the assignment, the labels and the edits that could not apply."""

    assignment: pd.Series
    labels: dict[str, str]
    skipped: tuple[tuple[Edit, str], ...]


def new_theme_id(existing: Iterable[str], prefix: str = "E") -> str:
    """A theme id not in ``existing``: ``E1``, ``E2``… (automatic themes are ``T…``)."""
    taken = set(existing)
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def apply_edits(assignment: pd.Series, labels: Mapping[str, str], edits: Sequence[Edit]) -> Applied:
    """Apply ``edits`` in order; one that no longer fits (its theme or all its responses gone) is skipped."""
    out = assignment.copy()
    names = dict(labels)
    skipped: list[tuple[Edit, str]] = []
    for edit in edits:
        if isinstance(edit, Rename):
            if edit.theme not in names:
                skipped.append((edit, f"theme {edit.theme} no longer exists"))
                continue
            names[edit.theme] = edit.label
        elif isinstance(edit, Merge):
            missing = [t for t in (edit.source, edit.target) if t not in names]
            if missing or edit.source == edit.target:
                skipped.append((edit, f"theme {', '.join(missing) or edit.source} no longer exists"
                                if missing else "a theme cannot be merged into itself"))
                continue
            out[out == edit.source] = edit.target
            del names[edit.source]
        elif isinstance(edit, Move):
            if edit.target != UNTHEMED and edit.target not in names:
                skipped.append((edit, f"theme {edit.target} no longer exists"))
                continue
            present = out.index.intersection(pd.Index(edit.responses))
            if present.empty:
                skipped.append((edit, "none of its responses are in this data"))
                continue
            out[present] = edit.target
        elif isinstance(edit, Split):
            present = out.index.intersection(pd.Index(edit.responses))
            if present.empty:
                skipped.append((edit, "none of its responses are in this data"))
                continue
            out[present] = edit.theme
            names[edit.theme] = edit.label
        else:
            raise TypeError(f"Not a theme edit: {edit!r}")
    # a theme emptied by moves keeps no label
    names = {t: label for t, label in names.items() if (out == t).any()}
    return Applied(out, names, tuple(skipped))


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets)."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def match_themes(previous: pd.Series, current: pd.Series, min_overlap: float = 0.3) -> dict[str, str]:
    """New theme id → previous theme id, by Jaccard overlap on the responses both runs hold.

    Greedy, best pair first; a pair under ``min_overlap`` is not a match. Unthemed takes no part.
    """
    common = previous.index.intersection(current.index)
    prev = previous[common]
    cur = current[common]
    prev_sets = {t: set(m.index) for t, m in prev[prev != UNTHEMED].groupby(prev[prev != UNTHEMED])}
    cur_sets = {t: set(m.index) for t, m in cur[cur != UNTHEMED].groupby(cur[cur != UNTHEMED])}
    pairs = sorted(((jaccard(cs, ps), c, p) for c, cs in cur_sets.items() for p, ps in prev_sets.items()),
                   key=lambda x: (-x[0], x[1], x[2]))
    out: dict[str, str] = {}
    used: set[str] = set()
    for score, c, p in pairs:
        if score < min_overlap:
            break
        if c in out or p in used:
            continue
        out[c] = p
        used.add(p)
    return out


def carry_ids(previous: pd.Series, current: pd.Series, current_labels: Mapping[str, str],
              min_overlap: float = 0.3) -> tuple[pd.Series, dict[str, str]]:
    """The new run with the previous run's ids where themes match; unmatched themes get fresh ids."""
    matched = match_themes(previous, current, min_overlap)
    taken = set(previous.unique()) | set(matched.values())
    rename: dict[str, str] = {}
    for theme in current_labels:
        if theme in matched:
            rename[theme] = matched[theme]
        else:
            rename[theme] = new_theme_id(taken | set(rename.values()), prefix="N")
    assignment = current.map(lambda t: rename.get(t, t))
    labels = {rename[t]: label for t, label in current_labels.items()}
    return assignment, labels


def recompute(previous: pd.Series, previous_labels: Mapping[str, str], current: pd.Series,
              current_labels: Mapping[str, str], edits: Sequence[Edit],
              min_overlap: float = 0.3) -> tuple[pd.Series, dict[str, str], Applied, pd.DataFrame]:
    """Carry ids from the previous automatic run to a new one, reapply the edits, list the changes.

    ``previous``/``previous_labels``: the last automatic run as stored (ids already carried).
    ``current``/``current_labels``: the fresh automatic run on the new data.
    Returns the new automatic run with carried ids (store it for next time), its labels, the
    edited result the team sees, and the changes between what they saw before and now.
    """
    assignment, labels = carry_ids(previous, current, current_labels, min_overlap)
    before = apply_edits(previous, previous_labels, edits)
    after = apply_edits(assignment, labels, edits)
    return assignment, labels, after, theme_changes(before.assignment, before.labels, after.assignment,
                                                    after.labels)


def theme_changes(previous: pd.Series, previous_labels: Mapping[str, str], current: pd.Series,
                  current_labels: Mapping[str, str]) -> pd.DataFrame:
    """Per theme id: ``status`` (new, gone, grew, shrank, same), ``renamed``, sizes before and after."""
    before = previous[previous != UNTHEMED].value_counts()
    after = current[current != UNTHEMED].value_counts()
    rows = []
    for theme in sorted(set(previous_labels) | set(current_labels), key=lambda t: (t[:1], len(t), t)):
        b, a = int(before.get(theme, 0)), int(after.get(theme, 0))
        if theme not in current_labels:
            status = "gone"
        elif theme not in previous_labels:
            status = "new"
        else:
            status = "grew" if a > b else ("shrank" if a < b else "same")
        renamed = (theme in previous_labels and theme in current_labels
                   and previous_labels[theme] != current_labels[theme])
        rows.append({"theme": theme, "label": current_labels.get(theme, previous_labels.get(theme, "")),
                     "previous_label": previous_labels.get(theme, ""), "status": status, "renamed": renamed,
                     "before": b, "after": a})
    return pd.DataFrame(rows, columns=["theme", "label", "previous_label", "status", "renamed", "before", "after"])
