"""Scenarios that mean one thing each: today, method columns at full demand, deficit.

* **Today** (always computed): the region's current methods, each under the library practice
  written for it (``kz_furrow_current`` for furrow ...) or the FAO-56 RAW rule; its method mix
  (``models/regions.toml`` shares) is the baseline every saving is measured against.
* **Full demand** (:attr:`Scenario.FULL_DEMAND`, the default method columns): every method
  meets the crop's demand with the FAO-56 RAW rule (``fao_mad``: irrigate when the depletion
  reaches RAW, refill to field capacity) within its **own** limits from ``models/methods.toml``:
  furrow at least ``advance_depth_min`` per event and at most one event per
  ``rotation_interval`` (the canal turn); sprinkler pivot passes at most every
  ``pivot_interval`` days, each within the method's depth bounds (no cap on the pass: a
  pivot capped at 20 mm every 3 days would supply 6.7 mm/day, below the peak ETc of the
  south); drip and drip under film refills of at most ``refill_depth``
  (frequent small refills). Flood keeps its ``depth_min``/``interval_min``.
* **Practice** (:attr:`Scenario.PRACTICE`): each method under the library practice calendar
  written for the crop (the Kazakh furrow calendar for every furrow crop, the Xinjiang film
  calendar for cotton only, the Ili-valley drip calendar for winter wheat only), the FAO-56
  RAW rule where no calendar was written for the crop: deficit where the calendar gives less
  than the crop needs, and labelled so.
* **Deficit** (:attr:`Scenario.DEFICIT`): every method irrigates only when the root-zone
  depletion reaches ``deficit_fraction`` of TAW, beyond RAW (= p TAW), and refills to field
  capacity: management-allowed depletion above RAW, "where plant moisture stress is an
  intentional part of soil water management" (FAO-56 ch. 8, p. 169). Labelled as deficit.

An explicit ``schedule`` (rule, practice, CSV or Schedule) replaces the scenario's schedules.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from enum import StrEnum

from irrigate.engine.limits import own_limits
from irrigate.engine.plan import FAO_RULE, practice_schedules, schedules
from irrigate.errors import InputError
from irrigate.library import Library
from irrigate.science.params import Method
from irrigate.science.schedule import Schedule

__all__ = ["Scenario", "method_records", "scenario_schedules", "scenario_label",
           "DEFAULT_DEFICIT"]

#: Default depletion (fraction of TAW) at which the deficit scenario irrigates (assumption:
#: a moderate deficit, above the p = 0.5-0.65 of most crops in FAO-56 Table 22).
DEFAULT_DEFICIT = 0.8


class Scenario(StrEnum):
    """What the method columns of a budget mean."""

    FULL_DEMAND = "full_demand"
    PRACTICE = "practice"
    DEFICIT = "deficit"


def method_records(lib: Library, names: Sequence[str], scenario: Scenario,
                   schedule: object = None) -> list[Method]:
    """Return the column records: own limits at full demand, as written otherwise."""
    if scenario is Scenario.FULL_DEMAND and schedule is None:
        return [own_limits(lib, m) for m in names]
    return [lib.method(m) for m in names]


def scenario_schedules(lib: Library, upland: Sequence[str], scenario: Scenario,
                       schedule: str | Schedule | None, deficit_fraction: float,
                       crops: Sequence[str] = ()
                       ) -> tuple[dict[str, tuple[Schedule, list[str]]],
                                  dict[str, tuple[str, ...]]]:
    """Return the schedules of the method columns and the crops of those written for some.

    Schedule name -> (Schedule, methods), and schedule name -> crops for a practice written
    for some crops only (:func:`irrigate.engine.plan.practice_schedules`).
    """
    if schedule is not None:
        return schedules(lib, upland, schedule), {}
    if scenario is Scenario.PRACTICE:
        return practice_schedules(lib, upland, crops)
    if scenario is Scenario.DEFICIT:
        if not 0.0 < float(deficit_fraction) < 1.0:
            raise InputError(f"--deficit-fraction {deficit_fraction}: must be between 0 and 1 "
                             "(the depletion, as a fraction of TAW, at which to irrigate)")
        base = lib.practice(FAO_RULE)
        name = f"deficit_{round(100 * float(deficit_fraction))}pct_taw"
        record = dataclasses.replace(base, name=name, mad_basis="taw",
                                     mad=float(deficit_fraction))
        return {name: (record, list(upland))}, {}
    return {FAO_RULE: (lib.practice(FAO_RULE), list(upland))}, {}


def scenario_label(scenario: Scenario, schedule: object, deficit_fraction: float) -> str:
    """One line that says what the method columns are."""
    if schedule is not None:
        return f"schedule: every method under {schedule} (may be a deficit; see et_ratio_pct)"
    if scenario is Scenario.PRACTICE:
        return ("practice: each method under its library practice calendar; deficit where the "
                "calendar gives less than the crop needs (see et_ratio_pct)")
    if scenario is Scenario.DEFICIT:
        return (f"deficit: every method irrigates when the depletion reaches "
                f"{100 * float(deficit_fraction):.0f} % of TAW, beyond RAW, and refills to field "
                "capacity (a deficit by design; FAO-56 p. 169)")
    return ("full_demand: every method meets the crop's demand (FAO-56 RAW rule) within its "
            "own limits (models/methods.toml)")
