"""Validation of the ponded rice balance against published Kyzylorda rice-system figures.

The check runs :func:`irrigate.simulate_paddy` for rice under continuous flooding with
the library's parameters (``models/crops.toml`` rice, ``models/rice.toml`` method, soil and
Kyzylorda calendar) on the bundled real weather: the CFSR Syr Darya points
(``sample_data/cfsr_syrdarya_points_2000_2014.nc``, 10 points in the Tashkent - Hungry Steppe
area, upstream of Kyzylorda), seasons 2000-2013, sown on the crop's default date.

Published figures (Abikenova et al. 2015, Biosci. Biotech. Res. Asia 12(3), abstract): rice
systems of the Syr Darya take 15,000-35,000 m3/ha, of which the plants use 40-45 %; the rest
is drainage, seepage and conveyance loss. The supply range is compared directly with the
simulated gross field supply. The 40-45 % share is of the water *withdrawn*, so it includes
conveyance losses that a field balance does not see; the simulated field-level share
ETa / supply is compared with the band that 40-45 % implies at the field for a conveyance
efficiency of 0.6-0.8 (Kazakh canals lose 19.8 % in main canals and up to 40 % with
on-farm canals, Kazakhstan water concept 2024-2030): 0.40/0.8 = 0.50 to 0.45/0.6 = 0.75.

The Kyzylorda gross irrigation norm of flooded rice, 23,000-24,000 m3/ha (Ministry of
Agriculture, 2023), taken as withdrawn water like Abikenova's range, and the 40-45 % share
together imply a crop use of 920-1,080 mm; the simulated seasonal ETa is compared with that
band, which involves no conveyance efficiency.
"""

from __future__ import annotations

from functools import lru_cache

import xarray as xr

from irrigate.validation import Case

#: Seasons simulated (the bundled file ends on 2014-07-31).
YEARS = tuple(range(2000, 2014))
#: Bundled weather file used for the check.
WEATHER = "cfsr_syrdarya_points_2000_2014.nc"
ABI15 = ("Abikenova et al. (2015) Biosci. Biotech. Res. Asia 12(3), abstract: "
         "15,000-35,000 m3/ha, crop uses 40-45 %")
NORM = ("Kyzylorda gross irrigation norm of flooded rice 23,000-24,000 m3/ha (Ministry of "
        "Agriculture via Daryo 2023-07-27), read as withdrawn at the source")


@lru_cache(maxsize=8)
def kyzylorda_check(soil: str = "clay_loam", method: str = "continuous_flooding"
                    ) -> xr.Dataset:
    """Seasonal rice water lines on the bundled weather, per year and station.

    Kc mid and Kc end are climate-adjusted (FAO-56 Eqs. 62 and 65, via
    :mod:`irrigate.science.crop`) with the mean u2 and RHmin of each season's mid-season stage.

    Returns
    -------
    xarray.Dataset
        :func:`irrigate.science.paddy.paddy_season_summary` over ``(year, station)``.

    """
    import pandas as pd

    from irrigate.climate import open_climate
    from irrigate.library import load_library
    from irrigate.paths import sample_data_dir
    from irrigate.science.crop import adjust_end, adjust_mid
    from irrigate.science.et0 import minimum_relative_humidity, reference_et
    from irrigate.science.paddy import paddy_season_summary
    from irrigate.science.paddy_balance import simulate_paddy

    ds = open_climate(sample_data_dir() / WEATHER).load()
    et0 = reference_et(ds)
    rh_min = minimum_relative_humidity(ds, ds["tmax"], ds["tmin"])  # from rh_mean (Eq. 19)
    lib = load_library()
    crop = lib.crop("rice")
    cal = lib.rice.calendars["kyzylorda"]
    out = []
    for year in YEARS:
        sow = pd.Timestamp(f"{year}-{crop.sowing}")
        mid0 = sow + pd.Timedelta(days=cal.l_ini + cal.l_dev)
        mid = slice(mid0, mid0 + pd.Timedelta(days=cal.l_mid - 1))
        u2 = float(ds["u2"].sel(time=mid).mean())
        rh = float(rh_min.sel(time=mid).mean())
        kc_mid = float(adjust_mid(crop.kc_mid, u2, rh, crop.h_max))
        kc_end = float(adjust_end(crop.kc_end, u2, rh, crop.h_max))
        days = slice(f"{year}-01-01", f"{year}-12-31")
        sim = simulate_paddy(et0.sel(time=days), ds["precip"].sel(time=days), sow,
                             crop=crop, methods=[lib.rice.methods[method]],
                             soil=lib.rice.soils[soil], calendar=cal,
                             kc_mid=kc_mid, kc_end=kc_end)
        out.append(paddy_season_summary(sim, by_year=False).squeeze("method", drop=True)
                   .expand_dims(year=[year]))
    return xr.concat(out, dim="year")


def _mean(var: str, soil: str = "clay_loam") -> float:
    s = kyzylorda_check(soil)
    if var == "crop_share":
        return float(s["eta"].mean() / s["irr_gross"].mean())
    return float(s[var].mean())


def cases() -> list[Case]:
    """Kyzylorda continuous-flooding rice on the bundled weather (see the module text)."""
    return [
        Case(
            case="Rice CF, clay loam: gross field supply within 15,000-35,000 m3/ha",
            published=25000.0, tolerance=10000.0,
            compute=lambda: _mean("supply_m3_ha"),
            unit="m3/ha",
            source=ABI15 + "; weather: bundled CFSR Syr Darya points 2000-2013 (upstream)",
        ),
        Case(
            case="Rice CF, clay loam: field ETa/supply in the band implied by 40-45 % of "
                 "withdrawal at conveyance efficiency 0.6-0.8",
            published=0.625, tolerance=0.125,
            compute=lambda: _mean("crop_share"),
            unit="1",
            source=ABI15 + "; D: 0.40/0.8 = 0.50 .. 0.45/0.6 = 0.75 with the KAZCON canal "
                   "losses (19.8 % main canals, up to 40 % in all)",
        ),
        Case(
            case="Rice CF, clay loam: seasonal ETa within the crop use implied by the "
                 "Kyzylorda gross norm and the 40-45 % share",
            published=1000.0, tolerance=80.0,
            compute=lambda: _mean("eta"),
            unit="mm",
            source=NORM + "; " + ABI15 + "; D: 2,300-2,400 mm x 0.40-0.45 = 920-1,080 mm "
                   "(independent of the conveyance efficiency)",
        ),
    ]
