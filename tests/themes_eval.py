"""The hand-written evaluation set for themes and campaigns (tests/data/themes_eval.yaml).

``eval_rows()`` turns it into Feedback-tab rows (the sheet's column order, as the form posts
them); ``eval_frame()`` normalises those rows with the dashboard's own loader and adds the
hand labels: ``theme`` (primary theme), ``campaign`` (campaign id, "" for individual
comments), ``item`` (the item's id) and ``part`` ("tune" or "held_out").

The held-out part (about 30 %) is chosen by a hash of the item's id (a whole campaign by the
campaign's id), so nobody picks it by reading the comments.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path

import pandas as pd
import yaml

from lib.consultation import load_consultation
from lib.dataset import build_dataset
from lib.pages_meta import default_site
from lib.sources import RawTables, SourceInfo, table_from_rows

DATA = Path(__file__).parent / "data" / "themes_eval.yaml"
SITE = "https://data-to-insight.github.io/centre-of-excellence/"
HEADER = ["Timestamp", "page", "nature", "summary", "details", "role", "org", "email", "hp_field"]
HELD_OUT_SHARE = 3  # in 10

NATURES = {
    "E": "I’m enthusiastic about this", "U": "I’m unsure about this", "D": "I disagree with this",
    "G": "I have a general reflection on this", "S": "I’ve identified a specific issue with this",
    "O": "Other", "-": "",
}
ROLES = {
    "lad": "Local authority data professional", "ladig": "Local authority digital professional",
    "lacsc": "Local authority children’s social care professional", "lalead": "Local authority leadership",
    "cgd": "Central government data professional", "cgdig": "Central government digital professional",
    "cgsc": "Central government social care professional", "cglead": "Central government leadership",
    "ops": "Other public sector professional role", "sup": "Data and digital supplier/partner",
    "cons": "Data and digital consultant", "opriv": "Other private sector professional role",
    "pw": "Person (with current or previous social care involvement as a service user)",
    "pwo": "Person (without current or previous social care involvement as a service user)",
}
_A1 = "appendix-1-more-on-how-our-system-works/"
_A2 = "appendix-2-more-on-possible-mechanisms-for-change/"
PAGES = {
    "imag": "imagining-a-centre-of-excellence/", "how": "how-our-system-works/",
    "mech": "possible-mechanisms-for-change/", "models": "models-for-delivery/",
    "engage": "engagement-opportunities/",
    "ctx": _A1 + "context/", "status": _A1 + "status/", "value": _A1 + "value/", "quality": _A1 + "quality/",
    "cost": _A1 + "cost/",
    "tools": _A2 + "data-tool-collaboration/", "dq": _A2 + "improving-data-quality/",
    "share": _A2 + "facilitating-information-sharing/", "cms": _A2 + "making-sense-of-case-management-systems/",
    "ai": _A2 + "making-sense-of-ai-rpa-and-other-advanced-and-integrative-software/",
    "market": _A2 + "influencing-technology-markets/", "std": _A2 + "curating-technical-standards/",
    "adv": _A2 + "advocacy-across-internal-hierarchies/", "prof": _A2 + "supporting-professional-development/",
    "lead": _A2 + "helping-leadership-to-expect-excellence/",
    "xsec": _A2 + "redefining-cross-sector-collaboration/", "change": _A2 + "responding-to-large-scale-change/",
    "what": _A2 + "discovering-what-works/",
    "app3": "appendix-3-more-on-models-for-delivery/", "app4": "appendix-4-reference-projects/",
}
START = dt.datetime(2026, 9, 1, 8, 0)


def part(key: str) -> str:
    """"held_out" for about 30 % of ids, by hash; "tune" otherwise."""
    return "held_out" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 10 < HELD_OUT_SHARE else "tune"


def _offset(key: str, span_minutes: int) -> dt.timedelta:
    return dt.timedelta(minutes=int(hashlib.sha1(b"t" + key.encode()).hexdigest(), 16) % span_minutes)


def _copy_text(letter: str, copy: dict) -> str:
    """One sender's version of a campaign letter: their replacements, dropped sentences, lines added."""
    text = " ".join(letter.split())
    for old, new in copy.get("sub", []):
        assert old in text, (old, copy)
        text = text.replace(old, new)
    for fragment in copy.get("drop", []):
        sentences = text.split(". ")
        kept = [s for s in sentences if fragment not in s]
        assert len(kept) == len(sentences) - 1, (fragment, copy)
        text = ". ".join(kept)
    if copy.get("pre"):
        text = f"{copy['pre']} {text}"
    if copy.get("post"):
        text = f"{text} {copy['post']}"
    return text


@functools.lru_cache(maxsize=1)
def load_items() -> tuple[dict, ...]:
    """Every response of the set as a flat record (individual comments, then campaign copies)."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    out = []
    for item in raw["items"]:
        key, theme, nature, role, page = item["m"].split()
        out.append({"item": key, "theme": theme, "campaign": "", "nature": NATURES[nature], "role": ROLES[role],
                    "page": PAGES[page], "org": item.get("o", ""), "summary": str(item["s"]),
                    "details": " ".join(str(item.get("d", "")).split()), "part": part(key),
                    "when": START + _offset(key, 60 * 24 * 42)})
    for camp in raw["campaigns"]:
        first = START + _offset(camp["id"], 60 * 24 * 30)
        for k, copy in enumerate(camp["copies"], 1):
            key = f"{camp['id']}{k:02d}"
            out.append({"item": key, "theme": camp["theme"], "campaign": camp["id"], "nature": NATURES[copy["n"]],
                        "role": ROLES[copy["r"]], "page": PAGES[copy.get("p", camp["p"])],
                        "org": copy.get("o", ""), "summary": copy.get("s", camp["s"]),
                        "details": _copy_text(camp["letter"], copy), "part": part(camp["id"]),
                        "when": first + _offset(key, 60 * 24 * 9)})
    # sheet order: by submission time, as the form script appends them
    return tuple(sorted(out, key=lambda r: (r["when"], r["item"])))


def eval_rows() -> list[list]:
    """The set as Feedback-tab rows (header first), in submission order."""
    rows = [HEADER]
    for r in load_items():
        rows.append([r["when"], SITE + r["page"], r["nature"], r["summary"], r["details"], r["role"], r["org"], "",
                     ""])
    return rows


@functools.lru_cache(maxsize=1)
def _eval_frame() -> pd.DataFrame:
    c = load_consultation()
    raw = RawTables(table_from_rows(eval_rows()), table_from_rows([["Timestamp", "role"]]), None,
                    SourceInfo("workbook", "themes_eval", pd.Timestamp("2026-11-01", tz="UTC")))
    fb = build_dataset(raw, c, default_site(c)).feedback
    items = pd.DataFrame(load_items(), index=fb.index)
    assert (items["summary"].str.strip() == fb["summary"]).all()
    for col in ("theme", "campaign", "item", "part"):
        fb[col] = items[col]
    return fb


def eval_frame() -> pd.DataFrame:
    """The set, normalised by the dashboard's loader (index = sheet row), with the hand labels."""
    return _eval_frame().copy()


_FILLERS = ("", "Honestly, ", "For what it's worth, ", "In my view ", "Speaking for my team, ", "Briefly: ")
_SWAPS = {"authority": "council", "authorities": "councils", "really": "very", "would": "could",
          "analysts": "analytical staff", "system": "platform", "help": "support", "data": "information"}


def perturbed_frame(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` responses made from the set by resampling and rewording (for timing, not for scores):
    each copy mixes a comment with a sentence of another comment of the same theme, swaps a few
    words, drops one at random and adds an opening, so copies are distinct texts."""
    import numpy as np

    rng = np.random.default_rng(seed)
    base = eval_frame()
    by_theme = {t: g for t, g in base.groupby("theme")}
    picks = rng.integers(0, len(base), size=n)
    rows = base.iloc[picks].copy()
    details = []
    for theme, text in zip(rows["theme"], rows["details"], strict=True):
        other = by_theme[theme]["details"].iloc[int(rng.integers(0, len(by_theme[theme])))]
        sentences = [s for s in str(other).split(". ") if s]
        extra = sentences[int(rng.integers(0, len(sentences)))] if sentences else ""
        words = f"{text} {extra}".split()
        words = [_SWAPS.get(w, w) if rng.random() < 0.3 else w for w in words]
        if len(words) > 4:
            del words[int(rng.integers(0, len(words)))]
        details.append(_FILLERS[int(rng.integers(0, len(_FILLERS)))] + " ".join(words))
    rows["details"] = details
    rows.index = pd.RangeIndex(2, 2 + n, name="row")
    return rows
