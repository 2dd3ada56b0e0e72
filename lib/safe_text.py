"""Showing untrusted text: the one escaping function for Markdown contexts, and Plotly labels.

Anything that came from a response, a sheet, a Pages tab, ``mkdocs.yml`` or the address bar
is shown either in a context that never interprets it (``st.dataframe``, ``st.text``, chart
data) or through ``escape_markdown``: every Markdown context of Streamlit (``st.markdown``,
captions, alerts, toasts, badges, headings, widget labels and Markdown-rendered options)
gets the text back literally.

Backslash escapes alone are not enough in Streamlit: after Markdown is parsed, its frontend
rewrites text nodes again (GFM autolinks for bare ``http://``/``www.``/e-mail addresses,
``:material/…:`` icons, ``:streamlit:``, emoji shortcodes, typographic arrows). Those
patterns are broken with an invisible WORD JOINER (U+2060) placed inside them, so they no
longer match while the text reads the same. Layout tricks are neutralised too: leading
indentation (code blocks), line breaks where one line is expected, bidirectional overrides
and control characters.
"""

from __future__ import annotations

import html
import re

#: Inserted inside patterns the frontend would rewrite: invisible, and no line break opportunity.
JOINER = "\u2060"
#: CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it is simplest.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
#: Bidirectional embeddings/overrides/isolates, and control characters other than tab and newline.
_INVISIBLE_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Where a joiner goes: only inside what the frontend would rewrite, so ordinary text (times,
#: decimals, domains) stays as typed: ``scheme://``, ``:shortcode:`` and ``:material/…``,
#: ``www.``, ``name@domain``, and the arrow digraphs (``->``, ``<-``, ``--``, ``>=``, ``<=``, ``~=``).
_BREAK = re.compile(
    r"(?<=:)(?=//)"
    r"|(?<=:)(?=[\w+-][\w+-]*:)"
    r"|(?<=:)(?=material/)"
    r"|(?<=www)(?=\.)"
    r"|(?<=[-.\w+])(?=@[-\w])"
    r"|(?<=[<-])(?=[->])|(?<=[<>~])(?==)",
    re.IGNORECASE)
_SPACE_RUN = re.compile(r"[^\S\n]+")
_ANY_SPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{2,}")
ELLIPSIS = "…"


def esc_plotly(text: object) -> str:
    """Text safe for Plotly labels and hover text (Plotly renders a subset of HTML)."""
    return html.escape(str(text), quote=False)


def shorten(text: object, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with "…" when cut."""
    text = str(text)
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + ELLIPSIS


def plain(text: object, *, multiline: bool = False, strip: bool = True) -> str:
    """Text with control characters and bidirectional overrides removed; on one line (every run
    of whitespace one space) unless ``multiline``, where lines lose their indentation and runs
    of blank lines become one."""
    text = _INVISIBLE_CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        text = _ANY_SPACE.sub(" ", text)
        return text.strip() if strip else text
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def _escape_line(line: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _BREAK.sub(JOINER, line))


def escape_markdown(text: object, *, multiline: bool = False, limit: int | None = None,
                    strip: bool = True, badge: bool = False) -> str:
    """Markdown that shows ``text`` literally in any Streamlit Markdown context.

    One line by default (labels, captions, toasts, badges, table cells); ``multiline`` keeps
    line breaks (hard breaks) and paragraphs. ``limit`` cuts the text first (with "…").
    ``strip=False`` keeps a fragment's outer spaces (for pieces of a line joined later).
    ``badge=True`` for ``st.badge`` labels: it escapes square brackets itself.
    """
    text = plain(text, multiline=multiline, strip=strip)
    if limit is not None:
        text = shorten(text, limit)
    if not multiline:
        line = _escape_line(text)
        return line.replace("\\[", "[").replace("\\]", "]") if badge else line
    paragraphs = text.split("\n\n")
    return "\n\n".join("\\\n".join(_escape_line(line) for line in p.split("\n")) for p in paragraphs)
