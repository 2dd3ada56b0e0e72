"""The comments explorer's logic: rows, links, search, highlighting, the table and download frames."""

import csv
import dataclasses
import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from lib import comments as cm
from lib.exports import CUT_MARKER, EXCEL_CELL_LIMIT, to_csv_bytes, to_xlsx_bytes
from lib.filters import Filters
from lib.pages_meta import SiteMeta
from lib.privacy import PERSONAL_COLUMNS, apply_policy
from lib.safe_text import JOINER, escape_markdown
from tests.conftest import LIVE, fb_row, survey_row

OWASP = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "  =1+1", '=1+2";=1+2']
DAY = dt.datetime(2026, 10, 1, 9, 0)


def at(hours: float) -> dt.datetime:
    return DAY + dt.timedelta(hours=hours)


# -- search ------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "terms"), [
    ("", []),
    ("   ", []),
    ("funding", ["funding"]),
    ("Funding  models", ["Funding", "models"]),
    ('"host authority" funding', ["host authority", "funding"]),
    ("“host   authority”", ["host authority"]),           # curly quotes, whitespace collapsed
    ('data "shared rule', ["data", "shared rule"]),      # an unclosed quote runs to the end
    ("data DATA Data", ["data"]),                          # repeats (any case) once
    ('""', []),
])
def test_parse_query(query, terms):
    assert cm.parse_query(query) == terms


def frame_of(*pairs) -> pd.DataFrame:
    return pd.DataFrame({"summary": [s for s, _ in pairs], "details": [d for _, d in pairs]})


TEXTS = frame_of(
    ("Funding worries", "The host authority's priorities would dominate."),
    ("Host it nationally", "Funding should come from the centre, not an authority."),
    ("Nothing about money", "We like the data tool collaboration."),
    ("Line breaks", "host\n   authority split over lines"),
    ("Curly", "The host authority’s view"),
)


def found(query: str) -> list[str]:
    return list(cm.search(TEXTS, query)["summary"])


def test_search_is_case_insensitive():
    assert found("FUNDING") == found("funding") == ["Funding worries", "Host it nationally"]


def test_every_word_must_match_in_summary_or_details():
    # "host" is in the summary of one row and the details of others; "funding" in either
    assert found("host funding") == ["Funding worries", "Host it nationally"]
    assert found("funding money") == []
    assert found("collaboration data") == ["Nothing about money"]


def test_a_quoted_phrase_matches_as_written():
    # the words of "host authority" appear in row 2 too, but not together
    assert found("host authority") == ["Funding worries", "Host it nationally", "Line breaks", "Curly"]
    assert found('"host authority"') == ["Funding worries", "Line breaks", "Curly"]
    assert found('"authority host"') == []


def test_apostrophe_styles_match_each_other():
    assert found("authority's") == ["Funding worries", "Curly"]
    assert found("authority’s") == ["Funding worries", "Curly"]


def test_a_phrase_does_not_run_from_summary_into_details():
    frame = frame_of(("money", "matters"), ("money matters", ""))
    assert list(cm.search(frame, '"money matters"')["summary"]) == ["money matters"]


def test_no_query_keeps_every_row():
    assert cm.search(TEXTS, "  ").equals(TEXTS)


def test_special_characters_are_searched_literally():
    frame = frame_of(("a (b) c", "x.y*"), ("abc", "xzy"))
    assert list(cm.search(frame, "(b)")["summary"]) == ["a (b) c"]
    assert list(cm.search(frame, "x.y*")["summary"]) == ["a (b) c"]


# -- highlighting --------------------------------------------------------------------------

DIRECTIVE = re.compile(re.escape(cm.HIGHLIGHT.split("[")[0]) + r"\[((?:\\.|[^\\\]])*)\]")
MD_SPECIALS = set("\\`*_{}[]()#+-.!|<>~$:=\"'&")


def marked(md: str) -> list[str]:
    """The highlighted pieces, unescaped."""
    return [re.sub(r"\\(.)", r"\1", m) for m in DIRECTIVE.findall(md)]


def literal(md: str) -> str:
    """What the Markdown shows: directives and escapes removed, hard breaks as newlines."""
    text = DIRECTIVE.sub(lambda m: m.group(1), md).replace("  \n", "\n")
    return re.sub(r"\\(.)", r"\1", text).replace(JOINER, "")   # the joiner is invisible


def assert_inert(md: str) -> None:
    """Outside the highlight directives, every Markdown/HTML special is backslash-escaped."""
    body = DIRECTIVE.sub(lambda m: m.group(1), md)
    i = 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        assert body[i] not in MD_SPECIALS, (body[i], body[max(0, i - 20):i + 20])
        i += 1


def test_highlight_marks_every_match_keeping_its_case():
    md = cm.highlight("Funding, funding and FUNDING models", "funding")
    assert marked(md) == ["Funding", "funding", "FUNDING"]
    assert literal(md) == "Funding, funding and FUNDING models"


def test_highlight_marks_phrases_and_merges_overlaps():
    md = cm.highlight("the host authority hosts", '"host authority" authority')
    assert marked(md) == ["host authority"]
    md = cm.highlight("abcdef", "abcd cdef")
    assert marked(md) == ["abcdef"]


def test_highlight_without_query_is_the_escaped_text():
    assert cm.highlight("Plain *text*", "") == escape_markdown("Plain *text*")
    assert marked(cm.highlight("nothing here", "absent")) == []


AWKWARD = ('<script>alert(1)</script> <b>bold</b> **strong** _em_ [link](javascript:alert(1)) '
           ':red[red] :material/home: $x^2$ # not a heading `code` ~~strike~~ | a | b | '
           '<img src=x onerror=alert(1)> &amp; \\ 1. list =SUM(A1) www.example.org 👍 مرحبا')


@pytest.mark.parametrize("query", ["", "bold", "script", '"a | b"', "alert(1)", "👍", "&amp;"])
def test_markdown_and_html_in_user_text_come_out_inert(query):
    md = cm.highlight(AWKWARD, query)
    assert_inert(md)
    assert literal(md) == AWKWARD
    for term in cm.parse_query(query):
        assert term in marked(md)


def test_highlight_keeps_line_breaks_and_drops_indentation():
    text = "First line\n    indented would be code\n\n- not a list\n\t=1+1"
    md = cm.highlight(text, '"line indented"')
    assert literal(md) == "First line\nindented would be code\n\n- not a list\n=1+1"
    assert marked(md) == ["line", "indented"]            # a phrase over a line break, marked per line
    assert_inert(md)


def test_preview_cuts_long_text_on_a_word():
    long = "word " * 100
    short = cm.preview(long, 40)
    assert short.endswith("…") and len(short) <= 41 and " ".join(long.split()).startswith(short[:-1])
    assert cm.preview("a\n\nb  c") == "a b c"


# -- the rows -----------------------------------------------------------------------------


@pytest.fixture
def data(build):
    feedback = [
        fb_row(when=at(1), page="how-our-system-works/", summary="Oldest on a page", org="Wexley Council",
               email="ann@wexley.example"),
        fb_row(when=at(3), page="javascript:alert(1)", summary="Posted from a strange URL", org="wexley  council",
               email="bob@wexley.example"),
        fb_row(when=at(2), page="https://evil.example/centre-of-excellence/models-for-delivery/",
               summary="Other host, known page", nature="I’m enthusiastic about this", org="Ofsted"),
        fb_row(when="not a time", summary="No readable time", org=""),
        fb_row(when=at(4), summary="Spam row", hp="x"),
    ]
    survey = [
        survey_row(when=at(5), comments="Survey: please publish the results", section="General",
                   org="Wexley Council", email="cat@wexley.example"),
        survey_row(when=at(6), comments="   ", org="Ofsted"),       # no comment: not a row here
    ]
    return build(feedback, survey)


def viewer(ds, may_see_email=False):
    return apply_policy(ds, may_see_email=may_see_email)


def test_rows_are_newest_first_with_unreadable_times_last(data):
    ds = viewer(data)
    rows = cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.FEEDBACK)
    assert list(rows["summary"]) == ["Posted from a strange URL", "Other host, known page", "Oldest on a page",
                                     "No readable time"]
    assert list(rows["sheet_row"]) == [3, 4, 2, 5]


def test_links_come_from_the_site_metadata_never_the_posted_url(data):
    ds = viewer(data)
    rows = cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.FEEDBACK).set_index("summary")
    assert rows.loc["Oldest on a page", "page_link"] == LIVE + "how-our-system-works/"
    assert rows.loc["Other host, known page", "page_link"] == LIVE + "models-for-delivery/"
    assert rows.loc["Posted from a strange URL", "page_link"] is None
    assert rows.loc["Posted from a strange URL", "page"] == "(unknown)"
    assert not any("evil" in str(v) or "javascript" in str(v) for v in rows["page_link"])


@pytest.mark.parametrize("site_url", ["javascript:alert(1)//", "data:text/html,x", "", "/relative/"])
def test_no_link_without_an_http_site_address(data, site_url):
    ds = viewer(data)
    site = SiteMeta(ds.site.pages, site_url)
    rows = cm.comments(ds.feedback, ds.survey, site, Filters(), cm.FEEDBACK)
    assert rows["page_link"].isna().all()
    assert cm.page_link("https://host.example/base/", "/a b/") == "https://host.example/base/a%20b/"


def test_survey_rows_are_the_comments_and_ignore_page_filters(data):
    ds = viewer(data)
    only_page = Filters(pages=("/how-our-system-works/",))
    survey = cm.comments(ds.feedback, ds.survey, ds.site, only_page, cm.SURVEY)
    assert list(survey["details"]) == ["Survey: please publish the results"]
    assert list(survey["source"]) == ["Survey"] and list(survey["section"]) == ["General"]
    both = cm.comments(ds.feedback, ds.survey, ds.site, only_page, cm.BOTH)
    assert list(both["source"]) == ["Survey", "Page feedback", "Page feedback"]
    assert list(both["summary"]) == ["", "Oldest on a page", "No readable time"]
    # the filters that apply to both still apply to the survey
    group = Filters(organisations=("Ofsted",))
    assert cm.comments(ds.feedback, ds.survey, ds.site, group, cm.SURVEY).empty
    with pytest.raises(ValueError):
        cm.comments(ds.feedback, ds.survey, ds.site, Filters(), "Everything")


def test_spam_is_left_out_unless_included(data):
    ds = viewer(data)
    assert "Spam row" not in set(cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.FEEDBACK)["summary"])
    spam = cm.comments(ds.feedback, ds.survey, ds.site, Filters(include_spam=True), cm.FEEDBACK)
    assert "Spam row" in set(spam["summary"])


def test_email_is_absent_from_the_table_detail_and_download_frames(data):
    ds = viewer(data)
    rows = cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.BOTH)
    for frame in (rows, cm.table_frame(rows, cm.BOTH, ds.consultation), cm.export_frame(rows, cm.BOTH)):
        assert not {"email", "E-mail", *PERSONAL_COLUMNS} & set(frame.columns)
        assert not frame.astype(str).apply(lambda col: col.str.contains("@wexley.example")).any().any()
    assert cm.personal_columns(rows.iloc[0]) == []
    csv_text = to_csv_bytes(cm.export_frame(rows, cm.BOTH)).decode("utf-8-sig")
    assert "wexley.example" not in csv_text and "mail" not in csv_text.splitlines()[0].lower()


def test_a_permitted_viewer_gets_the_column_the_policy_keeps(data):
    ds = viewer(data, may_see_email=True)
    rows = cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.FEEDBACK)
    assert "E-mail" in cm.export_frame(rows, cm.FEEDBACK).columns
    assert "ann@wexley.example" in set(rows["email"])


def test_table_frame_shows_previews_and_short_reactions(data):
    ds = viewer(data)
    rows = cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.FEEDBACK)
    rows.loc[0, "details"] = "long " * 100
    table = cm.table_frame(rows, cm.FEEDBACK, ds.consultation)
    assert list(table.columns) == ["Submitted", "Page", "Link", "Section", "Role", "Reaction", "Summary",
                                   "Details", "Organisation"]
    assert table.loc[0, "Details"] == cm.preview(rows.loc[0, "details"])
    assert table.loc[1, "Reaction"] == "Enthusiastic"
    survey = cm.table_frame(rows, cm.SURVEY, ds.consultation)
    assert {"Page", "Link", "Reaction", "Summary", "Source"}.isdisjoint(survey.columns)
    assert "Source" in cm.table_frame(rows, cm.BOTH, ds.consultation).columns


def test_same_organisation_ignores_case_and_spacing_and_leaves_out_the_row(data):
    ds = viewer(data)
    pool = cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.BOTH)
    first = pool[pool["summary"] == "Oldest on a page"].iloc[0]
    others = cm.same_organisation(pool, first)
    assert sorted(others["sheet_row"]) == [2, 3]          # survey row 2 and feedback row 3
    assert set(others["source"]) == {"Survey", "Page feedback"}
    blank = pool[pool["summary"] == "No readable time"].iloc[0]
    assert cm.same_organisation(pool, blank).empty


def test_download_base_names_the_source_and_search():
    assert cm.download_base(cm.FEEDBACK, "") == "comments"
    assert cm.download_base(cm.BOTH, '"host authority" Funding') == "all-comments_search-host-authority-Funding"
    assert cm.download_base(cm.SURVEY, '"../.."') == "survey-comments_search"


# -- the downloads of a comments frame ------------------------------------------------------


@pytest.fixture
def awkward_rows(data):
    """The explorer's rows with awkward cells, as a hand-edited sheet may hold them."""
    ds = viewer(data)
    rows = cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.FEEDBACK)
    rows = pd.concat([rows] * 3, ignore_index=True).iloc[:len(OWASP)].copy()
    rows["summary"] = OWASP
    rows["organisation"] = list(reversed(OWASP))
    rows["details"] = ["👍 emoji", "مرحبا بالعالم (right to left)", "Zoë: " + "z" * 50_000,
                       *["plain"] * (len(OWASP) - 3)]
    return rows


def read_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_of_comments_is_formula_safe_and_whole(awkward_rows):
    frame = cm.export_frame(awkward_rows, cm.FEEDBACK)
    records = read_csv(to_csv_bytes(frame))
    assert [r["Summary"] for r in records] == ["'" + t for t in OWASP]
    assert [r["Organisation"] for r in records] == ["'" + t for t in reversed(OWASP)]
    assert [r["Details"] for r in records][:3] == list(awkward_rows["details"][:3])   # emoji, RTL, 50k whole
    assert [int(r["Sheet row"]) for r in records] == list(awkward_rows["sheet_row"])   # numbers stay numbers
    assert not {"E-mail", "email"} & set(records[0])


def ooxml_text(value):
    """A cell's text with OOXML's ``_xHHHH_`` escapes decoded (Excel decodes them; openpyxl doesn't)."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def test_xlsx_of_comments_holds_no_formula_and_cuts_long_text(awkward_rows):
    frame = cm.export_frame(awkward_rows, cm.FEEDBACK)
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(frame, "Comments")))["Comments"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert not any(c.hyperlink for c in cells)
    values = list(ws.iter_rows(values_only=True))
    header = list(values[0])
    assert "E-mail" not in header
    summary, details, sheet_row = header.index("Summary"), header.index("Details"), header.index("Sheet row")
    assert [ooxml_text(v[summary]) for v in values[1:]] == OWASP      # stored as text, as typed
    assert values[1][details] == "👍 emoji"
    assert values[2][details] == "مرحبا بالعالم (right to left)"
    cut = values[3][details]
    assert len(cut) == EXCEL_CELL_LIMIT and cut.startswith("Zoë: zzz")
    kept = cut.index(" …")
    assert cut.endswith(CUT_MARKER.format(n=len(awkward_rows["details"].iloc[2]) - kept))
    assert [v[sheet_row] for v in values[1:]] == list(awkward_rows["sheet_row"])


def test_newest_first_is_the_stable_sort_by_time_and_sheet_row():
    """The lexsort the explorer uses gives the order of pandas' stable sort, ties, undated rows and
    repeated sheet rows (page feedback beside survey comments) included."""
    import random

    rng = random.Random(5)
    for _ in range(20):
        n = rng.randint(0, 60)
        when = pd.Series([pd.NaT if rng.random() < .2 else pd.Timestamp("2026-10-01", tz="Europe/London")
                          + pd.Timedelta(minutes=rng.randint(0, 5)) for _ in range(n)],
                         dtype="datetime64[ns, Europe/London]")
        frame = pd.DataFrame({"submitted_at": when, "sheet_row": [rng.randint(2, 8) for _ in range(n)],
                              "n": range(n)})
        expected = frame.sort_values(["submitted_at", "sheet_row"], ascending=[False, False], na_position="last",
                                     kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(cm.newest_first(frame), expected)


# -- the explorer: ordered and searched on the filtered frames, rows built per page ------------


def test_explorer_rows_are_the_comments_rows_sliced(build):
    """On random small data (tied and unreadable times, blank comments, both sources, a search),
    every slice the explorer builds is the same slice of ``comments()`` and ``search()``."""
    import random

    rng = random.Random(11)
    words = ["funding", "data", "Rules", "host"]
    for _ in range(12):
        def when():
            return "not a time" if rng.random() < .15 else at(rng.randint(0, 4))

        feedback = [fb_row(when=when(), summary=f"{rng.choice(words)} {i}", details=rng.choice(["", *words]),
                           org=rng.choice(["", "Ofsted"])) for i in range(rng.randint(0, 14))]
        survey = [survey_row(when=when(), comments=rng.choice(["", "  ", *words]), section=rng.choice(["", "General"]))
                  for _ in range(rng.randint(0, 8))]
        ds = viewer(build(feedback or [fb_row()], survey))
        ds = dataclasses.replace(   # identities as the app's load adds them (the team's work hangs on them)
            ds, feedback=ds.feedback.iloc[:len(feedback)].assign(identity=lambda d: [f"f{i}" for i in range(len(d))]),
            survey=ds.survey.assign(identity=lambda d: [f"s{i}" for i in range(len(d))]))
        for source in cm.COMMENTS_SOURCES:
            full = cm.comments(ds.feedback, ds.survey, ds.site, Filters(), source)
            query = rng.choice(["", "data", "funding rules", '"host"'])
            found = cm.search(full, query)
            ex = cm.explorer(ds.feedback, ds.survey, ds.site, source).search(query)
            assert len(ex) == len(found)
            pd.testing.assert_frame_equal(ex.rows(), found, check_dtype=False)
            start = rng.randint(0, max(len(found) - 1, 0))
            stop = start + rng.randint(1, 5)
            pd.testing.assert_frame_equal(ex.rows(start, stop), found.iloc[start:stop].reset_index(drop=True),
                                          check_dtype=False)
            assert sorted(ex.identities()) == sorted(found["identity"])
            assert ex.responses() == found["identity"].nunique() and ex.responses(distinct=True) == len(found)
            if source == cm.FEEDBACK:   # a double submission shares its original's identity: one response
                same = cm.explorer(ds.feedback.assign(identity="fa"), ds.survey, ds.site, source)
                assert same.responses() == min(len(same), 1) and same.responses(distinct=True) == len(same)
            # the view's rows given as a mask on the whole frame: the explorer of the filtered frame
            keep = np.array([rng.random() < .6 for _ in range(len(ds.feedback))], dtype=bool)
            taken = cm.explorer(ds.feedback[keep], ds.survey, ds.site, source).search(query)
            masked = cm.explorer(ds.feedback, ds.survey, ds.site, source, rows=keep).search(query)
            assert len(masked) == len(taken)
            pd.testing.assert_frame_equal(masked.rows(), taken.rows())
            pd.testing.assert_frame_equal(masked.rows(start, stop), taken.rows(start, stop))
            assert sorted(masked.identities()) == sorted(taken.identities())


def test_explorer_of_an_unknown_source_is_refused(data):
    ds = viewer(data)
    with pytest.raises(ValueError, match="Unknown comments source"):
        cm.explorer(ds.feedback, ds.survey, ds.site, "Letters")
