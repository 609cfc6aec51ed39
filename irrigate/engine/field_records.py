"""Records of one field's schedule: setup, method limits, events, readings, the outlook, the plan.

Plain frozen dataclasses the planner (:mod:`irrigate.engine.field_schedule`) fills and the
output layer (:mod:`irrigate.output.schedule_table`) formats; depths in mm, volumes in m3/ha.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from irrigate.engine.field_inputs import ObservedQuantity
from irrigate.engine.field_weather import (
    OutlookWeather,
    WeatherBasis,
)
from irrigate.errors import InputError
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule
from irrigate.variables import M3_PER_HA_PER_MM

__all__ = ["MethodLimits", "FieldSetup", "Event", "Reading", "MemberNext", "Outlook",
           "SeasonPlan"]


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
class Reading:
    """A soil water reading taken into the balance (depths in mm).

    Attributes
    ----------
    date : date
        Day of the reading; the balance's depletion is reset to ``dr_mm`` at its start.
    quantity : ObservedQuantity
        What was measured.
    value : float
        The reading in its own unit (m3/m3 or mm).
    dr_mm : float
        Root-zone depletion the balance continues from, mm (0 for a root zone wetter than
        field capacity: it drains the same day, FAO-56 p. 170).
    taw_mm : float
        TAW of the root zone that day, mm (FAO-56 Eq. 82).
    model_dr_mm : float
        The balance's own depletion at the start of that day, before the reset, mm (NaN
        until the run).

    """

    date: dt.date
    quantity: ObservedQuantity
    value: float
    dr_mm: float
    taw_mm: float
    model_dr_mm: float = float("nan")


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
    weather: OutlookWeather = OutlookWeather.CLIMATOLOGY
    readings: tuple[Reading, ...] = ()

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
