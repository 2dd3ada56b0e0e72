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
