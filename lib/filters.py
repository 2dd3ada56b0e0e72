"""The one filter model: what a viewer filters by, how it applies, and how it reads and
writes the URL query string so a copied link reopens the same view.

Pages never filter frames themselves: they call ``apply_feedback`` or
``apply_survey`` with the ``Filters`` read from the shared sidebar. The URL
form of a filter uses the same labels the sidebar shows (Streamlit's
``bind="query-params"`` writes them), and ``from_query`` reads a link back,
ignoring unknown or invalid parameters with a notice instead of failing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .aggregates import pages_in_scope, reaction_order, role_group_order, role_order, within_days
from .consultation import UNTHEMED
from .identity import IDENTITY
from .triage import triage_mask

#: URL parameter (and sidebar widget key) per filter field, in sidebar order.
PARAMS: dict[str, str] = {
    "dates": "dates",
    "sections": "section",
    "pages": "page",
    "role_groups": "group",
    "roles": "role",
    "reactions": "reaction",
    "organisations": "org",
    "statuses": "status",
    "tags": "tag",
    "themes": "theme",
    "include_spam": "spam",
    "include_duplicates": "duplicates",
    "count_once": "count_once",
}
MULTI = ("sections", "pages", "role_groups", "roles", "reactions", "organisations", "statuses", "tags", "themes")
#: The filters on the team's own work (the store's triage), applied by identity.
TRIAGE_FIELDS = ("statuses", "tags")
#: The switches (``?spam=true``).
SWITCHES = ("include_spam", "include_duplicates", "count_once")
#: A link parameter longer than this (all its values together, in characters) or with more
#: values than ``MAX_PARAM_VALUES`` is no real filter: it is ignored with a notice, unread.
MAX_PARAM_CHARS = 2_000
MAX_PARAM_VALUES = 100
#: How much of a link's own text a notice quotes.
NOTICE_QUOTE_CHARS = 60
TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off"}
#: Pages may bind their own view settings to the URL; their widget keys (and so their URL
#: parameters) start with the page's prefix, which marks them as known, not as garbage.
VIEW_PREFIXES: tuple[str, ...] = ("overview_", "reactions_", "priorities_", "comments_", "quality_", "themes_",
                                  "you_said_")
#: The comments page's switch between the two forms' free text (a link may preselect it).
COMMENTS_SOURCE_PARAM = "comments_source"
COMMENTS_SOURCES: tuple[str, ...] = ("Page feedback", "Survey comments", "Both")


def is_known_param(key: str) -> bool:
    """Whether a URL parameter is a filter or a page's own view setting."""
    return key in PARAMS.values() or key.startswith(VIEW_PREFIXES)


@dataclass(frozen=True)
class Filters:
    """A viewer's filters; empty tuples and ``None`` dates mean "no restriction"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sections: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()          # page paths
    role_groups: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    reactions: tuple[str, ...] = ()      # the form's labels (or Not given / Unrecognised)
    organisations: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()       # triage statuses (the team's own work)
    tags: tuple[str, ...] = ()           # triage tags
    themes: tuple[str, ...] = ()         # theme ids of the team's themes (``lib.team_themes``)
    include_spam: bool = False
    include_duplicates: bool = False
    count_once: bool = False             # each campaign (``lib.campaigns``) counted once

    @property
    def is_default(self) -> bool:
        """Whether nothing is filtered."""
        return self == Filters()

    def with_(self, **changes) -> Filters:
        """These filters with some fields replaced (a chart drops its own dimension's filter)."""
        return replace(self, **changes)


@dataclass(frozen=True)
class FilterOptions:
    """What can be chosen, value → label (labels are what the sidebar and URLs show)."""

    first_date: dt.date | None
    last_date: dt.date | None
    sections: Mapping[str, str] = field(default_factory=dict)
    pages: Mapping[str, str] = field(default_factory=dict)
    role_groups: Mapping[str, str] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)
    reactions: Mapping[str, str] = field(default_factory=dict)
    organisations: Mapping[str, str] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    themes: Mapping[str, str] = field(default_factory=dict)

    def values_of(self, label_field: str, labels: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
        """Labels → values for one field, and the labels that are no option."""
        by_label = {lab: val for val, lab in getattr(self, label_field).items()}
        known = tuple(dict.fromkeys(by_label[lab] for lab in labels if lab in by_label))
        return known, [lab for lab in labels if lab not in by_label]


def options_for(ds) -> FilterOptions:
    """The choices offered for a dataset (every row read, so toggling spam keeps options)."""
    c = ds.consultation
    fb, sv = ds.feedback, ds.survey
    when = pd.concat([fb["submitted_at"], sv["submitted_at"]]).dropna()
    scope = pages_in_scope(ds.site, fb)
    sections = [s for s in dict.fromkeys(scope["section"]) if s]
    seen_reactions = set(fb["reaction"].unique())
    seen_roles = set(fb["role"].unique()) | set(sv["role"].unique())
    seen_groups = set(fb["role_group"].unique()) | set(sv["role_group"].unique())
    orgs = pd.concat([fb["organisation"], sv["organisation"]]).unique()
    orgs = sorted((o for o in orgs if o), key=str.casefold)
    return FilterOptions(
        first_date=when.min().date() if len(when) else None,
        last_date=when.max().date() if len(when) else None,
        sections={s: s for s in sections},
        pages=dict(zip(scope["path"], scope["label"])),
        role_groups={g: g for g in role_group_order(c) if g in c.role_group_labels or g in seen_groups},
        roles={r: r for r in role_order(c) if r in c.roles or r in seen_roles},
        reactions={r: c.short_reaction.get(r, r) for r in reaction_order(c)
                   if r in c.reaction_labels or r in seen_reactions},
        organisations={o: o for o in orgs},
        statuses={s: s for s in c.triage_status_labels},
    )


def _base(frame: pd.DataFrame, f: Filters, triage: pd.DataFrame | None = None, default_status: str = "") -> pd.Series:
    keep = pd.Series(True, index=frame.index)
    if (f.statuses or f.tags) and triage is not None and IDENTITY in frame.columns:
        keep &= triage_mask(frame[IDENTITY], triage, f.statuses, f.tags, default_status)
    if not f.include_spam:
        keep &= ~frame["is_spam"]
    if not f.include_duplicates:
        keep &= ~frame["is_duplicate"]
    if f.date_from or f.date_to:   # each time's own clock
        keep &= within_days(frame["submitted_at"], f.date_from or None, f.date_to or None, None)
    for name, column in (("role_groups", "role_group"), ("roles", "role"), ("organisations", "organisation")):
        chosen = getattr(f, name)
        if chosen:
            keep &= frame[column].isin(chosen)
    return keep


def feedback_mask(feedback: pd.DataFrame, f: Filters, triage: pd.DataFrame | None = None,
                  default_status: str = "", themes: pd.Series | None = None) -> pd.Series:
    """Which per-page responses the filters keep (all but "count each campaign once": see
    ``apply_feedback``), as a boolean Series on ``feedback``'s index."""
    keep = _base(feedback, f, triage, default_status)
    for name, column in (("sections", "section"), ("pages", "page_path"), ("reactions", "reaction")):
        chosen = getattr(f, name)
        if chosen:
            keep &= feedback[column].isin(chosen)
    if f.themes and themes is not None and IDENTITY in feedback.columns:
        keep &= feedback[IDENTITY].map(themes).fillna(UNTHEMED).isin(f.themes)
    return keep


def feedback_rows(feedback: pd.DataFrame, f: Filters, triage: pd.DataFrame | None = None,
                  default_status: str = "", themes: pd.Series | None = None,
                  campaigns: pd.Series | None = None) -> np.ndarray:
    """Which per-page responses the filters keep, as a boolean array on ``feedback``'s rows: what
    ``apply_feedback`` takes ("count each campaign once" included when ``campaigns`` is given)."""
    keep = feedback_mask(feedback, f, triage, default_status, themes).to_numpy(dtype=bool, copy=True)
    if f.count_once and campaigns is not None and IDENTITY in feedback.columns:
        at = np.flatnonzero(keep)
        once = count_each_campaign_once(feedback[[IDENTITY, "submitted_at"]].iloc[at].set_axis(at), campaigns)
        keep[:] = False
        keep[once.index.to_numpy()] = True
    return keep


def apply_feedback(feedback: pd.DataFrame, f: Filters, triage: pd.DataFrame | None = None,
                   default_status: str = "", themes: pd.Series | None = None,
                   campaigns: pd.Series | None = None, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Per-page responses under the filters (rows without a timestamp drop out of a date range;
    the triage filters apply when the store's ``triage`` frame is given, the theme filter when
    ``themes`` (identity → theme id) is, and "count each campaign once" when ``campaigns``
    (identity → campaign id) is). ``columns``: only these columns of the kept rows (taking every
    column of 100k rows is most of the cost of a count that reads two)."""
    rows = feedback_rows(feedback, f, triage, default_status, themes, campaigns)
    if columns is not None:
        feedback = feedback[[c for c in dict.fromkeys(columns) if c in feedback.columns]]
    return feedback[rows]


#: Per-page responses under some filters (the sidebar's or a chart's or a headline's variant of
#: them), with the view's triage, themes and campaigns (``lib.ui.view.View.feedback_under``);
#: ``columns``: only those (a count reads two or three). ``filtering`` makes one from a frame alone.
Under = Callable[..., pd.DataFrame]


def filtering(feedback: pd.DataFrame, triage: pd.DataFrame | None = None, default_status: str = "") -> Under:
    """``Under`` for ``feedback`` with no themes or campaigns (the command line, tests)."""
    return lambda g, columns=None: apply_feedback(feedback, g, triage, default_status, columns=columns)


def count_each_campaign_once(frame: pd.DataFrame, campaigns: pd.Series) -> pd.DataFrame:
    """``frame`` with only the earliest response of each campaign it holds (identity → campaign id
    in ``campaigns``; responses of no campaign all kept). Earliest among those in ``frame``, so a
    campaign whose first letter is filtered out is still counted once, not dropped."""
    if frame.empty or campaigns.empty or IDENTITY not in frame.columns:
        return frame
    campaign = frame[IDENTITY].map(campaigns)
    member = campaign.notna().to_numpy()
    if not member.any():
        return frame
    order = pd.DataFrame({"c": campaign.to_numpy(), "when": frame["submitted_at"].to_numpy(),
                          "pos": range(len(frame))})[member]
    first = order.sort_values(["when", "pos"], na_position="last", kind="stable").drop_duplicates("c")["pos"]
    keep = ~member
    keep[first.to_numpy()] = True
    return frame[keep]


def apply_survey(survey: pd.DataFrame, f: Filters, triage: pd.DataFrame | None = None,
                 default_status: str = "") -> pd.DataFrame:
    """Survey responses under the filters that apply to them (not page, section or reaction)."""
    return survey[_base(survey, f, triage, default_status)]


def with_tags(opts: FilterOptions, tags: Sequence[str]) -> FilterOptions:
    """``opts`` offering the triage tags in use (they live in the store, not in the data)."""
    return replace(opts, tags={t: t for t in tags})


def with_themes(opts: FilterOptions, themes: Mapping[str, str]) -> FilterOptions:
    """``opts`` offering the team's themes (id → label; they live in the store, not in the data)."""
    return replace(opts, themes=dict(themes))


def survey_ignores(f: Filters) -> list[str]:
    """Names of the active filters the survey cannot honour (for a note on survey views)."""
    names = {"sections": "section", "pages": "page", "reactions": "reaction", "themes": "theme"}
    return [label for name, label in names.items() if getattr(f, name)]


# -- the URL ---------------------------------------------------------------------------


def to_query(f: Filters, opts: FilterOptions) -> dict[str, list[str]]:
    """The URL parameters for ``f`` (only what differs from no filter), as the sidebar writes them."""
    out: dict[str, list[str]] = {}
    if f.date_from or f.date_to:
        start = f.date_from or opts.first_date
        end = f.date_to or opts.last_date
        out[PARAMS["dates"]] = [d.isoformat() for d in (start, end) if d]
    for name in MULTI:
        chosen = getattr(f, name)
        if chosen:
            labels = getattr(opts, name)
            out[PARAMS[name]] = [labels.get(v, v) for v in chosen]
    for name in SWITCHES:
        if getattr(f, name):
            out[PARAMS[name]] = ["true"]
    return out


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _quote(text: str) -> str:
    """A link's own text as a notice quotes it: on one line, cut to ``NOTICE_QUOTE_CHARS``."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= NOTICE_QUOTE_CHARS else flat[:NOTICE_QUOTE_CHARS - 1] + "…"


def oversized(params: Mapping[str, object]) -> list[str]:
    """The link parameters too long to be a filter (``MAX_PARAM_CHARS``, ``MAX_PARAM_VALUES``)."""
    out = []
    for key, value in params.items():
        values = _as_list(value)
        if len(key) > MAX_PARAM_CHARS or len(values) > MAX_PARAM_VALUES \
                or sum(len(v) for v in values) > MAX_PARAM_CHARS:
            out.append(key)
    return out


def oversized_notice(key: str) -> str:
    """The notice for a link parameter ignored as too long."""
    return (f"“{_quote(key)}” was longer than {MAX_PARAM_CHARS:,} characters or {MAX_PARAM_VALUES} values, "
            "so it was not read.")


def from_query(params: Mapping[str, object], opts: FilterOptions) -> tuple[Filters, list[str]]:
    """Filters from URL parameters, and a plain notice for each part that was ignored (link
    text quoted on one line and cut short; too-long parameters ignored unread)."""
    notices: list[str] = []
    values: dict = {}
    too_long = set(oversized(params))
    notices += [oversized_notice(key) for key in too_long]
    params = {k: v for k, v in params.items() if k not in too_long}
    for key in params:
        if not is_known_param(key):
            notices.append(f"“{_quote(key)}” is not a filter of this dashboard.")
    dates = _as_list(params.get(PARAMS["dates"]))
    if dates:
        parsed = []
        for text in dates[:2]:
            try:
                parsed.append(dt.date.fromisoformat(text) if _DATE.fullmatch(text) else None)
            except ValueError:
                parsed.append(None)
        if None in parsed or len(dates) > 2 or (len(parsed) == 2 and parsed[0] > parsed[1]):
            notices.append(f"The dates “{_quote(', '.join(dates))}” are not a valid range (use YYYY-MM-DD).")
        else:
            values["date_from"] = parsed[0]
            values["date_to"] = parsed[1] if len(parsed) == 2 else None
    for name in MULTI:
        labels = [lab for lab in _as_list(params.get(PARAMS[name])) if lab != ""]
        if labels:
            known, unknown = opts.values_of(name, labels)
            values[name] = known
            notices += [f"“{_quote(lab)}” is not a {PARAMS[name]} in this data." for lab in unknown]
    for name in SWITCHES:
        raw = _as_list(params.get(PARAMS[name]))
        if raw:
            word = raw[-1].strip().lower()
            if word in TRUE_WORDS | FALSE_WORDS:
                values[name] = word in TRUE_WORDS
            else:
                notices.append(f"“{PARAMS[name]}={_quote(raw[-1])}” should be true or false.")
    return Filters(**values), notices


def slug(f: Filters, opts: FilterOptions) -> str:
    """A short, file-name-safe description of the filters ("all" when none)."""
    parts = []
    for key, values in to_query(f, opts).items():
        text = "+".join(values)
        parts.append(f"{key}-{text}")
    name = "_".join(parts) or "all"
    name = re.sub(r"[^\w+.-]+", "-", name, flags=re.ASCII).strip("-")
    return name[:80].rstrip("-_+") or "all"

