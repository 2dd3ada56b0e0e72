"""This session's data: the configured source read once for every session, or an uploaded
workbook; a plain message when it can't be read; the badge naming the source.

The read and normalisation are cached with ``st.cache_resource`` (shared by every session, one
entry per configuration, never copied: a rerun at 100k responses no longer unpickles 15 MB;
``lib.ui.view`` hands each run a shallow copy); what is worked out once per load travels with it
(``Loaded``).
An upload replaces the configured source for this session only; one that can't be read is
explained beside the uploader and the configured source stays on screen. The live Google
Sheet has its own shared feed (``lib.ui.live``).
"""

from __future__ import annotations

import io
import zipfile

import streamlit as st

from ..dataset import Loaded, prepare
from ..errors import SourceError
from ..safe_text import escape_markdown
from ..settings import Settings, load_dataset
from ..sources import read_upload
from . import config, live

UPLOAD_KEY = "sidebar_upload"
UPLOAD_NOTE_KEY = "sidebar_upload_note"
SOURCE_NAMES = {"demo": "the demo data", "workbook": "the workbook", "sheet": "the live Google Sheet"}
#: What an upload that is no workbook at all (a text file named .xlsx, say) gets: one plain
#: sentence, not the reader's technical reason.
NOT_A_WORKBOOK = "This file isn't an Excel workbook (.xlsx)."


def is_workbook(data: bytes) -> bool:
    """Whether ``data`` can be an .xlsx workbook at all: a zip archive with an ``xl/`` part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.startswith("xl/") for name in archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False


@st.cache_resource(show_spinner="Reading the responses…", max_entries=4)
def _load(settings: Settings) -> Loaded:
    """The configured source, read and normalised once for every session."""
    return prepare(load_dataset(settings))


@st.cache_resource(show_spinner="Reading the uploaded workbook…", max_entries=4, ttl=3600)
def _load_upload(file_id: str, name: str, _data: bytes, settings: Settings) -> Loaded | str:
    """An uploaded workbook, read and normalised once per upload (a plain message when it can't
    be read: kept too, so a bad file isn't read again on every rerun)."""
    if not is_workbook(_data):
        return NOT_A_WORKBOOK
    try:
        return prepare(load_dataset(settings, raw=read_upload(name, _data, settings.tabs)))
    except SourceError as exc:
        return str(exc)


def configured_kind() -> str:
    """The kind of source this session shows before any upload: demo, workbook or sheet (a setting
    that can't be used counts as the demo here: ``load`` then stops with its message)."""
    try:
        return config.settings().source_kind
    except SourceError:
        return "demo"


def upload_widget(where=None):
    """The sidebar's "Use a workbook instead" uploader; returns the place for its message."""
    box = where if where is not None else st.sidebar
    box.file_uploader(
        "Use a workbook instead", type=["xlsx"], key=UPLOAD_KEY,
        help="An .xlsx with the tabs Feedback and MainFeedback (the Google Sheet downloaded as Excel). "
             "It is read in memory for your session only.")
    return box.container(key=UPLOAD_NOTE_KEY)


def load(note=None) -> Loaded:
    """This session's data: the upload if there is a readable one, else the configured source
    (an unreadable upload is explained in ``note``, the uploader's message place).

    Stops the page with a plain message when the configured source can't be read or the
    settings can't be used; raises ``live.LiveSheetError`` when the live sheet has no data yet.
    """
    try:
        conf = config.settings()
    except SourceError as exc:
        _stop(exc)
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is not None:
        found = _load_upload(upload.file_id, upload.name, upload.getvalue(), conf)
        if isinstance(found, Loaded):
            return found
        fallback = SOURCE_NAMES.get(conf.source_kind, "the configured data")
        with note if note is not None else st.sidebar:
            st.error(f"{escape_markdown(found)} Remove it (×) to go back to {fallback}.",
                     icon=":material/error:")
    if conf.source_kind == "sheet":
        return live.read(conf)
    try:
        return _load(conf)
    except SourceError as exc:
        _stop(exc)


def _stop(exc: SourceError):
    """Say plainly why there is nothing to show, and stop the page."""
    st.error(f"**The data could not be loaded.** {escape_markdown(exc)}", icon=":material/error:")
    st.caption("Fix the workbook, or the source settings described in the README, then reload the page.")
    st.stop()


def badge(loaded: Loaded) -> None:
    """The badge naming the data source, shown at the top of every page."""
    info = loaded.dataset.info
    tz = loaded.dataset.consultation.timezone
    when = info.loaded_at.tz_convert(tz).strftime("%H:%M")
    if info.is_demo:
        st.badge("Demo data", icon=":material/science:", color="orange")
    elif info.kind == "upload":
        st.badge(f"Uploaded: {escape_markdown(info.name, limit=80, badge=True)} · loaded {when}", icon=":material/upload_file:",
                 color="blue")
    elif info.kind == "sheet":
        live.badge(loaded)
    else:
        st.badge(f"Workbook: {escape_markdown(info.name, limit=80, badge=True)} · loaded {when}", icon=":material/table:",
                 color="blue")
