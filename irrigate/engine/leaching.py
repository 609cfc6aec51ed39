"""Leaching: the off-season line of saline regions and the in-season leaching need (FAO-29)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from irrigate.engine.plan import RegionPlan
from irrigate.library import Library
from irrigate.library.baseline import SOWING_TO_ZONE
from irrigate.science.salinity import (
    LeachingForm,
    OffseasonPractice,
    leaching_depth,
    offseason_leaching_share,
)

__all__ = ["Salinity", "salinity_records", "offseason", "in_season", "leaching_range",
           "recharge_line", "LEACHING", "RECHARGE", "LINE_KINDS"]

#: Name of the off-season leaching line (``line`` coordinate of the budget).
LEACHING = "leaching"
#: Name of the optional autumn moisture-charging line of winter wheat (``recharge=True``).
RECHARGE = "moisture_charging"
#: Today's calendar of the moisture-charging irrigation (practices_today.toml).
RECHARGE_PRACTICE = "kz_winter_wheat_recharge"
#: Line kind of each line that is not a crop (coordinate ``line``).
LINE_KINDS = {LEACHING: "leaching", RECHARGE: "recharge"}


@dataclass(frozen=True)
class Salinity:
    """The records of ``salinity.toml`` the budget uses."""

    forms: Mapping[str, LeachingForm]
    practices: Mapping[str, OffseasonPractice]


def salinity_records(lib: Library) -> Salinity:
    """Return the ``salinity.toml`` records of the library (read once, by the library)."""
    return Salinity(forms=lib.salinity.leaching_forms, practices=lib.salinity.offseason)


def offseason(plan: RegionPlan, salinity: Salinity) -> tuple[float, float]:
    """Off-season leaching of a region: (share of its land leached a year, depth in mm).

    With an entry in ``leaching_offseason.toml`` (``plan.leaching_range``): the midpoints of
    its ranges (saline share x frequency, depth). Otherwise the region's ``saline_shares``
    (``models/regions.toml``) with the class depths of ``salinity.toml`` and its
    ``leaching_frequency`` (:func:`irrigate.science.salinity.offseason_leaching_share`).
    """
    rng = plan.leaching_range
    if rng is not None:
        return (sum(rng.share) / 2) * (sum(rng.frequency) / 2), sum(rng.depth_mm) / 2
    return offseason_leaching_share(plan.saline_shares, plan.leaching_frequency,
                                    practices=salinity.practices)


def in_season(lib: Library, plans: Sequence[RegionPlan], crop_axis: Sequence[str],
              methods: Sequence[str], arrays: dict[str, np.ndarray], salinity: Salinity
              ) -> None:
    """Fill ``leach_need_mm`` and ``leach_short_mm`` (in place).

    ``leach_need_mm``: the FAO-29 in-season leaching depth on top of ETc for the region's
    irrigation water salinity, with the method's formula (:func:`irrigate.science.salinity.
    leaching_depth`; for ponded rice already net of the season's percolation).
    ``leach_short_mm``: the part of it that the season's percolation does not deliver,
    ``max(need - dp - irr_loss_dp, 0)`` for upland methods: salt that stays in the soil and
    has to be washed out by the off-season leaching.
    """
    etc, dp = arrays["etc_mm"], arrays["dp_mm"]
    loss_dp = arrays["irr_loss_dp_mm"]
    for i, p in enumerate(plans):
        for j, name in enumerate(crop_axis):
            crop = lib.crops.get(name)
            if crop is None or not np.isfinite(crop.ece_threshold):
                continue
            for k, m in enumerate(methods):
                if m not in salinity.forms or not np.isfinite(etc[i, j, k]):
                    continue
                perc = dp[i, j, k] if np.isfinite(dp[i, j, k]) else 0.0
                need = float(leaching_depth(etc[i, j, k], crop, p.ecw, salinity.forms[m],
                                            perc=perc))
                arrays["leach_need_mm"][i, j, k] = need
                if crop.paddy:
                    arrays["leach_short_mm"][i, j, k] = need
                else:
                    delivered = perc + (loss_dp[i, j, k] if np.isfinite(loss_dp[i, j, k])
                                        else 0.0)
                    arrays["leach_short_mm"][i, j, k] = max(need - delivered, 0.0)


def leaching_range(plan: RegionPlan, central: tuple[float, float]
                   ) -> tuple[float, float, float]:
    """(low, high) yearly leaching depth over the upland land, mm, and the groundwater share.

    ``saline share x frequency x depth`` at the low and high ends of
    ``leaching_offseason.toml``; without an entry the central value at both ends and no
    groundwater. ``central``: the line's (share, depth) as the budget applies it.
    """
    rng = plan.leaching_range
    if rng is None:
        share, depth = central
        return share * depth, share * depth, 0.0
    return rng.yearly_depth("low"), rng.yearly_depth("high"), rng.groundwater_share


def recharge_line(lib: Library, plans: Sequence[RegionPlan], crop_axis: list[str],
                  methods: list[str], upland_methods: list[str], reference: str,
                  arrays: dict[str, np.ndarray], area: np.ndarray, shares: np.ndarray,
                  today_gross: np.ndarray, today_net: np.ndarray) -> None:
    """Fill the optional autumn moisture-charging line of winter wheat (in place).

    One event of today's recharge calendar (``kz_winter_wheat_recharge``, net depth) on the
    whole winter-wheat area of a region whose zone has the calendar, by furrow through the
    earth ditches (gross = net / furrow efficiency; withdrawal at the system efficiency);
    the same under every method scenario, outside the season and its totals, never scaled by
    the practice factor (season statistics do not contain it).
    """
    base = lib.baseline
    if RECHARGE_PRACTICE not in base.today:
        return
    sched = base.today[RECHARGE_PRACTICE]
    method = base.today_method[RECHARGE_PRACTICE]
    net = float(sched.depth_mm or 0.0)
    gross = net / lib.method(method).efficiency
    j = crop_axis.index(RECHARGE)
    jw = crop_axis.index("winter_wheat")
    k = methods.index(method) if method in methods else methods.index(reference)
    for i, p in enumerate(plans):
        if SOWING_TO_ZONE.get(p.zone) is not base.today_zone[RECHARGE_PRACTICE]:
            continue
        if area[i, jw] <= 0:
            continue
        area[i, j] = area[i, jw]
        for kk, m in enumerate(methods):
            if m in upland_methods:
                arrays["irr_gross_mm"][i, j, kk] = gross
                arrays["irr_net_mm"][i, j, kk] = net
                arrays["n_events"][i, j, kk] = 1.0
        shares[i, j, k] = 1.0
        today_gross[i, j, k] = gross
        today_net[i, j, k] = net
