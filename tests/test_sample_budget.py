"""The default budget on the bundled sample against the acceptance figures of issues 11 and 12.

One national run (about half a minute), so behind the ``slow`` marker: ``pytest -m slow
tests/test_sample_budget.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

import irrigate
from irrigate.library import load_library

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def national():
    return irrigate.budget()


def test_every_applicable_column_is_at_full_demand(national):
    # issue 11: by default every applicable method column is at >= 95 % of ETc in every
    # region (furrow on short turns where the canal turn would starve the crop)
    ratio = national["et_ratio_pct"].where(national["applicable"].astype(bool)
                                           & (national["area_ha"] > 0))
    crops = [c for c in national["crop"].values if c != "leaching"]
    low = ratio.sel(crop=crops).where(ratio.sel(crop=crops) < 95.0, drop=True)
    assert int(np.isfinite(low).sum()) == 0, low.to_series().dropna()
    assert bool((national["short_turn"].fillna(0) > 0).any())


def test_film_is_not_applied_to_perennials(national):
    film = national["applicable"].sel({"method": "mulched_drip"})
    for crop in ("alfalfa", "orchard_apple", "grapes"):
        assert not bool(film.sel(crop=crop).any()), crop


def test_withdrawal_meets_the_reported_figures_after_the_fit(national):
    # issue 12: national season withdrawal (leaching excluded) within 9-14 km3; each of the
    # five southern regions within +-20 % of its 2025 figure (a fit, not a validation)
    lines = [c for c in national["crop"].values if c != "leaching"]
    season = national["withdrawal_current_mcm"].sel(crop=lines).sum("crop")
    assert 9_000 <= float(season.sum()) <= 14_000
    fitted = [d for d in load_library().baseline.deliveries.values() if d.fit]
    assert len(fitted) == 5
    for d in fitted:
        got = float(season.sel(region=d.code))
        assert got == pytest.approx(1000.0 * d.value, rel=0.20), (d.code, got, d.value)
