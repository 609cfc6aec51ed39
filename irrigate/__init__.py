"""irrigate: FAO-56 crop water demand, irrigation scheduling and regional water budgets.

The public API is re-exported here lazily (so the CLI starts fast); see ``docs/api.md``.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_API: dict[str, str] = {
    "InputError": "irrigate.errors",
    "open_climate": "irrigate.climate",
    "open_climate_hourly": "irrigate.climate",
    "et0_fao56": "irrigate.science.et0",
    "et0_hargreaves": "irrigate.science.et0",
    "reference_et": "irrigate.science.et0",
    "et0_fao56_hourly": "irrigate.science.et0_hourly",
    "reference_et_hourly": "irrigate.science.et0_hourly",
    "daily_et0_from_hourly": "irrigate.science.et0_hourly",
    "load_library": "irrigate.library",
    "simulate": "irrigate.engine.simulate",
    "season_summary": "irrigate.science.driver",
    "region_weights": "irrigate.regions",
    "load_regions": "irrigate.regions",
    "budget": "irrigate.engine.budget",
    "calibrate": "irrigate.calibration",
    "simulate_paddy": "irrigate.science.paddy_balance",
    "leaching_requirement": "irrigate.science.salinity",
    "leaching_depth": "irrigate.science.salinity",
    "offseason_leaching_mm": "irrigate.science.salinity",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'irrigate' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
