"""The filter model: applying filters, and the URL round trip (including garbage links)."""

import datetime as dt

import pytest

from lib.filters import Filters, apply_feedback, apply_survey, from_query, options_for, slug, to_query
from tests.conftest import fb_row, survey_row

D = dt.datetime
ROWS = [
    fb_row(when=D(2026, 9, 15, 10), page="how-our-system-works/", nature="I disagree with this",
           role="Central government leadership", org="DfE", summary="a"),
    fb_row(when=D(2026, 9, 20, 10), page="appendix-1-more-on-how-our-system-works/context/",
           nature="I’m enthusiastic about this", role="Local authority data professional", org="Northshire",
           summary="b"),
    fb_row(when=D(2026, 10, 1, 23, 30), page="appendix-1-more-on-how-our-system-works/value/", nature="",
           role="Data and digital consultant", org="", summary="c"),
    fb_row(when="unknown", page="models-for-delivery/", nature="Other", role="Local authority leadership",
           org="Northshire", summary="d"),
    fb_row(when=D(2026, 10, 2, 9), page="models-for-delivery/", summary="spam", hp="bot"),
]


@pytest.fixture
def ds(build):
    return build(ROWS, [survey_row(when=D(2026, 9, 16), role="Central government leadership", org="DfE"),
                        survey_row(when=D(2026, 10, 3), role="Local authority leadership", org="Northshire")])


def summaries(frame):
    return list(frame["summary"])


def test_no_filter_keeps_every_kept_row(ds):
    assert summaries(apply_feedback(ds.feedback, Filters())) == ["a", "b", "c", "d"]
    assert summaries(apply_feedback(ds.feedback, Filters(include_spam=True))) == ["a", "b", "c", "d", "spam"]


def test_each_dimension(ds):
    fb = ds.feedback
    assert summaries(apply_feedback(fb, Filters(role_groups=("Local authority",)))) == ["b", "d"]
    assert summaries(apply_feedback(fb, Filters(roles=("Data and digital consultant",)))) == ["c"]
    assert summaries(apply_feedback(fb, Filters(reactions=("Not given",)))) == ["c"]
    assert summaries(apply_feedback(fb, Filters(organisations=("Northshire",)))) == ["b", "d"]
    assert summaries(apply_feedback(fb, Filters(pages=("/models-for-delivery/",)))) == ["d"]
    assert summaries(apply_feedback(fb, Filters(sections=("Appendix 1: More on how our system works",)))) == ["b", "c"]


def test_dates_are_uk_days_and_drop_rows_without_timestamp(ds):
    fb = ds.feedback
    # 23:30 on 1 October UK time is still 1 October (22:30 UTC)
    assert summaries(apply_feedback(fb, Filters(date_from=dt.date(2026, 10, 1)))) == ["c"]
    assert summaries(apply_feedback(fb, Filters(date_to=dt.date(2026, 9, 20)))) == ["a", "b"]


def test_filters_combine_and_can_leave_nothing(ds):
    f = Filters(role_groups=("Central government",), reactions=("I’m enthusiastic about this",))
    assert apply_feedback(ds.feedback, f).empty



def test_only_the_columns_asked_for_are_taken_from_the_kept_rows(ds):
    f = Filters(role_groups=("Local authority",))
    narrow = apply_feedback(ds.feedback, f, columns=["summary", "reaction"])
    assert list(narrow.columns) == ["summary", "reaction"]
    assert summaries(narrow) == ["b", "d"]
    assert list(narrow["reaction"]) == ["I’m enthusiastic about this", "Other"]
    assert list(narrow.index) == list(apply_feedback(ds.feedback, f).index)

def test_survey_honours_the_filters_that_apply(ds):
    f = Filters(role_groups=("Local authority",), reactions=("Other",))
    assert list(apply_survey(ds.survey, f)["organisation"]) == ["Northshire"]


def test_options_list_what_can_be_chosen(ds):
    opts = options_for(ds)
    assert opts.first_date == dt.date(2026, 9, 15) and opts.last_date == dt.date(2026, 10, 3)
    assert opts.pages["/appendix-1-more-on-how-our-system-works/context/"] == "Appendix 1 › Context"
    assert list(opts.organisations) == ["DfE", "Northshire"]
    assert opts.reactions["I’m enthusiastic about this"] == "Enthusiastic"
    assert "Unrecognised" not in opts.reactions  # only offered when the data has some


def test_round_trip(ds):
    opts = options_for(ds)
    f = Filters(date_from=dt.date(2026, 9, 16), date_to=dt.date(2026, 9, 30),
                pages=("/appendix-1-more-on-how-our-system-works/context/",),
                role_groups=("Local authority", "Private sector"), reactions=("I’m enthusiastic about this",),
                organisations=("DfE",), include_duplicates=True)
    query = to_query(f, opts)
    assert query["page"] == ["Appendix 1 › Context"]
    assert query["reaction"] == ["Enthusiastic"]
    assert query["dates"] == ["2026-09-16", "2026-09-30"]
    assert from_query(query, opts) == (f, [])
    assert to_query(Filters(), opts) == {}
    assert from_query({}, opts) == (Filters(), [])


def test_round_trip_of_a_filter_that_matches_nothing(ds):
    opts = options_for(ds)
    f = Filters(role_groups=("Central government",), reactions=("I’m enthusiastic about this",))
    back, notices = from_query(to_query(f, opts), opts)
    assert back == f and notices == []
    assert apply_feedback(ds.feedback, back).empty


def test_garbage_parameters_are_ignored_with_notices(ds):
    opts = options_for(ds)
    params = {"group": ["Local authority", "Astronauts"], "dates": ["2026-13-01", "2026-09-30"],
              "spam": "perhaps", "utm_source": "mail", "reaction": [""], "page": ["<script>"]}
    f, notices = from_query(params, opts)
    assert f == Filters(role_groups=("Local authority",))
    assert notices == [
        "“utm_source” is not a filter of this dashboard.",
        "The dates “2026-13-01, 2026-09-30” are not a valid range (use YYYY-MM-DD).",
        "“<script>” is not a page in this data.",
        "“Astronauts” is not a group in this data.",
        "“spam=perhaps” should be true or false.",
    ]


def test_reversed_dates_are_refused(ds):
    f, notices = from_query({"dates": ["2026-10-01", "2026-09-01"]}, options_for(ds))
    assert f == Filters() and len(notices) == 1


def test_slug_is_file_name_safe(ds):
    opts = options_for(ds)
    assert slug(Filters(), opts) == "all"
    name = slug(Filters(pages=("/appendix-1-more-on-how-our-system-works/context/",),
                        role_groups=("Local authority",)), opts)
    assert name == "page-Appendix-1-Context_group-Local-authority"


def test_page_view_settings_in_a_link_are_known(ds):
    f, notices = from_query({"comments_q": "data quality", "reactions_show": "Percentage"}, options_for(ds))
    assert f == Filters() and notices == []
