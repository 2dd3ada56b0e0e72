"""A scratch Streamlit app for the sign-in harness (not part of the dashboard).

It wires ``lib.access``, ``lib.privacy`` and ``lib.access_record`` the way the dashboard's app
layer is meant to, on two literal responses holding a planted e-mail address, so the browser
tests (tests/e2e/test_sign_in.py) and AppTest (tests/app/test_sign_in_app.py) can prove the
sign-in flow, the roles and the websocket check before the real dashboard is pointed at them.
Secrets: ``[auth]``, ``[access]``, and ``[scratch] source`` (the source kind the gate sees).
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from lib.access import Role, Screen, decide, identify, load_policy
from lib.access_record import recent_access, record_access
from lib.exports import to_csv_bytes
from lib.privacy import EmailLevel, protect_frame
from lib.safe_text import escape_markdown

PLANTED = "planted.person@example.org"
MARKER = "Planted summary 7f3a"
ROWS = pd.DataFrame({"summary": [MARKER, "A second response"],
                     "details": [f"Please write to {PLANTED} about this", ""],
                     "email": [PLANTED, ""]})
PAGE = "Scratch"


def secrets() -> dict:
    """``st.secrets`` as a plain dict ({} without a secrets file)."""
    return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}


conf = secrets()
policy = load_policy(conf)
viewer = identify(policy, st.user)  # on every rerun: a removal takes effect on the next click
decision = decide(policy, viewer, str(conf.get("scratch", {}).get("source", "demo")))

# what st.user holds, for the harness to read back (the claims are the viewer's own)
with st.container(key="user_claims"):
    st.code(json.dumps({k: st.user[k] for k in st.user if k != "tokens"}, sort_keys=True, default=str),
            language="json")
with st.container(key="role"):
    st.markdown(f"Role: **{viewer.role}** · screen: **{decision.screen}**")

# one sign-in or refusal line per session and identity
if viewer.role is not Role.ANONYMOUS and st.session_state.get("recorded_as") != viewer.who:
    st.session_state["recorded_as"] = viewer.who
    record_access("refusal" if viewer.role is Role.REFUSED else "sign-in", who=viewer.who, role=viewer.role,
                  page=PAGE, detail=viewer.reason)

if viewer.role in (Role.VIEWER, Role.ANALYST, Role.REFUSED):
    with st.sidebar:
        st.markdown(f"Signed in as **{escape_markdown(viewer.name)}** ({viewer.role})")
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.logout()  # the browser is sent to the provider's sign-out; draw nothing more meanwhile
            st.stop()

if decision.screen is Screen.SIGN_IN:
    st.info(decision.message)
    for provider in decision.providers:
        if st.button(f"Sign in with {escape_markdown(provider.label)}", key=f"sign_in_{provider.name or 'default'}"):
            st.login(provider.name)
    st.stop()
if decision.screen in (Screen.REFUSED, Screen.SET_UP):
    with st.container(key="gate_message"):
        st.warning(escape_markdown(decision.message), icon=":material/lock:")
    st.stop()
if decision.screen is Screen.BANNER:
    with st.container(key="anonymous_banner"):
        st.warning(decision.message, icon=":material/public:")


def _revealed() -> None:
    if st.session_state.get("show_email"):
        record_access("reveal", who=viewer.who, role=viewer.role, page=PAGE, rows=len(ROWS), email=True)


reveal = decision.may_reveal and st.toggle("Show e-mail addresses", key="show_email", on_change=_revealed)
level = decision.email_level(reveal)
frame = protect_frame(ROWS, level)
with st.container(key="responses"):
    st.dataframe(frame, hide_index=True)


def _csv() -> bytes:
    record_access("download", who=viewer.who, role=viewer.role, page=PAGE, rows=len(frame),
                  email=level is EmailLevel.FULL and "email" in frame.columns, detail="scratch.csv")
    return to_csv_bytes(frame)


st.download_button("Download CSV", data=_csv, file_name="scratch.csv", mime="text/csv", key="scratch_csv",
                   on_click="ignore")
if viewer.is_analyst:
    with st.container(key="access_record"):
        st.dataframe(recent_access(limit=20), hide_index=True)
