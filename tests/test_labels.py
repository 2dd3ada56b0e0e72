"""One place for every word of the forms: no label of the consultation is written out in any module
of ``lib/`` or ``app_pages/`` other than ``lib/consultation.py`` (which reads them from
``lib/data/consultation.yaml``). A similar consultation changes its labels in one file only.

Labels: the reactions and their short labels, roles, role groups, ideas, measure keys, names and
questions, quadrant names, activity sections and activities, triage and "you said, we did"
statuses, and the catch-alls "Not given", "Unrecognised" and "(unknown)". Every string constant of
a module is searched (f-string parts included, docstrings not), ignoring case and apostrophe
style, for a label as a whole word or phrase.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from lib.consultation import NOT_GIVEN, UNKNOWN_PAGE, UNRECOGNISED, load_consultation
from tests.conftest import PROJECT

#: Labels that are also ordinary English words, used as such in messages ("no other responses",
#: "could not read", "a new JSON key"): a whole-word search can't tell those uses from the label.
ORDINARY_WORDS = {"other", "new", "read", "done", "draft"}
HOME = PROJECT / "lib" / "consultation.py"
MODULES = sorted(p for folder in ("lib", "app_pages") for p in (PROJECT / folder).rglob("*.py") if p != HOME)
#: Modules still writing labels themselves, each with the reason; the mark is strict, so the test
#: fails as soon as the module is fixed and the entry must go.
KNOWN: dict[str, str] = {}   # module → why it may write a label for now (xfail, strict)


def labels() -> set[str]:
    c = load_consultation()
    found = {NOT_GIVEN, UNRECOGNISED, UNKNOWN_PAGE, *c.roles, *c.role_group_labels, *c.ideas, *c.quadrants,
             *c.activity_sections, *c.activity_labels, *(a for _, items in c.activities for a in items),
             *c.triage_status_labels, *c.said_did_status_labels}
    for r in c.reactions:
        found |= {r.label, r.short}
    for m in c.measures:
        found |= {m.key, m.title, m.question}
    return {label for label in found if label.strip() and _key(label) not in ORDINARY_WORDS}


def _key(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").casefold()


def _patterns(found: set[str]) -> dict[str, re.Pattern]:
    return {label: re.compile(rf"(?<!\w){re.escape(_key(label))}(?!\w)") for label in found}


def string_constants(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant in ``source``, f-string parts included, docstrings not."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def labels_written_in(source: str, patterns: dict[str, re.Pattern]) -> list[str]:
    """``line: 'label' in 'constant'`` for every label found in a string constant of ``source``."""
    out = []
    for line, text in string_constants(source):
        key = _key(text)
        out += [f"{line}: {label!r} in {text[:70]!r}" for label, pattern in patterns.items() if pattern.search(key)]
    return sorted(out)


def test_the_search_finds_labels_in_strings_and_f_strings_but_not_docstrings_or_words():
    source = '''
"""A docstring may say Disagree."""
def f(n):
    """So may this: Central government leadership."""
    a = "i’M ENTHUSIASTIC about this"
    b = f"{n} said Disagree"
    c = "disagreeable", "centrally governed", "other people"
    d = "(unknown)"
    return a, b, c, d
'''
    assert labels_written_in(source, _patterns(labels())) == [
        "5: 'Enthusiastic' in 'i’M ENTHUSIASTIC about this'",
        "5: 'I’m enthusiastic about this' in 'i’M ENTHUSIASTIC about this'",
        "6: 'Disagree' in ' said Disagree'",
        "8: '(unknown)' in '(unknown)'",
    ]


@pytest.mark.parametrize("path", [
    pytest.param(p, id=str(p.relative_to(PROJECT)),
                 marks=[pytest.mark.xfail(strict=True, reason=KNOWN[str(p.relative_to(PROJECT))])]
                 if str(p.relative_to(PROJECT)) in KNOWN else [])
    for p in MODULES])
def test_no_module_but_lib_consultation_writes_a_label(path: Path):
    assert labels_written_in(path.read_text(encoding="utf-8"), _patterns(labels())) == []


def test_short_reactions_of_a_column(consultation):
    """The form's wording → the short labels; text outside the list and gaps as they are; the index kept."""
    values = ["I disagree with this", "Other", "I’m enthusiastic about this", "A reaction nobody offered",
              None, "I disagree with this"]
    for column in (pd.Series(values, index=[5, 3, 9, 1, 7, 2], name="reaction"),
                   pd.Series(values, index=[5, 3, 9, 1, 7, 2], name="reaction", dtype="category")):
        short = consultation.short_reactions(column)
        assert short.index.tolist() == [5, 3, 9, 1, 7, 2] and short.name == "reaction"
        assert short.tolist()[:4] == ["Disagree", "Other", "Enthusiastic", "A reaction nobody offered"]
        assert pd.isna(short.iloc[4]) and short.iloc[5] == "Disagree"
    assert consultation.short_reactions(pd.Series([], dtype=object)).tolist() == []
