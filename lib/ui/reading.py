"""The reading view: responses shown whole, one after another, paged (``lib.comments``
builds each one's Markdown: the summary in bold, the details beneath, then page, reaction,
role, organisation and date; search matches marked)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..comments import reading_markdown
from ..consultation import Consultation

#: The switch between the reading view and the compact table.
VIEWS = ("Read", "Table")


def view_switch(key: str, help: str = "Read: every response whole. Table: one line each, to scan and sort.") -> str:
    """The Read/Table switch, bound to the URL under ``key`` (a page-prefixed key)."""
    return st.segmented_control("View", VIEWS, default=VIEWS[0], required=True, key=key,
                                bind="query-params", help=help) or VIEWS[0]


def responses(shown: pd.DataFrame, query: str, consultation: Consultation, key: str) -> None:
    """Each row of ``shown`` (the explorer's rows, ``lib.comments``) whole, in a box keyed
    ``<key>_<i>`` (0 = the first shown)."""
    with st.container(key=key, gap="small"):
        for i, (_, row) in enumerate(shown.iterrows()):
            text, about = reading_markdown(row, query, consultation)
            with st.container(border=True, key=f"{key}_{i}", gap="xsmall"):
                st.markdown(text)
                st.caption(about)
