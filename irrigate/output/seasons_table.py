"""Formats of a budget over many seasons: the dependable-year budget and the spread of seasons.

The input is the Dataset of :func:`irrigate.engine.seasons.budget_seasons` (a ``season``
dimension, statistics and the ``design_*`` dependable-year variables; with a climate delta,
a ``scenario`` dimension). :func:`design_view` turns the dependable-year variables into a
single-season budget, so the table, CSV, JSON and Markdown of :mod:`irrigate.output.
budget_table` print it unchanged; the statistics across seasons, the per-season values of a
small selection, the limits and the scenario comparison follow. ``docs/budget.md`` ("Many
seasons") defines every key.
"""

from __future__ import annotations

import csv
import io
import json
import math
import textwrap
from typing import Any

import numpy as np
import xarray as xr

from irrigate.output.budget_table import format_table, to_markdown, to_records
from irrigate.output.records import _DECIMALS, _DEFAULT_DECIMALS

#: Statistics added to every line of the JSON and CSV (dataset variable = key).
STAT_FIELDS: tuple[str, ...] = (
    "n_seasons",
    "irr_net_mm_mean", "irr_net_mm_sd", "irr_net_mm_p",
    "irr_gross_mm_mean", "irr_gross_mm_sd", "irr_gross_mm_p",
    "withdrawal_mcm_mean", "withdrawal_mcm_sd", "withdrawal_mcm_p",
    "eta_mm_mean", "precip_mm_mean", "precip_mm_p", "et0_mm_mean", "normality_p",
)
#: Per-region keys of the JSON ``regions`` list.
REGION_FIELDS: tuple[str, ...] = (
    "region_withdrawal_current_mcm_mean", "region_withdrawal_current_mcm_sd",
    "region_withdrawal_current_mcm_p", "limit_mcm", "seasons_over_limit_current",
    "mean_excess_current_mcm", "max_excess_current_mcm",
)
#: Lines (region x crop x method) up to which the table lists every season.
PER_SEASON_LINES = 8
_PLAIN = ("area_ha", "current_share", "conveyance_efficiency")


def _num(value: Any, name: str = "") -> float | None:
    v = float(value)
    if not math.isfinite(v):
        return None
    return round(v, _DECIMALS.get(name, _DEFAULT_DECIMALS))


def _scenario(ds: xr.Dataset, name: str = "baseline") -> xr.Dataset:
    if "scenario" in ds.dims:
        sub = ds.sel(scenario=name, drop=True)
        sub.attrs = dict(ds.attrs)
        return sub
    return ds


def design_view(ds: xr.Dataset) -> xr.Dataset:
    """Return the dependable-year budget as a single-season budget Dataset.

    The last season gives every variable and flag of a single-season budget; the
    ``design_*`` variables (values at P) replace their namesakes, and the areas, shares and
    efficiencies are those of any season (they do not change between seasons).
    """
    ds = _scenario(ds)
    season_dims = [n for n in ds.data_vars if "season" in ds[n].dims]
    out = ds[season_dims].isel(season=-1, drop=True)
    keep = [n for n in out.data_vars
            if not n.startswith(("region_withdrawal", "national_withdrawal"))]
    out = out[keep]
    for name in ds.data_vars:
        if name.startswith("design_"):
            out[name[len("design_"):]] = ds[name]
    for name in _PLAIN + ("irrigated_area_ha",):
        out[name] = ds[name].max("season")
    out["covered"] = ds["covered"].any("season")
    out.attrs = dict(ds.attrs)
    out.attrs["season"] = ""  # the header above the table names the dependable year
    return out


def _lines(ds: xr.Dataset) -> list[tuple[int, int, int]]:
    """Return the indices (region, crop, method) of crop lines with a value in a season."""
    gross = ds["irr_gross_mm_p"].transpose("region", "crop", "method").values
    area = ds["area_ha"].max("season").transpose("region", "crop").values
    mean = ds["irr_gross_mm_mean"].transpose("region", "crop", "method").values
    crop_line = (ds["line"].values == "crop") if "line" in ds.coords else \
        np.ones(ds.sizes["crop"], bool)
    # the off-season leaching line is the same every season: left out of the spread
    return [(i, j, k) for i, j, k in np.ndindex(gross.shape)
            if area[i, j] > 0 and crop_line[j] and np.isfinite(mean[i, j, k])]


def _header(ds: xr.Dataset) -> list[str]:
    p = float(ds.attrs["probability"])
    out = [f"Dependable-year budget: P = {100 * p:g} % over {ds.attrs['n_seasons']} seasons "
           f"({ds.attrs['seasons']})"]
    out += textwrap.wrap(
        f"Each depth is the value not exceeded in {100 * p:g} % of the seasons, line by line "
        f"({ds.attrs['estimator']}); volumes and savings follow from those depths. Default P: "
        f"{ds.attrs['probability_source']}.", 100)
    need = math.ceil(p / (1.0 - p) - 1e-9)
    if str(ds.attrs["estimator"]).startswith("weibull") and int(ds.attrs["n_seasons"]) < need:
        out += textwrap.wrap(
            f"WARNING: {ds.attrs['n_seasons']} seasons cannot give the {100 * p:g} % value "
            f"empirically (it needs at least {need}): the values at P are missing ('-'); use "
            "more seasons, a lower P or --estimator normal.", 100)
    if ds.attrs.get("left_out", "none") != "none":
        out += textwrap.wrap(f"Left out: {ds.attrs['left_out']}", 100)
    return out


def _stats_block(ds: xr.Dataset) -> list[str]:
    """Mean, sd and value at P of gross and net depth per line; per season when few lines."""
    p = 100 * float(ds.attrs["probability"])
    lines = _lines(ds)
    codes = [str(c) for c in ds["region"].values]
    crops = [str(c) for c in ds["crop"].values]
    methods = [str(m) for m in ds["method"].values]
    out = ["", f"Across seasons: depths at the field, mm (mean, sd, value at P = {p:g} %, "
               "driest and wettest season)",
           f"{'region':<7}{'crop':<13}{'method':<13}{'n':>3}{'gross':>7}{'sd':>5}{'at P':>6}"
           f"{'max':>6}{'min':>6}{'net':>6}{'sd':>5}{'at P':>6}"]
    arr = {v: ds[v].transpose("region", "crop", "method").values for v in (
        "n_seasons", "irr_gross_mm_mean", "irr_gross_mm_sd", "irr_gross_mm_p",
        "irr_net_mm_mean", "irr_net_mm_sd", "irr_net_mm_p")}
    gross = ds["irr_gross_mm"].transpose("region", "crop", "method", "season").values

    def f(x: float, width: int) -> str:
        return f"{x:>{width},.0f}" if np.isfinite(x) else f"{'-':>{width}}"

    for i, j, k in lines:
        series = gross[i, j, k]
        out.append(f"{codes[i]:<7}{crops[j][:12]:<13}{methods[k][:12]:<13}"
                   f"{int(arr['n_seasons'][i, j, k]):>3}"
                   + f(arr["irr_gross_mm_mean"][i, j, k], 7) + f(arr["irr_gross_mm_sd"][i, j, k], 5)
                   + f(arr["irr_gross_mm_p"][i, j, k], 6) + f(np.nanmax(series), 6)
                   + f(np.nanmin(series), 6) + f(arr["irr_net_mm_mean"][i, j, k], 6)
                   + f(arr["irr_net_mm_sd"][i, j, k], 5) + f(arr["irr_net_mm_p"][i, j, k], 6))
    if 0 < len(lines) <= PER_SEASON_LINES:
        net = ds["irr_net_mm"].transpose("region", "crop", "method", "season").values
        seasons = [int(s) for s in ds["season"].values]
        out += ["", "Per season: gross / net depth, mm"]
        head = f"{'season':<8}" + "".join(
            f"{(crops[j][:9] + ' ' + methods[k][:8]):>19}" for _, j, k in lines)
        out.append(head)
        for s, year in enumerate(seasons):
            out.append(f"{year:<8}" + "".join(
                f"{f(gross[i, j, k, s], 9)} /{f(net[i, j, k, s], 7)} " for i, j, k in lines))
    return out


def _region_block(ds: xr.Dataset) -> list[str]:
    """Withdrawal of today's practice per region across seasons, and the limits."""
    p = 100 * float(ds.attrs["probability"])
    names = ds["region_name"].values if "region_name" in ds.coords else ds["region"].values
    now = ds["region_withdrawal_current_mcm"].transpose("region", "season").values
    seasons = [int(s) for s in ds["season"].values]
    has_limit = "limit_mcm" in ds
    out = ["", f"Withdrawal of today's practice per region, Mm3 (all lines): mean, sd, at P = "
               f"{p:g} %, driest season" + (", limit and seasons above it" if has_limit else "")]
    out.append(f"{'region':<24}{'mean':>8}{'sd':>7}{'at P':>8}{'max':>8}{'in':>6}"
               + (f"{'limit':>8}{'over':>9}{'mean excess':>12}{'max':>8}" if has_limit else ""))
    for i, code in enumerate(ds["region"].values):
        series = now[i]
        if not np.isfinite(series).any() or not np.nanmax(series) > 0:
            continue
        k = int(np.nanargmax(series))
        row = (f"{str(code) + ' ' + str(names[i]):<24.24}"
               f"{float(ds['region_withdrawal_current_mcm_mean'][i]):>8,.0f}"
               f"{float(ds['region_withdrawal_current_mcm_sd'][i]):>7,.0f}"
               f"{_fmt(ds['region_withdrawal_current_mcm_p'][i]):>8}"
               f"{series[k]:>8,.0f}{seasons[k]:>6}")
        if has_limit:
            limit = float(ds["limit_mcm"][i])
            if np.isfinite(limit):
                over = int(ds["seasons_over_limit_current"][i])
                row += (f"{limit:>8,.0f}{f'{over} of {len(seasons)}':>9}"
                        f"{_fmt(ds['mean_excess_current_mcm'][i]):>12}"
                        f"{_fmt(ds['max_excess_current_mcm'][i]):>8}")
        out.append(row)
    if "total_withdrawal_current_mcm" in ds and len(names) > 1:
        series = ds["total_withdrawal_current_mcm"].values
        if np.isfinite(series).any():
            k = int(np.nanargmax(series))
            out.append(f"{'all regions budgeted':<24}"
                       f"{float(ds['total_withdrawal_current_mcm_mean']):>8,.0f}"
                       f"{float(ds['total_withdrawal_current_mcm_sd']):>7,.0f}"
                       f"{_fmt(ds['total_withdrawal_current_mcm_p']):>8}"
                       f"{series[k]:>8,.0f}{seasons[k]:>6}")
    if has_limit:
        out += textwrap.wrap(
            "over: seasons in which today's practice withdraws more than the limit; excess = "
            "withdrawal - limit in those seasons (mean and largest). The JSON and NetCDF give "
            "the same for every method scenario (seasons_over_limit, ...).", 100)
    return out


def _fmt(value: Any) -> str:
    v = float(value)
    return f"{v:,.0f}" if math.isfinite(v) else "-"


def _scenario_block(ds: xr.Dataset) -> list[str]:
    """Baseline beside the climate scenario: mean and value at P of gross depth, withdrawal."""
    if "scenario" not in ds.dims:
        return []
    base, delta = _scenario(ds, "baseline"), _scenario(ds, "delta")
    p = 100 * float(ds.attrs["probability"])
    codes = [str(c) for c in ds["region"].values]
    crops = [str(c) for c in ds["crop"].values]
    methods = [str(m) for m in ds["method"].values]
    out = ["", *textwrap.wrap(f"Climate scenario: {ds.attrs.get('delta', '')}", 100),
           f"gross at the field, mm: baseline and scenario, mean and at P = {p:g} %",
           f"{'region':<7}{'crop':<13}{'method':<13}{'base mean':>10}{'scen mean':>10}"
           f"{'change %':>9}{'base P':>8}{'scen P':>8}{'change %':>9}"]
    bm = base["irr_gross_mm_mean"].transpose("region", "crop", "method").values
    sm = delta["irr_gross_mm_mean"].transpose("region", "crop", "method").values
    bp = base["irr_gross_mm_p"].transpose("region", "crop", "method").values
    sp = delta["irr_gross_mm_p"].transpose("region", "crop", "method").values

    def pct(a: float, b: float) -> str:
        return f"{100 * (b - a) / a:>9.1f}" if np.isfinite(a) and a > 0 and np.isfinite(b) \
            else f"{'-':>9}"

    for i, j, k in _lines(base):
        out.append(f"{codes[i]:<7}{crops[j][:12]:<13}{methods[k][:12]:<13}"
                   f"{bm[i, j, k]:>10,.0f}{sm[i, j, k]:>10,.0f}{pct(bm[i, j, k], sm[i, j, k])}"
                   f"{bp[i, j, k]:>8,.0f}{sp[i, j, k]:>8,.0f}{pct(bp[i, j, k], sp[i, j, k])}")
    out.append("withdrawal of today's practice, Mm3: baseline and scenario")
    out.append(f"{'region':<24}{'base mean':>10}{'scen mean':>10}{'change %':>9}{'base P':>8}"
               f"{'scen P':>8}{'change %':>9}")
    names = ds["region_name"].values if "region_name" in ds.coords else ds["region"].values
    for i, code in enumerate(codes):
        a = float(base["region_withdrawal_current_mcm_mean"][i])
        b = float(delta["region_withdrawal_current_mcm_mean"][i])
        c = float(base["region_withdrawal_current_mcm_p"][i])
        d = float(delta["region_withdrawal_current_mcm_p"][i])
        if not a > 0:
            continue
        out.append(f"{code + ' ' + str(names[i]):<24.24}{a:>10,.0f}{b:>10,.0f}{pct(a, b)}"
                   f"{_fmt(c):>8}{_fmt(d):>8}{pct(c, d)}")
    return out


def format_seasons_table(ds: xr.Dataset) -> str:
    """Return the printed dependable-year budget, the spread of seasons and any scenario."""
    base = _scenario(ds)
    out = _header(base) + [""]
    out.append(format_table(design_view(ds)).rstrip("\n"))
    out += _stats_block(base) + _region_block(base) + _scenario_block(ds)
    return "\n".join(line.rstrip() for line in out) + "\n"


def to_season_records(ds: xr.Dataset) -> list[dict[str, Any]]:
    """Return the dependable-year records with statistics and per-season depths.

    The records of :func:`~irrigate.output.budget_table.to_records`, plus the statistics of
    :data:`STAT_FIELDS` and the gross and net depth of every season.
    """
    base = _scenario(ds)
    # lines with a value in some season, also where the record cannot give P (NaN there)
    mean = base["irr_gross_mm_mean"]
    records = [r for r in to_records(design_view(ds), include_inapplicable=True)
               if (r["area_ha"] or 0) > 0 and np.isfinite(float(mean.sel(
                   {"region": r["region_code"], "crop": r["crop"], "method": r["method"]})))]
    seasons = [int(s) for s in base["season"].values]
    stats = {n: base[n] for n in STAT_FIELDS if n in base}
    for rec in records:
        where = {"region": rec["region_code"], "crop": rec["crop"], "method": rec["method"]}
        for name, da in stats.items():
            rec[name] = _num(da.sel(where), name)
        for name in ("irr_gross_mm", "irr_net_mm"):
            values = base[name].sel(where).transpose("season").values
            rec[f"{name}_by_season"] = dict(zip(map(str, seasons),
                                                (_num(v) for v in values), strict=True))
    return records


def _regions(ds: xr.Dataset) -> list[dict[str, Any]]:
    base = _scenario(ds)
    seasons = [str(int(s)) for s in base["season"].values]
    out = []
    names = base["region_name"].values if "region_name" in base.coords else base["region"].values
    for i, code in enumerate(base["region"].values):
        series = base["region_withdrawal_current_mcm"].isel(region=i).transpose("season").values
        if not np.isfinite(series).any():
            continue
        rec: dict[str, Any] = {"region_code": str(code), "region": str(names[i])}
        for name in REGION_FIELDS:
            if name in base:
                rec[name] = _num(base[name].isel(region=i), name)
        rec["region_withdrawal_current_mcm_by_season"] = dict(zip(
            seasons, (_num(v) for v in series), strict=True))
        if "scenario" in ds.dims:
            delta = _scenario(ds, "delta")
            rec["scenario_region_withdrawal_current_mcm_mean"] = _num(
                delta["region_withdrawal_current_mcm_mean"].isel(region=i))
            rec["scenario_region_withdrawal_current_mcm_p"] = _num(
                delta["region_withdrawal_current_mcm_p"].isel(region=i))
        out.append(rec)
    return out


def to_seasons_json(ds: xr.Dataset) -> str:
    """Return the JSON object of a budget over many seasons (keys in docs/budget.md)."""
    base = _scenario(ds)
    doc: dict[str, Any] = {
        "seasons": [int(s) for s in base["season"].values],
        "probability": float(ds.attrs["probability"]),
        "probability_source": ds.attrs["probability_source"],
        "estimator": ds.attrs["estimator"],
        "climate_source": ds.attrs.get("climate_source", ""),
        "left_out": ds.attrs.get("left_out", "none"),
        "lines": to_season_records(ds),
        "regions": _regions(ds),
        "total_withdrawal_current_mcm_mean": _num(
            base["total_withdrawal_current_mcm_mean"]),
        "total_withdrawal_current_mcm_sd": _num(base["total_withdrawal_current_mcm_sd"]),
        "total_withdrawal_current_mcm_p": _num(base["total_withdrawal_current_mcm_p"]),
        "total_withdrawal_current_mcm_by_season": dict(zip(
            (str(int(y)) for y in base["season"].values),
            (_num(v) for v in base["total_withdrawal_current_mcm"].values), strict=True)),
    }
    if "scenario" in ds.dims:
        doc["delta"] = ds.attrs.get("delta", "")
        scen = ds.copy()
        scen = scen.sel(scenario="delta", drop=True)
        scen.attrs = dict(ds.attrs)
        doc["scenario_lines"] = to_season_records(scen)
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def to_seasons_csv(ds: xr.Dataset) -> str:
    """Return the dependable-year lines with their statistics as CSV (no per-season columns)."""
    records = [{k: v for k, v in r.items() if not k.endswith("_by_season")}
               for r in to_season_records(ds)]
    buffer = io.StringIO()
    fields = list(records[0]) if records else []
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: "" if v is None else v for k, v in rec.items()})
    return buffer.getvalue()


def to_seasons_markdown(ds: xr.Dataset) -> str:
    """Return the dependable-year budget in Markdown, with the spread as a fenced block."""
    base = _scenario(ds)
    text = "\n".join(_header(base)) + "\n\n" + to_markdown(design_view(ds))
    extra = _stats_block(base) + _region_block(base) + _scenario_block(ds)
    return text + "\n```\n" + "\n".join(extra).strip("\n") + "\n```\n"


FORMATS = {"table": format_seasons_table, "csv": to_seasons_csv, "json": to_seasons_json,
           "markdown": to_seasons_markdown}


def render_seasons(ds: xr.Dataset, fmt: str) -> str:
    """Return a budget over many seasons in ``fmt``: table, csv, json or markdown."""
    return FORMATS[fmt](ds)
