"""The reading view's logic on literal rows: each response whole (summary in bold, details
beneath, then page linked from the site's metadata, short reaction, role, organisation and
date), matches marked as whole words, no "None" and no raw timestamps in the table, the
form's wording beside the short reaction in downloads."""

import datetime as dt
import re

import pandas as pd
import pytest

from lib import comments as cm
from lib.filters import Filters
from lib.privacy import apply_policy
from tests.app.conftest import shown
from tests.conftest import LIVE, fb_row, survey_row

DIS = "I disagree with this"
MOVED = "https://mirror.example.org/some/base/models-for-delivery/?utm=x"   # posted from another host


@pytest.fixture
def rows(build):
    ds = apply_policy(build(
        [fb_row(when=dt.datetime(2026, 10, 26, 9, 5), page=MOVED, nature=DIS, summary="Too **bold** a [claim](x)",
                details="Line one\n   indented *not* code\n\nSubscriptions would: exclude small LAs",
                role="Data and digital consultant", org="Acme <Ltd>", email="ann@acme.example")],
        [survey_row(when=dt.datetime(2026, 10, 15, 8, 38, 55), comments="A survey comment", org="Acme <Ltd>",
                    section="Improving data quality")]), may_see_email=False)
    return ds, cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.BOTH)


def test_a_response_is_shown_whole_with_its_page_reaction_role_organisation_and_date(rows):
    ds, frame = rows
    feedback = frame[frame["source"] == "Page feedback"].iloc[0]
    text, about = cm.reading_markdown(feedback, "", ds.consultation)
    summary, details = text.split("\n\n", 1)
    assert summary.startswith("**") and summary.endswith("**")
    assert shown(summary[2:-2]) == "Too **bold** a [claim](x)"          # literal, not bold text and a link
    assert shown(details).replace("  \n", "\n").replace("\\\n", "\n") == (
        "Line one\nindented *not* code\n\nSubscriptions would: exclude small LAs")
    link = f"{LIVE}models-for-delivery/"                                  # from the site, not the posted host
    page, rest = about.split(" · ", 1)
    assert page == f"[Models for delivery]({link})"
    assert shown(rest) == "**Disagree** · Data and digital consultant · Acme <Ltd> · 26/10/2026 09:05"
    assert "ann@" not in text + about


def test_a_survey_comment_reads_as_one_with_its_section_and_no_page(rows):
    ds, frame = rows
    survey = frame[frame["source"] == "Survey"].iloc[0]
    text, about = cm.reading_markdown(survey, "", ds.consultation)
    assert text == "**Survey comment** on *Improving data quality*\n\nA survey comment"
    assert shown(about) == "Local authority data professional · Acme <Ltd> · 15/10/2026 08:38"
    assert "None" not in text + about


@pytest.mark.parametrize(("text", "query", "marked"), [
    ("Subscriptions would exclude", "subscription", ["Subscriptions"]),   # the whole word, not "Subscription" + "s"
    ("a pre-subscription plan", "scrip", ["subscription"]),               # a hyphen ends a word
    ("the LA’s own tools", "la", ["LA’s"]),                             # an apostrophe inside a word keeps it whole
    ("host authority hosts", '"host authority"', ["host authority"]),    # a phrase, whole words at both ends
])
def test_matches_are_marked_as_whole_words(text, query, marked):
    directive = re.escape(cm.HIGHLIGHT.split("[")[0]) + r"\[((?:\\.|[^\\\]])*)\]"
    found = [shown(m) for m in re.findall(directive, cm.highlight(text, query))]
    assert found == marked


def test_the_highlight_is_a_strong_colour_set_in_the_theme():
    import tomllib
    from pathlib import Path

    theme = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())["theme"]
    colour = cm.HIGHLIGHT.split("-background")[0].lstrip(":")          # yellow
    red, green, blue = (int(theme[f"{colour}BackgroundColor"][i:i + 2], 16) for i in (1, 3, 5))
    assert min(red, green) > 200 and blue < 150                         # a saturated yellow, not a faint tint


def test_the_table_shows_local_times_and_no_link_for_survey_rows(rows):
    ds, frame = rows
    table = cm.table_frame(frame, cm.BOTH, ds.consultation)
    assert str(table["Submitted"].dtype) == "datetime64[ns]"             # one dtype: DD/MM/YYYY HH:MM on screen
    assert list(table["Submitted"]) == [pd.Timestamp("2026-10-26 09:05"), pd.Timestamp("2026-10-15 08:38:55")]
    assert table["Link"].iloc[0].startswith(LIVE) and table["Link"].iloc[1] == ""   # a blank, never "None"


def test_downloads_hold_the_short_reaction_and_the_form_s_wording(rows):
    ds, frame = rows
    out = cm.export_frame(frame, cm.BOTH, ds.consultation)
    assert list(out["Reaction"]) == ["Disagree", ""]
    assert list(out[cm.FORM_WORDING]) == [DIS, ""]
    assert list(out.columns).index(cm.FORM_WORDING) == list(out.columns).index("Reaction") + 1


def test_a_link_never_ends_early_and_only_http_is_linked():
    md = cm.markdown_link("A (page)", "https://site.example/a (b)/\"q\"")
    assert md == "[A \\(page\\)](https://site.example/a%20%28b%29/%22q%22)"
    assert cm.markdown_link("Page", "javascript:alert(1)") == "Page"
