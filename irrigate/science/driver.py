"""The xarray driver of the upland dual-Kc balance: records and labelled arrays in, daily out.

:func:`run_upland` maps the numpy kernel :func:`irrigate.science.balance.run_balance` over
space with one ``xr.apply_ufunc(..., dask="parallelized")`` (chunks in space only; the time
axis must be one chunk). It takes resolved records (:class:`~irrigate.science.params.Crop`,
:class:`~irrigate.science.params.Method`, :class:`~irrigate.science.params.Soil`,
:class:`~irrigate.science.schedule.Schedule`) and sowing days as positions on the time axis;
names, files and dates are resolved by :func:`irrigate.engine.simulate.simulate`.
:func:`season_summary` adds the daily output up per crop x method.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.errors import InputError
from irrigate.science import balance, balance_compiled
from irrigate.science.balance_compiled import Kernel
from irrigate.science.conventions import DEFAULT, Conventions
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule

__all__ = ["FORCING", "run_upland", "season_summary", "soil_fields", "compiled_applies",
           "CROP_ONLY", "SEASON_FLUXES", "SOIL_FIELDS"]

#: Variables that depend only on crop (not method) are returned without the method dim.
CROP_ONLY: tuple[str, ...] = ("das", "kcb", "h", "zr", "fc", "kc_max", "taw")
#: Fluxes summed by :func:`season_summary` (mm per season).
SEASON_FLUXES: tuple[str, ...] = (
    "et0", "precip", "etc", "eta", "e", "t", "ro", "dp", "cr", "irr_net", "irr_gross",
    "irr_loss", "irr_loss_evap", "irr_loss_ro", "irr_loss_dp",
)
#: Kernel variables :func:`season_summary` reads (``et0`` and ``precip`` come from the forcing).
SUMMARY_OUTPUTS: tuple[str, ...] = ("das",) + tuple(
    n for n in SEASON_FLUXES if n not in ("et0", "precip"))
#: Soil fields the kernel reads (TEW from FAO-56 Eq. 73 when the soil gives none).
SOIL_FIELDS: tuple[str, ...] = ("theta_fc", "theta_wp", "rew", "tew", "cn2", "cr_a4", "cr_b4")


#: Variables of the forcing Dataset, dims ``time`` plus space, in fixed units: et0 and precip
#: (mm/day), u2 (m/s at 2 m) and rh_min (%). u2 and rh_min may be all-NaN: Kcb mid/end and Kc
#: max then keep their table values (FAO-56 Eqs. 70, 72 need both).
FORCING: tuple[str, ...] = ("et0", "precip", "u2", "rh_min")


def soil_fields(soil: Soil | Mapping[str, Soil], soil_map: xr.DataArray | None = None
                ) -> dict[str, xr.DataArray]:
    """Return the kernel's soil fields: scalars, or DataArrays over space from ``soil_map``.

    ``soil``: one record for every cell, or records by name with ``soil_map`` naming the soil
    of each cell.
    """
    def value(rec: Soil, name: str) -> float:
        return balance.tew_of(rec) if name == "tew" else float(getattr(rec, name))

    if soil_map is None:
        if not isinstance(soil, Soil):
            raise InputError("soil: records by name need a soil_map over space")
        return {f: xr.DataArray(value(soil, f)) for f in SOIL_FIELDS}
    records = {soil.name: soil} if isinstance(soil, Soil) else dict(soil)
    out = {}
    for f in SOIL_FIELDS:
        table = {n: value(r, f) for n, r in records.items()}
        vals = np.vectorize(lambda n, t=table: t[str(n)], otypes=[float])(soil_map.values)
        out[f] = xr.DataArray(vals, dims=soil_map.dims, coords=soil_map.coords)
    return out


def _user_series(schedule: Schedule, times: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Depth (mm) and wetted fraction of a user schedule's events on the time axis."""
    depth = np.zeros(len(times))
    fw = np.full(len(times), np.nan)
    if not schedule.events:  # "user" events, or irrigations applied under another rule
        return depth, fw
    index = {np.datetime64(t, "D"): k for k, t in enumerate(times)}
    for date, x, f in schedule.events:
        k = index.get(np.datetime64(date, "D"))
        if k is None:
            raise InputError(f"schedule {schedule.name}: event {date} is outside the simulated "
                             f"period {times[0].date()} to {times[-1].date()}")
        depth[k] += x
        fw[k] = f
    return depth, fw


def _check_gaps(series: Sequence[xr.DataArray]) -> None:
    """Refuse days missing in cells that have data on other days (a gap would spread)."""
    for s in series:
        cell_dims = [d for d in s.dims if d != "time"]
        missing = s.isnull()
        # a cell without any value (sea or lake in ERA5-Land, outside a land mask) is no land
        # to simulate: its outputs stay NaN, as with dask input
        empty = missing.all("time")
        if bool(empty.all()):
            raise InputError(f"climate dataset: {s.name} has no values at all; check the "
                             "file and the period")
        bad = (missing & ~empty).any(cell_dims) if cell_dims else missing
        if bool(bad.any()):
            first = pd.Timestamp(bad["time"].values[int(bad.argmax("time"))]).date()
            raise InputError(f"climate dataset: {s.name} has missing values ({int(bad.sum())}"
                             f" days, first {first}) in cells that have data on other days; "
                             "fill them or choose another period")


def _observed_series(observed: xr.DataArray | None, time: xr.DataArray) -> xr.DataArray:
    """Return measured depletions (mm) on the simulated days (``time``), NaN where none."""
    times = pd.DatetimeIndex(time.values).normalize()
    if observed is None:
        return xr.DataArray(np.full(len(times), np.nan), dims="time", coords={"time": time})
    if not isinstance(observed, xr.DataArray) or "time" not in observed.dims:
        raise InputError("observed_depletion: a DataArray over 'time' of measured root-zone "
                         "depletion (mm), NaN on the days without a measurement")
    obs = observed.assign_coords(time=pd.DatetimeIndex(observed["time"].values).normalize())
    other = [d for d in obs.dims if d != "time"]
    given = obs.notnull().any(other) if other else obs.notnull()
    outside = given & ~obs["time"].isin(times.values)
    if bool(outside.any()):
        first = pd.Timestamp(obs["time"].values[int(outside.argmax("time"))]).date()
        raise InputError(f"observed_depletion: a measurement on {first} is outside the "
                         f"simulated period {times[0].date()} to {times[-1].date()}")
    if bool((obs < 0).any()):
        raise InputError("observed_depletion: a depletion below 0 mm; 0 is field capacity")
    return obs.reindex(time=times).assign_coords(time=time.values).astype(float)


def run_upland(forcing: xr.Dataset, crops: Sequence[Crop], methods: Sequence[Method],
               soil: Mapping[str, xr.DataArray], schedule: Schedule, sowing: xr.DataArray, *,
               water_table_depth: xr.DataArray | None = None, initial_depletion: float = 0.0,
               outputs: Sequence[str] = balance.ALL_OUTPUTS,
               observed_depletion: xr.DataArray | None = None,
               conventions: Conventions = DEFAULT,
               kernel: Kernel | str = Kernel.COMPILED, summary: bool = False) -> xr.Dataset:
    """Run the daily dual-Kc balance (FAO-56 ch. 7-8) for every cell, crop and method.

    Parameters
    ----------
    forcing : Dataset
        Daily :data:`FORCING` on consecutive days (dims ``time`` plus space); its
        coordinates are kept on the output.
    crops, methods : sequence of Crop, Method
        Upland crops and irrigation methods (unique names).
    soil : mapping
        :func:`soil_fields` of the soil (scalars or DataArrays over space).
    schedule : Schedule
        Irrigation rule, practice or user calendar.
    sowing : DataArray
        Index of each crop's sowing day on ``time`` (dim ``crop``, optionally space).
    water_table_depth : DataArray, optional
        Depth of a shallow water table, m (capillary rise); None for none.
    initial_depletion : float
        Depletion fraction of TAW and TEW on the first day and of the subsoil.
    outputs : sequence of str
        Kernel variables to return (:data:`irrigate.science.balance.ALL_OUTPUTS`).
    observed_depletion : DataArray, optional
        Measured root-zone depletion (mm) over ``time`` (and optionally space), NaN on the
        days without; the kernel's ``Forcing.dr_observed`` (reset at the start of the day).
    conventions : Conventions
        FAO-56 open choices (:mod:`irrigate.science.conventions`).
    kernel : {"compiled", "numpy"}
        The compiled daily loop (:mod:`irrigate.science.balance_compiled`, default) or the
        numpy reference (:func:`irrigate.science.balance.run_balance`); equal to 1e-9 mm.
        The compiled loop implements the ``irrigate`` conventions without measurements
        only: with other conventions or an ``observed_depletion`` the numpy reference runs
        (:func:`compiled_applies`).
    summary : bool
        Return only :func:`season_summary` of the daily run, summed inside the compiled loop
        (no daily array is built; ``outputs`` and ``kernel`` do not apply). Where the
        compiled loop does not apply, :func:`season_summary` of the numpy run.

    Returns
    -------
    Dataset
        Daily variables ``(time, <space>, crop[, method])``, with ``et0`` and ``precip``; no
        attributes (the output layer stamps them from :mod:`irrigate.variables`). With
        ``summary=True`` the seasonal totals ``(<space>, crop[, method])``.

    """
    times = pd.DatetimeIndex(forcing["time"].values)
    space_dims = [d for d in forcing["et0"].dims if d != "time"]
    # no copy of float64 forcing here: the kernels copy what they need contiguous
    series = [forcing[v].transpose(*space_dims, "time").astype(float, copy=False)
              for v in FORCING]
    observed = _observed_series(observed_depletion, forcing["time"])  # Forcing.dr_observed
    series.append(observed.transpose(*[d for d in space_dims if d in observed.dims], "time"))
    wt = xr.DataArray(np.nan) if water_table_depth is None else water_table_depth
    crop_index = xr.DataArray(np.arange(len(crops)), dims="crop",
                              coords={"crop": [c.name for c in crops]})
    method_index = xr.DataArray(np.arange(len(methods)), dims="method",
                                coords={"method": [m.name for m in methods]})
    static = [sowing] + [soil[f] for f in SOIL_FIELDS] + [wt, crop_index, method_index]
    if any(s.chunks is not None for s in series):
        series = [s.chunk({"time": -1}) for s in series]
    else:
        _check_gaps(series[:2])
    user_depth, user_fw = _user_series(schedule, times)
    names = tuple(outputs)
    core = [["time"]] * len(series) + [[]] * len(static)
    kwargs = {"parameters": balance.Parameters(list(crops), list(methods)),
              "management": balance.Management(schedule, user_depth, user_fw,
                                               schedule.calendar_mask(times)),
              "initial": balance.InitialState(float(initial_depletion))}
    try:
        kernel = Kernel(kernel)
    except ValueError:
        raise InputError(f"kernel {kernel!r}: unknown; use one of "
                         f"{', '.join(k.value for k in Kernel)}") from None
    compiled = compiled_applies(conventions, observed_depletion)
    if summary and compiled:
        return _totals(series, static, core, kwargs, forcing, crops, methods, sowing,
                       space_dims)
    if summary:
        names = SUMMARY_OUTPUTS
    if compiled and kernel == Kernel.COMPILED:
        ufunc = balance_compiled.run_balance_compiled_ufunc
    else:
        ufunc = balance.run_balance_ufunc
        kwargs["conventions"] = conventions
    result = xr.apply_ufunc(
        ufunc, *series, *static,
        input_core_dims=core,
        output_core_dims=[["variable", "time"]],
        kwargs={**kwargs, "outputs": names},
        dask="parallelized",
        output_dtypes=[float],
        dask_gufunc_kwargs={"output_sizes": {"variable": len(names)}},
    )
    daily = _daily(result.assign_coords(variable=list(names)), forcing, crops, methods,
                   sowing, space_dims)
    return season_summary(daily) if summary else daily


def compiled_applies(conventions: Conventions, observed_depletion: xr.DataArray | None
                     ) -> bool:
    """Whether the compiled loop implements this run: ``irrigate`` conventions, no readings.

    :mod:`irrigate.science.balance_compiled` carries the ``irrigate`` preset's choices
    (:data:`irrigate.science.conventions.DEFAULT`) and no measured-depletion reset; any
    other convention (whatever its name) or an ``observed_depletion`` runs the numpy
    reference :func:`irrigate.science.balance.run_balance` instead.
    """
    return observed_depletion is None and replace(conventions, name=DEFAULT.name) == DEFAULT


def _totals(series: list[xr.DataArray], static: list[Any], core: list[list[str]],
            kwargs: dict[str, Any], forcing: xr.Dataset, crops: Sequence[Crop],
            methods: Sequence[Method], sowing: xr.DataArray, space_dims: list[str]
            ) -> xr.Dataset:
    """Seasonal totals from the compiled loop, laid out as :func:`season_summary` lays them."""
    names = balance_compiled.SEASON_TOTALS
    result = xr.apply_ufunc(
        balance_compiled.season_totals_ufunc, *series, *static,
        input_core_dims=core, output_core_dims=[["total"]], kwargs=kwargs,
        dask="parallelized", output_dtypes=[float],
        dask_gufunc_kwargs={"output_sizes": {"total": len(names)}})
    # slices of one array (numpy or dask) into one Dataset: no alignment per variable
    dims = (*space_dims, "crop", "method")
    data = result.transpose(*dims, "total").data
    variables = {}
    for k, name in enumerate(names):
        if name in ("et0", "precip"):  # a property of the crop's season, not of the method
            variables[name] = (dims[:-1], data[..., 0, k])
        else:
            variables[name] = (dims, data[..., k])
    coords = {k: v for k, v in result.coords.items() if k not in ("crop", "method")}
    coords.update((k, v) for k, v in forcing.coords.items() if "time" not in v.dims)
    out = xr.Dataset(variables, coords=coords)
    return out.assign_coords(crop=[c.name for c in crops], method=[m.name for m in methods],
                             season_length=("crop", [c.season_length for c in crops]),
                             sowing_index=sowing)


def _daily(result: xr.DataArray, forcing: xr.Dataset, crops: Sequence[Crop],
           methods: Sequence[Method], sowing: xr.DataArray, space_dims: list[str]
           ) -> xr.Dataset:
    """Unstack the kernel's ``variable`` axis into a Dataset of daily variables."""
    out = xr.Dataset(coords=dict(forcing.coords.items()))
    out["et0"] = forcing["et0"].transpose("time", *space_dims)
    out["precip"] = forcing["precip"].transpose("time", *space_dims)
    for name in result["variable"].values:
        da = result.sel(variable=name, drop=True)
        if name in CROP_ONLY:
            da = da.isel(method=0, drop=True)
        dims = ["time", *space_dims, "crop"] + (["method"] if "method" in da.dims else [])
        da = da.transpose(*dims)
        da.attrs = {}  # metadata from the variables table (irrigate.output.io.annotate)
        out[str(name)] = da
    out = out.assign_coords(
        crop=[c.name for c in crops], method=[m.name for m in methods],
        season_length=("crop", [c.season_length for c in crops]),
        sowing_index=sowing)
    out["season_length"].attrs = {"units": "day", "long_name": "season length, sowing to harvest"}
    out["sowing_index"].attrs = {"units": "1", "long_name": "index of the sowing day on time"}
    return out


def season_summary(ds: xr.Dataset) -> xr.Dataset:
    """Return seasonal totals (sowing to harvest) per crop x method (and per cell).

    Fluxes (mm) are summed over the days with ``0 <= das < season_length``; ``n_events`` is
    the number of days with net irrigation. Off-season (fallow) days are not included. A
    missing (NaN) value on any day of the season makes that total NaN (not a partial sum).
    """
    if "das" not in ds:
        raise InputError("season_summary: the dataset has no 'das' (days after sowing); run "
                         "simulate with outputs including 'das'")
    in_season = (ds["das"] >= 0) & (ds["das"] < ds["season_length"])
    out = xr.Dataset()
    for name in SEASON_FLUXES:
        if name in ds:
            out[name] = ds[name].where(in_season, 0.0).sum("time", skipna=False)
    if "irr_net" in ds:
        known = ds["irr_net"].notnull() | ~in_season
        out["n_events"] = ((ds["irr_net"] > 0) & in_season).sum("time").where(
            known.all("time"))
    out.attrs = dict(ds.attrs)
    return out
