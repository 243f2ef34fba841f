"""Plotly figures of the dashboards, styled in one place.

Fixed colours (an institution type is the same colour on every chart), Russian number formats (plotly's
`separators`: decimal comma, non-breaking space between thousands), value axes starting at zero, and titles
that say what and for which period. Missing values are dropped from a chart, never drawn as zero: the page
prints a note naming what is missing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ru import fmt
from ru.palette import MUNICIPALITY_COLOR, TYPE_COLORS
from ui import messages

SCOPE_COLOR = "#333333"
TARGET_COLOR = "#D62728"
GENDER_COLORS = {"М": "#4C78A8", "Ж": "#E45756"}
LEVEL_COLORS = {
    "institution": "#BAB0AC",
    "municipal": "#76B7B2",
    "regional": "#4E79A7",
    "federal": "#B07AA1",
    "international": "#EDC948",
}
MEASURE_COLORS = {"participants": "#A0CBE8", "winners": "#E15759", "prize_winners": "#F28E2B"}
SERIES_COLORS = ("#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#B07AA1", "#76B7B2", "#EDC948", "#9C755F")
STRUCTURE_COLOR = "#4E79A7"
SEPARATORS = ", "  # decimal comma; thousands separated by a space


def hover_format(unit: str | None) -> str:
    """A plotly d3 format for values of this unit (rendered with SEPARATORS)."""
    return ",.1f" if unit in ("%", "лет") or (unit or "").startswith("балл") else ",.4~f"


TITLE_WRAP = 80  # characters of a title line in a full-width chart
NARROW_TITLE_WRAP = 45  # in a half-width column of a 1024 px window (about 350 px at font size 15)


def _layout(
    fig: go.Figure, title: str, height: int, *, legend: bool = True, wrap: int = TITLE_WRAP
) -> go.Figure:
    # plotly does not wrap titles; long ones would be cut in a half-width column
    lines = textwrap.wrap(title, wrap) or [""]
    fig.update_layout(
        title={"text": "<br>".join(lines), "font": {"size": 15}},
        separators=SEPARATORS,
        height=height + 18 * max(0, len(lines) - len(textwrap.wrap(title, TITLE_WRAP) or [""])),
        margin={"l": 10, "r": 10, "t": 60 + 18 * (len(lines) - 1), "b": 10},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
        hoverlabel={"namelength": -1},
    )
    return fig


LEGEND_ROW_PX = 20  # one line of legend text (font 12) with its gap
TICKS_PX = 34  # one line of x tick labels under a plot, with its gap to the legend


def legend_below(
    fig: go.Figure, *, per_row: int = 1, wrap: int = 70, ticks_px: int = TICKS_PX, top_px: int = 0
) -> int:
    """Put the legend under the plot in room of its own: below the x tick labels (`ticks_px` of them), in
    the figure's bottom margin grown by the legend's lines, so that it never covers an axis or the labels
    (a legend placed at a fraction of the plot's height did on short charts). Entries are `per_row` to a
    line (fixed widths: the number of lines is known), long names wrapped at `wrap` characters. The
    figure's height grows by the same pixels, so the plot keeps its size; returns the bottom margin."""
    shown = [t for t in fig.data if t.showlegend is not False and t.name]
    lines_per_entry = []
    for trace in shown:
        parts = textwrap.wrap(str(trace.name), wrap) or [""]
        trace.name = "<br>".join(parts)
        lines_per_entry.append(len(parts))
    if per_row <= 1:
        lines = sum(lines_per_entry)
        legend = {"orientation": "v"}
    else:
        rows = [lines_per_entry[i : i + per_row] for i in range(0, len(lines_per_entry), per_row)]
        lines = sum(max(r) for r in rows)
        legend = {"orientation": "h", "entrywidth": 1 / per_row, "entrywidthmode": "fraction"}
    bottom = (
        ticks_px + 6 + LEGEND_ROW_PX * lines if fig.layout.showlegend is not False and shown else ticks_px
    )
    fig.update_layout(
        legend={
            **legend,
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "tracegroupgap": 0,  # grouped entries (the bullet charts' marks) take one line each, no more
        },
        margin={"b": bottom},
        height=int(fig.layout.height or 300) + bottom + top_px,
    )
    return bottom


def axis_title(unit: str | None) -> str:
    if not unit:
        return ""
    return "баллы" if unit.startswith("балл") else unit


def trend(
    frame: pd.DataFrame,
    title: str,
    unit: str | None,
    *,
    target: float | None = None,
    height: int = 300,
    colors: Mapping[str, str] | None = None,
    narrow: bool = False,
) -> go.Figure:
    """Lines over periods: `frame` has columns period, series, value (one line per series). `narrow`: the
    chart is in a half-width column (in a 1024 px window the years are turned and long names must wrap
    sooner, or the legend runs off the chart's right edge)."""
    fig = go.Figure()
    data = frame.dropna(subset=["value"])
    for i, (name, part) in enumerate(data.groupby("series", sort=False)):
        color = (colors or {}).get(str(name), SERIES_COLORS[i % len(SERIES_COLORS)])
        fig.add_trace(
            go.Scatter(
                x=part["period"],
                y=part["value"],
                name=str(name),
                mode="lines+markers",
                line={"color": color, "width": 2},
                hovertemplate=f"%{{x}}: %{{y:{hover_format(unit)}}}{fmt.unit_suffix(unit)}<extra>{name}</extra>",
            )
        )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": TARGET_COLOR, "dash": "dot"},
            annotation_text=f"цель {fmt.value(target, unit)}",
        )
    periods = sorted(set(data["period"]))
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=periods, tickvals=periods, title=None
    )
    fig.update_yaxes(rangemode="tozero", title=axis_title(unit))
    fig = _layout(fig, title, height, wrap=NARROW_TITLE_WRAP if narrow else TITLE_WRAP)
    # the lines' names under the years, one to a line: a legend at a fraction of a short chart covered them
    if narrow:
        legend_below(fig, wrap=NARROW_WRAP, ticks_px=NARROW_TICKS_PX)
    else:
        legend_below(fig)
    return fig


NARROW_WRAP = 38  # characters of a legend line in a half-width column
NARROW_TICKS_PX = 62  # turned year labels


def bars_by_unit(
    frame: pd.DataFrame,
    title: str,
    unit: str | None,
    *,
    scope_value: float | None = None,
    scope_label: str = "",
    target: float | None = None,
) -> go.Figure:
    """Horizontal bars, one per institution (coloured by type) or municipality (grey), sorted by value.

    `frame`: label, value, and optionally inst_type. Rows with a missing value are left out.
    """
    data = frame.dropna(subset=["value"]).sort_values("value")
    fig = go.Figure()
    if "inst_type" in data.columns and data["inst_type"].notna().any():
        for code in TYPE_COLORS:
            part = data[data["inst_type"] == code]
            if part.empty:
                continue
            fig.add_trace(_hbar(part, messages.inst_type_label(code), TYPE_COLORS[code], unit))
    else:
        fig.add_trace(_hbar(data, messages.MUNICIPALITY_LEGEND, MUNICIPALITY_COLOR, unit))
    if scope_value is not None and not fmt.is_missing(scope_value):
        fig.add_vline(
            x=scope_value,
            line={"color": SCOPE_COLOR, "dash": "dash"},
            annotation_text=f"{scope_label}: {fmt.value(scope_value, unit)}",
            annotation_position="top",
        )
    if target is not None and not fmt.is_missing(target):
        fig.add_vline(
            x=target,
            line={"color": TARGET_COLOR, "dash": "dot"},
            annotation_text=f"цель {fmt.value(target, unit)}",
            annotation_position="bottom",
        )
    fig.update_xaxes(rangemode="tozero", title=axis_title(unit))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(data["label"]), title=None)
    height = max(260, 80 + 22 * len(data))
    return _layout(fig, title, height)


def _hbar(part: pd.DataFrame, name: str, color: str, unit: str | None) -> go.Bar:
    return go.Bar(
        x=part["value"],
        y=part["label"],
        orientation="h",
        name=name,
        marker_color=color,
        hovertemplate=f"%{{y}}: %{{x:{hover_format(unit)}}}{fmt.unit_suffix(unit)}<extra></extra>",
    )


def structure(frame: pd.DataFrame, title: str, order: Mapping[str, str], *, height: int = 300) -> go.Figure:
    """Counts by group (`frame`: group, staff), groups in `order` (code → label), absent groups as 0 people."""
    counts = frame.groupby("group")["staff"].sum() if not frame.empty else pd.Series(dtype="float64")
    labels = list(order.values())
    values = [float(counts.get(code, 0)) for code in order]
    total = sum(values)
    shares = [fmt.percent(v / total * 100) if total else fmt.MISSING for v in values]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=STRUCTURE_COLOR,
            text=[f"{fmt.integer(v)} ({s})" for v, s in zip(values, shares, strict=True)],
            textposition="auto",
            hovertemplate="%{y}: %{x:,.0f} чел.<extra></extra>",
        )
    )
    fig.update_xaxes(rangemode="tozero", title="чел.")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels[::-1], title=None)
    return _layout(fig, title, height, legend=False)


def age_pyramid(frame: pd.DataFrame, title: str, order: Mapping[str, str], *, height: int = 340) -> go.Figure:
    """Men to the left, women to the right, by age band (`frame`: group, gender, staff)."""
    fig = go.Figure()
    labels = list(order.values())
    for gender, sign in (("М", -1), ("Ж", 1)):
        part = frame[frame["gender"] == gender] if not frame.empty else frame
        counts = part.groupby("group")["staff"].sum() if not part.empty else pd.Series(dtype="float64")
        values = [float(counts.get(code, 0)) for code in order]
        fig.add_trace(
            go.Bar(
                x=[sign * v for v in values],
                y=labels,
                orientation="h",
                name=messages.GENDERS[gender],
                marker_color=GENDER_COLORS[gender],
                customdata=values,
                hovertemplate="%{y}: %{customdata:,.0f} чел.<extra>" + messages.GENDERS[gender] + "</extra>",
            )
        )
    peak = max([abs(x) for trace in fig.data for x in trace.x] + [1])
    step = _nice_step(peak)
    ticks = [k * step for k in range(-int(peak // step) - 1, int(peak // step) + 2)]
    fig.update_layout(barmode="relative", bargap=0.1)
    fig.update_xaxes(
        tickvals=ticks, ticktext=[fmt.integer(abs(t)) for t in ticks], title="чел.", zeroline=True
    )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, title=None)
    return _layout(fig, title, height)


def _nice_step(peak: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if peak / step <= 5:
            return float(step)
    return float(10 ** len(str(int(peak))) / 10)


BOX_POINTS_LIMIT = 2000  # above this many institutions a box plot shows no individual points


def box_without_points(frame: pd.DataFrame) -> bool:
    """Whether speed_by_locality draws some locality's box without individual points (too many of them)."""
    counts = frame.dropna(subset=["internet_speed_mbps"])["locality"].value_counts()
    return bool(len(counts)) and int(counts.max()) > BOX_POINTS_LIMIT


def box_stats(values: pd.Series) -> dict[str, list[float]]:
    """The five numbers of a box plot as plotly draws them (linear quartiles; whiskers at the furthest
    values within 1.5 IQR of the box)."""
    v = pd.to_numeric(values, errors="coerce").dropna().astype("float64")
    q1, median, q3 = (float(x) for x in v.quantile([0.25, 0.5, 0.75]))
    iqr = q3 - q1
    low = float(v[v >= q1 - 1.5 * iqr].min())
    high = float(v[v <= q3 + 1.5 * iqr].max())
    return {"q1": [q1], "median": [median], "q3": [q3], "lowerfence": [low], "upperfence": [high]}


def speed_by_locality(frame: pd.DataFrame, title: str, targets: Mapping[str, float]) -> go.Figure:
    """Internet speed of each institution by locality, with the locality's target (`frame`: locality,
    label, internet_speed_mbps)."""
    fig = go.Figure()
    data = frame.dropna(subset=["internet_speed_mbps"])
    categories = [loc for loc in ("urban", "rural") if loc in set(data["locality"])]
    names = [messages.locality_label(loc) for loc in categories]
    for loc, name in zip(categories, names, strict=True):
        part = data[data["locality"] == loc]
        color = SERIES_COLORS[0] if loc == "urban" else SERIES_COLORS[2]
        if len(part) <= BOX_POINTS_LIMIT:
            fig.add_trace(
                go.Box(
                    y=part["internet_speed_mbps"],
                    x=[name] * len(part),
                    name=name,
                    boxpoints="all",
                    jitter=0.4,
                    pointpos=0,
                    text=part["label"],
                    marker_color=color,
                    hovertemplate="%{text}: %{y:,.0f} Мбит/с<extra></extra>",
                )
            )
        else:
            # tens of thousands of points say nothing more than the box and make the page slow: the box
            # is computed here and sent as five numbers
            fig.add_trace(
                go.Box(x=[name], name=name, marker_color=color, **box_stats(part["internet_speed_mbps"]))
            )
    for i, (loc, name) in enumerate(zip(categories, names, strict=True)):
        target = targets.get(loc)
        if target is None:
            continue
        fig.add_shape(
            type="line",
            xref="x",
            yref="y",
            x0=i - 0.45,
            x1=i + 0.45,
            y0=target,
            y1=target,
            line={"color": TARGET_COLOR, "dash": "dot", "width": 2},
        )
        fig.add_annotation(
            x=name, y=target, text=f"цель {fmt.integer(target)} Мбит/с", showarrow=False, yshift=10
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=names, title=None)
    fig.update_yaxes(rangemode="tozero", title="Мбит/с")
    return _layout(fig, title, 360, legend=False)


def heatmap(
    frame: pd.DataFrame, title: str, columns: Mapping[str, str], *, label_col: str = "label"
) -> go.Figure:
    """Rows × components, each cell 0–1 (the index column 0–100 is shown on the same 0–1 scale)."""
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for _, row in frame.iterrows():
        zr: list[float | None] = []
        tr: list[str] = []
        for col in columns:
            v = row[col]
            if fmt.is_missing(v):
                zr.append(None)
                tr.append(fmt.MISSING)
            elif col == "readiness_index":
                zr.append(float(v) / 100)
                tr.append(fmt.number(v, 1))
            else:
                zr.append(float(v))
                tr.append(fmt.number(v, 2))
        z.append(zr)
        text.append(tr)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(columns.values()),
            y=list(frame[label_col]),
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale="RdYlGn",
            colorbar={"title": "0–1"},
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", title=None)
    # the component names above the grid, upright; the top margin holds them under the title (plotly's
    # own rotation printed them over it)
    fig.update_xaxes(side="top", title=None, tickangle=-90)
    fig = _layout(fig, title, max(300, 200 + 24 * len(frame)), legend=False)
    longest = max(len(str(n)) for n in columns.values())
    fig.update_layout(
        margin={"t": 70 + 18 * (len(title) // 80) + int(6.5 * longest)},
        title={"yref": "container", "y": 0.995, "yanchor": "top"},
    )
    return fig


def level_bars(levels: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars of a count by level (`levels`: level, label, sites, names — views.sites_by_level),
    the levels in their order from the institution's up, the number at each bar, the institutions in the
    hover."""
    data = levels.iloc[::-1]  # the first level at the top
    fig = go.Figure(
        go.Bar(
            x=data["sites"],
            y=data["label"],
            orientation="h",
            marker_color=[LEVEL_COLORS.get(str(lv), MUNICIPALITY_COLOR) for lv in data["level"]],
            text=[fmt.integer(v) for v in data["sites"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[str(n).replace("\n", "<br>") for n in data["names"]],
            hovertemplate="%{y}: %{x:,.0f} ед.<br>%{customdata}<extra></extra>",
        )
    )
    top = float(levels["sites"].max()) if not levels.empty else 1.0
    fig.update_xaxes(range=[0, top * 1.15], title="ед.", dtick=1 if top <= 10 else None)
    fig.update_yaxes(type="category", title=None)
    return _layout(fig, title, max(200, 110 + 40 * len(levels)), legend=False)


def grouped_bars(
    frame: pd.DataFrame,
    title: str,
    *,
    x: str,
    series: str,
    value: str,
    series_labels: Mapping[str, str],
    colors: Mapping[str, str],
    x_order: Sequence[str] | None = None,
    unit: str = "",
    stacked: bool = False,
    horizontal: bool = False,
) -> go.Figure:
    """Bars of `value` by `x`, one colour per `series` (grouped or stacked)."""
    fig = go.Figure()
    data = frame.dropna(subset=[value])
    for code, label in series_labels.items():
        part = data[data[series] == code]
        if part.empty:
            continue
        kwargs = {"x": part[value], "y": part[x]} if horizontal else {"x": part[x], "y": part[value]}
        fig.add_trace(
            go.Bar(
                **kwargs,
                name=label,
                orientation="h" if horizontal else "v",
                marker_color=colors.get(code, MUNICIPALITY_COLOR),
                hovertemplate=(
                    f"%{{{'y' if horizontal else 'x'}}}: %{{{'x' if horizontal else 'y'}:,.0f}}"
                    f"{fmt.unit_suffix(unit)}<extra>{label}</extra>"
                ),
            )
        )
    fig.update_layout(barmode="stack" if stacked else "group")
    category_axis = fig.update_yaxes if horizontal else fig.update_xaxes
    value_axis = fig.update_xaxes if horizontal else fig.update_yaxes
    if x_order is not None:
        category_axis(type="category", categoryorder="array", categoryarray=list(x_order), title=None)
    else:
        category_axis(type="category", title=None)
    value_axis(rangemode="tozero", title=unit or None)
    n = len(set(data[x])) if not data.empty else 1
    height = max(300, 90 + 24 * n) if horizontal else 340
    return _layout(fig, title, height)
