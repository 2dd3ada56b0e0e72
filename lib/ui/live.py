"""The live Google Sheet in the dashboard: the feed shared by every session, *Refresh now*, the
"Live: …" badge, the banner while Google fails and the self-refresh of open pages.

One ``lib.sheets.LiveFeed`` per configuration lives in ``st.cache_resource``: it reads the
sheet at most once per TTL for everyone and keeps the last good data when a read fails.
What this session was shown (the feed's status) is kept in session state for the badge.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..dataset import Loaded, prepare
from ..errors import SourceError
from ..safe_text import escape_markdown
from ..settings import Settings, load_dataset
from ..sheets import FeedStatus, LiveFeed, SheetReader

REFRESH_KEY = "sidebar_refresh"
STATUS_KEY = "_live_status"   # (settings, status) of this session's last read of the feed
LIVE_TZ = "Europe/London"  # for times shown before any data (and its consultation) is loaded


class LiveSheetError(SourceError):
    """The live sheet could not be read and no earlier data is held to show instead."""

    def __init__(self, status: FeedStatus, conf: Settings):
        super().__init__(status.error or "The Google Sheet could not be read.")
        self.status, self.conf = status, conf


@st.cache_resource(show_spinner=False, max_entries=4)
def live_feed(conf: Settings) -> LiveFeed[Loaded]:
    """The feed shared by every session for this configuration; it keeps the client and tab list."""
    reader = SheetReader(conf.sheet, conf.tabs)
    return LiveFeed(lambda: prepare(load_dataset(conf, raw=reader.read())), conf.sheet.ttl)


def clock(when: float | pd.Timestamp | None, tz: str = LIVE_TZ, seconds: bool = False) -> str:
    """A time of day (UK time) as HH:MM (or HH:MM:SS)."""
    if when is None:
        return "–"
    stamp = when if isinstance(when, pd.Timestamp) else pd.Timestamp(when, unit="s", tz="UTC")
    return stamp.tz_convert(tz).strftime("%H:%M:%S" if seconds else "%H:%M")


def duration(seconds: float) -> str:
    """``300`` → "5 minutes", ``30`` → "30 seconds"."""
    for size, unit in ((3600, "hour"), (60, "minute"), (1, "second")):
        if seconds >= size and seconds % size == 0 or size == 1:
            n = seconds / size
            return f"{n:g} {unit}{'' if n == 1 else 's'}"
    return ""  # pragma: no cover


def _tick_every(conf: Settings) -> float:
    """How often an open page checks the feed (it reads only when due): the TTL, at most a minute."""
    return max(1.0, min(conf.sheet.ttl, 60.0))


def _ticker(feed: LiveFeed, version: int, every: float) -> None:
    """Rerun this viewer's page when the shared feed has read again (cheap: compares a number)."""

    @st.fragment(run_every=every)
    def live_ticker() -> None:
        if feed.get().version != version:
            st.rerun(scope="app")

    live_ticker()


def read(conf: Settings) -> Loaded:
    """The live sheet's data from the shared feed; the sidebar's "Refresh now" forces a read.

    Raises ``LiveSheetError`` when there is no data at all to show (call ``failure`` with it).
    """
    feed = live_feed(conf)
    with st.sidebar:
        forced = st.button(
            "Refresh now", key=REFRESH_KEY, icon=":material/refresh:", type="tertiary",
            help=f"Read the Google Sheet again now (at most once every {duration(feed.force_interval)} for all "
                 f"viewers). It is read every {duration(conf.sheet.ttl)} anyway.")
        note = st.container(key=f"{REFRESH_KEY}_note")
    with st.spinner("Reading the Google Sheet…"):
        status = feed.get(force=forced)
    if status.refused_until is not None:
        note.caption(f"The sheet was read on request less than {duration(feed.force_interval)} ago; "
                     f"it can be read again on request from {clock(status.refused_until, seconds=True)}.")
    elif status.forced:
        note.caption("Could not read the sheet: see the message." if status.failing else
                     f"Read from Google at {clock(status.loaded_at, seconds=True)}.")
    st.session_state[STATUS_KEY] = (conf, status)
    if status.data is None:
        raise LiveSheetError(status, conf)
    return status.data


def failure(exc: LiveSheetError) -> None:
    """The message shown when the sheet can't be read and there is no earlier data."""
    status, conf = exc.status, exc.conf
    st.error(f"**The live Google Sheet could not be read.** {escape_markdown(exc)}", icon=":material/cloud_off:")
    st.caption(f"Fix it, then press **Refresh now** in the sidebar (or wait: the sheet is read again at "
               f"{clock(status.next_read_at)}). The set-up steps are in the README and in "
               "`.streamlit/secrets.toml.example`.")
    _ticker(live_feed(conf), status.version, _tick_every(conf))


def badge(loaded: Loaded) -> None:
    """"Live: <title> · loaded HH:MM · next refresh HH:MM", and the banner while Google fails."""
    ds = loaded.dataset
    conf, status = st.session_state.get(STATUS_KEY, (None, None))
    tz = ds.consultation.timezone
    loaded_at = clock(ds.info.loaded_at, tz)
    label = f"Live: {escape_markdown(ds.info.name, limit=80, badge=True)} · loaded {loaded_at}"
    if status is not None and status.next_read_at is not None:
        label += f" · next refresh {clock(status.next_read_at, tz)}"
    failing = status is not None and status.failing
    st.badge(label, icon=":material/cloud_sync:", color="orange" if failing else "green")
    if failing:
        with st.container(key="live_banner"):
            st.warning(f"**Live data unavailable since {clock(status.failed_since, tz)} — showing data loaded at "
                       f"{loaded_at}.** {escape_markdown(status.error)}", icon=":material/cloud_off:")
    if conf is not None:
        _ticker(live_feed(conf), status.version, _tick_every(conf))
