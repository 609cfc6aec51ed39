"""Observation sets: experiments and observations of a calibration (TOML).

An observation set (``models/calibration/xinjiang_observations.toml``; ``docs/calibration.md``)
has a ``[calibration]`` table (id, station climate file, weather mode, default parameters,
names of the calibrated entries, values set for all experiments), ``[experiments.<id>]``
tables and ``[[observations]]`` rows, each with its source.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from irrigate.errors import InputError
from irrigate.paths import models_dir
from irrigate.science.schedule import STAGES, Schedule

#: Daily output variables an observation may sum over the season (or read on one date).
QUANTITIES: tuple[str, ...] = ("eta", "etc", "e", "t", "irr_net", "irr_gross", "dp", "ro",
                               "dr", "kc")
#: Observation windows: the four FAO-56 stages, and ``end``: the last :data:`END_DAYS` days
#: of the season, where the FAO-56 Kc curve reaches Kc end (FAO-56 Fig. 25, p. 132).
WINDOWS: tuple[str, ...] = (*STAGES, "end")
#: Length of the ``end`` window, days.
END_DAYS = 7
ROLES: tuple[str, ...] = ("fit", "check")
#: Unit of each quantity, checked against the observation's ``unit``.
OBSERVATION_UNITS: dict[str, str] = {"kc": "1", "dr": "mm"} | {
    q: "mm" for q in ("eta", "etc", "e", "t", "irr_net", "irr_gross", "dp", "ro")
}
_PRESETS: dict[str, str] = {"xinjiang": "xinjiang_observations.toml"}



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
        try:
            return str(Path("models") / self.path.resolve().relative_to(models_dir().resolve()))
        except ValueError:
            return str(self.path)

    def fitted(self) -> list[Observation]:
        """Observations with role ``fit``."""
        return [o for o in self.observations if o.role == "fit"]


def preset_path(name: str) -> Path:
    """Return the observation file of a shipped calibration preset (``xinjiang``)."""
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
    if str(row["unit"]) != OBSERVATION_UNITS[quantity]:
        raise InputError(f"{where} ({oid}): unit {row['unit']!r} for {quantity}; expected "
                         f"{OBSERVATION_UNITS[quantity]!r}")
    stage = str(row.get("stage", ""))
    if quantity == "kc" and stage not in WINDOWS and not ({"date", "dates"} & set(row)):
        raise InputError(f"{where} ({oid}): quantity kc needs stage = one of "
                         f"{', '.join(WINDOWS)} (or a date)")
    if stage and stage not in WINDOWS:
        raise InputError(f"{where} ({oid}): unknown stage {stage!r}")
    role = str(row.get("role", "fit"))
    if role not in ROLES:
        raise InputError(f"{where} ({oid}): role must be one of {', '.join(ROLES)}")
    sigma = _number(row["sigma"], f"{where} ({oid}): sigma")
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
        return [Observation(id=f"{oid}[{d}]", value=_number(v, f"{where} ({oid}) on {d}"),
                            date=str(d), **common)
                for d, v in zip(dates, values, strict=True)]
    if "value" not in row:
        raise InputError(f"{where} ({oid}): missing 'value'")
    return [Observation(id=oid, value=_number(row["value"], f"{where} ({oid})"),
                        date=str(row.get("date", "")), **common)]


def _number(value: Any, where: str) -> float:
    """Return a finite observed number (a NaN or a text would drop out of the fit)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise InputError(f"{where}: value {value!r} is not a finite number; remove the "
                         "observation or give its measured value")
    return number


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
    except UnicodeDecodeError:
        raise InputError(f"{p}: not a TOML text file (binary or not UTF-8, e.g. NetCDF); give "
                         "the observation set, see models/calibration/"
                         "xinjiang_observations.toml") from None
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
