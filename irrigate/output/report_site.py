"""The advisory report as a small site: national overview, one page per region, PDF.

From ONE budget Dataset (:func:`irrigate.budget`) this module builds, in one language
(:mod:`irrigate.output.i18n`):

* ``index.html`` — national overview: a map of the regions coloured by today's withdrawal
  per hectare, a ranked table, contents and links;
* ``<code>.html`` and ``<code>.md`` per region — a summary box first, then per crop the
  comparison of methods (mm, m³/ha, million m³), an irrigation calendar for the main crops
  under the advised method, monthly withdrawal and scheme supply (l/s per ha), charts and a
  glossary;
* ``tables/*.csv`` with provenance comment lines, ``budget.json`` (records plus metadata);
* ``report.pdf`` (A4) through headless Chromium, when it is installed.

The advice and every seasonal number come from :mod:`irrigate.output.report`
(:func:`~irrigate.output.report.region_context`) and so from the budget. Dates, the Kc/depletion
curves and the *shape* of the monthly withdrawal come from the typical field of each region
(:mod:`irrigate.output.typical`); the monthly volumes are scaled to the budget's seasonal
withdrawal, so the months add up to the budget's totals.
"""

from __future__ import annotations

import calendar as _calmod
import datetime as _dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.errors import InputError
from irrigate.output.budget_text import film_text, schedules_text
from irrigate.output.i18n import Catalog, catalog
from irrigate.output.report import NO_STRESS_PCT, region_context

__all__ = ["ReportInputs", "build_site", "ratio_text", "schedule_map", "typical_plan",
           "region_names", "synthetic", "provenance"]

#: main crops of a region that get a calendar (the largest by area)
MAIN_CROPS = 3
#: 1 million m³ in litres, and seconds in a day
_LITRES_PER_MCM = 1e9
_SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class ReportInputs:
    """What the budget was run on, so the typical fields use the same inputs.

    Parameters mirror :func:`irrigate.budget`; ``command`` is recorded in the provenance.
    """

    climate: Any = None
    models: Any = None
    layout: Any = "2024"
    elevation: Any = None
    var_map: dict[str, str] | None = None
    irrigated_fraction: Any = None
    command: str = "irrigate report"
    options: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- small helpers


def ratio_text(value: float | None, cat: Catalog, threshold: float = NO_STRESS_PCT) -> str:
    """ETa/ETc in % with as few decimals as keep the stress flag and the shown value agree.

    89.85 % is shown ``89,9`` (flagged), never ``90``: the smallest number of decimals (0-3)
    whose rounded value lies on the same side of ``threshold`` as the value itself.
    """
    if value is None or not math.isfinite(value):
        return cat.num(None)
    below = value < threshold
    for decimals in range(4):
        if (round(value, decimals) < threshold) == below:
            return cat.num(value, decimals)
    return cat.num(value, 3)


def region_names(codes: Sequence[str], layout: Any, lang: str) -> dict[str, str]:
    """Names of the regions in ``lang`` from the boundary data (``ADM1_RU``, ``ADM1_KK``).

    Russian and Kazakh names are completed with their kind (``Туркестанская область``,
    ``Түркістан облысы``, ``г. Астана``, ``Астана қаласы``); a Latin ``i`` in a Kazakh name
    (``Солтүстiк`` in the geokz file) is written as the Kazakh letter ``і``.
    """
    from irrigate.regions import load_regions

    regions = load_regions(layout)
    out = {}
    for code in codes:
        try:
            r = regions.lookup(code)
        except InputError:
            out[code] = code
            continue
        city = r.kind == "city"
        if lang == "ru" and r.name_ru:
            name = RU_NAME_FIXES.get(r.name_ru, r.name_ru)
            out[code] = f"г. {name}" if city else f"{name} область"
        elif lang == "kk" and r.name_kk:
            name = r.name_kk.replace(" (қала)", "").replace("i", "і").replace("I", "І")
            out[code] = f"{name} қаласы" if city else f"{name} облысы"
        else:
            out[code] = r.name_en
    return out


#: Russian names of the boundary data that differ from the official Russian name
#: (Shymkent: the Russian-language name is Шымкент since 1993; the geokz file has Чимкент)
RU_NAME_FIXES = {"Чимкент": "Шымкент"}


def _f(value: Any) -> float | None:
    v = float(value)
    return v if math.isfinite(v) else None


def schedule_map(ds: xr.Dataset) -> dict[str, str]:
    """Return method -> schedule the budget simulated it with (``schedule`` on ``method``)."""
    if "schedule" not in ds.coords:
        return {}
    return {str(m): str(s) for m, s in zip(ds["method"].values, ds["schedule"].values,
                                           strict=True) if str(s)}


def synthetic(ds: xr.Dataset) -> bool:
    """Whether the budget ran on synthetic weather (the bundled sample)."""
    return "synthetic" in str(ds.attrs.get("climate_source", "")).lower()


# --------------------------------------------------------------------------- provenance


def provenance(ds: xr.Dataset, inputs: ReportInputs) -> dict[str, str]:
    """Season, climate source (and whether synthetic), options, library and package version."""
    from irrigate import __version__
    from irrigate.library import load_library

    lib = load_library(inputs.models)
    files = getattr(lib, "files", {}) or {}
    library = "bundled models/ of irrigate " + __version__ if inputs.models is None \
        else f"{inputs.models}"
    return {
        "season": str(ds.attrs.get("season", "")),
        "climate_source": str(ds.attrs.get("climate_source", "")),
        "climate_synthetic": "yes" if synthetic(ds) else "no",
        "options": "; ".join(f"{k}={v}" for k, v in inputs.options.items()) or "defaults",
        "schedules": schedules_text(ds),
        "film_crop": film_text(ds),
        "parameter_library": library + (f" ({len(files)} files)" if files else ""),
        "irrigate_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "command": inputs.command,
    }


# --------------------------------------------------------------------------- contexts


def _method_rows(crop: dict[str, Any], cat: Catalog) -> list[dict[str, Any]]:
    rows = []
    for r in crop["methods"]:
        rows.append({**r, "label": cat.method(r["method"]),
                     "m3ha": None if r["gross_mm"] is None else 10.0 * r["gross_mm"],
                     "ratio_text": ratio_text(r["et_ratio_pct"], cat)})
    return rows


def _advised_summary(crops: list[dict[str, Any]], now_total: float) -> dict[str, Any]:
    picks = [c for c in crops if c.get("advised")]
    saving = sum(c["advised"]["saving_mcm"] or 0.0 for c in picks)
    ratios = [c["advised"]["et_ratio_pct"] for c in picks if c["advised"]["et_ratio_pct"]]
    return {"saving_mcm": saving,
            "saving_pct": 100.0 * saving / now_total if now_total else None,
            "min_ratio": min(ratios) if ratios else None,
            "changes": [c for c in picks
                        if c.get("today_shares", {}).get(c["advised"]["method"], 0.0) < 0.999]}


def _events(d: xr.Dataset, method: str) -> list[dict[str, Any]]:
    cell = d.sel({"method": method})
    net = cell["irr_net"].values
    gross = cell["irr_gross"].values
    dr = cell["dr"].values
    times = pd.DatetimeIndex(cell["time"].values)
    out: list[dict[str, Any]] = []
    last: pd.Timestamp | None = None
    for i in np.flatnonzero(net > 0):
        before = float(dr[i - 1]) if i > 0 else 0.0
        out.append({"date": times[i], "net_mm": float(net[i]), "gross_mm": float(gross[i]),
                    "m3ha": 10.0 * float(gross[i]), "depletion_mm": before,
                    "days": None if last is None else int((times[i] - last).days)})
        last = times[i]
    return out


def _calendar(d: xr.Dataset, crop: str, method: str, schedule: str, cat: Catalog
              ) -> dict[str, Any]:
    events = _events(d, method)
    days = [e["days"] for e in events if e["days"]]
    raw = d["raw"].sel({"method": method}).values
    times = pd.DatetimeIndex(d["time"].values)
    raw_at = [float(raw[times.get_loc(e["date"])]) for e in events]
    interval = float(np.median(days)) if days else None
    if schedule in ("fao_mad", "mad") or schedule.endswith("mad"):
        trigger = cat.t("trigger_raw", raw=cat.num(np.mean(raw_at) if raw_at else None),
                        days=cat.num(interval))
    else:
        trigger = cat.t("trigger_calendar", days=cat.num(interval))
    return {"crop": crop, "crop_name": cat.crop(crop), "method": method,
            "method_name": cat.method(method), "sowing": cat.date(times[0]),
            "harvest": cat.date(times[-1]), "events": events, "trigger": trigger,
            "total_gross_mm": float(sum(e["gross_mm"] for e in events)),
            "schedule": schedule}


def _fractions(d: xr.Dataset, method: str) -> pd.Series:
    """Share of the typical field's seasonal gross irrigation in each (year, month)."""
    gross = d["irr_gross"].sel({"method": method}).to_series()
    if gross.sum() <= 0:  # no irrigation in the typical season: spread by crop ET
        gross = d["etc"].sel({"method": method}).to_series()
    by_month = gross.groupby([gross.index.year, gross.index.month]).sum()
    return by_month / by_month.sum()


def _monthly(ds: xr.Dataset, code: str, crops: list[dict[str, Any]],
             typical: dict[str, xr.Dataset], lib: Any, season: int
             ) -> dict[tuple[int, int], dict[str, float]]:
    """Withdrawal per month (million m³), today and with the advice, scaled to the budget."""
    reg = ds.sel(region=code)
    out: dict[tuple[int, int], dict[str, float]] = {}

    def add(key: tuple[int, int], what: str, value: float) -> None:
        out.setdefault(key, {"now": 0.0, "advised": 0.0})[what] += value

    for c in crops:
        crop = c["crop"]
        row = reg.sel(crop=crop)
        shares = {str(m): float(row["current_share"].sel({"method": m}))
                  for m in ds["method"].values}
        adv = c["advised"]["method"] if c.get("advised") else None
        plans: dict[str, list[tuple[str, float]]] = {"now": [], "advised": []}
        for m, s in shares.items():
            if s > 0:
                w = _f(_today_withdrawal(row, m))
                if w is None:  # share on a method not shown: keep its mix value
                    continue
                plans["now"].append((m, s * w))
        if not plans["now"] and c["now_mcm"]:
            plans["now"] = [("", c["now_mcm"])]
        # today's practice (the budget's now) spread like its methods' columns
        total = sum(v for _, v in plans["now"])
        if total > 0 and c["now_mcm"]:
            plans["now"] = [(m, v * c["now_mcm"] / total) for m, v in plans["now"]]
        plans["advised"] = ([(adv, _f(row["withdrawal_mcm"].sel({"method": adv})) or 0.0)]
                            if adv else list(plans["now"]))
        for what, parts in plans.items():
            for m, volume in parts:
                d = typical.get(crop)
                if d is not None and m in d["method"].values:
                    frac = _fractions(d, m)
                else:  # rice, or a method without a typical run: even over the season
                    rec = lib.crop(crop)
                    sow = _sowing_date(lib, lib.regions[code].sowing_zone, rec, season)
                    days = pd.date_range(sow, periods=rec.season_length, freq="D")
                    s = pd.Series(1.0, index=days)
                    frac = s.groupby([s.index.year, s.index.month]).sum() / len(days)
                for key, share in frac.items():
                    add((int(key[0]), int(key[1])), what, volume * float(share))
    return dict(sorted(out.items()))


def _today_withdrawal(row: xr.Dataset, method: str) -> xr.DataArray:
    """Withdrawal (million m³) of a crop's whole area under ``method`` as practised today.

    Today's calendar times the practice factor (``irr_gross_today_mm``) at the method's
    source-to-field efficiency (``method_efficiency``), so that today's methods weighted by
    their shares add up to ``withdrawal_current_mcm``; a budget without today's depths
    falls back to the method's column.
    """
    pick = {"method": method}
    if "irr_gross_today_mm" not in row or "method_efficiency" not in row:
        return row["withdrawal_mcm"].sel(pick)
    return (row["irr_gross_today_mm"].sel(pick) * row["area_ha"] * 1e-5
            / row["method_efficiency"].sel(pick))


def _sowing_date(lib: Any, zone: str, crop: Any, year: int) -> pd.Timestamp:
    """Sowing day of ``crop`` for the season harvested in ``year`` (as the budget sows it).

    Day of year from ``models/sowing.toml``; a season that would end after 31 December is
    sown the autumn before.
    """
    doy = lib.sowing_doy(zone, crop.name)
    sow = pd.Timestamp(year, 1, 1) + pd.Timedelta(days=doy - 1)
    if sow + pd.Timedelta(days=crop.season_length - 1) > pd.Timestamp(year, 12, 31):
        sow = pd.Timestamp(year - 1, 1, 1) + pd.Timedelta(days=doy - 1)
    return sow


def _charts(ctx: dict[str, Any], typical: dict[str, xr.Dataset], cat: Catalog
            ) -> dict[str, str]:
    from irrigate.output import charts

    out: dict[str, str] = {}
    rows = [{"name": cat.t("today"), "value": ctx["now_total_mcm"], "kind": "today",
             "note": cat.num(ctx["now_total_mcm"])}]
    for s in ctx["scenarios"]:
        stressed = (s["stressed_pct"] or 0.0) > 0
        note = cat.num(s["withdrawal_mcm"]) + (
            " — " + cat.t("chart_short_note", pct=cat.num(s["stressed_pct"]))
            if stressed else " — " + cat.t("chart_full_note"))
        rows.append({"name": s["label"], "value": s["withdrawal_mcm"],
                     "kind": "stress" if stressed else "full", "note": note})
    out["scenarios"] = charts.scenario_chart(rows, {
        "xlabel": cat.t("unit_mcm_axis"), "today": cat.t("legend_today"),
        "full": cat.t("legend_full"), "stress": cat.t("legend_stress")})
    parts = [("t", cat.t("part_t")), ("e", cat.t("part_e")), ("evap", cat.t("part_evap")),
             ("ro", cat.t("part_ro")), ("dp", cat.t("part_dp")), ("conv", cat.t("part_conv")),
             ("leach", cat.t("part_leach"))]
    out["water_use"] = charts.water_use_chart(ctx["water_use"], parts,
                                              cat.t("unit_mcm_axis_rain"))
    series = []
    for cal in ctx["calendars"]:
        d = typical.get(cal["crop"])
        if d is None:
            continue
        cell = d.sel({"method": cal["method"]})
        et0 = cell["et0"].to_series()
        etc = cell["etc"].to_series()
        kc = (etc.rolling(7, center=True, min_periods=1).mean()
              / et0.rolling(7, center=True, min_periods=1).mean())
        series.append({"name": cal["crop_name"], "time": list(etc.index), "kc": list(kc),
                       "etc": list(etc.rolling(7, center=True, min_periods=1).mean())})
    if series:
        out["kc"] = charts.kc_chart(series, {"kc": cat.t("axis_kc"),
                                             "etc": cat.t("axis_etc")})
    main = ctx.get("depletion")
    if main:
        d = typical[main["crop"]]
        panels = []
        for m in main["methods"]:
            cell = d.sel({"method": m})
            panels.append({"name": f"{cat.crop(main['crop'])}: {cat.method(m)}",
                           "time": list(pd.DatetimeIndex(cell["time"].values)),
                           "dr": list(cell["dr"].values), "raw": list(cell["raw"].values),
                           "taw": list(cell["taw"].values),
                           "irr": list(cell["irr_gross"].values)})
        out["depletion"] = charts.depletion_chart(panels, {
            "dr": cat.t("legend_dr"), "raw": cat.t("legend_raw"), "taw": cat.t("legend_taw"),
            "irr": cat.t("legend_irr"), "ylabel": cat.t("axis_depletion")})
    return out


def _water_use(ds: xr.Dataset, code: str, ctx: dict[str, Any], cat: Catalog
               ) -> list[dict[str, Any]]:
    """Where the water of each scenario goes (million m³): ET split, losses, conveyance.

    Today: today's practice (its water balance terms ``*_current_mm`` and its gross
    irrigation ``irr_gross_current_mm``, after the practice factor). In a method's scenario
    the crops it applies to take its values, the others today's (as
    :func:`irrigate.engine.volumes.scenario_totals`); irrigation and rain together.
    """
    reg = ds.sel({"region": code, "crop": [c["crop"] for c in ctx["crops"]]})
    ce = float(reg["conveyance_efficiency"])
    methods = [str(m) for m in ds["method"].values]
    area = reg["area_ha"].values[:, None]
    shares = reg["current_share"].transpose("crop", "method").values

    def arr(name: str) -> np.ndarray:
        if name not in reg:
            return np.zeros(shares.shape)
        return reg[name].transpose("crop", "method").values

    names = {"t": ["t_mm"], "e": ["e_mm"], "evap": ["irr_loss_evap_mm"],
             "ro": ["ro_mm", "irr_loss_ro_mm"], "dp": ["dp_mm", "irr_loss_dp_mm"],
             "gross": ["irr_gross_mm"]}
    values = {k: sum(arr(n) for n in v) for k, v in names.items()}

    def today(name: str) -> np.ndarray:
        # today's own run; the share-weighted columns only for a budget without it
        current = name.removesuffix("_mm") + "_current_mm"
        if current in reg:
            return np.nan_to_num(reg[current].values)
        return (np.nan_to_num(arr(name)) * shares).sum(axis=1)

    now = {k: sum(today(n) for n in v) for k, v in names.items()}
    rows = []
    for label, method in [(cat.t("today"), None)] + [(s["label"], s["method"])
                                                     for s in ctx["scenarios"]]:
        pick = {}
        for k, v in values.items():
            if method is None:
                pick[k] = now[k]
            else:
                col = v[:, methods.index(method)]
                pick[k] = np.where(np.isfinite(col), col, now[k])
        total = {k: float((pick[k] * area[:, 0]).sum() * 1e-5) for k in pick}
        gross = total.pop("gross")
        total["conv"] = gross / ce - gross
        total["leach"] = (ctx["leaching"]["now_mcm"] or 0.0) if ctx["leaching"] else 0.0
        rows.append({"name": label, **total})
    return rows


def _mix_text(crops: list[dict[str, Any]], cat: Catalog) -> str:
    """Today's methods of the region, each with its share of the crop area (largest first).

    Each crop has its own method mix (``models/practice_shares.toml``); the summary gives
    the region's: the crop areas under each method over the whole crop area.
    """
    area: dict[str, float] = {}
    for c in crops:
        for m, share in c["today_shares"].items():
            area[m] = area.get(m, 0.0) + c["area_ha"] * share
    total = sum(area.values())
    if not total > 0:
        return ""
    return ", ".join(f"{cat.method(m)} {cat.num(100 * a / total)}\u00a0%"
                     for m, a in sorted(area.items(), key=lambda kv: -kv[1]))


def _region(ds: xr.Dataset, code: str, names: dict[str, str], lib: Any, cat: Catalog,
            typical: dict[str, xr.Dataset], schedules: dict[str, str]) -> dict[str, Any]:
    ctx = region_context(ds, code, lib)
    ctx["name"] = names.get(code, ctx["name"])
    reg = ds.sel(region=code)
    for c in ctx["crops"]:
        c["crop_name"] = cat.crop(c["crop"])
        c["rows"] = _method_rows(c, cat)
        share = reg["current_share"].sel(crop=c["crop"])
        c["today_methods"] = tuple(str(m) for m in ds["method"].values
                                   if float(share.sel({"method": m})) > 0)
        c["today_shares"] = {m: float(share.sel({"method": m})) for m in c["today_methods"]}
        c["shares_text"] = ", ".join(
            f"{cat.method(m)} {cat.num(100 * float(share.sel({'method': m})))}\u00a0%"
            for m in c["today_methods"])
        c["now_m3ha"] = None if c["now_mm"] is None else 10.0 * c["now_mm"]
    ctx["mix_text"] = _mix_text(ctx["crops"], cat)
    for s in ctx["scenarios"]:
        s["label"] = cat.method(s["method"])
        s["full"] = not (s["stressed_pct"] or 0.0) > 0
    crop_area = sum(c["area_ha"] for c in ctx["crops"])
    ctx["crop_area_ha"] = crop_area
    used = set(schedules.values())
    # one rule for every method is worth saying, except the full-demand default (issue 11),
    # where every method keeps its own limits under the FAO-56 rule
    full_demand = str(ds.attrs.get("scenario", "")).startswith("full_demand")
    ctx["one_schedule"] = used.pop() if len(used) == 1 and not full_demand else ""
    if ctx["crops"]:
        ctx["now_m3ha"] = ctx["now_total_mcm"] * 1e6 / crop_area if crop_area else None
        ctx["advice"] = _advised_summary(ctx["crops"], ctx["now_total_mcm"])
        main = sorted((c for c in ctx["crops"] if c["crop"] in typical and c.get("advised")),
                      key=lambda c: -c["area_ha"])[:MAIN_CROPS]
        ctx["calendars"] = [_calendar(typical[c["crop"]], c["crop"], c["advised"]["method"],
                                      schedules.get(c["advised"]["method"], "fao_mad"), cat)
                            for c in main]
        if main:
            top = main[0]
            today = max(top["today_methods"], key=lambda m: float(
                reg["current_share"].sel({"crop": top["crop"], "method": m})), default=None)
            methods = [m for m in dict.fromkeys([today, top["advised"]["method"]])
                       if m and m in typical[top["crop"]]["method"].values]
            ctx["depletion"] = {"crop": top["crop"], "methods": methods}
        season = int(ds.attrs.get("season", 0) or 0)
        months = _monthly(ds, code, ctx["crops"], typical, lib, season)
        ctx["monthly"] = [{
            "label": f"{cat.month(m)} {y}", "now_mcm": v["now"], "advised_mcm": v["advised"],
            "now_lsha": v["now"] * _LITRES_PER_MCM / (crop_area * _calmod.monthrange(y, m)[1]
                                                       * _SECONDS_PER_DAY),
            "advised_lsha": v["advised"] * _LITRES_PER_MCM / (
                crop_area * _calmod.monthrange(y, m)[1] * _SECONDS_PER_DAY)}
            for (y, m), v in months.items() if v["now"] > 1e-6 or v["advised"] > 1e-6]
        ctx["monthly_total"] = {"now": sum(r["now_mcm"] for r in ctx["monthly"]),
                                "advised": sum(r["advised_mcm"] for r in ctx["monthly"])}
        peak = max(ctx["monthly"], key=lambda r: r["now_lsha"], default=None)
        ctx["peak"] = peak
        ctx["water_use"] = _water_use(ds, code, ctx, cat)
        ctx["charts"] = _charts(ctx, typical, cat)
    return ctx


def typical_plan(ds: xr.Dataset, library: Any = None) -> dict[str, dict[str, list[str]]]:
    """Region -> upland crop -> methods whose typical field the site needs.

    Today's methods (share > 0) and the advised one of every crop with area; pass the result
    to :func:`irrigate.engine.typical.typical_fields` and its output to :func:`build_site`.
    """
    from irrigate.library import load_library

    lib = library if library is not None else load_library()
    contexts = {str(c): region_context(ds, str(c), lib) for c in ds["region"].values}
    plan: dict[str, dict[str, list[str]]] = {}
    for code, ctx in contexts.items():
        reg = ds.sel(region=code)
        for c in ctx["crops"]:
            if lib.crops[c["crop"]].paddy:
                continue
            row = reg.sel(crop=c["crop"])
            methods = [str(m) for m in ds["method"].values
                       if float(row["current_share"].sel({"method": m})) > 0
                       and bool(row["withdrawal_mcm"].sel({"method": m}).notnull())]
            if c.get("advised"):
                methods.append(c["advised"]["method"])
            if methods:
                plan.setdefault(code, {})[c["crop"]] = list(dict.fromkeys(methods))
    return plan


def build_site(ds: xr.Dataset, lang: str, inputs: ReportInputs | None = None,
               regions: Sequence[str] | None = None, library: Any = None,
               typical: dict[str, dict[str, xr.Dataset]] | None = None) -> dict[str, Any]:
    """Collect everything the site shows, in language ``lang``, from one budget.

    ``typical``: the typical-field series (:func:`irrigate.engine.typical.typical_fields`
    of :func:`typical_plan`); without them the pages have no calendar and no Kc or
    depletion charts, and the monthly table spreads each crop evenly over its season.

    Returns a dict: ``regions`` (code -> region context), ``order`` (codes by today's
    withdrawal per hectare, largest first), ``national`` totals, ``provenance``, ``map``
    (data URI) and the catalogue ``cat``.
    """
    from irrigate.library import load_library

    inputs = inputs or ReportInputs()
    cat = catalog(lang)
    lib = library if library is not None else load_library(inputs.models)
    codes = list(regions) if regions else [str(c) for c in ds["region"].values]
    names = region_names(codes, inputs.layout, lang)
    schedules = schedule_map(ds)
    typical = typical or {}
    contexts = {c: _region(ds, c, names, lib, cat, typical.get(c, {}), schedules)
                for c in codes}
    with_crops = [c for c in codes if contexts[c]["crops"]]
    order = sorted(with_crops, key=lambda c: -(contexts[c]["now_m3ha"] or 0.0))
    now = sum(contexts[c]["now_total_mcm"] for c in with_crops)
    saving = sum(contexts[c]["advice"]["saving_mcm"] for c in with_crops)
    area = sum(contexts[c]["crop_area_ha"] for c in with_crops)
    national = {"now_mcm": now, "saving_mcm": saving,
                "saving_pct": 100.0 * saving / now if now else None,
                "area_ha": area, "m3ha": now * 1e6 / area if area else None,
                "regions": len(with_crops)}
    site = {"regions": contexts, "order": order, "codes": codes, "national": national,
            "provenance": provenance(ds, inputs), "cat": cat, "lang": lang,
            "synthetic": synthetic(ds), "season": str(ds.attrs.get("season", "")),
            "empty": [c for c in codes if not contexts[c]["crops"]]}
    site["empty_names"] = ", ".join(contexts[c]["name"] for c in site["empty"])
    site["map"] = _map(site, inputs.layout)
    return site


def _map(site: dict[str, Any], layout: Any) -> str:
    from irrigate.output import charts
    from irrigate.regions import load_regions

    cat = site["cat"]
    regions = load_regions(layout)
    shapes = {r.code: r.geometry for r in regions}
    values = {c: site["regions"][c]["now_m3ha"] for c in site["order"]}
    labels = {}
    for r in regions:
        short = site["regions"].get(r.code, {}).get("name") or r.name_en
        labels[r.code] = short.replace(" область", "").replace(" облысы", "")
    return charts.region_map(shapes, values, labels, cat.t("map_title"), cat.t("unit_m3ha"),
                             cat.t("map_missing"))
