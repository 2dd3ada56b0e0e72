"""Chart selections that change the shared filters (the Reactions page's bars and cells).

Used as a chart's ``on_select`` callback: callbacks run before the sidebar's widgets are
drawn, and those widgets are bound to the URL, so the link follows the selection.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from ..filters import PARAMS, FilterOptions
from ..reactions import describe_changes, selection_changes
from ..safe_text import escape_markdown


def set_filters(changes: Mapping[str, tuple[str, ...]]) -> None:
    """Replace some shared filters (``Filters`` field → values)."""
    for name, values in changes.items():
        st.session_state[PARAMS[name]] = list(values)


def apply_selection(key: str, options: FilterOptions) -> None:
    """The selection of the chart under ``key`` becomes the matching filters, with a toast."""
    state = st.session_state.get(key)
    points = state["selection"]["points"] if state else []
    changes = selection_changes(points)
    if changes:
        set_filters(changes)
        st.toast(f"Filter applied: {escape_markdown(describe_changes(changes, options), limit=300)}",
                 icon=":material/filter_alt:")
