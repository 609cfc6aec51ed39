"""The range checks reduce long records in time batches with the same result (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest

from irrigate.climate import open_climate
from irrigate.climate._checks import _stats
from irrigate.paths import sample_data_dir

SAMPLE = sample_data_dir() / "kz_synthetic_daily_2021"


@pytest.fixture(scope="module")
def canonical():
    """The bundled sample as the checks see it (canonical names, in memory)."""
    return open_climate(sorted(SAMPLE.glob("*.nc"))).load()


def test_batched_statistics_equal_one_pass(canonical):
    """Every reduction of 4 dask batches (100, 100, 100, 65 days) equals the one pass."""
    whole = _stats(canonical)
    batched = _stats(canonical.chunk({"time": 50}), batch_days=100)
    assert batched.keys() == whole.keys()
    for key, value in whole.items():
        np.testing.assert_allclose(batched[key], value, rtol=1e-12, equal_nan=True,
                                   err_msg=key)
    # the batches really split the counts: a count over time is not one batch's
    assert whole["valid:count"] > 3 * canonical.sizes["time"]


def test_batches_count_a_variable_without_time_once(canonical):
    """An infinite elevation is counted once, not once per batch."""
    ds = canonical.copy()
    if "elevation" not in ds.data_vars:
        pytest.skip("the sample's elevation is not a data variable")
    elev = ds["elevation"].values.copy()
    elev.flat[0] = np.inf
    ds["elevation"] = (ds["elevation"].dims, elev)
    whole = _stats(ds)
    batched = _stats(ds.chunk({"time": 50}), batch_days=100)
    assert whole["elevation:inf"] == batched["elevation:inf"] == 1
