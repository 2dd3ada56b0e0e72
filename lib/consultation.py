"""The consultation's facts as frozen configuration: form options, role groups,
survey ideas and activities, labels and colours.

This is the one place that knows labels, colours and option spellings. It is
read from ``lib/data/consultation.yaml`` (or another file of the same shape for
a similar consultation) and matched against typed values with ``match_key``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_FILE = DATA_DIR / "consultation.yaml"

NOT_GIVEN = "Not given"
UNRECOGNISED = "Unrecognised"
UNKNOWN_PAGE = "(unknown)"
#: The theme of a response in no theme (``lib.themes``; here so that filtering needn't load scikit-learn).
UNTHEMED = "Unthemed"

#: Colours for the catch-all labels, shared by every chart.
MISSING_COLOURS = {NOT_GIVEN: "#D0D0D0", UNRECOGNISED: "#5A5A5A"}

#: Characters typed for an apostrophe; all of them match one another.
APOSTROPHES = "'\u2019\u2018\u02bc`"
_APOSTROPHES = str.maketrans({ch: "'" for ch in APOSTROPHES})
_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def match_key(text: str) -> str:
    """Key for matching a typed option: case, runs of whitespace and apostrophe style ignored."""
    return _SPACES.sub(" ", text.translate(_APOSTROPHES)).strip().casefold()


@functools.lru_cache(maxsize=8192)
def loose_key(text: str) -> str:
    """Key ignoring case and all punctuation and spacing (header and idea names)."""
    return _NON_ALNUM.sub("", text.translate(_APOSTROPHES).casefold())


@dataclass(frozen=True)
class Reaction:
    label: str
    short: str
    colour: str


@dataclass(frozen=True)
class RoleGroup:
    label: str
    colour: str
    roles: tuple[str, ...]
    short: str = ""   # the group's name where room is short (chart columns on a phone)


@dataclass(frozen=True)
class Status:
    """A status label of the team's work (triage, "you said, we did") and its colour."""

    label: str
    colour: str


#: Used when a consultation file names no statuses of its own.
DEFAULT_TRIAGE_STATUSES = (
    Status("New", "#BBBBBB"), Status("Read", "#56B4E9"), Status("Needs action", "#E69F00"),
    Status("Actioned", "#009E73"), Status("No action", "#777777"),
)
DEFAULT_SAID_DID_STATUSES = (Status("Draft", "#BBBBBB"), Status("Agreed", "#0072B2"), Status("Done", "#009E73"))


@dataclass(frozen=True)
class Measure:
    key: str
    question: str
    label: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def field(self) -> str:
        """The form's field for this measure (a JSON object of idea → score)."""
        return f"rank_{self.key}"

    @property
    def words(self) -> tuple[str, ...]:
        """What a sheet's header may call this measure: its key, its field, its aliases."""
        return (self.key, self.field, *self.aliases)

    @property
    def title(self) -> str:
        """The measure's name on screen."""
        return self.label or self.key.capitalize()


#: The quadrants' keys in ``Consultation.quadrants`` order: first measure high/low, then the second.
QUADRANT_KEYS = ("high_high", "high_low", "low_high", "low_low")


@dataclass(frozen=True)
class Consultation:
    """Everything the dashboard knows about one consultation's forms and site."""

    site_name: str
    site_url: str
    timezone: str
    pages_without_form: tuple[str, ...]
    reactions: tuple[Reaction, ...]
    positive_reaction: str
    negative_reaction: str
    role_groups: tuple[RoleGroup, ...]
    measures: tuple[Measure, ...]
    ideas: tuple[str, ...]
    activities: tuple[tuple[str, tuple[str, ...]], ...]
    quadrants: tuple[str, str, str, str] = ("High on both", "High on the first only", "High on the second only",
                                            "Low on both")
    triage_statuses: tuple[Status, ...] = DEFAULT_TRIAGE_STATUSES
    said_did_statuses: tuple[Status, ...] = DEFAULT_SAID_DID_STATUSES

    # -- labels in display order -------------------------------------------
    @property
    def reaction_labels(self) -> tuple[str, ...]:
        """The reactions as the form spells them."""
        return tuple(r.label for r in self.reactions)

    @property
    def roles(self) -> tuple[str, ...]:
        """Every role of the form, group by group."""
        return tuple(role for g in self.role_groups for role in g.roles)

    @property
    def role_group_labels(self) -> tuple[str, ...]:
        """The role groups used for reporting."""
        return tuple(g.label for g in self.role_groups)

    @property
    def activity_labels(self) -> tuple[str, ...]:
        """Every activity as posted by the form: ``"<Section>: <activity>"``."""
        return tuple(f"{s}: {a}" for s, items in self.activities for a in items)

    @property
    def activity_sections(self) -> tuple[str, ...]:
        """The sections of the activity longlist."""
        return tuple(s for s, _ in self.activities)

    @property
    def measure_titles(self) -> dict[str, str]:
        """Measure key → its name on screen, in the consultation's order."""
        return {m.key: m.title for m in self.measures}

    @property
    def triage_status_labels(self) -> tuple[str, ...]:
        """Triage statuses in display order; the first is an untriaged response's ("New")."""
        return tuple(s.label for s in self.triage_statuses)

    @property
    def said_did_status_labels(self) -> tuple[str, ...]:
        """"You said, we did" statuses in display order; the first is a new entry's."""
        return tuple(s.label for s in self.said_did_statuses)

    @functools.cached_property
    def status_colours(self) -> dict[str, str]:
        """Colour per triage and "you said, we did" status."""
        return {s.label: s.colour for s in (*self.triage_statuses, *self.said_did_statuses)}

    # -- lookups --------------------------------------------------------------
    @functools.cached_property
    def reaction_by_key(self) -> dict[str, str]:
        """``match_key`` of each reaction → the reaction."""
        return {match_key(r.label): r.label for r in self.reactions}

    @functools.cached_property
    def role_by_key(self) -> dict[str, str]:
        """``match_key`` of each role → the role."""
        return {match_key(role): role for role in self.roles}

    @functools.cached_property
    def group_of_role(self) -> dict[str, str]:
        """Role → its role group."""
        return {role: g.label for g in self.role_groups for role in g.roles}

    @functools.cached_property
    def idea_by_key(self) -> dict[str, str]:
        """``loose_key`` of each idea → the idea."""
        return {loose_key(i): i for i in self.ideas}

    @functools.cached_property
    def short_reaction(self) -> dict[str, str]:
        """Reaction → its short label (the catch-alls are their own)."""
        return {r.label: r.short for r in self.reactions} | {k: k for k in MISSING_COLOURS}

    def short_reactions(self, reactions: pd.Series) -> pd.Series:
        """``reactions`` (the form's wording) as their short labels, each distinct one looked up once
        (text outside the form's list as it is), indexed like ``reactions``."""
        codes, distinct = pd.factorize(reactions, use_na_sentinel=False)
        short = pd.array([self.short_reaction.get(r, r) for r in distinct], dtype=object)
        return pd.Series(short.take(codes), index=reactions.index, name=reactions.name, dtype=object)

    @functools.cached_property
    def reaction_colours(self) -> dict[str, str]:
        """Colour per reaction, keyed by both the form's label and the short label."""
        colours = {r.label: r.colour for r in self.reactions}
        colours |= {r.short: r.colour for r in self.reactions}
        return colours | MISSING_COLOURS

    @functools.cached_property
    def role_group_colours(self) -> dict[str, str]:
        """A neutral shade per role group: never one of the reactions' colours (colour on the
        dashboard means a reaction; groups are told apart by name and, in dot charts, by symbol)."""
        return {g.label: g.colour for g in self.role_groups} | MISSING_COLOURS

    @functools.cached_property
    def short_role_group(self) -> dict[str, str]:
        """Role group → its short name (the label itself when none is configured)."""
        return {g.label: g.short or g.label for g in self.role_groups} | {k: k for k in MISSING_COLOURS}


def _statuses(raw: list | None, default: tuple[Status, ...]) -> tuple[Status, ...]:
    if not raw:
        return default
    out = tuple(Status(label=str(s["label"]).strip(), colour=str(s.get("colour", "#999999"))) for s in raw)
    labels = [s.label for s in out]
    if "" in labels or len(set(labels)) != len(labels):
        raise ValueError(f"Statuses must be named and distinct: {labels}")
    return out


def _from_mapping(raw: dict) -> Consultation:
    return Consultation(
        site_name=str(raw.get("site_name", "")),
        site_url=str(raw.get("site_url", "")),
        timezone=str(raw.get("timezone", "Europe/London")),
        pages_without_form=tuple(raw.get("pages_without_form") or ()),
        reactions=tuple(Reaction(**r) for r in raw["reactions"]),
        positive_reaction=raw["positive_reaction"],
        negative_reaction=raw["negative_reaction"],
        role_groups=tuple(
            RoleGroup(label=g["label"], colour=g["colour"], roles=tuple(g["roles"]), short=str(g.get("short", "")))
            for g in raw["role_groups"]
        ),
        measures=tuple(Measure(**{**m, "aliases": tuple(m.get("aliases") or ())}) for m in raw["measures"]),
        ideas=tuple(raw["ideas"]),
        activities=tuple((s, tuple(items)) for s, items in raw["activities"].items()),
        **({"quadrants": tuple(str(raw["quadrants"][k]) for k in QUADRANT_KEYS)} if raw.get("quadrants") else {}),
        triage_statuses=_statuses(raw.get("triage_statuses"), DEFAULT_TRIAGE_STATUSES),
        said_did_statuses=_statuses(raw.get("said_did_statuses"), DEFAULT_SAID_DID_STATUSES),
    )


@functools.lru_cache(maxsize=8)
def load_consultation(path: str | Path = DEFAULT_FILE) -> Consultation:
    """Read a consultation file (YAML) into a frozen ``Consultation``."""
    with open(path, encoding="utf-8") as fh:
        return _from_mapping(yaml.safe_load(fh))
