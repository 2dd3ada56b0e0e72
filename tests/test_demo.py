"""The embedded demo: reproducible, and the summary gives what the generator says it built."""

import hashlib
import json
import subprocess
import sys

import pytest

from lib.consultation import load_consultation
from lib.settings import Settings, load_dataset
from tests.conftest import PROJECT

MANIFEST = json.loads((PROJECT / "lib/data/demo_manifest.json").read_text(encoding="utf-8"))


def tag_total(table: str, prefix: str) -> int:
    return sum(n for tag, n in MANIFEST[table]["tags"].items() if tag.startswith(prefix))


@pytest.fixture(scope="module")
def summary():
    out = subprocess.run([sys.executable, "-m", "lib", "summary"], cwd=PROJECT, capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin"}, timeout=120, check=True)
    return json.loads(out.stdout)


def test_demo_feedback_counts_match_the_generator(summary):
    fb = summary["feedback"]
    rows, spam, dups = MANIFEST["Feedback"]["rows"], tag_total("Feedback", "spam"), tag_total("Feedback", "double")
    assert (fb["rows_read"], fb["spam"], fb["duplicates"], fb["kept"]) == (rows, spam, dups, rows - spam - dups)
    assert fb["unmatched_pages"] == tag_total("Feedback", "page: unknown page")
    assert fb["bad_timestamps"] == tag_total("Feedback", "timestamp: garbage")
    assert fb["by_reaction"]["Unrecognised"] == tag_total("Feedback", "nature: unrecognised")
    assert fb["by_role"]["Unrecognised"] == tag_total("Feedback", "role: unrecognised")
    silent = sorted(p for p, n in fb["by_page"].items() if n == 0)
    assert silent == sorted(MANIFEST["Feedback"]["pages_without_feedback"])
    assert sum(fb["by_page"].values()) == fb["kept"]
    assert sum(fb["by_reaction"].values()) == fb["kept"] == sum(fb["by_role"].values())


def test_demo_has_every_role_and_a_realistic_skew(summary):
    by_role = summary["feedback"]["by_role"]
    roles = load_consultation().roles
    assert all(by_role[r] > 0 for r in roles)
    assert max(roles, key=by_role.get) == "Local authority data professional"


def test_demo_survey_counts_match_the_generator(summary):
    sv = summary["survey"]
    rows, spam, dups = (MANIFEST["MainFeedback"]["rows"], tag_total("MainFeedback", "spam"),
                        tag_total("MainFeedback", "double"))
    assert (sv["rows_read"], sv["spam"], sv["duplicates"], sv["kept"]) == (rows, spam, dups, rows - spam - dups)
    ds = load_dataset(Settings())
    assert ds.survey_quality.bad_scores == tag_total("MainFeedback", "score:")
    assert ds.survey_quality.unknown_activities == tag_total("MainFeedback", "activities: unknown fragment")
    assert all(v["n"] > 0 for v in sv["usefulness"].values())


def test_demo_spans_five_to_six_weeks():
    when = load_dataset(Settings()).feedback["submitted_at"].dropna()
    assert 5 * 7 <= (when.max() - when.min()).days + 1 <= 6 * 7


def test_generator_is_deterministic(tmp_path):
    """Running the generator again reproduces the committed workbook byte for byte."""
    committed = hashlib.sha256((PROJECT / "lib/data/demo.xlsx").read_bytes()).hexdigest()
    subprocess.run([sys.executable, "scripts/make_demo.py", "--out", str(tmp_path)], check=True,
                   capture_output=True, cwd=PROJECT, timeout=120)
    assert hashlib.sha256((tmp_path / "demo.xlsx").read_bytes()).hexdigest() == committed
    manifest = json.loads((tmp_path / "demo_manifest.json").read_text(encoding="utf-8"))
    assert manifest == MANIFEST
