"""Themes in the store: the last theme run per collection of responses, and the team's corrections.

A *collection* names the data themes were found in (``lib.team_themes.collection_key``: the
configured source, the demo, an uploaded file), so themes of one workbook never overwrite
another's. Per collection:

- ``theme_run``: the last automatic run, one row, replaced as the data changes: each response's
  automatic theme id (ids carried over from the run before by overlap), the labels, the settings
  (the number of themes asked for or ``None`` for automatic, the number chosen), a digest of the
  identities themed, when the data was read, every theme id ever given out (so a fresh theme
  never takes the id of a gone one that an old correction names), the changes against the run
  before, who computed it and when. Optimistic concurrency: a save names the version it replaces
  (``RunConflict`` when another server saved first).
- ``theme_edit``: the team's corrections (``lib.theme_edits``: rename, merge, move, split), in
  order, append-only (the database refuses updates and deletes), each with its kind, its fields
  as JSON, who and when. A correction names the last one its author saw: if someone else
  corrected the themes since, nothing is saved (``ThemeEditConflict`` lists what they did).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
from sqlalchemy import Engine, func, select

from ..theme_edits import Edit, Merge, Move, Rename, Split, new_theme_id
from ..themes import UNTHEMED
from .engine import StoreError, reading, writing
from .schema import theme_edit, theme_run
from .triage import StoreConflict, _check_identity, check_who, utcnow

#: The kinds of correction, as stored.
KINDS: dict[type, str] = {Rename: "rename", Merge: "merge", Move: "move", Split: "split"}
MAX_LABEL = 80
MAX_COLLECTION = 300
#: At most this many responses in one move or split.
MAX_RESPONSES = 20_000
_THEME_ID = re.compile(r"[A-Za-z0-9_-]{1,20}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Prefix of the ids the store gives themes split off by the team.
SPLIT_PREFIX = "E"


def clean_label(text: object) -> str:
    """A theme label as stored: control characters removed, whitespace collapsed, 1–80 characters."""
    label = " ".join(_CONTROL.sub(" ", str(text or "")).split())
    if not label:
        raise StoreError("A theme needs a name.")
    if len(label) > MAX_LABEL:
        raise StoreError(f"A theme's name can be at most {MAX_LABEL} characters long.")
    return label


def _check_theme(theme: str, *, unthemed: bool = False) -> str:
    if unthemed and theme == UNTHEMED:
        return theme
    if not isinstance(theme, str) or not _THEME_ID.fullmatch(theme) or theme == UNTHEMED:
        raise StoreError(f"Not a theme id: {str(theme)[:40]!r}.")
    return theme


def _check_collection(collection: str) -> str:
    if not isinstance(collection, str) or not collection.strip() or len(collection) > MAX_COLLECTION:
        raise StoreError("Themes need the collection of responses they belong to.")
    return collection


def _responses(responses: Iterable[str]) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(_check_identity(r) for r in responses))
    if not out:
        raise StoreError("Choose at least one response.")
    if len(out) > MAX_RESPONSES:
        raise StoreError(f"At most {MAX_RESPONSES:,} responses can be moved at once.")
    return out


def validated(edit: Edit) -> Edit:
    """``edit`` with its label cleaned and every id checked (``StoreError`` with a plain message)."""
    if isinstance(edit, Rename):
        return Rename(_check_theme(edit.theme), clean_label(edit.label))
    if isinstance(edit, Merge):
        if edit.source == edit.target:
            raise StoreError("A theme cannot be merged into itself.")
        return Merge(_check_theme(edit.source), _check_theme(edit.target))
    if isinstance(edit, Move):
        return Move(_responses(edit.responses), _check_theme(edit.target, unthemed=True))
    if isinstance(edit, Split):
        return Split(_responses(edit.responses), _check_theme(edit.theme) if edit.theme else "",
                     clean_label(edit.label))
    raise StoreError(f"Not a theme correction: {type(edit).__name__}.")


def edit_to_row(edit: Edit) -> tuple[str, str]:
    """(kind, JSON payload) of a correction, as stored."""
    if isinstance(edit, Rename):
        payload = {"theme": edit.theme, "label": edit.label}
    elif isinstance(edit, Merge):
        payload = {"source": edit.source, "target": edit.target}
    elif isinstance(edit, Move):
        payload = {"responses": list(edit.responses), "target": edit.target}
    elif isinstance(edit, Split):
        payload = {"responses": list(edit.responses), "theme": edit.theme, "label": edit.label}
    else:
        raise StoreError(f"Not a theme correction: {type(edit).__name__}.")
    return KINDS[type(edit)], json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def edit_from_row(kind: str, payload: str) -> Edit:
    """The correction a stored row holds."""
    data = json.loads(payload)
    if kind == "rename":
        return Rename(data["theme"], data["label"])
    if kind == "merge":
        return Merge(data["source"], data["target"])
    if kind == "move":
        return Move(tuple(data["responses"]), data["target"])
    if kind == "split":
        return Split(tuple(data["responses"]), data["theme"], data["label"])
    raise StoreError(f"Unknown kind of theme correction in the store: {kind!r}.")


@dataclass(frozen=True)
class ThemeRun:
    """One automatic run as kept in the store (``version`` 0: not saved yet)."""

    collection: str
    assignment: Mapping[str, str] = field(repr=False)   # identity → automatic theme id (or Unthemed)
    labels: Mapping[str, str]                            # automatic theme id → label
    k: int | None                                        # asked for (None: chosen automatically)
    k_chosen: int
    data_key: str
    responses: int
    data_loaded_at: dt.datetime | None = None
    issued: tuple[str, ...] = ()
    changes: tuple[Mapping, ...] = ()                    # ``lib.theme_edits.theme_changes`` records
    previous_at: dt.datetime | None = None
    method: str = ""
    version: int = 0
    computed_by: str = ""
    computed_at: dt.datetime | None = None

    def series(self) -> pd.Series:
        """The assignment as a Series (identity → theme id), for ``lib.theme_edits``."""
        return pd.Series(dict(self.assignment), dtype=object, name="theme")


@dataclass(frozen=True)
class EditRecord:
    """One stored correction, with its position (``id``), who made it and when."""

    id: int
    edit: Edit
    made_by: str
    made_at: dt.datetime


class RunConflict(StoreConflict):
    """Another server saved a theme run first; ``current`` is the run now in the store."""

    def __init__(self, expected_version: int, current: ThemeRun | None):
        self.expected_version = expected_version
        self.current = current
        super().__init__("The themes were recomputed elsewhere meanwhile; nothing was saved.")


class ThemeEditConflict(StoreConflict):
    """Someone corrected the themes since you opened them; ``newer``: what they did. Nothing was saved."""

    def __init__(self, newer: Sequence[EditRecord]):
        self.newer = tuple(newer)
        last = self.newer[-1]
        when = last.made_at.strftime("%d %b %Y %H:%M UTC")
        n = len(self.newer)
        super().__init__(f"{last.made_by} corrected the themes at {when} ({n} change{'s' if n != 1 else ''} "
                         "since you opened this page); nothing was saved. Look again and redo yours if it "
                         "still applies.")


def _json_or(text: str | None, default):
    return json.loads(text) if text else default


class ThemeStore:
    """Theme runs and corrections on one store (an ``Engine`` with the current schema)."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = utcnow):
        self.engine = engine
        self.clock = clock

    # -- reads -----------------------------------------------------------------------------

    def revision(self, collection: str) -> tuple[int, int]:
        """(run version, last correction id) of a collection: cache what is read on it."""
        with reading(self.engine) as conn:
            run = conn.execute(select(theme_run.c.version).where(theme_run.c.collection == collection)).scalar()
            last = conn.execute(select(func.coalesce(func.max(theme_edit.c.id), 0))
                                .where(theme_edit.c.collection == collection)).scalar_one()
        return int(run or 0), int(last)

    @staticmethod
    def _run(row) -> ThemeRun:
        settings = _json_or(row.settings, {})
        return ThemeRun(
            collection=row.collection, assignment=_json_or(row.assignment, {}), labels=_json_or(row.labels, {}),
            k=settings.get("k"), k_chosen=int(settings.get("k_chosen") or 0), data_key=row.data_key,
            responses=int(row.responses), data_loaded_at=row.data_loaded_at,
            issued=tuple(_json_or(row.issued, [])), changes=tuple(_json_or(row.changes, [])),
            previous_at=row.previous_at, method=settings.get("method", ""), version=int(row.version),
            computed_by=row.computed_by, computed_at=row.computed_at)

    def last_run(self, collection: str) -> ThemeRun | None:
        """The collection's last run (None before the first)."""
        with reading(self.engine) as conn:
            row = conn.execute(select(theme_run).where(theme_run.c.collection == collection)).first()
        return self._run(row) if row else None

    def edits(self, collection: str, after: int = 0) -> list[EditRecord]:
        """The collection's corrections in the order they were made (those after id ``after``)."""
        with reading(self.engine) as conn:
            rows = conn.execute(select(theme_edit).where(theme_edit.c.collection == collection,
                                                         theme_edit.c.id > after)
                                .order_by(theme_edit.c.id)).all()
        return [EditRecord(int(r.id), edit_from_row(r.kind, r.payload), r.made_by, r.made_at) for r in rows]

    # -- writes ----------------------------------------------------------------------------

    def save_run(self, run: ThemeRun, expected_version: int, who: str) -> ThemeRun:
        """Keep ``run`` as its collection's last run if the stored one is still at ``expected_version``
        (0: none yet); else ``RunConflict``. Returns the run as saved (version, who, when)."""
        collection = _check_collection(run.collection)
        who = check_who(who)
        assignment = {_check_identity(i): _check_theme(t, unthemed=True) for i, t in run.assignment.items()}
        labels = {_check_theme(t): " ".join(str(label).split())[:200] for t, label in run.labels.items()}
        with writing(self.engine) as conn:
            row = conn.execute(select(theme_run).where(theme_run.c.collection == collection)).first()
            found = int(row.version) if row else 0
            if found != int(expected_version):
                raise RunConflict(int(expected_version), self._run(row) if row else None)
            now = self.clock()
            # ids once given out stay given out, whatever the new run says
            issued = sorted(set(run.issued) | set(labels) | set(_json_or(row.issued if row else None, [])))
            values = {
                "version": found + 1,
                "assignment": json.dumps(assignment, separators=(",", ":")),
                "labels": json.dumps(labels, ensure_ascii=False),
                "settings": json.dumps({"k": run.k, "k_chosen": int(run.k_chosen), "method": run.method}),
                "data_key": str(run.data_key)[:40], "responses": int(run.responses),
                "data_loaded_at": run.data_loaded_at,
                "issued": json.dumps(issued),
                "changes": json.dumps(list(run.changes), ensure_ascii=False, default=str),
                "previous_at": run.previous_at, "computed_by": who, "computed_at": now,
            }
            if row is None:
                conn.execute(theme_run.insert().values(collection=collection, **values))
            else:
                conn.execute(theme_run.update().where(theme_run.c.collection == collection,
                                                      theme_run.c.version == found).values(**values))
        return replace(run, assignment=assignment, labels=labels, version=found + 1, computed_by=who,
                       computed_at=now, issued=tuple(issued))

    def add_edit(self, collection: str, edit: Edit, who: str, expected_last: int) -> EditRecord:
        """Append a correction if the last one is still ``expected_last`` (0: none yet); else
        ``ThemeEditConflict``. A split without a theme id gets a fresh ``E…`` id here, under the
        write lock, so two people splitting at once never share one."""
        collection = _check_collection(collection)
        who = check_who(who)
        edit = validated(edit)
        with writing(self.engine) as conn:
            last = int(conn.execute(select(func.coalesce(func.max(theme_edit.c.id), 0))
                                    .where(theme_edit.c.collection == collection)).scalar_one())
            if last != int(expected_last):
                rows = conn.execute(select(theme_edit).where(theme_edit.c.collection == collection,
                                                             theme_edit.c.id > int(expected_last))
                                    .order_by(theme_edit.c.id)).all()
                raise ThemeEditConflict([EditRecord(int(r.id), edit_from_row(r.kind, r.payload), r.made_by,
                                                    r.made_at) for r in rows])
            if isinstance(edit, Split) and not edit.theme:
                issued = conn.execute(select(theme_run.c.issued).where(theme_run.c.collection == collection)).scalar()
                taken = set(_json_or(issued, []))
                for kind, payload in conn.execute(select(theme_edit.c.kind, theme_edit.c.payload)
                                                  .where(theme_edit.c.collection == collection)).all():
                    if kind == "split":
                        taken.add(json.loads(payload)["theme"])
                edit = replace(edit, theme=new_theme_id(taken, prefix=SPLIT_PREFIX))
            kind, payload = edit_to_row(edit)
            now = self.clock()
            new_id = conn.execute(theme_edit.insert().values(collection=collection, kind=kind, payload=payload,
                                                             made_by=who, made_at=now)).inserted_primary_key[0]
        return EditRecord(int(new_id), edit, who, now)


__all__ = ["EditRecord", "RunConflict", "ThemeEditConflict", "ThemeRun", "ThemeStore", "clean_label",
           "edit_from_row", "edit_to_row", "validated"]
