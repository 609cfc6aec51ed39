"""One field's irrigation schedule: the season's events and, in real time, the next one.

This is the engine behind ``irrigate schedule``. It runs the package's own water balance
(:func:`irrigate.engine.simulate.simulate`, FAO-56 dual Kc, the same rules and method limits) for
one crop, one method and one point, and reads the events off its daily output, so the season
totals are exactly those of ``irrigate simulate`` for the same inputs.

Season plan (:func:`plan_season`): the input's weather for the whole season.

Real time (:func:`plan_realtime`): weather observed up to ``today``, the irrigations
actually applied (they replace the rule until today; without them the rule's own past events
stand) and readings of the soil water (each resets the balance's root-zone depletion on its
day), then each other year's weather on the same calendar days or their daily normal
(optionally a forecast first): an ensemble whose first event after today gives the next
irrigation, with its spread.

The event table names what decided each event: the rule, an applied irrigation, or the
method's limits (``depth_min``, ``depth_max``, ``interval_min`` of ``models/methods.toml``)
when they raised, cut or delayed the rule's event. :class:`MethodLimits` can be passed to
override the library's limits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.engine.field_events import extract_events
from irrigate.engine.field_inputs import Applied, Observed, ObservedQuantity
from irrigate.engine.field_records import (  # re-exported: part of this module's API
    Event,
    FieldSetup,
    MemberNext,
    MethodLimits,
    Outlook,
    Reading,
    SeasonPlan,
)
from irrigate.engine.field_weather import (
    FieldWeather,
    OutlookWeather,
    WeatherBasis,
    as_members,
    outlook_members,
)
from irrigate.errors import InputError
from irrigate.library import read_schedule_csv
from irrigate.science import crop as cropmod
from irrigate.science.balance import depletion_from_theta
from irrigate.science.params import Crop
from irrigate.science.schedule import RULES, Schedule
from irrigate.variables import M3_PER_HA_PER_MM

__all__ = [
    "field_setup",
    "library_fingerprint",
    "parse_sowing",
    "plan_realtime",
    "plan_season",
    "readings_of",
    "season_period",
    "target_schedule",
    "Event",
    "FieldSetup",
    "MemberNext",
    "MethodLimits",
    "Outlook",
    "Reading",
    "SeasonPlan",
    "extract_events",
    "PRACTICE",
    "DEFAULT_SCHEDULE",
    "TOTALS",
]

#: ``--schedule practice``: the library practice written for the method, as the budget's
#: method columns use; ``fao_mad`` for a method without one.
PRACTICE = "practice"
DEFAULT_SCHEDULE = "fao_mad"
#: Season totals reported (mm unless noted), from :func:`irrigate.engine.simulate.season_summary`.
TOTALS: tuple[str, ...] = ("irr_net", "irr_gross", "irr_loss", "n_events", "et0", "etc",
                           "eta", "e", "t", "precip", "ro", "dp")


# ---------------------------------------------------------------------------------------
# setup
# ---------------------------------------------------------------------------------------
def library_fingerprint(library: Any) -> str:
    """Return 'PATH (sha256 ABC...)' of the library files actually read."""
    digest = hashlib.sha256()
    for kind in sorted(library.files):
        path = Path(library.files[kind])
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{library.path} (files sha256 {digest.hexdigest()[:12]})"


def _schedule(name: str | os.PathLike, method: str, library: Any, crop: str) -> Schedule:
    text = str(name)
    if text == PRACTICE:
        text = library.practice_for(method, crop) or DEFAULT_SCHEDULE
    if text.lower().endswith(".csv"):
        return read_schedule_csv(text)
    if text in RULES:
        return Schedule(rule=text, name=text)
    if text in library.practices:
        return library.practice(text)
    raise InputError(f"--schedule {text}: not a rule ({', '.join(RULES)}), a practice "
                     f"({', '.join(sorted(library.practices))}), '{PRACTICE}' nor a .csv file")


def parse_sowing(value: str | dt.date) -> dt.date:
    """Return a sowing date from ``YYYY-MM-DD`` (the year says which season)."""
    if isinstance(value, dt.date):
        return value
    try:
        if len(value.strip()) != 10:
            raise ValueError
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"--sowing {value}: not a date; use YYYY-MM-DD (the year says "
                         "which season), e.g. 2010-04-20") from None


def target_schedule(schedule: Schedule, crop: Crop, target: float) -> Schedule:
    """Return the schedule that irrigates when the crop's ET falls to ``target`` of ETc.

    CROPWAT's "irrigate at a given ETc reduction": FAO-56 Eq. 84 gives Ks = ETa/ETc =
    (TAW - Dr)/((1 - p) TAW), so Ks falls to ``target`` at Dr = [1 - target (1 - p)] TAW,
    with the crop's table p (FAO-56 Table 22; the daily adjustment of p is not followed).
    ``target = 1`` is the RAW rule. Each event refills as the schedule says.
    """
    if not 0.0 < target <= 1.0:
        raise InputError(f"--target {target:g}: a fraction of ETc in (0, 1], e.g. 0.8")
    if schedule.rule not in ("mad", "deficit"):
        raise InputError(f"--target {target:g}: sets when a depletion rule (mad, deficit, "
                         f"fao_mad) irrigates; schedule {schedule.name or schedule.rule} is "
                         f"rule {schedule.rule!r}; drop --target or use --schedule fao_mad")
    mad = 1.0 - target * (1.0 - crop.p)
    return replace(schedule, mad=mad, mad_basis="taw",
                   name=f"{schedule.name or schedule.rule}, ET target {target:g} of ETc")


def field_setup(crop: str, method: str, sowing: str | dt.date, soil: str = "loam",
                schedule: str | os.PathLike = DEFAULT_SCHEDULE,
                models: str | os.PathLike | None = None, target: float | None = None,
                limits: MethodLimits | None = None) -> FieldSetup:
    """Resolve names through the parameter library into a :class:`FieldSetup`.

    Parameters
    ----------
    crop, method, soil : str
        Library names (``irrigate crops``, ``methods``, ``soils``).
    sowing : str or date
        Sowing date ``YYYY-MM-DD``.
    schedule : str or path
        Rule name, library practice, ``"practice"`` (the practice written for the method, as
        in the budget; ``fao_mad`` otherwise) or a CSV ``date,depth_mm[,fw]``.
    models : path, optional
        User parameter library folder.
    target : float, optional
        Deficit target: irrigate when ETa/ETc would fall to this fraction
        (:func:`target_schedule`).
    limits : MethodLimits, optional
        Limits replacing the library's ``depth_min``, ``depth_max``, ``interval_min``.

    Raises
    ------
    InputError
        Unknown names, a rainfed or paddy choice, a bad date or target.

    """
    from irrigate.library import load_library

    lib = load_library(models)
    crop_rec = lib.crop(crop)
    if crop_rec.paddy:
        raise InputError(f"--crop {crop}: paddy rice is ponded, not scheduled by depletion; "
                         "use 'irrigate budget --crop rice'")
    if method == "rainfed":
        raise InputError("--method rainfed: a rainfed field has no irrigation to schedule")
    method_rec = lib.method(method)
    soil_rec = lib.soil(soil)
    sched = _schedule(schedule, method, lib, crop)
    if target is not None:
        sched = target_schedule(sched, crop_rec, float(target))
    lim = limits or MethodLimits.of(method_rec, lib)
    method_rec = replace(method_rec, depth_min=lim.depth_min, depth_max=lim.depth_max,
                         interval_min=lim.interval_min)
    respected = sched.respect_method_limits and sched.rule not in ("user", "net_requirement")
    return FieldSetup(crop=crop_rec, method=method_rec, soil=soil_rec, schedule=sched,
                      sowing=parse_sowing(sowing), limits=replace(lim, applied=respected),
                      target=target, library=library_fingerprint(lib))


# ---------------------------------------------------------------------------------------
# runs and events
# ---------------------------------------------------------------------------------------
def season_period(setup: FieldSetup, times: pd.DatetimeIndex, whole: bool = True
                  ) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the simulated period, as ``irrigate simulate --year`` runs it.

    1 January of the sowing year to the later of 31 December and harvest, within the input
    when ``whole``.

    Raises
    ------
    InputError
        If the season (sowing to harvest; only sowing unless ``whole``) is not inside the
        input's period.

    """
    sow, harvest = pd.Timestamp(setup.sowing), pd.Timestamp(setup.harvest)
    if sow < times[0] or sow > times[-1] or (whole and harvest > times[-1]):
        raise InputError(
            f"--sowing {setup.sowing}: the {setup.crop.name} season ({setup.crop.season_length}"
            f" days, to {setup.harvest}) is not inside the input's period "
            f"{times[0].date()}..{times[-1].date()}; choose a sowing date in the input's years")
    start = max(pd.Timestamp(sow.year, 1, 1), times[0])
    end = max(pd.Timestamp(sow.year, 12, 31), harvest)
    return start, min(end, times[-1]) if whole else end


def _run(members: xr.Dataset, setup: FieldSetup, schedule: Schedule,
         observed: xr.DataArray | None = None) -> xr.Dataset:
    from irrigate.engine.simulate import simulate

    daily = simulate(members, [setup.crop], [setup.method], soil=setup.soil,
                     schedule=schedule, sowing=str(setup.sowing),
                     observed_depletion=observed)
    return daily.isel(crop=0, method=0)


def readings_of(observed: Sequence[Observed], setup: FieldSetup, today: dt.date
                ) -> tuple[Reading, ...]:
    """Turn soil water readings into the depletions the balance is reset to.

    A water content is converted with FAO-56 Eq. 87, Dr = 1000 (θFC - θ) Zr, with the
    soil's field capacity and the crop's root depth that day (:func:`irrigate.science.crop.
    root_depth`); TAW that day is 1000 (θFC - θWP) Zr (Eq. 82). A root zone wetter than
    field capacity (up to saturation) is taken at field capacity, Dr = 0: the excess drains
    the same day (FAO-56 p. 170).

    Raises
    ------
    InputError
        A reading after ``today`` or before sowing, a water content above the soil's
        saturation, or a depletion beyond TAW (drier than the wilting point).

    """
    soil, out = setup.soil, []
    for ob in observed:
        where = f"--observed: {ob.quantity.value} {ob.value:g} on {ob.date}"
        if ob.date > today:
            raise InputError(f"{where} is after --today {today}, in the outlook period; "
                             "give only readings already taken, or move --today")
        if ob.date < setup.sowing:
            raise InputError(f"{where} is before sowing {setup.sowing}; the season's "
                             "balance starts at field capacity, leave it out")
        zr = float(cropmod.root_depth((ob.date - setup.sowing).days, setup.crop))
        taw = 1000.0 * (soil.theta_fc - soil.theta_wp) * zr  # Eq. 82
        if ob.quantity is ObservedQuantity.THETA:
            if np.isfinite(soil.theta_sat) and ob.value > soil.theta_sat:
                raise InputError(f"{where} is above saturation {soil.theta_sat:g} of soil "
                                 f"{soil.name}; check the unit (m3/m3) and --soil")
            dr = float(depletion_from_theta(ob.value, soil.theta_fc, zr))  # Eq. 87
        else:
            dr = ob.value
        if dr > taw + 1e-9:
            raise InputError(f"{where}: depletion {dr:.0f} mm exceeds TAW {taw:.0f} mm of "
                             f"the {zr:.2f} m root zone that day (drier than the wilting point"
                             f" {soil.theta_wp:g} of soil {soil.name}); check the unit and "
                             "--soil")
        out.append(Reading(ob.date, ob.quantity, ob.value, max(dr, 0.0), taw))
    return tuple(out)


def _reading_series(readings: Sequence[Reading], members: xr.Dataset) -> xr.DataArray | None:
    """Measured depletions (mm) on the members' days, NaN elsewhere (None: no reading)."""
    if not readings:
        return None
    times = pd.DatetimeIndex(members["time"].values).normalize()
    values = np.full(len(times), np.nan)
    for r in readings:
        values[times.get_loc(pd.Timestamp(r.date))] = r.dr_mm
    return xr.DataArray(values, dims="time", coords={"time": members["time"].values})


def _with_model_state(readings: Sequence[Reading], daily: xr.Dataset) -> tuple[Reading, ...]:
    """Fill in each reading's ``model_dr_mm``: the balance's depletion the evening before."""
    times = pd.DatetimeIndex(daily["time"].values).normalize()
    dr = np.asarray(daily["dr"].values, dtype=float)
    out = []
    for r in readings:
        k = times.get_loc(pd.Timestamp(r.date))
        out.append(replace(r, model_dr_mm=float(dr[k - 1]) if k > 0 else 0.0))
    return tuple(out)


def _totals(daily: xr.Dataset) -> dict[str, float]:
    from irrigate.engine.simulate import season_summary

    s = season_summary(daily)
    out = {n: float(s[n]) for n in TOTALS if n in s}
    out["eta_etc"] = out["eta"] / out["etc"] if out.get("etc") else float("nan")
    out["irr_net_m3ha"] = out["irr_net"] * M3_PER_HA_PER_MM
    out["irr_gross_m3ha"] = out["irr_gross"] * M3_PER_HA_PER_MM
    return out


def _provenance(weather: FieldWeather, setup: FieldSetup, basis: str) -> dict[str, str]:
    from irrigate import __version__

    et0 = weather.data.attrs.get("et0_source", "")
    return {
        "irrigate_version": __version__,
        "weather_source": weather.source,
        "weather_kind": weather.kind,
        "weather_basis": basis,
        "library": setup.library,
        "crop": setup.crop.name, "method": setup.method.name, "soil": setup.soil.name,
        "sowing": str(setup.sowing), "harvest": str(setup.harvest),
        "schedule": setup.schedule.name or setup.schedule.rule,
        "schedule_rule": setup.schedule.rule,
        "method_limits": setup.limits.summary(),
        **({"et0": et0} if et0 else {}),
    }


def plan_season(weather: FieldWeather, setup: FieldSetup) -> SeasonPlan:
    """Plan the whole season on the input's own weather.

    Returns
    -------
    SeasonPlan
        Events and totals; the totals are :func:`irrigate.engine.simulate.season_summary` of the
        same run ``irrigate simulate`` makes for these inputs.

    Raises
    ------
    InputError
        Sowing outside the input, and any error of the balance.

    """
    times = pd.DatetimeIndex(weather.data["time"].values).normalize()
    start, end = season_period(setup, times)
    daily = _run(as_members(weather.data, start, end), setup, setup.schedule)
    one = daily.isel(member=0)
    prov = _provenance(weather, setup, f"the input's weather ({weather.kind}) for the "
                                       "whole season")
    prov["et0"] = str(daily.attrs.get("et0_source", ""))
    return SeasonPlan(setup=setup, events=tuple(extract_events(one, setup)),
                      totals=_totals(one), totals_range=None, provenance=prov)


def _check_applied(applied: Sequence[Applied], setup: FieldSetup, today: dt.date,
                   forecast_end: dt.date | None) -> None:
    for a in applied:
        if a.date > today:
            where = (f"the forecast period (to {forecast_end})" if forecast_end
                     else "the outlook period")
            raise InputError(f"--applied: irrigation on {a.date} is after --today {today}, in "
                             f"{where}; list only irrigations already given, or move --today")
        if a.date < setup.sowing:
            raise InputError(f"--applied: irrigation on {a.date} is before sowing "
                             f"{setup.sowing}; a pre-sowing irrigation is the initial state "
                             "(field capacity), leave it out")


def plan_realtime(weather: FieldWeather, setup: FieldSetup, today: dt.date,
                  applied: Sequence[Applied] | None = None,
                  forecast: xr.Dataset | None = None,
                  years: tuple[int, int] | None = None,
                  observed: Sequence[Observed] | None = None,
                  outlook: OutlookWeather = OutlookWeather.CLIMATOLOGY) -> SeasonPlan:
    """Plan the rest of the season from today: the next irrigation and its spread.

    Parameters
    ----------
    weather : FieldWeather
        The field's weather; the days up to ``today`` are taken as observed.
    setup : FieldSetup
        The field.
    today : date
        Last day of observed weather and of applied irrigations; the plan starts the day
        after.
    applied : sequence of Applied, optional
        Irrigations given so far. When given they are the only irrigations up to today (the
        rule decides from tomorrow); when None the rule's own past events stand.
    forecast : xarray.Dataset, optional
        Weather from the day after today (time only), before the climatology.
    years : (int, int), optional
        Climatology years (inclusive); default every other year of the input with the days.
    observed : sequence of Observed, optional
        Soil water readings from sowing to today (:func:`readings_of`); the root-zone
        depletion is reset to each at the start of its day and the balance continues from it.
    outlook : OutlookWeather
        After today (and the forecast): each climatology year as a member, or their daily
        normal as one member.

    Returns
    -------
    SeasonPlan
        Observed events up to today and the median member's outlook events after it; totals
        are the median over the members with their range; ``outlook`` holds every member's
        next irrigation.

    Raises
    ------
    InputError
        Today outside the season or the input, applied irrigations after today (in the
        forecast period) or before sowing, readings after today, before sowing or impossible
        for the soil, a user-CSV schedule, no climatology year.

    """
    if setup.schedule.rule == "user":
        raise InputError("--today: a schedule CSV fixes every event in advance; give the "
                         "irrigations made with --applied and a rule (e.g. --schedule fao_mad)")
    times = pd.DatetimeIndex(weather.data["time"].values).normalize()
    start, _ = season_period(setup, times, whole=False)
    end = pd.Timestamp(setup.harvest)  # the outlook needs no weather after harvest
    t_today = pd.Timestamp(today)
    if not setup.sowing <= today < setup.harvest:
        raise InputError(f"--today {today}: must be within the season, sowing {setup.sowing} "
                         f"to the day before harvest {setup.harvest}")
    if t_today > times[-1]:
        raise InputError(f"--today {today}: the input's weather ends {times[-1].date()}; "
                         "it must cover every day up to today")
    fc_end = None
    if forecast is not None:
        fc_end = pd.Timestamp(forecast["time"].values[-1]).date()
    _check_applied(applied or (), setup, today, fc_end)
    readings = readings_of(observed or (), setup, today)
    members, labels, basis = outlook_members(weather.data, start, t_today, pd.Timestamp(end),
                                             setup.sowing.year, years, forecast, outlook)
    sched = setup.schedule
    if applied is not None:
        das_today = (today - setup.sowing).days
        sched = replace(sched, first_day=max(sched.first_day, das_today + 1),
                        events=tuple((str(a.date), a.net_mm, float("nan")) for a in applied))
    daily = _run(members, setup, sched, _reading_series(readings, members))
    readings = _with_model_state(readings, daily.isel(member=0))
    outlook_kind = (WeatherBasis.FORECAST if forecast is not None else
                    WeatherBasis.NORMAL if outlook is OutlookWeather.NORMAL else
                    WeatherBasis.CLIMATOLOGY)
    per_member = [extract_events(daily.sel(member=m), setup, applied or (), today,
                                 outlook_kind, readings) for m in labels]
    nexts = tuple(MemberNext(m, next((e for e in ev if e.date > today), None))
                  for m, ev in zip(labels, per_member, strict=True))
    first = daily.isel(member=0).sel(time=t_today)
    summary = Outlook(today=today, basis=basis, members=nexts,
                      dr_today_mm=float(first["dr"]), raw_today_mm=float(first["raw"]),
                      taw_today_mm=float(first["taw"]), weather=outlook, readings=readings)
    mid = labels.index(summary.median_member.label)
    events = per_member[mid]
    totals = [_totals(daily.sel(member=m)) for m in labels]
    median = {k: float(np.median([t[k] for t in totals])) for k in totals[0]}
    spread = {k: (float(min(t[k] for t in totals)), float(max(t[k] for t in totals)))
              for k in totals[0]}
    which = ("the daily normal" if outlook is OutlookWeather.NORMAL
             else f"outlook year {labels[mid]} (median)")
    prov = _provenance(weather, setup, basis + f"; events after {today} are those of {which}")
    prov["et0"] = str(daily.attrs.get("et0_source", ""))
    prov["applied"] = ("none" if applied is None else
                       f"{len(applied)} irrigation(s) given, {sum(a.net_mm for a in applied):.0f}"
                       " mm net; the rule decides from the day after today")
    prov["observed"] = ("none" if not readings else
                        f"{len(readings)} soil water reading(s) ({readings[0].quantity.value}), "
                        + ", ".join(f"{r.date}: {r.dr_mm:.0f} mm" for r in readings)
                        + "; the root-zone depletion is reset to each at the start of its day")
    return SeasonPlan(setup=setup, events=tuple(events), totals=median, totals_range=spread,
                      provenance=prov, outlook=summary)
