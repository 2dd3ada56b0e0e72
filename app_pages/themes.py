"""Themes: what the page feedback is about, found on this server (no comment leaves it) and
corrected by the team; and campaigns, one letter sent by several people."""

from zoneinfo import ZoneInfo

import streamlit as st

from lib import comments as cm
from lib import figures
from lib import team_themes as tt
from lib.aggregates import role_group_order
from lib.campaigns import campaign_letters, campaign_responses, campaigns_display
from lib.dataset import kept
from lib.identity import IDENTITY
from lib.safe_text import escape_markdown
from lib.themes import UNTHEMED, ThemeSettings
from lib.ui import campaigns as campaign_ui
from lib.ui import reading
from lib.ui import store as team_store
from lib.ui import themes as theme_ui
from lib.ui.view import current, memo

COMMENTS_PAGE = "app_pages/comments.py"
AUTOMATIC = "Automatic"
K_CHOICES = (AUTOMATIC, *(str(k) for k in range(2, ThemeSettings().k_max + 1)))
#: A theme's or a campaign's responses listed per page (a large one holds thousands; the browser gets one page).
PAGE_ROWS = 100
SHOWN = {"submitted_at": "Submitted", "page_label": "Page", "reaction": "Reaction", "role": "Role",
         "organisation": "Organisation", "summary": "Summary", "details": "Details"}


def counted(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def listed(responses):
    """Responses as the theme's and the campaign's lists show them: ``SHOWN``'s columns, short reactions."""
    return responses[list(SHOWN)].assign(reaction=c.short_reactions(responses["reaction"])).rename(columns=SHOWN)


def when(stamp) -> str:
    return stamp.astimezone(tz).strftime("%d/%m/%Y %H:%M") if stamp is not None else "–"


theme_ui.follow_to_comments(COMMENTS_PAGE)
v = current()
c, f, loaded = v.consultation, v.filters, v.loaded
tz = ZoneInfo(c.timezone)
state: theme_ui.ThemeState = v.team_themes
work = team_store.store(c)

st.title("Themes")
st.caption(
    "What the page feedback is about, found on this server: no comment leaves it, and no model is "
    "downloaded. One set of themes covers every kept page-feedback response (summary and details), so a "
    "theme means the same responses on every page and in every link, and the team corrects it once. "
    f"Here it is shown for the {counted(v.feedback_count, 'response')} under the sidebar filters.")

if state.store_problem:
    st.warning(f"{escape_markdown(state.store_problem)} Themes are shown without the team's corrections and "
               "can't be corrected now.", icon=":material/error:")

team = state.themes
if state.message or team is None:
    st.info(escape_markdown(state.message or "No themes yet."), icon=":material/info:")
else:
    team_k = team.run.k
    with st.container(key="themes_controls", horizontal=True, vertical_alignment="bottom"):
        choice = st.selectbox(
            "Number of themes", K_CHOICES, index=K_CHOICES.index(AUTOMATIC if team_k is None else str(team_k)),
            key="themes_k", bind="query-params", width=200,
            help=f"Automatic: {tt.k_rule()}. Choose a number to see the themes with that many; the team's "
                 "corrections are carried over.")
    wanted_k = None if choice == AUTOMATIC else int(choice)
    shown = team
    if wanted_k != team_k:
        found = theme_ui.preview(loaded, team, wanted_k)
        if isinstance(found, str):
            st.info(escape_markdown(found), icon=":material/info:")
        else:
            shown = found
            with st.container(key="themes_preview", border=True):
                now = "the automatic number" if team_k is None else str(team_k)
                st.markdown(f"**Preview: {counted(len(shown.labels), 'theme')}.** The team's themes use {now} "
                            f"({counted(len(team.labels), 'theme')}); the sidebar's theme filter, the Comments "
                            "page and \"you said, we did\" use those. Corrections are made on the team's themes.")
                if work is not None and team_store.may_edit():
                    st.button(f"Use {choice.lower()} themes for everyone" if wanted_k else
                              "Use the automatic number for everyone", key="themes_use_k",
                              icon=":material/group:", on_click=theme_ui.set_number, args=(loaded, work, wanted_k))

    run = shown.run
    unthemed = int(shown.sizes.get(UNTHEMED, 0))
    # each row's theme, worked out once per data and themes; the filtered rows' taken from it
    of = memo("themes_of_rows", (shown.key,), lambda: tt.row_themes(v.dataset.feedback, shown))
    rule = "chosen automatically" if run.k is None else f"set to {run.k} by the team"
    st.markdown(f"**{counted(len(shown.labels), 'theme')}** in {counted(run.responses, 'response')} "
                f"({unthemed:,} unthemed, in no theme rather than forced into the nearest). "
                f"Number of themes {rule}.")
    with st.expander("How themes are found", icon=":material/help:"):
        st.markdown(escape_markdown(
            f"On this server, with scikit-learn: the words and word pairs of each response's summary and details "
            f"(TF-IDF), reduced to about √n dimensions (LSA), grouped by average-linkage clustering. The automatic "
            f"number of themes is {tt.k_rule()}. A theme's label is its 2–4 most distinctive words (c-TF-IDF). "
            "Same data and settings, same themes. When responses are added or changed the themes are found again, "
            "matched to the previous ones by the responses they share, and the team's corrections reapplied. "
            "Method and measurements against a hand-labelled set: docs/themes.md."))
    st.caption(f"Found {when(run.computed_at) if shown.saved else 'just now'} over the data read "
               f"{when(run.data_loaded_at)}.")

    changes = [ch for ch in run.changes if ch.get("status") != "same" or ch.get("renamed")]
    if shown.saved and changes:
        with st.expander(f"What changed since the last run ({when(run.previous_at)}): "
                         f"{counted(len(changes), 'theme')}", icon=":material/difference:"):
            st.dataframe(
                [{"Theme": ch["theme"], "Label": ch["label"], "Was": ch["previous_label"] if ch.get("renamed") else "",
                  "Change": ch["status"], "Before": ch["before"], "Now": ch["after"]} for ch in changes],
                hide_index=True, key="themes_changes")
    if shown.skipped:
        st.warning("Some of the team's corrections no longer apply: " + "; ".join(
            escape_markdown(f"{tt.describe_edit(e, shown.labels)} ({why})") for e, why in shown.skipped),
            icon=":material/warning:")

    in_view = of[v.rows]   # each filtered response's theme, taken by position
    rows = tt.theme_rows(v.feedback_columns((IDENTITY, "reaction")), shown, c.short_reaction, of=in_view)
    choices = shown.choices()
    sizes = rows.set_index("theme")["responses"]
    st.plotly_chart(figures.count_bars(sizes, {UNTHEMED: figures.ZERO_COLOUR}, labels=choices),
                    key="themes_sizes_chart")
    st.dataframe(
        rows.rename(columns={"label": "Theme", "theme": "Id", "responses": "Responses", "share": "Share",
                             "overall": "All responses", "reaction_mix": "Reactions"}),
        hide_index=True, key="themes_table",
        column_order=["Theme", "Responses", "Share", "Reactions", "All responses", "Id"],
        column_config={"Share": st.column_config.ProgressColumn("Share", format="percent", min_value=0.0,
                                                                max_value=1.0, help="Of the responses under the filters"),
                       "All responses": st.column_config.NumberColumn(help="In every kept response, whatever the filters"),
                       "Reactions": st.column_config.TextColumn(width="large")})

    pick = st.selectbox("Theme", list(choices), format_func=choices.get, key=theme_ui.PICK_KEY, bind="query-params",
                        help="Choose a theme to read its responses, see where they came from and correct it.")
    row = rows.set_index("theme").loc[pick]
    members = tt.in_theme(v.dataset.feedback, shown, pick, of, rows=v.rows)
    with st.container(key="themes_detail", border=True):
        st.subheader(escape_markdown(choices[pick]), anchor=False)
        st.caption(f"{pick} · {counted(int(row['responses']), 'response')} under the filters, "
                   f"{int(row['overall']):,} in all")
        if len(members):
            st.markdown(f"**Reactions:** {escape_markdown(row['reaction_mix'])}")
        if shown is team:   # not a preview: the sidebar's theme filter knows these themes
            # a button, not a link: on a page change Streamlit keeps a bound filter's own value over a link's
            st.button(f"Read {'this response' if len(members) == 1 else f'these {len(members):,} responses'} "
                      "in Comments", icon=":material/forum:", key="themes_to_comments", disabled=members.empty,
                      on_click=theme_ui.open_in_comments, args=(pick,))
        if members.empty:
            st.caption("No response of this theme is under the filters.")
        else:
            auto = theme_ui.auto_run(loaded, run.k)
            vectors = None if isinstance(auto, str) else auto.vectors
            st.markdown("**Most representative**" if pick != UNTHEMED else "**Newest**")
            close = memo("themes_closeness", (shown.key, pick, vectors is not None),
                         lambda: tt.closeness(shown, pick, vectors))
            for i, (_, r) in enumerate(tt.representatives_in(members, shown, pick, vectors, of=of, close=close).iterrows()):
                with st.container(key=f"themes_example_{i}", border=True):
                    st.markdown(f"**{escape_markdown(r['summary'], limit=300)}**")
                    if str(r["details"]).strip():
                        st.markdown(escape_markdown(r["details"], multiline=True, limit=700))
                    reaction = c.short_reaction.get(r["reaction"], r["reaction"])
                    st.caption(" · ".join(escape_markdown(x) for x in (r["page_label"], r["role"], reaction) if x))
            st.markdown("**Where it came from** (responses by page and role group)")
            spread = tt.spread(members, shown, pick, list(v.dataset.pages["label"]), role_group_order(c), of=of)
            st.plotly_chart(figures.theme_spread_heatmap(spread), key="themes_spread_chart")

            editable = shown.saved and work is not None and team_store.may_edit() and state.current
            table = members.sort_values("submitted_at", ascending=False, na_position="last", kind="stable")
            # a page of the theme's responses at a time (a large theme holds thousands): a new theme,
            # correction or filter starts on the first page with nothing selected
            pager = f"themes_members_page_{cm.view_key(v.token, f, pick, shown.last_edit, run.version)}"
            pg = reading.page(len(table), PAGE_ROWS, pager)
            part = table.iloc[pg.start:pg.stop]
            shown_table = listed(part)
            st.markdown(f"**All {counted(len(table), 'response')} of this theme under the filters**"
                        + (f", newest first: {pg.start + 1:,}–{pg.stop:,} shown" if pg.pages > 1 else ""))
            event = st.dataframe(
                shown_table, hide_index=True, key=f"themes_members_{pick}_{shown.last_edit}_{run.version}_{pg.page}",
                on_select="rerun" if editable else "ignore", selection_mode="multi-row",
                height=min(38 + 35 * len(part), 420),
                column_config={"Submitted": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
                               "Summary": st.column_config.TextColumn(width="medium"),
                               "Details": st.column_config.TextColumn(width="large")})
            reading.pager(pg, pager)
            if editable:
                theme_ui.conflict_notice(shown)
                selected = [part.iloc[i][IDENTITY] for i in event.selection.rows if 0 <= i < len(part)]
                theme_ui.forms(work, shown, pick, selected)
            elif shown.saved and work is not None and not team_store.may_edit():
                st.caption("You see the team's corrected themes; analysts make the corrections.")
        if shown.edits:
            with st.expander(f"The team's corrections ({len(shown.edits)})", icon=":material/history:"):
                st.dataframe(theme_ui.history(shown, c.timezone), hide_index=True, key="themes_history",
                             column_config={"When": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")})

# -- campaigns ----------------------------------------------------------------------------------

with st.container(key="themes_campaigns"):
    st.subheader("Campaigns", anchor=False)
    found = campaign_ui.campaigns(loaded)
    st.caption("Separate responses with the same or nearly the same text: one letter sent by several people, "
               "each with small edits (a greeting, a closing line, another organisation). Texts of 12 words or "
               "more only, so short agreements and shared stock phrases are not a campaign. All kept page "
               "feedback, whatever the filters. *Count each campaign once* in the sidebar makes every chart "
               "count only each campaign's earliest response.")
    if not found:
        st.caption("No campaigns in these responses.")
    else:
        # the campaigns and their responses, whatever the filters: worked out once per data, not on every rerun
        everyone = memo("themes_campaign_rows", (), lambda: campaign_responses(kept(v.dataset.feedback), found, IDENTITY))
        show = memo("themes_campaigns_show", (), lambda: campaigns_display(found, everyone, c.timezone))
        st.dataframe(show, hide_index=True, key="themes_campaigns_table",
                     column_config={"First": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
                                    "Last": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
                                    "Letter": st.column_config.TextColumn(width="large")})
        names = {cp.id: f"{cp.id}: {cp.size} responses" for cp in found}
        picked = st.selectbox("Read the responses of", list(names), format_func=names.get, key="themes_campaign",
                              bind="query-params")
        chosen = next(cp for cp in found if cp.id == picked)
        letters = memo("themes_campaign_letters", (picked,), lambda: campaign_letters(everyone, chosen))
        # a page of a large campaign's responses at a time, like a theme's
        pager = f"themes_campaign_page_{cm.view_key(v.token, picked)}"
        pg = reading.page(len(letters), PAGE_ROWS, pager)
        if pg.pages > 1:
            st.caption(f"Earliest first: {pg.start + 1:,}–{pg.stop:,} of {len(letters):,} shown.")
        part = letters.iloc[pg.start:pg.stop]
        st.dataframe(listed(part), hide_index=True, key="themes_campaign_responses",
                     column_config={"Submitted": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
                                    "Details": st.column_config.TextColumn(width="large")})
        reading.pager(pg, pager)
