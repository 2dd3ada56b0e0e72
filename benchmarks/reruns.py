"""Part (2) of ``make bench``, run in a child process: each insight page's rerun after a sidebar
filter change, at each workbook size, side by side in one process.

    python -m benchmarks.reruns --repeat 5 SIZE=FOLDER [SIZE=FOLDER …]

One ``AppTest`` session of ``dashboard.py`` per size (``INSIGHT_SOURCE`` pointing at that
size's CSV folder), caches warm: each session has loaded its data and drawn every page once
before anything is timed. Then, round after round, for each page and each size in turn: a
role group different from the one before is chosen in the sidebar and the rerun is timed (the
script run plus AppTest's reading of what it drew). The pages are those of the "Insight" section of the
navigation in ``dashboard.py``, read from its source, so pages added there are measured too.
Prints JSON: page → size → the timings in seconds.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DASHBOARD = PROJECT / "dashboard.py"
SECTION = "Insight"
#: what the sidebar's role-group filter cycles through: each timed rerun follows a change
GROUPS = (["Local authority"], ["Central government"], ["Private sector"], ["Other public sector"], [])


def insight_pages(dashboard: Path = DASHBOARD, section: str = SECTION) -> list[dict[str, str]]:
    """The pages of one navigation section of ``dashboard.py`` (read from its source): each page's
    ``path``, ``title`` and ``url_path`` (as Streamlit derives it; the default page's is "")."""
    tree = ast.parse(dashboard.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "navigation" and node.args):
            continue
        nav = node.args[0]
        if not isinstance(nav, ast.Dict):
            continue
        for key, value in zip(nav.keys, nav.values):
            if not (isinstance(key, ast.Constant) and key.value == section and isinstance(value, ast.List)):
                continue
            pages = []
            for call in value.elts:
                if not (isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Constant)):
                    continue
                path = call.args[0].value
                kw = {k.arg: k.value.value for k in call.keywords if isinstance(k.value, ast.Constant)}
                url = "" if kw.get("default") else kw.get("url_path", Path(path).stem)
                pages.append({"path": path, "title": kw.get("title", Path(path).stem), "url_path": url})
            return pages
    raise SystemExit(f"no '{section}' section found in the st.navigation of {dashboard}")


def measure(folders: dict[str, str], repeat: int) -> dict:
    from streamlit.testing.v1 import AppTest

    pages = insight_pages()
    store = tempfile.TemporaryDirectory(prefix="bench-store-")
    os.environ["INSIGHT_STORE"] = f"sqlite+pysqlite:///{Path(store.name) / 'analysis.sqlite'}"
    for name in ("INSIGHT_PAGES", "INSIGHT_CONSULTATION"):
        os.environ.pop(name, None)
    sessions: dict[str, AppTest] = {}

    def run(size: str, at: AppTest) -> float:
        os.environ["INSIGHT_SOURCE"] = folders[size]
        start = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - start
        if at.exception:
            raise SystemExit(f"{size}: {[e.message for e in at.exception]}")
        return seconds

    load: dict[str, float] = {}
    for size in folders:
        at = AppTest.from_file(str(DASHBOARD), default_timeout=900)
        at.secrets = {}
        load[size] = run(size, at)
        for page in pages:   # every page drawn once: its imports and the session's caches are warm
            at.switch_page(page["path"])
            run(size, at)
        sessions[size] = at
    times: dict[str, dict[str, list[float]]] = {p["title"]: {s: [] for s in folders} for p in pages}
    for round_ in range(repeat):
        for i, page in enumerate(pages):
            # a different role group before every timed rerun (consecutive choices always differ), and
            # each page sees the groups in turn from round to round
            group = GROUPS[(round_ * (len(pages) + 1) + i) % len(GROUPS)]
            for size, at in sessions.items():
                at.switch_page(page["path"])
                run(size, at)   # the page shown, untimed
                at.multiselect(key="group").set_value(group)
                times[page["title"]][size].append(run(size, at))
    store.cleanup()
    return {"pages": pages, "load": load, "times": times}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("folders", nargs="+", help="SIZE=FOLDER")
    args = parser.parse_args(argv)
    folders = dict(f.split("=", 1) for f in args.folders)
    json.dump(measure(folders, args.repeat), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
