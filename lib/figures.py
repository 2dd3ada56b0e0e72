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


# -- Reactions page: reactions by category, the page heatmap, the net score ------------------
# Every selectable point carries its selection key (``lib.reactions.select_key``) first in
# ``customdata``; hover text only ever shows the numbers after it.

from .reactions import NET, RESPONSES, SMALL_N, Heat, ReactionTable, point_key, select_key  # noqa: E402

SMALL_COLOUR = "#F2F2F2"
SCALE_LOW = "#EAF2FA"


def wrap_label(text: object, width: int = 40) -> str:
    """``text`` escaped for Plotly and broken into lines of at most ``width`` characters."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(esc(line) for line in lines) or esc(text)


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
            elif heat.measure == NET and n < SMALL_N:
                trow.append(f"n={n}")
                hrow.append(f"small number: net score not shown (fewer than {SMALL_N} responses)")
            elif heat.measure == NET:
                trow.append(f"{v:+.0f}")
                hrow.append(f"net score {v:+.0f}")
            else:
                trow.append(f"{v:.0f}%")
                hrow.append(f"{esc(short.get(heat.measure, heat.measure))}: {v:.0f}%"
                            + (" (small number)" if n < SMALL_N else ""))
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


def net_score_bars(scores: pd.DataFrame, *, positive_colour: str, negative_colour: str) -> go.Figure:
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
        hovertemplate="%{y}<br>%{customdata[7]}: %{customdata[5]}% enthusiastic − %{customdata[6]}% disagree"
        "<br>of %{customdata[4]} responses<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=labels)
    fig.update_xaxes(range=[-130, 130], zeroline=True, zerolinecolor="#888888", tickvals=[-100, -50, 0, 50, 100])
    lines = sum(lab.count("<br>") for lab in labels)
    return _layout(fig, height=max(220, 26 * len(scores) + 12 * lines + 80),
                   xtitle="Net score (% enthusiastic − % disagree)")
