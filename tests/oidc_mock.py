"""A local OpenID Connect provider for tests: ``oidc-provider-mock`` served on 127.0.0.1 and a
free port from a thread of the test process, plus the ``[auth]`` secrets that point Streamlit at it.

The mock accepts any client id and secret and any redirect URI. Its login page is a form
where a person types a subject (``sub``) and presses *Authorize*; the claims of the identity
token are whatever was last ``PUT`` to ``/users/<sub>`` (``set_user``), filtered by the scopes
Streamlit asks for (``openid email profile``: ``email``/``email_verified``, ``name``,
``preferred_username``, …; non-standard claims such as ``hd`` always pass). A subject never
set gets ``{"email": sub}``. Everything uses 127.0.0.1, never ``localhost``: the issuer is
the host the request named, and Streamlit's sign-in cookie belongs to the host in
``redirect_uri``, so mixing the two breaks sign-in.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request

# Authlib puts an "always show" filter for its deprecation warnings first in line when first
# imported; imported here, at collection, pytest's own filters (pytest.ini) still come first in
# each test, so the mock's use of authlib.jose doesn't warn on every run.
import authlib.deprecate  # noqa: F401

#: A cookie secret long enough for lib.access (and for Streamlit's signing key).
COOKIE_SECRET = "test-cookie-secret-" + "x" * 40


class OidcProvider:
    """``oidc-provider-mock`` on ``http://127.0.0.1:<port>`` until ``close()``."""

    def __init__(self, *, require_nonce: bool = True):
        import werkzeug.serving
        from oidc_provider_mock import app

        self._server = werkzeug.serving.make_server("127.0.0.1", 0, app(require_nonce=require_nonce), threaded=True)
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="oidc-provider-mock", daemon=True)
        self._thread.start()

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def set_user(self, sub: str, **claims: object) -> None:
        """The claims the next sign-in as ``sub`` carries (replacing any set before)."""
        request = urllib.request.Request(
            f"{self.url}/users/{urllib.parse.quote(sub, safe='')}", method="PUT",
            data=json.dumps(claims).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status != 204:
                raise RuntimeError(f"the mock refused the user {sub!r}: HTTP {response.status}")

    def provider(self, **extra: object) -> dict[str, object]:
        """A provider section (``[auth]``'s own keys or an ``[auth.<name>]``) for this mock."""
        return {"client_id": "consultation-insight-test", "client_secret": "test-client-secret",
                "server_metadata_url": self.metadata_url, **extra}

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def auth_secrets(oidc: OidcProvider, app_port: int, *, named: tuple[str, ...] = (), **sections) -> dict:
    """Secrets for a Streamlit server on ``app_port`` signing in through ``oidc``: one provider directly
    under ``[auth]`` or, with ``named``, one ``[auth.<name>]`` per name; other sections as given
    (``access={...}``)."""
    auth: dict[str, object] = {"redirect_uri": f"http://127.0.0.1:{app_port}/oauth2callback",
                               "cookie_secret": COOKIE_SECRET}
    if named:
        for name in named:
            auth[name] = oidc.provider(label=f"Test accounts ({name})")
    else:
        auth.update(oidc.provider())
    return {"auth": auth, **sections}
