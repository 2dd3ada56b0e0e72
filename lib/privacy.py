"""The column policy for personal data: which columns a viewer may receive.

E-mail addresses are removed on the server (the frames handed to pages and
downloads no longer hold them) unless the viewer may see them. Pages, tables
and exports all go through ``apply_policy``; nothing else drops or keeps
personal columns.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .dataset import Dataset

#: Columns holding personal data that only permitted viewers receive.
PERSONAL_COLUMNS: tuple[str, ...] = ("email",)


def strip_personal(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without personal columns."""
    return frame.drop(columns=[c for c in PERSONAL_COLUMNS if c in frame.columns])


def apply_policy(ds: Dataset, *, may_see_email: bool) -> Dataset:
    """The dataset a viewer receives: personal columns removed unless permitted."""
    if may_see_email:
        return ds
    return dataclasses.replace(ds, feedback=strip_personal(ds.feedback), survey=strip_personal(ds.survey))
