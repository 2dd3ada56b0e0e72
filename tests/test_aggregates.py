"""Counts in display order, pages in scope and weeks, on literal tables (``lib.aggregates``)."""

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.aggregates import by_page, count_by, drop_empty_catch_all, reaction_order
from lib.dataset import kept
from tests.conftest import fb_row

D = dt.datetime


def test_counts_follow_the_order_given_with_zeros_then_other_labels_by_count():
    counts = count_by(pd.Series(["b", "x", "b", "y", "y", "y"]), ["a", "b"])
    assert counts.to_dict() == {"a": 0, "b": 2, "y": 3, "x": 1}
    assert list(counts.index) == ["a", "b", "y", "x"]


def test_among_a_categorical_column_is_isin():
    from lib.aggregates import among

    values = pd.Series(pd.Categorical(["r2", "r1", None, "r3", "r1"], categories=["r1", "r2", "r3", "r9"]))
    assert among(values, pd.Series(pd.Categorical(["r1", "r9", "zz"]))).tolist() == [False, True, False, False, True]
    assert among(values, ["r3"]).tolist() == [False, False, False, True, False]



@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.sampled_from(["a", "b", "c", "d", None]), max_size=30),
       chosen=st.lists(st.sampled_from(["a", "b", "c", "e", None]), max_size=10),
       categorical=st.booleans(), chosen_categorical=st.booleans(), unused=st.booleans())
def test_among_is_isin_whatever_the_column_types(values, chosen, categorical, chosen_categorical, unused):
    """A categorical ``chosen`` counts by the categories it uses, not those it merely lists."""
    from lib.aggregates import among

    column = pd.Series(values, dtype=object)
    expected = column.isin([c for c in chosen if c is not None]).tolist()
    if categorical:
        column = column.astype("category")
    given = pd.Series(chosen, dtype=object)
    if chosen_categorical:
        given = pd.Series(pd.Categorical(chosen, categories=sorted({"a", "z", *(c for c in chosen if c)})
                                         if unused else None))
    assert among(column, given).tolist() == expected


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(st.sampled_from(["p1", "p2", "p3", None]), st.sampled_from(["r1", "r2", None])),
                      max_size=40), categorical=st.booleans())
def test_crosstab_counts_each_pair_as_groupby_does(pairs, categorical):
    from lib.aggregates import crosstab

    frame = pd.DataFrame(pairs, columns=["a", "b"], dtype=object)
    expected = {k: n for k, n in frame.groupby(["a", "b"]).size().items()}
    if categorical:
        frame = frame.astype({"a": pd.CategoricalDtype(["p3", "p1", "p2", "p9"]), "b": "category"})
    table = crosstab(frame["a"], frame["b"])
    found = {(a, b): int(table.at[a, b]) for a in table.index for b in table.columns if table.at[a, b]}
    assert found == expected

def test_a_categorical_column_counts_like_text():
    """The viewer's label columns are categorical (``lib.dataset.CATEGORICAL``): a category nobody
    chose in these rows is no extra label."""
    values = pd.Series(pd.Categorical(["b", "x", "b"], categories=["a", "b", "x", "z"]))
    assert count_by(values, ["a", "b"]).to_dict() == {"a": 0, "b": 2, "x": 1}


def test_empty_catch_all_labels_are_dropped_and_empty_options_kept(consultation):
    counts = count_by(pd.Series(["I disagree with this", "Unrecognised"]), reaction_order(consultation))
    assert drop_empty_catch_all(counts).to_dict() == {
        "I’m enthusiastic about this": 0, "I’m unsure about this": 0, "I disagree with this": 1,
        "I have a general reflection on this": 0, "I’ve identified a specific issue with this": 0, "Other": 0,
        "Unrecognised": 1}


def test_by_page_lists_every_page_with_a_form_in_nav_order_and_the_unknown_last(build):
    ds = build([fb_row(page="models-for-delivery/"), fb_row(page="models-for-delivery/", summary="again"),
                fb_row(page="appendix-1-more-on-how-our-system-works/context/"),
                fb_row(page="feedback/", summary="on the form page itself"),
                fb_row(page="suggestions/")])
    pages = by_page(kept(ds.feedback), ds.site)
    assert len(pages) == 25 + 2                          # the 25 with a form, the form page, (unknown)
    assert list(pages["label"][:4]) == ["Imagining a Centre of Excellence", "How our system works",
                                        "Possible mechanisms for change", "Models for delivery"]
    heard = pages[pages["n"] > 0]
    assert list(zip(heard["label"], heard["n"], heard["has_form"])) == [
        ("Models for delivery", 2, True), ("Main Feedback Form", 1, False), ("Appendix 1 › Context", 1, True),
        ("(unknown)", 1, False)]
    assert (pages.loc[pages["n"] == 0, "has_form"]).all()


