"""The comparative regional water budget: region x crop x irrigation method.

:func:`budget` runs the FAO-56 dual-Kc water balance (:func:`irrigate.engine.simulate.simulate`)
and the ponded rice balance (:func:`irrigate.simulate_paddy`) on the climate cells
that
intersect the selected regions, for the crops each region grows and every method compared,
sums each season, averages the cells of each region by their area inside it
(:func:`irrigate.regions.aggregate`), adds the off-season leaching line, and turns depths
into volumes, withdrawals and savings (:mod:`irrigate.engine.budget_math`). ``docs/budget.md``
defines every output; :mod:`irrigate.output.budget_table` prints it.

Work plan, for speed: regions are grouped by (soil, sowing zone); each group simulates only
its own cells and the crops with area in its regions, one call per irrigation schedule and
sowing year, over the days from the first sowing to the last harvest, in batches of cells
that are reduced to seasonal totals at once (so memory stays small on any grid).

``irrigate.engine.budget`` is both this module and, called, the function :func:`budget`.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time as _time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.engine.budget_math import crop_water_shares, volumes_and_savings
from irrigate.engine.cluster import Parallel
from irrigate.errors import InputError

__all__ = ["budget", "sample_climate_files", "BATCH_COLUMNS", "RICE_METHODS", "LEACHING"]

#: Cell x crop x method columns simulated in one call. The compiled loop sums each season
#: as it goes (no daily arrays), so a call holds about 400 bytes per column: 100 000 columns
#: are about 40 MB, and a call is large enough that its set-up cost does not matter.
BATCH_COLUMNS = 100_000
#: Cells of a region group read and simulated at once (about 60 MB per 1000 cells over two
#: years of daily climate): memory is bounded by this block, not by the grid.
GROUP_CELLS = 3000
#: Inputs larger than this (bytes, all files) are opened lazily with these dask chunks.
LAZY_BYTES = 100e6
LAZY_CHUNKS = {"lat": 50, "lon": 50}
#: Paddy water-management methods of ``models/rice.toml`` compared for rice.
RICE_METHODS: tuple[str, ...] = ("continuous_flooding", "awd", "drip_film_rice")
#: Reference (flood-type) method of paddy rice.
RICE_REFERENCE = "continuous_flooding"
#: Reference method of upland crops.
UPLAND_REFERENCE = "flood"
#: Paddy soil (``models/rice.toml``) and rice calendar used for every rice region.
RICE_SOIL = "clay_loam"
RICE_CALENDAR = "kyzylorda"
#: Name of the off-season leaching line on the ``crop`` dimension.
LEACHING = "leaching"
#: Seasonal depth variables of the budget (mm), in output order.
DEPTHS: tuple[str, ...] = ("et0", "etc", "eta", "e", "t", "precip", "peff", "ro", "dp",
                           "irr_net", "irr_gross", "irr_loss", "irr_loss_evap",
                           "irr_loss_ro", "irr_loss_dp", "soak", "drain")
_SAMPLE_FOLDER = "kz_synthetic_daily_2021"


# --------------------------------------------------------------------------- inputs


def sample_climate_files() -> list[Path]:
    """Return the files of the bundled synthetic Kazakhstan-wide daily grid (one year)."""
    from irrigate.paths import sample_data_dir

    folder = sample_data_dir() / _SAMPLE_FOLDER
    files = sorted(folder.glob("*.nc"))
    if not files:
        raise InputError(f"{folder}: bundled sample grid not found; reinstall irrigate or "
                         "pass --input files")
    return files


def _open(climate: Any, elevation: Any = None, var_map: dict[str, str] | None = None
          ) -> tuple[xr.Dataset, str, bool]:
    """Open the climate input; return it, a label and whether it is the bundled sample."""
    from irrigate.climate import open_climate

    if climate is None or isinstance(climate, xr.Dataset):
        what = "the bundled sample has" if climate is None else "an opened Dataset has"
        if var_map:
            raise InputError(f"var_map (--var): {what} its own variable names; it applies to "
                             "climate files only (--input, or pass var_map to open_climate)")
        if elevation is not None:
            raise InputError(f"elevation={elevation} (--elev): {what} its own elevation; it "
                             "applies to climate files only (--input, or pass elevation to "
                             "open_climate)")
    if climate is None:
        files = sample_climate_files()
        return open_climate(files), f"bundled synthetic sample ({_SAMPLE_FOLDER})", True
    if isinstance(climate, xr.Dataset):
        return climate, str(climate.attrs.get("climate_input_files", "Dataset")), False
    if isinstance(climate, str | os.PathLike):
        climate = [climate]
    paths = [Path(p) for p in climate]
    for p in paths:
        if not p.exists():
            raise InputError(f"{p}: input file not found; check the --input path")
    label = ", ".join(p.name for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
    # large inputs (an ERA5-Land year over Kazakhstan is about 1 GB) are opened lazily with
    # dask and read one region group at a time; small ones are faster in memory
    size = sum(p.stat().st_size for p in paths)
    chunks = LAZY_CHUNKS if size > LAZY_BYTES else None
    return (open_climate(paths, var_map=var_map, elevation=elevation, chunks=chunks), label,
            False)


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    out = [str(v).strip() for v in value if str(v).strip()]
    return out or None


# --------------------------------------------------------------------------- plan


@dataclass
class _RegionPlan:
    """What one region needs: its crops with area, shares and settings."""

    code: str
    name: str
    irrigated_ha: float
    crops: dict[str, float]              # crop -> area, ha (crops with area only)
    upland_shares: dict[str, float]      # method -> share of the upland crop area
    soil: str
    zone: str
    conveyance: float
    ece: float
    ecw: float
    saline_shares: dict[str, float] = field(default_factory=dict)  # class -> share of land
    leaching_frequency: float = 1.0      # off-season leachings per year
    rice: bool = False
    cells: np.ndarray = field(default_factory=lambda: np.zeros(0, int))


def _upland_shares(region: Any, rice_share: float) -> dict[str, float]:
    """Return the current method shares of the upland (non-rice) crop area of a region.

    ``models/regions.toml`` gives method shares of the whole irrigated area, with rice
    counted under ``flood``; the rice share is taken out of ``flood`` and the rest is
    renormalised. Regions without shares are taken as all furrow (the usual method).
    """
    shares = {m: float(s) for m, s in region.method_shares.items() if s > 0}
    if rice_share > 0 and "flood" in shares:
        shares["flood"] = max(0.0, shares["flood"] - rice_share)
    total = sum(shares.values())
    if total <= 0:
        return {"furrow": 1.0}
    return {m: s / total for m, s in shares.items() if s > 0}


def _plan(lib: Any, codes: Sequence[str], crops: list[str] | None,
          explicit_regions: bool) -> list[_RegionPlan]:
    """Return one plan per region; check the requested crops exist and have area."""
    if crops is not None:
        for c in crops:
            lib.crop(c)  # unknown crop -> InputError listing the known ones
    plans = []
    for code in codes:
        reg = lib.region(code)
        areas = {c: reg.crop_area(c) for c, s in reg.crop_shares.items() if s > 0}
        if crops is not None:
            areas = {c: a for c, a in areas.items() if c in crops}
        rice_share = sum(s for c, s in reg.crop_shares.items() if lib.crops[c].paddy)
        plans.append(_RegionPlan(
            code=reg.code, name=reg.name, irrigated_ha=float(reg.irrigated_area),
            crops={c: a for c, a in areas.items() if a > 0},
            upland_shares=_upland_shares(reg, rice_share), soil=reg.soil,
            zone=reg.sowing_zone, conveyance=float(lib.conveyance_efficiency(reg.code)),
            ece=float(reg.ece), ecw=float(reg.ecw),
            saline_shares=dict(reg.saline_shares),
            leaching_frequency=float(reg.leaching_frequency),
            rice=any(lib.crops[c].paddy for c in areas if areas[c] > 0),
        ))
    if crops is not None:
        grown = {c for p in plans for c in p.crops}
        missing = [c for c in crops if c not in grown]
        if missing:
            where = ", ".join(codes) if explicit_regions and len(codes) <= 5 else \
                "the selected regions"
            raise InputError(f"--crop {', '.join(missing)}: no area in {where} "
                             "(models/regions.toml crop_shares); choose another crop or region")
    return plans


def _methods(lib: Any, methods: list[str] | None, plans: Sequence[_RegionPlan]
             ) -> tuple[list[str], list[str], list[str]]:
    """Return (methods shown, upland methods simulated, rice methods simulated)."""
    from irrigate.engine.simulate import DEFAULT_METHODS

    known_rice = set(RICE_METHODS)
    if methods is None:
        shown = list(DEFAULT_METHODS) + list(RICE_METHODS)
    else:
        shown = []
        for m in methods:
            if m not in known_rice:
                lib.method(m)  # unknown -> InputError listing the library's methods
            shown.append(m)
    upland = [m for m in shown if m not in known_rice]
    needed = {UPLAND_REFERENCE} | {m for p in plans for m in p.upland_shares}
    upland += [m for m in lib.methods if m in needed and m not in upland]
    rice = [m for m in shown if m in known_rice]
    if any(p.rice for p in plans) and RICE_REFERENCE not in rice:
        rice.append(RICE_REFERENCE)
    return shown, upland, rice


def _schedules(lib: Any, upland: Sequence[str], schedule: str) -> dict[str, list[str]]:
    """Group methods by the schedule (practice or rule) each one is simulated with.

    ``schedule="practice"``: each method uses the library practice written for it
    (``models/practices.toml`` ``method = ...``), or ``fao_mad`` (the FAO-56 RAW rule)
    when it has none. Any other value is one practice or rule for every method.
    """
    groups: dict[str, list[str]] = {}
    if schedule == "practice":
        by_method = {m: p for p, m in lib.practice_methods.items()}
        for m in upland:
            groups.setdefault(by_method.get(m, "fao_mad"), []).append(m)
    else:
        groups[schedule] = list(upland)
    return groups


# --------------------------------------------------------------------------- time


def _sowing(lib: Any, zone: str, crop: Any, year: int) -> pd.Timestamp:
    """Sowing date of ``crop`` for the season harvested in ``year``.

    The sowing day of year comes from ``models/sowing.toml``; a crop whose season would end
    after 31 December when sown in ``year`` (winter wheat) is sown in the autumn before.
    """
    doy = lib.sowing_doy(zone, crop.name)
    sow = pd.Timestamp(year, 1, 1) + pd.Timedelta(days=doy - 1)
    if sow + pd.Timedelta(days=crop.season_length - 1) > pd.Timestamp(year, 12, 31):
        sow = pd.Timestamp(year - 1, 1, 1) + pd.Timedelta(days=doy - 1)
    return sow


def _cyclic(ds: xr.Dataset) -> xr.Dataset:
    """Prepend the year before as a copy of the (single, typical) year of ``ds``.

    Used for the bundled synthetic typical-year sample so that autumn-sown crops have an
    autumn to be sown in. Day-of-year matching; 29 February is dropped or filled from 28.
    """
    times = pd.DatetimeIndex(ds["time"].values)
    year = times[0].year
    prev = pd.date_range(f"{year - 1}-01-01", f"{year - 1}-12-31", freq="D")
    source = [pd.Timestamp(year, t.month, min(t.day, 28) if t.month == 2 and t.day == 29
                           else t.day) for t in prev]
    before = ds.sel(time=source).assign_coords(time=prev)
    return xr.concat([before, ds], dim="time", data_vars="all")


def _season_year(ds: xr.Dataset, season: int | None) -> int:
    times = pd.DatetimeIndex(ds["time"].values)
    first, last = times[0], times[-1]
    if season is None:
        # last year whose growing season (April-October) is complete in the data
        year = last.year if last >= pd.Timestamp(last.year, 10, 31) else last.year - 1
        if year < first.year or pd.Timestamp(year, 4, 1) < first:
            raise InputError(f"climate input covers {first.date()}..{last.date()}: no complete "
                             "growing season (April-October); use a longer input")
        return year
    if not first.year <= int(season) <= last.year:
        raise InputError(f"--season {season}: outside the climate data ({first.date()}.."
                         f"{last.date()}); choose a year from {first.year} to {last.year}")
    return int(season)


# --------------------------------------------------------------------------- space


def _cells(ds: xr.Dataset, boundaries: Any, irrigated_fraction: xr.DataArray | None = None
           ) -> tuple[xr.Dataset, xr.DataArray]:
    """Flatten the input's space to a ``cell`` dimension and weight cells by region.

    Returns the climate on the cells that lie in any of ``boundaries`` and the weights
    (dims ``region, cell``; km2 of the cell in the region, times the cell's irrigated
    fraction when given, for a grid; 1/0 for stations).
    """
    from irrigate.regions import region_weights, station_weights
    from irrigate.variables import FRACTION_SOURCE

    if "lat" in ds.dims and "lon" in ds.dims:
        weights = region_weights(boundaries, ds["lat"].values, ds["lon"].values,
                                 irrigated_fraction=irrigated_fraction)
        w = weights.stack(cell=("lat", "lon"))
        keep = np.flatnonzero(w.values.sum(axis=0) > 0)
        ii, jj = np.unravel_index(keep, (ds.sizes["lat"], ds.sizes["lon"]))
        cells = ds.isel(lat=xr.DataArray(ii, dims="cell"), lon=xr.DataArray(jj, dims="cell"))
        w = xr.DataArray(w.values[:, keep], dims=("region", "cell"),
                         coords={"region": weights["region"].values})
    elif "station" in ds.dims:
        if irrigated_fraction is not None:
            where = irrigated_fraction.attrs.get(FRACTION_SOURCE, "irrigated_fraction")
            raise InputError(f"{where}: an irrigated fraction is only for gridded climate "
                             "input (lat, lon); station inputs are averaged per region without "
                             "weights")
        if "lat" not in ds.coords or "lon" not in ds.coords:
            raise InputError("station climate input: needs 'lat' and 'lon' coordinates per "
                             "station to assign stations to regions")
        weights = station_weights(boundaries, ds["lat"].values, ds["lon"].values)
        keep = np.flatnonzero(weights.values.sum(axis=0) > 0)
        cells = ds.isel(station=keep).rename({"station": "cell"})
        w = xr.DataArray(weights.values[:, keep], dims=("region", "cell"),
                         coords={"region": weights["region"].values})
    else:
        raise InputError("climate input: no 'lat'/'lon' grid and no 'station' dimension; "
                         "pass a gridded NetCDF or a station file")
    cells = cells.drop_vars([c for c in ("cell", "station") if c in cells.coords])
    cells = cells.assign_coords(cell=np.arange(cells.sizes["cell"]))
    w = w.assign_coords(cell=cells["cell"].values)
    return cells, w


# --------------------------------------------------------------------------- progress


class _Progress:
    """A bar on stderr that appears only when a run lasts more than ``delay`` seconds."""

    def __init__(self, total: int, enabled: bool, delay: float = 2.0) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.enabled = enabled and sys.stderr.isatty()
        self.start = _time.monotonic()
        self.delay = delay
        self.shown = False

    def step(self, n: int = 1, label: str = "") -> None:
        self.done += n
        if not self.enabled or _time.monotonic() - self.start < self.delay:
            return
        frac = min(self.done / self.total, 1.0)
        bar = "#" * int(30 * frac)
        sys.stderr.write(f"\rbudget [{bar:<30}] {100 * frac:3.0f}% {label[:30]:<30}")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


# --------------------------------------------------------------------------- simulation


def _peff(s: xr.Dataset) -> xr.DataArray:
    """Effective precipitation (mm): rain kept in the root zone.

    ``precip - ro - dp_rain``, with the deep percolation of the soil balance shared between
    rain and net irrigation in proportion to the water each brought into the soil
    (``precip - ro`` and ``irr_net``).
    """
    infiltrated = (s["precip"] - s["ro"]).clip(min=0.0)
    total = infiltrated + s["irr_net"]
    rain_dp = xr.where(total > 0, s["dp"] * infiltrated / total.where(total > 0), 0.0)
    return (infiltrated - rain_dp).clip(min=0.0)


def _upland_totals(data: xr.Dataset, crops: list[Any], methods: list[Any], schedule: str,
                   soil: str, sowing: dict[str, pd.Timestamp], models: Any,
                   progress: _Progress, label: str) -> xr.Dataset:
    """Seasonal totals (cell, crop, method) of the dual-Kc balance, batch by batch."""
    from irrigate.engine.simulate import simulate

    start = min(sowing[c.name] for c in crops)
    end = max(sowing[c.name] + pd.Timedelta(days=c.season_length - 1) for c in crops)
    window = data.sel(time=slice(start, end))
    sow = {c.name: sowing[c.name].strftime("%Y-%m-%d") for c in crops}
    parts = []
    n = window.sizes["cell"]
    step = max(1, BATCH_COLUMNS // (len(crops) * len(methods)))
    for lo in range(0, n, step):
        batch = window.isel(cell=slice(lo, lo + step))
        s = simulate(batch, crops=crops, methods=methods, soil=soil, schedule=schedule,
                     sowing=sow, models=models, summary=True)
        # et0 and precip of the crop's own season (season_summary sums them per crop)
        s["peff"] = _peff(s)
        parts.append(s.load())
        progress.step(len(crops) * len(methods) * batch.sizes["cell"], label)
    out = xr.concat(parts, dim="cell")
    return out


def _rice_kc(data: xr.Dataset, crop: Any, cal: Any, sowing: pd.Timestamp
             ) -> tuple[xr.DataArray | None, xr.DataArray | None]:
    """Climate-adjusted rice Kc mid and end per cell (FAO-56 Eqs. 62 and 65).

    Mean u2 and RHmin of each cell's mid-season (resp. late-season) days of the rice
    calendar ``cal``, h = ``crop.h_max``, as the upland balance adjusts Kcb (Eq. 70). None
    (table values) when the climate has no wind or no humidity to derive RHmin from.
    """
    from irrigate.science.crop import adjust_end, adjust_mid
    from irrigate.science.et0 import minimum_relative_humidity

    rh = minimum_relative_humidity(data, data.get("tmax"), data.get("tmin"))
    if "u2" not in data or rh is None:
        return None, None
    mid0 = sowing + pd.Timedelta(days=cal.l_ini + cal.l_dev)
    late0 = mid0 + pd.Timedelta(days=cal.l_mid)
    mid = slice(mid0, late0 - pd.Timedelta(days=1))
    late = slice(late0, late0 + pd.Timedelta(days=cal.l_late - 1))
    kc_mid = adjust_mid(crop.kc_mid, data["u2"].sel(time=mid).mean("time"),
                        rh.sel(time=mid).mean("time"), crop.h_max)
    kc_end = adjust_end(crop.kc_end, data["u2"].sel(time=late).mean("time"),
                        rh.sel(time=late).mean("time"), crop.h_max)
    return kc_mid, kc_end


def _rice_totals(data: xr.Dataset, lib: Any, methods: list[str], sowing: pd.Timestamp,
                 models: Any, progress: _Progress) -> xr.Dataset:
    """Seasonal totals (cell, method) of the ponded rice balance, shaped like upland ones."""
    from irrigate.science.paddy_balance import simulate_paddy

    crop = lib.crop("rice")
    cal = lib.rice.calendars[RICE_CALENDAR]
    length = cal.l_ini + cal.l_dev + cal.l_mid + cal.l_late
    # soaking starts before sowing: take a month of margin
    window = data.sel(time=slice(sowing - pd.Timedelta(days=45),
                                 sowing + pd.Timedelta(days=length + 1)))
    for name in ("et0", "precip"):
        # the paddy kernel blanks a season with missing weather; never sum that to 0 mm
        gaps = window[name].isnull().any("cell")
        if bool(gaps.any()):
            first = pd.Timestamp(gaps["time"].values[int(gaps.argmax("time"))]).date()
            raise InputError(f"climate dataset: {name} has missing values ({int(gaps.sum())} "
                             f"days, first {first}) in the rice season; fill them or choose "
                             "another period")
    kc_mid, kc_end = _rice_kc(data, crop, cal, sowing)
    daily = simulate_paddy(window["et0"], window["precip"], sowing.strftime("%Y-%m-%d"),
                           crop=crop, methods=[_rice_method(lib, m) for m in methods],
                           soil=lib.rice.soils[RICE_SOIL], calendar=cal,
                           kc_mid=kc_mid, kc_end=kc_end)
    season = (window["time"] >= np.datetime64(sowing)) & (
        window["time"] < np.datetime64(sowing + pd.Timedelta(days=length)))
    out = xr.Dataset()
    # the season's water, soaking included: soak is part of irr_gross; ro is bund overflow
    # and drain the deliberate drainage (drain-off), kept apart for the rice breakdown
    for name in ("etc", "eta", "irr_net", "irr_gross", "ro", "drain", "soak"):
        out[name] = daily[name].sum("time")
    out["dp"] = daily["perc"].sum("time")
    out["precip"] = window["precip"].where(season, 0.0).sum("time")
    out["et0"] = window["et0"].where(season, 0.0).sum("time")
    out["irr_loss"] = out["irr_gross"] - out["irr_net"]
    out["n_events"] = (daily["irr_net"] > 0).sum("time")
    out["peff"] = _peff(out)
    progress.step(len(methods) * window.sizes["cell"], "rice")
    return out.load()


def _rice_method(lib: Any, name: str) -> Any:
    """Return rice method ``name`` of the library's ``rice.toml`` (unknown: InputError)."""
    methods = lib.rice.methods
    if name not in methods:
        raise InputError(f"method '{name}': unknown rice method; use one of "
                         f"{', '.join(sorted(methods))}")
    return methods[name]


# --------------------------------------------------------------------------- assembly


def _aggregate(totals: xr.Dataset, weights: xr.DataArray) -> xr.Dataset:
    """Area-weighted regional means of seasonal totals (dims region, crop, method)."""
    from irrigate.regions import aggregate

    out = xr.Dataset()
    for name, da in totals.data_vars.items():
        out[name] = aggregate(da.astype(float), weights)
    return out


def _leaching(plan: _RegionPlan, lib: Any) -> tuple[float, float]:
    """Off-season leaching of a region: (share of its land leached a year, depth in mm).

    The region's ``saline_shares`` (``models/regions.toml``) with the class depths of
    ``salinity.toml`` and its ``leaching_frequency``
    (:func:`irrigate.science.salinity.offseason_leaching_share`).
    """
    from irrigate.science.salinity import offseason_leaching_share

    return offseason_leaching_share(plan.saline_shares, plan.leaching_frequency,
                                    practices=lib.salinity.offseason)


def _in_season_leaching(lib: Any, plans: list[_RegionPlan], crop_axis: list[str],
                        methods: list[str], arrays: dict[str, np.ndarray], models: Any) -> None:
    """Fill ``leach_need_mm`` and ``leach_short_mm`` (in place).

    ``leach_need_mm``: the FAO-29 in-season leaching depth on top of ETc for the region's
    irrigation water salinity, with the method's formula (:func:`irrigate.science.salinity.
    leaching_depth`; for ponded rice already net of the season's percolation).
    ``leach_short_mm``: the part of it that the season's percolation does not deliver,
    ``max(need - dp - irr_loss_dp, 0)`` for upland methods: salt that stays in the soil and
    has to be washed out by the off-season leaching.
    """
    from irrigate.science.salinity import leaching_depth

    forms = lib.salinity.leaching_forms
    etc, dp = arrays["etc_mm"], arrays["dp_mm"]
    loss_dp = arrays["irr_loss_dp_mm"]
    for i, p in enumerate(plans):
        for j, name in enumerate(crop_axis):
            crop = lib.crops.get(name)
            if crop is None or not np.isfinite(crop.ece_threshold):
                continue
            for k, m in enumerate(methods):
                if m not in forms or not np.isfinite(etc[i, j, k]):
                    continue
                perc = dp[i, j, k] if np.isfinite(dp[i, j, k]) else 0.0
                need = float(leaching_depth(etc[i, j, k], crop, p.ecw, forms[m], perc=perc))
                arrays["leach_need_mm"][i, j, k] = need
                if crop.paddy:
                    arrays["leach_short_mm"][i, j, k] = need
                else:
                    delivered = perc + (loss_dp[i, j, k] if np.isfinite(loss_dp[i, j, k])
                                        else 0.0)
                    arrays["leach_short_mm"][i, j, k] = max(need - delivered, 0.0)


def _block_totals(cells: xr.Dataset, idx: np.ndarray, parallel: Parallel | None,
                  by_date: dict[pd.Timestamp, list[Any]], schedules: dict[str, list[str]],
                  soil: str, sow: dict[str, pd.Timestamp], models: Any, bar: _Progress,
                  label: str, film: dict[str, Any], lib: Any, swapped: set[str],
                  rice_sow: pd.Timestamp | None, rice_methods: list[str]
                  ) -> tuple[xr.Dataset | None, np.ndarray]:
    """Seasonal totals (cell, crop, method) of one block of a group's cells.

    Returns the totals (None when the block has no upland crop season and no rice) and the
    cells kept (those with any climate; an empty array when none has).
    """
    from irrigate.science.et0 import reference_et

    # a dask-backed input (open_climate(..., chunks=...)) is read only for these cells
    data = cells.isel(cell=idx).load()
    if parallel is not None:  # chunks in space only, a few per worker
        data = data.chunk({"cell": parallel.chunk(data.sizes["cell"]), "time": -1})
    data["et0"] = reference_et(data).persist() if parallel is not None else \
        reference_et(data).load()
    # cells with no climate at all (sea and lakes of land-only grids such as ERA5-Land
    # inside region outlines) hold no irrigated land: leave them out of the regional
    # means; a gap of some days in a cell is still an error (simulate)
    has_climate = (data["et0"].notnull().any("time")
                   & data["precip"].notnull().any("time")).values
    if not has_climate.all():
        idx = idx[has_climate]
        data = data.isel(cell=np.flatnonzero(has_climate))
        if idx.size == 0:
            return None, idx
    pieces = []
    for sched, meths in schedules.items():
        for crops_d in by_date.values():
            piece = _upland_totals(data, crops_d, meths, sched, soil, sow, models, bar, label)
            if FILM_METHOD in meths:
                piece = _film_substitute(piece, data, crops_d, sched, soil, sow, models, bar,
                                         label, film, lib, swapped)
            pieces.append(piece)
    if rice_sow is not None:
        rice = _rice_totals(data.load(), lib, rice_methods, rice_sow, models, bar)
        pieces.append(rice.expand_dims(crop=["rice"]))
    if not pieces:
        return None, idx
    return xr.merge([pc.astype(float) for pc in pieces], join="outer", compat="no_conflicts",
                    combine_attrs="drop"), idx


def budget(
    climate: xr.Dataset | str | os.PathLike | Sequence[str | os.PathLike] | None = None,
    *,
    regions: str | Sequence[str] | None = None,
    crops: str | Sequence[str] | None = None,
    methods: str | Sequence[str] | None = None,
    season: int | None = None,
    models: str | os.PathLike | None = None,
    layout: str | os.PathLike = "2024",
    schedule: str = "practice",
    leaching: bool = True,
    cyclic: bool | None = None,
    elevation: float | str | os.PathLike | None = None,
    progress: bool = False,
    irrigated_fraction: xr.DataArray | None = None,
    var_map: dict[str, str] | None = None,
    film_crop: str = "fao",
    parallel: Parallel | None = None,
) -> xr.Dataset:
    """Compute the seasonal water budget of every region x crop x irrigation method.

    Parameters
    ----------
    climate : Dataset, path or list of paths, optional
        Daily climate: files for :func:`irrigate.open_climate` (NetCDF grids such as an
        ERA5-Land download, station NetCDF/CSV) or an opened canonical Dataset. Default: the
        bundled synthetic Kazakhstan-wide grid (one typical year).
    regions : str or list of str, optional
        ISO 3166-2 codes (``"KZ-61"``; other code forms are accepted). Default: all regions
        of ``layout``.
    crops, methods : str or list of str, optional
        Crops (library names) and irrigation methods to show. Default: every crop with area
        in a region; the upland methods ``flood, furrow, sprinkler, drip, mulched_drip`` and
        the rice methods ``continuous_flooding, awd, drip_film_rice``. The region's current
        methods and flood are always simulated too (savings need them).
    season : int, optional
        Year of harvest of the season to budget. Default: the last year with a complete
        April-October season in the input. Autumn-sown crops (winter wheat) need the
        autumn before in the input.
    models : path, optional
        A user parameter library folder (default: the bundled ``models/``).
    layout : str or path
        Region boundaries (:func:`irrigate.load_regions`): ``"2024"``, ``"2018"`` or GeoJSON.
    schedule : str
        ``"practice"`` (default): each method is scheduled by the library practice written
        for it (current Kazakh furrow practice, Xinjiang mulched-drip practice) or by the
        FAO-56 RAW rule (``fao_mad``) otherwise. Any rule or practice name applies that one
        to every method.
    leaching : bool
        Add the off-season leaching line of saline regions.
    cyclic : bool, optional
        Use the single year of the input as the year before too (only sensible for a
        typical-year input). Default: True for the bundled sample, False otherwise.
    elevation : float or path, optional
        Elevation (m) or a NetCDF file of surface geopotential/orography, for inputs that
        lack one (Penman-Monteith needs it; see :func:`irrigate.open_climate`). Only with
        climate files: the bundled sample and an opened Dataset carry their own, so it is an
        InputError there (as ``--elev`` without ``--input``).
    progress : bool
        Show a progress bar on stderr when the run lasts more than 2 seconds (terminal only).
    irrigated_fraction : xarray.DataArray, optional
        Fraction (0-1) of each grid cell that is irrigated, on the climate grid ``(lat,
        lon)``. Regional means then weight each cell by its area in the region times this
        fraction (:func:`irrigate.region_weights`); it must be on the same cell centres (no
        interpolation).
        :func:`irrigate.climate.irrigated_fraction.read_irrigated_fraction` reads one from a
        NetCDF (the CLI's ``--irrigated-fraction FILE.nc[:VARIABLE]``). Default: the whole
        area of each cell (the package ships no irrigated-land map).
    var_map : dict, optional
        Canonical name -> variable name in the climate files, for names not recognised
        automatically, e.g. ``{"tmax": "TX"}`` (:func:`irrigate.open_climate`; the CLI's
        ``--var tmax=TX``). Only with climate files: an InputError otherwise.
    film_crop : {"fao", "calibrated"}
        Crop coefficients of the ``mulched_drip`` column. ``"fao"`` (default): the crop's
        FAO-56 record under the library's ``mulched_drip`` method, like every other column.
        ``"calibrated"``: where the library holds a Xinjiang-calibrated record of the crop
        (``xinjiang_<crop>``, e.g. ``xinjiang_cotton`` from ``irrigate calibrate --preset
        xinjiang``), its calibrated values (those whose source reads ``calibrated: ...``,
        e.g. Kcb mid and end) and those of ``xinjiang_mulched_drip`` (the film evaporation
        reduction) replace the crop's and the method's values in that column only; the
        crop keeps its own stage calendar and sowing date, so every column covers the same
        season. Other crops keep their FAO-56 values. ``attrs["film_crop"]`` records what was
        replaced. See docs/calibration.md ("Transfer to south Kazakhstan").
    parallel : Parallel, optional
        A dask.distributed cluster (:func:`irrigate.engine.cluster.compute_on`): the cells of
        each region group are cut into a few chunks per worker and ET0 and the upland
        balance run on the workers. Default: in this process (numba threads). The results
        are the same.

    Returns
    -------
    xarray.Dataset
        Dims ``region, crop, method``; variables defined in ``docs/budget.md``
        (``et0_mm`` ... ``irr_gross_mm``, ``n_events``, ``area_ha``, ``field_gross_mcm``,
        ``withdrawal_mcm``, ``saving_vs_current_*``, ``saving_vs_flood_*``); per region
        ``irrigated_area_ha`` and ``covered``. Attributes record the season, climate input,
        schedules and anything left out.

    Raises
    ------
    InputError
        Unknown region, crop or method; a crop without area in the selected regions; a
        season outside the climate data; an input that does not overlap the regions.

    """
    from irrigate.library import load_library
    from irrigate.regions import load_regions

    lib = load_library(models)
    boundaries = load_regions(layout)
    region_list = _as_list(regions)
    if region_list is None:
        codes = [c for c in boundaries.codes if c in lib.regions]
        boundaries = boundaries.select(codes)
    else:
        boundaries = boundaries.select(region_list)  # unknown code -> InputError
        codes = boundaries.codes
        unknown = [c for c in codes if c not in lib.regions]
        if unknown:
            raise InputError(f"--region {', '.join(unknown)}: not in the parameter library "
                             f"({lib.files['regions']}); add it there first")
    crop_list = _as_list(crops)
    plans = _plan(lib, codes, crop_list, region_list is not None)
    method_list = _as_list(methods)
    shown, upland_methods, rice_methods = _methods(lib, method_list, plans)

    ds, source, is_sample = _open(climate, elevation, var_map)
    year = _season_year(ds, season)
    if cyclic is None:
        cyclic = is_sample
    if cyclic and pd.DatetimeIndex(ds["time"].values)[0].year == year:
        ds = _cyclic(ds)

    schedules = _schedules(lib, upland_methods, schedule)
    film = _film_records(lib, film_crop, upland_methods)
    swapped: set[str] = set()
    if not any(p.crops for p in plans):  # only regions without irrigated area: nothing to run
        return _assemble(lib, plans, {}, shown, upland_methods, rice_methods, leaching,
                         models, year=year, source=source, cyclic=cyclic, skipped=[],
                         schedules=schedules, requested=method_list)
    cells, weights = _cells(ds, boundaries, irrigated_fraction)
    for p, row in zip(plans, weights.values, strict=True):
        p.cells = np.flatnonzero(row > 0)
    active = [p for p in plans if p.crops and p.cells.size]
    if not active:
        raise InputError("climate input: does not cover any selected region with irrigated "
                         "crops; check --input and --region")


    needed = np.unique(np.concatenate([p.cells for p in active]))
    cells = cells.isel(cell=needed)
    weights = weights.isel(cell=needed)
    for p in active:
        p.cells = np.flatnonzero(weights.sel(region=p.code).values > 0)
    times = pd.DatetimeIndex(cells["time"].values)

    groups: dict[tuple[str, str], list[_RegionPlan]] = {}
    for p in active:
        groups.setdefault((p.soil, p.zone), []).append(p)

    # work units for the progress bar: cells x crops x methods of every call
    total = 0
    for plist in groups.values():
        ncell = np.unique(np.concatenate([p.cells for p in plist])).size
        ncrop = len({c for p in plist for c in p.crops if not lib.crops[c].paddy})
        total += ncell * ncrop * len(upland_methods)
        if any(p.rice for p in plist):
            total += ncell * len(rice_methods)
    bar = _Progress(total, bool(progress))

    skipped: list[str] = []
    results: dict[str, xr.Dataset] = {}
    try:
        for (soil, zone), plist in groups.items():
            group_cells = np.unique(np.concatenate([p.cells for p in plist]))
            upland = sorted({c for p in plist for c in p.crops if not lib.crops[c].paddy})
            sow = {c: _sowing(lib, zone, lib.crop(c), year) for c in upland}
            fits = [c for c in upland if sow[c] >= times[0] and
                    sow[c] + pd.Timedelta(days=lib.crop(c).season_length - 1) <= times[-1]]
            # an unfit crop is reported once its group has a cell with climate (below)
            unfit = []
            for c in upland:
                if c not in fits:
                    msg = (f"{c} ({zone} zone): season from {sow[c].date()} is not inside the "
                           f"climate input {times[0].date()}..{times[-1].date()}")
                    if crop_list is not None:
                        raise InputError(f"--crop {c}: {msg}; add the previous year to the "
                                         "input or choose another --season")
                    unfit.append(msg)
            # one call per sowing date: every crop starts on its sowing day with the root
            # zone at field capacity (after the customary pre-sowing irrigation), whatever
            # other crops are budgeted with it
            by_date: dict[pd.Timestamp, list[Any]] = {}
            for c in fits:
                by_date.setdefault(sow[c], []).append(lib.crop(c))
            rice_sow = _sowing(lib, zone, lib.crop("rice"), year) \
                if any(p.rice for p in plist) else None
            chunks, kept = [], []
            # the group's cells a block at a time: memory is bounded by the block, not the grid
            for lo in range(0, group_cells.size, GROUP_CELLS):
                idx = group_cells[lo:lo + GROUP_CELLS]
                totals, idx = _block_totals(
                    cells, idx, parallel, by_date, schedules, soil, sow, models, bar,
                    f"{zone}/{soil}", film, lib, swapped, rice_sow, rice_methods)
                if idx.size:
                    kept.append(idx)
                if totals is not None:
                    chunks.append(totals)
            if not kept:
                continue
            skipped.extend(unfit)
            if not chunks:  # no upland season fits and no rice
                continue
            totals = chunks[0] if len(chunks) == 1 else xr.concat(chunks, dim="cell")
            w = weights.sel(region=[p.code for p in plist]).isel(cell=np.concatenate(kept))
            agg = _aggregate(totals, w)
            for p in plist:
                results[p.code] = agg.sel(region=p.code)
    finally:
        bar.close()

    out = _assemble(lib, plans, results, shown, upland_methods, rice_methods, leaching,
                    models, year=year, source=source, cyclic=cyclic, skipped=skipped,
                    schedules=schedules, requested=method_list)
    out.attrs["film_crop"] = _film_text(film_crop, swapped, film)
    return out


#: The method column whose coefficients ``film_crop="calibrated"`` replaces.
FILM_METHOD = "mulched_drip"
#: Calibrated method and crop-name prefix written by ``irrigate calibrate --preset xinjiang``
#: (models/calibration/xinjiang_observations.toml, ``rename``).
FILM_CALIBRATED_METHOD = "xinjiang_mulched_drip"
FILM_CALIBRATED_PREFIX = "xinjiang_"
FILM_CHOICES = ("fao", "calibrated")
#: Source strings of fitted values start with this (irrigate.calibration.write_model).
CALIBRATED_SOURCE = "calibrated:"


def _calibrated_fields(lib: Any, kind: str, name: str) -> dict[str, Any]:
    """Fields of a library entry whose source says they were calibrated, with their values."""
    values = lib.values[kind][name]
    return {field: v.value for field, v in values.items()
            if str(v.source).startswith(CALIBRATED_SOURCE)}


def _film_records(lib: Any, film_crop: str, upland_methods: Sequence[str]
                  ) -> dict[str, Any]:
    """Return what ``film_crop="calibrated"`` changes in the mulched-drip column.

    Returns ``{"method": {field: value}, "crops": {crop: {field: value}}}``: the calibrated
    fields (source ``calibrated: ...``) of ``xinjiang_mulched_drip`` and of every upland
    ``xinjiang_<crop>`` record whose ``<crop>`` is in the library; empty for ``"fao"``.
    """
    if film_crop not in FILM_CHOICES:
        raise InputError(f"--film-crop {film_crop}: unknown; use one of "
                         f"{', '.join(FILM_CHOICES)}")
    if film_crop == "fao" or FILM_METHOD not in upland_methods:
        return {}
    if FILM_CALIBRATED_METHOD not in lib.methods:
        raise InputError(f"--film-crop calibrated: the library has no method "
                         f"'{FILM_CALIBRATED_METHOD}'; run irrigate calibrate --preset xinjiang "
                         "-o <library>/xinjiang_calibrated.toml or use --film-crop fao")
    crops = {}
    for name, record in lib.crops.items():
        base = name[len(FILM_CALIBRATED_PREFIX):]
        if (name.startswith(FILM_CALIBRATED_PREFIX) and base in lib.crops
                and not record.paddy and not lib.crops[base].paddy):
            fields = _calibrated_fields(lib, "crops", name)
            if fields:
                crops[base] = fields
    return {"method": _calibrated_fields(lib, "methods", FILM_CALIBRATED_METHOD),
            "crops": crops}


def _film_text(film_crop: str, swapped: set[str], film: dict[str, Any]) -> str:
    """Describe the mulched-drip coefficients for ``attrs["film_crop"]``."""
    if film_crop == "fao" or not swapped:
        text = "fao: FAO-56 crop records under mulched_drip"
        return text + (" (no crop with a calibrated record was budgeted)"
                       if film_crop == "calibrated" else "")
    parts = []
    for crop in sorted(swapped):
        fields = ", ".join(f"{k} {v:g}" for k, v in sorted(film["crops"][crop].items()))
        parts.append(f"{crop}: {fields} from {FILM_CALIBRATED_PREFIX}{crop}")
    method = ", ".join(f"{k} {v:g}" for k, v in sorted(film["method"].items()))
    return (f"calibrated: under mulched_drip {'; '.join(parts)}"
            + (f"; method {method} from {FILM_CALIBRATED_METHOD}" if method else "")
            + " (Xinjiang calibration, docs/calibration.md); stage calendar, sowing and the "
            "other crops FAO-56")


def _film_substitute(piece: xr.Dataset, data: xr.Dataset, crops: list[Any], schedule: str,
                     soil: str, sowing: dict[str, pd.Timestamp], models: Any,
                     progress: _Progress, label: str, film: dict[str, Any],
                     lib: Any, swapped: set[str]) -> xr.Dataset:
    """Rerun the mulched-drip column of crops with calibrated values (``film_crop``).

    Only the calibrated fields move (e.g. Kcb mid/end of ``xinjiang_cotton``, the film
    evaporation reduction of ``xinjiang_mulched_drip``); the crop keeps its own stage
    calendar, sowing date and other values, so the column covers the same season as the
    others. The rerun's seasonal totals take the place of the crop's ``mulched_drip`` values.
    """
    swap = [c for c in crops if c.name in film.get("crops", {})]
    if not swap:
        return piece
    records = [dataclasses.replace(c, **film["crops"][c.name]) for c in swap]
    method = dataclasses.replace(lib.method(FILM_METHOD), **film["method"])
    sub = _upland_totals(data, records, [method], schedule, soil, sowing, models,
                         progress, label)
    piece = piece.copy(deep=True)
    where = {"crop": [c.name for c in swap], "method": [FILM_METHOD]}
    for name in piece.data_vars:
        if name not in sub or "method" not in piece[name].dims:
            continue
        target = piece[name].loc[where]
        piece[name].loc[where] = sub[name].sel(where).transpose(*target.dims).values
    swapped.update(c.name for c in swap)
    return piece

def _assemble(lib: Any, plans: list[_RegionPlan], results: dict[str, xr.Dataset],
              shown: list[str], upland_methods: list[str], rice_methods: list[str],
              leaching: bool, models: Any, **info: Any) -> xr.Dataset:
    """Stack regional depths on (region, crop, method) and add volumes and savings."""
    codes = [p.code for p in plans]
    crop_order = [c for c in lib.crops if any(c in p.crops for p in plans)]
    methods = list(dict.fromkeys(shown + upland_methods + rice_methods))
    leach = {p.code: _leaching(p, lib) for p in plans} if leaching else {}
    add_leaching = any(leach.get(p.code, (0.0, 0.0))[0] > 0 and p.crops for p in plans)
    crop_axis = crop_order + ([LEACHING] if add_leaching else [])
    shape = (len(codes), len(crop_axis), len(methods))
    arrays = {f"{v}_mm": np.full(shape, np.nan) for v in DEPTHS}
    arrays["n_events"] = np.full(shape, np.nan)
    arrays["leach_need_mm"] = np.full(shape, np.nan)
    arrays["leach_short_mm"] = np.full(shape, np.nan)
    area = np.zeros(shape[:2])
    shares = np.zeros(shape)
    covered = np.zeros(len(codes), bool)
    for i, p in enumerate(plans):
        res = results.get(p.code)
        covered[i] = res is not None or not p.crops
        for j, crop in enumerate(crop_axis):
            if crop == LEACHING:
                continue
            a = p.crops.get(crop, 0.0)
            if res is None or crop not in res["crop"].values:
                continue
            area[i, j] = a
            row = res.sel(crop=crop)
            for k, m in enumerate(methods):
                if m not in row["method"].values:
                    continue
                cell = row.sel({"method": m})
                for v in DEPTHS:
                    if v in cell:
                        arrays[f"{v}_mm"][i, j, k] = float(cell[v])
                arrays["n_events"][i, j, k] = float(cell["n_events"]) \
                    if "n_events" in cell else np.nan
            paddy = lib.crops[crop].paddy
            if paddy:
                shares[i, j, methods.index(RICE_REFERENCE)] = 1.0
            else:
                for m, s in p.upland_shares.items():
                    shares[i, j, methods.index(m)] = s
        if add_leaching and res is not None and leach[p.code][0] > 0:
            # off-season leaching of the saline share of the upland crop land (ponded rice
            # is leached by its own percolation), at the class depths of salinity.toml
            j = crop_axis.index(LEACHING)
            share, depth = leach[p.code]
            upland_area = sum(a for c, a in p.crops.items()
                              if not lib.crops[c].paddy and area[i, crop_axis.index(c)] > 0)
            if depth > 0 and upland_area > 0:
                area[i, j] = share * upland_area
                for k, m in enumerate(methods):
                    if m in upland_methods:
                        arrays["irr_gross_mm"][i, j, k] = depth
                        arrays["irr_net_mm"][i, j, k] = depth
                        arrays["n_events"][i, j, k] = np.nan
                for m, s in p.upland_shares.items():
                    shares[i, j, methods.index(m)] = s
    _in_season_leaching(lib, plans, crop_axis, methods, arrays, models)
    # ET0 over a crop's season is a property of the season, not of the method: give every
    # method of a crop line the same value, so that a crop shows its ET0 whatever methods
    # are selected (rice's ET0 was '-' under --method furrow, which does not apply to rice)
    season_et0 = np.fmax.reduce(arrays["et0_mm"], axis=2)
    crop_lines = np.array([c != LEACHING for c in crop_axis], dtype=bool)
    arrays["et0_mm"][:, crop_lines, :] = season_et0[:, crop_lines, None]
    # mask every value of a crop where it has no area (so nothing is shown or summed)
    for name, arr in arrays.items():
        arr[area == 0] = np.nan
        arrays[name] = arr
    # crops with no budgeted area anywhere (e.g. a season not in the input) leave the axis
    keep = np.flatnonzero(area.sum(axis=0) > 0)
    crop_axis = [crop_axis[j] for j in keep]
    area, shares = area[:, keep], shares[:, keep]
    arrays = {k: v[:, keep] for k, v in arrays.items()}

    coords = {
        "region": codes,
        "crop": crop_axis,
        "method": methods,
        "region_name": ("region", [p.name for p in plans]),
        "line": ("crop", ["leaching" if c == LEACHING else "crop" for c in crop_axis]),
        "reference_method": ("crop", [RICE_REFERENCE if c in lib.crops and lib.crops[c].paddy
                                      else UPLAND_REFERENCE for c in crop_axis]),
    }
    dims3 = ("region", "crop", "method")
    depths = xr.Dataset({k: (dims3, v) for k, v in arrays.items()}, coords=coords)
    ds = volumes_and_savings(
        depths,
        xr.DataArray(area, dims=("region", "crop"), coords={"region": codes,
                                                             "crop": crop_axis}),
        xr.DataArray(shares, dims=dims3, coords={k: coords[k] for k in dims3}),
        xr.DataArray([p.conveyance for p in plans], dims="region", coords={"region": codes}),
        depths["reference_method"],
    )
    # rice: the crop's share of the field supply and of the withdrawal (the published 40-45 %
    # of Kazakh rice systems is a share of the water withdrawn, canal losses included)
    paddy = xr.DataArray([c in lib.crops and lib.crops[c].paddy for c in crop_axis],
                         dims="crop", coords={"crop": crop_axis})
    field_pct, withdrawal_pct = crop_water_shares(ds["eta_mm"], ds["irr_gross_mm"],
                                                  ds["conveyance_efficiency"])
    ds["crop_share_field_pct"] = field_pct.where(paddy).transpose(*dims3)
    ds["crop_share_withdrawal_pct"] = withdrawal_pct.where(paddy).transpose(*dims3)
    ds["irrigated_area_ha"] = ("region", [p.irrigated_ha for p in plans])
    ds["covered"] = ("region", covered)
    ds = ds.sel({"method": [m for m in methods if m in shown]})
    year = info["year"]
    ds.attrs.update({
        "title": "irrigate regional water budget",
        "season": str(year),
        "climate_source": info["source"],
        "cyclic_year": "yes: the input's single year also stands for the year before"
        if info["cyclic"] else "no",
        "schedules": "; ".join(f"{s}: {', '.join(m)}" for s, m in info["schedules"].items()),
        "left_out": "; ".join(info["skipped"]) or "none",
        "methods_requested": ", ".join(info["requested"]) if info.get("requested") else "all",
        "area_source": f"{_library_file(lib, 'regions')} (national irrigated area "
                       f"{lib.national_irrigated_area() / 1e6:.2f} Mha, each region's figure "
                       "with its source)",
    })
    return ds


def _library_file(lib: Any, kind: str) -> str:
    """Name a library file: ``models/<file>`` when bundled, the full path otherwise."""
    from irrigate.paths import models_dir

    path = Path(lib.files[kind])
    if path.parent.resolve() == models_dir().resolve():
        return f"models/{path.name} (bundled)"
    return str(path)
