"""Tests of the daily weather generator used by the Xinjiang calibration."""

from __future__ import annotations

import numpy as np
import pytest

from irrigate.calibration.weather_generator import (
    daily_weather,
    mean_preserving_daily,
    monthly_et0,
    read_station_climate,
)
from irrigate.errors import InputError
from irrigate.paths import models_dir

CSV = models_dir() / "calibration" / "xinjiang_station_normals.csv"


@pytest.fixture(scope="module")
def urumqi():
    return read_station_climate(CSV, "Urumqi")


def test_reads_station_rows(urumqi):
    assert urumqi.lat == pytest.approx(43.78)
    assert urumqi.tmax[6] == pytest.approx(30.3)  # July mean Tmax, CSV row tmax_c
    assert urumqi.ea[6] == pytest.approx(1.16)  # 11.6 hPa -> kPa
    assert urumqi.precip.sum() == pytest.approx(305.8, abs=0.2)


def test_unknown_station_is_input_error():
    with pytest.raises(InputError, match="no rows for station"):
        read_station_climate(CSV, "Nowhere")


@pytest.mark.parametrize("year", [2015, 2016])
def test_interpolation_preserves_monthly_means(year):
    monthly = np.array([-7.7, -4.5, 5.9, 18.0, 23.4, 28.2, 30.3, 29.0, 23.3, 14.6, 3.4, -4.8])
    daily = mean_preserving_daily(monthly, year)
    import pandas as pd

    months = pd.date_range(f"{year}-01-01", f"{year}-12-31").month.to_numpy()
    means = np.array([daily[months == m].mean() for m in range(1, 13)])
    assert means == pytest.approx(monthly, abs=1e-9)


def test_monthly_et0_plausible_and_summer_peak(urumqi):
    et0 = monthly_et0(urumqi)
    assert et0.argmax() in (5, 6)  # June or July
    # arid continental summer: 5-7 mm/day in July; winter below 1 mm/day
    assert 5.0 < et0[6] < 7.5
    assert et0[0] < 1.0


def test_monthly_mode_keeps_monthly_totals(urumqi):
    ds = daily_weather(urumqi, 2015, "monthly")
    rain = ds["precip"].groupby("time.month").sum().to_numpy()
    assert rain == pytest.approx(urumqi.precip, abs=1e-9)
    et0 = ds["et0"].groupby("time.month").mean().to_numpy()
    assert et0 == pytest.approx(np.maximum(monthly_et0(urumqi), 0), abs=1e-9)


def test_stochastic_mode_reproducible_and_close_to_monthly(urumqi):
    a = daily_weather(urumqi, 2015, "stochastic", seed=7)
    b = daily_weather(urumqi, 2015, "stochastic", seed=7)
    c = daily_weather(urumqi, 2015, "stochastic", seed=8)
    assert np.array_equal(a["et0"], b["et0"])
    assert not np.array_equal(a["et0"], c["et0"])
    m = daily_weather(urumqi, 2015, "monthly")
    summer = slice("2015-05-01", "2015-09-30")
    ratio = float(a["et0"].sel(time=summer).sum() / m["et0"].sel(time=summer).sum())
    assert 0.9 < ratio < 1.1


def test_stochastic_needs_seed(urumqi):
    with pytest.raises(InputError, match="seed"):
        daily_weather(urumqi, 2015, "stochastic")
