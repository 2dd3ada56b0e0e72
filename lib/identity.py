"""A stable identity per response, so the team's work (triage, themes) stays attached to it.

A response's identity is a digest of what it says, never of where it sits in the
sheet: it survives reloads, re-sorting and new rows. Per-page feedback: ``f`` and
the first 16 hex digits of the SHA-256 of its submitted time (UTC, ISO 8601 to the
second, or empty when unreadable), page path, role, reaction, summary, details and
organisation. Survey responses: ``s`` and the digest of submitted time, role,
organisation, section, comments, the scores given and the activities ticked. Each
field is trimmed with runs of whitespace collapsed (as the duplicate rule does),
so re-typed spacing doesn't change it. E-mail addresses are left out: removing
one (on request, or for a viewer) never detaches the team's work.

A double submission (a duplicate under the 10-minute rule) takes the identity of
the response it repeats, so both rows share it.

If someone edits a response in the sheet, its identity changes: the triage made
on the old text is kept in the store with a copy of that text (its *snapshot*) and
a *fingerprint* of its words, and is listed as "changed since triaged"
(``lib.store.triage.Triage.orphans``), never silently lost.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .normalise import identity as joined_fields

if TYPE_CHECKING:
    from .dataset import Dataset

#: Column holding a response's identity in the frames that carry one.
IDENTITY = "identity"
FEEDBACK_PREFIX = "f"
SURVEY_PREFIX = "s"
DIGEST_HEX = 16

FEEDBACK_FIELDS = ("submitted", "page_path", "role", "reaction", "summary", "details", "organisation")
SURVEY_FIELDS = ("submitted", "role", "organisation", "section", "comments", "scores", "activities")
#: Fields of a response copied into the store when it is triaged (never the e-mail address).
SNAPSHOT_FIELDS = ("submitted", "page_path", "page_label", "role", "reaction", "organisation",
                   "summary", "details", "section", "comments")


def utc_text(when: pd.Series) -> pd.Series:
    """Timestamps as UTC ISO 8601 text to the second (``2026-10-01T08:00:00Z``); missing → ""."""
    if len(when) == 0:
        return pd.Series([], index=when.index, dtype=object)
    stamp = pd.to_datetime(when, utc=True)
    return stamp.dt.strftime("%Y-%m-%dT%H:%M:%SZ").astype(object).where(stamp.notna(), "")


def _digest(prefix: str, keys: pd.Series) -> pd.Series:
    return pd.Series(
        [prefix + hashlib.sha256(k.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_HEX]
         for k in keys.astype(str).tolist()],
        index=keys.index, dtype=object,
    )


def _identities(prefix: str, frame: pd.DataFrame, content_columns: Sequence[str]) -> pd.Series:
    """Digest of submitted time + content; duplicates take the identity of the response they repeat."""
    content = joined_fields(frame, content_columns)
    ids = _digest(prefix, utc_text(frame["submitted_at"]) + "\x1f" + content)
    if "is_duplicate" not in frame.columns or not frame["is_duplicate"].any():
        return ids
    # the duplicate rule's own grouping: the same content and e-mail, sent again within the window
    group = content + "\x1f" + joined_fields(frame, ["email"]) if "email" in frame.columns else content
    eligible = frame["submitted_at"].notna()
    if "is_spam" in frame.columns:
        eligible &= ~frame["is_spam"].astype(bool)
    order = pd.DataFrame({
        "group": group[eligible],
        "when": frame.loc[eligible, "submitted_at"],
        "pos": range(int(eligible.sum())),
        "dup": frame.loc[eligible, "is_duplicate"].astype(bool),
        "id": ids[eligible],
    }).sort_values(["when", "pos"], kind="stable")
    # each duplicate follows the last non-duplicate of its group (the response it repeats)
    order["head"] = order["id"].where(~order["dup"]).groupby(order["group"], sort=False).ffill()
    inherit = order["dup"] & order["head"].notna()
    out = ids.copy()
    out.loc[order.index[inherit.to_numpy()]] = order.loc[inherit, "head"].to_numpy()
    return out


def feedback_identities(feedback: pd.DataFrame) -> pd.Series:
    """The identity of each per-page response (normalised feedback frame), aligned to its index."""
    if feedback.empty:
        return pd.Series([], index=feedback.index, dtype=object)
    return _identities(FEEDBACK_PREFIX, feedback, FEEDBACK_FIELDS[1:])


def _long_keys(survey: pd.DataFrame, response_ids: pd.Series, texts: pd.Series) -> pd.Series:
    """Per survey response, its entries in a long table as one sorted, "|"-joined key ("" if none)."""
    grouped: dict[str, list[str]] = {}
    for rid, text in zip(response_ids.astype(str).tolist(), texts.astype(str).tolist()):
        grouped.setdefault(rid, []).append(text)
    keys = {rid: "|".join(sorted(items)) for rid, items in grouped.items()}
    return pd.Series([keys.get(r, "") for r in survey["response_id"].astype(str).tolist()],
                     index=survey.index, dtype=object)


def survey_identities(survey: pd.DataFrame, scores: pd.DataFrame, activities: pd.DataFrame) -> pd.Series:
    """The identity of each survey response, from its row and its scores and ticked activities."""
    if survey.empty:
        return pd.Series([], index=survey.index, dtype=object)
    score_text = (scores["measure"].astype(str) + "/" + scores["idea"].astype(str) + "="
                  + scores["score"].astype(int).astype(str))
    score_key = _long_keys(survey, scores["response_id"], score_text)
    act_key = _long_keys(survey, activities["response_id"], activities["label"])
    frame = survey.assign(scores=score_key.to_numpy(), activities=act_key.to_numpy())
    return _identities(SURVEY_PREFIX, frame, SURVEY_FIELDS[1:])


def with_identities(ds: Dataset) -> Dataset:
    """The dataset with an ``identity`` column on its feedback and survey frames."""
    return dataclasses.replace(
        ds,
        feedback=ds.feedback.assign(**{IDENTITY: feedback_identities(ds.feedback)}),
        survey=ds.survey.assign(**{IDENTITY: survey_identities(ds.survey, ds.scores, ds.activities)}),
    )


def distinct_originals(frame: pd.DataFrame) -> bool:
    """Whether the rows of ``frame`` not flagged as duplicates all carry distinct identities: then
    any of them, duplicates left out, hold each identity once (no need to look for repeats)."""
    if frame.empty or IDENTITY not in frame.columns:
        return True
    return not frame[IDENTITY][~frame["is_duplicate"].to_numpy(dtype=bool)].duplicated().any()


def fingerprints(frame: pd.DataFrame) -> pd.Series:
    """A digest of a response's words alone (summary + details, or comments), whitespace-normalised.

    Kept with a triage so that, when a response is edited in the sheet, the store can
    point at current responses with the same words (another field was corrected).
    """
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    columns = [c for c in ("summary", "details", "comments") if c in frame.columns]
    return _digest("w", joined_fields(frame.assign(_none=""), columns or ["_none"]))


def snapshots(frame: pd.DataFrame) -> dict[str, dict[str, str]]:
    """identity → the response's content as triaged: the fields of ``SNAPSHOT_FIELDS`` it has, and its
    ``fingerprint``. Taken from a frame with an ``identity`` column (first row per identity)."""
    if frame.empty:
        return {}
    first = frame.drop_duplicates(IDENTITY)
    out = pd.DataFrame({IDENTITY: first[IDENTITY].astype(str).to_numpy()})
    if "submitted_at" in first.columns:
        out["submitted"] = utc_text(first["submitted_at"]).to_numpy()
    for name in SNAPSHOT_FIELDS:
        if name in first.columns and name != "submitted":
            out[name] = first[name].astype(object).where(first[name].notna(), "").astype(str).to_numpy()
    out["fingerprint"] = fingerprints(first).to_numpy()
    return {rec.pop(IDENTITY): rec for rec in out.to_dict("records")}
