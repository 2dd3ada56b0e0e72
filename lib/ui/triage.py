"""Triage controls: one response's status, tags and note with its history, the same change for
every response in view at once, and what to do when someone else changed it first.

Changes go to the analysis store (``lib.store``) with optimistic concurrency: each form
remembers the version it showed; if the response changed since, nothing is overwritten:
both versions are shown and the person chooses.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ..identity import IDENTITY
from ..safe_text import escape_markdown
from ..store import BulkConflict, Store, StoreError, TriageChange, TriageConflict
from ..triage import NOTE, STATUS, TAGS, VERSION
from . import store as team_store

CONFLICT_KEY = "_triage_conflict"


def _tags_text(tags) -> str:
    return ", ".join(tags) if tags else "none"


def _save(found: Store, row: pd.Series, key: str) -> None:
    """Save one response's form (a callback: it runs before the page is drawn again)."""
    change = TriageChange(status=st.session_state[f"{key}_status"], tags=tuple(st.session_state[f"{key}_tags"]),
                          note=st.session_state[f"{key}_note"])
    try:
        found.triage.update_frame(pd.DataFrame([row]), change, team_store.who())
        st.session_state.pop(CONFLICT_KEY, None)
        st.toast("Triage saved.", icon=":material/check:")
    except TriageConflict as conflict:
        st.session_state[CONFLICT_KEY] = (row[IDENTITY], conflict)
    except StoreError as exc:
        st.toast(escape_markdown(exc, limit=200), icon=":material/error:")


def _overwrite(found: Store, conflict: TriageConflict, snapshot_row: pd.Series) -> None:
    """Save the person's version over the one they didn't see (they chose to, having seen both)."""
    row = snapshot_row.copy()
    row[VERSION] = conflict.current.version
    try:
        found.triage.update_frame(pd.DataFrame([row]), conflict.attempted, team_store.who())
        st.toast("Your version was saved.", icon=":material/check:")
    except TriageConflict as again:
        st.session_state[CONFLICT_KEY] = (row[IDENTITY], again)
        return
    st.session_state.pop(CONFLICT_KEY, None)


def _conflict(found: Store, row: pd.Series, key: str) -> None:
    """Both versions side by side, and the choice."""
    held = st.session_state.get(CONFLICT_KEY)
    if not held or held[0] != row[IDENTITY]:
        return
    conflict: TriageConflict = held[1]
    with st.container(key=f"{key}_conflict", border=True):
        st.warning(escape_markdown(conflict), icon=":material/sync_problem:")
        both = pd.DataFrame({
            "": ["Status", "Tags", "Note"],
            f"Now (by {conflict.current.updated_by or 'someone'})": [
                conflict.current.status, _tags_text(conflict.current.tags), conflict.current.note],
            "Yours (not saved)": [conflict.mine.status, _tags_text(conflict.mine.tags), conflict.mine.note],
        })
        st.dataframe(both, hide_index=True, key=f"{key}_conflict_table")
        with st.container(horizontal=True):
            if st.button("Keep theirs", key=f"{key}_keep", icon=":material/undo:"):
                st.session_state.pop(CONFLICT_KEY, None)
                st.rerun()
            st.button("Save mine over theirs", key=f"{key}_mine", icon=":material/save:",
                      on_click=_overwrite, args=(found, conflict, row))


def editor(found: Store | None, row: pd.Series, statuses: tuple[str, ...], suggestions: list[str],
           key: str = "comments_triage") -> None:
    """One response's triage: the form (or, for viewers, what the team decided) and its history.

    ``row``: an explorer row joined with triage (``lib.triage.join_triage``).
    """
    with st.container(key=key, border=True):
        st.markdown("**Triage**")
        if found is None:
            st.caption(escape_markdown(team_store.problem() or "The analysis store is not available."))
            return
        current_tags = list(row[TAGS])
        if not team_store.may_edit():
            st.markdown(f"**Status:** {escape_markdown(row[STATUS])}  \n**Tags:** "
                        f"{escape_markdown(_tags_text(current_tags))}")
            if row[NOTE]:
                st.markdown(escape_markdown(row[NOTE], multiline=True))
        else:
            form_key = f"{key}_{row[IDENTITY]}_{row[VERSION]}"   # a new version draws a fresh form
            with st.form(form_key, border=False, enter_to_submit=False):
                with st.container(horizontal=True):
                    st.selectbox("Status", statuses, index=statuses.index(row[STATUS]) if row[STATUS] in statuses
                                 else 0, key=f"{form_key}_status")
                    st.multiselect("Tags", list(dict.fromkeys([*current_tags, *suggestions])), default=current_tags,
                                   key=f"{form_key}_tags", accept_new_options=True,
                                   placeholder="Choose or type a tag")
                st.text_area("Note", value=row[NOTE], key=f"{form_key}_note", max_chars=10_000, height=90,
                             placeholder="Why, or what should happen next")
                st.form_submit_button("Save triage", icon=":material/save:", on_click=_save,
                                      args=(found, row, form_key))
            _conflict(found, row, key)
        history = found.triage.history(row[IDENTITY])
        if len(history):
            with st.expander(f"History ({len(history)} change{'s' if len(history) != 1 else ''})"):
                st.dataframe(pd.DataFrame({
                    "When": history["changed_at"].dt.tz_convert("Europe/London").dt.tz_localize(None),
                    "Who": history["changed_by"], "Status": history["status"],
                    "Tags": history["tags"].map(_tags_text), "Note": history["note"]}),
                    hide_index=True, key=f"{key}_history",
                    column_config={"When": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")})


def _save_all(found: Store, rows: Callable[[], pd.DataFrame], key: str) -> None:
    """Apply the bulk form to every response in view (a callback)."""
    status = st.session_state[f"{key}_status"]
    change = TriageChange(status=None if status == KEEP else status, add_tags=tuple(st.session_state[f"{key}_tags"]))
    try:
        result = found.triage.update_frame(rows(), change, team_store.who(), skip_conflicts=True)
    except (BulkConflict, StoreError) as exc:
        st.toast(escape_markdown(exc, limit=200), icon=":material/error:")
        return
    note = f"{len(result.updated):,} changed, {len(result.unchanged):,} already so"
    if result.conflicts:
        note += f"; {len(result.conflicts):,} changed by someone else meanwhile and left as they are"
    st.toast(f"Triage saved: {note}.", icon=":material/done_all:")


KEEP = "Leave as it is"


def bulk(found: Store | None, rows: Callable[[], pd.DataFrame], statuses: tuple[str, ...],
         suggestions: list[str], key: str = "comments_bulk", *, count: int) -> None:
    """The same status and tags for every one of the ``count`` responses in view (every page of it):
    ``rows`` makes them, joined with the triage, when the form is applied."""
    if found is None or not team_store.may_edit() or not count:
        return
    with (st.expander(f"Triage all {count:,} responses in this view", icon=":material/done_all:"),
          st.form(key, border=False, enter_to_submit=False)):
        with st.container(horizontal=True):
            st.selectbox("Set status", (KEEP, *statuses), key=f"{key}_status")
            st.multiselect("Add tags", suggestions, key=f"{key}_tags", accept_new_options=True,
                           placeholder="Choose or type a tag")
        st.form_submit_button(f"Apply to {count:,} responses", icon=":material/done_all:", on_click=_save_all,
                              args=(found, rows, key))


def _relink(found: Store, old: str, new: str, frames: list[pd.DataFrame]) -> None:
    """Move an orphan's triage onto the current response it now is (a callback)."""
    from ..identity import snapshots

    rows = next((f[f[IDENTITY] == new] for f in frames if (f[IDENTITY] == new).any()), frames[0].iloc[0:0])
    try:
        found.triage.relink(old, new, team_store.who(), snapshots(rows).get(new))
        st.toast("Triage moved to the response as it is now.", icon=":material/link:")
    except StoreError as exc:
        st.toast(escape_markdown(exc, limit=200), icon=":material/error:")


def orphans(found: Store | None, frames: list[pd.DataFrame], level, key: str = "quality_orphans") -> None:
    """Triage whose response was edited in the sheet since ("response changed since triaged"):
    listed with the text it was made on; analysts can move it to the response as it is now."""
    from ..privacy import protect_frame
    from ..triage import orphans_display

    if found is None:
        return
    lost = protect_frame(found.triage.orphans(frames), level)   # snapshots are text people typed
    st.subheader("Responses changed since they were triaged")
    if lost.empty:
        st.caption("Every triaged response is still in the data as it was triaged.")
        return
    st.caption(f"{len(lost):,} triaged responses are no longer in the data as they were (someone edited them "
               "in the sheet). Their triage is kept here with the text it was made on.")
    st.dataframe(orphans_display(lost), hide_index=True, key=f"{key}_table",
                 column_config={"When": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")})
    movable = lost[lost["candidates"].map(len) == 1]
    if team_store.may_edit() and len(movable):
        with st.container(horizontal=True, vertical_alignment="bottom", key=f"{key}_relink"):
            labels = {ident: f"{row.get('summary') or row.get('comments') or ident}"[:80]
                      for ident, row in zip(movable["identity"], movable.to_dict("records"))}
            old = st.selectbox("Move the triage of", list(labels), format_func=labels.get, key=f"{key}_old")
            new = movable.set_index("identity").at[old, "candidates"][0]
            st.button("to the response as it is now", key=f"{key}_move", icon=":material/link:",
                      on_click=_relink, args=(found, old, new, frames))
