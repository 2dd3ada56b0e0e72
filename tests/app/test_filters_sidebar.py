"""AppTest of the shared sidebar filters on the hand-counted workbook (tests/small_workbook.py):
links preselect them, changes redraw the figures, garbage in a link is a notice, and a filter
the URL lost is written back."""

import datetime as dt

from tests.app.conftest import bars, metrics, new_app

NONE = {"Enthusiastic": 0, "Unsure": 0, "Disagree": 0, "General reflection": 0, "Specific issue": 0, "Other": 0}
EVERY = {**NONE, "Enthusiastic": 5, "Unsure": 2, "Disagree": 3, "General reflection": 1, "Specific issue": 1,
         "Other": 1, "Not given": 1, "Unrecognised": 1}


def test_a_link_preselects_the_filters(small):
    at = new_app(query={"group": "Local authority", "reaction": ["Enthusiastic", "Unsure"]})
    assert at.multiselect(key="group").value == ["Local authority"]
    assert at.multiselect(key="reaction").value == ["I’m enthusiastic about this", "I’m unsure about this"]
    # the reactions chart keeps every reaction of the local-authority rows (2, 5, 7, 10, 13, 14, 16),
    # the chosen ones highlighted: rows 2 and 10 enthusiastic, 5 and 16 unsure, 13 other, 7 none, 14 unrecognised
    assert bars(at, "overview_reactions_chart") == {**NONE, "Enthusiastic": 2, "Unsure": 2, "Other": 1,
                                                    "Not given": 1, "Unrecognised": 1}
    assert metrics(at)["Page feedback responses"] == "4"
    assert at.sidebar.markdown[-1].value == "**4** of 15 page responses"


def test_changing_a_filter_changes_the_figure_and_clear_resets(small):
    at = new_app()
    assert bars(at, "overview_reactions_chart") == EVERY
    assert at.date_input(key="dates").value == (dt.date(2026, 10, 5), dt.date(2026, 10, 22))
    at.multiselect(key="group").select("Private sector").run()
    assert bars(at, "overview_reactions_chart") == {**NONE, "Enthusiastic": 1, "Disagree": 3}   # rows 4, 6, 8, 9
    at.date_input(key="dates").set_value((dt.date(2026, 10, 5), dt.date(2026, 10, 11))).run()
    assert bars(at, "overview_reactions_chart") == {**NONE, "Disagree": 3}                      # row 6 is 12/10
    at.button(key="sidebar_clear").click().run()
    assert at.multiselect(key="group").value == []
    assert at.date_input(key="dates").value == (dt.date(2026, 10, 5), dt.date(2026, 10, 22))
    assert bars(at, "overview_reactions_chart") == EVERY


def test_garbage_in_a_link_is_a_notice_not_an_error(small):
    at = new_app(query={"group": "Astronauts", "dates": "yesterday", "zzz": "1"})
    assert not at.exception
    notes = " ".join(c.value for c in at.sidebar.caption)
    assert "Astronauts" in notes and "zzz" in notes and "not a valid range" in notes
    assert bars(at, "overview_reactions_chart") == EVERY
    assert "zzz" not in at.query_params


def test_the_toggles_add_spam_and_duplicates(small):
    at = new_app()
    at.toggle(key="spam").set_value(True).run()
    assert metrics(at)["Page feedback responses"] == "16"
    at.toggle(key="duplicates").set_value(True).run()
    assert metrics(at)["Page feedback responses"] == "17"
    assert at.sidebar.markdown[-1].value == "**17** of 17 page responses"


def test_a_filter_the_url_lost_is_written_back(small):
    """A run cut short by a page switch makes Streamlit drop bound parameters from the URL while
    the widgets keep their values; the next run must put them back so the link matches the view."""
    at = new_app(query={"group": "Private sector", "reaction": "Disagree"})
    at.query_params = {"reaction": "Disagree"}  # the next run arrives with "group" gone from the URL
    at.run()
    assert at.multiselect(key="group").value == ["Private sector"]
    assert at.query_params == {"group": "Private sector", "reaction": "Disagree"}
