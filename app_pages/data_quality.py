"""Data quality: what was read, what was left out and why, and values that need a look."""

import pandas as pd
import streamlit as st

from lib.access_record import recent_access
from lib.consultation import UNKNOWN_PAGE, UNRECOGNISED
from lib.normalise import TableQuality, bad_values_table, quarantine_table
from lib.pages_meta import pages_listing
from lib.ui import store as team_store
from lib.ui.access import current as access_decision
from lib.ui.triage import orphans
from lib.ui.view import current

ds = current().dataset

st.title("Data quality")
st.caption(
    "Every non-empty row read is counted as kept, spam (the hidden honeypot field was filled), "
    "duplicate (the same response sent again within 10 minutes) or quarantined (it could not be "
    "read at all; listed with why). Problems below are counted on kept rows. This page describes "
    "the whole source: the sidebar filters don't apply here."
)


def table_counts(q: TableQuality, key: str) -> None:
    with st.container(key=f"quality_{key}_counts", horizontal=True):
        st.metric("Rows read", f"{q.rows_read:,}", border=True)
        st.metric("Kept", f"{q.kept:,}", border=True)
        st.metric("Spam", f"{q.spam:,}", border=True)
        st.metric("Duplicates", f"{q.duplicates:,}", border=True)
        st.metric("Unreadable timestamps", f"{q.bad_timestamps:,}", border=True)


def listing(title: str, values: dict, column: str, key: str, empty: str) -> None:
    st.markdown(f"**{title}**")
    if not values:
        st.caption(empty)
        return
    frame = pd.DataFrame({column: list(values), "Rows": list(values.values())})
    st.dataframe(frame, hide_index=True, key=key)


def bad_values(q: TableQuality, key: str) -> None:
    """Bad values by kind with their sheet rows, and the quarantined rows with the reason."""
    st.markdown("**Bad values by kind**")
    table = bad_values_table(q)
    if table.empty:
        st.caption("No bad values in kept rows.")
    else:
        st.dataframe(table, hide_index=True, key=f"quality_{key}_bad_values")
    st.markdown(f"**Quarantined rows** ({len(q.quarantined):,})")
    if not q.quarantined:
        st.caption("Every row could be read.")
    else:
        st.dataframe(quarantine_table(q), hide_index=True, key=f"quality_{key}_quarantined")


fq, sq = ds.feedback_quality, ds.survey_quality

st.header("Page feedback (tab Feedback)")
table_counts(fq, "feedback")
if fq.unmatched_pages:
    st.warning(f"{fq.unmatched_pages} kept responses came from a page address that matches no page "
               f"of the site; they are shown as “{UNKNOWN_PAGE}”.")
c1, c2 = st.columns(2)
with c1:
    listing("Page addresses matching no page", fq.unmatched_urls, "Address", "quality_urls",
            "Every page address matched a page of the site.")
    listing(f"{UNRECOGNISED} reactions", fq.unrecognised.get("reaction", {}), "Typed value",
            "quality_reactions", "Every reaction matched an option of the form.")
with c2:
    listing(f"{UNRECOGNISED} roles", fq.unrecognised.get("role", {}), "Typed value", "quality_roles",
            "Every role matched an option of the form.")
    listing("Extra columns (kept aside)", fq.extra_columns, "Column", "quality_extra_feedback",
            "No columns beyond the form's own.")
bad_values(fq, "feedback")

st.header("Main survey (tab MainFeedback)")
table_counts(sq, "survey")
c1, c2 = st.columns(2)
with c1:
    listing("Scores ignored (not a whole number 1–5, or an unknown idea)", sq.bad_score_values,
            "Value", "quality_scores", "Every score was a whole number from 1 to 5.")
    listing(f"{UNRECOGNISED} roles", sq.unrecognised.get("role", {}), "Typed value",
            "quality_survey_roles", "Every role matched an option of the form.")
with c2:
    listing("Ticked activities not on the longlist", sq.unknown_activity_values, "Fragment",
            "quality_activities", "Every ticked activity matched the longlist.")
    listing("Extra columns (kept aside)", sq.extra_columns, "Column", "quality_extra_survey",
            "No columns beyond the form's own.")
bad_values(sq, "survey")

st.header("Pages of the site")
if ds.site.bad_orders:
    st.caption(f"{ds.site.bad_orders:,} pages of the Pages tab had an order that isn't a whole number; "
               "they keep their row's position.")
st.dataframe(pages_listing(ds.pages), hide_index=True, key="quality_pages")

decision = access_decision()
if decision is not None and decision.viewer.is_analyst:
    st.header("Access record")
    st.caption("The most recent sign-ins, refusals, e-mail reveals and downloads on this server (newest first; "
               "every entry is also one line in the server log). Only analysts see this.")
    st.dataframe(recent_access(limit=200), hide_index=True, key="quality_access",
                 column_config={"time": st.column_config.DatetimeColumn("Time (UTC)", format="DD/MM/YYYY HH:mm:ss")})

with st.container(key="quality_triage"):
    orphans(team_store.store(ds.consultation), [ds.feedback, ds.survey], current().email_level)
