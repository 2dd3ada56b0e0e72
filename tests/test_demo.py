"""The embedded demo: reproducible, and the dashboard shows what the generator says it planted.

The oracle is ``lib/data/demo_manifest.json``, the generator's own tally of the oddities and the story it
planted, counted from its rows (never from the dashboard's code). No test reads the generator's source.
"""

import hashlib
import json
import subprocess
import sys

import pandas as pd
import pytest

from lib import reactions as rx
from lib.consultation import UNKNOWN_PAGE
from lib.filters import Filters, apply_feedback
from lib.settings import Settings, load_dataset
from lib.summary import summarise
from tests.conftest import PROJECT

MANIFEST = json.loads((PROJECT / "lib/data/demo_manifest.json").read_text(encoding="utf-8"))
STORY = MANIFEST["story"]


def tag_total(table: str, prefix: str) -> int:
    return sum(n for tag, n in MANIFEST[table]["tags"].items() if tag.startswith(prefix))


def slug(path: str) -> str:
    """The last part of a page path, however the path is written (``/a/b/`` or ``a/b/``)."""
    return path.strip("/").rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def summary(ds):
    """What ``python -m lib summary`` prints for the demo (the command itself: tests/test_summary_cli.py)."""
    return json.loads(json.dumps(summarise(ds)))


@pytest.fixture(scope="module")
def ds():
    return load_dataset(Settings())


@pytest.fixture(scope="module")
def view(ds):
    """The Reactions page's inputs with no filter: kept feedback and the site's pages in view."""
    fb = apply_feedback(ds.feedback, Filters())
    return fb, rx.real_pages(rx.page_rows(ds.site, ds.feedback, Filters()))


# -- the summary against the generator's tally --------------------------------------------------------


def test_demo_feedback_counts_match_the_generator(summary):
    fb = summary["feedback"]
    rows, spam, dups = MANIFEST["Feedback"]["rows"], tag_total("Feedback", "spam"), tag_total("Feedback", "double")
    assert (fb["rows_read"], fb["spam"], fb["duplicates"], fb["kept"]) == (rows, spam, dups, rows - spam - dups)
    assert fb["bad_timestamps"] == tag_total("Feedback", "timestamp: garbage")
    assert fb["by_reaction"]["Unrecognised"] == tag_total("Feedback", "nature: unrecognised")
    by_page = {slug(p): n for p, n in fb["by_page"].items() if p != UNKNOWN_PAGE}
    assert by_page == {slug(p): n for p, n in STORY["responses_by_page"].items()}
    assert fb["by_page"][UNKNOWN_PAGE] == fb["unmatched_pages"] == tag_total("Feedback", "page: unknown page")
    by_role = {role: n for role, n in fb["by_role"].items() if role != "Unrecognised"}
    assert by_role == {role: v["responses"] for role, v in STORY["by_role"].items()}
    assert fb["by_role"]["Unrecognised"] == tag_total("Feedback", "role: unrecognised")
    assert sum(fb["by_page"].values()) == sum(fb["by_reaction"].values()) == sum(fb["by_role"].values()) == fb["kept"]


def test_demo_survey_counts_match_the_generator(summary, ds):
    sv = summary["survey"]
    rows, spam, dups = (MANIFEST["MainFeedback"]["rows"], tag_total("MainFeedback", "spam"),
                        tag_total("MainFeedback", "double"))
    assert (sv["rows_read"], sv["spam"], sv["duplicates"], sv["kept"]) == (rows, spam, dups, rows - spam - dups)
    assert ds.survey_quality.bad_scores == tag_total("MainFeedback", "score:")
    assert ds.survey_quality.unknown_activities == tag_total("MainFeedback", "activities: unknown fragment")
    assert all(v["n"] > 0 for v in sv["usefulness"].values())


def test_demo_spans_five_to_six_weeks(ds):
    when = ds.feedback["submitted_at"].dropna()
    assert 5 * 7 <= (when.max() - when.min()).days + 1 <= 6 * 7


# -- the Reactions page's functions against the story the generator planted -----------------------------


def test_net_score_ranking_is_the_planted_one(ds, view):
    fb, pages = view
    scores = rx.net_scores(fb, pages, rx.PAGE, ds.consultation, min_n=STORY["net_score_ranking"]["ranked_from"])
    ranked = scores[scores["rank"].notna()]
    got = {slug(page): score for page, score in zip(ranked["key"], ranked["score"])}
    assert got == pytest.approx({slug(p): s for p, s in STORY["net_score_ranking"]["scores"].items()}, abs=0.051)


def test_reactions_by_role_are_the_planted_ones(ds, view):
    fb, _ = view
    c = ds.consultation
    table = rx.reaction_table(fb, rx.role_rows(c, fb, Filters()), rx.ROLE,
                              [c.positive_reaction, c.negative_reaction])
    shares = table.shares()
    for role, expected in STORY["by_role"].items():
        got = (shares.at[role, c.positive_reaction], shares.at[role, c.negative_reaction])
        assert got == pytest.approx((expected["enthusiastic_pct"], expected["disagree_pct"]), abs=0.051), role


def test_missing_voices_are_the_planted_ones(ds, view):
    fb, pages = view
    c = ds.consultation
    gaps = rx.coverage_gaps(fb, pages, list(c.role_group_labels))
    for group, expected in STORY["not_heard_from"].items():
        assert [slug(k) for k, missing in zip(gaps["key"], gaps["missing"]) if group in missing] == \
            [slug(p) for p in expected], group


def test_disagree_shares_on_the_market_pages_are_the_planted_ones(ds, view):
    fb, pages = view
    c, market = ds.consultation, STORY["disagree_pct_on_market_pages"]
    groups = list(next(iter(market.values())))
    heat = rx.heat(fb, pages, rx.ROLE_GROUP, groups, c.negative_reaction, c).value.rename(index=slug)
    for page, shares in market.items():
        row = heat.loc[slug(page), groups]
        assert [None if pd.isna(v) else pytest.approx(v, abs=0.051) for v in row] == list(shares.values()), page


# -- the README's two-click answers against the manifest -------------------------------------------------

# README.md, "Reactions: how people reacted, and who hasn't been heard": the facts its table states (figures
# rounded to whole numbers there). If the demo's story changes, the manifest tells which of them moved.
README_TOP = {"supporting-professional-development": 63, "data-tool-collaboration": 58, "improving-data-quality": 53}
README_LAST = {"discovering-what-works": -20}
README_BOTTOM = {"advocacy-across-internal-hierarchies", "models-for-delivery", "influencing-technology-markets",
                 "discovering-what-works"}
README_BY_ROLE = {  # role: (% enthusiastic, % disagree)
    "Local authority data professional": (39, 9),
    "Data and digital supplier/partner": (29, 14),
    "Data and digital consultant": (26, 18),
}
README_PRIVATE_DISAGREES_WITH_HALF_OR_MORE = {"models-for-delivery", "influencing-technology-markets"}
README_WITHOUT_FEEDBACK = {"cost", "curating-technical-standards", "appendix-4-reference-projects"}
README_CENTRAL_GOVERNMENT_UNHEARD = {
    "status", "quality", "advocacy-across-internal-hierarchies", "supporting-professional-development",
    "helping-leadership-to-expect-excellence", "discovering-what-works", "appendix-3-more-on-models-for-delivery",
} | README_WITHOUT_FEEDBACK


def test_readme_two_click_answers_hold_on_the_demo():
    ranking = {slug(p): score for p, score in STORY["net_score_ranking"]["scores"].items()}
    order = list(ranking)
    assert order[:3] == list(README_TOP)
    assert order[-1:] == list(README_LAST) and set(order[-4:]) == README_BOTTOM
    assert all(abs(ranking[page] - score) <= 0.5 for page, score in {**README_TOP, **README_LAST}.items())
    for role, (enthusiastic, disagree) in README_BY_ROLE.items():
        facts = STORY["by_role"][role]
        assert abs(facts["enthusiastic_pct"] - enthusiastic) <= 0.5 and abs(facts["disagree_pct"] - disagree) <= 0.5
    disagree = {slug(p): shares["Private sector"] for p, shares in STORY["disagree_pct_on_market_pages"].items()}
    assert all(disagree[page] >= 50 for page in README_PRIVATE_DISAGREES_WITH_HALF_OR_MORE)
    assert {slug(p) for p, n in STORY["responses_by_page"].items() if n == 0} == README_WITHOUT_FEEDBACK
    assert {slug(p) for p in STORY["not_heard_from"]["Central government"]} == README_CENTRAL_GOVERNMENT_UNHEARD


def test_readme_states_the_figures_checked_above():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reactions", 1)[1].split("\n## ", 1)[0]
    figures = [f"(+{n})" for n in README_TOP.values()] + [f"(−{-n})" for n in README_LAST.values()]
    figures += [f"{e} % / {d} %" for e, d in list(README_BY_ROLE.values())[1:]]
    figures.append("{} % enthusiastic / {} % disagree".format(*README_BY_ROLE["Local authority data professional"]))
    assert [f for f in figures if f not in section] == []


# -- reproducible --------------------------------------------------------------------------------------


def test_generator_is_deterministic(tmp_path):
    """Running the generator again reproduces the committed workbook byte for byte, and its manifest."""
    committed = hashlib.sha256((PROJECT / "lib/data/demo.xlsx").read_bytes()).hexdigest()
    subprocess.run([sys.executable, "scripts/make_demo.py", "--out", str(tmp_path)], check=True,
                   capture_output=True, cwd=PROJECT, timeout=120)
    assert hashlib.sha256((tmp_path / "demo.xlsx").read_bytes()).hexdigest() == committed
    manifest = json.loads((tmp_path / "demo_manifest.json").read_text(encoding="utf-8"))
    assert manifest == MANIFEST
