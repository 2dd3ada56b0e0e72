"""Campaigns and near-duplicates: separate submissions of the same or nearly the same text.

Copy-paste lobbying arrives as one letter sent by many people with small edits (a greeting,
a closing line, a changed word, a dropped sentence). Method:

1. Text = summary + details, lower-cased, punctuation and runs of space removed.
2. Only texts of at least ``min_words`` words take part: two people writing "Agree." or
   "We welcome this" are not a campaign.
3. Identical texts are grouped at once; the rest are compared by MinHash over word
   ``shingle``-grams with LSH (``datasketch``'s bands) to find candidate pairs cheaply: texts
   sharing a bucket.
4. Each candidate pair is confirmed with ``rapidfuzz``: ``fuzz.ratio`` ≥ ``ratio``, or, when
   their lengths are within ``length_ratio`` of each other, ``token_set_ratio`` ≥ ``token_set``.
   Distinct comments that share a stock opening ("Thank you for the opportunity to respond…
   we welcome this") fail both.
5. Confirmed pairs are joined into groups (connected components, built bucket by bucket: a pair
   already in one group is not compared again); a group of two or more separate submissions is a
   campaign.

Pure functions on DataFrames; nothing here reads files or the network.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .themes import response_text

_NON_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CampaignSettings:
    """Thresholds for calling submissions one campaign."""

    min_words: int = 12
    shingle: int = 3
    num_perm: int = 128
    lsh_threshold: float = 0.4
    ratio: float = 85.0
    token_set: float = 95.0
    length_ratio: float = 0.8
    min_size: int = 2
    seed: int = 1


@dataclass(frozen=True)
class Campaign:
    """One group of near-identical submissions (``members``: response identities, earliest first)."""

    id: str
    members: tuple
    organisations: tuple[str, ...]
    roles: tuple[tuple[str, int], ...]
    first: pd.Timestamp | None
    last: pd.Timestamp | None

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def representative(self):
        """The submission kept when each campaign is counted once: the earliest."""
        return self.members[0]


def normalised_text(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _SPACE.sub(" ", _NON_WORD.sub(" ", text)).strip()


def _shingles(words: Sequence[str], size: int) -> list[bytes]:
    if len(words) <= size:
        return [" ".join(words).encode()]
    return [" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)]


def similar(a: str, b: str, s: CampaignSettings = CampaignSettings()) -> bool:
    """Whether two normalised texts are the same letter with small edits."""
    if fuzz.ratio(a, b) >= s.ratio:
        return True
    short, long_ = sorted((len(a), len(b)))
    return short >= s.length_ratio * long_ and fuzz.token_set_ratio(a, b) >= s.token_set


def signatures(texts: Sequence[str], s: CampaignSettings) -> np.ndarray:
    """Each text's MinHash signature over its word ``shingle``-grams: a row of ``num_perm`` values."""
    if not texts:
        return np.empty((0, s.num_perm), dtype=np.uint64)
    shingled = (_shingles(text.split(), s.shingle) for text in texts)
    return np.vstack([m.hashvalues for m in MinHash.generator(shingled, num_perm=s.num_perm, seed=s.seed)])


def buckets(signature: np.ndarray, s: CampaignSettings) -> Iterator[np.ndarray]:
    """The LSH buckets of two or more rows: positions whose signatures agree on one whole band, with
    the bands ``datasketch.MinHashLSH`` uses for ``lsh_threshold`` (so a pair in a bucket is a pair its
    ``query`` would return)."""
    for start, end in MinHashLSH(threshold=s.lsh_threshold, num_perm=s.num_perm).hashranges:
        band = np.ascontiguousarray(signature[:, start:end])
        keys = band.view(np.dtype((np.void, band.itemsize * (end - start)))).ravel()
        _, bucket, size = np.unique(keys, return_inverse=True, return_counts=True)
        shared = np.flatnonzero(size[bucket] > 1)
        if not len(shared):
            continue
        shared = shared[np.argsort(bucket[shared], kind="stable")]
        yield from np.split(shared, np.flatnonzero(np.diff(bucket[shared])) + 1)


def text_groups(texts: Sequence[str], s: CampaignSettings, candidates: Iterable[np.ndarray] | None = None) -> list[int]:
    """Each text's group, as the position of one text of it: the connected components of the pairs
    that share a bucket of ``candidates`` (default: the LSH buckets) and are ``similar``. A pair already
    joined through others is not compared again, so a letter sent a thousand times costs about a
    thousand comparisons, not half a million."""
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        top = i
        while parent[top] != top:
            top = parent[top]
        while parent[i] != top:
            parent[i], i = top, parent[i]
        return top

    for bucket in buckets(signatures(texts, s), s) if candidates is None else candidates:
        members = bucket.tolist()
        if len({root(i) for i in members}) == 1:
            continue
        seen: list[list[int]] = []   # the bucket's members so far, one list per group
        for x in members:
            joined, apart = [x], []
            for group in seen:
                if root(group[0]) == root(x) or any(similar(texts[x], texts[y], s) for y in group):
                    parent[root(group[0])] = root(x)
                    joined += group
                else:
                    apart.append(group)
            seen = [*apart, joined]
    return [root(i) for i in range(len(texts))]


def _keys(frame: pd.DataFrame, key: str | None) -> pd.Index:
    return frame.index if key is None else pd.Index(frame[key])


def find_campaigns(frame: pd.DataFrame, settings: CampaignSettings = CampaignSettings(),
                   key: str | None = None) -> list[Campaign]:
    """Campaigns among ``frame``'s responses, largest first (ids ``C1``, ``C2``…).

    ``key`` names the column holding each response's identity (default: the index).
    """
    s = settings
    keys = _keys(frame, key)
    texts = [normalised_text(t) for t in response_text(frame)] if len(frame) else []
    eligible = [i for i, t in enumerate(texts) if len(t.split()) >= s.min_words]
    # identical texts first: one representative each goes to LSH
    first_of: dict[str, int] = {}
    edges: list[tuple[int, int]] = []
    unique: list[int] = []
    for i in eligible:
        j = first_of.setdefault(texts[i], i)
        if j != i:
            edges.append((j, i))
        else:
            unique.append(i)
    for a, g in enumerate(text_groups([texts[i] for i in unique], s)):
        if g != a:
            edges.append((unique[g], unique[a]))
    if not edges:
        return []
    n = len(frame)
    rows, cols = zip(*edges, strict=True)
    graph = coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    involved = sorted({i for e in edges for i in e})
    groups: dict[int, list[int]] = {}
    for i in involved:
        groups.setdefault(component[i], []).append(i)
    when = frame["submitted_at"] if "submitted_at" in frame else pd.Series(pd.NaT, index=frame.index)
    out = []
    for members in groups.values():
        if len(members) < s.min_size:
            continue
        part = frame.iloc[members]
        order = pd.DataFrame({"when": when.iloc[members].to_numpy(), "pos": members})
        order = order.sort_values(["when", "pos"], na_position="last", kind="stable")["pos"].tolist()
        members = order
        orgs = part["organisation"].fillna("").astype(str).str.strip() if "organisation" in part else pd.Series([])
        roles = part["role"].astype(object).fillna("").astype(str).value_counts() if "role" in part \
            else pd.Series([], dtype=int)   # astype first: a categorical role column can't take a new ""
        stamps = when.iloc[members].dropna()
        out.append(Campaign(
            id="",
            members=tuple(keys[members]),
            organisations=tuple(sorted({o for o in orgs if o}, key=str.casefold)),
            roles=tuple((str(r), int(c)) for r, c in roles.items() if r),
            first=stamps.min() if len(stamps) else None,
            last=stamps.max() if len(stamps) else None,
        ))
    position = {k: i for i, k in enumerate(keys)}
    out.sort(key=lambda c: (-c.size, position[c.members[0]]))
    return [Campaign(f"C{i + 1}", c.members, c.organisations, c.roles, c.first, c.last) for i, c in enumerate(out)]


def campaign_table(campaigns: Sequence[Campaign]) -> pd.DataFrame:
    """One row per campaign: id, size, organisations, roles, first and last submission."""
    return pd.DataFrame(
        [{"campaign": c.id, "size": c.size, "organisations": ", ".join(c.organisations),
          "roles": ", ".join(f"{r} ({n})" for r, n in c.roles), "first": c.first, "last": c.last,
          "representative": c.representative} for c in campaigns],
        columns=["campaign", "size", "organisations", "roles", "first", "last", "representative"])


def campaign_responses(frame: pd.DataFrame, campaigns: Sequence[Campaign], key: str) -> pd.DataFrame:
    """The rows of ``frame`` that belong to a campaign (``key``: the column of their identities,
    as ``find_campaigns`` was given it), one per identity, indexed by it."""
    members = pd.Index([m for c in campaigns for m in c.members])
    mine = frame[frame[key].isin(members)] if len(members) else frame.iloc[:0]
    return mine.drop_duplicates(key).set_index(key)


def campaigns_display(campaigns: Sequence[Campaign], responses: pd.DataFrame, tz: str) -> pd.DataFrame:
    """``campaign_table`` as the Themes page lists it: each campaign's letter (its representative's
    summary, from ``campaign_responses``), first and last submission on the clock of ``tz``, the
    columns named for people."""
    table = campaign_table(campaigns)
    summaries = responses["summary"] if "summary" in responses.columns else pd.Series(dtype=object)
    table["letter"] = [summaries.get(rep, "") for rep in table["representative"]]
    out = table.drop(columns="representative").rename(columns={
        "campaign": "Campaign", "size": "Responses", "organisations": "Organisations", "roles": "Roles",
        "first": "First", "last": "Last", "letter": "Letter"})
    for col in ("First", "Last"):
        out[col] = out[col].map(lambda t: t.tz_convert(tz).tz_localize(None) if t is not None else None)
    return out


def campaign_letters(responses: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """One campaign's responses (rows of ``campaign_responses``), earliest first, their identity a column."""
    letters = responses.loc[responses.index.intersection(list(campaign.members))].reset_index()
    return letters.sort_values("submitted_at", kind="stable").reset_index(drop=True)


def campaign_of(frame: pd.DataFrame, campaigns: Sequence[Campaign], key: str | None = None) -> pd.Series:
    """Each response's campaign id ("" when it belongs to none), indexed like ``frame``."""
    keys = _keys(frame, key)
    ids = {m: c.id for c in campaigns for m in c.members}
    return pd.Series([ids.get(k, "") for k in keys], index=frame.index, name="campaign", dtype=object)


def count_once(frame: pd.DataFrame, campaigns: Sequence[Campaign], key: str | None = None) -> pd.DataFrame:
    """``frame`` with each campaign kept once (its earliest submission): for "Count each campaign once"."""
    keys = _keys(frame, key)
    extra = {m for c in campaigns for m in c.members[1:]}
    return frame[~np.isin(np.asarray(keys, dtype=object), np.asarray(list(extra), dtype=object))] if extra else frame
