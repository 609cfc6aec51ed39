"""Run the balances for a group of regions: cells, upland and paddy seasonal totals.

A group is the regions that share a soil and a sowing zone (:func:`irrigate.engine.plan.
groups`). Each group simulates only its own cells and the crops with area in its regions,
one call per schedule and sowing date, over the days from the first sowing to the last
harvest, in batches of cells reduced to seasonal totals at once (so memory stays small on
any grid); the totals are averaged over each region's cells by area (:class:`GroupRun`).
The climate of a group's blocks of cells is read by :mod:`irrigate.engine.slabs`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.engine import film as filmmod
from irrigate.engine.cluster import Parallel
from irrigate.engine.plan import MethodPlan, Progress, RegionPlan, practice_name, sowing
from irrigate.engine.simulate import forcing, resolve_schedule
from irrigate.engine.today import today_runs
from irrigate.errors import InputError
from irrigate.library import Library
from irrigate.regions import region_weights, station_weights, weighted_sums
from irrigate.science.conventions import DEFAULT, Conventions
from irrigate.science.crop import adjust_end, adjust_mid
from irrigate.science.driver import compiled_applies, run_upland, soil_fields
from irrigate.science.et0 import minimum_relative_humidity
from irrigate.science.paddy_balance import simulate_paddy
from irrigate.science.params import Crop, Method
from irrigate.science.schedule import Schedule
from irrigate.variables import FRACTION_SOURCE

__all__ = ["Work", "Counter", "GroupRun", "Memo", "cells", "period", "BATCH_COLUMNS", "DEPTHS",
           "RICE_LEAD_DAYS"]

#: Cell x crop x method columns simulated in one call. The compiled loop sums each season as
#: it goes (no daily arrays), so a call holds about 400 bytes per column: 100 000 columns are
#: about 40 MB, and a call is large enough that its set-up cost does not matter.
BATCH_COLUMNS = 100_000
#: The same for the numpy loop, which the conventions other than ``irrigate`` need
#: (:func:`irrigate.science.driver.compiled_applies`): it builds daily arrays, about 30 MB
#: per 1000 columns over a season.
NUMPY_BATCH_COLUMNS = 8000
#: Cells of one rice balance call (its daily arrays: about 50 MB per 1000 cells).
RICE_CELLS = 3000
#: Days of climate the rice balance reads before sowing (soaking starts before it).
RICE_LEAD_DAYS = 45
#: Seasonal depth variables of the budget (mm), in output order.
DEPTHS: tuple[str, ...] = ("et0", "etc", "eta", "e", "t", "precip", "peff", "ro", "dp",
                           "irr_net", "irr_gross", "irr_loss", "irr_loss_evap",
                           "irr_loss_ro", "irr_loss_dp", "soak", "drain")


class Counter:
    """Count work units and report them to an optional progress callback."""

    def __init__(self, total: int, callback: Progress | None) -> None:
        self.total = total
        self.done = 0
        self.callback = callback

    def step(self, n: int, label: str) -> None:
        """Add ``n`` units done, at the step named ``label``."""
        self.done += n
        if self.callback is not None:
            self.callback(self.done, self.total, label)


@dataclass(frozen=True)
class Work:
    """What every group runs with: the resolved records of a budget."""

    lib: Library
    methods: MethodPlan
    upland: list[Method]                              # records of methods.upland
    schedules: dict[str, tuple[Schedule, list[str]]]  # name -> (record, methods)
    rice: dict[str, Any]                              # rice records (methods, soil, calendar)
    film: filmmod.FilmSwap
    year: int
    strict_crops: bool                                # a crop asked for must fit the input
    # the input's first and last day: whether a crop's season fits is judged on the whole
    # input, not on the days a slab reads (run.period)
    input_days: tuple[pd.Timestamp, pd.Timestamp]
    conventions: Conventions = DEFAULT                # FAO-56 open choices
    schedule_crops: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> crops
    parallel: Parallel | None = None                  # a dask.distributed cluster, or None


def cells(ds: xr.Dataset, boundaries: Any, irrigated_fraction: xr.DataArray | None = None
           ) -> tuple[xr.Dataset, xr.DataArray]:
    """Flatten the input's space to a ``cell`` dimension and weight cells by region.

    Returns the climate on the cells that lie in any of ``boundaries`` and the weights
    (dims ``region, cell``; km2 of the cell in the region, times the cell's irrigated
    fraction when given, for a grid; 1/0 for stations).
    """
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


def _peff(s: xr.Dataset) -> xr.DataArray:
    """Effective precipitation (mm): rain kept in the root zone.

    ``precip - ro - dp_rain``, with the deep percolation of the soil balance shared between
    rain and net irrigation in proportion to the water each brought into the soil
    (``precip - ro`` and ``irr_net``). ``s`` holds numpy arrays (loaded).
    """
    infiltrated = (s["precip"] - s["ro"]).clip(min=0.0)
    # the rest on the arrays (one xarray operation per call, not eight)
    x = infiltrated.values
    dp, irr = (s[v].variable.transpose(*infiltrated.dims).values for v in ("dp", "irr_net"))
    total = x + irr
    rain_dp = np.where(total > 0, dp * x / np.where(total > 0, total, np.nan), 0.0)
    return infiltrated.copy(data=np.clip(x - rain_dp, 0.0, None))


#: Columns of one block already simulated, shared by the block's runs (the method columns,
#: today's practice and calendars): (schedule, sowing day, crop, method, conventions) ->
#: the seasonal totals that hold the column. A column's totals depend on nothing else of its
#: call (each element runs alone from its sowing day), so a column met again is not rerun.
Memo = dict[tuple[Any, ...], xr.Dataset]


def _upland_totals(data: xr.Dataset, crops: list[Crop], methods: list[Method],
                   schedule: Schedule, soil: dict[str, xr.DataArray],
                   sow: dict[str, pd.Timestamp], counter: Counter, label: str,
                   conv: Conventions = DEFAULT, memo: Memo | None = None) -> xr.Dataset:
    """Seasonal totals (cell, crop, method) of the dual-Kc balance, batch by batch.

    With ``memo``, the methods whose columns of every crop are in it are taken from it,
    the others run (and are added to it).
    """
    if memo is None:
        return _run_totals(data, crops, methods, schedule, soil, sow, counter, label, conv)

    def key(c: Crop, m: Method) -> tuple[Any, ...]:
        return (schedule, sow[c.name], c, m, conv)

    done = [m for m in methods if all(key(c, m) in memo for c in crops)]
    rest = [m for m in methods if m not in done]
    pieces = []
    if rest:
        piece = _run_totals(data, crops, rest, schedule, soil, sow, counter, label, conv)
        memo.update((key(c, m), piece) for c in crops for m in rest)
        if not done:
            return piece
        pieces.append(piece)
    pieces += [memo[key(c, m)].sel({"crop": [c.name], "method": [m.name]})
               for m in done for c in crops]
    counter.step(len(crops) * len(done) * data.sizes["cell"], label)
    merged = _merge(pieces)
    return merged.sel({"crop": [c.name for c in crops], "method": [m.name for m in methods]})


def _run_totals(data: xr.Dataset, crops: list[Crop], methods: list[Method],
                schedule: Schedule, soil: dict[str, xr.DataArray],
                sow: dict[str, pd.Timestamp], counter: Counter, label: str,
                conv: Conventions) -> xr.Dataset:
    """Run the balance of :func:`_upland_totals` for every crop and method given."""
    start = min(sow[c.name] for c in crops)
    end = max(sow[c.name] + pd.Timedelta(days=c.season_length - 1) for c in crops)
    window = forcing(data.sel(time=slice(start, end)), conv)[0]
    t0 = window["time"].values[0]
    index = xr.DataArray([int((np.datetime64(sow[c.name], "D") - t0) // np.timedelta64(1, "D"))
                          for c in crops], dims="crop", coords={"crop": [c.name for c in crops]})
    parts = []
    columns = BATCH_COLUMNS if compiled_applies(conv, None) else NUMPY_BATCH_COLUMNS
    step = max(1, columns // (len(crops) * len(methods)))
    for lo in range(0, window.sizes["cell"], step):
        batch = window.isel(cell=slice(lo, lo + step))
        s = run_upland(batch, crops, methods, soil, schedule, index, conventions=conv,
                       summary=True).load()
        # et0 and precip of the crop's own season (season_summary sums them per crop)
        s["peff"] = _peff(s)
        parts.append(s)
        counter.step(len(crops) * len(methods) * batch.sizes["cell"], label)
    return parts[0] if len(parts) == 1 else xr.concat(parts, dim="cell")


def _rice_kc(data: xr.Dataset, crop: Any, cal: Any, sowing: pd.Timestamp
             ) -> tuple[xr.DataArray | None, xr.DataArray | None]:
    """Climate-adjusted rice Kc mid and end per cell (FAO-56 Eqs. 62 and 65).

    Mean u2 and RHmin of each cell's mid-season (resp. late-season) days of the rice
    calendar ``cal``, h = ``crop.h_max``, as the upland balance adjusts Kcb (Eq. 70). None
    (table values) when the climate has no wind or no humidity to derive RHmin from.
    """
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


def _rice_totals(data: xr.Dataset, crop: Crop, rice: dict[str, Any], methods: list[str],
                 sow: pd.Timestamp, counter: Counter) -> xr.Dataset:
    """Seasonal totals (cell, method) of the ponded rice balance, shaped like upland ones."""
    cal = rice["calendar"]
    length = cal.l_ini + cal.l_dev + cal.l_mid + cal.l_late
    # soaking starts before sowing: take a month of margin
    window = data.sel(time=slice(sow - pd.Timedelta(days=RICE_LEAD_DAYS),
                                 sow + pd.Timedelta(days=length + 1)))
    for name in ("et0", "precip"):
        # the paddy kernel blanks a season with missing weather; never sum that to 0 mm
        gaps = window[name].isnull().any("cell")
        if bool(gaps.any()):
            first = pd.Timestamp(gaps["time"].values[int(gaps.argmax("time"))]).date()
            raise InputError(f"climate dataset: {name} has missing values ({int(gaps.sum())} "
                             f"days, first {first}) in the rice season; fill them or choose "
                             "another period")
    kc_mid, kc_end = _rice_kc(data, crop, cal, sow)
    season = (window["time"] >= np.datetime64(sow)) & (
        window["time"] < np.datetime64(sow + pd.Timedelta(days=length)))

    def part(cell: slice) -> xr.Dataset:
        """Seasonal totals of some cells (the daily rice arrays of a few thousand at most)."""
        w = window.isel(cell=cell)
        daily = simulate_paddy(w["et0"], w["precip"], sow.strftime("%Y-%m-%d"), crop=crop,
                               methods=[rice["methods"][m] for m in methods],
                               soil=rice["soil"], calendar=cal,
                               kc_mid=None if kc_mid is None else kc_mid.isel(cell=cell),
                               kc_end=None if kc_end is None else kc_end.isel(cell=cell))
        out = xr.Dataset()
        # the season's water, soaking included: soak is part of irr_gross; ro is bund
        # overflow and drain the deliberate drainage (drain-off), kept apart for the rice
        # breakdown
        for name in ("etc", "eta", "irr_net", "irr_gross", "ro", "drain", "soak"):
            out[name] = daily[name].sum("time")
        out["dp"] = daily["perc"].sum("time")
        out["precip"] = w["precip"].where(season, 0.0).sum("time")
        out["et0"] = w["et0"].where(season, 0.0).sum("time")
        out["irr_loss"] = out["irr_gross"] - out["irr_net"]
        out["n_events"] = (daily["irr_net"] > 0).sum("time")
        return out.load()

    n = window.sizes["cell"]
    parts = [part(slice(lo, lo + RICE_CELLS)) for lo in range(0, n, RICE_CELLS)]
    out = parts[0] if len(parts) == 1 else xr.concat(parts, dim="cell")
    out["peff"] = _peff(out)
    counter.step(len(methods) * n, "rice")
    return out


#: Running sums of a group's regional means: variable -> (sum of w x, sum of w).
_Sums = dict[str, tuple[xr.DataArray, xr.DataArray]]


def _add_sums(sums: _Sums | None, totals: xr.Dataset, weights: xr.DataArray) -> _Sums:
    """Add a block's per-cell totals to the sums of each region's area-weighted mean."""
    block = {str(name): weighted_sums(da.astype(float), weights)
             for name, da in totals.data_vars.items()}
    return _combine(sums, block)


def _combine(a: _Sums | None, b: _Sums | None) -> _Sums | None:
    """Add two groups of sums (blocks of the same group share their crops and methods)."""
    if a is None or b is None:
        return b if a is None else a
    out = dict(a)
    for name, (num, den) in b.items():
        if name in out:
            num0, den0 = out[name]
            if not _same_labels(num0, num):  # most blocks of a group share them
                num0, num, den0, den = xr.align(num0, num, den0, den, join="outer",
                                                fill_value=0.0)
            num, den = num0 + num, den0 + den
        out[name] = (num, den)
    return out


def _same_labels(a: xr.DataArray, b: xr.DataArray) -> bool:
    """Whether ``a`` and ``b`` have the same dimensions and index labels (no alignment)."""
    return a.dims == b.dims and a.indexes.keys() == b.indexes.keys() and all(
        a.indexes[d].equals(b.indexes[d]) for d in a.indexes)


def _means(sums: _Sums) -> xr.Dataset:
    """Area-weighted regional means (dims region, crop, method) from :func:`_add_sums`."""
    return xr.Dataset({name: num / den.where(den > 0) for name, (num, den) in sums.items()})


def period(work: Work, groups: Mapping[tuple[str, str], Sequence[RegionPlan]]
           ) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day of climate any balance of ``groups`` reads (a slab reads no more).

    Every upland crop with area from its sowing day to its harvest, rice from
    :data:`RICE_LEAD_DAYS` before sowing to the day after its calendar ends (the windows of
    :func:`_upland_totals` and :func:`_rice_totals`). Cut to the input, a crop fits or does
    not fit it as it fits the whole input. None when nothing runs.
    """
    lib = work.lib
    spans = []
    for (_, zone), plist in groups.items():
        for name in {c for p in plist for c in p.crops if not lib.crops[c].paddy}:
            crop = lib.crop(name)
            sow = sowing(lib, zone, crop, work.year)
            spans.append((sow, sow + pd.Timedelta(days=crop.season_length - 1)))
        if work.methods.rice and any(p.rice for p in plist):  # as GroupRun.add runs rice
            sow = sowing(lib, zone, lib.crop("rice"), work.year)
            cal = work.rice["calendar"]
            length = cal.l_ini + cal.l_dev + cal.l_mid + cal.l_late
            spans.append((sow - pd.Timedelta(days=RICE_LEAD_DAYS),
                          sow + pd.Timedelta(days=length + 1)))
    if not spans:
        return None
    return min(a for a, _ in spans), max(b for _, b in spans)


def _fitting_crops(work: Work, zone: str, names: Sequence[str], times: pd.DatetimeIndex,
                   skipped: list[str]) -> dict[str, pd.Timestamp]:
    """Sowing dates of the crops whose season lies inside the input; note the others."""
    lib = work.lib
    sow = {c: sowing(lib, zone, lib.crop(c), work.year) for c in names}
    fits = {}
    for c in names:
        if sow[c] >= times[0] and \
                sow[c] + pd.Timedelta(days=lib.crop(c).season_length - 1) <= times[-1]:
            fits[c] = sow[c]
            continue
        msg = (f"{c} ({zone} zone): season from {sow[c].date()} is not inside the climate "
               f"input {times[0].date()}..{times[-1].date()}")
        if work.strict_crops:
            raise InputError(f"--crop {c}: {msg}; add the previous year to the input or "
                             "choose another --season")
        skipped.append(msg)
    return fits


def _upland_pieces(work: Work, data: xr.Dataset, soil: str, zone: str,
                   sow: dict[str, pd.Timestamp], counter: Counter, swapped: set[str],
                   memo: Memo | None = None) -> list[xr.Dataset]:
    """Seasonal totals of the upland crops: one call per schedule and sowing date."""
    # one call per sowing date: every crop starts on its sowing day with the root zone at
    # field capacity (after the customary pre-sowing irrigation), whatever other crops are
    # budgeted with it
    by_date: dict[pd.Timestamp, list[Crop]] = {}
    for c, day in sow.items():
        by_date.setdefault(day, []).append(work.lib.crop(c))
    fields = soil_fields(work.lib.soil(soil))
    label = f"{zone}/{soil}"
    records = {m.name: m for m in work.upland}
    pieces = []
    for name, (sched, names) in work.schedules.items():
        methods = [records[m] for m in names]
        only = work.schedule_crops.get(name)
        for crops_d in by_date.values():
            # a practice written for some crops only runs for those (plan.practice_schedules)
            crops = [c for c in crops_d if only is None or c.name in only]
            if not crops:
                continue
            piece = _upland_totals(data, crops, methods, sched, fields, sow, counter, label,
                                   work.conventions, memo)
            swap, method = filmmod.swapped_records(work.film, crops, records.get(
                filmmod.FILM_METHOD, work.upland[0]))
            if filmmod.FILM_METHOD in names and swap:
                sub = _upland_totals(data, swap, [method], sched, fields, sow, counter, label,
                                     work.conventions, memo)
                piece = filmmod.replace_column(piece, sub)
                swapped.update(c.name for c in swap)
            pieces.append(piece)
    return pieces


def _today_pieces(work: Work, data: xr.Dataset, soil: str, zone: str, plist: Sequence[RegionPlan],
                  sow: dict[str, pd.Timestamp], counter: Counter, memo: Memo | None = None
                  ) -> list[xr.Dataset]:
    """Seasonal totals of today's calendars no method column ran (:func:`today_runs`)."""
    lib = work.lib
    by_date: dict[pd.Timestamp, list[Crop]] = {}
    for c, day in sow.items():
        by_date.setdefault(day, []).append(lib.crop(c))
    fields = soil_fields(lib.soil(soil))
    column: dict[Any, str] = {}  # the practice each column ran (a repeat's name shortened)
    for name, (_, ms) in work.schedules.items():
        for m in ms:
            for c in work.schedule_crops.get(name, (None,)):
                column[m if c is None else (c, m)] = practice_name(name)

    def run(crops: list[Crop], methods: list[str], sched: Any, label: str) -> xr.Dataset:
        record = resolve_schedule(sched, lambda: lib)
        return _upland_totals(data, crops, [lib.method(m) for m in methods], record, fields,
                              sow, counter, label, work.conventions, memo)

    return today_runs(lib, plist, zone, list(sow), by_date, column, run)


def _merge(pieces: Sequence[xr.Dataset]) -> xr.Dataset | None:
    """Merge the (cell, crop[, method]) totals of one block of cells; None for none."""
    if not pieces:
        return None
    pieces = [pc.astype(float) for pc in pieces]
    cells = pieces[0]["cell"].values
    if any(not np.array_equal(pc["cell"].values, cells) for pc in pieces):
        return xr.merge(pieces, join="outer", compat="no_conflicts", combine_attrs="drop")
    # the pieces share their cells and hold other crop x method columns: xarray's outer merge
    # of their coordinates alone (small), then each variable filled in place (first value
    # wins where pieces overlap, as the merge's fillna does), instead of reindexing every
    # variable of every piece to the union and combining them pairwise
    coords = xr.merge([pc.drop_vars(list(pc.data_vars)) for pc in pieces], join="outer",
                      compat="no_conflicts", combine_attrs="drop")
    arrays: dict[Any, tuple[tuple[Any, ...], np.ndarray]] = {}
    for pc in pieces:
        at = {d: coords.indexes[d].get_indexer(pc.indexes[d]) for d in pc.dims}
        for name, da in pc.data_vars.items():
            if name not in arrays:
                arrays[name] = (da.dims, np.full([coords.sizes[d] for d in da.dims], np.nan))
            dims, full = arrays[name]
            where = np.ix_(*(at[d] for d in dims))
            block = full[where]
            full[where] = np.where(np.isnan(block), da.variable.transpose(*dims).values, block)
    return coords.assign(arrays)


class GroupRun:
    """One region group under one :class:`Work`: its blocks of cells, then regional totals.

    Blocks arrive in any order (:mod:`irrigate.engine.slabs` reads nearby blocks of several
    groups together). Each block's per-cell seasonal totals are reduced at once to the two
    sums of each region's area-weighted mean (:func:`irrigate.regions.weighted_sums`), so
    memory does not grow with the group; :meth:`regional` divides them. With
    ``today=True`` today's calendars that no method column ran (:mod:`irrigate.engine.
    today`) run too.
    """

    def __init__(self, work: Work, key: tuple[str, str], plist: Sequence[RegionPlan],
                 weights: xr.DataArray, counter: Counter, today: bool = False) -> None:
        self.work, self.key, self.plist = work, key, list(plist)
        self.weights = weights.sel(region=[p.code for p in plist])
        self.counter, self.today = counter, today
        lib = work.lib
        self.upland = sorted({c for p in plist for c in p.crops if not lib.crops[c].paddy})
        self.skipped: list[str] = []
        # sowing of the crops whose season fits the input (a crop asked for that does not
        # fit fails here, before any slab is read)
        self.sow = _fitting_crops(work, key[1], self.upland,
                                  pd.DatetimeIndex(work.input_days), self.skipped)
        self.swapped: set[str] = set()
        self.sums: _Sums | None = None
        self.today_sums: _Sums | None = None
        self.today_complete = True  # every block ran today's calendars

    def add(self, data: xr.Dataset, idx: np.ndarray, memo: Memo | None = None) -> None:
        """Simulate one block: the climate ``data`` (with ET0) of the group's cells ``idx``.

        ``memo``: the columns other runs of the same block made (:data:`Memo`).
        """
        if idx.size == 0:
            return
        work, plist, lib = self.work, self.plist, self.work.lib
        soil, zone = self.key
        pieces = _upland_pieces(work, data, soil, zone, self.sow, self.counter, self.swapped,
                                memo)
        if work.methods.rice and any(p.rice for p in plist):
            rice = lib.crop("rice")
            totals = _rice_totals(data.load(), rice, work.rice, work.methods.rice,
                                  sowing(lib, zone, rice, work.year), self.counter)
            pieces.append(totals.expand_dims(crop=["rice"]))
        block = _merge(pieces)
        if block is None:  # no crop of the group fits the input (the same in every block)
            return
        w = self.weights.isel(cell=idx)
        self.sums = _add_sums(self.sums, block, w)
        if self.today:
            today = _merge(_today_pieces(work, data, soil, zone, plist, self.sow,
                                         self.counter, memo))
            if today is None:
                self.today_complete = False
            else:
                self.today_sums = _add_sums(self.today_sums, today, w)

    def detached(self) -> GroupRun:
        """Return a copy without sums for a cluster task: no cluster, a silent counter."""
        copy = GroupRun(dataclasses.replace(self.work, parallel=None), self.key, self.plist,
                        self.weights, Counter(0, None), self.today)
        return copy

    def absorb(self, other: GroupRun) -> None:
        """Add the blocks ``other`` (a :meth:`detached` copy) ran to this group's sums."""
        self.swapped |= other.swapped
        self.sums = _combine(self.sums, other.sums)
        self.today_sums = _combine(self.today_sums, other.today_sums)
        self.today_complete = self.today_complete and other.today_complete
        self.counter.step(other.counter.done, f"{self.key[1]}/{self.key[0]}")

    def regional(self) -> tuple[dict[str, xr.Dataset], dict[str, xr.Dataset]]:
        """Regional seasonal totals (crop, method) by region code, and today's (or {})."""
        if self.sums is None:
            return {}, {}
        agg = _means(self.sums)
        today: dict[str, xr.Dataset] = {}
        if self.today and self.today_complete and self.today_sums is not None:
            today_agg = _means(self.today_sums)
            today = {p.code: today_agg.sel(region=p.code) for p in self.plist}
        return {p.code: agg.sel(region=p.code) for p in self.plist}, today
