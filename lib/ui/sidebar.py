"""The shared filters in the sidebar, bound to the URL so that a copied link reopens the view.

Before any widget reads the URL: parameters too long to be a filter are dropped, and the
rest are checked (``lib.filters.from_query``) so unknown or invalid ones become a notice
instead of an error. After a page switch Streamlit may drop a bound parameter from the URL
while the widget keeps its value; it is written back. When the data changes, the date range
follows it: a new source (an upload, another workbook) starts on its own full span, and
new live data widens an untouched range (a chosen one is kept within the new bounds).
"""

from __future__ import annotations

import streamlit as st

from ..dataset import Dataset, Loaded
from ..filters import MULTI, PARAMS, SWITCHES, FilterOptions, Filters, from_query, is_known_param, oversized
from ..safe_text import escape_markdown

NOTICES_KEY = "sidebar_link_notices"
DATA_KEY = "sidebar_data"   # (source, date bounds) the filters were last drawn for
LABELS = {"sections": "Section", "pages": "Page", "role_groups": "Role group", "roles": "Role",
          "reactions": "Reaction", "organisations": "Organisation", "statuses": "Triage status", "tags": "Tag",
          "themes": "Theme"}
HELP = {"statuses": "The team's triage of each response (set on the Comments page).",
        "tags": "Tags the team gave responses on the Comments page.",
        "themes": "The team's themes of the page feedback (found and corrected on the Themes page)."}
PLACEHOLDERS = {"organisations": "Type to search", "themes": "All (see the Themes page)"}


def _bounds(opts: FilterOptions) -> tuple:
    return (opts.first_date, opts.last_date)


def clear_filters() -> None:
    """Reset every filter widget (bound widgets are changed through session state)."""
    for name in MULTI:
        st.session_state[PARAMS[name]] = []
    for name in SWITCHES:
        st.session_state[PARAMS[name]] = False
    # the date widget has a default (all dates): dropping its state returns it there, where
    # setting the state too would make Streamlit warn about a default and a state value
    st.session_state.pop(PARAMS["dates"], None)
    st.session_state.pop(NOTICES_KEY, None)


def _link_notices(opts: FilterOptions) -> list[str]:
    """Notices for unknown, invalid or too-long link parameters (those are removed from the URL,
    too-long ones before any widget reads them)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    _, notices = from_query(params, opts)
    if notices:
        st.session_state[NOTICES_KEY] = notices
        for key in [k for k in params if not is_known_param(k) or k in oversized(params)]:
            del st.query_params[key]
    return st.session_state.get(NOTICES_KEY, [])


def _restore_url_params() -> None:
    """Put a chosen filter back into the URL when the URL lost it but the filter still holds it.

    Streamlit drops a bound widget's parameter when a run ends without that widget (a run cut
    short by a page switch does); the widget keeps its value, so the view stays filtered while
    the address bar no longer says so. Re-assigning the same value through session state is
    the documented way to write a bound parameter, and it restores the link.
    """
    for name in (*MULTI, *SWITCHES):
        key = PARAMS[name]
        value = st.session_state.get(key)
        if value and key not in st.query_params:
            st.session_state[key] = value


def _follow_the_data(loaded: Loaded) -> None:
    """Keep the filters valid for the data now shown (see the module docstring)."""
    opts = loaded.options
    bounds = _bounds(opts)
    before = st.session_state.get(DATA_KEY)
    st.session_state[DATA_KEY] = (loaded.source_token, bounds)
    if before is None:
        return
    old_source, old_bounds = before
    key = PARAMS["dates"]
    if old_source != loaded.source_token:
        st.session_state.pop(key, None)   # a new dataset: its own full span
        if key in st.query_params:
            del st.query_params[key]
        for name in MULTI:   # choices the new data doesn't have are dropped
            chosen = st.session_state.get(PARAMS[name])
            if chosen:
                st.session_state[PARAMS[name]] = [v for v in chosen if v in getattr(opts, name)]
        return
    value = st.session_state.get(key)
    if old_bounds == bounds or value is None or not opts.first_date:
        return
    picked = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if picked == old_bounds:
        st.session_state.pop(key, None)  # back to its default: all dates, now the new ones
    else:
        st.session_state[key] = tuple(min(max(d, bounds[0]), bounds[1]) for d in picked if d)


def draw(loaded: Loaded, where=None, options: FilterOptions | None = None) -> Filters:
    """Draw the shared filters (in ``where``, the sidebar by default; mirrored in the URL);
    ``options``: the choices when they differ from the load's (the store's tags added)."""
    opts = options or loaded.options
    notices = _link_notices(opts)
    _follow_the_data(loaded)
    _restore_url_params()
    sb = where if where is not None else st.sidebar
    sb.subheader("Filters")
    for notice in notices:
        sb.caption(f":material/link_off: Link ignored: {escape_markdown(notice)}")
    values: dict = {}
    if opts.first_date:
        picked = sb.date_input(
            "Dates", value=_bounds(opts), min_value=opts.first_date, max_value=opts.last_date,
            key=PARAMS["dates"], bind="query-params", format="DD/MM/YYYY",
            help="Responses submitted on these days (UK time). Responses without a readable "
            "timestamp are left out when the range is narrowed.",
        )
        picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
        start = picked[0] if picked else None
        end = picked[1] if len(picked) > 1 else None
        values["date_from"] = start if start and start != opts.first_date else None
        values["date_to"] = end if end and end != opts.last_date else None
    for name in MULTI:
        choices = getattr(opts, name)
        values[name] = tuple(sb.multiselect(
            LABELS[name], list(choices), format_func=choices.get, key=PARAMS[name], bind="query-params",
            placeholder=PLACEHOLDERS.get(name, "All"), help=HELP.get(name),
        ))
    values["include_spam"] = sb.toggle("Include spam", key=PARAMS["include_spam"], bind="query-params",
                                       help="Rows whose hidden honeypot field was filled by a bot.")
    values["include_duplicates"] = sb.toggle(
        "Include duplicates", key=PARAMS["include_duplicates"], bind="query-params",
        help="The same response sent again within 10 minutes.")
    values["count_once"] = sb.toggle(
        "Count each campaign once", key=PARAMS["count_once"], bind="query-params",
        help="A campaign is one letter sent by several people with small edits (found on the Themes page). "
        "On: every chart and count takes only its earliest response.")
    st.session_state["_sidebar_has_notices"] = bool(notices)
    return Filters(**values)


def count(ds: Dataset, f: Filters, shown: int, where=None) -> None:
    """"<shown> of <total> page responses" and the *Clear filters* button."""
    fb = ds.feedback
    left_out = (fb["is_spam"] & (not f.include_spam)) | (fb["is_duplicate"] & (not f.include_duplicates))
    total = int((~left_out).sum())
    sb = where if where is not None else st.sidebar
    with sb.container(key="sidebar_count", horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{shown:,}** of {total:,} page responses")
        st.button("Clear filters", key="sidebar_clear", on_click=clear_filters,
                  disabled=f.is_default and not st.session_state.get("_sidebar_has_notices"), type="tertiary",
                  icon=":material/filter_alt_off:")
