"""AppTest helpers: the app resolved from this file, caches cleared between tests, the hand-counted
workbook as the configured source (``small``), charts and bars by key, badges and text as shown."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import plotly.io as pio
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboard.py"


@pytest.fixture(autouse=True)
def clean_state(monkeypatch, tmp_path):
    """Fresh caches, no source configured from the outside, and an analysis store of the test's own."""
    for name in ("INSIGHT_SOURCE", "INSIGHT_PAGES", "INSIGHT_CONSULTATION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSIGHT_STORE", f"sqlite+pysqlite:///{tmp_path / 'analysis.sqlite'}")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def new_app(page: str | None = None, *, secrets: dict | None = None, query: dict | None = None,
            user: dict | None = None) -> AppTest:
    """A run app (on ``page`` if given) with the given secrets, query string and viewer."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets = secrets or {}
    at.query_params = query or {}
    if user is not None:
        at.user = user
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _decode(obj):
    """Plotly's base64 typed arrays ({"dtype", "bdata"[, "shape"]}) → lists, recursively."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            if "shape" in obj:
                arr = arr.reshape([int(n) for n in str(obj["shape"]).split(",")])
            return arr.tolist()
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def chart(at: AppTest, key: str):
    """The Plotly figure drawn under widget ``key`` (decoded from the page's spec)."""
    for el in at.get("plotly_chart"):
        if el.proto.id.endswith(f"-{key}"):
            return pio.from_json(json.dumps(_decode(json.loads(el.proto.spec))))
    raise AssertionError(f"no chart with key {key!r}")


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def badges(at: AppTest) -> list[str]:
    """Badge texts (``st.badge`` renders as a Markdown badge directive)."""
    import re

    out = []
    for md in at.markdown:
        m = re.fullmatch(r":[a-z]+-badge\[(?::material/[a-z_]+: )?(.*)\]", md.value, re.S)
        if m:
            out.append(shown(m.group(1)))
    return out


def shown(markdown: str) -> str:
    """What a Markdown string displays as text: backslash escapes resolved."""
    import re

    from lib.safe_text import JOINER

    return re.sub(r"\\(.)", r"\1", markdown).replace(JOINER, "")


@pytest.fixture
def small(tmp_path, monkeypatch):
    """The hand-counted workbook of ``tests/small_workbook.py`` as the configured source."""
    from tests.small_workbook import write_small_workbook

    path = write_small_workbook(tmp_path / "small.xlsx")
    monkeypatch.setenv("INSIGHT_SOURCE", str(path))
    return path


def bars(at: AppTest, key: str, trace: int = 0) -> dict:
    """{category: value} of one trace of a bar chart (y → x for horizontal bars)."""
    data = chart(at, key).data[trace]
    return dict(zip(data.y, data.x)) if data.orientation == "h" else dict(zip(data.x, data.y))
