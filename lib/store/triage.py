"""Triage of responses: status, tags and a note per response identity, with who and when.

Every change bumps the record's version and appends the whole new state to
``triage_history`` (append-only: the database refuses updates and deletes there).
Optimistic concurrency: a change names the version its author saw; if someone
else changed the record since, ``TriageConflict`` carries the current record, the
one the author saw, and the attempted change, and nothing is written. A change that
would leave the current record as it is succeeds without a write (two people marking
the same response "Read" don't conflict). Bulk changes run in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
from sqlalchemy import Connection, Engine, and_, bindparam, func, select

from ..identity import IDENTITY, fingerprints, snapshots, utc_text
from ..triage import VERSION
from .engine import StoreError, reading, writing
from .schema import tag, triage, triage_history, triage_tag

#: Who changed something when nobody is signed in.
LOCAL_USER = "local"
MAX_NOTE = 10_000
MAX_TAG = 50
MAX_TAGS = 20
_CHUNK = 500
_IDENTITY = re.compile(r"[A-Za-z0-9_:.\-]{1,40}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
KINDS = {"f": "feedback", "s": "survey"}

#: Columns of ``Triage.frame`` (and so of a responses frame joined with it).
FRAME_COLUMNS = ["identity", "status", "tags", "note", "version", "updated_by", "updated_at"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clean_tag(text: str) -> str:
    """A tag as stored: trimmed, runs of whitespace collapsed, a leading ``#`` dropped, control
    characters removed; ``""`` when nothing is left."""
    text = _SPACES.sub(" ", _CONTROL.sub("", str(text))).strip().lstrip("#").strip()
    if len(text) > MAX_TAG:
        raise StoreError(f"A tag can be at most {MAX_TAG} characters long: “{text[:MAX_TAG]}…”.")
    return text


def tag_key(text: str) -> str:
    """What makes two tags the same: case and spacing ignored."""
    return clean_tag(text).casefold()


def check_who(who: str) -> str:
    """The author of a change: a signed-in address or ``local``; never empty."""
    who = _CONTROL.sub("", str(who or "")).strip()
    if not who or len(who) > 320:
        raise StoreError("Every change needs its author: a signed-in address, or “local”.")
    return who


def kind_of(identity: str) -> str:
    """``feedback`` or ``survey`` from an identity's prefix (``other`` for anything else)."""
    return KINDS.get(identity[:1], "other")


def _check_identity(identity: str) -> str:
    if not isinstance(identity, str) or not _IDENTITY.fullmatch(identity):
        raise StoreError(f"Not a response identity: {identity!r}.")
    return identity


@dataclass(frozen=True)
class TriageRecord:
    """One response's triage. ``version`` 0: never triaged (status is then the first label)."""

    identity: str
    status: str
    tags: tuple[str, ...] = ()
    note: str = ""
    version: int = 0
    updated_by: str | None = None
    updated_at: dt.datetime | None = None
    replaced_by: str | None = None
    snapshot: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return kind_of(self.identity)

    @property
    def content(self) -> tuple[str, tuple[str, ...], str]:
        """What the team decided: status, tags (by key), note."""
        return self.status, tuple(sorted(tag_key(t) for t in self.tags)), self.note


@dataclass(frozen=True)
class TriageChange:
    """A change to triage: ``None`` leaves a field as it is; ``tags`` replaces the set, then
    ``add_tags`` and ``remove_tags`` apply (matched ignoring case and spacing)."""

    status: str | None = None
    note: str | None = None
    tags: tuple[str, ...] | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()

    def applied_to(self, record: TriageRecord) -> TriageRecord:
        """``record`` as this change would leave it (version and author unchanged)."""
        tags = {tag_key(t): clean_tag(t) for t in (record.tags if self.tags is None else self.tags)}
        tags |= {tag_key(t): clean_tag(t) for t in self.add_tags}
        for t in self.remove_tags:
            tags.pop(tag_key(t), None)
        tags.pop("", None)
        return replace(
            record,
            status=record.status if self.status is None else self.status,
            note=record.note if self.note is None else str(self.note),
            tags=tuple(sorted(tags.values(), key=str.casefold)),
        )


class StoreConflict(StoreError):
    """Someone else changed what you were changing since you opened it; nothing was written."""


class VersionConflict(StoreConflict):
    """One record changed by someone else since you opened it. ``current``: the record now;
    ``base``: the version you opened; ``attempted``: your change; ``mine``: ``base`` with your
    change applied (show both, let the person choose)."""

    #: what the record is, in the message ("This response was changed by …")
    noun = "record"

    def __init__(self, expected_version: int, current, base, attempted):
        self.expected_version = expected_version
        self.current = current
        self.base = base
        self.attempted = attempted
        when = current.updated_at.strftime("%d %b %Y %H:%M UTC") if current.updated_at else "earlier"
        super().__init__(
            f"This {self.noun} was changed by {current.updated_by or 'someone'} at {when} (version "
            f"{current.version}) since you opened it (version {expected_version}); nothing was saved."
        )

    @property
    def mine(self):
        return self.attempted.applied_to(self.base or self.current)


class TriageConflict(VersionConflict):
    """A response's triage changed since you opened it (``identity``: which response)."""

    noun = "response"

    def __init__(self, identity: str, expected_version: int, current: TriageRecord,
                 base: TriageRecord | None, attempted: TriageChange):
        self.identity = identity
        super().__init__(expected_version, current, base, attempted)


class BulkConflict(StoreConflict):
    """Some responses of a bulk change were changed by someone else; nothing was written."""

    def __init__(self, conflicts: Sequence[TriageConflict]):
        self.conflicts = tuple(conflicts)
        super().__init__(
            f"{len(self.conflicts)} of the responses were changed by someone else since you opened "
            "them; nothing was saved."
        )


@dataclass(frozen=True)
class BulkResult:
    """What a bulk change did: records written, identities left as they were, conflicts skipped."""

    updated: tuple[TriageRecord, ...]
    unchanged: tuple[str, ...]
    conflicts: tuple[TriageConflict, ...] = ()


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class Triage:
    """Triage operations on one store (an ``Engine`` with the current schema)."""

    def __init__(self, engine: Engine, statuses: Sequence[str], clock: Callable[[], dt.datetime] = utcnow):
        if not statuses:
            raise StoreError("Triage needs at least one status.")
        self.engine = engine
        self.statuses = tuple(statuses)
        self.clock = clock

    @property
    def default_status(self) -> str:
        return self.statuses[0]

    def blank(self, identity: str) -> TriageRecord:
        """The record of a response nobody has triaged."""
        return TriageRecord(identity=identity, status=self.default_status)

    # -- reads -------------------------------------------------------------------------

    def _records(self, conn: Connection, identities: Sequence[str] | None) -> dict[str, TriageRecord]:
        cols = [triage.c.identity, triage.c.status, triage.c.note, triage.c.version, triage.c.updated_by,
                triage.c.updated_at, triage.c.replaced_by, triage.c.snapshot]
        tag_q = select(triage_tag.c.identity, tag.c.label).join(tag, tag.c.key == triage_tag.c.tag_key)
        rows, tag_rows = [], []
        if identities is None:
            rows = conn.execute(select(*cols)).all()
            tag_rows = conn.execute(tag_q).all()
        else:
            for part in _chunks(list(dict.fromkeys(identities))):
                rows += conn.execute(select(*cols).where(triage.c.identity.in_(part))).all()
                tag_rows += conn.execute(tag_q.where(triage_tag.c.identity.in_(part))).all()
        tags: dict[str, list[str]] = {}
        for ident, label in tag_rows:
            tags.setdefault(ident, []).append(label)
        return {
            r.identity: TriageRecord(
                identity=r.identity, status=r.status, note=r.note, version=r.version,
                tags=tuple(sorted(tags.get(r.identity, ()), key=str.casefold)),
                updated_by=r.updated_by, updated_at=r.updated_at, replaced_by=r.replaced_by,
                snapshot=json.loads(r.snapshot or "{}"),
            )
            for r in rows
        }

    def revision(self) -> int:
        """A number that grows with every change to triage (the history's last row): cache
        ``frame()`` on it to skip re-reading an unchanged store on every rerun."""
        with reading(self.engine) as conn:
            return int(conn.execute(select(func.coalesce(func.max(triage_history.c.id), 0))).scalar_one())

    def get(self, identity: str) -> TriageRecord:
        """One response's triage (a blank record when never triaged)."""
        with reading(self.engine) as conn:
            return self._records(conn, [identity]).get(identity) or self.blank(identity)

    def frame(self, identities: Iterable[str] | None = None) -> pd.DataFrame:
        """Current triage as a frame (``FRAME_COLUMNS``), one row per distinct identity given, in
        order; untriaged ones as status "New", version 0. ``None``: every triaged response.

        One query for the whole table (cheap: only triaged responses have a row), so it can run
        on every rerun."""
        cols = [triage.c.identity, triage.c.status, triage.c.note, triage.c.version, triage.c.updated_by,
                triage.c.updated_at]
        with reading(self.engine) as conn:
            rows = conn.execute(select(*cols).where(triage.c.replaced_by.is_(None))).all()
            tag_rows = conn.execute(
                select(triage_tag.c.identity, tag.c.label).join(tag, tag.c.key == triage_tag.c.tag_key)).all()
        found = pd.DataFrame([tuple(r) for r in rows],
                             columns=["identity", "status", "note", "version", "updated_by", "updated_at"])
        tags: dict[str, list[str]] = {}
        for ident, label in tag_rows:
            tags.setdefault(ident, []).append(label)
        found["tags"] = [tuple(sorted(tags.get(i, ()), key=str.casefold)) for i in found["identity"]]
        found = found.set_index("identity")
        if identities is not None:
            wanted = pd.Index(list(dict.fromkeys(map(str, identities))), name="identity", dtype=object)
            found = found.reindex(wanted)
            missing = found["version"].isna()
            found.loc[missing, "status"] = self.default_status
            found.loc[missing, "note"] = ""
            found.loc[missing, "version"] = 0
            found["tags"] = [t if isinstance(t, tuple) else () for t in found["tags"]]
        out = found.reset_index()[FRAME_COLUMNS]
        out["version"] = out["version"].astype("int64")
        out["updated_by"] = out["updated_by"].astype(object).where(out["updated_by"].notna(), None)
        out["updated_at"] = pd.to_datetime(out["updated_at"], utc=True)
        return out

    def history(self, identity: str) -> pd.DataFrame:
        """Every change to a response's triage, newest first, including the history it had under
        earlier identities (before the response was edited in the sheet and its triage moved)."""
        with reading(self.engine) as conn:
            chain, todo = [identity], [identity]
            while todo:
                older = conn.execute(select(triage.c.identity).where(triage.c.replaced_by.in_(todo))).scalars().all()
                todo = [i for i in older if i not in chain]
                chain += todo
            rows = conn.execute(
                select(triage_history).where(triage_history.c.identity.in_(chain))
                .order_by(triage_history.c.changed_at.desc(), triage_history.c.id.desc())
            ).mappings().all()
        out = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in triage_history.columns])
        out["tags"] = out["tags"].map(lambda t: tuple(json.loads(t)))
        out["changed_at"] = pd.to_datetime(out["changed_at"], utc=True)
        return out.drop(columns=["id"]).reset_index(drop=True)

    def tags_in_use(self) -> pd.DataFrame:
        """Tags on at least one response, most used first (for suggestions): ``tag``, ``responses``."""
        n = func.count(triage_tag.c.identity)
        query = (select(tag.c.label, n.label("responses"))
                 .join(triage_tag, triage_tag.c.tag_key == tag.c.key)
                 .join(triage, and_(triage.c.identity == triage_tag.c.identity, triage.c.replaced_by.is_(None)))
                 .group_by(tag.c.key, tag.c.label).order_by(n.desc(), tag.c.key))
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return pd.DataFrame([(r.label, int(r.responses)) for r in rows], columns=["tag", "responses"])

    def orphans(self, frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
        """Triage whose response is no longer in the data ("response changed since triaged").

        ``frames``: every loaded response frame with an ``identity`` column (all rows, before
        filters: feedback and survey). Each orphan comes with the text it was triaged on and
        ``candidates``: current responses with the same words, or the same time and page
        (likely the same response, edited). Records holding nothing (status still the
        first label, no tags, no note) are not listed.
        """
        present: set[str] = set()
        by_words: dict[str, list[str]] = {}
        by_when: dict[tuple[str, str], list[str]] = {}
        for frame in frames:
            if frame.empty:
                continue
            ids = frame[IDENTITY].astype(str)
            present |= set(ids)
            for ident, words in zip(ids, fingerprints(frame)):
                by_words.setdefault(words, []).append(ident)
            pages = frame["page_path"].astype(str) if "page_path" in frame.columns else pd.Series("", index=frame.index)
            for ident, when, page in zip(ids, utc_text(frame["submitted_at"]), pages):
                if when:
                    by_when.setdefault((when, page), []).append(ident)
        with reading(self.engine) as conn:
            records = self._records(conn, None)
            fps = dict(conn.execute(select(triage.c.identity, triage.c.fingerprint)).all())
        rows = []
        for r in records.values():
            if r.identity in present or r.replaced_by is not None:
                continue
            if (r.status, r.tags, r.note) == (self.default_status, (), ""):
                continue
            snap = dict(r.snapshot)
            cands = by_words.get(fps.get(r.identity, ""), []) + by_when.get(
                (snap.get("submitted", ""), snap.get("page_path", "")), [])
            rows.append({
                "identity": r.identity, "kind": r.kind, "status": r.status, "tags": r.tags, "note": r.note,
                "version": r.version, "updated_by": r.updated_by, "updated_at": r.updated_at,
                **{k: v for k, v in snap.items() if k != "fingerprint"},
                "candidates": tuple(dict.fromkeys(c for c in cands if c != r.identity)),
            })
        base = ["identity", "kind", "status", "tags", "note", "version", "updated_by", "updated_at"]
        out = pd.DataFrame(rows)
        for col in [*base, "candidates"]:
            if col not in out.columns:
                out[col] = pd.Series(dtype=object)
        extra = [c for c in out.columns if c not in base and c != "candidates"]
        out = out[[*base, *extra, "candidates"]]
        if len(out):
            out = out.sort_values("updated_at", ascending=False, kind="stable").reset_index(drop=True)
        return out

    # -- writes ------------------------------------------------------------------------

    def _validate(self, record: TriageRecord) -> None:
        if record.status not in self.statuses:
            raise StoreError(f"“{record.status}” is not a triage status ({', '.join(self.statuses)}).")
        if len(record.note) > MAX_NOTE:
            raise StoreError(f"A note can be at most {MAX_NOTE:,} characters long.")
        if len(record.tags) > MAX_TAGS:
            raise StoreError(f"A response can have at most {MAX_TAGS} tags.")

    def _base(self, conn: Connection, identity: str, version: int) -> TriageRecord | None:
        if version == 0:
            return self.blank(identity)
        row = conn.execute(select(triage_history).where(
            triage_history.c.identity == identity, triage_history.c.version == version)).mappings().first()
        if row is None:
            return None
        return TriageRecord(identity=identity, status=row["status"], note=row["note"],
                            tags=tuple(json.loads(row["tags"])), version=version,
                            updated_by=row["changed_by"], updated_at=row["changed_at"])

    def _labels(self, conn: Connection, tags: Iterable[str], who: str, now: dt.datetime) -> dict[str, str]:
        """tag key → stored label; new tags are created with the spelling given."""
        wanted = {tag_key(t): clean_tag(t) for t in tags}
        wanted.pop("", None)
        if not wanted:
            return {}
        known = dict(conn.execute(select(tag.c.key, tag.c.label).where(tag.c.key.in_(list(wanted)))).all())
        new = [{"key": k, "label": v, "created_by": who, "created_at": now} for k, v in wanted.items() if k not in known]
        if new:
            conn.execute(tag.insert(), new)
        return known | {n["key"]: n["label"] for n in new}

    def _write(self, conn: Connection, plans: list[tuple[TriageRecord, TriageRecord, dict | None]],
               who: str, now: dt.datetime, event: str = "", related: Mapping[str, str] | None = None
               ) -> list[TriageRecord]:
        """Write (current, new, snapshot) plans: records, tags and history, in the caller's transaction."""
        if not plans:
            return []
        labels = self._labels(conn, [t for _, new, _ in plans for t in new.tags], who, now)
        written, inserts, updates, history = [], [], [], []
        for cur, new, snap in plans:
            keys = sorted({tag_key(t) for t in new.tags})
            rec = replace(new, tags=tuple(sorted((labels[k] for k in keys), key=str.casefold)),
                          version=cur.version + 1, updated_by=who, updated_at=now,
                          snapshot=snap if snap is not None else cur.snapshot)
            snapshot = dict(rec.snapshot)
            row = {"b_identity": rec.identity, "status": rec.status, "note": rec.note, "version": rec.version,
                   "updated_by": who, "updated_at": now, "b_version": cur.version,
                   "fingerprint": str(snapshot.get("fingerprint", "")), "snapshot": json.dumps(snapshot, ensure_ascii=False)}
            (inserts if cur.version == 0 else updates).append(row)
            history.append({"identity": rec.identity, "version": rec.version, "status": rec.status, "note": rec.note,
                            "changed_by": who, "changed_at": now, "tags": json.dumps(list(rec.tags), ensure_ascii=False),
                            "event": event or ("create" if cur.version == 0 else "update"),
                            "related": (related or {}).get(rec.identity)})
            written.append((rec, keys))
        if inserts:
            conn.execute(triage.insert(), [
                {"identity": r["b_identity"], "kind": kind_of(r["b_identity"]), "status": r["status"],
                 "note": r["note"], "version": r["version"], "fingerprint": r["fingerprint"],
                 "snapshot": r["snapshot"], "created_by": who, "created_at": now, "updated_by": who,
                 "updated_at": now} for r in inserts])
        if updates:
            # the write lock makes the version check and this update one step; the WHERE re-checks it
            conn.execute(
                triage.update().where(triage.c.identity == bindparam("b_identity"),
                                      triage.c.version == bindparam("b_version"))
                .values(status=bindparam("status"), note=bindparam("note"), version=bindparam("version"),
                        updated_by=bindparam("updated_by"), updated_at=bindparam("updated_at"),
                        fingerprint=bindparam("fingerprint"), snapshot=bindparam("snapshot")),
                updates,
            )
        ids = [rec.identity for rec, _ in written]
        for part in _chunks(ids):
            conn.execute(triage_tag.delete().where(triage_tag.c.identity.in_(part)))
        links = [{"identity": rec.identity, "tag_key": k} for rec, keys in written for k in keys]
        if links:
            conn.execute(triage_tag.insert(), links)
        conn.execute(triage_history.insert(), history)
        return [rec for rec, _ in written]

    def _plan(self, conn: Connection, expected: Mapping[str, int], change: TriageChange
              ) -> tuple[list[tuple[TriageRecord, TriageRecord]], list[str], list[TriageConflict]]:
        current = self._records(conn, list(expected))
        plans, unchanged, conflicts = [], [], []
        for ident, version in expected.items():
            cur = current.get(ident) or self.blank(ident)
            if cur.replaced_by is not None:
                raise StoreError(f"The triage of {ident} was moved to {cur.replaced_by}; change it there.")
            new = change.applied_to(cur)
            self._validate(new)
            if new.content == cur.content:
                unchanged.append(ident)  # nothing would change: no conflict, no write
            elif cur.version != version:
                conflicts.append(TriageConflict(ident, version, cur, self._base(conn, ident, version), change))
            else:
                plans.append((cur, new))
        return plans, unchanged, conflicts

    def update(self, identity: str, expected_version: int, change: TriageChange, who: str,
               snapshot: Mapping[str, str] | None = None) -> TriageRecord:
        """Change one response's triage, if it is still at ``expected_version``.

        ``snapshot``: the response's content (``lib.identity.snapshots``), kept so the triage can
        be shown if the response is later edited in the sheet. Raises ``TriageConflict``.
        """
        result = self.update_many({identity: expected_version}, change, who,
                                  None if snapshot is None else {identity: snapshot})
        return result.updated[0] if result.updated else self.get(identity)

    def update_many(self, expected: Mapping[str, int], change: TriageChange, who: str,
                    snapshots: Mapping[str, Mapping[str, str]] | None = None,
                    skip_conflicts: bool = False) -> BulkResult:
        """Apply one change to many responses in one transaction (identity → version each was seen at).

        If any was changed by someone else since: ``BulkConflict`` and nothing written, or with
        ``skip_conflicts`` the others are written and the conflicts returned in the result.
        """
        who = check_who(who)
        expected = {_check_identity(i): int(v) for i, v in expected.items()}
        snapshots = snapshots or {}
        with writing(self.engine) as conn:
            now = self.clock()
            plans, unchanged, conflicts = self._plan(conn, expected, change)
            if conflicts and not skip_conflicts:
                raise BulkConflict(conflicts) if len(expected) > 1 else conflicts[0]
            written = self._write(conn, [(cur, new, _snap(snapshots.get(cur.identity))) for cur, new in plans],
                                  who, now)
        return BulkResult(tuple(written), tuple(unchanged), tuple(conflicts))

    def update_frame(self, rows: pd.DataFrame, change: TriageChange, who: str,
                     skip_conflicts: bool = False) -> BulkResult:
        """``update_many`` for selected rows of a responses frame joined with triage
        (``lib.triage.join_triage``): versions and snapshots taken from the rows."""
        first = rows.drop_duplicates(IDENTITY)
        expected = dict(zip(first[IDENTITY].astype(str), first[VERSION].astype(int)))
        return self.update_many(expected, change, who, snapshots(first), skip_conflicts)

    def relink(self, old: str, new: str, who: str, snapshot: Mapping[str, str] | None = None) -> TriageRecord:
        """Move the triage of an edited response (``old``, an orphan) to its current identity ``new``.

        The old record stays, marked as moved (``replaced_by``); the new one starts with the old
        one's status, tags and note, and its history shows both. Refused if ``new`` is triaged.
        """
        who = check_who(who)
        _check_identity(old), _check_identity(new)
        with writing(self.engine) as conn:
            now = self.clock()
            found = self._records(conn, [old, new])
            if old not in found or found[old].replaced_by is not None:
                raise StoreError(f"There is no triage to move from {old}.")
            if new in found:
                raise StoreError(f"{new} has its own triage already; change that one instead.")
            src = found[old]
            moved_in = replace(src, identity=new, version=0, replaced_by=None)
            self._write(conn, [(replace(self.blank(new), snapshot={}), moved_in, _snap(snapshot) or {})],
                        who, now, "moved-in", {new: old})
            conn.execute(triage.update().where(triage.c.identity == old).values(
                replaced_by=new, version=src.version + 1, updated_by=who, updated_at=now))
            conn.execute(triage_tag.delete().where(triage_tag.c.identity == old))
            conn.execute(triage_history.insert().values(
                identity=old, version=src.version + 1, status=src.status, note=src.note, changed_by=who,
                changed_at=now, tags=json.dumps(list(src.tags), ensure_ascii=False), event="moved-out",
                related=new))
        return self.get(new)


def _snap(snapshot: Mapping[str, str] | None) -> dict | None:
    return None if snapshot is None else {str(k): str(v) for k, v in snapshot.items()}
