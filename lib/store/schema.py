"""The store's schema and how an older store is upgraded in place.

Versioning: the table ``schema_version`` holds one row per migration applied
(version, when, what). ``upgrade`` runs, in one write transaction, every migration
newer than the store's version, in order, and records each; a failure rolls the
whole upgrade back. Two servers starting at once queue on the write lock (SQLite:
``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock), so the second finds the work done.
A store made by a newer dashboard is refused with a plain message, never altered.

Migrations are frozen: each creates exactly what its release had (its own table
definitions, not the current ones below), so a fresh store and an upgraded one end
identical. To change the schema, append a migration; never edit a released one.

- v1 (first release): triage per response (status, note, version, the response's
  snapshot and fingerprint), its history, and "you said, we did" per page.
- v2: tags; "you said, we did" per scope (page or theme) with its own history;
  triage records can be moved to an edited response (``replaced_by``); history
  tables made append-only in the database itself (triggers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.types import TypeDecorator

from .engine import StoreError, writing


class UTCDateTime(TypeDecorator):
    """A moment in UTC: ``timestamptz`` on PostgreSQL, UTC text on SQLite; always read back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


WHO = 320  # longest e-mail address
IDENT = 40
LABEL = 60
SCOPE_KEY = 300


# -- the current schema (what queries use) ----------------------------------------------

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", UTCDateTime, nullable=False),
    Column("description", String(200), nullable=False),
)

triage = Table(
    "triage", metadata,
    Column("identity", String(IDENT), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("status", String(LABEL), nullable=False),
    Column("note", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("fingerprint", String(IDENT), nullable=False),
    Column("snapshot", Text, nullable=False),          # JSON: the response as triaged
    Column("created_by", String(WHO), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_by", String(WHO), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("replaced_by", String(IDENT)),              # v2: moved to this identity
)

triage_history = Table(
    "triage_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("identity", String(IDENT), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(LABEL), nullable=False),
    Column("note", Text, nullable=False),
    Column("changed_by", String(WHO), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("tags", Text, nullable=False),              # v2: JSON list of tag labels
    Column("event", String(20), nullable=False),       # v2: create / update / moved-in / moved-out
    Column("related", String(IDENT)),                  # v2: the other identity of a move
    UniqueConstraint("identity", "version", name="uq_triage_history_version"),
)

tag = Table(
    "tag", metadata,
    Column("key", String(LABEL), primary_key=True),   # casefolded, whitespace collapsed
    Column("label", String(LABEL), nullable=False),   # spelling first used
    Column("created_by", String(WHO), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

triage_tag = Table(
    "triage_tag", metadata,
    Column("identity", String(IDENT), ForeignKey("triage.identity", ondelete="CASCADE"), nullable=False),
    Column("tag_key", String(LABEL), ForeignKey("tag.key"), nullable=False),
    PrimaryKeyConstraint("identity", "tag_key", name="pk_triage_tag"),
    Index("ix_triage_tag_key", "tag_key"),
)

said_did = Table(
    "said_did", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scope_kind", String(20), nullable=False),   # "page" or "theme"
    Column("scope_key", String(SCOPE_KEY), nullable=False),
    Column("heard", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("status", String(LABEL), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_by", String(WHO), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_by", String(WHO), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("scope_kind", "scope_key", name="uq_said_did_scope"),
)

said_did_history = Table(
    "said_did_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", Integer, ForeignKey("said_did.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("heard", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("status", String(LABEL), nullable=False),
    Column("changed_by", String(WHO), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("event", String(20), nullable=False),
    UniqueConstraint("entry_id", "version", name="uq_said_did_history_version"),
)

theme_run = Table(
    "theme_run", metadata,
    Column("collection", String(SCOPE_KEY), primary_key=True),   # which data: see lib.store.themes
    Column("version", Integer, nullable=False),
    Column("assignment", Text, nullable=False),     # JSON: response identity → automatic theme id
    Column("labels", Text, nullable=False),         # JSON: automatic theme id → label
    Column("settings", Text, nullable=False),       # JSON: k asked for, k chosen, method
    Column("data_key", String(IDENT), nullable=False),   # digest of the identities themed
    Column("responses", Integer, nullable=False),
    Column("data_loaded_at", UTCDateTime),          # when the data themed was read
    Column("issued", Text, nullable=False),         # JSON: every theme id ever given out here
    Column("changes", Text, nullable=False),        # JSON: what changed against the run before
    Column("previous_at", UTCDateTime),             # when the run before was computed
    Column("computed_by", String(WHO), nullable=False),
    Column("computed_at", UTCDateTime, nullable=False),
)

theme_edit = Table(
    "theme_edit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("collection", String(SCOPE_KEY), nullable=False),
    Column("kind", String(20), nullable=False),      # rename, merge, move, split
    Column("payload", Text, nullable=False),         # JSON: the edit's fields
    Column("made_by", String(WHO), nullable=False),
    Column("made_at", UTCDateTime, nullable=False),
    Index("ix_theme_edit_collection", "collection", "id"),
)

APPEND_ONLY = ("triage_history", "said_did_history", "theme_edit")


# -- migrations (frozen: never edit a released one) --------------------------------------


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1(conn: Connection) -> None:
    """First release: triage (status, note) with history, "you said, we did" per page."""
    md = MetaData()
    Table(
        "triage", md,
        Column("identity", String(IDENT), primary_key=True),
        Column("kind", String(20), nullable=False),
        Column("status", String(LABEL), nullable=False),
        Column("note", Text, nullable=False),
        Column("version", Integer, nullable=False),
        Column("fingerprint", String(IDENT), nullable=False),
        Column("snapshot", Text, nullable=False),
        Column("created_by", String(WHO), nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_by", String(WHO), nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
    )
    Table(
        "triage_history", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("identity", String(IDENT), nullable=False),
        Column("version", Integer, nullable=False),
        Column("status", String(LABEL), nullable=False),
        Column("note", Text, nullable=False),
        Column("changed_by", String(WHO), nullable=False),
        Column("changed_at", UTCDateTime, nullable=False),
        UniqueConstraint("identity", "version", name="uq_triage_history_version"),
    )
    Table(
        "said_did", md,
        Column("page_path", String(SCOPE_KEY), primary_key=True),
        Column("heard", Text, nullable=False),
        Column("action", Text, nullable=False),
        Column("status", String(LABEL), nullable=False),
        Column("version", Integer, nullable=False),
        Column("updated_by", String(WHO), nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
    )
    md.create_all(conn)


def _append_only(conn: Connection, table_name: str) -> None:
    """Refuse UPDATE and DELETE (and TRUNCATE) on a history table, in the database itself."""
    if conn.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            conn.execute(text(
                f"CREATE TRIGGER {table_name}_no_{op.lower()} BEFORE {op} ON {table_name} "
                f"BEGIN SELECT RAISE(ABORT, '{table_name} is append-only'); END"
            ))
    else:
        conn.execute(text(
            "CREATE OR REPLACE FUNCTION insight_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$fn$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $fn$"
        ))
        conn.execute(text(
            f"CREATE TRIGGER {table_name}_append_only BEFORE UPDATE OR DELETE ON {table_name} "
            "FOR EACH ROW EXECUTE FUNCTION insight_append_only()"
        ))
        conn.execute(text(
            f"CREATE TRIGGER {table_name}_no_truncate BEFORE TRUNCATE ON {table_name} "
            "FOR EACH STATEMENT EXECUTE FUNCTION insight_append_only()"
        ))


def _v2(conn: Connection) -> None:
    """Tags, "you said, we did" per scope with history, moved triage, append-only history."""
    md = MetaData()
    md.reflect(conn, only=("triage",))
    conn.execute(text(f"ALTER TABLE triage ADD COLUMN replaced_by VARCHAR({IDENT})"))
    conn.execute(text("ALTER TABLE triage_history ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'"))
    conn.execute(text("ALTER TABLE triage_history ADD COLUMN event VARCHAR(20) NOT NULL DEFAULT 'update'"))
    conn.execute(text(f"ALTER TABLE triage_history ADD COLUMN related VARCHAR({IDENT})"))
    # (the one UPDATE history ever receives: before it becomes append-only below)
    conn.execute(text("UPDATE triage_history SET event = 'create' WHERE version = 1"))

    Table(
        "tag", md,
        Column("key", String(LABEL), primary_key=True),
        Column("label", String(LABEL), nullable=False),
        Column("created_by", String(WHO), nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
    )
    Table(
        "triage_tag", md,
        Column("identity", String(IDENT), nullable=False),
        Column("tag_key", String(LABEL), nullable=False),
        PrimaryKeyConstraint("identity", "tag_key", name="pk_triage_tag"),
        ForeignKeyConstraint(["identity"], ["triage.identity"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tag_key"], ["tag.key"]),
        Index("ix_triage_tag_key", "tag_key"),
    )
    # "you said, we did": page_path → (scope_kind, scope_key); rebuilt, rows copied
    new = Table(
        "said_did_v2", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("scope_kind", String(20), nullable=False),
        Column("scope_key", String(SCOPE_KEY), nullable=False),
        Column("heard", Text, nullable=False),
        Column("action", Text, nullable=False),
        Column("status", String(LABEL), nullable=False),
        Column("version", Integer, nullable=False),
        Column("created_by", String(WHO), nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_by", String(WHO), nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
        UniqueConstraint("scope_kind", "scope_key", name="uq_said_did_scope"),
    )
    md.create_all(conn, tables=[md.tables["tag"], md.tables["triage_tag"], new])
    conn.execute(text(
        "INSERT INTO said_did_v2 (scope_kind, scope_key, heard, action, status, version, "
        "created_by, created_at, updated_by, updated_at) "
        "SELECT 'page', page_path, heard, action, status, version, updated_by, updated_at, "
        "updated_by, updated_at FROM said_did ORDER BY page_path"
    ))
    conn.execute(text("DROP TABLE said_did"))
    conn.execute(text("ALTER TABLE said_did_v2 RENAME TO said_did"))
    history = Table(
        "said_did_history", MetaData(),
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("entry_id", Integer, ForeignKey("said_did.id"), nullable=False),
        Column("version", Integer, nullable=False),
        Column("heard", Text, nullable=False),
        Column("action", Text, nullable=False),
        Column("status", String(LABEL), nullable=False),
        Column("changed_by", String(WHO), nullable=False),
        Column("changed_at", UTCDateTime, nullable=False),
        Column("event", String(20), nullable=False),
        UniqueConstraint("entry_id", "version", name="uq_said_did_history_version"),
    )
    Table("said_did", history.metadata, Column("id", Integer, primary_key=True))
    history.create(conn)
    # v1 kept no history of entries: each starts from the state it had at the upgrade
    conn.execute(text(
        "INSERT INTO said_did_history (entry_id, version, heard, action, status, changed_by, "
        "changed_at, event) SELECT id, version, heard, action, status, updated_by, updated_at, "
        "'imported' FROM said_did ORDER BY id"
    ))
    for name in ("triage_history", "said_did_history"):   # frozen: v2's own tables
        _append_only(conn, name)


def _v3(conn: Connection) -> None:
    """Themes: the last run per collection and the team's corrections (append-only)."""
    md = MetaData()
    Table(
        "theme_run", md,
        Column("collection", String(SCOPE_KEY), primary_key=True),
        Column("version", Integer, nullable=False),
        Column("assignment", Text, nullable=False),
        Column("labels", Text, nullable=False),
        Column("settings", Text, nullable=False),
        Column("data_key", String(IDENT), nullable=False),
        Column("responses", Integer, nullable=False),
        Column("data_loaded_at", UTCDateTime),
        Column("issued", Text, nullable=False),
        Column("changes", Text, nullable=False),
        Column("previous_at", UTCDateTime),
        Column("computed_by", String(WHO), nullable=False),
        Column("computed_at", UTCDateTime, nullable=False),
    )
    Table(
        "theme_edit", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("collection", String(SCOPE_KEY), nullable=False),
        Column("kind", String(20), nullable=False),
        Column("payload", Text, nullable=False),
        Column("made_by", String(WHO), nullable=False),
        Column("made_at", UTCDateTime, nullable=False),
        Index("ix_theme_edit_collection", "collection", "id"),
    )
    md.create_all(conn)
    _append_only(conn, "theme_edit")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "triage with history; you said, we did per page", _v1),
    Migration(2, "tags; you said, we did per scope with history; moved triage; append-only history", _v2),
    Migration(3, "themes: the last run per collection and the team's corrections", _v3),
)
LATEST = MIGRATIONS[-1].version


def _version_table(conn: Connection) -> None:
    Table(
        "schema_version", MetaData(),
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("applied_at", UTCDateTime, nullable=False),
        Column("description", String(200), nullable=False),
    ).create(conn, checkfirst=True)


def current_version(engine: Engine) -> int:
    """The store's schema version (0: empty database, nothing created yet)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("schema_version"):
            return 0
        return int(conn.execute(select(func.coalesce(func.max(schema_version.c.version), 0))).scalar_one())


def upgrade(engine: Engine, migrations: tuple[Migration, ...] = MIGRATIONS,
            now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> list[int]:
    """Bring the store to the latest schema in one transaction; returns the versions applied."""
    latest = migrations[-1].version
    if current_version(engine) == latest:
        return []
    with writing(engine) as conn:
        _version_table(conn)
        found = int(conn.execute(select(func.coalesce(func.max(schema_version.c.version), 0))).scalar_one())
        if found > latest:
            raise StoreError(
                f"The analysis store was made by a newer dashboard (schema version {found}); this one "
                f"knows up to version {latest}. Update the dashboard before using this store."
            )
        applied = []
        for m in migrations:
            if m.version > found:
                m.apply(conn)
                conn.execute(schema_version.insert().values(
                    version=m.version, applied_at=now(), description=m.description))
                applied.append(m.version)
        return applied
