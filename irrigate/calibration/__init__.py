"""Calibrate library parameters against field observations: ``irrigate.calibrate``.

A calibration fits chosen entries of the parameter library (addressed as
``<kind>.<entry>.<field>``, e.g. ``crop.cotton.kcb_mid`` or
``method.mulched_drip.film_evap_reduction``) so that :func:`irrigate.engine.simulate`
reproduces observed seasonal totals (``eta``, ``irr_net``, ``dp`` ...), stage crop
coefficients (``kc`` = sum ETa / sum ET0 over a FAO-56 growth stage) or daily values of field
experiments. Each experiment is a site, year, crop x method x soil and irrigation schedule;
its daily weather comes from the station's monthly climate by
:mod:`irrigate.calibration.weather_generator`. The fit is bounded weighted least squares with
uncertainty and identifiability diagnostics (:mod:`irrigate.calibration.fitting`); the
calibrated entries are written as a new model file whose values cite the calibration.

Modules: :mod:`~irrigate.calibration.parameters` (what is fitted),
:mod:`~irrigate.calibration.observations` (the observation set, TOML),
:mod:`~irrigate.calibration.forward_model` (experiments simulated),
:mod:`~irrigate.calibration.run` (:func:`calibrate`, :class:`Calibration`, weather
sensitivity), :mod:`~irrigate.calibration.writers` (report, model file, fit record).
"""

from __future__ import annotations

from irrigate.calibration.forward_model import ExperimentModel, forward, library_record, observe
from irrigate.calibration.observations import (
    END_DAYS,
    OBSERVATION_UNITS,
    QUANTITIES,
    ROLES,
    WINDOWS,
    Experiment,
    Observation,
    ObservationSet,
    load_observations,
    preset_path,
)
from irrigate.calibration.parameters import (
    EXPERIMENT_FIELDS,
    KINDS,
    WEATHER_FIELDS,
    Parameter,
    parse_parameter,
)
from irrigate.calibration.run import (
    Calibration,
    WeatherSensitivity,
    calibrate,
    weather_sensitivity,
)
from irrigate.calibration.writers import (
    calibrated_entries,
    fit_record,
    format_report,
    format_sensitivity,
    write_model,
)

__all__ = [
    "END_DAYS",
    "EXPERIMENT_FIELDS",
    "KINDS",
    "OBSERVATION_UNITS",
    "QUANTITIES",
    "ROLES",
    "WEATHER_FIELDS",
    "WINDOWS",
    "Calibration",
    "Experiment",
    "ExperimentModel",
    "Observation",
    "ObservationSet",
    "Parameter",
    "WeatherSensitivity",
    "calibrate",
    "calibrated_entries",
    "fit_record",
    "format_report",
    "format_sensitivity",
    "forward",
    "library_record",
    "load_observations",
    "observe",
    "parse_parameter",
    "preset_path",
    "weather_sensitivity",
    "write_model",
]
