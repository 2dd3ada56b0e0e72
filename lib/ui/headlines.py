"""Headlines at the top of a page: each sentence (``lib.headlines``) with a link to the view
that shows it: a place further down the same page, or another page.

The shared filters travel with the session (the sidebar writes them into the address bar on
every page), so a link to another page carries only that page's own parameters: repeating the
filters in the link made Streamlit write them twice (``group=…&group=…``). A headline whose view
needs other filters (the last 7 days' dates) is a button that sets them, then opens the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from ..filters import PARAMS
from ..headlines import Headline
from ..safe_text import escape_markdown

PAGES = {"overview": "app_pages/overview.py", "reactions": "app_pages/reactions.py",
         "priorities": "app_pages/priorities.py", "comments": "app_pages/comments.py"}
FILTER_PARAMS = set(PARAMS.values())


def _set_filters(params: Mapping[str, tuple[str, ...]]) -> None:
    """Set the shared filters a headline's view needs (a button's callback: before the sidebar is drawn)."""
    import datetime as dt

    for key, values in params.items():
        if key == PARAMS["dates"]:
            st.session_state[key] = tuple(dt.date.fromisoformat(v) for v in values)
        else:
            st.session_state[key] = list(values)


def page_link(page: str, label: str, params: Mapping[str, Sequence[str]] | None = None, **kwargs) -> None:
    """A link to another page with that page's own parameters (never the shared filters)."""
    own = {k: list(v) for k, v in (params or {}).items() if k not in FILTER_PARAMS}
    st.page_link(PAGES.get(page, page), label=label, query_params=own or None, **kwargs)


def show(items: Sequence[Headline], here: str) -> None:
    """The headlines of page ``here`` (a ``PAGES`` key), one a line, in a box keyed ``<here>_headlines``."""
    with st.container(key=f"{here}_headlines", border=True, gap="xsmall"):
        for h in items:
            # the link beside its sentence; on a phone the columns stack, the link under the sentence
            with st.container(key=f"{here}_headline_{h.key}"):
                text, go = st.columns([5, 1.3], vertical_alignment="center", gap="small")
                text.markdown(f"**{escape_markdown(h.lead)}:** {escape_markdown(h.text)}")
                link = h.link
                if link is None:
                    continue
                go = go.container()
                label = escape_markdown(link.label)
                filters = {k: v for k, v in link.params.items() if k in FILTER_PARAMS}
                if link.page == here and link.anchor:
                    go.markdown(f"[{label} ↓](#{link.anchor})")
                elif filters:
                    if go.button(label, key=f"{here}_headline_{h.key}_go", type="tertiary",
                                 icon=":material/arrow_forward:", on_click=_set_filters, args=(filters,)):
                        # an empty mapping, not None: None makes Streamlit clear bound parameters, which
                        # it refuses; the sidebar writes the filters back into the address on arrival
                        st.switch_page(PAGES[link.page], query_params={
                            k: list(v) for k, v in link.params.items() if k not in FILTER_PARAMS})
                else:
                    with go:
                        page_link(link.page, label, link.params, icon=":material/arrow_forward:")
