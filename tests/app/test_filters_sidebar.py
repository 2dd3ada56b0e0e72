"""AppTest of the shared sidebar filters: links preselect them, changes redraw the figures."""

import datetime as dt

from lib.aggregates import count_by, drop_empty_catch_all, reaction_order
from lib.filters import Filters, apply_feedback
from lib.settings import Settings, load_dataset
from tests.app.conftest import chart, metrics, new_app


def expected_reactions(f: Filters):
    ds = load_dataset(Settings())
    c = ds.consultation
    counts = drop_empty_catch_all(count_by(apply_feedback(ds.feedback, f)["reaction"], reaction_order(c)))
    return {c.short_reaction[k]: int(v) for k, v in counts.items()}


def drawn(at, key):
    fig = chart(at, key)
    return dict(zip(fig.data[0].y, fig.data[0].x))


def test_a_link_preselects_the_filters():
    at = new_app(query={"group": "Central government", "reaction": ["Disagree", "Unsure"]})
    assert at.multiselect(key="group").value == ["Central government"]
    f = Filters(role_groups=("Central government",),
                reactions=("I disagree with this", "I’m unsure about this"))
    # the reaction chart keeps every reaction (the chosen ones highlighted); the rest follow every filter
    assert drawn(at, "overview_reactions_chart") == expected_reactions(f.with_(reactions=()))
    n = len(apply_feedback(load_dataset(Settings()).feedback, f))
    assert metrics(at)["Page feedback responses"] == f"{n:,}"
    assert at.sidebar.markdown[-1].value.startswith(f"**{n:,}** of ")


def test_changing_a_filter_changes_the_figure_and_clear_resets():
    at = new_app()
    everything = drawn(at, "overview_reactions_chart")
    assert everything == expected_reactions(Filters())
    all_dates = at.date_input(key="dates").value
    at.multiselect(key="group").select("Private sector").run()
    assert drawn(at, "overview_reactions_chart") == expected_reactions(Filters(role_groups=("Private sector",)))
    assert drawn(at, "overview_reactions_chart") != everything
    week = (all_dates[0], all_dates[0] + dt.timedelta(days=6))
    at.date_input(key="dates").set_value(week).run()
    assert drawn(at, "overview_reactions_chart") == expected_reactions(
        Filters(role_groups=("Private sector",), date_to=week[1]))
    at.button(key="sidebar_clear").click().run()
    assert at.multiselect(key="group").value == []
    assert at.date_input(key="dates").value == all_dates
    assert drawn(at, "overview_reactions_chart") == everything


def test_garbage_in_a_link_is_a_notice_not_an_error():
    at = new_app(query={"group": "Astronauts", "dates": "yesterday", "zzz": "1"})
    assert not at.exception
    notes = " ".join(c.value for c in at.sidebar.caption)
    assert "Astronauts" in notes and "zzz" in notes and "not a valid range" in notes
    assert drawn(at, "overview_reactions_chart") == expected_reactions(Filters())


def test_spam_toggle_adds_the_spam_rows():
    at = new_app()
    at.toggle(key="spam").set_value(True).run()
    f = Filters(include_spam=True)
    assert metrics(at)["Page feedback responses"] == f"{len(apply_feedback(load_dataset(Settings()).feedback, f)):,}"


def test_a_filter_the_url_lost_is_written_back():
    """A run cut short by a page switch makes Streamlit drop bound parameters from the URL while
    the widgets keep their values; the next run must put them back so the link matches the view.
    (The URL is read from the session's query-params state: AppTest exposes no other view of it.)"""
    at = new_app(query={"group": "Private sector", "reaction": "Disagree"})
    at.query_params = {"reaction": "Disagree"}  # the next run arrives with "group" gone from the URL
    at.run()
    assert at.multiselect(key="group").value == ["Private sector"]
    url = at._session_state._state.query_params._query_params
    assert url.get("group") in ("Private sector", ["Private sector"])
    assert url.get("reaction") == "Disagree"
