"""Plotly figures built from aggregates. All text from data is escaped (Plotly renders
a subset of HTML in labels and hover text), colours come from ``lib.consultation``."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .aggregates import SMALL_NUMBER
from .reactions import NET, RESPONSES, Heat, ReactionTable, point_key, select_key
from .safe_text import esc_plotly as esc

FONT = "Source Sans Pro, Arial, sans-serif"
NEUTRAL = "#1F6FB2"
ZERO_COLOUR = "#B0B0B0"


def wrap_label(text: object, width: int) -> str:
    """``text`` escaped for Plotly and wrapped at word boundaries into lines of about ``width``."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=False) or [""]
    return "<br>".join(esc(line) for line in lines)


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


# -- priorities: survey scores and activities ---------------------------------------------

#: Scores 1–5, from the lowest (left of zero) to the highest (right); 3 is neutral.
LIKERT_COLOURS = {1: "#B2182B", 2: "#EF8A62", 3: "#CFCFCF", 4: "#67A9CF", 5: "#2166AC"}
LIKERT_NAMES = {1: "1 (lowest)", 2: "2", 3: "3 (split at zero)", 4: "4", 5: "5 (highest)"}
HIGHLIGHT = "#009E73"
LINE_COLOUR = "#7A7A7A"
WHISKER_COLOUR = "rgba(90, 90, 90, 0.4)"   # light, so wide intervals of small groups don't hide the labels
#: The quadrant chart's fixed size: its labels are placed for this plot area, in pixels.
QUADRANT_SIZE = dict(width=900, height=620, l=70, r=20, t=40, b=60)
LABEL_FONT_PX = 11
LABEL_CHAR_PX = 6.0   # an estimate of one character's width at LABEL_FONT_PX (Source Sans Pro)
LABEL_LINE_PX = 14


def _pct_axis(fig: go.Figure, reach: float, **where) -> None:
    """A symmetric percentage axis around zero whose tick labels show distances (no minus)."""
    step = 25 if reach > 50 else 10
    ticks = [t for t in range(-int(reach // step) * step, int(reach // step) * step + 1, step) if abs(t) < reach]
    fig.update_xaxes(range=[-reach, reach], tickvals=ticks, ticktext=[f"{abs(t)}%" for t in ticks],
                     zeroline=True, zerolinecolor="#444", zerolinewidth=1, **where)


def likert_bars(shares: pd.DataFrame, order: list[str], titles: Mapping[str, str]) -> go.Figure:
    """Diverging stacked bars per idea (``order`` top to bottom), one panel per measure in
    ``titles``: each score's share drawn from its ``start`` to ``end`` (``lib.priorities.likert``)."""
    measures = list(titles)
    fig = make_subplots(rows=1, cols=len(measures), shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[esc(titles[m]) for m in measures])
    names = [wrap_label(i, 34) for i in order]
    reach = 0.0
    for col, measure in enumerate(measures, start=1):
        part = shares[shares["measure"] == measure]
        for score, colour in LIKERT_COLOURS.items():
            seg = part[part["score"] == score].set_index("idea").reindex(order)
            reach = max(reach, float(seg["end"].abs().max() or 0), float(seg["start"].abs().max() or 0))
            fig.add_trace(go.Bar(
                y=names, x=(seg["share"] * 100).round(2), base=(seg["start"] * 100).round(2), orientation="h",
                marker_color=colour, name=LIKERT_NAMES[score], legendgroup=str(score), showlegend=col == 1,
                customdata=list(zip([esc(i) for i in order], seg["n"].astype(int), seg["answered"].astype(int),
                                    (seg["share"] * 100).round(0))),
                hovertemplate=(f"%{{customdata[0]}}<br>{esc(titles[measure])}<br>Score {score}: "
                               "%{customdata[1]} of %{customdata[2]} (%{customdata[3]:.0f}%)<extra></extra>"),
            ), row=1, col=col)
    reach = min(100.0, max(50.0, (int(reach * 100) // 10 + 1) * 10))
    _pct_axis(fig, reach)
    fig.update_yaxes(autorange="reversed", automargin=True)
    _layout(fig, height=max(260, 40 * len(order) + 130))
    fig.update_layout(barmode="overlay", showlegend=True, bargap=0.3,
                      legend=dict(orientation="h", yanchor="bottom", y=1.06, x=0, title_text="Score"),
                      margin=dict(t=80))
    fig.update_annotations(font_size=13)
    return fig


def _box_overlap(a: tuple, b: tuple) -> float:
    """Overlapping area of two boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(px: list[float], py: list[float], sizes: list[tuple[float, float]], radii: list[float],
                 area: tuple[float, float], keep_clear: list[tuple] = ()) -> list[tuple[float, float]]:
    """Offsets (dx, dy) in pixels from each point to the centre of its label, so labels overlap
    neither each other, nor any point, nor ``keep_clear`` boxes, and stay inside ``area``
    (width, height; y grows downwards). Greedy: the most crowded points choose first, each
    taking the nearest free spot around it (the least-overlapping one when none is free)."""
    n = len(px)
    width, height = area
    dots = [(px[i] - radii[i], py[i] - radii[i], px[i] + radii[i], py[i] + radii[i]) for i in range(n)]
    crowd = [sum(1 for j in range(n) if j != i and abs(px[i] - px[j]) < 160 and abs(py[i] - py[j]) < 60)
             for i in range(n)]
    placed: list[tuple] = []
    out: list[tuple[float, float]] = [(0.0, 0.0)] * n
    for i in sorted(range(n), key=lambda k: (-crowd[k], k)):
        w, h = sizes[i]
        best, best_cost = None, None
        for gap in (4, 14, 28, 46, 70, 100, 140):
            r = radii[i] + gap
            for ux, uy in ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1)):
                dx = ux * (r + w / 2) if ux else 0.0
                dy = uy * (r * (0.7 if ux else 1) + h / 2) if uy else 0.0
                if ux and uy:
                    dx = ux * (r * 0.7 + w / 2)
                cx, cy = px[i] + dx, py[i] + dy
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                outside = (max(0, -box[0]) + max(0, box[2] - width)) * h + (max(0, -box[1]) + max(0, box[3] - height)) * w
                cost = outside * 10 + sum(_box_overlap(box, o) for o in [*placed, *keep_clear])
                cost += sum(_box_overlap(box, d) for d in dots)
                if best_cost is None or cost < best_cost:
                    best, best_cost = (dx, dy), cost
                if cost == 0:
                    break
            if best_cost == 0:
                break
        dx, dy = best
        out[i] = (dx, dy)
        placed.append((px[i] + dx - w / 2, py[i] + dy - h / 2, px[i] + dx + w / 2, py[i] + dy + h / 2))
    return out


def _label_size(label: str) -> tuple[float, float]:
    """Estimated pixel size of a wrapped, escaped label."""
    lines = [html.unescape(part) for part in label.split("<br>")]
    return max(len(line) for line in lines) * LABEL_CHAR_PX + 8, len(lines) * LABEL_LINE_PX + 4


def _axis_range(values: list[float], least: float = 1.5) -> list[float]:
    """A range on the 1–5 scale covering ``values`` with some room (at least ``least`` wide),
    never beyond 0.8–5.2."""
    finite = [v for v in values if v == v]
    low, high = (min(finite), max(finite)) if finite else (1.0, 5.0)
    widen = max(0.0, least - (high - low) - 0.5) / 2
    return [max(0.8, low - 0.25 - widen), min(5.2, high + 0.25 + widen)]


def quadrant_chart(table: pd.DataFrame, lines: Mapping[str, float], titles: Mapping[str, str], *,
                   highlight: str, what: str = "responses") -> go.Figure:
    """Mean of the first measure (x) against the second (y) per idea (``lib.priorities.idea_table``):
    bubble area ∝ ideas' ``n_any``, whiskers = the intervals, dashed lines at ``lines`` (overall
    means), the quadrant above both lines shaded and named ``highlight``, every idea labelled."""
    xm, ym = list(titles)
    shown = table.dropna(subset=[f"{xm}_mean", f"{ym}_mean"]).reset_index(drop=True)
    x, y = shown[f"{xm}_mean"].astype(float), shown[f"{ym}_mean"].astype(float)
    x_lo, x_hi = shown[f"{xm}_ci_low"].astype(float), shown[f"{xm}_ci_high"].astype(float)
    y_lo, y_hi = shown[f"{ym}_ci_low"].astype(float), shown[f"{ym}_ci_high"].astype(float)
    xr = _axis_range([*x, *x_lo, *x_hi, lines[xm]])
    yr = _axis_range([*y, *y_lo, *y_hi, lines[ym]])
    size = QUADRANT_SIZE
    area = (size["width"] - size["l"] - size["r"], size["height"] - size["t"] - size["b"])
    n = shown["n_any"].astype(int)
    biggest = max(int(n.max()) if len(n) else 1, 1)
    diameters = [max(8.0, 34.0 * (k / biggest) ** 0.5) for k in n]   # area ∝ n
    good = [q == highlight for q in shown["quadrant"]]

    def interval(lo, hi, k):
        return f"{lo:.2f}–{hi:.2f}" if lo == lo and hi == hi else ("undefined (1 score)" if k == 1 else "undefined")

    hover = [
        f"<b>{esc(r.idea)}</b><br>{esc(titles[xm])}: {getattr(r, xm + '_mean'):.2f} "
        f"(95% CI {interval(getattr(r, xm + '_ci_low'), getattr(r, xm + '_ci_high'), getattr(r, xm + '_n'))}, "
        f"n={getattr(r, xm + '_n')})<br>{esc(titles[ym])}: {getattr(r, ym + '_mean'):.2f} "
        f"(95% CI {interval(getattr(r, ym + '_ci_low'), getattr(r, ym + '_ci_high'), getattr(r, ym + '_n'))}, "
        f"n={getattr(r, ym + '_n')})<br>{r.n_any} {esc(what) if r.n_any != 1 else esc(what).rstrip('s')} scored it"
        for r in shown.itertuples()
    ]
    fig = go.Figure(go.Scatter(
        x=x, y=y, mode="markers",
        marker=dict(size=diameters, color=[HIGHLIGHT if g else NEUTRAL for g in good], opacity=0.75,
                    line=dict(width=1, color="white")),
        error_x=dict(type="data", array=(x_hi - x).fillna(0), arrayminus=(x - x_lo).fillna(0),
                     color=WHISKER_COLOUR, thickness=1.5, width=0),
        error_y=dict(type="data", array=(y_hi - y).fillna(0), arrayminus=(y - y_lo).fillna(0),
                     color=WHISKER_COLOUR, thickness=1.5, width=0),
        customdata=[esc(i) for i in shown["idea"]], hovertext=hover, hoverinfo="text",
    ))
    # the highlighted quadrant and the lines at the overall means (none without scores on both)
    if pd.isna(lines[xm]) or pd.isna(lines[ym]):
        return _layout(fig, height=size["height"])
    fig.add_shape(type="rect", x0=lines[xm], x1=xr[1], y0=lines[ym], y1=yr[1], fillcolor=HIGHLIGHT,
                  opacity=0.10, line_width=0, layer="below")
    for axis, value in (("x", lines[xm]), ("y", lines[ym])):
        fig.add_shape(type="line", line=dict(color=LINE_COLOUR, dash="dash", width=1), layer="below",
                      **({"x0": value, "x1": value, "y0": yr[0], "y1": yr[1]} if axis == "x"
                         else {"y0": value, "y1": value, "x0": xr[0], "x1": xr[1]}))
    corner = f"<b>{esc(highlight)}</b>"
    fig.add_annotation(x=xr[1], y=yr[1], xanchor="right", yanchor="top", text=corner, showarrow=False,
                       font=dict(color=HIGHLIGHT, size=12), name="highlight")

    def to_px(vx, vy):
        return ((vx - xr[0]) / (xr[1] - xr[0]) * area[0], (1 - (vy - yr[0]) / (yr[1] - yr[0])) * area[1])

    labels = [wrap_label(i, 24) for i in shown["idea"]]
    points = [to_px(a, b) for a, b in zip(x, y)]
    corner_w = len(highlight) * (LABEL_CHAR_PX + 1) + 10
    offsets = place_labels([p[0] for p in points], [p[1] for p in points], [_label_size(t) for t in labels],
                           [d / 2 for d in diameters], area, keep_clear=[(area[0] - corner_w, 0, area[0], 22)])
    for label, (dx, dy), vx, vy, d in zip(labels, offsets, x, y, diameters):
        fig.add_annotation(x=vx, y=vy, ax=dx, ay=dy, text=label, showarrow=True, arrowhead=0, arrowwidth=1,
                           arrowcolor="#9A9A9A", standoff=d / 2, font=dict(size=LABEL_FONT_PX, color="#222"),
                           bgcolor="rgba(255,255,255,0.7)", align="left", name="idea")
    _layout(fig, height=size["height"], xtitle=f"Mean {esc(titles[xm]).lower()} (1–5)",
            ytitle=f"Mean {esc(titles[ym]).lower()} (1–5)")
    fig.update_xaxes(range=xr, showgrid=False, zeroline=False)
    fig.update_yaxes(range=yr, showgrid=False, zeroline=False)
    fig.update_layout(width=size["width"], margin=dict(l=size["l"], r=size["r"], t=size["t"], b=size["b"]),
                      plot_bgcolor="white")
    return fig


def group_dots(groups: pd.DataFrame, order: list[str], titles: Mapping[str, str],
               colours: Mapping[str, str]) -> go.Figure:
    """Mean score per idea (``order`` top to bottom) and role group, one panel per measure;
    groups flagged ``small_group`` drawn as open circles and named "(small number)"."""
    measures = list(titles)
    fig = make_subplots(rows=1, cols=len(measures), shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[esc(titles[m]) for m in measures])
    names = [wrap_label(i, 34) for i in order]
    for group, part in groups[groups["respondents"] > 0].groupby("role_group", sort=False):
        part = part.set_index("idea").reindex(order)
        small = bool(part["small_group"].iloc[0])
        respondents = int(part["respondents"].iloc[0])
        label = f"{esc(group)} ({respondents}{', small number' if small else ''})"
        for col, measure in enumerate(measures, start=1):
            fig.add_trace(go.Scatter(
                x=part[f"{measure}_mean"].round(3), y=names, mode="markers", name=label, legendgroup=esc(group),
                showlegend=col == 1,
                marker=dict(size=10, color=colours.get(group, NEUTRAL), symbol="circle-open" if small else "circle",
                            line=dict(width=2, color=colours.get(group, NEUTRAL))),
                customdata=list(zip([esc(i) for i in order], part[f"{measure}_n"].astype(int))),
                hovertemplate=(f"{esc(group)}<br>%{{customdata[0]}}<br>{esc(titles[measure])}: "
                               "%{x:.2f} (n=%{customdata[1]})<extra></extra>"),
            ), row=1, col=col)
    fig.update_xaxes(range=[0.8, 5.2], tickvals=[1, 2, 3, 4, 5], showgrid=True, gridcolor="#EEE")
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=True, gridcolor="#F4F4F4")
    _layout(fig, height=max(260, 40 * len(order) + 140))
    fig.update_layout(showlegend=True, legend=dict(orientation="h", yanchor="bottom", y=1.06, x=0,
                                                   title_text="Role group (respondents)"), margin=dict(t=90))
    fig.update_annotations(font_size=13)
    return fig


def activity_section_bars(table: pd.DataFrame, sections: list[str]) -> go.Figure:
    """Ticks per longlist section (``sections`` top to bottom), stacked by its activities in
    longlist order (``lib.priorities.activity_table``; hover names the activity)."""
    shades = ("#1F6FB2", "#6BA3D6", "#B5D2EE", "#DCE9F6")
    fig = go.Figure()
    position = table.groupby("section", sort=False).cumcount()
    for k in range(int(position.max()) + 1 if len(table) else 0):
        part = table[position == k].set_index("section").reindex(sections)
        fig.add_trace(go.Bar(
            y=[esc(s) for s in sections], x=part["n"].fillna(0).astype(int), orientation="h",
            marker_color=shades[k % len(shades)], name=f"Activity {k + 1}",
            customdata=list(zip([wrap_label(a, 60) if a == a else "" for a in part["activity"]],
                                (part["share"].fillna(0) * 100).round(1))),
            hovertemplate="%{y}<br>%{customdata[0]}<br>%{x} ticks (%{customdata[1]:.0f}% of respondents)"
                          "<extra></extra>",
        ))
    totals = table.groupby("section", sort=False)["n"].sum().reindex(sections).fillna(0).astype(int)
    fig.add_trace(go.Scatter(x=totals.to_numpy(), y=[esc(s) for s in sections], mode="text",
                             text=[f" {t}" for t in totals], textposition="middle right", showlegend=False,
                             hoverinfo="skip", cliponaxis=False))
    fig.update_yaxes(autorange="reversed", automargin=True)
    _layout(fig, height=max(240, 30 * len(sections) + 90), xtitle="Ticks")
    fig.update_layout(barmode="stack", showlegend=False)
    return fig


def top_activity_bars(top: pd.DataFrame, *, colour: str = NEUTRAL) -> go.Figure:
    """Share of respondents ticking each activity (``top`` in order, first at the top)."""
    names = [f"<b>{esc(s)}</b>: {wrap_label(a, 70)}" for s, a in zip(top["section"], top["activity"])]
    share = (top["share"] * 100).round(1)
    fig = go.Figure(go.Bar(
        x=share, y=names, orientation="h", marker_color=colour, cliponaxis=False,
        text=[f"{n} ({p:.0f}%)" for n, p in zip(top["n"], share)], textposition="outside",
        customdata=top["n"].astype(int), hovertemplate="%{y}<br>%{customdata} ticks: %{x:.0f}% of respondents"
                                                       "<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(ticksuffix="%", range=[0, float(share.max() or 1) * 1.2])
    return _layout(fig, height=max(200, 44 * len(top) + 80), xtitle="Share of respondents who ticked it")


# -- Reactions page: reactions by category, the page heatmap, the net score ------------------
# Every selectable point carries its selection key (``lib.reactions.select_key``) first in
# ``customdata``; hover text only ever shows the numbers after it.


SMALL_COLOUR = "#F2F2F2"
SCALE_LOW = "#EAF2FA"


def _section_lines(sections: list[str]) -> list[dict]:
    """Dotted lines between runs of categories with different sections (categorical y axis)."""
    return [dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=i - 0.5, y1=i - 0.5,
                 line=dict(color="#C8C8C8", width=1, dash="dot"))
            for i in range(1, len(sections)) if sections[i] != sections[i - 1]]


def reaction_bars(table: ReactionTable, colours: Mapping[str, str], short: Mapping[str, str], *,
                  percent: bool, what: str = "responses") -> go.Figure:
    """Horizontal bars stacked by reaction, one per category in display order (first at the
    top): counts, or percentages of each category's responses; n at the end of each bar,
    "none yet" for a category without responses."""
    rows, shares = table.rows, table.shares()
    labels = [wrap_label(lab, 56) for lab in rows["label"]]
    fig = go.Figure()
    for r in table.reactions:
        name = esc(short.get(r, r))
        custom = [point_key(table.dimension, k, r) + [int(c), int(n), round(float(p), 1)]
                  for k, c, n, p in zip(rows["key"], table.counts[r], rows["n"], shares[r])]
        fig.add_trace(go.Bar(
            name=name, y=labels, x=(shares[r] if percent else table.counts[r]).to_numpy(), orientation="h",
            marker_color=colours.get(r, NEUTRAL), customdata=custom,
            hovertemplate="%{y}<br>" + name + ": %{customdata[4]} of %{customdata[5]} " + esc(what)
            + " (%{customdata[6]}%)<extra></extra>",
        ))
    top = 100 if percent else max(1, int(rows["n"].max()) if len(rows) else 1)
    notes = [dict(x=(100 if percent else n) if n else 0, y=lab, xref="x", yref="y", xanchor="left", xshift=4,
                  showarrow=False, font=dict(size=11, color="#555555"),
                  text=("none yet" if n == 0 else f"n={n}" if percent else str(n)))
             for lab, n in zip(labels, rows["n"])]
    fig.update_layout(barmode="stack", annotations=notes, showlegend=True,
                      shapes=_section_lines(list(rows["section"])) if table.dimension.name == "page" else [])
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=labels)
    fig.update_xaxes(range=[0, top * 1.12], ticksuffix="%" if percent else "")
    lines = sum(lab.count("<br>") for lab in labels)
    _layout(fig, height=max(220, 26 * len(rows) + 12 * lines + 110),
            xtitle=f"Share of the {what} (per cent)" if percent else f"Number of {what}")
    fig.update_layout(showlegend=True, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, traceorder="normal"))
    return fig


def _heat_text(heat: Heat, short: Mapping[str, str]) -> tuple[list[list[str]], list[list[str]]]:
    """Cell text and the value line of each cell's hover (our own wording, no data text)."""
    text, hover = [], []
    for key in heat.counts.index:
        trow, hrow = [], []
        for col in heat.columns:
            n, v = int(heat.counts.at[key, col]), heat.value.at[key, col]
            if n == 0:
                trow.append("0" if heat.measure == RESPONSES else "–")
                hrow.append("nobody from here has responded on this page")
            elif heat.measure == RESPONSES:
                trow.append(str(n))
                hrow.append("")
            elif heat.measure == NET and n < SMALL_NUMBER:
                trow.append(f"n={n}")
                hrow.append(f"small number: net score not shown (fewer than {SMALL_NUMBER} responses)")
            elif heat.measure == NET:
                trow.append(f"{v:+.0f}")
                hrow.append(f"net score {v:+.0f}")
            else:
                trow.append(f"{v:.0f}%")
                hrow.append(f"{esc(short.get(heat.measure, heat.measure))}: {v:.0f}%"
                            + (" (small number)" if n < SMALL_NUMBER else ""))
        text.append(trow)
        hover.append(hrow)
    return text, hover


def coverage_heatmap(heat: Heat, short: Mapping[str, str], *, colour: str, negative_colour: str = "") -> go.Figure:
    """Pages (rows, nav order) × role groups or roles (columns): responses, net score or a
    reaction's share per cell; cells nobody responded on are grey with "0" (or "–")."""
    ys = [wrap_label(lab, 36) for lab in heat.pages["label"]]
    upright = len(heat.columns) > 6  # many columns: labels turned upright to fit
    xs = [wrap_label(col, 30 if upright else 11) for col in heat.columns]
    text, hover = _heat_text(heat, short)
    zero = heat.zero.to_numpy()
    small = heat.small.to_numpy()
    value = heat.value.to_numpy()
    main_z = [[None if pd.isna(v) else float(v) for v in row] for row in value]
    main_text = [[t if not (zero[i][j] or small[i][j]) else "" for j, t in enumerate(row)]
                 for i, row in enumerate(text)]
    if heat.measure == RESPONSES:
        scale, zmin, zmax, title = [[0, SCALE_LOW], [1, colour]], 0, None, "Responses"
    elif heat.measure == NET:
        scale, zmin, zmax, title = [[0, negative_colour], [0.5, "#F7F7F7"], [1, colour]], -100, 100, "Net score"
    else:
        scale, zmin, zmax, title = [[0, "#FFFFFF"], [1, colour]], 0, 100, f"{esc(short.get(heat.measure, heat.measure))} %"
    fig = go.Figure(go.Heatmap(
        z=main_z, x=xs, y=ys, colorscale=scale, zmin=zmin, zmax=zmax, text=main_text, texttemplate="%{text}",
        hoverinfo="skip", xgap=2, ygap=2, showscale=False, textfont=dict(size=11), name=title,
    ))
    mark = [[1 if zero[i][j] else None for j in range(len(xs))] for i in range(len(ys))]
    fig.add_trace(go.Heatmap(
        z=mark, x=xs, y=ys, colorscale=[[0, ZERO_COLOUR], [1, ZERO_COLOUR]], showscale=False, hoverinfo="skip",
        text=[[text[i][j] if zero[i][j] else "" for j in range(len(xs))] for i in range(len(ys))],
        texttemplate="<b>%{text}</b>", textfont=dict(color="#222222", size=11), xgap=2, ygap=2, name="none",
    ))
    if small.any():
        fig.add_trace(go.Heatmap(
            z=[[1 if small[i][j] else None for j in range(len(xs))] for i in range(len(ys))], x=xs, y=ys,
            colorscale=[[0, SMALL_COLOUR], [1, SMALL_COLOUR]], showscale=False, hoverinfo="skip", xgap=2, ygap=2,
            text=[[text[i][j] if small[i][j] else "" for j in range(len(xs))] for i in range(len(ys))],
            texttemplate="%{text}", textfont=dict(color="#555555", size=10), name="small number",
        ))
    reaction = heat.measure if heat.measure not in (RESPONSES, NET) else ""
    which = "group" if heat.dimension.name == "role_group" else "role"
    px, py, custom = [], [], []
    for i, key in enumerate(heat.counts.index):
        for j, col in enumerate(heat.columns):
            px.append(xs[j])
            py.append(ys[i])
            custom.append(select_key(page=key, reaction=reaction, **{which: col})
                          + [int(heat.counts.at[key, col]), hover[i][j]])
    fig.add_trace(go.Scatter(
        x=px, y=py, mode="markers", customdata=custom, name="cells", showlegend=False,
        marker=dict(symbol="square", size=22, opacity=0, color="#000000"),
        selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0)),
        hovertemplate="%{y}<br>%{x}<br>%{customdata[4]} responses<br>%{customdata[5]}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=ys,
                     tickfont=dict(size=11))
    fig.update_xaxes(side="top", automargin=True, tickangle=-90 if upright else 0, tickfont=dict(size=10 if upright else 11),
                     categoryorder="array", categoryarray=xs)
    lines = sum(lab.count("<br>") for lab in ys)
    top = 170 if upright else 14 * max((lab.count("<br>") + 1 for lab in xs), default=1)
    _layout(fig, height=max(260, 30 * len(ys) + 10 * lines + top + 40))
    fig.update_layout(plot_bgcolor="#FFFFFF", margin=dict(l=10, r=10, t=10, b=10))
    return fig


def net_score_bars(scores: pd.DataFrame, *, positive_colour: str, negative_colour: str, positive: str,
                   negative: str) -> go.Figure:
    """Net score per category (``lib.reactions.score_order``: ranked first, best at the top,
    then small numbers without a bar), its n beside it."""
    labels = [wrap_label(lab, 56) for lab in scores["label"]]
    small = scores["small"].to_numpy()
    x = [0.0 if s else float(v) for s, v in zip(small, scores["score"])]
    text = [f"small number (n={n})" if s else f"{v:+.0f} · n={n}" for s, v, n in zip(small, scores["score"], scores["n"])]
    colour = [ZERO_COLOUR if s else positive_colour if v >= 0 else negative_colour for s, v in zip(small, x)]
    custom = [select_key(page=k) + [int(n), round(float(p), 1), round(float(q), 1),
                                    "not ranked (small number)" if s else f"rank {r}"]
              for k, n, p, q, s, r in zip(scores["key"], scores["n"], scores["positive_pct"],
                                          scores["negative_pct"], small, scores["rank"])]
    fig = go.Figure(go.Bar(
        x=x, y=labels, orientation="h", marker_color=colour, text=text, textposition="outside",
        cliponaxis=False, customdata=custom,
        hovertemplate="%{y}<br>%{customdata[7]}: %{customdata[5]}% " + esc(positive.lower()) + " − %{customdata[6]}% "
        + esc(negative.lower()) + "<br>of %{customdata[4]} responses<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=labels)
    fig.update_xaxes(range=[-130, 130], zeroline=True, zerolinecolor="#888888", tickvals=[-100, -50, 0, 50, 100])
    lines = sum(lab.count("<br>") for lab in labels)
    return _layout(fig, height=max(220, 26 * len(scores) + 12 * lines + 80),
                   xtitle=f"Net score (% {esc(positive.lower())} − % {esc(negative.lower())})")


# -- themes (the Themes page) -------------------------------------------------------------------


def theme_spread_heatmap(table: pd.DataFrame, *, colour: str = NEUTRAL, what: str = "responses") -> go.Figure:
    """One theme's responses: pages (rows, in the given order) × role groups (columns), counts;
    empty cells left white. Every label is escaped (page titles and group names are data)."""
    ys = [wrap_label(lab, 40) for lab in table.index]
    xs = [wrap_label(col, 14) for col in table.columns]
    counts = table.to_numpy()
    z = [[float(n) if n else None for n in row] for row in counts]
    text = [[str(int(n)) if n else "" for n in row] for row in counts]
    fig = go.Figure(go.Heatmap(
        z=z, x=xs, y=ys, colorscale=[[0, SCALE_LOW], [1, colour]], zmin=0, text=text, texttemplate="%{text}",
        xgap=2, ygap=2, showscale=False, textfont=dict(size=11),
        hovertemplate="%{y}<br>%{x}<br>%{z} " + esc(what) + "<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=ys,
                     tickfont=dict(size=11))
    fig.update_xaxes(side="top", automargin=True, categoryorder="array", categoryarray=xs, tickfont=dict(size=11))
    lines = sum(lab.count("<br>") for lab in ys)
    top = 14 * max((lab.count("<br>") + 1 for lab in xs), default=1)
    _layout(fig, height=max(200, 30 * len(ys) + 10 * lines + top + 40))
    fig.update_layout(plot_bgcolor="#FFFFFF", margin=dict(l=10, r=10, t=10, b=10))
    return fig
