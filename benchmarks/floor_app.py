"""The floor for part 3 of ``make bench``: a bare Streamlit page with a title and one small Plotly
chart. Opening it in a fresh browser costs what any Streamlit page with a chart costs (loading
and compiling the front end and plotly.js), whatever the dashboard does."""

import plotly.graph_objects as go
import streamlit as st

st.title("Floor")
st.plotly_chart(go.Figure(go.Bar(x=list("abcdef"), y=[1, 3, 2, 5, 4, 6])), key="floor_chart")
