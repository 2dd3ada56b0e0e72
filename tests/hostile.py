"""A corpus of hostile strings, as anyone could post them through the public forms.

Used by the unit tests of the escaping and export rules, by the AppTest run of every page on
a workbook full of them, and by the browser test that checks no link, image or request
comes from planted text. Every string carries ``PLANT`` so a test can find where it shows.
"""

from __future__ import annotations

#: A marker in every planted string (and the host every planted link points at).
PLANT = "planted"
HOST = "127.0.0.1:9"

MARKDOWN = [
    f"![{PLANT} image](http://{HOST}/{PLANT}.png)",
    f"[{PLANT} link](http://{HOST}/{PLANT})",
    f"<http://{HOST}/{PLANT}-autolink>",
    f"http://{HOST}/{PLANT}-bare-url",
    f"www.{PLANT}-www.example",
    f"{PLANT}-mail@evil.example",
    f"mailto:{PLANT}@evil.example",
    f"**{PLANT} bold** _italic_ ~~struck~~ `code`",
    f"# {PLANT} heading",
    f"> {PLANT} quote",
    f"- {PLANT} list item",
    f"1. {PLANT} numbered",
    f"| {PLANT} | table |\n|---|---|\n| a | b |",
    f"{PLANT} setext\n===",
    f"    {PLANT} indented code",
    f"\t{PLANT} tab-indented",
    f"```\n{PLANT} fenced\n```",
    f"{PLANT} [ref][1]\n\n[1]: http://{HOST}/{PLANT}-ref",
    f"{PLANT} footnote[^1]\n\n[^1]: note",
    f"- [x] {PLANT} task",
]
STREAMLIT = [
    f":material/warning: {PLANT} icon",
    f":streamlit: {PLANT} logo",
    f":smile: :+1: {PLANT} emoji",
    f":red[{PLANT} red] :blue-background[{PLANT} blue] :rainbow[{PLANT}]",
    f":orange-badge[{PLANT} badge]",
    f":small[{PLANT} small] :help[{PLANT} help]",
    f"$\\frac{{{PLANT}}}{{2}}$ and $$x^2$$",
    f"{PLANT} -> arrow <- and -- dash >= <= ~=",
]
HTML = [
    f"<img src=http://{HOST}/{PLANT}-html.png onerror=alert(1)>",
    f"<script>alert('{PLANT}')</script>",
    f"<a href='http://{HOST}/{PLANT}-html'>{PLANT}</a>",
    f"<b>{PLANT} bold html</b> &amp; &lt;entity&gt;",
    f"<iframe src='http://{HOST}/{PLANT}-iframe'></iframe>",
]
SPREADSHEET = [
    f'=HYPERLINK("http://{HOST}/{PLANT}","click")',
    f"+1+1 {PLANT}",
    f"-2+3 {PLANT}",
    f"@SUM(A1) {PLANT}",
    f"\t=1+1 {PLANT}",
    f"\r=1+1 {PLANT}",
    f"  =1+1 {PLANT}",
    f'\x00=HYPERLINK("http://{HOST}/{PLANT}","nul")',
    f"\u200b=1+1 {PLANT} zero-width",
    f"\ufeff=1+1 {PLANT} bom",
    f"＝1+1 {PLANT} full-width",
    f"＋1 {PLANT} full-width plus",
    f"－1 {PLANT} full-width minus",
    f"＠SUM(A1) {PLANT} full-width at",
]
LAYOUT = [
    f"\u202e{PLANT} right-to-left override",
    f"{PLANT}\u202d left-to-right override \u2066isolate",
    f"{PLANT} line one\n        indented line two\n\n\n\nfar paragraph",
    f"{PLANT} " + "x" * 100_000,
    f"{PLANT} control \x01\x02\x07\x1b[31m",
    f"{PLANT} {{{{ template }}}} {{% raw %}} ${{jndi:ldap://{HOST}/{PLANT}}}",
    f"{PLANT} 😀 émoji and Zoë's curly ’quotes’",
]

CORPUS: list[str] = MARKDOWN + STREAMLIT + HTML + SPREADSHEET + LAYOUT
#: A shorter corpus for places where every string costs a page render.
SHORT = [s for s in CORPUS if len(s) < 1_000]


def hostile_workbook(path, corpus: list[str] | None = None):
    """A workbook whose every free-text field, typed option, page address and page title (a
    ``Pages`` tab) is hostile; each response also has a plain, known summary so tests can find it."""
    import datetime as dt

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from tests.conftest import FEEDBACK_HEADER, LIVE, SURVEY_HEADER, survey_row, write_workbook

    # XML (so .xlsx) can't hold most control characters: a sheet's export drops them; CSV sources
    # and the live sheet keep them, and tests/test_safe_text.py covers them
    corpus = [ILLEGAL_CHARACTERS_RE.sub("", t) for t in (SHORT if corpus is None else corpus)]
    t0 = dt.datetime(2026, 10, 1, 9, 0)
    pages = [["path", "title", "section", "order", "has_form"]]
    feedback, survey = [FEEDBACK_HEADER], [SURVEY_HEADER]
    for i, text in enumerate(corpus):
        slug = f"page-{i}/"
        pages.append([slug, f"{text} (title {i})", f"{text} (section)" if i % 3 == 0 else "", i + 1, "true"])
        when = t0 + dt.timedelta(hours=i)
        feedback.append([when, LIVE + slug, text if i % 4 == 0 else "I disagree with this", text, f"{text}\n{text}",
                         text if i % 5 == 0 else "Local authority data professional", text, "", ""])
        survey.append(survey_row(when=when, org=text, section=text, comments=text))
    return write_workbook(path, {"Feedback": feedback, "MainFeedback": survey, "Pages": pages})
