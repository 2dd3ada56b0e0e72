"""The analysis store: the team's own work (triage, "you said, we did", themes), kept in a
database (SQLite by default, PostgreSQL when deployed), never in the sheet.

The app gets its engine from ``st.connection("analysis", type="sql", **connection_kwargs(...))``,
passes it through ``prepare_engine`` and opens the store once per process::

    store = open_store(prepare_engine(conn.engine), consultation)
    store.triage.update(identity, version, TriageChange(status="Read"), who)

Everything here is plain Python on an SQLAlchemy ``Engine``: no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError

from ..consultation import Consultation, load_consultation
from .engine import (
    CONNECTION_NAME,
    StoreError,
    connection_kwargs,
    default_url,
    make_engine,
    prepare_engine,
)
from .said_did import PAGE, THEME, Entry, EntryChange, EntryConflict, SaidDid
from .schema import LATEST, current_version, upgrade
from .themes import EditRecord, RunConflict, ThemeEditConflict, ThemeRun, ThemeStore
from .triage import (
    LOCAL_USER,
    BulkConflict,
    BulkResult,
    StoreConflict,
    Triage,
    TriageChange,
    TriageConflict,
    TriageRecord,
    clean_tag,
    tag_key,
    utcnow,
)


@dataclass(frozen=True)
class Store:
    """One store: its engine and the operations on it."""

    engine: Engine
    triage: Triage
    said_did: SaidDid
    themes: ThemeStore


def open_store(engine: Engine, consultation: Consultation | None = None,
               clock: Callable[[], dt.datetime] = utcnow) -> Store:
    """Prepare ``engine``, upgrade its schema in place if older, and return the store.

    Call once per process (e.g. under ``st.cache_resource``): the upgrade check is a query.
    """
    consultation = consultation or load_consultation()
    prepare_engine(engine)
    try:
        upgrade(engine)
    except (OperationalError, InterfaceError) as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip()
        reason = detail.splitlines()[0] if detail else type(exc).__name__
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"The analysis store ({where}) can't be opened: {reason}") from exc
    return Store(
        engine=engine,
        triage=Triage(engine, consultation.triage_status_labels, clock),
        said_did=SaidDid(engine, consultation.said_did_status_labels, clock),
        themes=ThemeStore(engine, clock),
    )


__all__ = [
    "CONNECTION_NAME", "LATEST", "LOCAL_USER", "PAGE", "THEME",
    "BulkConflict", "BulkResult", "EditRecord", "Entry", "EntryChange", "EntryConflict", "RunConflict",
    "SaidDid", "Store", "StoreConflict", "StoreError", "ThemeEditConflict", "ThemeRun", "ThemeStore",
    "Triage", "TriageChange", "TriageConflict", "TriageRecord",
    "clean_tag", "connection_kwargs", "current_version", "default_url", "make_engine", "open_store",
    "prepare_engine", "tag_key", "upgrade",
]
