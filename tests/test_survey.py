"""Normalisation rules 9–11 for the main survey, on literal tables."""

import datetime as dt
import json

import pytest

from lib.survey import ActivityMatcher, parse_score, score_column
from tests.conftest import SURVEY_HEADER, survey_row

T0 = dt.datetime(2026, 10, 1, 9, 0)
COMMA_ACT = "Advanced technology: Explaining options to local authorities, including how-to guidance and training"
STANDARDS = "Curating standards: Managing processes for changes to relevant standards"
TOOLS = "Data tool collaboration: Maintaining and continuously developing key products which the sector can rely on"


def scores_of(ds):
    return {(r.measure, r.idea): r.score for r in ds.scores.itertuples()}


# -- rule 9: scores -------------------------------------------------------------------------

def test_json_score_cells(build):
    use = json.dumps({"Improving data quality": 5, "Responding to large scale change": "4",
                      "Discovering what works": 3.0})
    like = json.dumps({"improving DATA quality": 2})
    ds = build([], [survey_row(use=use, like=like)])
    assert scores_of(ds) == {
        ("usefulness", "Improving data quality"): 5,
        ("usefulness", "Responding to large-scale change"): 4,
        ("usefulness", "Discovering what works"): 3,
        ("likelihood", "Improving data quality"): 2,
    }
    assert ds.survey.iloc[0].n_scored == 4
    assert ds.survey_quality.bad_scores == 0


def test_bad_scores_are_ignored_and_counted(build):
    use = json.dumps({"Improving data quality": 6, "Data tool collaboration": "n/a",
                      "Discovering what works": 2.5, "Curating technical standards": 0, "Not an idea": 3,
                      "Influencing technology markets": 4})
    ds = build([], [survey_row(use=use, like="{Improving data quality: 5")])
    assert scores_of(ds) == {("usefulness", "Influencing technology markets"): 4}
    assert ds.survey_quality.bad_scores == 6


@pytest.mark.parametrize("header, expected", [
    ("usefulness: Data tool collaboration", ("usefulness", "Data tool collaboration")),
    ("Usefulness - Improving data quality", ("usefulness", "Improving data quality")),
    ("use_Discovering what works", ("usefulness", "Discovering what works")),
    ("rank_likelihood.Making sense of AI, RPA and other advanced and integrative software",
     ("likelihood", "Making sense of AI RPA and other advanced and integrative software")),
    ("LIKE Responding to large scale change", ("likelihood", "Responding to large-scale change")),
    ("likelihood: not an idea", None),
    ("comments", None),
])
def test_score_column_headers(consultation, header, expected):
    assert score_column(header, consultation) == expected


def test_one_column_per_idea(build):
    header = ["Timestamp", "Role", "usefulness: Data tool collaboration", "likelihood: Data tool collaboration",
              "Usefulness - Improving data quality", "Comments"]
    rows = [[T0, "Local authority leadership", 4, "5", "7", "Fine"],
            [T0 + dt.timedelta(hours=1), "Local authority leadership", "", 2, "x", ""]]
    ds = build([], rows, survey_header=header)
    got = sorted((r.response_id, r.measure, r.idea, r.score) for r in ds.scores.itertuples())
    assert got == [("S2", "likelihood", "Data tool collaboration", 5), ("S2", "usefulness", "Data tool collaboration", 4),
                   ("S3", "likelihood", "Data tool collaboration", 2)]
    assert ds.survey_quality.bad_scores == 2
    assert ds.survey_quality.extra_columns == {}


@pytest.mark.parametrize("value, expected", [(1, 1), (5, 5), ("3", 3), (4.0, 4), ("2.0", 2), (" 4 ", 4),
                                             (6, None), (0, None), (2.5, None), ("n/a", None), (True, None),
                                             ("", None)])
def test_parse_score(value, expected):
    assert parse_score(value) == expected


# -- rule 10: activities ----------------------------------------------------------------------

def test_json_array_of_activities(consultation):
    known, unknown = ActivityMatcher(consultation).split(json.dumps([COMMA_ACT, STANDARDS, "Nope"]))
    assert known == [COMMA_ACT, STANDARDS] and unknown == ["Nope"]


@pytest.mark.parametrize("sep", [", ", "; ", "\n", ",", " ;  "])
def test_joined_activities_split_by_the_longlist(consultation, sep):
    cell = sep.join([COMMA_ACT, STANDARDS, TOOLS])
    known, unknown = ActivityMatcher(consultation).split(cell)
    assert known == [COMMA_ACT, STANDARDS, TOOLS]
    assert unknown == []


def test_unknown_fragments_between_known_activities(consultation):
    cell = f"{COMMA_ACT}, Something else entirely, {STANDARDS}, another thing"
    known, unknown = ActivityMatcher(consultation).split(cell)
    assert known == [COMMA_ACT, STANDARDS]
    assert unknown == ["Something else entirely", "another thing"]


def test_activity_matching_ignores_case_spacing_and_apostrophes(consultation):
    cell = COMMA_ACT.upper().replace(" ", "  ") + ", " + STANDARDS.lower()
    assert ActivityMatcher(consultation).split(cell) == ([COMMA_ACT, STANDARDS], [])


def test_activities_in_the_dataset(build):
    rows = [survey_row(activities=f"{COMMA_ACT}, {COMMA_ACT}, Other stuff"),
            survey_row(when=T0 + dt.timedelta(hours=2), activities=json.dumps([STANDARDS]))]
    ds = build([], rows)
    assert list(ds.activities["label"]) == [COMMA_ACT, STANDARDS]
    assert list(ds.activities["activity_section"]) == ["Advanced technology", "Curating standards"]
    assert list(ds.survey["n_activities"]) == [1, 1]
    assert ds.survey_quality.unknown_activities == 1
    assert ds.survey_quality.unknown_activity_values == {"Other stuff": 1}


# -- rule 11: spam and duplicates ---------------------------------------------------------------

def test_survey_spam_and_duplicates(build):
    use = json.dumps({"Improving data quality": 5})
    rows = [
        survey_row(when=T0, use=use, activities=json.dumps([STANDARDS]), comments="Good"),
        survey_row(when=T0 + dt.timedelta(minutes=3), use=use, activities=STANDARDS, comments="Good "),
        survey_row(when=T0 + dt.timedelta(minutes=4), use=json.dumps({"Improving data quality": 4}),
                   activities=STANDARDS, comments="Good"),
        survey_row(when=T0 + dt.timedelta(minutes=5), comments="spam", hp="x"),
        survey_row(when=T0 + dt.timedelta(hours=5), use=use, activities=STANDARDS, comments="Good"),
    ]
    ds = build([], rows)
    # same scores/activities/comments written in another layout are the same response
    assert list(ds.survey["is_duplicate"]) == [False, True, False, False, False]
    assert list(ds.survey["is_spam"]) == [False, False, False, True, False]
    q = ds.survey_quality
    assert (q.rows_read, q.spam, q.duplicates, q.kept) == (5, 1, 1, 3)


def test_survey_requires_role(build):
    from lib.errors import SourceError
    header = [h for h in SURVEY_HEADER if h != "role"]
    with pytest.raises(SourceError, match="MainFeedback tab: required column 'role' is missing"):
        build([], [survey_row()[:2] + survey_row()[3:]], survey_header=header)
