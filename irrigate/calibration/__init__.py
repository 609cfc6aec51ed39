"""Calibrate library parameters against field observations: ``irrigate.calibrate``.

A calibration fits chosen entries of the parameter library (addressed as
``<kind>.<entry>.<field>``, e.g. ``crop.cotton.kcb_mid`` or
``method.mulched_drip.film_evap_reduction``) so that :func:`irrigate.engine.simulate` reproduces
observed seasonal totals (``eta``, ``irr_net``, ``dp`` ...), stage crop coefficients
(``kc`` = sum ETa / sum ET0 over a FAO-56 growth stage) or daily values of field
experiments. Each experiment is a site, year, crop x method x soil and irrigation schedule;
its daily weather comes from the station's monthly climate by
:mod:`irrigate.calibration.weather_generator`. The fit is bounded weighted least squares with
uncertainty and identifiability diagnostics (:mod:`irrigate.calibration.fitting`); the calibrated
entries are written as a new model file whose values cite the calibration.

The observation set is a TOML file (see ``models/calibration/xinjiang_observations.toml``
and ``docs/calibration.md``): a ``[calibration]`` table (id, station climate file, weather
mode, default parameters, names of the calibrated entries, values set for all experiments),
``[experiments.<id>]`` tables and ``[[observations]]`` rows, each with its source.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from irrigate.calibration.fitting import Fit, fit
from irrigate.errors import InputError
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule

#: Parameter kinds and the records they address.
KINDS: dict[str, type | None] = {"crop": Crop, "method": Method, "soil": Soil, "weather": None,
                                 "experiment": None}
#: Fields of the ``weather.<station>`` kind: multipliers of the generated daily ET0 and
#: rain of every experiment at that station (nuisance parameters for a proxy station's
#: bias; they are reported, never written to a model file).
WEATHER_FIELDS: tuple[str, ...] = ("et0_scale", "precip_scale")
#: Fields of the ``experiment.<id prefix>`` kind: settings of every experiment whose id
#: starts with the prefix (nuisance parameters of the field trials; reported, never
#: written to a model file).
EXPERIMENT_FIELDS: tuple[str, ...] = ("initial_depletion",)
_NUISANCE = {"weather": WEATHER_FIELDS, "experiment": EXPERIMENT_FIELDS}
#: Daily output variables an observation may sum over the season (or read on one date).
QUANTITIES: tuple[str, ...] = ("eta", "etc", "e", "t", "irr_net", "irr_gross", "dp", "ro",
                               "dr", "kc")
STAGES: tuple[str, ...] = ("initial", "development", "mid", "late")
#: Observation windows: the four FAO-56 stages, and ``end``: the last :data:`END_DAYS` days
#: of the season, where the FAO-56 Kc curve reaches Kc end (FAO-56 Fig. 25, p. 132).
WINDOWS: tuple[str, ...] = (*STAGES, "end")
#: Length of the ``end`` window, days.
END_DAYS = 7
ROLES: tuple[str, ...] = ("fit", "check")
#: Unit of each quantity, checked against the observation's ``unit``.
UNITS: dict[str, str] = {"kc": "1", "dr": "mm"} | {
    q: "mm" for q in ("eta", "etc", "e", "t", "irr_net", "irr_gross", "dp", "ro")
}
_PRESETS: dict[str, str] = {"xinjiang": "xinjiang_observations.toml"}


# --- parameters -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Parameter:
    """A library value to fit, with bounds.

    Attributes
    ----------
    name : str
        ``<kind>.<entry>.<field>``, e.g. ``crop.cotton.kcb_mid``.
    lower, upper : float
        Bounds of the search.
    start : float or None
        Start value; None = the library value.

    """

    name: str
    lower: float
    upper: float
    start: float | None = None

    @property
    def kind(self) -> str:
        """Record kind: ``crop``, ``method`` or ``soil``."""
        return self.name.split(".")[0]

    @property
    def entry(self) -> str:
        """Library entry, e.g. ``cotton``."""
        return self.name.split(".")[1]

    @property
    def field(self) -> str:
        """Record field, e.g. ``kcb_mid``."""
        return self.name.split(".")[2]


def parse_parameter(spec: str | Parameter) -> Parameter:
    """Parse ``kind.entry.field=LOWER:UPPER[@START]`` into a :class:`Parameter`.

    Raises
    ------
    InputError
        Malformed text, unknown kind or field, a field that is not a number, or
        ``lower >= upper``.

    """
    if isinstance(spec, Parameter):
        param = spec
    else:
        text = str(spec).strip()
        name, sep, rng = text.partition("=")
        start: float | None = None
        if "@" in rng:
            rng, _, start_text = rng.partition("@")
            try:
                start = float(start_text)
            except ValueError:
                raise InputError(f"--param {text}: start value {start_text!r} is not a number; "
                                 "write kind.entry.field=LOWER:UPPER[@START]") from None
        lo_text, colon, hi_text = rng.partition(":")
        if not sep or not colon:
            raise InputError(f"--param {text}: expected kind.entry.field=LOWER:UPPER[@START], "
                             "e.g. crop.cotton.kcb_mid=0.9:1.3")
        try:
            lower, upper = float(lo_text), float(hi_text)
        except ValueError:
            raise InputError(f"--param {text}: bounds {rng!r} are not numbers") from None
        param = Parameter(name.strip(), lower, upper, start)
    parts = param.name.split(".")
    if len(parts) != 3 or not all(parts):
        raise InputError(f"parameter {param.name!r}: name must be kind.entry.field, e.g. "
                         "crop.cotton.kcb_mid")
    if param.kind not in KINDS:
        raise InputError(f"parameter {param.name}: unknown kind {param.kind!r}; use one of "
                         f"{', '.join(KINDS)}")
    record = KINDS[param.kind]
    numeric = set(_NUISANCE[param.kind]) if record is None else {
        f.name for f in dataclasses.fields(record) if f.type in ("float", "int", float, int)}
    if param.field not in numeric:
        raise InputError(f"parameter {param.name}: {param.kind} has no numeric field "
                         f"{param.field!r}; numeric fields: {', '.join(sorted(numeric))}")
    if not (np.isfinite(param.lower) and np.isfinite(param.upper) and param.lower < param.upper):
        raise InputError(f"parameter {param.name}: bounds {param.lower}:{param.upper} must be "
                         "finite with LOWER < UPPER")
    return param


# --- observation set ------------------------------------------------------------------------

@dataclass(frozen=True)
class Experiment:
    """A field experiment to simulate: site weather, crop x method x soil, schedule."""

    id: str
    station: str
    year: int
    crop: str
    method: str
    soil: str
    sowing: str
    schedule: Schedule
    season_precip_mm: float | None = None
    initial_depletion: float = 0.0
    note: str = ""


@dataclass(frozen=True)
class Observation:
    """One observed value with its citation.

    ``quantity`` is summed over the season (sowing to harvest), or over ``stage`` for
    ``kc`` (sum ETa / sum ET0), or read on ``date`` (a daily value) when a date is given.
    """

    id: str
    experiment: str
    quantity: str
    value: float
    sigma: float
    unit: str
    source: str
    status: str = ""
    role: str = "fit"
    stage: str = ""
    date: str = ""
    low: float = float("nan")
    high: float = float("nan")

    def in_range(self, simulated: float) -> bool | None:
        """Whether ``simulated`` lies in the published range [low, high] (None if none)."""
        if not (np.isfinite(self.low) and np.isfinite(self.high)):
            return None
        return bool(self.low <= simulated <= self.high)


@dataclass
class ObservationSet:
    """Experiments, observations and the settings of a calibration."""

    id: str
    experiments: dict[str, Experiment]
    observations: list[Observation]
    description: str = ""
    station_climate: Path | None = None
    weather: str = "monthly"
    parameters: list[str] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)
    set_values: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    starts: int = 1
    descriptions: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def label(self) -> str:
        """Path of the set for provenance: relative to the package for shipped sets."""
        if self.path is None:
            return self.id
        from irrigate.paths import models_dir

        try:
            return str(Path("models") / self.path.resolve().relative_to(models_dir().resolve()))
        except ValueError:
            return str(self.path)

    def fitted(self) -> list[Observation]:
        """Observations with role ``fit``."""
        return [o for o in self.observations if o.role == "fit"]


def preset_path(name: str) -> Path:
    """Return the observation file of a shipped calibration preset (``xinjiang``)."""
    from irrigate.paths import models_dir

    if name not in _PRESETS:
        raise InputError(f"--preset {name}: unknown preset; known: {', '.join(_PRESETS)}")
    return models_dir() / "calibration" / _PRESETS[name]


def _irrigation_events(exp_id: str, spec: Mapping[str, Any], sowing: str) -> Schedule:
    """Expand an ``irrigation = {...}`` table into a ``user`` schedule."""
    known = {"emergence_mm", "total_mm", "n_events", "first_event", "interval_days"}
    unknown = set(spec) - known
    if unknown:
        raise InputError(f"experiment {exp_id}: unknown irrigation key(s) "
                         f"{', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    try:
        n = int(spec["n_events"])
        total = float(spec["total_mm"])
        first = np.datetime64(str(spec["first_event"]), "D")
        step = int(spec["interval_days"])
    except KeyError as exc:
        raise InputError(f"experiment {exp_id}: irrigation needs {exc.args[0]}") from None
    events = []
    if float(spec.get("emergence_mm", 0.0)) > 0:
        events.append((sowing, float(spec["emergence_mm"]), float("nan")))
    events += [(str(first + k * step), total / n, float("nan")) for k in range(n)]
    merged: dict[str, float] = {}
    for day, depth, _ in events:
        merged[day] = merged.get(day, 0.0) + depth
    return Schedule(rule="user", name=f"{exp_id} irrigation",
                    events=tuple((d, x, float("nan")) for d, x in sorted(merged.items())))


def _experiment(exp_id: str, table: Mapping[str, Any]) -> Experiment:
    known = {"station", "year", "crop", "method", "soil", "sowing", "schedule", "irrigation",
             "season_precip_mm", "initial_depletion", "note"}
    unknown = set(table) - known
    if unknown:
        raise InputError(f"experiment {exp_id}: unknown key(s) {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(sorted(known))}")
    missing = [k for k in ("station", "year", "crop", "method", "soil", "sowing") if k not in table]
    if missing:
        raise InputError(f"experiment {exp_id}: missing {', '.join(missing)}")
    sowing = str(table["sowing"])
    try:
        np.datetime64(sowing, "D")
    except ValueError:
        raise InputError(f"experiment {exp_id}: sowing {sowing!r} is not a date YYYY-MM-DD") \
            from None
    if ("schedule" in table) == ("irrigation" in table):
        raise InputError(f"experiment {exp_id}: give exactly one of schedule = {{...}} or "
                         "irrigation = {...}")
    if "schedule" in table:
        schedule = Schedule.from_mapping(table["schedule"], name=f"{exp_id} schedule")
    else:
        schedule = _irrigation_events(exp_id, table["irrigation"], sowing)
    spm = table.get("season_precip_mm")
    return Experiment(id=exp_id, station=str(table["station"]), year=int(table["year"]),
                      crop=str(table["crop"]), method=str(table["method"]),
                      soil=str(table["soil"]), sowing=sowing, schedule=schedule,
                      season_precip_mm=None if spm is None else float(spm),
                      initial_depletion=float(table.get("initial_depletion", 0.0)),
                      note=str(table.get("note", "")))


def _observations(row: Mapping[str, Any], experiments: Mapping[str, Experiment],
                  where: str) -> list[Observation]:
    known = {"id", "experiment", "quantity", "value", "values", "dates", "date", "sigma",
             "unit", "source", "status", "role", "stage", "range"}
    unknown = set(row) - known
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: "
                         f"{', '.join(sorted(known))}")
    for key in ("id", "experiment", "quantity", "sigma", "unit", "source"):
        if key not in row:
            raise InputError(f"{where}: missing {key!r} (every observation needs id, "
                             "experiment, quantity, value, sigma, unit and source)")
    oid = str(row["id"])
    if row["experiment"] not in experiments:
        raise InputError(f"{where} ({oid}): unknown experiment {row['experiment']!r}; "
                         f"defined: {', '.join(experiments) or 'none'}")
    quantity = str(row["quantity"])
    if quantity not in QUANTITIES:
        raise InputError(f"{where} ({oid}): unknown quantity {quantity!r}; use one of "
                         f"{', '.join(QUANTITIES)}")
    if str(row["unit"]) != UNITS[quantity]:
        raise InputError(f"{where} ({oid}): unit {row['unit']!r} for {quantity}; expected "
                         f"{UNITS[quantity]!r}")
    stage = str(row.get("stage", ""))
    if quantity == "kc" and stage not in WINDOWS and not ({"date", "dates"} & set(row)):
        raise InputError(f"{where} ({oid}): quantity kc needs stage = one of "
                         f"{', '.join(WINDOWS)} (or a date)")
    if stage and stage not in WINDOWS:
        raise InputError(f"{where} ({oid}): unknown stage {stage!r}")
    role = str(row.get("role", "fit"))
    if role not in ROLES:
        raise InputError(f"{where} ({oid}): role must be one of {', '.join(ROLES)}")
    sigma = float(row["sigma"])
    if not sigma > 0:
        raise InputError(f"{where} ({oid}): sigma must be > 0, got {row['sigma']}")
    low = high = float("nan")
    if "range" in row:
        try:
            low, high = (float(v) for v in row["range"])
        except (TypeError, ValueError):
            raise InputError(f"{where} ({oid}): range must be [low, high]") from None
        if not low <= high:
            raise InputError(f"{where} ({oid}): range must be [low, high] with low <= high")
    common = dict(experiment=str(row["experiment"]), quantity=quantity, sigma=sigma,
                  unit=str(row["unit"]), source=str(row["source"]),
                  status=str(row.get("status", "")), role=role, stage=stage, low=low,
                  high=high)
    if "values" in row:  # a daily series
        dates, values = row.get("dates"), row["values"]
        if dates is None or len(dates) != len(values):
            raise InputError(f"{where} ({oid}): 'values' needs 'dates' of the same length")
        return [Observation(id=f"{oid}[{d}]", value=float(v), date=str(d), **common)
                for d, v in zip(dates, values, strict=True)]
    if "value" not in row:
        raise InputError(f"{where} ({oid}): missing 'value'")
    return [Observation(id=oid, value=float(row["value"]), date=str(row.get("date", "")),
                        **common)]


def load_observations(path: str | os.PathLike) -> ObservationSet:
    """Read an observation set (TOML) for :func:`calibrate`.

    Raises
    ------
    InputError
        Missing file, bad TOML, unknown keys, undefined experiments, bad units, or no
        observations.

    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: observation file not found")
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{p}: not valid TOML ({exc})") from None
    unknown = set(doc) - {"calibration", "experiments", "observations"}
    if unknown:
        raise InputError(f"{p}: unknown table(s) {', '.join(sorted(unknown))}; expected "
                         "[calibration], [experiments.<id>] and [[observations]]")
    meta = doc.get("calibration", {})
    known_meta = {"id", "description", "station_climate", "weather", "parameters", "rename",
                  "set", "starts", "descriptions"}
    if set(meta) - known_meta:
        raise InputError(f"{p}: unknown [calibration] key(s) "
                         f"{', '.join(sorted(set(meta) - known_meta))}")
    experiments = {k: _experiment(k, v) for k, v in doc.get("experiments", {}).items()}
    observations: list[Observation] = []
    for i, row in enumerate(doc.get("observations", []), start=1):
        observations += _observations(row, experiments, f"{p}: observation {i}")
    if not observations:
        raise InputError(f"{p}: no observations; add [[observations]] rows")
    ids = [o.id for o in observations]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError(f"{p}: duplicate observation id(s) {', '.join(dup)}")
    climate = meta.get("station_climate")
    return ObservationSet(
        id=str(meta.get("id", p.stem)),
        description=str(meta.get("description", "")),
        experiments=experiments,
        observations=observations,
        station_climate=None if climate is None else (p.parent / climate),
        weather=str(meta.get("weather", "monthly")),
        parameters=[str(x) for x in meta.get("parameters", [])],
        rename={str(k): str(v) for k, v in meta.get("rename", {}).items()},
        set_values={str(k): dict(v) for k, v in meta.get("set", {}).items()},
        starts=int(meta.get("starts", 1)),
        descriptions={str(k): str(v) for k, v in meta.get("descriptions", {}).items()},
        path=p,
    )


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
        from irrigate.calibration.weather_generator import daily_weather, read_station_climate

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
        from irrigate.engine.simulate import simulate

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


# --- the calibration ------------------------------------------------------------------------

@dataclass
class Calibration:
    """Result of :func:`calibrate`.

    Attributes
    ----------
    id : str
        Calibration id (from the observation set, or given).
    date : str
        UTC date of the run (ISO).
    params : list of Parameter
        The fitted parameters.
    fit : Fit
        Least-squares result with statistics and diagnostics (role ``fit`` observations).
    observations : list of Observation
        All observations (fit and check).
    simulated : numpy.ndarray
        Simulated value of every observation at the fitted parameters.
    start_simulated : numpy.ndarray
        Simulated value of every observation at the start values.
    weather : str
        Weather mode (and seed) used.
    n_runs : int
        Number of experiment simulations.

    """

    id: str
    date: str
    params: list[Parameter]
    fit: Fit
    observations: list[Observation]
    simulated: np.ndarray
    start_simulated: np.ndarray
    weather: str
    obs_set: ObservationSet
    models: Path | None
    n_runs: int = 0

    @property
    def values(self) -> dict[str, float]:
        """Fitted value of each parameter by name."""
        return {p.name: float(v) for p, v in zip(self.params, self.fit.x, strict=True)}

    def citation(self) -> str:
        """Return the source text written next to every calibrated value."""
        targets = ", ".join(o.id for o in self.observations if o.role == "fit")
        return (f"calibrated: {self.id}, {self.date}, weather {self.weather}, targets "
                f"{targets}")

    def table(self) -> str:
        """Plain-text report: parameters, diagnostics, observed vs simulated, statistics."""
        return format_report(self)


def _is_days(p: Parameter) -> bool:
    """Return True for a field counted in whole days (FAO-56 stage lengths, intervals)."""
    return p.field in ("l_ini", "l_dev", "l_mid", "l_late", "interval_min")


def _check_params(params: Sequence[Parameter], model: ExperimentModel) -> np.ndarray:
    x0 = []
    for p in params:
        start = model.base_value(p) if p.start is None else p.start
        if not p.lower <= start <= p.upper:
            raise InputError(f"parameter {p.name}: start value {start:g} is outside the bounds "
                             f"{p.lower:g}:{p.upper:g}; widen the bounds or give @START")
        x0.append(start)
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise InputError("parameters: the same parameter is given twice")
    return np.asarray(x0, dtype=float)


def calibrate(
    observations: str | os.PathLike | ObservationSet,
    params: Sequence[str | Parameter] | None = None,
    *,
    models: str | os.PathLike | None = None,
    weather: str | None = None,
    seed: int | None = None,
    calibration_id: str | None = None,
    weather_data: Mapping[str, xr.Dataset] | None = None,
    library: Any = None,
    max_nfev: int = 60,
    starts: int | None = None,
) -> Calibration:
    """Fit library parameters to field observations by bounded least squares.

    Parameters
    ----------
    observations : path or ObservationSet
        Observation set (TOML, see :func:`load_observations`).
    params : sequence of str or Parameter, optional
        ``kind.entry.field=LOWER:UPPER[@START]``; default: the set's ``parameters``.
    models : path, optional
        Parameter library folder (default: the bundled ``models/``).
    weather : {"monthly", "stochastic"}, optional
        How daily weather is made from the station climate (default: the set's ``weather``).
    seed : int, optional
        Seed of the stochastic weather generator.
    calibration_id : str, optional
        Id written into the calibrated values' sources (default: the set's id).
    weather_data : mapping of experiment id to Dataset, optional
        Daily ``et0``/``precip`` per experiment, instead of generating it.
    library : loaded parameter library, optional
        Instead of ``models`` (:func:`irrigate.library.load_library`).
    max_nfev : int
        Largest number of optimiser evaluations (per start).
    starts : int, optional
        Number of optimiser starts (default: the set's ``starts``, else 1): the given start
        plus ``starts - 1`` seeded Latin-hypercube points inside the bounds; the lowest cost
        wins, and the report says how many starts ended in a worse local optimum.

    Returns
    -------
    Calibration

    Raises
    ------
    InputError
        Unknown parameter names, start values outside the bounds, no parameters, or no
        observations to fit.

    """
    obs = observations if isinstance(observations, ObservationSet) else \
        load_observations(observations)
    specs = list(params) if params else list(obs.parameters)
    if not specs:
        raise InputError("no parameters to fit; give --param kind.entry.field=LOWER:UPPER")
    plist = [parse_parameter(s) for s in specs]
    fitted = obs.fitted()
    if not fitted:
        raise InputError(f"{obs.path or obs.id}: no observations with role 'fit'")
    starts = obs.starts if starts is None else starts
    if int(starts) < 1:
        raise InputError(f"--starts {starts}: must be >= 1")
    if library is None:
        from irrigate.library import load_library

        library = load_library(models)
    mode = weather or obs.weather
    model = ExperimentModel(obs, plist, library, weather=mode, seed=seed,
                            weather_data=weather_data)
    x0 = _check_params(plist, model)
    fit_idx = np.array([i for i, o in enumerate(obs.observations) if o.role == "fit"])

    def fun(x: np.ndarray) -> np.ndarray:
        return model.simulate(x)[fit_idx]

    start_sim = model.simulate(x0)
    lower = np.array([p.lower for p in plist])
    upper = np.array([p.upper for p in plist])
    # extra starts: a seeded Latin hypercube inside the middle 80 % of the bounds
    n_extra = int(starts) - 1
    extra: list[np.ndarray] = []
    if n_extra:
        rng = np.random.default_rng(0)
        strata = np.array([rng.permutation(n_extra) for _ in plist]).T
        u = (strata + rng.random((n_extra, len(plist)))) / n_extra
        extra = list(lower + (upper - lower) * (0.1 + 0.8 * u))
    # whole-day fields (stage lengths, intervals) get 1-day finite-difference steps
    steps = [1.0 if _is_days(p) else np.nan for p in plist]
    runs = [fit(fun, [p.name for p in plist], x, lower, upper, [o.value for o in fitted],
                [o.sigma for o in fitted], max_nfev=max_nfev, steps=steps)
            for x in [x0, *extra]]
    result = min(runs, key=lambda r: r.cost)
    if len(runs) > 1:
        result.extra["starts"] = [(r.x0.tolist(), r.x.tolist(), r.cost) for r in runs]
        distinct = [r for r in runs if r.cost > result.cost * 1.05 + 1e-9]
        if distinct:
            result.extra["local_optima"] = len(distinct)
    sim = model.simulate(result.x)
    label = mode if mode != "stochastic" else f"stochastic (seed {seed})"
    return Calibration(
        id=calibration_id or obs.id,
        date=_dt.datetime.now(_dt.UTC).date().isoformat(),
        params=plist,
        fit=result,
        observations=list(obs.observations),
        simulated=sim,
        start_simulated=start_sim,
        weather=label,
        obs_set=obs,
        models=None if models is None else Path(models),
        n_runs=model.n_runs,
    )


# --- report ---------------------------------------------------------------------------------

def _fmt(v: float, digits: int = 3) -> str:
    return "nan" if not np.isfinite(v) else f"{v:.{digits}g}"


def format_report(cal: Calibration) -> str:
    """Plain-text report of a calibration (what ``irrigate calibrate`` prints)."""
    f = cal.fit
    lines = [f"calibration {cal.id} ({cal.date}), weather: {cal.weather}, "
             f"{cal.n_runs} simulations", "", "parameters:"]
    lines.append(f"  {'name':44s} {'start':>8s} {'fitted':>8s} {'se':>8s} {'bounds':>13s}  note")
    for k, p in enumerate(cal.params):
        note = []
        if not f.identifiable[k]:
            note.append("NOT IDENTIFIABLE")
        if f.at_bound[k]:
            note.append(f"at {f.at_bound[k]} bound")
        lines.append(f"  {p.name:44s} {f.x0[k]:8.4g} {f.x[k]:8.4g} {_fmt(f.se[k]):>8s} "
                     f"{p.lower:6.3g}:{p.upper:<6.3g}  {', '.join(note)}")
    lines.append(f"  condition number of the scaled Jacobian: {_fmt(f.condition)}")
    if "starts" in f.extra:
        n_local = f.extra.get("local_optima", 0)
        lines.append(f"  {len(f.extra['starts'])} starts; {n_local} ended in a local optimum with "
                     "a higher cost (> 5 %)")
    if f.problems:
        lines.append("diagnostics (ill-posed or poorly identified):")
        lines += [f"  - {msg}" for msg in f.problems]
    else:
        lines.append("diagnostics: well posed (all parameters identifiable, none on a bound)")
    lines += [f"  warning: {msg}" for msg in f.warnings]
    lines += ["", "observed vs simulated:",
              f"  {'observation':24s} {'role':5s} {'observed':>9s} {'start':>9s} "
              f"{'simulated':>9s} {'residual':>9s} {'unit':4s} {'status':6s} published range"]
    for o, s0, s in zip(cal.observations, cal.start_simulated, cal.simulated, strict=True):
        inside = o.in_range(s)
        rng = "" if inside is None else \
            f"{o.low:g}-{o.high:g} {'inside' if inside else 'OUTSIDE'}"
        lines.append(f"  {o.id:24s} {o.role:5s} {o.value:9.3f} {s0:9.3f} {s:9.3f} "
                     f"{s - o.value:9.3f} {o.unit:4s} {o.status:6s} {rng}")
    st = f.stats
    lines += ["", f"fit statistics (role fit, n = {st.n}): RMSE {_fmt(st.rmse)}, bias "
              f"{_fmt(st.bias)}, NSE {_fmt(st.nse)}, R2 {_fmt(st.r2)}, max |residual| "
              f"{_fmt(st.max_abs_residual)} (mixed units: see the table)"]
    by_unit: dict[str, list[int]] = {}
    for i, o in enumerate(cal.observations):
        by_unit.setdefault(f"{o.role} {o.quantity}", []).append(i)
    from irrigate.calibration.fitting import fit_statistics

    for key, idx in by_unit.items():
        s = fit_statistics(cal.simulated[idx], np.array([cal.observations[i].value
                                                          for i in idx]))
        lines.append(f"  {key:14s} n={s.n:<3d} RMSE {_fmt(s.rmse)}  bias {_fmt(s.bias)}  "
                     f"NSE {_fmt(s.nse)}  R2 {_fmt(s.r2)}")
    return "\n".join(lines)


# --- sensitivity to the weather choice ------------------------------------------------------

@dataclass(frozen=True)
class WeatherSensitivity:
    """Fitted values with stochastic daily weather, one fit per seed."""

    names: tuple[str, ...]
    seeds: tuple[int, ...]
    values: np.ndarray  # (seed, parameter)
    rmse: np.ndarray  # (seed,)
    reference: np.ndarray | None  # fitted values of the reference calibration
    reference_label: str = ""


def weather_sensitivity(
    observations: str | os.PathLike | ObservationSet,
    params: Sequence[str | Parameter] | None,
    seeds: Sequence[int],
    *,
    models: str | os.PathLike | None = None,
    reference: Calibration | None = None,
) -> WeatherSensitivity:
    """Refit with the stochastic weather generator for each seed.

    The spread of the fitted values over the seeds (and their distance from the
    ``reference`` fit, e.g. with monthly ET0) measures how much the calibration depends on
    the unknown daily weather of the experiments.
    """
    if not seeds:
        raise InputError("--seeds: give at least one seed")
    obs = observations if isinstance(observations, ObservationSet) else \
        load_observations(observations)
    plist = [parse_parameter(p) for p in (params or obs.parameters)]
    if reference is not None:  # start every seed's fit from the reference optimum
        plist = [dataclasses.replace(p, start=float(v)) for p, v in
                 zip(plist, reference.fit.x, strict=True)]
    runs = [calibrate(obs, plist, models=models, weather="stochastic", seed=s, starts=1)
            for s in seeds]
    return WeatherSensitivity(
        names=tuple(p.name for p in runs[0].params),
        seeds=tuple(int(s) for s in seeds),
        values=np.array([r.fit.x for r in runs]),
        rmse=np.array([r.fit.stats.rmse for r in runs]),
        reference=None if reference is None else np.asarray(reference.fit.x),
        reference_label="" if reference is None else reference.weather,
    )


def format_sensitivity(s: WeatherSensitivity) -> str:
    """Plain-text table of :class:`WeatherSensitivity`."""
    lines = [f"sensitivity to the weather: stochastic generator, seeds "
             f"{', '.join(map(str, s.seeds))}",
             f"  {'name':44s} {'reference':>9s} {'mean':>8s} {'sd':>8s} {'min':>8s} "
             f"{'max':>8s}"]
    for k, name in enumerate(s.names):
        col = s.values[:, k]
        ref = "" if s.reference is None else f"{s.reference[k]:.4g}"
        sd = col.std(ddof=1) if col.size > 1 else 0.0
        lines.append(f"  {name:44s} {ref:>9s} {col.mean():8.4g} {sd:8.3g} "
                     f"{col.min():8.4g} {col.max():8.4g}")
    if s.reference_label:
        lines.append(f"  (reference = the fit with weather {s.reference_label})")
    lines.append("  per-seed fitted values: " + "; ".join(
        f"seed {seed}: " + ", ".join(f"{v:.4g}" for v in row) + f" (RMSE {r:.3g})"
        for seed, row, r in zip(s.seeds, s.values, s.rmse, strict=True)))
    return "\n".join(lines)


# --- the calibrated model file --------------------------------------------------------------

def _toml_value(value: Any) -> str:
    """Serialise a string, bool, number, list or flat table as TOML (inline)."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not np.isfinite(value):
            raise InputError(f"calibrated value {value!r} is not finite; nothing written")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


_PLAIN_FLAGS = {"crop": ("paddy",), "method": ("surface", "wet_under_canopy", "irrigated"),
                "soil": ()}


def calibrated_entries(cal: Calibration, rename: Mapping[str, str] | None = None,
                       library: Any = None) -> dict[str, dict[str, dict[str, Any]]]:
    """Return the calibrated library entries: ``{plural kind: {name: {key: value table}}}``.

    Each entry copies its base entry (values, units and sources), then the observation set's
    fixed values (with their own sources), then the fitted values, whose source cites the
    calibration, the fitted value with its standard error, the bounds and the weather.
    Nuisance parameters (``weather.*``, ``experiment.*``) are not library values and are
    only named in the description.
    """
    from irrigate.library import UNITS

    if library is None:
        from irrigate.library import load_library

        library = load_library(cal.models)
    rename = dict(cal.obs_set.rename if rename is None else rename)
    keys: list[str] = []
    for p in cal.params:
        if p.kind in ("crop", "method", "soil") and f"{p.kind}.{p.entry}" not in keys:
            keys.append(f"{p.kind}.{p.entry}")
    for key in cal.obs_set.set_values:
        if key not in keys:
            keys.append(key)
    nuisance = [f"{p.name} = {v:.4g} +- {_fmt(se, 2)}" for p, v, se in
                zip(cal.params, cal.fit.x, cal.fit.se, strict=True) if KINDS[p.kind] is None]
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for key in keys:
        kind, base = key.split(".")
        plural = f"{kind}s"
        record = library_record(library, kind, base)
        entry: dict[str, Any] = {}
        desc = cal.obs_set.descriptions.get(key) or (
            library.descriptions.get(plural, {}).get(base, "") if hasattr(
                library, "descriptions") else "")
        text = f"{desc} -- calibrated from '{base}' by {cal.id} ({cal.date})".strip(" -")
        if nuisance:
            text += "; trial nuisance parameters fitted alongside (not library values): " + \
                "; ".join(nuisance)
        entry["description"] = text
        for flag in _PLAIN_FLAGS[kind]:
            entry[flag] = bool(getattr(record, flag))
        base_values = library.values[plural][base] if hasattr(library, "values") else {}
        for name, f in base_values.items():
            entry[name] = {"value": f.value, "unit": f.unit, "source": f.source}
        for name, v in cal.obs_set.set_values.get(key, {}).items():
            entry[name] = {"value": v["value"], "unit": v["unit"], "source": v["source"]}
        for k, p in enumerate(cal.params):
            if f"{p.kind}.{p.entry}" != key:
                continue
            unit = UNITS[plural][p.field]
            value: Any = float(cal.fit.x[k])
            value = int(round(value)) if unit == "day" else round(value, 4)
            notes = [f"fitted {cal.fit.x[k]:.4f} +- {_fmt(cal.fit.se[k], 2)} (1 s.e.)",
                     f"bounds {p.lower:g}:{p.upper:g}", f"start {cal.fit.x0[k]:g}"]
            if not cal.fit.identifiable[k]:
                notes.append("NOT IDENTIFIABLE from these targets")
            if cal.fit.at_bound[k]:
                notes.append(f"ended on its {cal.fit.at_bound[k]} bound")
            entry[p.field] = {"value": value, "unit": unit,
                              "source": f"{cal.citation()}; " + ", ".join(notes)}
        out.setdefault(plural, {})[rename.get(key, base)] = entry
    return out


def write_model(cal: Calibration, path: str | os.PathLike,
                rename: Mapping[str, str] | None = None, overwrite: bool = False,
                library: Any = None) -> Path:
    """Write the calibrated entries to a model file (atomically; see :func:`calibrated_entries`).

    Name the file ``<something>_calibrated.toml`` and put it in the library folder (bundled
    ``models/`` or a ``--models DIR``) for :func:`irrigate.library.load_library` to load it.
    """
    from irrigate.output.io import atomic_path

    entries = calibrated_entries(cal, rename, library)
    st = cal.fit.stats
    lines = [
        f"# Calibrated parameter set {cal.id} ({cal.date}), written by irrigate calibrate.",
        f"# Observations: {cal.obs_set.label()}; weather: {cal.weather}.",
        f"# Fit (role 'fit', n = {st.n}): RMSE {_fmt(st.rmse)}, bias {_fmt(st.bias)}, NSE "
        f"{_fmt(st.nse)} (mixed units; per-target table in docs/calibration.md).",
    ]
    if cal.fit.problems:
        lines += ["# Diagnostics:"] + [f"#   {msg}" for msg in cal.fit.problems]
    for plural, table in entries.items():
        for name, entry in table.items():
            lines += ["", f"[{plural}.{name}]"]
            lines += [f"{key} = {_toml_value(val)}" for key, val in entry.items()]
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # never write a file the library cannot parse
    with atomic_path(path, overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


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
        from irrigate.library import load_library

        library = load_library(models)
    model = ExperimentModel(plain, params, library, weather=weather or obs.weather, seed=seed)
    return model.simulate(x)


def fit_record(cal: Calibration) -> str:
    """Return a TOML record of a calibration: parameters, statistics, observed vs simulated."""
    f = cal.fit
    lines = ["# Result of irrigate calibrate (machine-readable; see docs/calibration.md).",
             f"id = {_toml_value(cal.id)}", f"date = {_toml_value(cal.date)}",
             f"weather = {_toml_value(cal.weather)}",
             f"observations = {_toml_value(cal.obs_set.label())}",
             f"n_simulations = {cal.n_runs}", f"condition_number = {_toml_value(f.condition)}"
             if np.isfinite(f.condition) else "condition_number = inf",
             f"problems = {_toml_value(list(f.problems))}",
             f"warnings = {_toml_value(list(f.warnings))}", "",
             "[statistics]"]
    st = f.stats
    for key in ("n", "rmse", "bias", "nse", "r2", "max_abs_residual"):
        val = getattr(st, key)
        lines.append(f"{key} = {_toml_value(val if key == 'n' else float(val))}"
                     if np.isfinite(val) else f"{key} = nan")
    for k, p in enumerate(cal.params):
        se = float(f.se[k])
        lines += ["", "[[parameters]]", f"name = {_toml_value(p.name)}",
                  f"start = {_toml_value(float(f.x0[k]))}", f"value = {_toml_value(float(f.x[k]))}",
                  f"se = {_toml_value(se)}" if np.isfinite(se) else "se = nan",
                  f"lower = {_toml_value(p.lower)}", f"upper = {_toml_value(p.upper)}",
                  f"identifiable = {_toml_value(f.identifiable[k])}",
                  f"at_bound = {_toml_value(f.at_bound[k])}"]
    for o, s0, s in zip(cal.observations, cal.start_simulated, cal.simulated, strict=True):
        lines += ["", "[[targets]]", f"id = {_toml_value(o.id)}", f"role = {_toml_value(o.role)}",
                  f"observed = {_toml_value(o.value)}", f"start = {_toml_value(float(s0))}",
                  f"simulated = {_toml_value(float(s))}",
                  f"residual = {_toml_value(float(s - o.value))}", f"unit = {_toml_value(o.unit)}"]
        if np.isfinite(o.low):
            lines += [f"range = {_toml_value([o.low, o.high])}",
                      f"in_range = {_toml_value(bool(o.in_range(s)))}"]
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)
    return text
