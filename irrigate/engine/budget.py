"""The comparative regional water budget: region x crop x irrigation method.

:func:`budget` is a short story of the engine's steps:

1. :mod:`~irrigate.engine.plan` resolves every name once (regions, crops with area, methods,
   schedules, film choice, rice and salinity records) against one parameter library;
2. :mod:`~irrigate.engine.inputs` opens the climate and picks the season;
3. :mod:`~irrigate.engine.run` flattens the input to the cells of the regions, runs the
   upland dual-Kc balance (:func:`irrigate.science.driver.run_upland`) and the ponded rice
   balance (:func:`irrigate.science.paddy.simulate_paddy`) per (soil, sowing zone) group,
   with the film substitution of :mod:`~irrigate.engine.film`, and averages the cells of
   each region by their area in it;
4. :mod:`~irrigate.engine.assemble` stacks the regional totals on (region, crop, method),
   adds the leaching of :mod:`~irrigate.engine.leaching` and the volumes, withdrawals and
   savings of :mod:`~irrigate.engine.volumes`.

``docs/budget.md`` defines every output; :mod:`irrigate.output.budget_table` prints it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

import dask
import numpy as np
import pandas as pd
import xarray as xr

from irrigate.engine import inputs, plan, slabs
from irrigate.engine.assemble import Info, assemble
from irrigate.engine.cluster import Parallel
from irrigate.engine.film import FilmCrop, FilmSwap, film_swap
from irrigate.engine.leaching import salinity_records
from irrigate.engine.plan import Progress, RegionPlan
from irrigate.engine.run import Counter, GroupRun, Memo, Work, cells, period
from irrigate.engine.scenario import (
    DEFAULT_DEFICIT,
    Scenario,
    method_records,
    scenario_label,
    scenario_schedules,
)
from irrigate.engine.turns import choose_turns, with_short_turns
from irrigate.errors import InputError
from irrigate.library import Library, load_library
from irrigate.library.comparison import load_comparison
from irrigate.regions import Regions, load_regions
from irrigate.science.conventions import Conventions
from irrigate.science.conventions import conventions as resolve_conventions
from irrigate.science.schedule import Schedule

__all__ = ["budget"]


def _select_regions(lib: Library, layout: Any, regions: list[str] | None
                    ) -> tuple[Regions, list[str]]:
    """Boundaries and codes of the selected regions (default: every region of the library)."""
    boundaries = load_regions(layout)
    if regions is None:
        codes = [c for c in boundaries.codes if c in lib.regions]
        return boundaries.select(codes), codes
    boundaries = boundaries.select(regions)  # unknown code -> InputError
    unknown = [c for c in boundaries.codes if c not in lib.regions]
    if unknown:
        raise InputError(f"--region {', '.join(unknown)}: not in the parameter library "
                         f"({lib.files['regions']}); add it there first")
    return boundaries, list(boundaries.codes)


def _rice_records(lib: Library, needed: bool) -> dict[str, Any]:
    """Return the rice method records and the paddy soil and calendar of ``[budget]``."""
    rice = lib.rice
    if needed and (rice.budget_soil is None or rice.budget_calendar is None):
        raise InputError(f"{rice.file}: no [budget] table naming the paddy soil and calendar "
                         "of the regional budget; add soil = ... and calendar = ...")
    return {"methods": rice.methods, "soil": rice.budget_soil,
            "calendar": rice.budget_calendar}


def _scenario(value: str | Scenario) -> Scenario:
    try:
        return Scenario(value)
    except ValueError:
        raise InputError(f"--scenario {value}: unknown; use one of "
                         f"{', '.join(s.value for s in Scenario)}") from None


def _today(work: Work, plans: list[RegionPlan], scenario: Scenario, schedule: Any
           ) -> Work | None:
    """Return the baseline run (today's methods under their practice), None if the columns are.

    Rice is not rerun (its columns do not depend on the scenario).
    """
    lib = work.lib
    current = [m for m in lib.methods if any(m in p.upland_shares for p in plans)]
    if scenario is Scenario.PRACTICE and schedule is None:
        return None
    today_schedules, only = plan.practice_schedules(lib, current, _upland_crops(lib, plans))
    return dataclasses.replace(
        work, methods=plan.MethodPlan(shown=[], upland=current, rice=[]),
        upland=[lib.method(m) for m in current], schedules=today_schedules,
        schedule_crops=only, film=FilmSwap(FilmCrop.FAO), strict_crops=False)


def _schedule_label(name: str, only: dict[str, tuple[str, ...]]) -> str:
    """Name of a column schedule, with the crops it runs for when it is not every crop."""
    base = plan.practice_name(name)  # a repeat is named '<practice>/<method>'
    return f"{base} ({', '.join(only[name])})" if name in only else base


def _labelled(schedules: dict[str, Any], only: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """``schedules`` keyed by :func:`_schedule_label`."""
    return {_schedule_label(n, only): v for n, v in schedules.items()}


def _upland_crops(lib: Library, plans: list[RegionPlan]) -> list[str]:
    """Return the upland crops with area in any region, in library order."""
    return [c for c in lib.crops if not lib.crops[c].paddy and any(c in p.crops for p in plans)]


def _input_days(ds: xr.Dataset) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of the climate input (as prepared, a cyclic year in)."""
    times = pd.DatetimeIndex(ds["time"].values)
    return times[0], times[-1]


def _active(plans: list[RegionPlan], weights: xr.DataArray, cells_ds: xr.Dataset
            ) -> tuple[list[RegionPlan], xr.Dataset, xr.DataArray]:
    """Return the regions with crops and cells, and the input and weights cut to those cells."""
    for p, row in zip(plans, weights.values, strict=True):
        p.cells = np.flatnonzero(row > 0)
    active = [p for p in plans if p.crops and p.cells.size]
    if not active:
        raise InputError("climate input: does not cover any selected region with irrigated "
                         "crops; check --input and --region")
    needed = np.unique(np.concatenate([p.cells for p in active]))
    weights = weights.isel(cell=needed)
    for p in active:
        p.cells = np.flatnonzero(weights.sel(region=p.code).values > 0)
    return active, cells_ds.isel(cell=needed), weights


def _run_groups(work: Work, today_run: Work | None,
                groups: dict[tuple[str, str], list[RegionPlan]], cells_ds: xr.Dataset,
                weights: xr.DataArray, counter: Counter, runs: dict[str, dict[str, xr.Dataset]],
                today: dict[str, xr.Dataset], skipped: list[str], swapped: set[str],
                source: slabs.Source | None = None) -> None:
    """Run every group's blocks slab by slab (:mod:`~irrigate.engine.slabs`); fill ``runs``.

    Each slab's climate is read once, with ET0, for both runs (the method columns and the
    baseline of today's practice). Today's own calendars (engine/today.py) run next to the
    run of today's practice: the method columns when they are it, else the baseline run.
    On a cluster with a ``source`` (gridded climate files), each slab is a task whose
    worker reads the files itself; otherwise this process reads the slabs (and, on a
    cluster, sends each to the workers in chunks).
    """
    jobs: dict[tuple[str, str], list[tuple[str, GroupRun]]] = {}
    for key, plist in groups.items():
        jobs[key] = [("columns", GroupRun(work, key, plist, weights, counter,
                                          today=today_run is None))]
        if today_run is not None:
            jobs[key].append(("today", GroupRun(today_run, key, plist, weights, counter,
                                                today=True)))
    group_cells = {key: np.unique(np.concatenate([p.cells for p in plist]))
                   for key, plist in groups.items()}
    days = period(work, groups)  # the slabs read no day that no balance reads
    if work.parallel is not None and source is not None:
        # slabs small enough to give every worker a few (workers that finish early take more)
        n = np.unique(np.concatenate(list(group_cells.values()))).size
        per_worker = slabs.SLABS_PER_WORKER * work.parallel.workers
        plan = slabs.plan_slabs(group_cells, limit=min(slabs.SLAB_CELLS,
                                                       -(-n // per_worker)))
        _run_on_workers(plan, cells_ds, work, jobs, source, days)
    elif work.parallel is not None:  # an opened Dataset on a cluster: chunks to the workers
        for slab in slabs.plan_slabs(group_cells):
            # one slab in memory at a time: the last one is freed before the next is read
            data, idx = slabs.read_slab(cells_ds, slab.cells, work.parallel, work.conventions,
                                        days)
            _run_blocks(slab, data, idx, jobs)
    else:  # this process: the next slab is read while this one runs
        def read(slab: slabs.Slab) -> tuple[xr.Dataset, np.ndarray]:
            # in the reading thread alone: the other core runs the balance (and a pool of
            # dask threads per reading thread would hold memory of its own)
            return slabs.read_slab(cells_ds, slab.cells, None, work.conventions, days,
                                   scheduler="synchronous")

        for slab, data, idx in slabs.read_ahead(slabs.plan_slabs(group_cells), read):
            _run_blocks(slab, data, idx, jobs)
    for key in groups:  # in the groups' order, as the regions are listed
        for name, group in jobs[key]:
            regional, group_today = group.regional()
            runs[name].update(regional)
            today.update(group_today)
        columns = jobs[key][0][1]
        skipped.extend(columns.skipped)
        swapped.update(columns.swapped)


def _run_blocks(slab: slabs.Slab, data: xr.Dataset, idx: np.ndarray,
                jobs: dict[tuple[str, str], list[tuple[str, GroupRun]]]) -> None:
    """Run every group in ``slab`` from its climate ``data`` (cells ``idx``, with ET0)."""
    for key, block in slab.joined():
        sub, kept = slabs.take(data, idx, block)
        memo: Memo = {}  # the columns the block's runs share
        for _, group in jobs[key]:
            group.add(sub, kept, memo)


def _slab_task(source: slabs.Source, lat: np.ndarray, lon: np.ndarray, slab: slabs.Slab,
               jobs: dict[tuple[str, str], list[tuple[str, GroupRun]]],
               conventions: Conventions, days: tuple[pd.Timestamp, pd.Timestamp] | None
               ) -> dict[tuple[str, str], list[tuple[str, GroupRun]]]:
    """Run on a worker: read one slab from the files of ``source`` and run its blocks."""
    # compute in this task's thread: through the cluster, the task would leave its worker
    # thread while it waits, and the worker would start its next slab (and open the files
    # again) at once
    with dask.config.set(scheduler="synchronous"):
        data, idx = slabs.read_from_source(source, lat, lon, slab.cells, conventions, days)
        _run_blocks(slab, data, idx, jobs)
    return jobs


def _run_on_workers(plan: list[slabs.Slab], cells_ds: xr.Dataset, work: Work,
                    jobs: dict[tuple[str, str], list[tuple[str, GroupRun]]],
                    source: slabs.Source, days: tuple[pd.Timestamp, pd.Timestamp] | None
                    ) -> None:
    """One cluster task per slab; each worker reads its slabs from the files itself."""
    client = work.parallel.client
    lat, lon = cells_ds["lat"].values, cells_ds["lon"].values
    futures = []
    for slab in plan:
        sent = {key: [(name, group.detached()) for name, group in jobs[key]]
                for key in dict.fromkeys(k for k, _ in slab.blocks)}
        futures.append(client.submit(_slab_task, source, lat[slab.cells], lon[slab.cells],
                                     slab, sent, work.conventions, days, pure=False))
    for future in futures:  # in the slabs' order: the same sums whichever finishes first
        for key, pairs in future.result().items():
            for (_, mine), (_, theirs) in zip(jobs[key], pairs, strict=True):
                mine.absorb(theirs)
        future.release()


def budget(
    climate: xr.Dataset | str | os.PathLike | Sequence[str | os.PathLike] | None = None,
    *,
    regions: str | Sequence[str] | None = None,
    crops: str | Sequence[str] | None = None,
    methods: str | Sequence[str] | None = None,
    season: int | None = None,
    models: str | os.PathLike | None = None,
    layout: str | os.PathLike = "2024",
    schedule: str | Schedule | os.PathLike | None = None,
    leaching: bool = True,
    cyclic: bool | None = None,
    elevation: float | str | os.PathLike | None = None,
    progress: Progress | None = None,
    irrigated_fraction: xr.DataArray | None = None,
    var_map: dict[str, str] | None = None,
    film_crop: str | FilmCrop = FilmCrop.CALIBRATED,
    scenario: str | Scenario = Scenario.FULL_DEMAND,
    deficit_fraction: float = DEFAULT_DEFICIT,
    conventions: Conventions | str | None = None,
    area: str = "watered",
    fitted: bool = True,
    recharge: bool = False,
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
    schedule : str, Schedule, path or None
        None (default): each method is scheduled by the library practice written for it
        (current Kazakh furrow practice, Xinjiang mulched-drip practice) or by the FAO-56
        RAW rule (``fao_mad``) otherwise. A rule or practice name, a schedule CSV or a
        Schedule applies that one to every method.
    leaching : bool
        Add the off-season leaching line of saline regions (variables ``leaching_*``).
    cyclic : bool, optional
        Use the single year of the input as the year before too (only sensible for a
        typical-year input). Default: True for the bundled sample, False otherwise.
    elevation : float or path, optional
        Elevation (m) or a NetCDF file of surface geopotential/orography, for inputs that
        lack one (Penman-Monteith needs it; see :func:`irrigate.open_climate`). Only with
        climate files: the bundled sample and an opened Dataset carry their own, so it is an
        InputError there (as ``--elev`` without ``--input``).
    progress : callable, optional
        Called as ``progress(done, total, label)`` after every simulated batch (work units
        are cells x crops x methods); the CLI draws its progress bar with it.
    irrigated_fraction : xarray.DataArray, optional
        Fraction (0-1) of each grid cell that is irrigated, on the climate grid ``(lat,
        lon)``. Regional means then weight each cell by its area in the region times this
        fraction (:func:`irrigate.region_weights`); it must be on the same cell centres (no
        interpolation). :func:`irrigate.climate.irrigated_fraction.read_irrigated_fraction`
        reads one from a NetCDF (the CLI's ``--irrigated-fraction FILE.nc[:VARIABLE]``).
        Default: the whole area of each cell (the package ships no irrigated-land map).
    var_map : dict, optional
        Canonical name -> variable name in the climate files, for names not recognised
        automatically, e.g. ``{"tmax": "TX"}`` (:func:`irrigate.open_climate`; the CLI's
        ``--var tmax=TX``). Only with climate files: an InputError otherwise.
    scenario : Scenario or {"full_demand", "practice", "deficit"}
        What the method columns mean (:mod:`irrigate.engine.scenario`): ``full_demand``
        (default) every method meets the crop's demand within its own limits; ``practice``
        each method under its library practice calendar; ``deficit`` every method irrigates
        when the depletion reaches ``deficit_fraction`` of TAW (beyond RAW). The ``now``
        baseline (``irr_gross_current_mm``)
        is always today's practice. An explicit ``schedule`` replaces the scenario's.
    deficit_fraction : float
        Depletion, as a fraction of TAW, at which the ``deficit`` scenario irrigates (0-1).
    film_crop : FilmCrop or {"calibrated", "fao"}
        Crop coefficients of the ``mulched_drip`` column. ``"fao"``: the crop's FAO-56 record
        under the library's ``mulched_drip`` method, like every other column.
        ``"calibrated"`` (default): where the library holds a Xinjiang-calibrated record of the crop
        (``xinjiang_<crop>``, e.g. ``xinjiang_cotton`` from ``irrigate calibrate --preset
        xinjiang``), its calibrated values (those whose source reads ``calibrated: ...``,
        e.g. Kcb mid and end) and those of ``xinjiang_mulched_drip`` (the film evaporation
        reduction) replace the crop's and the method's values in that column only; the
        crop keeps its own stage calendar and sowing date, so every column covers the same
        season. Other crops keep their FAO-56 values. The coordinates ``film_choice``,
        ``film_record`` (and ``film_crop_value``, ``film_method_value``) record what was
        replaced. See docs/calibration.md ("Transfer to south Kazakhstan").
    conventions : Conventions or str, optional
        FAO-56 open choices (:mod:`irrigate.science.conventions`): a preset name
        (``irrigate`` default, ``fao56-examples``, ``pyfao56``) or a record; recorded in
        ``attrs["conventions"]``.
    area : {"watered", "listed"}
        Irrigated area of each region (``models/areas.toml``): land actually watered
        (default) or listed irrigated land; ``area_kind`` and ``area_key`` say which.
    fitted : bool
        Scale today's practice by each region's fitted practice factor
        (``models/baseline_factors.toml``, default); False: factor 1 everywhere (what
        ``irrigate calibrate-baseline`` fits from).
    recharge : bool
        Add the autumn moisture-charging line of winter wheat (variables ``recharge_*``,
        outside the season totals).
    parallel : Parallel, optional
        A dask.distributed cluster (:func:`irrigate.engine.cluster.compute_on`): each block of
        cells is cut into a few chunks per worker and ET0 and the upland balance run on the
        workers. Default: this process (numba threads). The results are the same.

    Returns
    -------
    xarray.Dataset
        Dims ``region, crop, method``, one meaning each: ``crop`` holds crops only and
        ``method`` only methods a budgeted crop can take. Variables defined in
        ``docs/budget.md`` (``et0_mm`` ... ``irr_gross_mm``, ``n_events``, ``area_ha``,
        ``field_gross_mcm``, ``withdrawal_mcm``, ``saving_vs_current_*``,
        ``saving_vs_flood_*``), each with ``units`` and ``long_name``; per region
        ``irrigated_area_ha`` and ``covered``; the off-season lines as ``leaching_*`` and
        ``recharge_*`` (:mod:`irrigate.lines`), outside the season totals and inside the
        year's (``*_withdrawal_year*``). Attributes record the season, climate input,
        schedules and anything left out.

    Raises
    ------
    InputError
        Unknown region, crop or method; a crop without area in the selected regions; a
        season outside the climate data; an input that does not overlap the regions.

    """
    lib = load_library(models)
    region_list = inputs.as_list(regions)
    boundaries, codes = _select_regions(lib, layout, region_list)
    crop_list, method_list = inputs.as_list(crops), inputs.as_list(methods)
    plans = plan.region_plans(lib, codes, crop_list, region_list is not None, area, fitted)
    mplan = plan.method_plan(lib, method_list, plans)
    rice = _rice_records(lib, any(p.rice for p in plans))

    ds, source, is_sample = inputs.open_input(climate, elevation, var_map)
    year = inputs.season_year(ds, season)
    cyclic = is_sample if cyclic is None else cyclic
    prepend = cyclic and pd.DatetimeIndex(ds["time"].values)[0].year == year
    if prepend:
        ds = inputs.cyclic(ds)
    files = inputs.climate_paths(climate) if "lat" in ds.dims and "lon" in ds.dims else None
    reader = None if files is None else slabs.Source(
        tuple(str(f) for f in files), elevation, tuple(sorted((var_map or {}).items())),
        prepend)

    scenario = _scenario(scenario)
    schedules, schedule_crops = scenario_schedules(lib, mplan.upland, scenario, schedule,
                                                   deficit_fraction, _upland_crops(lib, plans))
    work = Work(lib=lib, methods=mplan,
                upland=method_records(lib, mplan.upland, scenario, schedule),
                schedules=schedules, rice=rice, film=film_swap(lib, film_crop, mplan.upland),
                year=year, strict_crops=crop_list is not None,
                conventions=resolve_conventions(conventions), schedule_crops=schedule_crops,
                parallel=parallel, input_days=_input_days(ds))
    today_run = _today(work, plans, scenario, schedule)
    if scenario is Scenario.FULL_DEMAND and schedule is None:
        work = with_short_turns(work)  # furrow: the canal turn, or short turns (engine/turns)
    runs: dict[str, dict[str, xr.Dataset]] = {"columns": {}, "today": {}}
    today: dict[str, xr.Dataset] = {}
    skipped: list[str] = []
    swapped: set[str] = set()
    if any(p.crops for p in plans):  # else only regions without irrigated area: nothing to run
        cells_ds, weights = cells(ds, boundaries, irrigated_fraction)
        active, cells_ds, weights = _active(plans, weights, cells_ds)
        groups = plan.groups(active)
        total = sum(plan.work_units(lib, groups, dataclasses.replace(
            w.methods, upland=[m.name for m in w.upland])) for w in (work, today_run) if w)
        counter = Counter(total, progress)
        _run_groups(work, today_run, groups, cells_ds, weights, counter, runs, today,
                    skipped, swapped, reader)
    info = Info(year=year, source=source, cyclic=cyclic,
                schedules={_schedule_label(n, schedule_crops): ms
                           for n, (_, ms) in schedules.items()}, film=work.film,
                swapped=swapped, skipped=skipped, requested=method_list,
                offseason_line=leaching,
                scenario=scenario_label(scenario, schedule, deficit_fraction),
                today_schedules=_labelled(today_run.schedules, today_run.schedule_crops)
                if today_run is not None else _labelled(schedules, schedule_crops),
                conventions=work.conventions.describe(), today=today,
                fitted=fitted, recharge=recharge)
    runs["columns"] = choose_turns(runs["columns"])
    today_results = runs["today"] if today_run is not None else runs["columns"]
    return assemble(lib, plans, runs["columns"], today_results, mplan,
                    salinity_records(lib), load_comparison(models), info)
