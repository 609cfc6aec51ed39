"""The irrigation events of one field, read off its daily balance, with what decided each.

:func:`extract_events` turns the daily output of :func:`irrigate.engine.simulate.simulate`
into :class:`~irrigate.engine.field_records.Event` rows: depths, depletion before and after,
RAW and TAW that day, days since the last event, ETa/ETc to date, rain since the last event,
and whether the rule, an applied irrigation or a method limit decided it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.engine.field_inputs import Applied
from irrigate.engine.field_records import Event, FieldSetup, Reading
from irrigate.engine.field_weather import (
    WeatherBasis,
)
from irrigate.science import crop as cropmod
from irrigate.science.schedule import Schedule

__all__ = ["extract_events"]


def _trigger_held(schedule: Schedule, stage: int, dr_rain: float, raw: float,
                  taw: float) -> bool:
    """Whether a depletion rule would have irrigated on a day (mad and deficit only)."""
    if schedule.rule not in ("mad", "deficit") or stage < 0:
        return False
    mad = float(np.asarray(schedule.mad)[min(stage, 3)])
    basis = raw if schedule.mad_basis == "raw" else taw
    return dr_rain > mad * basis


def _intended(schedule: Schedule, stage: int, dr_rain: float, taw: float) -> float | None:
    """Net depth the rule asked for before the method limits (None if unknown)."""
    refill = max(dr_rain - schedule.refill_to * taw, 0.0)
    if schedule.rule == "mad":
        return refill
    if schedule.rule == "deficit":
        return schedule.refill_fraction * refill
    if schedule.rule == "fixed_interval":
        return refill if schedule.depth_mm is None else float(schedule.depth_mm)
    if schedule.rule == "stage_calendar" and stage >= 0:
        return float(schedule.stage_array("stage_depth_mm")[min(stage, 3)])
    return None


def _rule_interval(schedule: Schedule, stage: int) -> float | None:
    if schedule.rule == "fixed_interval":
        return float(schedule.interval_days)
    if schedule.rule == "stage_calendar" and stage >= 0:
        return float(schedule.stage_array("stage_interval_days")[min(stage, 3)])
    return None


def _decided_by(setup: FieldSetup, k: int, prev: int | None, net: float,
                arrays: Mapping[str, np.ndarray]) -> str:
    """Name what decided event ``k``: the rule, or the method limit that changed it."""
    sched, lim = setup.schedule, setup.limits
    label = sched.name or sched.rule
    if not lim.applied:
        return label
    stage, dr_rain, taw = int(arrays["stage"][k]), arrays["dr_rain"][k], arrays["taw"][k]
    notes = []
    want = _intended(sched, stage, dr_rain, taw)
    if want is not None and lim.depth_min > 0 and abs(net - lim.depth_min) < 1e-6 \
            and want < lim.depth_min - 1e-6:
        notes.append(f"{lim.method} minimum depth {lim.depth_min:g} mm")
    if want is not None and abs(net - lim.depth_max) < 1e-6 and want > lim.depth_max + 1e-6:
        notes.append(f"{lim.method} maximum depth {lim.depth_max:g} mm")
    if prev is not None and lim.interval_min > 1 and k - prev == lim.interval_min:
        rule_gap = _rule_interval(sched, stage)
        earlier = _trigger_held(sched, int(arrays["stage"][k - 1]), arrays["dr_rain"][k - 1],
                                arrays["raw"][k - 1], arrays["taw"][k - 1])
        if earlier or (rule_gap is not None and rule_gap < lim.interval_min):
            notes.append(f"{lim.method} shortest interval {lim.interval_min} d")
    return "; ".join([label, *notes])


def extract_events(daily: xr.Dataset, setup: FieldSetup, applied: Sequence[Applied] = (),
                   after: dt.date | None = None, weather: WeatherBasis = WeatherBasis.OBSERVED,
                   readings: Sequence[Reading] = ()) -> list[Event]:
    """Read the irrigation events of the season from one member's daily balance.

    Parameters
    ----------
    daily : xarray.Dataset
        Output of :func:`irrigate.engine.simulate.simulate` for one crop, method and point (time
        only).
    setup : FieldSetup
        The field.
    applied : sequence of Applied
        Irrigations given as applied (named so in ``decided_by``).
    after : date, optional
        Days after this one are labelled with ``weather`` (the outlook), earlier ones observed.
    weather : WeatherBasis
        Basis of the days after ``after``.
    readings : sequence of Reading
        Soil water readings the run was reset to (the depletion at the start of their day).

    Returns
    -------
    list of Event
        In date order. ``dr_before_mm`` is the root-zone depletion at the start of the day
        (before its rain and irrigation); ``dr_after_mm`` right after the event (before the
        day's ET); ``eta_etc_to_date`` and ``rain_since_last_mm`` count from sowing, through
        the event day.

    """
    times = pd.DatetimeIndex(daily["time"].values).normalize()
    das = np.asarray(daily["das"].values, dtype=float).astype(int)
    season = (das >= 0) & (das < setup.crop.season_length)
    get = {n: np.asarray(daily[n].values, dtype=float)
           for n in ("irr_net", "irr_gross", "dr", "taw", "raw", "precip", "ro", "eta", "etc")}
    dr_prev = np.concatenate([[0.0], get["dr"][:-1]])  # initial depletion 0 in simulate
    position = {t.date(): k for k, t in enumerate(times)}
    for r in readings:  # the start of a measured day is the reading (assimilate_depletion)
        if r.date in position:
            dr_prev[position[r.date]] = r.dr_mm
    _, stage, _ = cropmod.stage_position(das, cropmod.cycles(setup.crop))
    arrays = {"stage": stage, "taw": get["taw"], "raw": get["raw"],
              "dr_rain": np.maximum(dr_prev - (get["precip"] - get["ro"]), 0.0)}
    applied_days = {a.date for a in applied}
    cum_eta, cum_etc = np.cumsum(np.where(season, get["eta"], 0.0)), \
        np.cumsum(np.where(season, get["etc"], 0.0))
    cum_rain = np.cumsum(np.where(season, get["precip"], 0.0))
    events: list[Event] = []
    prev: int | None = None
    for k in np.flatnonzero(season & (get["irr_net"] > 0)):
        day = times[k].date()
        net = float(get["irr_net"][k])
        after_event = max(dr_prev[k] - (get["precip"][k] - get["ro"][k]) - net, 0.0)
        since = (cum_rain[k] - cum_rain[prev]) if prev is not None else cum_rain[k]
        by = "applied" if day in applied_days else _decided_by(setup, k, prev, net, arrays)
        events.append(Event(
            date=day, das=int(das[k]), net_mm=net, gross_mm=float(get["irr_gross"][k]),
            dr_before_mm=float(dr_prev[k]), dr_after_mm=float(after_event),
            raw_mm=float(get["raw"][k]), taw_mm=float(get["taw"][k]),
            days_since_last=None if prev is None else int(k - prev),
            eta_etc_to_date=float(cum_eta[k] / cum_etc[k]) if cum_etc[k] > 0 else 1.0,
            rain_since_last_mm=float(since), decided_by=by,
            weather=weather if after is not None and day > after else WeatherBasis.OBSERVED))
        prev = k
    return events
