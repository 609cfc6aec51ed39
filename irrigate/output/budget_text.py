"""The budget's schedule map and film substitution in words, from its variables."""

from __future__ import annotations

import numpy as np
import xarray as xr

__all__ = ["schedules_text", "film_text", "text_attrs"]


def schedules_text(ds: xr.Dataset) -> str:
    """Return the schedule of every method as text: ``"fao_mad: flood, drip; ..."``.

    From the budget's ``schedule`` coordinate on ``method`` (paddy methods, scheduled by the
    ponded balance, have none).
    """
    if "schedule" not in ds.coords:
        return ""
    groups: dict[str, list[str]] = {}
    for m, s in zip(ds["method"].values, ds["schedule"].values, strict=True):
        if str(s):
            groups.setdefault(str(s), []).append(str(m))
    return "; ".join(f"{s}: {', '.join(ms)}" for s, ms in groups.items())


def film_text(ds: xr.Dataset) -> str:
    """Describe the coefficients of the mulched-drip column (the film substitution).

    From the budget's ``film_choice``, ``film_record``, ``film_crop_value`` and
    ``film_method_value``.
    """
    choice = str(ds["film_choice"].values) if "film_choice" in ds.variables else "fao"
    records = {str(c): str(r) for c, r in zip(ds["crop"].values, ds["film_record"].values,
                                               strict=True) if str(r)} \
        if "film_record" in ds else {}
    if choice == "fao" or not records:
        text = "fao: FAO-56 crop records under mulched_drip"
        return text + (" (no crop with a calibrated record was budgeted)"
                       if choice == "calibrated" else "")
    parts = []
    for crop in sorted(records):
        values = ds["film_crop_value"].sel(crop=crop)
        fields = ", ".join(f"{k} {float(v):g}" for k, v in
                           zip(values["film_crop_field"].values, values.values, strict=True)
                           if np.isfinite(v))
        parts.append(f"{crop}: {fields} from {records[crop]}")
    method = ""
    if "film_method_value" in ds.variables:
        m = ds["film_method_value"]
        method = ", ".join(f"{k} {float(v):g}" for k, v in
                           zip(m["film_method_field"].values, m.values, strict=True))
    record = str(ds["film_method_record"].values) if "film_method_record" in ds else ""
    return (f"calibrated: under mulched_drip {'; '.join(parts)}"
            + (f"; method {method} from {record}" if method else "")
            + " (Xinjiang calibration, docs/calibration.md); stage calendar, sowing and the "
            "other crops FAO-56")


def text_attrs(ds: xr.Dataset) -> dict[str, str]:
    """Return the schedule map and the film substitution as attribute text (NetCDF output)."""
    return {"schedules": schedules_text(ds), "film_crop": film_text(ds)}
