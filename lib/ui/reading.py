"""The reading view: responses shown whole, one after another, paged (``lib.comments``
builds each one's Markdown: the summary in bold, the details beneath, then page, reaction,
role, organisation and date; search matches marked); and the pager of any list of responses
shown a page at a time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..comments import Paging, paging, reading_markdown
from ..consultation import Consultation

#: The switch between the reading view and the compact table.
VIEWS = ("Read", "Table")


def view_switch(key: str, help: str = "Read: every response whole. Table: one line each, to scan and sort.") -> str:
    """The Read/Table switch, bound to the URL under ``key`` (a page-prefixed key)."""
    return st.segmented_control("View", VIEWS, default=VIEWS[0], required=True, key=key,
                                bind="query-params", help=help) or VIEWS[0]


def page(rows: int, size: int, key: str) -> Paging:
    """The page of ``rows`` rows, ``size`` at a time, that the pager under ``key`` asks for (read
    before the pager is drawn, so the rows come first and the pager beneath them)."""
    return paging(rows, size, st.session_state.get(key))


def pager(pg: Paging, key: str, *, always: bool = False) -> None:
    """The pager of ``pg`` under ``key`` (a page-prefixed key naming the list and its view, so a new
    view starts on its first page); not drawn for a single page unless ``always``."""
    if always or pg.pages > 1:
        st.pagination(pg.pages, key=key, max_visible_pages=7)


def responses(shown: pd.DataFrame, query: str, consultation: Consultation, key: str) -> None:
    """Each row of ``shown`` (the explorer's rows, ``lib.comments``) whole, in a box keyed
    ``<key>_<i>`` (0 = the first shown)."""
    with st.container(key=key, gap="small"):
        for i, (_, row) in enumerate(shown.iterrows()):
            text, about = reading_markdown(row, query, consultation)
            with st.container(border=True, key=f"{key}_{i}", gap="xsmall"):
                st.markdown(text)
                st.caption(about)
