"""Making untrusted text safe to show: escaped for Plotly labels and for Markdown."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=\"'&])")


def esc_plotly(text: object) -> str:
    """Text safe for Plotly labels and hover text (Plotly renders a subset of HTML)."""
    return html.escape(str(text), quote=False)


def escape_markdown(text: object) -> str:
    """Text shown literally by ``st.markdown`` (every Markdown/HTML special backslash-escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
