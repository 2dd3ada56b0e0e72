"""Total readers for single cells: each returns a value or "bad" (``None``), never raises.

Any cell may hold anything a person or a bot typed, or a workbook stored: text of any
length, numbers that are infinite, not a number or thousands of digits long, dates in
year 1 or 9999, JSON nested a thousand levels deep. These helpers are the only places
that turn such a cell into text, a number or a JSON value.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import TYPE_CHECKING

from .limits import LIMITS, Limits

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: what a cell that can't be shown as text becomes (e.g. an integer of more than 4,300 digits)
UNREADABLE = "(unreadable value)"

#: Every character Python's ``str.isspace`` accepts (none lies past U+3000), as a character class:
#: pandas runs a class like this in pyarrow (vectorised), whereas ``\s`` makes it fall back to
#: Python's ``re`` per cell.
WHITESPACE_CLASS = "[" + "".join(re.escape(chr(i)) for i in range(0x3001) if chr(i).isspace()) + "]"


def is_blank(value: object) -> bool:
    """``None``, NaN, or text that is empty or only whitespace."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)
    except Exception:  # an exotic object whose comparison fails is not blank
        return False


def blank_text(values: pd.Series) -> np.ndarray:
    """``is_blank`` for a whole column of text (a pandas string Series): missing, empty or only what
    Python calls whitespace, vectorised and without copying the text (pyarrow's ``utf8_is_space`` is
    true for exactly the characters ``str.isspace`` is: a test holds the two to that)."""
    empty = (values.str.len() == 0).to_numpy(dtype=bool)
    return empty | values.str.isspace().to_numpy(dtype=bool, na_value=True) | values.isna().to_numpy()


def cell_text(value: object) -> str:
    """A cell as trimmed text, typed values as typed (``3.0`` → "3", dates in ISO form); blank → ""."""
    try:
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, float):
            if value != value:
                return ""
            return str(int(value)) if value.is_integer() else repr(value)
        if isinstance(value, dt.datetime):
            return value.isoformat(sep=" ")
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value).strip()
    except (ValueError, OverflowError, TypeError):  # int beyond str()'s digit limit, broken objects
        return UNREADABLE


def clean_text(text: str) -> str:
    """Text as valid Unicode: surrogate pairs joined, lone surrogates replaced by U+FFFD. YAML reads
    ``"\\ud83d\\ude00"`` escapes as two lone surrogates, which no later step (pyarrow) can encode."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def finite_number(value: object) -> float | None:
    """A number or numeric text as a finite float; infinite, NaN, too large or not a number → ``None``."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply brackets nest in ``text`` outside JSON strings (cheap: no parsing)."""
    opens = text.count("[") + text.count("{")
    if opens <= 1:
        return opens
    depth = deepest = 0
    for ch in _BRACKET.findall(_JSON_STRING.sub("", text)):
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest


def within_list_limits(text: str, limits: Limits = LIMITS) -> bool:
    """Whether a list cell (JSON or joined) is short and shallow enough to be read at all."""
    if len(text) > limits.max_list_chars:
        return False
    opens = text.count("[") + text.count("{")
    return opens <= limits.max_json_depth or json_depth(text) <= limits.max_json_depth


def load_json(text: str, limits: Limits = LIMITS) -> object | None:
    """``text`` parsed as JSON, or ``None`` when it isn't JSON or is too long or too deep to read."""
    if not within_list_limits(text, limits):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # ValueError includes integers beyond the digit limit
        return None
