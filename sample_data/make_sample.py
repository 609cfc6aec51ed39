"""Generate the SYNTHETIC Kazakhstan-wide daily weather grid shipped in ``sample_data/``.

The output imitates a Copernicus CDS download of ERA5-Land daily statistics (one NetCDF per
variable and statistic, CDS short names and units, dims ``valid_time, latitude, longitude``
with latitude descending, int16 packing with ``scale_factor``/``add_offset`` and zlib), so
the same ``irrigate`` commands read it and a real download. It is NOT observed or reanalysis
weather: it is a random "typical year" conditioned on monthly station climate.

Anchors: monthly means of 20 Kazakh cities and 3 Xinjiang stations from WMO CLIMAT reports
(``/work/shared/data/kz_city_climate_normals.csv``, copied as
``sample_data/kz_city_climate_normals.csv``; see that folder's README for provenance).

Method (all choices documented in sample_data/README.md):

1. Per station and month: mean temperature T, diurnal range DTR (from the 9 stations that
   report Tmax/Tmin; elsewhere interpolated, i.e. synthetic), precipitation P, days with
   >= 1 mm, vapour pressure ea (never the derived RH), relative sunshine n/N (sunshine hours
   over astronomical daylight, FAO-56 Eq. 34).
2. Spatial interpolation to the grid: a least-squares plane in lat/lon (evaluated with lat/lon
   clamped to the stations' range, so it never extrapolates) plus inverse-distance (power 2,
   20 km smoothing) interpolation of the station residuals; P on log(1 + P), rain days and
   n/N on logits, ea on log. No DEM is used: elevation is the same inverse-distance
   interpolation of station elevations (a smooth surface without mountains), used only for
   surface pressure (FAO-56 Eq. 7).
3. Seasonal cycle: the 12 monthly values of each cell become a daily curve made of 12
   harmonics whose monthly means equal the monthly values exactly.
4. Day-to-day variability: AR(1) anomalies with spatial correlation (Gaussian-smoothed white
   noise, ~600 km length scale, truncated at 3 standard deviations): temperature (std 5.5 K
   in January, 2.5 K in July, lag-1 0.75), humidity (lag-1 0.6), wind speed (lag-1 0.5),
   pressure (lag-1 0.8). The temperature anomalies are high-passed (minus their 31-day
   running mean, then rescaled to unit variance), so each cell's monthly mean temperature
   stays close to its interpolated normal: a "typical year" without inter-annual
   variability.
5. Precipitation: a two-state Markov chain per month (lag-1 correlation 0.3) whose wet-day
   frequency equals the interpolated rain-day fraction, driven by a spatially correlated
   field; then, per cell and month, the days the chain rates wettest are kept wet up to the
   expected rain-day count (at least one where the normal has precipitation), and the
   month's total (the interpolated normal) is shared as 1 mm + gamma (shape 0.75) amounts:
   a "typical year" with the normal totals and rain-day counts.
6. Radiation: Angstrom (FAO-56 Eq. 35, a=0.25, b=0.50) with daily n/N lower on wet days
   (0.35 of the monthly mean) and higher on dry days so the monthly mean n/N is kept;
   Ra from FAO-56 Eq. 21. DTR is 0.65 of normal on wet days (cloudy), raised on dry days.
7. Wind: CLIMAT has none. FAO-56 p. 63: u2 = 2 m/s where no data; at 10 m this is
   2 / (4.87 / ln(67.8 x 10 - 5.42)) = 2.67 m/s (inverse of Eq. 47). Daily speed lognormal
   around that (coefficient of variation 0.4) with a random, spatially smooth direction. The
   daily-mean u10/v10 vector has the intended speed (in real ERA5 the speed of the daily-mean
   vector is lower than the mean hourly speed).

Accumulated variables: the CDS ERA5-Land daily statistics do not offer ``tp``/``ssrd``; the
files here follow the ERA5 daily-statistics convention that ``irrigate.climate`` documents:
``*_daily-mean.nc`` holds the mean of the 24 hourly accumulations (daily total / 24), in m
and J m-2.

Run ``python sample_data/make_sample.py`` (defaults: 2021, 0.5 deg, seed 20210101) to
rebuild; ``--resolution 0.25`` for a finer grid on demand (26 MB).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from scipy.ndimage import gaussian_filter, uniform_filter1d

HERE = Path(__file__).resolve().parent
NORMALS = HERE / "kz_city_climate_normals.csv"
OUT_DIR = HERE / "kz_synthetic_daily_2021"
SEED = 20210101
YEAR = 2021
RESOLUTION = 0.5
BBOX = (55.5, 46.5, 40.5, 87.5)  # N, W, S, E
STREAM = "synthetic"

# --- generator constants (see module docstring) ---------------------------------------------
IDW_SMOOTH_KM = 20.0
CORR_LENGTH_KM = 600.0
T_SIGMA_JAN, T_SIGMA_JUL, T_PHI = 5.5, 2.5, 0.75
EA_SIGMA, EA_PHI = 0.12, 0.6          # log-space std of vapour pressure
WIND_CV, WIND_PHI = 0.4, 0.5
P_SIGMA_KPA, P_PHI = 0.6, 0.8
RAIN_LAG1 = 0.3
GAMMA_SHAPE = 0.75
WET_SUN_RATIO = 0.35
WET_DTR_RATIO = 0.65
ANGSTROM_A, ANGSTROM_B = 0.25, 0.50    # FAO-56 Eq. 35 defaults
U2_DEFAULT = 2.0                       # FAO-56 p. 63
U10_DEFAULT = U2_DEFAULT / (4.87 / np.log(67.8 * 10.0 - 5.42))  # inverse of FAO-56 Eq. 47

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


# ------------------------------------------------------------------------------ station data


def _pick(df: pd.DataFrame, variable: str) -> pd.DataFrame:
    """Monthly rows of one variable per station: status C preferred, V otherwise."""
    rows = df[(df["variable"] == variable)].dropna(subset=MONTHS)
    rows = rows.assign(_rank=(rows["status"] != "C").astype(int)).sort_values("_rank")
    return rows.drop_duplicates("city").set_index("city")[MONTHS].astype(float)


def station_table(path: Path = NORMALS) -> dict[str, pd.DataFrame]:
    """Return monthly anchors per variable (index city, columns jan..dec) plus ``meta``."""
    df = pd.read_csv(path)
    meta = df.drop_duplicates("city").set_index("city")[["lat", "lon", "elev_m"]]
    out = {name: _pick(df, name) for name in
           ("tmean_c", "tmax_c", "tmin_c", "precip_mm", "precip_days_ge1mm",
            "vapour_pressure_hpa", "sunshine_h")}
    both = out["tmax_c"].index.intersection(out["tmin_c"].index)
    out["dtr"] = out["tmax_c"].loc[both] - out["tmin_c"].loc[both]
    out["meta"] = meta
    return out


def _month_days(year: int) -> np.ndarray:
    return np.array([pd.Period(f"{year}-{m:02d}").days_in_month for m in range(1, 13)])


def relative_sunshine(sun: pd.DataFrame, meta: pd.DataFrame, year: int) -> pd.DataFrame:
    """Monthly n/N: sunshine hours over the month's astronomical daylight (FAO-56 Eq. 34)."""
    from irrigate.science.radiation import daylight_hours

    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    out = {}
    for city, row in sun.iterrows():
        n_day = daylight_hours(float(meta.loc[city, "lat"]), days.day_of_year.to_numpy())
        monthly = pd.Series(n_day, index=days).groupby(days.month).sum().to_numpy()
        out[city] = row.to_numpy() / monthly
    return pd.DataFrame(out, index=MONTHS).T


# ------------------------------------------------------------------------------ interpolation


def _distance_km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def interpolate(values: pd.DataFrame, meta: pd.DataFrame, glat: np.ndarray,
                glon: np.ndarray) -> np.ndarray:
    """Plane in lat/lon (clamped) + inverse-distance residuals; (12, ny, nx) from (st, 12)."""
    st_lat = meta.loc[values.index, "lat"].to_numpy(float)
    st_lon = meta.loc[values.index, "lon"].to_numpy(float)
    v = values.to_numpy(float)                                   # (st, 12)
    design = np.column_stack([np.ones_like(st_lat), st_lat, st_lon])
    coef, *_ = np.linalg.lstsq(design, v, rcond=None)            # (3, 12)
    resid = v - design @ coef
    lat2, lon2 = np.meshgrid(glat, glon, indexing="ij")
    clat = np.clip(lat2, st_lat.min(), st_lat.max())
    clon = np.clip(lon2, st_lon.min(), st_lon.max())
    trend = coef[0][:, None, None] + coef[1][:, None, None] * clat + coef[2][:, None, None] * clon
    d = _distance_km(lat2[None], lon2[None], st_lat[:, None, None], st_lon[:, None, None])
    w = 1.0 / (d**2 + IDW_SMOOTH_KM**2)
    w /= w.sum(axis=0, keepdims=True)
    return trend + np.einsum("syx,sm->myx", w, resid)


def _logit(p):
    return np.log(p / (1 - p))


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def monthly_fields(glat: np.ndarray, glon: np.ndarray, year: int = YEAR) -> dict[str, np.ndarray]:
    """Interpolated monthly climate (12, ny, nx) on the grid."""
    tab = station_table()
    meta = tab["meta"]
    ndays = _month_days(year)
    out = {
        "tmean": interpolate(tab["tmean_c"], meta, glat, glon),
        "dtr": np.maximum(interpolate(tab["dtr"], meta, glat, glon), 3.0),
        "precip": np.expm1(np.maximum(
            interpolate(np.log1p(tab["precip_mm"]), meta, glat, glon), 0.0)),
        "ea": np.exp(interpolate(np.log(tab["vapour_pressure_hpa"] / 10.0), meta, glat, glon)),
    }
    frac = (tab["precip_days_ge1mm"] / ndays).clip(0.01, 0.9)
    out["wet_frac"] = _expit(interpolate(_logit(frac), meta, glat, glon))
    rel = relative_sunshine(tab["sunshine_h"], meta, year).clip(0.05, 0.95)
    out["sun"] = _expit(interpolate(_logit(rel), meta, glat, glon))
    elev = pd.DataFrame({m: meta["elev_m"] for m in MONTHS})
    # Caspian depression is the lowest land (-28 m)
    out["elevation"] = np.maximum(interpolate(elev, meta, glat, glon)[0], -28.0)
    return out


def harmonic_operator(year: int) -> np.ndarray:
    """(ndays, 12) matrix turning 12 monthly means into a smooth daily curve with those means.

    Basis: 1, cos/sin of harmonics 1..5 and cos of harmonic 6 over the year; its monthly
    averages form a 12 x 12 matrix M, and H = B M^-1 maps monthly means to days.
    """
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    t = (np.arange(days.size) + 0.5) / days.size * 2 * np.pi
    cols = [np.ones_like(t)]
    for k in range(1, 6):
        cols += [np.cos(k * t), np.sin(k * t)]
    cols.append(np.cos(6 * t))
    basis = np.column_stack(cols)                                # (ndays, 12)
    month = days.month.to_numpy() - 1
    m = np.stack([basis[month == i].mean(axis=0) for i in range(12)])
    return basis @ np.linalg.inv(m)


# ------------------------------------------------------------------------------ randomness


def correlated_noise(rng: np.random.Generator, ndays: int, shape: tuple[int, int],
                     phi: float, res_deg: float) -> np.ndarray:
    """AR(1) in time, Gaussian-correlated in space, unit variance: (ndays, ny, nx)."""
    sigma_cells = max(CORR_LENGTH_KM / 111.0 / res_deg / 2.0, 0.5)
    out = np.empty((ndays, *shape))
    prev = None
    for d in range(ndays):
        e = gaussian_filter(rng.standard_normal(shape), sigma_cells, mode="reflect")
        e /= e.std() if e.std() > 0 else 1.0
        prev = e if prev is None else phi * prev + np.sqrt(1 - phi**2) * e
        out[d] = prev
    # truncated at 3 standard deviations: no 5-sigma days from a Gaussian tail
    return np.clip(out, -3.0, 3.0)


def _norm_cdf(x):
    from scipy.special import ndtr

    return ndtr(x)


def rain(rng: np.random.Generator, monthly: dict[str, np.ndarray], year: int,
         res_deg: float) -> np.ndarray:
    """Daily precipitation (mm): Markov-chain occurrence, rain-day counts and totals kept.

    1. A two-state Markov chain (lag-1 correlation ``RAIN_LAG1``, stationary wet frequency =
       the interpolated rain-day fraction of the month) driven by a spatially correlated
       uniform field ``u`` gives each day a margin ``u - threshold`` (negative = wet).
    2. Typical year: in each cell and month the ``k`` days with the lowest margins are wet,
       ``k`` = the expected rain-day count rounded at random (at least 1 where the normal
       has precipitation). Ranking by margin keeps the chain's persistence and the spatial
       coherence of the field.
    3. Amounts: 1 mm + gamma(``GAMMA_SHAPE``) shares of the month's remaining total, so the
       month total equals the interpolated normal and wet days keep >= 1 mm where the
       total allows.
    """
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    month = days.month.to_numpy() - 1
    shape = monthly["precip"].shape[1:]
    u = _norm_cdf(correlated_noise(rng, days.size, shape, 0.0, res_deg))
    margin = np.empty((days.size, *shape))
    state = u[0] < monthly["wet_frac"][0]
    for d in range(days.size):
        pw = monthly["wet_frac"][month[d]]
        p11 = RAIN_LAG1 + (1 - RAIN_LAG1) * pw        # stationary frequency pw
        p01 = (1 - RAIN_LAG1) * pw
        threshold = np.where(state, p11, p01) if d > 0 else pw
        margin[d] = u[d] - threshold
        state = margin[d] < 0
    amount = np.zeros((days.size, *shape))
    for m in range(12):
        sel = np.flatnonzero(month == m)
        total = monthly["precip"][m]
        expected = monthly["wet_frac"][m] * sel.size
        k = np.floor(expected + rng.uniform(size=shape)).astype(int)
        k = np.clip(np.where(total > 0.05, np.maximum(k, 1), 0), 0, sel.size)
        rank = np.argsort(np.argsort(margin[sel], axis=0), axis=0)
        wet = rank < k[None]
        share = np.where(wet, rng.gamma(GAMMA_SHAPE, 1.0, wet.shape) + 1e-6, 0.0)
        share /= np.maximum(share.sum(axis=0, keepdims=True), 1e-12)
        base = np.where(total >= k, 1.0, total / np.maximum(k, 1))        # mm per wet day
        rest = np.maximum(total - base * k, 0.0)
        amount[sel] = np.where(wet, base[None] + rest[None] * share, 0.0)
    return amount


def generate(lat: np.ndarray, lon: np.ndarray, year: int = YEAR, seed: int = SEED,
             anomaly: dict[str, np.ndarray] | None = None) -> xr.Dataset:
    """Generate the synthetic daily fields on ``lat`` x ``lon`` (canonical units).

    ``anomaly`` (multi-year sample, :func:`year_anomalies`): ``dt`` (12, ny, nx) added to the
    monthly mean temperature and ``pf`` (12, ny, nx) multiplying the monthly precipitation
    (and, by its square root, the rain-day fraction) before the daily weather is drawn, so
    that the year is not the typical one.

    Returns a Dataset with ``tmax, tmin, tmean, tdew`` (degC), ``u10, v10`` (m s-1),
    ``pressure`` (kPa), ``rs`` (MJ m-2 day-1), ``precip`` (mm day-1), dims
    ``(time, lat, lon)``.
    """
    from irrigate.science.et0 import atmospheric_pressure
    from irrigate.science.radiation import extraterrestrial_radiation

    lat = np.asarray(lat, float)
    lon = np.asarray(lon, float)
    res = float(abs(np.diff(lat)).mean()) if lat.size > 1 else 1.0
    rng = np.random.default_rng(seed)
    monthly = monthly_fields(lat, lon, year)
    if anomaly is not None:
        monthly["precip"] = monthly["precip"] * anomaly["pf"]
        monthly["wet_frac"] = np.clip(monthly["wet_frac"] * np.sqrt(anomaly["pf"]), 0.01, 0.9)
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    month = days.month.to_numpy() - 1
    doy = days.day_of_year.to_numpy()
    shape = (lat.size, lon.size)
    h = harmonic_operator(year)

    def daily(name: str) -> np.ndarray:
        return np.einsum("dm,myx->dyx", h, monthly[name])

    precip = rain(rng, monthly, year, res)
    wet = precip > 0
    fw = monthly["wet_frac"][month]                                 # expected wet fraction

    # temperature: mean + AR(1) anomaly; diurnal range reduced on wet days
    season = np.cos(2 * np.pi * (doy - 15) / 365.0)[:, None, None]
    sigma_t = 0.5 * (T_SIGMA_JAN + T_SIGMA_JUL) + 0.5 * (T_SIGMA_JAN - T_SIGMA_JUL) * season
    year_anomaly = anomaly
    anomaly = correlated_noise(rng, days.size, shape, T_PHI, res)
    # typical year: high-pass the anomalies in time (minus their 31-day running mean), so
    # monthly means stay close to the normals while day-to-day weather remains
    anomaly -= uniform_filter1d(anomaly, size=31, axis=0, mode="reflect")
    anomaly /= anomaly.std()
    tmean = daily("tmean") + sigma_t * np.clip(anomaly, -3.0, 3.0)
    if year_anomaly is not None:
        # the year's monthly temperature anomalies, smoothed over 31 days (monthly means
        # kept to within a few tenths of a degree; through the 12-harmonic operator,
        # independent month-to-month jumps ring, badly so in leap years)
        step = year_anomaly["dt"][month]
        tmean = tmean + uniform_filter1d(step, size=31, axis=0, mode="nearest")
    dry_dtr = (1 - WET_DTR_RATIO * fw) / np.maximum(1 - fw, 0.05)
    dtr = daily("dtr") * np.where(wet, WET_DTR_RATIO, dry_dtr)
    dtr *= np.exp(0.1 * np.clip(rng.standard_normal(dtr.shape), -2.0, 2.0))
    dtr = np.clip(dtr, 1.0, 25.0)
    tmax, tmin = tmean + 0.5 * dtr, tmean - 0.5 * dtr

    # humidity: ea around its normal, moister on wet days, never above saturation at tmean
    from irrigate.science.et0 import saturation_vapour_pressure

    ea = np.maximum(daily("ea"), 0.05) * np.exp(
        EA_SIGMA * correlated_noise(rng, days.size, shape, EA_PHI, res) + 0.1 * (wet - fw))
    ea = np.minimum(ea, 0.97 * saturation_vapour_pressure(tmean))
    ln = np.log(ea / 0.6108)
    tdew = 237.3 * ln / (17.27 - ln)                       # inverse of FAO-56 Eq. 14

    # radiation: Angstrom with cloudier wet days (FAO-56 Eqs. 21, 35)
    sun = np.clip(daily("sun"), 0.03, 0.95)
    sun_wet = WET_SUN_RATIO * sun
    sun_dry = np.clip((sun - fw * sun_wet) / np.maximum(1 - fw, 0.05), 0.0, 0.97)
    rel = np.where(wet, sun_wet, sun_dry) + np.where(
        wet, 0.0, 0.08 * rng.standard_normal(sun.shape))
    rel = np.clip(rel, 0.0, 1.0)
    ra = extraterrestrial_radiation(lat[None, :, None], doy[:, None, None])
    rs = (ANGSTROM_A + ANGSTROM_B * rel) * ra

    # wind: lognormal speed around the FAO-56 default, smooth random direction
    z = correlated_noise(rng, days.size, shape, WIND_PHI, res)
    s2 = np.log(1 + WIND_CV**2)
    speed = U10_DEFAULT * np.exp(np.sqrt(s2) * z - 0.5 * s2)
    direction = np.pi * correlated_noise(rng, days.size, shape, 0.7, res)
    u10, v10 = speed * np.sin(direction), speed * np.cos(direction)

    # surface pressure: FAO-56 Eq. 7 on the smooth elevation + synoptic anomaly
    p0 = atmospheric_pressure(monthly["elevation"])[None]
    pressure = p0 + P_SIGMA_KPA * correlated_noise(rng, days.size, shape, P_PHI, res)

    coords = {"time": days, "lat": lat, "lon": lon}
    dims = ("time", "lat", "lon")
    data = {"tmax": tmax, "tmin": tmin, "tmean": tmean, "tdew": tdew, "u10": u10, "v10": v10,
            "pressure": pressure, "rs": rs, "precip": precip}
    ds = xr.Dataset({k: (dims, v.astype("float64")) for k, v in data.items()}, coords=coords)
    ds["elevation"] = (("lat", "lon"), monthly["elevation"])
    return ds


# ------------------------------------------------------------------------------ many years

#: Real daily weather whose year-to-year spread the multi-year sample copies (shipped).
VARIABILITY_SOURCE = HERE / "cfsr_syrdarya_points_2000_2014.nc"
#: Spatial correlation length of monthly anomalies (a month's anomaly covers a large area).
ANOMALY_CORR_KM = 1500.0
#: Coefficient of variation of monthly precipitation is capped here (rainless summer months
#: of the south have CVs above 1.5 from a few showers; a lognormal with such a CV is wild).
MAX_PRECIP_CV = 1.0
#: Default first year and number of years of the multi-year sample.
FIRST_YEAR, N_YEARS = 1991, 30
MULTI_RESOLUTION = 2.0
MULTI_QUANTUM = {"t2m": 0.1, "d2m": 0.1, "u10": 0.1, "v10": 0.1, "sp": 20.0,
                 "ssrd": 1000.0, "tp": 1e-4 / 24.0}


def interannual_variability(path: Path = VARIABILITY_SOURCE) -> dict[str, np.ndarray]:
    """Year-to-year spread of monthly climate from real daily weather (12 values each).

    ``t_sd``: standard deviation across years of the monthly mean temperature ((Tmax +
    Tmin) / 2), K; ``p_cv``: coefficient of variation across years of the monthly
    precipitation total (capped at :data:`MAX_PRECIP_CV`); both averaged over the points.
    From the CFSR Syr Darya points, complete years 2000-2013 (14 years).
    """
    ds = xr.open_dataset(path).sel(time=slice("2000-01-01", "2013-12-31"))
    t = (0.5 * (ds["tasmax"] + ds["tasmin"])).resample(time="MS").mean()
    p = ds["pr"].resample(time="MS").sum()
    t_sd = t.groupby("time.month").std("time").mean("station").values
    g = p.groupby("time.month")
    p_cv = (g.std("time") / g.mean("time")).mean("station").values
    ds.close()
    return {"t_sd": np.asarray(t_sd, float), "p_cv": np.minimum(np.asarray(p_cv, float),
                                                                MAX_PRECIP_CV)}


def year_anomalies(rng: np.random.Generator, shape: tuple[int, int], res_deg: float,
                   spread: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One year's monthly anomalies: ``dt`` (K) and ``pf`` (precipitation factor, mean 1).

    Spatially smooth standard normal fields (Gaussian filter, :data:`ANOMALY_CORR_KM`),
    independent from month to month and between temperature and precipitation (no
    warm-dry coupling: the spread of irrigation need is, if anything, underestimated);
    ``pf`` lognormal with the month's coefficient of variation.
    """
    sigma = max(ANOMALY_CORR_KM / 111.0 / res_deg / 2.0, 0.5)

    def field() -> np.ndarray:
        out = np.empty((12, *shape))
        for m in range(12):
            e = gaussian_filter(rng.standard_normal(shape), sigma, mode="reflect")
            e = (e - e.mean()) / (e.std() if e.std() > 0 else 1.0)
            # keep the field's level random too (a whole-country warm year)
            out[m] = np.clip(0.5 * e + np.sqrt(0.75) * rng.standard_normal(), -3.0, 3.0)
        return out

    dt = spread["t_sd"][:, None, None] * field()
    s2 = np.log(1.0 + spread["p_cv"] ** 2)[:, None, None]
    pf = np.exp(np.sqrt(s2) * field() - 0.5 * s2)
    return {"dt": dt, "pf": pf}


def write_years(outdir: Path, first: int = FIRST_YEAR, n_years: int = N_YEARS,
                res: float = MULTI_RESOLUTION, seed: int = SEED) -> list[Path]:
    """Generate and write the multi-year sample: ``n_years`` from ``first``, one file per
    variable and statistic covering all years; cells outside Kazakhstan's regions empty."""
    n, w, s, e = BBOX
    lat = np.round(np.arange(n, s - 1e-9, -res), 6)
    lon = np.round(np.arange(w, e + 1e-9, res), 6)
    spread = interannual_variability()
    inside = _region_mask(lat, lon)
    years = []
    for year in range(first, first + n_years):
        rng = np.random.default_rng([seed, year])
        anomaly = year_anomalies(rng, (lat.size, lon.size), res, spread)
        one = generate(lat, lon, year, seed + year, anomaly)
        years.append(one)
    ds = xr.concat(years, dim="time", data_vars="minimal", coords="minimal",
                   compat="override")
    # small enough to ship: wind at the FAO-56 default every day (u10 that gives u2 = 2 m/s,
    # p. 63) and pressure of the elevation (Eq. 7) without synoptic noise; both then
    # compress to almost nothing. No daily-mean temperature file (irrigate uses Tmax/Tmin).
    from irrigate.science.et0 import atmospheric_pressure

    ds["u10"] = xr.full_like(ds["u10"], U10_DEFAULT)
    ds["v10"] = xr.zeros_like(ds["v10"])
    ds["pressure"] = xr.full_like(ds["pressure"], 1.0) * atmospheric_pressure(ds["elevation"])
    label = f"{first}-{first + n_years - 1}"
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in (n for n in FILES if n != "tmean"):
        out = cds_dataset(ds.where(inside), name, label, res, years=True)
        short = FILES[name][1]
        enc = {short: _packing(out[short].values, MULTI_QUANTUM[short]),
               "valid_time": {"units": f"days since {first}-01-01", "dtype": "int32"}}
        path = outdir / file_name(name, label)
        tmp = path.with_suffix(".nc.part")
        out.to_netcdf(tmp, encoding=enc)
        tmp.replace(path)
        paths.append(path)
    paths.append(write_geopotential(ds, outdir, label, res, first=first))
    return paths


def _region_mask(lat: np.ndarray, lon: np.ndarray) -> xr.DataArray:
    """True for cells that overlap a region of Kazakhstan (2024 layout)."""
    from irrigate.regions import load_regions, region_weights

    w = region_weights(load_regions("2024"), lat, lon)
    return (w.sum("region") > 0).rename({"lat": "lat", "lon": "lon"})


# ------------------------------------------------------------------------------ CDS-like files

#: output file -> (CDS variable, short name, statistic, long name, units, converter)
FILES = {
    "tmax": ("2m_temperature", "t2m", "max", "2 metre temperature", "K"),
    "tmin": ("2m_temperature", "t2m", "min", "2 metre temperature", "K"),
    "tmean": ("2m_temperature", "t2m", "mean", "2 metre temperature", "K"),
    "tdew": ("2m_dewpoint_temperature", "d2m", "mean", "2 metre dewpoint temperature", "K"),
    "u10": ("10m_u_component_of_wind", "u10", "mean", "10 metre U wind component", "m s**-1"),
    "v10": ("10m_v_component_of_wind", "v10", "mean", "10 metre V wind component", "m s**-1"),
    "pressure": ("surface_pressure", "sp", "mean", "Surface pressure", "Pa"),
    "rs": ("surface_solar_radiation_downwards", "ssrd", "mean",
           "Surface short-wave (solar) radiation downwards", "J m**-2"),
    "precip": ("total_precipitation", "tp", "mean", "Total precipitation", "m"),
}
_STANDARD = {"t2m": "air_temperature", "d2m": "dew_point_temperature",
             "u10": "eastward_wind", "v10": "northward_wind", "sp": "surface_air_pressure",
             "ssrd": "surface_downwelling_shortwave_flux_in_air_assuming_clear_sky",
             "tp": "precipitation_amount"}
_STANDARD["ssrd"] = "surface_downwelling_shortwave_flux_in_air"


def to_cds_units(name: str, values: xr.DataArray) -> xr.DataArray:
    """Canonical units -> the CDS file units (K, Pa, J m-2 and m per hourly accumulation)."""
    if name in ("tmax", "tmin", "tmean", "tdew"):
        return values + 273.15
    if name == "pressure":
        return values * 1000.0
    if name == "rs":
        return values * 1e6 / 24.0          # mean of 24 hourly accumulations
    if name == "precip":
        return values / 1000.0 / 24.0
    return values


def _packing(values: np.ndarray, quantum: float) -> dict:
    """int16 packing like ERA5 (scale_factor/add_offset), scale at least ``quantum``."""
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    scale = max((hi - lo) / 65000.0, quantum)
    offset = round(0.5 * (hi + lo) / scale) * scale   # a multiple of scale: 0 stays exact
    return {"dtype": "int16", "scale_factor": scale, "add_offset": offset,
            "_FillValue": np.int16(-32767), "zlib": True, "complevel": 9, "shuffle": True}


#: packing resolution per CDS short name (smallest step stored)
QUANTUM = {"t2m": 0.05, "d2m": 0.05, "u10": 0.05, "v10": 0.05, "sp": 10.0, "ssrd": 500.0,
           "tp": 1e-5 / 24.0}


def file_name(name: str, year: int | str) -> str:
    """CDS-style file name; the statistic is only in the name, as in CDS downloads."""
    variable, _, stat, _, _ = FILES[name]
    return f"{variable}_{STREAM}-{year}_daily-{stat}.nc"


def cds_dataset(ds: xr.Dataset, name: str, year: int | str, res: float,
                years: bool = False) -> xr.Dataset:
    """One CDS-like daily-statistics Dataset for canonical variable ``name``.

    ``years``: the multi-year sample (``year`` is then a label such as ``1991-2020``).
    """
    variable, short, stat, long_name, units = FILES[name]
    da = to_cds_units(name, ds[name]).rename({"time": "valid_time", "lat": "latitude",
                                              "lon": "longitude"})
    da = da.astype("float32")
    da.attrs = {"long_name": long_name, "units": units, "standard_name": _STANDARD[short],
                "GRIB_shortName": short, "comment": f"SYNTHETIC daily {stat} (see title)"}
    out = da.to_dataset(name=short)
    out = out.assign_coords(number=np.int64(0))
    out["valid_time"].attrs = {"long_name": "time", "standard_name": "time"}
    out["latitude"].attrs = {"units": "degrees_north", "standard_name": "latitude",
                             "long_name": "latitude", "stored_direction": "decreasing"}
    out["longitude"].attrs = {"units": "degrees_east", "standard_name": "longitude",
                              "long_name": "longitude"}
    accumulated = short in ("tp", "ssrd")
    # ERA5-Land daily statistics have no accumulated variables; those two files follow the
    # ERA5 (single levels) daily-statistics convention and must not claim to be ERA5-Land
    product = ("ERA5 daily statistics (single levels)" if accumulated
               else "ERA5-Land daily statistics")
    layout = ("a mean of the 24 hourly accumulations (daily total / 24), as in ERA5 daily "
              "statistics" if accumulated else f"a daily {stat} like ERA5-Land daily statistics")
    kind = ("Synthetic multi-year weather (one random year after another, each with "
            "monthly anomalies of temperature and precipitation of the spread of the CFSR "
            "Syr Darya points 2000-2013)" if years else "Synthetic typical-year weather")
    out.attrs = {
        "title": f"SYNTHETIC weather laid out like CDS {product} for Kazakhstan, {year} "
                 f"({variable}, daily {stat}) - not real weather",
        "comment": f"{kind} for testing and demonstration only. Random "
                   "daily sequence (fixed seed) conditioned on monthly WMO CLIMAT station "
                   "means of 20 Kazakh cities and 3 Xinjiang stations. Each value is "
                   f"{layout}. See sample_data/README.md.",
        "source": "irrigate sample_data/make_sample.py (synthetic weather generator, "
                  f"seed {SEED}, {res:g} deg); anchors: kz_city_climate_normals.csv "
                  "(DWD CDC raw CLIMAT reports 2003-2021 via tacitvenom/climate-analysis; "
                  "see PROVENANCE)",
        "institution": "irrigate developers (synthetic; not ECMWF/Copernicus data)",
        "Conventions": "CF-1.7",
        "synthetic": "yes",
        "GRIB_centre": "none (synthetic)",
        "history": (f"generated by sample_data/make_sample.py --years {year} "
                    f"--resolution {res:g} --seed {SEED}") if years else
                   (f"generated by sample_data/make_sample.py --year {year} "
                    f"--resolution {res:g} --seed {SEED}"),
    }
    return out


def write(outdir: Path, year: int = YEAR, res: float = RESOLUTION, seed: int = SEED) -> list[Path]:
    """Generate and write the nine CDS-like files into ``outdir``."""
    n, w, s, e = BBOX
    lat = np.round(np.arange(n, s - 1e-9, -res), 6)
    lon = np.round(np.arange(w, e + 1e-9, res), 6)
    ds = generate(lat, lon, year, seed)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in FILES:
        out = cds_dataset(ds, name, year, res)
        short = FILES[name][1]
        enc = {short: _packing(out[short].values, QUANTUM[short]),
               "valid_time": {"units": f"days since {year}-01-01", "dtype": "int32"}}
        path = outdir / file_name(name, year)
        tmp = path.with_suffix(".nc.part")
        out.to_netcdf(tmp, encoding=enc)
        tmp.replace(path)
        paths.append(path)
    paths.append(write_geopotential(ds, outdir, year, res))
    return paths


def write_geopotential(ds: xr.Dataset, outdir: Path, year: int | str, res: float,
                       first: int | None = None) -> Path:
    """Surface geopotential ``z`` (m2 s-2) of the smooth elevation, like the ERA5-Land
    invariant field, so Penman-Monteith has an elevation (FAO-56 Eqs. 7, 37)."""
    gravity = 9.80665  # m s-2, WMO standard gravity
    z = (ds["elevation"] * gravity).astype("float32")
    start = first if first is not None else year
    z = z.rename({"lat": "latitude", "lon": "longitude"}).expand_dims(
        valid_time=[np.datetime64(f"{start}-01-01")])
    z.attrs = {"long_name": "Geopotential", "units": "m**2 s**-2",
               "standard_name": "geopotential", "GRIB_shortName": "z",
               "comment": "SYNTHETIC: g x inverse-distance interpolation of the station "
                          "elevations (smooth; no DEM, no mountains)"}
    out = z.to_dataset(name="z")
    out["latitude"].attrs = {"units": "degrees_north", "standard_name": "latitude"}
    out["longitude"].attrs = {"units": "degrees_east", "standard_name": "longitude"}
    out.attrs = {"title": "SYNTHETIC surface geopotential for the synthetic Kazakhstan grid "
                          "- not a DEM",
                 "source": f"irrigate sample_data/make_sample.py ({res:g} deg)",
                 "Conventions": "CF-1.7", "synthetic": "yes"}
    path = outdir / f"geopotential_{STREAM}-{year}.nc"
    tmp = path.with_suffix(".nc.part")
    out.to_netcdf(tmp, encoding={"z": {"zlib": True, "complevel": 9},
                                 "valid_time": {"units": f"days since {start}-01-01"}})
    tmp.replace(path)
    return path


# ------------------------------------------------------------------------------ plausibility


def city_et0_from_normals(year: int = YEAR) -> pd.Series:
    """Annual FAO-56 PM ET0 (mm) of each Kazakh city from its monthly normals.

    Monthly means on the 15th of each month x days in month: Tmax/Tmin measured where
    reported, else Tmean +- DTR/2 with DTR interpolated from the stations that report it;
    ea from vapour pressure; Rs by Angstrom from sunshine (FAO-56 Eq. 35), or from the
    temperature range (Eq. 50, kRs 0.16) where no sunshine is reported; u2 = 2 m/s (p. 63);
    G = 0; elevation of the station.
    """
    from irrigate.science.et0 import et0_fao56
    from irrigate.science.radiation import (
        daylight_hours,
        extraterrestrial_radiation,
        rs_from_sunshine,
        rs_from_temperature,
    )

    tab = station_table()
    meta = tab["meta"]
    ndays = _month_days(year)
    doy = np.array([pd.Timestamp(f"{year}-{m:02d}-15").day_of_year for m in range(1, 13)])
    out = {}
    for city in meta.index[:20]:
        la, lo, z = (float(meta.loc[city, k]) for k in ("lat", "lon", "elev_m"))
        tmean = tab["tmean_c"].loc[city].to_numpy()
        if city in tab["dtr"].index:
            dtr = tab["dtr"].loc[city].to_numpy()
        else:
            dtr = interpolate(tab["dtr"], meta, np.array([la]), np.array([lo]))[:, 0, 0]
        tmax, tmin = tmean + dtr / 2, tmean - dtr / 2
        ea = tab["vapour_pressure_hpa"].loc[city].to_numpy() / 10.0
        ra = extraterrestrial_radiation(la, doy)
        if city in tab["sunshine_h"].index:
            n = tab["sunshine_h"].loc[city].to_numpy() / ndays
            rs = rs_from_sunshine(n, daylight_hours(la, doy), ra)
        else:
            rs = rs_from_temperature(tmax, tmin, ra, 0.16)
        et0 = et0_fao56(tmax, tmin, ea, rs, 2.0, la, doy, z)
        out[city] = float((et0 * ndays).sum())
    return pd.Series(out)


def plausibility_table(folder: Path, layout: str = "2024") -> str:
    """Markdown table: region-mean annual P and ET0 of the sample vs the city normals."""
    from irrigate.climate import open_climate
    from irrigate.regions import aggregate, load_regions, region_weights, station_weights
    from irrigate.science.et0 import reference_et

    ds = open_climate(sorted(folder.glob("*.nc")))
    regions = load_regions(layout)
    w = region_weights(regions, ds["lat"], ds["lon"])
    p_reg = aggregate(ds["precip"].sum("time"), w)
    e_reg = aggregate(reference_et(ds).sum("time"), w)
    tab = station_table()
    meta = tab["meta"].iloc[:20]
    sw = station_weights(regions, meta["lat"].to_numpy(), meta["lon"].to_numpy(), 50.0)
    et0_city = city_et0_from_normals()
    lines = ["| region | name | P sample (region mean) | ET0 sample (region mean) | "
             "cities in region | P normal (city) | P sample (city cell) | "
             "ET0 from normals (city) | ET0 sample (city cell) |",
             "|---|---|---:|---:|---|---:|---:|---:|---:|"]
    et0_grid = reference_et(ds).sum("time")
    p_grid = ds["precip"].sum("time")
    for i, r in enumerate(regions):
        cities = [meta.index[k] for k in np.flatnonzero(sw.values[i] > 0)]
        cells = [(p_grid.sel(lat=meta.loc[c, "lat"], lon=meta.loc[c, "lon"], method="nearest"),
                  et0_grid.sel(lat=meta.loc[c, "lat"], lon=meta.loc[c, "lon"],
                               method="nearest")) for c in cities]
        lines.append(
            f"| {r.code} | {r.name_en} | {float(p_reg[i]):.0f} | {float(e_reg[i]):.0f} | "
            + (", ".join(c.split(" (")[0] for c in cities) or "-") + " | "
            + (", ".join(f"{tab['precip_mm'].loc[c].sum():.0f}" for c in cities) or "-")
            + " | " + (", ".join(f"{float(pc):.0f}" for pc, _ in cells) or "-")
            + " | " + (", ".join(f"{et0_city[c]:.0f}" for c in cities) or "-")
            + " | " + (", ".join(f"{float(ec):.0f}" for _, ec in cells) or "-") + " |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=YEAR)
    parser.add_argument("--resolution", type=float, default=None,
                        help="grid spacing in degrees (default 0.5; 1.0 with --years)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--years", type=int, default=None, metavar="N",
                        help=f"write the multi-year sample: N years from --first-year "
                             f"(default {FIRST_YEAR}) at --resolution "
                             f"{MULTI_RESOLUTION:g} unless given, into "
                             "kz_synthetic_daily_30y/")
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="output folder (default sample_data/kz_synthetic_daily_<year>)")
    parser.add_argument("--check", action="store_true",
                        help="print the plausibility table of an existing output and exit")
    args = parser.parse_args(argv)
    if args.years is not None:
        out = args.output or HERE / "kz_synthetic_daily_30y"
        res = args.resolution or MULTI_RESOLUTION
        for p in write_years(out, args.first_year, args.years, res, args.seed):
            print(f"{p}  {p.stat().st_size / 1e6:.2f} MB")
        return 0
    args.resolution = args.resolution or RESOLUTION
    out = args.output or HERE / f"kz_synthetic_daily_{args.year}"
    if args.check:
        print(plausibility_table(out))
        return 0
    for p in write(out, args.year, args.resolution, args.seed):
        print(f"{p}  {p.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
