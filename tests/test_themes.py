"""Themes (lib.themes): the measured floor on the hand-labelled set, determinism, no network,
plain messages for too few responses, labels, reaction mix, spread and representatives."""

from __future__ import annotations

import socket

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from lib.themes import (
    UNTHEMED,
    ThemeError,
    ThemeSettings,
    choose_k,
    find_themes,
    label_ngrams,
    merge_near_duplicates,
    nearest,
    reaction_mix,
    representatives,
    theme_labels,
    theme_spread,
    theme_summary,
)
from tests.themes_eval import eval_frame


@pytest.fixture(scope="module")
def labelled():
    return eval_frame()


@pytest.fixture(scope="module")
def whole_run(labelled):
    return find_themes(labelled)


# -- quality against the hand labels (figures in docs/themes.md) --------------------------------


def test_floor_on_the_whole_set(labelled, whole_run):
    truth, found = labelled["theme"], whole_run.assignment
    assert adjusted_rand_score(truth, found) >= 0.35
    assert normalized_mutual_info_score(truth, found) >= 0.55


def test_floor_on_the_held_out_part(labelled):
    held = labelled[labelled["part"] == "held_out"]
    found = find_themes(held).assignment
    assert adjusted_rand_score(held["theme"], found) >= 0.35
    assert normalized_mutual_info_score(held["theme"], found) >= 0.55


def test_generic_comments_stay_unthemed(labelled, whole_run):
    # "Agree", "Agree." have no distinctive word: never forced into a theme
    short = labelled.index[labelled["item"].isin(["n01", "n02"])]
    assert (whole_run.assignment[short] == UNTHEMED).all()


# -- determinism and no network ----------------------------------------------------------------


def test_same_data_and_settings_give_the_same_themes(labelled, whole_run):
    again = find_themes(labelled.sample(frac=1.0, random_state=3).sort_index())
    pd.testing.assert_series_equal(again.assignment, whole_run.assignment)
    assert again.labels == whole_run.labels


def test_the_seed_does_not_change_the_themes(labelled, whole_run):
    other = find_themes(labelled, ThemeSettings(random_state=7))
    assert adjusted_rand_score(other.assignment, whole_run.assignment) == 1.0


def test_ids_are_ordered_by_size(whole_run):
    sizes = whole_run.themes["size"].tolist()
    assert sizes == sorted(sizes, reverse=True)
    assert whole_run.themes["theme"].tolist() == [f"T{i}" for i in range(1, len(sizes) + 1)]
    counts = whole_run.assignment[whole_run.assignment != UNTHEMED].value_counts()
    assert dict(zip(whole_run.themes["theme"], sizes, strict=True)) == counts.to_dict()


def test_runs_with_the_network_disabled(labelled, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from lib.campaigns import find_campaigns

    result = find_themes(labelled[labelled["part"] == "tune"])
    assert len(result.themes) >= 5
    assert len(find_campaigns(labelled)) == 3


def test_manual_k_overrides_the_rule(labelled):
    tune = labelled[labelled["part"] == "tune"]
    result = find_themes(tune, ThemeSettings(k=6))
    assert result.k_chosen == 6 and len(result.themes) <= 6
    assert result.k_scores.empty


# -- too few responses ----------------------------------------------------------------------------


def _frame(summaries, details=None):
    details = details or [""] * len(summaries)
    return pd.DataFrame({"summary": summaries, "details": details, "reaction": "", "page_label": "p",
                         "role_group": "g"}, index=pd.RangeIndex(2, 2 + len(summaries)))


@pytest.mark.parametrize(("n", "said"), [(0, "no response has"), (1, "only 1 response has"),
                                         (3, "only 3 responses have")])
def test_too_few_responses_get_a_plain_message(n, said):
    with pytest.raises(ThemeError) as err:
        find_themes(_frame([f"Comment number {i} about data quality" for i in range(n)]))
    assert str(err.value) == (f"Themes need at least 10 responses with text; {said} text here. "
                              "Read them in the Comments page instead.")


def test_blank_responses_do_not_count():
    frame = _frame(["Data quality matters"] * 3 + [""] * 20)
    with pytest.raises(ThemeError, match="only 3 responses have"):
        find_themes(frame)


def test_a_repeated_identity_is_refused():
    frame = _frame([f"Funding for analysts number {i}" for i in range(12)]).assign(rid=[1, 1] + list(range(10)))
    with pytest.raises(ThemeError, match="'rid' repeats a value"):
        find_themes(frame, key="rid")


# -- pieces on literal data ----------------------------------------------------------------------------


def test_label_phrases_keep_small_words_inside_but_not_at_the_ends():
    grams = label_ngrams("I agree with the direction of travel. Value for money, and the NHS number")
    assert {"direction of travel", "value for money", "nhs number"} <= set(grams)
    assert "travel value" not in grams  # never across a sentence
    assert not any(g.split()[0] in {"the", "and", "i"} for g in grams)


def test_labels_are_the_distinctive_words_of_each_theme():
    texts = ["Funding must be long term funding", "Long term funding for analysts", "Funding cuts hurt",
             "Data standards need a data dictionary", "A data dictionary and open standards", "Standards matter"]
    labels = theme_labels(texts, ["a", "a", "a", "b", "b", "b"])
    # "funding" is the top word; the phrase two people used around it replaces it
    assert labels["a"][0] == "long term funding"
    assert set(labels["b"][:2]) == {"standards", "data dictionary"}
    for terms in labels.values():
        words = " ".join(terms).split()
        assert len(words) == len(set(words)) <= 4


@pytest.mark.parametrize(("counts", "sentence"), [
    ({"Enthusiastic": 7, "Disagree": 2, "Unsure": 1}, "most said Enthusiastic, some said Disagree, a few said Unsure"),
    ({"Disagree": 4}, "all said Disagree"),
    ({"Unsure": 4, "Enthusiastic": 3, "Disagree": 3}, "many said Unsure, some said Enthusiastic, some said Disagree"),
    ({"Enthusiastic": 3, "Not given": 2}, "all said Enthusiastic (2 gave no reaction)"),
    ({"Not given": 2}, "no reaction given"),
    ({}, "no responses"),
    ({"A": 3, "B": 3, "C": 2, "D": 2, "E": 2}, "the largest group said A, some said B, a few said C, others said D, E"),
])
def test_reaction_mix_sentence(counts, sentence):
    assert reaction_mix(counts) == sentence


def test_near_duplicate_themes_merge_by_centroid():
    z = np.array([[1, 0, 0], [0.99, 0.14, 0], [0.98, 0, 0.2], [0.97, 0.24, 0], [0, 0, 1], [0, 0.1, 0.99]])
    z = z / np.linalg.norm(z, axis=1, keepdims=True)
    labels = np.array([0, 0, 1, 1, 2, 2])
    merged = merge_near_duplicates(z, labels, 0.9)
    assert merged[0] == merged[2] and merged[4] != merged[0]
    assert len(set(merge_near_duplicates(z, labels, 0.999))) == 3


def test_spread_and_summary_on_the_set(labelled, whole_run):
    spread = theme_spread(labelled, whole_run.assignment, "role_group")
    t1 = whole_run.assignment[whole_run.assignment == "T1"].index
    expected = labelled.loc[t1, "role_group"].value_counts()
    got = spread[spread["theme"] == "T1"].set_index("role_group")["n"]
    assert got.to_dict() == expected.to_dict()
    assert np.allclose(spread.groupby("theme")["share"].sum(), 1.0)

    short = {"I’m enthusiastic about this": "Enthusiastic", "I disagree with this": "Disagree"}
    summary = theme_summary(labelled, whole_run, short)
    first = summary.iloc[0]
    assert first["size"] == len(t1) and len(first["examples"]) == 3
    assert set(first["examples"]) <= set(t1)


def test_representatives_are_closest_to_the_centroid(whole_run):
    reps = representatives(whole_run, 3)
    for theme in whole_run.themes["theme"]:
        members = whole_run.assignment[whole_run.assignment == theme].index
        vectors = whole_run.vectors.loc[members].to_numpy()
        centre = vectors.mean(axis=0)
        centre /= np.linalg.norm(centre)
        closeness = pd.Series(vectors @ centre, index=members)
        assert closeness[reps[theme]].min() >= closeness.drop(reps[theme]).max() - 1e-9


def test_above_max_clustered_a_sample_is_clustered_and_the_rest_follow_their_nearest(labelled, monkeypatch):
    """The tree's distance matrix grows with n²: above ``max_clustered`` only a sample goes into
    it, and the themes still meet the floors against the hand labels for every response."""
    import lib.themes as themes

    sizes, real = [], themes.linkage
    monkeypatch.setattr(themes, "linkage", lambda z, **kw: sizes.append(len(z)) or real(z, **kw))
    result = find_themes(labelled, ThemeSettings(max_clustered=200))
    assert sizes == [200]
    assert result.assignment.index.equals(labelled.index)
    assert adjusted_rand_score(labelled["theme"], result.assignment) >= 0.35
    assert normalized_mutual_info_score(labelled["theme"], result.assignment) >= 0.55


@pytest.mark.parametrize("memory", [1, 4_000, 64 * 2**20])
def test_nearest_is_scikit_learns_cosine_nearest_neighbour(memory):
    """Each row's nearest sampled row, in chunks of any size, is scikit-learn's brute-force cosine
    nearest neighbour (unit-length rows, no ties)."""
    from sklearn.neighbors import NearestNeighbors
    from sklearn.preprocessing import normalize

    rng = np.random.default_rng(7)
    z = normalize(rng.standard_normal((700, 12))).astype(np.float32)
    to = z[rng.choice(len(z), 60, replace=False)]
    expected = NearestNeighbors(n_neighbors=1, metric="cosine", algorithm="brute").fit(to).kneighbors(
        z, return_distance=False)[:, 0]
    assert nearest(z, to, memory=memory).tolist() == expected.tolist()
    assert nearest(z[:0], to).tolist() == []


@pytest.mark.parametrize("sample", [50, 500])
def test_k_scores_are_the_mean_cosine_silhouette_of_the_sample(sample):
    """Each k's score is scikit-learn's mean cosine silhouette of the tree cut at k, over a fixed
    random sample of ``silhouette_sample`` responses (all when fewer), distances taken once."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.metrics import silhouette_samples
    from sklearn.preprocessing import normalize

    rng = np.random.default_rng(3)
    centres = normalize(rng.standard_normal((4, 8)))
    z = normalize(np.repeat(centres, 30, axis=0) + 0.2 * rng.standard_normal((120, 8)))
    s = ThemeSettings(silhouette_sample=sample, k_min=2, k_max=6)
    tree = linkage(z, method="average", metric="cosine")
    _, scores = choose_k(tree, z, s, min_size=1)
    pick = (np.sort(np.random.default_rng(s.random_state).choice(len(z), size=sample, replace=False))
            if sample < len(z) else np.arange(len(z)))
    expected = [silhouette_samples(z[pick], fcluster(tree, k, criterion="maxclust")[pick], metric="cosine").mean()
                for k in range(2, 7)]
    assert scores["k"].tolist() == [2, 3, 4, 5, 6]
    assert np.allclose(scores["silhouette"], expected, atol=1e-9)
