""""You said, we did": the table in site order and its exports, read back from the files."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser

import markdown
import pandas as pd
import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.identity import IDENTITY, with_identities
from lib.store.said_did import ENTRY_COLUMNS
from lib.triage import join_triage
from lib.you_said import (
    PAGE,
    THEME,
    escape_mkdocs,
    responses_for,
    said_did_table,
    to_csv,
    to_docx_bytes,
    to_markdown,
)
from tests.conftest import fb_row

SITE = "The D2I Consortium: Imagining a Centre of Excellence"
DAY = dt.date(2026, 11, 12)
HOSTILE = ('<script>alert(1)</script> --8<-- "secret.txt" {{ config.site_name }} [link](javascript:x) '
           "==mark== :smile: $x$ | a | \\(y\\) !!! note")
#: The extensions MkDocs Material sites commonly turn on (typographic ones aside).
EXTENSIONS = ["admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "abbr", "toc",
              "pymdownx.details", "pymdownx.superfences", "pymdownx.tilde", "pymdownx.caret", "pymdownx.mark",
              "pymdownx.keys", "pymdownx.critic", "pymdownx.emoji", "pymdownx.magiclink", "pymdownx.tasklist",
              "pymdownx.arithmatex", "pymdownx.betterem", "pymdownx.inlinehilite", "pymdownx.snippets",
              "pymdownx.highlight"]


class Html(HTMLParser):
    """Tags in order, and per tag name the text of each such element (its descendants' included)."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.open: list[tuple[str, int]] = []
        self.texts: dict[str, list[str]] = {}
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.texts.setdefault(tag, []).append("")
        self.open.append((tag, len(self.texts[tag]) - 1))

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag:
            self.open.pop()

    def handle_data(self, data):
        for tag, i in self.open:
            self.texts[tag][i] += data


@pytest.fixture
def render(tmp_path):
    (tmp_path / "secret.txt").write_text("TOPSECRET")
    config = {"pymdownx.snippets": {"base_path": [str(tmp_path)], "check_paths": False}}

    def _render(source: str) -> Html:
        return Html(markdown.markdown(source, extensions=EXTENSIONS, extension_configs=config))
    return _render


def entries(rows):
    frame = pd.DataFrame(rows, columns=ENTRY_COLUMNS)
    frame["updated_at"] = pd.to_datetime(frame["updated_at"], utc=True)
    return frame


def entry(kind, key, heard, action, status="Agreed", version=1):
    when = pd.Timestamp("2026-11-10 09:00", tz="UTC")
    return (kind, key, heard, action, status, version, "ana@council.gov.uk", when, "ana@council.gov.uk", when)


@pytest.fixture
def data(build):
    t0 = dt.datetime(2026, 10, 1, 9)
    ds = with_identities(build([
        fb_row(when=t0, page="how-our-system-works/", summary="Too simple"),
        fb_row(when=t0 + dt.timedelta(hours=1), page="how-our-system-works/", summary="Where are councils?"),
        fb_row(when=t0 + dt.timedelta(hours=2), page="models-for-delivery/", summary=HOSTILE),
        fb_row(when=t0 + dt.timedelta(hours=3), page="imagining-a-centre-of-excellence/", summary="Love it"),
    ]))
    fb = ds.feedback
    triage = pd.DataFrame({"identity": [fb[IDENTITY].iloc[0]], "status": ["Actioned"], "tags": [()],
                           "note": [""], "version": [1], "updated_by": ["ana"],
                           "updated_at": [pd.Timestamp("2026-11-01", tz="UTC")]})
    joined = join_triage(fb, triage, "New")
    written = entries([
        entry(PAGE, "/models-for-delivery/", "Suppliers worry about " + HOSTILE,
              "- Meet the suppliers\n- Publish the costs", status="Draft"),
        entry(PAGE, "/how-our-system-works/", "The picture is too simple.\n\nCouncils are missing.",
              "Add a diagram of councils' data flows"),
        entry(PAGE, "/imagining-a-centre-of-excellence/", "", "", status="Draft"),  # nothing written yet
        entry(PAGE, "/a-page-since-removed/", "Kept although the page went", "Nothing"),
        entry(THEME, "t1", "Funding worries", "Ask for funding"),
    ])
    return ds, joined, written


def test_table_follows_site_order_and_counts_responses_and_triage(data):
    ds, joined, written = data
    table = said_did_table(written, joined, pages=ds.site.pages, triage_statuses=("New", "Read", "Actioned"))
    site_order = ds.site.pages[ds.site.pages["has_form"]]["path"].tolist()
    assert table["scope_key"].tolist()[:-1] == site_order  # every page with the form, in nav order
    assert table["scope_key"].iloc[-1] == "/a-page-since-removed/"  # never dropped
    by_key = table.set_index("scope_key")
    assert by_key.loc["/how-our-system-works/", ["responses", "New", "Actioned", "triaged"]].tolist() == [2, 1, 1, 1]
    assert by_key.loc["/models-for-delivery/", ["responses", "entry_status", "version"]].tolist() == [1, "Draft", 1]
    assert by_key.loc["/appendix-1-more-on-how-our-system-works/status/", ["responses", "heard", "entry_status", "version"]].tolist() == [0, "", "", 0]
    assert responses_for(PAGE, "/how-our-system-works/", joined)["summary"].tolist() == [
        "Too simple", "Where are councils?"]


def test_theme_entries_use_the_theme_assignment(data):
    ds, joined, written = data
    themes = {joined[IDENTITY].iloc[0]: "t1", joined[IDENTITY].iloc[2]: "t1", joined[IDENTITY].iloc[1]: "t2"}
    table = said_did_table(written, joined, scope_kind=THEME, themes=themes,
                           theme_labels={"t2": "Councils", "t1": "Funding"})
    assert table[["scope_key", "title", "responses", "heard"]].values.tolist() == [
        ["t2", "Councils", 1, ""], ["t1", "Funding", 2, "Funding worries"]]
    assert responses_for(THEME, "t1", joined, themes)["summary"].tolist() == ["Too simple", HOSTILE]


def test_markdown_page_for_mkdocs(data, render):
    ds, joined, written = data
    table = said_did_table(written, joined, pages=ds.site.pages)
    text = to_markdown(table, site_name=SITE, generated=DAY,
                       quotes={"/models-for-delivery/": [HOSTILE, "  "]})
    page = render(text)
    assert page.texts["h1"] == ["You said, we did"]
    assert page.texts["h2"] == ["How our system works", "Models for delivery", "/a-page-since-removed/"]
    paragraphs = page.texts["p"]
    assert f"What we heard in the consultation {SITE}, and what we will do about it. Updated 12 November 2026." \
        in paragraphs
    assert "The picture is too simple." in paragraphs and "Councils are missing." in paragraphs
    assert "Suppliers worry about " + HOSTILE in paragraphs  # people's words shown as written
    assert f"“{HOSTILE}”" in paragraphs  # the quote
    assert page.texts["li"] == ["Meet the suppliers", "Publish the costs"]
    assert "2 responses · status: Agreed" in page.texts["em"]
    # nothing in anyone's words became markup, a script, an include or a macro
    assert set(page.tags) <= {"h1", "h2", "h3", "p", "em", "ul", "li", "blockquote"}
    assert "TOPSECRET" not in text and "TOPSECRET" not in "".join(sum(page.texts.values(), []))
    assert "{{" not in text and "{%" not in text and "--8<--" not in text


def test_markdown_can_list_entries_not_written_yet(data, render):
    ds, joined, written = data
    table = said_did_table(written, joined, pages=ds.site.pages)
    page = render(to_markdown(table, site_name=SITE, generated=DAY, include_empty=True))
    assert len(page.texts["h2"]) == len(table)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs", "Cc"]), max_size=60))
def test_any_text_comes_out_of_mkdocs_literally(text):
    html = markdown.markdown(escape_mkdocs(text), extensions=[e for e in EXTENSIONS if e != "pymdownx.snippets"])
    page = Html(html)
    kept = "".join(ch for ch in text if ch in "\t\n\r" or (ch >= " " and not "\x7f" <= ch <= "\x9f"))
    expected = " ".join(kept.split())  # line breaks and runs of spaces: one space
    if expected:
        assert page.tags == ["p"]
        assert page.texts["p"] == [expected]
    else:
        assert page.tags == []


def test_word_document_for_a_board_paper(data):
    ds, joined, written = data
    table = said_did_table(written, joined, pages=ds.site.pages, triage_statuses=("New", "Actioned"))
    doc = Document(io.BytesIO(to_docx_bytes(table, site_name=SITE, generated=DAY,
                                            quotes={"/how-our-system-works/": ["Too simple\x00 \x1b"]})))
    styled = [(p.style.name, p.text) for p in doc.paragraphs]
    assert styled[0] == ("Title", "You said, we did")
    headings = [t for s, t in styled if s == "Heading 1"]
    assert headings == ["Responses and entries", "How our system works", "Models for delivery",
                        "/a-page-since-removed/"]
    assert ("List Bullet", "Meet the suppliers") in styled and ("List Bullet", "Publish the costs") in styled
    assert ("Normal", "Suppliers worry about " + HOSTILE) in styled
    assert ("Quote", "“Too simple”") in styled  # control characters removed, the words kept
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["Page", "Responses", "Triaged", "Status"]
    assert rows[1:4] == [["Imagining a Centre of Excellence", "1", "0", "Draft"],
                         ["How our system works", "2", "1", "Agreed"],
                         ["Possible mechanisms for change", "0", "0", "–"]]
    assert rows[-1] == [f"Total ({len(table)})", "4", "1", ""]
    assert len(rows) == len(table) + 2


def test_csv_goes_through_the_safe_export_path(data):
    ds, joined, written = data
    written.loc[1, "heard"] = "=HYPERLINK(\"http://evil.example\")"
    table = said_did_table(written, joined, pages=ds.site.pages)
    back = pd.read_csv(io.BytesIO(to_csv(table)), encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns[:4]) == ["scope", "key", "title", "responses"]
    row = back.set_index("key").loc["/how-our-system-works/"]
    assert row["what you said"] == "'=HYPERLINK(\"http://evil.example\")"
    assert (row["what we will do"], row["status"], row["updated_at"]) == (
        "Add a diagram of councils' data flows", "Agreed", "2026-11-10 09:00:00")
    assert back["key"].tolist() == table["scope_key"].tolist()
