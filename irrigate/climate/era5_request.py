"""Copernicus Climate Data Store (CDS) requests for the ERA5-Land inputs of ``irrigate``.

Two ways to get one year of daily weather over Kazakhstan:

``daily-statistics`` (default)
    Dataset ``derived-era5-land-daily-statistics`` for the instantaneous variables: the CDS
    computes daily statistics from the hourly ERA5-Land fields during the retrieval (keys
    ``variable``, ``year``, ``month``, ``day``, ``daily_statistic`` = ``daily_mean`` |
    ``daily_maximum`` | ``daily_minimum``, ``time_zone`` = ``utc+00:00``, ``frequency`` =
    ``1_hourly``, ``area`` = [N, W, S, E]). One request per variable and statistic; each file
    is named ``<variable>_<year>_daily-<stat>.nc``, the statistic being part of the name as
    in CDS downloads (``2m_temperature_0_daily-max.nc``), since the files do not store it.
    2 m temperature comes as daily maximum, minimum and mean; dew point, wind components and
    surface pressure as daily means. ERA5-Land daily statistics do not offer the accumulated
    variables (ECMWF, "ERA5 family post-processed daily statistics documentation"), so
    ``total_precipitation`` and ``surface_solar_radiation_downwards`` come from the hourly
    dataset as below (files ``era5-land_hourly-accumulations_<year>-<month>.nc``).
``hourly``
    Dataset ``reanalysis-era5-land`` (keys ``variable``, ``year``, ``month``, ``day``,
    ``time`` = 24 hours, ``data_format`` = ``netcdf``, ``download_format`` = ``unarchived``,
    ``area``): one request per month with all variables (files
    ``era5-land_hourly_<year>-<month>.nc``), plus the 24 hours of 1 January of the next year:
    ERA5-Land accumulations are reset at 00 UTC, and the value valid at D+1 00:00 holds the
    total of day D, so 31 December needs it. Larger downloads; :mod:`irrigate.climate`
    turns them into UTC days.

The requests are plain dicts: ``irrigate fetch-era5 --dry-run`` prints them, and they can be
pasted into any CDS client. Submitting needs ``cdsapi`` (``pip install "irrigate[era5]"``)
and CDS credentials (``~/.cdsapirc`` or ``CDSAPI_URL`` + ``CDSAPI_KEY``). Accept the
ERA5-Land licence on the CDS web page first.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from irrigate.errors import InputError

__all__ = [
    "DAILY_DATASET",
    "DEFAULT_BBOX",
    "HOURLY_DATASET",
    "ERA5_VARIABLES",
    "CdsRequest",
    "build_requests",
    "check_credentials",
    "parse_bbox",
    "import_cdsapi",
]

DAILY_DATASET = "derived-era5-land-daily-statistics"
HOURLY_DATASET = "reanalysis-era5-land"

#: Kazakhstan and a margin (N, W, S, E in degrees): the country spans about 40.6-55.4 N,
#: 46.5-87.3 E.
DEFAULT_BBOX: tuple[float, float, float, float] = (55.5, 46.5, 40.5, 87.5)

#: CDS variable name -> (NetCDF short name, daily statistics requested; empty for the
#: accumulated variables, which ERA5-Land daily statistics do not offer)
ERA5_VARIABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "2m_temperature": ("t2m", ("daily_maximum", "daily_minimum", "daily_mean")),
    "2m_dewpoint_temperature": ("d2m", ("daily_mean",)),
    "10m_u_component_of_wind": ("u10", ("daily_mean",)),
    "10m_v_component_of_wind": ("v10", ("daily_mean",)),
    "surface_pressure": ("sp", ("daily_mean",)),
    "surface_solar_radiation_downwards": ("ssrd", ()),
    "total_precipitation": ("tp", ()),
}
ACCUMULATED = [v for v, (_s, stats) in ERA5_VARIABLES.items() if not stats]

MODES = ("daily-statistics", "hourly")
_STAT_SUFFIX = {"daily_maximum": "daily-max", "daily_minimum": "daily-min",
                "daily_mean": "daily-mean"}
_FIRST_YEAR = 1950
_MONTHS = [f"{m:02d}" for m in range(1, 13)]
_DAYS = [f"{d:02d}" for d in range(1, 32)]
_HOURS = [f"{h:02d}:00" for h in range(24)]


@dataclass(frozen=True)
class CdsRequest:
    """One CDS retrieval: dataset name, request dict and target file name."""

    dataset: str
    request: dict[str, Any]
    target: str

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"dataset": self.dataset, "request": self.request, "target": self.target}


def parse_bbox(text: str | None) -> tuple[float, float, float, float]:
    """Parse ``"N,W,S,E"`` (degrees) into a tuple; ``None`` gives :data:`DEFAULT_BBOX`.

    Raises
    ------
    InputError
        Wrong count, non-numbers, north <= south, west >= east or out of range.

    """
    if text is None:
        return DEFAULT_BBOX
    parts = [p.strip() for p in str(text).split(",")]
    try:
        n, w, s, e = (float(p) for p in parts)
    except ValueError:
        raise InputError(
            f"--bbox {text}: need four numbers N,W,S,E in degrees, e.g. 55.5,46.5,40.5,87.5"
        ) from None
    if not (-90 <= s < n <= 90 and -180 <= w < e <= 360):
        raise InputError(
            f"--bbox {text}: need S < N within -90..90 and W < E within -180..360 (order N,W,S,E)"
        )
    return (n, w, s, e)


def _check_year(year: int) -> None:
    this_year = _dt.date.today().year
    if not _FIRST_YEAR <= int(year) <= this_year:
        raise InputError(
            f"--year {year}: ERA5-Land covers {_FIRST_YEAR} to {this_year} (about 5 days behind "
            "real time); choose a year in that range"
        )


def build_requests(
    year: int,
    bbox: tuple[float, float, float, float] = DEFAULT_BBOX,
    mode: str = "daily-statistics",
) -> list[CdsRequest]:
    """Build the CDS requests for one year of ERA5-Land over ``bbox``.

    Parameters
    ----------
    year : int
        Calendar year (1950 onwards).
    bbox : tuple of float
        North, west, south, east (degrees); the CDS ``area`` key.
    mode : {"daily-statistics", "hourly"}
        Which dataset to ask (see the module docstring).

    Returns
    -------
    list of CdsRequest

    """
    _check_year(year)
    if mode not in MODES:
        raise InputError(f"mode {mode!r}: choose one of {', '.join(MODES)}")
    area = [float(v) for v in bbox]
    out: list[CdsRequest] = []
    if mode == "daily-statistics":
        for variable, (_short, stats) in ERA5_VARIABLES.items():
            for stat in stats:
                out.append(CdsRequest(
                    DAILY_DATASET,
                    {
                        "variable": [variable],
                        "year": str(year),
                        "month": list(_MONTHS),
                        "day": list(_DAYS),
                        "daily_statistic": stat,
                        "time_zone": "utc+00:00",
                        "frequency": "1_hourly",
                        "area": area,
                    },
                    f"{variable}_{year}_{_STAT_SUFFIX[stat]}.nc",
                ))
        return out + _hourly(year, area, ACCUMULATED, "era5-land_hourly-accumulations")
    return _hourly(year, area, list(ERA5_VARIABLES), "era5-land_hourly")


def _hourly(year: int, area: list[float], variables: list[str], stem: str) -> list[CdsRequest]:
    """Monthly hourly requests plus the 24 hours of 1 January of the next year."""
    out = []
    for y, month, days in [(year, m, list(_DAYS)) for m in _MONTHS] + [(year + 1, "01", ["01"])]:
        out.append(CdsRequest(
            HOURLY_DATASET,
            {
                "variable": list(variables),
                "year": str(y),
                "month": [month],
                "day": days,
                "time": list(_HOURS),
                "data_format": "netcdf",
                "download_format": "unarchived",
                "area": area,
            },
            f"{stem}_{y}-{month}{'-01' if y != year else ''}.nc",
        ))
    return out


def check_credentials(environ: dict[str, str] | None = None, home: Path | None = None) -> str:
    """Return where the CDS credentials are, or raise a one-line InputError.

    cdsapi reads ``CDSAPI_URL`` and ``CDSAPI_KEY``, else the file named by ``CDSAPI_RC``,
    else ``~/.cdsapirc``.
    """
    env = os.environ if environ is None else environ
    if env.get("CDSAPI_URL") and env.get("CDSAPI_KEY"):
        return "CDSAPI_URL/CDSAPI_KEY"
    rc = Path(env["CDSAPI_RC"]) if env.get("CDSAPI_RC") else (
        (home or Path.home()) / ".cdsapirc")
    if rc.is_file():
        return str(rc)
    raise InputError(
        f"CDS credentials missing (no {rc}, no CDSAPI_URL/CDSAPI_KEY); create {rc} with "
        "'url: https://cds.climate.copernicus.eu/api' and 'key: <your key>' (see "
        "https://cds.climate.copernicus.eu/how-to-api) or use --dry-run"
    )


def import_cdsapi() -> Any:
    """Return the cdsapi module, or an InputError naming the install command."""
    try:
        import cdsapi
    except ImportError:
        raise InputError(
            'cdsapi is not installed; pip install "irrigate[era5]" (or pip install cdsapi), '
            "or use --dry-run to print the requests"
        ) from None
    return cdsapi

