"""The team's themes for this server: found once per data and number of themes (cached for every
session), kept in the analysis store as one canonical run per collection, recomputed when the data
changes with the team's corrections reapplied, and the correction forms (rename, merge, move, split).

``state(loaded, work, compute=…)`` is what ``dashboard.py`` and the pages ask for. With ``compute``
false it never runs the (seconds-long) theming: it returns the stored run, current or not, for the
sidebar's theme choices; pages that show themes, and a view filtered by a theme, pass ``True``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ..dataset import Loaded, expand
from ..identity import IDENTITY
from ..safe_text import escape_markdown
from ..store import RunConflict, Store, StoreError, ThemeEditConflict
from ..team_themes import (
    TeamThemes,
    collection_key,
    data_key,
    is_current,
    next_run,
    team_view,
    themed_responses,
)
from ..theme_edits import Edit, Merge, Rename, Split
from ..themes import ThemeError, Themes, ThemeSettings, find_themes
from . import store as team_store

log = logging.getLogger("consultation_insight")
CONFLICT_KEY = "_themes_conflict"
PICK_KEY = "themes_pick"   # the Themes page's theme picker (bound to the link)


@dataclass(frozen=True)
class ThemeState:
    """What is known of the team's themes in this run.

    ``themes``: the run with the corrections applied (None: none yet, or too few responses);
    ``current``: it was made on exactly the data shown; ``message``: why there are no themes
    (a plain sentence); ``auto``: the automatic run behind it when computed in this process
    (its vectors pick representative responses); ``store_problem``: the store couldn't be used.
    """

    themes: TeamThemes | None = None
    current: bool = False
    message: str | None = None
    auto: Themes | None = None
    store_problem: str | None = None

    def choices(self) -> dict[str, str]:
        """Theme id → label for the theme filter (empty without themes)."""
        return self.themes.choices() if self.themes is not None else {}

    def assignment(self) -> pd.Series | None:
        return self.themes.assignment if self.themes is not None else None


# -- cached computations -------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=4)
def _responses(token: tuple, _loaded: Loaded) -> tuple[pd.DataFrame, str]:
    """The responses themed in this load and their digest."""
    frame = themed_responses(expand(_loaded.dataset).feedback)
    return frame, data_key(frame[IDENTITY].tolist())


@st.cache_resource(show_spinner="Finding themes in the page feedback (once per data)…", max_entries=6)
def _auto(token: tuple, k: int | None, _loaded: Loaded) -> Themes | str:
    """The automatic run on this load with ``k`` themes (None: chosen), or why there is none."""
    frame, _ = _responses(token, _loaded)
    try:
        return find_themes(frame, ThemeSettings(k=k), key=IDENTITY)
    except ThemeError as exc:
        return str(exc)


def auto_run(loaded: Loaded, k: int | None) -> Themes | str:
    """The automatic run on ``loaded`` with ``k`` themes, computed once per load (a spinner says so)."""
    return _auto(loaded.token, k, loaded)


def responses(loaded: Loaded) -> pd.DataFrame:
    """The responses themed (every kept page-feedback response, one per identity)."""
    return _responses(loaded.token, loaded)[0]


@st.cache_resource(show_spinner=False, max_entries=16)
def _stored(where: str, collection: str, revision: tuple[int, int], _work: Store) -> TeamThemes | None:
    """The stored run with the corrections applied, read once per store revision."""
    run = _work.themes.last_run(collection)
    if run is None:
        return None
    return team_view(run, _work.themes.edits(collection))


def _where(work: Store) -> str:
    return work.engine.url.render_as_string(hide_password=True)


def stored(work: Store, collection: str) -> TeamThemes | None:
    """The team's themes as the store holds them now (None before the first run)."""
    return _stored(_where(work), collection, work.themes.revision(collection), work)


# -- the canonical run -----------------------------------------------------------------------

#: Pages that show the team's themes (and so work them out when the data is new).
PAGES = ("Themes",)
#: A "you said, we did" view per theme needs them too.
PER_THEME = ("you_said_scope", "Per theme")


def wanted(page_title: str) -> bool:
    """Whether this run needs the team's themes to be current: a page showing them, or a view
    filtered by a theme (in the link or the sidebar)."""
    key, value = PER_THEME
    return (page_title in PAGES or bool(st.query_params.get_all("theme")) or bool(st.session_state.get("theme"))
            or (page_title == "You said, we did" and (st.query_params.get(key) == value
                                                     or st.session_state.get(key) == value)))



def _unsaved(loaded: Loaded, auto: Themes, base: TeamThemes | None, key: str) -> TeamThemes:
    """``auto`` carried over from ``base`` with its corrections, for this view only."""
    edits = base.edits if base is not None else ()
    run = next_run(base.run if base else None, auto, [e.edit for e in edits],
                   collection=collection_key(loaded.dataset.info), key=key, loaded_at=loaded.dataset.info.loaded_at)
    return team_view(run, edits, saved=False)


def state(loaded: Loaded, work: Store | None, *, compute: bool) -> ThemeState:
    """The team's themes for ``loaded`` (see the module docstring)."""
    collection = collection_key(loaded.dataset.info)
    _, key = _responses(loaded.token, loaded)
    if work is None:
        problem = team_store.problem() or "The analysis store is not available."
        if not compute:
            return ThemeState(store_problem=problem)
        auto = auto_run(loaded, None)
        if isinstance(auto, str):
            return ThemeState(message=auto, store_problem=problem)
        return ThemeState(_unsaved(loaded, auto, None, key), True, auto=auto, store_problem=problem)
    try:
        held = stored(work, collection)
    except Exception as exc:   # the database went away: themes without the team's corrections
        log.warning("Reading themes from the store failed: %s", exc)
        return state(loaded, None, compute=compute)
    k = held.run.k if held is not None else None
    if held is not None and is_current(held.run, key, k):
        return ThemeState(held, True)
    if not compute:
        return ThemeState(held, False)
    auto = auto_run(loaded, k)
    if isinstance(auto, str):
        return ThemeState(None, False, message=auto)
    return ThemeState(_keep(loaded, work, auto, held, key), True, auto=auto)


def _keep(loaded: Loaded, work: Store, auto: Themes, held: TeamThemes | None, key: str) -> TeamThemes:
    """Save the run made from ``auto`` as the collection's run and return it with the corrections;
    unsaved when the store holds a run on newer data (another server read the sheet later) or can't
    take it."""
    info = loaded.dataset.info
    fresh = _unsaved(loaded, auto, held, key)
    newer = held is not None and held.run.data_loaded_at is not None and \
        pd.Timestamp(info.loaded_at) < pd.Timestamp(held.run.data_loaded_at)
    if newer:
        return fresh
    try:
        saved = work.themes.save_run(fresh.run, held.run.version if held else 0, team_store.who())
    except RunConflict as conflict:   # another server saved first: theirs if it is for this data
        now = conflict.current
        if now is not None and is_current(now, key, auto.settings.k):
            return team_view(now, work.themes.edits(now.collection))
        return fresh
    except StoreError as exc:
        log.warning("Saving the theme run failed: %s", exc)
        return fresh
    return team_view(saved, fresh.edits)


def set_number(loaded: Loaded, work: Store, k: int | None) -> None:
    """Make ``k`` themes (None: automatic) the team's setting: recompute, carry ids, save (a callback)."""
    collection = collection_key(loaded.dataset.info)
    _, key = _responses(loaded.token, loaded)
    held = stored(work, collection)
    auto = auto_run(loaded, k)
    if isinstance(auto, str):
        st.toast(escape_markdown(auto, limit=200), icon=":material/error:")
        return
    fresh = _unsaved(loaded, auto, held, key)
    try:
        work.themes.save_run(fresh.run, held.run.version if held else 0, team_store.who())
    except StoreError as exc:
        st.toast(escape_markdown(exc, limit=200), icon=":material/error:")
        return
    st.toast(f"Everyone now sees {auto.k_chosen} themes." if k else "Everyone now sees the automatic number of themes.",
             icon=":material/check:")


def preview(loaded: Loaded, base: TeamThemes | None, k: int | None) -> TeamThemes | str:
    """The team's themes as they would be with ``k`` themes (ids carried, corrections reapplied), unsaved."""
    auto = auto_run(loaded, k)
    if isinstance(auto, str):
        return auto
    return _unsaved(loaded, auto, base, _responses(loaded.token, loaded)[1])


# -- corrections -------------------------------------------------------------------------------


def correct(work: Store, collection: str, edit: Edit, seen: int, done: str) -> None:
    """Save one correction made on the view whose last correction was ``seen`` (a callback)."""
    try:
        saved = work.themes.add_edit(collection, edit, team_store.who(), seen)
    except ThemeEditConflict as conflict:
        st.session_state[CONFLICT_KEY] = conflict
        return
    except StoreError as exc:
        st.toast(escape_markdown(exc, limit=200), icon=":material/error:")
        return
    st.session_state.pop(CONFLICT_KEY, None)
    # show the theme the correction made (and write its new name into the link)
    shown = {Rename: "theme", Merge: "target", Split: "theme"}.get(type(saved.edit))
    if shown:
        st.session_state[PICK_KEY] = getattr(saved.edit, shown)
    st.toast(escape_markdown(done, limit=200), icon=":material/check:")


GO_KEY = "_themes_to_comments"


def open_in_comments(theme: str) -> None:
    """Filter by ``theme`` and go to the Comments page on the next run (a callback: it runs before the
    sidebar's bound theme filter is drawn, so the filter and its link parameter follow)."""
    st.session_state["theme"] = [theme]
    st.session_state[GO_KEY] = True


def follow_to_comments(page: str) -> None:
    """Switch to the Comments page if ``open_in_comments`` asked for it."""
    if st.session_state.pop(GO_KEY, False):
        # an empty mapping, not None: Streamlit refuses to clear parameters bound to widgets; the
        # sidebar writes the filters back into the link on the next page (``sidebar._restore_url_params``)
        st.switch_page(page, query_params={})


def conflict() -> ThemeEditConflict | None:
    """A correction refused in this session because someone else corrected the themes first."""
    return st.session_state.get(CONFLICT_KEY)


def clear_conflict() -> None:
    st.session_state.pop(CONFLICT_KEY, None)


def labels_for(themes: TeamThemes, ids: Sequence[str]) -> dict[str, str]:
    """Theme id → "label (id)" for pickers."""
    return {t: f"{themes.labels[t]} ({t})" for t in ids if t in themes.labels}


# -- the correction forms (the Themes page) ----------------------------------------------------


def _submit(work: Store, collection: str, seen: int, make, done) -> None:
    """A form's callback: build the correction from the form's state and save it."""
    try:
        edit = make()
    except (KeyError, ValueError):
        return
    if edit is None:
        return
    correct(work, collection, edit, seen, done(edit))


def forms(work: Store, themes: TeamThemes, theme: str, selected: Sequence[str], key: str = "themes_fix") -> None:
    """Rename and merge ``theme``; move the ``selected`` responses to another theme or split them
    off as a new one. Each saves one correction in the store (who and when) on the view it was made on."""
    from ..store.themes import MAX_LABEL
    from ..team_themes import describe_edit
    from ..theme_edits import Move
    from ..themes import UNTHEMED

    collection, seen = themes.run.collection, themes.last_edit
    names = labels_for(themes, list(themes.labels))
    form_key = f"{key}_{theme}_{seen}"   # a new correction draws fresh forms
    with st.container(key=key, border=True):
        st.markdown("**Correct the themes**")
        if theme != UNTHEMED:
            with st.container(horizontal=True, vertical_alignment="bottom"):
                with st.form(f"{form_key}_rename", border=False, enter_to_submit=True):
                    st.text_input("Name", value=themes.labels[theme], max_chars=MAX_LABEL, key=f"{form_key}_label")
                    st.form_submit_button("Rename", icon=":material/edit:", on_click=_submit, args=(
                        work, collection, seen,
                        lambda: Rename(theme, st.session_state[f"{form_key}_label"]),
                        lambda e: f"Renamed {theme} to “{e.label}”."))
                others = [t for t in themes.labels if t != theme]
                if others:
                    with st.form(f"{form_key}_merge", border=False, enter_to_submit=False):
                        st.selectbox("Merge this theme into", others, format_func=names.get,
                                     key=f"{form_key}_target")
                        st.form_submit_button("Merge", icon=":material/merge:", on_click=_submit, args=(
                            work, collection, seen,
                            lambda: Merge(theme, st.session_state[f"{form_key}_target"]),
                            lambda e: describe_edit(e, themes.labels) + "."))
        picked = tuple(selected)
        if not picked:
            st.caption("Select responses in the table above to move them to another theme or split them off "
                       "as a new one.")
            return
        n = len(picked)
        which = f"the {n} selected response{'s' if n != 1 else ''}"
        with st.container(horizontal=True, vertical_alignment="bottom"):
            targets = [t for t in [*themes.labels, UNTHEMED] if t != theme]
            with st.form(f"{form_key}_move", border=False, enter_to_submit=False):
                st.selectbox(f"Move {which} to", targets, key=f"{form_key}_to",
                             format_func=lambda t: names.get(t, UNTHEMED))
                st.form_submit_button("Move", icon=":material/drive_file_move:", on_click=_submit, args=(
                    work, collection, seen, lambda: Move(picked, st.session_state[f"{form_key}_to"]),
                    lambda e: describe_edit(e, themes.labels) + "."))
            with st.form(f"{form_key}_split", border=False, enter_to_submit=True):
                st.text_input(f"Split {which} off as a new theme named", max_chars=MAX_LABEL,
                              key=f"{form_key}_new", placeholder="e.g. Lived experience")
                st.form_submit_button("Split off", icon=":material/call_split:", on_click=_submit, args=(
                    work, collection, seen, lambda: Split(picked, "", st.session_state[f"{form_key}_new"]),
                    lambda e: f"Split {n} response{'s' if n != 1 else ''} off as “{e.label}”."))


def conflict_notice(themes: TeamThemes) -> None:
    """A correction refused because someone else corrected the themes first: what they did."""
    from ..team_themes import describe_edit

    held = conflict()
    if held is None:
        return
    with st.container(key="themes_conflict", border=True):
        st.warning(escape_markdown(held), icon=":material/sync_problem:")
        for record in held.newer:
            st.markdown(f"- {escape_markdown(record.made_by)}: "
                        f"{escape_markdown(describe_edit(record.edit, themes.labels))}")
        st.button("Understood", key="themes_conflict_ok", on_click=clear_conflict)


def history(themes: TeamThemes, tz: str) -> pd.DataFrame:
    """The corrections in the order they were made: when (local time), who, what."""
    from ..team_themes import describe_edit

    skipped = {id(e) for e, _ in themes.skipped}
    rows = [{"When": pd.Timestamp(r.made_at).tz_convert(tz).tz_localize(None), "Who": r.made_by,
             "What": describe_edit(r.edit, themes.labels),
             "Applies": "no longer applies" if id(r.edit) in skipped else ""} for r in themes.edits]
    return pd.DataFrame(rows, columns=["When", "Who", "What", "Applies"])
