"""Plotly figures built from aggregates. All text from data is escaped (Plotly renders
a subset of HTML in labels and hover text), colours come from ``lib.consultation``."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .safe_text import esc_plotly as esc

FONT = "Source Sans Pro, Arial, sans-serif"
NEUTRAL = "#1F6FB2"
ZERO_COLOUR = "#B0B0B0"


def _layout(fig: go.Figure, *, height: int, xtitle: str = "", ytitle: str = "") -> go.Figure:
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=30, b=10), font_family=FONT,
        xaxis_title=xtitle, yaxis_title=ytitle, showlegend=False, bargap=0.25,
        hoverlabel=dict(font_family=FONT),
    )
    return fig


def count_bars(counts: pd.Series, colours: Mapping[str, str] | None = None, *,
               labels: Mapping[str, str] | None = None, what: str = "responses") -> go.Figure:
    """Horizontal bars, one per category in the given order (first at the top)."""
    names = [esc((labels or {}).get(k, k)) for k in counts.index]
    colour = [(colours or {}).get(k, NEUTRAL) for k in counts.index]
    fig = go.Figure(go.Bar(
        x=counts.to_numpy(), y=names, orientation="h", marker_color=colour,
        text=counts.to_numpy(), textposition="auto",
        hovertemplate="%{y}: %{x} " + esc(what) + "<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, height=max(180, 34 * len(counts) + 60), xtitle=f"Number of {what}")


def pages_bars(per_page: pd.DataFrame, *, what: str = "responses") -> go.Figure:
    """Responses per page in nav order, titles shown with their section; zero pages marked grey."""
    names = [esc(lab) for lab in per_page["label"]]
    fig = go.Figure(go.Bar(
        x=per_page["n"].to_numpy(), y=names, orientation="h",
        marker_color=[ZERO_COLOUR if n == 0 else NEUTRAL for n in per_page["n"]],
        text=[("none yet" if n == 0 else str(n)) for n in per_page["n"]], textposition="outside",
        customdata=[esc(p) for p in per_page["path"]],
        hovertemplate="%{y}<br>%{customdata}<br>%{x} " + esc(what) + "<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, height=max(240, 24 * len(per_page) + 80), xtitle=f"Number of {what}")


def over_time_bars(per_period: pd.DataFrame, *, what: str = "responses") -> go.Figure:
    """Responses per week (columns ``period``, ``n``)."""
    fig = go.Figure(go.Bar(
        x=per_period["period"], y=per_period["n"], marker_color=NEUTRAL,
        hovertemplate="Week of %{x|%d %b %Y}: %{y} " + esc(what) + "<extra></extra>",
    ))
    fig.update_xaxes(tickformat="%d %b")
    return _layout(fig, height=280, ytitle=f"{what.capitalize()} per week")
