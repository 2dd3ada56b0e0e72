"""Shared fixtures: the consultation, literal raw tables and workbooks written on the fly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from lib.consultation import load_consultation
from lib.dataset import build_dataset
from lib.pages_meta import default_site
from lib.sources import RawTables, SourceInfo, table_from_rows

PROJECT = Path(__file__).resolve().parent.parent
LIVE = "https://data-to-insight.github.io/centre-of-excellence/"
FEEDBACK_HEADER = ["Timestamp", "page", "nature", "summary", "details", "role", "org", "email", "hp_field"]
SURVEY_HEADER = ["Timestamp", "page", "role", "org", "email", "rank_usefulness", "rank_likelihood",
                 "activities", "section", "comments", "hp_field"]


@pytest.fixture(scope="session")
def consultation():
    return load_consultation()


@pytest.fixture(scope="session")
def site(consultation):
    return default_site(consultation)


def fb_row(when=dt.datetime(2026, 10, 1, 9, 0), page="how-our-system-works/", nature="I disagree with this",
           summary="Too simple a picture", details="", role="Local authority data professional",
           org="", email="", hp=""):
    """One per-page feedback row in the sheet's column order; ``page`` relative to the live site."""
    url = page if not page or "://" in page or page.startswith("/") else LIVE + page
    return [when, url, nature, summary, details, role, org, email, hp]


def survey_row(when=dt.datetime(2026, 10, 1, 9, 0), role="Local authority data professional", org="", email="",
               use="", like="", activities="", section="", comments="", hp=""):
    return [when, LIVE + "feedback/", role, org, email, use, like, activities, section, comments, hp]


def raw_tables(feedback_rows, survey_rows=(), feedback_header=FEEDBACK_HEADER, survey_header=SURVEY_HEADER,
               pages=None) -> RawTables:
    return RawTables(
        table_from_rows([feedback_header, *feedback_rows]),
        table_from_rows([survey_header, *survey_rows]),
        pages,
        SourceInfo("workbook", "test.xlsx", pd.Timestamp("2026-11-01", tz="UTC")),
    )


@pytest.fixture
def build(consultation, site):
    """Normalise literal tables: ``build(feedback_rows, survey_rows, **raw_tables kwargs)``."""
    def _build(feedback_rows, survey_rows=(), **kwargs):
        return build_dataset(raw_tables(feedback_rows, survey_rows, **kwargs), consultation, site)
    return _build


def write_workbook(path: Path, tabs: dict[str, list[list]]) -> Path:
    """Write an .xlsx with the given tabs (first row = header)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in tabs.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


# -- the live Google Sheet ---------------------------------------------------------------


@pytest.fixture
def standin():
    """A stand-in for Google's token endpoint and the Sheets API on 127.0.0.1 (see tests/sheets_standin.py)."""
    from tests.sheets_standin import SheetsStandIn

    server = SheetsStandIn()
    yield server
    server.close()


# -- the analysis store: SQLite and a real PostgreSQL --------------------------------------


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server started for this test session (see tests/postgres_server.py).

    Missing PostgreSQL skips the tests that need it, except under CI=true, where it fails them.
    """
    import os

    from tests.postgres_server import PostgresServer, find_bin

    bin_dir = find_bin()
    if bin_dir is None:
        message = ("PostgreSQL is not installed: `make test` installs Debian's postgresql as root, "
                   "or run 'sudo apt-get install postgresql' (or set INSIGHT_PG_BIN).")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        server = PostgresServer(bin_dir)
    except KeyError as exc:
        pytest.fail(f"Running as root, PostgreSQL needs an unprivileged system user: {exc}")
    yield server
    server.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """A URL of an empty store: a SQLite file, or a new schema on the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'analysis.sqlite'}"
    return request.getfixturevalue("postgres_server").create_schema()


@pytest.fixture
def engines():
    """``engines(url)``: a prepared engine (like one server's), disposed after the test."""
    from lib.store import make_engine

    made = []

    def _make(url):
        made.append(make_engine(url))
        return made[-1]

    yield _make
    for engine in made:
        engine.dispose()


class StoreClock:
    """A clock for the analysis store that moves on a minute per reading, from 2 November 2026 10:00 UTC."""

    def __init__(self):
        self.now = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)

    def __call__(self):
        self.now += dt.timedelta(minutes=1)
        return self.now


@pytest.fixture
def store(store_url, engines):
    """An analysis store on ``store_url`` (SQLite and PostgreSQL), its clock a ``StoreClock``."""
    from lib.store import open_store

    return open_store(engines(store_url), clock=StoreClock())

