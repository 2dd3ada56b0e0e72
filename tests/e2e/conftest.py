"""Browser tests: a Streamlit server started here on 127.0.0.1 and a free port, polled on
``/_stcore/health``, driven by Playwright for Python with Debian's ``/usr/bin/chromium``.

Without chromium the tests are skipped with the reason, except under ``CI=true``,
where a missing browser fails the run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = PROJECT / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """``streamlit run <script>`` (the dashboard by default) in a subprocess, with its own environment.

    ``secrets``: a dict written to a temporary secrets.toml that the server reads instead of any
    other (``STREAMLIT_SECRETS_FILES``); the analysis store is a temporary SQLite file unless
    ``env`` names one (``INSIGHT_STORE``); ``port``: when the secrets must name it beforehand
    (``redirect_uri``), else a free one. ``script`` is relative to ``cwd`` (the project), whose
    ``.streamlit/config.toml`` applies and whose modules (``lib``, ``tests``) are importable.
    """

    def __init__(self, env: dict[str, str] | None = None, cwd: Path = PROJECT, *, script: str = "dashboard.py",
                 secrets: dict | None = None, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("INSIGHT_")}
        full_env.update(env or {})
        # the team's work goes to a store of this server's own unless the test names one
        self._store_dir = None
        if "INSIGHT_STORE" not in full_env:
            self._store_dir = tempfile.TemporaryDirectory(prefix="insight-store-")
            full_env["INSIGHT_STORE"] = f"sqlite+pysqlite:///{Path(self._store_dir.name) / 'analysis.sqlite'}"
        self._secrets_dir = None
        if secrets is not None:
            from tests.sheets_standin import toml_text

            self._secrets_dir = tempfile.TemporaryDirectory(prefix="insight-secrets-")
            path = Path(self._secrets_dir.name) / "secrets.toml"
            path.write_text(toml_text(secrets))
            full_env["STREAMLIT_SECRETS_FILES"] = str(path)
        self.log = (ARTIFACTS / f"server-{self.port}.log")
        ARTIFACTS.mkdir(exist_ok=True)
        self._log_fh = self.log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=cwd, env=full_env, stdout=self._log_fh, stderr=subprocess.STDOUT,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy in {timeout}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log_fh.close()
        for folder in (self._secrets_dir, self._store_dir):
            if folder is not None:
                folder.cleanup()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect

    # a 2-core CI machine running a Streamlit server and chromium needs more than the 5 s default
    expect.set_options(timeout=30_000)
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (make test installs Debian's chromium when run as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def small_server(tmp_path_factory) -> Iterator[StreamlitServer]:
    """One server for the session on the hand-counted workbook of ``tests/small_workbook.py``
    (``INSIGHT_SOURCE``), so browser tests write out what they expect."""
    from tests.small_workbook import write_small_workbook

    path = write_small_workbook(tmp_path_factory.mktemp("small") / "small.xlsx")
    server = StreamlitServer(env={"INSIGHT_SOURCE": str(path)})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_server() -> Iterator[StreamlitServer]:
    """One server for the session on the embedded demo (for what needs realistic volume: long
    pages on a phone, the reading view, downloads named after a group)."""
    server = StreamlitServer()
    yield server
    server.stop()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    # expect() has its own 5 s default, and wait_for_app can return before a slow first run has
    # even started drawing: on a busy machine that raced the first assertion of a fresh server.
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
    pg = context.new_page()
    yield pg
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def wait_for_app(page, timeout: float = 120_000) -> None:
    """Wait until the app is connected and its script run has finished.

    ``stApp`` reports ``data-test-script-state`` as ``initial`` → ``running`` → ``notRunning``;
    waiting for ``notRunning`` (not for a spinner to be absent) can't return before a first
    run has even started. The generous bound is for a cold cache on a busy 2-core machine.
    """
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]',
        timeout=timeout)


def wait_for_drawing(page, timeout: float = 120_000) -> None:
    """``wait_for_app``, then until no element is still a loading skeleton and every Plotly chart
    on the page has drawn (elements whose code loads lazily appear after the run has finished)."""
    wait_for_app(page, timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]') && "
        "[...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(c => c.querySelector('svg.main-svg'))",
        timeout=timeout)


def download(page, key: str, tmp_path: Path, kind: str = "csv", menu: str | None = None) -> Path:
    """Open the "Download" menu ``<menu>_downloads`` (``menu`` defaults to ``key``) and click its
    ``<key>_<kind>`` button (``csv`` or ``xlsx``); the file, saved under its suggested name."""
    menus = page.locator(f".st-key-{menu or key}_downloads")
    if menus.count():                 # the dashboard's sections; a button on its own is clicked directly
        menu_button = menus.get_by_role("button").first
        menu_button.scroll_into_view_if_needed()
        menu_button.click()
    button = page.locator(f".st-key-{key}_{kind}").get_by_role("button")
    with page.expect_download() as info:
        button.click()
    item = info.value
    path = tmp_path / item.suggested_filename
    item.save_as(path)
    if menus.count():
        page.keyboard.press("Escape")   # close the menu
    return path


def download_csv(page, key: str, tmp_path: Path, menu: str | None = None) -> tuple[str, bytes, list[dict[str, str]]]:
    """Download the CSV under widget ``key`` (from its section's menu); the file's name, its bytes
    (checked to start with the UTF-8 byte-order mark Excel needs) and its rows."""
    import csv
    import io

    path = download(page, key, tmp_path, "csv", menu)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return path.name, data, rows


def as_shown(text: str):
    """A pattern matching ``text`` as the page shows untrusted text: the invisible word joiners
    that ``lib.safe_text`` puts inside links, addresses and shortcodes may sit between any two
    characters."""
    import re

    from lib.safe_text import JOINER

    return re.compile(f"{JOINER}?".join(re.escape(ch) for ch in text))


# -- sign-in through a local OpenID Connect provider (tests/oidc_mock.py, tests/e2e/signin.py) --------


@pytest.fixture(scope="session")
def oidc():
    """``oidc-provider-mock`` on 127.0.0.1 and a free port, for the whole session."""
    from tests.oidc_mock import OidcProvider

    provider = OidcProvider()
    yield provider
    provider.close()


@pytest.fixture(scope="module")
def serve_signed_in(oidc):
    """Start Streamlit servers that sign in through ``oidc``:
    ``serve_signed_in(script="dashboard.py", named=(), **sections)`` → a ``StreamlitServer`` whose
    secrets are ``[auth]`` (one provider, or ``[auth.<name>]`` per name) plus ``sections``
    (``access={...}``, ``sheets={...}``). Stopped at the end of the module."""
    from tests.oidc_mock import auth_secrets

    servers: list[StreamlitServer] = []

    def serve(script: str = "dashboard.py", *, named: tuple[str, ...] = (), env: dict | None = None,
              **sections) -> StreamlitServer:
        port = free_port()
        servers.append(StreamlitServer(env, script=script, port=port,
                                       secrets=auth_secrets(oidc, port, named=named, **sections)))
        return servers[-1]

    yield serve
    for server in servers:
        server.stop()
