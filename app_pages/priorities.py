"""Priorities: how the main survey scored the ideas for usefulness and likelihood, which
activities respondents ticked, the same per role group, and the survey's comments."""

import streamlit as st

from lib import figures
from lib import priorities as pr
from lib.filters import COMMENTS_SOURCE_PARAM, survey_ignores, to_query
from lib.safe_text import escape_markdown
from lib.ui.downloads import download_buttons
from lib.ui.view import current

v = current()
ds, c, f = v.dataset, v.consultation, v.filters
sv = v.survey
scores = pr.restrict(ds.scores, sv)
acts = pr.restrict(ds.activities, sv)
titles = c.measure_titles
use, like = pr.measure_keys(c)
highlight = c.quadrants[0]

st.title("Priorities")
st.caption(f"What the main survey said about the {len(c.ideas)} ideas and the activity longlist: "
           "responses under the sidebar filters (spam and double submissions left out unless included there).")
ignored = survey_ignores(f)
if ignored:
    st.info(f"The survey has no {' or '.join(ignored)}, so the {', '.join(ignored)} filter doesn't apply here: "
            "this page shows every survey response under the other filters.", icon=":material/info:")

with st.container(key="priorities_measures"):
    for m in c.measures:
        st.markdown(f"**{escape_markdown(m.title)}**, scored 1 (low) to 5 (high): “{escape_markdown(m.question)}”.")

numbers = pr.survey_numbers(sv, scores, acts)
with st.container(key="priorities_metrics", horizontal=True):
    st.metric("Survey responses", f"{numbers.responses:,}", border=True)
    st.metric("Scored at least one idea", f"{numbers.scored:,}", border=True)
    st.metric("Ticked at least one activity", f"{numbers.ticked:,}", border=True)
    st.metric("Left a comment", f"{numbers.commented:,}", border=True)

if sv.empty:
    st.info("No survey responses under these filters.", icon=":material/filter_alt_off:")
    st.stop()


def quadrant(table, lines, key: str, file_base: str, scope: str, who: str, means_of: str) -> None:
    """A quadrant chart of ideas (mean usefulness × mean likelihood) with its caption and download."""
    unplaced = pr.unplaced(table, c)
    if unplaced == len(table):
        st.info(f"No idea has scores for both {titles[use].lower()} and {titles[like].lower()} {scope}.")
        return
    st.plotly_chart(figures.quadrant_chart(table, lines, titles, highlight=highlight),
                    key=f"{key}_chart", width="content")
    st.caption(f"Mean {titles[use].lower()} (x) against mean {titles[like].lower()} (y) per idea; bubble area: "
               f"{who} scoring it; whiskers: 95% t-intervals; dashed lines: the mean of {means_of} "
               f"({titles[use].lower()} {lines[use]:.2f}, {titles[like].lower()} {lines[like]:.2f}); shaded: "
               "ideas above both."
               + (f" {unplaced} idea{'s' if unplaced != 1 else ''} without scores for both not shown."
                  if unplaced else ""))
    download_buttons(lambda: pr.idea_export(table, titles), file_base, key)


# -- scores per idea ------------------------------------------------------------------------
st.header("Scores by idea")
sort_options = list(pr.sorts(c))
sort = st.segmented_control("Sort ideas by", sort_options, default=sort_options[0], required=True,
                            key="priorities_sort", bind="query-params")
table = pr.idea_table(scores, c)
ordered = pr.sort_ideas(table, sort or sort_options[0], c)
order = list(ordered["idea"])
shares = pr.likert(scores, c)
if scores.empty:
    st.info("None of these survey responses scored an idea.")
else:
    with st.container(key="priorities_likert"):
        st.plotly_chart(figures.likert_bars(shares, order, titles), key="priorities_likert_chart")
        st.caption("Share of the responses scoring each idea that gave it each score; the neutral 3 is split "
                   "half each side of zero, 1–2 to the left, 4–5 to the right.")
        download_buttons(lambda: pr.likert_export(shares, titles, order), "priorities-score-shares",
                         "priorities_likert")
    with st.container(key="priorities_ideas"):
        shown = pr.ideas_display(ordered, c)
        st.dataframe(shown, hide_index=True, key="priorities_ideas_table",
                     column_config={f"{t}: mean": st.column_config.NumberColumn(format="%.2f") for t in titles.values()}
                     | {"Gap": st.column_config.NumberColumn(format="%+.2f")})
        st.caption("Mean score per idea with its 95% confidence interval, a t-interval: mean ± t(0.975, n−1) × s/√n "
                   f"(s: the scores' standard deviation), undefined with fewer than 2 scores. "
                   f"Gap: mean {titles[use].lower()} − mean {titles[like].lower()}.")
        download_buttons(lambda: pr.idea_export(ordered, titles), "priorities-ideas", "priorities_ideas")

    # -- quadrant ---------------------------------------------------------------------------
    st.header(highlight)
    with st.container(key="priorities_quadrant"):
        quadrant(table, pr.overall_means(scores, c), "priorities_quadrant", "priorities-quadrant",
                 "under these filters", "responses", "every score given")

# -- activities -----------------------------------------------------------------------------
st.header("Activities")
activities = pr.activity_table(acts, sv, c)
st.markdown(f"{numbers.ticked:,} of {numbers.responses:,} survey responses ticked at least one of the "
            f"{len(activities)} activities; shares below are of all {numbers.responses:,}.")
left, right = st.columns(2)
with left.container(key="priorities_sections"):
    st.subheader("By longlist section")
    st.plotly_chart(figures.activity_section_bars(activities, list(c.activity_sections)),
                    key="priorities_sections_chart")
    st.caption("Ticks per longlist section, stacked by its activities in longlist order (hover for each one).")
    download_buttons(lambda: pr.activity_export(activities), "priorities-activities", "priorities_sections")
with right.container(key="priorities_activities"):
    st.subheader("Every activity")
    st.dataframe(pr.activity_export(activities), hide_index=True, key="priorities_activities_table", height=440,
                 column_config={"Share of respondents": st.column_config.ProgressColumn(
                     format="percent", min_value=0.0, max_value=1.0)})
with st.container(key="priorities_top"):
    st.subheader(f"Top {pr.TOP_N} activities")
    top = pr.top_activities(activities)
    if top.empty:
        st.info("No activities ticked under these filters.")
    else:
        st.plotly_chart(figures.top_activity_bars(top), key="priorities_top_chart")
        st.caption(f"The {len(top)} most ticked activities: responses ticking each (share of all survey responses); "
                   "ties in longlist order.")
        download_buttons(lambda: pr.activity_export(top), "priorities-top-activities", "priorities_top")

# -- by role group --------------------------------------------------------------------------
st.header("By role group")
sizes = pr.group_sizes(sv, c)
group_scores = pr.group_idea_table(scores, sv, c)
if not scores.empty:
    with st.container(key="priorities_groups"):
        st.plotly_chart(figures.group_dots(group_scores, order, titles, c.role_group_colours),
                        key="priorities_groups_chart")
        st.caption(f"Mean score per idea by the respondents' role group (respondents in brackets); open circles: "
                   f"“small number”, fewer than {pr.SMALL_NUMBER} respondents.")
        download_buttons(lambda: pr.idea_export(group_scores, titles), "priorities-role-groups",
                             "priorities_groups")

choices = list(sizes[sizes > 0].index)   # groups with survey responses under the filters
group = st.segmented_control("Role group", choices, default=choices[0], required=True, key="priorities_group",
                             bind="query-params") or choices[0]
respondents = int(sizes.get(group, 0))
members = pr.members(sv, group)
if pr.is_small(respondents):
    st.warning(f"**Small number**: {respondents} respondent{'s' if respondents != 1 else ''} in this group; "
               "read its means and shares with care.", icon=":material/group_off:")
else:
    st.markdown(f"{respondents:,} respondents in this group.")
member_scores = pr.restrict(scores, members)
with st.container(key="priorities_group_quadrant"):
    st.subheader(f"Ideas: {escape_markdown(group)}")
    quadrant(pr.idea_table(member_scores, c), pr.overall_means(member_scores, c), "priorities_group_quadrant",
             "priorities-group-ideas", "from this group", "this group's responses", "every score the group gave")
with st.container(key="priorities_group_top"):
    st.subheader(f"Top {pr.TOP_N} activities: {escape_markdown(group)}")
    g_acts = pr.activity_table(pr.restrict(acts, members), members, c)
    g_top = pr.top_activities(g_acts)
    if g_top.empty:
        st.info("No activities ticked by this group.")
    else:
        st.plotly_chart(figures.top_activity_bars(g_top, colour=c.role_group_colours.get(group, figures.NEUTRAL)),
                        key="priorities_group_top_chart")
        st.caption(f"The group's {len(g_top)} most ticked activities: responses ticking each (share of the "
                   f"group's {respondents} survey responses).")
        download_buttons(lambda: pr.activity_export(pr.group_activity_table(acts, sv, c)),
                             "priorities-group-activities", "priorities_group_top",
                             label="Download CSV (every group, every activity)")

# -- comments ---------------------------------------------------------------------------------
st.header("Survey comments")
comments = pr.survey_comments(sv)
with st.container(key="priorities_comments"):
    st.caption(f"{len(comments):,} of {len(sv):,} survey responses under the current filters left a comment; "
               "newest first.")
    st.dataframe(comments, hide_index=True, key="priorities_comments_table",
                 column_config={"Submitted": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
                                "Comment": st.column_config.TextColumn(width="large")})
    download_buttons(lambda: comments, "survey-comments", "priorities_comments", xlsx=True)
    st.page_link("app_pages/comments.py", label="Explore these comments", icon=":material/forum:",
                 query_params={**to_query(f, v.options), COMMENTS_SOURCE_PARAM: "Survey comments"})
