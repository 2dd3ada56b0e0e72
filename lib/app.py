"""Streamlit-facing glue: settings from secrets, the cached load, per-viewer policy, the
source badge and plain error display. The only module in ``lib`` that imports Streamlit.

The expensive part (reading and normalising) is cached once for all sessions
with ``st.cache_data`` (the live Google Sheet: one ``lib.sheets.LiveFeed`` per
configuration in ``st.cache_resource``, read at most once per TTL for everyone);
filters run outside the cache and the personal-data policy is applied per
viewer after it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

import pandas as pd
import streamlit as st

from .dataset import Dataset, compact, expand
from .errors import SourceError
from .exports import file_name, to_csv_bytes, to_xlsx_bytes
from .filters import (
    MULTI,
    PARAMS,
    FilterOptions,
    Filters,
    apply_feedback,
    from_query,
    is_known_param,
    options_for,
    slug,
)
from .privacy import apply_policy
from .safe_text import escape_markdown
from .settings import Settings, load_dataset, resolve_settings
from .sheets import FeedStatus, LiveFeed, SheetReader
from .sources import read_upload

log = logging.getLogger("consultation_insight")
UPLOAD_KEY = "sidebar_upload"
_run = threading.local()  # the dataset and filters of the script run under way (one thread per run)
NOTICES_KEY = "sidebar_link_notices"


def secrets() -> dict:
    """``st.secrets`` as a plain dict, or {} when no secrets file exists."""
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return st.secrets.to_dict()
    except Exception:  # a malformed secrets.toml: report, run on defaults
        log.exception("Could not read secrets")
        st.warning("The secrets file could not be read; running on the default settings.")
        return {}


def settings() -> Settings:
    """Settings resolved from ``st.secrets`` and the environment."""
    return resolve_settings(secrets(), os.environ)


@st.cache_data(show_spinner="Reading the responses…", max_entries=4)
def _load(settings: Settings) -> Dataset:
    """The configured source, read and normalised once for every session (compact to copy)."""
    return compact(load_dataset(settings))


@st.cache_data(show_spinner="Reading the uploaded workbook…", max_entries=4)
def _load_upload(name: str, data: bytes, settings: Settings) -> Dataset:
    """An uploaded workbook, read and normalised (cached by its bytes; compact to copy)."""
    return compact(load_dataset(settings, raw=read_upload(name, data, settings.tabs)))


def may_see_email() -> bool:
    """Whether this viewer may receive e-mail addresses (decided by access control; no by default)."""
    return False


def load_current() -> Dataset:
    """The dataset for this run (upload if any, else the configured source), after viewer policy.

    Shows a plain message and stops the page when the source cannot be read.
    """
    upload = st.session_state.get(UPLOAD_KEY)
    try:
        conf = settings()
        if upload is not None:
            ds = _load_upload(upload.name, upload.getvalue(), conf)
        elif conf.source_kind == "sheet":
            ds = _load_live(conf)
        else:
            ds = _load(conf)
    except LiveSheetError as exc:
        _live_failure(exc)
        st.stop()
    except SourceError as exc:
        st.error(f"**The data could not be loaded.** {escape_markdown(exc)}", icon=":material/error:")
        st.caption("Fix the workbook or the settings in `.streamlit/secrets.toml`, then reload the page.")
        st.stop()
    ds = apply_policy(expand(ds), may_see_email=may_see_email())
    _run.dataset = ds
    return ds


def dataset() -> Dataset:
    """The dataset loaded by ``dashboard.py`` for this run (pages call this)."""
    ds = getattr(_run, "dataset", None)
    return ds if ds is not None else load_current()


def source_badge(ds: Dataset) -> None:
    """The badge naming the data source, shown at the top of every page."""
    info = ds.info
    loaded = info.loaded_at.tz_convert(ds.consultation.timezone).strftime("%H:%M")
    if info.is_demo:
        st.badge("Demo data", icon=":material/science:", color="orange")
    elif info.kind == "upload":
        st.badge(f"Uploaded: {escape_markdown(info.name)} · loaded {loaded}", icon=":material/upload_file:", color="blue")
    elif info.kind == "sheet":
        _live_badge(ds)
    else:
        st.badge(f"Workbook: {escape_markdown(info.name)} · loaded {loaded}", icon=":material/table:", color="blue")


# -- the shared filters -----------------------------------------------------------------


_options_lock = threading.Lock()
_options_memo: dict[tuple, FilterOptions] = {}


def options(ds: Dataset) -> FilterOptions:
    """The filter choices for a loaded dataset, worked out once per load (not on every rerun).

    Keyed by what identifies a load (source, name, read time); shared by all sessions viewing it.
    """
    info = ds.info
    key = (info.kind, info.location, info.name, info.loaded_at, len(ds.feedback), len(ds.survey))
    with _options_lock:
        found = _options_memo.get(key)
    if found is None:
        found = options_for(ds)
        with _options_lock:
            if len(_options_memo) >= 8:
                _options_memo.pop(next(iter(_options_memo)))
            _options_memo[key] = found
    return found


def _date_bounds(opts: FilterOptions) -> tuple:
    return (opts.first_date, opts.last_date)


def _clear_filters() -> None:
    """Reset every filter widget (bound widgets are changed through session state)."""
    for name in MULTI:
        st.session_state[PARAMS[name]] = []
    st.session_state[PARAMS["include_spam"]] = False
    st.session_state[PARAMS["include_duplicates"]] = False
    # the date widget has a default (all dates): dropping its state returns it there, where
    # setting the state too would make Streamlit warn about a default and a state value
    st.session_state.pop(PARAMS["dates"], None)
    st.session_state.pop(NOTICES_KEY, None)


def _link_notices(opts: FilterOptions) -> list[str]:
    """Notices for unknown or invalid link parameters (unknown ones are removed from the URL)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    _, notices = from_query(params, opts)
    if notices:
        st.session_state[NOTICES_KEY] = notices
        for key in [k for k in params if not is_known_param(k)]:
            del st.query_params[key]
    return st.session_state.get(NOTICES_KEY, [])


def _restore_url_params() -> None:
    """Put a chosen filter back into the URL when the URL lost it but the filter still holds it.

    Streamlit drops a bound widget's parameter when a run ends without that widget (a run cut
    short by a page switch does); the widget keeps its value, so the view stays filtered while
    the address bar no longer says so. Re-assigning the same value through session state is
    the documented way to write a bound parameter, and it restores the link.
    """
    for name in (*MULTI, "include_spam", "include_duplicates"):
        key = PARAMS[name]
        value = st.session_state.get(key)
        if value and key not in st.query_params:
            st.session_state[key] = value


def filter_sidebar(ds: Dataset, where=None) -> Filters:
    """Draw the shared filters (in ``where``, the sidebar by default; mirrored in the URL)."""
    opts = options(ds)
    notices = _link_notices(opts)
    _restore_url_params()
    sb = where if where is not None else st.sidebar
    sb.subheader("Filters")
    for notice in notices:
        sb.caption(f":material/link_off: Link ignored: {escape_markdown(notice)}")
    values: dict = {}
    if opts.first_date:
        picked = sb.date_input(
            "Dates", value=_date_bounds(opts), min_value=opts.first_date, max_value=opts.last_date,
            key=PARAMS["dates"], bind="query-params", format="DD/MM/YYYY",
            help="Responses submitted on these days (UK time). Responses without a readable "
            "timestamp are left out when the range is narrowed.",
        )
        picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
        start = picked[0] if picked else None
        end = picked[1] if len(picked) > 1 else None
        values["date_from"] = start if start and start != opts.first_date else None
        values["date_to"] = end if end and end != opts.last_date else None
    labels = {
        "sections": "Section", "pages": "Page", "role_groups": "Role group", "roles": "Role",
        "reactions": "Reaction", "organisations": "Organisation",
    }
    for name in MULTI:
        choices = getattr(opts, name)
        values[name] = tuple(sb.multiselect(
            labels[name], list(choices), format_func=choices.get, key=PARAMS[name], bind="query-params",
            placeholder="Type to search" if name == "organisations" else "All",
        ))
    values["include_spam"] = sb.toggle("Include spam", key=PARAMS["include_spam"], bind="query-params",
                                       help="Rows whose hidden honeypot field was filled by a bot.")
    values["include_duplicates"] = sb.toggle(
        "Include duplicates", key=PARAMS["include_duplicates"], bind="query-params",
        help="The same response sent again within 10 minutes.")
    f = Filters(**values)
    total = len(apply_feedback(ds.feedback, Filters(include_spam=f.include_spam,
                                                    include_duplicates=f.include_duplicates)))
    shown = len(apply_feedback(ds.feedback, f))
    with sb.container(key="sidebar_count", horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{shown:,}** of {total:,} page responses")
        st.button("Clear filters", key="sidebar_clear", on_click=_clear_filters,
                  disabled=f.is_default and not notices, type="tertiary", icon=":material/filter_alt_off:")
    _run.filters, _run.options = f, opts
    return f


def filters() -> Filters:
    """The filters read by ``dashboard.py`` for this run (pages call this)."""
    return getattr(_run, "filters", None) or Filters()


def filter_options() -> FilterOptions:
    """The filter choices for this run (labels for links and captions)."""
    opts = getattr(_run, "options", None)
    return opts if opts is not None else options(dataset())


# -- downloads -------------------------------------------------------------------------


def download_buttons(make_frame: Callable[[], pd.DataFrame], base: str, key: str, *,
                     xlsx: bool = False, sheet: str = "Data", label: str = "Download CSV") -> None:
    """Download buttons for a table, built only when clicked, named after the filters and time.

    Every download in the dashboard goes through here and ``lib.exports`` (formula-safe CSV
    with BOM, XLSX without formulas or links); ``make_frame`` returns the viewer's frame, which
    has already passed the personal-data policy.
    """
    ds = dataset()
    stem = f"{base}_{slug(filters(), filter_options())}"
    now = pd.Timestamp.now(tz=ds.consultation.timezone)
    with st.container(horizontal=True, key=f"{key}_downloads"):
        st.download_button(label, data=lambda: to_csv_bytes(make_frame()), file_name=file_name(stem, "", now, "csv"),
                           mime="text/csv", key=f"{key}_csv", on_click="ignore", icon=":material/download:",
                           type="tertiary")
        if xlsx:
            st.download_button("Download Excel", data=lambda: to_xlsx_bytes(make_frame(), sheet),
                               file_name=file_name(stem, "", now, "xlsx"), key=f"{key}_xlsx", on_click="ignore",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               icon=":material/table_view:", type="tertiary")


# -- comments explorer -----------------------------------------------------------------


def session_memo(name: str, key: tuple, make: Callable[[], object]):
    """``make()``, remembered in this session while ``key`` and the viewer's data stay the same.

    One entry per ``name``: a page keeps its last filtered frame, so paging through or
    selecting rows of a large table doesn't filter and search it again. The key includes the
    loaded data's identity and the viewer's permission, so a reload or another policy misses.
    """
    info = dataset().info
    full = (info.kind, info.name, info.loaded_at, may_see_email(), *key)
    memo = st.session_state.setdefault("_memo", {})
    held = memo.get(name)
    if held is None or held[0] != full:
        held = memo[name] = (full, make())
    return held[1]


# -- changing the shared filters from a page (Reactions: chart selections) ----------------


def set_filters(changes: dict[str, tuple[str, ...]]) -> None:
    """Replace some shared filters (``Filters`` field → values), e.g. from a chart selection.

    Call it from an ``on_select``/``on_click`` callback: those run before the sidebar's
    widgets are drawn, and the widgets are bound to the URL, so the link follows.
    """
    for name, values in changes.items():
        st.session_state[PARAMS[name]] = list(values)


# -- the live Google Sheet ---------------------------------------------------------------

REFRESH_KEY = "sidebar_refresh"
LIVE_BOUNDS_KEY = "live_date_bounds"  # the date bounds this viewer's filters were drawn with
LIVE_TZ = "Europe/London"  # for times shown before any data (and its consultation) is loaded


class LiveSheetError(SourceError):
    """The live sheet could not be read and no earlier data is held to show instead."""

    def __init__(self, status: FeedStatus, conf: Settings):
        super().__init__(status.error or "The Google Sheet could not be read.")
        self.status, self.conf = status, conf


@st.cache_resource(show_spinner=False, max_entries=4)
def live_feed(conf: Settings) -> LiveFeed[Dataset]:
    """The feed shared by every session for this configuration; it keeps the client and tab list."""
    reader = SheetReader(conf.sheet, conf.tabs)
    return LiveFeed(lambda: load_dataset(conf, raw=reader.read()), conf.sheet.ttl)


def _clock(when: float | pd.Timestamp | None, tz: str = LIVE_TZ, seconds: bool = False) -> str:
    """A time of day (UK time) as HH:MM (or HH:MM:SS)."""
    if when is None:
        return "–"
    stamp = when if isinstance(when, pd.Timestamp) else pd.Timestamp(when, unit="s", tz="UTC")
    return stamp.tz_convert(tz).strftime("%H:%M:%S" if seconds else "%H:%M")


def _duration(seconds: float) -> str:
    """``300`` → "5 minutes", ``30`` → "30 seconds"."""
    for size, unit in ((3600, "hour"), (60, "minute"), (1, "second")):
        if seconds >= size and seconds % size == 0 or size == 1:
            n = seconds / size
            return f"{n:g} {unit}{'' if n == 1 else 's'}"
    return ""  # pragma: no cover


def _tick_every(conf: Settings) -> float:
    """How often an open page checks the feed (it reads only when due): the TTL, at most a minute."""
    return max(1.0, min(conf.sheet.ttl, 60.0))


def _live_ticker(feed: LiveFeed, version: int, every: float) -> None:
    """Rerun this viewer's page when the shared feed has read again (cheap: compares a number)."""

    @st.fragment(run_every=every)
    def live_ticker() -> None:
        if feed.get().version != version:
            st.rerun(scope="app")

    live_ticker()


def _load_live(conf: Settings) -> Dataset:
    """The live sheet's data from the shared feed; the sidebar's "Refresh now" forces a read."""
    feed = live_feed(conf)
    with st.sidebar:
        forced = st.button(
            "Refresh now", key=REFRESH_KEY, icon=":material/refresh:", type="tertiary",
            help=f"Read the Google Sheet again now (at most once every {_duration(feed.force_interval)} for all "
                 f"viewers). It is read every {_duration(conf.sheet.ttl)} anyway.")
        note = st.container(key=f"{REFRESH_KEY}_note")
    with st.spinner("Reading the Google Sheet…"):
        status = feed.get(force=forced)
    if status.refused_until is not None:
        note.caption(f"The sheet was read on request less than {_duration(feed.force_interval)} ago; "
                     f"it can be read again on request from {_clock(status.refused_until, seconds=True)}.")
    elif status.forced:
        note.caption("Could not read the sheet: see the message." if status.failing else
                     f"Read from Google at {_clock(status.loaded_at, seconds=True)}.")
    _run.live = (conf, feed, status)
    if status.data is None:
        raise LiveSheetError(status, conf)
    _follow_date_bounds(status.data)
    return status.data


def _follow_date_bounds(ds: Dataset) -> None:
    """When live data brings new dates, a viewer's untouched date range (all dates) grows with it,
    and a chosen range is kept within the new bounds, so new responses are never silently hidden."""
    opts = options(ds)
    if not opts.first_date:
        return
    bounds = _date_bounds(opts)
    old = st.session_state.get(LIVE_BOUNDS_KEY)
    st.session_state[LIVE_BOUNDS_KEY] = bounds
    value = st.session_state.get(PARAMS["dates"])
    if old is None or old == bounds or value is None:
        return
    picked = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if picked == old:
        st.session_state.pop(PARAMS["dates"], None)  # back to its default: all dates, now the new ones
    else:
        st.session_state[PARAMS["dates"]] = tuple(min(max(d, bounds[0]), bounds[1]) for d in picked)


def _live_failure(exc: LiveSheetError) -> None:
    """The message shown when the sheet can't be read and there is no earlier data."""
    status, conf = exc.status, exc.conf
    st.error(f"**The live Google Sheet could not be read.** {escape_markdown(exc)}", icon=":material/cloud_off:")
    st.caption(f"Fix it, then press **Refresh now** in the sidebar (or wait: the sheet is read again at "
               f"{_clock(status.next_read_at)}). The set-up steps are in the README and in "
               "`.streamlit/secrets.toml.example`.")
    _live_ticker(live_feed(conf), status.version, _tick_every(conf))


def _live_badge(ds: Dataset) -> None:
    """"Live: <title> · loaded HH:MM · next refresh HH:MM", and the banner while Google fails."""
    conf, feed, status = getattr(_run, "live", (None, None, None))
    tz = ds.consultation.timezone
    loaded = _clock(ds.info.loaded_at, tz)
    label = f"Live: {escape_markdown(ds.info.name)} · loaded {loaded}"
    if status is not None and status.next_read_at is not None:
        label += f" · next refresh {_clock(status.next_read_at, tz)}"
    failing = status is not None and status.failing
    st.badge(label, icon=":material/cloud_sync:", color="orange" if failing else "green")
    if failing:
        with st.container(key="live_banner"):
            st.warning(f"**Live data unavailable since {_clock(status.failed_since, tz)} — showing data loaded at "
                       f"{loaded}.** {escape_markdown(status.error)}", icon=":material/cloud_off:")
    if feed is not None:
        _live_ticker(feed, status.version, _tick_every(conf))
