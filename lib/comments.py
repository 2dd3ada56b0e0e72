"""The comments explorer: page feedback and survey comments as one table, keyword search,
paging, highlighting and the facts for the detail view, a response's organisation's other
responses, and the frames the table and the downloads are built from.

Rows come from the frames a viewer receives (already through ``lib.privacy``), filtered
by the shared filter model (``apply_feedback``/``apply_survey``); a personal column is
carried only if the viewer's frames still hold it. Page links are built from the site's
metadata (its published address + the matched page path), never from the URL a
respondent's browser posted. Search: case-insensitive, every word must appear (in the
summary or the details), ``"a quoted phrase"`` must appear as written (any run of
whitespace matches any other; straight and curly apostrophes match each other).
Highlighting escapes every Markdown special of the user's text before marking matches.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

import numpy as np
import pandas as pd

from .consultation import APOSTROPHES, NOT_GIVEN, UNKNOWN_PAGE, Consultation, match_key
from .filters import COMMENTS_SOURCES, Filters, apply_feedback, apply_survey
from .identity import IDENTITY
from .pages_meta import SiteMeta
from .privacy import PERSONAL_COLUMNS
from .safe_text import escape_markdown
from .triage import STATUS, TAGS

FEEDBACK, SURVEY, BOTH = COMMENTS_SOURCES
#: What a row's ``source`` column says (the switch says "Survey comments"; a row is one).
ROW_SOURCE = {FEEDBACK: "Page feedback", SURVEY: "Survey"}
#: Column titles people see, in the table and in the downloads.
TITLES = {
    "submitted_at": "Submitted", "source": "Source", "page": "Page", "page_link": "Link", "section": "Section",
    "role": "Role", "role_group": "Role group", "reaction": "Reaction", "summary": "Summary",
    "details": "Details", "organisation": "Organisation", "sheet_row": "Sheet row", "email": "E-mail",
    STATUS: "Status", TAGS: "Tags",
}
PREVIEW_CHARS = 140
#: A search match: a strong highlighter yellow (``[theme] yellowBackgroundColor`` in
#: ``.streamlit/config.toml``; the default tint is too faint to find on a page).
HIGHLIGHT = ":yellow-background[{}]"
_SEPARATOR = "\x00"  # between summary and details when searching: no pattern crosses it


# -- building the frame ------------------------------------------------------------------


def page_link(site_url: str, path: str) -> str | None:
    """The page's address on the published site (http/https only), or None for no known page."""
    if not isinstance(path, str) or not path.startswith("/") or path == UNKNOWN_PAGE:
        return None
    parts = urlsplit(site_url or "")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return site_url.rstrip("/") + quote(path, safe="/-._~")


def personal_columns(data: pd.DataFrame | pd.Series) -> list[str]:
    """The personal columns a frame (or a row) still holds: only for viewers permitted them."""
    names = data.columns if isinstance(data, pd.DataFrame) else data.index
    return [c for c in PERSONAL_COLUMNS if c in names]


def _text(series: pd.Series) -> pd.Series:
    """Text with blanks for missing values (string columns are left in their dtype: cheaper)."""
    series = series.fillna("")
    return series if pd.api.types.is_string_dtype(series) else series.astype(str)


def _carry(source: pd.DataFrame, out: pd.DataFrame) -> None:
    """Copy the response's identity (the team's work hangs on it) and any personal column the
    viewer may receive onto the explorer's rows."""
    if IDENTITY in source.columns:
        out[IDENTITY] = source[IDENTITY].astype(object)
    if "page_path" in source.columns:   # kept with a triage, to find the response again if edited
        out["page_path"] = source["page_path"].astype(object)
    for c in personal_columns(source):
        out[c] = _text(source[c])


def feedback_rows(feedback: pd.DataFrame, site: SiteMeta) -> pd.DataFrame:
    """Per-page responses in the explorer's shape (links from the site's metadata)."""
    paths, distinct = pd.factorize(feedback["page_path"], use_na_sentinel=False)  # each page's link made once
    links = np.array([page_link(site.site_url, p) for p in distinct], dtype=object)
    out = pd.DataFrame({
        "submitted_at": feedback["submitted_at"],
        "source": ROW_SOURCE[FEEDBACK],
        "sheet_row": feedback.index.to_numpy(),
        "page": _text(feedback["page_label"]),
        "page_link": pd.Series(links[paths] if len(paths) else [], index=feedback.index, dtype=object),
        "section": _text(feedback["section"]),
        "role": _text(feedback["role"]),
        "role_group": _text(feedback["role_group"]),
        "reaction": _text(feedback["reaction"]),
        "summary": _text(feedback["summary"]),
        "details": _text(feedback["details"]),
        "organisation": _text(feedback["organisation"]),
    }, index=feedback.index)
    _carry(feedback, out)
    return out.reset_index(drop=True)


def survey_rows(survey: pd.DataFrame) -> pd.DataFrame:
    """Survey responses that left a comment, in the explorer's shape (the comment as details)."""
    comments = _text(survey["comments"]).str.strip()
    survey = survey[comments != ""]
    out = pd.DataFrame({
        "submitted_at": survey["submitted_at"],
        "source": ROW_SOURCE[SURVEY],
        "sheet_row": survey.index.to_numpy(),
        "page": "",
        "page_link": pd.Series(None, index=survey.index, dtype=object),
        "section": _text(survey["section"]),
        "role": _text(survey["role"]),
        "role_group": _text(survey["role_group"]),
        "reaction": "",
        "summary": "",
        "details": _text(survey["comments"]),
        "organisation": _text(survey["organisation"]),
    }, index=survey.index)
    _carry(survey, out)
    return out.reset_index(drop=True)


def newest_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by submission time, newest first; rows without a time last (later sheet rows first)."""
    if not len(frame):
        return frame.reset_index(drop=True)
    # the stable sort by (time, sheet row), both descending, undated last, as a lexsort of integers
    when = frame["submitted_at"]
    undated = when.isna().to_numpy()
    stamps = np.where(undated, 0, when.array.asi8)
    rows = frame["sheet_row"].to_numpy(dtype=np.int64)
    order = np.lexsort((np.arange(len(frame)), -rows, -stamps, undated))
    return frame.take(order).reset_index(drop=True)


def comments(feedback: pd.DataFrame, survey: pd.DataFrame, site: SiteMeta, f: Filters,
             source: str = FEEDBACK, triage: pd.DataFrame | None = None, default_status: str = "",
             themes: pd.Series | None = None, campaigns: pd.Series | None = None) -> pd.DataFrame:
    """The explorer's rows under the filters for ``source`` (one of ``COMMENTS_SOURCES``), newest first
    (the triage filters apply when the store's ``triage`` frame is given, the theme filter and
    "count each campaign once" when ``themes`` and ``campaigns`` are: see ``apply_feedback``).
    Every row built: the Comments page itself uses ``explorer``, which builds a page's rows only."""
    parts = []
    if source in (FEEDBACK, BOTH):
        parts.append(feedback_rows(apply_feedback(feedback, f, triage, default_status, themes, campaigns), site))
    if source in (SURVEY, BOTH):
        parts.append(survey_rows(apply_survey(survey, f, triage, default_status)))
    if not parts:
        raise ValueError(f"Unknown comments source {source!r}")
    parts = [p for p in parts if len(p)] or parts[:1]
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return newest_first(frame)


_UNITS = ("s", "ms", "us", "ns")


def _stamps(parts: Sequence[pd.Series]) -> list[np.ndarray]:
    """Each part's submission times as integers in one unit (the finest of the parts, as a concat
    makes them), 0 where a time is missing."""
    finest = max((w.dt.unit for w in parts), key=_UNITS.index)
    return [np.where(w.isna().to_numpy(), 0, w.dt.as_unit(finest).array.asi8) for w in parts]


@dataclass(frozen=True)
class Explorer:
    """The explorer's rows under the filters, newest first (and searched), without building them:
    ``order`` holds positions into ``feedback`` (0…) followed by ``survey`` (the commented rows);
    ``feedback`` may hold rows out of view (the whole dataset's, when the view's rows are given as
    positions). ``rows(start, stop)`` builds the explorer rows of one slice: ``comments()`` sliced,
    for a page of 25–250 rows instead of every matching one. Search and order work on the raw columns."""

    feedback: pd.DataFrame
    survey: pd.DataFrame
    site: SiteMeta
    source: str
    order: np.ndarray
    in_view: tuple[int, int] = (0, 0)   # per-page and survey rows under the filters, before any search

    def __len__(self) -> int:
        return len(self.order)

    @property
    def empty(self) -> bool:
        """Whether no row is in view."""
        return not len(self.order)

    def rows(self, start: int = 0, stop: int | None = None) -> pd.DataFrame:
        """The explorer rows at ``start``–``stop`` of the order (all by default), as ``comments()`` builds them."""
        at = self.order[start:stop]
        n = len(self.feedback)
        fb, sv = at[at < n], at[at >= n] - n
        parts = []
        if self.source in (FEEDBACK, BOTH):
            parts.append(feedback_rows(self.feedback.iloc[fb], self.site))
        if self.source in (SURVEY, BOTH):
            parts.append(survey_rows(self.survey.iloc[sv]))
        parts = [p for p in parts if len(p)] or parts[:1]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        # the rows in the order's sequence: feedback rows first in ``frame``, then survey rows
        where = np.empty(len(at), dtype=np.int64)
        is_fb = at < n
        where[np.flatnonzero(is_fb)] = np.arange(int(is_fb.sum()))
        where[np.flatnonzero(~is_fb)] = np.arange(int((~is_fb).sum())) + int(is_fb.sum())
        frame = frame.take(where).reset_index(drop=True) if len(frame) == len(at) else frame
        columns = self._columns
        return frame if list(frame.columns) == columns else frame.reindex(columns=columns)

    @functools.cached_property
    def _columns(self) -> list[str]:
        """The columns of every row in view together (a slice of one source holds the other's too)."""
        parts = []
        if self.source in (FEEDBACK, BOTH):
            parts.append((feedback_rows(self.feedback.iloc[0:0], self.site), self.in_view[0]))
        if self.source in (SURVEY, BOTH):
            parts.append((survey_rows(self.survey.iloc[0:0]), self.in_view[1]))
        held = [p for p, n in parts if n] or [parts[0][0]]
        return list(dict.fromkeys(c for p in held for c in p.columns))

    def responses(self, distinct: bool = False) -> int:
        """How many responses are in view: its rows when they are known to hold each identity once
        (``distinct``: ``View.distinct``), else its distinct identities (a double submission shares one)."""
        return len(self) if distinct else int(self.identities().nunique())

    def identities(self) -> pd.Series:
        """The identity of every row in view (any order)."""
        at = self.order
        n = len(self.feedback)
        out = []
        if self.source in (FEEDBACK, BOTH) and IDENTITY in self.feedback.columns:
            out.append(self.feedback[IDENTITY].to_numpy(dtype=object)[at[at < n]])
        if self.source in (SURVEY, BOTH) and IDENTITY in self.survey.columns:
            out.append(self.survey[IDENTITY].to_numpy(dtype=object)[at[at >= n] - n])
        return pd.Series(np.concatenate(out) if out else np.array([], dtype=object), dtype=object)

    def search(self, query: str) -> Explorer:
        """The rows whose summary and details together hold every term of ``query`` (as ``search``)."""
        patterns = [term_pattern(t) for t in parse_query(query)]
        if not patterns or self.empty:
            return self
        n = len(self.feedback)
        at = self.order
        texts = np.empty(len(at), dtype=object)   # the texts of the rows in view alone
        fb, sv = at < n, at >= n
        if fb.any():
            part = self.feedback.iloc[at[fb]]
            texts[fb] = (_text(part["summary"]) + _SEPARATOR + _text(part["details"])).to_numpy(dtype=object)
        if sv.any():
            texts[sv] = (_SEPARATOR + _text(self.survey["comments"].iloc[at[sv] - n])).to_numpy(dtype=object)
        keep = np.fromiter((all(p.search(text) for p in patterns) for text in texts), dtype=bool, count=len(at))
        return replace(self, order=self.order[keep])


def explorer(feedback: pd.DataFrame, survey: pd.DataFrame, site: SiteMeta, source: str = FEEDBACK,
             rows: np.ndarray | None = None) -> Explorer:
    """What ``comments()`` gives for frames already under the filters (the run's ``View.feedback``
    and ``.survey``), as an ``Explorer``: ordered newest first, the rows built only when asked for.
    ``rows``: which rows of ``feedback`` are under the filters (``View.rows``), when ``feedback`` is
    the whole dataset's: nothing is taken from it but the times of those rows."""
    if source not in COMMENTS_SOURCES:
        raise ValueError(f"Unknown comments source {source!r}")
    at = np.flatnonzero(rows) if rows is not None else np.arange(len(feedback))
    if source not in (FEEDBACK, BOTH):
        feedback, at = feedback.iloc[0:0], at[:0]
    if source in (SURVEY, BOTH):
        survey = survey[(_text(survey["comments"]).str.strip() != "").to_numpy()]
    else:
        survey = survey.iloc[0:0]
    fb_when = feedback["submitted_at"].iloc[at]
    fb_stamps, sv_stamps = _stamps([fb_when, survey["submitted_at"]])
    undated = np.concatenate([fb_when.isna().to_numpy(), survey["submitted_at"].isna().to_numpy()])
    stamps = np.concatenate([fb_stamps, sv_stamps]).astype(np.int64)
    labels = np.concatenate([feedback.index.to_numpy(dtype=np.int64)[at], survey.index.to_numpy(dtype=np.int64)])
    positions = np.concatenate([at, np.arange(len(survey)) + len(feedback)])
    order = positions[np.lexsort((np.arange(len(labels)), -labels, -stamps, undated))]
    return Explorer(feedback, survey, site, source, order, (len(at), len(survey)))


# -- search ------------------------------------------------------------------------------

_QUOTES = "\"“”„"
_TOKEN = re.compile(rf"[{_QUOTES}]([^{_QUOTES}]*)(?:[{_QUOTES}]|$)|([^\s{_QUOTES}]+)")


def parse_query(query: str) -> list[str]:
    """The terms of a search: words, and "quoted phrases" (whitespace collapsed); repeats dropped."""
    terms: list[str] = []
    for phrase, word in _TOKEN.findall(query or ""):
        term = " ".join(phrase.split()) if phrase else word
        if term and term.casefold() not in {t.casefold() for t in terms}:
            terms.append(term)
    return terms


def term_pattern(term: str) -> re.Pattern:
    """A case-insensitive pattern for one term (apostrophe styles and whitespace runs equivalent)."""
    parts = []
    for ch in term:
        if ch in APOSTROPHES:
            parts.append(f"[{re.escape(APOSTROPHES)}]")
        elif ch.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts), re.IGNORECASE)


def search(frame: pd.DataFrame, query: str) -> pd.DataFrame:
    """Rows whose summary and details together hold every term of ``query`` (all rows if none)."""
    patterns = [term_pattern(t) for t in parse_query(query)]
    if not patterns or frame.empty:
        return frame
    texts = frame["summary"] + _SEPARATOR + frame["details"]
    keep = [all(p.search(text) for p in patterns) for text in texts]
    return frame[keep].reset_index(drop=True)


# -- showing text ------------------------------------------------------------------------


def _in_word(text: str, i: int) -> bool:
    """Whether ``text[i]`` belongs to a word (a letter or digit, or an apostrophe between two)."""
    if not 0 <= i < len(text):
        return False
    ch = text[i]
    if ch.isalnum() or ch == "_":
        return True
    return ch in APOSTROPHES and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span ``start``–``end`` widened to whole words: a match inside "subscriptions" marks
    the whole word, never "subscription" and a stray "s"."""
    while start > 0 and _in_word(text, start - 1) and _in_word(text, start):
        start -= 1
    while end < len(text) and _in_word(text, end) and _in_word(text, end - 1):
        end += 1
    return start, end


def _spans(text: str, patterns: Sequence[re.Pattern]) -> list[tuple[int, int]]:
    found = sorted(whole_words(text, m.start(), m.end()) for p in patterns for m in p.finditer(text)
                   if m.end() > m.start())
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def tidy_lines(text: str) -> str:
    """``text`` with each line trimmed (leading spaces would make Markdown code blocks)."""
    return "\n".join(line.strip() for line in str(text).splitlines())


def highlight(text: str, query: str = "") -> str:
    """Markdown showing ``text`` literally, line breaks kept, with the search terms marked.

    Every Markdown/HTML special of the text is escaped (``escape_markdown``); only the
    highlight directive added here is Markdown. Matches are marked as whole words.
    """
    text = tidy_lines(text)
    patterns = [term_pattern(t) for t in parse_query(query)]
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in _spans(text, patterns):
        pieces += [(text[at:start], False), (text[start:end], True)]
        at = end
    pieces.append((text[at:], False))
    lines = [""]
    for piece, marked in pieces:
        for i, part in enumerate(piece.split("\n")):
            if i:
                lines.append("")
            if part:
                lines[-1] += (HIGHLIGHT.format(escape_markdown(part, strip=False)) if marked
                              else escape_markdown(part, strip=False))
    # a hard break ends each line; an empty line stays empty (a paragraph break)
    return "".join((("  \n" if line and lines[i - 1] else "\n") if i else "") + line
                   for i, line in enumerate(lines))


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """``text`` on one line, cut at a word boundary after about ``limit`` characters with "…"."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(" ,;:.-–") + "…"


# -- the table, the downloads and the organisation's other responses ---------------------


def view_columns(source: str, frame: pd.DataFrame) -> list[str]:
    """The columns shown for ``source`` (survey rows have no page or reaction)."""
    cols = ["submitted_at"]
    if source == BOTH:
        cols.append("source")
    if source != SURVEY:
        cols += ["page", "page_link"]
    cols += ["section", "role"]
    if source != SURVEY:
        cols += ["reaction", "summary"]
    cols += ["details", "organisation"]
    cols += [c for c in (STATUS, TAGS) if c in frame.columns]   # the team's triage, when joined
    return cols + personal_columns(frame)


def local_times(when: pd.Series, tz: str) -> pd.Series:
    """Times as the consultation's wall-clock time without a zone (one dtype, so a table shows
    them as DD/MM/YYYY HH:MM whatever mix of summer and winter time they hold)."""
    when = pd.to_datetime(when, utc=True)
    return when.dt.tz_convert(tz).dt.tz_localize(None)


def table_frame(frame: pd.DataFrame, source: str, consultation: Consultation) -> pd.DataFrame:
    """The rows as the table shows them: short reaction labels, a preview of the details, local
    times, and no link (a real blank, never "None") where a row has no page."""
    cols = view_columns(source, frame)
    out = frame[cols].copy()
    out["submitted_at"] = local_times(out["submitted_at"], consultation.timezone)
    out["details"] = out["details"].map(preview)
    if TAGS in out:
        out[TAGS] = out[TAGS].map(", ".join)
    if "page_link" in out:
        # an empty text, not a missing value: the table draws a missing link as a grey "None"
        out["page_link"] = out["page_link"].fillna("").astype(str)
    if "reaction" in out:
        out["reaction"] = consultation.short_reactions(out["reaction"])
    return out.rename(columns=TITLES)


#: The extra column of a download holding the reaction as the form worded it.
FORM_WORDING = "Reaction (form wording)"


def export_frame(frame: pd.DataFrame, source: str, consultation: Consultation | None = None) -> pd.DataFrame:
    """The rows as the downloads hold them: full texts, the page's address, the sheet row; with
    ``consultation``, reactions as the screen shows them and the form's wording beside them."""
    cols = view_columns(source, frame)
    cols.insert(cols.index("role") + 1, "role_group")
    cols.append("sheet_row")
    out = frame[cols].rename(columns=TITLES | {"page_link": "Page address"})
    if TITLES[TAGS] in out:
        out[TITLES[TAGS]] = out[TITLES[TAGS]].map("; ".join)
    if consultation is not None and "Reaction" in out:
        at = list(out.columns).index("Reaction") + 1
        out.insert(at, FORM_WORDING, out["Reaction"])
        out["Reaction"] = consultation.short_reactions(frame["reaction"]).to_numpy()
    return out.reset_index(drop=True)


def same_organisation(pool: pd.DataFrame, row: pd.Series) -> pd.DataFrame:
    """The other rows of ``pool`` from ``row``'s organisation (none when it gave no organisation)."""
    key = match_key(str(row["organisation"]))
    if not key:
        return pool.iloc[0:0]
    same = pool["organisation"].astype(str).map(match_key) == key
    itself = (pool["source"] == row["source"]) & (pool["sheet_row"] == row["sheet_row"])
    return pool[same & ~itself].reset_index(drop=True)


def download_base(source: str, query: str) -> str:
    """The start of a download's file name: what was shown and what was searched for."""
    base = {FEEDBACK: "comments", SURVEY: "survey-comments", BOTH: "all-comments"}[source]
    terms = parse_query(query)
    if terms:
        words = re.sub(r"[^\w]+", "-", " ".join(terms)).strip("-")[:40].rstrip("-")
        base += f"_search-{words}" if words else "_search"
    return base


# -- paging and the detail view ----------------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    """One page of a table: its number (1-based, within range), how many pages, the row slice."""

    page: int
    pages: int
    start: int
    stop: int


def paging(rows: int, page_size: int, page_no: int | None) -> Paging:
    """Page ``page_no`` of ``rows`` rows shown ``page_size`` at a time (out-of-range → nearest page)."""
    pages = max(1, -(-rows // page_size))
    page = min(max(1, page_no or 1), pages)
    start = (page - 1) * page_size
    return Paging(page, pages, start, min(rows, start + page_size))


def view_key(*parts: object) -> str:
    """A short digest naming a view (data, filters, search…): widgets keyed with it start afresh
    (first page, nothing selected) whenever the view changes."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:10]


def when_text(when: object) -> str:
    """A submission time for people: "DD/MM/YYYY HH:MM", or that it could not be read."""
    return "time not readable" if pd.isna(when) else when.strftime("%d/%m/%Y %H:%M")


# -- the reading view: every response whole ---------------------------------------------------------

#: Characters of a URL kept as they are in a Markdown link; anything else is percent-encoded
#: (so a bracket, a space or a quote in a configured site address can't end the link early).
_URL_SAFE = ":/?#@!$&*+,;=%-._~"


def markdown_link(label: str, url: str) -> str:
    """A Markdown link showing ``label`` literally, to an http(s) ``url`` (else the label alone)."""
    parts = urlsplit(url or "")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return escape_markdown(label)
    return f"[{escape_markdown(label)}]({quote(url, safe=_URL_SAFE)})"


def reading_markdown(row: pd.Series, query: str, consultation: Consultation) -> tuple[str, str]:
    """One response as Markdown, whole: the text (the summary in bold, the details beneath) and
    the line about it (its page linked to the published site, reaction as its short label, role,
    organisation, date DD/MM/YYYY HH:MM). Search matches marked as whole words; everything from
    the response is shown literally."""
    summary = " ".join(str(row["summary"]).split())
    if summary:
        head = f"**{highlight(summary, query)}**"
    else:
        section = str(row.get("section", "") or "").strip()
        head = "**Survey comment**" + (f" on *{escape_markdown(section)}*" if section else "")
    details = str(row["details"]).strip()
    body = highlight(details, query) if details else ":gray[*No details given.*]"
    meta: list[str] = []
    if row["page"]:
        meta.append(markdown_link(row["page"], row["page_link"]) if isinstance(row["page_link"], str)
                    else escape_markdown(row["page"]))
    if row["reaction"]:
        meta.append(f"**{escape_markdown(consultation.short_reaction.get(row['reaction'], row['reaction']))}**")
    meta.append(escape_markdown(row["role"]))
    if row["organisation"]:
        meta.append(escape_markdown(row["organisation"]))
    meta.append(escape_markdown(when_text(row["submitted_at"])))
    meta += [f"{TITLES.get(c, c)}: {escape_markdown(row[c])}" for c in personal_columns(row) if row[c]]
    return f"{head}\n\n{body}", " · ".join(meta)


def facts(row: pd.Series, consultation: Consultation | None = None) -> list[tuple[str, str]]:
    """(label, plain text) pairs describing one explorer row, for its detail view: its source
    (with when and the sheet row), page, section, role, reaction (its short label, given the
    ``consultation``), organisation and any personal column it still holds."""
    out = [(str(row["source"]), f"{when_text(row['submitted_at'])} · sheet row {row['sheet_row']}")]
    if row["page"]:
        out.append(("Page", row["page"]))
    if row["section"]:
        out.append(("Section", row["section"]))
    out.append(("Role", f"{row['role']} ({row['role_group']})"))
    if row["reaction"]:
        out.append(("Reaction", consultation.short_reaction.get(row["reaction"], row["reaction"])
                    if consultation else row["reaction"]))
    out.append(("Organisation", row["organisation"] or NOT_GIVEN))
    out += [(TITLES.get(c, c), row[c]) for c in personal_columns(row)]
    return out
