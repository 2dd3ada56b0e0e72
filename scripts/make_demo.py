"""Generate the demo workbook ``lib/data/demo.xlsx``.

The workbook imitates the consultation's Google Sheet downloaded as Excel:
a ``Feedback`` tab filled by the per-page form (about 600 rows) and a
``MainFeedback`` tab filled by the long survey (about 120 rows). The rows are
written to read like responses from UK children's social care data and
digital professionals and tell a story: some pages are popular and some
silent, reactions differ by page and by role group, and the survey's ideas
fall into distinct usefulness/likelihood quadrants.

The data also carries the mess a real sheet accumulates, so that the
dashboard's cleaning can be demonstrated and tested: bot submissions caught by
the honeypot, double submissions, later re-sends, timestamps in several
formats, spelling variants of the form's options, unknown pages, awkward text
(emoji, formulas, markup), hand-added notes and blank rows. The script prints
a manifest of every deliberate oddity it introduced.

Option lists (reactions, roles and role groups, ideas, activities, pages) are
read from ``lib/data/consultation.yaml`` and ``lib/data/pages.csv``; this
module holds only the demo's texts and the weights that shape its story, and
refuses to run if they no longer match those files. Every random draw comes
from ``random.Random(SEED)`` and the file is written byte for byte
reproducibly (fixed document properties, fixed zip entry dates), so running
the script twice gives the same sha256.

Run from anywhere::

    python scripts/make_demo.py
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import yaml

# openpyxl writes its XML with lxml when lxml happens to be installed and with the standard
# library otherwise, and the two spell the same workbook differently; pin the standard library
# so the sha256 does not depend on what else is in the environment.
os.environ["OPENPYXL_LXML"] = "False"
from openpyxl import Workbook  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

# --------------------------------------------------------------------------
# Files, seed and fixed dates
# --------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
CONSULTATION_FILE = ROOT / "lib" / "data" / "consultation.yaml"
PAGES_FILE = ROOT / "lib" / "data" / "pages.csv"
OUTPUT_FILE = ROOT / "lib" / "data" / "demo.xlsx"
MANIFEST_FILE = ROOT / "lib" / "data" / "demo_manifest.json"

SEED = 20260914

FIRST_DAY = date(2026, 9, 14)  # launch, a Monday
LAUNCH_TIME = time(9, 0)  # the forms went live at 09:00 on launch day
LAST_DAY = date(2026, 10, 25)  # close, a Sunday: six weeks
FIXED_TIMESTAMP = datetime(2026, 11, 1, 0, 0, 0)  # document properties and zip entries
SHEETS_EPOCH = datetime(1899, 12, 30)  # day 0 of Google Sheets / Excel serial dates
LOCAL_PREVIEW_URL = "http://127.0.0.1:8000/"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"  # how a UK-locale sheet shows its timestamps

FEEDBACK_HEADER = (
    "Timestamp", "page", "nature", "summary", "details",
    "role", "org", "email", "hp_field", "Notes",
)
MAIN_HEADER = (
    "Timestamp", "page", "role", "org", "email", "rank_usefulness",
    "rank_likelihood", "activities", "section", "comments", "hp_field",
)
FEEDBACK_WIDTHS = (20, 62, 34, 48, 70, 44, 32, 34, 20, 28)
MAIN_WIDTHS = (20, 52, 44, 32, 34, 60, 60, 70, 30, 70, 20)

N_FEEDBACK = 580  # genuine per-page responses, before spam and repeats
N_MAIN = 115  # genuine survey responses, before spam and repeats

# --------------------------------------------------------------------------
# The consultation, as read from lib/data
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A site page that carries the per-page form."""

    path: str
    title: str
    section: str

    @property
    def slug(self) -> str:
        return self.path.strip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Consultation:
    """Option lists and pages from consultation.yaml and pages.csv."""

    site_url: str
    timezone: ZoneInfo
    reactions: dict[str, str]  # short name -> label as the form spells it
    role_groups: dict[str, tuple[str, ...]]
    ideas: tuple[str, ...]
    activities: dict[str, tuple[str, ...]]  # longlist section -> activities
    pages: tuple[Page, ...]

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(r for roles in self.role_groups.values() for r in roles)

    def group_of(self, role: str) -> str:
        for group, roles in self.role_groups.items():
            if role in roles:
                return group
        return ""

    def page_url(self, page: Page, base: str | None = None) -> str:
        return (base or self.site_url) + page.path.lstrip("/")

    @property
    def activity_entries(self) -> tuple[str, ...]:
        return tuple(f"{s}: {a}" for s, acts in self.activities.items() for a in acts)


def load_consultation() -> Consultation:
    cfg = yaml.safe_load(CONSULTATION_FILE.read_text(encoding="utf-8"))
    with PAGES_FILE.open(encoding="utf-8", newline="") as fh:
        pages = tuple(
            Page(row["path"], row["title"], row["section"])
            for row in csv.DictReader(fh)
            if row["has_form"].strip().lower() == "true"
        )
    site_url = cfg["site_url"] if cfg["site_url"].endswith("/") else cfg["site_url"] + "/"
    return Consultation(
        site_url=site_url,
        timezone=ZoneInfo(cfg["timezone"]),
        reactions={r["short"]: r["label"] for r in cfg["reactions"]},
        role_groups={g["label"]: tuple(g["roles"]) for g in cfg["role_groups"]},
        ideas=tuple(cfg["ideas"]),
        activities={s: tuple(a) for s, a in cfg["activities"].items()},
        pages=pages,
    )


# --------------------------------------------------------------------------
# The story: who responds, where, and how they feel
# --------------------------------------------------------------------------

LOCAL_AUTHORITY = "Local authority"
CENTRAL_GOVERNMENT = "Central government"
OTHER_PUBLIC = "Other public sector"
PRIVATE = "Private sector"
PEOPLE = "People with lived or no experience of social care"

# Share of responses (per cent) for each role, in the order the roles are
# listed within their group in consultation.yaml.
ROLE_WEIGHTS = {
    LOCAL_AUTHORITY: (30, 9, 8, 7),  # data, digital, children's social care, leadership
    CENTRAL_GOVERNMENT: (8, 4, 3, 2),  # data, digital, social care, leadership
    OTHER_PUBLIC: (5,),
    PRIVATE: (9, 6, 3),  # supplier/partner, consultant, other private sector
    PEOPLE: (3, 2),  # with, without social care involvement
}

# Reaction mix (by reaction short name) for each page mood.
MOODS = {
    "keen": {"Enthusiastic": 50, "Unsure": 12, "Disagree": 4,
             "General reflection": 18, "Specific issue": 10, "Other": 6},
    "balanced": {"Enthusiastic": 28, "Unsure": 20, "Disagree": 10,
                 "General reflection": 24, "Specific issue": 12, "Other": 6},
    "doubtful": {"Enthusiastic": 14, "Unsure": 30, "Disagree": 26,
                 "General reflection": 14, "Specific issue": 12, "Other": 4},
    "reflective": {"Enthusiastic": 20, "Unsure": 14, "Disagree": 6,
                   "General reflection": 38, "Specific issue": 16, "Other": 6},
}
NO_REACTION_RATE = 0.08  # `nature` is optional on the form
SENTIMENT_OF = {"Enthusiastic": "pos", "Disagree": "neg", "Specific issue": "neg"}  # else "mix"

# Relative volume and mood of each page (by the last part of its path).
PAGE_PLAN = {
    "imagining-a-centre-of-excellence": (48, "keen"),
    "how-our-system-works": (40, "reflective"),
    "possible-mechanisms-for-change": (44, "balanced"),
    "models-for-delivery": (46, "doubtful"),
    "engagement-opportunities": (14, "balanced"),
    "context": (12, "reflective"),
    "status": (8, "reflective"),
    "value": (10, "reflective"),
    "quality": (6, "reflective"),
    "data-tool-collaboration": (42, "keen"),
    "improving-data-quality": (52, "keen"),
    "facilitating-information-sharing": (24, "balanced"),
    "making-sense-of-case-management-systems": (34, "balanced"),
    "making-sense-of-ai-rpa-and-other-advanced-and-integrative-software": (26, "balanced"),
    "influencing-technology-markets": (38, "doubtful"),
    "advocacy-across-internal-hierarchies": (5, "doubtful"),
    "supporting-professional-development": (14, "keen"),
    "helping-leadership-to-expect-excellence": (9, "balanced"),
    "redefining-cross-sector-collaboration": (6, "balanced"),
    "responding-to-large-scale-change": (11, "balanced"),
    "discovering-what-works": (4, "keen"),
    "appendix-3-more-on-models-for-delivery": (7, "doubtful"),
}
DEFAULT_PLAN = (6, "balanced")  # a form page this script has no plan for

# Form pages that receive no feedback at all.
NO_FEEDBACK_PAGES = ("cost", "appendix-4-reference-projects", "curating-technical-standards")
# Appendix pages on which central government is silent ("missing voices").
CG_SILENT_PAGES = (
    "status", "quality", "advocacy-across-internal-hierarchies",
    "supporting-professional-development", "discovering-what-works",
    "appendix-3-more-on-models-for-delivery",
)
MARKET_PAGES = (
    "influencing-technology-markets", "making-sense-of-case-management-systems",
    "making-sense-of-ai-rpa-and-other-advanced-and-integrative-software",
    "models-for-delivery", "appendix-3-more-on-models-for-delivery",
)
DATA_PAGES = (
    "improving-data-quality", "data-tool-collaboration",
    "facilitating-information-sharing", "quality",
)

# How role groups lean, as factors on the page's reaction mix.
GROUP_LEANINGS = {
    CENTRAL_GOVERNMENT: {"General reflection": 1.6, "Disagree": 0.6},
    OTHER_PUBLIC: {"General reflection": 1.3},
    PEOPLE: {"General reflection": 1.5, "Other": 2.0, "Specific issue": 0.6},
}
MARKET_SCEPTICISM = {"Enthusiastic": 0.25, "Unsure": 2.0, "Disagree": 3.0}  # private sector, market pages
DATA_ENTHUSIASM = {"Enthusiastic": 2.2, "Disagree": 0.5}  # LA data/digital roles, data pages

# Survey: mean usefulness and likelihood (1-5) of each idea, and how role
# groups shift them ("*" shifts every idea).
IDEA_PROFILES = {
    "Data tool collaboration": (4.4, 4.1),
    "Improving data quality": (4.6, 4.3),
    "Facilitating information sharing": (4.0, 3.4),
    "Making sense of case management systems": (3.9, 3.5),
    "Making sense of AI RPA and other advanced and integrative software": (3.5, 2.6),
    "Influencing technology markets": (4.3, 2.0),
    "Curating technical standards": (3.7, 3.2),
    "Advocacy across internal hierarchies": (2.3, 2.0),
    "Supporting professional development": (3.9, 3.7),
    "Helping leadership to expect excellence": (3.3, 2.8),
    "Redefining cross-sector collaboration": (2.9, 2.4),
    "Responding to large-scale change": (3.2, 3.0),
    "Discovering what works": (3.6, 3.1),
}
DEFAULT_PROFILE = (3.2, 3.0)
GROUP_SCORE_SHIFTS = {
    LOCAL_AUTHORITY: {
        "Improving data quality": (0.2, 0.3),
        "Data tool collaboration": (0.2, 0.3),
    },
    CENTRAL_GOVERNMENT: {
        "*": (0.0, -0.5),
        "Curating technical standards": (0.5, 0.6),
        "Redefining cross-sector collaboration": (0.7, 0.8),
        "Influencing technology markets": (0.2, 0.5),
    },
    OTHER_PUBLIC: {
        "Facilitating information sharing": (0.6, 0.8),
        "Data tool collaboration": (-0.6, -1.0),
    },
    PRIVATE: {
        "Influencing technology markets": (-1.4, -0.5),
        "Making sense of case management systems": (0.3, 0.6),
        "Making sense of AI RPA and other advanced and integrative software": (0.8, 0.9),
    },
    PEOPLE: {
        "*": (0.0, -1.0),
        "Discovering what works": (0.8, 0.0),
        "Facilitating information sharing": (0.4, 0.0),
    },
}
ACTIVITY_COUNT_WEIGHTS = (6, 8, 12, 14, 14, 12, 9, 6, 4)  # 0-8 ticked activities

# --------------------------------------------------------------------------
# Texts for the per-page form
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Voice:
    """Summaries and detail sentences for one page and broad sentiment."""

    summaries: tuple[str, ...]
    details: tuple[str, ...]


def voices(pos: tuple[list, list], mix: tuple[list, list], neg: tuple[list, list]) -> dict[str, Voice]:
    """Voices for the three broad sentiments: positive, mixed, negative."""
    return {name: Voice(tuple(s), tuple(d)) for name, (s, d) in
            (("pos", pos), ("mix", mix), ("neg", neg))}


PAGE_TEXT: dict[str, dict[str, Voice]] = {
    "imagining-a-centre-of-excellence": voices(
        pos=([
            "A sector-owned centre is exactly what we have been missing",
            "Great to see local authorities at the heart of this",
            "This vision finally joins up the scattered good work in the sector",
            "Strongly support a permanent home for shared data work",
            "Building on D2I's track record makes real sense",
            "The ambition here is right for the sector",
            "Finally a vision that starts from what LAs actually need",
        ], [
            "Too much of our best work lives in one analyst's spreadsheet and disappears when they leave. A centre that keeps tools maintained would change that.",
            "We already rely on ChAT and the Annex A tools every week, so giving that work a stable footing is overdue.",
            "The emphasis on being led by local authorities rather than done to them is the right one.",
            "Our regional network has been asking for something like this for years.",
        ]),
        mix=([
            "How would this sit alongside the regional improvement alliances?",
            "Who decides what the centre works on first?",
            "Ambitious – keen to understand the governance",
            "Is 'centre' the right word for something this distributed?",
            "What would change for a small LA in year one?",
            "Would the centre cover early help as well as social care?",
            "Interesting vision, but what is the timescale?",
        ], [
            "We are part of a regional alliance that already does some of this, and I can't yet see where the boundary would be.",
            "Smaller authorities often struggle to find time to take part, so the model needs to work for teams of two or three analysts.",
            "The document is persuasive on the problem but lighter on how priorities would be set year to year.",
            "It would help to see one or two concrete examples of what the centre would deliver in its first year.",
        ]),
        neg=([
            "Feels like another layer on an already crowded landscape",
            "The vision underplays how stretched LA data teams are",
            "We have seen national centres come and go before",
            "Not convinced this needs a new body at all",
            "Lots of vision, very little about funding",
        ], [
            "Every few years a new national initiative arrives and our analysts are asked to feed it. Unless this takes work off us it will struggle.",
            "The vision reads well but I could not find anything about what happens when funding ends.",
            "Much of this could be done by properly resourcing the networks that already exist.",
        ]),
    ),
    "how-our-system-works": voices(
        pos=([
            "Clearest description of the data landscape I have read",
            "Really useful map of who does what",
            "Will share this with our new starters",
            "Good to see the statutory returns burden acknowledged",
            "This captures the day-to-day reality well",
        ], [
            "The diagram of how data flows from practice to the CIN census and SSDA903 is something I'll use in induction.",
            "It captures the reality that most LA data teams spend more time on returns than on insight.",
            "Helpful to have the roles of DfE, Ofsted and local authorities set out side by side.",
        ]),
        mix=([
            "Does this reflect unitary and county areas equally?",
            "Missing the role of health and police data",
            "The picture varies a lot by region",
            "Worth saying more about in-house versus outsourced teams",
            "Where do schools and academies fit in this picture?",
            "Is the description of the returns cycle still current?",
            "Would be good to show where early help data sits",
        ], [
            "In our area a lot of the most useful data sits with health partners, and that does not really come through.",
            "Some authorities have a business intelligence function shared across the council, others sit inside children's services; the experience is quite different.",
            "I wonder whether the description of the returns cycle will date quickly given the changes DfE has signalled.",
            "Early help data is often held on a separate system and rarely makes it into the national picture.",
        ]),
        neg=([
            "Understates the role of case management suppliers",
            "The system map leaves out frontline practitioners",
            "Description of DfE's role is out of date",
            "Too focused on statutory returns",
            "The diagram is hard to read on a laptop screen",
        ], [
            "Practitioners are the people who create the data, yet they barely appear in the picture.",
            "The section describes collection arrangements that have since changed, which undermines confidence in the rest.",
            "Supplier release cycles drive a huge amount of what we can and cannot do, and that deserves its own section.",
        ]),
    ),
    "possible-mechanisms-for-change": voices(
        pos=([
            "Good spread of mechanisms – data quality and shared tools stand out",
            "Helpful to see the options laid out so clearly",
            "The mechanisms feel grounded in real problems",
            "Like that these can be picked up incrementally",
            "Practical and well chosen",
        ], [
            "Several of these could start small with a few volunteer authorities and grow.",
            "The ones about data quality and tool collaboration would make a difference to us within a year.",
            "It is refreshing to see options rather than a single big-bang solution.",
        ]),
        mix=([
            "Thirteen mechanisms is a lot – which come first?",
            "Some of these overlap quite a bit",
            "Would like to see rough costs against each",
            "How would success be measured for each mechanism?",
            "Which of these could start without new funding?",
            "Are these meant to run in parallel?",
            "Who would lead each mechanism?",
        ], [
            "It is hard to judge these without a sense of scale and cost.",
            "Information sharing and cross-sector collaboration seem to cover similar ground.",
            "A simple prioritisation would help people respond, even if it changes later.",
            "Some mechanisms depend on others being in place first, and a sequence would help.",
        ]),
        neg=([
            "Too many mechanisms, not enough focus",
            "Several of these are already someone else's job",
            "The list skips workforce capacity entirely",
            "Market influencing feels out of reach",
            "The mechanisms are too abstract to comment on",
        ], [
            "Trying to do all thirteen would spread a small team very thin.",
            "Standards, for instance, already have an owner in government, so duplicating that would confuse people.",
            "None of this works if LAs cannot recruit and keep analysts, and that is not addressed.",
        ]),
    ),
    "models-for-delivery": voices(
        pos=([
            "Hosted model within an existing LA makes sense",
            "Good to see the options weighed honestly",
            "A consortium model keeps it close to practice",
            "Like the idea of phased delivery",
            "The hybrid option looks the most workable",
        ], [
            "A host authority gives the centre credibility with other councils and keeps costs down.",
            "Starting as a consortium and formalising later feels like the least risky route.",
            "The pros and cons table is balanced and easy to follow.",
        ]),
        mix=([
            "Not sure which model would survive a change of government",
            "Who would employ the staff?",
            "Unclear how subscriptions would work for small LAs",
            "How would a hosted model avoid favouring the host?",
            "What happens if the host authority pulls out?",
            "Would members need to approve joining?",
            "Are the models mutually exclusive?",
            "How would decisions be made between authorities?",
        ], [
            "If the centre is hosted by one council, other authorities may see it as that council's project.",
            "We would need to understand the charging model before we could commit.",
            "A lot depends on whether DfE would fund core costs or only projects.",
            "Joining anything with a fee attached would need a cabinet decision in our council.",
        ]),
        neg=([
            "A subscription model will exclude the authorities who need it most",
            "An arm's-length company adds cost and distance",
            "Relying on grant funding is too fragile",
            "None of the models explain long-term funding",
            "Hosting in one LA will never feel neutral",
            "The delivery models are underdeveloped",
        ], [
            "Authorities in intervention or under financial pressure will be the first to drop a subscription.",
            "Every model assumes goodwill from DfE that may not last beyond the current spending review.",
            "Creating a new legal entity would take years and eat much of the budget.",
            "Regional rivalries would make a single host very hard to agree.",
        ]),
    ),
    "engagement-opportunities": voices(
        pos=([
            "Would love to join a working group",
            "Happy to host a regional session",
            "Great to have several ways to get involved",
            "Please add me to the mailing list",
        ], [
            "Our team could offer a couple of days a month to test tools.",
            "We run a regional data leads meeting every quarter and would be glad to give you a slot.",
            "The online drop-ins are a good idea for people who cannot travel.",
        ]),
        mix=([
            "What time commitment is expected?",
            "Will sessions be recorded?",
            "How will you reach practitioners, not just data leads?",
            "Is there a route for people with lived experience?",
        ], [
            "Our managers will ask how much time this takes before agreeing.",
            "Not everyone can attend during the working day, especially frontline staff.",
            "It would help to know the dates for the autumn sessions well in advance.",
        ]),
        neg=([
            "Engagement seems aimed only at data people",
            "The deadline is too short for a proper response",
            "No mention of paying participants for their time",
            "Feels like the decisions have already been made",
        ], [
            "Care-experienced people should be paid for their expertise, not asked to volunteer it.",
            "Six weeks that include half-term does not leave time to consult colleagues.",
            "The opportunities listed are all for analysts; social workers and managers are left out.",
        ]),
    ),
    "context": voices(
        pos=([
            "Useful history of how we got here",
            "Good summary of the policy context",
            "The timeline is really helpful",
            "Nice link to the Independent Review's recommendations",
        ], [
            "Helpful to have the Independent Review of Children's Social Care and the data strategy in one place.",
            "I'll use this timeline to brief our new assistant director.",
            "Clear and not too long.",
        ]),
        mix=([
            "Could mention the Families First reforms",
            "Does the context hold for Wales too?",
            "Worth adding the local government finance picture",
            "Some references need updating",
        ], [
            "The Families First Partnership changes will affect what data we collect, so they deserve a mention.",
            "Funding pressures shape almost every decision we make about data teams.",
            "One or two links go to pages that have moved.",
        ]),
        neg=([
            "Context is very England-centric",
            "Timeline leaves out earlier data initiatives",
            "Too rosy about recent policy",
            "The context skips the capacity gap",
        ], [
            "Earlier attempts at shared tooling are not mentioned, and there are lessons there.",
            "The context reads as if recent reforms were straightforwardly positive, which is not how it feels locally.",
            "The section doesn't acknowledge the gap between national ambitions and local capacity.",
        ]),
    ),
    "status": voices(
        pos=([
            "Honest picture of where the sector is",
            "Matches our own maturity assessment",
            "Good use of the survey evidence",
            "Recognise a lot of this",
        ], [
            "The description of teams stuck in reporting mode rings very true.",
            "It's reassuring that other authorities report the same issues with CMS reporting.",
            "Good that the variation between authorities is acknowledged.",
        ]),
        mix=([
            "How recent is the evidence here?",
            "What sample size sits behind the status findings?",
            "Would like to see regional breakdowns",
            "Some of this is improving faster than suggested",
        ], [
            "It would help to know how many authorities contributed to the survey.",
            "Our region has moved on quite a bit in the last two years.",
            "A sense of the spread, not just the average, would be useful.",
        ]),
        neg=([
            "Paints too bleak a picture of LA data teams",
            "Status section relies on anecdote",
            "Doesn't reflect authorities who are doing well",
            "Evidence base feels thin",
        ], [
            "Several authorities have mature data functions and they do not appear here.",
            "Quotes are useful but they are not evidence of scale.",
            "I'd be cautious about publishing this without stronger evidence.",
        ]),
    ),
    "value": voices(
        pos=([
            "Strong case for the value of shared tools",
            "The value examples are compelling",
            "Good to see time savings quantified",
            "This is the argument our finance colleagues need",
        ], [
            "The estimate of analyst days saved by shared tools matches our own experience.",
            "I'd like to use the value figures in a business case to our DCS.",
            "It is good to see value framed around children's outcomes as well as efficiency.",
        ]),
        mix=([
            "How were the savings figures calculated?",
            "Value to whom – LAs or DfE?",
            "Non-cashable savings are hard to sell",
            "Would a case study help?",
        ], [
            "Time saved is real, but it does not show up in the budget, which is what members look at.",
            "It would help to show the method behind the figures in an annex.",
            "One worked example from a named authority would make this more convincing.",
        ]),
        neg=([
            "Value claims are not evidenced",
            "Savings figures look optimistic",
            "Ignores the cost of taking part",
            "Outcome benefits are overstated",
        ], [
            "Taking part in working groups has a cost for us too, and that is missing from the sums.",
            "Linking data tools directly to better outcomes for children is a big leap.",
            "Without a baseline the savings cannot be checked.",
        ]),
    ),
    "quality": voices(
        pos=([
            "Good breakdown of what quality means",
            "Agree quality is about more than validation",
            "Helpful distinction between data quality and data maturity",
            "The quality dimensions are clear",
        ], [
            "Separating accuracy, timeliness and usefulness makes the conversation with practitioners much easier.",
            "We have struggled to explain why passing validation doesn't mean the data is good, and this helps.",
            "The section would make a good starting point for a sector-wide DQ framework.",
        ]),
        mix=([
            "Where does recording practice fit?",
            "How would quality be compared between LAs?",
            "Quality of what – data, analysis or decisions?",
            "Should this link to the DQ mechanism in Appendix 2?",
        ], [
            "A lot of quality problems start with how practitioners record, not with the data team.",
            "Comparisons between authorities can be unfair where recording practice differs.",
        ]),
        neg=([
            "Quality section ignores recording burden on social workers",
            "Too much focus on statutory returns quality",
            "The quality definitions conflict with DfE guidance",
            "Missing anything on analysis quality",
        ], [
            "Asking social workers to record more for quality's sake will not go down well.",
            "The terms used differ from those in the DfE guidance, which will confuse people.",
        ]),
    ),
    "data-tool-collaboration": voices(
        pos=([
            "Shared tools have saved us weeks every year",
            "ChAT and the Annex A tool are lifesavers",
            "Yes to properly maintained shared products",
            "Collaborative development is the way forward",
            "Please keep the tools open source",
            "Would happily contribute code back",
            "Maintained tools would transform small teams",
        ], [
            "We would not get through an Ofsted inspection year without the shared ChAT tool.",
            "If the tools were maintained centrally we could stop patching our own copies every release.",
            "Open code means we can adapt things locally and give improvements back.",
            "A proper release schedule would let us plan around the returns cycle.",
        ]),
        mix=([
            "Who supports the tools when something breaks?",
            "How would LAs with no Python skills take part?",
            "Excel or Python – which will be the standard?",
            "How do we stop tools drifting apart between authorities?",
            "Would suppliers be able to build on shared tools?",
            "How would priorities for new tools be chosen?",
        ], [
            "Most of our team work in Excel and SQL, so Python-only tools would be a barrier.",
            "Support arrangements matter more than new features for us.",
            "We have adapted several tools locally and it's unclear how those changes would flow back.",
        ]),
        neg=([
            "Shared tools without support are a liability",
            "Collaboration relies on a handful of volunteers",
            "Our IT won't let us install most of these tools",
            "Tools are only as good as the data going in",
        ], [
            "Our IT security team blocks anything that is not on the approved software list.",
            "When the two people who maintain a tool move on, it dies. The document doesn't solve that.",
            "Until recording improves, better tools just show the gaps faster.",
        ]),
    ),
    "improving-data-quality": voices(
        pos=([
            "A shared DQ rulebook for the CIN census would save us weeks",
            "Data quality is the foundation for everything else",
            "Yes please to common validation rules",
            "Would love shared DQ dashboards",
            "Sharing DQ methods between LAs is long overdue",
            "Standard DQ checks before submission would be brilliant",
            "This is the mechanism I would fund first",
            "Shared DQ tools would free up analyst time",
        ], [
            "Every authority writes its own checks for the same returns; a shared set would free up analyst time for actual analysis.",
            "We run our own validation before DfE's, and half of it duplicates what neighbours do.",
            "A common DQ framework would also help when we talk to our CMS supplier about fixes.",
            "Practitioners respond much better to a shared dashboard than to an email listing errors.",
        ]),
        mix=([
            "Who would own the DQ standards?",
            "How does this relate to DfE's validation rules?",
            "Quality means different things to practitioners and analysts",
            "Would DQ tools work with every CMS?",
            "Does this cover the SSDA903 return too?",
            "How would local rules be kept alongside shared ones?",
        ], [
            "It is unclear whether a shared rulebook would replace or sit alongside DfE's own validation.",
            "Our CMS exports look quite different from our neighbours', so a one-size tool might not fit.",
            "Data quality is partly a practice issue, and the tools alone won't fix it.",
        ]),
        neg=([
            "DQ is a local responsibility – a centre can't fix it",
            "More DQ rules mean more burden on social workers",
            "Validation rules already exist; we need time, not tools",
            "Shared DQ metrics risk becoming league tables",
        ], [
            "If DQ scores are published they will be used to compare authorities unfairly.",
            "Our problem isn't knowing what is wrong, it's having the staff to fix it.",
            "Each new rule lands on a social worker's screen as another mandatory field.",
        ]),
    ),
    "facilitating-information-sharing": voices(
        pos=([
            "Clear guidance on lawful sharing would be really welcome",
            "Information sharing templates would save legal time",
            "Strongly support a single source of guidance on sharing",
            "Great to see the statutory duties pulled together",
        ], [
            "Our legal team spends hours on sharing agreements that are almost identical to our neighbours'.",
            "A plain-English summary of the duties would help practitioners feel confident to share.",
            "Multi-agency partners often refuse to share because of unclear guidance; this could help.",
        ]),
        mix=([
            "How does this link to the consistent child identifier work?",
            "Is health data in scope?",
            "Who would be accountable if guidance proved wrong?",
            "Data sharing culture matters as much as guidance",
        ], [
            "The national work on a consistent identifier will change the picture, so timing matters.",
            "Most of our barriers are cultural rather than legal.",
            "It would be good to know whether this covers schools and academies.",
        ]),
        neg=([
            "Guidance on sharing already exists – the problem is confidence",
            "A centre cannot give legal advice",
            "Misses the risks of over-sharing",
            "Information sharing is a national policy issue, not a centre issue",
        ], [
            "There is a real risk of families losing trust if sharing goes further than they expect.",
            "Without legal standing, guidance from a centre will be ignored by cautious IG teams.",
        ]),
    ),
    "making-sense-of-case-management-systems": voices(
        pos=([
            "Sharing CMS configuration tips would help hugely",
            "Joint procurement advice is badly needed",
            "Finally someone is talking about CMS configuration",
            "Would value a user group across CMS products",
            "Independent CMS advice would have saved us a year",
        ], [
            "We are about to re-procure and have very little independent advice to draw on.",
            "Many of our reporting problems come from how the system was configured years ago.",
            "Talking to authorities on the same product has saved us from several bad upgrades.",
        ]),
        mix=([
            "How would you stay neutral between suppliers?",
            "Would this cover early help systems too?",
            "Will suppliers be involved in this?",
            "Configuration differs so much it may be hard to share",
            "Is there a role for the supplier user groups?",
            "Could this include data migration lessons?",
        ], [
            "Our CMS is heavily customised and I'm not sure lessons would transfer.",
            "Early help and children's social care often sit on different systems in our area.",
            "The relationship with suppliers will make or break this.",
            "Data migration during a system change is where we lost most of our history.",
        ]),
        neg=([
            "CMS procurement is a local decision",
            "Suppliers already run user groups",
            "Risk of the centre being seen to endorse products",
            "The analysis of the CMS market is unfair to suppliers",
        ], [
            "User groups run by suppliers already cover much of this, so it feels like duplication.",
            "Suppliers invest heavily in configuration support and the document doesn't recognise that.",
            "Any comparison of products will be contested and could expose the centre legally.",
        ]),
    ),
    "making-sense-of-ai-rpa-and-other-advanced-and-integrative-software": voices(
        pos=([
            "Independent advice on AI is badly needed",
            "Great to see RPA taken seriously",
            "Would love honest case studies of AI pilots",
            "Good that the ethics are front and centre",
        ], [
            "We are being approached by vendors every week and have no one to ask for a neutral view.",
            "Our RPA pilot saved real time on case closures and others could learn from it.",
            "Guidance on what to check before piloting generative AI would be invaluable.",
        ]),
        mix=([
            "AI moves too fast for guidance to keep up",
            "What about the ethics of predictive tools?",
            "How would this involve families?",
            "Is RPA really 'advanced' any more?",
            "Who would check vendors' claims?",
        ], [
            "Anything written today may be out of date in six months.",
            "Families should have a say in how AI is used in decisions about them.",
            "There is a difference between automating admin and automating judgement, and the document could be clearer.",
        ]),
        neg=([
            "AI hype shouldn't drive the agenda",
            "Predictive analytics in social care is dangerous",
            "Most LAs need basic data foundations before AI",
            "This reads like a vendor brochure",
        ], [
            "Past attempts at predictive models in children's services have had serious problems.",
            "We can't get reliable dashboards yet; talking about AI feels premature.",
        ]),
    ),
    "influencing-technology-markets": voices(
        pos=([
            "Collective buying power could finally shift suppliers",
            "LAs should speak to suppliers with one voice",
            "Yes – suppliers need clearer expectations",
            "Market shaping is the ambitious bit I like most",
            "Common requirements would help every procurement",
        ], [
            "On our own we have no leverage; together we might.",
            "Common requirements for reporting and data export would help every authority.",
            "Setting out what good looks like would help us in our next procurement.",
        ]),
        mix=([
            "Would DfE back this?",
            "How would this work with procurement law?",
            "Not sure LAs can agree on requirements",
            "What leverage would a centre actually have?",
            "Would suppliers be at the table?",
            "How long before this changed anything?",
        ], [
            "Authorities have very different needs so consensus may be hard.",
            "The Procurement Act changes might help, but I'm not sure how.",
            "Without some central backing it's hard to see suppliers taking notice.",
        ]),
        neg=([
            "Suppliers will not change without DfE backing",
            "Market influence needs money and a mandate, not convening",
            "The market section misrepresents suppliers",
            "Risk of creating an adversarial relationship",
            "This is beyond what a small centre can do",
            "Suppliers are already investing in interoperability",
        ], [
            "Suppliers respond to contracts, not to consensus papers.",
            "Suppliers are already investing in interoperability; framing us as the problem won't help.",
            "Previous attempts to coordinate LA requirements fell apart at the procurement stage.",
            "A centre with no budget for contracts will not move a national market.",
        ]),
    ),
    "advocacy-across-internal-hierarchies": voices(
        pos=([
            "Data teams need a louder voice with senior leaders",
            "Good to see this recognised",
            "Advocacy for technical roles is long overdue",
            "Would help us make the case internally",
        ], [
            "Our team sits three layers below the DCS, and it shows in how decisions are made.",
            "Shared messages from a national body would carry more weight than our own.",
        ]),
        mix=([
            "How would a centre influence internal structures?",
            "Structures vary so much between councils",
            "Not sure what this would look like in practice",
            "Who would do the advocating?",
        ], [
            "In some councils the data team is corporate, in others it's within children's services.",
            "I'd like a concrete example of what the centre would do here.",
        ]),
        neg=([
            "Not the centre's job to tell councils how to organise",
            "Advocacy will be ignored without authority",
            "This feels like the weakest of the mechanisms",
            "Low priority compared with data quality",
        ], [
            "Councils will resent being told how to structure their teams.",
            "I'd drop this and put the effort into the practical mechanisms.",
        ]),
    ),
    "supporting-professional-development": voices(
        pos=([
            "A CSC data apprenticeship route would be brilliant",
            "Training for new analysts is badly needed",
            "Love the idea of shared learning pathways",
            "Professional standards would help recruitment",
        ], [
            "New analysts take a year to understand the returns; shared training could halve that.",
            "We lose people to the NHS and the private sector because there is no clear career path.",
            "Peer mentoring across authorities would help lone analysts in small teams.",
        ]),
        mix=([
            "Who would accredit the standards?",
            "Would training be free?",
            "How does this fit with existing apprenticeships?",
            "Is there a role for universities?",
        ], [
            "Our budget for training is close to zero this year.",
            "There are already data apprenticeships; the gap is children's social care context.",
        ]),
        neg=([
            "Professional standards could become a barrier to entry",
            "Training alone won't fix retention",
            "Another set of standards we don't need",
            "Pay is the issue, not training",
        ], [
            "People leave because of pay and workload; more courses won't change that.",
            "Some of our best analysts came from practice without formal qualifications.",
        ]),
    ),
    "helping-leadership-to-expect-excellence": voices(
        pos=([
            "Leaders need to know what good data looks like",
            "A maturity framework for DCSs would be powerful",
            "Great idea to brief new DCSs on data",
            "Yes to shared expectations of data functions",
        ], [
            "Our DCS is supportive but has never been shown what a strong data function looks like.",
            "A self-assessment tool would help us argue for investment.",
        ]),
        mix=([
            "How would this fit with Ofsted's expectations?",
            "Who would set the standard?",
            "Maturity models can become tick-box exercises",
            "Would this include elected members?",
        ], [
            "Inspection frameworks already shape what leaders expect, for better or worse.",
            "Members scrutinise performance data too and could benefit.",
        ]),
        neg=([
            "Leaders already have too many frameworks",
            "Maturity scores will be used to judge teams",
            "Top-down expectations without resources",
            "This risks blaming data teams",
        ], [
            "Expecting excellence without funding it just adds pressure on small teams.",
            "Another framework will become another report nobody reads.",
        ]),
    ),
    "redefining-cross-sector-collaboration": voices(
        pos=([
            "Joining up local and national change is vital",
            "Good to see cross-government working taken seriously",
            "A shared forum across levels of government is needed",
            "Co-production with DfE would be great",
        ], [
            "We often hear about national changes after the specification is fixed.",
            "A forum where LAs and DfE work on changes together would avoid a lot of rework.",
        ]),
        mix=([
            "How is this different from existing DfE forums?",
            "Does 'cross-sector' include the voluntary sector?",
            "Who funds the shared resources?",
            "Needs clearer boundaries with other mechanisms",
        ], [
            "There are already several DfE stakeholder groups and I'm not sure how this differs.",
            "Voluntary sector partners hold a lot of data on families we work with.",
        ]),
        neg=([
            "Too vague to respond to",
            "Cross-sector collaboration is everyone's job and no one's",
            "DfE is unlikely to cede control",
            "This duplicates existing governance",
        ], [
            "I read this twice and still could not say what the centre would actually do.",
            "National governance already exists and a new layer would slow things down.",
        ]),
    ),
    "responding-to-large-scale-change": voices(
        pos=([
            "Help with national reforms would be invaluable",
            "Sharing how others handle spec changes would help",
            "Yes to testing support approaches before rolling them out",
            "The Families First changes show why this is needed",
        ], [
            "Every time a return changes, 150 authorities solve the same problem separately.",
            "We'd value a shared log of how others are implementing the reforms.",
        ]),
        mix=([
            "What counts as 'large-scale' change?",
            "Would this cover local reorganisations too?",
            "Timing is key – support must come early",
            "How would you know what works?",
        ], [
            "Local government reorganisation is looming for some of us and raises big data questions.",
            "Support that arrives after the go-live date is too late to help.",
        ]),
        neg=([
            "Change support is DfE's responsibility",
            "A centre can't keep pace with national change",
            "Too abstract to be useful",
            "We need fewer changes, not more support",
        ], [
            "The department should fund implementation properly rather than relying on the sector to support itself.",
            "The section doesn't say what the centre would actually deliver.",
        ]),
    ),
    "discovering-what-works": voices(
        pos=([
            "A map of innovation activity would be really useful",
            "Evaluating what works is the missing piece",
            "Love the idea of connecting people with similar problems",
            "Evidence on outcomes for children is what matters",
        ], [
            "We often find out another authority solved our problem a year after we did it ourselves.",
            "Linking evaluation to data tools would help us show impact.",
        ]),
        mix=([
            "How does this relate to Foundations and other what-works centres?",
            "Evaluation takes years – is that realistic?",
            "Who would decide what 'works'?",
            "Could this include practice as well as data?",
        ], [
            "There is already a what-works centre for children and families, so the role needs to be clear.",
        ]),
        neg=([
            "Duplicates existing what-works centres",
            "Evaluation needs research funding a centre won't have",
            "Too academic for most LAs",
            "Low priority for us",
        ], [
            "We'd struggle to take part in evaluations without extra capacity.",
            "Foundations already does this and the sector doesn't need another.",
        ]),
    ),
    "appendix-3-more-on-models-for-delivery": voices(
        pos=([
            "Detailed comparison of models is useful",
            "The hosted model looks most realistic",
            "Good to see costings for each model",
            "Helpful examples from other sectors",
        ], [
            "The examples from health and housing show this can work.",
            "Having the numbers laid out helps me explain it to our finance lead.",
        ]),
        mix=([
            "Are these costs per year or per LA?",
            "How were the staffing estimates reached?",
            "What happens at the end of the pilot?",
            "Would LAs have voting rights?",
        ], [
            "The staffing estimates seem low for the scope described.",
            "Governance detail matters more to members than the model name.",
        ]),
        neg=([
            "Costings look unrealistic",
            "The subscription figures would be a hard sell",
            "Models ignore VAT and overheads",
            "Too early to choose a model",
        ], [
            "Our finance colleagues would reject the subscription level shown.",
            "Overheads and hosting charges seem to be missing from every option.",
        ]),
    ),
}

# Used for a form page that has no text of its own above.
GENERIC_TEXT = voices(
    pos=(["Really helpful page", "Agree with the direction here",
          "This matches our experience", "Good to see this set out clearly"],
         ["Clear and well argued.", "This reflects what we see locally."]),
    mix=(["Would welcome more detail on this", "How would this work in practice?",
          "Some of this depends on funding", "Keen to discuss this further"],
         ["It is hard to comment without knowing the cost.", "An example would help."]),
    neg=(["Not convinced by this section", "This underestimates the practical barriers",
          "Needs more evidence", "This feels like a low priority"],
         ["The argument needs more evidence.", "This does not reflect our experience."]),
)

# People responding as (or without being) service users often write in their
# own voice rather than a professional one.
PERSON_TEXT = voices(
    pos=([
        "As a care leaver, I'm glad data is being taken seriously",
        "Good to see children's outcomes at the centre",
        "Better records would have made a real difference to me",
        "Pleased families are mentioned",
    ], [
        "When I asked for my file as an adult, a lot of it was missing. Anything that improves recording matters.",
        "It is good to see the document talk about outcomes and not just returns.",
    ]),
    mix=([
        "How will children and families be involved in this?",
        "Please explain this in plainer language",
        "Who gets to see the data about my family?",
        "I'd like to know how my information is kept safe",
    ], [
        "A lot of the language here is hard to follow if you are not in the sector.",
        "Young people should be asked how they feel about their data being used.",
    ]),
    neg=([
        "Families are talked about but not listened to",
        "Data about children shouldn't be shared so freely",
        "This is written for professionals only",
        "My records were wrong for years and nobody fixed them",
    ], [
        "I'd want to see care-experienced people on any steering group, paid for their time.",
        "Sharing more data can feel like more surveillance to families.",
    ]),
)

# Sentences that can follow a page-specific detail, by sentiment.
FOLLOW_ONS = {
    "pos": (
        "Happy to share what we have built locally.",
        "We would be keen to pilot this.",
        "Count us in if you need volunteers for a working group.",
        "This matches what our regional network has been saying for years.",
        "Thanks for pulling this together.",
    ),
    "mix": (
        "Keen to hear how others see this.",
        "It would help to see a worked example.",
        "We would need to see how this fits with existing regional arrangements.",
        "Happy to discuss further if useful.",
        "These are my own views rather than my organisation's.",
    ),
    "neg": (
        "I would want to see this tested with smaller authorities first.",
        "Without funding beyond the first two years this is hard to take seriously.",
        "This needs more thought before it goes any further.",
        "Please talk to frontline teams before settling this.",
    ),
}

# Endings that vary a summary so the same idea is not typed identically.
SUMMARY_TAILS = {
    "pos": (" – count us in", " (personal view)", " – we'd use this straight away", "!"),
    "mix": (" (personal view)", " – would welcome more detail", " – keen to hear others' views"),
    "neg": (" – sorry to be blunt", " – in our experience", " (personal view)"),
}

LONG_DETAIL = """I have tried to set out our position in some detail because the choice of model matters more to us than any single mechanism.

First, hosting. We can see the appeal of a host authority: it is quick to set up, it keeps the work close to practice and it avoids creating a new legal entity. But our experience of regional arrangements is that the host's priorities quietly become everyone's priorities, and smaller authorities end up as customers rather than partners. If this route is chosen, please build in a steering group with real decision-making power and a rotating chair.

Second, funding. The subscription option worries us. Our budget for the next two years is already committed and any new charge would need to go to members, which is a six-month process at best. A mix of core grant and optional paid-for services feels more realistic, as long as the core offer is genuinely useful on its own. We would also want to know what happens to shared tools and data if an authority stops paying.

Third, staffing. The document assumes the centre can recruit experienced analysts at local government pay rates. In our region we have had vacancies open for over a year. Secondments from authorities could help, but only if backfill is funded. Remote working has widened the pool, but competition from the NHS and the private sector is fierce.

Finally, please don't lose what already works. The informal networks and shared tools that exist today depend on goodwill, and a heavy-handed model could damage that.

Happy to talk any of this through – Siân and I lead on this for our region."""


@dataclass(frozen=True)
class Awkward:
    """Awkward text placed in one row whose page, sentiment and role group fit it."""

    tag: str
    column: str  # "summary" or "details"
    text: str
    slug: str | None = None
    sentiment: str | None = None
    group: str | None = None


AWKWARD_TEXT = (
    Awkward("emoji", "summary", "Really like this 👍", sentiment="pos"),
    Awkward("accented names", "details",
            "Written with Zoë and Siân from our performance team – we all agree this is the right starting point.",
            sentiment="pos", group=LOCAL_AUTHORITY),
    Awkward("curly quotes", "summary", "The phrase “centre of excellence” may put people off",
            slug="imagining-a-centre-of-excellence", sentiment="mix"),
    Awkward("long multi-paragraph details", "details", LONG_DETAIL,
            slug="models-for-delivery", sentiment="mix", group=LOCAL_AUTHORITY),
    Awkward("summary starting with =", "summary", '=HYPERLINK("http://example.com","click")'),
    Awkward("summary starting with +", "summary",
            "+1 to a shared rulebook – we would use it from day one",
            slug="improving-data-quality", sentiment="pos"),
    Awkward("summary starting with -", "summary",
            "-1 from us: the timetable is far too ambitious", sentiment="neg"),
    Awkward("Markdown/HTML characters", "details",
            "Please make the <b>bold</b> claims here *evidence-based* – see [link](http://x) for our local audit.",
            sentiment="neg"),
)

SPAM_TEXT = (
    ("Cheap SEO backlinks, visit http://spam.example",
     "Boost your ranking today!!! Guaranteed page one results, visit http://spam.example"),
    ("Best casino bonus 2026", "Claim 500 free spins now at http://spam.example/bonus"),
    ("Buy followers cheap", "Real followers, fast delivery. http://spam.example"),
    ("Crypto investment opportunity", "Double your money in 7 days, contact us http://spam.example"),
    ("Great post, thanks", "Very informative article. Check my site http://spam.example/seo"),
    ("Web design services", "We build websites cheap!!! http://spam.example"),
)
SPAM_ROLES = ("SEO", "asdfgh", None, "Marketing manager", None, "qwerty")  # None: a valid role
SPAM_HONEYPOTS = ("http://spam.example", "spam.example", "1", "https://spam.example/links")

NOTES = (
    "Followed up by RH", "Shared with steering group", "Quoted in interim report",
    "Asked for a call – see inbox", "Flag for DQ working group", "RH to reply",
    "Good quote for the summary", "Passed to DfE colleagues",
    "Discuss at Thursday meeting", "Sent thank-you email", "Follow up re: pilot",
    "Already in touch with this LA", "Shared with steering group",
)
SPAM_NOTE = "Spam? – ignore"
DUPLICATE_NOTE = "Duplicate of row above?"

ANCHORS = ("#summary", "#what-we-propose", "#questions-for-you", "#next-steps", "#why-this-matters")

# --------------------------------------------------------------------------
# Texts for the main survey
# --------------------------------------------------------------------------

SURVEY_COMMENTS = {
    "models": (
        "The hosted model feels most realistic in the short term, but the document should say how other authorities would hold the host to account.",
        "We could not commit to a subscription without member approval, which takes months.",
        "Please consider a core-funded offer with optional paid extras rather than a flat fee.",
        "A consortium of regions might be more resilient than a single host authority.",
    ),
    "markets": (
        "Influencing suppliers is the most useful idea in the document but the least likely to happen without DfE putting weight behind it.",
        "As a supplier we would welcome clearer, shared requirements, but not a centre that ranks products.",
        "Common data export requirements across CMS contracts would be a quick win.",
        "I scored this high for usefulness and low for likelihood because we have no leverage on our own.",
    ),
    "dq": (
        "Shared validation rules for the CIN census and SSDA903 would save our team weeks each year.",
        "Data quality tools are only half the answer; recording practice and manager oversight matter too.",
        "We would happily contribute our own DQ checks to a shared library.",
        "Please avoid anything that turns DQ scores into league tables.",
    ),
    "tools": (
        "The shared tools we use today depend on a few generous individuals. Funding their maintenance should be the first priority.",
        "Tools need to work in Excel as well as Python, because that is what most teams have.",
        "A simple release calendar tied to the returns cycle would help us plan.",
    ),
    "mechanisms": (
        "There are too many mechanisms to do well at once; I would start with data quality, tools and professional development.",
        "Several mechanisms overlap, especially information sharing and cross-sector collaboration.",
        "It was hard to rank some ideas without knowing what they would cost.",
    ),
    "system": (
        "The description of how the system works is accurate for larger authorities but less so for small unitaries.",
        "Health and police data are a big part of our picture and deserve more attention.",
    ),
    "engagement": (
        "We would like to be involved in testing early tools and can offer analyst time.",
        "Please make sure practitioners and care-experienced people are part of the next phase, not only data leads.",
    ),
    "appendix3": (
        "The cost estimates in Appendix 3 look low for the staffing described.",
        "It would help to see how VAT and hosting overheads are treated in each model.",
    ),
    "general": (
        "Overall a thoughtful document that reflects the reality of LA data teams.",
        "Good to see this being consulted on openly.",
        "My main concern is sustainability once initial funding ends.",
        "Hard to answer on behalf of the whole organisation, so these are my own views.",
        "The survey was quite long – a shorter version might get more responses from practitioners.",
        "Really pleased to see the sector taking ownership of this.",
        "We are a small team of two analysts; anything that saves us time on returns is valuable.",
        "I would like to see a clear statement of what the centre will not do.",
        "Please publish a summary of responses so we can see what others said.",
        "Some of the terms would benefit from a glossary for non-specialists.",
    ),
}
# What people typed in `section`, and which comments fit it.
SECTION_LABELS = (
    ("Models for delivery", "models"), ("models for delivery", "models"),
    ("Influencing technology markets", "markets"), ("Appendix 2 – markets", "markets"),
    ("Improving data quality", "dq"), ("Data quality", "dq"),
    ("Data tool collaboration", "tools"), ("Possible mechanisms for change", "mechanisms"),
    ("How our system works", "system"), ("Engagement opportunities", "engagement"),
    ("Appendix 3", "appendix3"), ("Appendix 3: More on models for delivery", "appendix3"),
    ("Whole document", "general"), ("General", "general"),
)
CLOSINGS = (
    "Thanks for the opportunity to comment.", "Happy to be contacted about this.",
    "Good luck with the next phase.", "Looking forward to the summary of responses.",
)
SURVEY_SPAM = (
    ("Buy now", "Cheap SEO backlinks, visit http://spam.example"),
    ("", "Best essay writing service!!! http://spam.example/essays"),
    ("Offer", "Earn £5000 a week from home http://spam.example"),
)
UNKNOWN_ACTIVITY = "Something else entirely"

# --------------------------------------------------------------------------
# Respondents
# --------------------------------------------------------------------------

FIRST_NAMES = (
    "Aisha", "Amir", "Amy", "Ben", "Bethan", "Callum", "Chidi", "Claire", "Dan",
    "Deborah", "Eilidh", "Emma", "Fatima", "Gareth", "Grace", "Hannah", "Imran",
    "James", "Joanne", "Kate", "Kwame", "Laura", "Liam", "Mark", "Mohammed",
    "Naomi", "Niamh", "Oliver", "Priya", "Rachel", "Rhys", "Rob", "Ruth", "Sam",
    "Sarah", "Siân", "Sophie", "Tom", "Tomasz", "Yusuf", "Zoë",
)
SURNAMES = (
    "Ahmed", "Baker", "Brown", "Campbell", "Chowdhury", "Clarke", "Davies",
    "Edwards", "Evans", "Fletcher", "Green", "Hall", "Hughes", "Hussain",
    "Jones", "Kaur", "Khan", "Kowalski", "Lewis", "Mensah", "Morgan", "Murphy",
    "Nowak", "O'Connor", "Okafor", "Owen", "Patel", "Price", "Roberts",
    "Robinson", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Walker", "Ward",
    "Williams", "Wright", "Young",
)
PERSONAL_DOMAINS = ("mailbox.example", "post.example", "example.org", "inbox.example")

# Fictional organisations (and a few real government bodies) with the domain
# their staff's addresses use; None means people use a personal address.
ORGANISATIONS = {
    LOCAL_AUTHORITY: (
        ("Northshire County Council", "northshire.example"),
        ("Eastbrook Borough Council", "eastbrook.example"),
        ("Westmere City Council", "westmere.example"),
        ("Southdale Metropolitan Borough Council", "southdale.example"),
        ("Harrowfield County Council", "harrowfield.example"),
        ("Kingsmoor Council", "kingsmoor.example"),
        ("Brackenford City Council", "brackenford.example"),
        ("Milltown Metropolitan Borough Council", "milltown.example"),
        ("London Borough of Fennwick", "fennwick.example"),
        ("Royal Borough of Kestering", "kestering.example"),
        ("Oakhampstead County Council", "oakhampstead.example"),
        ("Greymouth Borough Council", "greymouth.example"),
        ("Stanmoor Council", "stanmoor.example"),
        ("Coldharbour City Council", "coldharbour.example"),
        ("Lowfield and Ashby Council", "lowfield-ashby.example"),
        ("Riverside Children's Services Trust", "riversidecst.example"),
        ("Thornbury Children's Trust", "thornburyct.example"),
        ("Wexley Council", "wexley.example"),
    ),
    CENTRAL_GOVERNMENT: (
        ("Department for Education", "education.gov.example"),
        ("Department for Education – Children's Social Care Data and Digital", "education.gov.example"),
        ("Ofsted", "ofsted.gov.example"),
        ("Ministry of Housing, Communities and Local Government", "communities.gov.example"),
        ("Central Digital and Data Office", "cddo.gov.example"),
    ),
    OTHER_PUBLIC: (
        ("Northshire and Eastbrook NHS Foundation Trust", "nefoundation.nhs.example"),
        ("Westmere Constabulary", "westmere.police.example"),
        ("Southdale Integrated Care Board", "southdale-icb.example"),
        ("Midlands Regional Improvement Alliance", "midlands-ria.example"),
        ("Kestering Youth Justice Service", "kestering.example"),
    ),
    PRIVATE: (
        ("Datawise Solutions Ltd", "datawise.example"),
        ("Casebridge Systems", "casebridge.example"),
        ("Fernhill Digital", "fernhill.example"),
        ("Northlight Analytics", "northlight.example"),
        ("Clearwater Consulting LLP", "clearwater.example"),
        ("Peregrine Data Partners", "peregrine.example"),
        ("Lattice & Loom Ltd", "latticeloom.example"),
        ("Brightform Software", "brightform.example"),
    ),
    PEOPLE: (
        ("Brightpath Foster Carers Network", None),
        ("Care Experienced Voices Collective", None),
        ("Retired", None),
    ),
}
ORG_RATE = {PEOPLE: 0.25}  # share of people who give an organisation; default below
DEFAULT_ORG_RATE = 0.77
EMAIL_RATE = 0.4


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

    def __init__(self, rng: random.Random, consultation: Consultation):
        self.rng = rng
        self.consultation = consultation
        self.by_role: dict[str, list[Person]] = {}
        self.names: set[str] = set()
        self.emails: set[str] = set()

    def pick(self, role: str, p_new: float) -> Person:
        known = self.by_role.setdefault(role, [])
        if known and self.rng.random() >= p_new:
            return self.rng.choice(known)
        person = self._new(role)
        known.append(person)
        return person

    def _new(self, role: str) -> Person:
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            if f"{first} {last}" not in self.names:
                break
        self.names.add(f"{first} {last}")
        group = self.consultation.group_of(role)
        org, domain = "", None
        if rng.random() < ORG_RATE.get(group, DEFAULT_ORG_RATE):
            org, domain = rng.choice(ORGANISATIONS[group])
        email = ""
        if rng.random() < EMAIL_RATE:
            f, s = ascii_slug(first), ascii_slug(last)
            local = rng.choices((f"{f}.{s}", f"{f[0]}{s}", f"{f}{s[0]}"), (6, 3, 1))[0]
            email = f"{local}@{domain or rng.choice(PERSONAL_DOMAINS)}"
            while email in self.emails:
                email = email.replace("@", f"{rng.randint(2, 9)}@", 1)
            self.emails.add(email)
        return Person(f"{first} {last}", role, org, email)


# --------------------------------------------------------------------------
# Random helpers
# --------------------------------------------------------------------------


def weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items, each drawn with probability proportional to its weight."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights) if w > 0),
                   reverse=True)
    return [items[i] for _, i in keyed[:k]]


WEEK_WEIGHTS = (1.6, 0.9, 0.6, 1.1, 0.55, 0.45)  # launch in week 1, reminder in week 4
LAUNCH_DAYS = (0, 1, 2)  # Mon-Wed of week 1, after the launch email
REMINDER_DAYS = (21, 22)  # Mon-Tue of week 4, after the reminder
WEEKEND_FACTOR = 0.15
HOUR_WEIGHTS = (0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 1.0, 3.0, 6.0, 7.0, 7.0,
                5.0, 6.0, 7.0, 6.0, 5.0, 3.0, 2.0, 1.5, 1.5, 1.2, 0.8, 0.4)


def all_days() -> list[date]:
    return [FIRST_DAY + timedelta(days=d) for d in range((LAST_DAY - FIRST_DAY).days + 1)]


def day_weight(day: date) -> float:
    offset = (day - FIRST_DAY).days
    weight = WEEK_WEIGHTS[min(offset // 7, len(WEEK_WEIGHTS) - 1)]
    if day.weekday() >= 5:
        weight *= WEEKEND_FACTOR
    if offset in LAUNCH_DAYS:
        weight *= 2.2
    if offset in REMINDER_DAYS:
        weight *= 1.8
    return weight


def clear_local_time(moment: datetime, tz: ZoneInfo) -> bool:
    """False for a wall-clock time that a clock change makes ambiguous or skips."""
    return (moment.replace(tzinfo=tz, fold=0).utcoffset()
            == moment.replace(tzinfo=tz, fold=1).utcoffset())


def sample_times(rng: random.Random, tz: ZoneInfo, n: int, *, bots: bool = False) -> list[datetime]:
    """n sorted local times in the window: weekday and working-hours heavy (bots: uniform)."""
    days = all_days()
    day_weights = [1.0] * len(days) if bots else [day_weight(d) for d in days]
    hour_weights = [1.0] * 24 if bots else HOUR_WEIGHTS
    times = []
    while len(times) < n:
        day = rng.choices(days, day_weights)[0]
        hour = rng.choices(range(24), hour_weights)[0]
        moment = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
        launched = day > FIRST_DAY or moment.time() >= LAUNCH_TIME
        if launched and clear_local_time(moment, tz):
            times.append(moment)
    return sorted(times)


def window_end() -> datetime:
    return datetime.combine(LAST_DAY, time(23, 59, 59))


# --------------------------------------------------------------------------
# Tab "Feedback"
# --------------------------------------------------------------------------


@dataclass
class FeedbackRow:
    when: datetime  # true local time; orders the rows
    page: Page
    url: str
    nature: str
    sentiment: str
    summary: str
    details: str
    role: str
    org: str
    email: str
    hp_field: str = ""
    notes: str = ""
    stamp: object = None  # what the Timestamp cell holds if not `when`
    tags: list[str] = field(default_factory=list)

    def cells(self) -> list:
        stamp = self.when if self.stamp is None else self.stamp
        return [stamp, self.url, self.nature, self.summary, self.details,
                self.role, self.org, self.email, self.hp_field, self.notes]

    def form_fields(self) -> tuple:
        return (self.url, self.nature, self.summary, self.details, self.role, self.org, self.email)


def quotas(weights: list[float], total: int) -> list[int]:
    """Whole numbers summing to total, proportional to weights (largest remainder)."""
    exact = [total * w / sum(weights) for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def page_quotas(c: Consultation, total: int) -> list[tuple[Page, int]]:
    """Rows per page, proportional to PAGE_PLAN weights."""
    pages = [p for p in c.pages if p.slug not in NO_FEEDBACK_PAGES]
    weights = [PAGE_PLAN.get(p.slug, DEFAULT_PLAN)[0] for p in pages]
    return list(zip(pages, quotas(weights, total)))


def role_weights(c: Consultation) -> tuple[list[str], list[float]]:
    """Every role with its ROLE_WEIGHTS share."""
    roles, weights = [], []
    for group, members in c.role_groups.items():
        roles += members
        weights += ROLE_WEIGHTS[group]
    return roles, weights


def assign_roles(rng: random.Random, c: Consultation, pages: list[Page]) -> list[str]:
    """A role for each page slot, matching ROLE_WEIGHTS exactly, with central
    government moved off the pages where it is meant to be silent."""
    roles, weights = role_weights(c)
    assigned = [r for r, n in zip(roles, quotas(weights, len(pages))) for _ in range(n)]
    rng.shuffle(assigned)

    def is_cg(i: int) -> bool:
        return c.group_of(assigned[i]) == CENTRAL_GOVERNMENT

    def silent(i: int) -> bool:
        return pages[i].slug in CG_SILENT_PAGES

    for i in range(len(pages)):
        if silent(i) and is_cg(i):
            j = rng.choice([j for j in range(len(pages)) if not silent(j) and not is_cg(j)])
            assigned[i], assigned[j] = assigned[j], assigned[i]
    return assigned


def pick_role(rng: random.Random, c: Consultation) -> str:
    return rng.choices(*role_weights(c))[0]


def is_data_role(c: Consultation, role: str) -> bool:
    return c.group_of(role) == LOCAL_AUTHORITY and ("data" in role.lower() or "digital" in role.lower())


def pick_reaction(rng: random.Random, c: Consultation, page: Page, role: str) -> str:
    """A reaction short name, or "" for none."""
    if rng.random() < NO_REACTION_RATE:
        return ""
    weights = dict(MOODS[PAGE_PLAN.get(page.slug, DEFAULT_PLAN)[1]])
    factors = [GROUP_LEANINGS.get(c.group_of(role), {})]
    if c.group_of(role) == PRIVATE and page.slug in MARKET_PAGES:
        factors.append(MARKET_SCEPTICISM)
    if is_data_role(c, role) and page.slug in DATA_PAGES:
        factors.append(DATA_ENTHUSIASM)
    for factor in factors:
        for short, f in factor.items():
            weights[short] *= f
    shorts = list(weights)
    return rng.choices(shorts, [weights[s] for s in shorts])[0]


def vary_summary(rng: random.Random, text: str, sentiment: str) -> str:
    roll = rng.random()
    if roll < 0.25 and not text.endswith(("?", "!")):
        text += rng.choice(SUMMARY_TAILS[sentiment])
    elif roll < 0.35 and not text.endswith(("?", "!", ".")):
        text += "."
    if rng.random() < 0.08 and text[1:2].islower():
        text = text[0].lower() + text[1:]
    return text


def compose_details(rng: random.Random, voice: Voice, sentiment: str) -> str:
    parts = [rng.choice(voice.details)]
    roll = rng.random()
    others = [d for d in voice.details if d != parts[0]]
    if roll < 0.3:
        parts.append(rng.choice(FOLLOW_ONS[sentiment]))
    elif roll < 0.45 and others:
        parts.append(rng.choice(others))
    if len(parts) == 2 and rng.random() < 0.2:
        extra = rng.choice(FOLLOW_ONS[sentiment])
        if extra not in parts:
            parts.append(extra)
    return " ".join(parts)


def compose_text(rng: random.Random, c: Consultation, page: Page, role: str,
                 sentiment: str, used: set) -> tuple[str, str]:
    """A summary not yet used on this page, and details (about 60% filled)."""
    if c.group_of(role) == PEOPLE and rng.random() < 0.6:
        voice = PERSON_TEXT[sentiment]
    else:
        voice = PAGE_TEXT.get(page.slug, GENERIC_TEXT)[sentiment]
    for _ in range(40):
        summary = vary_summary(rng, rng.choice(voice.summaries), sentiment)
        if (page.slug, summary) not in used:
            break
    used.add((page.slug, summary))
    details = compose_details(rng, voice, sentiment) if rng.random() < 0.6 else ""
    return summary, details


def genuine_feedback(rng: random.Random, c: Consultation, people: People) -> list[FeedbackRow]:
    slots = [page for page, n in page_quotas(c, N_FEEDBACK) for _ in range(n)]
    rng.shuffle(slots)
    times = sample_times(rng, c.timezone, len(slots))
    roles = assign_roles(rng, c, slots)
    used: set = set()
    rows = []
    for page, when, role in zip(slots, times, roles):
        person = people.pick(role, p_new=0.6)
        short = pick_reaction(rng, c, page, person.role)
        sentiment = SENTIMENT_OF.get(short, "mix")
        summary, details = compose_text(rng, c, page, person.role, sentiment, used)
        rows.append(FeedbackRow(
            when=when, page=page, url=c.page_url(page), nature=c.reactions.get(short, ""),
            sentiment=sentiment, summary=summary, details=details,
            role=person.role, org=person.org, email=person.email,
        ))
    return rows


def pick(rng: random.Random, rows: list, n: int, tag: str, ok=lambda r: True) -> list:
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
    middle = len(words) // 2
    return " ".join(words[:middle]) + "  " + " ".join(words[middle:])


def add_url_oddities(rng: random.Random, c: Consultation, rows: list[FeedbackRow]) -> None:
    for row in pick(rng, rows, round(0.05 * len(rows)), "page: local preview"):
        row.url = c.page_url(row.page, LOCAL_PREVIEW_URL)
    for row in pick(rng, rows, 6, "page: #anchor"):
        row.url += rng.choice(ANCHORS)
    for row in pick(rng, rows, 5, "page: ?utm_source"):
        row.url += "?utm_source=newsletter"
    for row in pick(rng, rows, 4, "page: no trailing slash"):
        row.url = row.url.rstrip("/")
    for row in pick(rng, rows, 3, "page: wrapped in feedback/?page="):
        row.url = f"{c.site_url}feedback/?page={quote(row.url, safe='')}"
    popular = {p.slug for p, n in page_quotas(c, N_FEEDBACK) if n >= 30}
    for row in pick(rng, rows, 2, "page: unknown page", lambda r: r.page.slug in popular):
        row.url = f"{c.site_url}suggestions/"


def add_option_oddities(rng: random.Random, rows: list[FeedbackRow]) -> None:
    for row in pick(rng, rows, 10, "nature: straight apostrophe", lambda r: "’" in r.nature):
        row.nature = row.nature.replace("’", "'")
    for i, row in enumerate(pick(rng, rows, 4, "nature: case or spacing", lambda r: r.nature != "")):
        row.nature = row.nature.lower() if i % 2 == 0 else double_inner_space(row.nature)
    for row in pick(rng, rows, 1, "nature: unrecognised", lambda r: r.sentiment == "pos"):
        row.nature = "Loved it"
    for row in pick(rng, rows, 2, "nature: unrecognised", lambda r: r.sentiment == "mix"):
        row.nature = "Neutral"
    for row in pick(rng, rows, 6, "role: straight apostrophe", lambda r: "’" in r.role):
        row.role = row.role.replace("’", "'")
    for row in pick(rng, rows, 3, "role: lower case"):
        row.role = row.role.lower()
    no_email = pick(rng, rows, 2, "role: unrecognised", lambda r: r.email == "")
    for row, text in zip(no_email, ("Student", "Researcher")):
        row.role = text


def add_text_oddities(rng: random.Random, c: Consultation, rows: list[FeedbackRow]) -> None:
    for row in pick(rng, rows, 1, "org: typed as 007", lambda r: r.org == "" and r.email == ""):
        row.org = "007"
    for i, row in enumerate(pick(rng, rows, 5, "org: stray spaces", lambda r: r.org != "")):
        row.org = (" " + row.org, row.org + "  ", " " + row.org + " ")[i % 3]
    for i, row in enumerate(pick(rng, rows, 4, "summary: stray spaces")):
        row.summary = (" " + row.summary, row.summary + " ", "  " + row.summary + "  ")[i % 3]
    for awkward in AWKWARD_TEXT:
        def fits(r, a=awkward):
            return ((a.slug is None or r.page.slug == a.slug)
                    and (a.sentiment is None or r.sentiment == a.sentiment)
                    and (a.group is None or c.group_of(r.role) == a.group))
        (row,) = pick(rng, rows, 1, f"text: {awkward.tag}", fits)
        setattr(row, awkward.column, awkward.text)


def spam_feedback(rng: random.Random, c: Consultation) -> list[FeedbackRow]:
    pages = [p for p, n in page_quotas(c, N_FEEDBACK) if n > 0]
    times = sample_times(rng, c.timezone, len(SPAM_TEXT), bots=True)
    rows = []
    for when, (summary, details), role in zip(times, SPAM_TEXT, SPAM_ROLES):
        page = rng.choice(pages)
        rows.append(FeedbackRow(
            when=when, page=page, url=c.page_url(page),
            nature=rng.choice(list(c.reactions.values()) + [""]), sentiment="mix",
            summary=summary, details=details,
            role=role or rng.choice(c.role_groups[PRIVATE]),
            org="Top Rank Links", email="seo.team@spam.example",
            hp_field=rng.choice(SPAM_HONEYPOTS), tags=["spam (hp_field filled)"],
        ))
    return rows


def repeats(rng: random.Random, rows: list[FeedbackRow]) -> list[FeedbackRow]:
    """Double submissions minutes later and genuine re-sends days later."""
    original = "original of a repeat"
    soon = window_end() - timedelta(minutes=5)
    copies = []

    def repeat(row: FeedbackRow, tag: str, delay: timedelta) -> FeedbackRow:
        copies.append(replace(row, when=row.when + delay, notes="", tags=[tag]))
        return copies[-1]

    for row in pick(rng, rows, 10, original, lambda r: r.when < soon):
        repeat(row, "double submission: exact (5 s to 4 min)", timedelta(seconds=rng.randint(5, 240)))
    trailing, doubled = pick(rng, rows, 2, original, lambda r: r.details and r.when < soon)
    tag = "double submission: whitespace differs"
    repeat(trailing, tag, timedelta(seconds=rng.randint(5, 240))).summary += " "
    copy = repeat(doubled, tag, timedelta(seconds=rng.randint(5, 240)))
    copy.details = double_inner_space(copy.details)
    for row in pick(rng, rows, 3, original, lambda r: r.when < window_end() - timedelta(days=4)):
        delay = timedelta(days=rng.randint(1, 3), minutes=rng.randint(0, 180))
        repeat(row, "re-send: identical, 1-3 days later", delay)
    return copies


def add_timestamp_oddities(rng: random.Random, tz: ZoneInfo, rows: list[FeedbackRow]) -> None:
    for row in pick(rng, rows, 8, "timestamp: UK text dd/mm/yyyy"):
        row.stamp = row.when.strftime("%d/%m/%Y %H:%M:%S")
    for row in pick(rng, rows, 2, "timestamp: ISO text with offset"):
        row.stamp = row.when.replace(tzinfo=tz).isoformat(timespec="seconds")
    for row in pick(rng, rows, 2, "timestamp: ISO text without offset"):
        row.stamp = row.when.strftime("%Y-%m-%d %H:%M:%S")
    for row in pick(rng, rows, 3, "timestamp: Sheets serial number"):
        row.stamp = round((row.when - SHEETS_EPOCH) / timedelta(days=1), 10)
    for row, text in zip(pick(rng, rows, 2, "timestamp: garbage"), ("last Tuesday", "n/a")):
        row.stamp = text


def add_notes(rng: random.Random, rows: list[FeedbackRow]) -> None:
    genuine = [r for r in rows
               if not any(t.startswith(("spam", "double", "re-send", "original")) for t in r.tags)]
    for row, note in zip(rng.sample(genuine, len(NOTES)), NOTES):
        row.notes = note
    rng.choice([r for r in rows if "spam (hp_field filled)" in r.tags]).notes = SPAM_NOTE
    rng.choice([r for r in rows if any(t.startswith("double") for t in r.tags)]).notes = DUPLICATE_NOTE


def build_feedback(rng: random.Random, c: Consultation, people: People) -> list[FeedbackRow]:
    rows = genuine_feedback(rng, c, people)
    add_url_oddities(rng, c, rows)
    add_option_oddities(rng, rows)
    add_text_oddities(rng, c, rows)
    rows += spam_feedback(rng, c)
    rows += repeats(rng, rows)
    rows.sort(key=lambda r: r.when)
    add_timestamp_oddities(rng, c.timezone, rows)
    add_notes(rng, rows)
    check_feedback(c, rows)
    return rows


def check_feedback(c: Consultation, rows: list[FeedbackRow]) -> None:
    """Stop if the story promised by the constants above did not come out."""
    real = [r for r in rows if "spam (hp_field filled)" not in r.tags
            and "page: unknown page" not in r.tags]
    roles = {r.role for r in real}
    missing_roles = [role for role in c.roles if role not in roles]
    heard = {r.page.slug for r in real}
    silent = [p.slug for p in c.pages if p.slug not in heard]
    cg = [r for r in rows if r.page.slug in CG_SILENT_PAGES and c.group_of(r.role) == CENTRAL_GOVERNMENT]
    keys = Counter(r.form_fields() for r in rows)
    repeated = sum(n - 1 for n in keys.values())
    expected = sum(1 for r in rows for t in r.tags if t.startswith(("double submission: exact", "re-send")))
    problems = []
    if missing_roles:
        problems.append(f"roles without feedback: {missing_roles}")
    if sorted(silent) != sorted(NO_FEEDBACK_PAGES):
        problems.append(f"pages without feedback are {silent}")
    if cg:
        problems.append(f"{len(cg)} central government rows on silent pages")
    if repeated != expected:
        problems.append(f"{repeated} repeated rows, expected {expected}")
    if problems:
        raise SystemExit("Demo data check failed: " + "; ".join(problems))


# --------------------------------------------------------------------------
# Tab "MainFeedback"
# --------------------------------------------------------------------------


@dataclass
class SurveyRow:
    when: datetime
    url: str
    role: str
    org: str
    email: str
    usefulness: str
    likelihood: str
    activities: str
    ticked: list[str]
    section: str
    comments: str
    hp_field: str = ""
    tags: list[str] = field(default_factory=list)

    def cells(self) -> list:
        return [self.when, self.url, self.role, self.org, self.email, self.usefulness,
                self.likelihood, self.activities, self.section, self.comments, self.hp_field]


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def clamp_score(value: float) -> int:
    return max(1, min(5, round(value)))


def survey_scores(rng: random.Random, c: Consultation, group: str) -> tuple[dict, dict]:
    """{idea: score} for usefulness and likelihood; 8 or more ideas scored."""
    k = rng.randint(min(8, len(c.ideas)), len(c.ideas))
    interest = [IDEA_PROFILES.get(i, DEFAULT_PROFILE)[0] for i in c.ideas]
    scored = set(weighted_sample(rng, list(c.ideas), interest, k))
    shifts = GROUP_SCORE_SHIFTS.get(group, {})
    bias_u, bias_l = rng.gauss(0, 0.35), rng.gauss(0, 0.35)
    usefulness, likelihood = {}, {}
    for idea in c.ideas:
        if idea not in scored:
            continue
        mean_u, mean_l = IDEA_PROFILES.get(idea, DEFAULT_PROFILE)
        for key in ("*", idea):
            du, dl = shifts.get(key, (0.0, 0.0))
            mean_u, mean_l = mean_u + du, mean_l + dl
        usefulness[idea] = clamp_score(rng.gauss(mean_u + bias_u, 0.75))
        likelihood[idea] = clamp_score(rng.gauss(mean_l + bias_l, 0.75))
    if rng.random() < 0.25:  # left one likelihood blank
        del likelihood[rng.choice(list(likelihood))]
    return usefulness, likelihood


def pick_activities(rng: random.Random, c: Consultation, usefulness: dict) -> list[str]:
    """Ticked "<Section>: <activity>" entries, favouring ideas scored useful.

    The longlist's sections follow the ideas' order, so the n-th section
    belongs to the n-th idea.
    """
    entries, weights = [], []
    for idea, (section, acts) in zip(c.ideas, c.activities.items()):
        weight = usefulness.get(idea, 1.5) ** 2.5
        for act in acts:
            entries.append(f"{section}: {act}")
            weights.append(weight)
    n = rng.choices(range(len(ACTIVITY_COUNT_WEIGHTS)), ACTIVITY_COUNT_WEIGHTS)[0]
    ticked = set(weighted_sample(rng, entries, weights, n))
    return [e for e in entries if e in ticked]


COMMENTS_RATE = 0.7  # share of survey rows with comments
SECTION_RATE = 0.5  # share of survey rows naming a section (all with comments)


def survey_comments(rng: random.Random, with_section: bool) -> tuple[str, str]:
    """(section, comments), 1-4 sentences fitting the section if one is named."""
    section, topic = rng.choice(SECTION_LABELS) if with_section else ("", "general")
    pool = SURVEY_COMMENTS[topic]
    sentences = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 2, 3))))
    if topic != "general" and rng.random() < 0.3:
        sentences.append(rng.choice(SURVEY_COMMENTS["general"]))
    if rng.random() < 0.25:
        sentences.append(rng.choice(CLOSINGS))
    return section, " ".join(sentences[:4])


def genuine_survey(rng: random.Random, c: Consultation, people: People) -> list[SurveyRow]:
    url = f"{c.site_url}feedback/"
    commented = rng.sample(range(N_MAIN), round(COMMENTS_RATE * N_MAIN))
    with_section = set(rng.sample(commented, round(SECTION_RATE * N_MAIN)))
    commented = set(commented)
    rows = []
    for i, when in enumerate(sample_times(rng, c.timezone, N_MAIN)):
        person = people.pick(pick_role(rng, c), p_new=0.55)
        usefulness, likelihood = survey_scores(rng, c, c.group_of(person.role))
        ticked = pick_activities(rng, c, usefulness)
        section, comments = survey_comments(rng, i in with_section) if i in commented else ("", "")
        rows.append(SurveyRow(
            when=when, url=url, role=person.role, org=person.org, email=person.email,
            usefulness=to_json(usefulness), likelihood=to_json(likelihood),
            activities=to_json(ticked), ticked=ticked, section=section, comments=comments,
        ))
    return rows


def add_survey_oddities(rng: random.Random, c: Consultation, rows: list[SurveyRow]) -> None:
    (row,) = pick(rng, rows, 1, "score: 6 (out of range)")
    scores = json.loads(row.usefulness)
    scores[max(scores, key=scores.get)] = 6
    row.usefulness = to_json(scores)
    (row,) = pick(rng, rows, 1, "score: \"n/a\"")
    scores = json.loads(row.likelihood)
    scores[rng.choice(list(scores))] = "n/a"
    row.likelihood = to_json(scores)
    (row,) = pick(rng, rows, 1, "score: not valid JSON")
    row.usefulness = "{" + ", ".join(f"{k}: {v}" for k, v in json.loads(row.usefulness).items())

    order = {e: i for i, e in enumerate(c.activity_entries)}
    with_comma = [e for e in c.activity_entries if "," in e]
    joined = pick(rng, rows, 20, "activities: joined with \", \"", lambda r: len(r.ticked) >= 2)
    for i, row in enumerate(joined):
        if i < 5 and with_comma and not any(e in with_comma for e in row.ticked):
            row.ticked = sorted(row.ticked + [rng.choice(with_comma)], key=order.get)
        entries = list(row.ticked)
        if i == len(joined) - 1:
            entries.insert(1, UNKNOWN_ACTIVITY)
            row.tags.append("activities: unknown fragment")
        if any(e in with_comma for e in entries):
            row.tags.append("activities: joined entry contains a comma")
        row.activities = ", ".join(entries)


def spam_survey(rng: random.Random, c: Consultation) -> list[SurveyRow]:
    times = sample_times(rng, c.timezone, len(SURVEY_SPAM), bots=True)
    return [SurveyRow(
        when=when, url=f"{c.site_url}feedback/", role=rng.choice(("SEO", "zxcvb", "Marketing")),
        org="Top Rank Links", email="offers@spam.example", usefulness="", likelihood="",
        activities="[]", ticked=[], section=section, comments=comments,
        hp_field=rng.choice(SPAM_HONEYPOTS), tags=["spam (hp_field filled)"],
    ) for when, (section, comments) in zip(times, SURVEY_SPAM)]


def build_survey(rng: random.Random, c: Consultation, people: People) -> list[SurveyRow]:
    rows = genuine_survey(rng, c, people)
    add_survey_oddities(rng, c, rows)
    rows += spam_survey(rng, c)
    for row in pick(rng, rows, 2, "original of a repeat",
                    lambda r: r.when < window_end() - timedelta(minutes=2)):
        delay = timedelta(seconds=rng.randint(60, 120))
        rows.append(replace(row, when=row.when + delay, tags=["double submission: exact (1-2 min)"]))
    rows.sort(key=lambda r: r.when)
    return rows


# --------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------


def write_sheet(ws, header: tuple[str, ...], rows: list, widths: tuple[int, ...]) -> None:
    """Header then rows; None is an entirely empty row."""
    ws.append(list(header))
    for r, row in enumerate(rows, start=2):
        if row is None:
            continue
        for col, value in enumerate(row.cells(), start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text a person typed, not a formula
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def with_empty_rows(rows: list, count: int = 2) -> list:
    """Insert entirely empty rows, evenly spread through the middle."""
    out = list(rows)
    for i in range(count, 0, -1):
        out.insert(len(rows) * i // (count + 1), None)
    return out


def normalised_zip(raw: bytes) -> bytes:
    """The same archive with fixed entry dates and a fixed modified property."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps `modified` with the clock
                data, n = re.subn(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", data)
                if n != 1:
                    raise SystemExit("Could not fix the workbook's modified date")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, data)
    return out.getvalue()


def save_workbook(feedback: list, survey: list, path: Path) -> None:
    wb = Workbook()
    wb.properties.creator = "Consultation Insight demo generator"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    wb.active.title = "Feedback"
    write_sheet(wb.active, FEEDBACK_HEADER, feedback, FEEDBACK_WIDTHS)
    write_sheet(wb.create_sheet("MainFeedback"), MAIN_HEADER, survey, MAIN_WIDTHS)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(normalised_zip(buffer.getvalue()))


# --------------------------------------------------------------------------
# Checks and entry point
# --------------------------------------------------------------------------


def check_story_matches(c: Consultation) -> None:
    """Stop if this script's keys no longer match consultation.yaml and pages.csv."""
    slugs = [p.slug for p in c.pages]
    problems = []
    if len(set(slugs)) != len(slugs):
        problems.append("form pages do not have distinct last path parts")
    for name, keys in (("PAGE_PLAN", PAGE_PLAN), ("PAGE_TEXT", PAGE_TEXT),
                       ("NO_FEEDBACK_PAGES", NO_FEEDBACK_PAGES), ("CG_SILENT_PAGES", CG_SILENT_PAGES)):
        problems += [f"{name}: no form page {k!r}" for k in keys if k not in slugs]
    if set(ROLE_WEIGHTS) != set(c.role_groups):
        problems.append("ROLE_WEIGHTS groups differ from consultation.yaml role_groups")
    else:
        problems += [f"ROLE_WEIGHTS[{g!r}] needs {len(r)} weights"
                     for g, r in c.role_groups.items() if len(ROLE_WEIGHTS[g]) != len(r)]
    problems += [f"ORGANISATIONS: no group {g!r}" for g in c.role_groups if g not in ORGANISATIONS]
    for mood in MOODS.values():
        problems += [f"MOODS: unknown reaction {s!r}" for s in mood if s not in c.reactions]
        problems += [f"MOODS: reaction {s!r} missing" for s in c.reactions if s not in mood]
    problems += [f"IDEA_PROFILES: unknown idea {i!r}" for i in IDEA_PROFILES if i not in c.ideas]
    for shifts in GROUP_SCORE_SHIFTS.values():
        problems += [f"GROUP_SCORE_SHIFTS: unknown idea {i!r}" for i in shifts if i not in ("*", *c.ideas)]
    if len(c.activities) != len(c.ideas):
        problems.append("activity sections and ideas no longer pair up one to one")
    if problems:
        raise SystemExit("make_demo.py is out of step with lib/data:\n  " + "\n  ".join(problems))


def manifest(feedback: list[FeedbackRow], survey: list[SurveyRow]) -> str:
    lines = []
    for name, rows in (("Feedback", feedback), ("MainFeedback", survey)):
        tags = Counter(t for r in rows for t in r.tags)
        lines.append(f"{name}: {len(rows)} rows")
        lines += [f"  {n:3d}  {tag}" for tag, n in sorted(tags.items())]
    return "\n".join(lines)


def manifest_json(c: Consultation, feedback: list[FeedbackRow], survey: list[SurveyRow]) -> str:
    """The generator's own tally of what it built: the oracle the demo's tests check against."""
    silent = [p.path for p in c.pages if p.slug in NO_FEEDBACK_PAGES]
    out = {
        "seed": SEED,
        "Feedback": {"rows": len(feedback), "empty_rows": 2, "pages_without_feedback": silent,
                     "tags": dict(sorted(Counter(t for r in feedback for t in r.tags).items()))},
        "MainFeedback": {"rows": len(survey),
                         "tags": dict(sorted(Counter(t for r in survey for t in r.tags).items()))},
    }
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the demo workbook and its manifest.")
    parser.add_argument("--out", type=Path, default=OUTPUT_FILE.parent,
                        help="folder for demo.xlsx and demo_manifest.json (default: lib/data)")
    out_dir = parser.parse_args(argv).out
    output, manifest_file = out_dir / OUTPUT_FILE.name, out_dir / MANIFEST_FILE.name
    consultation = load_consultation()
    check_story_matches(consultation)
    rng = random.Random(SEED)
    people = People(rng, consultation)
    feedback = build_feedback(rng, consultation, people)
    survey = build_survey(rng, consultation, people)
    save_workbook(with_empty_rows(feedback), survey, output)
    manifest_file.write_text(manifest_json(consultation, feedback, survey), encoding="utf-8")
    print(f"Wrote {output} (seed {SEED}); plus 2 empty rows in Feedback")
    print(manifest(feedback, survey))


if __name__ == "__main__":
    main()
