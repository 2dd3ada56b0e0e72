"""Overview: headlines in words, headline numbers, responses per week, by reaction, by role
group and by page."""

import streamlit as st

from lib import figures
from lib import headlines as hl
from lib import overview as ov
from lib.aggregates import by_page, weekly
from lib.identity import IDENTITY
from lib.safe_text import escape_markdown
from lib.triage import progress, progress_display
from lib.ui.downloads import download_buttons
from lib.ui.headlines import show as show_headlines
from lib.ui.view import current, memo

v = current()
ds, c, f, opts = v.dataset, v.consultation, v.filters, v.options
fb = v.feedback_columns(("page_path", "organisation", "submitted_at", IDENTITY))   # what this page reads

st.title("Overview")
st.caption(f"Feedback on *{escape_markdown(c.site_name)}* under the sidebar's filters.")

# the headlines count what the charts count: the view's filtering (triage, themes, campaigns included)
show_headlines(memo("overview_headlines", (v.filtered_key,),
                    lambda: hl.for_overview(ds, f, opts, v.feedback_under, v.survey_under)), "overview")

per_page = by_page(fb, v.dataset.site)
numbers = ov.headline(fb, v.survey, per_page)
with st.container(key="overview_metrics", horizontal=True):
    st.metric("Page feedback responses", f"{numbers.feedback:,}", border=True)
    st.metric("Survey responses", f"{numbers.survey:,}", border=True)
    st.metric("Pages with feedback", f"{numbers.pages_heard} of {numbers.pages_with_form}", border=True)
    st.metric("Organisations", f"{numbers.organisations:,}", border=True)


def header(title: str, key: str, make, base: str) -> None:
    """A section's title with its one "Download" menu beside it."""
    with st.container(horizontal=True, vertical_alignment="center", key=f"{key}_header"):
        st.subheader(title, anchor=False)
        download_buttons(make, base, key)


left, right = st.columns(2)
with left.container(key="overview_reactions"):
    reactions = ov.reaction_counts(v.feedback_under, f, c)
    header("Reactions", "overview_reactions",
           lambda: ov.labelled_counts(reactions, "Reaction", c.short_reaction, "Reaction (form wording)"), "reactions")
    st.plotly_chart(figures.count_bars(reactions, c.reaction_colours, labels=c.short_reaction, chosen=f.reactions),
                    key="overview_reactions_chart", config=figures.CONFIG)
    st.caption("Responses by the reaction chosen on the form" + ("; chosen ones highlighted." if f.reactions else "."))
with right.container(key="overview_groups"):
    groups = ov.group_counts(v.feedback_under, f, c)
    header("Who responded", "overview_groups",
           lambda: groups.rename_axis("Role group").reset_index(name="Responses"), "role-groups")
    st.plotly_chart(figures.count_bars(groups, chosen=f.role_groups), key="overview_groups_chart",
                    config=figures.CONFIG)
    st.caption("Responses by the respondent's role group" + ("; chosen ones highlighted." if f.role_groups else "."))

with st.container(key="overview_weekly"):
    weeks = weekly(fb["submitted_at"], f.date_from or opts.first_date, f.date_to or opts.last_date, c.timezone)
    header("Responses per week", "overview_weekly", lambda: ov.weeks_export(weeks), "weekly")
    st.plotly_chart(figures.weekly_bars(weeks), key="overview_weekly_chart", config=figures.CONFIG)
    partial = int(weeks["partial"].sum()) if len(weeks) else 0
    st.caption("Weeks start on Monday (UK time)"
               + (f"; hatched: {partial} partial week{'s' if partial != 1 else ''}, fewer than 7 days shown."
                  if partial else "."))

with st.container(key="overview_pages"):
    header("Responses by page", "overview_pages",
           lambda: ov.pages_export(per_page),
           "pages")
    st.plotly_chart(figures.pages_bars(per_page), key="overview_pages_chart", config=figures.CONFIG)
    st.caption("Responses per page in the site's order; a page without any says “none yet”.")

with st.container(key="overview_triage"):
    st.subheader("Triage progress")
    if v.triage is None:
        st.caption("The analysis store is not available, so the team's triage can't be shown.")
    else:
        counts, by_page = progress(fb, v.triage, v.new_status, v.dataset.pages, c.triage_status_labels,
                                  unique=v.distinct)
        with st.container(key="overview_triage_metrics", horizontal=True):
            for status, n in zip(counts["status"], counts["responses"]):
                st.metric(status, f"{n:,}", border=True)
        st.dataframe(progress_display(by_page, c.triage_status_labels), hide_index=True, key="overview_triage_table",
                     column_config={"Triaged": st.column_config.ProgressColumn(format="percent", min_value=0.0,
                                                                               max_value=1.0)})
        st.caption("The team's triage of the page-feedback responses under the current filters, by page "
                   "(set on the Comments page).")
