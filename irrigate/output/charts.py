"""Charts of the advisory reports (matplotlib, rendered to PNG and embedded as data URIs).

Each function takes plain numbers (already chosen and translated by
:mod:`irrigate.output.report_site`) and returns a ``data:image/png;base64,...`` string, so a
page stays one self-contained file. Nothing here computes water: the charts draw what the
budget and the typical-field series say. Stressed scenarios are drawn hatched *and* labelled
in words, never told apart by colour alone.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

__all__ = ["COLOURS", "depletion_chart", "kc_chart", "region_map", "scenario_chart",
           "water_use_chart"]

#: colour-blind-safe palette (Okabe-Ito)
COLOURS = {"today": "#7a7a7a", "full": "#0072b2", "stress": "#e69f00", "t": "#009e73",
           "e": "#f0e442", "ro": "#56b4e9", "dp": "#0072b2", "evap": "#cc79a7",
           "conv": "#d55e00", "leach": "#999999", "raw": "#c7e9c0", "line": "#333333"}
_DPI = 110


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False,
                         "svg.hashsalt": "irrigate", "path.simplify": True})
    return plt


def _uri(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    _plt().close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def scenario_chart(rows: Sequence[dict[str, Any]], labels: dict[str, str]) -> str:
    """Bars of the regional withdrawal per scenario, hatched where crops are short of water.

    ``rows``: dicts with ``name``, ``value`` (million m³), ``kind`` (``today``, ``full`` or
    ``stress``) and ``note`` (text written beside the bar). ``labels``: ``xlabel``,
    ``today``, ``full``, ``stress`` (legend).
    """
    plt = _plt()
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(8.0, 0.42 * len(rows) + 1.9), layout="constrained")
    names = [r["name"] for r in rows][::-1]
    values = [r["value"] for r in rows][::-1]
    kinds = [r["kind"] for r in rows][::-1]
    bars = ax.barh(names, values, color=[COLOURS[k] for k in kinds],
                   hatch=None, edgecolor="white")
    for bar, kind in zip(bars, kinds, strict=True):
        if kind == "stress":
            bar.set_hatch("///")
            bar.set_edgecolor("#7a4a00")
    top = max(values) if values else 1.0
    for bar, r in zip(bars, rows[::-1], strict=True):
        ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, r["note"],
                va="center", fontsize=8)
    ax.set_xlim(0, top * 2.3)
    ax.set_xlabel(labels["xlabel"])
    handles = [Patch(facecolor=COLOURS["today"], label=labels["today"]),
               Patch(facecolor=COLOURS["full"], label=labels["full"]),
               Patch(facecolor=COLOURS["stress"], hatch="///", edgecolor="#7a4a00",
                     label=labels["stress"])]
    fig.legend(handles=handles, loc="outside lower center", ncol=1, frameon=False, fontsize=8)
    return _uri(fig)


def water_use_chart(rows: Sequence[dict[str, Any]], parts: Sequence[tuple[str, str]],
                    xlabel: str) -> str:
    """Stacked bars: where the water of each scenario goes (million m³).

    ``rows``: dicts with ``name`` and one value per part key; ``parts``: (key, label) in
    stacking order, keys among :data:`COLOURS`.
    """
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.0, 0.42 * len(rows) + 2.0), layout="constrained")
    names = [r["name"] for r in rows][::-1]
    left = [0.0] * len(rows)
    for key, label in parts:
        values = [max(float(r.get(key) or 0.0), 0.0) for r in rows][::-1]
        ax.barh(names, values, left=left, color=COLOURS[key], label=label, edgecolor="white",
                linewidth=0.5)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlabel(xlabel)
    fig.legend(loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    return _uri(fig)


def kc_chart(series: Sequence[dict[str, Any]], labels: dict[str, str]) -> str:
    """Crop coefficient (Kc = ETc/ET0) and ETc through the season, one line per crop.

    ``series``: dicts with ``name``, ``time`` (dates), ``kc`` and ``etc`` (mm/day, smoothed
    by the caller); ``labels``: ``kc``, ``etc``.
    """
    plt = _plt()
    import matplotlib.dates as mdates

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.0, 4.6), sharex=True,
                                     layout="constrained")
    for s in series:
        top.plot(s["time"], s["kc"], label=s["name"], linewidth=1.4)
        bottom.plot(s["time"], s["etc"], linewidth=1.4)
    top.set_ylabel(labels["kc"])
    bottom.set_ylabel(labels["etc"])
    top.legend(frameon=False, fontsize=8, ncol=min(3, len(series)))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%d.%m"))
    for ax in (top, bottom):
        ax.grid(alpha=0.3)
    return _uri(fig)


def depletion_chart(panels: Sequence[dict[str, Any]], labels: dict[str, str]) -> str:
    """Root-zone depletion with the RAW band and the irrigation events, one panel per method.

    ``panels``: dicts with ``name``, ``time``, ``dr``, ``raw``, ``taw`` (mm) and
    ``irr`` (gross mm per day); ``labels``: ``dr``, ``raw``, ``taw``, ``irr``, ``ylabel``.
    """
    plt = _plt()
    import matplotlib.dates as mdates

    fig, axes = plt.subplots(len(panels), 1, figsize=(7.0, 2.3 * len(panels) + 0.9),
                             sharex=True, squeeze=False, layout="constrained")
    for ax, p in zip(axes[:, 0], panels, strict=True):
        ax.fill_between(p["time"], 0, p["raw"], color=COLOURS["raw"], label=labels["raw"])
        ax.plot(p["time"], p["taw"], color=COLOURS["line"], linestyle="--", linewidth=0.9,
                label=labels["taw"])
        ax.plot(p["time"], p["dr"], color=COLOURS["conv"], linewidth=1.3, label=labels["dr"])
        events = [(t, v) for t, v in zip(p["time"], p["irr"], strict=True) if v > 0]
        if events:
            ax.vlines([t for t, _ in events], 0, [v for _, v in events], color=COLOURS["full"],
                      linewidth=1.6, label=labels["irr"])
        ax.invert_yaxis()
        ax.set_title(p["name"], fontsize=9, loc="left")
        ax.set_ylabel(labels["ylabel"])
        ax.grid(alpha=0.3)
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", frameon=False, fontsize=7, ncol=2)
    axes[-1, 0].xaxis.set_major_formatter(mdates.DateFormatter("%d.%m"))
    return _uri(fig)


def region_map(shapes: dict[str, Any], values: dict[str, float | None],
               labels: dict[str, str], title: str, unit: str, missing: str) -> str:
    """Map of the regions coloured by ``values`` (grey where None), labelled by ``labels``.

    ``shapes``: code -> shapely (Multi)Polygon in lon/lat.
    """
    plt = _plt()
    import matplotlib as mpl
    import numpy as np
    from matplotlib.patches import Patch, Polygon

    fig, ax = plt.subplots(figsize=(7.6, 4.6), layout="constrained")
    known = [v for v in values.values() if v is not None]
    norm = mpl.colors.Normalize(vmin=min(known, default=0.0), vmax=max(known, default=1.0))
    cmap = mpl.colormaps["YlGnBu"]
    for code, geom in shapes.items():
        value = values.get(code)
        colour = cmap(norm(value)) if value is not None else "#e8e8e8"
        polys = getattr(geom, "geoms", [geom])
        for poly in polys:
            xy = np.asarray(poly.exterior.coords)
            xy = np.column_stack([xy[:, 0] * np.cos(np.radians(48.0)), xy[:, 1]])
            ax.add_patch(Polygon(xy, closed=True, facecolor=colour, edgecolor="white",
                                 linewidth=0.6))
        if code in labels and geom.area > 0.3:
            c = geom.representative_point()
            ax.text(c.x * np.cos(np.radians(48.0)), c.y, labels[code], ha="center",
                    va="center", fontsize=6.5, color="#222222")
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10, loc="left")
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(sm, ax=ax, orientation="horizontal", fraction=0.05, pad=0.02,
                       shrink=0.6)
    bar.set_label(unit)
    ax.legend(handles=[Patch(facecolor="#e8e8e8", label=missing)], loc="lower left",
              frameon=False, fontsize=7)
    return _uri(fig)
