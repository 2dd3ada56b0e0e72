"""Consultation Insight: the entry point. Page config, shared sidebar, source badge, navigation."""

import streamlit as st

from lib import app

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

filter_box = st.sidebar.container(key="sidebar_filters")
with st.sidebar:
    st.divider()
    st.file_uploader(
        "Use a workbook instead",
        type=["xlsx"],
        key=app.UPLOAD_KEY,
        help="An .xlsx with the tabs Feedback and MainFeedback (the Google Sheet downloaded as Excel). "
        "It is read in memory for your session only.",
    )

ds = app.load_current()
app.filter_sidebar(ds, filter_box)
app.source_badge(ds)
page.run()
