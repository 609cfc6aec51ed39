"""The bundled 30-season synthetic grid (sample_data/kz_synthetic_daily_30y)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import xarray as xr

from irrigate.climate import open_climate
from irrigate.engine.seasons import complete_seasons, multi_year_sample_files
from irrigate.paths import sample_data_dir


def _generator():
    spec = importlib.util.spec_from_file_location("make_sample",
                                                  sample_data_dir() / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def years():
    return open_climate(multi_year_sample_files())


def test_thirty_complete_seasons_labelled_synthetic(years):
    assert complete_seasons(years["time"].values) == list(range(1991, 2021))
    for path in multi_year_sample_files():
        with xr.open_dataset(path) as ds:
            assert ds.attrs["synthetic"] == "yes" and "SYNTHETIC" in ds.attrs["title"]
    size = sum(p.stat().st_size for p in multi_year_sample_files())
    assert size < 8e6  # small enough to ship (README: 7.2 MB)


def test_years_differ_with_the_cfsr_spread(years):
    # the year-to-year spread comes from the CFSR Syr Darya points: July mean temperature
    # sd 0.83 K, January 3.5 K; precipitation CV capped at 1
    spread = _generator().interannual_variability()
    assert spread["t_sd"][6] == pytest.approx(0.83, abs=0.02)
    assert spread["t_sd"][0] == pytest.approx(3.54, abs=0.02)
    assert spread["p_cv"].max() <= 1.0
    # at the cell nearest Kyzylorda (44.85 N, 65.5 E): the years are not all the same year
    cell = years.sel(lat=44.85, lon=65.5, method="nearest")
    tmean = 0.5 * (cell["tmax"] + cell["tmin"])
    july = tmean.where(tmean["time"].dt.month == 7, drop=True).groupby("time.year").mean()
    assert 0.3 < float(july.std()) < 2.5
    annual = cell["precip"].groupby("time.year").sum()
    # the 2-degree cell smooths Kyzylorda's 138 mm normal towards its neighbours
    assert 100 < float(annual.mean()) < 250
    assert float(annual.std() / annual.mean()) > 0.1
    assert np.isfinite(years["tmax"].values).any()


def test_winter_wheat_left_out_of_the_first_season_only(years):
    from irrigate.engine.seasons import budget_seasons
    from irrigate.errors import InputError

    two = years.sel(time=slice("1991-01-01", "1992-12-31"))
    # asked for, the 1991 season cannot have winter wheat (no autumn of 1990 in the sample)
    with pytest.raises(InputError, match="not inside the climate input"):
        budget_seasons(two, seasons=[1991, 1992], regions="KZ-19", crops="winter_wheat",
                       methods="furrow")
    # every season (the default): 1991 is skipped and said so
    ds = budget_seasons(two, regions="KZ-19", crops="winter_wheat", methods="furrow")
    assert "1991: skipped (winter_wheat" in ds.attrs["left_out"]
    assert list(ds["season"].values) == [1992] and ds.attrs["seasons"] == "1992"
    # every crop (no --crop): winter wheat is left out of 1991 only
    ds = budget_seasons(two, regions="KZ-19", methods="furrow")
    where = {"region": "KZ-19", "crop": "winter_wheat", "method": "furrow"}
    assert int(ds["n_seasons"].sel(where)) == 1
    others = ds["n_seasons"].sel({"region": "KZ-19", "method": "furrow"}).drop_sel(
        crop=["winter_wheat", "leaching"], errors="ignore")
    # crops furrow is practised for (models/applicability.toml: not alfalfa, not rice)
    ok = ds["applicable"].sel({"method": "furrow"})
    ok = ok.any([d for d in ok.dims if d != "crop"])
    others = others.sel(crop=[c for c in others["crop"].values if bool(ok.sel(crop=c))])
    assert others.sizes["crop"] > 0 and (others.values == 2).all()
    assert str(ds["reference_method"].sel(crop="winter_wheat").values) == "flood"
    # one season has a mean but cannot give the 75 % value (it needs three)
    assert np.isfinite(float(ds["irr_gross_mm_mean"].sel(where)))
    assert np.isnan(float(ds["design_irr_gross_mm"].sel(where)))
