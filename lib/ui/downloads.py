"""Download buttons: every file in the dashboard is built here through ``lib.exports``
(formula-safe CSV with a byte-order mark, Excel without formulas or links), only when
clicked, named after what it holds, the filters and the time."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ..exports import EXCEL_MAX_ROWS, file_name, in_worker, to_csv_bytes, to_xlsx_bytes
from ..filters import slug
from ..privacy import PERSONAL_COLUMNS
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


def download_buttons(make_frame: Callable[[], pd.DataFrame], base: str, key: str, *,
                     xlsx: bool = False, sheet: str = "Data", label: str = "Download CSV") -> None:
    """CSV (and Excel) buttons for a table; ``make_frame`` returns the viewer's frame, which has
    already passed the personal-data policy."""
    view = current()
    stem = f"{base}_{slug(view.filters, view.options)}"
    now = pd.Timestamp.now(tz=view.consultation.timezone)
    csv_name, xlsx_name = file_name(stem, "", now, "csv"), file_name(stem, "", now, "xlsx")
    record_download = download_recorder()

    def recorded(write: Callable[[pd.DataFrame], bytes], name: str) -> Callable[[], bytes]:
        def build() -> bytes:   # runs when clicked: the file is built and its download recorded
            frame = make_frame()
            email = any(c in frame.columns for c in (*PERSONAL_COLUMNS, "E-mail"))
            record_download(name, len(frame), email, view.filters)
            return write(frame)
        return build

    # large files are built in a worker process (lib.exports.in_worker); the button spins meanwhile
    with st.container(horizontal=True, key=f"{key}_downloads"):
        st.download_button(label, data=recorded(lambda f: in_worker(to_csv_bytes, f), csv_name), file_name=csv_name,
                           mime="text/csv", key=f"{key}_csv", on_click="ignore", icon=":material/download:",
                           type="tertiary")
        if xlsx:
            st.download_button("Download Excel", data=recorded(lambda f: in_worker(to_xlsx_bytes, f, sheet), xlsx_name),
                               file_name=xlsx_name, key=f"{key}_xlsx", on_click="ignore",
                               mime=XLSX_MIME, icon=":material/table_view:", type="tertiary",
                               help=f"Holds up to {EXCEL_MAX_ROWS:,} rows; the CSV has every row.")
