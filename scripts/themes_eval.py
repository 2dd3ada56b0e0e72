"""Measure theme methods against the hand-labelled set (tests/data/themes_eval.yaml).

    python -m scripts.themes_eval                # the tuning part only (used to choose)
    python -m scripts.themes_eval --held-out     # also the held-out part and the whole set

Prints Markdown tables for docs/themes.md: ARI and NMI against the hand themes (the
"Unthemed" bucket counts as one more group), the share themed, the number of themes,
per-theme recall, stability across seeds, and the campaign figures.
"""

from __future__ import annotations

import argparse
import itertools
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.cluster import HDBSCAN, KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, silhouette_score
from sklearn.preprocessing import normalize

from lib import themes as T
from lib.campaigns import find_campaigns
from tests.themes_eval import eval_frame

warnings.filterwarnings("ignore", category=FutureWarning)


# -- the methods compared ------------------------------------------------------------------


def _prepared(frame: pd.DataFrame, s: T.ThemeSettings):
    texts = T.response_text(frame).tolist()
    _, matrix = T._tfidf(texts)
    informative = np.asarray((matrix > 0).sum(axis=1)).ravel() >= T.MIN_TERMS
    return texts, matrix, informative


def _as_assignment(frame, informative, labels) -> pd.Series:
    out = np.full(len(frame), T.UNTHEMED, dtype=object)
    out[np.flatnonzero(informative)] = [f"c{c}" if c >= 0 else T.UNTHEMED for c in labels]
    return pd.Series(out, index=frame.index)


def _kmeans_best(z, s: T.ThemeSettings, metric: str) -> np.ndarray:
    """k-means with the k of the best silhouette over k_min..k_max (naive baseline rule)."""
    best, best_labels = -2.0, None
    for k in range(s.k_min, min(s.k_max, z.shape[0] // 3) + 1):
        labels = KMeans(k, n_init=5, random_state=s.random_state).fit_predict(z)
        score = silhouette_score(z, labels, metric=metric)
        if score > best:
            best, best_labels = score, labels
    return best_labels


def tfidf_kmeans(frame, s):
    """Naive: TF-IDF (uni+bigrams) → k-means, k by silhouette; every response forced into a theme."""
    _, matrix, informative = _prepared(frame, s)
    return _as_assignment(frame, informative, _kmeans_best(normalize(matrix[informative]), s, "cosine"))


def lsa_kmeans(frame, s):
    """TF-IDF → LSA → k-means, k by silhouette; every response forced into a theme."""
    _, matrix, informative = _prepared(frame, s)
    z = T.lsa_vectors(matrix[informative], s.lsa_dimensions(int(informative.sum())), s.random_state)
    return _as_assignment(frame, informative, _kmeans_best(z, s, "cosine"))


def lsa_hdbscan(frame, s):
    """TF-IDF → LSA → HDBSCAN (min_cluster_size = the minimum theme size); outliers unthemed."""
    _, matrix, informative = _prepared(frame, s)
    z = T.lsa_vectors(matrix[informative], s.lsa_dimensions(int(informative.sum())), s.random_state)
    labels = HDBSCAN(min_cluster_size=s.minimum_size(len(z)), min_samples=2).fit_predict(z)
    return _as_assignment(frame, informative, labels)


def lsa_agglomerative(frame, s):
    """The chosen method: lib.themes.find_themes."""
    return T.find_themes(frame, s).assignment


def _wordllama():
    try:
        from pathlib import Path

        import wordllama
        from wordllama import WordLlama
    except ImportError:
        return None
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


_WL = None


def wordllama_lsa_agglomerative(frame, s):
    """Static word embeddings (wordllama, 256-d) beside the LSA vectors → the same clustering."""
    global _WL
    _WL = _WL or _wordllama()
    texts, matrix, informative = _prepared(frame, s)
    z = T.lsa_vectors(matrix[informative], s.lsa_dimensions(int(informative.sum())), s.random_state)
    e = normalize(np.asarray(_WL.embed([t for t, i in zip(texts, informative, strict=True) if i]), dtype=float))
    labels, _, _ = T.cluster(normalize(np.hstack([z, e])), s)
    return _as_assignment(frame, informative, labels)


def wordllama_kmeans(frame, s):
    """Static word embeddings (wordllama) → k-means, k by silhouette."""
    global _WL
    _WL = _WL or _wordllama()
    texts, _, informative = _prepared(frame, s)
    e = normalize(np.asarray(_WL.embed([t for t, i in zip(texts, informative, strict=True) if i]), dtype=float))
    return _as_assignment(frame, informative, _kmeans_best(e, s, "cosine"))


METHODS = {
    "TF-IDF + k-means (naive)": tfidf_kmeans,
    "LSA + k-means": lsa_kmeans,
    "LSA + HDBSCAN": lsa_hdbscan,
    "LSA + average-linkage (chosen)": lsa_agglomerative,
    "wordllama + k-means": wordllama_kmeans,
    "wordllama ⊕ LSA + average-linkage": wordllama_lsa_agglomerative,
}


# -- measures --------------------------------------------------------------------------------


def scores(truth: pd.Series, found: pd.Series) -> dict:
    """ARI/NMI on all responses and on individual comments only (campaign copies left out)."""
    individual = truth.index[truth.attrs.get("individual", np.ones(len(truth), bool))]
    return {
        "ARI": adjusted_rand_score(truth, found), "NMI": normalized_mutual_info_score(truth, found),
        "ARI (individual)": adjusted_rand_score(truth[individual], found[individual]),
        "NMI (individual)": normalized_mutual_info_score(truth[individual], found[individual]),
        "themed": float((found != T.UNTHEMED).mean()), "themes": int(found[found != T.UNTHEMED].nunique()),
    }


def theme_recall(truth: pd.Series, found: pd.Series) -> pd.DataFrame:
    """Per hand theme: the found theme holding most of it, recall (its share of the hand theme)
    and precision (the hand theme's share of that found theme)."""
    rows = []
    for theme, members in truth.groupby(truth):
        got = found[members.index]
        got = got[got != T.UNTHEMED]
        if got.empty:
            rows.append((theme, len(members), "—", 0.0, 0.0))
            continue
        best = got.value_counts().index[0]
        recall = float((got == best).sum() / len(members))
        precision = float((truth[found == best] == theme).mean())
        rows.append((theme, len(members), best, recall, precision))
    out = pd.DataFrame(rows, columns=["hand theme", "size", "found", "recall", "precision"])
    return out.sort_values("size", ascending=False, kind="stable")


def stability(frame: pd.DataFrame, s: T.ThemeSettings, seeds=range(5)) -> tuple[float, float, list[int]]:
    """Mean and lowest ARI between runs with different random seeds, and the number of themes each."""
    runs = [T.find_themes(frame, T.ThemeSettings(**{**s.__dict__, "random_state": seed})) for seed in seeds]
    pairs = [adjusted_rand_score(a.assignment, b.assignment) for a, b in itertools.combinations(runs, 2)]
    return float(np.mean(pairs)), float(np.min(pairs)), [len(r.themes) for r in runs]


def campaign_scores(frame: pd.DataFrame) -> dict:
    """Planted campaigns found (all members in one group, nothing else) and groups that are not campaigns."""
    groups = find_campaigns(frame)
    planted = {c: set(m.index) for c, m in frame[frame["campaign"] != ""].groupby("campaign")}
    found = [set(g.members) for g in groups]
    exact = sum(1 for members in planted.values() if members in found)
    member_recall = np.mean([max((len(members & g) for g in found), default=0) / len(members)
                             for members in planted.values()])
    false_groups = sum(1 for g in found if not any(g <= members for members in planted.values()))
    return {"planted": len(planted), "found exactly": exact, "member recall": float(member_recall),
            "groups found": len(found), "false groups": false_groups}


def _md(frame: pd.DataFrame) -> str:
    """A Markdown table (floats to 3 places)."""
    cells = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in frame.itertuples(index=False)]
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help="also report the held-out part and the whole set")
    args = parser.parse_args(argv)
    full = eval_frame()
    parts = {"tune": full[full["part"] == "tune"]}
    if args.held_out:
        parts |= {"held_out": full[full["part"] == "held_out"], "all": full}
    s = T.ThemeSettings()
    table = []
    for name, frame in parts.items():
        truth = frame["theme"].copy()
        truth.attrs["individual"] = (frame["campaign"] == "").to_numpy()
        for method, fn in METHODS.items():
            if "wordllama" in method and _wordllama() is None:
                continue
            start = time.perf_counter()
            found = fn(frame, s)
            table.append({"part": name, "n": len(frame), "method": method, **scores(truth, found),
                          "seconds": time.perf_counter() - start})
    print("## Methods\n")
    print(_md(pd.DataFrame(table)))
    for name, frame in parts.items():
        found = T.find_themes(frame, s)
        print(f"\n## Chosen method on {name}: k chosen {found.k_chosen}, {len(found.themes)} themes\n")
        print(_md(theme_recall(frame["theme"], found.assignment)))
        mean, low, sizes = stability(frame, s)
        print(f"\nStability over seeds 0–4: mean ARI between runs {mean:.3f}, lowest {low:.3f}, themes {sizes}")
        print("\nLabels:\n")
        print(_md(found.themes[["theme", "label", "size"]]))
    print("\n## Campaigns\n")
    print(_md(pd.DataFrame([{"part": name, **campaign_scores(frame)} for name, frame in parts.items()])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
