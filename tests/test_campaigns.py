"""Campaigns (lib.campaigns): planted letters found whole, stock phrases and short agreements not grouped."""

from __future__ import annotations

import pandas as pd

from lib.campaigns import campaign_of, campaign_responses, campaign_table, count_once, find_campaigns, similar
from tests.themes_eval import eval_frame


def test_planted_campaigns_are_found_whole_and_nothing_else(consultation):
    frame = eval_frame()
    found = find_campaigns(frame)
    planted = {c: set(g.index) for c, g in frame[frame["campaign"] != ""].groupby("campaign")}
    assert sorted(map(len, planted.values()), reverse=True) == [12, 9, 6]
    assert [set(c.members) for c in found] == sorted(planted.values(), key=len, reverse=True)
    fund = found[0]
    rows = frame.loc[list(fund.members)]
    assert fund.first == rows["submitted_at"].min() and fund.last == rows["submitted_at"].max()
    assert fund.members[0] == rows["submitted_at"].idxmin()  # earliest first
    assert set(fund.organisations) == set(rows["organisation"]) - {""}
    assert dict(fund.roles) == rows["role"].value_counts().to_dict()


def test_stock_phrases_are_not_a_campaign():
    frame = eval_frame()
    stock = frame[frame["item"].str.match(r"z0\d|n0\d|h02|h14|t11")]
    assert len(stock) == 17
    assert find_campaigns(stock) == []


def _frame(texts, orgs=None):
    return pd.DataFrame({"summary": texts, "details": "", "organisation": orgs or [""] * len(texts),
                         "role": "Local authority leadership",
                         "submitted_at": pd.date_range("2026-10-01", periods=len(texts), freq="h")},
                        index=pd.RangeIndex(2, 2 + len(texts)))


LETTER = ("We ask the centre to require every supplier to provide open documented APIs and a complete "
          "export of our data at no extra charge, and to guarantee exit without losing history.")


def test_short_identical_agreements_are_not_a_campaign():
    assert find_campaigns(_frame(["Agree.", "Agree", "agree!", "We welcome this", "We welcome this."])) == []


def test_small_edits_still_match_and_other_letters_do_not():
    texts = [LETTER, "Dear consortium, " + LETTER, LETTER.replace("complete", "full"),
             "We ask the centre to fund analysts properly for at least five years so that authorities can plan "
             "and recruit permanent staff for their data teams."]
    found = find_campaigns(_frame(texts, ["A", "B", "C", "D"]))
    assert [c.members for c in found] == [(2, 3, 4)]
    assert found[0].organisations == ("A", "B", "C")
    assert similar("a b c d e f g h i j", "a b c d e f g h i j k") and not similar("a b c d", "w x y z")


def test_a_categorical_role_column_with_gaps_is_counted():
    """The viewer's roles are categorical (``lib.dataset.CATEGORICAL``); one left empty is not a role."""
    frame = _frame([LETTER, "Dear consortium, " + LETTER, LETTER + " Thanks."])
    frame["role"] = pd.Categorical(["Local authority leadership", None, "Local authority leadership"])
    assert find_campaigns(frame)[0].roles == (("Local authority leadership", 2),)


def test_count_once_keeps_the_earliest_of_each_campaign():
    texts = [LETTER, "Dear consortium, " + LETTER, "Something else entirely about data quality and returns here.",
             LETTER + " Thank you."]
    frame = _frame(texts)
    found = find_campaigns(frame)
    once = count_once(frame, found)
    assert once.index.tolist() == [2, 4]
    assert campaign_of(frame, found).tolist() == ["C1", "C1", "", "C1"]
    table = campaign_table(found)
    assert table.loc[0, "size"] == 3 and table.loc[0, "representative"] == 2


def test_identity_column():
    frame = _frame([LETTER, LETTER + " Thanks."]).assign(rid=["x", "y"])
    assert find_campaigns(frame, key="rid")[0].members == ("x", "y")
    assert count_once(frame, find_campaigns(frame, key="rid"), key="rid")["rid"].tolist() == ["x"]


def test_campaign_responses_are_its_members_once_each():
    frame = _frame([LETTER, "Something else entirely about data quality and returns here.", LETTER + " Thanks."])
    frame = pd.concat([frame, frame.iloc[[2]]]).assign(rid=["x", "z", "y", "y"])   # y read twice
    rows = campaign_responses(frame, find_campaigns(frame.iloc[:3], key="rid"), "rid")
    assert rows.index.tolist() == ["x", "y"] and rows["summary"].tolist() == [LETTER, LETTER + " Thanks."]
