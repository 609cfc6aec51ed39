"""Slabs of the budget's climate (irrigate.engine.slabs): every block once, same numbers."""

import numpy as np
import pytest
from test_budget import write_grid

from irrigate import budget
from irrigate.engine import slabs


def test_plan_slabs_cuts_blocks_and_packs_nearby_ones():
    groups = {"a": np.arange(0, 10), "b": np.arange(5, 12), "c": np.arange(40, 43)}
    plan = slabs.plan_slabs(groups, block=4, limit=8)
    blocks = [(k, c.tolist()) for s in plan for k, c in s.blocks]
    # every block of every group exactly once, ordered by place (median cell)
    assert sorted(blocks) == sorted([("a", [0, 1, 2, 3]), ("a", [4, 5, 6, 7]), ("a", [8, 9]),
                                     ("b", [5, 6, 7, 8]), ("b", [9, 10, 11]),
                                     ("c", [40, 41, 42])])
    assert [k for k, _ in blocks] == ["a", "a", "b", "a", "b", "c"]
    for s in plan:
        union = np.unique(np.concatenate([c for _, c in s.blocks]))
        np.testing.assert_array_equal(s.cells, union)
        assert s.cells.size <= 8
    # a group's blocks stay in the order of their cells (GroupRun joins them so)
    a = np.concatenate([c for s in plan for k, c in s.blocks if k == "a"])
    np.testing.assert_array_equal(a, np.arange(10))
    # one slab when the limit allows; a block larger than the limit is a slab of its own
    assert len(slabs.plan_slabs(groups, block=100, limit=1000)) == 1
    big = slabs.plan_slabs({"a": np.arange(20)}, block=20, limit=8)
    assert len(big) == 1 and big[0].cells.size == 20


def test_budget_in_small_slabs_equals_one_slab(tmp_path, monkeypatch):
    # Turkestan and Kyzylorda: several (soil, sowing zone) groups, rice and upland crops;
    # many small slabs and blocks must give the numbers of one slab
    path = write_grid(tmp_path / "south.nc", [41.0, 42.0, 43.0, 44.0, 45.0],
                      [65.0, 66.5, 68.0, 69.5])
    kw = {"regions": ["KZ-61", "KZ-43"], "crops": ["cotton", "rice", "maize_grain"],
          "methods": ["furrow", "drip", "continuous_flooding"]}
    one = budget(path, **kw)
    monkeypatch.setattr(slabs, "SLAB_CELLS", 3)
    monkeypatch.setattr(slabs, "GROUP_CELLS", 2)
    small = budget(path, **kw)
    assert set(small.data_vars) == set(one.data_vars)
    assert small.attrs == one.attrs
    for name, da in one.data_vars.items():
        if np.issubdtype(da.dtype, np.number):
            np.testing.assert_allclose(small[name].values, da.values, rtol=1e-9, atol=1e-12,
                                       err_msg=name)
        else:
            assert (small[name].values == da.values).all(), name
    assert float(one["withdrawal_mcm"].sum()) > 0


@pytest.mark.parametrize("limit", [1, 5])
def test_plan_slabs_limits(limit):
    plan = slabs.plan_slabs({"a": np.arange(6)}, block=1, limit=limit)
    assert [s.cells.tolist() for s in plan] == \
        [list(range(i, min(i + limit, 6))) for i in range(0, 6, limit)]


def test_block_merge_equals_xarray_outer_merge():
    """run._merge fills pieces in place: identical to xr.merge(join='outer', no_conflicts)."""
    import xarray as xr

    from irrigate.engine.run import _merge

    rng = np.random.default_rng(0)
    cell = np.arange(4)

    def piece(crops: list[str], methods: list[str]) -> xr.Dataset:
        shape = (cell.size, len(crops), len(methods))
        return xr.Dataset(
            {"etc": (("cell", "crop", "method"), rng.random(shape)),
             "et0": (("cell", "crop"), np.full(shape[:2], 5.0)),
             "n_events": (("cell", "crop", "method"), rng.integers(0, 9, shape))},
            coords={"cell": cell, "crop": crops, "method": methods,
                    "season_length": ("crop", [100] * len(crops))})

    rice = xr.Dataset({"etc": (("cell", "method"), rng.random((cell.size, 2))),
                       "soak": (("cell", "method"), rng.random((cell.size, 2)))},
                      coords={"cell": cell, "method": ["flooded", "awd"]}
                      ).expand_dims(crop=["rice"])  # crop first, as GroupRun.add builds it
    pieces = [piece(["maize", "cotton"], ["flood", "drip"]), piece(["wheat"], ["flood"]),
              piece(["maize"], ["furrow"]), rice]
    pieces[3]["etc"][0, 1, 0] = np.nan  # a missing value stays missing
    expected = xr.merge([pc.astype(float) for pc in pieces], join="outer",
                        compat="no_conflicts", combine_attrs="drop")
    xr.testing.assert_identical(_merge(pieces), expected)
    assert _merge([]) is None


def test_read_ahead_yields_every_slab_in_order_and_raises_in_the_caller():
    plan = slabs.plan_slabs({"a": np.arange(6)}, block=2, limit=2)
    seen = []

    def read(slab):
        seen.append(slab.cells.tolist())
        return slab.cells * 10, slab.cells

    got = [(s.cells.tolist(), d.tolist()) for s, d, _ in slabs.read_ahead(plan, read)]
    assert got == [([0, 1], [0, 10]), ([2, 3], [20, 30]), ([4, 5], [40, 50])]
    assert seen == [[0, 1], [2, 3], [4, 5]]

    def broken(slab):
        if slab.cells[0] == 2:
            raise ValueError("slab 2 unreadable")
        return slab.cells, slab.cells

    it = slabs.read_ahead(plan, broken)
    assert next(it)[0].cells.tolist() == [0, 1]
    with pytest.raises(ValueError, match="slab 2 unreadable"):
        next(it)


def test_joined_blocks_keep_each_group_in_cell_order():
    plan = slabs.plan_slabs({"a": np.arange(0, 10), "b": np.arange(5, 12)}, block=3,
                            limit=100)
    assert len(plan) == 1
    joined = dict(plan[0].joined())
    np.testing.assert_array_equal(joined["a"], np.arange(10))
    np.testing.assert_array_equal(joined["b"], np.arange(5, 12))


# ------------------------------------------------ the days a slab reads (run.period)
# A slab reads only the days some season needs; what the input holds is still judged on the
# whole input (review of the read-ahead branch, 2026-12-08).

def _sample():
    from irrigate.climate import open_climate
    from irrigate.paths import sample_data_dir

    return open_climate(sorted((sample_data_dir() / "kz_synthetic_daily_2021").glob("*.nc")))


def test_a_crop_left_out_is_judged_on_the_whole_input():
    out = budget(_sample(), regions=["KZ-61"], cyclic=False)
    assert ("winter_wheat (south zone): season from 2020-09-28 is not inside the climate "
            "input 2021-01-01..2021-12-31") in out.attrs["left_out"]


def test_a_crop_asked_for_fails_when_no_day_of_its_season_is_read():
    from irrigate.errors import InputError

    short = _sample().sel(time=slice("2021-01-01", "2021-03-31"))
    with pytest.raises(InputError, match="--crop cotton: .*2021-01-01..2021-03-31"):
        budget(short, regions=["KZ-61"], season=2021, cyclic=False, crops=["cotton"])


def test_a_station_without_weather_over_the_season_is_an_error_not_dropped():
    import xarray as xr

    from irrigate.climate import open_climate
    from irrigate.errors import InputError
    from irrigate.paths import sample_data_dir

    ds = open_climate(sample_data_dir() / "cfsr_syrdarya_points_2000_2014.nc").load()
    gap = {"time": slice("2009-08-01", "2010-12-31"), "station": ds["station"].values[0]}
    for name, da in ds.data_vars.items():
        if "time" in da.dims and "station" in da.dims:
            ds[name].loc[gap] = np.nan
    assert isinstance(ds, xr.Dataset)
    with pytest.raises(InputError, match=r"1 cell\(s\) .* have no weather from 2009-09-29"):
        budget(ds, season=2010)
