"""Download buttons: every file in the dashboard is built here through ``lib.exports``
(formula-safe CSV with a byte-order mark, Excel without formulas or links), only when
clicked, named after what it holds, the filters and the time."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ..exports import file_name, to_csv_bytes, to_xlsx_bytes
from ..filters import slug
from .view import current

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_buttons(make_frame: Callable[[], pd.DataFrame], base: str, key: str, *,
                     xlsx: bool = False, sheet: str = "Data", label: str = "Download CSV") -> None:
    """CSV (and Excel) buttons for a table; ``make_frame`` returns the viewer's frame, which has
    already passed the personal-data policy."""
    view = current()
    stem = f"{base}_{slug(view.filters, view.options)}"
    now = pd.Timestamp.now(tz=view.consultation.timezone)
    with st.container(horizontal=True, key=f"{key}_downloads"):
        st.download_button(label, data=lambda: to_csv_bytes(make_frame()), file_name=file_name(stem, "", now, "csv"),
                           mime="text/csv", key=f"{key}_csv", on_click="ignore", icon=":material/download:",
                           type="tertiary")
        if xlsx:
            st.download_button("Download Excel", data=lambda: to_xlsx_bytes(make_frame(), sheet),
                               file_name=file_name(stem, "", now, "xlsx"), key=f"{key}_xlsx", on_click="ignore",
                               mime=XLSX_MIME, icon=":material/table_view:", type="tertiary")
