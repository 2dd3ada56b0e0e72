"""Themes and campaigns on the embedded demo, against the generator's manifest (``lib/data/demo_manifest.json``,
the generator's own record of the campaigns it planted and of what counting each once does to the net
scores): ``python -m lib themes`` keeps the issue's JSON shape and finds the planted campaigns, and
"Count each campaign once" gives the manifest's net scores. The README's figures are checked too."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from lib import reactions as rx
from lib.campaigns import find_campaigns
from lib.dataset import kept
from lib.filters import Filters, apply_feedback
from lib.identity import IDENTITY, with_identities
from lib.settings import Settings, load_dataset
from tests.conftest import PROJECT

MANIFEST = json.loads((PROJECT / "lib/data/demo_manifest.json").read_text(encoding="utf-8"))
PLANTED = {frozenset(map(str, c["rows"])) for c in MANIFEST["Feedback"]["campaigns"]}
RESENDS = {frozenset(map(str, pair)) for pair in MANIFEST["Feedback"]["resends"]}


@pytest.fixture(scope="module")
def headless():
    out = subprocess.run([sys.executable, "-m", "lib", "themes"], cwd=PROJECT, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"}, timeout=300, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def ds():
    return with_identities(load_dataset(Settings()))


def test_the_headless_json_keeps_its_shape_on_the_demo(headless, ds):
    assert set(headless) == {"themes", "labels", "campaigns"}
    rows = {str(r) for r in kept(ds.feedback).index}
    assert set(headless["themes"]) == rows
    assert set(headless["themes"].values()) - {"Unthemed"} == set(headless["labels"])
    assert all(isinstance(t, str) and isinstance(label, str) and label for t, label in headless["labels"].items())
    assert all(isinstance(c, list) and all(isinstance(r, str) for r in c) for c in headless["campaigns"])


def test_the_planted_campaigns_are_found_and_nothing_else_but_resends(headless):
    found = {frozenset(c) for c in headless["campaigns"]}
    assert found >= PLANTED
    assert found - PLANTED <= RESENDS


def test_counting_each_campaign_once_gives_the_planted_net_scores(ds):
    frame = kept(ds.feedback).drop_duplicates(IDENTITY)
    once = {m: c.id for c in find_campaigns(frame, key=IDENTITY) for m in c.members}
    campaigns = pd.Series(once, dtype=object)
    for f, which in ((Filters(), "net_score"), (Filters(count_once=True), "net_score_counting_campaigns_once")):
        fb = apply_feedback(ds.feedback, f, campaigns=campaigns)
        scores = rx.net_scores(fb, rx.real_pages(rx.page_rows(ds.site, ds.feedback, f)), rx.PAGE, ds.consultation)
        got = dict(zip(scores["key"], scores["score"]))
        for page, facts in MANIFEST["story"]["campaign_pages"].items():
            assert got[page] == pytest.approx(facts[which], abs=0.051), (page, which)


# README.md, "Themes and campaigns": the campaign figures it states (net scores rounded to whole numbers).
README_CAMPAIGNS = {"core-funding-letter": 8, "supplier-forum-letter": 6, "care-leavers-letter": 5}
README_ONCE = {"/models-for-delivery/": (-15, -11),
               "/appendix-2-more-on-possible-mechanisms-for-change/influencing-technology-markets/": (-14, -9)}


def test_readme_campaign_figures_are_the_planted_ones():
    sizes = {c["id"]: len(c["rows"]) for c in MANIFEST["Feedback"]["campaigns"]}
    assert sizes == README_CAMPAIGNS
    pages = MANIFEST["story"]["campaign_pages"]
    for page, (everyone, once) in README_ONCE.items():
        assert abs(pages[page]["net_score"] - everyone) <= 0.5
        assert abs(pages[page]["net_score_counting_campaigns_once"] - once) <= 0.5
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Themes and campaigns", 1)[1].split("\n## ", 1)[0]
    figures = ["from −15 to −11", "from −14 to −9", "8 councils", "6 suppliers", "5 care-experienced people"]
    assert [f for f in figures if f not in section] == []
