"""Headlines in words on literal tables: welcomed pages by net score (ranked pages only), groups
not yet heard from, the last 7 days of the data on the UK calendar, the top ideas with their
intervals and the largest gap; each with its n and the view that shows it."""

import datetime as dt
import json
import math

import pytest
from scipy import stats

from lib import headlines as hl
from lib.filters import Filters, options_for
from tests.conftest import fb_row, survey_row

D = dt.datetime
ENTH, UNSURE, DIS = "I’m enthusiastic about this", "I’m unsure about this", "I disagree with this"
LA, SUPPLIER = "Local authority data professional", "Data and digital supplier/partner"
P1, P2, P3, P4 = ("imagining-a-centre-of-excellence/", "models-for-delivery/", "how-our-system-works/",
                  "appendix-1-more-on-how-our-system-works/context/")
IDQ, DTC, CTS = "Improving data quality", "Data tool collaboration", "Curating technical standards"

# page → reactions: P1 +50 (n=6), P3 +20 (n=5), P2 −40 (n=5), P4 +100 but only 2 responses (not ranked)
REACTIONS = {P1: [ENTH] * 4 + [DIS, UNSURE], P2: [ENTH, DIS, DIS, DIS, UNSURE], P3: [ENTH, ENTH, DIS, UNSURE, UNSURE],
             P4: [ENTH, ENTH]}


@pytest.fixture
def pages_ds(build):
    rows, k = [], 0
    for page, natures in REACTIONS.items():
        for nature in natures:
            role = SUPPLIER if k % 3 == 0 else LA
            rows.append(fb_row(when=D(2026, 10, 1, 9) + dt.timedelta(minutes=k), page=page, nature=nature, role=role,
                               summary=f"response {k}"))
            k += 1
    return build(rows)


def label(ds, page):
    return ds.pages.set_index("path").at["/" + page, "label"]


def test_most_and_least_welcomed_pages_are_ranked_pages_only(pages_ds):
    ds = pages_ds
    heads = hl.page_headlines(ds, Filters())
    most, least = heads[0], heads[1]
    assert (most.lead, most.text, most.n) == (
        "Most welcomed", f"{label(ds, P1)} (+50, n=6) and {label(ds, P3)} (+20, n=5)", 11)
    assert (least.lead, least.text, least.n) == ("Least welcomed", f"{label(ds, P2)} (−40, n=5)", 5)
    assert label(ds, P4) not in most.text + least.text        # +100 from 2 responses is a small number
    assert (most.link.page, most.link.anchor) == ("reactions", "net-score")


def test_the_reaction_filter_does_not_change_the_net_score(pages_ds):
    ds = pages_ds
    assert hl.page_headlines(ds, Filters(reactions=(DIS,)))[0] == hl.page_headlines(ds, Filters())[0]


def test_no_page_with_five_responses_says_so(build):
    ds = build([fb_row(page=P1, nature=ENTH, summary=f"r{i}", when=D(2026, 10, 1, 9, i)) for i in range(4)])
    (head, *_) = hl.page_headlines(ds, Filters())
    assert head.text == "no page has 5 or more responses under these filters yet" and head.n == 0


def test_groups_not_yet_heard_from_then_the_group_heard_on_fewest_pages(pages_ds, build):
    ds = pages_ds
    unheard = hl.page_headlines(ds, Filters())[-1]
    assert unheard.text == ("Central government, Other public sector and People with lived or no experience of "
                            "social care: no responses under these filters")
    assert unheard.n == 18 and (unheard.link.page, unheard.link.anchor) == ("reactions", "missing-voices")
    # every group heard: the one heard on the fewest pages (of the 25 with a form), with its responses
    roles = ["Local authority leadership", "Central government leadership", "Other public sector professional role",
             "Data and digital consultant",
             "Person (with current or previous social care involvement as a service user)"]
    rows = [fb_row(page=page, role=role, summary=f"{page}{role}", when=D(2026, 10, 2, 9, i))
            for i, (page, role) in enumerate([(p, r) for p in (P1, P2) for r in roles] + [(P3, roles[0])])]
    heard = hl.page_headlines(build(rows), Filters())[-1]
    assert heard.text == ("every role group has responded; fewest pages: Central government, Other public sector, "
                          "Private sector and People with lived or no experience of social care, on 2 of 25 pages "
                          "(8 responses)")
    one = hl.page_headlines(build(rows), Filters(role_groups=("Local authority",)))[-1]
    assert (one.lead, one.text) == ("Heard from", "Local authority, on 3 of 25 pages (3 responses)")


def test_the_last_7_days_end_on_the_data_s_last_day_by_the_uk_calendar(build):
    times = [
        "2026-10-25T12:00:00Z",   # the last response: Sunday 25 October (GMT)
        "2026-10-18T23:30:00Z",   # 00:30 BST on Monday 19 October: inside the 7 days
        "2026-10-18T22:30:00Z",   # 23:30 BST on Sunday 18 October: the 7 days before
        "2026-10-12T09:00:00Z",   # Monday 12 October: the 7 days before
        "2026-10-11T09:00:00Z",   # earlier still: neither
    ]
    rows = [fb_row(when=t, page=P1 if i < 2 else P2, summary=f"r{i}") for i, t in enumerate(times)]
    ds = build(rows)
    opts = options_for(ds)
    head = hl.recent_feedback(ds, Filters(), opts)
    assert opts.last_date == dt.date(2026, 10, 25)
    assert head.text == ("2 page responses in the 7 days to 25/10/2026 (the data's last day), against 2 in the 7 "
                         f"days before; most on {label(ds, P1)} (2)")
    assert head.n == 2
    assert head.link.page == "comments" and head.link.params == {"dates": ("2026-10-19", "2026-10-25")}
    # a chosen end date moves the window; the 7 days before it count even outside the chosen dates
    chosen = hl.recent_feedback(ds, Filters(date_from=dt.date(2026, 10, 14), date_to=dt.date(2026, 10, 18)), opts)
    assert chosen.text.startswith("2 page responses in the 7 days to 18/10/2026 (the last day of the chosen dates), "
                                  "against 1 in the 7 days before")


def scores(idea_scores: dict[str, list[int]]) -> str:
    return json.dumps(idea_scores)


@pytest.fixture
def survey_ds(build):
    use = {IDQ: [5, 5, 4, 4, 5, 5], DTC: [3, 3, 4, 3, 3, 3], CTS: [5, 5, 5]}   # CTS: 3 scores, too few to rank
    like = {IDQ: [2, 2, 2, 3, 2, 2], DTC: [3, 3, 3, 3, 3, 2], CTS: [1, 1, 1]}
    rows = []
    for i in range(6):
        u = {idea: s[i] for idea, s in use.items() if i < len(s)}
        lk = {idea: s[i] for idea, s in like.items() if i < len(s)}
        rows.append(survey_row(when=D(2026, 10, 1, 9, i), use=scores(u), like=scores(lk), comments=f"c{i}"))
    return build([], rows), use


def interval(values: list[int]) -> tuple[float, float, float]:
    """Mean and 95% t-interval, worked out here with scipy.stats."""
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def test_top_ideas_by_usefulness_with_their_interval_among_ideas_with_five_scores(survey_ds):
    ds, use = survey_ds
    top, gap = hl.idea_headlines(ds, ds.survey)
    (m1, lo1, hi1), (m2, lo2, hi2) = interval(use[IDQ]), interval(use[DTC])
    assert top.text == (f"{IDQ} {m1:.2f} of 5 (95% CI {lo1:.2f}–{hi1:.2f}, n=6) and {DTC} {m2:.2f} of 5 "
                        f"(95% CI {lo2:.2f}–{hi2:.2f}, n=6)")
    assert CTS not in top.text                                # a mean of 5 from 3 scores is not ranked
    assert (top.link.page, top.link.anchor) == ("priorities", "scores-by-idea")
    assert gap.text == f"{IDQ}: usefulness 4.67, likelihood 2.17 (gap +2.50, n=6)"
    assert (gap.link.page, gap.link.anchor) == ("priorities", "quadrant")


def test_no_idea_with_five_scores_says_so(build):
    ds = build([], [survey_row(use=scores({IDQ: 5}), like=scores({IDQ: 1}))])
    top, *rest = hl.idea_headlines(ds, ds.survey)
    assert top.text == "no idea has 5 or more scores under these filters" and top.n == 0 and rest == []
