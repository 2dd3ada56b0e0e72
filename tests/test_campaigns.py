"""Campaigns (lib.campaigns): planted letters found whole, stock phrases and short agreements not grouped."""

from __future__ import annotations

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from lib import campaigns
from lib.campaigns import (
    CampaignSettings,
    campaign_of,
    campaign_responses,
    campaign_table,
    count_once,
    find_campaigns,
    normalised_text,
    similar,
    text_groups,
)
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


def _partition(labels) -> set[frozenset[int]]:
    out: dict = {}
    for i, g in enumerate(labels):
        out.setdefault(g, set()).add(i)
    return {frozenset(m) for m in out.values()}


def _lsh_oracle(texts: list[str], s: CampaignSettings) -> set[frozenset[int]]:
    """The groups as datasketch's own LSH index finds the candidates: every pair its ``query``
    returns, confirmed by ``similar``, joined by SciPy's connected components."""
    lsh, hashes = MinHashLSH(threshold=s.lsh_threshold, num_perm=s.num_perm), []
    for i, text in enumerate(texts):
        m = MinHash(num_perm=s.num_perm, seed=s.seed)
        words = text.split()
        m.update_batch([" ".join(words[k:k + s.shingle]).encode() for k in range(max(1, len(words) - s.shingle + 1))])
        lsh.insert(i, m)
        hashes.append(m)
    edges = [(i, j) for i, m in enumerate(hashes) for j in lsh.query(m) if i < j and similar(texts[i], texts[j], s)]
    n = len(texts)
    rows, cols = zip(*edges) if edges else ((), ())
    _, labels = connected_components(coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(n, n)), directed=False)
    return _partition(labels)


OTHER = ("We ask the centre to fund analysts properly for at least five years so that authorities can plan "
         "and recruit permanent staff for their data teams.")
STOCK = "Thank you for the opportunity to respond to this consultation, we welcome this work and "


def _drifted(text: str, words: int) -> str:
    """``text`` with its first ``words`` words replaced: near drifts are similar, far ones are not,
    so groups form through chains of pairs."""
    split = text.split()
    return " ".join([f"w{k}x" for k in range(words)] + split[words:])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([LETTER, OTHER, STOCK + "ask for funding.", STOCK + "ask about exit."]),
                          st.sampled_from(["", "Dear consortium, ", "Hello. "]),
                          st.sampled_from(["", " Thanks.", " Yours, a council.", " complete"]),
                          st.integers(0, 14), st.integers(0, 3)), min_size=1, max_size=30))
def test_groups_are_those_of_datasketchs_own_lsh(parts):
    """The groups built bucket by bucket are the connected components of the pairs datasketch's
    ``MinHashLSH.query`` returns and ``similar`` confirms."""
    s = CampaignSettings()
    texts = list(dict.fromkeys(normalised_text(_drifted(f"{pre}{body}{post} {n}", drift))
                               for body, pre, post, drift, n in parts))
    assert _partition(text_groups(texts, s)) == _lsh_oracle(texts, s)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 21), min_size=2, max_size=12, unique=True), st.randoms(use_true_random=False))
def test_groups_in_a_bucket_are_the_components_of_every_similar_pair(drifts, rnd):
    """Within one bucket, in any order, the groups are the connected components of all the pairs
    ``similar`` confirms (a chain joins letters that are not alike end to end)."""
    texts = [normalised_text(_drifted(LETTER, d)) for d in drifts] + [normalised_text(OTHER)]
    order = list(range(len(texts)))
    rnd.shuffle(order)
    s = CampaignSettings()
    edges = [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts)) if similar(texts[i], texts[j], s)]
    n = len(texts)
    rows, cols = zip(*edges) if edges else ((), ())
    _, labels = connected_components(coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(n, n)), directed=False)
    assert _partition(text_groups(texts, s, [np.array(order)])) == _partition(labels)


def test_a_letter_sent_a_thousand_times_is_compared_about_a_thousand_times(monkeypatch):
    """Pairs already joined are not compared again: n copies cost O(n) comparisons, not n²/2."""
    texts = [normalised_text(f"{LETTER} ({i})") for i in range(1000)] + [normalised_text(OTHER)]
    calls = []
    real = campaigns.similar
    monkeypatch.setattr(campaigns, "similar", lambda a, b, s: calls.append(1) or real(a, b, s))
    labels = text_groups(texts, CampaignSettings())
    assert _partition(labels) == {frozenset(range(1000)), frozenset({1000})}
    assert len(calls) < 3 * len(texts)
