"""Many seasons: run the single-season budget for every season of an input, and its statistics.

The single-season engine (:func:`irrigate.engine.budget.budget`) budgets one season (harvest
year); autumn-sown crops (winter wheat) are sown the autumn before and need it in the input.
This module lists the seasons an input holds (:func:`complete_seasons`), parses a choice such
as ``2001-2014`` (:func:`parse_seasons`), runs the budget season by season on one opened
input (:func:`budget_seasons`) and stacks the results along a ``season`` dimension. It then
reduces them across seasons (:func:`season_statistics`): mean, standard deviation and the
value at a dependability P (:mod:`irrigate.science.frequency`) per region x crop x method,
the dependable-year budget (depths at P, volumes and savings recomputed from them), the
withdrawal of each region per season and, against given limits, how often and by how much
it is exceeded. ``docs/budget.md`` ("Many seasons") defines every output.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.climate.delta import apply_delta
from irrigate.engine.budget import budget
from irrigate.engine.inputs import bundled_files, open_input
from irrigate.engine.plan import Progress
from irrigate.engine.season_stats import STAT_VARIABLES, season_statistics
from irrigate.engine.simulate import season_summary, simulate
from irrigate.errors import InputError
from irrigate.library import load_library
from irrigate.science.frequency import (
    DEFAULT_PROBABILITY,
    PROBABILITY_SOURCE,
    Estimator,
    check_probability,
    describe,
)
from irrigate.science.params import Crop

__all__ = ["parse_seasons", "complete_seasons", "budget_seasons", "season_statistics",
           "parse_limits", "ALL", "STAT_VARIABLES"]

#: ``--seasons all``: every complete season of the input.
ALL = "all"
#: The growing season that makes a harvest year "complete" in the input (month, day).
SEASON_START = (4, 1)
SEASON_END = (10, 31)


#: Folder of the bundled multi-year synthetic sample (``sample_data/README.md``).
MULTI_YEAR_SAMPLE = "kz_synthetic_daily_30y"


def multi_year_sample_files() -> list[Any]:
    """Return the files of the bundled multi-year synthetic Kazakhstan grid."""
    folder, files = bundled_files(MULTI_YEAR_SAMPLE)
    if not files:
        raise InputError(f"{folder}: bundled multi-year sample not found; rebuild it with "
                         "python sample_data/make_sample.py --years 30 or pass --input files")
    return files


def parse_seasons(text: str | Sequence[int] | None) -> list[int] | str | None:
    """Parse ``--seasons``: ``2001-2014``, ``2001,2003,2005``, ``2010`` or ``all``.

    Returns a sorted list of harvest years, :data:`ALL`, or None when not given.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        return sorted({int(y) for y in text})
    value = text.strip().lower()
    if value == ALL:
        return ALL
    years: set[int] = set()
    try:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if "-" in part[1:]:
                a, b = part.split("-", 1)
                lo, hi = int(a), int(b)
                if hi < lo:
                    raise ValueError
                years.update(range(lo, hi + 1))
            else:
                years.add(int(part))
    except ValueError:
        raise InputError(f"--seasons {text}: give harvest years as A-B (2001-2014), a list "
                         "(2001,2005) or 'all'") from None
    if not years:
        raise InputError(f"--seasons {text}: no season given")
    return sorted(years)


def complete_seasons(times: Any) -> list[int]:
    """Harvest years whose growing season (1 April - 31 October) lies inside ``times``.

    Autumn-sown crops (winter wheat) also need the autumn before; the budget leaves them out
    of a season whose autumn is not in the input and says so (``left_out``).
    """
    t = pd.DatetimeIndex(times)
    if t.size == 0:
        return []
    first, last = t[0], t[-1]
    return [y for y in range(first.year, last.year + 1)
            if pd.Timestamp(y, *SEASON_START) >= first and pd.Timestamp(y, *SEASON_END) <= last]


def years_text(years: Sequence[int]) -> str:
    """Write years compactly: ``2001-2004,2008``."""
    years = sorted(set(int(y) for y in years))
    parts: list[str] = []
    start = prev = None
    for y in years + [None]:
        if start is not None and (y is None or y != prev + 1):
            parts.append(str(start) if start == prev else f"{start}-{prev}")
            start = None
        if y is not None and start is None:
            start = y
        prev = y
    return ",".join(parts)


def _choose(available: list[int], seasons: list[int] | str | None, span: str) -> list[int]:
    if not available:
        raise InputError(f"climate input covers {span}: no complete growing season "
                         "(April-October); use a longer input")
    if seasons is None or seasons == ALL:
        return available
    missing = [y for y in seasons if y not in available]
    if missing:
        raise InputError(f"--seasons: {', '.join(map(str, missing))} not complete in the "
                         f"climate input ({span}); its complete seasons are "
                         f"{available[0]}-{available[-1]}")
    return list(seasons)


def parse_limits(values: Sequence[str] | Mapping[str, float] | None) -> dict[str, float]:
    """Parse ``--limit-mcm REGION=VALUE`` (repeatable or comma-separated), million m3."""
    if not values:
        return {}
    if isinstance(values, Mapping):
        return {str(k): float(v) for k, v in values.items()}
    out: dict[str, float] = {}
    for value in values:
        for part in str(value).split(","):
            if not part.strip():
                continue
            code, sep, number = part.partition("=")
            try:
                if not sep:
                    raise ValueError
                out[code.strip()] = float(number)
            except ValueError:
                raise InputError(f"--limit-mcm {part}: give REGION=VALUE in million m3, e.g. "
                                 "KZ-61=3800") from None
            if out[code.strip()] <= 0:
                raise InputError(f"--limit-mcm {part}: the limit must be positive")
    return out


def budget_seasons(
    climate: xr.Dataset | str | os.PathLike | Sequence[str | os.PathLike] | None = None,
    *,
    seasons: list[int] | str | None = None,
    probability: float = DEFAULT_PROBABILITY,
    estimator: Estimator | str = Estimator.WEIBULL,
    limits: Mapping[str, float] | None = None,
    delta: Any = None,
    elevation: float | str | os.PathLike | None = None,
    var_map: dict[str, str] | None = None,
    progress: Progress | None = None,
    workers: int = 1,
    **options: Any,
) -> xr.Dataset:
    """Budget every chosen season of an input and reduce the seasons to design values.

    Parameters
    ----------
    climate : Dataset, path or list of paths, optional
        As for :func:`irrigate.engine.budget.budget`. Default: the bundled multi-year
        synthetic sample (:func:`multi_year_sample_files`).
    seasons : list of int or "all", optional
        Harvest years (:func:`parse_seasons`). Default: every complete season of the input
        (:func:`complete_seasons`).
    probability : float
        Dependability P of the design year (default :data:`~irrigate.science.frequency.
        DEFAULT_PROBABILITY`, 0.75).
    estimator : Estimator
        ``weibull`` (empirical plotting position, default) or ``normal``.
    limits : mapping region code -> million m3, optional
        Water limits to test the current practice (and every method scenario) against.
    delta : DeltaChange, optional
        A climate change signal (:func:`irrigate.climate.delta.read_delta`); the result then
        holds a ``scenario`` dimension, ``baseline`` and ``delta``.
    elevation, var_map
        As for :func:`~irrigate.engine.budget.budget` (opening the input).
    progress : callable, optional
        Called as ``progress(done, total, label)`` after every season (the CLI's bar).
    workers : int
        Seasons budgeted at once in separate processes (default 1: one after another).
        The results are the same; each worker holds one season's window in memory.
    **options
        Passed on to :func:`~irrigate.engine.budget.budget` for every season (``regions``,
        ``crops``, ``methods``, ``models``, ``layout``, ``schedule``, ``leaching``,
        ``irrigated_fraction``, ``film_crop``).

    Returns
    -------
    xarray.Dataset
        The budget variables with a leading ``season`` dimension, and the statistics of
        :func:`season_statistics`. Attributes name the seasons, P, its source and the
        estimator.

    """
    p = check_probability(probability)
    est = Estimator(estimator)
    if "season" in options:
        raise InputError("budget_seasons: use seasons=, not season=")
    synthetic = climate is None
    if synthetic:
        climate = multi_year_sample_files()
    ds, source, _ = open_input(climate, elevation, var_map)
    times = pd.DatetimeIndex(ds["time"].values)
    span = f"{times[0].date()}..{times[-1].date()}"
    chosen = _choose(complete_seasons(times), seasons, span)
    runs = {"baseline": ds}
    if delta is not None:
        runs["delta"] = apply_delta(ds, delta)
    results = []
    for data in runs.values():
        # each season on its own window (the autumn before, for winter wheat and rice
        # soaking): the same numbers as the whole input, without reading it each time
        windows = [data.sel(time=slice(f"{year - 1}-01-01", f"{year}-12-31"))
                   for year in chosen]
        # with crops named and the seasons not, a season whose input lacks a crop's sowing
        # (winter wheat in the first season) is skipped and said so, not an error
        skip = seasons is None or seasons == ALL
        if workers > 1 and len(chosen) > 1:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                futures = [pool.submit(_one_season, w.load(), year, options, skip)
                           for w, year in zip(windows, chosen, strict=True)]
                budgets = [f.result() for f in futures]
        else:
            budgets = []
            for w, year in zip(windows, chosen, strict=True):
                budgets.append(_one_season(w, year, options, skip))
                if progress is not None:
                    progress(len(budgets), len(chosen), f"season {year}")
        skipped = [f"{year}: skipped ({one})" for one, year in zip(budgets, chosen, strict=True)
                   if isinstance(one, str)]
        per_season = [one.expand_dims(season=[year])
                      for one, year in zip(budgets, chosen, strict=True)
                      if not isinstance(one, str)]
        if not per_season:
            raise InputError(f"--seasons: no season holds every requested crop; {skipped[0]}")
        stacked = _labels_without_season(xr.concat(
            per_season, dim="season", join="outer", data_vars="all", coords="different",
            compat="equals", combine_attrs="drop"))
        first = per_season[0].attrs
        stacked.attrs.update({k: v for k, v in first.items() if k != "season"})
        stacked.attrs["left_out"] = "; ".join(skipped + [
            f"{int(r['season'][0])}: {r.attrs['left_out']}" for r in per_season
            if r.attrs.get("left_out", "none") != "none"]) or "none"
        results.append(season_statistics(stacked, p, est, limits))
    out = results[0] if len(results) == 1 else xr.concat(
        results, dim=pd.Index(list(runs), name="scenario"), join="outer",
        combine_attrs="override")
    chosen = [int(y) for y in out["season"].values]  # without the seasons skipped
    out.attrs.update({
        "title": "irrigate regional water budget over many seasons",
        "climate_source": (f"bundled synthetic multi-year sample ({MULTI_YEAR_SAMPLE})"
                           if synthetic else source),
        "seasons": years_text(chosen),
        "n_seasons": len(chosen),
        "probability": p,
        "probability_source": PROBABILITY_SOURCE,
        "estimator": f"{est.value}: {describe(est)}",
        "season": f"dependable year, P = {100 * p:g} % of {len(chosen)} seasons "
                  f"{chosen[0]}-{chosen[-1]}",
    })
    if delta is not None:
        out.attrs["delta"] = delta.describe()
    return out


def _labels_without_season(ds: xr.Dataset) -> xr.Dataset:
    """Return ``ds`` with label coordinates free of the ``season`` dimension again.

    A crop left out of a season (winter wheat in the first one) makes ``reference_method``,
    ``line`` ... vary by season after stacking, with NaN in that season.
    """
    for name in list(ds.coords):
        da = ds[name]
        if "season" not in da.dims or name == "season" or da.dtype.kind not in "OUS":
            continue
        values = np.moveaxis(da.values, da.dims.index("season"), 0)
        first = values[0].copy()
        for row in values[1:]:
            missing = np.array([not isinstance(v, str) for v in first.ravel()]).reshape(
                first.shape)
            first[missing] = row[missing]
        dims = [d for d in da.dims if d != "season"]
        ds = ds.assign_coords({name: (dims, first.astype(str))})
    return ds


def _one_season(window: xr.Dataset, year: int, options: dict[str, Any], skip: bool
                ) -> xr.Dataset | str:
    """Budget one season (also in a worker process).

    With ``skip``, a season whose input lacks a named crop's sowing returns the reason
    instead of raising.
    """
    try:
        return budget(window, season=year, cyclic=False, **options)
    except InputError as exc:
        if skip and "is not inside the climate input" in str(exc):
            return str(exc).split(": ", 1)[1].split(";")[0]
        raise


# --------------------------------------------------------------------------- simulate


def _month_day(value: Any) -> str | None:
    """Return 'MM-DD' for a sowing given as 'MM-DD', else None (a full date is one season)."""
    if isinstance(value, str) and len(value.strip()) == 5 and value.strip()[2] == "-":
        return value.strip()
    return None


def _date(year: int, month_day: str) -> pd.Timestamp:
    month, day = (int(x) for x in month_day.split("-"))
    return pd.Timestamp(year, month, min(day, 28) if (month, day) == (2, 29) else day)


def simulate_seasons(climate: xr.Dataset, crops: Sequence[Any], methods: Sequence[Any], *,
                     seasons: list[int] | str | None = None, sowing: str | None = None,
                     models: str | os.PathLike | None = None, **options: Any) -> xr.Dataset:
    """Run :func:`irrigate.engine.simulate.simulate` for every season of a multi-year input.

    A crop whose season (sowing on its 'MM-DD' to harvest) ends within the calendar year is
    run once per calendar year Y, exactly as ``simulate(..., season=Y)`` (the CLI's
    ``--year Y``): the balance starts on 1 January (or the first day of data) at
    ``initial_depletion``. A crop whose season crosses the new year (winter wheat) is run once
    per crop year, from its sowing in the autumn of Y - 1 to the day before the next sowing,
    starting at ``initial_depletion`` on the sowing day; its season carries the harvest year
    Y. Seasons are the years whose crop season lies inside the input (``seasons`` chooses
    among them).

    Returns
    -------
    xarray.Dataset
        The daily variables of :func:`~irrigate.engine.simulate.simulate` on the input's
        time axis (NaN on days no season of a crop covers) and ``harvest_year`` (dims
        ``time, crop``: the season each day's values belong to). The attribute ``seasons``
        lists the seasons run; :func:`season_totals` sums them per season.

    """
    crop_list = [crops] if isinstance(crops, str | Crop) else list(crops)
    lib = None
    records = []
    for c in crop_list:
        if isinstance(c, Crop):
            records.append(c)
        else:
            lib = lib or load_library(models)
            records.append(lib.crop(c))
    times = pd.DatetimeIndex(climate["time"].values)
    first, last = times[0].normalize(), times[-1].normalize()
    groups: dict[tuple[str, bool], list[Any]] = {}
    for rec in records:
        md = _month_day(sowing) or _month_day(rec.sowing)
        if md is None:
            raise InputError(f"crop {rec.name}: many seasons need a sowing day as MM-DD; give "
                             "--sowing MM-DD, or --year for one season")
        crosses = _date(2001, md) + pd.Timedelta(days=rec.season_length - 1) > \
            pd.Timestamp(2001, 12, 31)
        groups.setdefault((md, bool(crosses)), []).append(rec)

    parts = []
    ran: set[int] = set()
    for (md, crosses), recs in groups.items():
        length = max(r.season_length for r in recs)
        available = []
        for year in range(first.year, last.year + 2):
            sow = _date(year - 1 if crosses else year, md)
            if sow >= first and sow + pd.Timedelta(days=length - 1) <= last:
                available.append(year)
        names = ", ".join(r.name for r in recs)
        if not available:
            raise InputError(f"crop {names}: no season from {md} fits in the climate input "
                             f"{first.date()}..{last.date()}; use a longer input")
        chosen = available if seasons is None or seasons == ALL else \
            [y for y in seasons if y in available]
        if not chosen:
            raise InputError(f"--seasons: none of them has a complete season of {names} in "
                             f"the climate input; its seasons are {available[0]}-"
                             f"{available[-1]}")
        runs = []
        for year in chosen:
            if crosses:
                start = _date(year - 1, md)
                end = min(_date(year, md) - pd.Timedelta(days=1), last)
                daily = simulate(climate.sel(time=slice(start, end)), recs, methods,
                                 sowing=start.strftime("%Y-%m-%d"), models=models, **options)
            else:
                daily = simulate(climate, recs, methods, season=year, sowing=md,
                                 models=models, **options)
            daily = daily.drop_vars("sowing_index")
            das = daily["das"]
            das = das.isel({d: 0 for d in das.dims if d not in ("time", "crop")}, drop=True)
            daily["harvest_year"] = xr.full_like(das, year, dtype=np.int32)
            runs.append(daily)
            ran.add(year)
        parts.append(xr.concat(runs, dim="time", data_vars="all", coords="minimal",
                               compat="override", combine_attrs="override"))
    out = parts[0] if len(parts) == 1 else xr.merge(parts, join="outer",
                                                    compat="no_conflicts",
                                                    combine_attrs="override")
    if len(parts) > 1:
        out["harvest_year"] = out["harvest_year"].fillna(-1).astype(np.int32)
    out["harvest_year"].attrs = {"units": "1", "long_name": "harvest year of the season the "
                                 "value belongs to (-1: no season)"}
    out.attrs["seasons"] = years_text(ran)
    return out


def season_totals(daily: xr.Dataset) -> xr.Dataset:
    """Seasonal totals per season of :func:`simulate_seasons` output (a ``season`` dim).

    Each season sums the days of its own run with ``0 <= das < season_length``
    (:func:`irrigate.engine.simulate.season_summary` per season).
    """
    years = sorted(int(y) for y in np.unique(daily["harvest_year"].values) if y > 0)
    pieces = []
    for year in years:
        keep = daily["harvest_year"] == year
        days = keep.any("crop")
        sub = daily.isel(time=np.flatnonzero(days.values))
        sub = sub.where(sub["harvest_year"] == year)
        sub["das"] = sub["das"].fillna(-1)
        pieces.append(season_summary(sub.drop_vars("harvest_year")).expand_dims(season=[year]))
    return xr.concat(pieces, dim="season", join="outer")
