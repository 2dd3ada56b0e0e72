"""Downloads: every file in the dashboard is built here through ``lib.exports`` (formula-safe
CSV with a byte-order mark, Excel without formulas or links, its header frozen and filtered),
only when clicked, named after what it holds, the filters and the time, and recorded in the
access record (who, page, filters, rows, whether e-mail addresses were in it).

One control per section: a "Download" menu (a popover) listing the section's tables, each as
CSV and Excel. Widget keys: the menu ``<key>_downloads``, each table's buttons ``<table
key>_csv`` and ``<table key>_xlsx``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ..exports import EXCEL_MAX_ROWS, file_name, in_worker, to_csv_bytes, to_xlsx_bytes
from ..filters import slug
from ..privacy import PERSONAL_COLUMNS
from ..safe_text import escape_markdown
from .access import download_recorder
from .view import current

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_file(make: Callable[[], bytes], base: str, extension: str, mime: str, key: str, *, label: str,
                  rows: int | None = None, icon: str = ":material/download:") -> None:
    """One download of a document built in ``lib`` (Markdown, Word…), built only when clicked,
    named after what it holds and the time, and recorded in the access record."""
    view = current()
    name = file_name(base, "", pd.Timestamp.now(tz=view.consultation.timezone), extension)
    record_download = download_recorder()

    def build() -> bytes:
        record_download(name, rows or 0, False, view.filters)
        return make()

    st.download_button(label, data=build, file_name=name, mime=mime, key=key, on_click="ignore", icon=icon,
                       type="tertiary")


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
    record_download = download_recorder()

    def recorded(write: Callable[[pd.DataFrame], bytes], make: Callable[[], pd.DataFrame], name: str
                 ) -> Callable[[], bytes]:
        def build() -> bytes:   # runs when clicked: the file is built and its download recorded
            frame = make()
            email = any(c in frame.columns for c in (*PERSONAL_COLUMNS, "E-mail"))
            record_download(name, len(frame), email, view.filters)
            return write(frame)
        return build

    # large files are built in a worker process (lib.exports.in_worker); the button spins meanwhile
    with st.popover("Download", icon=":material/download:", type="tertiary", key=f"{key}_downloads"):
        for table in tables:
            stem = f"{table.base}_{filters}"
            csv_name, xlsx_name = file_name(stem, "", now, "csv"), file_name(stem, "", now, "xlsx")
            if len(tables) > 1:
                st.markdown(f"**{escape_markdown(table.label)}**")
            with st.container(horizontal=True):
                st.download_button("CSV", data=recorded(lambda f: in_worker(to_csv_bytes, f), table.make, csv_name),
                                   file_name=csv_name, mime="text/csv", key=f"{table.key}_csv", on_click="ignore", icon=":material/csv:")
                st.download_button("Excel", data=recorded(lambda f, t=table: in_worker(to_xlsx_bytes, f, t.sheet),
                                                          table.make, xlsx_name),
                                   file_name=xlsx_name, mime=XLSX_MIME, key=f"{table.key}_xlsx", on_click="ignore",
                                   icon=":material/table_view:",
                                   help=f"Holds up to {EXCEL_MAX_ROWS:,} rows; the CSV has every row.")
        st.caption(note or "Labels as on screen; filters and time in the file name.")


def download_buttons(make_frame: Callable[[], pd.DataFrame], base: str, key: str, *,
                     sheet: str = "Data", label: str = "This table", note: str = "") -> None:
    """The "Download" menu of a section with one table."""
    download_menu(key, Table(label, make_frame, base, key, sheet), note=note)
