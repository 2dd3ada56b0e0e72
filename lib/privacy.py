"""The column policy for personal data: what of a response a viewer may receive.

Three levels (``EmailLevel``), decided per viewer by ``lib.access``:

- ``none`` (viewers, and everyone when nobody signs in): the ``email`` column is removed;
- ``masked`` (analysts, by default): the ``email`` column holds ``s***@council.gov.uk``;
- ``full`` (analysts who switched "Show e-mail addresses" on): everything as read.

Below ``full``, e-mail addresses typed anywhere else (summary, details, comments,
organisation, the posted page URL, and the unrecognised values listed on the data
quality page) are masked the same way. Everything is done on the server: the frames
handed to pages, searches and downloads no longer hold what the viewer may not see.
Pages, tables and exports all go through ``apply_policy``; nothing else drops, masks or
keeps personal data.

Finding addresses in free text prefers masking too much to leaking: RFC 5322-ish local
parts (plus-addressing, dots, quoted), Unicode letters in either part, sub-domains,
punycode, IP literals, the full-width ``＠`` and ``[at]``/``(at)``. A domain needs a dot
and an alphabetic top-level label, so ``v1.2@3`` or ``@d2i`` are left alone. Every
quantifier is bounded, so a hostile 50,000-character cell costs linear time.

Speed: each distinct value of a column is looked at once, and a whole column is searched
in one go before any value is (``make bench``: 100k responses well under half a second).
Still, the result only changes when the data or the level does: cache it per level.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .dataset import Dataset
    from .normalise import TableQuality

#: Columns holding personal data: removed below ``masked``, masked at ``masked``.
PERSONAL_COLUMNS: tuple[str, ...] = ("email",)
#: How an e-mail address reads once masked: its first character, then this, then the domain.
MASK = "***"


class EmailLevel(StrEnum):
    """How much of the respondents' e-mail addresses a viewer receives."""

    NONE = "none"
    MASKED = "masked"
    FULL = "full"


# -- finding addresses ------------------------------------------------------------------

_ATEXT = r"\w!#$%&'*+/=?^`{|}~\-"  # \w: Unicode letters, digits and "_"
_LOCAL = (rf"(?P<local>[{_ATEXT}][{_ATEXT}.]{{0,63}}"            # dot-atom (dots anywhere but first)
          r'|"(?:[^"\\\r\n]|\\.){1,64}")')                       # or a quoted local part
_AT = r"(?:[@＠]|[ \t]{0,3}(?i:\[at\]|\(at\))[ \t]{0,3})"
_DOT = r"[.．。｡]"
_LABEL = r"[^\W_](?:[\w\-]{0,61}[^\W_])?"
_TLD = r"(?:[^\W\d_]{2,63}|(?i:xn--)[a-zA-Z0-9\-]{1,59})"
_DOMAIN = (rf"(?P<domain>(?:{_LABEL}{_DOT})+{_TLD}"
           r"|\[[0-9A-Fa-f:.]{2,45}\]"                            # [192.0.2.1], [IPv6:…]
           r"|\d{1,3}(?:\.\d{1,3}){3})")
#: An e-mail address inside any text (the at-sign forms a person might type included).
EMAIL_IN_TEXT = re.compile(_LOCAL + _AT + _DOMAIN)
#: A cell that might hold an address: cheap to test before running the full pattern.
_MAYBE = re.compile(r"[@＠]|(?i:\[at\]|\(at\))")
_SPELT = re.compile(r"[\[(](?i:at)[\])]")


def _masked(match: re.Match[str]) -> str:
    return f"{match.group('local')[0]}{MASK}@{match.group('domain')}"


def find_emails(text: object) -> list[str]:
    """Every e-mail address found in ``text`` (as typed), in order."""
    if not isinstance(text, str) or not _MAYBE.search(text):
        return []
    return [m.group(0) for m in EMAIL_IN_TEXT.finditer(text)]


def mask_emails(text: object) -> object:
    """``text`` with every e-mail address in it masked (``sam@council.gov.uk`` → ``s***@council.gov.uk``);
    anything that isn't a string is returned as it is."""
    if not isinstance(text, str) or not _MAYBE.search(text):
        return text
    return EMAIL_IN_TEXT.sub(_masked, text)


def mask_email(value: object) -> str:
    """An e-mail cell masked: ``"sam@council.gov.uk"`` → ``"s***@council.gov.uk"``.

    Several addresses are masked and joined with ", "; text holding no address at all
    (a phone number typed into the field) becomes ``***``; blank stays blank.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip()
    if not text:
        return ""
    found = [_masked(m) for m in EMAIL_IN_TEXT.finditer(text)] if _MAYBE.search(text) else []
    return ", ".join(found) if found else MASK


# -- frames and the dataset ------------------------------------------------------------------


def strip_personal(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without personal columns."""
    return frame.drop(columns=[c for c in PERSONAL_COLUMNS if c in frame.columns])


def _is_text(series: pd.Series) -> bool:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def _candidates(values: np.ndarray) -> list[int]:
    """Positions of the values that might hold an address: all of them searched at once first (in
    the common case, none), then one by one."""
    joined = "\x00".join(v for v in values if isinstance(v, str))
    spelt = _SPELT.search(joined) is not None
    if not spelt and "@" not in joined and "＠" not in joined:
        return []
    if spelt:
        return [i for i, v in enumerate(values) if isinstance(v, str) and _MAYBE.search(v)]
    return [i for i, v in enumerate(values) if isinstance(v, str) and ("@" in v or "＠" in v)]


def _by_distinct_value(series: pd.Series, mask: Callable[[object], object], which: Callable[[np.ndarray], list[int]]
                       ) -> pd.Series:
    """``mask`` applied once to each distinct value of ``series`` at the positions ``which`` picks
    (missing values kept as they are); ``series`` itself when nothing changes."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = np.asarray(uniques, dtype=object)
    masked = values.copy()
    changed = False
    for i in which(values):
        masked[i] = mask(values[i])
        changed = changed or masked[i] != values[i]
    if not changed:
        return series
    out = np.append(masked, None).take(codes)  # code -1 (missing) takes the extra slot …
    missing = codes < 0
    if missing.any():
        out[missing] = series.to_numpy(dtype=object)[missing]  # … and gets its own value back
    return pd.Series(out, index=series.index, name=series.name, dtype=object)


def _mask_column(series: pd.Series) -> pd.Series:
    """A text column with the addresses in it masked (``series`` itself when it holds none)."""
    return _by_distinct_value(series, mask_emails, _candidates)


def _mask_email_column(series: pd.Series) -> pd.Series:
    """The e-mail column with every cell through ``mask_email`` (missing values become blank)."""
    out = _by_distinct_value(series, mask_email, lambda values: range(len(values)))
    return out.where(series.notna(), "").astype(object)


def protect_frame(frame: pd.DataFrame, level: EmailLevel | str) -> pd.DataFrame:
    """One frame as a viewer at ``level`` receives it (see the module docstring)."""
    level = EmailLevel(level)
    if level is EmailLevel.FULL:
        return frame
    out = strip_personal(frame) if level is EmailLevel.NONE else frame.copy(deep=False)
    for col in out.columns:
        if col in PERSONAL_COLUMNS:
            out[col] = _mask_email_column(out[col])
        elif _is_text(out[col]):
            masked = _mask_column(out[col])
            if masked is not out[col]:
                out[col] = masked
    return out


def _mask_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """A value → count mapping with the addresses in its values masked (counts of values that
    now read the same are added together)."""
    out: dict[str, int] = {}
    for value, n in counts.items():
        key = mask_emails(value)
        out[key] = out.get(key, 0) + n
    return out


def protect_quality(quality: TableQuality) -> TableQuality:
    """A table's data-quality counts with addresses masked in the typed values they list."""
    return dataclasses.replace(
        quality,
        extra_columns=_mask_counts(quality.extra_columns),
        unrecognised={field: _mask_counts(values) for field, values in quality.unrecognised.items()},
        unmatched_urls=_mask_counts(quality.unmatched_urls),
        bad_score_values=_mask_counts(quality.bad_score_values),
        unknown_activity_values=_mask_counts(quality.unknown_activity_values),
    )


def apply_policy(ds: Dataset, level: EmailLevel | str | None = None, *,
                 may_see_email: bool | None = None) -> Dataset:
    """The dataset a viewer at ``level`` receives (``may_see_email``: the older yes/no form,
    ``True`` → ``full``, ``False`` → ``none``)."""
    if level is None:
        if may_see_email is None:
            raise TypeError("apply_policy needs a level (none, masked or full)")
        level = EmailLevel.FULL if may_see_email else EmailLevel.NONE
    level = EmailLevel(level)
    if level is EmailLevel.FULL:
        return ds
    return dataclasses.replace(
        ds,
        feedback=protect_frame(ds.feedback, level),
        survey=protect_frame(ds.survey, level),
        # scores and activities hold only the consultation's own ideas and activities (anything
        # typed that matched none is counted in the quality tables, masked below)
        feedback_quality=protect_quality(ds.feedback_quality),
        survey_quality=protect_quality(ds.survey_quality),
    )
