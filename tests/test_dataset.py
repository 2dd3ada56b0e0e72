"""The dataset's cache form: compacting for cheap copies changes nothing once expanded."""

import pandas as pd

from lib.dataset import CATEGORICAL, compact, expand
from lib.settings import Settings, load_dataset


def test_compact_then_expand_is_the_same_dataset():
    """The same values; the same column types but the label columns' (``CATEGORICAL``), which
    stay categorical."""
    ds = load_dataset(Settings())
    small = compact(ds)
    assert isinstance(small.feedback["reaction"].dtype, pd.CategoricalDtype)
    back = expand(small)
    for name in ("feedback", "survey", "scores", "activities"):
        got, was = getattr(back, name), getattr(ds, name)
        labels = [c for c in got.columns if c in CATEGORICAL]
        assert all(isinstance(got[c].dtype, pd.CategoricalDtype) for c in labels)
        pd.testing.assert_frame_equal(got.astype({c: was[c].dtype for c in labels}), was)
        assert got.attrs == {}
    assert {"page_path", "reaction", "role_group"} <= set(back.feedback.columns) & CATEGORICAL
    assert expand(ds) is not None and expand(ds).feedback is ds.feedback  # plain frames pass through


def test_compact_is_smaller_to_copy():
    import pickle

    ds = load_dataset(Settings())
    assert len(pickle.dumps(compact(ds))) < 0.6 * len(pickle.dumps(ds))


def test_a_shallow_copy_is_the_viewers_own():
    """Each rerun gets a shallow copy of the shared dataset: whatever a page does to its frames (add a
    column, overwrite one, write a cell) the shared dataset and other viewers never see."""
    from lib.dataset import shallow

    shared = load_dataset(Settings())
    before = shared.feedback.copy(deep=True)
    mine = shallow(shared)
    mine.feedback["extra"] = 1
    mine.feedback["summary"] = "changed"
    mine.feedback.loc[mine.feedback.index[0], "role"] = "changed"
    pd.testing.assert_frame_equal(shared.feedback, before)
    assert mine.feedback.loc[mine.feedback.index[0], "role"] == "changed"
