"""Run one read of a source in a child process, under a memory watchdog and a time limit, and
report what it read (or its plain refusal), how long it took and its peak memory (RSS).

A child keeps a runaway read (today's row-gap file grows ~270 MB/s) from taking the test
process, or the machine, with it: the watchdog ends the child as soon as it passes the bound.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import PROJECT

GB = 1024 ** 3

CHILD = r"""
import json, os, resource, sys, threading, time

limit, kind, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def watchdog():
    page = os.sysconf("SC_PAGE_SIZE")
    while True:
        with open("/proc/self/statm") as f:
            if int(f.read().split()[1]) * page > limit:
                sys.stderr.write("memory bound exceeded\n")
                sys.stderr.flush()
                os._exit(99)
        time.sleep(0.02)


threading.Thread(target=watchdog, daemon=True).start()
from lib.consultation import load_consultation
from lib.dataset import build_dataset
from lib.errors import SourceError
from lib.pages_meta import default_site
from lib.sources import read_upload, read_workbook

start = time.perf_counter()
try:
    if kind == "upload":
        with open(path, "rb") as f:
            raw = read_upload(os.path.basename(path), f.read())
    else:
        raw = read_workbook(path)
    c = load_consultation()
    ds = build_dataset(raw, c, default_site(c))
    q = ds.feedback_quality
    out = {"rows": [int(r) for r in ds.feedback.index[:10]], "rows_read": q.rows_read, "kept": q.kept,
           "columns": len(raw.feedback.columns)}
except SourceError as exc:
    out = {"error": str(exc)}
out["seconds"] = time.perf_counter() - start
out["max_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(out))
"""


@dataclass(frozen=True)
class Outcome:
    """What the child read (``rows``, ``rows_read``, ``kept``) or its refusal (``error``)."""

    result: dict
    seconds: float
    max_rss: int

    @property
    def error(self) -> str | None:
        return self.result.get("error")


def read_bounded(path: Path, kind: str = "upload", *, seconds: float = 60, memory: int = GB) -> Outcome:
    """Read ``path`` as an upload (or ``kind="workbook"``) and normalise it in a child process that
    is ended past ``memory`` bytes of RSS or ``seconds``; fails the test if it was."""
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(memory), kind, str(path)], cwd=PROJECT,
                              capture_output=True, text=True, timeout=seconds)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"reading {path.name} took more than {seconds} s") from None
    assert done.returncode == 0, f"reading {path.name} failed (exit {done.returncode}): {done.stderr[-2000:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Outcome(result, result.pop("seconds"), result.pop("max_rss"))
