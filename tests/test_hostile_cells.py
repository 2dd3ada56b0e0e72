"""One hostile cell never stops the load: every per-cell parser returns a value or "bad", and
bad values are counted by kind with their sheet rows (issue 9, "Why" 1)."""

import datetime as dt
import json

import pandas as pd
import pytest

from lib.consultation import UNKNOWN_PAGE
from lib.errors import SourceError
from lib.normalise import parse_timestamps
from lib.pages_meta import PageMatcher, site_from_mkdocs, site_from_table, url_segments
from lib.survey import parse_score
from tests.conftest import LIVE, SURVEY_HEADER, fb_row, survey_row

T0 = dt.datetime(2026, 10, 1, 9, 0)
DEEP_LIST = "[" * 1000 + "]" * 1000          # valid JSON, 2 KB: json.loads raises RecursionError
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


# -- timestamps ------------------------------------------------------------------------------

OUT_OF_RANGE = [
    dt.datetime(9999, 12, 31), dt.datetime(1, 1, 1), dt.date(9999, 12, 31), dt.date(1, 1, 1),
    "9999-12-31", "0001-01-01", "9999-12-31T23:59:59Z", "31/12/9999 23:59", "01/01/0001 00:00",
    10**12, 2958465, 1e308, float("inf"), float("-inf"), float("nan"), 10**400, "9" * 400,
]


@pytest.mark.parametrize("cell", OUT_OF_RANGE, ids=lambda c: repr(c)[:30])
def test_timestamps_outside_the_representable_range_are_bad(cell):
    got = parse_timestamps(pd.Series([cell, T0], dtype=object))
    assert got.isna().tolist() == [True, False]
    assert got.iloc[1] == pd.Timestamp("2026-10-01 09:00", tz="Europe/London")


def test_rows_with_out_of_range_timestamps_are_kept_and_counted(build):
    ds = build([fb_row(when=dt.datetime(9999, 12, 31), summary="a"), fb_row(when="31/12/9999 23:59", summary="b"),
                fb_row(when=dt.datetime(1, 1, 1), summary="c"), fb_row(summary="d")])
    q = ds.feedback_quality
    assert (q.rows_read, q.kept, q.bad_timestamps) == (4, 4, 3)
    assert q.bad_values["timestamp"] == 3
    assert q.bad_rows["timestamp"] == (2, 3, 4)
    assert ds.feedback["summary"].tolist() == ["a", "b", "c", "d"]


# -- page addresses ----------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "//[", "http://[::1/x", "https://[fe80::1%en0/how-our-system-works/", "http://]/how-our-system-works/",
    LIVE + "feedback/?page=http://[::1/x",
    LIVE + "x/" * 1500 + "how-our-system-works/",   # absurdly long (over 2,048 characters)
])
def test_unparsable_page_addresses_are_unknown_pages(site, url):
    assert PageMatcher(site).match([url, LIVE + "models-for-delivery/"]) == [UNKNOWN_PAGE, "/models-for-delivery/"]


def test_url_segments_is_total():
    assert url_segments("//[") is None
    assert url_segments("http://[::1/x") is None


def test_rows_with_unparsable_addresses_are_kept_and_counted(build):
    ds = build([fb_row(page="//["), fb_row(page="http://[::1/x", summary="b"), fb_row(summary="c")])
    q = ds.feedback_quality
    assert (q.kept, q.unmatched_pages) == (3, 2)
    assert q.unmatched_urls == {"//[": 1, "http://[::1/x": 1}
    assert q.bad_rows["page"] == (2, 3)


# -- JSON and numbers in the survey -------------------------------------------------------------

@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), 1e400, 10**400, -(10**400),
                                   "1e400", "inf", "NaN", "9" * 5000, 2**64, [5], None])
def test_parse_score_is_total(value):
    assert parse_score(value) is None


@pytest.mark.parametrize("cell", [DEEP_LIST, DEEP_OBJECT, json.dumps({"Improving data quality": [[[[[5]]]]]}),
                                  json.dumps({"Improving data quality": 5, "pad": "x" * 30_000}),
                                  '{"Improving data quality": 1' + "0" * 5000 + "}",
                                  '{"Improving data quality": 1e400}', '{"Improving data quality": NaN}'])
def test_hostile_json_score_cells_are_one_bad_score(build, cell):
    good = json.dumps({"Data tool collaboration": 4})
    ds = build([], [survey_row(use=cell, like=good)])
    q = ds.survey_quality
    assert (q.rows_read, q.kept, q.bad_scores) == (1, 1, 1)
    assert q.bad_values["score"] == 1 and q.bad_rows["score"] == (2,)
    assert ds.scores[["idea", "measure", "score"]].values.tolist() == [["Data tool collaboration", "likelihood", 4]]


@pytest.mark.parametrize("cell", [DEEP_LIST, "[" + DEEP_OBJECT + "]", "x" * 30_000,
                                  json.dumps(["Curating standards: Managing processes for changes to relevant "
                                              "standards"] * 300)])
def test_hostile_activity_cells_are_one_unknown_activity(build, cell):
    ds = build([], [survey_row(activities=cell), survey_row(when=T0 + dt.timedelta(days=1),
                                                            activities="Curating standards: Managing processes "
                                                                       "for changes to relevant standards")])
    q = ds.survey_quality
    assert (q.kept, q.unknown_activities) == (2, 1)
    assert q.bad_rows["activity"] == (2,)
    assert ds.activities["response_id"].tolist() == ["S3"]


def test_non_finite_numbers_in_score_columns_are_bad_scores(build):
    header = ["Timestamp", "Role", "usefulness: Data tool collaboration", "likelihood: Data tool collaboration"]
    rows = [[T0, "Local authority leadership", float("inf"), 10**400],
            [T0 + dt.timedelta(hours=1), "Local authority leadership", "1e400", 4],
            [T0 + dt.timedelta(hours=2), "Local authority leadership", float("nan"), -float("inf")]]
    ds = build([], rows, survey_header=header)
    q = ds.survey_quality
    assert (q.kept, q.bad_scores) == (3, 4)             # NaN is an empty cell, as pandas reads one
    assert q.bad_rows["score"] == (2, 3, 4)
    assert ds.scores[["response_id", "score"]].values.tolist() == [["S3", 4]]


def test_huge_integers_anywhere_are_text_not_errors(build):
    ds = build([fb_row(summary=10**5000, org=10**400)], [survey_row(org=10**5000, comments=-(10**5000))],
               survey_header=SURVEY_HEADER)
    assert ds.feedback.iloc[0]["summary"] == "(unreadable value)"
    assert ds.feedback_quality.kept == 1 and ds.survey_quality.kept == 1


# -- the Pages tab --------------------------------------------------------------------------------

def test_pages_tab_orders_that_are_not_finite_numbers_take_the_default_and_are_counted():
    table = pd.DataFrame({"path": ["/a/", "/b/", "/c/", "/d/", "/e/", "/f/", "/g/"],
                          "title": list("ABCDEFG"),
                          "order": ["inf", "nan", "-1e309", "first", "2", "", 1e300]}, dtype=object)
    site = site_from_table(table, "https://x.org/")
    got = dict(zip(site.pages["path"], site.pages["order"]))
    # bad or blank orders fall back to the row's position; only the typed-but-unusable ones count
    assert got == {"/a/": 1, "/b/": 2, "/c/": 3, "/d/": 4, "/e/": 2, "/f/": 6, "/g/": 7}
    assert site.bad_orders == 5
    assert site.pages["order"].dtype.kind == "i"


# -- mkdocs.yml --------------------------------------------------------------------------------------

NAV = "nav:\n  - 'How': how-our-system-works.md\n"


def test_mkdocs_python_tags_are_read_as_plain_values_never_run(consultation, tmp_path):
    marker = tmp_path / "ran"
    text = (f"site_url: !!python/object/apply:os.system ['touch {marker}']\n"
            f"extra: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n" + NAV)
    site = site_from_mkdocs(text, consultation)
    assert not marker.exists()
    assert list(site.pages["path"]) == ["/how-our-system-works/"]
    assert site.site_url == consultation.site_url   # a tagged value is not an address


@pytest.mark.parametrize("nesting", [" " + "[" * 5000 + "]" * 5000, "\n  " + "- " * 3000 + "x",
                                     " " + "{a: " * 3000 + "1" + "}" * 3000])
def test_deeply_nested_mkdocs_is_a_plain_refusal(consultation, nesting):
    with pytest.raises(SourceError, match="nests lists or mappings more than 50 levels deep"):
        site_from_mkdocs(f"extra:{nesting}\n" + NAV, consultation)


def laughs(levels: int, width: int = 10, merge: bool = False) -> str:
    """A "billion laughs" document: each level repeats the previous one ``width`` times."""
    lines = ["a0: &a0 [lol]" if not merge else "a0: &a0 {lol: 1}"]
    for i in range(1, levels):
        refs = ", ".join(f"*a{i - 1}" for _ in range(width))
        lines.append(f"a{i}: &a{i} {{<<: [{refs}], k{i}: 1}}" if merge else f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + f"\nnav:\n  - 'How': how-our-system-works.md\n  - x: *a{levels - 1}\n"


@pytest.mark.parametrize("merge", [False, True], ids=["aliases", "merge keys"])
def test_billion_laughs_mkdocs_is_a_plain_refusal(consultation, merge):
    with pytest.raises(SourceError, match="more than 100,000 values once its aliases"):
        site_from_mkdocs(laughs(10, merge=merge), consultation)


def test_a_few_aliases_are_fine(consultation):
    site = site_from_mkdocs("x: &pages\n  - 'How': how-our-system-works.md\nnav: *pages\n", consultation)
    assert list(site.pages["path"]) == ["/how-our-system-works/"]


def test_mkdocs_nav_without_markdown_pages_is_a_plain_error(consultation):
    with pytest.raises(SourceError, match="names no Markdown pages"):
        site_from_mkdocs("nav:\n  - GitHub: https://github.com/x/y\n  - [1, 2]\n  - {3: 4}\n", consultation)


# -- bounded JSON, checked before parsing ------------------------------------------------------------

@pytest.mark.parametrize("text, depth", [
    ("", 0), ("[]", 1), ('{"a": [1, {"b": []}]}', 4), ('{"a [[[[[[": "]]]]"}', 1), ('["\\"[[[["]', 1),
    ("[" * 1000 + "]" * 1000, 1000), ("x [y] z", 1),
])
def test_json_depth_ignores_brackets_inside_strings(text, depth):
    from lib.cells import json_depth

    assert json_depth(text) == depth


def test_load_json_refuses_deep_or_long_text_without_parsing_it():
    from lib.cells import load_json
    from lib.limits import Limits

    assert load_json('{"a": [1, 2]}') == {"a": [1, 2]}
    assert load_json("[" * 5 + "]" * 5) is None                    # deeper than 4
    assert load_json("[" * 100_000 + "]" * 100_000) is None        # would raise RecursionError in json.loads
    assert load_json('["' + "x" * 30_000 + '"]') is None           # longer than 20,000 characters
    assert load_json("[[[]]]", Limits(max_json_depth=2)) is None
    assert load_json("not json") is None


def test_blank_text_is_is_blank_on_every_character():
    """The vectorised column check (pyarrow's trim) sees blanks exactly as ``is_blank`` (Python's
    ``str.isspace``) does, for every character alone, repeated, and beside a letter."""
    import pandas as pd

    from lib.cells import blank_text, is_blank

    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000]
    cells = chars + [c * 3 for c in chars[:0x3001]] + [f"{c}a{c}" for c in chars[:0x3001]] + ["", None]
    got = blank_text(pd.Series(cells, dtype="str"))
    assert got.tolist() == [is_blank(c) for c in cells]
