"""A store made by the first release (schema version 1), written here as that release's literal
SQL with data, is opened by the current code: everything is kept and upgraded in place."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from lib.store import PAGE, EntryChange, TriageChange, current_version, open_store

A, B = "f0123456789abcdef", "s0123456789abcdef"

V1_TABLES = {
    "sqlite": """
CREATE TABLE schema_version (
	version INTEGER NOT NULL, applied_at DATETIME NOT NULL, description VARCHAR(200) NOT NULL,
	PRIMARY KEY (version)
);
CREATE TABLE triage (
	identity VARCHAR(40) NOT NULL, kind VARCHAR(20) NOT NULL, status VARCHAR(60) NOT NULL,
	note TEXT NOT NULL, version INTEGER NOT NULL, fingerprint VARCHAR(40) NOT NULL,
	snapshot TEXT NOT NULL, created_by VARCHAR(320) NOT NULL, created_at DATETIME NOT NULL,
	updated_by VARCHAR(320) NOT NULL, updated_at DATETIME NOT NULL,
	PRIMARY KEY (identity)
);
CREATE TABLE triage_history (
	id INTEGER NOT NULL, identity VARCHAR(40) NOT NULL, version INTEGER NOT NULL,
	status VARCHAR(60) NOT NULL, note TEXT NOT NULL, changed_by VARCHAR(320) NOT NULL,
	changed_at DATETIME NOT NULL,
	PRIMARY KEY (id), CONSTRAINT uq_triage_history_version UNIQUE (identity, version)
);
CREATE TABLE said_did (
	page_path VARCHAR(300) NOT NULL, heard TEXT NOT NULL, action TEXT NOT NULL,
	status VARCHAR(60) NOT NULL, version INTEGER NOT NULL, updated_by VARCHAR(320) NOT NULL,
	updated_at DATETIME NOT NULL,
	PRIMARY KEY (page_path)
)""",
    "postgresql": """
CREATE TABLE schema_version (
	version INTEGER NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL,
	description VARCHAR(200) NOT NULL, PRIMARY KEY (version)
);
CREATE TABLE triage (
	identity VARCHAR(40) NOT NULL, kind VARCHAR(20) NOT NULL, status VARCHAR(60) NOT NULL,
	note TEXT NOT NULL, version INTEGER NOT NULL, fingerprint VARCHAR(40) NOT NULL,
	snapshot TEXT NOT NULL, created_by VARCHAR(320) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, updated_by VARCHAR(320) NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (identity)
);
CREATE TABLE triage_history (
	id SERIAL NOT NULL, identity VARCHAR(40) NOT NULL, version INTEGER NOT NULL,
	status VARCHAR(60) NOT NULL, note TEXT NOT NULL, changed_by VARCHAR(320) NOT NULL,
	changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id), CONSTRAINT uq_triage_history_version UNIQUE (identity, version)
);
CREATE TABLE said_did (
	page_path VARCHAR(300) NOT NULL, heard TEXT NOT NULL, action TEXT NOT NULL,
	status VARCHAR(60) NOT NULL, version INTEGER NOT NULL, updated_by VARCHAR(320) NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (page_path)
)""",
}
# how each database stored a UTC moment in version 1
STAMP = {"sqlite": "'2026-10-{d} {t}:00.000000'", "postgresql": "'2026-10-{d} {t}:00+00'"}
SNAPSHOT = json.dumps({"submitted": "2026-10-01T08:00:00Z", "page_path": "/status/", "summary": "Old words",
                       "details": "", "organisation": "Org A", "fingerprint": "w0000000000000001"})
V1_DATA = """
INSERT INTO schema_version VALUES (1, {s20_0900}, 'triage with history; you said, we did per page');
INSERT INTO triage VALUES ('{a}', 'feedback', 'Needs action', 'Call them back', 2, 'w0000000000000001',
	'{snapshot}', 'ana@council.gov.uk', {s21_0900}, 'sam@council.gov.uk', {s21_1000});
INSERT INTO triage VALUES ('{b}', 'survey', 'Read', '', 1, 'w0000000000000002', '{{}}',
	'ana@council.gov.uk', {s22_0900}, 'ana@council.gov.uk', {s22_0900});
INSERT INTO triage_history (identity, version, status, note, changed_by, changed_at) VALUES
	('{a}', 1, 'Read', '', 'ana@council.gov.uk', {s21_0900}),
	('{a}', 2, 'Needs action', 'Call them back', 'sam@council.gov.uk', {s21_1000}),
	('{b}', 1, 'Read', '', 'ana@council.gov.uk', {s22_0900});
INSERT INTO said_did VALUES ('/status/', 'People want the numbers', 'Publish the figures', 'Agreed', 3,
	'sam@council.gov.uk', {s23_0900});
INSERT INTO said_did VALUES ('/quality/', 'Quality matters', '', 'Draft', 1, 'ana@council.gov.uk', {s23_1000})
"""


def utc(day, hour):
    return dt.datetime(2026, 10, day, hour, tzinfo=dt.UTC)


def make_v1(engine):
    """What the first release left behind, with the team's work in it."""
    dialect = engine.dialect.name
    stamps = {f"s{d}_{t.replace(':', '')}": STAMP[dialect].format(d=d, t=t)
              for d in (20, 21, 22, 23) for t in ("09:00", "10:00")}
    data = V1_DATA.format(a=A, b=B, snapshot=SNAPSHOT, **stamps)
    with engine.begin() as conn:
        for statement in (V1_TABLES[dialect] + ";\n" + data).split(";\n"):
            if statement.strip():
                conn.exec_driver_sql(statement)


@pytest.fixture
def old_store(store_url, engines):
    engine = engines(store_url)
    make_v1(engine)
    assert current_version(engine) == 1
    return engine


def test_upgrade_keeps_everything(old_store):
    store = open_store(old_store)
    assert current_version(old_store) == 3
    with old_store.connect() as conn:
        rows = conn.execute(sa.text("SELECT version, description FROM schema_version ORDER BY version")).all()
    assert [r[0] for r in rows] == [1, 2, 3]
    assert rows[0][1] == "triage with history; you said, we did per page"

    frame = store.triage.frame([A, B])
    assert frame[["status", "note", "version", "updated_by"]].values.tolist() == [
        ["Needs action", "Call them back", 2, "sam@council.gov.uk"],
        ["Read", "", 1, "ana@council.gov.uk"],
    ]
    assert frame["tags"].tolist() == [(), ()]
    assert frame["updated_at"].tolist() == [utc(21, 10), utc(22, 9)]

    history = store.triage.history(A)
    assert history[["version", "status", "changed_by", "event"]].values.tolist() == [
        [2, "Needs action", "sam@council.gov.uk", "update"],
        [1, "Read", "ana@council.gov.uk", "create"],
    ]
    assert history["changed_at"].tolist() == [utc(21, 10), utc(21, 9)]
    assert history["tags"].tolist() == [(), ()]

    entries = store.said_did.frame()
    assert entries[["scope_kind", "scope_key", "heard", "action", "status", "version", "created_by"]].values.tolist() == [
        ["page", "/quality/", "Quality matters", "", "Draft", 1, "ana@council.gov.uk"],
        ["page", "/status/", "People want the numbers", "Publish the figures", "Agreed", 3, "sam@council.gov.uk"],
    ]
    assert entries["updated_at"].tolist() == [utc(23, 10), utc(23, 9)]
    imported = store.said_did.history(PAGE, "/status/")
    assert imported[["version", "heard", "event"]].values.tolist() == [[3, "People want the numbers", "imported"]]


def test_the_upgraded_store_takes_new_work_and_keeps_its_versions(old_store):
    store = open_store(old_store)
    rec = store.triage.update(A, 2, TriageChange(status="Actioned", add_tags=("Phoned",)), "ana@council.gov.uk")
    assert (rec.version, rec.tags, rec.note) == (3, ("Phoned",), "Call them back")
    assert store.triage.history(A)["version"].tolist() == [3, 2, 1]
    entry = store.said_did.save(PAGE, "/status/", 3, EntryChange(status="Done"), "sam@council.gov.uk")
    assert (entry.version, entry.heard) == (4, "People want the numbers")
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), old_store.begin() as conn:
        conn.execute(sa.text("DELETE FROM said_did_history"))
    # the first release's snapshot still serves an edited response's orphan listing
    orphans = store.triage.orphans([])
    assert orphans.set_index("identity").loc[A, "summary"] == "Old words"
