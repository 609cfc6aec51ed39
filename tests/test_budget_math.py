"""Volumes and savings of the regional budget, checked by hand on a 2 x 2 x 3 example."""

import json

import numpy as np
import pytest
import xarray as xr

from irrigate.engine.volumes import (
    add_totals,
    current_practice,
    depth_to_mcm,
    national_totals,
    reference_values,
    scenario_totals,
    volumes_and_savings,
)
from irrigate.output.budget_table import format_table, to_csv, to_json, to_markdown, to_records

NAN = np.nan
REGION = ["KZ-1", "KZ-2"]
CROP = ["cotton", "rice"]
METHOD = ["flood", "drip", "paddy"]


def _example() -> xr.Dataset:
    """Two regions, cotton (flood/drip) and rice (paddy only); region 2 grows no rice."""
    gross = np.array([
        [[1000.0, 400.0, NAN], [NAN, NAN, 2000.0]],
        [[800.0, 300.0, NAN], [NAN, NAN, NAN]],
    ])
    coords = {"region": REGION, "crop": CROP, "method": METHOD}
    depths = xr.Dataset({"irr_gross_mm": (("region", "crop", "method"), gross),
                         "et0_mm": (("region", "crop", "method"), np.where(np.isnan(gross),
                                                                            NAN, 1100.0))},
                        coords=coords)
    area = xr.DataArray([[1000.0, 500.0], [200.0, 0.0]], dims=("region", "crop"),
                        coords={"region": REGION, "crop": CROP})
    shares = xr.DataArray(np.array([[[0.5, 0.5, 0], [0, 0, 1]], [[1, 0, 0], [0, 0, 1]]]),
                          dims=("region", "crop", "method"), coords=coords)
    conveyance = xr.DataArray([0.5, 0.8], dims="region", coords={"region": REGION})
    reference = xr.DataArray(["flood", "paddy"], dims="crop", coords={"crop": CROP})
    return volumes_and_savings(depths, area, shares, conveyance, reference)


def test_depth_to_mcm_is_10_m3_per_mm_ha():
    # 1000 mm over 1000 ha = 10 000 m3/ha x 1000 ha = 1e7 m3 = 10 million m3
    assert float(depth_to_mcm(xr.DataArray(1000.0), xr.DataArray(1000.0))) == pytest.approx(10.0)
    # a missing depth over no area is no water
    assert float(depth_to_mcm(xr.DataArray(NAN), xr.DataArray(0.0))) == 0.0


def test_volumes_withdrawal_and_savings_by_hand():
    ds = _example()
    cotton1 = ds.sel(region="KZ-1", crop="cotton")
    # field: 1000 mm x 1000 ha = 10 Mm3; withdrawal / 0.5 = 20 Mm3; drip 400 mm -> 4 and 8
    assert float(cotton1["field_gross_mcm"].sel({"method": "flood"})) == pytest.approx(10.0)
    assert float(cotton1["withdrawal_mcm"].sel({"method": "flood"})) == pytest.approx(20.0)
    assert float(cotton1["withdrawal_mcm"].sel({"method": "drip"})) == pytest.approx(8.0)
    # current practice: 50 % flood + 50 % drip = 700 mm -> 7 Mm3 at field, 14 withdrawn
    assert float(cotton1["irr_gross_current_mm"]) == pytest.approx(700.0)
    assert float(cotton1["withdrawal_current_mcm"]) == pytest.approx(14.0)
    drip = cotton1.sel({"method": "drip"})
    assert float(drip["saving_vs_current_mm"]) == pytest.approx(300.0)
    assert float(drip["saving_vs_current_pct"]) == pytest.approx(100 * 300 / 700)
    assert float(drip["saving_vs_current_mcm"]) == pytest.approx(6.0)
    assert float(drip["saving_vs_flood_mm"]) == pytest.approx(600.0)
    assert float(drip["saving_vs_flood_pct"]) == pytest.approx(60.0)
    assert float(drip["saving_vs_flood_mcm"]) == pytest.approx(12.0)
    # rice's reference is its own paddy method, so its saving vs "flood" is zero, not NaN
    rice = ds.sel({"region": "KZ-1", "crop": "rice", "method": "paddy"})
    assert float(rice["saving_vs_flood_mm"]) == 0.0
    assert float(rice["withdrawal_mcm"]) == pytest.approx(20.0)  # 2000 mm x 500 ha / 0.5


def test_current_practice_is_nan_when_a_share_has_no_value():
    value = xr.DataArray([100.0, NAN], dims="method", coords={"method": ["flood", "drip"]})
    shares = xr.DataArray([0.5, 0.5], dims="method", coords={"method": ["flood", "drip"]})
    assert np.isnan(float(current_practice(value, shares)))
    shares = xr.DataArray([1.0, 0.0], dims="method", coords={"method": ["flood", "drip"]})
    assert float(current_practice(value, shares)) == 100.0


def test_reference_values_pick_each_crops_reference():
    ds = _example()
    ref = reference_values(ds["irr_gross_mm"], ds["irr_gross_mm"]["crop"].copy(
        data=["drip", "paddy"]))
    assert ref.sel(region="KZ-1").values.tolist() == [400.0, 2000.0]


def test_scenario_totals_keep_other_crops_at_current_practice():
    totals = scenario_totals(_example())
    r1 = totals.sel(region="KZ-1")
    # drip scenario: cotton 8 Mm3 + rice stays paddy 20 Mm3
    assert float(r1["withdrawal_mcm"].sel({"method": "drip"})) == pytest.approx(28.0)
    assert float(r1["withdrawal_current_mcm"]) == pytest.approx(34.0)
    assert float(r1["saving_vs_current_mcm"].sel({"method": "drip"})) == pytest.approx(6.0)
    nat = national_totals(totals)
    # region 2 cotton: current 100 % flood 800 mm x 200 ha / 0.8 = 2 Mm3
    assert float(nat["withdrawal_current_mcm"]) == pytest.approx(36.0)
    assert float(nat["withdrawal_mcm"].sel({"method": "drip"})) == pytest.approx(28.0 + 0.75)
    assert float(nat["area_ha"]) == pytest.approx(1700.0)


def test_formats_share_the_same_numbers():
    ds = add_totals(_example())
    ds = ds.assign_coords(region_name=("region", ["One", "Two"]))
    records = to_records(ds)
    # only lines with area and an applicable method: r1 cotton x2, r1 rice x1, r2 cotton x2
    assert [(r["region_code"], r["crop"], r["method"]) for r in records] == [
        ("KZ-1", "cotton", "flood"), ("KZ-1", "cotton", "drip"), ("KZ-1", "rice", "paddy"),
        ("KZ-2", "cotton", "flood"), ("KZ-2", "cotton", "drip")]
    assert json.loads(to_json(ds)) == records
    rows = to_csv(ds).splitlines()
    assert rows[0].startswith("region_code,region,crop,line,method,applicable,area_ha")
    assert len(rows) == 1 + len(records)
    drip = records[1]
    assert drip["withdrawal_mcm"] == 8.0 and drip["saving_vs_flood_pct"] == 60.0
    table = format_table(ds)
    assert max(len(line) for line in table.splitlines()) <= 100
    assert "KZ-1 One" in table and "KZ-2 Two" in table
    md = to_markdown(ds)
    assert "| cotton |" in md
