"""Who is looking: the sign-in gate, "Signed in as …" with sign-out, the analysts' "Show e-mail
addresses" switch, and the access record of sign-ins, refusals and reveals.

Decided afresh on every rerun from ``st.user`` and the ``[auth]``/``[access]`` secrets
(``lib.access``), so removing someone from the list takes effect on their next click. A
person who may not see the data gets the sign-in buttons, a polite refusal or a set-up
message, and the script stops before anything of the responses is read or sent.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ..access import AccessDecision, Role, Screen, decide, identify, load_policy
from ..access_record import record_access
from ..privacy import EmailLevel
from ..safe_text import escape_markdown

REVEAL_KEY = "sidebar_show_email"
RECORDED_KEY = "_access_recorded_as"
DECISION_KEY = "_access_decision"
PAGE_KEY = "_access_page"


def _record_once(decision: AccessDecision, page: str) -> None:
    """One sign-in or refusal line per session and identity."""
    viewer = decision.viewer
    if viewer.role is Role.ANONYMOUS or st.session_state.get(RECORDED_KEY) == viewer.who:
        return
    st.session_state[RECORDED_KEY] = viewer.who
    record_access("refusal" if viewer.role is Role.REFUSED else "sign-in", who=viewer.who, role=viewer.role,
                  page=page, detail=viewer.reason)


def _signed_in_block(decision: AccessDecision) -> None:
    """"Signed in as <name> (role)" and a sign-out button, in the sidebar."""
    viewer = decision.viewer
    if viewer.role is Role.ANONYMOUS:
        return
    with st.sidebar.container(key="sidebar_signed_in", horizontal=True, vertical_alignment="center"):
        st.caption(f":material/account_circle: Signed in as **{escape_markdown(viewer.name or viewer.who, limit=60)}**"
                   f" · {viewer.role}")
        if st.button("Sign out", key="sidebar_sign_out", icon=":material/logout:", type="tertiary"):
            st.logout()
            st.stop()


def gate(secrets: dict, source_kind: str, page: str) -> AccessDecision:
    """Let the viewer through to the data, or show why not and stop the script.

    ``source_kind``: the configured source (demo, workbook, upload or sheet).
    """
    policy = load_policy(secrets)
    decision = decide(policy, identify(policy, st.user), source_kind)
    st.session_state[DECISION_KEY] = decision
    st.session_state[PAGE_KEY] = page
    _record_once(decision, page)
    _signed_in_block(decision)
    if decision.screen is Screen.SIGN_IN:
        with st.container(key="access_sign_in"):
            st.title("Consultation Insight")
            st.markdown(escape_markdown(decision.message))
            for provider in decision.providers:
                if st.button(f"Sign in with {escape_markdown(provider.label)}", type="primary",
                             key=f"access_sign_in_{provider.name or 'default'}", icon=":material/login:"):
                    st.login(provider.name) if provider.name else st.login()
        st.stop()
    if decision.screen in (Screen.REFUSED, Screen.SET_UP):
        with st.container(key="access_gate"):
            st.title("Consultation Insight")
            st.warning(escape_markdown(decision.message), icon=":material/lock:")
        st.stop()
    if decision.screen is Screen.BANNER:
        with st.container(key="access_anonymous_banner"):
            st.warning(escape_markdown(decision.message), icon=":material/public:")
    return decision


def current() -> AccessDecision | None:
    """This run's decision (``gate`` has let the viewer through)."""
    return st.session_state.get(DECISION_KEY)


def email_level(decision: AccessDecision, where=None) -> EmailLevel:
    """How much e-mail this viewer receives; analysts get the "Show e-mail addresses" switch."""
    if not decision.may_reveal:
        return EmailLevel.NONE
    box = where if where is not None else st.sidebar

    def revealed() -> None:
        if st.session_state.get(REVEAL_KEY):
            viewer = decision.viewer
            record_access("reveal", who=viewer.who, role=viewer.role, page=st.session_state.get(PAGE_KEY, ""),
                          email=True)

    reveal = box.toggle("Show e-mail addresses", key=REVEAL_KEY, on_change=revealed,
                        help="For following a response up. E-mail addresses stay masked (s***@example.org) "
                             "unless this is on, for you only; switching it on is recorded.")
    return decision.email_level(bool(reveal))


def download_recorder() -> Callable[[str, int, bool, object], None]:
    """A function that writes one access-record line per download, for this run's viewer and page
    (made while the script runs: the file itself is built later, outside the run)."""
    decision = current()
    viewer = decision.viewer if decision else None
    page = st.session_state.get(PAGE_KEY, "")

    def record(name: str, rows: int, email: bool, filters: object) -> None:
        record_access("download", who=viewer.who if viewer else None, role=viewer.role if viewer else "",
                      page=page, filters=filters, rows=rows, email=email, detail=name)

    return record
