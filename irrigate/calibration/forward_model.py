"""The forward model of a calibration: experiments simulated with candidate parameters.

:class:`ExperimentModel` runs every experiment of an observation set through
:func:`irrigate.engine.simulate` with the parameter values of one optimiser step and reads
the observed quantities from the daily result (:func:`observe`); :func:`forward` simulates
once with the calibrated library entries (no fitting).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from irrigate.calibration.observations import (
    END_DAYS,
    Experiment,
    Observation,
    ObservationSet,
    load_observations,
)
from irrigate.calibration.parameters import KINDS, Parameter, parse_parameter
from irrigate.calibration.weather_generator import daily_weather, read_station_climate
from irrigate.engine.simulate import simulate
from irrigate.errors import InputError
from irrigate.library import load_library
from irrigate.science.params import Crop
from irrigate.science.schedule import STAGES

# --- forward model --------------------------------------------------------------------------

def _season_days(crop: Crop) -> int:
    return int(round(crop.l_ini + crop.l_dev + crop.l_mid + crop.l_late))


def _stage_bounds(crop: Crop) -> dict[str, tuple[int, int]]:
    """Day offsets [start, end) after sowing of each window (stages rounded to whole days)."""
    edges = np.rint(np.cumsum([0.0, crop.l_ini, crop.l_dev, crop.l_mid, crop.l_late]))
    out = {s: (int(edges[k]), int(edges[k + 1])) for k, s in enumerate(STAGES)}
    out["end"] = (max(int(edges[-1]) - END_DAYS, 0), int(edges[-1]))
    return out


class ExperimentModel:
    """Simulate the observations of an :class:`ObservationSet` for given parameter values.

    Weather is generated once per experiment (:mod:`.weather_generator`); each call
    of :meth:`simulate` replaces the fitted fields in the library records
    (:func:`dataclasses.replace`) and runs :func:`irrigate.engine.simulate` for every experiment.
    """

    def __init__(self, obs: ObservationSet, params: Sequence[Parameter],
                 library: Any, weather: str = "monthly", seed: int | None = None,
                 weather_data: Mapping[str, xr.Dataset] | None = None) -> None:
        self.obs = obs
        self.params = list(params)
        self.weather = weather
        self.seed = seed
        self._base: dict[str, Any] = {}
        for exp in obs.experiments.values():
            for kind, name in (("crop", exp.crop), ("method", exp.method), ("soil", exp.soil)):
                key = f"{kind}.{name}"
                if key not in self._base:
                    record = library_record(library, kind, name)
                    record = _apply_set_values(record, obs.set_values.get(key, {}), key)
                    self._base[key] = record
        stations = {exp.station.lower() for exp in obs.experiments.values()}
        for p in self.params:
            key = f"{p.kind}.{p.entry}"
            if p.kind == "weather":
                if p.entry.lower() not in stations:
                    raise InputError(f"parameter {p.name}: no experiment uses station "
                                     f"{p.entry!r}; stations: {', '.join(sorted(stations))}")
                continue
            if p.kind == "experiment":
                if not any(e.startswith(p.entry) for e in obs.experiments):
                    raise InputError(f"parameter {p.name}: no experiment id starts with "
                                     f"{p.entry!r}; experiments: {', '.join(obs.experiments)}")
                continue
            if key not in self._base:
                raise InputError(f"parameter {p.name}: no experiment uses {p.kind} "
                                 f"{p.entry!r}; the observations cannot constrain it")
        if weather_data is not None:
            missing = sorted(set(obs.experiments) - set(weather_data))
            if missing:
                raise InputError(f"weather_data: no daily weather for experiment(s) "
                                 f"{', '.join(missing)}")
            self._weather = dict(weather_data)
        else:
            self._weather = self._make_weather()
        self._cache: dict[tuple[float, ...], np.ndarray] = {}
        self.n_runs = 0

    def base_value(self, p: Parameter) -> float:
        """Value of ``p`` in the library (after the set's fixed values); 1 for weather."""
        if p.kind == "weather":
            return 1.0
        if p.kind == "experiment":
            values = {getattr(e, p.field) for k, e in self.obs.experiments.items()
                      if k.startswith(p.entry)}
            return float(values.pop()) if len(values) == 1 else float(np.mean(list(values)))
        return float(getattr(self._base[f"{p.kind}.{p.entry}"], p.field))

    def _make_weather(self) -> dict[str, xr.Dataset]:
        if self.obs.station_climate is None:
            raise InputError(f"{self.obs.path}: [calibration] station_climate is not set; "
                             "name the monthly station climate file (CSV)")
        out: dict[str, xr.Dataset] = {}
        climates: dict[str, Any] = {}
        for exp in self.obs.experiments.values():
            if exp.station not in climates:
                climates[exp.station] = read_station_climate(self.obs.station_climate,
                                                              exp.station)
            crop = self._base[f"crop.{exp.crop}"]
            season = _season_days(crop)
            # room for fitted stage lengths up to their upper bounds
            extra = sum(max(p.upper - getattr(crop, p.field), 0.0) for p in self.params
                        if p.kind == "crop" and p.entry == exp.crop
                        and p.field in ("l_ini", "l_dev", "l_mid", "l_late"))
            days = season + int(np.ceil(extra))
            start = np.datetime64(exp.sowing, "D")
            end = start + np.timedelta64(days - 1, "D")
            years = range(exp.year, int(str(end)[:4]) + 1)
            ds = xr.concat([daily_weather(climates[exp.station], y, self.weather,
                                          seed=None if self.seed is None
                                          else self.seed + 7919 * (y - exp.year))
                            for y in years], dim="time")
            ds = ds.sel(time=slice(start, end))
            if ds.sizes["time"] != days:
                raise InputError(f"experiment {exp.id}: sowing {exp.sowing} is not in year "
                                 f"{exp.year}; give the sowing year as 'year'")
            if exp.season_precip_mm is not None:
                in_season = ds["precip"].isel(time=slice(0, season))
                total = float(in_season.sum())
                if total > 0:
                    scale = xr.where(np.arange(days) < season,
                                     exp.season_precip_mm / total, 1.0)
                    ds["precip"] = ds["precip"] * xr.DataArray(np.asarray(scale), dims="time")
            out[exp.id] = ds
        return out

    def records(self, x: Sequence[float]) -> dict[str, Any]:
        """Library records with the fitted fields set to ``x``."""
        recs = dict(self._base)
        changes: dict[str, dict[str, Any]] = {}
        for p, v in zip(self.params, x, strict=True):
            key = f"weather.{p.entry.lower()}" if p.kind == "weather" else f"{p.kind}.{p.entry}"
            changes.setdefault(key, {})[p.field] = float(v)
        for key, ch in changes.items():
            if key.startswith(("weather.", "experiment.")):
                recs[key] = ch
            else:
                recs[key] = dataclasses.replace(recs[key], **ch)
        return recs

    def run_experiment(self, exp: Experiment, recs: Mapping[str, Any]) -> xr.Dataset:
        """Run :func:`irrigate.engine.simulate` for one experiment; return its daily output."""
        self.n_runs += 1
        weather = self._weather[exp.id]
        scales = recs.get(f"weather.{exp.station.lower()}", {})
        if scales:
            weather = weather.copy()
            weather["et0"] = weather["et0"] * scales.get("et0_scale", 1.0)
            weather["precip"] = weather["precip"] * scales.get("precip_scale", 1.0)
        settings = {"initial_depletion": exp.initial_depletion}
        for key, ch in recs.items():
            if key.startswith("experiment.") and exp.id.startswith(key.split(".", 1)[1]):
                settings.update(ch)
        needed = sorted({"eta" if o.quantity == "kc" else o.quantity
                         for o in self.obs.observations if o.experiment == exp.id})
        out = simulate(weather, crops=[recs[f"crop.{exp.crop}"]],
                       methods=[recs[f"method.{exp.method}"]], soil=recs[f"soil.{exp.soil}"],
                       schedule=exp.schedule, sowing=exp.sowing, outputs=needed, **settings)
        return out.squeeze(drop=True)

    def simulate(self, x: Sequence[float]) -> np.ndarray:
        """Return the simulated value of every observation (in ``obs.observations`` order)."""
        key = tuple(float(v) for v in x)
        if key in self._cache:
            return self._cache[key]
        recs = self.records(x)
        result = np.full(len(self.obs.observations), np.nan)
        by_exp: dict[str, list[int]] = {}
        for i, o in enumerate(self.obs.observations):
            by_exp.setdefault(o.experiment, []).append(i)
        for exp_id, idx in by_exp.items():
            exp = self.obs.experiments[exp_id]
            daily = self.run_experiment(exp, recs)
            crop = recs[f"crop.{exp.crop}"]
            for i in idx:
                result[i] = observe(daily, self.obs.observations[i], exp, crop)
        self._cache[key] = result
        return result


def observe(daily: xr.Dataset, o: Observation, exp: Experiment, crop: Crop) -> float:
    """Return the simulated counterpart of observation ``o`` from an experiment's daily output."""
    start = np.datetime64(exp.sowing, "D")
    n = _season_days(crop)
    if o.date:
        try:
            day = daily.sel(time=np.datetime64(o.date, "D"))
        except KeyError:
            raise InputError(f"observation {o.id}: date {o.date} is outside the simulated "
                             f"season of experiment {exp.id}") from None
        if o.quantity == "kc":
            return float(day["eta"] / day["et0"])
        return float(day[o.quantity])
    if o.stage:
        a, b = _stage_bounds(crop)[o.stage]
    else:
        a, b = 0, n
    window = slice(start + np.timedelta64(a, "D"), start + np.timedelta64(b - 1, "D"))
    part = daily.sel(time=window)
    if o.quantity == "kc":
        return float(part["eta"].sum() / part["et0"].sum())
    if o.quantity == "dr":
        return float(part["dr"].isel(time=-1))
    return float(part[o.quantity].sum())


def _apply_set_values(record: Any, values: Mapping[str, Mapping[str, Any]], key: str) -> Any:
    if not values:
        return record
    names = {f.name for f in dataclasses.fields(record)}
    bad = sorted(set(values) - names)
    if bad:
        raise InputError(f"[calibration.set.\"{key}\"]: unknown field(s) {', '.join(bad)}")
    changes = {}
    for k, v in values.items():
        if not isinstance(v, Mapping) or not {"value", "unit", "source"} <= set(v):
            raise InputError(f"[calibration.set.\"{key}\"] {k}: write {{ value, unit, source }}")
        changes[k] = v["value"]
    return dataclasses.replace(record, **changes)


def library_record(library: Any, kind: str, name: str) -> Any:
    """Return the ``kind`` record ``name`` (Crop, Method or Soil) from a loaded library."""
    getter = getattr(library, kind, None)
    try:
        if callable(getter):
            return getter(name)
        table = getattr(library, f"{kind}s")
        return table[name]
    except KeyError:
        raise InputError(f"{kind} {name!r}: not in the parameter library") from None


# --- reproducing a shipped calibration ------------------------------------------------------

def forward(
    observations: str | os.PathLike | ObservationSet,
    nuisance: Mapping[str, float] | None = None,
    *,
    rename: Mapping[str, str] | None = None,
    models: str | os.PathLike | None = None,
    library: Any = None,
    weather: str | None = None,
    seed: int | None = None,
) -> np.ndarray:
    """Simulate every observation once with calibrated library entries (no fitting).

    The experiments' crop, method and soil names are mapped through ``rename`` (default:
    the set's rename table, e.g. ``cotton`` -> ``xinjiang_cotton``), so the calibrated
    entries of the library are used as they are; the set's fixed values are not applied
    again. ``nuisance`` gives the fitted ``weather.*`` and ``experiment.*`` values.

    Returns
    -------
    numpy.ndarray
        Simulated value of every observation, in the set's order.

    """
    obs = observations if isinstance(observations, ObservationSet) else \
        load_observations(observations)
    rename = dict(obs.rename if rename is None else rename)
    experiments = {
        k: dataclasses.replace(
            e, crop=rename.get(f"crop.{e.crop}", e.crop),
            method=rename.get(f"method.{e.method}", e.method),
            soil=rename.get(f"soil.{e.soil}", e.soil))
        for k, e in obs.experiments.items()}
    plain = dataclasses.replace(obs, experiments=experiments, set_values={})
    params, x = [], []
    for name, value in (nuisance or {}).items():
        p = parse_parameter(f"{name}={float(value) - 1.0}:{float(value) + 1.0}")
        if KINDS[p.kind] is not None:
            raise InputError(f"forward: {name} is a library value; it is read from the "
                             "calibrated entries, give only weather.* and experiment.* values")
        params.append(p)
        x.append(float(value))
    if library is None:
        library = load_library(models)
    model = ExperimentModel(plain, params, library, weather=weather or obs.weather, seed=seed)
    return model.simulate(x)
