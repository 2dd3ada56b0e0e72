"""``python -m lib summary``: exactly the numbers the rules imply, on a messy workbook built here."""

import datetime as dt
import json
import subprocess
import sys
from collections import Counter

import pytest

from lib.consultation import load_consultation
from tests.conftest import FEEDBACK_HEADER, PROJECT, SURVEY_HEADER, fb_row, survey_row, write_workbook

T0 = dt.datetime(2026, 10, 5, 9, 0)
C = load_consultation()
PAGES = ["how-our-system-works/", "models-for-delivery/", "appendix-1-more-on-how-our-system-works/context/"]
ROLES = [C.roles[0], C.roles[4], C.roles[9]]
REACTIONS = [C.reaction_labels[0], C.reaction_labels[2], ""]
USE = json.dumps({"Improving data quality": 5, "Data tool collaboration": 4})
LIKE = json.dumps({"Improving data quality": 3})
ACT = "Advanced technology: Explaining options to local authorities, including how-to guidance and training"


def messy_workbook(path):
    """A workbook whose every oddity is tallied as it is built, so expectations follow the rules."""
    expect = Counter()
    by_reaction, by_role, by_page, by_pair = Counter(), Counter(), Counter(), Counter()
    rows = []
    for i in range(30):  # kept responses, each unique
        page, role, nature = PAGES[i % 3], ROLES[i % 3 if i < 15 else (i + 1) % 3], REACTIONS[i % 3]
        when = T0 + dt.timedelta(hours=i)
        if i in (3, 4):
            when = "sometime"  # bad timestamp, kept
            expect["bad_timestamps"] += 1
        reaction_label = nature or "Not given"
        rows.append(fb_row(when=when, page=page, nature=nature, summary=f"Point number {i}", role=role))
        expect["kept"] += 1
        by_reaction[reaction_label] += 1
        by_role[role] += 1
        by_page[page] += 1
        by_pair[(role, reaction_label)] += 1
        if i in (5, 6, 7):  # double submissions a minute later, whitespace varied
            rows.append(fb_row(when=when + dt.timedelta(minutes=1), page=page, nature=nature,
                               summary=f"Point  number {i} ", role=role))
            expect["duplicates"] += 1
        if i == 8:  # the same words two days later: a real second response
            rows.append(fb_row(when=when + dt.timedelta(days=2), page=page, nature=nature,
                               summary=f"Point number {i}", role=role))
            expect["kept"] += 1
            by_reaction[reaction_label] += 1
            by_role[role] += 1
            by_page[page] += 1
            by_pair[(role, reaction_label)] += 1
    for _ in range(4):  # spam
        rows.append(fb_row(when=T0, summary="cheap pills", hp="http://spam.example", role="bot"))
        expect["spam"] += 1
    rows.insert(10, [None] * 9)  # empty rows: ignored, not counted
    rows.insert(20, [""] * 9)
    rows.append(fb_row(page="suggestions/", summary="Where is this page?", role=ROLES[0], nature=""))
    expect["kept"] += 1
    expect["unmatched"] += 1
    by_reaction["Not given"] += 1
    by_role[ROLES[0]] += 1
    by_pair[(ROLES[0], "Not given")] += 1
    survey = [survey_row(when=T0, use=USE, like=LIKE, activities=ACT, comments="Yes"),
              survey_row(when=T0 + dt.timedelta(minutes=2), use=USE, like=LIKE, activities=ACT, comments="Yes"),
              survey_row(when=T0 + dt.timedelta(hours=3), role=ROLES[1],
                         use=json.dumps({"Improving data quality": 2}), comments="No"),
              survey_row(when=T0, hp="bot", use=USE)]
    write_workbook(path, {"Feedback": [FEEDBACK_HEADER, *rows], "MainFeedback": [SURVEY_HEADER, *survey]})
    return expect, by_reaction, by_role, by_page, by_pair


@pytest.fixture
def summary_of():
    def run(*args):
        out = subprocess.run([sys.executable, "-m", "lib", "summary", *args], cwd=PROJECT,
                             capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, timeout=120)
        return out
    return run


def test_summary_on_a_messy_workbook(tmp_path, summary_of):
    expect, by_reaction, by_role, by_page, by_pair = messy_workbook(tmp_path / "messy.xlsx")
    out = summary_of("--source", str(tmp_path / "messy.xlsx"))
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    fb = got["feedback"]
    assert fb["rows_read"] == expect["kept"] + expect["spam"] + expect["duplicates"]
    assert (fb["spam"], fb["duplicates"], fb["kept"]) == (expect["spam"], expect["duplicates"], expect["kept"])
    assert fb["quarantined"] == 0
    assert fb["unmatched_pages"] == expect["unmatched"]
    assert fb["bad_timestamps"] == expect["bad_timestamps"]
    assert {k: v for k, v in fb["by_reaction"].items() if v} == dict(by_reaction)
    assert {k: v for k, v in fb["by_role"].items() if v} == dict(by_role)
    assert {k: v for k, v in fb["by_page"].items() if v} == dict(by_page) | {"(unknown)": 1}
    # every page with a form is listed, zeros included
    assert sum(1 for k in fb["by_page"] if k != "(unknown)") == 25
    assert {(r, x): n for r, d in fb["by_role_reaction"].items() for x, n in d.items()} == dict(by_pair)

    sv = got["survey"]
    assert (sv["rows_read"], sv["spam"], sv["duplicates"], sv["kept"], sv["quarantined"]) == (4, 1, 1, 2, 0)
    assert sv["usefulness"]["Improving data quality"] == {"n": 2, "mean": 3.5}
    assert sv["usefulness"]["Data tool collaboration"] == {"n": 1, "mean": 4.0}
    assert sv["likelihood"]["Improving data quality"] == {"n": 1, "mean": 3.0}
    assert sv["usefulness"]["Discovering what works"] == {"n": 0, "mean": None}
    assert len(sv["usefulness"]) == 13 and len(sv["activities"]) == 39
    assert sv["activities"][ACT] == 1


def test_summary_with_mkdocs_pages(tmp_path, summary_of):
    _, _, _, by_page_built, _ = messy_workbook(tmp_path / "messy.xlsx")
    (tmp_path / "mkdocs.yml").write_text(
        "site_url: https://example.org/\nnav:\n  - 'How': how-our-system-works.md\n"
        "  - x: !!python/name:material.extensions.emoji.twemoji\n")
    out = summary_of("--source", str(tmp_path / "messy.xlsx"), "--pages", str(tmp_path / "mkdocs.yml"))
    assert out.returncode == 0, out.stderr
    by_page = json.loads(out.stdout)["feedback"]["by_page"]
    assert set(by_page) == {"how-our-system-works/", "(unknown)"}
    # the two pages missing from this nav and the unknown page now match nothing
    assert by_page["(unknown)"] == sum(by_page_built.values()) - by_page_built["how-our-system-works/"] + 1
    assert by_page["how-our-system-works/"] == by_page_built["how-our-system-works/"]


def test_summary_reports_bad_input_plainly(tmp_path, summary_of):
    bad = tmp_path / "bad.xlsx"
    write_workbook(bad, {"Feedback": [["Timestamp", "summary"]], "MainFeedback": [["role"]]})
    out = summary_of("--source", str(bad))
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "error: Feedback tab: required column 'page' is missing (columns found: Timestamp, summary).")
    assert "Traceback" not in out.stderr


def test_summary_loads_no_scientific_library(tmp_path):
    """The summary is read, normalised and counted with pandas and pyarrow only: scikit-learn and
    SciPy (the themes' libraries) take longer to import than a 1k-row summary takes to run."""
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "Feedback.csv").write_text(",".join(FEEDBACK_HEADER) + "\n", encoding="utf-8")
    (folder / "MainFeedback.csv").write_text(",".join(SURVEY_HEADER) + "\n", encoding="utf-8")
    probe = ("import runpy, sys\nsys.argv = ['lib', 'summary', '--source', sys.argv[1]]\n"
             "try:\n    runpy.run_module('lib', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'openpyxl'}))")
    out = subprocess.run([sys.executable, "-c", probe, str(folder)], cwd=PROJECT, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr[-2000:]
