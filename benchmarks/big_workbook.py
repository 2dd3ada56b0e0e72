"""Measure, once by hand, what a full Google Sheet costs: 10 million cells (the most a Google
Sheet holds) in an .xlsx laid out as Google Sheets exports one (shared strings, timestamps as
serial numbers with a date style, only non-empty cells written).

    .venv/bin/python -m benchmarks.big_workbook [--rows 999999] [--keep DIR]

Writes the workbook to a temporary folder, prints its compressed and uncompressed sizes and
the largest inflate ratio, then reads and normalises it in a child process and prints the
time of each step and the child's peak memory (RSS). Too slow for a test (minutes); the
numbers are recorded in the README's data rules.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from lib.consultation import load_consultation
from tests.conftest import FEEDBACK_HEADER, LIVE, PROJECT, SURVEY_HEADER
from tests.xlsx_files import column_letter, row_xml, sheet_xml, write_xlsx

WORDS = ["data", "quality", "local", "authority", "children", "social", "care", "sharing", "standards", "tools",
         "market", "collaboration", "leadership", "evidence", "practice", "outcomes", "families", "systems",
         "records", "case", "management", "procurement", "suppliers", "training", "guidance", "national",
         "regional", "capacity"]
COLUMNS = FEEDBACK_HEADER + ["Notes"]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


class Strings:
    """The shared strings table, built as cells are written."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def ref(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.index)
        return self.index[text]

    def xml(self):
        yield (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
               f'spreadsheetml/2006/main" count="{len(self.index)}" uniqueCount="{len(self.index)}">').encode()
        batch = []
        for text in self.index:
            batch.append(f"<si><t>{escape(text)}</t></si>")
            if len(batch) == 10_000:
                yield "".join(batch).encode()
                batch = []
        yield ("".join(batch) + "</sst>").encode()


def feedback_rows(n: int, strings: Strings, seed: int = 1):
    """The Feedback tab's rows as Google Sheets writes them: ``t="s"`` texts, ``s="1"`` dates."""
    c = load_consultation()
    rng = random.Random(seed)
    pages = [LIVE + p for p in ("how-our-system-works/", "models-for-delivery/", "appendix-4-reference-projects/",
                                "appendix-2-more-on-possible-mechanisms-for-change/improving-data-quality/")]
    orgs = [f"Council {i}" for i in range(200)]
    header = "".join(f'<c r="{column_letter(i + 1)}1" t="s"><v>{strings.ref(h)}</v></c>' for i, h in enumerate(COLUMNS))
    yield f'<row r="1">{header}</row>'
    for r in range(2, n + 2):
        texts = [("B", rng.choice(pages))]
        if rng.random() < 0.9:
            texts.append(("C", rng.choice(c.reaction_labels)))
        texts.append(("D", f"{_sentence(rng, 8)} ({r})"))
        if rng.random() < 0.7:
            texts.append(("E", f"{_sentence(rng, 30)} ({r})"))
        texts += [("F", rng.choice(c.roles)), ("G", rng.choice(orgs))]
        if rng.random() < 0.3:
            texts.append(("H", f"person{r}@example.org"))
        if rng.random() < 0.01:
            texts.append(("I", "bot"))
        if rng.random() < 0.05:
            texts.append(("J", "called back"))
        cells = f'<c r="A{r}" s="1"><v>{46296 + r / 1440:.6f}</v></c>' + "".join(
            f'<c r="{col}{r}" t="s"><v>{strings.ref(value)}</v></c>' for col, value in texts)
        yield f'<row r="{r}">{cells}</row>'


def write(path: Path, rows: int) -> Path:
    strings = Strings()
    feedback = sheet_xml(feedback_rows(rows, strings))  # lazily: the shared strings are written after it
    survey = list(sheet_xml([row_xml(1, SURVEY_HEADER)]))
    return write_xlsx(path, {"Feedback": feedback, "MainFeedback": survey}, shared_strings=strings.xml())


CHILD = r"""
import json, resource, sys, time
from lib.consultation import load_consultation
from lib.dataset import build_dataset, compact
from lib.pages_meta import default_site
from lib.sources import read_workbook
start = time.perf_counter()
raw = read_workbook(sys.argv[1])
read = time.perf_counter() - start
cells = raw.feedback.size + raw.survey.size
rss_read = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
c = load_consultation()
ds = compact(build_dataset(raw, c, default_site(c)))
total = time.perf_counter() - start
print(json.dumps({"cells": cells, "rows": len(raw.feedback), "read_s": read, "normalise_s": total - read,
                  "peak_rss_after_read_mb": rss_read / 1024,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "kept": ds.feedback_quality.kept}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=999_999, help="data rows (10 columns each, plus a header)")
    parser.add_argument("--keep", help="write the workbook here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep or tmp) / "full-google-sheet.xlsx"
        start = time.perf_counter()
        write(path, args.rows)
        print(f"written in {time.perf_counter() - start:.0f} s: {path.stat().st_size / 1e6:.1f} MB compressed")
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.file_size > 1_000_000:
                    print(f"  {info.filename}: {info.file_size / 1e6:.0f} MB uncompressed, "
                          f"ratio {info.file_size / info.compress_size:.1f}")
            print(f"  total {sum(i.file_size for i in z.infolist()) / 1e6:.0f} MB uncompressed")
        done = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=PROJECT, capture_output=True, text=True)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return 1
        print(json.dumps(json.loads(done.stdout), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
