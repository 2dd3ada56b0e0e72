"""Overview: headline numbers, responses per week, by reaction, by role group and by page."""

import streamlit as st

from lib import figures
from lib.aggregates import by_page, count_by, drop_empty_catch_all, over_time, reaction_order, role_group_order
from lib.overview import headline, pages_export
from lib.safe_text import escape_markdown
from lib.triage import join_triage, progress_by_page, progress_display, status_counts
from lib.ui.downloads import download_buttons
from lib.ui.view import current

v = current()
c = v.consultation
fb = v.feedback

st.title("Overview")
st.caption(f"Feedback on *{escape_markdown(c.site_name)}*: responses under the filters in the sidebar "
           "(spam and double submissions left out unless included there).")

per_page = by_page(fb, v.dataset.site)
numbers = headline(fb, v.survey, per_page)
with st.container(key="overview_metrics", horizontal=True):
    st.metric("Page feedback responses", f"{numbers.feedback:,}", border=True)
    st.metric("Survey responses", f"{numbers.survey:,}", border=True)
    st.metric("Pages with feedback", f"{numbers.pages_heard} of {numbers.pages_with_form}", border=True)
    st.metric("Organisations", f"{numbers.organisations:,}", border=True)

left, right = st.columns(2)
with left.container(key="overview_reactions"):
    st.subheader("Reactions")
    reactions = drop_empty_catch_all(count_by(fb["reaction"], reaction_order(c)))
    st.plotly_chart(figures.count_bars(reactions, c.reaction_colours, labels=c.short_reaction),
                    key="overview_reactions_chart")
    st.caption("Page-feedback responses under the current filters, by the reaction chosen on the form.")
    download_buttons(lambda: reactions.rename_axis("Reaction").reset_index(name="Responses"),
                     "reactions", "overview_reactions")
with right.container(key="overview_groups"):
    st.subheader("Who responded")
    groups = drop_empty_catch_all(count_by(fb["role_group"], role_group_order(c)))
    st.plotly_chart(figures.count_bars(groups, c.role_group_colours), key="overview_groups_chart")
    st.caption("Page-feedback responses under the current filters, by the respondent's role group.")
    download_buttons(lambda: groups.rename_axis("Role group").reset_index(name="Responses"),
                     "role-groups", "overview_groups")

with st.container(key="overview_weekly"):
    st.subheader("Responses per week")
    weekly = over_time(fb)
    st.plotly_chart(figures.over_time_bars(weekly), key="overview_weekly_chart")
    st.caption("Page-feedback responses under the current filters, per week (weeks start on Monday; UK time).")
    download_buttons(lambda: weekly.rename(columns={"period": "Week starting", "n": "Responses"}),
                     "weekly", "overview_weekly")

with st.container(key="overview_pages"):
    st.subheader("Responses by page")
    st.plotly_chart(figures.pages_bars(per_page), key="overview_pages_chart")
    st.caption("Page-feedback responses under the current filters, per page in the site's order; grey: none.")
    download_buttons(
        lambda: pages_export(per_page),
        "pages", "overview_pages")

with st.container(key="overview_triage"):
    st.subheader("Triage progress")
    if v.triage is None:
        st.caption("The analysis store is not available, so the team's triage can't be shown.")
    else:
        joined = join_triage(fb, v.triage, v.new_status)
        counts = status_counts(joined, c.triage_status_labels)
        with st.container(key="overview_triage_metrics", horizontal=True):
            for status, n in zip(counts["status"], counts["responses"]):
                st.metric(status, f"{n:,}", border=True)
        progress = progress_display(progress_by_page(joined, v.dataset.pages, c.triage_status_labels),
                                    c.triage_status_labels)
        st.dataframe(progress, hide_index=True, key="overview_triage_table",
                     column_config={"Triaged": st.column_config.ProgressColumn(format="percent", min_value=0.0,
                                                                               max_value=1.0)})
        st.caption("The team's triage of the page-feedback responses under the current filters, by page "
                   "(set on the Comments page).")
