"""Browser helpers for signing in through the local OpenID Connect provider (tests/oidc_mock.py)
and for checking what the browser received over the websocket.

    oidc.set_user("ana", email="ana@council.gov.uk", email_verified=True)
    frames = FrameRecorder(page)                   # before the first page.goto
    sign_in(page, server.url, "ana", oidc)         # button → the mock's form → back, app settled
    frames.assert_never_received(PLANTED)
"""

from __future__ import annotations

import re

from tests.e2e.conftest import wait_for_app
from tests.oidc_mock import OidcProvider

SIGN_IN_BUTTON = re.compile(r"^Sign in with ")
#: Anything not served from this machine (the mock's pages link a stylesheet on a CDN).
_EXTERNAL = re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|blob:)")


def stay_offline(page) -> None:
    """Abort every request the page's context makes beyond 127.0.0.1 (no test touches the internet,
    and a CI machine without it could stall on the mock's stylesheet until a timeout)."""
    context = page.context
    if not getattr(context, "_insight_offline", False):
        context.route(_EXTERNAL, lambda route: route.abort())
        context._insight_offline = True


def sign_in(page, app_url: str, sub: str, oidc: OidcProvider, *, button: str | re.Pattern = SIGN_IN_BUTTON) -> None:
    """Open the app, press its sign-in ``button``, type ``sub`` into the mock's form, authorise, and
    wait until the app has run again signed in."""
    stay_offline(page)
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"{oidc.url}/oauth2/authorize?**")
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(re.compile(rf"^{re.escape(app_url)}/?(\?.*)?$"))
    wait_for_app(page)


def sign_out(page, app_url: str, oidc: OidcProvider, *, button: str = "Sign out") -> None:
    """Press the app's sign-out ``button``; confirm on the mock's end-session page; back on the app."""
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"{oidc.url}/oauth2/end_session?**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(rf"^{re.escape(app_url)}/?(\?.*)?$"))
    wait_for_app(page)


class FrameRecorder:
    """Every websocket frame the page receives from the moment it is attached (attach it before the
    first ``goto``: it follows every socket the page opens, across sign-in redirects).

    Streamlit's frames are protobuf bytes, tables inside them Arrow; text in either is plain
    UTF-8, so a string the browser received shows up in the raw bytes.
    """

    def __init__(self, page):
        self.frames: list[bytes] = []
        self.sockets: list[str] = []
        self.fetched_messages: list[str] = []
        page.on("websocket", self._opened)
        # Streamlit can also hand a cached message over HTTP (/_stcore/message); its body is not
        # checked here, so such a fetch fails the check rather than slipping past it
        page.on("request", lambda r: self.fetched_messages.append(r.url) if "/_stcore/message" in r.url else None)

    def _opened(self, ws) -> None:
        self.sockets.append(ws.url)
        ws.on("framereceived", lambda payload: self.frames.append(
            payload if isinstance(payload, bytes) else payload.encode("utf-8")))

    def received(self, text: str) -> int:
        """In how many frames ``text`` (UTF-8) appears."""
        needle = text.encode("utf-8")
        return sum(needle in frame for frame in self.frames)

    def assert_never_received(self, *texts: str) -> None:
        """None of ``texts`` appears in any frame received (and frames were received at all)."""
        assert self.frames, "no websocket frame was recorded: attach the recorder before page.goto"
        assert not self.fetched_messages, f"messages were fetched over HTTP, unchecked: {self.fetched_messages}"
        found = [t for t in texts if self.received(t)]
        assert not found, f"the browser received {found} over the websocket"
