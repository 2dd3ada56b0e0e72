"""How long each expensive step takes on the demo and on 100k responses, in-process, step by step:

    python -m benchmarks.steps

A tool for finding where time goes (themes, campaigns, the store, the personal-data policy
included), not ``make bench``: that one (``benchmarks.run``) measures ratios side by side. Prints a
table of median timings over a few repetitions against rough absolute bounds; exit status 1 when
one is passed.
"""

from __future__ import annotations

import pickle
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from lib.consultation import load_consultation
from lib.dataset import build_dataset, compact, expand, kept
from lib.filters import Filters, apply_feedback, options_for
from lib.identity import IDENTITY, with_identities
from lib.pages_meta import default_site
from lib.privacy import apply_policy
from lib.sources import RawTables, SourceInfo, read_demo
from lib.store import TriageChange, make_engine, open_store
from lib.summary import summarise
from lib.triage import join_triage


@dataclass(frozen=True)
class Target:
    name: str
    seconds: float


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of ``fn`` over ``repeat`` runs, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def scaled(raw: RawTables, feedback_rows: int, survey_rows: int) -> RawTables:
    """The demo's raw tables repeated to the given sizes, each copy a week later and reworded
    slightly so copies are distinct responses, not duplicates."""
    def grow(table: pd.DataFrame, n: int, text_col: str) -> pd.DataFrame:
        copies = -(-n // len(table))
        parts = []
        for i in range(copies):
            part = table.copy()
            stamp = part.columns[0]
            part[stamp] = [v + pd.Timedelta(days=7 * i) if hasattr(v, "year") else v for v in part[stamp]]
            if i:
                part[text_col] = [f"{v} ({i})" if isinstance(v, str) and v else v for v in part[text_col]]
            parts.append(part)
        out = pd.concat(parts).iloc[:n]
        out.index = pd.RangeIndex(2, 2 + len(out), name="row")
        return out

    return RawTables(grow(raw.feedback, feedback_rows, "summary"), grow(raw.survey, survey_rows, "comments"),
                     None, SourceInfo("workbook", "bench", pd.Timestamp.now(tz="UTC")))


def store_steps(feedback: pd.DataFrame) -> list[tuple[str, float, float | None]]:
    """Triage in a SQLite store: a bulk change of 20k responses, and reading the triage of 100k
    responses joined onto them (what the Comments page does on every rerun)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.sqlite")
        try:
            store = open_store(engine)
            ids = feedback[IDENTITY].drop_duplicates()
            some = dict.fromkeys(ids.iloc[:20_000], 0)
            start = time.perf_counter()
            store.triage.update_many(some, TriageChange(status="Read", add_tags=("Bench",)), "bench")
            bulk = time.perf_counter() - start
            t, _ = timed(lambda: join_triage(feedback, store.triage.frame(), "New"), 3)
        finally:
            engine.dispose()
    return [("bulk triage of 20k responses (one transaction, SQLite)", bulk, 10.0),
            ("triage read + join onto 100k responses (per rerun, SQLite)", t, 0.5)]


def main() -> int:
    c = load_consultation()
    site = default_site(c)
    rows: list[tuple[str, float, float | None]] = []

    t, raw = timed(read_demo, 5)
    rows.append(("read demo workbook (xlsx, 723 rows)", t, 2.0))
    t, ds = timed(lambda: build_dataset(raw, c, site), 5)
    rows.append(("normalise demo", t, 1.0))

    big_raw = scaled(raw, 100_000, 20_000)
    t, big = timed(lambda: build_dataset(big_raw, c, site), 3)
    rows.append(("normalise 100k feedback + 20k survey rows", t, 15.0))
    blob = pickle.dumps(compact(big))
    t, _ = timed(lambda: expand(pickle.loads(blob)), 5)
    rows.append((f"cache copy per rerun, 100k (compact {len(blob) / 1e6:.0f} MB + expand)", t, 0.3))
    t, opts = timed(lambda: options_for(big), 5)
    rows.append(("filter options, 100k", t, 0.5))
    f = Filters(role_groups=("Local authority",), reactions=("I’m enthusiastic about this",),
                date_from=big.feedback["submitted_at"].min().date())
    t, view = timed(lambda: apply_feedback(big.feedback, f), 5)
    rows.append((f"apply filters, 100k → {len(view):,} rows", t, 0.2))
    t, _ = timed(lambda: summarise(big), 3)
    rows.append(("headless summary, 100k", t, 2.0))
    t, big = timed(lambda: with_identities(big), 3)
    rows.append(("response identities, 100k + 20k (once per load)", t, 3.0))
    rows += store_steps(big.feedback)

    # themes and campaigns: the hand-labelled set resampled and reworded to 1k and 10k comments
    from lib.campaigns import find_campaigns
    from lib.themes import find_themes
    from tests.themes_eval import perturbed_frame

    t, _ = timed(lambda: find_themes(kept(ds.feedback)), 3)
    rows.append(("themes, demo", t, 5.0))
    for n, target in ((1_000, 10.0), (10_000, 30.0)):
        comments = perturbed_frame(n)
        t, _ = timed(lambda c=comments: find_themes(c), 1 if n > 1000 else 3)
        rows.append((f"themes, {n:,} comments", t, target))
        t, _ = timed(lambda c=comments: find_campaigns(c), 1 if n > 1000 else 3)
        rows.append((f"campaigns, {n:,} comments", t, target))
    for level in ("none", "masked"):
        t, _ = timed(lambda level=level: apply_policy(big, level), 5)
        rows.append((f"personal-data policy '{level}' (free text scanned), 100k", t, 0.5))

    missed = 0
    print(f"{'step':<58} {'median':>9} {'target':>8}")
    for name, seconds, target in rows:
        ok = target is None or seconds <= target
        missed += not ok
        print(f"{name:<58} {seconds * 1000:>7.0f}ms {'' if target is None else f'{target:.1f}s':>8} "
              f"{'ok' if ok else 'MISSED'}")
    print(f"kept rows: demo {int((~(ds.feedback.is_spam | ds.feedback.is_duplicate)).sum())}, "
          f"100k {int((~(big.feedback.is_spam | big.feedback.is_duplicate)).sum()):,}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
