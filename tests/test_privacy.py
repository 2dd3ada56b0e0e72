"""The personal-data column policy on literal text and tables: masking addresses inside free
text, the e-mail column per level, and the dataset a viewer receives."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lib.privacy import EmailLevel, apply_policy, find_emails, mask_email, mask_emails, protect_frame
from tests.conftest import fb_row, survey_row


def test_mask_email():
    assert mask_email("sam@council.gov.uk") == "s***@council.gov.uk"
    assert mask_email("  Sam.Smith+consult@Council.Gov.UK ") == "S***@Council.Gov.UK"
    assert mask_email("sam@council.gov.uk; ann@wexley.example") == "s***@council.gov.uk, a***@wexley.example"
    assert mask_email("07700 900123") == "***"          # not an address: nothing of it is shown
    assert [mask_email(v) for v in ("", "   ", None, float("nan"))] == ["", "", "", ""]


@pytest.mark.parametrize(("text", "masked"), [
    ("Write to sam@council.gov.uk.", "Write to s***@council.gov.uk."),
    ("(sam@council.gov.uk), ann@x.example; bob@y.example!", "(s***@council.gov.uk), a***@x.example; b***@y.example!"),
    ("«sam@council.gov.uk»", "«s***@council.gov.uk»"),
    ('"sam@council.gov.uk"', '"s***@council.gov.uk"'),
    ("<sam@council.gov.uk>", "<s***@council.gov.uk>"),
    ("[Sam](mailto:sam@council.gov.uk)", "[Sam](mailto:s***@council.gov.uk)"),
    ("[sam@council.gov.uk](mailto:sam@council.gov.uk)", "[s***@council.gov.uk](mailto:s***@council.gov.uk)"),
    ("SAM.SMITH@COUNCIL.GOV.UK", "S***@COUNCIL.GOV.UK"),
    ("sam.smith+consultation@council.gov.uk", "s***@council.gov.uk"),
    ("first.o'neil@council.gov.uk", "f***@council.gov.uk"),
    ("sam@team.data.council.gov.uk", "s***@team.data.council.gov.uk"),
    ("jürgen@münchen.de", "j***@münchen.de"),
    ("user@xn--mnchen-3ya.de", "u***@xn--mnchen-3ya.de"),
    ("info@例え.jp", "i***@例え.jp"),
    ("sam＠council.gov.uk", "s***@council.gov.uk"),         # full-width at sign
    ("sam [at] council.gov.uk", "s***@council.gov.uk"),
    ("sam(AT)council.gov.uk", "s***@council.gov.uk"),
    ('"sam smith"@council.gov.uk', '"***@council.gov.uk'),
    ("root@[192.0.2.1]", "r***@[192.0.2.1]"),
    ("line one\nsam@council.gov.uk\tline two", "line one\ns***@council.gov.uk\tline two"),
])
def test_addresses_in_free_text_are_masked(text, masked):
    assert mask_emails(text) == masked


@pytest.mark.parametrize("text", [
    "version v1.2@3 is out", "ping @d2i on social media", "meet @ 3pm", "a@b", "x@localhost", "2 @ £5.00",
    "no address here", "",
])
def test_text_without_an_address_is_left_alone(text):
    assert mask_emails(text) == text
    assert find_emails(text) == []


def test_non_text_is_returned_as_it_is():
    assert mask_emails(None) is None
    assert mask_emails(3) == 3


@settings(max_examples=300, deadline=None)
@given(st.emails(), st.text(max_size=15), st.text(max_size=15))
def test_no_generated_address_survives_masking(email, before, after):
    assume(len(email.rpartition("@")[0]) > 1)  # a one-character local part shows whole in "s***"
    out = mask_emails(f"{before} {email} {after}")
    assert email not in out
    assert "***@" in out


def test_a_huge_hostile_cell_is_masked_in_linear_time():
    import time

    cells = ["a" * 50_000 + "@", "a." * 25_000 + "@x", "x@" + "b." * 25_000, ("a@" + "b" * 70 + ".") * 500]
    start = time.perf_counter()
    for cell in cells:
        mask_emails(cell)
    # quadratic backtracking would take minutes; this is a guard, not a speed target
    assert time.perf_counter() - start < 10


# -- tables and the dataset ------------------------------------------------------------------


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "summary": ["Call me: ann@wexley.example", "Fine", None],
        "details": ["", "cc BOB@Wexley.Example please", "x"],
        "organisation": ["Wexley", "ops@wexley.example", ""],
        "email": ["ann@wexley.example", "", "not given"],
        "n": [1, 2, 3],
    })


def test_full_keeps_everything(frame):
    assert protect_frame(frame, "full") is frame


def test_masked_masks_the_email_column_and_free_text(frame):
    out = protect_frame(frame, EmailLevel.MASKED)
    assert list(out["email"]) == ["a***@wexley.example", "", "***"]
    assert list(out["summary"])[:2] == ["Call me: a***@wexley.example", "Fine"] and pd.isna(out["summary"][2])
    assert list(out["details"]) == ["", "cc B***@Wexley.Example please", "x"]
    assert list(out["organisation"]) == ["Wexley", "o***@wexley.example", ""]
    assert list(out["n"]) == [1, 2, 3]
    assert frame["email"][0] == "ann@wexley.example"  # the input is not changed


def test_none_removes_the_email_column_and_masks_free_text(frame):
    out = protect_frame(frame, EmailLevel.NONE)
    assert "email" not in out.columns
    assert not out.astype(str).apply(lambda c: c.str.contains("ann@|bob@|ops@", case=False)).any().any()
    assert list(out["organisation"]) == ["Wexley", "o***@wexley.example", ""]


def test_arrow_text_and_categories_are_masked_too():
    frame = pd.DataFrame({"a": pd.Series(["x ann@wexley.example", "y"], dtype="str"),
                          "b": pd.Series(["ann@wexley.example", None], dtype="category")})
    out = protect_frame(frame, "none")
    assert list(out["a"]) == ["x a***@wexley.example", "y"]
    assert out["b"][0] == "a***@wexley.example" and pd.isna(out["b"][1])


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 10, day, 9, 0)


@pytest.fixture
def data(build):
    feedback = [
        fb_row(when=at(1), summary="Contact ann@wexley.example", details="or Ann.B+x@Wexley.example",
               org="ops@wexley.example", email="ann@wexley.example", role="ann@wexley.example"),
        fb_row(when=at(2), summary="Nothing personal", email="bob@wexley.example",
               page="https://x.example/?u=carl@wexley.example"),
    ]
    survey = [survey_row(when=at(3), comments="Reply to cat@wexley.example", org="Wexley",
                         email="cat@wexley.example", section="dee@wexley.example")]
    return build(feedback, survey)


def _text_of(ds) -> str:
    parts = [ds.feedback.astype(str).to_csv(), ds.survey.astype(str).to_csv(), ds.scores.to_csv(),
             ds.activities.to_csv(), repr(ds.feedback_quality), repr(ds.survey_quality)]
    return "\n".join(parts).lower()


PLAIN = ["ann@wexley.example", "ann.b+x@wexley.example", "ops@wexley.example", "bob@wexley.example",
         "carl@wexley.example", "cat@wexley.example", "dee@wexley.example"]


@pytest.mark.parametrize("level", ["none", "masked"])
def test_below_full_no_address_is_left_anywhere_in_the_dataset(data, level):
    assert "ann@wexley.example" in repr(data.feedback_quality.unrecognised)  # a typed role is listed there
    text = _text_of(apply_policy(data, level))
    assert not [a for a in PLAIN if a in text]
    assert "a***@wexley.example" in text


def test_levels_of_the_email_column(data):
    assert "email" not in apply_policy(data, "none").feedback.columns
    assert list(apply_policy(data, "masked").feedback["email"]) == ["a***@wexley.example", "b***@wexley.example"]
    assert list(apply_policy(data, "full").feedback["email"]) == ["ann@wexley.example", "bob@wexley.example"]
    assert apply_policy(data, "full") is data


def test_the_older_yes_no_form_still_works(data):
    assert apply_policy(data, may_see_email=True) is data
    assert "email" not in apply_policy(data, may_see_email=False).survey.columns
    with pytest.raises(TypeError):
        apply_policy(data)
    with pytest.raises(ValueError):
        apply_policy(data, "partly")


_cells = st.one_of(st.none(), st.just(""), st.emails(), st.text(max_size=12),
                   st.builds(lambda a, e, b: f"{a} {e} {b}", st.text(max_size=6), st.emails(), st.text(max_size=6)))


@settings(max_examples=150, deadline=None)
@given(st.lists(_cells, min_size=1, max_size=12))
def test_a_column_is_masked_as_its_cells_are_one_by_one(cells):
    # the column path looks at each distinct value once; it must agree with the per-cell functions
    frame = pd.DataFrame({"details": pd.Series(cells, dtype=object), "email": pd.Series(cells, dtype=object)})
    out = protect_frame(frame, "masked")
    assert list(out["email"]) == [mask_email(c) for c in cells]
    expected = [mask_emails(c) for c in cells]
    assert [None if pd.isna(v) else v for v in out["details"]] == expected
