"""Reactions: headlines; by page, by role group and by role; the net reaction score; who has
not been heard from where ("missing voices"); and the responses behind any bar or cell.

A chart never filters by its own dimension, and no chart here filters by reaction: a click
filters the other charts and highlights the chosen bars among the rest (``lib.reactions.chart_filters``).
"""

from functools import partial

import streamlit as st

from lib import comments as cm
from lib import figures
from lib import headlines as hl
from lib import reactions as rx
from lib.consultation import UNRECOGNISED
from lib.safe_text import escape_markdown
from lib.ui import reading
from lib.ui.downloads import Table, download_menu
from lib.ui.headlines import page_link
from lib.ui.headlines import show as show_headlines
from lib.ui.selection import apply_selection
from lib.ui.view import current, memo

SCALES = ("Percentages", "Counts")
HEAT_BY = {"Role group": rx.ROLE_GROUP, "Role": rx.ROLE}
READ_PAGE_SIZE = 5

v = current()
ds, c, f, opts = v.dataset, v.consultation, v.filters, v.options
matching = v.feedback_count   # the responses themselves are taken only for the table view or a download
short = c.short_reaction


def chart(fig, key: str) -> None:
    """A chart whose bars or cells, when selected, become filters."""
    st.plotly_chart(fig, key=key, on_select=partial(apply_selection, key, opts), selection_mode="points",
                    config=figures.CONFIG)


def charted(*dims: rx.Dimension):
    """The responses a chart of ``dims`` draws: every filter except the reaction and its own."""
    return rx.charted(v.feedback_under, f, *dims)


def header(title: str, anchor: str, key: str, *tables: Table) -> None:
    """A section's title (with its anchor) and its one "Download" menu."""
    with st.container(horizontal=True, vertical_alignment="center", key=f"{key}_header"):
        st.subheader(title, anchor=anchor)
        download_menu(key, *tables)


st.title("Reactions")
st.caption("How people reacted to each page, under the sidebar's filters. Select a bar or a cell to filter "
           "the other charts by it.")
# the headlines count what the charts count: the view's filtering (triage, themes, campaigns included)
show_headlines(memo("reactions_headlines", (v.filtered_key,),
                    lambda: hl.for_reactions(ds, f, opts, v.feedback_under)), "reactions")

with st.container(key="reactions_controls", horizontal=True, vertical_alignment="bottom"):
    scale = st.segmented_control("Show", SCALES, default=SCALES[0], required=True, key="reactions_scale",
                                 bind="query-params", help="Percentages of each bar's responses, or counts.")
    percent = scale != "Counts"
    with st.container(key="reactions_view_comments", horizontal=True, vertical_alignment="center", width="content"):
        st.markdown(f"**{matching:,}** matching responses")
        page_link("comments", "View these comments", icon=":material/forum:")
if f.reactions:
    st.caption(f"Reaction chosen: {escape_markdown(', '.join(short.get(r, r) for r in f.reactions))}. "
               "The charts keep every reaction and highlight it; the responses at the bottom have it.")
what = "share of each bar's responses" if percent else "responses"

# -- by page, and the net score beside it (one under the other on a phone) ----------------------
page_column, score_column = st.columns(2, gap="large")
with page_column.container(key="reactions_pages"):
    fp = rx.chart_filters(f, rx.PAGE)
    fb_pages = charted(rx.PAGE)
    pages = rx.rows_for(rx.PAGE, ds, fb_pages, fp)
    by_page = rx.reaction_table(fb_pages, pages, rx.PAGE, rx.reactions_in_view(c, fb_pages, fp))
    header("By page", "by-page", "reactions_pages",
           Table("Reactions by page", lambda: by_page.export(short), "reactions-by-page", "reactions_pages"))
    legend = figures.legend_html(by_page.reactions, c.reaction_colours, short)
    st.html(legend)
    chart(figures.reaction_bars(by_page, c.reaction_colours, short, percent=percent, chosen_rows=f.pages,
                                chosen_reactions=f.reactions), "reactions_pages_chart")
    st.caption(f"Each page's responses by reaction ({what}), in the site's order; hatched: small number "
               f"(fewer than {rx.SMALL_NUMBER}).")

with score_column.container(key="reactions_score"):
    pos, neg = short[c.positive_reaction], short[c.negative_reaction]
    scores = rx.net_scores(fb_pages, rx.real_pages(pages), rx.PAGE, c)
    ordered = rx.score_order(scores)
    header("Net reaction score by page", "net-score", "reactions_score",
           Table("Net score by page", lambda: rx.score_export(scores, "Page", pos, neg), "net-score-by-page",
                 "reactions_score"))
    st.caption(f"% {escape_markdown(pos)} − % {escape_markdown(neg)} of each page's responses (−100 to +100), "
               f"best first; pages under {rx.SMALL_NUMBER} responses are a small number, not ranked.")
    if ordered.empty:
        st.info("No page has responses under the current filters.")
    else:
        chart(figures.net_score_bars(ordered, positive_colour=c.reaction_colours[c.positive_reaction],
                                     negative_colour=c.reaction_colours[c.negative_reaction],
                                     positive=pos, negative=neg, chosen=f.pages),
              "reactions_score_chart")
    with st.expander("The scores as a table"):
        st.dataframe(rx.score_export(ordered, "Page", pos, neg), hide_index=True, key="reactions_score_table",
                     height="content", column_config={"Rank": st.column_config.NumberColumn(format="%d")})

# -- by role group and by role ----------------------------------------------------------------
columns = st.columns(2)
for dim, key, column in ((rx.ROLE_GROUP, "groups", columns[0]), (rx.ROLE, "roles", columns[1])):
    with column.container(key=f"reactions_{key}"):
        fd = rx.chart_filters(f, dim)
        fb_dim = charted(dim)
        table = rx.reaction_table(fb_dim, rx.rows_for(dim, ds, fb_dim, fd), dim, rx.reactions_in_view(c, fb_dim, fd))
        name = f"reactions-by-{dim.name.replace('_', '-')}"
        header(f"By {dim.title.lower()}", f"by-{dim.name.replace('_', '-')}", f"reactions_{key}",
               Table(f"Reactions by {dim.title.lower()}", lambda table=table: table.export(short), name,
                     f"reactions_{key}"))
        st.html(figures.legend_html(table.reactions, c.reaction_colours, short))
        chart(figures.reaction_bars(table, c.reaction_colours, short, percent=percent,
                                    chosen_rows=rx.chosen(f, dim), chosen_reactions=f.reactions),
              f"reactions_{key}_chart")
        st.caption(f"Each {dim.title.lower()}'s responses by reaction ({what}).")

# -- missing voices ----------------------------------------------------------------------------
with st.container(key="reactions_heat"):
    head = st.container()   # the title and its download menu, filled once the grid is known
    measures = rx.heat_measures(c, f.with_(reactions=()))
    # one above the other: side by side, the eight colours ran off a phone's screen
    with st.container(key="reactions_heat_controls"):
        heat_by = st.segmented_control("Columns", list(HEAT_BY), default="Role group", required=True,
                                       key="reactions_heat_by", bind="query-params")
        measure = st.segmented_control(
            "Colour", list(measures), format_func=measures.get, default=rx.RESPONSES, required=True,
            key="reactions_heat_value", bind="query-params",
            help=f"Responses per cell, the net score, or the share of one reaction among the cell's responses "
                 f"(cells under {rx.SMALL_NUMBER} responses: pale, with their n).")
    dim = HEAT_BY.get(heat_by, rx.ROLE_GROUP)
    measure = measure if measure in measures else rx.RESPONSES
    fh = rx.chart_filters(f, rx.PAGE, dim)
    fb_heat = charted(rx.PAGE, dim)
    real = rx.real_pages(rx.rows_for(rx.PAGE, ds, fb_heat, fh))
    groups = rx.groups_in_view(c, fh)
    gaps = rx.coverage_gaps(fb_heat, real, groups)
    grid = rx.heat(fb_heat, real, dim, rx.heat_columns(dim, c, fb_heat, fh), measure, c)
    with head:
        header("Missing voices: who has responded where", "missing-voices", "reactions_heat",
               Table("The grid", lambda: grid.export(short), f"reactions-heatmap-{dim.name.replace('_', '-')}",
                     "reactions_heat"),
               Table("Groups not yet heard from, per page", lambda: rx.gaps_export(gaps, groups),
                     "reactions-coverage", "reactions_coverage"))
    colour, negative = rx.heat_colours(measure, c, figures.NEUTRAL)
    # a handful of role groups fit beside the coverage list; fourteen roles need the full width
    left, right = (st.container(), st.container()) if len(grid.columns) > 6 else st.columns([2, 1])
    with left:
        chart(figures.coverage_heatmap(grid, short, colour=colour, negative_colour=negative,
                                       column_names=c.short_role_group if dim is rx.ROLE_GROUP else None,
                                       chosen_rows=f.pages, chosen_columns=rx.chosen(f, dim)),
              "reactions_heat_chart")
        uncharted = rx.uncharted(fb_heat, dim)
        st.caption(f"Colour: {rx.measure_words(measure, short)}; grey: nobody from that column yet; pale: "
                   f"under {rx.SMALL_NUMBER} responses."
                   + (f" {uncharted} responses whose role is “{UNRECOGNISED}” are not shown." if uncharted else ""))
    with right.container(key="reactions_coverage"):
        silent = rx.silent_pages(gaps)
        st.markdown("**Pages with no feedback at all**")
        if silent:
            st.markdown("\n".join(f"- {escape_markdown(p)}" for p in silent))
        else:
            st.caption("Every page in view has feedback under the current filters.")
    # the per-page list of missing groups needs the full width: its rows name up to five groups
    st.markdown("**Role groups not yet heard from, per page**")
    with st.container(key="reactions_coverage_table"):
        st.dataframe(rx.gaps_export(rx.with_gaps(gaps), groups)[["Page", "Not yet heard from"]],
                     hide_index=True, key="reactions_coverage_frame", height="content",
                     column_config={"Page": st.column_config.TextColumn(width="medium"),
                                    "Not yet heard from": st.column_config.TextColumn(width="large")})

# -- matching responses ------------------------------------------------------------------------
with st.container(key="reactions_comments"):
    header("Matching comments", "matching-comments", "reactions_comments",
           Table("The matching responses", lambda: rx.matching_responses(v.feedback, c), "reactions-comments",
                 "reactions_comments",
                 "Comments"))
    view = reading.view_switch("reactions_comments_view")
    if not matching:
        st.info("No responses match the current filters. Change or clear the filters in the sidebar.")
    elif view == reading.VIEWS[0]:
        # ordered newest first; only the page of responses shown is built
        ex = memo("reactions_reading", (v.filtered_key,), lambda: cm.explorer(ds.feedback, ds.survey.iloc[0:0],
                                                                              ds.site, rows=v.rows))
        pg = reading.page(len(ex), READ_PAGE_SIZE, f"reactions_read_page_{cm.view_key(v.token, f)}")
        st.caption(f"The {len(ex):,} responses behind the charts, newest first: "
                   f"{pg.start + 1:,}–{pg.stop:,} shown whole.")
        reading.responses(ex.rows(pg.start, pg.stop), "", c, "reactions_reading")
        reading.pager(pg, f"reactions_read_page_{cm.view_key(v.token, f)}", always=True)
    if view != reading.VIEWS[0] or not matching:
        fb = v.feedback
        shown = rx.matching_responses(fb, c, limit=rx.SHOWN)
        st.caption(f"The {len(fb):,} responses behind the charts, newest first."
                   if len(fb) <= rx.SHOWN else
                   f"The newest {rx.SHOWN:,} of the {len(fb):,} responses behind the charts "
                   "(the download has them all).")
        st.dataframe(shown.drop(columns=["Reaction (form wording)"]), hide_index=True,
                     key="reactions_comments_table",
                     column_config={"Submitted": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
                                    "Details": st.column_config.TextColumn(width="large")})
