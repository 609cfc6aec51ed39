"""``irrigate budget --check deliveries``: modelled season withdrawal beside the reported one.

One row per region: today's modelled season withdrawal (crop lines; off-season leaching on its
own row), the reported figure of ``models/deliveries.toml`` with its year, definition and
range, their ratio, and whether the region's practice factor was fitted to it (a fitted
region meets its figure by construction: the row is a fit, not a validation). Regions without
a reported figure are listed with the area they are budgeted on and whether that area is
sourced. No science here: sums of the budget's own variables.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from irrigate.library.baseline import Delivery

#: 1 km3 in 1e6 m3.
MCM_PER_KM3 = 1000.0
#: National season withdrawal 2025 (km3), BAQ.kz 2025-10-07 (irrigation_stats_kz_sources.csv).
NATIONAL_2025_KM3 = 11.01


def _season(ds: xr.Dataset) -> xr.DataArray:
    crop = ds["line"] == "crop" if "line" in ds.coords else True
    return ds["withdrawal_current_mcm"].where(crop).sum("crop") / MCM_PER_KM3


def _leaching(ds: xr.Dataset) -> xr.DataArray:
    if "line" not in ds.coords or "leaching" not in list(ds["line"].values):
        return xr.zeros_like(ds["region"], dtype=float)
    return ds["withdrawal_current_mcm"].where(ds["line"] == "leaching").sum("crop") / \
        MCM_PER_KM3


def deliveries_rows(ds: xr.Dataset, deliveries: Mapping[str, Delivery]) -> list[dict]:
    """One dict per region: modelled, reported, ratio, fitted, area kind and key."""
    season, leach = _season(ds), _leaching(ds)
    rows = []
    for code in ds["region"].values:
        code = str(code)
        if float(ds["irrigated_area_ha"].sel(region=code)) <= 0:
            continue
        rep = deliveries.get(code)
        modelled = float(season.sel(region=code))
        fitted = bool(ds["fitted"].sel(region=code)) if "fitted" in ds else False
        rows.append({
            "region_code": code,
            "region": str(ds["region_name"].sel(region=code).values),
            "area_kind": str(ds["area_kind"].sel(region=code).values) if "area_kind" in ds
            else "",
            "area_key": str(ds["area_key"].sel(region=code).values) if "area_key" in ds
            else "",
            "area_sourced": bool(ds["area_sourced"].sel(region=code))
            if "area_sourced" in ds else True,
            "area_ha": float(ds["irrigated_area_ha"].sel(region=code)),
            "modelled_km3": modelled,
            "leaching_km3": float(leach.sel(region=code)),
            "practice_factor": float(ds["practice_factor"].sel(region=code))
            if "practice_factor" in ds else 1.0,
            "fitted": fitted,
            "reported_km3": rep.value if rep else np.nan,
            "reported_low_km3": rep.low if rep else np.nan,
            "reported_high_km3": rep.high if rep else np.nan,
            "definition": rep.definition.value if rep else "",
            "year": rep.year if rep else None,
            "ratio": modelled / rep.value if rep and rep.value > 0 else np.nan,
        })
    return rows


def render_deliveries(ds: xr.Dataset, deliveries: Mapping[str, Delivery]) -> str:
    """Plain-text table of :func:`deliveries_rows` with the southern and national sums."""
    rows = deliveries_rows(ds, deliveries)
    head = (f"{'region':<24} {'area kha':>9} {'area key':<13} {'modelled':>8} "
            f"{'reported':>14} {'definition':>10} {'ratio':>6}  {'factor':>6} status")
    out = [f"Season withdrawal of today beside the reported figures (km3; season "
           f"{ds.attrs.get('season', '?')}, {ds.attrs.get('climate_source', '')})",
           f"area: {ds.attrs.get('area_kind', 'watered')} land by default "
           "(models/areas.toml; '!' = labelled assumption, not sourced)",
           head, "-" * len(head)]
    for r in rows:
        rep = ""
        if np.isfinite(r["reported_km3"]):
            rep = f"{r['reported_km3']:.2f}"
            if r["reported_low_km3"] != r["reported_high_km3"]:
                rep += f" ({r['reported_low_km3']:g}-{r['reported_high_km3']:g})"
        status = ("fitted (a fit, not a validation)" if r["fitted"] else
                  "not fitted" if rep else "no reported figure")
        ratio = f"{r['ratio']:.2f}" if np.isfinite(r["ratio"]) else "-"
        key = r["area_key"] + ("" if r["area_sourced"] else " !")
        out.append(f"{r['region_code'] + ' ' + r['region']:<24} {r['area_ha'] / 1e3:>9.1f} "
                   f"{key:<13} {r['modelled_km3']:>8.3f} {rep:>14} {r['definition']:>10} "
                   f"{ratio:>6}  {r['practice_factor']:>6.3f} {status}")
    south = [r for r in rows if np.isfinite(r["reported_km3"])]
    other = [r for r in rows if not np.isfinite(r["reported_km3"])]
    total = sum(r["modelled_km3"] for r in rows)
    leach = sum(r["leaching_km3"] for r in rows)
    out += [
        "-" * len(head),
        f"regions with a reported figure: modelled {sum(r['modelled_km3'] for r in south):.2f}"
        f", reported {sum(r['reported_km3'] for r in south):.2f} "
        f"(on {sum(r['area_ha'] for r in south) / 1e3:,.0f} kha)",
        f"other regions ({len(other)}): modelled {sum(r['modelled_km3'] for r in other):.2f} "
        f"on {sum(r['area_ha'] for r in other) / 1e3:,.0f} kha; reported nationally: about "
        f"{0.02 * NATIONAL_2025_KM3:.2f} km3 (2 % of {NATIONAL_2025_KM3} km3); the statistic "
        "most likely leaves out farmers' own pumps and groundwater (docs/baseline-data.md)",
        f"national season withdrawal (off-season leaching excluded): {total:.2f} km3; "
        f"reported 2025: {NATIONAL_2025_KM3} km3",
        f"off-season leaching (its own line, not in the season): {leach:.2f} km3 "
        f"(range {float(ds['leaching_low_mcm'].sum()) / MCM_PER_KM3:.2f}-"
        f"{float(ds['leaching_high_mcm'].sum()) / MCM_PER_KM3:.2f})"
        if "leaching_low_mcm" in ds else f"off-season leaching: {leach:.2f} km3",
    ]
    return "\n".join(out) + "\n"
