"""Lines of a budget that are not crops: the off-season leaching and the moisture charging.

The budget Dataset of :func:`irrigate.engine.budget` keeps one meaning per dimension:
``crop`` holds crops only, so ``ds.withdrawal_mcm.sum("crop")`` is crop water. The
off-season leaching of saline land (kind ``leaching``) and the optional autumn moisture
charging of winter wheat (kind ``recharge``) are carried in their own variables, named
``<kind>_<name>`` after the crop variable they correspond to (``leaching_withdrawal_mcm``,
``leaching_area_ha``, ...), with the crop variable's dimensions less ``crop``.

Rows are how the printed table, CSV and JSON show a budget (one row per region x crop x
method, a ``line`` field giving the kind): :func:`join_lines` gives that row view (the lines
after the crops on ``crop``, a ``line`` coordinate), :func:`split_lines` the inverse. Both
are plain relabelling, no arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

__all__ = ["LINES", "LINE_VARIABLES", "CROP", "line_kinds", "line_name", "line_variables",
           "split_lines", "join_lines"]

#: Row name of each line that is not a crop -> its kind (the ``line`` field of a row and the
#: prefix of its variables). In the order the rows follow the crops.
LINES: dict[str, str] = {"leaching": "leaching", "moisture_charging": "recharge"}
#: Kind of a crop row.
CROP = "crop"
#: Variables of a budget that a line carries (each as ``<kind>_<name>``); the other crop
#: variables (ET, yield, consumptive use ...) have no value on a line.
LINE_VARIABLES: tuple[str, ...] = (
    "area_ha", "irr_net_mm", "irr_gross_mm", "irr_gross_today_mm", "irr_net_today_mm",
    "current_share", "field_gross_mcm", "withdrawal_mcm", "irr_gross_current_mm",
    "field_gross_current_mcm", "withdrawal_current_mcm", "saving_vs_current_mm",
    "saving_vs_current_pct", "saving_vs_current_mcm", "irr_gross_full_current_mm",
    "saving_technology_mm", "saving_technology_pct", "saving_technology_mcm",
    "unmet_demand_current_mm", "saving_vs_flood_mm", "saving_vs_flood_pct",
    "saving_vs_flood_mcm", "applicable",
)
#: Variables of one kind of line only: the moisture charging is one counted event (the
#: leaching's events are not counted).
_KIND_VARIABLES: dict[str, tuple[str, ...]] = {"recharge": ("n_events",)}
#: Coordinates on ``crop`` a line keeps, as a scalar coordinate ``<kind>_<name>``.
_LINE_COORDS: tuple[str, ...] = ("reference_method",)


def line_name(kind: str, name: str) -> str:
    """Return the name of the variable ``name`` of the line ``kind`` (``leaching_area_ha``)."""
    return f"{kind}_{name}"


def line_variables(kind: str) -> tuple[str, ...]:
    """Return the names of the crop variables the line ``kind`` carries."""
    return LINE_VARIABLES + _KIND_VARIABLES.get(kind, ())


def line_kinds(ds: xr.Dataset) -> list[str]:
    """Return the kinds of the lines a budget carries (those with a ``<kind>_area_ha``)."""
    return [kind for kind in LINES.values() if line_name(kind, "area_ha") in ds]


def split_lines(ds: xr.Dataset, names: Sequence[str] | None = None) -> xr.Dataset:
    """Move the line rows of ``crop`` (``line`` coordinate not ``crop``) to their variables.

    Returns ``ds`` with ``crop`` holding the crops only, without the ``line`` coordinate,
    and for every line row of kind ``k`` the variables ``k_<name>`` for ``names`` (default
    :func:`line_variables` of the kind; those with a ``crop`` dimension in ``ds``). A
    Dataset without a ``line`` coordinate is returned as it is.
    """
    if "line" not in ds.coords:
        return ds
    kinds = [str(v) for v in ds["line"].values]
    rows = [str(c) for c, k in zip(ds["crop"].values, kinds, strict=True) if k != CROP]
    out = ds.sel(crop=[str(c) for c, k in zip(ds["crop"].values, kinds, strict=True)
                       if k == CROP]).drop_vars("line")
    for row in rows:
        kind = LINES[row]
        for name in (line_variables(kind) if names is None else names):
            if name in ds.data_vars and "crop" in ds[name].dims:
                out[line_name(kind, name)] = ds[name].sel(crop=row, drop=True)
        for name in _LINE_COORDS:
            if name in ds.coords and "crop" in ds[name].dims:
                out = out.assign_coords(
                    {line_name(kind, name): str(ds[name].sel(crop=row).values)})
    return out


def _fill(da: xr.DataArray) -> object:
    """Return the value of a row without one: False for flags, '' for text, else NaN."""
    if da.dtype.kind == "b":
        return False
    if da.dtype.kind in "OUS":
        return ""
    return np.nan


def join_lines(ds: xr.Dataset) -> xr.Dataset:
    """Return the row view of a budget: its lines after the crops on ``crop``.

    The inverse of :func:`split_lines`: every line the budget carries becomes a ``crop``
    entry named by :data:`LINES` with its values ``<kind>_<name>`` of every variable
    ``<name>`` on ``crop``, the crop variables it has no value for NaN (False, '' for flags
    and text); the coordinate ``line`` gives each row's kind (``crop``, ``leaching``,
    ``recharge``). Without lines ``ds`` is returned with
    ``line`` = ``crop`` everywhere; a row view (with ``line``) is returned as it is.
    """
    if "line" in ds.coords:  # already the row view
        return ds
    kinds = line_kinds(ds)
    names = {kind: row for row, kind in LINES.items()}
    crops = [str(c) for c in ds["crop"].values]
    rows = [names[k] for k in kinds]
    on_crop = [n for n in ds.variables if n != "crop" and "crop" in ds[n].dims]
    line_vars = [line_name(k, n) for k in kinds for n in (*on_crop, *_LINE_COORDS)]
    out = ds.drop_vars([v for v in line_vars if v in ds.variables])
    if not kinds:
        return out.assign_coords(line=("crop", [CROP] * len(crops)))
    axis = crops + rows
    new = {}
    for name in list(out.data_vars) + [c for c in out.coords if c != "crop"]:
        da = out[name]
        if "crop" not in da.dims:
            continue
        da = da.reindex(crop=axis, fill_value=_fill(da))
        for kind, row in zip(kinds, rows, strict=True):
            src = line_name(kind, name)
            if src in ds.variables:
                value = ds[src]
                da.loc[{"crop": row}] = value.broadcast_like(da.sel(crop=row)).transpose(
                    *[d for d in da.dims if d != "crop"]).values
        new[name] = da
    coords = {k: v for k, v in new.items() if k in out.coords}
    data = {k: v for k, v in new.items() if k not in out.coords}
    out = out.reindex(crop=axis)
    out = out.assign_coords(coords).assign(data)
    return out.assign_coords(line=("crop", [CROP] * len(crops) + kinds))
