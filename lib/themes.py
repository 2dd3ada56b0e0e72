"""Themes in free-text responses, found on this server: no comment leaves it.

Method (measured against a hand-labelled set in docs/themes.md):

1. Text = summary + details. Word unigrams and bigrams, English stop words removed,
   sublinear TF-IDF (``TfidfVectorizer``).
2. Latent semantic analysis: ``TruncatedSVD`` to ``dimensions`` components (fixed
   ``random_state``), rows scaled to unit length, so dot products are cosine similarities.
3. Average-linkage agglomerative clustering on cosine distance (scipy), one tree for all k.
   Its distance matrix grows with the square of the responses (10,000: 400 MB; 100,000: 40 GB),
   so above ``max_clustered`` responses a fixed random sample of that many is clustered and
   every other response takes the theme of its nearest sampled response (or stays unthemed
   with it), before steps 5–6 run on all of them.
4. Number of themes: the tree is cut at every k in ``k_min..k_max``; clusters under the
   minimum theme size become "Unthemed"; the k with the highest silhouette (cosine, on the
   themed responses) wins, the smaller k on a tie. ``k`` in the settings overrides the rule.
5. Themes whose centroids are near-duplicates (cosine ≥ ``merge_similarity``) are merged.
6. A response stays "Unthemed" when it has too few informative words, when its cluster is
   too small, or when it is far from its theme's centroid (cosine < ``fit_similarity``):
   never forced into the nearest theme.
7. Labels: class-based TF-IDF (c-TF-IDF) over the theme's responses against all the others,
   uni- and bigrams without stop words, overlapping words dropped, 2–4 words in all.
8. Ids ``T1``, ``T2``… by size (largest first), then label: same data and settings → same themes.

Everything here is pure (no Streamlit, no network, no files); callers cache the result.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    CountVectorizer,
    TfidfVectorizer,
    strip_accents_unicode,
)
from sklearn.metrics import silhouette_samples
from sklearn.metrics.pairwise import cosine_distances
from sklearn.preprocessing import normalize

from .consultation import NOT_GIVEN, UNTHEMED

#: Fewer responses with words in them than this, and no themes are looked for.
MIN_RESPONSES = 10
#: A response needs at least this many informative terms (after stop words) to be themed.
MIN_TERMS = 2

#: Words too common in this consultation to tell one theme from another, on top of
#: scikit-learn's English stop words (used for labels and for the vectors alike).
DOMAIN_STOP_WORDS = frozenset({
    "would", "could", "should", "also", "just", "really", "think", "like", "make", "need", "needs",
    "want", "good", "great", "use", "used", "using", "way", "ways", "thing", "things", "lot", "lots",
    "yes", "please", "agree", "welcome", "support", "supportive", "idea", "ideas", "page", "section",
    "document", "centre", "excellence", "work", "help", "helpful", "important", "better", "don",
    "doesn", "isn", "ve", "ll", "re", "didn", "won", "can", "cant", "etc", "eg", "ie",
})
CONTRACTIONS = frozenset({
    "i'm", "i've", "i'd", "i'll", "it's", "that's", "there's", "here's", "what's", "who's", "let's", "we're",
    "we've", "we'd", "we'll", "they're", "they've", "they'd", "you're", "you've", "you'd", "he's", "she's",
    "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't", "can't", "couldn't",
    "shouldn't", "wouldn't", "haven't", "hasn't", "hadn't",
})
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | DOMAIN_STOP_WORDS | CONTRACTIONS
_TOKEN = r"(?u)\b[^\W\d_][\w'-]*[^\W_]\b|\b[^\W\d_]{2}\b"
_TOKEN_RE = re.compile(_TOKEN)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def preprocess(text: str) -> str:
    """Lower case, accents stripped, every apostrophe written ``'``."""
    return strip_accents_unicode(text.translate(_APOSTROPHES).lower())


def tokens(text: str) -> list[str]:
    """Words of a preprocessed text (letters, inner apostrophes and hyphens kept)."""
    return _TOKEN_RE.findall(text)


def label_ngrams(text: str) -> list[str]:
    """Label candidates: words and 2–3-word phrases that neither start nor end with a stop word
    (so "direction of travel" and "value for money" survive whole)."""
    out = []
    for clause in _CLAUSE.split(preprocess(text)):
        words = tokens(clause)
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if gram[0] in STOP_WORDS or gram[-1] in STOP_WORDS:
                    continue
                if n == 3 and gram[1] in STOP_WORDS and gram[1] not in _LINKS:
                    continue
                out.append(" ".join(gram))
    return out


_CLAUSE = re.compile(r"[.;:!?,()\[\]\"“”—–/]+|\s-\s")


#: Small words allowed in the middle of a three-word label phrase.
_LINKS = frozenset({"of", "for", "and", "to", "in", "on", "with", "at", "by"})


class ThemeError(ValueError):
    """Themes cannot be found for this input; the message says why, in a plain sentence."""


@dataclass(frozen=True)
class ThemeSettings:
    """How themes are found. ``k`` fixes the number of themes; ``None`` chooses it."""

    k: int | None = None
    k_min: int = 4
    k_max: int = 40
    dimensions: int | None = None  # None: round(sqrt(n)) between 10 and 30
    plateau: float = 0.95
    min_size: int | None = None  # None: max(3, ceil(n / 200))
    merge_similarity: float = 0.8
    fit_similarity: float = 0.0
    random_state: int = 0
    silhouette_sample: int = 2000
    label_words: int = 4
    max_clustered: int = 10_000  # responses clustered directly (memory: 4·n² bytes); the rest by nearest neighbour

    def lsa_dimensions(self, n: int) -> int:
        """LSA components for ``n`` responses: √n, at least 10 and at most 30."""
        return self.dimensions if self.dimensions is not None else int(min(30, max(10, round(math.sqrt(n)))))

    def minimum_size(self, n: int) -> int:
        """The smallest theme for ``n`` responses: 3, or one in 200 for large sets."""
        return self.min_size if self.min_size is not None else max(3, math.ceil(n / 200))


@dataclass(frozen=True)
class Themes:
    """One run's result.

    ``assignment``: theme id (or ``UNTHEMED``) per response, indexed like the input frame
    (or by the caller's key column). ``themes``: one row per theme, largest first, with
    ``theme``, ``label``, ``size``, ``words`` (the label's terms). ``fit``: each response's
    cosine similarity to its theme's centroid (NaN when unthemed). ``k_scores``: the
    silhouette for each k tried (empty when ``k`` was given). ``vectors``: unit-length
    LSA vectors of the themed-or-not responses with words (for representatives and moves).
    """

    assignment: pd.Series
    themes: pd.DataFrame
    fit: pd.Series
    k_scores: pd.DataFrame
    k_chosen: int
    vectors: pd.DataFrame = field(repr=False)
    settings: ThemeSettings = ThemeSettings()

    @property
    def labels(self) -> dict[str, str]:
        """Theme id → label."""
        return dict(zip(self.themes["theme"], self.themes["label"], strict=True))


# -- text and vectors ---------------------------------------------------------------------


def response_text(frame: pd.DataFrame) -> pd.Series:
    """Summary and details as one text per response (blanks for missing values)."""
    summary = frame["summary"].fillna("").astype(str).str.strip()
    details = frame["details"].fillna("").astype(str).str.strip() if "details" in frame else ""
    joined = summary + ". " + details
    return joined.str.strip(" .").where((summary != "") | (details != ""), "")


def _tfidf(texts: Sequence[str]) -> tuple[TfidfVectorizer, object]:
    n = len(texts)
    for min_df in ((2, 1) if n >= 20 else (1,)):
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words=sorted(STOP_WORDS),
                              token_pattern=_TOKEN, preprocessor=preprocess, min_df=min_df,
                              max_df=0.5 if n >= 20 else 1.0, max_features=50_000, dtype=np.float32)
        try:
            return vec, vec.fit_transform(texts)
        except ValueError:  # no term survives: try a looser vocabulary
            continue
    raise ThemeError("These responses have too few words in common to find themes.")


def lsa_vectors(matrix, dimensions: int, random_state: int) -> np.ndarray:
    """Unit-length LSA vectors of a TF-IDF matrix (``dimensions`` capped by its shape)."""
    d = max(1, min(dimensions, matrix.shape[0] - 1, matrix.shape[1] - 1))
    # ARPACK: the exact truncated SVD, so the seed only picks the solver's starting vector
    z = TruncatedSVD(n_components=d, algorithm="arpack", random_state=random_state).fit_transform(matrix)
    return normalize(z)


# -- clustering ---------------------------------------------------------------------------


def _small_to_noise(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Clusters under ``min_size`` (and -1) become -1."""
    out = labels.copy()
    ids, counts = np.unique(labels[labels >= 0], return_counts=True)
    for c, n in zip(ids, counts, strict=True):
        if n < min_size:
            out[out == c] = -1
    return out


def _sampled_distances(z: np.ndarray, sample: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows the silhouette is measured on (all, or a fixed random ``sample``) and their cosine
    distances, worked out once for every k tried."""
    pick = (np.sort(np.random.default_rng(seed).choice(len(z), size=sample, replace=False)) if len(z) > sample
            else np.arange(len(z)))
    return pick, cosine_distances(z[pick])


def _silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette (cosine distances given) over all responses, unthemed ones counting 0: tiny clusters cost."""
    keep = labels >= 0
    if len(set(labels[keep])) < 2:
        return -1.0
    values = np.zeros(len(labels))
    values[keep] = silhouette_samples(distances[np.ix_(keep, keep)], labels[keep], metric="precomputed")
    return float(values.mean())


def choose_k(tree: np.ndarray, z: np.ndarray, s: ThemeSettings, min_size: int) -> tuple[int, pd.DataFrame]:
    """The smallest k in ``k_min..k_max`` whose silhouette is within ``plateau`` of the best, and every score.

    The silhouette of text clusters keeps creeping up as k grows (each extra cut splits off a
    slightly tighter group); taking the first k on the plateau keeps themes broad enough to read.
    """
    n = len(z)
    top = max(2, min(s.k_max, n // min_size))
    rows = []
    pick, distances = _sampled_distances(z, s.silhouette_sample, s.random_state)
    for k in range(max(2, min(s.k_min, top)), top + 1):
        labels = _small_to_noise(fcluster(tree, k, criterion="maxclust") - 1, min_size)
        rows.append((k, _silhouette(distances, labels[pick])))
    scores = pd.DataFrame(rows, columns=["k", "silhouette"])
    best = scores["silhouette"].max()
    k = scores.loc[scores["silhouette"] >= best - abs(best) * (1 - s.plateau), "k"].min()
    return int(k), scores


def _centroids(z: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    return {c: normalize(z[labels == c].mean(axis=0, keepdims=True))[0] for c in sorted(set(labels) - {-1})}


def merge_near_duplicates(z: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Merge the two themes with the most similar centroids while that similarity ≥ ``threshold``."""
    labels = labels.copy()
    while True:
        cents = _centroids(z, labels)
        ids = list(cents)
        if len(ids) < 2:
            return labels
        m = np.array([cents[c] for c in ids])
        sim = m @ m.T
        np.fill_diagonal(sim, -np.inf)
        i, j = np.unravel_index(int(np.argmax(sim)), sim.shape)
        if sim[i, j] < threshold:
            return labels
        labels[labels == ids[j]] = ids[i]


def _tree_labels(z: np.ndarray, s: ThemeSettings) -> tuple[np.ndarray, int, pd.DataFrame]:
    """Steps 3–4 on ``z``: the tree cut at the chosen (or given) k, small clusters unthemed."""
    n = len(z)
    min_size = s.minimum_size(n)
    tree = linkage(z.astype(np.float64), method="average", metric="cosine")
    if s.k is not None:
        if s.k < 1:
            raise ThemeError("The number of themes must be at least 1.")
        k, scores = min(s.k, n), pd.DataFrame(columns=["k", "silhouette"])
    else:
        k, scores = choose_k(tree, z, s, min_size)
    return _small_to_noise(fcluster(tree, k, criterion="maxclust") - 1, min_size), k, scores


def nearest(z: np.ndarray, to: np.ndarray, memory: int = 64 * 2**20) -> np.ndarray:
    """For each row of ``z``, the position of the row of ``to`` nearest to it (unit-length rows: the
    largest dot product is the smallest cosine distance), worked out ``memory`` bytes at a time."""
    step = max(1, memory // max(1, len(to) * z.itemsize))
    parts = [np.argmax(z[i:i + step] @ to.T, axis=1) for i in range(0, len(z), step)]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.intp)


def _sampled_labels(z: np.ndarray, s: ThemeSettings) -> tuple[np.ndarray, int, pd.DataFrame]:
    """Steps 3–4 on a fixed random sample of ``max_clustered`` responses; every other response
    takes the label of its nearest sampled one (cosine), unthemed included."""
    n = len(z)
    pick = np.sort(np.random.default_rng(s.random_state).choice(n, size=s.max_clustered, replace=False))
    sampled, k, scores = _tree_labels(z[pick], s)
    labels = sampled[nearest(z, z[pick])]
    labels[pick] = sampled
    return _small_to_noise(labels, s.minimum_size(n)), k, scores


def cluster(z: np.ndarray, s: ThemeSettings) -> tuple[np.ndarray, int, pd.DataFrame]:
    """Theme numbers (-1: unthemed) for unit-length vectors, the k used and the k scores."""
    n = len(z)
    min_size = s.minimum_size(n)
    labels, k, scores = (_sampled_labels if n > s.max_clustered else _tree_labels)(z, s)
    if s.k is None:
        labels = merge_near_duplicates(z, labels, s.merge_similarity)
    cents = _centroids(z, labels)
    fit = np.array([z[i] @ cents[c] if c >= 0 else np.nan for i, c in enumerate(labels)])
    with np.errstate(invalid="ignore"):
        labels = _small_to_noise(np.where(fit >= s.fit_similarity, labels, -1), min_size)
    return labels, k, scores


# -- labels ---------------------------------------------------------------------------------


def class_tfidf(texts: Sequence[str], labels: Sequence[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """c-TF-IDF: one row per class (sorted class names), one column per uni/bigram.

    tf = the term's share of the class's words; idf = log(1 + mean words per class / the
    term's frequency over all classes) (Grootendorst, BERTopic).
    """
    counts = CountVectorizer(analyzer=label_ngrams)
    x = counts.fit_transform(texts)
    classes = sorted(set(labels))
    onehot = pd.get_dummies(pd.Categorical(list(labels), categories=classes)).to_numpy(dtype=np.float32)
    per_class = (onehot.T @ x).astype(np.float64)  # classes × terms
    words = per_class.sum(axis=1, keepdims=True)
    tf = per_class / np.maximum(words, 1)
    freq = per_class.sum(axis=0)
    idf = np.log(1 + words.mean() / np.maximum(freq, 1))
    return pd.DataFrame(tf * idf, index=classes, columns=counts.get_feature_names_out()), x


def label_terms(scores: pd.Series, support: pd.Series, max_words: int = 4) -> list[str]:
    """The distinctive terms of one theme, best first, without repeating a word; 2–4 words in all.

    ``support``: how many of the theme's responses use each term. A term used by one response
    only is a last resort, so a label speaks for more than one person; a phrase replaces its
    own word when the phrase scores at least half as well ("case management", not "case").
    """
    ranked = scores[scores > 0].sort_values(ascending=False, kind="stable")
    backed = support.reindex(ranked.index).fillna(0) >= 2
    ranked = pd.concat([ranked[backed], ranked[~backed]])
    top = ranked.iloc[:60]
    chosen: list[str] = []
    used: set[str] = set()
    n_words = 0
    for term in ranked.index[:200]:
        phrases = [p for p in top.index if " " in p and f" {term} " in f" {p} " and p != term
                   and top[p] >= 0.5 * ranked[term] and backed.get(p, False)]
        if phrases and " " not in term:
            term = phrases[0]
        words = term.split()
        stems = {_stem(w) for w in words if w not in STOP_WORDS}
        if stems & used or n_words + len(words) > max_words:
            continue
        chosen.append(term)
        used |= stems
        n_words += len(words)
        if n_words >= max_words or len(chosen) == 3:
            break
    return chosen


def _stem(word: str) -> str:
    """A crude stem, only to keep one label from saying "sharing · share"."""
    for suffix in ("ings", "ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def surface_form(term: str, texts: Sequence[str]) -> str:
    """How people most often wrote ``term`` ("AI", "NHS number", "DfE"), else as it is."""
    pattern = re.compile(r"(?<!\w)" + r"\W+".join(re.escape(w) for w in term.split()) + r"(?!\w)", re.IGNORECASE)
    forms: dict[str, int] = {}
    for text in texts:
        for m in pattern.finditer(text.translate(_APOSTROPHES)):
            form = " ".join(m.group(0).split())
            forms[form] = forms.get(form, 0) + 1
    if not forms:
        return term
    # prefer lower case unless people mostly write it otherwise (acronyms, names)
    best = max(forms.items(), key=lambda kv: (kv[1], kv[0] == term))[0]
    return best if best.lower() == term and not best.istitle() else term


def label_text(terms: Sequence[str]) -> str:
    """A readable label from terms: ``"Data quality · validation"`` (acronyms kept as written)."""
    if not terms:
        return "(no distinctive words)"
    text = " · ".join(terms)
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def theme_labels(texts: Sequence[str], assignment: Sequence[str], max_words: int = 4) -> dict[str, list[str]]:
    """Label terms for every theme (``UNTHEMED`` takes part as a class but gets no label)."""
    scores, x = class_tfidf(texts, assignment)
    present = (x > 0).astype(np.int32)
    assignment = np.asarray(assignment)
    out = {}
    for theme in scores.index:
        if theme == UNTHEMED:
            continue
        mine = assignment == theme
        support = pd.Series(np.asarray(present[mine].sum(axis=0)).ravel(), index=scores.columns)
        own = [t for t, m in zip(texts, mine, strict=True) if m]
        out[theme] = [surface_form(term, own) for term in label_terms(scores.loc[theme], support, max_words)]
    return out


# -- the pipeline -------------------------------------------------------------------------


def _keys(frame: pd.DataFrame, key: str | None) -> pd.Index:
    if key is None:
        return frame.index
    if key not in frame:
        raise ThemeError(f"The response identity column {key!r} is missing.")
    keys = pd.Index(frame[key])
    if keys.has_duplicates:
        raise ThemeError(f"The response identity column {key!r} repeats a value; each response needs its own.")
    return keys


def find_themes(frame: pd.DataFrame, settings: ThemeSettings = ThemeSettings(), key: str | None = None) -> Themes:
    """Themes over the summary and details of ``frame``'s responses (see the module's docstring).

    ``key`` names a column holding each response's stable identity (default: the index).
    Raises ``ThemeError`` (a plain sentence) when there are too few responses with words.
    """
    s = settings
    keys = _keys(frame, key)
    texts = response_text(frame).tolist()
    has_text = np.array([bool(t) for t in texts])
    if has_text.sum() < MIN_RESPONSES:
        n = int(has_text.sum())
        said = "no response has" if n == 0 else ("only 1 response has" if n == 1 else f"only {n} responses have")
        raise ThemeError(f"Themes need at least {MIN_RESPONSES} responses with text; {said} text here. "
                         "Read them in the Comments page instead.")
    _, matrix = _tfidf([t for t, h in zip(texts, has_text, strict=True) if h])
    rows = np.flatnonzero(has_text)
    informative = np.asarray((matrix > 0).sum(axis=1)).ravel() >= MIN_TERMS
    if informative.sum() < MIN_RESPONSES:
        raise ThemeError(f"Themes need at least {MIN_RESPONSES} responses with a few distinctive words; "
                         f"only {int(informative.sum())} have them here.")
    rows, matrix = rows[informative], matrix[informative]
    z = lsa_vectors(matrix, s.lsa_dimensions(len(rows)), s.random_state)
    labels, k, scores = cluster(z, s)

    raw = np.full(len(frame), UNTHEMED, dtype=object)
    raw[rows] = [f"c{c}" if c >= 0 else UNTHEMED for c in labels]
    terms = theme_labels(texts, [r if h else UNTHEMED for r, h in zip(raw, has_text, strict=True)], s.label_words)
    table = pd.DataFrame({"raw": [c for c in terms], "words": [tuple(terms[c]) for c in terms]})
    table["label"] = table["words"].map(label_text)
    table["size"] = table["raw"].map(pd.Series(raw).value_counts())
    table = table.sort_values(["size", "label"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table["theme"] = [f"T{i + 1}" for i in range(len(table))]
    rename = dict(zip(table["raw"], table["theme"], strict=True))
    assignment = pd.Series([rename.get(r, UNTHEMED) for r in raw], index=keys, name="theme", dtype=object)
    fit_all = np.full(len(frame), np.nan)
    # recompute the fit against the final themes' centroids (merges and drops changed them)
    vectors = pd.DataFrame(z, index=keys[rows])
    final = assignment.iloc[rows].to_numpy()
    for theme in table["theme"]:
        mask = final == theme
        centre = normalize(z[mask].mean(axis=0, keepdims=True))[0]
        fit_all[rows[mask]] = z[mask] @ centre
    return Themes(
        assignment=assignment,
        themes=table[["theme", "label", "size", "words"]],
        fit=pd.Series(fit_all, index=keys, name="fit"),
        k_scores=scores,
        k_chosen=k,
        vectors=vectors,
        settings=s,
    )


# -- describing themes --------------------------------------------------------------------


def representatives(result: Themes, n: int = 3) -> dict[str, list]:
    """Each theme's ``n`` responses closest to its centroid (ties: earlier response first)."""
    out = {}
    fit = result.fit
    for theme in result.themes["theme"]:
        members = fit[result.assignment == theme]
        order = pd.DataFrame({"fit": members.to_numpy(), "pos": range(len(members))}, index=members.index)
        order = order.sort_values(["fit", "pos"], ascending=[False, True], kind="stable")
        out[theme] = list(order.index[:n])
    return out


def reaction_mix(counts: Mapping[str, int], missing: Sequence[str] = (NOT_GIVEN, "")) -> str:
    """A sentence for a theme's reactions, e.g. "most said Enthusiastic, some said Disagree".

    ``counts``: reaction (short label) → number of responses. Reactions in ``missing`` are
    left out of the wording and mentioned at the end ("3 gave no reaction").
    """
    given = {r: int(n) for r, n in counts.items() if r not in missing and n > 0}
    none = sum(int(n) for r, n in counts.items() if r in missing and n > 0)
    total = sum(given.values())
    if total == 0:
        return "no reaction given" if none else "no responses"
    ranked = sorted(given.items(), key=lambda item: -item[1])
    first, n_first = ranked[0]
    if n_first == total:
        parts = [f"all said {first}"]
    else:
        lead = "most" if n_first * 2 > total else ("many" if n_first * 3 >= total else "the largest group")
        parts = [f"{lead} said {first}"]
        for reaction, n in ranked[1:3]:
            parts.append(f"{'some' if n * 5 >= total else 'a few'} said {reaction}")
        if len(ranked) > 3:
            parts.append("others said " + ", ".join(r for r, _ in ranked[3:]))
    text = ", ".join(parts)
    if none:
        text += f" ({none} gave no reaction)"
    return text


def reaction_counts(frame: pd.DataFrame, assignment: pd.Series, short: Mapping[str, str] | None = None,
                    key: str | None = None) -> pd.DataFrame:
    """Theme × reaction counts (short reaction names when ``short`` is given), tidy."""
    keys = _keys(frame, key)
    reaction = pd.Series(frame["reaction"].to_numpy(), index=keys).astype(object).fillna("")
    if short:
        reaction = reaction.map(lambda r: short.get(r, r))
    tidy = pd.DataFrame({"theme": assignment.reindex(keys).to_numpy(), "reaction": reaction.to_numpy()})
    return tidy.groupby(["theme", "reaction"], sort=True).size().rename("n").reset_index()


def theme_spread(frame: pd.DataFrame, assignment: pd.Series, column: str, key: str | None = None) -> pd.DataFrame:
    """Theme × ``column`` (e.g. ``page_label``, ``role_group``): tidy ``theme, <column>, n, share``.

    ``share`` is the part of the theme's responses in that cell (rows of a heatmap add to 1).
    """
    keys = _keys(frame, key)
    values = pd.Series(frame[column].to_numpy(), index=keys).astype(object).fillna("")
    tidy = pd.DataFrame({"theme": assignment.reindex(keys).to_numpy(), column: values.to_numpy()})
    out = tidy.groupby(["theme", column], sort=True).size().rename("n").reset_index()
    out["share"] = out["n"] / out.groupby("theme")["n"].transform("sum")
    return out


def theme_summary(frame: pd.DataFrame, result: Themes, short: Mapping[str, str] | None = None,
                  key: str | None = None, n_examples: int = 3) -> pd.DataFrame:
    """One row per theme: id, label, size, reaction mix sentence and its representative responses."""
    counts = reaction_counts(frame, result.assignment, short, key)
    reps = representatives(result, n_examples)
    rows = []
    for t in result.themes.itertuples():
        mine = counts[counts["theme"] == t.theme]
        rows.append({"theme": t.theme, "label": t.label, "size": int(t.size),
                     "reaction_mix": reaction_mix(dict(zip(mine["reaction"], mine["n"], strict=True))),
                     "examples": reps[t.theme]})
    return pd.DataFrame(rows, columns=["theme", "label", "size", "reaction_mix", "examples"])

