"""Comments: every kept response under the filters, searchable; read whole one after another,
or scanned in a compact table where a selected row is read in full."""

import streamlit as st

from lib import comments as cm
from lib.filters import COMMENTS_SOURCE_PARAM, COMMENTS_SOURCES, Filters, survey_ignores
from lib.safe_text import escape_markdown
from lib.triage import join_triage
from lib.ui import reading
from lib.ui import store as team_store
from lib.ui import triage as triage_ui
from lib.ui.downloads import download_buttons
from lib.ui.view import current, memo

PAGE_SIZES = (25, 50, 100, 250)
READ_SIZES = (10, 25, 50, 100)
OTHERS_SHOWN = 200


def counted(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


v = current()
ds, c, f = v.dataset, v.consultation, v.filters

st.title("Comments")
st.caption("What people wrote, newest first, under the sidebar's filters.")

with st.container(key="comments_controls", horizontal=True, vertical_alignment="bottom"):
    view_mode = reading.view_switch("comments_view")
    source = st.segmented_control(
        "Comments from", COMMENTS_SOURCES, default=cm.FEEDBACK, required=True,
        key=COMMENTS_SOURCE_PARAM, bind="query-params",
        help="Page feedback: the form at the foot of each page. Survey comments: the free-text "
        "comments of the main feedback survey.") or cm.FEEDBACK
    query = st.text_input(
        "Search summaries and details", key="comments_q", bind="query-params", max_chars=500,
        placeholder='Words must all appear; "a quoted phrase" as written',
        help='Not case-sensitive. Every word must appear in the summary or the details; '
        'put words in double quotes to find them as a phrase.')

ignored = survey_ignores(f) if source != cm.FEEDBACK else []
if ignored:
    st.info(f"The survey comments are not filtered by {', '.join(ignored)}: the survey has no page, "
            "section or reaction of its own.", icon=":material/info:")

terms = tuple(cm.parse_query(query))
# ordered and searched on the run's filtered frames (their key: the filters, and the triage, themes and
# campaigns those filters use); the rows are built for the page shown only
rows = memo("comments_rows", (v.filtered_key, source), lambda: cm.explorer(ds.feedback, v.survey, ds.site, source,
                                                                         rows=v.rows))
found = memo("comments_found", (v.filtered_key, source, terms), lambda: rows.search(query))


def with_triage(frame, triage=v.triage, status=v.new_status):
    """Explorer rows with the team's triage of each response, as it is now in the store."""
    return join_triage(frame, triage, status) if triage is not None else frame


def every_row(found=found, with_triage=with_triage):
    """Every row in view (for the downloads and the bulk triage, built when they are used)."""
    return with_triage(found.rows())


work = team_store.store(c)
statuses, suggestions = c.triage_status_labels, list(v.options.tags)

# a new view (data, filters, source, search, page size) starts on its first page with
# nothing selected: the pager's and the table's keys carry it
reading_view = view_mode == reading.VIEWS[0]
size_key = "comments_read_size" if reading_view else "comments_page_size"
sizes = READ_SIZES if reading_view else PAGE_SIZES
page_size = st.session_state.get(size_key, 25 if reading_view else 50)
view = cm.view_key(v.token, f, source, terms, page_size, view_mode)

table_slot = st.container(key="comments_table_box")
with st.container(key="comments_paging", horizontal=True, vertical_alignment="center"):
    page_no = st.pagination(cm.paging(len(found), page_size, 1).pages, key=f"comments_page_{view}",
                            max_visible_pages=7)
    st.selectbox("Per page", sizes, index=sizes.index(25 if reading_view else 50), key=size_key,
                 label_visibility="collapsed", width=170,
                 format_func=lambda n: f"{n} {'responses' if reading_view else 'rows'} per page")
pg = cm.paging(len(found), page_size, page_no)
shown = with_triage(found.rows(pg.start, pg.stop))

with table_slot:
    if found.empty:
        st.caption(f"No response matches the search (of {counted(len(rows), 'response')} under the filters)."
                   if terms else "No responses under these filters.")
    else:
        matched = f" matching the search (of {len(rows):,} under the filters)" if terms else ""
        st.caption(f"Showing {pg.start + 1:,}–{pg.stop:,} of {counted(len(found), 'response')}{matched}.")
    if reading_view:
        reading.responses(shown, query, c, "comments_reading")
    else:
        table = cm.table_frame(shown, source, c)
        # what people wrote first; who wrote it and where after (the page label already names its section)
        reading_order = ["Submitted", "Source", "Page", "Link", "Reaction", "Summary", "Details", "Role",
                         "Organisation", "Section"]
        event = st.dataframe(
            table, key=f"comments_table_{view}_{pg.page}", hide_index=True,
            column_order=[col for col in reading_order if col in table.columns] +
                         [col for col in table.columns if col not in reading_order],
            on_select="rerun", selection_mode="single-row", height=min(38 + 35 * max(len(shown), 1), 640),
            column_config={
                "Submitted": st.column_config.DatetimeColumn("Submitted", format="DD/MM/YYYY HH:mm", width=130),
                "Link": st.column_config.LinkColumn("Link", display_text=":material/open_in_new:", width=50,
                                                    help="The page on the published site"),
                "Summary": st.column_config.TextColumn("Summary", width="medium"),
                "Section": st.column_config.TextColumn("Section", width="small"),
                "Details": st.column_config.TextColumn("Details", width="large",
                                                       help="The start of the details; select the row to read all"),
            },
        )

triage_ui.bulk(work, every_row, statuses, suggestions,
              count=memo("comments_count", (v.filtered_key, source, terms), lambda: found.responses(v.distinct)))

with st.container(key="comments_export", horizontal=True, vertical_alignment="center"):
    download_buttons(lambda: cm.export_frame(every_row(), source, c), cm.download_base(source, query), "comments",
                     sheet="Comments", label="The comments",
                     note=f"The files hold {'the' if len(found) == 1 else 'all'} {counted(len(found), 'row')} "
                          "(every page), texts in full.")

if not reading_view:
    picked = [i for i in event.selection.rows if 0 <= i < len(shown)]
    with st.container(key="comments_detail", border=True):
        if not picked:
            st.caption("Select a row of the table to read the whole response here.")
        else:
            row = shown.iloc[picked[0]]
            if row["summary"]:
                st.subheader(cm.highlight(" ".join(row["summary"].split()), query), anchor=False)
            (source_name, when), *rest = cm.facts(row, c)
            st.markdown("  \n".join([f"**{escape_markdown(source_name)}** · {escape_markdown(when)}"]
                                    + [f"**{label}:** {escape_markdown(value)}" for label, value in rest]))
            if row["page_link"]:
                st.link_button("Open the page on the site", row["page_link"], icon=":material/open_in_new:",
                               type="tertiary")
            with st.container(key="comments_detail_text"):
                if row["details"].strip():
                    st.markdown(cm.highlight(row["details"], query))
                else:
                    st.caption("No details given.")

            triage_ui.editor(work, row, statuses, suggestions)

            with st.container(key="comments_same_org"):
                if not row["organisation"].strip():
                    st.caption("No organisation given, so no other responses to show.")
                else:
                    # every kept comment of the organisation, whatever the other filters
                    base = Filters(include_spam=f.include_spam, include_duplicates=f.include_duplicates)
                    pool = memo("comments_pool", (base,), lambda: cm.comments(ds.feedback, ds.survey, ds.site, base,
                                                                              cm.BOTH))
                    others = cm.same_organisation(pool, row)
                    if others.empty:
                        st.caption("No other responses from this organisation.")
                    else:
                        st.markdown(f"**Other responses from {escape_markdown(row['organisation'], limit=120)}** "
                                    f"({counted(len(others), 'response')}, page feedback and survey, "
                                    "regardless of the sidebar filters)")
                        st.dataframe(cm.table_frame(others.head(OTHERS_SHOWN), cm.BOTH, c), hide_index=True,
                                     key="comments_same_org_table",
                                     column_config={"Submitted": st.column_config.DatetimeColumn(
                                         format="DD/MM/YYYY HH:mm"), "Link": st.column_config.LinkColumn(
                                         "Link", display_text=":material/open_in_new:", width=50)})
                        if len(others) > OTHERS_SHOWN:
                            st.caption(f"Showing the newest {OTHERS_SHOWN} of {len(others):,}.")
