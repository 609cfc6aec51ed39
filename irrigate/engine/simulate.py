"""``irrigate.engine.simulate``: the FAO-56 dual-Kc water balance for crops x methods on a grid.

This module is the xarray layer: it resolves names through the parameter library, turns
sowing dates and user schedules into positions on the time axis, and maps the numpy kernel
:func:`irrigate.science.balance.run_balance` over space with one ``xr.apply_ufunc(...,
dask="parallelized")`` (chunks in space only; the time axis must be one chunk). Outputs are
daily variables with dims ``(time, <space>, crop, method)`` named as in
:mod:`irrigate.variables`; :func:`season_summary` adds them up per crop x method.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.errors import InputError
from irrigate.library import read_schedule_csv
from irrigate.science import balance, balance_compiled
from irrigate.science.et0 import minimum_relative_humidity
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import RULES, Schedule

#: Built-in rainfed baseline (a definition, not a parameter): no irrigation, fw = 1.
RAINFED = Method(name="rainfed", fw=1.0, efficiency=1.0, loss_evap=0.0, loss_ro=0.0,
                 loss_dp=1.0, irrigated=False)

DEFAULT_METHODS: tuple[str, ...] = ("flood", "furrow", "sprinkler", "drip", "mulched_drip")
#: Variables that depend only on crop (not method) are returned without the method dim.
CROP_ONLY: tuple[str, ...] = ("das", "kcb", "h", "zr", "fc", "kc_max", "taw")
#: Fluxes summed by :func:`season_summary` (mm per season).
SEASON_FLUXES: tuple[str, ...] = (
    "et0", "precip", "etc", "eta", "e", "t", "ro", "dp", "cr", "irr_net", "irr_gross",
    "irr_loss", "irr_loss_evap", "irr_loss_ro", "irr_loss_dp",
)
SOIL_FIELDS: tuple[str, ...] = ("theta_fc", "theta_wp", "rew", "tew", "cn2", "cr_a4", "cr_b4")


class Kernel(StrEnum):
    """Which implementation of the daily loop runs (the same numbers, to 1e-9 mm)."""

    COMPILED = "compiled"  #: irrigate.science.balance_compiled (numba), the default
    NUMPY = "numpy"        #: irrigate.science.balance.run_balance, the reference


def _library(models: str | os.PathLike | None) -> Any:
    try:
        from irrigate.library import load_library
    except ModuleNotFoundError as exc:  # library module not installed
        raise InputError("parameter library (irrigate.library) is not available; pass Crop, "
                         "Soil and Method objects instead of names") from exc
    return load_library(models)


class _Lazy:
    """Load the parameter library only when a name has to be resolved."""

    def __init__(self, models: str | os.PathLike | None) -> None:
        self.models = models
        self._lib: Any = None

    def get(self) -> Any:
        if self._lib is None:
            self._lib = _library(self.models)
        return self._lib


def _known(lib: Any, kind: str) -> str:
    table = getattr(lib, f"{kind}s", {}) or {}
    return ", ".join(sorted(table))


def _resolve(kind: str, item: Any, cls: type, lib: _Lazy) -> Any:
    if isinstance(item, cls):
        return item
    if not isinstance(item, str):
        raise InputError(f"{kind} {item!r}: expected a name or an irrigate.science.params."
                         f"{cls.__name__}")
    if kind == "method" and item == "rainfed":
        library = lib.get()
        return getattr(library, "methods", {}).get("rainfed", RAINFED)
    library = lib.get()
    try:
        return getattr(library, kind)(item)
    except InputError:
        raise
    except (KeyError, ValueError) as exc:
        raise InputError(f"{kind} {item!r}: unknown; known: {_known(library, kind)}") from exc


def _as_list(x: Any) -> list[Any]:
    if isinstance(x, str | Crop | Method):
        return [x]
    return list(x)


def _climate(data: xr.Dataset | xr.DataArray) -> tuple[xr.Dataset, dict[str, str]]:
    """Return a Dataset with et0, precip, u2, rh_min (NaN where unknown) and notes."""
    notes: dict[str, str] = {}
    if isinstance(data, xr.DataArray):
        raise InputError("simulate: a DataArray holds only one variable; pass a Dataset with "
                         "'et0' and 'precip' (mm/day) or a climate Dataset")
    if not isinstance(data, xr.Dataset):
        raise InputError(f"simulate: expected an xarray Dataset, got {type(data).__name__}")
    if "precip" not in data:
        raise InputError("climate dataset: missing 'precip' (mm/day); the water balance needs "
                         "precipitation")
    if "et0" in data:
        et0 = data["et0"]
        notes["et0_source"] = "given"
    else:
        from irrigate.science.et0 import reference_et

        et0 = reference_et(data)
        notes["et0_source"] = str(et0.attrs.get("method", "reference_et"))
    out = xr.Dataset({"et0": et0, "precip": data["precip"]})
    u2 = data["u2"] if "u2" in data else None
    rh_min = minimum_relative_humidity(data, data.get("tmax"), data.get("tmin"))
    if u2 is None or rh_min is None:
        notes["kcb_climate_adjustment"] = (
            "not applied (needs u2 and rh_min or a humidity variable with tmax); "
            "table Kcb mid/end and Kc max = 1.2 used")
        nan = xr.full_like(out["precip"], np.nan, dtype=float)
        out["u2"] = nan
        out["rh_min"] = nan
    else:
        notes["kcb_climate_adjustment"] = "FAO-56 Eq. 70 and Eq. 72 with u2 and rh_min"
        out["u2"] = u2
        out["rh_min"] = rh_min
    return out, notes


def _check_time(ds: xr.Dataset) -> pd.DatetimeIndex:
    if "time" not in ds.dims:
        raise InputError("climate dataset: no 'time' dimension")
    try:
        times = pd.DatetimeIndex(ds["time"].values).normalize()
    except (TypeError, ValueError) as exc:
        raise InputError("climate dataset: 'time' is not a datetime coordinate") from exc
    if len(times) > 1 and not (np.diff(times.values) == np.timedelta64(1, "D")).all():
        raise InputError("climate dataset: time steps are not consecutive days; fill gaps "
                         "or select a period without missing days")
    return times


def _sowing_index(value: Any, crop: Crop, times: pd.DatetimeIndex, year: int,
                  space: xr.Dataset) -> xr.DataArray:
    """Return the time index of sowing for one crop, per cell (DataArray over space dims)."""
    if value is None:
        value = crop.sowing
        if not value:
            raise InputError(f"crop {crop.name}: no sowing date; pass sowing='YYYY-MM-DD' "
                             "or 'MM-DD'")

    def one(v: Any) -> np.datetime64:
        if isinstance(v, str):
            text = v.strip()
            try:
                if len(text) == 5 and text[2] == "-":
                    return np.datetime64(f"{year}-{text}", "D")
                return np.datetime64(text, "D")
            except ValueError:
                raise InputError(f"sowing {v!r}: not a date; use YYYY-MM-DD or MM-DD") \
                    from None
        if isinstance(v, np.datetime64 | pd.Timestamp):
            return np.datetime64(pd.Timestamp(v).normalize(), "D")
        if isinstance(v, int | np.integer) and 1 <= int(v) <= 366:
            return np.datetime64(f"{year}-01-01", "D") + int(v) - 1
        raise InputError(f"sowing {v!r}: expected a date, 'MM-DD' or a day of year 1-366")

    t0 = np.datetime64(times[0], "D")
    if isinstance(value, xr.DataArray):
        if np.issubdtype(value.dtype, np.datetime64):
            days = np.floor((value - t0) / np.timedelta64(1, "D")).astype(int)
        elif np.issubdtype(value.dtype, np.number):
            if float(value.min()) < 1 or float(value.max()) > 366:
                raise InputError("sowing: day of year must be in 1-366")
            first = (np.datetime64(f"{year}-01-01", "D") - t0).astype(int)
            days = value.astype(int) - 1 + first
        else:
            raise InputError("sowing: a DataArray of dates (datetime64) or days of year")
        idx = days
    else:
        idx = xr.DataArray(int((one(value) - t0).astype(int)))
    n = len(times)
    lo, hi = int(idx.min()), int(idx.max())
    if lo < 0 or hi + crop.season_length > n:
        last = times[-1].date()
        raise InputError(f"sowing for {crop.name}: the season ({crop.season_length} days from "
                         f"sowing) must lie within the climate period {times[0].date()} to "
                         f"{last}; choose another sowing date or season")
    extra = set(idx.dims) - set(space.dims)
    if extra:
        raise InputError(f"sowing: dimension(s) {sorted(extra)} not in the climate data")
    return idx


def _soil_arrays(soil: Any, lib: _Lazy) -> tuple[dict[str, xr.DataArray], str]:
    """Return per-cell soil settings (scalars or DataArrays over space) and a label."""
    if isinstance(soil, xr.DataArray):
        names = [str(n) for n in np.unique(soil.values)]
        recs = {n: _resolve("soil", n, Soil, lib) for n in names}
        out = {}
        for f in SOIL_FIELDS:
            table = {n: (balance.tew_of(r) if f == "tew" else float(getattr(r, f)))
                     for n, r in recs.items()}
            vals = np.vectorize(lambda n, t=table: t[str(n)], otypes=[float])(soil.values)
            out[f] = xr.DataArray(vals, dims=soil.dims, coords=soil.coords)
        return out, ",".join(names)
    rec = _resolve("soil", soil, Soil, lib)
    out = {f: xr.DataArray(balance.tew_of(rec) if f == "tew" else float(getattr(rec, f)))
           for f in SOIL_FIELDS}
    return out, rec.name


def _schedule(schedule: Any, lib: _Lazy) -> Schedule:
    if isinstance(schedule, Schedule):
        return schedule
    if isinstance(schedule, os.PathLike) or (isinstance(schedule, str)
                                             and schedule.lower().endswith(".csv")):
        return read_schedule_csv(schedule)
    if not isinstance(schedule, str):
        raise InputError(f"schedule {schedule!r}: expected a rule name, a practice name, a "
                         "CSV file or an irrigate.science.schedule.Schedule")
    if schedule in RULES:
        return Schedule(rule=schedule, name=schedule)
    library = lib.get()
    try:
        return library.practice(schedule)
    except (KeyError, ValueError) as exc:  # InputError is a ValueError
        raise InputError(f"schedule {schedule!r}: not a rule ({', '.join(RULES)}) nor a "
                         f"practice ({_known(library, 'practice')}) nor a .csv file") from exc


def _user_series(schedule: Schedule, times: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
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


def simulate(
    climate_or_et0: xr.Dataset | xr.DataArray,
    crops: Sequence[str | Crop] | str | Crop,
    methods: Sequence[str | Method] | str | Method = DEFAULT_METHODS,
    soil: str | Soil | xr.DataArray = "loam",
    schedule: str | Schedule | os.PathLike = "mad",
    sowing: Any = None,
    models: str | os.PathLike | None = None,
    season: int | None = None,
    water_table_depth: float | xr.DataArray | None = None,
    initial_depletion: float = 0.0,
    outputs: Sequence[str] | None = None,
    kernel: Kernel | str = "compiled",
    summary: bool = False,
) -> xr.Dataset:
    """Run the daily FAO-56 dual-Kc soil water balance for every cell, crop and method.

    Parameters
    ----------
    climate_or_et0 : xarray.Dataset
        Either a canonical climate Dataset (:func:`irrigate.climate.open_climate`; ET0 is
        computed with :func:`irrigate.science.et0.reference_et`) or a Dataset holding ``et0`` and
        ``precip`` (mm/day). Optional ``u2`` (m/s) and ``rh_min`` (%) (or ``tmax`` with
        ``ea``/``tdew``/``rh_max``/``rh_mean``) enable the climate adjustment of Kcb mid/end
        (FAO-56 Eq. 70) and of Kc max (Eq. 72). Dims ``time`` plus space (``lat, lon`` or
        ``station``); consecutive days; may be dask-chunked in space (time one chunk).
    crops : name, Crop or list of them
        Library crop names or :class:`irrigate.science.params.Crop` records.
    methods : name, Method or list of them
        Irrigation methods (``flood``, ``furrow``, ``sprinkler``, ``drip``,
        ``mulched_drip``, ``rainfed`` ...) or :class:`irrigate.science.params.Method` records.
    soil : name, Soil or DataArray of soil names over space
        Soil of every cell.
    schedule : str, Schedule or path
        A rule name (:data:`irrigate.science.schedule.RULES`, with default settings), a library
        practice name, a user schedule CSV (``date,depth_mm[,fw]``) or a Schedule.
    sowing : date, 'MM-DD', day of year, DataArray over space, or mapping crop -> any
        Sowing date; default the crop's ``sowing`` (MM-DD) in ``season``.
    models : path, optional
        Folder of a user parameter library (default: the bundled ``models/``).
    season : int, optional
        Calendar year to simulate (selects that year of the climate data); default the
        whole climate period (the year of its first day for 'MM-DD' sowing dates).
    water_table_depth : float or DataArray over space, optional
        Depth of a shallow water table, m; enables capillary rise (Liu et al. 2006).
    initial_depletion : float
        Depletion fraction (0-1) of TAW and TEW on the first day and of the subsoil below
        the roots (0 = field capacity, e.g. after the pre-sowing moisture-charging
        irrigation customary in Central Asia).
    outputs : list of str, optional
        Kernel variables to return (default all of :data:`irrigate.science.balance.ALL_OUTPUTS`);
        ``et0`` and ``precip`` are always included.
    kernel : {"compiled", "numpy"}
        Implementation of the daily loop (:class:`Kernel`): the compiled one (default) or
        the numpy reference; they agree within 1e-9 mm.
    summary : bool
        Return only the seasonal totals, :func:`season_summary` of the daily run, summed
        inside the compiled loop so that no daily array is built (``outputs`` and
        ``kernel`` do not apply). Memory then scales with the cells, not the days.

    Returns
    -------
    xarray.Dataset
        Daily variables with dims ``(time, <space>, crop, method)`` (crop-only variables
        without ``method``), attributes from :mod:`irrigate.variables`; global attributes
        record the soil, schedule, ET0 source and whether Kcb was climate-adjusted. With
        ``summary=True`` the seasonal totals of :func:`season_summary` instead.

    Raises
    ------
    InputError
        Unknown crop, method, soil, rule or practice names; sowing outside the climate
        period; bad schedule CSV; bad initial_depletion; non-consecutive days.

    """
    if not 0.0 <= float(initial_depletion) <= 1.0:
        raise InputError(f"initial_depletion: must be a fraction in [0, 1], got "
                         f"{initial_depletion}")
    lib = _Lazy(models)
    data, notes = _climate(climate_or_et0)
    if season is not None:
        data = data.sel(time=slice(f"{int(season)}-01-01", f"{int(season)}-12-31"))
        if data.sizes.get("time", 0) == 0:
            raise InputError(f"season {season}: no climate data in that year")
    times = _check_time(data)
    year = int(season) if season is not None else int(times[0].year)
    crop_recs = [_resolve("crop", c, Crop, lib) for c in _as_list(crops)]
    method_recs = [_resolve("method", m, Method, lib) for m in _as_list(methods)]
    if not crop_recs or not method_recs:
        raise InputError("simulate: give at least one crop and one method")
    for kind, recs in (("crop", crop_recs), ("method", method_recs)):
        names = [r.name for r in recs]
        if len(set(names)) != len(names):
            raise InputError(f"simulate: duplicate {kind} names {names}")
    paddy = [c.name for c in crop_recs if c.paddy]
    if paddy:
        raise InputError(f"crop {', '.join(paddy)}: paddy rice needs the ponded balance, not "
                         "the upland dual-Kc balance; use irrigate.simulate_paddy in Python or "
                         "'irrigate budget --crop rice'")
    sched = _schedule(schedule, lib)
    soil_arrays, soil_label = _soil_arrays(soil, lib)
    user_depth, user_fw = _user_series(sched, times)
    calendar = sched.calendar_mask(times)
    crop_names = [c.name for c in crop_recs]
    method_names = [m.name for m in method_recs]
    space = data.drop_vars([v for v in data.data_vars])
    space_dims = [d for d in data["et0"].dims if d != "time"]

    sow_list = []
    for c in crop_recs:
        value = sowing.get(c.name) if isinstance(sowing, Mapping) else sowing
        sow_list.append(_sowing_index(value, c, times, year, data))
    sow = xr.concat([s.expand_dims(crop=[n]) for s, n in zip(sow_list, crop_names,
                                                                strict=True)], dim="crop")
    wt = xr.DataArray(np.nan) if water_table_depth is None else \
        xr.DataArray(water_table_depth) if not isinstance(water_table_depth, xr.DataArray) \
        else water_table_depth
    if float(np.nanmin(np.asarray(wt, dtype=float), initial=np.inf)) < 0:
        raise InputError("water_table_depth: must be >= 0 m below the surface")
    crop_index = xr.DataArray(np.arange(len(crop_recs)), dims="crop",
                              coords={"crop": crop_names})
    method_index = xr.DataArray(np.arange(len(method_recs)), dims="method",
                                coords={"method": method_names})
    names = tuple(balance.ALL_OUTPUTS if outputs is None else outputs)
    unknown = [n for n in names if n not in balance.ALL_OUTPUTS]
    if unknown:
        raise InputError(f"outputs: unknown variable(s) {', '.join(unknown)}; known: "
                         f"{', '.join(balance.ALL_OUTPUTS)}")

    series = [data[v].transpose(*space_dims, "time").astype(float)
              for v in balance.Forcing._fields]
    static = [sow] + [soil_arrays[f] for f in SOIL_FIELDS] + [wt, crop_index, method_index]
    chunked = any(s.chunks is not None for s in series)
    if chunked:
        series = [s.chunk({"time": -1}) for s in series]
    else:  # a gap would silently spread through every later day of the balance
        for s in series[:2]:
            cell_dims = [d for d in s.dims if d != "time"]
            missing = s.isnull()
            # a cell without any value (sea or lake in ERA5-Land, outside a land mask) is
            # no land to simulate: its outputs stay NaN, as with dask input; a cell with
            # some days missing is a gap and an error
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
    core = [["time"]] * 4 + [[]] * len(static)
    kwargs = {"parameters": balance.Parameters(crop_recs, method_recs),
              "management": balance.Management(sched, user_depth, user_fw, calendar),
              "initial": balance.InitialState(float(initial_depletion))}
    attrs = {
        "soil": soil_label, "schedule": sched.name or sched.rule, "schedule_rule": sched.rule,
        "schedule_window": "none" if sched.window_start is None
        else f"{sched.window_start}..{sched.window_end}",
        "initial_depletion": float(initial_depletion),
        "water_table_depth": "none" if water_table_depth is None else "given",
        **notes,
    }
    coords = {"crop": crop_names, "method": method_names,
              "season_length": ("crop", [c.season_length for c in crop_recs]),
              "sowing_index": sow}
    if summary:
        return _summary(series, static, core, kwargs, space, space_dims, coords, attrs)
    ufunc = {Kernel.COMPILED: balance_compiled.run_balance_compiled_ufunc,
             Kernel.NUMPY: balance.run_balance_ufunc}[_kernel(kernel)]
    result = xr.apply_ufunc(
        ufunc, *series, *static,
        input_core_dims=core,
        output_core_dims=[["variable", "time"]],
        kwargs={**kwargs, "outputs": names},
        dask="parallelized",
        output_dtypes=[float],
        dask_gufunc_kwargs={"output_sizes": {"variable": len(names)}},
    )
    result = result.assign_coords(variable=list(names))
    out = xr.Dataset(coords={k: v for k, v in space.coords.items()})
    out["et0"] = data["et0"].transpose("time", *space_dims)
    out["precip"] = data["precip"].transpose("time", *space_dims)
    for name in names:
        da = result.sel(variable=name, drop=True)
        if name in CROP_ONLY:
            da = da.isel(method=0, drop=True)
        dims = ["time", *space_dims, "crop"] + (["method"] if "method" in da.dims else [])
        da = da.transpose(*dims)
        da.attrs = {}  # metadata from the variables table (irrigate.output.io.annotate)
        out[name] = da
    out = out.assign_coords(coords)
    out["season_length"].attrs = {"units": "day", "long_name": "season length, sowing to harvest"}
    out["sowing_index"].attrs = {"units": "1", "long_name": "index of the sowing day on time"}
    out.attrs.update(attrs)
    return out


def _kernel(kernel: Kernel | str) -> Kernel:
    try:
        return Kernel(kernel)
    except ValueError:
        raise InputError(f"kernel {kernel!r}: unknown; use one of "
                         f"{', '.join(k.value for k in Kernel)}") from None


def _summary(series: list[xr.DataArray], static: list[Any], core: list[list[str]],
             kwargs: dict[str, Any], space: xr.Dataset, space_dims: list[str],
             coords: dict[str, Any], attrs: dict[str, Any]) -> xr.Dataset:
    """Seasonal totals from the compiled loop, laid out as :func:`season_summary` lays them."""
    totals = balance_compiled.SEASON_TOTALS
    result = xr.apply_ufunc(
        balance_compiled.season_totals_ufunc, *series, *static,
        input_core_dims=core, output_core_dims=[["total"]], kwargs=kwargs,
        dask="parallelized", output_dtypes=[float],
        dask_gufunc_kwargs={"output_sizes": {"total": len(totals)}})
    out = xr.Dataset(coords={k: v for k, v in space.coords.items()})
    for k, name in enumerate(totals):
        da = result.isel(total=k, drop=True)
        if name in ("et0", "precip"):  # a property of the crop's season, not of the method
            da = da.isel(method=0, drop=True)
        dims = [*space_dims, "crop"] + (["method"] if "method" in da.dims else [])
        out[name] = da.transpose(*dims)
    out = out.assign_coords(coords)
    out.attrs = attrs
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


SUMMARY_COLUMNS: tuple[str, ...] = ("irr_gross", "irr_net", "irr_loss", "eta", "e", "t",
                                    "precip", "ro", "dp", "n_events")
#: Column blocks of :func:`summary_table` (title, columns); a block wider than
#: :data:`SUMMARY_WIDTH` is split further.
SUMMARY_BLOCKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("irrigation", ("irr_gross", "irr_net", "irr_loss", "n_events")),
    ("water balance", ("precip", "eta", "e", "t", "ro", "dp")),
)
#: Widest line of :func:`summary_table`, characters.
SUMMARY_WIDTH = 100


def summary_table(summary: xr.Dataset) -> str:
    """Format seasonal totals (:func:`season_summary`) as crop x method text tables.

    Values are means over the cells: mm per season, ``n_events`` in events per season. The
    columns come in blocks (irrigation; water balance) that each fit :data:`SUMMARY_WIDTH`
    characters; every block repeats the crop and method of each row. Names are never cut.
    """
    space = [d for d in summary.dims if d not in ("crop", "method")]
    cols = [v for v in SUMMARY_COLUMNS if v in summary]
    mean = summary[cols].mean(space) if space else summary[cols]
    crops = [str(c) for c in mean["crop"].values]
    methods = [str(m) for m in mean["method"].values]
    wc = max([len("crop"), *map(len, crops)])
    wm = max([len("method"), *map(len, methods)])
    lead = wc + 1 + wm

    def width(col: str) -> int:
        return max(len(col), 8) + 1

    blocks: list[tuple[str, list[str]]] = []
    for title, members in SUMMARY_BLOCKS:
        part: list[str] = []
        for col in (c for c in members if c in cols):
            if part and lead + sum(map(width, part)) + width(col) > SUMMARY_WIDTH:
                blocks.append((title, part))
                part = []
            part.append(col)
        if part:
            blocks.append((title, part))
    lines = ["seasonal totals per crop and method, mean over the cells"]
    for title, part in blocks:
        head = f"{'crop':<{wc}} {'method':<{wm}}" + "".join(f"{c:>{width(c)}}" for c in part)
        units = " " * lead + "".join(
            f"{'count' if c == 'n_events' else 'mm':>{width(c)}}" for c in part)
        lines += ["", f"{title}, per season", head, units, "-" * len(head)]
        for c in crops:
            for m in methods:
                row = mean.sel({"crop": c, "method": m})
                lines.append(f"{c:<{wc}} {m:<{wm}}" + "".join(
                    f"{float(row[v]):>{width(v)}.1f}" for v in part))
    return "\n".join(lines)


__all__ = ["simulate", "season_summary", "summary_table", "RAINFED"]
