"""Irrigation practices: ``models/practices.toml`` entries and user schedule CSV files.

Both become :class:`irrigate.science.schedule.Schedule` records, the form the water balance
takes. A practice is a ``[name]`` table of ``practices.toml`` (units of
``UNITS["practices"]``); a user schedule is a CSV ``date,depth_mm[,fw]`` with the column units
of ``UNITS["schedule_csv"]`` (:func:`read_schedule_csv`).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from irrigate.errors import InputError
from irrigate.library.schema import UNITS, _where
from irrigate.science.params import Crop, Method
from irrigate.science.schedule import Schedule


def _build_practice(file: Path, name: str, v: dict[str, Any], plain: dict[str, Any],
                    methods: Mapping[str, Method]) -> Schedule:
    method = plain.get("method")
    if method is not None and method not in methods:
        raise InputError(f"{_where(file, name, 'method')}: unknown method {method!r}; known: "
                         f"{', '.join(sorted(methods))}")
    kwargs = dict(v)
    for key in ("rule", "mad_basis", "quota_basis", "respect_method_limits"):
        if key in plain:
            kwargs[key] = plain[key]
    if "rule" not in kwargs:
        raise InputError(f"{_where(file, name)}: missing rule; one of the rules of "
                         f"irrigate.science.schedule.RULES")
    if kwargs["rule"] == "user":
        raise InputError(f"{_where(file, name, 'rule')}: a 'user' schedule has dated events; "
                         f"read it from CSV with --schedule FILE instead of the library")
    try:
        return Schedule.from_mapping(kwargs, name=name)
    except InputError as exc:
        raise InputError(f"{file}: [{name}]: {exc}") from None


def _practice_crops(file: Path, name: str, value: list[Any],
                    crops: Mapping[str, Crop]) -> tuple[str, ...]:
    """Check a practice's ``crops`` list: non-empty, distinct names of library crops."""
    where = _where(file, name, "crops")
    if not value:
        raise InputError(f"{where}: empty list; name the crops the practice was written for, "
                         f"or leave the key out (written for every crop)")
    for crop in value:
        if not isinstance(crop, str):
            raise InputError(f"{where}: {crop!r} is not a crop name; write a list of names, "
                             f"e.g. crops = [\"cotton\"]")
        if crop not in crops:
            raise InputError(f"{where}: unknown crop {crop!r}; known crops: "
                             f"{', '.join(sorted(crops))}")
    if len(set(value)) != len(value):
        raise InputError(f"{where}: a crop is listed twice ({', '.join(value)}); name each "
                         f"crop once")
    return tuple(value)



def read_schedule_csv(path: str | os.PathLike) -> Schedule:
    """Read a user irrigation schedule ``date,depth_mm[,fw]`` into a ``"user"`` schedule.

    ``date`` is an ISO date (YYYY-MM-DD), ``depth_mm`` the net depth reaching the soil (mm,
    >= 0) and the optional ``fw`` the fraction of the surface wetted by that event (0-1]
    (empty = the method's fw); units as in ``UNITS["schedule_csv"]``. Several rows on one
    date are added (fw of the last one).

    Raises
    ------
    InputError
        If the file is missing, a header is wrong, a date is not a valid ISO date, a depth is
        negative or not a number, or fw is outside (0, 1].

    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: schedule file not found; give a CSV with columns "
                         f"date,depth_mm[,fw]")
    with p.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh) if r and any(c.strip() for c in r)
                and not r[0].lstrip().startswith("#")]
    if not rows:
        raise InputError(f"{p}: empty schedule; expected a header date,depth_mm[,fw]")
    header = [c.strip().lower() for c in rows[0]]
    columns = list(UNITS["schedule_csv"])
    if header[:2] != columns[:2] or header[2:] not in ([], columns[2:]):
        raise InputError(f"{p}: header must be 'date,depth_mm' or 'date,depth_mm,fw', got "
                         f"{','.join(header)!r}")
    merged: dict[str, tuple[float, float]] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in row] + [""] * (len(header) - len(row))
        if len(row) > len(header):
            raise InputError(f"{p}: line {line}: {len(row)} columns, header has "
                             f"{len(header)}")
        try:
            day = np.datetime64(cells[0], "D")
            if str(day) != cells[0]:
                raise ValueError
        except ValueError:
            raise InputError(f"{p}: line {line}: bad date {cells[0]!r}; use YYYY-MM-DD") \
                from None
        try:
            depth = float(cells[1])
        except ValueError:
            raise InputError(f"{p}: line {line}: depth_mm {cells[1]!r} is not a number") \
                from None
        if not (depth >= 0 and math.isfinite(depth)):
            raise InputError(f"{p}: line {line}: depth_mm must be >= 0 mm, got {cells[1]}")
        fw = float("nan")
        if len(header) == 3 and cells[2]:
            try:
                fw = float(cells[2])
            except ValueError:
                raise InputError(f"{p}: line {line}: fw {cells[2]!r} is not a number") \
                    from None
            if not 0 < fw <= 1:
                raise InputError(f"{p}: line {line}: fw must be in (0, 1], got {cells[2]}")
        key = str(day)
        old = merged.get(key, (0.0, float("nan")))
        merged[key] = (old[0] + depth, fw if not math.isnan(fw) else old[1])
    if not merged:
        raise InputError(f"{p}: no irrigation events; add rows date,depth_mm")
    events = tuple((d, x, f) for d, (x, f) in sorted(merged.items()))
    return Schedule(rule="user", name=p.name, events=events)
