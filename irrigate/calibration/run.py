"""The calibration run: bounded least squares over the forward model, and its result.

:func:`calibrate` fits the parameters to the ``fit`` observations (several starts),
:class:`Calibration` holds the result, :func:`weather_sensitivity` refits with stochastic
daily weather for several seeds.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from irrigate.calibration.fitting import Fit, fit
from irrigate.calibration.forward_model import ExperimentModel
from irrigate.calibration.observations import Observation, ObservationSet, load_observations
from irrigate.calibration.parameters import Parameter, parse_parameter
from irrigate.calibration.writers import format_report
from irrigate.errors import InputError
from irrigate.library import load_library

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


def _extra_starts(lower: np.ndarray, upper: np.ndarray, n_extra: int) -> list[np.ndarray]:
    """Extra starts: a seeded Latin hypercube inside the middle 80 % of the bounds."""
    if not n_extra:
        return []
    rng = np.random.default_rng(0)
    strata = np.array([rng.permutation(n_extra) for _ in lower]).T
    u = (strata + rng.random((n_extra, len(lower)))) / n_extra
    return list(lower + (upper - lower) * (0.1 + 0.8 * u))


def _best(runs: list[Fit]) -> Fit:
    """Return the lowest-cost fit, noting every start and the worse local optima."""
    result = min(runs, key=lambda r: r.cost)
    if len(runs) > 1:
        result.extra["starts"] = [(r.x0.tolist(), r.x.tolist(), r.cost) for r in runs]
        distinct = [r for r in runs if r.cost > result.cost * 1.05 + 1e-9]
        if distinct:
            result.extra["local_optima"] = len(distinct)
    return result


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
    # whole-day fields (stage lengths, intervals) get 1-day finite-difference steps
    steps = [1.0 if _is_days(p) else np.nan for p in plist]
    runs = [fit(fun, [p.name for p in plist], x, lower, upper, [o.value for o in fitted],
                [o.sigma for o in fitted], max_nfev=max_nfev, steps=steps)
            for x in [x0, *_extra_starts(lower, upper, int(starts) - 1)]]
    result = _best(runs)
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
