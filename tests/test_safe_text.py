"""The one escaping function: every hostile string shows literally, whatever Streamlit's
frontend would otherwise make of it (links, images, icons, emoji, colours, maths, layout)."""

import re

import pytest

from lib.safe_text import JOINER, esc_plotly, escape_markdown, plain, shorten
from tests.hostile import CORPUS, PLANT

#: What Streamlit's Markdown renderer turns into something other than text, as it matches it:
#: on the source (before parsing) or on text nodes (after backslash escapes are resolved).
#: Written out from the frontend's own patterns (GFM autolink literals, Streamlit's plugins).
TEXT_NODE_PATTERNS = {
    "bare URL": re.compile(r"https?://", re.I),
    "www address": re.compile(r"(?<![\w.])www\.", re.I),
    "e-mail address": re.compile(r"[-.\w+]@[-\w]"),
    "material icon": re.compile(r":material[/_]\w+:"),
    "Streamlit logo": re.compile(r":streamlit:"),
    "emoji shortcode": re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:"),
    "arrow": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}
#: Unescaped Markdown syntax in the source itself (every special must carry a backslash).
UNESCAPED = re.compile(r"[!-/:-@\[-`{-~]")


def resolved(markdown: str) -> str:
    """The text nodes a Markdown parser produces from escaped text: backslash escapes resolved."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("\\\n", "\n"))


@pytest.mark.parametrize("text", CORPUS, ids=lambda t: repr(t[:30]))
def test_no_frontend_pattern_survives_escaping(text):
    for multiline in (False, True):
        md = escape_markdown(text, multiline=multiline)
        nodes = resolved(md)
        for name, pattern in TEXT_NODE_PATTERNS.items():
            assert not pattern.search(nodes), (name, md[:200])
        for line in re.split(r"\\?\n", md):   # lines, without the hard-break backslash
            assert not UNESCAPED.search(re.sub(r"\\.", "", line)), line[:200]
            assert not line.startswith((" ", "\t")), "leading indentation makes a code block"


@pytest.mark.parametrize("text", CORPUS, ids=lambda t: repr(t[:30]))
def test_the_text_reads_the_same(text):
    md = escape_markdown(text, multiline=True)
    assert resolved(md).replace(JOINER, "") == plain(text, multiline=True)
    assert PLANT in resolved(md)


def test_one_line_contexts_get_one_line():
    md = escape_markdown("first\n\n   second\tthird\r\nfourth")
    assert "\n" not in md and resolved(md) == "first second third fourth"


def test_multiline_keeps_lines_and_paragraphs_but_not_indentation():
    md = escape_markdown("  one\n      two\n\n\n\nthree", multiline=True)
    assert md == "one\\\ntwo\n\nthree"


def test_bidi_overrides_and_controls_are_dropped():
    assert plain("a\u202eb\u2066c\x00d\x1b[31me") == "abcd[31me"


def test_a_fragment_keeps_its_spaces_and_a_limit_cuts():
    assert resolved(escape_markdown(" a b ", strip=False)) == " a b "
    assert escape_markdown("x" * 50, limit=10) == "x" * 9 + "…"
    assert shorten("short", 10) == "short"


def test_plotly_labels_escape_html():
    assert esc_plotly("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
