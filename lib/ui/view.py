"""This run's view of the data: the dataset after the viewer's personal-data policy, the
shared filters and their choices, and the filtered frames (filtered once per run).

``dashboard.py`` builds it after the sidebar has been drawn and publishes it in session
state; the page that runs next reads it with ``current()``. ``memo`` keeps a page's costly
intermediate results for this session while the data and their inputs stay the same.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ..consultation import Consultation
from ..dataset import Dataset, Loaded, expand
from ..filters import FilterOptions, Filters, apply_feedback, apply_survey
from ..privacy import apply_policy

VIEW_KEY = "_insight_view"
MEMO_KEY = "_insight_memo"


@dataclass(frozen=True)
class View:
    """What a page shows: ``dataset`` (every row read, after the viewer's policy), ``filters``
    and ``options`` (the sidebar's), and the filtered frames, computed on first use."""

    dataset: Dataset
    filters: Filters
    options: FilterOptions
    token: tuple
    may_see_email: bool = False

    @functools.cached_property
    def feedback(self) -> pd.DataFrame:
        """Per-page responses under the filters."""
        return apply_feedback(self.dataset.feedback, self.filters)

    @functools.cached_property
    def survey(self) -> pd.DataFrame:
        """Survey responses under the filters that apply to the survey."""
        return apply_survey(self.dataset.survey, self.filters)

    @property
    def consultation(self) -> Consultation:
        """The consultation the data belongs to."""
        return self.dataset.consultation


def may_see_email() -> bool:
    """Whether this viewer may receive e-mail addresses (decided by access control; no by default)."""
    return False


def viewer_dataset(loaded: Loaded) -> Dataset:
    """The shared dataset as this viewer may receive it (personal columns removed unless permitted)."""
    return apply_policy(expand(loaded.dataset), may_see_email=may_see_email())


def publish(view: View) -> None:
    """Make ``view`` this run's view (``dashboard.py``, before the page runs)."""
    st.session_state[VIEW_KEY] = view


def current() -> View:
    """This run's view (pages call this)."""
    view = st.session_state.get(VIEW_KEY)
    if view is None:  # a page run without the entry file: nothing to show
        st.error("Open the dashboard from its start page.")
        st.stop()
    return view


def memo(name: str, key: tuple, make: Callable[[], object]):
    """``make()``, remembered in this session while ``key``, the data and the viewer's
    permission stay the same (one entry per ``name``: a page's last result)."""
    view = current()
    full = (view.token, view.may_see_email, *key)
    held = st.session_state.setdefault(MEMO_KEY, {}).get(name)
    if held is None or held[0] != full:
        held = st.session_state[MEMO_KEY][name] = (full, make())
    return held[1]
