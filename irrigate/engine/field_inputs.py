"""Files an agronomist brings to the field schedule: irrigations applied, soil measured.

``--applied FILE`` is a CSV ``date,depth_mm`` (net depth reaching the soil, as a schedule
CSV), ``date,net_mm`` (the same) or ``date,gross_mm`` (water delivered at the field; net =
gross x the method's application efficiency). Lines starting with ``#`` are comments; two
rows on one date are added.

``--observed FILE`` is a CSV ``date,theta_m3m3`` (mean volumetric water content of the root
zone, m3/m3) or ``date,dr_mm`` (root-zone depletion below field capacity, mm): readings of
the field's soil water that reset the balance on their day. Two rows on one date are
refused (which one is right?).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path

from irrigate.errors import InputError


class DepthBasis(Enum):
    """What an applied depth measures."""

    NET = "net"
    GROSS = "gross"


#: Accepted depth column -> its basis.
DEPTH_COLUMNS: dict[str, DepthBasis] = {
    "depth_mm": DepthBasis.NET,
    "net_mm": DepthBasis.NET,
    "gross_mm": DepthBasis.GROSS,
}


@dataclass(frozen=True)
class Applied:
    """One irrigation already applied: date and net depth reaching the soil (mm)."""

    date: dt.date
    net_mm: float


def read_applied_csv(path: str | os.PathLike, efficiency: float) -> tuple[Applied, ...]:
    """Read irrigations already applied, as net depths, sorted by date.

    Parameters
    ----------
    path : path
        CSV file ``date,depth_mm`` / ``date,net_mm`` / ``date,gross_mm``.
    efficiency : float
        Field application efficiency of the method (gross -> net), 0-1.

    Returns
    -------
    tuple of Applied

    Raises
    ------
    InputError
        Missing file, wrong header, bad date or depth (line number named), no rows.

    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: applied-irrigation file not found; give a CSV "
                         "date,depth_mm (net) or date,gross_mm")
    with p.open(newline="", encoding="utf-8") as fh:
        rows = [(n, r) for n, r in enumerate(csv.reader(fh), start=1)
                if r and any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    if not rows:
        raise InputError(f"{p}: empty; expected a header date,depth_mm or date,gross_mm")
    header = [c.strip().lower() for c in rows[0][1]]
    if len(header) != 2 or header[0] != "date" or header[1] not in DEPTH_COLUMNS:
        raise InputError(f"{p}: header must be date,depth_mm (net), date,net_mm or "
                         f"date,gross_mm, got {','.join(header)!r}")
    basis = DEPTH_COLUMNS[header[1]]
    merged: dict[dt.date, float] = {}
    for line, row in rows[1:]:
        cells = [c.strip() for c in row]
        if len(cells) != 2:
            raise InputError(f"{p}: line {line}: {len(cells)} columns, expected 2 "
                             f"(date,{header[1]})")
        try:
            if len(cells[0]) != 10:
                raise ValueError
            day = dt.date.fromisoformat(cells[0])
        except ValueError:
            raise InputError(f"{p}: line {line}: bad date {cells[0]!r}; use YYYY-MM-DD") \
                from None
        try:
            depth = float(cells[1])
        except ValueError:
            raise InputError(f"{p}: line {line}: {header[1]} {cells[1]!r} is not a number") \
                from None
        if not (math.isfinite(depth) and depth > 0):
            raise InputError(f"{p}: line {line}: {header[1]} must be > 0 mm, got {cells[1]}")
        net = depth * efficiency if basis is DepthBasis.GROSS else depth
        merged[day] = merged.get(day, 0.0) + net
    if not merged:
        raise InputError(f"{p}: no irrigation rows; add lines date,{header[1]}")
    return tuple(Applied(d, x) for d, x in sorted(merged.items()))


class ObservedQuantity(StrEnum):
    """What a soil water reading measures; the value is the CSV column name."""

    THETA = "theta_m3m3"   # mean volumetric water content of the root zone, m3/m3
    DEPLETION = "dr_mm"    # root-zone depletion below field capacity, mm


@dataclass(frozen=True)
class Observed:
    """One reading of the field's soil water (value in the unit of ``quantity``)."""

    date: dt.date
    value: float
    quantity: ObservedQuantity


def _observed_value(p: Path, line: int, quantity: ObservedQuantity, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{p}: line {line}: {quantity.value} {text!r} is not a number") \
            from None
    if not math.isfinite(value):
        raise InputError(f"{p}: line {line}: {quantity.value} {text!r} is not a number")
    if quantity is ObservedQuantity.DEPLETION and value < 0:
        raise InputError(f"{p}: line {line}: dr_mm {text} is negative; the depletion is mm "
                         "below field capacity, 0 for a root zone at field capacity")
    if quantity is ObservedQuantity.THETA and not 0.0 < value <= 1.0:
        raise InputError(f"{p}: line {line}: theta_m3m3 {text} is not a volume fraction in "
                         "(0, 1]; give m3/m3 (25 % by volume is 0.25)")
    return value


def read_observed_csv(path: str | os.PathLike) -> tuple[Observed, ...]:
    """Read soil water readings of the field, sorted by date.

    Parameters
    ----------
    path : path
        CSV file ``date,theta_m3m3`` (volumetric water content of the root zone, m3/m3) or
        ``date,dr_mm`` (root-zone depletion, mm).

    Returns
    -------
    tuple of Observed

    Raises
    ------
    InputError
        Missing file, wrong header (columns or units), bad date or value (line named), a
        negative depletion, a water content outside (0, 1], two readings on one date, no
        rows.

    """
    p = Path(path)
    columns = " or ".join(f"date,{q.value}" for q in ObservedQuantity)
    if not p.is_file():
        raise InputError(f"{p}: soil water file not found; give a CSV {columns}")
    with p.open(newline="", encoding="utf-8") as fh:
        rows = [(n, r) for n, r in enumerate(csv.reader(fh), start=1)
                if r and any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    if not rows:
        raise InputError(f"{p}: empty; expected a header {columns}")
    header = [c.strip().lower() for c in rows[0][1]]
    known = {q.value: q for q in ObservedQuantity}
    if len(header) != 2 or header[0] != "date" or header[1] not in known:
        raise InputError(f"{p}: header must be date,theta_m3m3 (volumetric water content, "
                         f"m3/m3) or date,dr_mm (root-zone depletion, mm), got "
                         f"{','.join(header)!r}")
    quantity = known[header[1]]
    readings: dict[dt.date, float] = {}
    for line, row in rows[1:]:
        cells = [c.strip() for c in row]
        if len(cells) != 2:
            raise InputError(f"{p}: line {line}: {len(cells)} columns, expected 2 "
                             f"(date,{quantity.value})")
        try:
            if len(cells[0]) != 10:
                raise ValueError
            day = dt.date.fromisoformat(cells[0])
        except ValueError:
            raise InputError(f"{p}: line {line}: bad date {cells[0]!r}; use YYYY-MM-DD") \
                from None
        if day in readings:
            raise InputError(f"{p}: line {line}: a second reading on {day}; keep one per "
                             "day (the mean of the probes)")
        readings[day] = _observed_value(p, line, quantity, cells[1])
    if not readings:
        raise InputError(f"{p}: no readings; add lines date,{quantity.value}")
    return tuple(Observed(d, x, quantity) for d, x in sorted(readings.items()))
