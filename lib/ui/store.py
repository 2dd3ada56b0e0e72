"""The analysis store for this server: the team's own work (triage, "you said, we did"), who is
changing it and whether they may.

The engine comes from Streamlit's SQL connection ``st.connection("analysis", type="sql")``:
secrets ``[connections.analysis] url = "…"`` (PostgreSQL when deployed), else the SQLite file
``.insight/analysis.sqlite`` beside the app (``INSIGHT_STORE`` overrides that default, for
tests and scripts). The store is opened, and its schema upgraded, once per server
(``st.cache_resource``). Viewers read the team's work; analysts change it; without sign-in,
whoever runs the dashboard changes it as "local".
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from ..access import Role
from ..consultation import Consultation
from ..store import CONNECTION_NAME, LOCAL_USER, Store, StoreError, connection_kwargs, open_store
from ..store.triage import FRAME_COLUMNS
from . import access, config

log = logging.getLogger("consultation_insight")
PROJECT_DIR = Path(__file__).resolve().parents[2]
ERROR_KEY = "_store_error"


@st.cache_resource(show_spinner="Opening the analysis store…", max_entries=4)
def _open(url: str, consultation: Consultation) -> Store:
    """The store behind ``url``, opened (and upgraded) once per server."""
    conf = (config.secrets().get("connections") or {}).get(CONNECTION_NAME) or {}
    kwargs = connection_kwargs(conf, PROJECT_DIR)
    if "url" in kwargs:
        kwargs["url"] = url
    conn = st.connection(CONNECTION_NAME, type="sql", **kwargs)
    return open_store(conn.engine, consultation)


def _url() -> str:
    """The configured store's address (passwords hidden), the cache key of ``_open``."""
    conf = (config.secrets().get("connections") or {}).get(CONNECTION_NAME) or {}
    if conf.get("url") or conf.get("dialect"):
        return str(conf.get("url") or conf.get("dialect"))
    from ..store import default_url

    return os.environ.get("INSIGHT_STORE") or default_url(PROJECT_DIR)


def store(consultation: Consultation) -> Store | None:
    """This server's store, or None (with the reason logged and kept for a notice) when it can't be opened."""
    try:
        found = _open(_url(), consultation)
    except (StoreError, Exception) as exc:   # a store that can't be opened must not take the data down
        log.warning("The analysis store could not be opened: %s", exc)
        st.session_state[ERROR_KEY] = str(exc) if isinstance(exc, StoreError) else (
            f"The analysis store could not be opened ({exc.__class__.__name__}; details are in the server log).")
        return None
    st.session_state.pop(ERROR_KEY, None)
    return found


def problem() -> str | None:
    """Why the store couldn't be opened in this run, if it couldn't."""
    return st.session_state.get(ERROR_KEY)


def who() -> str:
    """Who is changing the team's work: the signed-in address, or "local" without sign-in."""
    decision = access.current()
    if decision is None or decision.viewer.role is Role.ANONYMOUS:
        return LOCAL_USER
    return decision.viewer.who


def may_edit() -> bool:
    """Analysts change triage and "you said, we did"; viewers read them; without sign-in, anyone
    who can open the dashboard (the person running it) changes them."""
    decision = access.current()
    if decision is None or decision.viewer.role is Role.ANONYMOUS:
        return True
    return decision.viewer.is_analyst


def triage_frame(found: Store | None) -> pd.DataFrame:
    """Every triaged response's current triage (empty without a store)."""
    if found is None:
        return pd.DataFrame(columns=FRAME_COLUMNS)
    try:
        return found.triage.frame()
    except Exception as exc:   # the database went away between reruns: show the data without triage
        log.warning("Reading triage failed: %s", exc)
        st.session_state[ERROR_KEY] = f"The analysis store could not be read ({exc.__class__.__name__})."
        return pd.DataFrame(columns=FRAME_COLUMNS)


def tags_in_use(found: Store | None) -> list[str]:
    """Tags already used, most used first (suggestions and the tag filter's choices)."""
    if found is None:
        return []
    try:
        return list(found.triage.tags_in_use()["tag"])
    except Exception:
        return []
