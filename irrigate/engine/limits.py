"""Each method's own scheduling limits for meeting full demand (``models/methods.toml``).

The fair comparison (issue 11) lets every method meet the crop's demand with the FAO-56 RAW
rule within limits of its own: the minimum furrow depth that advances water to the end of the
furrow and the canal turn, the pivot's revolution interval, the small refills of drip. They
are library values next to the method's fields (``advance_depth_min``, ``rotation_interval``,
``pivot_interval``, ``refill_depth``; :data:`irrigate.library.METHOD_SCHEDULING_UNITS`) and
tighten the method's own ``depth_min``, ``depth_max`` and ``interval_min``.
"""

from __future__ import annotations

import dataclasses

from irrigate.library import Library
from irrigate.science.params import Method

__all__ = ["own_limits", "OWN_LIMITS"]

#: Own limits of the full-demand scenario: method key -> (Method field it tightens, how,
#: unit); ``max``: the field becomes at least the key, ``min``: at most the key.
OWN_LIMITS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "advance_depth_min": (("depth_min", "max", "mm"),),
    "rotation_interval": (("interval_min", "max", "day"),),
    "pivot_interval": (("interval_min", "max", "day"),),
    "refill_depth": (("depth_max", "min", "mm"),),
}


def own_limits(lib: Library, name: str) -> Method:
    """Return the method's record with its full-demand scheduling limits applied."""
    record = lib.method(name)
    values = lib.values["methods"].get(name, {})
    changes: dict[str, float] = {}
    for key, targets in OWN_LIMITS.items():
        if key not in values:
            continue
        v = float(values[key].value)
        for field, how, _unit in targets:
            current = float(changes.get(field, getattr(record, field)))
            new = max(current, v) if how == "max" else min(current, v)
            changes[field] = int(new) if field == "interval_min" else new
    if "depth_min" in changes or "depth_max" in changes:
        lo = changes.get("depth_min", record.depth_min)
        changes["depth_max"] = max(changes.get("depth_max", record.depth_max), lo)
    return dataclasses.replace(record, **changes)
