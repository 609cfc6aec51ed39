"""``irrigate.simulate``: the FAO-56 dual-Kc water balance for crops x methods on a grid.

Interface committed first so other modules can code against it; the engine is in
:mod:`irrigate.balance` (daily kernel), :mod:`irrigate.crop` (curves) and
:mod:`irrigate.schedule` (rules).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import xarray as xr

from irrigate.params import Crop, Method, Soil
from irrigate.schedule import Schedule


def simulate(
    climate_or_et0: xr.Dataset | xr.DataArray,
    crops: Sequence[str | Crop] | str | Crop,
    methods: Sequence[str | Method] | str | Method = ("flood", "furrow", "sprinkler", "drip",
                                                      "mulched_drip"),
    soil: str | Soil | xr.DataArray = "loam",
    schedule: str | Schedule | os.PathLike = "mad",
    sowing: Any = None,
    models: str | os.PathLike | None = None,
    season: int | None = None,
    water_table_depth: float | xr.DataArray | None = None,
    initial_depletion: float = 0.0,
    outputs: Sequence[str] | None = None,
) -> xr.Dataset:
    """Run the daily dual-Kc soil water balance (interface; implementation follows)."""
    raise NotImplementedError


def season_summary(ds: xr.Dataset) -> xr.Dataset:
    """Seasonal totals per crop x method (interface; implementation follows)."""
    raise NotImplementedError


__all__ = ["simulate", "season_summary"]
