"""The normalised dataset: raw tables → canonical frames plus their data-quality counts
(``build_dataset``), and its form in the shared cache: text columns made categorical to copy
cheaply (``compact``/``expand``), with what is worked out once per load (``Loaded``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from .consultation import Consultation
from .filters import FilterOptions, options_for
from .normalise import TableQuality, normalise_feedback
from .pages_meta import SiteMeta, default_site, site_from_table
from .sources import RawTables, SourceInfo
from .survey import normalise_survey


@dataclass(frozen=True)
class Dataset:
    """Everything the dashboard shows, before filters and per-viewer policy.

    ``feedback`` and ``survey`` hold every non-empty row read, flagged with
    ``is_spam`` and ``is_duplicate``; ``scores`` and ``activities`` are long
    tables keyed by the survey's ``response_id``.
    """

    feedback: pd.DataFrame
    survey: pd.DataFrame
    scores: pd.DataFrame
    activities: pd.DataFrame
    site: SiteMeta
    feedback_quality: TableQuality
    survey_quality: TableQuality
    info: SourceInfo
    consultation: Consultation

    @property
    def pages(self) -> pd.DataFrame:
        """The site's pages (``SiteMeta.pages``)."""
        return self.site.pages


def kept(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that are neither spam nor duplicates."""
    return frame[~(frame["is_spam"] | frame["is_duplicate"])]


def build_dataset(raw: RawTables, consultation: Consultation, site: SiteMeta | None = None) -> Dataset:
    """Normalise raw tables; a ``Pages`` tab in the source overrides ``site``."""
    site = site or default_site(consultation)
    if raw.pages is not None and not raw.pages.empty:
        site = site_from_table(raw.pages, site.site_url)
    feedback, fq = normalise_feedback(raw.feedback, site, consultation)
    survey, scores, activities, sq = normalise_survey(raw.survey, consultation)
    return Dataset(feedback, survey, scores, activities, site, fq, sq, raw.info, consultation)


_FRAMES = ("feedback", "survey", "scores", "activities")
_DTYPES = "insight_dtypes"
#: Text columns that stay categorical in every viewer's frames (``expand`` keeps them so): what
#: every chart counts by, every filter tests and the survey's long tables are joined on, so
#: filtering takes and counting groups small integer codes instead of up to 100k strings (about
#: 3x faster at 100k).
CATEGORICAL = frozenset({"page_path", "page_label", "section", "role", "role_group", "reaction",
                         "response_id", "idea", "measure", "activity_section", "activity", "label"})


def _compact_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    dtypes = {}
    for col in out.columns:
        dtype = out[col].dtype
        if not (pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)):
            continue
        if col in CATEGORICAL:
            out[col] = out[col].astype("category")
        elif out[col].nunique() <= len(out) // 2:
            dtypes[col] = dtype
            out[col] = out[col].astype("category")
    out.attrs[_DTYPES] = dtypes
    return out


def _expand_frame(frame: pd.DataFrame) -> pd.DataFrame:
    if _DTYPES not in frame.attrs:   # not compacted
        return frame
    dtypes = frame.attrs[_DTYPES]
    out = frame.copy(deep=False)
    for col, dtype in dtypes.items():
        cat = out[col].array
        # convert only the few categories, then take by code: far faster than astype for
        # arrow-backed text (codes are never -1 here: normalised text is "" rather than missing)
        categories = pd.Series(cat.categories, dtype=object).astype(dtype)
        out[col] = pd.Series(categories.take(cat.codes).array, index=out.index, name=col, dtype=dtype)
    out.attrs = {}
    return out


@dataclass(frozen=True)
class Loaded:
    """A dataset as the shared cache holds it: compact frames (``compact``) plus what is worked
    out once per load rather than on every rerun (the filter choices)."""

    dataset: Dataset
    options: FilterOptions
    #: no two rows of a form that aren't flagged duplicates share an identity (``lib.identity.distinct_originals``)
    distinct: bool = False

    @property
    def token(self) -> tuple:
        """What identifies this load: its source and when it was read."""
        info = self.dataset.info
        return (info.kind, info.location, info.name, info.loaded_at)

    @property
    def source_token(self) -> tuple:
        """What identifies its source, whenever it was read (a live refresh keeps it)."""
        info = self.dataset.info
        return (info.kind, info.location, info.name)


def prepare(ds: Dataset) -> Loaded:
    """``ds`` ready for the shared cache: each response's stable identity added (``lib.identity``,
    before any per-viewer policy changes a text), compact, with its filter choices."""
    from .identity import distinct_originals, with_identities

    ds = with_identities(ds)
    return Loaded(compact(ds), options_for(ds), distinct_originals(ds.feedback) and distinct_originals(ds.survey))


def compact(ds: Dataset) -> Dataset:
    """The dataset with repetitive text columns as categoricals: about 6x smaller to copy out of
    the shared cache on every rerun (``expand`` restores the exact column types)."""
    return dataclasses.replace(ds, **{name: _compact_frame(getattr(ds, name)) for name in _FRAMES})


def expand(ds: Dataset) -> Dataset:
    """Undo ``compact``: the frames with their original column types, but the ``CATEGORICAL``
    ones, which stay categorical (with the same values)."""
    return dataclasses.replace(ds, **{name: _expand_frame(getattr(ds, name)) for name in _FRAMES})


def shallow(ds: Dataset) -> Dataset:
    """The dataset with frames of its own that share their data with ``ds``'s: a copy in constant time.
    pandas' copy-on-write keeps the two apart: a column set, added or written in one is never seen
    in the other."""
    return dataclasses.replace(ds, **{name: getattr(ds, name).copy(deep=False) for name in _FRAMES})
