"""Records of today's baseline (``models/areas.toml``, ``practice_shares.toml``, ...).

Frozen records and the file names, enums and bounds the baseline readers
(:mod:`irrigate.library.baseline`) fill: areas by kind, crop x method shares, today's
calendars, conveyance ranges, off-season leaching ranges, reported deliveries and the
fitted practice factors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

from irrigate.library.schema import (
    LibraryValue,
)
from irrigate.science.schedule import Schedule

__all__ = [
    "AREAS_FILE",
    "AreaKind",
    "BASELINE_FILES",
    "BaselineRecords",
    "CALIBRATED_FILE",
    "CONVEYANCE_RANGES_FILE",
    "ConveyanceRange",
    "DELIVERIES_FILE",
    "Definition",
    "Delivery",
    "FACTOR_BOUNDS",
    "LEACHING_FILE",
    "LeachingRange",
    "OPTIONAL_LINES",
    "PracticeFactor",
    "RegionAreas",
    "SHARES_FILE",
    "SOWING_TO_ZONE",
    "TODAY_FILE",
    "Zone",
]

AREAS_FILE = "areas.toml"
SHARES_FILE = "practice_shares.toml"
TODAY_FILE = "practices_today.toml"
CONVEYANCE_RANGES_FILE = "conveyance_ranges.toml"
LEACHING_FILE = "leaching_offseason.toml"
DELIVERIES_FILE = "deliveries.toml"
CALIBRATED_FILE = "baseline_factors.toml"
#: The baseline files, in the order they are read.
BASELINE_FILES = (AREAS_FILE, SHARES_FILE, TODAY_FILE, CONVEYANCE_RANGES_FILE, LEACHING_FILE,
                  DELIVERIES_FILE, CALIBRATED_FILE)


class AreaKind(StrEnum):
    """Which irrigated area a budget uses."""

    LISTED = "listed"    # irrigated land on the books (equipped, registered)
    WATERED = "watered"  # land actually watered in the season


class Zone(StrEnum):
    """Practice zone of ``practices_today.toml``."""

    SOUTH = "south"  # sowing zones south and south_east
    NORTH = "north"  # sowing zones north and east


#: Sowing zone (``sowing.toml``) -> practice zone.
SOWING_TO_ZONE = {"south": Zone.SOUTH, "south_east": Zone.SOUTH,
                  "north": Zone.NORTH, "east": Zone.NORTH}



@dataclass(frozen=True)
class RegionAreas:
    """Areas of one region by kind and year (``areas.toml``).

    Attributes
    ----------
    code : str
        ISO 3166-2 code.
    values : Mapping[str, LibraryValue]
        ``<kind>_<year>`` -> area (ha) with unit and source.
    default : str
        The key the budget uses by default.
    sourced : bool
        Whether the default value comes from a document (False: a labelled assumption).

    """

    code: str
    values: Mapping[str, LibraryValue]
    default: str
    sourced: bool

    def _latest(self, kind: str) -> str | None:
        keys = [k for k in self.values if k.startswith(kind + "_")]
        if not keys:
            return None
        return max(keys, key=lambda k: (k.split("_")[1] != "na", k.split("_")[1]))

    def pick(self, kind: AreaKind) -> tuple[str, float]:
        """Return ``(key, ha)`` of the area of ``kind``.

        ``watered``: the default key when it is a watered figure, else the latest ``watered_*``
        (the default key when there is none). ``listed``: the latest ``listed_*``; a region
        without a listed figure falls back to its default key (the key says which was used).
        """
        if kind is AreaKind.WATERED and self.default.startswith("watered_"):
            key = self.default
        else:
            key = self._latest(kind.value) or self.default
        return key, float(self.values[key].value)

    def rice(self) -> tuple[str, float] | None:
        """Return ``(key, ha)`` of the latest rice area, or None where no source gives one."""
        key = self._latest("rice")
        return None if key is None else (key, float(self.values[key].value))


@dataclass(frozen=True)
class ConveyanceRange:
    """Range of a region's source-to-field conveyance efficiency (``conveyance_ranges.toml``)."""

    code: str
    low: float
    high: float


@dataclass(frozen=True)
class LeachingRange:
    """Off-season leaching of one region with its range (``leaching_offseason.toml``).

    Attributes
    ----------
    share : tuple of float
        (low, high) share of the region's upland land leached in a leaching year, 1.
    frequency : tuple of float
        (low, high) leaching seasons per year, year-1.
    depth_mm : tuple of float
        (low, high) gross depth at the field per leaching, mm.
    groundwater_share : float
        Part of the leaching water from vertical-drainage wells or reused drainage water, 1.

    """

    code: str
    share: tuple[float, float]
    frequency: tuple[float, float]
    depth_mm: tuple[float, float]
    groundwater_share: float

    def yearly_depth(self, which: str) -> float:
        """Leached depth per ha of upland land and year, mm: share x frequency x depth.

        ``which``: ``"low"``, ``"high"`` or ``"central"`` (the product of the midpoints).
        """
        if which == "central":
            mid = [(lo + hi) / 2 for lo, hi in (self.share, self.frequency, self.depth_mm)]
            return mid[0] * mid[1] * mid[2]
        i = {"low": 0, "high": 1}[which]
        return self.share[i] * self.frequency[i] * self.depth_mm[i]


class Definition(StrEnum):
    """What a reported delivery figure counts."""

    INTAKE = "intake"        # water taken in at the head works (водозабор)
    SUPPLIED = "supplied"    # water supplied to farmers (подано)
    UNSTATED = "unstated"    # the press does not say


@dataclass(frozen=True)
class Delivery:
    """A reported season withdrawal of one region (``deliveries.toml``).

    ``value``, ``low`` and ``high`` in km3 (low = high = value when one figure is published);
    ``fit``: whether the baseline calibration fits this region to it.
    """

    code: str
    year: int
    value: float
    low: float
    high: float
    definition: Definition
    fit: bool
    source: str


@dataclass(frozen=True)
class PracticeFactor:
    """Fitted practice factor of one region (``baseline_factors.toml``).

    ``factor`` scales the net depths of today's practice (so its gross depths and
    withdrawals) in the region; ``low`` and ``high`` are the factors that meet the low and
    high ends of the reported range; ``bound`` names a fit bound the factor sits on ("" if
    none).
    """

    code: str
    factor: float
    low: float
    high: float
    bound: str
    source: str


@dataclass(frozen=True)
class BaselineRecords:
    """The baseline files of one library folder (see the module docstring)."""

    files: Mapping[str, Path]
    areas: Mapping[str, RegionAreas]
    shares: Mapping[str, Mapping[str, Mapping[str, float]]]
    today: Mapping[str, Schedule]
    today_zone: Mapping[str, Zone]
    today_method: Mapping[str, str]
    today_crops: Mapping[str, tuple[str, ...]]
    conveyance_ranges: Mapping[str, ConveyanceRange]
    system_ranges: Mapping[str, ConveyanceRange]
    on_farm: Mapping[str, float]
    on_farm_in_system: float
    leaching: Mapping[str, LeachingRange]
    deliveries: Mapping[str, Delivery]
    factors: Mapping[str, PracticeFactor]
    fit_bounds: tuple[float, float] = (0.4, 1.2)
    values: Mapping[str, Mapping[str, Mapping[str, LibraryValue]]] = field(
        default_factory=lambda: MappingProxyType({}))

    def today_practice(self, sowing_zone: str, crop: str, method: str) -> str | None:
        """Name of today's calendar for ``crop`` under ``method`` in ``sowing_zone``.

        The entry of ``practices_today.toml`` whose zone, method and crops match (optional
        lines such as the winter-wheat recharge excluded); in the north, the zone's entry for
        the method for any other crop; None otherwise (the method's own library practice
        applies: ``kz_furrow_current`` for southern furrow crops).
        """
        zone = SOWING_TO_ZONE.get(sowing_zone)

        def entries(m: str) -> list[str]:
            return [n for n, z in self.today_zone.items() if z is zone
                    and n not in OPTIONAL_LINES and self.today_method[n] == m]

        same = entries(method)
        for name in same:
            if crop in self.today_crops.get(name, ()):
                return name
        if zone is Zone.NORTH:
            # the north has no older calendar of its own: its entry for the method is the
            # zone's calendar of every crop under that method (practices_today.toml header);
            # border flooding, which has none, takes the zone's other gravity calendar
            same = same or entries(SURFACE_FALLBACK.get(method, method))
            if same:
                return same[0]
        return None

    def method_efficiency(self, system_efficiency: float, method: str) -> float:
        """Source-to-field efficiency of ``method`` on a system of ``system_efficiency``.

        ``min(1, system / on_farm_in_system) x on_farm[method]``: the system figure reaches
        the field through earth ditches; a method fed otherwise (pipe) replaces their share
        by its own. Methods without an entry keep the system figure.
        """
        if method not in self.on_farm:
            return system_efficiency
        edge = min(1.0, system_efficiency / self.on_farm_in_system)
        return edge * self.on_farm[method]


#: A surface method without a calendar of its own in the north takes the zone's calendar of
#: this other surface method (gravity schemes: the same turns and events).
SURFACE_FALLBACK = {"flood": "furrow"}
#: Entries of ``practices_today.toml`` that are optional lines, not a crop's calendar.
OPTIONAL_LINES = ("kz_winter_wheat_recharge",)
#: Default bounds of the fitted practice factor.
FACTOR_BOUNDS = (0.4, 1.2)
