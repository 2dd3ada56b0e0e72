"""Themes in the analysis store, on SQLite and on a real PostgreSQL: the last run per collection,
the team's corrections (ordered, append-only, who and when, conflicts), and the upgrade of a
store made at schema version 2."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from lib.store import (
    LATEST,
    PAGE,
    EntryChange,
    RunConflict,
    StoreError,
    ThemeEditConflict,
    ThemeRun,
    TriageChange,
    current_version,
    open_store,
)
from lib.store.said_did import SaidDid
from lib.store.schema import MIGRATIONS, upgrade
from lib.store.triage import Triage
from lib.theme_edits import Merge, Move, Rename, Split
from tests.conftest import StoreClock

ANA, SAM = "ana@council.gov.uk", "sam@council.gov.uk"
F = [f"f{i:016x}" for i in range(8)]


def run(**changes) -> ThemeRun:
    base = dict(collection="demo", assignment={F[0]: "T1", F[1]: "T1", F[2]: "T2", F[3]: "Unthemed"},
                labels={"T1": "Data quality · checks", "T2": "Funding · money"}, k=None, k_chosen=4,
                data_key="abc123", responses=4,
                data_loaded_at=dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC), method="test")
    return ThemeRun(**(base | changes))


def test_the_last_run_is_kept_per_collection_and_replaced_in_turn(store):
    assert store.themes.last_run("demo") is None
    first = store.themes.save_run(run(), 0, ANA)
    assert (first.version, first.computed_by) == (1, ANA)
    got = store.themes.last_run("demo")
    assert dict(got.assignment) == {F[0]: "T1", F[1]: "T1", F[2]: "T2", F[3]: "Unthemed"}
    assert dict(got.labels) == {"T1": "Data quality · checks", "T2": "Funding · money"}
    assert (got.k, got.k_chosen, got.data_key, got.responses) == (None, 4, "abc123", 4)
    assert got.data_loaded_at == dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)
    assert got.computed_at == dt.datetime(2026, 11, 2, 10, 1, tzinfo=dt.UTC)
    assert got.issued == ("T1", "T2")
    # another workbook's themes are kept apart
    store.themes.save_run(run(collection="workbook:/data/other.xlsx", labels={"T1": "Other"},
                              assignment={F[5]: "T1"}), 0, SAM)
    assert dict(store.themes.last_run("demo").labels)["T1"] == "Data quality · checks"
    # the next run replaces it, names the version it replaces, and keeps every id ever issued
    second = store.themes.save_run(run(labels={"T1": "Data quality", "N1": "Skills"}, k=6,
                                       assignment={F[0]: "T1", F[4]: "N1"},
                                       changes=({"theme": "N1", "status": "new", "renamed": False},)), 1, SAM)
    assert second.version == 2
    got = store.themes.last_run("demo")
    assert (got.k, got.computed_by, got.version) == (6, SAM, 2)
    assert got.issued == ("N1", "T1", "T2")
    assert got.changes == ({"theme": "N1", "status": "new", "renamed": False},)
    assert store.themes.revision("demo") == (2, 0)


def test_a_run_saved_elsewhere_first_is_a_conflict_and_nothing_is_written(store, store_url, engines):
    store.themes.save_run(run(), 0, ANA)
    other = open_store(engines(store_url), clock=StoreClock())
    other.themes.save_run(run(data_key="def456"), 1, SAM)
    with pytest.raises(RunConflict) as caught:
        store.themes.save_run(run(data_key="zzz999"), 1, ANA)
    assert caught.value.current.data_key == "def456" and caught.value.current.version == 2
    assert store.themes.last_run("demo").data_key == "def456"


def test_corrections_are_kept_in_order_with_who_and_when(store):
    store.themes.save_run(run(), 0, ANA)
    a = store.themes.add_edit("demo", Rename("T1", "  Data   quality\n"), ANA, 0)
    b = store.themes.add_edit("demo", Move((F[3], F[2]), "T1"), SAM, a.id)
    c = store.themes.add_edit("demo", Merge("T2", "T1"), ANA, b.id)
    got = store.themes.edits("demo")
    assert [e.edit for e in got] == [Rename("T1", "Data quality"), Move((F[3], F[2]), "T1"), Merge("T2", "T1")]
    assert [e.made_by for e in got] == [ANA, SAM, ANA]
    assert [e.made_at for e in got] == [dt.datetime(2026, 11, 2, 10, m, tzinfo=dt.UTC) for m in (2, 3, 4)]
    assert [e.id for e in store.themes.edits("demo", after=a.id)] == [b.id, c.id]
    assert store.themes.edits("workbook:/data/other.xlsx") == []
    assert store.themes.revision("demo") == (1, c.id)


def test_a_correction_on_a_stale_view_is_refused_with_what_changed(store):
    store.themes.save_run(run(), 0, ANA)
    first = store.themes.add_edit("demo", Rename("T1", "Quality"), SAM, 0)
    with pytest.raises(ThemeEditConflict, match="sam@council.gov.uk corrected the themes") as caught:
        store.themes.add_edit("demo", Rename("T1", "Checks"), ANA, 0)
    assert [e.edit for e in caught.value.newer] == [Rename("T1", "Quality")]
    assert [e.id for e in store.themes.edits("demo")] == [first.id]


def test_split_themes_get_fresh_ids_that_never_repeat(store):
    store.themes.save_run(run(labels={"T1": "A", "E1": "taken by a run"}), 0, ANA)
    one = store.themes.add_edit("demo", Split((F[0],), "", "Lived experience"), ANA, 0)
    two = store.themes.add_edit("demo", Split((F[2],), "", "Small authorities"), ANA, one.id)
    assert (one.edit.theme, two.edit.theme) == ("E2", "E3")


def test_corrections_are_checked(store):
    with pytest.raises(StoreError, match="at most 80 characters"):
        store.themes.add_edit("demo", Rename("T1", "x" * 81), ANA, 0)
    with pytest.raises(StoreError, match="needs a name"):
        store.themes.add_edit("demo", Rename("T1", " \n "), ANA, 0)
    with pytest.raises(StoreError, match="Not a response identity"):
        store.themes.add_edit("demo", Move(("'; DROP TABLE theme_edit; --",), "T1"), ANA, 0)
    with pytest.raises(StoreError, match="into itself"):
        store.themes.add_edit("demo", Merge("T1", "T1"), ANA, 0)
    with pytest.raises(StoreError, match="Not a theme id"):
        store.themes.add_edit("demo", Merge("T1", "Unthemed"), ANA, 0)
    with pytest.raises(StoreError, match="author"):
        store.themes.add_edit("demo", Rename("T1", "Fine"), "", 0)
    assert store.themes.edits("demo") == []


def test_corrections_are_append_only_in_the_database(store):
    store.themes.add_edit("demo", Rename("T1", "Quality"), ANA, 0)
    for statement in ("DELETE FROM theme_edit", "UPDATE theme_edit SET made_by = 'someone'"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert [e.made_by for e in store.themes.edits("demo")] == [ANA]


def test_a_version_2_store_is_upgraded_without_losing_anything(store_url, engines):
    engine = engines(store_url)
    upgrade(engine, MIGRATIONS[:2])            # what the second release created
    assert current_version(engine) == 2
    clock = StoreClock()
    Triage(engine, ("New", "Read", "Needs action"), clock).update(F[0], 0, TriageChange(
        status="Needs action", note="Call back", add_tags=("funding",)), ANA)
    SaidDid(engine, ("Draft", "Agreed", "Done"), clock).save(PAGE, "/status/", 0, EntryChange(
        heard="People want numbers", status="Agreed"), SAM)
    SaidDid(engine, ("Draft", "Agreed", "Done"), clock).save("theme", "T3", 0, EntryChange(
        heard="Funding worries"), SAM)

    store = open_store(engine, clock=clock)
    assert current_version(engine) == LATEST == 3
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
    assert versions == [1, 2, 3]
    record = store.triage.get(F[0])
    assert (record.status, record.note, record.tags, record.version, record.updated_by) == (
        "Needs action", "Call back", ("funding",), 1, ANA)
    assert store.triage.history(F[0])["status"].tolist() == ["Needs action"]
    entries = store.said_did.frame()
    assert entries[["scope_kind", "scope_key", "heard", "status", "updated_by"]].values.tolist() == [
        ["page", "/status/", "People want numbers", "Agreed", SAM],
        ["theme", "T3", "Funding worries", "Draft", SAM]]
    # and the new tables work
    store.themes.save_run(run(), 0, ANA)
    store.themes.add_edit("demo", Rename("T1", "Quality"), ANA, 0)
    assert [e.edit for e in store.themes.edits("demo")] == [Rename("T1", "Quality")]
