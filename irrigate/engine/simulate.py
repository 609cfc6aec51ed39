"""``irrigate.simulate``: names and dates resolved once, then the science driver runs.

:func:`simulate` is the public entry point of the upland dual-Kc balance: it resolves crop,
method, soil and schedule names through the parameter library (loaded once, and only when a
name has to be resolved), prepares the forcing (ET0 by :func:`irrigate.science.et0.
reference_et` when the input has none; u2 and RHmin for the Kcb climate adjustment), turns
sowing dates into positions on the time axis, and hands records to
:func:`irrigate.science.driver.run_upland`. :func:`season_summary` (re-exported from the
driver) adds the daily output up per crop x method.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.engine.limits import own_limits
from irrigate.engine.turns import choose_daily, short_turn_records
from irrigate.errors import InputError
from irrigate.library import Library, load_library, read_schedule_csv
from irrigate.science import balance
from irrigate.science.conventions import DEFAULT, Conventions
from irrigate.science.conventions import conventions as resolve_conventions
from irrigate.science.driver import run_upland, season_summary, soil_fields
from irrigate.science.et0 import minimum_relative_humidity, reference_et
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import RULES, Schedule

__all__ = ["simulate", "season_summary", "resolve_schedule", "RAINFED", "DEFAULT_METHODS"]

#: Built-in rainfed baseline (a definition, not a parameter): no irrigation, fw = 1.
RAINFED = Method(name="rainfed", fw=1.0, efficiency=1.0, loss_evap=0.0, loss_ro=0.0,
                 loss_dp=1.0, irrigated=False)

DEFAULT_METHODS: tuple[str, ...] = ("flood", "furrow", "sprinkler", "drip", "mulched_drip")
#: Library practice of the full-demand scenario: the FAO-56 RAW rule.
FULL_DEMAND_RULE = "fao_mad"


class _Names:
    """Resolve names to records with one parameter library, loaded on the first name."""

    def __init__(self, models: str | os.PathLike | None) -> None:
        self.models = models
        self._lib: Library | None = None

    @property
    def lib(self) -> Library:
        if self._lib is None:
            self._lib = load_library(self.models)
        return self._lib

    def record(self, kind: str, item: Any, cls: type) -> Any:
        if isinstance(item, cls):
            return item
        if not isinstance(item, str):
            raise InputError(f"{kind} {item!r}: expected a name or an irrigate.science.params."
                             f"{cls.__name__}")
        if kind == "method" and item == "rainfed":
            return self.lib.methods.get("rainfed", RAINFED)
        try:
            return getattr(self.lib, kind)(item)
        except InputError:
            raise
        except (KeyError, ValueError) as exc:
            known = ", ".join(sorted(getattr(self.lib, f"{kind}s", {}) or {}))
            raise InputError(f"{kind} {item!r}: unknown; known: {known}") from exc


def _as_list(x: Any) -> list[Any]:
    if isinstance(x, str | Crop | Method):
        return [x]
    return list(x)


def forcing(data: xr.Dataset | xr.DataArray, conv: Conventions = DEFAULT
            ) -> tuple[xr.Dataset, dict[str, str]]:
    """Return the balance's forcing (et0, precip, u2, rh_min; NaN where unknown) and notes.

    ET0 is taken as given or computed by :func:`irrigate.science.et0.reference_et`; RHmin
    comes from :func:`irrigate.science.et0.minimum_relative_humidity`. Without u2 or RHmin
    the Kcb climate adjustment (FAO-56 Eqs. 70, 72) is off, and the notes say so.
    """
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
        # in double precision, as the balance runs, whatever the storage type of the input
        et0 = reference_et(data, conventions=conv, dtype=np.float64)
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


def _soil(soil: Any, names: _Names) -> tuple[dict[str, xr.DataArray], str]:
    """Return the kernel's soil fields (scalars or DataArrays over space) and a label."""
    if isinstance(soil, xr.DataArray):
        labels = [str(n) for n in np.unique(soil.values)]
        records = {n: names.record("soil", n, Soil) for n in labels}
        return soil_fields(records, soil), ",".join(labels)
    rec = names.record("soil", soil, Soil)
    return soil_fields(rec), rec.name


def resolve_schedule(schedule: Any, library: Callable[[], Library]) -> Schedule:
    """Return the Schedule of a rule name, a library practice, a user CSV or a Schedule.

    ``library`` returns the parameter library; it is called only for a practice name.
    """
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
    lib = library()
    try:
        return lib.practice(schedule)
    except (KeyError, ValueError) as exc:  # InputError is a ValueError
        raise InputError(f"schedule {schedule!r}: not a rule ({', '.join(RULES)}) nor a "
                         f"practice ({', '.join(sorted(lib.practices))}) nor a .csv "
                         "file") from exc


def _records(crops: Any, methods: Any, names: _Names) -> tuple[list[Crop], list[Method]]:
    """Resolve and check the crops and methods: at least one each, unique, no paddy crop."""
    crop_recs = [names.record("crop", c, Crop) for c in _as_list(crops)]
    method_recs = [names.record("method", m, Method) for m in _as_list(methods)]
    if not crop_recs or not method_recs:
        raise InputError("simulate: give at least one crop and one method")
    for kind, recs in (("crop", crop_recs), ("method", method_recs)):
        labels = [r.name for r in recs]
        if len(set(labels)) != len(labels):
            raise InputError(f"simulate: duplicate {kind} names {labels}")
    paddy = [c.name for c in crop_recs if c.paddy]
    if paddy:
        raise InputError(f"crop {', '.join(paddy)}: paddy rice needs the ponded balance, not "
                         "the upland dual-Kc balance; use irrigate.simulate_paddy in Python or "
                         "'irrigate budget --crop rice'")
    return crop_recs, method_recs


def _sowing(sowing: Any, crops: Sequence[Crop], times: pd.DatetimeIndex, year: int,
            data: xr.Dataset) -> xr.DataArray:
    """Sowing day index on ``time`` of every crop (dim ``crop``, and space if given so)."""
    days = [_sowing_index(sowing.get(c.name) if isinstance(sowing, Mapping) else sowing, c,
                          times, year, data) for c in crops]
    return xr.concat([d.expand_dims(crop=[c.name]) for d, c in zip(days, crops, strict=True)],
                     dim="crop")


def _water_table(depth: float | xr.DataArray | None) -> xr.DataArray | None:
    if depth is None:
        return None
    wt = depth if isinstance(depth, xr.DataArray) else xr.DataArray(depth)
    if float(np.nanmin(np.asarray(wt, dtype=float), initial=np.inf)) < 0:
        raise InputError("water_table_depth: must be >= 0 m below the surface")
    return wt


def simulate(
    climate_or_et0: xr.Dataset | xr.DataArray,
    crops: Sequence[str | Crop] | str | Crop,
    methods: Sequence[str | Method] | str | Method = DEFAULT_METHODS,
    soil: str | Soil | xr.DataArray = "loam",
    schedule: str | Schedule | os.PathLike | None = None,
    sowing: Any = None,
    models: str | os.PathLike | None = None,
    season: int | None = None,
    water_table_depth: float | xr.DataArray | None = None,
    initial_depletion: float = 0.0,
    outputs: Sequence[str] | None = None,
    observed_depletion: xr.DataArray | None = None,
    conventions: Conventions | str | None = None,
    kernel: str = "compiled",
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
    schedule : str, Schedule, path or None
        None (default): the budget's default scenario, full demand: the FAO-56 RAW rule
        (library practice ``fao_mad``) with each method's own limits (furrow advance depth
        and canal turn, pivot interval, drip refill depth; :mod:`irrigate.engine.limits`) for
        methods given by name. Or a rule name (:data:`irrigate.science.schedule.RULES`, with
        default settings), a library practice name, a user schedule CSV
        (``date,depth_mm[,fw]``) or a Schedule.
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
    observed_depletion : DataArray, optional
        Measured root-zone depletion Dr (mm, >= 0) on the days it was measured and NaN on
        the others; dims ``time`` (any of the input's days) and optionally space. On a
        measured day the balance's depletion is reset to it at the start of the day
        (:func:`irrigate.science.balance.assimilate_depletion`).
    conventions : Conventions or str, optional
        FAO-56 open choices (:mod:`irrigate.science.conventions`): a preset name
        (``irrigate`` default, ``fao56-examples``, ``pyfao56``) or a record; the surface and
        subsoil initial depletion of a preset replace ``initial_depletion`` for those layers.
        Recorded in ``attrs["conventions"]``.
    kernel : {"compiled", "numpy"}
        Implementation of the daily loop: compiled (numba, default) or the numpy
        reference; they agree within 1e-9 mm. The compiled loop carries the ``irrigate``
        conventions without measurements only: other conventions or ``observed_depletion``
        run the numpy reference (:func:`irrigate.science.driver.compiled_applies`).
    summary : bool
        Return only the seasonal totals (:func:`season_summary` of the daily run), summed
        inside the compiled loop so that no daily array is built; memory then scales with
        the cells, not the days.

    Returns
    -------
    xarray.Dataset
        Daily variables with dims ``(time, <space>, crop, method)`` (crop-only variables
        without ``method``), attributes from :mod:`irrigate.variables`; global attributes
        record the soil, schedule, ET0 source and whether Kcb was climate-adjusted. With
        ``summary=True`` the seasonal totals instead.

    Raises
    ------
    InputError
        Unknown crop, method, soil, rule or practice names; sowing outside the climate
        period; bad schedule CSV; bad initial_depletion; non-consecutive days.

    """
    if not 0.0 <= float(initial_depletion) <= 1.0:
        raise InputError(f"initial_depletion: must be a fraction in [0, 1], got "
                         f"{initial_depletion}")
    names = _Names(models)
    conv = resolve_conventions(conventions)
    data, notes = forcing(climate_or_et0, conv)
    if season is not None:
        data = data.sel(time=slice(f"{int(season)}-01-01", f"{int(season)}-12-31"))
        if data.sizes.get("time", 0) == 0:
            raise InputError(f"season {season}: no climate data in that year")
    times = _check_time(data)
    year = int(season) if season is not None else int(times[0].year)
    crop_recs, method_recs = _records(crops, methods, names)
    short: list[Method] = []
    if schedule is None:  # full demand, each method within its own limits (as the budget)
        library_methods = [m for m in method_recs if m.name in names.lib.methods
                           and m == names.lib.methods[m.name]]
        method_recs = [own_limits(names.lib, m.name) if m in library_methods else m
                       for m in method_recs]
        # furrow on the canal turn, or on short turns where the turn starves the crop
        short = short_turn_records(names.lib, [m.name for m in library_methods])
        schedule = FULL_DEMAND_RULE
    sched = resolve_schedule(schedule, lambda: names.lib)
    soil_arrays, soil_label = _soil(soil, names)
    sow = _sowing(sowing, crop_recs, times, year, data)
    water_table = _water_table(water_table_depth)
    wanted = tuple(balance.ALL_OUTPUTS if outputs is None else outputs)
    unknown = [n for n in wanted if n not in balance.ALL_OUTPUTS]
    if unknown:
        raise InputError(f"outputs: unknown variable(s) {', '.join(unknown)}; known: "
                         f"{', '.join(balance.ALL_OUTPUTS)}")
    run_outputs = tuple(dict.fromkeys(wanted + ("das", "eta", "etc"))) if short else wanted
    out = run_upland(data, crop_recs, method_recs + short, soil_arrays, sched, sow,
                     water_table_depth=water_table,
                     initial_depletion=float(initial_depletion), outputs=run_outputs,
                     observed_depletion=observed_depletion,
                     conventions=conv, kernel=kernel, summary=summary and not short)
    if short:  # the choice between turns needs the daily series
        out = choose_daily(out)
        out = out.drop_vars([v for v in run_outputs if v not in wanted and v in out])
        if summary:
            out = season_summary(out)
    out.attrs.update({
        "soil": soil_label, "schedule": sched.name or sched.rule, "schedule_rule": sched.rule,
        "schedule_window": "none" if sched.window_start is None
        else f"{sched.window_start}..{sched.window_end}",
        "initial_depletion": float(initial_depletion),
        "conventions": conv.describe(),
        "water_table_depth": "none" if water_table_depth is None else "given",
        **notes,
    })
    return out


