"""``--irrigated-fraction FILE.nc[:VARIABLE]`` of ``irrigate budget``/``report`` and its reader.

The file is read by :func:`irrigate.climate.irrigated_fraction.read_irrigated_fraction`; the
CLI must give the numbers of ``irrigate.budget(..., irrigated_fraction=...)`` and refuse bad
files with one
``error:`` line and exit 2.
"""

from __future__ import annotations

import json
import re
import sys

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner
from test_budget import TURKESTAN, synthetic_grid, write_grid

from irrigate.cli.main import main, run
from irrigate.climate.irrigated_fraction import read_irrigated_fraction
from irrigate.engine.budget import budget
from irrigate.errors import InputError
from irrigate.output.budget_table import to_records

#: one small region, one crop, one method: a fast run on the 2 x 2 Turkestan grid (KZ-61)
KW = {"regions": "KZ-61", "crops": "cotton", "methods": "furrow", "leaching": False}
ARGS = ["--region", "KZ-61", "--crop", "cotton", "--method", "furrow", "--no-leaching",
        "--format", "json", "-q"]
#: south-west cell (lat 41.0, lon 68.0) not irrigated, the others wholly
FRACTION = np.array([[0.0, 1.0], [1.0, 1.0]])


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    return write_grid(tmp_path_factory.mktemp("frac") / "turkestan.nc", *TURKESTAN)


def _era5_style(values, units="1", name="frac", **more):
    """A fraction file as ERA5/CDS write grids: latitude/longitude, latitude descending."""
    lat, lon = TURKESTAN
    data = {name: (("latitude", "longitude"), np.asarray(values)[::-1], {"units": units})}
    for extra, vals in more.items():
        data[extra] = (("latitude", "longitude"), np.asarray(vals)[::-1], {"units": "1"})
    return xr.Dataset(data, coords={"latitude": lat[::-1], "longitude": lon})


def _fraction_da(values):
    lat, lon = TURKESTAN
    return xr.DataArray(np.asarray(values, float), dims=("lat", "lon"),
                        coords={"lat": lat, "lon": lon})


def _cli_json(*args) -> list[dict]:
    result = CliRunner().invoke(main, ["budget", *map(str, args)], standalone_mode=False)
    if result.exception is not None:
        raise result.exception
    return json.loads(result.output)


def _run(monkeypatch, capsys, *args) -> tuple[int, str]:
    """Run the console entry point in-process; return (exit status, stderr)."""
    monkeypatch.setattr(sys, "argv", ["irrigate", *map(str, args)])
    try:
        run()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def test_fraction_of_ones_gives_the_numbers_without_it(grid, tmp_path):
    ones = tmp_path / "ones.nc"
    _era5_style(np.ones((2, 2))).to_netcdf(ones)
    plain = _cli_json("--input", grid, *ARGS)
    weighted = _cli_json("--input", grid, *ARGS, "--irrigated-fraction", ones)
    assert weighted == plain
    assert plain[0]["irr_gross_mm"] > 0


def test_zero_cells_change_the_regional_means_as_the_api_does(grid, tmp_path):
    # percent units, latitude/longitude names and descending latitudes are normalised
    path = tmp_path / "gmia.nc"
    _era5_style(100.0 * FRACTION, units="%").to_netcdf(path)
    cli = _cli_json("--input", grid, *ARGS, "--irrigated-fraction", path)
    api = to_records(budget(grid, irrigated_fraction=_fraction_da(FRACTION), **KW))
    assert cli == api
    plain = to_records(budget(grid, **KW))
    # the test can tell: leaving out the south-west cell moves the regional depths (the
    # furrow practice applies fixed depths, so its irr_gross_mm does not move)
    assert abs(cli[0]["eta_mm"] - plain[0]["eta_mm"]) > 0.05
    assert abs(cli[0]["et0_mm"] - plain[0]["et0_mm"]) > 0.05


def test_a_larger_map_holding_the_climate_cells_is_cut_to_them(grid, tmp_path):
    """A national fraction map used with a regional climate file: the climate's cells are
    picked out (same centres, no interpolation) and give the numbers of the exact grid."""
    lat, lon = TURKESTAN
    big_lat, big_lon = np.array([lat[0] - 0.5, *lat, lat[-1] + 0.5]), np.array([*lon, 69.5])
    values = np.full((big_lat.size, big_lon.size), 0.3)
    values[1:3, 0:2] = FRACTION
    path = tmp_path / "national.nc"
    xr.Dataset({"f": (("lat", "lon"), values, {"units": "1"})},
               coords={"lat": big_lat, "lon": big_lon}).to_netcdf(path)
    exact = tmp_path / "exact.nc"
    _era5_style(FRACTION).to_netcdf(exact)
    assert _cli_json("--input", grid, *ARGS, "--irrigated-fraction", path) == _cli_json(
        "--input", grid, *ARGS, "--irrigated-fraction", exact)


def test_reader_picks_the_named_variable_and_drops_a_single_time(tmp_path):
    lat, lon = TURKESTAN
    path = tmp_path / "two.nc"
    _era5_style(FRACTION, name="irr", other=np.full((2, 2), 0.5)).to_netcdf(path)
    with pytest.raises(InputError, match="variables irr, other; .*FILE.nc:VARIABLE"):
        read_irrigated_fraction(path)
    da = read_irrigated_fraction(f"{path}:irr")
    assert da.dims == ("lat", "lon") and list(da["lat"].values) == lat
    np.testing.assert_array_equal(da.values, FRACTION)
    assert da.attrs["irrigate_source"] == f"{path}:irr"
    one_time = tmp_path / "time.nc"
    xr.Dataset({"f": (("time", "lat", "lon"), 100.0 * FRACTION[None], {"units": "percent"})},
               coords={"time": [np.datetime64("2015-01-01")], "lat": lat, "lon": lon}
               ).to_netcdf(one_time)
    np.testing.assert_allclose(read_irrigated_fraction(one_time).values, FRACTION)


def _bad_files(tmp_path):
    """Write every refused fraction file; return {case: (option value, message part)}."""
    lat, lon = TURKESTAN
    (tmp_path / "text.nc").write_text("not a netcdf file\n")
    _era5_style(FRACTION, name="a", b=FRACTION).to_netcdf(tmp_path / "several.nc")
    _era5_style(100.0 * FRACTION).to_netcdf(tmp_path / "percent_no_units.nc")
    _era5_style(FRACTION, units="ha").to_netcdf(tmp_path / "hectares.nc")
    xr.Dataset({"f": (("lat", "lon"), FRACTION)},
               coords={"lat": lat, "lon": [68.25, 68.75]}).to_netcdf(tmp_path / "shifted.nc")
    xr.Dataset({"f": (("lat", "lon"), np.ones((1, 2)))},
               coords={"lat": [lat[0]], "lon": lon}).to_netcdf(tmp_path / "smaller.nc")
    return {
        "missing": ([tmp_path / "nope.nc"], "nope.nc: irrigated-fraction file not found"),
        "not netcdf": ([tmp_path / "text.nc"], "text.nc: not a NetCDF file"),
        "several": ([tmp_path / "several.nc"], "variables a, b; .*FILE.nc:VARIABLE"),
        "unknown variable": ([f"{tmp_path / 'several.nc'}:c"], "no variable 'c'; .* a, b"),
        "outside 0-1": ([tmp_path / "percent_no_units.nc"], r"values 0..100 are outside 0-1 "
                                                            r"\(percent\? set units '%'\)"),
        "units": ([tmp_path / "hectares.nc"], "units 'ha' are neither a fraction"),
        "grid moved": ([tmp_path / "shifted.nc"],
                       r"cell centres .* differ from the climate grid .*same cells "
                       r"\(no interpolation"),
        "grid size": ([tmp_path / "smaller.nc"],
                      r"lat 41..41 \(1\), .* is not the climate grid .*same cells"),
    }


CASES = ["missing", "not netcdf", "several", "unknown variable", "outside 0-1", "units",
         "grid moved", "grid size"]


@pytest.mark.parametrize("case", CASES)
def test_bad_fraction_files_exit_2_with_one_line(monkeypatch, capsys, tmp_path, grid, case):
    (value,), message = _bad_files(tmp_path)[case]
    code, err = _run(monkeypatch, capsys, "budget", "--input", grid, *ARGS,
                     "--irrigated-fraction", value)
    assert code == 2, err
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and "Traceback" not in err
    assert re.search(message, err), err


def test_report_takes_the_option_and_refuses_station_input(monkeypatch, capsys, tmp_path):
    grid = synthetic_grid(*TURKESTAN)
    stations = grid.isel(lat=0).rename({"lon": "station"}).assign_coords(
        lat=("station", [41.0, 41.0]), lon=("station", [68.0, 68.5]), station=["a", "b"])
    stations["orog"] = ("station", [300.0, 300.0], {"units": "m"})
    stations.to_netcdf(tmp_path / "stations.nc")
    frac = tmp_path / "ones.nc"
    _era5_style(np.ones((2, 2))).to_netcdf(frac)
    for command in ("budget", "report"):
        code, err = _run(monkeypatch, capsys, command, "--input", tmp_path / "stations.nc",
                         "--region", "KZ-61", "--crop", "cotton", "--method", "furrow", "-q",
                         "--irrigated-fraction", frac)
        assert code == 2, err
        assert len(err.splitlines()) == 1, err
        assert err.startswith(f"error: {frac}:frac: an irrigated fraction is only for "
                              "gridded climate input"), err
