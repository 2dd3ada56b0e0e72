"""Consultation Insight: the entry point. Page config, sign-in gate, shared sidebar, source badge,
navigation."""

import streamlit as st

from lib.filters import with_tags, with_themes
from lib.ui import access, config, live, sidebar, source, view
from lib.ui import campaigns as campaign_ui
from lib.ui import store as team_store
from lib.ui import themes as theme_ui

st.set_page_config(page_title="Consultation Insight", page_icon=":material/forum:", layout="wide")

page = st.navigation(
    {
        "Insight": [
            st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
            st.Page("app_pages/reactions.py", title="Reactions", icon=":material/add_reaction:"),
            st.Page("app_pages/priorities.py", title="Priorities", icon=":material/leaderboard:"),
            st.Page("app_pages/themes.py", title="Themes", icon=":material/category:"),
            st.Page("app_pages/comments.py", title="Comments", icon=":material/chat:"),
        ],
        "Team": [
            st.Page("app_pages/you_said.py", title="You said, we did", icon=":material/campaign:",
                    url_path="you-said-we-did"),
        ],
        "Data": [
            st.Page("app_pages/data_quality.py", title="Data quality", icon=":material/fact_check:"),
        ],
    }
)

# nothing of the responses is read or drawn before the gate has let this viewer through
decision = access.gate(config.secrets(), source.configured_kind(), page.title)
level = access.email_level(decision)   # analysts' "Show e-mail addresses", under "Signed in as"

# the data source first (compact, open while an upload is in use), then the filters
source_box = st.sidebar.expander("Data source", icon=":material/upload_file:",
                                 expanded=st.session_state.get(source.UPLOAD_KEY) is not None)
upload_note = source.upload_widget(source_box)
filter_box = st.sidebar.container(key="sidebar_filters")

try:
    loaded = source.load(upload_note)
except live.LiveSheetError as exc:
    live.failure(exc)
    st.stop()
ds = view.viewer_dataset(loaded, level)
work = team_store.store(ds.consultation)
# the team's themes: worked out (seconds, once per data) only where they are shown or filter the view
themes = theme_ui.state(loaded, work, compute=theme_ui.wanted(page.title))
options = with_themes(with_tags(loaded.options, team_store.tags_in_use(work)), themes.choices())
filters = sidebar.draw(loaded, filter_box, options)
once = campaign_ui.campaign_ids(loaded) if filters.count_once else None
current = view.View(ds, filters, options, loaded.token, level, team_store.triage_frame(work), themes.assignment(),
                    once, loaded, themes)
view.publish(current)
sidebar.count(ds, filters, current.feedback_count, filter_box)
source.badge(loaded)
page.run()
