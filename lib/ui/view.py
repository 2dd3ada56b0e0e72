"""This run's view of the data: the dataset after the viewer's personal-data policy, the
shared filters and their choices, and the filtered frames (filtered once per run).

The policy (``lib.privacy.apply_policy``: e-mail addresses removed, masked or shown) is
applied once per loaded dataset and level and kept in ``st.cache_resource``; every run gets
its own shallow copy (constant time), which pandas' copy-on-write keeps apart from every
other viewer's.

``dashboard.py`` builds it after the sidebar has been drawn and publishes it in session
state; the page that runs next reads it with ``current()``. ``memo`` keeps a page's costly
intermediate results for this session while the data and their inputs stay the same.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from ..consultation import Consultation
from ..dataset import Dataset, Loaded, expand, shallow
from ..filters import FilterOptions, Filters, apply_feedback, apply_survey, feedback_rows
from ..privacy import EmailLevel, apply_policy
from ..triage import revision_key

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
    email_level: EmailLevel = EmailLevel.NONE
    triage: pd.DataFrame | None = None     # the store's triage (``lib.store.Triage.frame``), if any
    themes: pd.Series | None = None        # the team's themes: identity → theme id (``lib.team_themes``)
    campaigns: pd.Series | None = None     # identity → campaign id (``lib.campaigns``), for "count once"
    loaded: Loaded | None = None           # the shared load behind ``dataset`` (themes, campaigns)
    team_themes: object | None = None      # ``lib.ui.themes.ThemeState`` of this run

    @property
    def new_status(self) -> str:
        """The status of a response nobody has triaged yet."""
        return self.dataset.consultation.triage_status_labels[0]

    @functools.cached_property
    def rows(self) -> np.ndarray:
        """Which rows of the dataset's per-page responses the filters keep (``lib.filters.feedback_rows``;
        worked out once and kept for this session while the filters and what they use stay the same)."""
        return _kept("_view_rows", self.filtered_key, lambda: feedback_rows(
            self.dataset.feedback, self.filters, self.triage, self.new_status, self.themes, self.campaigns))

    @functools.cached_property
    def feedback(self) -> pd.DataFrame:
        """Per-page responses under the filters (kept for this session like ``rows``; each run gets
        its own shallow copy, which copy-on-write keeps apart)."""
        return _kept("_view_feedback", self.filtered_key, lambda: self.dataset.feedback[self.rows]).copy(deep=False)

    @property
    def feedback_count(self) -> int:
        """How many per-page responses the filters keep (no frame taken)."""
        return int(self.rows.sum())

    def feedback_columns(self, columns: Sequence[str]) -> pd.DataFrame:
        """Only ``columns`` of the per-page responses under the filters: from ``feedback`` when it has
        been taken, otherwise those columns alone (a page that counts a few needn't copy all 16)."""
        cols = [c for c in dict.fromkeys(columns) if c in self.dataset.feedback.columns]
        if "feedback" in self.__dict__ or _held("_view_feedback", self.filtered_key) is not None:
            return self.feedback[cols]
        return self.dataset.feedback[cols][self.rows]

    @functools.cached_property
    def survey(self) -> pd.DataFrame:
        """Survey responses under the filters that apply to the survey (kept like ``feedback``)."""
        return _kept("_view_survey", self.filtered_key, lambda: apply_survey(
            self.dataset.survey, self.filters, self.triage, self.new_status)).copy(deep=False)

    def feedback_under(self, g: Filters, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Per-page responses under filters ``g`` with this view's triage, themes and campaigns (a
        headline's or a chart's variant of the sidebar's filters; ``columns``: only those); this
        run's responses when ``g`` is its filters."""
        if g == self.filters:
            return self.feedback if columns is None else self.feedback_columns(columns)
        return apply_feedback(self.dataset.feedback, g, self.triage, self.new_status, self.themes, self.campaigns,
                              columns=columns)

    def survey_under(self, g: Filters) -> pd.DataFrame:
        """Survey responses under filters ``g`` with this view's triage; this run's frame for its filters."""
        return self.survey if g == self.filters else apply_survey(self.dataset.survey, g, self.triage,
                                                                   self.new_status)

    @functools.cached_property
    def filtered_key(self) -> tuple:
        """What the filtered frames depend on: the data, the viewer's permission, the filters, and
        the triage, the team's themes and the campaigns only when a filter uses them."""
        f = self.filters
        return (self.token, str(self.email_level), f,
                revision_key(self.triage) if (f.statuses or f.tags) and self.triage is not None else None,
                self.theme_key if f.themes and self.themes is not None else None,
                f.count_once and self.campaigns is not None)

    @property
    def distinct(self) -> bool:
        """Whether the filtered frames are known to hold each identity once (duplicates left out of
        a load whose other rows all differ), so counting responses needs no search for repeats."""
        return not self.filters.include_duplicates and self.loaded is not None and self.loaded.distinct

    @property
    def consultation(self) -> Consultation:
        """The consultation the data belongs to."""
        return self.dataset.consultation

    @property
    def theme_key(self) -> tuple:
        """What the team's themes in this view are (run, last correction, saved): a cache key."""
        themes = getattr(self.team_themes, "themes", None)
        return () if themes is None else themes.key


@st.cache_resource(show_spinner=False, max_entries=8)
def _protected(token: tuple, level: str, _loaded: Loaded) -> Dataset:
    """The loaded dataset at one e-mail level, with its column types (worked out once per load and level)."""
    ds = expand(_loaded.dataset)
    return ds if level == EmailLevel.FULL else apply_policy(ds, level)


def viewer_dataset(loaded: Loaded, level: EmailLevel) -> Dataset:
    """The shared dataset as this viewer may receive it (``lib.privacy``), their own copy: a shallow
    one, made in constant time, which copy-on-write keeps apart from every other viewer's."""
    return shallow(_protected(loaded.token, str(level), loaded))


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


def _held(name: str, key: tuple):
    """What ``_kept`` holds for ``name`` under ``key``, or None."""
    held = st.session_state.get(MEMO_KEY, {}).get(name)
    return held[1] if held is not None and held[0] == key else None


def _kept(name: str, key: tuple, make: Callable[[], object]):
    """``make()``, remembered in this session while ``key`` stays the same (one entry per ``name``)."""
    value = _held(name, key)
    if value is None:
        value = make()
        st.session_state.setdefault(MEMO_KEY, {})[name] = (key, value)
    return value


def memo(name: str, key: tuple, make: Callable[[], object]):
    """``make()``, remembered in this session while ``key``, the data and the viewer's
    permission stay the same (one entry per ``name``: a page's last result)."""
    view = current()
    return _kept(name, (view.token, view.email_level, *key), make)
