""""You said, we did": the entries as a table in site order, the responses behind each, and the
exports (a Markdown page for the consultation's MkDocs ``docs/`` folder, a Word document for a
board paper, CSV). Pure functions; entries come from ``lib.store.SaidDid.frame``.

Exported text is untrusted (people's words, page titles from ``mkdocs.yml``, even the team's
own text, which may quote a response): the Markdown page escapes it for Python-Markdown and the
extensions MkDocs Material sites use (``escape_mkdocs``), so nothing in it becomes markup, a
link, an include, a macro or HTML; Word and CSV hold it as plain text (CSV formula-safe).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from .exports import to_csv_bytes
from .identity import IDENTITY
from .triage import STATUS

PAGE = "page"
THEME = "theme"
TITLE = "You said, we did"

#: Characters Python-Markdown lets a backslash escape (not brackets: a backslash before a round or
#: square bracket opens maths in pymdownx.arithmatex).
_BACKSLASH = set("\\`*_{}#+-.!")
#: Characters that are markup in HTML or in common MkDocs extensions but can't be backslash-
#: escaped there: written as character references (tables |, emoji :, mark =, tilde ~, caret ^,
#: arithmatex $ ( ) [ ], links [ ] ( ), Jinja macros %, HTML < > &).
_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", ":": "&#58;", "=": "&#61;",
           "(": "&#40;", ")": "&#41;", "[": "&#91;", "]": "&#93;",
           "~": "&#126;", "^": "&#94;", "$": "&#36;", "%": "&#37;"}
#: Characters no document should carry: C0/C1 controls (not tab/newline), lone surrogates,
#: non-characters, and bidirectional overrides that could make text read differently.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                     "\u202a-\u202e\u2066-\u2069]")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def clean_text(text: object) -> str:
    """Text with characters removed that a document can't hold (XML-invalid) or that disguise it."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _UNSAFE.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def escape_mkdocs(text: object) -> str:
    """One line of literal text for a MkDocs (Python-Markdown) page: whitespace collapsed, every
    markup character backslash-escaped or written as a character reference."""
    line = " ".join(clean_text(text).split())
    out = []
    for ch in line:
        if ch in _BACKSLASH:
            out.append("\\" + ch)
        else:
            out.append(_ENTITY.get(ch, ch))
    escaped = "".join(out)
    return "&#63;" + escaped[1:] if escaped.startswith("?") else escaped  # "???" opens a details block


def mkdocs_blocks(text: object) -> str:
    """The team's free text as safe Markdown: paragraphs (blank-line separated) and bulleted
    lines (``-``, ``*``, ``•`` or ``1.``) kept, everything else literal."""
    blocks = []
    for para in re.split(r"\n\s*\n", clean_text(text).strip()):
        lines = [ln for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue
        if all(_BULLET.match(ln) for ln in lines):
            blocks.append("\n".join("- " + escape_mkdocs(_BULLET.sub("", ln)) for ln in lines))
        else:
            blocks.append(escape_mkdocs(" ".join(lines)))
    return "\n\n".join(blocks)


def _paragraphs(text: object) -> list[tuple[bool, str]]:
    """(is_bullet, text) per paragraph or bulleted line, for Word."""
    out = []
    for para in re.split(r"\n\s*\n", clean_text(text).strip()):
        lines = [ln for ln in para.split("\n") if ln.strip()]
        if lines and all(_BULLET.match(ln) for ln in lines):
            out += [(True, " ".join(_BULLET.sub("", ln).split())) for ln in lines]
        elif lines:
            out.append((False, " ".join(" ".join(lines).split())))
    return out


def responses_for(scope_kind: str, scope_key: str, responses: pd.DataFrame,
                  themes: Mapping[str, str] | pd.Series | None = None) -> pd.DataFrame:
    """The responses behind an entry: on its page, or (themes: identity → theme id) in its theme."""
    if scope_kind == PAGE:
        return responses[responses["page_path"] == scope_key]
    if scope_kind == THEME:
        theme_of = pd.Series(themes if themes is not None else {}, dtype=object)
        return responses[responses[IDENTITY].map(theme_of) == scope_key]
    raise ValueError(f"Unknown scope kind {scope_kind!r}")


def said_did_table(entries: pd.DataFrame, responses: pd.DataFrame, *, scope_kind: str = PAGE,
                   pages: pd.DataFrame | None = None, themes: Mapping[str, str] | pd.Series | None = None,
                   theme_labels: Mapping[str, str] | None = None,
                   triage_statuses: Sequence[str] = ()) -> pd.DataFrame:
    """One row per page (site order: pages with the form, with responses or with an entry) or per
    theme (``theme_labels`` order), then entries whose page or theme is no longer known.

    Columns: ``scope_kind, scope_key, title, responses``, one count per triage status and
    ``triaged`` (when ``responses`` is joined with triage), ``heard, action, entry_status,
    version, updated_by, updated_at``. ``responses``: the kept responses to count (filtered or not).
    """
    mine = entries[entries["scope_kind"] == scope_kind].set_index("scope_key")
    if scope_kind == PAGE:
        if pages is None:
            raise ValueError("said_did_table needs the site's pages for page entries")
        key = responses["page_path"]
        counted = set(key)
        known = pages[pages["has_form"] | pages["path"].isin(counted) | pages["path"].isin(mine.index)]
        order = list(zip(known["path"], known["label"]))
    elif scope_kind == THEME:
        theme_of = pd.Series(themes if themes is not None else {}, dtype=object)
        key = responses[IDENTITY].map(theme_of)
        order = list((theme_labels or {}).items())
    else:
        raise ValueError(f"Unknown scope kind {scope_kind!r}")
    seen = {k for k, _ in order}
    order += [(k, k) for k in mine.index if k not in seen]

    one = responses.assign(_key=key.to_numpy()).drop_duplicates(IDENTITY) if IDENTITY in responses.columns \
        else responses.assign(_key=key.to_numpy())
    counts = one["_key"].value_counts()
    by_status = pd.crosstab(one["_key"], one[STATUS]) if STATUS in one.columns and len(one) else None
    statuses = list(triage_statuses)
    if by_status is not None:
        statuses += sorted(s for s in by_status.columns if s not in statuses)

    rows = []
    for k, title in order:
        row = {"scope_kind": scope_kind, "scope_key": k, "title": title, "responses": int(counts.get(k, 0))}
        if by_status is not None:
            for s in statuses:
                row[s] = int(by_status.at[k, s]) if k in by_status.index and s in by_status.columns else 0
            row["triaged"] = row["responses"] - (row[statuses[0]] if statuses else 0)
        e = mine.loc[k] if k in mine.index else None
        row |= {
            "heard": "" if e is None else e["heard"],
            "action": "" if e is None else e["action"],
            "entry_status": "" if e is None else e["status"],
            "version": 0 if e is None else int(e["version"]),
            "updated_by": None if e is None else e["updated_by"],
            "updated_at": pd.NaT if e is None else e["updated_at"],
        }
        rows.append(row)
    base = ["scope_kind", "scope_key", "title", "responses"]
    extra = [*statuses, "triaged"] if by_status is not None else []
    cols = [*base, *extra, "heard", "action", "entry_status", "version", "updated_by", "updated_at"]
    out = pd.DataFrame(rows, columns=cols)
    out["updated_at"] = pd.to_datetime(out["updated_at"], utc=True)
    return out


def _written(table: pd.DataFrame, include_empty: bool) -> pd.DataFrame:
    if include_empty:
        return table
    has = table["heard"].astype(str).str.strip().ne("") | table["action"].astype(str).str.strip().ne("")
    return table[has]


def _day(when: dt.date) -> str:
    return f"{when.day} {when:%B %Y}"


def _responses(n: int) -> str:
    return f"{n:,} response" + ("" if n == 1 else "s")


HEARD = "What you said"
ACTION = "What we will do"


def to_markdown(table: pd.DataFrame, *, site_name: str, generated: dt.date, title: str = TITLE,
                include_empty: bool = False, quotes: Mapping[str, Sequence[str]] | None = None) -> str:
    """A Markdown page for the consultation's MkDocs ``docs/`` folder: a title, then one section
    per entry in table order (entries with no text left out unless ``include_empty``), with the
    number of responses, what we heard, what we will do, the status and any ``quotes``
    (scope key → people's words) as quoted lines. Every text is escaped (``escape_mkdocs``)."""
    lines = [f"# {escape_mkdocs(title)}", "",
             f"What we heard in the consultation *{escape_mkdocs(site_name)}*, and what we will do "
             f"about it. Updated {escape_mkdocs(_day(generated))}.", ""]
    for _, row in _written(table, include_empty).iterrows():
        lines += [f"## {escape_mkdocs(row['title'])}", "",
                  f"*{escape_mkdocs(_responses(int(row['responses'])))}"
                  + (f" · status: {escape_mkdocs(row['entry_status'])}*" if row["entry_status"] else "*"), ""]
        for heading, text in ((HEARD, row["heard"]), (ACTION, row["action"])):
            body = mkdocs_blocks(text)
            if body:
                lines += [f"### {heading}", "", body, ""]
        said = [q for q in (quotes or {}).get(row["scope_key"], ()) if clean_text(q).strip()]
        if said:
            lines += ["### In your words", ""]
            lines += [f"> “{escape_mkdocs(q)}”\n" for q in said]
    return "\n".join(lines).rstrip() + "\n"


def to_docx_bytes(table: pd.DataFrame, *, site_name: str, generated: dt.date, title: str = TITLE,
                  include_empty: bool = False, quotes: Mapping[str, Sequence[str]] | None = None,
                  scope_heading: str = "Page") -> bytes:
    """A Word document for a board paper: title, a table of counts (responses, triaged when known,
    entry status, and a total), then per entry headings with what we heard and will do."""
    from docx import Document

    doc = Document()
    doc.add_heading(clean_text(title), level=0)
    doc.add_paragraph(clean_text(f"What we heard in the consultation “{site_name}”, and what we will do "
                                 f"about it. Updated {_day(generated)}."))
    written = _written(table, include_empty)
    doc.add_heading("Responses and entries", level=1)
    has_triage = "triaged" in table.columns
    header = [scope_heading, "Responses", *(["Triaged"] if has_triage else []), "Status"]
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for _, row in table.iterrows():
        values = [clean_text(row["title"]), f"{int(row['responses']):,}",
                  *([f"{int(row['triaged']):,}"] if has_triage else []), clean_text(row["entry_status"] or "–")]
        for cell, text in zip(grid.add_row().cells, values):
            cell.text = text
    total = [f"Total ({len(table):,})", f"{int(table['responses'].sum()):,}",
             *([f"{int(table['triaged'].sum()):,}"] if has_triage else []), ""]
    for cell, text in zip(grid.add_row().cells, total):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True

    for _, row in written.iterrows():
        doc.add_heading(clean_text(row["title"]), level=1)
        status = f" · status: {row['entry_status']}" if row["entry_status"] else ""
        doc.add_paragraph(clean_text(_responses(int(row["responses"])) + status)).runs[0].italic = True
        for heading, text in ((HEARD, row["heard"]), (ACTION, row["action"])):
            paras = _paragraphs(text)
            if paras:
                doc.add_heading(heading, level=2)
                for bullet, para in paras:
                    doc.add_paragraph(para, style="List Bullet" if bullet else None)
        said = [clean_text(q).strip() for q in (quotes or {}).get(row["scope_key"], ())]
        if any(said):
            doc.add_heading("In your words", level=2)
            for q in said:
                if q:
                    doc.add_paragraph(f"“{' '.join(q.split())}”", style="Quote")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def csv_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the CSV holds it: readable column names, times in UTC without a zone."""
    out = table.rename(columns={"scope_kind": "scope", "scope_key": "key", "heard": "what you said",
                                "action": "what we will do", "entry_status": "status"})
    out["updated_at"] = out["updated_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    return out


def to_csv(table: pd.DataFrame) -> bytes:
    """CSV of the table through the one export path (UTF-8 with BOM, formula-safe)."""
    return to_csv_bytes(csv_frame(table))


def written_count(table: pd.DataFrame) -> int:
    """How many entries of ``said_did_table`` have something written."""
    return len(_written(table, include_empty=False))


def responses_display(responses: pd.DataFrame, short: Mapping[str, str]) -> pd.DataFrame:
    """The responses behind an entry as the page lists them: when, reaction (short label), role,
    summary, details and, when joined, the triage status; newest first."""
    cols = {"submitted_at": "Submitted", "reaction": "Reaction", "role": "Role", "summary": "Summary",
            "details": "Details", STATUS: "Status"}
    out = responses.sort_values("submitted_at", ascending=False, na_position="last", kind="stable")
    out = out[[c for c in cols if c in out.columns]].rename(columns=cols)
    out["Reaction"] = out["Reaction"].map(lambda r: short.get(r, r))
    return out.reset_index(drop=True)
