"""The stable identity of a response: a digest of what it says, never of where it sits."""

from __future__ import annotations

import datetime as dt
import hashlib

from lib.identity import IDENTITY, feedback_identities, fingerprints, snapshots, survey_identities, with_identities
from tests.conftest import fb_row, survey_row

T0 = dt.datetime(2026, 10, 1, 9, 0)  # UK summer time: 08:00 UTC


def ids_by_summary(ds):
    fb = ds.feedback
    return dict(zip(fb["summary"], feedback_identities(fb)))


def test_identity_is_the_documented_digest(build):
    ds = build([fb_row(when=T0, org="Eastbrook Council", details="More on it")])
    key = "\x1f".join(["2026-10-01T08:00:00Z", "/how-our-system-works/", "Local authority data professional",
                       "I disagree with this", "Too simple a picture", "More on it", "Eastbrook Council"])
    assert feedback_identities(ds.feedback).tolist() == ["f" + hashlib.sha256(key.encode()).hexdigest()[:16]]


def test_identity_survives_reordering_and_new_rows(build):
    rows = [fb_row(when=T0 + dt.timedelta(minutes=i * 30), summary=f"Point number {i}") for i in range(6)]
    before = ids_by_summary(build(rows))
    shuffled = [rows[i] for i in (4, 1, 5, 0, 3, 2)]
    new = [fb_row(when=T0 + dt.timedelta(days=1), summary="A later point"),
           fb_row(when=T0 - dt.timedelta(days=1), summary="An earlier point")]
    after = ids_by_summary(build([new[0], *shuffled[:3], new[1], *shuffled[3:]]))
    assert {s: after[s] for s in before} == before
    assert len(set(after.values())) == 8


def test_whitespace_is_normalised_but_words_and_case_count(build):
    ds = build([
        fb_row(when=T0, summary="Too simple a picture"),
        fb_row(when=T0, summary="  Too  simple\n a picture "),
        fb_row(when=T0, summary="Too simple a Picture"),
    ])
    a, b, c = feedback_identities(ds.feedback)
    assert a == b
    assert a != c


def test_double_submissions_share_the_identity_later_repeats_do_not(build):
    ds = build([
        fb_row(when=T0, summary="Sent twice by accident"),
        fb_row(when=T0 + dt.timedelta(minutes=2), summary="Sent twice by accident"),
        fb_row(when=T0 + dt.timedelta(minutes=5), summary="Sent twice by accident"),
        fb_row(when=T0 + dt.timedelta(hours=3), summary="Sent twice by accident"),
    ])
    assert ds.feedback["is_duplicate"].tolist() == [False, True, True, False]
    ids = feedback_identities(ds.feedback).tolist()
    assert ids[0] == ids[1] == ids[2]
    assert ids[3] != ids[0]


def test_email_is_not_part_of_it_an_edited_summary_is(build):
    ds = build([
        fb_row(when=T0, summary="Original words", email="a@example.org"),
        fb_row(when=T0, summary="Original words", email=""),
        fb_row(when=T0, summary="Corrected words"),
        fb_row(when=T0, summary="Original words", role="Local authority leadership"),
    ])
    ids = feedback_identities(ds.feedback).tolist()
    assert ids[0] == ids[1]
    assert len({ids[0], ids[2], ids[3]}) == 3
    words = fingerprints(ds.feedback).tolist()
    assert words[0] == words[3] != words[2]  # the same words under another role


def test_rows_without_a_readable_time_still_get_a_stable_identity(build):
    rows = [fb_row(when="not a date", summary="No time here"), fb_row(when="", summary="Nor here")]
    first = ids_by_summary(build(rows))
    again = ids_by_summary(build(rows[::-1]))
    assert first == again
    assert first["No time here"] != first["Nor here"]


def test_survey_identity_covers_scores_and_activities_not_their_order(build):
    base = dict(when=T0, org="Westshire", comments="Keep it practical")
    ds = build([], [
        survey_row(**base, use='{"Data tool collaboration": 5, "Improving data quality": 3}'),
        survey_row(**base, use='{"Improving data quality": 3, "Data tool collaboration": 5}'),
        survey_row(**base, use='{"Improving data quality": 4, "Data tool collaboration": 5}'),
        survey_row(**base, use='{"Data tool collaboration": 5, "Improving data quality": 3}',
                   activities='["Data tool collaboration: Maintaining and continuously developing key '
                              'products which the sector can rely on"]'),
    ])
    ids = survey_identities(ds.survey, ds.scores, ds.activities).tolist()
    assert all(i.startswith("s") and len(i) == 17 for i in ids)
    assert ids[0] == ids[1]
    assert len({ids[0], ids[2], ids[3]}) == 3


def test_with_identities_and_snapshots_keep_no_email(build):
    ds = with_identities(build([fb_row(when=T0, summary="Snap me", email="who@example.org", org="Org A")],
                               [survey_row(when=T0, comments="Survey words")]))
    assert ds.feedback[IDENTITY].str.startswith("f").all() and ds.survey[IDENTITY].str.startswith("s").all()
    snap = snapshots(ds.feedback)[ds.feedback[IDENTITY].iloc[0]]
    assert snap["summary"] == "Snap me" and snap["organisation"] == "Org A"
    assert snap["submitted"] == "2026-10-01T08:00:00Z"
    assert "email" not in snap and "who@example.org" not in snap.values()
    assert snapshots(ds.survey)[ds.survey[IDENTITY].iloc[0]]["comments"] == "Survey words"


def test_distinct_originals_tells_whether_an_identity_repeats_outside_the_duplicates():
    import pandas as pd

    from lib.identity import distinct_originals

    def frame(ids, dup):
        return pd.DataFrame({IDENTITY: ids, "is_duplicate": dup})

    assert distinct_originals(frame(["fa", "fb", "fa"], [False, False, True]))      # a double submission
    assert not distinct_originals(frame(["fa", "fb", "fa"], [False, False, False]))  # the same words twice
    assert distinct_originals(frame([], []))
