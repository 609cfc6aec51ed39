"""Tests of the CDS request builder and ``irrigate fetch-era5`` (never touching the network)."""

from __future__ import annotations

import builtins
import json
import sys

import pytest

from irrigate.cli import main as cli_main
from irrigate.cli.fetch import retrieve
from irrigate.climate.era5_request import (
    DAILY_DATASET,
    DEFAULT_BBOX,
    HOURLY_DATASET,
    build_requests,
    check_credentials,
    parse_bbox,
)
from irrigate.errors import InputError


def run_cli(monkeypatch, capsys, *args):
    monkeypatch.setattr(sys, "argv", ["irrigate", *args])
    code = 0
    try:
        cli_main.run()
    except SystemExit as exc:
        code = exc.code or 0
    out = capsys.readouterr()
    return code, out.out, out.err


def test_daily_statistics_requests():
    reqs = build_requests(2021)
    daily = [r for r in reqs if r.dataset == DAILY_DATASET]
    stats = {(r.request["variable"][0], r.request["daily_statistic"]) for r in daily}
    assert stats == {
        ("2m_temperature", "daily_maximum"), ("2m_temperature", "daily_minimum"),
        ("2m_temperature", "daily_mean"), ("2m_dewpoint_temperature", "daily_mean"),
        ("10m_u_component_of_wind", "daily_mean"), ("10m_v_component_of_wind", "daily_mean"),
        ("surface_pressure", "daily_mean"),
    }
    r = daily[0].request
    assert r["year"] == "2021"
    assert r["month"] == [f"{m:02d}" for m in range(1, 13)]
    assert r["day"] == [f"{d:02d}" for d in range(1, 32)]
    assert r["time_zone"] == "utc+00:00"
    assert r["frequency"] == "1_hourly"
    assert r["area"] == [55.5, 46.5, 40.5, 87.5]
    # the statistic is named in the file name, as in CDS downloads
    assert daily[0].target == "2m_temperature_2021_daily-max.nc"
    assert len({q.target for q in reqs}) == len(reqs)


def test_daily_mode_takes_accumulations_from_hourly_era5_land():
    """ERA5-Land daily statistics offer no tp/ssrd: they come hourly (value at D+1 00 UTC)."""
    hourly = [r for r in build_requests(2021) if r.dataset == HOURLY_DATASET]
    assert len(hourly) == 13
    for r in hourly:
        assert sorted(r.request["variable"]) == ["surface_solar_radiation_downwards",
                                                 "total_precipitation"]
        assert r.request["time"] == [f"{h:02d}:00" for h in range(24)]
        assert "era5-land" in r.target
    assert (hourly[-1].request["year"], hourly[-1].request["day"]) == ("2022", ["01"])


def test_hourly_requests_cover_the_year_and_the_closing_day():
    reqs = build_requests(2020, mode="hourly")
    assert {r.dataset for r in reqs} == {HOURLY_DATASET}
    assert len(reqs) == 13
    assert [r.request["month"] for r in reqs[:12]] == [[f"{m:02d}"] for m in range(1, 13)]
    assert reqs[0].request["time"] == [f"{h:02d}:00" for h in range(24)]
    assert reqs[0].request["data_format"] == "netcdf"
    assert len(reqs[0].request["variable"]) == 7
    last = reqs[-1].request
    assert (last["year"], last["month"], last["day"]) == ("2021", ["01"], ["01"])
    assert reqs[-1].target == "era5-land_hourly_2021-01-01.nc"


def test_bbox_parsing():
    assert parse_bbox(None) == DEFAULT_BBOX
    assert parse_bbox("50,60,45,70") == (50.0, 60.0, 45.0, 70.0)
    for bad in ("1,2,3", "a,b,c,d", "40,60,45,70", "50,70,45,60"):
        with pytest.raises(InputError, match="--bbox"):
            parse_bbox(bad)


def test_year_out_of_range():
    with pytest.raises(InputError, match="1950"):
        build_requests(1900)


def test_dry_run_prints_request_json(monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "fetch-era5", "--year", "2021",
                           "--bbox", "50,60,45,70", "--dry-run")
    assert code == 0
    data = json.loads(out)
    assert len(data) == 20
    assert data[0]["dataset"] == DAILY_DATASET
    assert data[0]["request"]["area"] == [50.0, 60.0, 45.0, 70.0]


def test_missing_cdsapi_is_one_line_exit_2(monkeypatch, capsys, tmp_path):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "cdsapi":
            raise ImportError("No module named 'cdsapi'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    monkeypatch.delitem(sys.modules, "cdsapi", raising=False)
    code, _, err = run_cli(monkeypatch, capsys, "fetch-era5", "--year", "2021",
                           "-o", str(tmp_path / "dl"))
    assert code == 2
    assert err.startswith("error: cdsapi is not installed")
    assert 'irrigate[era5]' in err
    assert err.count("\n") == 1
    assert not (tmp_path / "dl").exists()


def test_missing_credentials_is_one_line_exit_2(monkeypatch, capsys, tmp_path):
    fake = type(sys)("cdsapi")
    fake.Client = lambda: pytest.fail("client must not be created without credentials")
    monkeypatch.setitem(sys.modules, "cdsapi", fake)
    monkeypatch.delenv("CDSAPI_URL", raising=False)
    monkeypatch.delenv("CDSAPI_KEY", raising=False)
    monkeypatch.setenv("CDSAPI_RC", str(tmp_path / "no.cdsapirc"))
    code, _, err = run_cli(monkeypatch, capsys, "fetch-era5", "--year", "2021",
                           "-o", str(tmp_path / "dl"))
    assert code == 2
    assert err.startswith("error: CDS credentials missing")
    assert err.count("\n") == 1


def test_credentials_lookup_order(tmp_path):
    assert check_credentials({"CDSAPI_URL": "u", "CDSAPI_KEY": "k"}) == "CDSAPI_URL/CDSAPI_KEY"
    rc = tmp_path / ".cdsapirc"
    rc.write_text("url: x\nkey: y\n")
    assert check_credentials({}, home=tmp_path) == str(rc)
    with pytest.raises(InputError, match="credentials missing"):
        check_credentials({}, home=tmp_path / "empty")


class FakeClient:
    """Records requests and writes a small file instead of downloading."""

    def __init__(self):
        self.calls = []

    def retrieve(self, dataset, request):
        self.calls.append((dataset, request))
        client = self

        class Result:
            def download(self, target):
                with open(target, "w") as fh:
                    fh.write(f"{dataset} {len(client.calls)}")

        return Result()


def test_retrieve_writes_each_target_and_refuses_to_overwrite(tmp_path):
    reqs = build_requests(2021)[:2]
    client = FakeClient()
    paths = retrieve(reqs, tmp_path, client=client)
    assert [p.name for p in paths] == [r.target for r in reqs]
    assert all(p.read_text().startswith(DAILY_DATASET) for p in paths)
    assert [c[1] for c in client.calls] == [r.request for r in reqs]
    with pytest.raises(InputError, match="--overwrite"):
        retrieve(reqs, tmp_path, client=FakeClient())
    assert len(retrieve(reqs, tmp_path, overwrite=True, client=FakeClient())) == 2
    assert not list(tmp_path.glob("*.part"))


def test_fetched_file_names_open_together_through_open_climate(tmp_path):
    """Fake files named as fetch-era5 names them (daily statistics + hourly ERA5-Land
    accumulations) open as one daily dataset: the statistic comes from the name and the
    accumulations follow the ERA5-Land convention (value at D+1 00 UTC = total of day D)."""
    climate = pytest.importorskip("irrigate.climate")
    import numpy as np
    import pandas as pd
    import xarray as xr

    lat, lon = np.array([45.0, 44.9]), np.array([65.0, 65.1])
    days = pd.date_range("2021-01-01", periods=3, freq="D")
    values = {("t2m", "daily_maximum"): 300.0, ("t2m", "daily_minimum"): 285.0,
              ("t2m", "daily_mean"): 292.0, ("d2m", "daily_mean"): 280.0,
              ("u10", "daily_mean"): 2.0, ("v10", "daily_mean"): 1.0,
              ("sp", "daily_mean"): 100000.0}
    units = {"t2m": "K", "d2m": "K", "u10": "m s**-1", "v10": "m s**-1", "sp": "Pa"}
    from irrigate.climate.era5_request import ERA5_VARIABLES

    reqs = build_requests(2021)
    for r in (q for q in reqs if q.dataset == DAILY_DATASET):
        short = ERA5_VARIABLES[r.request["variable"][0]][0]
        val = values[(short, r.request["daily_statistic"])]
        da = xr.DataArray(np.full((3, 2, 2), val, "float32"),
                          dims=("valid_time", "latitude", "longitude"),
                          coords={"valid_time": days, "latitude": lat, "longitude": lon},
                          attrs={"units": units[short]})
        da.to_dataset(name=short).to_netcdf(tmp_path / r.target)
    hours = pd.date_range("2021-01-01", periods=96, freq="h")
    frac = np.where(hours.hour == 0, 24, hours.hour) / 24.0   # accumulated since 00 UTC
    acc = xr.Dataset(
        {"tp": (("valid_time", "latitude", "longitude"),
                np.broadcast_to((frac * 0.002)[:, None, None], (96, 2, 2)), {"units": "m"}),
         "ssrd": (("valid_time", "latitude", "longitude"),
                  # 6 MJ m-2 in a January day at 45 N (clear sky: about 8, FAO-56 Eq. 37)
                  np.broadcast_to((frac * 6e6)[:, None, None], (96, 2, 2)),
                  {"units": "J m**-2"})},
        coords={"valid_time": hours, "latitude": lat, "longitude": lon})
    hourly = [q.target for q in reqs if q.dataset == HOURLY_DATASET]
    acc.isel(valid_time=slice(0, 72)).to_netcdf(tmp_path / hourly[0])
    acc.isel(valid_time=slice(72, 96)).to_netcdf(tmp_path / hourly[1])
    ds = climate.open_climate(sorted(tmp_path.glob("*.nc")))
    assert ds.sizes["time"] == 3
    np.testing.assert_allclose(ds["precip"].values, 2.0, rtol=1e-5)
    np.testing.assert_allclose(ds["rs"].values, 6.0, rtol=1e-5)
    np.testing.assert_allclose(ds["tmax"].values, 300.0 - 273.15, atol=1e-3)
    np.testing.assert_allclose(ds["tmin"].values, 285.0 - 273.15, atol=1e-3)
