"""Streamlit-facing glue: settings from secrets, the cached load, per-viewer policy, the
source badge and plain error display. The only module in ``lib`` that imports Streamlit.

The expensive part (reading and normalising) is cached once for all sessions
with ``st.cache_data``; filters run outside the cache and the personal-data
policy is applied per viewer after it.
"""

from __future__ import annotations

import logging
import os
import threading

import streamlit as st

from .dataset import Dataset
from .errors import SourceError
from .privacy import apply_policy
from .safe_text import escape_markdown
from .settings import Settings, load_dataset, resolve_settings
from .sources import read_upload

log = logging.getLogger("consultation_insight")
UPLOAD_KEY = "sidebar_upload"
_run = threading.local()  # the dataset of the script run under way (one thread per run)


def secrets() -> dict:
    """``st.secrets`` as a plain dict, or {} when no secrets file exists."""
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return st.secrets.to_dict()
    except Exception:  # a malformed secrets.toml: report, run on defaults
        log.exception("Could not read secrets")
        st.warning("The secrets file could not be read; running on the default settings.")
        return {}


def settings() -> Settings:
    """Settings resolved from ``st.secrets`` and the environment."""
    return resolve_settings(secrets(), os.environ)


@st.cache_data(show_spinner="Reading the responses…", max_entries=4)
def _load(settings: Settings) -> Dataset:
    """The configured source, read and normalised once for every session."""
    return load_dataset(settings)


@st.cache_data(show_spinner="Reading the uploaded workbook…", max_entries=4)
def _load_upload(name: str, data: bytes, settings: Settings) -> Dataset:
    """An uploaded workbook, read and normalised (cached by its bytes)."""
    return load_dataset(settings, raw=read_upload(name, data, settings.tabs))


def may_see_email() -> bool:
    """Whether this viewer may receive e-mail addresses (decided by access control; no by default)."""
    return False


def load_current() -> Dataset:
    """The dataset for this run (upload if any, else the configured source), after viewer policy.

    Shows a plain message and stops the page when the source cannot be read.
    """
    conf = settings()
    upload = st.session_state.get(UPLOAD_KEY)
    try:
        if upload is not None:
            ds = _load_upload(upload.name, upload.getvalue(), conf)
        else:
            ds = _load(conf)
    except SourceError as exc:
        st.error(f"**The data could not be loaded.** {exc}", icon=":material/error:")
        st.caption("Fix the workbook or the settings in `.streamlit/secrets.toml`, then reload the page.")
        st.stop()
    ds = apply_policy(ds, may_see_email=may_see_email())
    _run.dataset = ds
    return ds


def dataset() -> Dataset:
    """The dataset loaded by ``dashboard.py`` for this run (pages call this)."""
    ds = getattr(_run, "dataset", None)
    return ds if ds is not None else load_current()


def source_badge(ds: Dataset) -> None:
    """The badge naming the data source, shown at the top of every page."""
    info = ds.info
    loaded = info.loaded_at.tz_convert(ds.consultation.timezone).strftime("%H:%M")
    if info.is_demo:
        st.badge("Demo data", icon=":material/science:", color="orange")
    elif info.kind == "upload":
        st.badge(f"Uploaded: {escape_markdown(info.name)} · loaded {loaded}", icon=":material/upload_file:", color="blue")
    else:
        st.badge(f"Workbook: {escape_markdown(info.name)} · loaded {loaded}", icon=":material/table:", color="blue")
