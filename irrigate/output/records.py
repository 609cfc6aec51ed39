"""Budget records: one dict per region x crop x method, and their JSON and CSV forms.

Every format of :mod:`irrigate.output.budget_table` is built from these records, so the
numbers printed, written to CSV or JSON and returned by :func:`irrigate.engine.budget` are the
same numbers. Every key is defined in ``docs/budget.md``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import numpy as np
import xarray as xr

__all__ = ["RECORD_FIELDS", "to_records", "to_json", "to_csv"]

#: record fields, in column order; the dataset variable of the same name feeds each one
RECORD_FIELDS: tuple[str, ...] = (
    "region_code",
    "region",
    "area_kind",
    "area_key",
    "area_sourced",
    "crop",
    "line",
    "method",
    "applicable",
    "scenario",
    "film_record",
    "area_ha",
    "current_share",
    "et0_mm",
    "etc_mm",
    "eta_mm",
    "et_ratio_pct",
    "e_mm",
    "t_mm",
    "precip_mm",
    "peff_mm",
    "ro_mm",
    "dp_mm",
    "irr_net_mm",
    "irr_gross_mm",
    "irr_loss_mm",
    "irr_loss_evap_mm",
    "irr_loss_ro_mm",
    "irr_loss_dp_mm",
    "soak_mm",
    "drain_mm",
    "crop_share_field_pct",
    "crop_share_withdrawal_pct",
    "n_events",
    "short_turn",
    "leach_need_mm",
    "leach_short_mm",
    "field_gross_mcm",
    "conveyance_efficiency",
    "method_efficiency",
    "withdrawal_mcm",
    "irr_gross_today_mm",
    "practice_factor",
    "fitted",
    "irr_gross_current_mm",
    "withdrawal_current_mcm",
    "saving_vs_current_mm",
    "saving_vs_current_pct",
    "saving_vs_current_mcm",
    "reference_method",
    "saving_vs_flood_mm",
    "saving_vs_flood_pct",
    "saving_vs_flood_mcm",
    "irr_gross_full_current_mm",
    "saving_technology_mm",
    "saving_technology_pct",
    "saving_technology_mcm",
    "unmet_demand_current_mm",
    "eta_current_mm",
    "etc_current_mm",
    "eta_change_mcm",
    "consumed_mm",
    "consumed_current_mm",
    "consumed_mcm",
    "consumed_current_mcm",
    "basin_saving_mcm",
    "ky",
    "ym_t_ha",
    "rel_yield",
    "rel_yield_current",
    "production_t",
    "production_current_t",
    "wp_withdrawal_kg_m3",
    "wp_consumed_kg_m3",
)
#: record fields that are not numbers
_TEXT_FIELDS = ("region_code", "region", "crop", "line", "method", "applicable", "scenario",
                "film_record", "reference_method")

#: decimals kept in records (and so in every output); volumes in 1e6 m3 to 1000 m3
_DECIMALS: dict[str, int] = {"area_ha": 1, "current_share": 4, "n_events": 2,
                             "conveyance_efficiency": 4, "method_efficiency": 4,
                             "practice_factor": 4, "rel_yield": 4,
                             "rel_yield_current": 4, "ky": 3, "production_t": 1,
                             "production_current_t": 1}
_DEFAULT_DECIMALS = 3


def _number(value: Any, name: str) -> float | str | bool | None:
    """Return a JSON-safe rounded float (None for NaN); strings and flags as they are."""
    if isinstance(value, str | np.str_):
        return str(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    v = float(value)
    if not math.isfinite(v):
        return None
    if name in _FLAGS:
        return v > 0
    return round(v, _DECIMALS.get(name, _DEFAULT_DECIMALS))


#: 0/1 variables written as true/false
_FLAGS = ("short_turn",)


def to_records(ds: xr.Dataset, include_inapplicable: bool = False) -> list[dict[str, Any]]:
    """Flatten a budget to one dict per ``region x crop x method`` line.

    Every crop with area in a region gets one line per method; a method that is not practised
    for the crop (``applicable`` false: film on alfalfa, upland methods for paddy rice ...)
    keeps its line with ``applicable: false`` and no numbers (n/a). Lines of crops without
    area are left out unless ``include_inapplicable``.

    Parameters
    ----------
    ds : Dataset
        From :func:`irrigate.engine.budget`.
    include_inapplicable : bool
        Keep the lines of crops without area in a region too.

    Returns
    -------
    list of dict
        Keys :data:`RECORD_FIELDS` (those present in ``ds``); numbers rounded, NaN as None.

    """
    names = [f for f in RECORD_FIELDS if f in ds.data_vars and f not in _TEXT_FIELDS]
    shape = ds["irr_gross_mm"].transpose("region", "crop", "method")
    arrays = {n: ds[n].broadcast_like(shape).transpose("region", "crop", "method").values
              for n in names}
    area = ds["area_ha"].transpose("region", "crop").values
    gross = arrays["irr_gross_mm"]
    applicable = (ds["applicable"].broadcast_like(shape).transpose("region", "crop", "method")
                  .values if "applicable" in ds else np.isfinite(gross))
    region_name = ds["region_name"].values if "region_name" in ds.coords else ds["region"].values
    line = ds["line"].values if "line" in ds.coords else np.full(ds.sizes["crop"], "crop")
    ref = ds["reference_method"].values if "reference_method" in ds.coords else None
    film = ds["film_record"].values if "film_record" in ds else None
    scenario = str(ds.attrs.get("scenario", "")).split(":")[0]
    out: list[dict[str, Any]] = []
    for i, code in enumerate(ds["region"].values):
        for j, crop in enumerate(ds["crop"].values):
            if not include_inapplicable and not area[i, j] > 0:
                continue
            for k, method in enumerate(ds["method"].values):
                ok = bool(applicable[i, j, k])
                if not ok and "applicable" not in ds and not include_inapplicable:
                    continue  # a budget without applicability: no value, no line
                rec: dict[str, Any] = {
                    "region_code": str(code),
                    "region": str(region_name[i]),
                    "crop": str(crop),
                    "line": str(line[j]),
                    "method": str(method),
                    "applicable": ok,
                }
                if scenario:
                    rec["scenario"] = scenario
                if film is not None:
                    rec["film_record"] = str(film[j]) if str(method) == "mulched_drip" else ""
                for n in names:
                    rec[n] = _number(arrays[n][i, j, k], n) if ok or n in _PER_CROP else None
                if ref is not None:
                    rec["reference_method"] = str(ref[j])
                out.append({f: rec[f] for f in RECORD_FIELDS if f in rec})
    return out


#: record fields that belong to the crop line, not to the method (kept on n/a lines)
_PER_CROP = ("area_ha", "current_share", "irr_gross_current_mm", "unmet_demand_current_mm",
             "withdrawal_current_mcm",
             "conveyance_efficiency", "eta_current_mm", "etc_current_mm",
             "consumed_current_mm", "consumed_current_mcm", "rel_yield_current",
             "production_current_t", "ym_t_ha", "irr_gross_full_current_mm",
             "area_kind", "area_key", "area_sourced", "practice_factor", "fitted",
             "irr_gross_today_mm")


def to_json(ds: xr.Dataset) -> str:
    """Return the budget as a JSON list of records (see :func:`to_records`)."""
    return json.dumps(to_records(ds), indent=1, ensure_ascii=False) + "\n"


def to_csv(ds: xr.Dataset) -> str:
    """Return the budget as CSV, one row per record, units in the column names."""
    records = to_records(ds)
    buffer = io.StringIO()
    fields = [f for f in RECORD_FIELDS if not records or f in records[0]]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: "" if v is None else v for k, v in rec.items()})
    return buffer.getvalue()
