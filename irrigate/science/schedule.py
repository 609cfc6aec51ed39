"""Irrigation schedule rules: when to irrigate and how much (net depth reaching the soil).

A :class:`Schedule` is a frozen record with a named ``rule`` and the fields that rule reads;
:func:`decide_net_depth` turns it into the net depth of one day for every (cell, crop, method)
at once with array masks (no loop over cells). The water balance
(:mod:`irrigate.science.balance`) calls :func:`decide_net_depth` every day; gross depths and losses
follow from the method's efficiency there, so the soil always receives exactly the net depth
decided here.

Rules (``rule``)
----------------
``"mad"``
    Management-allowed depletion: irrigate when the root-zone depletion at the start of the
    day exceeds ``mad`` x TAW (``mad_basis="taw"``) or ``mad`` x RAW (``mad_basis="raw"``,
    the FAO-56 ch. 8 "irrigate when RAW is depleted" rule when ``mad = 1``); refill to the
    target depletion ``refill_to`` x TAW (0 = field capacity).
``"deficit"``
    As ``"mad"``, but apply only ``refill_fraction`` of the refill depth.
``"fixed_interval"``
    Every ``interval_days`` days, ``depth_mm`` (net) or, when ``depth_mm`` is not set, the
    refill depth: the first event on the first allowed day (``first_day`` after sowing, inside
    the calendar window), each next one ``interval_days`` after the previous event (an event
    skipped by rain or limits is postponed to the next allowed day).
``"stage_calendar"``
    Per growth stage (initial, development, mid-season, late season) interval and net depth:
    ``stage_interval_days`` and ``stage_depth_mm`` (4 values each), e.g. the Xinjiang
    mulched-drip practice of an event every 5-7 days of 30-45 mm.
``"user"``
    Dated events read from a CSV file (``date,depth_mm[,fw]``) by
    :func:`irrigate.library.read_schedule_csv`; ``depth_mm`` is the net depth reaching the soil.
``"net_requirement"``
    Every day, exactly the net depth that keeps the start-of-day depletion at or below RAW
    (so Ks = 1, no water stress): the net irrigation requirement.
``"none"``
    No irrigation (rainfed).

Constraints (all rules except ``"user"`` and ``"net_requirement"``): event depth within the
method's ``depth_min``/``depth_max``; at least ``method.interval_min`` days between events;
only from ``first_day`` days after sowing to ``last_day`` days before harvest; a seasonal
quota ``quota_mm`` (``quota_basis`` gross or net); skip a day whose precipitation is at least
``rain_skip_mm``. The window and quota also apply to ``"net_requirement"``.

Calendar window (every rule, ``"user"`` included): with ``window_start`` and ``window_end``
(``"MM-DD"``, both inclusive) irrigation happens only on calendar days inside the window, e.g.
the canal (vegetation) season ``"04-01"`` to ``"09-30"`` of Central Asia; a window with
``window_start`` after ``window_end`` wraps over the new year. :meth:`Schedule.calendar_mask`
turns it into one boolean per day (the same for every cell), passed to
:func:`decide_net_depth` as ``in_calendar``. A fixed calendar event on soil near field
capacity still takes place: the water beyond the depletion drains as deep percolation in the
balance, as it does under rotation-delivered surface irrigation (a threshold rule is the
``"mad"`` rule).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from irrigate.errors import InputError


class Rule(StrEnum):
    """Schedule rules (the string values are those of the CLI and the TOML files)."""

    MAD = "mad"
    FIXED_INTERVAL = "fixed_interval"
    DEFICIT = "deficit"
    STAGE_CALENDAR = "stage_calendar"
    USER = "user"
    NET_REQUIREMENT = "net_requirement"
    NONE = "none"


class MadBasis(StrEnum):
    """What the management-allowed depletion is a fraction of."""

    TAW = "taw"
    RAW = "raw"


class QuotaBasis(StrEnum):
    """Whether a seasonal quota counts gross (at the field) or net water."""

    GROSS = "gross"
    NET = "net"


RULES: tuple[str, ...] = tuple(r.value for r in Rule)
MAD_BASES: tuple[str, ...] = tuple(b.value for b in MadBasis)
QUOTA_BASES: tuple[str, ...] = tuple(b.value for b in QuotaBasis)
STAGES: tuple[str, ...] = ("initial", "development", "mid", "late")


def _month_day(label: str, name: str, value: Any) -> int:
    """Return a ``"MM-DD"`` string as the integer ``100 * month + day``; InputError if bad."""
    text = value.strip() if isinstance(value, str) else None
    ok = text is not None and len(text) == 5 and text[2] == "-" and \
        text[:2].isdigit() and text[3:].isdigit()
    if ok:
        try:  # a leap year, so that "02-29" is a valid day
            day = _dt.date.fromisoformat(f"2000-{text}")
        except ValueError:
            ok = False
    if not ok:
        raise InputError(f"{label}: {name} must be a calendar day \"MM-DD\" (e.g. \"04-01\"), "
                         f"got {value!r}")
    return 100 * day.month + day.day


def _four(name: str, value: Any) -> tuple[float, ...] | None:
    """Return ``value`` as a tuple of 4 floats (one per growth stage), or None."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return (float(value),) * 4
    try:
        out = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise InputError(f"schedule {name}: expected a number or 4 numbers (one per growth "
                         f"stage), got {value!r}") from None
    if len(out) != 4:
        raise InputError(f"schedule {name}: expected 4 values (initial, development, mid, "
                         f"late), got {len(out)}")
    return out


@dataclass(frozen=True)
class Schedule:
    """An irrigation schedule rule and its settings.

    All depths are net depths (mm) reaching the soil, except ``quota_mm`` whose basis is
    ``quota_basis``. Unset optional fields are ``None``.

    Attributes
    ----------
    rule : Rule
        The rule (a :class:`Rule` or its string value, one of :data:`RULES`).
    name : str
        Label of the schedule (library key or file name), used in output metadata.
    mad : float or tuple of 4 floats
        Management-allowed depletion as a fraction of TAW or RAW (``mad_basis``); one value
        or one per growth stage (initial, development, mid, late). Default 1.0 of RAW:
        irrigate when RAW is depleted (FAO-56 ch. 8, p. 171).
    mad_basis : MadBasis
        ``"raw"`` or ``"taw"``.
    refill_to : float
        Target depletion after an event, fraction of TAW (0 = field capacity).
    interval_days : int or None
        Interval of ``"fixed_interval"``, days.
    depth_mm : float or None
        Net event depth of ``"fixed_interval"``, mm; None = refill depth.
    refill_fraction : float
        Fraction of the refill depth applied by ``"deficit"`` (0-1).
    stage_interval_days, stage_depth_mm : tuple of 4 or None
        Per-stage interval (days) and net depth (mm) of ``"stage_calendar"``.
    events : tuple of (str, float, float)
        ``(ISO date, net depth mm, fw or NaN)`` of a ``"user"`` schedule. With any other
        rule: irrigations already applied (real-time scheduling, ``irrigate schedule
        --applied``); on those dates the applied depth replaces the rule's decision.
    first_day : int
        First day (days after sowing, 0 = sowing day) on which irrigation is allowed.
    last_day : int
        No irrigation in the last ``last_day`` days before harvest.
    quota_mm : float or None
        Seasonal quota, mm, on the basis ``quota_basis``; the last event is cut to fit.
    quota_basis : QuotaBasis
        ``"gross"`` (water applied at the field, default) or ``"net"``.
    rain_skip_mm : float or None
        Skip irrigation on a day with at least this precipitation, mm.
    respect_method_limits : bool
        Apply the method's ``depth_min``, ``depth_max`` and ``interval_min`` (default True;
        never applied to ``"user"`` and ``"net_requirement"``).
    window_start, window_end : str or None
        Calendar window ``"MM-DD"`` (both days inclusive; give both or neither) outside which
        no rule irrigates, e.g. the canal season ``"04-01"``-``"09-30"``; a start after the
        end wraps over the new year. None (default): no calendar restriction.

    """

    rule: Rule = Rule.MAD
    name: str = ""
    mad: float | tuple[float, ...] = 1.0
    mad_basis: MadBasis = MadBasis.RAW
    refill_to: float = 0.0
    interval_days: int | None = None
    depth_mm: float | None = None
    refill_fraction: float = 1.0
    stage_interval_days: tuple[float, ...] | None = None
    stage_depth_mm: tuple[float, ...] | None = None
    events: tuple[tuple[str, float, float], ...] = field(default=())
    first_day: int = 0
    last_day: int = 0
    quota_mm: float | None = None
    quota_basis: QuotaBasis = QuotaBasis.GROSS
    rain_skip_mm: float | None = None
    respect_method_limits: bool = True
    window_start: str | None = None
    window_end: str | None = None

    def __post_init__(self) -> None:
        """Validate the settings; raise :class:`InputError` on any inconsistency."""
        label = f"schedule {self.name or self.rule}"
        if self.rule not in RULES:
            raise InputError(f"{label}: unknown rule {self.rule!r}; known rules: "
                             f"{', '.join(RULES)}")
        object.__setattr__(self, "rule", Rule(self.rule))
        for name, kind, known in (("mad_basis", MadBasis, MAD_BASES),
                                  ("quota_basis", QuotaBasis, QUOTA_BASES)):
            value = getattr(self, name)
            if value not in known:
                raise InputError(f"{label}: {name} must be one of {', '.join(known)}, "
                                 f"got {value!r}")
            object.__setattr__(self, name, kind(value))
        self._check_numbers(label)
        self._check_rule_needs(label)

    def _check_numbers(self, label: str) -> None:
        """Validate (and normalise) the numeric settings."""
        mad = _four("mad", self.mad)
        object.__setattr__(self, "mad", mad)
        for name, values in (("mad", mad), ("refill_to", (self.refill_to,)),
                             ("refill_fraction", (self.refill_fraction,))):
            for v in values:
                if not (0.0 <= v <= 1.0):
                    raise InputError(f"{label}: {name} must be a fraction in [0, 1], got {v}")
        sid = _four("stage_interval_days", self.stage_interval_days)
        sdm = _four("stage_depth_mm", self.stage_depth_mm)
        object.__setattr__(self, "stage_interval_days", sid)
        object.__setattr__(self, "stage_depth_mm", sdm)
        for name, value in (("depth_mm", self.depth_mm), ("quota_mm", self.quota_mm),
                            ("rain_skip_mm", self.rain_skip_mm)):
            if value is not None and not (float(value) >= 0.0):
                raise InputError(f"{label}: {name} must be >= 0 mm, got {value}")
        for name, value in (("first_day", self.first_day), ("last_day", self.last_day)):
            if int(value) != value or value < 0:
                raise InputError(f"{label}: {name} must be a whole number of days >= 0, "
                                 f"got {value}")
        if self.interval_days is not None and (int(self.interval_days) != self.interval_days
                                               or self.interval_days < 1):
            raise InputError(f"{label}: interval_days must be a whole number >= 1, got "
                             f"{self.interval_days}")
        if sdm is not None and min(sdm) < 0:
            raise InputError(f"{label}: stage_depth_mm must be >= 0 mm, got {sdm}")
        if sid is not None and min(sid) < 1:
            raise InputError(f"{label}: stage_interval_days must be >= 1 day, got {sid}")

    def _check_rule_needs(self, label: str) -> None:
        """Check what the rule needs: its settings, events and the calendar window."""
        sid, sdm = self.stage_interval_days, self.stage_depth_mm
        if self.rule == "fixed_interval" and self.interval_days is None:
            raise InputError(f"{label}: rule 'fixed_interval' needs interval_days")
        if self.rule == "stage_calendar" and (sid is None or sdm is None):
            raise InputError(f"{label}: rule 'stage_calendar' needs stage_interval_days and "
                             f"stage_depth_mm (4 values each)")
        events = tuple((str(d), float(x), float(f)) for d, x, f in self.events)
        for d, x, f in events:
            if not x >= 0:
                raise InputError(f"{label}: event {d}: depth_mm must be >= 0, got {x}")
            if not (math.isnan(f) or 0.0 < f <= 1.0):
                raise InputError(f"{label}: event {d}: fw must be in (0, 1], got {f}")
        object.__setattr__(self, "events", events)
        if (self.window_start is None) != (self.window_end is None):
            raise InputError(f"{label}: give both window_start and window_end (\"MM-DD\") "
                             f"or neither, got {self.window_start!r} and {self.window_end!r}")
        if self.window_start is not None:
            _month_day(label, "window_start", self.window_start)
            _month_day(label, "window_end", self.window_end)
            object.__setattr__(self, "window_start", self.window_start.strip())
            object.__setattr__(self, "window_end", self.window_end.strip())
        if self.rule == "user" and not events:
            raise InputError(f"{label}: rule 'user' needs events; read them with "
                             f"irrigate.library.read_schedule_csv(path)")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], name: str = "") -> Schedule:
        """Build a schedule from a mapping (TOML table); unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InputError(f"schedule {name or values.get('rule', '')}: unknown key(s) "
                             f"{', '.join(unknown)}; known keys: {', '.join(sorted(known))}")
        kwargs = dict(values)
        if name and not kwargs.get("name"):
            kwargs["name"] = name
        for key in ("mad", "stage_interval_days", "stage_depth_mm"):
            if isinstance(kwargs.get(key), list):
                kwargs[key] = tuple(kwargs[key])
        return cls(**kwargs)

    def calendar_mask(self, times: Any) -> np.ndarray:
        """Return one boolean per day: True where the calendar window allows irrigation.

        Parameters
        ----------
        times : sequence of dates
            The simulated days (datetime64 values, a ``pandas.DatetimeIndex`` or an xarray
            time coordinate).

        Returns
        -------
        ndarray of bool, shape (len(times),)
            All True without a window; otherwise True on the days from ``window_start`` to
            ``window_end`` (inclusive, wrapping over the new year if start > end).

        """
        index = pd.DatetimeIndex(np.asarray(times))
        if self.window_start is None:
            return np.ones(len(index), dtype=bool)
        label = f"schedule {self.name or self.rule}"
        start = _month_day(label, "window_start", self.window_start)
        end = _month_day(label, "window_end", self.window_end)
        md = 100 * index.month.values + index.day.values
        if start <= end:
            return (md >= start) & (md <= end)
        return (md >= start) | (md <= end)

    def stage_array(self, name: str) -> np.ndarray:
        """Return a per-stage setting as an array of 4 floats (NaN where unset)."""
        value = getattr(self, name)
        if value is None:
            return np.full(4, np.nan)
        return np.asarray(value, dtype=float)


def make_schedule(rule: str, **kwargs: Any) -> Schedule:
    """Build a :class:`Schedule`; unknown keyword arguments raise :class:`InputError`."""
    known = {f.name for f in fields(Schedule)} - {"rule"}
    unknown = sorted(set(kwargs) - known)
    if unknown:
        raise InputError(f"schedule {rule}: unknown setting(s) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(known))}")
    return Schedule(rule=rule, **kwargs)


def decide_net_depth(
    schedule: Schedule,
    *,
    dr: np.ndarray,
    taw: np.ndarray,
    raw: np.ndarray,
    stage: np.ndarray,
    das: np.ndarray,
    season_length: np.ndarray,
    days_since: np.ndarray,
    cum_net: np.ndarray,
    cum_gross: np.ndarray,
    precip: np.ndarray,
    efficiency: np.ndarray,
    depth_min: np.ndarray,
    depth_max: np.ndarray,
    interval_min: np.ndarray,
    irrigated: np.ndarray,
    user_depth: float = 0.0,
    in_calendar: bool | np.ndarray = True,
) -> np.ndarray:
    """Return today's net irrigation depth (mm) for every element, by array masks.

    Parameters
    ----------
    schedule : Schedule
        The rule and its settings.
    dr : ndarray
        Root-zone depletion at the start of the day after today's rain, mm.
    taw, raw : ndarray
        Total and readily available water of the root zone today, mm (FAO-56 Eqs. 82-83).
    stage, das, season_length : ndarray
        Growth stage 0-3 (-1 outside the season), days after sowing, season length (days).
    days_since : ndarray
        Days since the last irrigation event (large before the first).
    cum_net, cum_gross : ndarray
        Net and gross irrigation applied so far, mm.
    precip : ndarray
        Precipitation of the day, mm.
    efficiency, depth_min, depth_max, interval_min, irrigated : ndarray
        Method settings, broadcast to the element shape.
    user_depth : float
        Net depth of the user schedule on this date (rule ``"user"``), mm. With any other
        rule that has ``events``: the net depth of an irrigation already applied on this
        date; it replaces the rule's decision (no limits, window or quota: the water was
        given). Ignored by other rules without events.
    in_calendar : bool or ndarray of bool
        Whether today lies inside the schedule's calendar window
        (:meth:`Schedule.calendar_mask`); False blocks every rule.

    Returns
    -------
    ndarray
        Net depth (mm, >= 0) reaching the soil today.

    """
    rule = schedule.rule
    shape = np.broadcast_shapes(np.shape(dr), np.shape(stage), np.shape(irrigated))
    zero = np.zeros(shape)
    if rule != Rule.USER and schedule.events and user_depth > 0:  # applied (real time)
        return np.where((stage >= 0) & irrigated, float(user_depth), 0.0) + zero
    if rule == Rule.NONE:
        return zero
    day = _Day(dr=dr, taw=taw, raw=raw, st=np.clip(stage, 0, 3), days_since=days_since,
               shape=shape, zero=zero, user_depth=float(user_depth),
               refill=np.maximum(dr - schedule.refill_to * taw, 0.0))
    trigger, net = _DECISIONS[rule](schedule, day)
    if rule == Rule.USER:
        in_window = (stage >= 0) & irrigated
    else:
        in_window = (stage >= 0) & (das >= schedule.first_day) & \
            (das < season_length - schedule.last_day) & irrigated
    in_window = in_window & in_calendar
    if schedule.respect_method_limits and rule not in _NO_METHOD_LIMITS:
        trigger = trigger & (days_since >= interval_min)
        net = np.clip(net, depth_min, depth_max)
    if schedule.rain_skip_mm is not None:
        trigger = trigger & ~(precip >= schedule.rain_skip_mm)
    net = np.where(trigger & in_window & (net > 0), net, 0.0)
    if schedule.quota_mm is not None:
        net = np.minimum(net, _quota_room(schedule, cum_net, cum_gross, efficiency))
    return net + zero


class _Day(NamedTuple):
    """The arrays a rule reads to decide one day (see :func:`decide_net_depth`)."""

    dr: np.ndarray          # depletion after today's rain, mm
    taw: np.ndarray         # mm
    raw: np.ndarray         # mm
    st: np.ndarray          # growth stage clipped to 0-3
    days_since: np.ndarray  # days since the last event
    shape: tuple[int, ...]  # element shape
    zero: np.ndarray        # zeros of the element shape
    user_depth: float       # user event depth today, mm
    refill: np.ndarray      # depth back to the refill target, mm


_Decision = tuple[np.ndarray, np.ndarray]


def _mad(schedule: Schedule, day: _Day) -> _Decision:
    """MAD: depletion beyond mad x RAW (or TAW) triggers a refill (FAO-56 ch. 8, p. 171)."""
    basis = day.raw if schedule.mad_basis == MadBasis.RAW else day.taw
    return day.dr > np.asarray(schedule.mad)[day.st] * basis, day.refill


def _deficit(schedule: Schedule, day: _Day) -> _Decision:
    """Deficit: the MAD trigger, a fraction ``refill_fraction`` of the refill depth."""
    trigger, refill = _mad(schedule, day)
    return trigger, schedule.refill_fraction * refill


def _fixed_interval(schedule: Schedule, day: _Day) -> _Decision:
    """First allowed day, then ``interval_days`` after each event; fixed or refill depth."""
    trigger = day.days_since >= int(schedule.interval_days)
    if schedule.depth_mm is None:
        return trigger, day.refill
    return trigger, np.full(day.shape, float(schedule.depth_mm))


def _stage_calendar(schedule: Schedule, day: _Day) -> _Decision:
    """Per-stage interval and net depth."""
    interval = schedule.stage_array("stage_interval_days")[day.st]
    return day.days_since >= interval, schedule.stage_array("stage_depth_mm")[day.st] + day.zero


def _user(schedule: Schedule, day: _Day) -> _Decision:
    """Apply the dated event of the user's file (its depth today, 0 without one)."""
    return np.ones(day.shape, dtype=bool), np.full(day.shape, day.user_depth)


def _net_requirement(schedule: Schedule, day: _Day) -> _Decision:
    """Keep the start-of-day depletion at or below RAW (Ks = 1, FAO-56 Eq. 84)."""
    return np.ones(day.shape, dtype=bool), np.maximum(day.dr - day.raw, 0.0)


#: Rule -> (trigger, net depth) of the day, before window, limits, rain skip and quota.
_DECISIONS: dict[Rule, Callable[[Schedule, _Day], _Decision]] = {
    Rule.MAD: _mad,
    Rule.DEFICIT: _deficit,
    Rule.FIXED_INTERVAL: _fixed_interval,
    Rule.STAGE_CALENDAR: _stage_calendar,
    Rule.USER: _user,
    Rule.NET_REQUIREMENT: _net_requirement,
}
#: Rules that never apply the method's depth and interval limits.
_NO_METHOD_LIMITS = frozenset({Rule.USER, Rule.NET_REQUIREMENT})


def _quota_room(schedule: Schedule, cum_net: np.ndarray, cum_gross: np.ndarray,
                efficiency: np.ndarray) -> np.ndarray:
    """Net depth still allowed by the seasonal quota (gross quotas through the efficiency)."""
    if schedule.quota_basis == QuotaBasis.GROSS:
        return np.maximum(schedule.quota_mm - cum_gross, 0.0) * efficiency
    return np.maximum(schedule.quota_mm - cum_net, 0.0)
