"""Each dimension of the budget means one thing (issue #11, "the Python API").

``crop`` holds crops only (the off-season lines have their own ``<kind>_*`` variables and
are added to the year's totals, not the season's), and ``method`` holds only methods a
budgeted crop can take.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from test_budget import KYZYLORDA, write_grid

from irrigate.engine.budget import budget
from irrigate.errors import InputError
from irrigate.lines import join_lines, split_lines
from irrigate.output.budget_table import format_table, to_records

PADDY = ["continuous_flooding", "awd", "drip_film_rice"]


@pytest.fixture(scope="module")
def kyzylorda(tmp_path_factory):
    path = write_grid(tmp_path_factory.mktemp("lines") / "k.nc", *KYZYLORDA)
    return path, budget(path, regions="KZ-43", crops=["rice", "melons"])


def test_crop_holds_crops_only_and_leaching_has_its_own_variables(kyzylorda):
    _, ds = kyzylorda
    assert ds["crop"].values.tolist() == ["rice", "melons"]
    assert "line" not in ds.coords
    assert ds["leaching_withdrawal_mcm"].dims == ("region", "method")
    assert ds["leaching_area_ha"].dims == ("region",)
    # units and long names in memory, like every other variable
    attrs = ds["leaching_withdrawal_current_mcm"].attrs
    assert attrs["units"] == "1e6 m3" and attrs["long_name"].startswith("off-season leaching")
    assert float(ds["leaching_withdrawal_current_mcm"].sel(region="KZ-43")) > 0


def test_crop_sum_plus_leaching_is_the_year_total(kyzylorda):
    _, ds = kyzylorda
    leach = float(ds["leaching_withdrawal_current_mcm"].sum())
    crops = float(ds["withdrawal_current_mcm"].sum("crop").sum())
    # the season total is crop water only; the year's total adds the leaching
    assert float(ds["national_withdrawal_current_mcm"]) == pytest.approx(crops, rel=1e-12)
    assert float(ds["national_withdrawal_year_current_mcm"]) == pytest.approx(
        crops + leach, rel=1e-12)
    # every method scenario: the season's withdrawal plus the leaching as today
    assert np.allclose(ds["national_withdrawal_year_mcm"],
                       ds["national_withdrawal_mcm"] + leach, rtol=1e-12)


def test_row_view_round_trip_and_records(kyzylorda):
    _, ds = kyzylorda
    rows = join_lines(ds)
    assert rows["crop"].values.tolist() == ["rice", "melons", "leaching"]
    assert rows["line"].values.tolist() == ["crop", "crop", "leaching"]
    # the same values back (the row view labels nothing: attributes are the writer's job)
    xr.testing.assert_equal(split_lines(rows), ds)
    assert str(rows["reference_method"].sel(crop="leaching").values) == "flood"
    recs = [r for r in to_records(ds) if r["line"] == "leaching"]
    assert {r["method"] for r in recs} == {str(m) for m in ds["method"].values}
    furrow = next(r for r in recs if r["method"] == "furrow")
    assert furrow["withdrawal_mcm"] == pytest.approx(
        float(ds["leaching_withdrawal_mcm"].sel({"region": "KZ-43", "method": "furrow"})), abs=1e-3)
    assert furrow["reference_method"] == "flood"


def test_paddy_methods_only_where_rice_is_budgeted(kyzylorda):
    path, _ = kyzylorda
    melons = budget(path, regions="KZ-43", crops=["melons"])
    assert not set(PADDY) & {str(m) for m in melons["method"].values}
    assert not bool(melons["paddy_method"].any())
    rice = budget(path, regions="KZ-43", crops=["rice"])
    assert [str(m) for m in rice["method"].values] == PADDY  # no all-NaN upland columns
    # a requested method of the other kind is left out, and the table says why
    picked = budget(path, regions="KZ-43", crops=["melons"], methods=["drip", "awd"])
    assert [str(m) for m in picked["method"].values] == ["drip"]
    assert "awd: no column: applies to paddy rice only" in format_table(picked)
    with pytest.raises(InputError, match="--method awd: applies to none of the budgeted"):
        budget(path, regions="KZ-43", crops=["melons"], methods=["awd"])
