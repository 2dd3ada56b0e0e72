"""The Streamlit-facing layer: the only part of ``lib`` that imports Streamlit.

One job per module; pages import only what they draw:

- ``config``: secrets → ``Settings`` (what to read, from ``st.secrets`` and the environment).
- ``source``: this session's data: the configured source read once for every session
  (``st.cache_resource``), or an uploaded workbook; plain messages when it can't be read; the
  source badge.
- ``live``: the live Google Sheet: the feed shared by every session, *Refresh now*, the
  live badge, the failure banner and the self-refresh of open pages.
- ``sidebar``: the shared filters, bound to the URL (notices for bad links, the URL repaired
  when Streamlit drops a parameter, dates that follow the data).
- ``view``: this run's data, filters and choices, handed from ``dashboard.py`` to the page
  through session state, with the viewer's personal-data policy already applied.
- ``downloads``: the download buttons (every file goes through ``lib.exports``).
- ``selection``: a chart selection becomes a filter change.
- ``themes``: the team's themes, found once per load (cached), kept in the analysis store as one
  canonical run per collection, recomputed when the data changes; the correction forms.
- ``campaigns``: the campaigns of a load (cached), for "Count each campaign once" and the Themes page.
"""
