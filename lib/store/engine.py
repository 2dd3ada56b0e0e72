"""Where the team's own work is kept, and engines prepared the same way for the app and the tests.

By default a SQLite file, ``.insight/analysis.sqlite`` beside the app (WAL mode, so
readers never wait for a writer, and a busy timeout, so writers queue instead of
failing). With ``[connections.analysis] url = "postgresql+psycopg://…"`` in
secrets.toml: PostgreSQL, for Streamlit Community Cloud (whose disk is wiped on
restart) or several servers. Every write runs in ``writing``: one writer at a time
(``BEGIN IMMEDIATE`` on SQLite, a transaction-level advisory lock on PostgreSQL),
so read-check-write sequences (version checks, schema upgrades) never interleave.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

#: ``st.connection(CONNECTION_NAME, type="sql")`` reads ``[connections.analysis]``.
CONNECTION_NAME = "analysis"
STORE_DIR = ".insight"
STORE_FILE = "analysis.sqlite"
SUPPORTED_DIALECTS = ("sqlite", "postgresql")
#: How long a writer waits for another to finish before giving up (ms; SQLite and PostgreSQL).
SQLITE_BUSY_TIMEOUT_MS = 20_000
#: PostgreSQL advisory lock key taken by every write transaction (any fixed 64-bit number).
WRITE_LOCK_KEY = 0x1A51_6E7C_0013
_WRITE = "insight_write"


class StoreError(Exception):
    """The store can't be used as configured, or a request to it is invalid (plain message)."""


def default_url(project_dir: str | Path) -> str:
    """The SQLite file used when nothing is configured: ``<project_dir>/.insight/analysis.sqlite``."""
    path = Path(project_dir).resolve() / STORE_DIR / STORE_FILE
    return URL.create("sqlite+pysqlite", database=str(path)).render_as_string(hide_password=False)


def connection_kwargs(conf: Mapping | None, project_dir: str | Path) -> dict:
    """Keyword arguments for ``st.connection(CONNECTION_NAME, type="sql", **kwargs)``.

    Streamlit lets keyword arguments override secrets, so the default SQLite URL is
    passed only when ``[connections.analysis]`` names no database (``url`` or ``dialect``).
    """
    configured = bool(conf) and ("url" in conf or "dialect" in conf)
    return ({} if configured else {"url": default_url(project_dir)}) | {"pool_pre_ping": True}


def _sqlite_connect(dbapi_connection, _record) -> None:
    # SQLAlchemy emits BEGIN itself (see _sqlite_begin): the driver's own transaction handling
    # skips BEGIN before SELECT and DDL, which breaks transactional schema upgrades.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_MS)}")
        _wal(cursor)
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _wal(cursor) -> None:
    """WAL mode (the file keeps it once set). Switching a new file to it needs the file alone, and
    SQLite answers "database is locked" at once there instead of waiting the busy timeout: servers
    opening a new store together retry until the timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.01)


def _sqlite_begin(conn: Connection) -> None:
    # writers take the write lock at BEGIN, so a version check and its update see the same data
    immediate = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def prepare_engine(engine: Engine) -> Engine:
    """Make ``engine`` fit for the store (idempotent): SQLite gets WAL, a busy timeout, foreign
    keys and proper transactions on every connection, and its folder is created."""
    name = engine.dialect.name
    if name not in SUPPORTED_DIALECTS:
        raise StoreError(f"The analysis store needs SQLite or PostgreSQL, not {name!r}.")
    if name == "sqlite" and not event.contains(engine, "connect", _sqlite_connect):
        database = engine.url.database or ""
        if database in ("", ":memory:") or "mode=memory" in str(engine.url):
            raise StoreError("The analysis store needs a SQLite file, not an in-memory database.")
        if not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        engine.dispose()  # connections opened before the listeners existed lack the pragmas
    return engine


def make_engine(url: str | URL, **kwargs) -> Engine:
    """A prepared engine for ``url`` (what ``st.connection`` builds, for scripts and tests)."""
    url = make_url(url)
    kwargs.setdefault("pool_pre_ping", True)
    return prepare_engine(create_engine(url, **kwargs))


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction, committed on success; one writer at a time across every server."""
    with engine.execution_options(**{_WRITE: True}).begin() as conn:
        if conn.dialect.name == "postgresql":
            # wait for another writer as long as SQLite would, then fail rather than hang
            conn.execute(text(f"SET LOCAL lock_timeout = {int(SQLITE_BUSY_TIMEOUT_MS)}"))
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction: every query in it sees the same committed state."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn
