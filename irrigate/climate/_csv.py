"""Station CSV input: one row per day, canonical column names with units in brackets.

Format (see ``docs/climate-input.md``)::

    # lat: 41.3703
    # lon: 69.375
    # elevation: 522
    # wind_height: 10
    date,tmax[degC],tmin[degC],precip[mm day-1],uz[m s-1],rh_mean[1],rs[MJ m-2 day-1]
    2000-01-01,14.202,6.246,0.0,2.963,0.5885,8.75

- ``#`` lines before the header are comments; ``# key: value`` lines with key ``lat``,
  ``lon``, ``elevation`` (m), ``wind_height`` (m) or ``station`` give station metadata.
- ``date`` (ISO dates) is required. Data columns are ``tmax``, ``tmin``, ``tmean``,
  ``tdew``, ``ea``, ``rh_max``, ``rh_min``, ``rh_mean``, ``rs``, ``u2``, ``uz`` (wind at
  ``wind_height``), ``precip``, ``pressure``, each followed by its units in square brackets
  (any UDUNITS/pint spelling). Optional columns ``station``, ``lat``, ``lon`` (degrees),
  ``elevation`` (m) allow several stations in one file.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.climate._coords import check_time
from irrigate.errors import InputError

CSV_COLUMNS: tuple[str, ...] = (
    "tmax", "tmin", "tmean", "tdew", "ea", "rh_max", "rh_min", "rh_mean", "rs", "u2",
    "uz", "precip", "pressure",
)
_META = ("station", "lat", "lon", "elevation")
_HEADER = re.compile(r"^\s*([A-Za-z_0-9]+)\s*(?:\[(.*)\])?\s*$")
_COMMENT_KEYS = ("lat", "lon", "elevation", "wind_height", "station")


def _text(path: Path, where: str) -> str:
    """Return the file as text: UTF-8 (a byte-order mark is allowed), else an error."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError(f"{where}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line "
                         f"{line}: a legacy encoding such as Windows Cyrillic cp1251 or "
                         "Latin-1); save it as UTF-8, e.g. iconv -f cp1251 -t utf-8 IN.csv > "
                         "OUT.csv, or as 'CSV UTF-8' from a spreadsheet") from None


def _comments(text: str) -> tuple[dict[str, str], int]:
    meta: dict[str, str] = {}
    skip = 0
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        skip += 1
        key, sep, value = line[1:].partition(":")
        if sep and key.strip().lower() in _COMMENT_KEYS:
            meta[key.strip().lower()] = value.strip()
    return meta, skip


def _check_separator(text: str, skip: int, where: str) -> None:
    """Refuse semicolon-separated files (decimal commas) with the fix, not a units hint."""
    lines = text.splitlines()
    header = lines[skip] if len(lines) > skip else ""
    if ";" in header and header.count(";") >= header.count(","):
        raise InputError(f"{where}: columns are separated by ';' (a spreadsheet export with "
                         "decimal commas?); irrigate reads comma-separated files with decimal "
                         "points: save it with ',' between columns and '.' in numbers")
    if "\t" in header and "," not in header:
        raise InputError(f"{where}: columns are separated by tabs; save it with ',' between "
                         "columns")


def _float(text: str, what: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{where}: {what} '{text}' is not a number") from None


def read_csv(path: Path) -> tuple[xr.Dataset, dict[str, str]]:
    """Read a station CSV into a ``(time, station)`` Dataset in the file's units.

    Data variables keep a ``units`` attribute from the header; ``lat``, ``lon`` and
    ``elevation`` become station coordinates when given. Returns the Dataset and the
    metadata from ``# key: value`` comment lines.
    """
    where = str(path)
    meta, table = _read_table(path, where)
    names = _header(table, where)
    bare = {name: col for col, (name, _) in names.items()}
    table = _rows(table, bare, meta, path.stem, where)
    order = list(dict.fromkeys(table["_station"]))
    data_vars = {name: _column(table, col, name, unit, order, where)
                 for col, (name, unit) in names.items() if name in CSV_COLUMNS}
    for station in order:
        times = pd.DatetimeIndex(table.loc[table["_station"] == station, "_date"])
        check_time(times, where)
    ds = xr.Dataset(data_vars)
    for key in ("lat", "lon", "elevation"):
        if key in bare:
            per = table.groupby("_station")[bare[key]].first().reindex(order)
            numbers = pd.to_numeric(per, errors="coerce")
            bad = numbers.isna() & per.notna()
            if bad.any():
                raise InputError(f"{where}: column '{key}' holds {per[bad].iloc[0]!r} for "
                                 f"station {per[bad].index[0]}, not a number; fix it")
            ds = ds.assign_coords({key: ("station", numbers.to_numpy(dtype=float))})
        elif key in meta:
            value = _float(meta[key], key, where)
            ds = ds.assign_coords({key: ("station", np.full(len(order), value))})
    return ds, meta


def _read_table(path: Path, where: str) -> tuple[dict[str, str], pd.DataFrame]:
    """Return the ``# key: value`` metadata and the table below it."""
    text = _text(path, where)
    meta, skip = _comments(text)
    _check_separator(text, skip, where)
    try:
        table = pd.read_csv(io.StringIO(text), skiprows=skip, skipinitialspace=True)
    except pd.errors.ParserError as exc:
        raise InputError(f"{where}: a row has more values than the header has columns "
                         f"({' '.join(str(exc).split())}); decimal commas? write numbers "
                         "with '.', e.g. 14.2") from None
    except (ValueError, pd.errors.EmptyDataError):
        raise InputError(f"{where}: could not be read as CSV (empty, or no header line); see "
                         "docs/climate-input.md for the station CSV format") from None
    if not isinstance(table.index, pd.RangeIndex):  # rows longer than the header
        raise InputError(f"{where}: the rows have more values than the header has columns; "
                         "decimal commas? write numbers with '.', e.g. 14.2") from None
    return meta, table


def _header(table: pd.DataFrame, where: str) -> dict[str, tuple[str, str | None]]:
    """Column -> (name, units or None) from ``NAME[units]`` headers."""
    names: dict[str, tuple[str, str | None]] = {}
    for column in table.columns:
        match = _HEADER.match(str(column))
        if not match:
            raise InputError(f"{where}: column header '{column}' is not NAME or "
                             "NAME[units]; e.g. tmax[degC]")
        names[str(column)] = (match.group(1), match.group(2))
    return names


def _rows(table: pd.DataFrame, bare: dict[str, str], meta: dict[str, str], stem: str,
          where: str) -> pd.DataFrame:
    """Check the columns; add ``_date`` (normalised) and ``_station`` to every row."""
    if "date" not in bare:
        raise InputError(f"{where}: has no 'date' column; add one with ISO dates "
                         "(YYYY-MM-DD)")
    if table.empty:
        raise InputError(f"{where}: has no time steps; give a file with data")
    try:
        dates = pd.to_datetime(table[bare["date"]], format="ISO8601")
    except (ValueError, TypeError):
        raise InputError(f"{where}: 'date' column has values that are not ISO dates "
                         "(YYYY-MM-DD)") from None
    table = table.assign(_date=dates.dt.normalize())
    station_col = bare.get("station")
    stations = (table[station_col].astype(str) if station_col
                else pd.Series(meta.get("station", stem), index=table.index))
    table = table.assign(_station=stations.to_numpy())
    unknown = [n for n in bare if n not in CSV_COLUMNS + _META + ("date",)]
    if unknown:
        raise InputError(f"{where}: unknown column(s) {', '.join(unknown)}; use "
                         f"{', '.join(CSV_COLUMNS)} (see docs/climate-input.md)")
    return table


def _column(table: pd.DataFrame, col: str, name: str, unit: str | None, order: list[str],
            where: str) -> xr.DataArray:
    """One data column as a ``(time, station)`` array with its header units."""
    if unit is None or not unit.strip():
        raise InputError(f"{where}: column '{name}' has no units; write the header "
                         f"as {name}[units], e.g. tmax[degC]")
    if table.duplicated(["_date", "_station"]).sum():
        dup = table.loc[table.duplicated(["_date", "_station"]), "_date"].iloc[0]
        raise InputError(f"{where}: date {dup:%Y-%m-%d} appears more than once; "
                         "remove duplicated rows")
    wide = table.pivot(index="_date", columns="_station", values=col)[order]
    stacked = wide.stack(future_stack=True)
    numbers = pd.to_numeric(stacked, errors="coerce")
    bad = numbers.isna() & stacked.notna()  # text, not an empty cell or NA
    if bad.any():
        day, _ = bad[bad].index[0]
        raise InputError(f"{where}: column '{name}' on {pd.Timestamp(day):%Y-%m-%d} holds "
                         f"{stacked[bad].iloc[0]!r}, not a number; fix it or leave the "
                         "cell empty for a missing value")
    values = numbers.unstack()
    return xr.DataArray(values[order].to_numpy(dtype=float).astype(np.float64),
                        dims=("time", "station"),
                        coords={"time": wide.index.values, "station": order},
                        name=name, attrs={"units": unit.strip()})
