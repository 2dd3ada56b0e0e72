"""The Overview page's numbers on literal tables (``lib.overview``)."""

import datetime as dt

import pandas as pd

from lib.aggregates import by_page
from lib.dataset import kept
from lib.overview import headline, pages_export
from tests.conftest import fb_row, survey_row


def test_headline_counts(build):
    ds = build([fb_row(page="models-for-delivery/", org="Northshire"),
                fb_row(page="models-for-delivery/", org=" NORTHSHIRE", summary="b"),
                fb_row(page="how-our-system-works/", org="DfE", summary="c"),
                fb_row(page="feedback/", summary="d"),           # a page without the form
                fb_row(page="suggestions/", summary="e"),        # no page of the site
                fb_row(page="how-our-system-works/", summary="spam", hp="bot")],
               [survey_row(), survey_row(when=dt.datetime(2026, 10, 2, 9, 0))])
    fb = kept(ds.feedback)
    numbers = headline(fb, kept(ds.survey), by_page(fb, ds.site))
    assert (numbers.feedback, numbers.survey, numbers.pages_heard, numbers.pages_with_form,
            numbers.organisations) == (5, 2, 2, 25, 2)


def test_pages_export_has_labels_site_relative_paths_and_counts(build):
    ds = build([fb_row(page="appendix-1-more-on-how-our-system-works/context/"), fb_row(page="suggestions/")])
    out = pages_export(by_page(kept(ds.feedback), ds.site))
    assert list(out.columns) == ["Page", "Path", "Responses"]
    rows = list(out.itertuples(index=False, name=None))
    assert rows[0] == ("Imagining a Centre of Excellence", "imagining-a-centre-of-excellence/", 0)
    assert ("Appendix 1 › Context", "appendix-1-more-on-how-our-system-works/context/", 1) in rows
    assert rows[-1] == ("(unknown)", "(unknown)", 1)


def test_organisations_are_counted_once_whatever_their_case_and_blanks_not_at_all():
    fb = pd.DataFrame({"organisation": pd.Series(["Eastbrook Council", "EASTBROOK COUNCIL", "", "Westford",
                                                  "eastbrook council", "Westford"], dtype=object)})
    per_page = pd.DataFrame({"has_form": [True, True, False], "n": [3, 0, 2]})
    h = headline(fb, pd.DataFrame(index=range(4)), per_page)
    assert (h.feedback, h.survey, h.pages_heard, h.pages_with_form, h.organisations) == (6, 4, 1, 2, 2)
