"""The Overview page's numbers: the headline counts of the filtered responses, the counts its
charts draw and their downloads (responses per page with paths relative to the site's root)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .aggregates import count_by, drop_empty_catch_all, reaction_order, role_group_order
from .consultation import Consultation
from .filters import Filters, Under
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
# -- the Overview's charts: a chart never filters by its own dimension ----------------------


def reaction_counts(under: Under, f: Filters, c: Consultation) -> pd.Series:
    """Responses per reaction under every filter but the reaction filter (the chosen reactions
    are highlighted among the others, not left alone at 100 %), filtered by ``under`` (the view's)."""
    fb = under(f.with_(reactions=()), columns=["reaction"])
    return drop_empty_catch_all(count_by(fb["reaction"], reaction_order(c)))


def group_counts(under: Under, f: Filters, c: Consultation) -> pd.Series:
    """Responses per role group under every filter but the role-group filter (chosen ones highlighted)."""
    fb = under(f.with_(role_groups=()), columns=["role_group"])
    return drop_empty_catch_all(count_by(fb["role_group"], role_group_order(c)))


def labelled_counts(counts: pd.Series, title: str, short: dict[str, str], wording: str) -> pd.DataFrame:
    """Counts for a download: the label as the screen shows it, then as the form words it."""
    return pd.DataFrame({title: [short.get(k, k) for k in counts.index], wording: list(counts.index),
                         "Responses": counts.to_numpy()})


def weeks_export(weeks: pd.DataFrame) -> pd.DataFrame:
    """``lib.aggregates.weekly`` for a download (days as DD/MM/YYYY, partial weeks said)."""
    def day(d) -> str:
        return d.strftime("%d/%m/%Y")

    return pd.DataFrame({
        "Week starting (Monday)": [day(d) for d in weeks["week_start"]],
        "Week ending (Sunday)": [day(d) for d in weeks["week_end"]],
        "Days in the data": weeks["days"].to_numpy(),
        "Partial week": ["yes" if p else "" for p in weeks["partial"]],
        "Responses": weeks["n"].to_numpy(),
    })
