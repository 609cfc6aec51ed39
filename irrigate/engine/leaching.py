"""Leaching: the off-season line of saline regions and the in-season leaching need (FAO-29)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from irrigate.engine.plan import RegionPlan
from irrigate.library import Library
from irrigate.science.salinity import (
    LeachingForm,
    OffseasonPractice,
    leaching_depth,
    offseason_leaching_share,
)

__all__ = ["Salinity", "salinity_records", "offseason", "in_season", "LEACHING"]

#: Name of the off-season leaching line (``line`` coordinate of the budget).
LEACHING = "leaching"


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

    The region's ``saline_shares`` (``models/regions.toml``) with the class depths of
    ``salinity.toml`` and its ``leaching_frequency``
    (:func:`irrigate.science.salinity.offseason_leaching_share`).
    """
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
