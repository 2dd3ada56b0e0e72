""""You said, we did" entries: per page, later per theme, what the team heard and will do.

One entry per scope (``page`` + page path, or ``theme`` + theme id), with a status
and who/when; versioned like triage (``EntryConflict`` when someone else saved it
since it was opened), every save appended to ``said_did_history``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import Engine, func, select

from .engine import StoreError, reading, writing
from .schema import said_did, said_did_history
from .triage import VersionConflict, check_who, utcnow

PAGE = "page"
THEME = "theme"
SCOPE_KINDS = (PAGE, THEME)
MAX_TEXT = 20_000

#: Columns of ``SaidDid.frame``.
ENTRY_COLUMNS = ["scope_kind", "scope_key", "heard", "action", "status", "version",
                 "created_by", "created_at", "updated_by", "updated_at"]


@dataclass(frozen=True)
class Entry:
    """One entry; ``version`` 0: not written yet (status is then the first label)."""

    scope_kind: str
    scope_key: str
    heard: str = ""
    action: str = ""
    status: str = ""
    version: int = 0
    updated_by: str | None = None
    updated_at: dt.datetime | None = None

    @property
    def content(self) -> tuple[str, str, str]:
        return self.heard, self.action, self.status


@dataclass(frozen=True)
class EntryChange:
    """A change to an entry: ``None`` leaves a field as it is."""

    heard: str | None = None
    action: str | None = None
    status: str | None = None

    def applied_to(self, entry: Entry) -> Entry:
        return replace(
            entry,
            heard=entry.heard if self.heard is None else str(self.heard),
            action=entry.action if self.action is None else str(self.action),
            status=entry.status if self.status is None else self.status,
        )


class EntryConflict(VersionConflict):
    """An entry changed since you opened it: ``current``: the entry now; ``base``: the version you
    opened; ``attempted``: your change."""

    noun = "entry"

    def __init__(self, expected_version: int, current: Entry, base: Entry | None, attempted: EntryChange):
        super().__init__(expected_version, current, base, attempted)


def _check_scope(kind: str, key: str) -> None:
    if kind not in SCOPE_KINDS:
        raise StoreError(f"An entry is per {' or '.join(SCOPE_KINDS)}, not {kind!r}.")
    if not isinstance(key, str) or not key.strip() or len(key) > 300:
        raise StoreError("An entry needs the page or theme it is about.")


class SaidDid:
    """"You said, we did" operations on one store."""

    def __init__(self, engine: Engine, statuses: Sequence[str], clock: Callable[[], dt.datetime] = utcnow):
        if not statuses:
            raise StoreError("Entries need at least one status.")
        self.engine = engine
        self.statuses = tuple(statuses)
        self.clock = clock

    def blank(self, scope_kind: str, scope_key: str) -> Entry:
        return Entry(scope_kind, scope_key, status=self.statuses[0])

    @staticmethod
    def _entry(row) -> Entry:
        return Entry(row.scope_kind, row.scope_key, row.heard, row.action, row.status, row.version,
                     row.updated_by, row.updated_at)

    def revision(self) -> int:
        """A number that grows with every save (the history's last row), to cache ``frame()`` on."""
        with reading(self.engine) as conn:
            return int(conn.execute(select(func.coalesce(func.max(said_did_history.c.id), 0))).scalar_one())

    def get(self, scope_kind: str, scope_key: str) -> Entry:
        """One scope's entry (blank, version 0, when nobody wrote it yet)."""
        with reading(self.engine) as conn:
            row = conn.execute(select(said_did).where(
                said_did.c.scope_kind == scope_kind, said_did.c.scope_key == scope_key)).first()
        return self._entry(row) if row else self.blank(scope_kind, scope_key)

    def frame(self, scope_kind: str | None = None) -> pd.DataFrame:
        """Every entry written (``ENTRY_COLUMNS``), optionally of one scope kind."""
        query = select(*[said_did.c[c] for c in ENTRY_COLUMNS]).order_by(said_did.c.scope_kind, said_did.c.scope_key)
        if scope_kind is not None:
            query = query.where(said_did.c.scope_kind == scope_kind)
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        out = pd.DataFrame([tuple(r) for r in rows], columns=ENTRY_COLUMNS)
        out["version"] = out["version"].astype("int64")
        for c in ("created_at", "updated_at"):
            out[c] = pd.to_datetime(out[c], utc=True)
        return out

    def history(self, scope_kind: str, scope_key: str) -> pd.DataFrame:
        """Every save of one entry, newest first."""
        h = said_did_history
        with reading(self.engine) as conn:
            rows = conn.execute(
                select(h.c.version, h.c.heard, h.c.action, h.c.status, h.c.changed_by, h.c.changed_at, h.c.event)
                .join(said_did, said_did.c.id == h.c.entry_id)
                .where(said_did.c.scope_kind == scope_kind, said_did.c.scope_key == scope_key)
                .order_by(h.c.version.desc())
            ).all()
        out = pd.DataFrame([tuple(r) for r in rows],
                           columns=["version", "heard", "action", "status", "changed_by", "changed_at", "event"])
        out["changed_at"] = pd.to_datetime(out["changed_at"], utc=True)
        return out

    def save(self, scope_kind: str, scope_key: str, expected_version: int, change: EntryChange,
             who: str) -> Entry:
        """Save a change to a scope's entry if it is still at ``expected_version`` (else ``EntryConflict``)."""
        _check_scope(scope_kind, scope_key)
        who = check_who(who)
        with writing(self.engine) as conn:
            now = self.clock()
            row = conn.execute(select(said_did).where(
                said_did.c.scope_kind == scope_kind, said_did.c.scope_key == scope_key)).first()
            cur = self._entry(row) if row else self.blank(scope_kind, scope_key)
            new = change.applied_to(cur)
            if new.status not in self.statuses:
                raise StoreError(f"“{new.status}” is not an entry status ({', '.join(self.statuses)}).")
            if max(len(new.heard), len(new.action)) > MAX_TEXT:
                raise StoreError(f"An entry's text can be at most {MAX_TEXT:,} characters long.")
            if new.content == cur.content:
                return cur
            if cur.version != int(expected_version):
                base = None
                if expected_version == 0:
                    base = self.blank(scope_kind, scope_key)
                elif row is not None:
                    old = conn.execute(select(said_did_history).where(
                        said_did_history.c.entry_id == row.id,
                        said_did_history.c.version == expected_version)).first()
                    if old is not None:
                        base = Entry(scope_kind, scope_key, old.heard, old.action, old.status, old.version,
                                     old.changed_by, old.changed_at)
                raise EntryConflict(int(expected_version), cur, base, change)
            values = {"heard": new.heard, "action": new.action, "status": new.status,
                      "version": cur.version + 1, "updated_by": who, "updated_at": now}
            if row is None:
                entry_id = conn.execute(said_did.insert().values(
                    scope_kind=scope_kind, scope_key=scope_key, created_by=who, created_at=now, **values)
                ).inserted_primary_key[0]
            else:
                entry_id = row.id
                conn.execute(said_did.update().where(said_did.c.id == row.id,
                                                     said_did.c.version == cur.version).values(**values))
            conn.execute(said_did_history.insert().values(
                entry_id=entry_id, version=values["version"], heard=new.heard, action=new.action,
                status=new.status, changed_by=who, changed_at=now, event="create" if row is None else "update"))
        return replace(new, version=values["version"], updated_by=who, updated_at=now)
