"""The analysis store on SQLite and on a real PostgreSQL server: triage, "you said, we did",
concurrency between sessions and servers, schema versions."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from lib.identity import IDENTITY, snapshots, with_identities
from lib.store import (
    LATEST,
    PAGE,
    BulkConflict,
    EntryChange,
    EntryConflict,
    StoreError,
    TriageChange,
    TriageConflict,
    connection_kwargs,
    current_version,
    default_url,
    make_engine,
    open_store,
)
from lib.triage import join_triage
from tests.conftest import StoreClock, fb_row

ANA = "ana@council.gov.uk"
SAM = "sam@council.gov.uk"
F1, F2, F3 = "f" + "1" * 16, "f" + "2" * 16, "f" + "3" * 16


def second_server(store_url, engines):
    """Another server (its own engine and pool) on the same database."""
    return open_store(engines(store_url), clock=StoreClock())


# -- schema ------------------------------------------------------------------------------


def test_a_fresh_store_has_the_latest_schema_and_opening_again_changes_nothing(store_url, engines):
    engine = engines(store_url)
    assert current_version(engine) == 0
    open_store(engine)
    open_store(engine)
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
        tables = set(sa.inspect(conn).get_table_names())
    assert versions == [1, 2, 3] and LATEST == 3
    assert {"triage", "triage_history", "tag", "triage_tag", "said_did", "said_did_history", "theme_run",
            "theme_edit"} <= tables


def _open_at_once(engines, url: str, servers: int = 3) -> list[Exception]:
    """``servers`` servers opening the store at ``url`` at the same moment: what they raised."""
    barrier, errors = threading.Barrier(servers), []

    def start():
        engine = engines(url)
        barrier.wait()
        try:
            open_store(engine)
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(servers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def test_servers_starting_at_once_upgrade_once(store_url, engines):
    assert _open_at_once(engines, store_url) == []
    with engines(store_url).connect() as conn:
        assert conn.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars().all() == [1, 2, 3]


def test_new_sqlite_stores_opened_by_servers_at_once_all_open(tmp_path, engines):
    """Switching a new SQLite file to WAL mode answers "locked" at once, not after the busy timeout:
    three servers opening thirty new stores together all open them (about one start in eight
    failed before the switch was retried)."""
    for n in range(30):
        url = f"sqlite:///{tmp_path / f'store{n}.sqlite'}"
        assert _open_at_once(engines, url) == [], n
        with engines(url).connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_store_from_a_newer_dashboard_is_refused_untouched(store, store_url, engines):
    with store.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO schema_version (version, applied_at, description) "
                             "VALUES (99, CURRENT_TIMESTAMP, 'from the future')"))
    with pytest.raises(StoreError, match="newer dashboard"):
        open_store(engines(store_url))
    assert current_version(store.engine) == 99


def test_an_unreachable_database_is_a_plain_message_without_the_password():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    engine = make_engine(f"postgresql+psycopg://insight:s3cret@127.0.0.1:{port}/insight?connect_timeout=3")
    try:
        with pytest.raises(StoreError, match="can't be opened") as caught:
            open_store(engine)
    finally:
        engine.dispose()
    assert "s3cret" not in str(caught.value) and f"127.0.0.1:{port}" in str(caught.value)


# -- triage --------------------------------------------------------------------------------


def test_statuses_are_the_consultation_labels(store):
    assert store.triage.statuses == ("New", "Read", "Needs action", "Actioned", "No action")
    assert store.said_did.statuses == ("Draft", "Agreed", "Done")
    with pytest.raises(StoreError, match="not a triage status"):
        store.triage.update(F1, 0, TriageChange(status="Urgent"), ANA)
    assert store.triage.get(F1).version == 0


def test_a_change_records_who_and_when_and_bumps_the_version(store):
    rec = store.triage.update(F1, 0, TriageChange(status="Read", note="Replied by phone"), ANA)
    assert (rec.status, rec.note, rec.version, rec.updated_by) == ("Read", "Replied by phone", 1, ANA)
    assert rec.updated_at == dt.datetime(2026, 11, 2, 10, 1, tzinfo=dt.UTC)
    frame = store.triage.frame([F2, F1, F2])
    assert frame["identity"].tolist() == [F2, F1]
    assert frame["status"].tolist() == ["New", "Read"]
    assert frame["version"].tolist() == [0, 1]
    assert frame["updated_by"].iloc[1] == ANA
    assert frame["updated_at"].iloc[1] == dt.datetime(2026, 11, 2, 10, 1, tzinfo=dt.UTC)


def test_the_second_session_is_told_and_sees_both_versions(store, store_url, engines):
    other = second_server(store_url, engines)
    seen_by_sam = other.triage.get(F1)
    store.triage.update(F1, 0, TriageChange(status="Read", note="Ana's note"), ANA)
    with pytest.raises(TriageConflict) as caught:
        other.triage.update(F1, seen_by_sam.version, TriageChange(status="Needs action"), SAM)
    conflict = caught.value
    assert (conflict.current.status, conflict.current.note, conflict.current.updated_by) == ("Read", "Ana's note", ANA)
    assert (conflict.base.status, conflict.base.version) == ("New", 0)
    assert (conflict.mine.status, conflict.mine.note) == ("Needs action", "")
    assert "since you opened it" in str(conflict)
    assert store.triage.get(F1).status == "Read"  # nothing overwritten

    # Sam opens the current version (1) while Ana changes it again: his base is version 1
    store.triage.update(F1, 1, TriageChange(note="Ana's second note"), ANA)
    with pytest.raises(TriageConflict) as caught:
        other.triage.update(F1, 1, TriageChange(status="Actioned"), SAM)
    assert (caught.value.base.note, caught.value.current.note) == ("Ana's note", "Ana's second note")
    rec = other.triage.update(F1, 2, TriageChange(status="Actioned"), SAM)
    assert (rec.status, rec.note, rec.version, rec.updated_by) == ("Actioned", "Ana's second note", 3, SAM)


def test_the_same_change_from_two_people_is_no_conflict(store):
    store.triage.update(F1, 0, TriageChange(status="Read"), ANA)
    rec = store.triage.update(F1, 0, TriageChange(status="Read"), SAM)
    assert (rec.version, rec.updated_by) == (1, ANA)
    assert len(store.triage.history(F1)) == 1


def test_bulk_change_is_one_transaction_all_or_nothing(store, store_url, engines):
    done = store.triage.update_many({F1: 0, F2: 0, F3: 0}, TriageChange(status="Read", add_tags=("Funding",)), ANA)
    assert [r.identity for r in done.updated] == [F1, F2, F3]
    assert store.triage.frame([F1, F2, F3])["version"].tolist() == [1, 1, 1]

    second_server(store_url, engines).triage.update(F2, 1, TriageChange(note="Sam was here"), SAM)
    with pytest.raises(BulkConflict) as caught:
        store.triage.update_many({F1: 1, F2: 1, F3: 1}, TriageChange(status="Actioned"), ANA)
    assert [c.identity for c in caught.value.conflicts] == [F2]
    assert caught.value.conflicts[0].current.note == "Sam was here"
    after = store.triage.frame([F1, F2, F3])
    assert after["status"].tolist() == ["Read", "Read", "Read"]
    assert after["version"].tolist() == [1, 2, 1]

    result = store.triage.update_many({F1: 1, F2: 1, F3: 1}, TriageChange(status="Actioned"), ANA,
                                      skip_conflicts=True)
    assert [r.identity for r in result.updated] == [F1, F3]
    assert [c.identity for c in result.conflicts] == [F2]
    assert store.triage.frame([F1, F2, F3])["status"].tolist() == ["Actioned", "Read", "Actioned"]


def test_bulk_change_of_many_responses(store):
    ids = {f"f{i:016x}": 0 for i in range(1200)}
    result = store.triage.update_many(ids, TriageChange(status="No action", tags=("Out of scope",)), ANA)
    assert len(result.updated) == 1200
    frame = store.triage.frame(list(ids))
    assert (frame["status"] == "No action").all() and (frame["version"] == 1).all()
    assert store.triage.tags_in_use().values.tolist() == [["Out of scope", 1200]]


def test_history_is_append_only(store):
    store.triage.update(F1, 0, TriageChange(status="Read"), ANA)
    store.triage.update(F1, 1, TriageChange(status="Needs action", add_tags=("Reply",)), SAM)
    first = store.triage.history(F1)
    store.triage.update(F1, 2, TriageChange(status="Actioned", note="Done"), ANA)
    history = store.triage.history(F1)
    assert history["version"].tolist() == [3, 2, 1]
    assert history["status"].tolist() == ["Actioned", "Needs action", "Read"]
    assert history["changed_by"].tolist() == [ANA, SAM, ANA]
    assert history["tags"].tolist() == [("Reply",), ("Reply",), ()]
    assert history["event"].tolist() == ["update", "update", "create"]
    assert history.iloc[1:].reset_index(drop=True).equals(first)  # earlier rows untouched
    for statement in ("UPDATE triage_history SET note = 'rewritten'", "DELETE FROM triage_history"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert len(store.triage.history(F1)) == 3


def test_tags_are_normalised_and_suggested_most_used_first(store):
    store.triage.update(F1, 0, TriageChange(tags=(" Needs  reply", "#NHS")), ANA)
    store.triage.update(F2, 0, TriageChange(tags=("needs REPLY", "Funding")), SAM)
    store.triage.update(F3, 0, TriageChange(add_tags=("funding", "Needs reply ")), SAM)
    assert store.triage.get(F2).tags == ("Funding", "Needs reply")  # first spelling wins
    assert store.triage.tags_in_use().values.tolist() == [["Needs reply", 3], ["Funding", 2], ["NHS", 1]]
    rec = store.triage.update(F1, 1, TriageChange(remove_tags=("nhs",)), ANA)
    assert rec.tags == ("Needs reply",)
    assert store.triage.tags_in_use()["tag"].tolist() == ["Needs reply", "Funding"]
    with pytest.raises(StoreError, match="at most 50"):
        store.triage.update(F1, 2, TriageChange(add_tags=("x" * 51,)), ANA)


def test_who_is_required(store):
    with pytest.raises(StoreError, match="author"):
        store.triage.update(F1, 0, TriageChange(status="Read"), "  ")


def test_orphans_after_an_edit_in_the_sheet_then_moved(store, build):
    t0 = dt.datetime(2026, 10, 1, 9, 0)
    rows = [fb_row(when=t0, summary="Teh data is late", org="Org A"),
            fb_row(when=t0 + dt.timedelta(hours=1), summary="Fine as it is"),
            fb_row(when=t0 + dt.timedelta(hours=2), summary="Only opened")]
    before = with_identities(build(rows)).feedback
    old, kept, opened = before[IDENTITY]
    snaps = snapshots(before)
    store.triage.update(old, 0, TriageChange(status="Needs action", note="Ask for the report", add_tags=("Data",)),
                        ANA, snaps[old])
    store.triage.update(kept, 0, TriageChange(status="Read"), ANA, snaps[kept])
    store.triage.update(opened, 0, TriageChange(status="Read"), ANA, snaps[opened])
    store.triage.update(opened, 1, TriageChange(status="New"), ANA)  # back to nothing

    rows[0] = fb_row(when=t0, summary="The data is late", org="Org A")  # typo fixed in the sheet
    rows[2] = fb_row(when=t0 + dt.timedelta(hours=2), summary="Only opened, then edited")
    after = with_identities(build(rows)).feedback
    new = after[IDENTITY].iloc[0]
    orphans = store.triage.orphans([after])
    assert orphans["identity"].tolist() == [old]  # the blank record holds nothing to lose
    row = orphans.iloc[0]
    assert (row["status"], row["note"], row["tags"]) == ("Needs action", "Ask for the report", ("Data",))
    assert (row["summary"], row["organisation"]) == ("Teh data is late", "Org A")
    assert row["candidates"] == (new,)  # same time and page

    moved = store.triage.relink(old, new, SAM, snapshots(after)[new])
    assert (moved.status, moved.note, moved.tags, moved.version) == ("Needs action", "Ask for the report", ("Data",), 1)
    assert store.triage.orphans([after]).empty
    history = store.triage.history(new)
    assert history["event"].tolist() == ["moved-out", "moved-in", "create"]
    assert set(history["identity"]) == {old, new}
    assert store.triage.tags_in_use().values.tolist() == [["Data", 1]]
    with pytest.raises(StoreError, match="moved"):
        store.triage.update(old, 2, TriageChange(status="Read"), ANA)


def test_update_frame_takes_versions_and_snapshots_from_joined_rows(store, build):
    fb = with_identities(build([fb_row(summary="First one"), fb_row(summary="Second one",
                                                                    when=dt.datetime(2026, 10, 2, 9))])).feedback
    joined = join_triage(fb, store.triage.frame(fb[IDENTITY]), store.triage.default_status)
    result = store.triage.update_frame(joined, TriageChange(status="Read"), ANA)
    assert len(result.updated) == 2
    stale = joined  # still version 0
    store.triage.update(fb[IDENTITY].iloc[0], 1, TriageChange(note="meanwhile"), SAM)
    with pytest.raises(BulkConflict):
        store.triage.update_frame(stale, TriageChange(status="Actioned"), ANA)
    fresh = join_triage(fb, store.triage.frame(fb[IDENTITY]), store.triage.default_status)
    assert fresh["triage_version"].tolist() == [2, 1]
    assert store.triage.orphans([fb]).empty


def test_two_servers_see_each_others_changes(store, store_url, engines):
    other = second_server(store_url, engines)
    seen, seen_entries = other.triage.revision(), other.said_did.revision()
    store.triage.update(F1, 0, TriageChange(status="Read"), ANA)
    assert other.triage.frame([F1])["status"].tolist() == ["Read"]
    assert other.triage.revision() > seen  # what a cache of the triage frame keys on
    seen = other.triage.revision()
    store.triage.update(F1, 1, TriageChange(status="Read"), ANA)  # changes nothing
    assert other.triage.revision() == seen
    other.said_did.save(PAGE, "/models-for-delivery/", 0, EntryChange(heard="Costs worry people"), SAM)
    assert store.said_did.get(PAGE, "/models-for-delivery/").heard == "Costs worry people"
    assert store.said_did.revision() > seen_entries
    other.triage.update(F1, 1, TriageChange(add_tags=("Costs",)), SAM)
    assert store.triage.tags_in_use()["tag"].tolist() == ["Costs"]


def test_writers_from_two_servers_at_once_all_land(store, store_url, engines):
    other = second_server(store_url, engines)
    errors = []

    def work(s, prefix):
        try:
            for i in range(15):
                ident = f"f{prefix}{i:015x}"
                s.triage.update(ident, 0, TriageChange(status="Read"), ANA)
                s.triage.update(ident, 1, TriageChange(add_tags=("Busy",)), ANA)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s, p)) for s, p in ((store, "a"), (other, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    frame = store.triage.frame()
    assert len(frame) == 30 and (frame["version"] == 2).all()
    assert store.triage.tags_in_use().values.tolist() == [["Busy", 30]]


# -- you said, we did --------------------------------------------------------------------------


def test_entries_are_versioned_with_history(store, store_url, engines):
    page = "/how-our-system-works/"
    entry = store.said_did.save(PAGE, page, 0, EntryChange(heard="Too simple", action="Add a diagram"), ANA)
    assert (entry.status, entry.version, entry.updated_by) == ("Draft", 1, ANA)
    other = second_server(store_url, engines)
    opened = other.said_did.get(PAGE, page)
    store.said_did.save(PAGE, page, 1, EntryChange(status="Agreed"), ANA)
    with pytest.raises(EntryConflict) as caught:
        other.said_did.save(PAGE, page, opened.version, EntryChange(action="Rewrite the page"), SAM)
    assert (caught.value.current.status, caught.value.base.status) == ("Agreed", "Draft")
    assert caught.value.mine.action == "Rewrite the page"
    other.said_did.save(PAGE, page, 2, EntryChange(action="Rewrite the page"), SAM)
    history = store.said_did.history(PAGE, page)
    assert history["version"].tolist() == [3, 2, 1]
    assert history["action"].tolist() == ["Rewrite the page", "Add a diagram", "Add a diagram"]
    assert history["changed_by"].tolist() == [SAM, ANA, ANA]
    frame = store.said_did.frame(PAGE)
    assert frame[["scope_key", "status", "version"]].values.tolist() == [[page, "Agreed", 3]]
    with pytest.raises(StoreError, match="not an entry status"):
        store.said_did.save(PAGE, page, 3, EntryChange(status="Published"), ANA)
    with pytest.raises(StoreError, match="per page or theme"):
        store.said_did.save("campaign", "x", 0, EntryChange(heard="x"), ANA)


# -- where it lives --------------------------------------------------------------------------


def test_default_store_is_a_wal_sqlite_file_beside_the_app(tmp_path):
    url = default_url(tmp_path)
    assert url == f"sqlite+pysqlite:///{tmp_path.resolve()}/.insight/analysis.sqlite"
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (tmp_path / ".insight" / "analysis.sqlite").exists()
    finally:
        engine.dispose()


def test_streamlit_sql_connection_takes_the_same_url(tmp_path):
    from streamlit.connections import SQLConnection

    from lib.store import prepare_engine

    conn = SQLConnection("analysis", **connection_kwargs({}, tmp_path))
    engine = prepare_engine(conn.engine)
    try:
        assert engine.url.render_as_string() == default_url(tmp_path)
        store = open_store(engine)
        store.triage.update(F1, 0, TriageChange(status="Read"), "local")
        with engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()
    assert connection_kwargs({"url": "postgresql+psycopg://u@h/db"}, tmp_path) == {"pool_pre_ping": True}
    with pytest.raises(StoreError, match="SQLite file"):
        make_engine("sqlite://")
