"""Normalisation rules 1–8 for the per-page feedback, each on literal tables."""

import datetime as dt

import pandas as pd
import pytest

from lib.consultation import NOT_GIVEN, UNKNOWN_PAGE, UNRECOGNISED
from lib.errors import SourceError
from lib.normalise import parse_timestamps
from tests.conftest import FEEDBACK_HEADER, fb_row

T0 = dt.datetime(2026, 10, 1, 9, 0)


# -- rule 1: headers ------------------------------------------------------------------

def test_headers_in_any_case_order_and_alias(build):
    header = ["E-Mail", "Organization", "Reflection", "DETAIL", "Role", "Summary", "URL", "Submitted At", "Honeypot"]
    row = ["a@b.example", "Northshire", "I disagree with this", "More", "Local authority leadership",
           "Too simple", "https://data-to-insight.github.io/centre-of-excellence/models-for-delivery/", T0, ""]
    fb = build([row], feedback_header=header).feedback
    got = fb.iloc[0]
    assert (got.email, got.organisation, got.reaction, got.details, got.role, got.summary, got.page_path) == (
        "a@b.example", "Northshire", "I disagree with this", "More", "Local authority leadership",
        "Too simple", "/models-for-delivery/")
    assert got.submitted_at == pd.Timestamp("2026-10-01 09:00", tz="Europe/London")


def test_extra_columns_are_kept_aside_and_counted(build):
    ds = build([fb_row() + ["called back", ""], fb_row(summary="Other words") + ["", ""]],
               feedback_header=FEEDBACK_HEADER + ["Notes", "Notes"])
    assert ds.feedback_quality.extra_columns == {"Notes": 1, "Notes (2)": 0}
    assert "Notes" not in ds.feedback.columns


@pytest.mark.parametrize("missing", ["page", "role", "summary"])
def test_missing_required_column_names_it_and_lists_found(build, missing):
    header = [h for h in FEEDBACK_HEADER if h != missing]
    with pytest.raises(SourceError) as err:
        build([fb_row()[: len(header)]], feedback_header=header)
    message = str(err.value)
    assert f"required column '{missing}' is missing" in message
    assert "columns found: " + ", ".join(header) in message
    assert "\n" not in message


# -- rule 2: empty rows -------------------------------------------------------------------

def test_all_empty_rows_are_ignored_and_not_counted(build):
    ds = build([fb_row(), [None] * 9, ["", "  ", None, "", "", "", "", "", ""], fb_row(summary="Second")])
    assert ds.feedback_quality.rows_read == 2
    assert list(ds.feedback["summary"]) == ["Too simple a picture", "Second"]


# -- rule 3: text as typed ------------------------------------------------------------------

def test_text_kept_as_typed_and_trimmed(build):
    fb = build([fb_row(org="007", summary="  0123 leading zeros  ", details="\t2.50\n")]).feedback
    assert fb.iloc[0].organisation == "007"
    assert fb.iloc[0].summary == "0123 leading zeros"
    assert fb.iloc[0].details == "2.50"


def test_typed_numbers_become_text_without_float_noise(build):
    fb = build([fb_row(org=7.0, summary=12345)]).feedback
    assert (fb.iloc[0].organisation, fb.iloc[0].summary) == ("7", "12345")


# -- rule 4: spam ----------------------------------------------------------------------------

def test_honeypot_marks_spam_and_is_counted(build):
    ds = build([fb_row(), fb_row(summary="Buy now", hp="http://spam.example"), fb_row(summary="x", hp="   ")])
    assert list(ds.feedback["is_spam"]) == [False, True, False]
    q = ds.feedback_quality
    assert (q.rows_read, q.spam, q.duplicates, q.kept) == (3, 1, 0, 2)


# -- rule 5: duplicates ---------------------------------------------------------------------------

def test_double_submission_within_ten_minutes_is_a_duplicate(build):
    rows = [
        fb_row(when=T0, summary="Same words", details="and more"),
        fb_row(when=T0 + dt.timedelta(minutes=2), summary=" Same  words ", details="and   more"),
        fb_row(when=T0 + dt.timedelta(minutes=10), summary="Same words", details="and more"),
        fb_row(when=T0 + dt.timedelta(minutes=25), summary="Same words", details="and more"),
        fb_row(when=T0 + dt.timedelta(days=1), summary="Same words", details="and more"),
    ]
    fb = build(rows).feedback
    # the 2- and 10-minute repeats are duplicates (each is ≤10 min after an identical row);
    # 25 minutes and a day later are real second responses
    assert list(fb["is_duplicate"]) == [False, True, True, False, False]


def test_duplicate_needs_every_identity_field_equal(build):
    base = dict(when=T0)
    later = T0 + dt.timedelta(minutes=1)
    rows = [fb_row(**base), fb_row(when=later, org="Other org"), fb_row(when=later, email="x@y.example"),
            fb_row(when=later, page="models-for-delivery/"), fb_row(when=later, nature="Other"),
            fb_row(when=later, role="Local authority leadership")]
    assert not build(rows).feedback["is_duplicate"].any()


def test_spam_is_never_a_duplicate_nor_an_anchor(build):
    rows = [fb_row(when=T0, hp="bot"), fb_row(when=T0 + dt.timedelta(minutes=1)),
            fb_row(when=T0 + dt.timedelta(minutes=2), hp="bot")]
    fb = build(rows).feedback
    assert list(fb["is_duplicate"]) == [False, False, False]
    assert list(fb["is_spam"]) == [True, False, True]


def test_rows_without_timestamp_are_not_duplicates(build):
    fb = build([fb_row(when="soon"), fb_row(when="soon")]).feedback
    assert not fb["is_duplicate"].any()


def test_identical_rows_centuries_apart_are_two_responses(build):
    """Readable times span 1678–2261: their difference overflows a nanosecond timedelta."""
    rows = [fb_row(when="01/01/1678 00:00"), fb_row(when="31/12/2261 23:59"), fb_row(when="31/12/2261 23:59")]
    assert list(build(rows).feedback["is_duplicate"]) == [False, False, True]


def test_earlier_row_listed_later_in_the_sheet(build):
    rows = [fb_row(when=T0 + dt.timedelta(minutes=3)), fb_row(when=T0)]
    assert list(build(rows).feedback["is_duplicate"]) == [True, False]


# -- rule 6: reactions and roles -----------------------------------------------------------------

def test_reactions_and_roles_match_loosely_and_show_the_forms_spelling(build):
    rows = [
        fb_row(nature="I'm enthusiastic about this", role="local authority children's social care professional"),
        fb_row(nature="  i’VE  identified a specific   issue with this ", role="DATA AND DIGITAL CONSULTANT",
               summary="b"),
        fb_row(nature="", role="", summary="c"),
        fb_row(nature="Loved it", role="Student", summary="d"),
    ]
    ds = build(rows)
    fb = ds.feedback
    assert list(fb["reaction"]) == ["I’m enthusiastic about this", "I’ve identified a specific issue with this",
                                    NOT_GIVEN, UNRECOGNISED]
    assert list(fb["role"]) == ["Local authority children’s social care professional",
                                "Data and digital consultant", NOT_GIVEN, UNRECOGNISED]
    assert list(fb["role_group"]) == ["Local authority", "Private sector", NOT_GIVEN, UNRECOGNISED]
    assert ds.feedback_quality.unrecognised == {"reaction": {"Loved it": 1}, "role": {"Student": 1}}


# -- rule 7: page URLs ----------------------------------------------------------------------------

def test_page_urls_become_paths_with_titles_and_sections(build):
    rows = [
        fb_row(page="appendix-1-more-on-how-our-system-works/context"),
        fb_row(page="http://127.0.0.1:8000/appendix-1-more-on-how-our-system-works/", summary="b"),
        fb_row(page="suggestions/", summary="c"),
        fb_row(page="", summary="d"),
    ]
    ds = build(rows)
    fb = ds.feedback
    assert list(fb["page_path"]) == ["/appendix-1-more-on-how-our-system-works/context/",
                                     "/appendix-1-more-on-how-our-system-works/", UNKNOWN_PAGE, UNKNOWN_PAGE]
    assert list(fb["page_label"]) == ["Appendix 1 › Context", "Appendix 1 › Overview", UNKNOWN_PAGE, UNKNOWN_PAGE]
    assert fb.iloc[0].section == "Appendix 1: More on how our system works"
    assert ds.feedback_quality.unmatched_pages == 2
    assert ds.feedback_quality.unmatched_urls == {LIVE_SUGGESTIONS: 1, "(empty)": 1}


LIVE_SUGGESTIONS = "https://data-to-insight.github.io/centre-of-excellence/suggestions/"


# -- rule 8: timestamps ---------------------------------------------------------------------------

def london(text):
    return pd.Timestamp(text, tz="Europe/London")


@pytest.mark.parametrize("cell, expected", [
    (dt.datetime(2026, 10, 1, 9, 30), london("2026-10-01 09:30")),           # date cell (local time)
    (dt.date(2026, 10, 1), london("2026-10-01 00:00")),
    (46296.5, london("2026-10-01 12:00")),                                   # serial day number
    (46296, london("2026-10-01 00:00")),
    ("46296.25", london("2026-10-01 06:00")),                                # serial as digits in text
    ("2026-10-01T09:30:00", london("2026-10-01 09:30")),                     # ISO, naive = London
    ("2026-10-01 09:30:15", london("2026-10-01 09:30:15")),
    ("2026-10-01T09:30:00Z", london("2026-10-01 10:30")),                    # ISO with offset
    ("2026-10-01T09:30:00+01:00", london("2026-10-01 09:30")),
    ("2026-01-15T09:30:00-0500", london("2026-01-15 14:30")),
    ("02/10/2026 09:30", london("2026-10-02 09:30")),                        # UK: day first, always
    ("13/10/2026 17:05:09", london("2026-10-13 17:05:09")),
    ("2/3/2026 8:05", london("2026-03-02 08:05")),
    ("15/01/2026 09:00", london("2026-01-15 09:00")),                        # winter: GMT
])
def test_timestamp_forms(cell, expected):
    got = parse_timestamps(pd.Series([cell], dtype=object))
    assert got.iloc[0] == expected
    assert str(got.dt.tz) == "Europe/London"


@pytest.mark.parametrize("cell", ["last Tuesday", "10/13/2026 09:00", "31/02/2026 10:00", "2026-13-01",
                                  "", None, -3, True, "n/a"])
def test_bad_timestamps_are_missing(cell):
    assert parse_timestamps(pd.Series([cell], dtype=object)).isna().all()


def test_bad_timestamps_keep_the_row_and_are_counted(build):
    ds = build([fb_row(when="last Tuesday"), fb_row(when="10/13/2026 09:00", summary="b"), fb_row(summary="c")])
    assert ds.feedback_quality.bad_timestamps == 2
    assert ds.feedback_quality.kept == 3
    assert ds.feedback["submitted_at"].isna().tolist() == [True, True, False]


def test_clock_change_hours_do_not_fail():
    got = parse_timestamps(pd.Series(["25/10/2026 01:30", "29/03/2026 01:30"], dtype=object))
    assert got.notna().all()


def test_identity_collapses_exactly_what_python_calls_whitespace():
    """The vectorised whitespace class agrees with ``re``'s ``\\s`` on every whitespace character."""
    import re

    from lib.normalise import identity

    spaces = [chr(i) for i in range(0x3001) if chr(i).isspace()]
    cells = [f"a{s}{s}b{s}" for s in spaces] + ["plain", "no\u200bspace"]  # zero-width space is not whitespace
    got = identity(pd.DataFrame({"x": cells}), ["x"]).tolist()
    assert got == [re.sub(r"\s+", " ", c).strip() for c in cells]


def test_duplicates_by_codes_agree_with_the_joined_identity():
    """The fast path (per-field codes, only rows sharing a summary) flags exactly what grouping by
    ``identity``'s joined text flags, whitespace of every kind, missing values and ties included."""
    import random

    import numpy as np

    from lib.normalise import duplicates, flag_duplicates, identity

    rng = random.Random(7)
    pieces = ["a", "b", " ", "  ", "\t", "\x1f", "\u3000", "\u200b", "\xa0", "\n", "é", "", None]
    for _ in range(30):
        n = rng.randint(0, 300)
        frame = pd.DataFrame({c: pd.Series(["".join(p for p in rng.sample(pieces, 3) if p) if rng.random() > .05
                                            else None for _ in range(n)], dtype=object) for c in "xyz"})
        when = pd.Series(pd.Timestamp("2026-10-01", tz="UTC")
                         + pd.to_timedelta(np.array([rng.choice([0, 60, 400, 900]) for _ in range(n)]), unit="s"))
        when[when.index % 7 == 3] = pd.NaT
        eligible = pd.Series([rng.random() > .1 for _ in range(n)], dtype=bool)
        expected = flag_duplicates(identity(frame, list("xyz")), when, eligible)
        assert duplicates(frame, list("xyz"), when, eligible).tolist() == expected.tolist()


def test_a_csv_column_of_timestamps_reads_as_the_same_cells_one_by_one():
    """The vectorised reading of exported timestamps (a CSV's text column) agrees with the parser of
    single cells on texts of that shape that are valid, impossible or out of range."""
    import random

    rng = random.Random(3)
    cells = ["25/10/2026 01:30:00", "29/03/2026 01:30:00", None, "", "n/a", "46296.5", "2026-10-01T09:30:00Z",
             "29/02/2028 10:00:00", "29/02/2100 10:00:00", "01/01/1678 00:00:00", "31/12/2261 23:59:59",
             "14/09/2026 09:40:5\u00e9", "\u0661\u0664/09/2026 09:40:51", "14/09/2026\u00a009:40:51"]
    for _ in range(3000):
        d, m, y = rng.randint(0, 32), rng.randint(0, 13), rng.choice([1, 1677, 1678, 2026, 2028, 2100, 2261, 2262])
        h, mi, s = rng.randint(0, 25), rng.randint(0, 61), rng.randint(0, 61)
        cells.append(f"{d:02d}/{m:02d}/{y:04d}{rng.choice(' T,')}{h:02d}:{mi:02d}:{s:02d}")
    one_by_one = parse_timestamps(pd.Series(cells, dtype=object))
    assert parse_timestamps(pd.Series(cells, dtype="str")).equals(one_by_one)
    assert one_by_one.notna().sum() > 300  # many of them valid
