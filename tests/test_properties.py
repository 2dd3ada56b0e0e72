"""Property-based tests (hypothesis): whatever a public form, a hand-edited sheet, a Pages tab
or an mkdocs.yml holds, normalisation never raises, and every non-empty row read is counted as
kept, spam, duplicate or quarantined.

Deterministic (derandomized, no example database) and quick: a few dozen examples per property.
"""

import datetime as dt
import json
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.consultation import load_consultation
from lib.errors import SourceError
from lib.pages_meta import site_from_mkdocs, site_from_table
from lib.summary import summarise
from tests.conftest import FEEDBACK_HEADER, LIVE, SURVEY_HEADER

C = load_consultation()
FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE_TEXT = [
    "//[", "http://[::1/x", LIVE + "feedback/?page=http://[", "[" * 1000 + "]" * 1000, '{"a":' * 800 + "1" + "}" * 800,
    "9999-12-31", "0001-01-01", "31/12/9999 23:59", "00/00/0000 25:61", "2026-02-30T10:00:00+25:00", "1e400",
    "inf", "-inf", "NaN", "9" * 5000, "   ", "\x00", "\u200b", "\ufeff=1+1", "＝HYPERLINK()", "\u202etxet",
    "x" * 100_000, json.dumps({"Improving data quality": 1e308}), json.dumps(["Curating standards: x"] * 50),
    "I’m enthusiastic about this", C.roles[0], LIVE + "how-our-system-works/",
]
HUGE_INTS = [10**400, -(10**5000), 2**63, -(2**63) - 1, 2**64]


def json_values():
    leaves = st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=12) | st.sampled_from(C.ideas)
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.sampled_from(C.ideas) | st.text(max_size=8), inner, max_size=4),
                        max_leaves=25)


def cells():
    """Anything a cell may hold: text, numbers (inf, NaN, huge), dates of any year, JSON, hostile strings."""
    return st.one_of(
        st.none(), st.booleans(), st.text(max_size=40), st.sampled_from(HOSTILE_TEXT),
        st.integers(), st.sampled_from(HUGE_INTS), st.floats(allow_nan=True, allow_infinity=True),
        st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59)),
        st.datetimes(timezones=st.builds(dt.timezone, st.timedeltas(min_value=dt.timedelta(hours=-23),
                                                                    max_value=dt.timedelta(hours=23)))),
        st.dates(), json_values().map(json.dumps),
        st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    )


def is_blank(value) -> bool:
    """The README's rule 2, spelt out here: no value, NaN, or only whitespace."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def tables(header):
    width = len(header)
    return st.lists(st.lists(cells(), min_size=width, max_size=width), min_size=0, max_size=8)


SURVEY_WITH_IDEAS = SURVEY_HEADER + ["usefulness: Data tool collaboration", "likelihood: Improving data quality",
                                     "Notes"]


def assert_every_row_counted(q, rows, frame):
    non_empty = sum(not all(is_blank(v) for v in r) for r in rows)
    assert q.rows_read == non_empty
    assert q.kept + q.spam + q.duplicates + len(q.quarantined) == q.rows_read
    assert q.quarantined == {}           # every parser is total: nothing even reaches the quarantine
    assert len(frame) == q.rows_read - len(q.quarantined)


@FAST
@given(feedback=tables(FEEDBACK_HEADER + ["Notes"]), survey=tables(SURVEY_WITH_IDEAS))
def test_any_cells_in_either_tab_normalise_and_every_row_is_counted(build, feedback, survey):
    ds = build(feedback, survey, feedback_header=FEEDBACK_HEADER + ["Notes"], survey_header=SURVEY_WITH_IDEAS)
    assert_every_row_counted(ds.feedback_quality, feedback, ds.feedback)
    assert_every_row_counted(ds.survey_quality, survey, ds.survey)
    assert ds.feedback["submitted_at"].dtype == "datetime64[ns, Europe/London]"
    assert ds.scores["score"].between(1, 5).all()
    summary = summarise(ds)
    for tab in ("feedback", "survey"):
        s = summary[tab]
        assert s["kept"] + s["spam"] + s["duplicates"] + s["quarantined"] == s["rows_read"]


@FAST
@given(rows=st.lists(st.fixed_dictionaries({"path": cells(), "title": cells(), "section": cells(), "order": cells(),
                                            "has_form": cells()}), max_size=8))
def test_any_pages_tab_reads_with_whole_number_orders(rows):
    table = pd.DataFrame(rows, columns=["path", "title", "section", "order", "has_form"], dtype=object)
    site = site_from_table(table, LIVE)
    assert site.pages["order"].dtype.kind == "i"
    assert site.pages["path"].is_unique
    assert 0 <= site.bad_orders <= len(rows)


def yaml_text():
    nav_item = st.recursive(
        st.text(max_size=20) | st.sampled_from(["a.md", "b/index.md", "c/d.md", "x.md"]),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
        max_leaves=30)
    from_nav = nav_item.map(lambda nav: json.dumps({"nav": nav, "site_url": "https://h/x/"}))
    tagged = st.sampled_from(["!!python/object/apply:os.system ['true']", "!!python/name:x.y", "&a [1, *a]",
                              "*nope", "!!binary AAAA", "{? [a]: b}", "<<: *a"])
    return st.one_of(from_nav, st.text(max_size=200),
                     tagged.map(lambda t: f"site_url: {t}\nnav:\n  - 'A': a.md\n"),
                     st.integers(1, 5000).map(lambda n: "nav: " + "[" * n + "a.md" + "]" * n))


@FAST
@given(text=yaml_text())
def test_any_mkdocs_text_gives_pages_or_a_plain_error(text):
    try:
        site = site_from_mkdocs(text, C)
    except SourceError as exc:
        assert str(exc).strip()
        return
    assert site.pages["path"].is_unique and site.pages["order"].dtype.kind == "i"


@pytest.fixture(scope="module")
def build(consultation, site):
    from lib.dataset import build_dataset
    from tests.conftest import raw_tables

    def _build(feedback_rows, survey_rows=(), **kwargs):
        return build_dataset(raw_tables(feedback_rows, survey_rows, **kwargs), consultation, site)
    return _build
