"""One field's irrigation schedule: the season's events and, in real time, the next one.

This is the engine behind ``irrigate schedule``. It runs the package's own water balance
(:func:`irrigate.engine.simulate.simulate`, FAO-56 dual Kc, the same rules and method limits) for
one crop, one method and one point, and reads the events off its daily output, so the season
totals are exactly those of ``irrigate simulate`` for the same inputs.

Season plan (:func:`plan_season`): the input's weather for the whole season.

Real time (:func:`plan_realtime`): weather observed up to ``today`` and the irrigations
actually applied (they replace the rule until today; without them the rule's own past events
stand), then each other year's weather on the same calendar days (optionally a forecast
first): an ensemble whose first event after today gives the next irrigation, with its spread.

The event table names what decided each event: the rule, an applied irrigation, or the
method's limits (``depth_min``, ``depth_max``, ``interval_min`` of ``models/methods.toml``)
when they raised, cut or delayed the rule's event. :class:`MethodLimits` can be passed to
override the library's limits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.engine.field_inputs import Applied
from irrigate.engine.field_weather import (
    FieldWeather,
    WeatherBasis,
    as_members,
    outlook_members,
)
from irrigate.errors import InputError
from irrigate.library import read_schedule_csv
from irrigate.science import crop as cropmod
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import RULES, Schedule
from irrigate.variables import M3_PER_HA_PER_MM

#: ``--schedule practice``: the library practice written for the method, as the budget's
#: method columns use; ``fao_mad`` for a method without one.
PRACTICE = "practice"
DEFAULT_SCHEDULE = "fao_mad"
#: Season totals reported (mm unless noted), from :func:`irrigate.engine.simulate.season_summary`.
TOTALS: tuple[str, ...] = ("irr_net", "irr_gross", "irr_loss", "n_events", "et0", "etc",
                           "eta", "e", "t", "precip", "ro", "dp")


@dataclass(frozen=True)
class MethodLimits:
    """Practical limits of one irrigation event of a method.

    Attributes
    ----------
    method : str
        Method name.
    depth_min, depth_max : float
        Net depth bounds of one event, mm.
    interval_min : int
        Shortest interval between events, days (canal rotation, field access, drip cycle).
    sources : Mapping[str, str]
        Source of each limit (the library's text, or "given").
    applied : bool
        False when the schedule does not respect method limits (user CSV, net requirement,
        ``respect_method_limits = false``).

    """

    method: str
    depth_min: float
    depth_max: float
    interval_min: int
    sources: Mapping[str, str] = field(default_factory=dict)
    applied: bool = True

    @classmethod
    def of(cls, method: Method, library: Any = None) -> MethodLimits:
        """Return the limits of a method record, with the library's sources if given."""
        sources = {}
        for name in ("depth_min", "depth_max", "interval_min"):
            try:
                sources[name] = library.source("methods", method.name, name) if library \
                    else "method record"
            except InputError:
                sources[name] = "package default (not in the library)"
        return cls(method.name, float(method.depth_min), float(method.depth_max),
                   int(method.interval_min), sources)

    def summary(self) -> str:
        """One line: the limits and whether they apply."""
        text = (f"{self.method}: net depth {self.depth_min:g}-{self.depth_max:g} mm per "
                f"event, at least {self.interval_min} d between events")
        return text if self.applied else text + " (not applied by this schedule)"


@dataclass(frozen=True)
class FieldSetup:
    """Everything that defines the field: crop, method, soil, schedule, sowing, limits."""

    crop: Crop
    method: Method
    soil: Soil
    schedule: Schedule
    sowing: dt.date
    limits: MethodLimits
    target: float | None = None
    library: str = ""

    @property
    def harvest(self) -> dt.date:
        """Last day of the season."""
        return self.sowing + dt.timedelta(days=self.crop.season_length - 1)


@dataclass(frozen=True)
class Event:
    """One irrigation event of the field (depths in mm, volumes in m3/ha)."""

    date: dt.date
    das: int
    net_mm: float
    gross_mm: float
    dr_before_mm: float
    dr_after_mm: float
    raw_mm: float
    taw_mm: float
    days_since_last: int | None
    eta_etc_to_date: float
    rain_since_last_mm: float
    decided_by: str
    weather: WeatherBasis = WeatherBasis.OBSERVED

    @property
    def net_m3ha(self) -> float:
        """Net depth as a volume per hectare, m3/ha."""
        return self.net_mm * M3_PER_HA_PER_MM

    @property
    def gross_m3ha(self) -> float:
        """Gross depth as a volume per hectare, m3/ha."""
        return self.gross_mm * M3_PER_HA_PER_MM


@dataclass(frozen=True)
class MemberNext:
    """The next irrigation after today in one outlook year (None: no more this season)."""

    label: str
    event: Event | None


@dataclass(frozen=True)
class Outlook:
    """The next irrigation over the real-time ensemble and the state of the field today."""

    today: dt.date
    basis: str
    members: tuple[MemberNext, ...]
    dr_today_mm: float
    raw_today_mm: float
    taw_today_mm: float

    def _events(self) -> list[Event]:
        return sorted((m.event for m in self.members if m.event is not None),
                      key=lambda e: e.date)

    @property
    def n_without(self) -> int:
        """Members with no further irrigation this season."""
        return sum(m.event is None for m in self.members)

    @property
    def median_member(self) -> MemberNext:
        """The member whose next date is the median (lower middle; none = after harvest)."""
        far = dt.date.max
        ranked = sorted(self.members, key=lambda m: (m.event.date if m.event else far,
                                                     m.label))
        return ranked[(len(ranked) - 1) // 2]

    @property
    def earliest(self) -> dt.date | None:
        """Earliest next-irrigation date over the members."""
        ev = self._events()
        return ev[0].date if ev else None

    @property
    def latest(self) -> dt.date | None:
        """Latest next-irrigation date over the members that irrigate again."""
        ev = self._events()
        return ev[-1].date if ev else None

    @property
    def median(self) -> dt.date | None:
        """Median next-irrigation date (the median member's)."""
        event = self.median_member.event
        return event.date if event else None

    def depth_range(self, name: str = "net_mm") -> tuple[float, float, float] | None:
        """Minimum, median and maximum of an event field over the members that irrigate."""
        values = [getattr(e, name) for e in self._events()]
        if not values:
            return None
        return float(min(values)), float(np.median(values)), float(max(values))


@dataclass(frozen=True)
class SeasonPlan:
    """Events, season totals, provenance and (real time) the next irrigation."""

    setup: FieldSetup
    events: tuple[Event, ...]
    totals: Mapping[str, float]
    totals_range: Mapping[str, tuple[float, float]] | None
    provenance: Mapping[str, str]
    outlook: Outlook | None = None


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


def _schedule(name: str | os.PathLike, method: str, library: Any) -> Schedule:
    text = str(name)
    if text == PRACTICE:
        by_method = {m: p for p, m in library.practice_methods.items()}
        text = by_method.get(method, DEFAULT_SCHEDULE)
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
    sched = _schedule(schedule, method, lib)
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


def _run(members: xr.Dataset, setup: FieldSetup, schedule: Schedule) -> xr.Dataset:
    from irrigate.engine.simulate import simulate

    daily = simulate(members, [setup.crop], [setup.method], soil=setup.soil,
                     schedule=schedule, sowing=str(setup.sowing))
    return daily.isel(crop=0, method=0)


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
                   after: dt.date | None = None, weather: WeatherBasis = WeatherBasis.OBSERVED
                   ) -> list[Event]:
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
                  years: tuple[int, int] | None = None) -> SeasonPlan:
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
        forecast period) or before sowing, a user-CSV schedule, no climatology year.

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
    members, labels, basis = outlook_members(weather.data, start, t_today, pd.Timestamp(end),
                                             setup.sowing.year, years, forecast)
    sched = setup.schedule
    if applied is not None:
        das_today = (today - setup.sowing).days
        sched = replace(sched, first_day=max(sched.first_day, das_today + 1),
                        events=tuple((str(a.date), a.net_mm, float("nan")) for a in applied))
    daily = _run(members, setup, sched)
    outlook_kind = WeatherBasis.FORECAST if forecast is not None else WeatherBasis.CLIMATOLOGY
    per_member = [extract_events(daily.sel(member=m), setup, applied or (), today,
                                 outlook_kind) for m in labels]
    nexts = tuple(MemberNext(m, next((e for e in ev if e.date > today), None))
                  for m, ev in zip(labels, per_member, strict=True))
    first = daily.isel(member=0).sel(time=t_today)
    outlook = Outlook(today=today, basis=basis, members=nexts,
                      dr_today_mm=float(first["dr"]), raw_today_mm=float(first["raw"]),
                      taw_today_mm=float(first["taw"]))
    mid = labels.index(outlook.median_member.label)
    events = per_member[mid]
    totals = [_totals(daily.sel(member=m)) for m in labels]
    median = {k: float(np.median([t[k] for t in totals])) for k in totals[0]}
    spread = {k: (float(min(t[k] for t in totals)), float(max(t[k] for t in totals)))
              for k in totals[0]}
    prov = _provenance(weather, setup, basis + f"; events after {today} are those of "
                                               f"outlook year {labels[mid]} (median)")
    prov["et0"] = str(daily.attrs.get("et0_source", ""))
    prov["applied"] = ("none" if applied is None else
                       f"{len(applied)} irrigation(s) given, {sum(a.net_mm for a in applied):.0f}"
                       " mm net; the rule decides from the day after today")
    return SeasonPlan(setup=setup, events=tuple(events), totals=median, totals_range=spread,
                      provenance=prov, outlook=outlook)
