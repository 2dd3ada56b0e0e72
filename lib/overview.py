"""The Overview page's numbers: the headline counts of the filtered responses."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .pages_meta import site_relative


@dataclass(frozen=True)
class Headline:
    """The counts at the top of the Overview."""

    feedback: int
    survey: int
    pages_heard: int
    pages_with_form: int
    organisations: int


def headline(fb: pd.DataFrame, sv: pd.DataFrame, per_page: pd.DataFrame) -> Headline:
    """Counts of filtered page feedback ``fb`` and survey responses ``sv``; ``per_page`` is
    ``lib.aggregates.by_page`` of ``fb`` (pages with a form that have any response); organisations
    are counted once whatever their case."""
    with_form = per_page[per_page["has_form"]]
    named = fb["organisation"]
    distinct = pd.unique(named[(named != "").to_numpy(dtype=bool)])  # each distinct spelling casefolded once
    orgs = len({str(o).casefold() for o in distinct})
    return Headline(len(fb), len(sv), int((with_form["n"] > 0).sum()), len(with_form), int(orgs))


def pages_export(per_page: pd.DataFrame) -> pd.DataFrame:
    """Responses per page for a download: page, its path relative to the site's root, responses."""
    return pd.DataFrame({"Page": per_page["label"], "Path": per_page["path"].map(site_relative),
                         "Responses": per_page["n"]}).reset_index(drop=True)
