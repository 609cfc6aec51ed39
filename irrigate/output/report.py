"""Per-region advisory reports from a regional water budget (Markdown or HTML).

A report restates, for one region, what :func:`irrigate.engine.budget` computed: the water each crop
takes today, what each irrigation method would take, which method saves most *without*
leaving the crop short of water, and the leaching the land still needs. It adds no science:
every number is a value of the budget Dataset (``docs/budget.md``), chosen and worded by the
rules below, and rendered with the Jinja2 templates in ``irrigate/templates``.

Rules (also stated in every report and in ``docs/budget.md``)
-------------------------------------------------------------
* A method is **without water stress** when the crop's actual ET is at least
  :data:`NO_STRESS_PCT` % of its standard ETc (``et_ratio_pct``).
* A method's schedule **fits** a crop when it is the crop-generic FAO-56 rule (``fao_mad``, the
  crop's own RAW) or a library practice written for that crop (the practice's ``crops`` in
  ``models/practices.toml``, :attr:`irrigate.library.Library.practice_crops`; a practice
  without ``crops`` fits every crop); a practice written for another crop applied to this one
  (the Xinjiang cotton calendar of ``mulched_drip`` on spring wheat) is an extrapolation.
* The **advised method** of a crop is, among the methods without water stress whose schedule
  fits the crop, the one with the largest withdrawal saving against current practice
  (``saving_vs_current_mcm``); savings closer to that largest one than
  :data:`NEGLIGIBLE_PCT` % of the crop's current withdrawal count as equal, and among equals
  the method with the higher ETa/ETc is advised (then the larger saving). Without any fitting
  method free of stress, the extrapolated ones are considered, and said to be.
* A **pilot** method (``status = "pilot"`` in the library: tried on research or demonstration
  plots, not yet proven on farms, e.g. rice under drip and film) is advised only when no
  established method is free of stress; otherwise, when it would save more, it is named next
  to the advice as worth a trial, not as advice.
* A method without stress that would save more but whose schedule does not fit the crop is
  named next to the advice, with the practice and the crops it was written for.
* The **largest saving** is the method with the largest withdrawal saving whatever its
  stress or schedule; the report says when it comes with water stress.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xarray as xr

from irrigate.errors import InputError
from irrigate.library import Library, load_library
from irrigate.lines import join_lines
from irrigate.output.budget_table import (
    film_text,
    inapplicable_methods,
    method_name,
    schedules_text,
)

__all__ = ["NO_STRESS_PCT", "NEGLIGIBLE_PCT", "region_context",
           "render_report", "REPORT_FORMATS"]

#: ETa / ETc (%) from which a method is taken as free of water stress
NO_STRESS_PCT = 90.0
#: Savings of two methods closer than this % of the crop's current withdrawal count as equal
#: (assumption: the library's application efficiencies and schedules are not known better
#: than about 5 %, e.g. the ranges in models/methods.toml)
NEGLIGIBLE_PCT = 5.0
REPORT_FORMATS = ("markdown", "html")
_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _f(value: Any) -> float | None:
    v = float(value)
    return v if math.isfinite(v) else None


def _schedules(ds: xr.Dataset) -> dict[str, str]:
    """Map each method to the schedule it was simulated with (``schedule`` on ``method``)."""
    if "schedule" not in ds.coords:
        return {}
    return {str(m): str(s) for m, s in zip(ds["method"].values, ds["schedule"].values,
                                           strict=True) if str(s)}


def _display(method: str) -> str:
    """Readable method name, with the code name in brackets when it differs."""
    name = method_name(method)
    return name if name == method.replace("_", " ") else f"{name} ({method})"


def _about(value: float | None) -> str:
    """Word a regional mean count of events: 'about 8' (never '7.6 events')."""
    if value is None:
        return "-"
    return f"about {max(round(value), 1 if value > 0 else 0)}"


def _method_rows(row: xr.Dataset, methods: Sequence[str], crop: str,
                 schedules: dict[str, str],
                 practice_crops: Mapping[str, tuple[str, ...]],
                 pilot: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    out = []
    for m in methods:
        cell = row.sel({"method": m})
        gross = _f(cell["irr_gross_mm"])
        if gross is None:
            continue
        ratio = _f(cell["et_ratio_pct"]) if "et_ratio_pct" in cell else None
        practice = schedules.get(m, "")
        written_for = practice_crops.get(practice)
        events = _f(cell["n_events"])
        out.append({
            "method": m,
            "name": method_name(m),
            "display": _display(m),
            "gross_mm": gross,
            "net_mm": _f(cell["irr_net_mm"]),
            "eta_mm": _f(cell["eta_mm"]),
            "et_ratio_pct": ratio,
            "events": events,
            "events_text": _about(events),
            "withdrawal_mcm": _f(cell["withdrawal_mcm"]),
            "saving_mcm": _f(cell["saving_vs_current_mcm"]),
            "saving_pct": _f(cell["saving_vs_current_pct"]),
            "stress": ratio is not None and ratio < NO_STRESS_PCT,
            "practice": practice,
            "written_for": ", ".join(written_for) if written_for else "",
            "fits": written_for is None or crop in written_for,
            "pilot": m in pilot,
        })
    return out


def _advice(rows: list[dict[str, Any]], now_mcm: float | None) -> dict[str, Any]:
    """Choose the advised method of a crop by the rules of the module docstring.

    Returns a dict: ``advised`` (or None), ``close`` (the largest fitting saving when a method
    saving a negligibly different amount was advised instead), ``extrapolated`` (a larger
    saving without stress whose schedule was written for other crops, or of a pilot method)
    and ``largest`` (the largest saving whatever its stress); each a method row or None.
    """
    def saving(r: dict[str, Any]) -> float:
        return r["saving_mcm"] if r["saving_mcm"] is not None else -math.inf

    calm = [r for r in rows if not r["stress"] and r["et_ratio_pct"] is not None
            and r["saving_mcm"] is not None]
    proven = [r for r in calm if not r["pilot"]] or calm
    fitting = [r for r in proven if r["fits"]] or proven
    out: dict[str, Any] = {"advised": None, "close": None, "extrapolated": None,
                           "largest": max(rows, key=saving) if rows else None}
    if not fitting:
        return out
    best = max(fitting, key=saving)
    margin = NEGLIGIBLE_PCT / 100.0 * abs(now_mcm) if now_mcm else 0.0
    equal = [r for r in fitting if saving(best) - saving(r) <= margin]
    advised = max(equal, key=lambda r: (round(r["et_ratio_pct"]), saving(r)))
    out["advised"] = advised
    if advised is not best:
        out["close"] = best
    if advised["fits"] and not advised["pilot"]:
        set_aside = [r for r in calm if (not r["fits"] or r["pilot"])
                     and saving(r) > saving(advised)]
        out["extrapolated"] = max(set_aside, key=saving) if set_aside else None
    return out


def region_context(ds: xr.Dataset, code: str, library: Library | None = None
                   ) -> dict[str, Any]:
    """Collect what the report of region ``code`` says, from a budget Dataset.

    ``library`` gives the crops each practice was written for
    (:attr:`~irrigate.library.Library.practice_crops`); pass the library the budget was run
    with (default: the bundled one).

    Raises
    ------
    InputError
        If ``code`` is not a region of ``ds``.

    """
    codes = [str(c) for c in ds["region"].values]
    if code not in codes:
        raise InputError(f"--region {code}: not in this budget (regions: {', '.join(codes)}); "
                         "budget it first or choose one of them")
    # the crops, then the off-season lines as rows (leaching: the ``leaching_*`` variables)
    ds = join_lines(ds)
    reg = ds.sel(region=code)
    methods = [str(m) for m in ds["method"].values]
    names = ds["region_name"] if "region_name" in ds.coords else ds["region"]
    ctx: dict[str, Any] = {
        "code": code,
        "name": str(names.sel(region=code).values),
        "season": ds.attrs.get("season", ""),
        "climate": ds.attrs.get("climate_source", ""),
        "schedules": schedules_text(ds),
        "film_crop": film_text(ds),
        "left_out": ds.attrs.get("left_out", "none"),
        "area_source": ds.attrs.get("area_source", ""),
        "irrigated_ha": _f(reg["irrigated_area_ha"]) if "irrigated_area_ha" in reg else None,
        "conveyance": _f(reg["conveyance_efficiency"]),
        "no_stress_pct": NO_STRESS_PCT,
        "negligible_pct": NEGLIGIBLE_PCT,
        "crops": [],
        "leaching": None,
        "scenarios": [],
    }
    schedules = _schedules(ds)
    lib = library if library is not None else load_library()
    practice_crops = lib.practice_crops
    pilot = lib.rice.pilot_methods
    for crop, line in zip(ds["crop"].values, ds["line"].values, strict=True):
        row = reg.sel(crop=crop)
        area = float(row["area_ha"])
        if not area > 0:
            continue
        rows = _method_rows(row, methods, str(crop), schedules, practice_crops, pilot)
        entry = {
            "crop": str(crop),
            "area_ha": area,
            "now_mm": _f(row["irr_gross_current_mm"]),
            "now_mcm": _f(row["withdrawal_current_mcm"]),
            "shares": {method_name(m): float(row["current_share"].sel({"method": m}))
                       for m in methods if float(row["current_share"].sel({"method": m})) > 0},
            "methods": rows,
        }
        if str(line) == "leaching":
            entry["depth_mm"] = rows[0]["gross_mm"] if rows else None
            ctx["leaching"] = entry
            continue
        if str(line) != "crop":  # other off-season lines (moisture charging): no advice
            continue
        # ET0 of the crop's season is the same under every method (irrigate.engine.budget)
        entry["et0_mm"] = _f(row["et0_mm"].max("method")) if row.sizes["method"] else None
        entry.update(_advice(rows, entry["now_mcm"]))
        ctx["crops"].append(entry)
    # methods that apply to at least one crop here; a requested one that applies to none
    # (an upland method for paddy rice, a paddy method for upland crops) is explained instead
    applicable = [m for m in methods if any(r["method"] == m for c in ctx["crops"]
                                            for r in c["methods"])]
    ctx["not_applicable"] = "; ".join(
        f"{_display(m)}: {why}"
        for m, why in inapplicable_methods(ds, [c["crop"] for c in ctx["crops"]], applicable))
    if ctx["crops"]:
        totals = reg
        ctx["now_total_mcm"] = float(totals["scenario_withdrawal_current_mcm"])
        for m in applicable:
            w = _f(totals["scenario_withdrawal_mcm"].sel({"method": m}))
            if w is None:
                continue
            # of the area the scenario moves to the method, the share left short of water
            moved = [(c["area_ha"], r["stress"]) for c in ctx["crops"] for r in c["methods"]
                     if r["method"] == m]
            area = sum(a for a, _ in moved)
            ctx["scenarios"].append({
                "method": m, "display": _display(m), "name": method_name(m),
                "withdrawal_mcm": w,
                "saving_mcm": _f(totals["scenario_saving_vs_current_mcm"].sel({"method": m})),
                "saving_pct": _f(totals["scenario_saving_vs_current_pct"].sel({"method": m})),
                "stressed_pct": 100.0 * sum(a for a, short in moved if short) / area
                if area > 0 else None,
            })
    return ctx


def _bars(ctx: dict[str, Any], width: int = 600, bar: int = 18) -> str:
    """Inline SVG bar chart of the regional withdrawal, now and per method scenario."""
    items = [("today", ctx.get("now_total_mcm"))] + [
        (s["name"], s["withdrawal_mcm"]) for s in ctx["scenarios"]]
    items = [(k, v) for k, v in items if v is not None]
    if not items:
        return ""
    top = max(v for _, v in items) or 1.0
    label_w, gap = 200, 6
    height = len(items) * (bar + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'role="img" aria-label="withdrawal by scenario, million m3">']
    for i, (k, v) in enumerate(items):
        y = gap + i * (bar + gap)
        w = (width - label_w - 90) * v / top
        fill = "#7a7a7a" if k == "today" else "#2f7fb5"
        parts.append(f'<text x="0" y="{y + bar - 5}" font-size="12">{html.escape(k)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" '
                     f'fill="{fill}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 5}" font-size="12">'
                     f'{v:,.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )

    def num(value: Any, decimals: int = 0) -> str:
        if value is None or not math.isfinite(float(value)):
            return "-"
        return f"{float(value):,.{decimals}f}"

    env.filters["num"] = num
    return env


def render_report(ds: xr.Dataset, regions: Sequence[str] | None = None,
                  fmt: str = "markdown", library: Library | None = None) -> str:
    """Render the advisory report of ``regions`` (default: every region of ``ds``).

    Parameters
    ----------
    ds : Dataset
        A budget from :func:`irrigate.engine.budget`.
    regions : list of str, optional
        Region codes; each gets its own section.
    fmt : {"markdown", "html"}
        Output format; HTML is one self-contained page with inline SVG charts.
    library : Library, optional
        The parameter library the budget was run with (the crops each practice was written
        for, :attr:`~irrigate.library.Library.practice_crops`); default: the bundled one.

    """
    if fmt not in REPORT_FORMATS:
        raise InputError(f"--format {fmt}: unknown report format; use one of "
                         f"{', '.join(REPORT_FORMATS)}")
    codes = list(regions) if regions else [str(c) for c in ds["region"].values]
    library = library if library is not None else load_library()
    contexts = [region_context(ds, c, library) for c in codes]
    if fmt == "html":
        for ctx in contexts:
            ctx["chart"] = _bars(ctx)
    template = _environment().get_template(
        "region_report.md.j2" if fmt == "markdown" else "region_report.html.j2")
    climate = str(ds.attrs.get("climate_source", ""))
    return template.render(regions=contexts, season=ds.attrs.get("season", ""),
                           climate=climate, synthetic="synthetic" in climate.lower(),
                           no_stress_pct=NO_STRESS_PCT, negligible_pct=NEGLIGIBLE_PCT)
