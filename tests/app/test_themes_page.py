"""AppTest of the Themes page on small literal workbooks: four topics of five responses each (every
response of a topic repeats its key words, so the topics are what the data plants), two responses
too short to theme, and a letter sent by three people.

Themes, their sizes and labels; the team's corrections saved with who and when and reapplied after
new rows arrive; the theme filter in a link filtering the Comments page; "Count each campaign once"
changing a chart; viewers reading the corrected themes without the forms; too few responses."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st

from tests.app.conftest import chart, new_app, shown
from tests.app.test_access import ACCESS, AUTH, signed_in
from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook

PAGE = "app_pages/themes.py"
COMMENTS = "app_pages/comments.py"
T0 = dt.datetime(2026, 10, 1, 9, 0)
DIS, UNSURE, KEEN = "I disagree with this", "I’m unsure about this", "I’m enthusiastic about this"
FUNDING = [
    ("Funding must come first", "Without core funding from government the centre will not last: long-term funding matters.", DIS),
    ("Who pays? Funding is unclear", "Our council has no funding for subscriptions: long-term funding is needed.", DIS),
    ("Long-term funding is the question", "Short-term grant funding has killed similar projects before.", DIS),
    ("Secure long-term funding first", "Please publish the funding model before asking councils to join.", UNSURE),
    ("Funding for small councils", "Small authorities need long-term funding or they will be left behind.", UNSURE),
]
STANDARDS = [
    ("Shared data standards would save time", "Common data standards for case recording would make returns easier.", KEEN),
    ("Data standards need an owner", "Someone has to maintain the data standards once published.", KEEN),
    ("Yes to open data standards", "Open data standards let suppliers and councils build to the same rules.", KEEN),
    ("Data standards before tools", "Agree the data standards first, then the tools follow.", KEEN),
    ("Keep data standards simple", "Too many data standards at once would overwhelm teams.", UNSURE),
]
TRAINING = [
    ("Training for analysts is overdue", "Our analysts learn on the job with no training budget.", KEEN),
    ("Training for new analysts", "New analysts need training in children's social care data.", KEEN),
    ("Analysts need training in Python", "Training in Python and SQL would help analysts in small teams.", KEEN),
    ("Peer training for analysts", "Analysts training each other across councils has worked well.", KEEN),
    ("Make analyst training free", "Free training would reach the analysts who need it most.", KEEN),
]
SUPPLIERS = [
    ("Case management suppliers hold our data", "Case management suppliers charge for every report.", DIS),
    ("Challenge the suppliers together", "Councils negotiating with case management suppliers as one would get better terms.", DIS),
    ("Suppliers should publish their schemas", "Case management suppliers hide the database from us.", DIS),
    ("Supplier contracts need data clauses", "Contracts with case management suppliers should guarantee access.", DIS),
    ("Suppliers move too slowly", "Changes from case management suppliers take years to arrive.", DIS),
]
SHORT = [("Agree.", "", KEEN), ("Yes please", "", KEEN)]
PAGES = {"funding": "models-for-delivery/", "standards": "improving-data-quality/",
         "training": "supporting-professional-development/", "suppliers": "making-sense-of-case-management-systems/"}


def rows(extra=()):
    out, i = [], 0
    for topic, items in (("funding", FUNDING), ("standards", STANDARDS), ("training", TRAINING),
                         ("suppliers", SUPPLIERS), ("funding", SHORT), *extra):
        for summary, details, nature in items:
            out.append(fb_row(when=T0 + dt.timedelta(hours=i), page=PAGES[topic], summary=summary, details=details,
                              nature=nature, role="Local authority data professional" if i % 2 else
                              "Data and digital supplier/partner", org=f"Org {i}"))
            i += 1
    return out


def workbook(path, feedback):
    return write_workbook(path, {"Feedback": [FEEDBACK_HEADER, *feedback],
                                 "MainFeedback": [SURVEY_HEADER, survey_row(when=T0)]})


@pytest.fixture
def topics(tmp_path, monkeypatch):
    path = workbook(tmp_path / "topics.xlsx", rows())
    monkeypatch.setenv("INSIGHT_SOURCE", str(path))
    return path


#: A column only each table has (tables without a selection carry no key in AppTest).
COLUMNS = {"themes_table": "Reactions", "themes_history": "What", "themes_changes": "Change",
           "themes_campaigns_table": "Campaign"}


def table(at, key="themes_table"):
    (el,) = [d for d in at.dataframe if COLUMNS[key] in d.value.columns]
    return el.value


def theme_id(at, starts: str) -> str:
    """The id of the theme whose label starts with ``starts`` (the topic's key words)."""
    t = table(at)
    (found,) = t.loc[t["Theme"].str.startswith(starts), "Id"]
    return found


def members(at) -> list[str]:
    (el,) = [d for d in at.dataframe if d.key and d.key.startswith("themes_members_")]
    return list(el.value["Summary"])


def pick(at, theme: str):
    at.selectbox(key="themes_pick").set_value(theme)
    return at.run()


def select_members(at, summaries: list[str]):
    (el,) = [d for d in at.dataframe if d.key and d.key.startswith("themes_members_")]
    order = list(el.value["Summary"])
    at.session_state[el.key] = {"selection": {"rows": [order.index(s) for s in summaries], "columns": [],
                                              "cells": []}}
    return at.run()


def submit(at, label: str):
    next(b for b in at.button if b.label == label).click()
    return at.run()


def field(widgets, suffix: str):
    (found,) = [w for w in widgets if w.key and w.key.startswith("themes_fix_") and w.key.endswith(suffix)]
    return found


def test_four_planted_topics_are_four_themes_and_short_answers_stay_unthemed(topics):
    at = new_app(PAGE)
    t = table(at)
    assert len(t) == 5 and t["Theme"].iloc[-1] == "Unthemed"
    for starts in ("Long-term funding", "Data standards", "Training", "Case management suppliers"):
        assert t.loc[t["Theme"].str.startswith(starts), "Responses"].tolist() == [5], starts
    assert t["Responses"].iloc[-1] == 2 and t["Share"].iloc[-1] == pytest.approx(2 / 22)
    funding = theme_id(at, "Long-term funding")
    assert t.set_index("Id").at[funding, "Reactions"] == "most said Disagree, some said Unsure"
    at = pick(at, funding)
    assert sorted(members(at)) == sorted(s for s, _, _ in FUNDING)
    examples = [shown(m.value) for m in at.markdown if shown(m.value).strip("*") in {s for s, _, _ in FUNDING}]
    assert len(examples) == 3
    assert any("4 themes" in shown(m.value) and "2 unthemed" in shown(m.value) for m in at.markdown)
    # the theme's spread: Models for delivery × the two role groups that wrote on it
    heat = chart(at, "themes_spread_chart")
    assert [y.replace("<br>", " ") for y in heat.data[0].y] == ["Models for delivery"]
    assert sorted(v for v in heat.data[0].z[0] if v) == [2.0, 3.0]
    # "Unthemed" is a theme of its own to read
    at = pick(at, "Unthemed")
    assert sorted(members(at)) == ["Agree.", "Yes please"]


def test_corrections_are_saved_with_who_and_reapplied_after_new_rows(topics, tmp_path):
    at = new_app(PAGE)
    funding, training = theme_id(at, "Long-term funding"), theme_id(at, "Training")
    at = pick(at, funding)
    field(at.text_input, "_label").set_value("Money worries")
    at = submit(at, "Rename")
    at = select_members(at, ["Funding for small councils"])
    field(at.selectbox, "_to").set_value("Unthemed")
    at = submit(at, "Move")
    at = pick(at, training)
    at = select_members(at, ["Peer training for analysts", "Make analyst training free"])
    field(at.text_input, "_new").set_value("Peer learning")
    at = submit(at, "Split off")
    t = table(at).set_index("Theme")
    assert t.at["Money worries", "Responses"] == 4 and t.at["Peer learning", "Responses"] == 2
    assert t.at["Unthemed", "Responses"] == 3
    history = table(at, "themes_history")
    assert history["Who"].tolist() == ["local"] * 3
    assert history["What"].tolist() == [f"Renamed {funding} to “Money worries”",
                                        "Moved 1 response to Unthemed",
                                        "Split 2 responses off as E1 “Peer learning”"]

    # two new responses in the sheet: the themes are found again and the corrections reapplied
    new = [("Funding again", "Long-term funding for the centre is the worry.", DIS),
           ("Data standards for placements", "Placement data standards would help.", KEEN)]
    workbook(topics, rows(extra=[("funding", new[:1]), ("standards", new[1:])]))
    st.cache_data.clear()
    st.cache_resource.clear()   # the load is shared as a resource: read the workbook again
    at = new_app(PAGE)
    t = table(at).set_index("Theme")
    assert t.at["Money worries", "Responses"] == 5 and t.at["Money worries", "Id"] == funding
    assert t.at["Peer learning", "Responses"] == 2 and t.loc[t.index.str.startswith("Training"), "Responses"].tolist() == [3]
    assert t.loc[t.index.str.startswith("Data standards"), "Responses"].tolist() == [6]
    assert t.at["Unthemed", "Responses"] == 3
    at = pick(at, funding)
    assert sorted(members(at)) == sorted(["Funding again", *(s for s, _, _ in FUNDING[:4])])
    changed = table(at, "themes_changes").set_index("Label")
    assert changed.at["Money worries", "Change"] == "grew"
    assert (changed.at["Money worries", "Before"], changed.at["Money worries", "Now"]) == (4, 5)

    # and the theme filter, in a link, filters the Comments page by the corrected theme
    at = new_app(COMMENTS, query={"theme": "Money worries", "comments_view": "Table"})
    (comments,) = [d for d in at.dataframe if d.key and d.key.startswith("comments_table_")]
    assert sorted(comments.value["Summary"]) == sorted(["Funding again", *(s for s, _, _ in FUNDING[:4])])
    assert at.query_params["theme"] == "Money worries"


def test_counting_each_campaign_once_changes_the_charts(tmp_path, monkeypatch):
    letter = ("We the undersigned oppose charging councils a subscription for the centre, because the councils "
              "with the least money would drop out first and the gap between authorities would grow.")
    copies = [letter, letter.replace("oppose", "strongly oppose"),
              letter.replace("would grow.", "would only grow wider.")]
    campaign = [fb_row(when=T0 + dt.timedelta(days=3, hours=i), page="models-for-delivery/",
                       summary="Subscriptions", details=text, nature=DIS, role="Local authority leadership",
                       org=f"Council {i}") for i, text in enumerate(copies)]
    path = workbook(tmp_path / "campaign.xlsx", rows() + campaign)
    monkeypatch.setenv("INSIGHT_SOURCE", str(path))
    at = new_app(PAGE)
    counts = [m.value for m in at.markdown if "page responses" in m.value]
    assert counts == ["**25** of 25 page responses"]
    campaigns = table(at, "themes_campaigns_table")
    assert campaigns[["Campaign", "Responses", "Organisations"]].values.tolist() == [
        ["C1", 3, "Council 0, Council 1, Council 2"]]
    assert campaigns["Roles"].tolist() == ["Local authority leadership (3)"]
    (letters,) = [d for d in at.dataframe if not d.key and "Summary" in d.value.columns]   # the campaign's
    assert letters.value["Reaction"].tolist() == ["Disagree"] * 3   # short labels, as in the theme's list
    before = dict(zip(chart(at, "themes_sizes_chart").data[0].y, chart(at, "themes_sizes_chart").data[0].x))
    at.toggle(key="count_once").set_value(True).run()
    assert at.query_params["count_once"] == "true"
    assert [m.value for m in at.markdown if "page responses" in m.value] == ["**23** of 25 page responses"]
    after = dict(zip(chart(at, "themes_sizes_chart").data[0].y, chart(at, "themes_sizes_chart").data[0].x))
    assert sum(before.values()) == 25 and sum(after.values()) == 23
    # every chart counts what the sidebar counts, the Overview's and the Reactions page's too
    at.switch_page("app_pages/overview.py").run()
    assert sum(chart(at, "overview_reactions_chart").data[0].x) == 23
    assert sum(chart(at, "overview_groups_chart").data[0].x) == 23
    at.query_params["reactions_scale"] = "Counts"
    at.switch_page("app_pages/reactions.py").run()
    assert sum(sum(bar.x) for bar in chart(at, "reactions_groups_chart").data if bar.type == "bar"
               and bar.orientation == "h" and bar.x is not None) == 23


def test_viewers_see_the_corrected_themes_without_the_forms(topics):
    at = new_app(PAGE)
    funding = theme_id(at, "Long-term funding")
    at = pick(at, funding)
    field(at.text_input, "_label").set_value("Money worries")
    submit(at, "Rename")
    viewer = new_app(PAGE, secrets={"auth": AUTH, "access": ACCESS}, user=signed_in("ana@council.gov.uk"))
    assert "Money worries" in table(viewer)["Theme"].tolist()
    viewer = pick(viewer, funding)
    assert not [b for b in viewer.button if b.label in ("Rename", "Merge", "Move", "Split off")]
    assert any("analysts make the corrections" in c.value for c in viewer.caption)


@pytest.mark.parametrize("n, said", [(0, "no response has text here"), (1, "only 1 response has text here"),
                                     (3, "only 3 responses have text here")])
def test_too_few_responses_is_a_plain_message(tmp_path, monkeypatch, n, said):
    path = workbook(tmp_path / "few.xlsx", rows()[:n])
    monkeypatch.setenv("INSIGHT_SOURCE", str(path))
    at = new_app(PAGE)
    assert [shown(i.value) for i in at.info] == [
        f"Themes need at least 10 responses with text; {said}. Read them in the Comments page instead."]
    assert not [d for d in at.dataframe if "Reactions" in d.value.columns]


def test_another_number_of_themes_is_previewed_then_made_the_teams(topics):
    at = new_app(PAGE)
    funding = theme_id(at, "Long-term funding")
    at = pick(at, funding)
    field(at.text_input, "_label").set_value("Money worries")
    at = submit(at, "Rename")
    at.selectbox(key="themes_k").set_value("2").run()
    preview = table(at)
    assert len(preview) == 3 and preview["Responses"].iloc[:2].sum() == 20          # two themes and Unthemed
    assert "Money worries" in preview["Theme"].tolist()                              # the rename carried over
    assert any(shown(m.value).startswith("**Preview: 2 themes.**") for m in at.markdown)
    assert not [b for b in at.button if b.label in ("Rename", "Merge")]             # corrections: the team's only
    at = submit(at, "Use 2 themes for everyone")
    again = new_app(PAGE)                                                             # another session, no link
    assert again.selectbox(key="themes_k").value == "2"
    assert table(again)["Theme"].tolist() == preview["Theme"].tolist()
    assert not any("Preview" in shown(m.value) for m in again.markdown)


def test_you_said_we_did_per_theme(topics):
    at = new_app(PAGE)
    funding = theme_id(at, "Long-term funding")
    label = table(at).set_index("Id").at[funding, "Theme"]
    said = new_app("app_pages/you_said.py", query={"you_said_scope": "Per theme"})
    titles = [shown(e.label) for e in said.main.expander]
    assert f"{label} · 5 responses" in titles and "Unthemed · 2 responses" not in titles and len(titles) == 4
    (exp,) = [e for e in said.expander if shown(e.label).startswith(label)]
    (area,) = [t for t in exp.text_area if t.label == "What you said"]
    key = area.key.rsplit("_", 1)[0]
    said.text_area(key=f"{key}_heard").set_value("Councils fear subscriptions.")
    next(b for b in exp.button if b.label == "Save").click()
    said.run()
    again = new_app("app_pages/you_said.py", query={"you_said_scope": "Per theme"})
    (exp,) = [e for e in again.expander if shown(e.label).startswith(label)]
    assert shown(exp.label) == f"{label} · 5 responses · Draft"
    assert sorted(exp.dataframe[0].value["Summary"]) == sorted(s for s, _, _ in FUNDING)
    # per page, the page's entry is a different one: still empty
    pages = new_app("app_pages/you_said.py")
    (exp,) = [e for e in pages.expander if shown(e.label).startswith("Models for delivery")]
    assert shown(exp.label) == "Models for delivery · 7 responses"


def test_a_large_theme_is_listed_a_page_at_a_time_newest_first(tmp_path, monkeypatch):
    """The browser gets one page of a theme's responses (``MEMBERS_PAGE``), not thousands."""
    many = [(f"Funding question {i}", f"Long-term funding for council number {i} is needed before we join.", DIS)
            for i in range(130)]
    feedback = rows([("funding", many)])
    order = {r[3]: i for i, r in enumerate(feedback)}   # summary → when it was sent (an hour apart)
    monkeypatch.setenv("INSIGHT_SOURCE", str(workbook(tmp_path / "many.xlsx", feedback)))
    at = new_app(PAGE)
    t = table(at)
    biggest = t.sort_values("Responses", ascending=False).iloc[0]
    assert biggest["Responses"] > 100
    at = pick(at, biggest["Id"])
    first = members(at)
    assert len(first) == 100
    assert [m.value for m in at.markdown if "of this theme" in m.value] == [
        f"**All {biggest['Responses']} responses of this theme under the filters**, newest first: 1–100 shown"]
    (pager,) = [p for p in at.get("pagination") if p.key.startswith("themes_members_page_")]
    pager.set_value(2)
    at.run()
    rest = members(at)
    assert len(rest) == biggest["Responses"] - 100 and not set(first) & set(rest)
    every = first + rest
    assert every == sorted(every, key=lambda s: -order[s])   # newest first, across the pages
    # the 130 near-identical questions are one campaign: its letters too, earliest first
    (campaign,) = [d for d in at.dataframe if not d.key and "Summary" in d.value.columns]   # no selection: no key
    letters = list(campaign.value["Summary"])
    size = table(at, "themes_campaigns_table")["Responses"].iloc[0]   # the campaign shown first
    assert size > 100 and len(letters) == 100 and letters == sorted(letters, key=order.get)
    assert f"Earliest first: 1–100 of {size} shown." in [c.value for c in at.caption]
