"""``make bench``: is the dashboard as fast at 100k responses as at 1k? Ratios, measured side by side.

    python -m benchmarks.run [--record before|latest] [--parts 1,2,3,4] [--repeat N]

It generates three workbooks (1k, 10k and 100k per-page responses, a tenth as many survey rows,
the demo's mess: ``benchmarks.workbooks``) and measures, in one run:

1. ``python -m lib summary`` on each workbook against a bare ``pandas.read_csv(dtype=str)`` of the
   same two files: wall time and peak memory (the child process's RSS), the two commands run
   alternately. Targets: at most 2× the time and 1.3× the memory.
2. Each insight page's rerun after a sidebar filter change, at each size (``benchmarks.reruns``:
   AppTest, caches warm), and 100k / 1k as the median of the ratios of reruns made side by side.
   Target: at most 1.2×.
3. Time to the first complete render of each insight page opened from a link in a fresh headless
   Chromium (a new browser context: no cache, no cookies) on the demo: the app connected and
   idle, every chart drawn. Target: at most 2 s per page (median). For comparison, the same for a
   bare Streamlit page with one chart (``benchmarks/floor_app.py``).
4. Requests to the Sheets API (the stand-in, ``tests/sheets_standin.py``) when N sessions are open
   at once on the live sheet: at the first read, per TTL while they stay open, and when every
   session presses *Refresh now*. Target: exactly 1 request per refresh however many sessions.

Every timing is the median of repeated runs; the load average is recorded with each part (the
machine may be shared). Writes ``benchmarks/results/<record>.json`` and ``docs/benchmarks.md``
(the table, before/after, and the machine) and exits with status 1 when a target is missed.
Speed targets live here, never in the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.reruns import insight_pages
from benchmarks.workbooks import SIZES, workbooks

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "benchmarks" / "results"
DOC = PROJECT / "docs" / "benchmarks.md"
PY = sys.executable

SUMMARY_TIME, SUMMARY_MEMORY, RERUN_RATIO, FIRST_RENDER, REQUESTS = 2.0, 1.3, 1.2, 2.0, 1


@dataclass
class Result:
    """One measured line: ``value`` against ``target`` (``ok``), with what it was measured against."""

    part: str
    name: str
    value: float
    unit: str
    target: float | None
    detail: str = ""
    load: str = ""
    exact: bool = False   # the value must equal the target (a count of requests), not only stay under it

    @property
    def ok(self) -> bool:
        return passes(asdict(self))


def passes(r: dict) -> bool:
    """Whether a result (as recorded) meets its target."""
    if r["target"] is None:
        return True
    return r["value"] == r["target"] if r.get("exact") else r["value"] <= r["target"] + 1e-9


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSIGHT_")}
    env["STREAMLIT_SECRETS_FILES"] = str(PROJECT / ".bench" / "no-secrets.toml")  # no live sheet configured
    env.update(extra)
    return env


def child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall time (s), peak memory (RSS, MB) and CPU time (s) of a child process, which must succeed."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=PROJECT, env=env or _clean_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr.read().decode()}")
    proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


READ_CSV = "import sys, pandas as pd\nfor f in sys.argv[1:]: pd.read_csv(f, dtype=str)"


# -- part 1 -----------------------------------------------------------------------------------


def part_summary(folders: dict[int, Path], repeat: int) -> list[Result]:
    out = []
    for size, folder in folders.items():
        load = load_average()
        files = [str(folder / "Feedback.csv"), str(folder / "MainFeedback.csv")]
        ours, bare = [], []
        for i in range(repeat):   # alternately, so both see the same machine
            pair = [("ours", [PY, "-m", "lib", "summary", "--source", str(folder)]), ("bare", [PY, "-c", READ_CSV, *files])]
            for which, argv in (pair if i % 2 == 0 else pair[::-1]):
                (ours if which == "ours" else bare).append(child(argv))
        t_ours, t_bare = statistics.median(t for t, _, _ in ours), statistics.median(t for t, _, _ in bare)
        m_ours, m_bare = statistics.median(m for _, m, _ in ours), statistics.median(m for _, m, _ in bare)
        c_ours, c_bare = statistics.median(c for _, _, c in ours), statistics.median(c for _, _, c in bare)
        load = f"{load} → {load_average()}"
        label = f"{size:,} + {size // 10:,} rows"
        out.append(Result("1", f"summary time, {label}", t_ours / t_bare, "×", SUMMARY_TIME,
                          f"{t_ours:.2f} s vs read_csv {t_bare:.2f} s (CPU {c_ours:.2f} s vs {c_bare:.2f} s, "
                          f"{c_ours / c_bare:.2f}×)", load))
        out.append(Result("1", f"summary peak memory, {label}", m_ours / m_bare, "×", SUMMARY_MEMORY,
                          f"{m_ours:.0f} MB vs read_csv {m_bare:.0f} MB", load))
    return out


# -- part 2 -----------------------------------------------------------------------------------


def part_reruns(folders: dict[int, Path], repeat: int) -> list[Result]:
    load = load_average()
    argv = [PY, "-m", "benchmarks.reruns", "--repeat", str(repeat), *(f"{n}={p}" for n, p in folders.items())]
    proc = subprocess.run(argv, cwd=PROJECT, env=_clean_env(), capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"benchmarks.reruns failed:\n{proc.stderr[-4000:]}")
    found = json.loads(proc.stdout)
    load = f"{load} → {load_average()}"
    small, big = str(min(folders)), str(max(folders))
    out = []

    def paired(big_times: list[float], small_times: list[float]) -> float:
        """The median of the ratios of runs made side by side (same round, same filter)."""
        return statistics.median(b / s for b, s in zip(big_times, small_times))

    rounds = {s: [0.0] * repeat for s in map(str, folders)}
    for title, by_size in found["times"].items():
        med = {s: statistics.median(t) for s, t in by_size.items()}
        for s, t in by_size.items():
            rounds[s] = [a + b for a, b in zip(rounds[s], t)]
        sizes = " · ".join(f"{int(s) // 1000}k {med[s] * 1000:.0f} ms" for s in med)
        out.append(Result("2", f"rerun after a filter change, {title}, {int(big) // 1000}k / {int(small) // 1000}k",
                          paired(by_size[big], by_size[small]), "×", RERUN_RATIO,
                          f"median of {repeat} paired ratios; medians {sizes}", load))
    sizes = " · ".join(f"{int(s) // 1000}k {statistics.median(t) * 1000:.0f} ms" for s, t in rounds.items())
    out.append(Result("2", f"rerun, the {len(found['times'])} insight pages summed, {int(big) // 1000}k / "
                      f"{int(small) // 1000}k", paired(rounds[big], rounds[small]), "×", RERUN_RATIO,
                      f"median of {repeat} paired ratios; medians {sizes}", load))
    loads = " · ".join(f"{int(s) // 1000}k {t:.1f} s" for s, t in found["load"].items())
    out.append(Result("2", "first run of a session (reads and prepares the data; for information)",
                      found["load"][big], "s", None, loads, load))
    return out


# -- part 3 -----------------------------------------------------------------------------------

#: the app connected and idle, its main area drawn, every chart and table shown on the page rendered
#: (those in a closed expander or another tab are not drawn until opened)
COMPLETE = """() => {
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && !el.closest('details:not([open])');
  };
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning')
    return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('h1')) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  for (const c of main.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (shown(c) && !c.querySelector('.main-svg')) return false;
  for (const t of main.querySelectorAll('[data-testid="stDataFrame"]'))
    if (shown(t) && !t.querySelector('canvas')) return false;
  return true;
}"""


def _browser(pw):
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: parts 3 and 4 need Debian's chromium (make chromium)")
    return pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def _render(browser, url: str) -> tuple[float, float]:
    """Seconds to the first complete render of ``url`` in a fresh context, then of a second visit."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(COMPLETE, timeout=120_000, polling=50)
        first = time.perf_counter() - start
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(COMPLETE, timeout=120_000, polling=50)
        return first, time.perf_counter() - start
    finally:
        context.close()


def part_first_render(repeat: int) -> list[Result]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import StreamlitServer

    load = load_average()
    server = StreamlitServer(_clean_env())
    floor = StreamlitServer(_clean_env(), script="benchmarks/floor_app.py")
    out = []
    try:
        with sync_playwright() as pw:
            browser = _browser(pw)
            _render(browser, server.url + "/")   # a server that has served someone: the demo read once
            _render(browser, floor.url + "/")
            pages = insight_pages()
            times = {p["title"]: [] for p in pages}
            floor_times = []
            for _ in range(repeat):
                for p in pages:
                    times[p["title"]].append(_render(browser, f"{server.url}/{p['url_path']}"))
                floor_times.append(_render(browser, floor.url + "/"))
            browser.close()
    finally:
        server.stop()
        floor.stop()
    load = f"{load} → {load_average()}"
    out.append(Result("3", "first render from a link, a bare Streamlit page with one Plotly chart (the floor; "
                      "for information)", statistics.median(f for f, _ in floor_times), "s", None,
                      f"second visit {statistics.median(s for _, s in floor_times):.2f} s", load))
    for title, runs in times.items():
        first = [f for f, _ in runs]
        again = statistics.median(s for _, s in runs)
        out.append(Result("3", f"first render from a link, {title} (demo)", statistics.median(first), "s",
                          FIRST_RENDER, f"max {max(first):.2f} s; second visit {again:.2f} s", load))
    return out


# -- part 4 -----------------------------------------------------------------------------------

LIVE_TTL = 6.0


def _most_within(stamps: list[float], seconds: float) -> int:
    """The most requests made within any ``seconds``."""
    return max((sum(1 for u in stamps if t <= u < t + seconds) for t in stamps), default=0)


def _live_run(standin, secrets: dict, n: int) -> dict[str, int]:
    """``n`` sessions opened at once on a fresh server and left open for a few TTLs, then *Refresh
    now* pressed in each: the most values requests within one TTL while they were open (the first
    read included), the reads in all, and the requests the presses made."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import StreamlitServer

    def stamps(since: float) -> list[float]:
        return [r["time"] for r in standin.requests_to("values") if r["time"] >= since]

    server = StreamlitServer(_clean_env(), secrets=secrets)
    try:
        with sync_playwright() as pw:
            browser = _browser(pw)
            pages = [browser.new_context().new_page() for _ in range(n)]
            start = time.monotonic()
            for page in pages:
                page.goto(server.url + "/", wait_until="commit")
            for page in pages:
                page.wait_for_function(COMPLETE, timeout=180_000, polling=100)
            time.sleep(max(0.0, start + 4 * LIVE_TTL - time.monotonic()))  # open; their tickers check the feed
            seen = len(stamps(start))
            deadline = time.monotonic() + 3 * LIVE_TTL
            while len(stamps(start)) == seen and time.monotonic() < deadline:
                time.sleep(0.05)   # press right after a timed read: the presses' own read stands apart
            auto = stamps(start)
            for page in pages:   # each page idle first, or a rerun may swallow the press
                page.wait_for_function(COMPLETE, timeout=180_000, polling=100)
            clicked = time.monotonic()   # the presses' window starts at the first press, not before the wait
            for page in pages:
                page.locator(".st-key-sidebar_refresh").get_by_role("button", name="Refresh now").click()
            # the presses' reads are counted over their whole window: right after a click the page can
            # still look idle (its rerun not started yet), so waiting for it to be idle proves nothing
            time.sleep(max(0.0, clicked + LIVE_TTL - 0.5 - time.monotonic()))
            for page in pages:
                page.wait_for_function(COMPLETE, timeout=180_000, polling=100)
            forced = [t for t in stamps(clicked) if t < clicked + LIVE_TTL - 0.5]
            browser.close()
    finally:
        server.stop()
    return {"per_ttl": _most_within(auto, LIVE_TTL - 0.5), "reads": len(auto), "open": round(clicked - start),
            "forced": len(forced)}


def part_live(sessions: tuple[int, ...]) -> list[Result]:
    from tests.sheets_standin import SHEET_KEY, SheetsStandIn, demo_tabs, live_secrets

    out = []
    for n in sessions:
        load = load_average()
        standin = SheetsStandIn()
        try:
            account = standin.service_account()
            standin.add_sheet(SHEET_KEY, "Bench", demo_tabs(), shared_with=[account["client_email"]])
            found = _live_run(standin, live_secrets(standin, account, ttl=LIVE_TTL), n)
            meta, token = standin.counts["metadata"], standin.counts["token"]
        finally:
            standin.close()
        load = f"{load} → {load_average()}"
        out.append(Result("4", f"Sheets requests per refresh (TTL {LIVE_TTL:g} s), {n} sessions opened at once "
                          "and left open", found["per_ttl"], "requests", REQUESTS,
                          f"{found['reads']} reads in {found['open']} s; metadata {meta}, token {token} in all", load,
                          exact=True))
        out.append(Result("4", f"Sheets requests, Refresh now pressed in all {n} sessions", found["forced"],
                          "requests", REQUESTS, "", load, exact=True))
    return out


# -- the report -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "?"

    import numpy
    import pandas
    import plotly
    import pyarrow
    import streamlit

    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = "missing"
    mem_kb = first("/proc/meminfo", "MemTotal").split()[0]
    return {
        "cpu": first("/proc/cpuinfo", "model name"),
        "cores": f"{os.cpu_count()} ({len(os.sched_getaffinity(0))} usable)",
        "ram": f"{int(mem_kb) / 1024 / 1024:.1f} GiB" if mem_kb.isdigit() else "?",
        "os": platform.platform(),
        "versions": f"Python {platform.python_version()}, pandas {pandas.__version__}, pyarrow {pyarrow.__version__}, "
                    f"numpy {numpy.__version__}, streamlit {streamlit.__version__}, plotly {plotly.__version__}, "
                    f"{chromium}",
    }


def _value(r: dict) -> str:
    v = r["value"]
    if r["unit"] == "×":
        return f"{v:.2f}×"
    if r["unit"] == "s":
        return f"{v:.2f} s"
    return f"{v:g}"


def _target(r: dict) -> str:
    if r["target"] is None:
        return "–"
    if r.get("exact"):
        return f"= {r['target']:g}"
    return f"≤ {r['target']:g}{'×' if r['unit'] == '×' else ' s' if r['unit'] == 's' else ''}"


def table(results: list[dict]) -> str:
    lines = ["| part | measure | value | target | | measured | load average (1, 5, 15 min) |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        ok = "–" if r["target"] is None else ("pass" if passes(r) else "**MISSED**")
        lines.append(f"| {r['part']} | {r['name']} | {_value(r)} | {_target(r)} | {ok} | {r['detail']} | {r['load']} |")
    return "\n".join(lines)


def comparison(before: dict, latest: dict) -> str:
    old = {r["name"]: r for r in before["results"]}
    lines = ["| measure | before | after | target | after meets it |", "|---|---|---|---|---|"]
    for r in latest["results"]:
        b = old.get(r["name"])
        ok = "–" if r["target"] is None else ("yes" if passes(r) else "**no**")
        def shown(x: dict) -> str:
            return _value(x) + (f" ({x['detail']})" if x["detail"] else "")

        lines.append(f"| {r['name']} | {shown(b) if b else '–'} | {shown(r)} | {_target(r)} | {ok} |")
    return "\n".join(lines)


def _section(record: dict) -> str:
    m = record["machine"]
    return (f"Run {record['when']} (`{record['command']}`, commit {record['commit']}).\n\n"
            f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM; {m['os']}; {m['versions']}. "
            f"Load average at the start: {record['load']}.\n\n{table(record['results'])}\n")


def write_doc(records: dict[str, dict]) -> None:
    """Replace the generated parts of ``docs/benchmarks.md`` (between ``<!-- bench:NAME -->`` and
    ``<!-- /bench:NAME -->``), keeping what was written by hand around them."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    parts = {name: _section(rec) for name, rec in records.items()}
    if "before" in records and "latest" in records:
        parts["comparison"] = comparison(records["before"], records["latest"]) + "\n"
    for name, body in parts.items():
        begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
        block = f"{begin}\n{body}{end}"
        if begin in text and end in text:
            text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
        else:
            text += f"\n{block}\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", default="latest", help="results name: 'before' or 'latest' (default)")
    parser.add_argument("--parts", default="1,2,3,4")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--sessions", default="1,4,8", help="concurrent sessions in part 4")
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    started = load_average()
    results: list[Result] = []
    folders = workbooks(SIZES) if parts & {"1", "2"} else {}
    if "1" in parts:
        results += part_summary(folders, args.repeat)
        print(table([asdict(r) for r in results]), flush=True)
    if "2" in parts:
        results += part_reruns(folders, 2 * args.repeat)   # each filter state twice
    if "3" in parts:
        results += part_first_render(max(3, args.repeat // 2 + 1))
    if "4" in parts:
        results += part_live(tuple(int(n) for n in args.sessions.split(",")))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT,
                           capture_output=True, text=True).stdout.strip()
    record = {"when": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
              "command": "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:]),
              "commit": commit + (" + uncommitted changes" if dirty else ""), "load": started,
              "machine": machine(), "results": [asdict(r) for r in results]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.record}.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    records = {p.stem: json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))}
    write_doc(records)
    print(table(record["results"]))
    missed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(missed)} of {len(results)} within target; docs/benchmarks.md written.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
