"""Generate the demo workbook ``lib/data/demo.xlsx`` and its manifest ``lib/data/demo_manifest.json``.

The workbook imitates the consultation's Google Sheet downloaded as Excel: a ``Feedback`` tab (per-page
form, about 600 rows) and a ``MainFeedback`` tab (the long survey, about 120 rows). They tell a story
(popular and silent pages, reactions that differ by page and role group, ideas in distinct quadrants) and
carry the mess a real sheet collects (spam, double submissions, re-sends, timestamps in several formats,
option variants, unknown pages, awkward text, hand-typed notes, blank rows).

The consultation comes from lib's own loaders; the story's weights and every text from the YAML files in
``scripts/demo/``. The manifest is the generator's own tally of what it planted: the oddities by tag and
the story facts the README's answers rely on, the oracle the tests hold the dashboard to. Every draw comes
from ``random.Random(SEED)`` (the texts from a stream of their own, so rewording a text never moves the
story) and the file is reproducible byte for byte (fixed document properties and zip entry dates). Planted
campaigns (one letter sent by several people with small edits) are recorded in the manifest with their
sheet rows. Run from anywhere: ``python scripts/make_demo.py [--out FOLDER]``.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import random
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# openpyxl writes its XML with lxml when lxml happens to be installed and with the standard library
# otherwise, and the two spell the same workbook differently: pin the standard library.
os.environ["OPENPYXL_LXML"] = "False"
from openpyxl import Workbook  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from lib.consultation import Consultation, load_consultation  # noqa: E402
from lib.pages_meta import default_site  # noqa: E402

DEMO_DIR = ROOT / "scripts" / "demo"
OUTPUT_FILE = ROOT / "lib" / "data" / "demo.xlsx"
MANIFEST_FILE = ROOT / "lib" / "data" / "demo_manifest.json"
SEED = 20260914
TEXT_SEED = SEED + 1  # the texts' own random stream
CAMPAIGN = "campaign: "  # tag of a planted campaign's rows
FIXED_TIMESTAMP = datetime(2026, 11, 1, 0, 0, 0)  # document properties and zip entries
SHEETS_EPOCH = datetime(1899, 12, 30)  # day 0 of Google Sheets / Excel serial dates
LOCAL_PREVIEW_URL = "http://127.0.0.1:8000/"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"  # how a UK-locale sheet shows its timestamps
RANKED_FROM = 5  # the README's rule: pages with fewer responses are not ranked by net score

# Sheet columns and their widths.
FEEDBACK_COLUMNS = {"Timestamp": 20, "page": 62, "nature": 34, "summary": 48, "details": 70,
                    "role": 44, "org": 32, "email": 34, "hp_field": 20, "Notes": 28}
MAIN_COLUMNS = {"Timestamp": 20, "page": 52, "role": 44, "org": 32, "email": 34, "rank_usefulness": 60,
                "rank_likelihood": 60, "activities": 70, "section": 30, "comments": 70, "hp_field": 20}
FORM_FIELDS = ("page", "nature", "summary", "details", "role", "org", "email")  # what a re-post repeats
SPAM, ORIGINAL = "spam (hp_field filled)", "original of a repeat"
UNKNOWN_PAGE, NATURE_UNKNOWN, ROLE_UNKNOWN = "page: unknown page", "nature: unrecognised", "role: unrecognised"


# -- The consultation (lib's loaders) and the story (scripts/demo/*.yaml) --------------------------------


@dataclass(frozen=True)
class Page:
    """A site page that carries the per-page form."""

    path: str
    slug: str  # the last part of its path: how the YAML files name it


@dataclass(frozen=True)
class Demo:
    """The consultation as lib reads it, and the demo's story and texts."""

    c: Consultation
    site_url: str
    tz: ZoneInfo
    pages: tuple[Page, ...]
    story: dict
    people: dict
    texts: dict
    survey: dict

    @property
    def reactions(self) -> dict[str, str]:
        """Reaction short name -> the label as the form spells it."""
        return {r.short: r.label for r in self.c.reactions}

    @property
    def end(self) -> datetime:
        return datetime.combine(self.story["calendar"]["last_day"], time(23, 59, 59))

    def group_of(self, role: str) -> str:
        return self.c.group_of_role.get(role, "")

    def url(self, page: Page, base: str | None = None) -> str:
        return (base or self.site_url) + page.path.lstrip("/")

    def plan(self, page: Page) -> tuple[int, str]:
        """The page's relative volume and mood."""
        return tuple(self.story["pages"].get(page.slug, self.story["default_page"]))


def load_demo() -> Demo:
    """lib's consultation and pages, with the story and texts; stops if they disagree."""
    c = load_consultation()
    site = default_site(c)
    pages = tuple(Page(p, p.strip("/").rsplit("/", 1)[-1]) for p in site.pages.loc[site.pages["has_form"], "path"])
    files = [yaml.safe_load((DEMO_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
             for name in ("story", "people", "feedback", "survey")]
    demo = Demo(c, site.site_url.rstrip("/") + "/", ZoneInfo(c.timezone), pages, *files)
    check_story_matches(demo)
    return demo


def check_story_matches(d: Demo) -> None:
    """Stop if the YAML files name pages, groups, reactions or ideas that lib's data doesn't have."""
    s, t, slugs, groups = d.story, d.texts, [p.slug for p in d.pages], list(d.c.role_group_labels)
    rules = [s[k] for k in ("silent", "market_scepticism", "data_enthusiasm", "own_voice")]
    named = {
        "page": [*s["pages"], *t["pages"], *s["no_feedback_pages"], *(p for r in rules for p in r.get("pages", ())),
                 *(a["slug"] for a in t["awkward"] if "slug" in a), *(c["page"] for c in t["campaigns"])],
        "role group": [*s["role_weights"], *s["group_leanings"], *s["group_score_shifts"], *(r["group"] for r in rules),
                       *d.people["organisations"], t["spam"]["role_group"], *(a["group"] for a in t["awkward"] if "group" in a)],
        "reaction": [*s["sentiment_of"], *(x for r in rules for x in r.get("factors", ())),
                     *(x for leaning in s["group_leanings"].values() for x in leaning),
                     *(x for c in t["campaigns"] for x in c["reactions"])],
        "role": [r for c in t["campaigns"] for r in c["roles"]],
        "idea": [*s["idea_profiles"], *(i for shifts in s["group_score_shifts"].values() for i in shifts if i != "*")],
    }
    known = {"page": slugs, "role group": groups, "reaction": list(d.reactions), "idea": list(d.c.ideas),
             "role": list(d.c.roles)}
    problems = [f"unknown {kind} {name!r}" for kind, names in named.items() for name in names if name not in known[kind]]
    problems += [f"mood {m!r} does not weigh every reaction" for m, w in s["moods"].items() if set(w) != set(d.reactions)]
    problems += [f"role_weights[{g.label!r}] needs {len(g.roles)} weights" for g in d.c.role_groups
                 if len(s["role_weights"].get(g.label, ())) != len(g.roles)]
    problems += [f"no organisations for {g!r}" for g in groups if g not in d.people["organisations"]]
    problems += ["form pages do not have distinct last path parts"] * (len(set(slugs)) != len(slugs))
    problems += ["activity sections and ideas no longer pair up one to one"] * (len(d.c.activities) != len(d.c.ideas))
    if problems:
        raise SystemExit("scripts/demo/*.yaml is out of step with lib/data:\n  " + "\n  ".join(problems))


# -- Respondents, rows and random helpers ---------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    org: str
    email: str


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


class People:
    """Respondents, reused across rows and tabs so each keeps one org and email."""

    def __init__(self, rng: random.Random, d: Demo):
        self.rng, self.d, self.data = rng, d, d.people
        self.by_role: dict[str, list[Person]] = {}
        self.names: set[str] = set()
        self.emails: set[str] = set()

    def pick(self, role: str, p_new: float) -> Person:
        known = self.by_role.setdefault(role, [])
        if known and self.rng.random() >= p_new:
            return self.rng.choice(known)
        known.append(self._new(role))
        return known[-1]

    def new_at(self, role: str, org: str | None) -> Person:
        """A new respondent at ``org`` (None: gives none), with an address there when they give one."""
        rng, data = self.rng, self.data
        first, last = self._unused_name()
        domain = data["organisations"].get(self.d.group_of(role), {}).get(org) if org else None
        email = ""
        if rng.random() < data["email_rate"]:
            f, s = ascii_slug(first), ascii_slug(last)
            email = f"{f}.{s}@{domain or rng.choice(data['personal_domains'])}"
            while email in self.emails:
                email = email.replace("@", f"{rng.randint(2, 9)}@", 1)
            self.emails.add(email)
        return Person(f"{first} {last}", role, org or "", email)

    def apart(self, rng: random.Random) -> People:
        """Another set of respondents drawing from ``rng``, never taking a name or address already used."""
        other = People(rng, self.d)
        other.names, other.emails = set(self.names), set(self.emails)
        return other

    def _unused_name(self) -> tuple[str, str]:
        """A first name and surname nobody in the demo has yet (now taken)."""
        while True:
            first, last = self.rng.choice(self.data["first_names"]), self.rng.choice(self.data["surnames"])
            if f"{first} {last}" not in self.names:
                self.names.add(f"{first} {last}")
                return first, last

    def _new(self, role: str) -> Person:
        rng, data = self.rng, self.data
        first, last = self._unused_name()
        group = self.d.group_of(role)
        org, domain = "", None
        if rng.random() < data["org_rate"].get(group, data["org_rate"]["default"]):
            org, domain = rng.choice(list(data["organisations"][group].items()))
        email = ""
        if rng.random() < data["email_rate"]:
            f, s = ascii_slug(first), ascii_slug(last)
            local = rng.choices((f"{f}.{s}", f"{f[0]}{s}", f"{f}{s[0]}"), (6, 3, 1))[0]
            email = f"{local}@{domain or rng.choice(data['personal_domains'])}"
            while email in self.emails:
                email = email.replace("@", f"{rng.randint(2, 9)}@", 1)
            self.emails.add(email)
        return Person(f"{first} {last}", role, org, email)


@dataclass
class Row:
    """A sheet row: its ``cells`` by column as the sheet shows them (``Timestamp`` only when it is
    not ``when``), and what the generator meant, whatever oddity the cells carry."""

    when: datetime  # true local time; orders the rows
    cells: dict[str, object]
    page: Page | None = None
    short: str = ""  # the reaction meant (short name; "" for none)
    sentiment: str = "mix"
    role: str = ""  # the role meant
    ticked: list[str] = field(default_factory=list)  # survey activities, in longlist order
    tags: list[str] = field(default_factory=list)

    def again(self, delay: timedelta, tag: str) -> Row:
        """The same post sent again ``delay`` later."""
        return replace(self, when=self.when + delay, cells=dict(self.cells), tags=[tag])


def weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items, each drawn with probability proportional to its weight."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights) if w > 0), reverse=True)
    return [items[i] for _, i in keyed[:k]]


def quotas(weights: list[float], total: int) -> list[int]:
    """Whole numbers summing to total, proportional to weights (largest remainder)."""
    exact = [total * w / sum(weights) for w in weights]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))[: total - sum(counts)]:
        counts[i] += 1
    return counts


def sample_times(rng: random.Random, d: Demo, n: int, *, bots: bool = False) -> list[datetime]:
    """n sorted local times in the window: weekday and working-hours heavy (bots: uniform); none
    before the launch, none at a wall-clock time a clock change makes ambiguous or skips."""
    cal = d.story["calendar"]
    first, launch = cal["first_day"], time.fromisoformat(cal["launch_time"])
    days = [first + timedelta(days=i) for i in range((cal["last_day"] - first).days + 1)]

    def day_weight(offset: int) -> float:
        weight = cal["week_weights"][min(offset // 7, len(cal["week_weights"]) - 1)]
        weight *= cal["weekend_factor"] if days[offset].weekday() >= 5 else 1
        weight *= cal["launch_factor"] if offset in cal["launch_days"] else 1
        return weight * (cal["reminder_factor"] if offset in cal["reminder_days"] else 1)

    day_weights = [1.0] * len(days) if bots else [day_weight(i) for i in range(len(days))]
    times = []
    while len(times) < n:
        day = rng.choices(days, day_weights)[0]
        hour = rng.choices(range(24), [1.0] * 24 if bots else cal["hour_weights"])[0]
        moment = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
        clear = moment.replace(tzinfo=d.tz, fold=0).utcoffset() == moment.replace(tzinfo=d.tz, fold=1).utcoffset()
        if (day > first or moment.time() >= launch) and clear:
            times.append(moment)
    return sorted(times)


def pick(rng: random.Random, rows: list[Row], n: int, tag: str, ok=lambda r: True) -> list[Row]:
    """n rows untouched by any other oddity that satisfy ok; tag them."""
    pool = [r for r in rows if not r.tags and ok(r)]
    if len(pool) < n:
        raise SystemExit(f"Not enough rows for oddity {tag!r}: need {n}, have {len(pool)}")
    chosen = rng.sample(pool, n)
    for row in chosen:
        row.tags.append(tag)
    return chosen


def double_inner_space(text: str) -> str:
    words = text.split(" ")
    return " ".join(words[: len(words) // 2]) + "  " + " ".join(words[len(words) // 2:])


# -- Tab "Feedback" -------------------------------------------------------------------------------------


def page_quotas(d: Demo) -> list[tuple[Page, int]]:
    """Rows per page, proportional to the pages' volumes."""
    pages = [p for p in d.pages if p.slug not in d.story["no_feedback_pages"]]
    return list(zip(pages, quotas([d.plan(p)[0] for p in pages], d.story["responses"]["feedback"])))


def role_weights(d: Demo) -> tuple[list[str], list[float]]:
    """Every role with its share of responses."""
    return list(d.c.roles), [w for g in d.c.role_groups for w in d.story["role_weights"][g.label]]


def assign_roles(rng: random.Random, d: Demo, pages: list[Page]) -> list[str]:
    """A role for each page slot, matching the role weights exactly, with the silent group moved
    off the pages where it is meant to be silent."""
    roles, weights = role_weights(d)
    assigned = [r for r, n in zip(roles, quotas(weights, len(pages))) for _ in range(n)]
    rng.shuffle(assigned)
    silent = d.story["silent"]

    def on_page(i: int) -> bool:
        return pages[i].slug in silent["pages"]

    def in_group(i: int) -> bool:
        return d.group_of(assigned[i]) == silent["group"]

    for i in range(len(pages)):
        if on_page(i) and in_group(i):
            j = rng.choice([j for j in range(len(pages)) if not on_page(j) and not in_group(j)])
            assigned[i], assigned[j] = assigned[j], assigned[i]
    return assigned


def pick_reaction(rng: random.Random, d: Demo, page: Page, role: str) -> str:
    """A reaction short name, or "" for none."""
    s = d.story
    if rng.random() < s["no_reaction_rate"]:
        return ""
    weights = dict(s["moods"][d.plan(page)[1]])
    group, market, keen = d.group_of(role), s["market_scepticism"], s["data_enthusiasm"]
    factors = [s["group_leanings"].get(group, {})]
    if group == market["group"] and page.slug in market["pages"]:
        factors.append(market["factors"])
    if group == keen["group"] and any(w in role.lower() for w in keen["role_words"]) and page.slug in keen["pages"]:
        factors.append(keen["factors"])
    for factor in factors:
        for short, f in factor.items():
            weights[short] *= f
    return rng.choices(list(weights), list(weights.values()))[0]


def compose_text(rng: random.Random, d: Demo, page: Page, role: str, sentiment: str, used: set) -> tuple[str, str]:
    """A summary (one not yet used in this voice while there are any), and details about 60% of the
    time: one or two of the voice's own sentences, a set no one else has written, so that two people
    never send the same text unless a campaign says so (when every set is taken: no details).
    ``rng`` is the texts' own stream (``TEXT_SEED``)."""
    own, t = d.story["own_voice"], d.texts
    person = d.group_of(role) == own["group"] and rng.random() < own["rate"]
    name = ("person" if person else page.slug if page.slug in t["pages"] else "generic", sentiment)
    voice = t["person"][sentiment] if person else t["pages"].get(page.slug, t["generic"])[sentiment]
    fresh = [x for x in voice["summaries"] if (name, "summary", x) not in used]
    summary = rng.choice(fresh or voice["summaries"])
    used.add((name, "summary", summary))
    roll = rng.random()
    if roll < 0.1 and not summary.endswith(("?", "!", ".")):
        summary += "."
    elif roll < 0.18 and summary[1:2].islower():
        summary = summary[0].lower() + summary[1:]
    if rng.random() >= 0.6:
        return summary, ""
    details = voice["details"]
    sets = [frozenset([x]) for x in details] + [frozenset(pair) for pair in itertools.combinations(details, 2)]
    free = [x for x in sets if (name, "details", x) not in used]
    if not free:
        return summary, ""
    ones = [x for x in free if len(x) == 1]
    chosen = rng.choice(ones if ones and rng.random() < 0.65 else free)
    used.add((name, "details", chosen))
    parts = [x for x in details if x in chosen]
    if len(parts) == 2 and rng.random() < 0.5:
        parts.reverse()
    return summary, " ".join(parts)


def genuine_feedback(rng: random.Random, d: Demo, people: People) -> list[Row]:
    """The per-page responses people meant to send: pages, times, roles, reactions and texts."""
    slots = [page for page, n in page_quotas(d) for _ in range(n)]
    rng.shuffle(slots)
    times = sample_times(rng, d, len(slots))
    rows, used, texts = [], set(), random.Random(TEXT_SEED)
    for page, when, role in zip(slots, times, assign_roles(rng, d, slots)):
        person = people.pick(role, p_new=0.6)
        short = pick_reaction(rng, d, page, person.role)
        sentiment = d.story["sentiment_of"].get(short, "mix")
        summary, details = compose_text(texts, d, page, person.role, sentiment, used)
        cells = {"page": d.url(page), "nature": d.reactions.get(short, ""), "summary": summary, "details": details,
                 "role": person.role, "org": person.org, "email": person.email}
        rows.append(Row(when, cells, page, short, sentiment, person.role))
    return rows


def campaign_letter(rng: random.Random, plan: dict, org: str) -> str:
    """One copy of a campaign's letter with its sender's small edits: a greeting, a dropped sentence, a
    swapped phrase or two, a closing line (naming their organisation when they give one)."""
    sentences = list(plan["sentences"])
    if rng.random() < 0.35:
        del sentences[rng.choice(plan["droppable"])]
    text = " ".join(sentences)
    for old, new in plan["swaps"]:
        if rng.random() < 0.4:
            text = text.replace(old, new)
    closings = [c for c in plan["closings"] if org or "{org}" not in c]
    greeting, closing = rng.choice(plan["greetings"]), rng.choice(closings).format(org=org)
    return " ".join(part for part in (greeting, text, closing) if part)


def campaign_feedback(d: Demo, people: People) -> list[Row]:
    """The planted campaigns (feedback.yaml ``campaigns``): each copy a new respondent's, in its own words
    (no two copies alike), from draws of their own (``TEXT_SEED`` + 1) so the campaigns never move the rest
    of the story."""
    rng, rows = random.Random(TEXT_SEED + 1), []
    senders = people.apart(rng)
    first_day = d.story["calendar"]["first_day"]
    by_slug = {p.slug: p for p in d.pages}
    for plan in d.texts["campaigns"]:
        page, (start, end), letters = by_slug[plan["page"]], plan["days"], set()
        for i, org in enumerate(plan["organisations"]):
            role = plan["roles"][i % len(plan["roles"])]
            person = senders.new_at(role, org)
            day = first_day + timedelta(days=rng.randint(start, end))
            when = datetime.combine(day, time(rng.randint(9, 17), rng.randrange(60), rng.randrange(60)))
            short = rng.choice(plan["reactions"])
            letter = campaign_letter(rng, plan, person.org)
            while letter in letters:
                letter = campaign_letter(rng, plan, person.org)
            letters.add(letter)
            cells = {"page": d.url(page), "nature": d.reactions[short], "summary": plan["summary"],
                     "details": letter, "role": role, "org": person.org, "email": person.email}
            rows.append(Row(when, cells, page, short, d.story["sentiment_of"].get(short, "mix"), role,
                            tags=[CAMPAIGN + plan["id"]]))
    return rows


def add_feedback_oddities(rng: random.Random, d: Demo, rows: list[Row]) -> None:
    """Page addresses, option spellings and text as people and browsers really send them."""
    for row in pick(rng, rows, round(0.05 * len(rows)), "page: local preview"):
        row.cells["page"] = d.url(row.page, LOCAL_PREVIEW_URL)
    for row in pick(rng, rows, 6, "page: #anchor"):
        row.cells["page"] += rng.choice(d.texts["anchors"])
    for row in pick(rng, rows, 5, "page: ?utm_source"):
        row.cells["page"] += "?utm_source=newsletter"
    for row in pick(rng, rows, 4, "page: no trailing slash"):
        row.cells["page"] = row.cells["page"].rstrip("/")
    for row in pick(rng, rows, 3, "page: wrapped in feedback/?page="):
        row.cells["page"] = f"{d.site_url}feedback/?page={quote(row.cells['page'], safe='')}"
    popular = {p.slug for p, n in page_quotas(d) if n >= 30}
    for row in pick(rng, rows, 2, UNKNOWN_PAGE, lambda r: r.page.slug in popular):
        row.cells["page"] = f"{d.site_url}suggestions/"
    for row in pick(rng, rows, 10, "nature: straight apostrophe", lambda r: "’" in r.cells["nature"]):
        row.cells["nature"] = row.cells["nature"].replace("’", "'")
    for i, row in enumerate(pick(rng, rows, 4, "nature: case or spacing", lambda r: r.cells["nature"] != "")):
        row.cells["nature"] = row.cells["nature"].lower() if i % 2 == 0 else double_inner_space(row.cells["nature"])
    for row in pick(rng, rows, 1, NATURE_UNKNOWN, lambda r: r.sentiment == "pos"):
        row.cells["nature"] = "Loved it"
    for row in pick(rng, rows, 2, NATURE_UNKNOWN, lambda r: r.sentiment == "mix"):
        row.cells["nature"] = "Neutral"
    for row in pick(rng, rows, 6, "role: straight apostrophe", lambda r: "’" in r.cells["role"]):
        row.cells["role"] = row.cells["role"].replace("’", "'")
    for row in pick(rng, rows, 3, "role: lower case"):
        row.cells["role"] = row.cells["role"].lower()
    for row, text in zip(pick(rng, rows, 2, ROLE_UNKNOWN, lambda r: r.cells["email"] == ""), ("Student", "Researcher")):
        row.cells["role"] = text
    for row in pick(rng, rows, 1, "org: typed as 007", lambda r: r.cells["org"] == r.cells["email"] == ""):
        row.cells["org"] = "007"
    for i, row in enumerate(pick(rng, rows, 5, "org: stray spaces", lambda r: r.cells["org"] != "")):
        row.cells["org"] = (" " + row.cells["org"], row.cells["org"] + "  ", " " + row.cells["org"] + " ")[i % 3]
    for i, row in enumerate(pick(rng, rows, 4, "summary: stray spaces")):
        text = row.cells["summary"]
        row.cells["summary"] = (" " + text, text + " ", "  " + text + "  ")[i % 3]
    for awkward in d.texts["awkward"]:
        def fits(r: Row, a: dict = awkward) -> bool:
            return (a.get("slug") in (None, r.page.slug) and a.get("sentiment") in (None, r.sentiment)
                    and a.get("group") in (None, d.group_of(r.role)) and a.get("org") in (None, r.cells["org"]))
        (row,) = pick(rng, rows, 1, f"text: {awkward['tag']}", fits)
        row.cells[awkward["column"]] = awkward["text"]


def spam_feedback(rng: random.Random, d: Demo) -> list[Row]:
    """Bot posts at any hour, caught by the honeypot."""
    pages, spam, rows = [p for p, n in page_quotas(d) if n > 0], d.texts["spam"], []
    for when, post in zip(sample_times(rng, d, len(spam["posts"]), bots=True), spam["posts"]):
        page = rng.choice(pages)
        nature = rng.choice([*d.reactions.values(), ""])
        role = post["role"] or rng.choice([r for r in d.c.roles if d.group_of(r) == spam["role_group"]])
        cells = {"page": d.url(page), "nature": nature, "summary": post["summary"], "details": post["details"],
                 "role": role, "org": spam["org"], "email": spam["email"], "hp_field": rng.choice(spam["honeypots"])}
        rows.append(Row(when, cells, page, role=role, tags=[SPAM]))
    return rows


def repeats(rng: random.Random, d: Demo, rows: list[Row]) -> list[Row]:
    """Double submissions minutes later and genuine re-sends days later."""
    soon = d.end - timedelta(minutes=5)
    copies = [row.again(timedelta(seconds=rng.randint(5, 240)), "double submission: exact (5 s to 4 min)")
              for row in pick(rng, rows, 10, ORIGINAL, lambda r: r.when < soon)]
    trailing, doubled = pick(rng, rows, 2, ORIGINAL, lambda r: r.cells["details"] and r.when < soon)
    for row in (trailing, doubled):
        copies.append(row.again(timedelta(seconds=rng.randint(5, 240)), "double submission: whitespace differs"))
    copies[-2].cells["summary"] += " "
    copies[-1].cells["details"] = double_inner_space(copies[-1].cells["details"])
    for row in pick(rng, rows, 3, ORIGINAL, lambda r: r.when < d.end - timedelta(days=4)):
        delay = timedelta(days=rng.randint(1, 3), minutes=rng.randint(0, 180))
        copies.append(row.again(delay, "re-send: identical, 1-3 days later"))
    return copies


def add_timestamp_oddities(rng: random.Random, d: Demo, rows: list[Row]) -> None:
    """Timestamps typed or pasted in other formats, and two that are no time at all."""
    stamps = {
        "timestamp: UK text dd/mm/yyyy": (8, lambda w: w.strftime("%d/%m/%Y %H:%M:%S")),
        "timestamp: ISO text with offset": (2, lambda w: w.replace(tzinfo=d.tz).isoformat(timespec="seconds")),
        "timestamp: ISO text without offset": (2, lambda w: w.strftime("%Y-%m-%d %H:%M:%S")),
        "timestamp: Sheets serial number": (3, lambda w: round((w - SHEETS_EPOCH) / timedelta(days=1), 10)),
    }
    for tag, (n, stamp) in stamps.items():
        for row in pick(rng, rows, n, tag):
            row.cells["Timestamp"] = stamp(row.when)
    for row, text in zip(pick(rng, rows, 2, "timestamp: garbage"), ("last Tuesday", "n/a")):
        row.cells["Timestamp"] = text


def build_feedback(rng: random.Random, d: Demo, people: People) -> list[Row]:
    """The ``Feedback`` tab's rows in sheet order, oddities and notes included."""
    rows = genuine_feedback(rng, d, people)
    rows += campaign_feedback(d, people)
    add_feedback_oddities(rng, d, rows)
    rows += spam_feedback(rng, d)
    rows += repeats(rng, d, rows)
    rows.sort(key=lambda r: r.when)
    add_timestamp_oddities(rng, d, rows)
    notes = d.texts["notes"]
    genuine = [r for r in rows if not any(t.startswith(("spam", "double", "re-send", "original")) for t in r.tags)]
    for row, note in zip(rng.sample(genuine, len(notes["genuine"])), notes["genuine"]):
        row.cells["Notes"] = note
    rng.choice([r for r in rows if SPAM in r.tags]).cells["Notes"] = notes["spam"]
    rng.choice([r for r in rows if any(t.startswith("double") for t in r.tags)]).cells["Notes"] = notes["duplicate"]
    check_feedback(d, rows)
    return rows


def check_feedback(d: Demo, rows: list[Row]) -> None:
    """Stop if the story promised by story.yaml did not come out."""
    real = [r for r in rows if SPAM not in r.tags and UNKNOWN_PAGE not in r.tags]
    silent, heard = d.story["silent"], {r.page.slug for r in real}
    problems = [f"no feedback from {role!r}" for role in d.c.roles if role not in {r.cells["role"] for r in real}]
    if sorted(p.slug for p in d.pages if p.slug not in heard) != sorted(d.story["no_feedback_pages"]):
        problems.append(f"pages without feedback are {[p.slug for p in d.pages if p.slug not in heard]}")
    if any(r.page.slug in silent["pages"] and d.group_of(r.cells["role"]) == silent["group"] for r in rows):
        problems.append(f"{silent['group']} rows on its silent pages")
    repeated = sum(n - 1 for n in Counter(tuple(r.cells[k] for k in FORM_FIELDS) for r in rows).values())
    expected = sum(1 for r in rows for t in r.tags if t.startswith(("double submission: exact", "re-send")))
    if repeated != expected:
        problems.append(f"{repeated} repeated rows, expected {expected}")
    if problems:
        raise SystemExit("Demo data check failed: " + "; ".join(problems))


# -- Tab "MainFeedback" ---------------------------------------------------------------------------------


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def survey_scores(rng: random.Random, d: Demo, group: str) -> tuple[dict, dict]:
    """{idea: score} for usefulness and likelihood; 8 or more ideas scored."""
    ideas, profiles, default = d.c.ideas, d.story["idea_profiles"], d.story["default_profile"]
    k = rng.randint(min(8, len(ideas)), len(ideas))
    scored = set(weighted_sample(rng, list(ideas), [profiles.get(i, default)[0] for i in ideas], k))
    shifts = d.story["group_score_shifts"].get(group, {})
    bias_u, bias_l = rng.gauss(0, 0.35), rng.gauss(0, 0.35)
    usefulness, likelihood = {}, {}
    for idea in (i for i in ideas if i in scored):
        mean_u, mean_l = profiles.get(idea, default)
        for key in ("*", idea):
            du, dl = shifts.get(key, (0.0, 0.0))
            mean_u, mean_l = mean_u + du, mean_l + dl
        usefulness[idea] = max(1, min(5, round(rng.gauss(mean_u + bias_u, 0.75))))
        likelihood[idea] = max(1, min(5, round(rng.gauss(mean_l + bias_l, 0.75))))
    if rng.random() < 0.25:  # left one likelihood blank
        del likelihood[rng.choice(list(likelihood))]
    return usefulness, likelihood


def pick_activities(rng: random.Random, d: Demo, usefulness: dict) -> list[str]:
    """Ticked "<Section>: <activity>" entries, favouring ideas scored useful (the longlist's
    sections follow the ideas' order, so the n-th section belongs to the n-th idea)."""
    entries, weights = [], []
    for idea, (section, acts) in zip(d.c.ideas, d.c.activities):
        entries += [f"{section}: {act}" for act in acts]
        weights += [usefulness.get(idea, 1.5) ** 2.5] * len(acts)
    counts = d.story["activity_count_weights"]
    ticked = set(weighted_sample(rng, entries, weights, rng.choices(range(len(counts)), counts)[0]))
    return [e for e in entries if e in ticked]


def survey_comments(rng: random.Random, d: Demo, with_section: bool) -> tuple[str, str]:
    """(section, comments), 1-4 sentences fitting the section if one is named."""
    comments = d.survey["comments"]
    section, topic = rng.choice(list(d.survey["sections"].items())) if with_section else ("", "general")
    sentences = rng.sample(comments[topic], min(len(comments[topic]), rng.choice((1, 1, 2, 2, 3))))
    if topic != "general" and rng.random() < 0.3:
        sentences.append(rng.choice(comments["general"]))
    if rng.random() < 0.25:
        sentences.append(rng.choice(d.survey["closings"]))
    return section, " ".join(sentences[:4])


def genuine_survey(rng: random.Random, d: Demo, people: People) -> list[Row]:
    """The survey responses people meant to send."""
    n = d.story["responses"]["survey"]
    commented = rng.sample(range(n), round(d.story["survey_comments_rate"] * n))
    with_section = set(rng.sample(commented, round(d.story["survey_section_rate"] * n)))
    rows = []
    for i, when in enumerate(sample_times(rng, d, n)):
        person = people.pick(rng.choices(*role_weights(d))[0], p_new=0.55)
        usefulness, likelihood = survey_scores(rng, d, d.group_of(person.role))
        ticked = pick_activities(rng, d, usefulness)
        section, comments = survey_comments(rng, d, i in with_section) if i in commented else ("", "")
        rows.append(Row(when, {"page": f"{d.site_url}feedback/", "role": person.role, "org": person.org,
                               "email": person.email, "rank_usefulness": to_json(usefulness),
                               "rank_likelihood": to_json(likelihood), "activities": to_json(ticked),
                               "section": section, "comments": comments}, role=person.role, ticked=ticked))
    return rows


def add_survey_oddities(rng: random.Random, d: Demo, rows: list[Row]) -> None:
    """Scores out of range, not numbers or not JSON; activities joined with ", " as some sheets hold them."""
    (row,) = pick(rng, rows, 1, "score: 6 (out of range)")
    scores = json.loads(row.cells["rank_usefulness"])
    scores[max(scores, key=scores.get)] = 6
    row.cells["rank_usefulness"] = to_json(scores)
    (row,) = pick(rng, rows, 1, "score: \"n/a\"")
    scores = json.loads(row.cells["rank_likelihood"])
    scores[rng.choice(list(scores))] = "n/a"
    row.cells["rank_likelihood"] = to_json(scores)
    (row,) = pick(rng, rows, 1, "score: not valid JSON")
    row.cells["rank_usefulness"] = "{" + ", ".join(f"{k}: {v}" for k, v in json.loads(row.cells["rank_usefulness"]).items())

    order = {e: i for i, e in enumerate(d.c.activity_labels)}
    with_comma = [e for e in d.c.activity_labels if "," in e]
    joined = pick(rng, rows, 20, "activities: joined with \", \"", lambda r: len(r.ticked) >= 2)
    for i, row in enumerate(joined):
        if i < 5 and with_comma and not any(e in with_comma for e in row.ticked):
            row.ticked = sorted(row.ticked + [rng.choice(with_comma)], key=order.get)
        entries = list(row.ticked)
        if i == len(joined) - 1:
            entries.insert(1, d.survey["unknown_activity"])
            row.tags.append("activities: unknown fragment")
        if any(e in with_comma for e in entries):
            row.tags.append("activities: joined entry contains a comma")
        row.cells["activities"] = ", ".join(entries)


def build_survey(rng: random.Random, d: Demo, people: People) -> list[Row]:
    """The ``MainFeedback`` tab's rows in sheet order, spam and double submissions included."""
    rows = genuine_survey(rng, d, people)
    add_survey_oddities(rng, d, rows)
    spam = d.survey["spam"]
    rows += [Row(when, {"page": f"{d.site_url}feedback/", "role": rng.choice(spam["roles"]), "org": spam["org"],
                        "email": spam["email"], "activities": "[]", "section": section, "comments": comments,
                        "hp_field": rng.choice(spam["honeypots"])}, tags=[SPAM])
             for when, (section, comments) in zip(sample_times(rng, d, len(spam["posts"]), bots=True), spam["posts"])]
    for row in pick(rng, rows, 2, ORIGINAL, lambda r: r.when < d.end - timedelta(minutes=2)):
        rows.append(row.again(timedelta(seconds=rng.randint(60, 120)), "double submission: exact (1-2 min)"))
    rows.sort(key=lambda r: r.when)
    return rows


# -- Workbook -------------------------------------------------------------------------------------------


def write_sheet(ws, columns: dict[str, int], rows: list[Row | None]) -> None:
    """Header then rows; None is an entirely empty row."""
    ws.append(list(columns))
    for r, row in enumerate(rows, start=2):
        for col, name in enumerate(columns if row is not None else (), start=1):
            value = row.cells.get(name, row.when if name == "Timestamp" else None)
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text a person typed, not a formula
    for col, width in enumerate(columns.values(), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def with_empty_rows(rows: list, count: int = 2) -> list:
    """Insert entirely empty rows, evenly spread through the middle."""
    out = list(rows)
    for i in range(count, 0, -1):
        out.insert(len(rows) * i // (count + 1), None)
    return out


def save_workbook(feedback: list, survey: list, path: Path) -> None:
    """Write the workbook with fixed document properties and zip entry dates."""
    wb = Workbook()
    wb.properties.creator = "Consultation Insight demo generator"
    wb.properties.created = wb.properties.modified = FIXED_TIMESTAMP
    wb.active.title = "Feedback"
    write_sheet(wb.active, FEEDBACK_COLUMNS, feedback)
    write_sheet(wb.create_sheet("MainFeedback"), MAIN_COLUMNS, survey)
    raw, out = io.BytesIO(), io.BytesIO()
    wb.save(raw)
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps `modified` with the clock
                data, n = re.subn(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", data)
                if n != 1:
                    raise SystemExit("Could not fix the workbook's modified date")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type, entry.create_system, entry.external_attr = zipfile.ZIP_DEFLATED, 0, 0
            dst.writestr(entry, data)
    path.write_bytes(out.getvalue())


# -- Manifest and entry point ---------------------------------------------------------------------------


def story_facts(d: Demo, rows: list[Row]) -> dict:
    """What the planted rows must show on the Reactions page, counted from the generator's own
    bookkeeping (the page, reaction and role each row meant, and the oddities it carries)."""
    kept = [r for r in rows if not any(t.startswith(("spam", "double")) for t in r.tags)]
    pos, neg = (next(r.short for r in d.c.reactions if r.label == label)
                for label in (d.c.positive_reaction, d.c.negative_reaction))

    def reaction(r: Row) -> str:
        return "" if NATURE_UNKNOWN in r.tags else r.short

    def group(r: Row) -> str:
        return "" if ROLE_UNKNOWN in r.tags else d.group_of(r.role)

    def pct(rs: list[Row], short: str) -> float:
        return 100 * sum(reaction(r) == short for r in rs) / len(rs)

    by_page = {p.path: [r for r in kept if r.page == p and UNKNOWN_PAGE not in r.tags] for p in d.pages}
    scores = {p: pct(rs, pos) - pct(rs, neg) for p, rs in by_page.items() if len(rs) >= RANKED_FROM}
    campaigns = {t for r in kept for t in r.tags if t.startswith(CAMPAIGN)}
    first = {t: min((r for r in kept if t in r.tags), key=lambda r: r.when) for t in campaigns}
    once = [r for r in kept if not any(t in campaigns and first[t] is not r for t in r.tags)]
    by_role = {role: [r for r in kept if r.role == role and ROLE_UNKNOWN not in r.tags] for role in d.c.roles}
    compared = (d.story["market_scepticism"]["group"], d.story["data_enthusiasm"]["group"])
    return {
        "responses_by_page": {p: len(rs) for p, rs in by_page.items()},
        "net_score_ranking": {"ranked_from": RANKED_FROM, "scores": {
            p: round(scores[p], 1) for p in sorted(scores, key=lambda p: -scores[p])}},
        "by_role": {role: {"responses": len(rs), "enthusiastic_pct": round(pct(rs, pos), 1),
                           "disagree_pct": round(pct(rs, neg), 1)} for role, rs in by_role.items()},
        "not_heard_from": {g: [p for p, rs in by_page.items() if not any(group(r) == g for r in rs)]
                           for g in d.c.role_group_labels},
        "campaign_pages": {
            p: {"responses": len(rs), "net_score": round(pct(rs, pos) - pct(rs, neg), 1),
                "responses_counting_campaigns_once": len(ones := [r for r in rs if r in once]),
                "net_score_counting_campaigns_once": round(pct(ones, pos) - pct(ones, neg), 1)}
            for p, rs in by_page.items() if any(t in campaigns for r in rs for t in r.tags)},
        "disagree_pct_on_market_pages": {
            p.path: {g: round(pct(rs, neg), 1) if (rs := [r for r in by_page[p.path] if group(r) == g]) else None
                     for g in compared} for p in d.pages if p.slug in d.story["market_scepticism"]["pages"]},
    }


def campaign_facts(d: Demo, rows: list[Row], sheet_row: dict[int, int]) -> list[dict]:
    """Each planted campaign: its page, summary, the sheet rows of its copies and who sent them."""
    out = []
    for plan in d.texts["campaigns"]:
        mine = [r for r in rows if CAMPAIGN + plan["id"] in r.tags]
        out.append({"id": plan["id"], "page": mine[0].page.path, "summary": plan["summary"],
                    "rows": sorted(sheet_row[id(r)] for r in mine),
                    "organisations": sorted({r.cells["org"] for r in mine if r.cells["org"]}),
                    "first": min(r.when for r in mine).isoformat(), "last": max(r.when for r in mine).isoformat()})
    return out


def resend_rows(rows: list[Row], sheet_row: dict[int, int]) -> list[list[int]]:
    """[original, re-send] sheet rows of each response sent again days later (a real second response,
    and the same text twice: the only near-copies besides the campaigns)."""
    out = []
    for again in (r for r in rows if any(t.startswith("re-send") for t in r.tags)):
        same = [r for r in rows if r is not again and ORIGINAL in r.tags and r.when < again.when
                and all(r.cells.get(k) == again.cells.get(k) for k in FORM_FIELDS)]
        out.append([sheet_row[id(same[0])], sheet_row[id(again)]])
    return sorted(out)


def tally(rows: list[Row]) -> dict[str, int]:
    return dict(sorted(Counter(t for r in rows for t in r.tags).items()))


def main(argv: list[str] | None = None) -> None:
    """Write the workbook and its manifest, and print the tally."""
    parser = argparse.ArgumentParser(description="Write the demo workbook and its manifest.")
    parser.add_argument("--out", type=Path, default=OUTPUT_FILE.parent,
                        help="folder for demo.xlsx and demo_manifest.json (default: lib/data)")
    out_dir = parser.parse_args(argv).out
    d = load_demo()
    rng = random.Random(SEED)
    people = People(rng, d)
    feedback = build_feedback(rng, d, people)
    survey = build_survey(rng, d, people)
    sheet = with_empty_rows(feedback)
    save_workbook(sheet, survey, out_dir / OUTPUT_FILE.name)
    sheet_row = {id(r): i for i, r in enumerate(sheet, start=2) if r is not None}  # header = row 1
    manifest = {
        "seed": SEED,
        "Feedback": {"rows": len(feedback), "empty_rows": 2, "tags": tally(feedback),
                     "pages_without_feedback": [p.path for p in d.pages if p.slug in d.story["no_feedback_pages"]],
                     "campaigns": campaign_facts(d, feedback, sheet_row),
                     "resends": resend_rows(feedback, sheet_row)},
        "MainFeedback": {"rows": len(survey), "tags": tally(survey)},
        "story": story_facts(d, feedback),
    }
    (out_dir / MANIFEST_FILE.name).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out_dir / OUTPUT_FILE.name} (seed {SEED}) and {MANIFEST_FILE.name}")
    for name, rows in (("Feedback", feedback), ("MainFeedback", survey)):
        print(f"{name}: {len(rows)} rows\n" + "\n".join(f"  {n:3d}  {tag}" for tag, n in tally(rows).items()))


if __name__ == "__main__":
    main()
