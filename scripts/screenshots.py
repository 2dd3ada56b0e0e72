"""Screenshots of every page at a desktop (1440×900) and a phone (390×844) width, on the demo.

Starts its own Streamlit server on 127.0.0.1 and a free port, opens each page in headless
Chromium (Debian's ``/usr/bin/chromium``), waits until the run has finished and the charts are
drawn, and saves full-page PNGs under ``docs/screenshots/`` (``<page>-<width>.png``), plus
``docs/screenshot.png`` (the Overview at 1440 px, above the fold) for the README.

    .venv/bin/python scripts/screenshots.py [--pages overview,reactions] [--widths 1440,390]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PAGES = {"overview": "", "reactions": "reactions", "priorities": "priorities", "themes": "themes",
         "comments": "comments", "you-said-we-did": "you-said-we-did", "data-quality": "data_quality"}
SIZES = {1440: 900, 390: 844}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSIGHT_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("streamlit did not start")


def _settle(page) -> None:
    """Wait until the run has finished and every Plotly chart on the page has drawn."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
                           '[data-test-script-state="notRunning"]', timeout=120_000)
    # elements whose code is still loading are drawn as skeletons first; then every chart must draw
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]') && "
        "[...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(c => c.querySelector('svg.main-svg'))",
        timeout=120_000)
    page.evaluate("document.fonts.ready")


def _full_page(page, width: int, height: int, target: Path) -> None:
    """The whole page: Streamlit scrolls inside its own container, so the window is made as tall
    as that container's content for the shot (charts size to the width only), then restored."""
    tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, int(tall) + 20)})
    _settle(page)
    page.wait_for_timeout(500)  # let Plotly's resize handlers redraw (a drawing, not app state)
    page.screenshot(path=str(target), full_page=True)
    page.set_viewport_size({"width": width, "height": height})
    _shrink(target)


def _shrink(path: Path) -> None:
    """Store the PNG with a 256-colour palette (a third of the size; charts and text stay sharp)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--widths", default=",".join(str(w) for w in SIZES))
    parser.add_argument("--query", default="", help="a query string added to every page's address")
    parser.add_argument("--suffix", default="", help="added to the file names")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    proc, url = _serve()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            for width in (int(w) for w in args.widths.split(",")):
                context = browser.new_context(viewport={"width": width, "height": SIZES.get(width, 900)},
                                              device_scale_factor=1)
                page = context.new_page()
                for name in args.pages.split(","):
                    page.goto(f"{url}/{PAGES[name]}" + (f"?{args.query}" if args.query else ""))
                    _settle(page)
                    target = OUT / f"{name}-{width}{args.suffix}.png"
                    if name == "overview" and width == 1440 and not args.query and not args.suffix:
                        page.screenshot(path=str(PROJECT / "docs" / "screenshot.png"))
                        _shrink(PROJECT / "docs" / "screenshot.png")
                    _full_page(page, width, SIZES.get(width, 900), target)
                    print(target.relative_to(PROJECT))
                context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
