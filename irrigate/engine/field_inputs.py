"""Files an agronomist brings to the field schedule: irrigations already applied.

``--applied FILE`` is a CSV ``date,depth_mm`` (net depth reaching the soil, as a schedule
CSV), ``date,net_mm`` (the same) or ``date,gross_mm`` (water delivered at the field; net =
gross x the method's application efficiency). Lines starting with ``#`` are comments; two
rows on one date are added.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
from dataclasses import dataclass
from enum import Enum
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
