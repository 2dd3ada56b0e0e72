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
from .reactions import NET, RESPONSES, Heat, ReactionTable, point_key, select_key, signed
from .safe_text import esc_plotly as esc
from .safe_text import shorten

FONT = "Source Sans Pro, Arial, sans-serif"
#: Counts carry no meaning in their colour: a neutral slate, never one of the reactions' colours
#: (colour on the dashboard means a reaction).
NEUTRAL = "#52677A"
ZERO_COLOUR = "#B0B0B0"
#: Fewer responses than ``SMALL_NUMBER`` behind a share: drawn faded and hatched.
SMALL_PATTERN = "/"
SMALL_OPACITY = 0.45
#: Bars that are not chosen in the filters, drawn behind the chosen ones.
FADED_OPACITY = 0.22
#: Axis labels: at most this many characters a line, and lines (the full text is in the hover).
LABEL_WIDTH = 28
LABEL_LINES = 2
#: Figures are drawn without Plotly's tool bar (it covered legends); use with st.plotly_chart.
CONFIG = {"displayModeBar": False}


def wrap_label(text: object, width: int) -> str:
    """``text`` escaped for Plotly and wrapped at word boundaries into lines of about ``width``."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=False) or [""]
    return "<br>".join(esc(line) for line in lines)


def axis_label(text: object, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """``text`` escaped for Plotly, wrapped into at most ``lines`` lines of at most ``width``
    characters, cut with "…" when longer (so a label never takes the chart's room on a phone);
    the full text belongs in the hover."""
    wrapped = textwrap.wrap(" ".join(str(text).split()), width=width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        last = wrapped[-1]
        wrapped[-1] = (last if len(last) < width else last[: width - 1].rstrip()) + "…"
    return "<br>".join(esc(line) for line in wrapped)


def unique(labels: list[str]) -> list[str]:
    """Category labels made distinct (two long titles may shorten alike): repeats get invisible
    zero-width spaces, so Plotly never draws two categories on one row."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        k = seen.get(label, 0)
        seen[label] = k + 1
        out.append(label + "\u200b" * k)
    return out


def row_height(labels: list[str], one_line: int = 24) -> int:
    """Pixels per category row: room for the tallest label (lines at 13 px) with a gap."""
    tallest = max((lab.count("<br>") + 1 for lab in labels), default=1)
    return max(one_line, 13 * tallest + 10)


def _layout(fig: go.Figure, *, height: int, xtitle: str = "", ytitle: str = "") -> go.Figure:
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=30, b=10), font_family=FONT,
        xaxis_title=xtitle, yaxis_title=ytitle, showlegend=False, bargap=0.25,
        hoverlabel=dict(font_family=FONT),
    )
    return fig


def _opacity(keys, chosen) -> list[float] | float:
    """Per-bar opacity: chosen bars full, the others faded (all full when nothing is chosen)."""
    chosen = set(chosen or ())
    return [1.0 if k in chosen else FADED_OPACITY for k in keys] if chosen else 1.0


#: Horizontal bar charts write each category's name above its bar, so the bars keep the whole
#: width (on a phone, names beside the bars left them a few pixels): rows of ``ROW_PX`` pixels,
#: the bar in the lower part of its row, the name (cut to ``LABEL_CHARS``, whole in the hover) above.
ROW_PX = 38
BAR_OFFSET, BAR_WIDTH = -0.02, 0.44
LABEL_CHARS = 52
#: The right-hand column of notes ("n=49", "+55 · n=49", "n=2 · small number"), in pixels.
NOTES_PX = 124
LABEL_PX = 11   # their font size: 52 characters fit a phone's chart (names may run over the notes' column,
                # which holds one line at the bar's height, below the name)
#: Pixels around the rows: the x axis and its title below, a little room above.
FRAME_PX = 70


#: Rows whose names take two lines: taller, the bar lower in its row.
ROW_PX_2, BAR_OFFSET_2, BAR_WIDTH_2 = 60, 0.1, 0.34


def bar_label(text: object, limit: int = LABEL_CHARS, lines: int = 1) -> str:
    """A category's name above its bar: on ``lines`` lines of at most ``limit`` characters (cut
    with "…" when longer), escaped."""
    if lines == 1:
        return esc(shorten(" ".join(str(text).split()), limit))
    return axis_label(text, limit, lines)


def bar_middle(i: int, lines: int = 1) -> float:
    """Where the middle of row ``i``'s bar is on the category axis."""
    offset, width = (BAR_OFFSET, BAR_WIDTH) if lines == 1 else (BAR_OFFSET_2, BAR_WIDTH_2)
    return i + offset + width / 2


def annotate(fig: go.Figure, notes: list[dict]) -> None:
    """Adds ``notes`` (annotation properties) to ``fig`` in one assignment: ``add_annotation``
    in a loop copies and re-validates every earlier annotation each time, which made a chart
    of 30 rows cost 0.3 s."""
    fig.layout.annotations = (*fig.layout.annotations, *notes)


def labelled_rows(fig: go.Figure, categories: list[str], labels: list[str], *, bold: list[bool] | None = None,
                  **axis) -> None:
    """Rows of a horizontal bar chart (``categories`` top to bottom) with ``labels`` written above
    their bars (annotations named "label"), the axis' own tick labels hidden."""
    n = len(categories)
    fig.update_yaxes(categoryorder="array", categoryarray=categories, showticklabels=False, range=[n - 0.5, -0.5],
                     automargin=False, title_text="",
                     showgrid=False, zeroline=False, **axis)
    annotate(fig, [dict(x=0, xref="paper", xanchor="left", y=i - 0.5, yref="y", yanchor="top", showarrow=False,
                        text=f"<b>{label}</b>" if bold and bold[i] else label, align="left", name="label",
                        bgcolor="rgba(255,255,255,0.85)",   # above a zero line, the name stays legible
                        font=dict(size=LABEL_PX, color="#31333F"))
                   for i, label in enumerate(labels)])


def bars_height(n: int, extra: int = 0, lines: int = 1) -> int:
    """A horizontal bar chart's height for ``n`` rows (``extra``: a legend or titles above)."""
    return max(160, n * (ROW_PX if lines == 1 else ROW_PX_2) + FRAME_PX + extra)


def count_bars(counts: pd.Series, colours: Mapping[str, str] | None = None, *,
               labels: Mapping[str, str] | None = None, what: str = "responses",
               chosen: tuple[str, ...] = ()) -> go.Figure:
    """Horizontal bars, one per category in the given order (first at the top), each with its
    count; ``chosen`` categories highlighted, the others faded but kept (a filter never hides
    the comparison)."""
    full = [esc((labels or {}).get(k, k)) for k in counts.index]
    names = unique(full)
    colour = [(colours or {}).get(k, NEUTRAL) for k in counts.index]
    fig = go.Figure(go.Bar(
        x=counts.to_numpy(), y=names, orientation="h", width=BAR_WIDTH, offset=BAR_OFFSET,
        marker=dict(color=colour, opacity=_opacity(counts.index, chosen)),
        text=counts.to_numpy(), textposition="outside", cliponaxis=False, customdata=full,
        hovertemplate="%{customdata}: %{x} " + esc(what) + "<extra></extra>",
    ))
    labelled_rows(fig, names, [bar_label((labels or {}).get(k, k)) for k in counts.index])
    fig.update_xaxes(range=[0, max(1, int(counts.max()) if len(counts) else 1) * 1.15])
    _layout(fig, height=bars_height(len(counts)), xtitle=f"Number of {what}")
    fig.update_layout(margin=dict(r=30))
    return fig


def pages_bars(per_page: pd.DataFrame, *, what: str = "responses") -> go.Figure:
    """Responses per page in nav order, titles shown with their section; zero pages marked grey."""
    full = [esc(lab) for lab in per_page["label"]]
    names = unique(full)
    fig = go.Figure(go.Bar(
        x=per_page["n"].to_numpy(), y=names, orientation="h", width=BAR_WIDTH, offset=BAR_OFFSET,
        marker_color=[ZERO_COLOUR if n == 0 else NEUTRAL for n in per_page["n"]],
        text=[("none yet" if n == 0 else str(n)) for n in per_page["n"]], textposition="outside",
        cliponaxis=False, customdata=full,
        hovertemplate="%{customdata}: %{x} " + esc(what) + "<extra></extra>",
    ))
    labelled_rows(fig, names, [bar_label(lab) for lab in per_page["label"]])
    top = max(1, int(per_page["n"].max()) if len(per_page) else 1)
    fig.update_xaxes(range=[0, top * 1.15])
    _layout(fig, height=bars_height(len(per_page)), xtitle=f"Number of {what}")
    fig.update_layout(margin=dict(r=50))
    return fig


def _day(d) -> str:
    return f"{d.day} {d:%b}"


def weekly_bars(weeks: pd.DataFrame, *, what: str = "responses") -> go.Figure:
    """Responses per week (``lib.aggregates.weekly``): one bar per week starting Monday, labelled
    with its Monday; weeks only partly inside the dates shown are hatched and paler, and say so."""
    labels = [_day(d) for d in weeks["week_start"]]
    partial = weeks["partial"].to_numpy() if len(weeks) else []
    hover = [
        f"Week of Monday {w:%d %b %Y}: {n} {esc(what)}"
        + (f"<br>partial week: {days} of 7 days ({_day(a)}–{_day(b)})" if p else "")
        for w, n, p, days, a, b in zip(weeks["week_start"], weeks["n"], partial, weeks["days"],
                                       weeks["first_day"], weeks["last_day"])]
    fig = go.Figure(go.Bar(
        x=labels, y=weeks["n"].to_numpy(), hovertext=hover, hoverinfo="text",
        marker=dict(color=NEUTRAL, opacity=[SMALL_OPACITY if p else 1.0 for p in partial],
                    pattern=dict(shape=[SMALL_PATTERN if p else "" for p in partial], fillmode="overlay",
                                 fgcolor="#FFFFFF", size=6)),
        text=[f"{n}<br><i>{days} days</i>" if p else str(n) for n, p, days in zip(weeks["n"], partial, weeks["days"])],
        textposition="outside", cliponaxis=False,
    ))
    fig.update_xaxes(type="category", title_text="Week starting (Monday, UK time)")
    top = max(1, int(weeks["n"].max()) if len(weeks) else 1)
    fig.update_yaxes(range=[0, top * 1.25])
    return _layout(fig, height=280, ytitle=f"{what.capitalize()} per week")


# -- priorities: survey scores and activities ---------------------------------------------

#: Scores 1–5, from the lowest (left of zero) to the highest (right); 3 is neutral.
LIKERT_COLOURS = {1: "#B2182B", 2: "#EF8A62", 3: "#CFCFCF", 4: "#67A9CF", 5: "#2166AC"}
LIKERT_NAMES = {1: "1 (lowest)", 2: "2", 3: "3 (split at zero)", 4: "4", 5: "5 (highest)"}
HIGHLIGHT = "#009E73"
LINE_COLOUR = "#7A7A7A"
WHISKER_COLOUR = "rgba(70, 70, 70, 0.45)"   # light, so wide intervals of small groups don't hide the labels
LEADER_COLOUR = "#C8C8C8"                   # leader lines: paler and thinner than the whiskers, no end caps
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
    ``titles``: each score's share drawn from its ``start`` to ``end`` (``lib.priorities.likert``);
    an idea scored by fewer than ``SMALL_NUMBER`` responses drawn faded and hatched."""
    measures = list(titles)
    fig = make_subplots(rows=1, cols=len(measures), shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=[esc(titles[m]) for m in measures])
    names = unique([esc(i) for i in order])
    reach = 0.0
    for col, measure in enumerate(measures, start=1):
        part = shares[shares["measure"] == measure]
        for score, colour in LIKERT_COLOURS.items():
            seg = part[part["score"] == score].set_index("idea").reindex(order)
            reach = max(reach, float(seg["end"].abs().max() or 0), float(seg["start"].abs().max() or 0))
            small = [0 < a < SMALL_NUMBER for a in seg["answered"]]
            fig.add_trace(go.Bar(
                y=names, x=(seg["share"] * 100).round(2), base=(seg["start"] * 100).round(2), orientation="h",
                width=BAR_WIDTH, offset=BAR_OFFSET,
                marker=dict(color=colour, opacity=[SMALL_OPACITY if k else 1.0 for k in small],
                            pattern=dict(shape=[SMALL_PATTERN if k else "" for k in small], fillmode="overlay",
                                         fgcolor="#FFFFFF", size=5)),
                name=LIKERT_NAMES[score], legendgroup=str(score), showlegend=col == 1,
                customdata=list(zip([esc(i) for i in order], seg["n"].astype(int), seg["answered"].astype(int),
                                    (seg["share"] * 100).round(0),
                                    ["<br>small number: fewer than 5 scores" if k else "" for k in small])),
                hovertemplate=(f"%{{customdata[0]}}<br>{esc(titles[measure])}<br>Score {score}: "
                               "%{customdata[1]} of %{customdata[2]} (%{customdata[3]:.0f}%)%{customdata[4]}"
                               "<extra></extra>"),
            ), row=1, col=col)
    reach = min(100.0, max(50.0, (int(reach * 100) // 10 + 1) * 10))
    _pct_axis(fig, reach)
    fig.update_annotations(font_size=13)   # the panels' titles
    labelled_rows(fig, names, [bar_label(i) for i in order])
    _layout(fig, height=bars_height(len(order), 90))
    fig.update_layout(barmode="overlay", showlegend=True,
                      legend=dict(orientation="h", yanchor="bottom", y=1.06, x=0, title_text="Score"),
                      margin=dict(t=90))
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
                   highlight: str, what: str = "responses", compact: bool = False) -> go.Figure:
    """Mean of the first measure (x) against the second (y) per idea (``lib.priorities.idea_table``):
    bubble area ∝ ideas' ``n_any``, whiskers (with end caps) = the intervals, dashed lines at
    ``lines`` (overall means), the quadrant above both lines shaded and named ``highlight``, every
    idea labelled beside its bubble (a thin leader line only when the label had to move away).

    ``compact``: for narrow screens, the chart follows the width and each bubble carries the
    idea's number in ``table`` order (``quadrant_numbers``) instead of its name."""
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
                     color=WHISKER_COLOUR, thickness=1.5, width=4),
        error_y=dict(type="data", array=(y_hi - y).fillna(0), arrayminus=(y - y_lo).fillna(0),
                     color=WHISKER_COLOUR, thickness=1.5, width=4),
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

    if compact:
        numbers = {idea: k for k, idea in quadrant_numbers(table)}
        fig.data[0].update(mode="markers+text", text=[str(numbers[i]) for i in shown["idea"]],
                           textposition="middle center", textfont=dict(color="white", size=10))
        _layout(fig, height=440, xtitle=f"Mean {esc(titles[xm]).lower()} (1–5)",
                ytitle=f"Mean {esc(titles[ym]).lower()} (1–5)")
        fig.update_xaxes(range=xr, showgrid=False, zeroline=False)
        fig.update_yaxes(range=yr, showgrid=False, zeroline=False)
        fig.update_layout(margin=dict(l=50, r=10, t=30, b=50), plot_bgcolor="white")
        return fig
    labels = [wrap_label(i, 24) for i in shown["idea"]]
    points = [to_px(a, b) for a, b in zip(x, y)]
    corner_w = len(highlight) * (LABEL_CHAR_PX + 1) + 10
    offsets = place_labels([p[0] for p in points], [p[1] for p in points], [_label_size(t) for t in labels],
                           [d / 2 for d in diameters], area, keep_clear=[(area[0] - corner_w, 0, area[0], 22)])
    notes = []
    for label, (dx, dy), vx, vy, d in zip(labels, offsets, x, y, diameters):
        w, h = _label_size(label)
        # the gap between the bubble's edge and the label's box: beside it, no line is needed
        gap = max(abs(dx) - w / 2, abs(dy) - h / 2) - d / 2
        notes.append(dict(x=vx, y=vy, ax=dx, ay=dy, text=label, showarrow=True, arrowhead=0,
                          arrowwidth=0.8 if gap > 12 else 0.1, arrowcolor=LEADER_COLOUR if gap > 12 else "rgba(0,0,0,0)",
                          standoff=d / 2 + 1, font=dict(size=LABEL_FONT_PX, color="#222"),
                          bgcolor="rgba(255,255,255,0.75)", align="left", name="idea"))
    annotate(fig, notes)
    _layout(fig, height=size["height"], xtitle=f"Mean {esc(titles[xm]).lower()} (1–5)",
            ytitle=f"Mean {esc(titles[ym]).lower()} (1–5)")
    fig.update_xaxes(range=xr, showgrid=False, zeroline=False)
    fig.update_yaxes(range=yr, showgrid=False, zeroline=False)
    fig.update_layout(width=size["width"], margin=dict(l=size["l"], r=size["r"], t=size["t"], b=size["b"]),
                      plot_bgcolor="white")
    return fig


def quadrant_numbers(table: pd.DataFrame) -> list[tuple[int, str]]:
    """(number, idea) for the compact quadrant chart: the ideas of ``table`` numbered in order."""
    return [(k, idea) for k, idea in enumerate(table["idea"], start=1)]


#: Role groups in dot charts are told apart by symbol (their colours are neutral shades).
GROUP_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down")


def group_dots(groups: pd.DataFrame, order: list[str], titles: Mapping[str, str],
               colours: Mapping[str, str]) -> go.Figure:
    """Mean score per idea (``order`` top to bottom) and role group, one panel per measure;
    each group its own symbol (and neutral shade); groups flagged ``small_group`` drawn open
    and named "(small number)"."""
    measures = list(titles)
    fig = make_subplots(rows=1, cols=len(measures), shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=[esc(titles[m]) for m in measures])
    shown = groups[groups["respondents"] > 0]
    for k, (group, part) in enumerate(shown.groupby("role_group", sort=False)):
        part = part.set_index("idea").reindex(order)
        small = bool(part["small_group"].iloc[0])
        respondents = int(part["respondents"].iloc[0])
        label = f"{esc(group)} ({respondents}{', small number' if small else ''})"
        symbol = GROUP_SYMBOLS[k % len(GROUP_SYMBOLS)]
        colour = colours.get(group, NEUTRAL)
        for col, measure in enumerate(measures, start=1):
            fig.add_trace(go.Scatter(
                x=part[f"{measure}_mean"].round(3), y=[bar_middle(i) for i in range(len(order))], mode="markers",
                name=label, legendgroup=esc(group), showlegend=col == 1,
                marker=dict(size=10, color=colour, symbol=f"{symbol}-open" if small else symbol,
                            line=dict(width=2 if small else 1, color=colour if small else "white")),
                customdata=list(zip([esc(i) for i in order], part[f"{measure}_n"].astype(int))),
                hovertemplate=(f"{esc(group)}<br>%{{customdata[0]}}<br>{esc(titles[measure])}: "
                               "%{x:.2f} (n=%{customdata[1]})<extra></extra>"),
            ), row=1, col=col)
    fig.update_xaxes(range=[0.8, 5.2], tickvals=[1, 2, 3, 4, 5], showgrid=True, gridcolor="#EEE")
    fig.update_annotations(font_size=13)   # the panels' titles
    # dots on a numeric axis at the middle of each row, names above them as on the bar charts
    n = len(order)
    fig.update_yaxes(range=[n - 0.5, -0.5], showticklabels=False, showgrid=True, gridcolor="#F4F4F4", zeroline=False,
                     tickvals=[bar_middle(i) for i in range(n)])
    annotate(fig, [dict(x=0, xref="paper", xanchor="left", y=i - 0.5, yref="y", yanchor="top", showarrow=False,
                        text=bar_label(idea), align="left", name="label", font=dict(size=LABEL_PX, color="#31333F"))
                   for i, idea in enumerate(order)])
    # a legend one group a line: its height is known whatever the width, so the rows keep theirs
    legend_px = 24 * (len(shown["role_group"].unique()) + 1) + 30
    _layout(fig, height=bars_height(n, legend_px))
    fig.update_layout(showlegend=True, legend=dict(orientation="v", yanchor="bottom", y=1.04, x=0,
                                                   title_text="Role group (respondents)"),
                      margin=dict(t=legend_px))
    return fig


#: Shades of the neutral colour for a section's activities, first to last.
ACTIVITY_SHADES = ("#3E5366", "#7D90A3", "#BAC7D4", "#DDE4EA")


def activity_section_bars(table: pd.DataFrame, sections: list[str]) -> go.Figure:
    """Ticks per longlist section (``sections`` top to bottom), stacked by its activities in
    longlist order (``lib.priorities.activity_table``; hover names the activity)."""
    fig = go.Figure()
    names = unique([esc(x) for x in sections])
    position = table.groupby("section", sort=False).cumcount()
    for k in range(int(position.max()) + 1 if len(table) else 0):
        part = table[position == k].set_index("section").reindex(sections)
        fig.add_trace(go.Bar(
            y=names, x=part["n"].fillna(0).astype(int), orientation="h", width=BAR_WIDTH, offset=BAR_OFFSET,
            marker_color=ACTIVITY_SHADES[k % len(ACTIVITY_SHADES)], name=f"Activity {k + 1}",
            customdata=list(zip([wrap_label(a, 60) if a == a else "" for a in part["activity"]],
                                (part["share"].fillna(0) * 100).round(1), [esc(x) for x in sections])),
            hovertemplate="%{customdata[2]}<br>%{customdata[0]}<br>%{x} ticks (%{customdata[1]:.0f}% of respondents)"
                          "<extra></extra>",
        ))
    totals = table.groupby("section", sort=False)["n"].sum().reindex(sections).fillna(0).astype(int)
    fig.add_trace(go.Scatter(x=totals.to_numpy(), y=[bar_middle(i) for i in range(len(sections))], yaxis="y2",
                             mode="text", text=[f" {t}" for t in totals], textposition="middle right",
                             showlegend=False, hoverinfo="skip", cliponaxis=False))
    labelled_rows(fig, names, [bar_label(x) for x in sections])
    n = len(sections)
    fig.update_layout(yaxis2=dict(overlaying="y", range=[n - 0.5, -0.5], visible=False))
    fig.update_xaxes(range=[0, max(1, int(totals.max()) if len(totals) else 1) * 1.15])
    _layout(fig, height=bars_height(n), xtitle="Ticks")
    fig.update_layout(barmode="stack", showlegend=False, margin=dict(r=30))
    return fig


def top_activity_bars(top: pd.DataFrame, *, colour: str = NEUTRAL, small: bool = False) -> go.Figure:
    """Share of respondents ticking each activity (``top`` in order, first at the top), each bar
    with its count and share; ``small``: shares of fewer than ``SMALL_NUMBER`` respondents,
    drawn faded and hatched."""
    names = unique([f"{esc(a)}" for a in top["activity"]])
    share = (top["share"] * 100).round(1)
    fig = go.Figure(go.Bar(
        x=share, y=names, orientation="h", cliponaxis=False, width=BAR_WIDTH_2, offset=BAR_OFFSET_2,
        marker=dict(color=colour, opacity=SMALL_OPACITY if small else 1.0,
                    pattern=dict(shape=SMALL_PATTERN if small else "", fillmode="overlay", fgcolor="#FFFFFF", size=6)),
        text=[f"{n} ({p:.0f}%)" for n, p in zip(top["n"], share)], textposition="outside",
        customdata=list(zip(top["n"].astype(int), [f"<b>{esc(s)}</b>: {wrap_label(a, 70)}"
                                                   for s, a in zip(top["section"], top["activity"])])),
        hovertemplate="%{customdata[1]}<br>%{customdata[0]} ticks: %{x:.0f}% of respondents<extra></extra>",
    ))
    labelled_rows(fig, names, [bar_label(a, LABEL_CHARS, 2) for a in top["activity"]])
    # room for the longest "n (p%)" beyond the longest bar: labels are never cut
    fig.update_xaxes(ticksuffix="%", range=[0, float(share.max() or 1) * 1.35])
    _layout(fig, height=bars_height(len(top), lines=2), xtitle="Share of respondents who ticked it")
    fig.update_layout(margin=dict(r=16))
    return fig


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


def legend_html(keys: list[str], colours: Mapping[str, str], names: Mapping[str, str]) -> str:
    """A legend as our own HTML (for ``st.html``): a coloured square and the name of each key,
    wrapping like text. Plotly's legend took a different, unknowable height at each width, which
    squeezed the rows of the chart under it on a phone."""
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;gap:4px;margin-right:14px;white-space:nowrap">'
        f'<span style="width:11px;height:11px;border-radius:2px;background:{html.escape(colours.get(k, NEUTRAL))}">'
        f'</span>{html.escape(str(names.get(k, k)))}</span>' for k in keys)
    return f'<div class="insight-legend" style="font-size:13px;line-height:1.9">{items}</div>'




def reaction_bars(table: ReactionTable, colours: Mapping[str, str], short: Mapping[str, str], *,
                  percent: bool, what: str = "responses", chosen_rows: tuple[str, ...] = (),
                  chosen_reactions: tuple[str, ...] = ()) -> go.Figure:
    """Horizontal bars stacked by reaction, one per category in display order (first at the
    top, its name above its bar): counts, or percentages of each category's responses; n at the
    end of each bar (annotations named "n"), "none yet" for a category without responses.

    Shares of fewer than ``SMALL_NUMBER`` responses are drawn faded and hatched and their n
    says "small number". ``chosen_rows``/``chosen_reactions`` (keys) are highlighted: the
    rest stays on screen, faded, so a selection never hides the comparison."""
    rows, shares = table.rows, table.shares()
    full = [esc(lab) for lab in rows["label"]]
    labels = unique(full)
    small = [(0 < n < SMALL_NUMBER) and percent for n in rows["n"]]
    row_on = [not chosen_rows or k in chosen_rows for k in rows["key"]]
    fig = go.Figure()
    for r in table.reactions:
        name = esc(short.get(r, r))
        on = not chosen_reactions or r in chosen_reactions
        custom = [point_key(table.dimension, k, r) + [int(c), int(n), round(float(p), 1), f]
                  for k, c, n, p, f in zip(rows["key"], table.counts[r], rows["n"], shares[r], full)]
        opacity = [(1.0 if (on and ro) else FADED_OPACITY) * (SMALL_OPACITY if sm else 1.0)
                   for ro, sm in zip(row_on, small)]
        fig.add_trace(go.Bar(
            name=name, y=labels, x=(shares[r] if percent else table.counts[r]).to_numpy(), orientation="h",
            width=BAR_WIDTH, offset=BAR_OFFSET,
            marker=dict(color=colours.get(r, NEUTRAL), opacity=opacity,
                        pattern=dict(shape=[SMALL_PATTERN if sm else "" for sm in small], fillmode="overlay",
                                     fgcolor="#FFFFFF", size=5)),
            customdata=custom,
            hovertemplate="%{customdata[7]}<br>" + name + ": %{customdata[4]} of %{customdata[5]} " + esc(what)
            + " (%{customdata[6]}%)<extra></extra>",
        ))
    top = 100 if percent else max(1, int(rows["n"].max()) if len(rows) else 1)
    fig.update_layout(barmode="stack",
                      shapes=_section_lines(list(rows["section"])) if table.dimension.name == "page" else [])
    labelled_rows(fig, labels, [bar_label(lab) for lab in rows["label"]],
                  bold=[bool(chosen_rows) and ro for ro in row_on])
    annotate(fig, [dict(x=(100 if percent else n) if n else 0, y=bar_middle(i), xref="x", yref="y",
                        xanchor="left", xshift=4, showarrow=False, align="left", name="n",
                        font=dict(size=10 if sm else 11, color="#555555"),
                        text=("none yet" if n == 0 else f"n={n} · <i>small number</i>" if sm
                              else f"n={n}" if percent else str(n)))
                   for i, (n, sm) in enumerate(zip(rows["n"], small))])
    fig.update_xaxes(range=[0, top * (1.0 if percent else 1.08)], ticksuffix="%" if percent else "",
                     tickvals=[0, 25, 50, 75, 100] if percent else None)
    _layout(fig, height=bars_height(len(rows)),
            xtitle=f"Share of the {what} (per cent)" if percent else f"Number of {what}")
    fig.update_layout(showlegend=False, margin=dict(l=10, r=NOTES_PX, t=10, b=10))   # legend: legend_html
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
                trow.append(f"{v:+.0f}<br><span style='font-size:9px'>n={n}</span>")
                hrow.append(f"net score {v:+.0f}")
            elif n < SMALL_NUMBER:
                trow.append(f"n={n}")
                hrow.append(f"small number: {esc(short.get(heat.measure, heat.measure))} {round(v * n / 100)} of {n} "
                            f"({v:.0f}%); share not coloured (fewer than {SMALL_NUMBER} responses)")
            else:
                trow.append(f"{v:.0f}%<br><span style='font-size:9px'>n={n}</span>")
                hrow.append(f"{esc(short.get(heat.measure, heat.measure))}: {v:.0f}%")
        text.append(trow)
        hover.append(hrow)
    return text, hover


#: Page names beside the heatmap's rows: at most two lines of this many characters (a phone
#: keeps room for five columns); the full name is in the hover.
HEAT_ROW_WIDTH = 21


def _outline(i0: int, i1: int, j0: int, j1: int) -> dict:
    """A dark outline around cells rows ``i0``–``i1`` × columns ``j0``–``j1`` (category indices)."""
    return dict(type="rect", xref="x", yref="y", x0=j0 - 0.5, x1=j1 + 0.5, y0=i0 - 0.5, y1=i1 + 0.5,
                line=dict(color="#222222", width=2), fillcolor="rgba(0,0,0,0)", layer="above")


def coverage_heatmap(heat: Heat, short: Mapping[str, str], *, colour: str, negative_colour: str = "",
                     column_names: Mapping[str, str] | None = None, chosen_rows: tuple[str, ...] = (),
                     chosen_columns: tuple[str, ...] = ()) -> go.Figure:
    """Pages (rows, nav order) × role groups or roles (columns): responses, net score or a
    reaction's share per cell (shares and scores with their n); cells nobody responded on are
    grey with "0" (or "–"); cells of fewer than ``SMALL_NUMBER`` responses pale with their n,
    never coloured as a share. ``column_names``: shorter column titles (the full one is in the
    hover). Chosen rows/columns (keys) are outlined."""
    ys = unique([axis_label(lab, HEAT_ROW_WIDTH) for lab in heat.pages["label"]])
    # column titles upright: side by side they ran into each other on a phone
    names = column_names or {}
    xs = unique([axis_label(names.get(col, col), 30) for col in heat.columns])
    text, hover = _heat_text(heat, short)
    zero = heat.zero.to_numpy()
    small = heat.small.to_numpy()
    value = heat.value.to_numpy()
    main_z = [[None if pd.isna(v) or small[i][j] else float(v) for j, v in enumerate(row)]
              for i, row in enumerate(value)]
    main_text = [[t if not (zero[i][j] or small[i][j]) else "" for j, t in enumerate(row)]
                 for i, row in enumerate(text)]
    if heat.measure == RESPONSES:
        scale, zmin, zmax, title = [[0, SCALE_LOW], [1, colour]], 0, None, "Responses"
    elif heat.measure == NET:
        scale, zmin, zmax, title = [[0, negative_colour], [0.5, "#F7F7F7"], [1, colour]], -100, 100, "Net score"
    else:
        scale, zmin, zmax, title = [[0, "#FFFFFF"], [1, colour]], 0, 100, f"{esc(short.get(heat.measure, heat.measure))} %"
    share_like = heat.measure != RESPONSES
    fig = go.Figure(go.Heatmap(
        z=main_z, x=xs, y=ys, colorscale=scale, zmin=zmin, zmax=zmax, text=main_text, texttemplate="%{text}",
        hoverinfo="skip", xgap=2, ygap=2, showscale=False, textfont=dict(size=10 if share_like else 11), name=title,
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
            texttemplate="%{text}", textfont=dict(color="#666666", size=10), name="small number",
        ))
    reaction = heat.measure if heat.measure not in (RESPONSES, NET) else ""
    which = "group" if heat.dimension.name == "role_group" else "role"
    px, py, custom = [], [], []
    page_names = [esc(lab) for lab in heat.pages["label"]]
    for i, key in enumerate(heat.counts.index):
        for j, col in enumerate(heat.columns):
            px.append(xs[j])
            py.append(ys[i])
            custom.append(select_key(page=key, reaction=reaction, **{which: col})
                          + [int(heat.counts.at[key, col]), hover[i][j], page_names[i], esc(col)])
    fig.add_trace(go.Scatter(
        x=px, y=py, mode="markers", customdata=custom, name="cells", showlegend=False,
        marker=dict(symbol="square", size=22, opacity=0, color="#000000"),
        selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0)),
        hovertemplate="%{customdata[6]}<br>%{customdata[7]}<br>%{customdata[4]} responses<br>%{customdata[5]}"
                      "<extra></extra>",
    ))
    rows_on = [i for i, k in enumerate(heat.counts.index) if k in chosen_rows]
    cols_on = [j for j, k in enumerate(heat.columns) if k in chosen_columns]
    if rows_on and cols_on:
        fig.update_layout(shapes=[_outline(i, i, j, j) for i in rows_on for j in cols_on])
    elif rows_on:
        fig.update_layout(shapes=[_outline(i, i, 0, len(xs) - 1) for i in rows_on])
    elif cols_on:
        fig.update_layout(shapes=[_outline(0, len(ys) - 1, j, j) for j in cols_on])
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=ys,
                     tickfont=dict(size=11))
    fig.update_xaxes(side="top", automargin=True, tickangle=-90, tickfont=dict(size=10),
                     categoryorder="array", categoryarray=xs)
    row = 34 if share_like else 28
    longest = max((len(line) for lab in xs for line in lab.split("<br>")), default=1)
    top = min(190, 6 * longest + 16)
    _layout(fig, height=max(260, max(row, row_height(ys)) * len(ys) + top + 40))
    fig.update_layout(plot_bgcolor="#FFFFFF", margin=dict(l=10, r=10, t=10, b=10))
    return fig


def net_score_bars(scores: pd.DataFrame, *, positive_colour: str, negative_colour: str, positive: str,
                   negative: str, chosen: tuple[str, ...] = ()) -> go.Figure:
    """Net score per category (``lib.reactions.score_order``: ranked first, best at the top,
    then small numbers without a bar), the name above each bar, each score and its n in a
    column at the right edge (so no label ever runs into a bar or a name); ``chosen``
    categories highlighted."""
    full = [esc(lab) for lab in scores["label"]]
    labels = unique(full)
    small = scores["small"].to_numpy()
    x = [0.0 if s else float(v) for s, v in zip(small, scores["score"])]
    text = [f"n={n} · <i>small number</i>" if s else f"<b>{signed(v)}</b> · n={n}"
            for s, v, n in zip(small, scores["score"], scores["n"])]
    colour = [ZERO_COLOUR if s else positive_colour if v >= 0 else negative_colour for s, v in zip(small, x)]
    custom = [select_key(page=k) + [int(n), round(float(p), 1), round(float(q), 1),
                                    "not ranked (small number)" if s else f"rank {r}", f]
              for k, n, p, q, s, r, f in zip(scores["key"], scores["n"], scores["positive_pct"],
                                             scores["negative_pct"], small, scores["rank"], full)]
    fig = go.Figure(go.Bar(
        x=x, y=labels, orientation="h", width=BAR_WIDTH, offset=BAR_OFFSET,
        marker=dict(color=colour, opacity=_opacity(scores["key"], chosen)), customdata=custom,
        hovertemplate="%{customdata[8]}<br>%{customdata[7]}: %{customdata[5]}% " + esc(positive.lower())
        + " − %{customdata[6]}% " + esc(negative.lower()) + "<br>of %{customdata[4]} responses<extra></extra>",
    ))
    labelled_rows(fig, labels, [bar_label(lab) for lab in scores["label"]],
                  bold=[k in chosen for k in scores["key"]] if chosen else None)
    annotate(fig, [dict(x=1, xref="paper", y=bar_middle(i), yref="y", xanchor="left", xshift=6, showarrow=False,
                        align="left", text=t, name="n", font=dict(size=11, color="#555555"))
                   for i, t in enumerate(text)])
    fig.update_xaxes(range=[-100, 100], zeroline=True, zerolinecolor="#888888", tickvals=[-100, -50, 0, 50, 100],
                     ticktext=["−100", "−50", "0", "+50", "+100"])
    _layout(fig, height=bars_height(len(scores)), xtitle="Net score (−100 to +100)")
    fig.update_layout(margin=dict(r=NOTES_PX))
    return fig


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
