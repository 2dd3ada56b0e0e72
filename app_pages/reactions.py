"""Reactions: by page, by role group and by role; the net reaction score; who has not been
heard from where ("missing voices"); and the responses behind any bar or cell."""

from functools import partial

import streamlit as st

from lib import figures
from lib import reactions as rx
from lib.filters import to_query
from lib.safe_text import escape_markdown
from lib.ui.downloads import download_buttons
from lib.ui.selection import apply_selection
from lib.ui.view import current

COMMENTS_PAGE = "app_pages/comments.py"
SCALES = ("Percentages", "Counts")
HEAT_BY = {"Role group": rx.ROLE_GROUP, "Role": rx.ROLE}

v = current()
ds, c, f, opts = v.dataset, v.consultation, v.filters, v.options
fb = v.feedback
short = c.short_reaction


def chart(fig, key: str) -> None:
    """A chart whose bars or cells, when selected, become filters."""
    st.plotly_chart(fig, key=key, on_select=partial(apply_selection, key, opts), selection_mode="points")


st.title("Reactions")
st.caption(f"How people reacted to the pages of *{escape_markdown(c.site_name)}*. Everything on this page "
           "counts kept page-feedback responses under the filters in the sidebar (spam and double "
           "submissions left out unless included there). Select a bar or a cell to filter by it.")

with st.container(key="reactions_controls", horizontal=True, vertical_alignment="bottom"):
    scale = st.segmented_control("Show", SCALES, default=SCALES[0], required=True, key="reactions_scale",
                                 bind="query-params", help="Percentages of each bar's responses, or counts.")
    percent = scale != "Counts"
    with st.container(key="reactions_view_comments", horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{len(fb):,}** matching responses")
        st.page_link(COMMENTS_PAGE, label="View these comments", icon=":material/forum:",
                     query_params=to_query(f, opts))
what = "share of each bar's responses" if percent else "number of responses"

# -- by page -------------------------------------------------------------------------------
with st.container(key="reactions_pages"):
    st.subheader("By page")
    pages = rx.rows_for(rx.PAGE, ds, fb, f)
    reactions = rx.reactions_in_view(c, fb, f)
    by_page = rx.reaction_table(fb, pages, rx.PAGE, reactions)
    chart(figures.reaction_bars(by_page, c.reaction_colours, short, percent=percent), "reactions_pages_chart")
    st.caption(f"Kept responses under the current filters per page, in the site's order, by reaction "
               f"({what}; n at the end of each bar, “none yet” for a page without any).")
    download_buttons(lambda: by_page.export(short), "reactions-by-page", "reactions_pages")

# -- net score -------------------------------------------------------------------------------
with st.container(key="reactions_score"):
    st.subheader("Net reaction score by page")
    pos, neg = short[c.positive_reaction], short[c.negative_reaction]
    st.markdown(f"**Net score** = share of a page's responses that are *{escape_markdown(pos)}* minus the share "
                f"that are *{escape_markdown(neg)}*, in percentage points (−100 to +100), out of all its "
                f"responses under the filters, with or without a reaction. Pages with fewer than "
                f"{rx.SMALL_NUMBER} responses are flagged *small number* and not ranked.")
    scores = rx.net_scores(fb, rx.real_pages(pages), rx.PAGE, c)
    ordered = rx.score_order(scores)
    if ordered.empty:
        st.info("No page has responses under the current filters.")
    else:
        chart(figures.net_score_bars(ordered, positive_colour=c.reaction_colours[c.positive_reaction],
                                     negative_colour=c.reaction_colours[c.negative_reaction],
                                     positive=pos, negative=neg),
              "reactions_score_chart")
    with st.expander("The scores as a table"):
        st.dataframe(rx.score_export(ordered, "Page", pos, neg), hide_index=True, key="reactions_score_table",
                     column_config={"Rank": st.column_config.NumberColumn(format="%d")})
    st.caption("Net score of each page from its kept responses under the current filters, best first; "
               "small numbers after the ranked pages, pages without responses left out.")
    download_buttons(lambda: rx.score_export(scores, "Page", pos, neg), "net-score-by-page", "reactions_score")

# -- by role group and by role ----------------------------------------------------------------
for dim, key in ((rx.ROLE_GROUP, "groups"), (rx.ROLE, "roles")):
    with st.container(key=f"reactions_{key}"):
        st.subheader(f"By {dim.title.lower()}")
        table = rx.reaction_table(fb, rx.rows_for(dim, ds, fb, f), dim, reactions)
        chart(figures.reaction_bars(table, c.reaction_colours, short, percent=percent), f"reactions_{key}_chart")
        st.caption(f"Kept responses under the current filters per {dim.title.lower()}, by reaction ({what}).")
        download_buttons(lambda table=table: table.export(short), f"reactions-by-{dim.name.replace('_', '-')}",
                         f"reactions_{key}")

# -- missing voices ----------------------------------------------------------------------------
with st.container(key="reactions_heat"):
    st.subheader("Missing voices: who has responded where")
    measures = rx.heat_measures(c, f)
    with st.container(horizontal=True, key="reactions_heat_controls"):
        heat_by = st.segmented_control("Columns", list(HEAT_BY), default="Role group", required=True,
                                       key="reactions_heat_by", bind="query-params")
        measure = st.segmented_control(
            "Colour", list(measures), format_func=measures.get, default=rx.RESPONSES, required=True,
            key="reactions_heat_value", bind="query-params",
            help="Responses per cell, the net score (cells under 5 responses not coloured), "
                 "or the share of one reaction among the cell's responses.")
    dim = HEAT_BY.get(heat_by, rx.ROLE_GROUP)
    measure = measure if measure in measures else rx.RESPONSES
    real = rx.real_pages(pages)
    grid = rx.heat(fb, real, dim, rx.heat_columns(dim, c, fb, f), measure, c)
    colour, negative = rx.heat_colours(measure, c, figures.NEUTRAL)
    groups = rx.groups_in_view(c, f)
    gaps = rx.coverage_gaps(fb, real, groups)
    # a handful of role groups fit beside the coverage table; fourteen roles need the full width
    left, right = (st.container(), st.container()) if len(grid.columns) > 6 else st.columns([3, 2])
    with left:
        chart(figures.coverage_heatmap(grid, short, colour=colour, negative_colour=negative), "reactions_heat_chart")
        uncharted = rx.uncharted(fb, dim)
        st.caption(f"Kept responses under the current filters per page and {dim.title.lower()} "
                   f"(colour: {rx.measure_words(measure, short)}); grey cells: nobody from that column has "
                   "responded on that page."
                   + (f" {uncharted} responses with an unrecognised role are not shown." if uncharted else ""))
        download_buttons(lambda: grid.export(short), f"reactions-heatmap-{dim.name.replace('_', '-')}",
                         "reactions_heat")
    with right.container(key="reactions_coverage"):
        silent = rx.silent_pages(gaps)
        st.markdown("**Pages with no feedback at all**")
        if silent:
            st.markdown("\n".join(f"- {escape_markdown(p)}" for p in silent))
        else:
            st.caption("Every page in view has feedback under the current filters.")
        st.markdown("**Role groups not yet heard from, per page**")
        with st.container(key="reactions_coverage_table"):
            st.dataframe(rx.gaps_export(rx.with_gaps(gaps), groups)[["Page", "Not yet heard from"]], hide_index=True,
                         key="reactions_coverage_frame")
        st.caption(f"Pages in view not yet heard from by some of the {len(groups)} role groups in view "
                   "(kept responses under the current filters; the download lists every page).")
        download_buttons(lambda: rx.gaps_export(gaps, groups), "reactions-coverage", "reactions_coverage")

# -- matching responses ------------------------------------------------------------------------
with st.container(key="reactions_comments"):
    st.subheader("Matching comments", anchor="matching-comments")
    if fb.empty:
        st.info("No responses match the current filters. Change or clear the filters in the sidebar.")
    matching = rx.matching_responses(fb, c, limit=rx.SHOWN)
    st.dataframe(matching, hide_index=True, key="reactions_comments_table",
                 column_config={"Submitted": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")})
    st.caption((f"The {len(fb):,} kept responses under the current filters, newest first: "
                if len(fb) <= rx.SHOWN else
                f"The newest {rx.SHOWN:,} of the {len(fb):,} kept responses under the current filters "
                "(the download has them all): ") + "the responses behind the charts above.")
    download_buttons(lambda: rx.matching_responses(fb, c), "reactions-comments", "reactions_comments")
