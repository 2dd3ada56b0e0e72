"""``python -m lib themes``: the JSON shape on a workbook written here, rows as the sheet numbers them."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import PROJECT, SURVEY_HEADER, write_workbook
from tests.themes_eval import eval_rows, load_items


def _run(*args):
    return subprocess.run([sys.executable, "-m", "lib", "themes", *args], cwd=PROJECT, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin"}, timeout=180)


def test_themes_json_on_a_workbook(tmp_path):
    header, *rows = eval_rows()
    items = list(load_items())
    spam = list(rows[0])
    spam[-1] = "bot"  # honeypot filled
    rows = [*rows, spam]
    spam_row = len(rows) + 1  # header is row 1
    book = write_workbook(tmp_path / "eval.xlsx", {"Feedback": [header, *rows], "MainFeedback": [SURVEY_HEADER]})
    out = _run("--source", str(book))
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert set(got) == {"themes", "labels", "campaigns"}
    # every kept response, by its row in the Feedback tab; the spam row is not themed
    assert set(got["themes"]) == {str(r) for r in range(2, 2 + len(items))}
    assert str(spam_row) not in got["themes"]
    assert set(got["themes"].values()) - {"Unthemed"} == set(got["labels"])
    assert all(isinstance(v, str) and v for v in got["labels"].values())
    planted = {}
    for row, item in enumerate(items, start=2):
        if item["campaign"]:
            planted.setdefault(item["campaign"], set()).add(str(row))
    assert sorted(map(frozenset, got["campaigns"]), key=len) == sorted(map(frozenset, planted.values()), key=len)


def test_k_override_and_too_few_responses(tmp_path):
    header, *rows = eval_rows()
    book = write_workbook(tmp_path / "eval.xlsx", {"Feedback": [header, *rows], "MainFeedback": [SURVEY_HEADER]})
    got = json.loads(_run("--source", str(book), "--k", "5").stdout)
    assert 1 <= len(got["labels"]) <= 5

    small = write_workbook(tmp_path / "small.xlsx", {"Feedback": [header, *rows[:3]], "MainFeedback": [SURVEY_HEADER]})
    out = _run("--source", str(small))
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["themes"] == {} and got["labels"] == {} and got["campaigns"] == []
    assert got["message"].startswith("Themes need at least 10 responses with text; only 3 responses have")

    bad = _run("--source", str(book), "--k", "0")
    assert bad.returncode == 2 and "--k must be at least 1" in bad.stderr
