"""Consultation Insight: the entry point. Page config, shared sidebar, source badge, navigation."""

import streamlit as st

from lib.ui import live, sidebar, source, view

st.set_page_config(page_title="Consultation Insight", page_icon=":material/forum:", layout="wide")

page = st.navigation(
    {
        "Insight": [
            st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
            st.Page("app_pages/reactions.py", title="Reactions", icon=":material/add_reaction:"),
            st.Page("app_pages/priorities.py", title="Priorities", icon=":material/leaderboard:"),
            st.Page("app_pages/comments.py", title="Comments", icon=":material/chat:"),
        ],
        "Data": [
            st.Page("app_pages/data_quality.py", title="Data quality", icon=":material/fact_check:"),
        ],
    }
)

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
ds = view.viewer_dataset(loaded)
filters = sidebar.draw(loaded, filter_box)
current = view.View(ds, filters, loaded.options, loaded.token, view.may_see_email())
view.publish(current)
sidebar.count(ds, filters, len(current.feedback), filter_box)
source.badge(loaded)
page.run()
