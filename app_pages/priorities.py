"""Priorities: headlines; how the main survey scored the ideas for usefulness and likelihood,
which activities respondents ticked, the same per role group, and the survey's comments."""

import streamlit as st

from lib import figures
from lib import headlines as hl
from lib import priorities as pr
from lib.filters import COMMENTS_SOURCE_PARAM, survey_ignores
from lib.safe_text import escape_markdown
from lib.ui.downloads import Table, download_menu
from lib.ui.headlines import page_link
from lib.ui.headlines import show as show_headlines
from lib.ui.view import current, memo

v = current()
ds, c, f, opts = v.dataset, v.consultation, v.filters, v.options
sv = v.survey
# the tables, once per view of the data (a rerun for a sort, a group or an expander reuses them)
whole = memo("priorities_summary", (v.filtered_key,), lambda: pr.summary(ds.scores, ds.activities, sv, c))
scores, acts = whole.scores, whole.activities
titles = c.measure_titles
use, like = pr.measure_keys(c)
highlight = c.quadrants[0]

st.title("Priorities")
st.caption(f"What the main survey said about the {len(c.ideas)} ideas and the activity longlist, under the "
           "sidebar's filters.")
ignored = survey_ignores(f)
if ignored:
    st.info(f"The survey has no {' or '.join(ignored)}, so the {', '.join(ignored)} filter doesn't apply here: "
            "this page shows every survey response under the other filters.", icon=":material/info:")

# the headlines count what the charts count: the view's filtering (triage, themes, campaigns included)
show_headlines(memo("priorities_headlines", (v.filtered_key,),
                    lambda: hl.for_priorities(ds, f, opts, v.survey_under)), "priorities")

with st.container(key="priorities_measures"):
    st.markdown("  \n".join(f"**{escape_markdown(m.title)}** (1 low – 5 high): “{escape_markdown(m.question)}”."
                            for m in c.measures))

numbers = whole.numbers
with st.container(key="priorities_metrics", horizontal=True):
    st.metric("Survey responses", f"{numbers.responses:,}", border=True)
    st.metric("Scored at least one idea", f"{numbers.scored:,}", border=True)
    st.metric("Ticked at least one activity", f"{numbers.ticked:,}", border=True)
    st.metric("Left a comment", f"{numbers.commented:,}", border=True)

if sv.empty:
    st.info("No survey responses under these filters.", icon=":material/filter_alt_off:")
    st.stop()


QUADRANT_CSS = """<style>
@media (max-width: 700px) { .st-key-priorities_quadrant_wide, .st-key-priorities_group_quadrant_wide { display: none; } }
@media (min-width: 701px) { .st-key-priorities_quadrant_compact, .st-key-priorities_group_quadrant_compact { display: none; } }
</style>"""


def header(title: str, key: str, *tables: Table, level: str = "header", anchor: str | None = None) -> None:
    """A section's title with its one "Download" menu beside it."""
    with st.container(horizontal=True, vertical_alignment="center", key=f"{key}_header"):
        (st.header if level == "header" else st.subheader)(title, anchor=anchor)
        if tables:
            download_menu(key, *tables)


def quadrant(table, lines, key: str, scope: str, who: str, means_of: str) -> None:
    """A quadrant chart of ideas (mean usefulness × mean likelihood) with its caption: labelled
    beside each bubble on wide screens, numbered with a key on narrow ones (one is hidden by CSS)."""
    unplaced = pr.unplaced(table, c)
    if unplaced == len(table):
        st.info(f"No idea has scores for both {titles[use].lower()} and {titles[like].lower()} {scope}.")
        return
    st.html(QUADRANT_CSS)
    with st.container(key=f"{key}_wide"):
        st.plotly_chart(figures.quadrant_chart(table, lines, titles, highlight=highlight),
                        key=f"{key}_chart", width="content", config=figures.CONFIG)
    with st.container(key=f"{key}_compact"):
        st.plotly_chart(figures.quadrant_chart(table, lines, titles, highlight=highlight, compact=True),
                        key=f"{key}_chart_compact", config=figures.CONFIG)
        st.caption(" · ".join(f"**{k}** {escape_markdown(idea)}" for k, idea in figures.quadrant_numbers(table)))
    st.caption(f"Bubble area: {who} scoring the idea; whiskers: 95% intervals; dashed: the mean of {means_of} "
               f"({lines[use]:.2f}, {lines[like]:.2f}); shaded: above both."
               + (f" {unplaced} idea{'s' if unplaced != 1 else ''} without scores for both not shown."
                  if unplaced else ""))


# -- scores per idea ------------------------------------------------------------------------
table = whole.ideas
shares = whole.shares
head = st.container()
sort_options = list(pr.sorts(c))
sort = st.segmented_control("Sort ideas by", sort_options, default=sort_options[0], required=True,
                            key="priorities_sort", bind="query-params")
ordered = pr.sort_ideas(table, sort or sort_options[0], c)
order = list(ordered["idea"])
with head:
    header("Scores by idea", "priorities_likert",
           Table("Share of each score per idea", lambda: pr.likert_export(shares, titles, order),
                 "priorities-score-shares", "priorities_likert"),
           Table("Means and intervals per idea", lambda: pr.idea_export(ordered, titles), "priorities-ideas",
                 "priorities_ideas"), anchor="scores-by-idea")
if scores.empty:
    st.info("None of these survey responses scored an idea.")
else:
    with st.container(key="priorities_likert"):
        st.plotly_chart(figures.likert_bars(shares, order, titles), key="priorities_likert_chart",
                        config=figures.CONFIG)
        st.caption("Share of each score among the responses scoring the idea; 3 is split at zero, 1–2 left, 4–5 "
                   f"right; hatched: fewer than {pr.SMALL_NUMBER} scores.")
    with st.container(key="priorities_ideas"), st.expander("Means and 95% intervals as a table"):
        shown = pr.ideas_display(ordered, c)
        config = {"Idea": st.column_config.TextColumn(width=250),
                  "Gap": st.column_config.NumberColumn(format="%+.2f", width=60,
                                                       help=f"Mean {titles[use].lower()} − mean {titles[like].lower()}"),
                  "Quadrant": st.column_config.TextColumn(width="medium")}
        for t in titles.values():
            config[f"{t}: mean"] = st.column_config.NumberColumn(t, format="%.2f", width=85, help=f"Mean {t.lower()}")
            config[f"{t}: 95% CI"] = st.column_config.TextColumn(
                "95% CI", width=95, help=f"95% t-interval of the mean {t.lower()}: mean ± t(0.975, n−1) × s/√n; "
                "undefined with fewer than 2 scores")
            config[f"{t}: n"] = st.column_config.NumberColumn("n", width=45, help=f"Responses scoring its {t.lower()}")
        st.dataframe(shown, hide_index=True, key="priorities_ideas_table", height="content", column_config=config)

    # -- quadrant ---------------------------------------------------------------------------
    header(highlight, "priorities_quadrant",
           Table("Ideas: means, intervals, quadrants", lambda: pr.idea_export(table, titles), "priorities-quadrant",
                 "priorities_quadrant"), anchor="quadrant")
    with st.container(key="priorities_quadrant"):
        quadrant(table, whole.means, "priorities_quadrant", "under these filters", "responses",
                 "every score given")

# -- activities -----------------------------------------------------------------------------
activities = whole.activity_table
top = whole.top
header("Activities", "priorities_sections",
       Table("Every activity", lambda: pr.activity_export(activities), "priorities-activities", "priorities_sections"),
       Table(f"Top {pr.TOP_N}", lambda: pr.activity_export(top), "priorities-top-activities", "priorities_top"))
st.caption(f"{numbers.ticked:,} of {numbers.responses:,} survey responses ticked at least one of the "
           f"{len(activities)} activities; shares are of all {numbers.responses:,}.")
left, right = st.columns(2)
with left.container(key="priorities_sections"):
    st.subheader("By longlist section", anchor=False)
    st.plotly_chart(figures.activity_section_bars(activities, list(c.activity_sections)),
                    key="priorities_sections_chart", config=figures.CONFIG)
    st.caption("Ticks per section, stacked by its three activities (hover for each).")
with right.container(key="priorities_top"):
    st.subheader(f"Top {pr.TOP_N} activities", anchor=False)
    if top.empty:
        st.info("No activities ticked under these filters.")
    else:
        st.plotly_chart(figures.top_activity_bars(top), key="priorities_top_chart", config=figures.CONFIG)
        st.caption("Responses ticking each (share of all survey responses); ties in longlist order.")
with st.container(key="priorities_activities"), st.expander(f"Every activity ({len(activities)})"):
    st.dataframe(pr.activity_export(activities), hide_index=True, key="priorities_activities_table", height="content",
                 column_config={"Share of respondents": st.column_config.ProgressColumn(
                     format="percent", min_value=0.0, max_value=1.0)})

# -- by role group --------------------------------------------------------------------------
sizes = whole.sizes
group_scores = whole.group_ideas
header("By role group", "priorities_groups",
       Table("Ideas per role group", lambda: pr.idea_export(group_scores, titles), "priorities-role-groups",
             "priorities_groups"),
       Table("Activities per role group", lambda: pr.activity_export(pr.group_activity_table(acts, sv, c)),
             "priorities-group-activities", "priorities_group_activities"))
if not scores.empty:
    with st.container(key="priorities_groups"):
        st.plotly_chart(figures.group_dots(group_scores, order, titles, c.role_group_colours),
                        key="priorities_groups_chart", config=figures.CONFIG)
        st.caption(f"Mean score per idea by role group (respondents in brackets); open symbols: small number, "
                   f"fewer than {pr.SMALL_NUMBER} respondents.")

choices = list(sizes[sizes > 0].index)   # groups with survey responses under the filters
group = st.segmented_control("Role group", choices, default=choices[0], required=True, key="priorities_group",
                             bind="query-params") or choices[0]
respondents = int(sizes.get(group, 0))
part = memo("priorities_group", (v.filtered_key, group), lambda: pr.group_summary(whole, sv, group, c))
if pr.is_small(respondents):
    st.warning(f"**Small number**: {respondents} respondent{'s' if respondents != 1 else ''} in this group; "
               "read its means and shares with care.", icon=":material/group_off:")
else:
    st.markdown(f"{respondents:,} respondents in this group.")
g_table = part.ideas
with st.container(key="priorities_group_quadrant"):
    header(f"Ideas: {escape_markdown(group)}", "priorities_group_quadrant",
           Table(f"Ideas: {group}", lambda: pr.idea_export(g_table, titles), f"priorities-group-ideas_{group}",
                 "priorities_group_quadrant"), level="subheader", anchor=False)
    quadrant(g_table, part.means, "priorities_group_quadrant", "from this group",
             "this group's responses", "every score the group gave")
with st.container(key="priorities_group_top"):
    g_acts, g_top = part.activity_table, part.top
    header(f"Top {pr.TOP_N} activities: {escape_markdown(group)}", "priorities_group_top",
           Table(f"Activities: {group}", lambda: pr.activity_export(g_acts), f"priorities-group-activities_{group}",
                 "priorities_group_top"), level="subheader", anchor=False)
    if g_top.empty:
        st.info("No activities ticked by this group.")
    else:
        st.plotly_chart(figures.top_activity_bars(g_top, small=pr.is_small(respondents)),
                        key="priorities_group_top_chart", config=figures.CONFIG)
        st.caption(f"Responses ticking each (share of the group's {respondents} survey responses)"
                   + ("; hatched: small number." if pr.is_small(respondents) else "."))

# -- comments ---------------------------------------------------------------------------------
comments = memo("priorities_comments", (v.filtered_key,), lambda: pr.survey_comments(sv))
header("Survey comments", "priorities_comments",
       Table("Survey comments", lambda: comments, "survey-comments", "priorities_comments", "Comments"))
with st.container(key="priorities_comments"):
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(f"{len(comments):,} of {len(sv):,} survey responses left a comment; newest first.")
        page_link("comments", "Read them whole", {COMMENTS_SOURCE_PARAM: ["Survey comments"]}, icon=":material/forum:")
    st.dataframe(comments, hide_index=True, key="priorities_comments_table",
                 column_config={"Submitted": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
                                "Comment": st.column_config.TextColumn(width="large")})
