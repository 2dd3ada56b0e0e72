"""Downloads: every file in the dashboard is built here through ``lib.exports`` (formula-safe
CSV with a byte-order mark, Excel without formulas or links, its header frozen and filtered),
only when clicked, named after what it holds, the filters and the time.

One control per section: a "Download" menu (a popover) listing the section's tables, each as
CSV and Excel. Widget keys: the menu ``<key>_downloads``, each table's buttons ``<table
key>_csv`` and ``<table key>_xlsx``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ..exports import file_name, to_csv_bytes, to_xlsx_bytes
from ..filters import slug
from ..safe_text import escape_markdown
from .view import current

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Table:
    """One downloadable table: what the menu calls it, how to make it (the viewer's frame, which
    has already passed the personal-data policy), the start of its file name (what it holds; the
    filters and the time are added), its widget key and its Excel sheet's name."""

    label: str
    make: Callable[[], pd.DataFrame]
    base: str
    key: str
    sheet: str = "Data"


def download_menu(key: str, *tables: Table, note: str = "") -> None:
    """One "Download" menu for a section: each table as CSV and Excel (``note``: a line of ours
    under the buttons, e.g. how many rows the files hold)."""
    view = current()
    filters = slug(view.filters, view.options)
    now = pd.Timestamp.now(tz=view.consultation.timezone)
    with st.popover("Download", icon=":material/download:", type="tertiary", key=f"{key}_downloads"):
        for table in tables:
            stem = f"{table.base}_{filters}"
            if len(tables) > 1:
                st.markdown(f"**{escape_markdown(table.label)}**")
            with st.container(horizontal=True):
                st.download_button("CSV", data=lambda t=table: to_csv_bytes(t.make()),
                                   file_name=file_name(stem, "", now, "csv"), mime="text/csv",
                                   key=f"{table.key}_csv", on_click="ignore", icon=":material/csv:")
                st.download_button("Excel", data=lambda t=table: to_xlsx_bytes(t.make(), t.sheet),
                                   file_name=file_name(stem, "", now, "xlsx"), mime=XLSX_MIME,
                                   key=f"{table.key}_xlsx", on_click="ignore", icon=":material/table_view:")
        st.caption(note or "Labels as on screen; filters and time in the file name.")


def download_buttons(make_frame: Callable[[], pd.DataFrame], base: str, key: str, *,
                     sheet: str = "Data", label: str = "This table", note: str = "") -> None:
    """The "Download" menu of a section with one table."""
    download_menu(key, Table(label, make_frame, base, key, sheet), note=note)
