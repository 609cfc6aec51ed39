"""Daily weather and ET0 from monthly station climate, for sites without daily records.

The Xinjiang calibration experiments (Shihezi, Tarim Basin) have no public daily weather;
only monthly station climate is available (``models/calibration/xinjiang_station_normals.csv``,
WMO CLIMAT monthly reports 2003-2021). Two ways to turn it into the daily series the water
balance needs are provided, so that the calibration can measure how much its result
depends on that choice:

``"monthly"``
    FAO-56 Penman-Monteith ET0 computed from the *monthly* means (FAO-56 ch. 3, Example 17
    procedure: Ra for the middle day of the month, Rs from sunshine by Eq. 35, G from the
    neighbouring months by Eq. 43), then spread over the days by a mean-preserving
    interpolation (each month's daily mean equals its monthly value exactly). Rain falls
    on the month's mean number of rain days (>= 1 mm), evenly spaced, in equal amounts.
    Deterministic; it has no day-to-day variability.
``"stochastic"``
    A Richardson-type (WGEN, Richardson 1981, Water Resour. Res. 17:182-190) daily
    generator: rain occurrence by a two-state first-order Markov chain whose stationary
    wet-day frequency is the month's rain days / days; rain amounts exponential with the
    month's mean wet-day amount; Tmax and Tmin anomalies AR(1) with correlated innovations
    around the mean-preserving daily curves, Tmax lowered on wet days; relative sunshine
    n/N lowered on wet days; ea on the smooth curve, never above e°(Tmin) (FAO-56 Eq. 48
    bound). Daily ET0 by FAO-56 Eq. 6 with G = 0 (Eq. 42). The generator's variance and
    persistence parameters are *assumed* typical values (:data:`STOCHASTIC`), not fitted to
    the stations (no daily data to fit them on); the monthly means are preserved in
    expectation, not exactly.

In both, u2 = 2 m s-1 (FAO-56 p. 63: the value to use when no wind data exist; CLIMAT
reports carry no wind).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.errors import InputError
from irrigate.science import radiation
from irrigate.science.et0 import (
    U2_DEFAULT,
    et0_fao56,
    saturation_vapour_pressure,
    soil_heat_flux_monthly,
)
from irrigate.variables import attrs_for

MODES = ("monthly", "stochastic")

#: Station-climate rows (variable names of the CSV) the generator needs.
_NEEDED = {
    "tmax_c": "tmax",
    "tmin_c": "tmin",
    "vapour_pressure_hpa": "ea",
    "sunshine_h": "sunshine",
    "precip_mm": "precip",
    "precip_days_ge1mm": "rain_days",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class StochasticSettings:
    """Assumed parameters of the stochastic generator (typical WGEN-type values, not fitted).

    Attributes
    ----------
    wet_persistence : float
        Lag-1 autocorrelation of rain occurrence, P(W|W) - P(W|D).
    t_phi : float
        Lag-1 autocorrelation of the daily Tmax/Tmin anomalies.
    tmax_sd, tmin_sd : float
        Standard deviations of the daily anomalies, degC.
    t_cross : float
        Correlation of the Tmax and Tmin innovations.
    wet_tmax_drop : float
        How much cooler Tmax is on a wet day than the monthly mean curve, degC (dry days are
        warmed so that the expected monthly mean is kept).
    wet_sunshine_ratio : float
        Relative sunshine n/N on a wet day as a fraction of the month's mean n/N.

    """

    wet_persistence: float = 0.25
    t_phi: float = 0.65
    tmax_sd: float = 3.0
    tmin_sd: float = 2.5
    t_cross: float = 0.6
    wet_tmax_drop: float = 2.0
    wet_sunshine_ratio: float = 0.35


STOCHASTIC = StochasticSettings()


@dataclass(frozen=True)
class MonthlyClimate:
    """Monthly mean climate of one station (12 values per variable, January first).

    Attributes
    ----------
    tmax, tmin : numpy.ndarray
        Mean daily maximum and minimum temperature, degC.
    ea : numpy.ndarray
        Mean actual vapour pressure, kPa.
    sunshine : numpy.ndarray
        Monthly sunshine total, hours.
    precip : numpy.ndarray
        Monthly precipitation, mm.
    rain_days : numpy.ndarray
        Mean number of days with >= 1 mm precipitation.

    """

    station: str
    lat: float
    lon: float
    elevation: float
    period: str
    tmax: np.ndarray
    tmin: np.ndarray
    ea: np.ndarray
    sunshine: np.ndarray
    precip: np.ndarray
    rain_days: np.ndarray
    source: str


def read_station_climate(path: str | Path, station: str, status: str = "C") -> MonthlyClimate:
    """Read one station's monthly climate from a ``kz_city_climate_normals.csv``-style table.

    Parameters
    ----------
    path : str or Path
        CSV with columns ``city, lat, lon, elev_m, period, variable, jan..dec, source,
        status``.
    station : str
        Value of the ``city`` column (a prefix is accepted, e.g. ``"Yining"``).
    status : str
        Which rows to use: ``"C"`` (2003-2021 CLIMAT means, the only rows with Tmax/Tmin for
        every Xinjiang station) or ``"V"`` (WMO 1981-2010 normals).

    Raises
    ------
    InputError
        Unknown station, or a needed variable missing or incomplete.

    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r["city"].startswith(station)
                    and r["status"] == status]
    except FileNotFoundError as exc:
        raise InputError(f"{path}: station climate file not found") from exc
    if not rows:
        raise InputError(f"{path}: no rows for station {station!r} with status {status!r}")
    values: dict[str, np.ndarray] = {}
    sources: set[str] = set()
    for row in rows:
        if row["variable"] in _NEEDED:
            cells = [row[m] for m in _MONTHS]
            if any(c.strip() == "" for c in cells):
                raise InputError(f"{path}: {station} {row['variable']} has empty months")
            values[_NEEDED[row["variable"]]] = np.array([float(c) for c in cells])
            sources.add(row["source"])
    missing = [v for k, v in _NEEDED.items() if v not in values]
    if missing:
        raise InputError(f"{path}: station {station!r} lacks {', '.join(missing)} "
                         f"(status {status})")
    first = rows[0]
    return MonthlyClimate(
        station=first["city"],
        lat=float(first["lat"]),
        lon=float(first["lon"]),
        elevation=float(first["elev_m"]),
        period=first["period"],
        tmax=values["tmax"],
        tmin=values["tmin"],
        ea=values["ea"] / 10.0,  # hPa -> kPa
        sunshine=values["sunshine"],
        precip=values["precip"],
        rain_days=values["rain_days"],
        source=" | ".join(sorted(sources)),
    )


def _month_table(dates: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Month index (0-11), days in month, and fractional position of each day in the year."""
    month = dates.month.to_numpy() - 1
    ndays = dates.days_in_month.to_numpy()
    return month, ndays, dates.day_of_year.to_numpy()


def mean_preserving_daily(monthly: np.ndarray, year: int) -> np.ndarray:
    """Spread 12 monthly means over the days of ``year`` so each month's mean is exact.

    The curve is periodic and piecewise linear through one node per month (at mid-month);
    the node values are solved from the 12 linear conditions "daily mean over month m
    equals ``monthly[m]``", so the interpolation neither flattens peaks nor shifts totals.
    """
    dates = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    n = dates.size
    month, _, doy = _month_table(dates)
    starts = np.array([pd.Timestamp(year, m + 1, 1).day_of_year for m in range(12)])
    lengths = np.array([pd.Timestamp(year, m + 1, 1).days_in_month for m in range(12)])
    mid = starts - 1 + (lengths - 1) / 2.0  # 0-based position of each month's middle day
    pos = doy - 1.0
    # basis: hat function of node k on the periodic axis [mid_k-1, mid_k, mid_k+1]
    basis = np.zeros((n, 12))
    ext_mid = np.concatenate([[mid[-1] - n], mid, [mid[0] + n]])
    for k in range(12):
        left, centre, right = ext_mid[k], ext_mid[k + 1], ext_mid[k + 2]
        for shift in (-n, 0, n):
            p = pos + shift
            up = (p >= left) & (p <= centre)
            down = (p > centre) & (p <= right)
            basis[up, k] += (p[up] - left) / (centre - left)
            basis[down, k] += (right - p[down]) / (right - centre)
    a = np.stack([basis[month == m].mean(axis=0) for m in range(12)])
    nodes = np.linalg.solve(a, np.asarray(monthly, dtype=float))
    return basis @ nodes


def monthly_et0(clim: MonthlyClimate) -> np.ndarray:
    """FAO-56 PM ET0 (mm day-1) of each month from monthly means (FAO-56 Example 17 procedure).

    Ra and N for the middle day of the month (J = int(30.4 M - 15), FAO-56 p. 47 note),
    Rs from sunshine by Eq. 35, G by Eq. 43 from the neighbouring months' mean temperatures
    (periodic year), u2 = 2 m s-1 (p. 63), and Eq. 6 via :func:`irrigate.science.et0.et0_fao56`.
    """
    months = np.arange(1, 13)
    doy = np.floor(30.4 * months - 15).astype(float)
    days = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    n_daily = clim.sunshine / days
    ra = radiation.extraterrestrial_radiation(clim.lat, doy)
    rs = radiation.rs_from_sunshine(n_daily, radiation.daylight_hours(clim.lat, doy), ra)
    tmean = 0.5 * (clim.tmax + clim.tmin)
    g = soil_heat_flux_monthly(np.roll(tmean, 1), t_next=np.roll(tmean, -1))
    return np.asarray(et0_fao56(clim.tmax, clim.tmin, clim.ea, rs, U2_DEFAULT, clim.lat, doy,
                                clim.elevation, g=g), dtype=float)


def _even_rain(clim: MonthlyClimate, dates: pd.DatetimeIndex) -> np.ndarray:
    """Deterministic rain: each month's total in round(rain_days) equal, evenly spaced events."""
    rain = np.zeros(dates.size)
    month, ndays, _ = _month_table(dates)
    day = dates.day.to_numpy() - 1
    for m in range(12):
        k = int(round(clim.rain_days[m]))
        if k <= 0 or clim.precip[m] <= 0:
            continue
        length = int(ndays[month == m][0])
        wet_days = {int((j + 0.5) * length / k) for j in range(k)}
        sel = (month == m) & np.isin(day, list(wet_days))
        rain[sel] = clim.precip[m] / sel.sum()
    return rain


def _stochastic_year(clim: MonthlyClimate, year: int, rng: np.random.Generator,
                     settings: StochasticSettings) -> dict[str, np.ndarray]:
    """One year of WGEN-type daily weather (see module docstring)."""
    dates = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    month, ndays, doy = _month_table(dates)
    pi = np.clip(clim.rain_days[month] / ndays, 0.0, 0.95)  # stationary wet-day probability
    r = settings.wet_persistence
    p_wd, p_ww = pi * (1 - r), r + pi * (1 - r)  # Markov chain with stationary frequency pi
    wet = np.zeros(dates.size, dtype=bool)
    u = rng.random(dates.size)
    state = u[0] < pi[0]
    for i in range(dates.size):
        state = u[i] < (p_ww[i] if state else p_wd[i])
        wet[i] = state
    mean_amount = np.where(clim.rain_days > 0, clim.precip / np.maximum(clim.rain_days, 1e-9),
                           0.0)[month]
    precip = np.where(wet, rng.exponential(1.0, dates.size) * mean_amount, 0.0)

    tmax_s = mean_preserving_daily(clim.tmax, year)
    tmin_s = mean_preserving_daily(clim.tmin, year)
    ea_s = mean_preserving_daily(clim.ea, year)
    n_over_n = mean_preserving_daily(
        clim.sunshine / np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]), year
    ) / radiation.daylight_hours(clim.lat, doy.astype(float))

    # AR(1) anomalies with correlated innovations (stationary variance 1)
    c = settings.t_cross
    e1 = rng.standard_normal(dates.size)
    e2 = c * e1 + np.sqrt(1 - c * c) * rng.standard_normal(dates.size)
    phi = settings.t_phi
    a1, a2 = np.zeros(dates.size), np.zeros(dates.size)
    a1[0], a2[0] = e1[0], e2[0]
    scale = np.sqrt(1 - phi * phi)
    for i in range(1, dates.size):
        a1[i] = phi * a1[i - 1] + scale * e1[i]
        a2[i] = phi * a2[i - 1] + scale * e2[i]
    dry_rise = settings.wet_tmax_drop * pi / np.maximum(1 - pi, 1e-6)
    tmax = tmax_s + settings.tmax_sd * a1 + np.where(wet, -settings.wet_tmax_drop, dry_rise)
    tmin = np.minimum(tmin_s + settings.tmin_sd * a2, tmax - 1.0)
    wet_ratio = settings.wet_sunshine_ratio
    dry_ratio = (1 - pi * wet_ratio) / np.maximum(1 - pi, 1e-6)
    rel_sun = np.clip(n_over_n * np.where(wet, wet_ratio, dry_ratio), 0.0, 1.0)
    ea = np.minimum(ea_s, saturation_vapour_pressure(tmin))
    return {"tmax": tmax, "tmin": tmin, "ea": ea, "rel_sun": rel_sun, "precip": precip,
            "doy": doy.astype(float), "dates": dates}


def daily_weather(
    clim: MonthlyClimate,
    year: int,
    mode: str = "monthly",
    seed: int | None = None,
    settings: StochasticSettings = STOCHASTIC,
) -> xr.Dataset:
    """Daily ``et0`` and ``precip`` (mm day-1) for one calendar year at the station.

    Parameters
    ----------
    clim : MonthlyClimate
        The station's monthly climate (:func:`read_station_climate`).
    year : int
        Calendar year of the daily series (only the calendar matters: the climate is the
        same for every year).
    mode : {"monthly", "stochastic"}
        See the module docstring.
    seed : int, optional
        Random seed of the stochastic generator (required for ``"stochastic"``, so every
        run is reproducible).
    settings : StochasticSettings
        Assumed parameters of the stochastic generator.

    Returns
    -------
    xarray.Dataset
        Variables ``et0``, ``precip``, ``u2`` and ``rh_min`` (FAO-56 Eq. 63 form:
        100 ea / e°(Tmax), for the Kcb climate adjustment of Eq. 70) on ``time``; for
        ``"stochastic"`` also ``tmax``, ``tmin``, ``ea`` and ``rs``. Attributes record the
        station, mode and seed.

    """
    if mode not in MODES:
        raise InputError(f"weather mode {mode!r}: unknown; use one of {', '.join(MODES)}")
    dates = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    if mode == "monthly":
        et0 = mean_preserving_daily(monthly_et0(clim), year)
        rh_min = mean_preserving_daily(
            100.0 * clim.ea / saturation_vapour_pressure(clim.tmax), year
        )
        data = {"et0": ("time", np.maximum(et0, 0.0)),
                "precip": ("time", _even_rain(clim, dates)),
                "u2": ("time", np.full(dates.size, U2_DEFAULT)),
                "rh_min": ("time", np.clip(rh_min, 1.0, 100.0))}
    else:
        if seed is None:
            raise InputError("weather mode 'stochastic': give a seed so the run is reproducible")
        w = _stochastic_year(clim, year, np.random.default_rng(seed), settings)
        ra = radiation.extraterrestrial_radiation(clim.lat, w["doy"])
        daylight = radiation.daylight_hours(clim.lat, w["doy"])
        rs = radiation.rs_from_sunshine(w["rel_sun"] * daylight, daylight, ra)
        u2 = np.full(dates.size, U2_DEFAULT)
        et0 = et0_fao56(w["tmax"], w["tmin"], w["ea"], rs, u2, clim.lat, w["doy"],
                        clim.elevation)
        data = {name: ("time", np.asarray(val, dtype=float)) for name, val in
                (("et0", np.maximum(et0, 0.0)), ("precip", w["precip"]), ("tmax", w["tmax"]),
                 ("tmin", w["tmin"]), ("ea", w["ea"]), ("rs", rs), ("u2", u2),
                 ("rh_min", np.clip(100.0 * w["ea"] / saturation_vapour_pressure(w["tmax"]),
                                    1.0, 100.0)))}
    ds = xr.Dataset(data, coords={"time": dates})
    for name in ds.data_vars:
        ds[name].attrs = attrs_for(name)
    ds.attrs = {"station": clim.station, "weather_mode": mode,
                "seed": "" if seed is None else str(seed),
                "climate_period": clim.period}
    return ds
