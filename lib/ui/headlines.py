"""Headlines at the top of a page: each sentence (``lib.headlines``) with a link to the view
that shows it: a place further down the same page, or another page with the same filters."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ..filters import to_query
from ..headlines import Headline
from ..safe_text import escape_markdown
from .view import current

PAGES = {"overview": "app_pages/overview.py", "reactions": "app_pages/reactions.py",
         "priorities": "app_pages/priorities.py", "comments": "app_pages/comments.py"}


def show(items: Sequence[Headline], here: str) -> None:
    """The headlines of page ``here`` (a ``PAGES`` key), one a line, in a box keyed ``<here>_headlines``."""
    view = current()
    query = to_query(view.filters, view.options)
    with st.container(key=f"{here}_headlines", border=True, gap="xsmall"):
        for h in items:
            # the link stays at the end of its sentence's line (no wrapping onto a line of its own)
            with st.container(key=f"{here}_headline_{h.key}", horizontal=True, vertical_alignment="center",
                              gap="small", wrap=False):
                st.markdown(f"**{escape_markdown(h.lead)}:** {escape_markdown(h.text)}", width="stretch")
                if h.link is None:
                    continue
                if h.link.page == here and h.link.anchor:
                    st.markdown(f"[{escape_markdown(h.link.label)} ↓](#{h.link.anchor})", width="content")
                else:
                    st.page_link(PAGES[h.link.page], label=escape_markdown(h.link.label),
                                 icon=":material/arrow_forward:",
                                 query_params={**query, **{k: list(v) for k, v in h.link.params.items()}})
