"""Today's baseline in the budget and its calibration to reported deliveries (issue #12)."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
import pytest
import xarray as xr
from test_budget import TURKESTAN, write_grid

from irrigate.calibration.baseline import (
    calibrated_toml,
    fit_factors,
    fit_table,
    likely_cause,
    season_at_efficiency,
    season_withdrawal_km3,
)
from irrigate.engine.budget import budget
from irrigate.library import load_library
from irrigate.library.baseline import Definition, Delivery
from irrigate.output.budget_table import to_records
from irrigate.output.deliveries_table import deliveries_rows, render_deliveries
from irrigate.paths import models_dir


def _season_ds(withdrawals_mcm: dict[str, float]) -> xr.Dataset:
    """A minimal budget: one crop and the off-season leaching line per region."""
    codes = list(withdrawals_mcm)
    w = np.array([[withdrawals_mcm[c]] for c in codes])
    return xr.Dataset(
        {"withdrawal_current_mcm": (("region", "crop"), w),
         "leaching_area_ha": ("region", np.full(len(codes), 10.0)),
         "leaching_withdrawal_current_mcm": ("region", np.full(len(codes), 999.0)),
         "practice_factor": ("region", np.ones(len(codes)))},
        coords={"region": codes, "crop": ["cotton"],
                "region_name": ("region", [f"R{c}" for c in codes])})


def _delivery(code, value, low=None, high=None, definition=Definition.UNSTATED):
    return Delivery(code, 2025, value, value if low is None else low,
                    value if high is None else high, definition, True, "test")


def test_fit_is_closed_form_bounded_and_carries_the_range():
    ds = _season_ds({"A": 2000.0, "B": 2000.0, "C": 5500.0, "D": 10_000.0})
    assert season_withdrawal_km3(ds).sel(region="A") == pytest.approx(2.0)  # no leaching
    reps = {"A": _delivery("A", 1.6),
            "B": _delivery("B", 3.51, definition=Definition.INTAKE),
            "C": _delivery("C", 3.4, 2.8, 3.5),
            "D": _delivery("D", 1.0)}
    fits = {f.code: f for f in fit_factors(ds, reps, (0.4, 1.2))}
    assert fits["A"].factor == pytest.approx(0.8) and fits["A"].bound == ""
    assert fits["A"].fitted_km3 == pytest.approx(1.6)
    # 3.51 / 2.0 = 1.755 > 1.2: on the high bound, cause named from the definition
    assert fits["B"].factor == 1.2 and fits["B"].bound == "high"
    assert "intake" in likely_cause(fits["B"])
    # Turkestan-like range: 2.8 / 5.5 .. 3.5 / 5.5
    c = fits["C"]
    assert (c.low, c.factor, c.high) == pytest.approx((2.8 / 5.5, 3.4 / 5.5, 3.5 / 5.5))
    assert fits["D"].factor == 0.4 and fits["D"].bound == "low"
    assert "groundwater" in likely_cause(fits["D"])
    # with the conveyance range known, a bound the range can reach is named as conveyance
    b = dataclasses.replace(fits["B"], conveyance=(0.40, 0.80), conveyance_factor=(0.82, 1.2))
    assert likely_cause(b).startswith("conveyance: with the canal efficiency at the low end")
    text = fit_table(list(fits.values()))
    assert "a fit, not a validation" in text and "B RB: factor on the high bound" in text
    with pytest.raises(ValueError):
        fit_factors(ds.assign(practice_factor=ds["practice_factor"] * 0.5), reps, (0.4, 1.2))


def test_written_factors_load_back_with_calibrated_sources(tmp_path):
    ds = _season_ds({"KZ-61": 5500.0, "KZ-19": 2000.0})
    reps = {"KZ-61": _delivery("KZ-61", 3.4, 2.8, 3.5), "KZ-19": _delivery("KZ-19", 1.6)}
    fits = fit_factors(ds, reps, (0.4, 1.2))
    user = tmp_path / "models"
    shutil.copytree(models_dir(), user)
    (user / "baseline_factors.toml").write_text(calibrated_toml(fits, "test-1", "synthetic"))
    factors = load_library(user).baseline.factors
    assert set(factors) == {"KZ-61", "KZ-19"}
    assert factors["KZ-61"].factor == pytest.approx(3.4 / 5.5, abs=1e-4)
    assert factors["KZ-61"].low == pytest.approx(2.8 / 5.5, abs=1e-4)
    # one published figure: no range, the ends are the factor
    assert factors["KZ-19"].low == factors["KZ-19"].high == factors["KZ-19"].factor
    assert factors["KZ-19"].source.startswith("calibrated: test-1:")


@pytest.fixture(scope="module")
def turkestan(tmp_path_factory):
    path = write_grid(tmp_path_factory.mktemp("grid") / "t.nc", *TURKESTAN)
    # the method columns under today's practice calendars (issue #11's scenario 'practice'):
    # the tests below read today's depths against the columns that ran today's calendars
    return budget(path, regions="KZ-61", crops=["cotton", "alfalfa"],
                  methods=["flood", "furrow", "drip"], scenario="practice")


def test_today_areas_methods_calendars_and_factor(turkestan):
    ds = turkestan
    lib = load_library()
    reg, base = lib.region("KZ-61"), lib.baseline
    # watered 2025 (400 kha) with the crop shares renormalised to the whole area
    weight = sum(reg.crop_shares.values())
    cotton = ds.sel(region="KZ-61", crop="cotton")
    assert float(cotton["area_ha"]) == pytest.approx(400_000 * reg.crop_shares["cotton"] / weight)
    assert str(ds["area_kind"].sel(region="KZ-61").values) == "watered"
    assert str(ds["area_key"].sel(region="KZ-61").values) == "watered_2025"
    # cotton: 37 % drip (Saparov 2025), the rest furrow
    assert float(cotton["current_share"].sel({"method": "drip"})) == pytest.approx(0.37)
    # the fitted factor scales today's calendar depths
    f = base.factors["KZ-61"].factor
    assert float(ds["practice_factor"].sel(region="KZ-61")) == pytest.approx(f)
    furrow = cotton.sel({"method": "furrow"})
    assert float(furrow["irr_gross_today_mm"]) == pytest.approx(f * float(furrow["irr_gross_mm"]))
    # alfalfa: border-flooded today (furrow is not practised for it), on today's southern
    # alfalfa calendar (96 mm net every 15 days: KAZNII card pp00139, check flooding about
    # 1,600 m3/ha x 0.60), not the furrow cotton calendar (90 mm every 21 days)
    alf = ds.sel(region="KZ-61", crop="alfalfa").sel({"method": "flood"})
    assert float(ds["current_share"].sel(region="KZ-61", crop="alfalfa").sel(
        {"method": "furrow"})) == 0.0
    events = float(alf["irr_net_today_mm"]) / f / 96  # a whole number of 96 mm events
    assert events == pytest.approx(round(events), abs=1e-6) and round(events) > 0
    # the furrow column of alfalfa is n/a (models/applicability.toml), today's line is kept
    alf_furrow = ds.sel(region="KZ-61", crop="alfalfa").sel({"method": "furrow"})
    assert not bool(alf_furrow["applicable"])
    assert np.isnan(float(alf_furrow["irr_net_mm"]))
    # pipe-fed drip does not lose the on-farm ditch share: 0.60 / 0.80 = 0.75
    eff = ds["method_efficiency"].sel(region="KZ-61")
    assert float(eff.sel({"method": "furrow"})) == pytest.approx(0.60)
    assert float(eff.sel({"method": "drip"})) == pytest.approx(0.75)
    drip = cotton.sel({"method": "drip"})
    assert float(drip["withdrawal_mcm"]) == pytest.approx(float(drip["field_gross_mcm"]) / 0.75)
    # today's withdrawal: share-weighted, each method at its own efficiency
    expected = sum(float(cotton["current_share"].sel({"method": m}))
                   * float(cotton["irr_gross_today_mm"].sel({"method": m}))
                   * float(cotton["area_ha"]) * 1e-5 / float(eff.sel({"method": m}))
                   for m in ("furrow", "drip"))
    assert float(cotton["withdrawal_current_mcm"]) == pytest.approx(expected)
    # leaching: its own variables with a range and a groundwater part, not in season totals
    assert "leaching" not in ds["crop"].values
    lo, hi = (float(ds[v].sel(region="KZ-61")) for v in ("leaching_low_mcm",
                                                        "leaching_high_mcm"))
    central = float(ds["leaching_withdrawal_current_mcm"].sel(region="KZ-61"))
    assert lo < central < hi
    assert float(ds["leaching_groundwater_share"].sel(region="KZ-61")) == 0.10
    season = float(season_withdrawal_km3(ds).sel(region="KZ-61"))
    crops = float(ds["withdrawal_current_mcm"].sel(region="KZ-61", crop=["cotton", "alfalfa"])
                  .sum()) / 1000
    assert season == pytest.approx(crops)
    rec = to_records(ds)[0]
    assert rec["area_kind"] == "watered" and rec["area_sourced"] is True


def test_season_withdrawal_on_another_canal_efficiency(turkestan):
    # the fit's conveyance range: today's field volumes over each method's efficiency on a
    # system of the given efficiency; at the region's own 0.60 it is the budget's withdrawal
    base = load_library().baseline
    cotton = turkestan.sel(crop=["cotton"])  # furrow and drip: both columns in the budget
    at = season_at_efficiency(cotton, "KZ-61", 0.60, base.method_efficiency)
    assert at == pytest.approx(float(season_withdrawal_km3(cotton).sel(region="KZ-61")))
    low = season_at_efficiency(cotton, "KZ-61", 0.50, base.method_efficiency)
    # furrow water scales with 0.60 / 0.50; pipe-fed drip (0.75 -> 0.625) by the same ratio
    assert low == pytest.approx(at * 0.60 / 0.50)
    assert season_at_efficiency(cotton, "KZ-61", 0.90, base.method_efficiency) < at
    with pytest.raises(ValueError, match="every method"):  # alfalfa's sprinklers not shown
        season_at_efficiency(turkestan, "KZ-61", 0.60, base.method_efficiency)


def test_listed_area_no_fit_and_recharge_line(tmp_path):
    path = write_grid(tmp_path / "t.nc", *TURKESTAN, years=2)
    ds = budget(path, regions="KZ-61", crops="winter_wheat", methods="furrow",
                area="listed", fitted=False, recharge=True, leaching=False)
    lib = load_library()
    reg = lib.region("KZ-61")
    assert str(ds["area_kind"].sel(region="KZ-61").values) == "listed"
    assert str(ds["area_key"].sel(region="KZ-61").values) == "listed_2026"
    wheat = float(ds["area_ha"].sel(region="KZ-61", crop="winter_wheat"))
    assert wheat == pytest.approx(575_000 * reg.crop_shares["winter_wheat"])
    assert float(ds["practice_factor"].sel(region="KZ-61")) == 1.0
    assert not bool(ds["fitted"].sel(region="KZ-61"))
    # the moisture charging: its own variables recharge_*, not a crop
    assert ds["crop"].values.tolist() == ["winter_wheat"]
    mc = ds.sel(region="KZ-61")
    assert float(mc["recharge_area_ha"]) == pytest.approx(wheat)
    # one after-sowing event of 1,100 m3/ha at the field (CAWater-info card pp00087, Tashkent
    # oasis) = 66 mm net by furrow (efficiency 0.60): 110 mm gross
    assert float(mc["recharge_irr_gross_mm"].sel({"method": "furrow"})) == pytest.approx(110.0)
    assert float(mc["recharge_withdrawal_current_mcm"]) == pytest.approx(
        110 * wheat * 1e-5 / 0.60)
    # the year's total adds it to the season's
    assert float(mc["scenario_withdrawal_year_current_mcm"]) == pytest.approx(
        float(mc["scenario_withdrawal_current_mcm"]) + float(mc["recharge_withdrawal_current_mcm"]))
    # the row view of the table and JSON: a row of kind recharge after the crop
    rows = [r for r in to_records(ds) if r["crop"] == "moisture_charging"]
    assert rows and all(r["line"] == "recharge" for r in rows)
    season = float(season_withdrawal_km3(ds).sel(region="KZ-61")) * 1000
    assert season == pytest.approx(float(ds["withdrawal_current_mcm"].sel(
        region="KZ-61", crop="winter_wheat")))


def test_deliveries_view_says_fitted_or_not(turkestan):
    deliveries = dict(load_library().baseline.deliveries)
    rows = deliveries_rows(turkestan, deliveries)
    assert rows[0]["region_code"] == "KZ-61" and rows[0]["fitted"]
    assert rows[0]["reported_km3"] == 3.4 and rows[0]["definition"] == "unstated"
    text = render_deliveries(turkestan, deliveries)
    assert "fitted (a fit, not a validation)" in text and "3.40 (2.8-3.5)" in text
    assert "off-season leaching (its own line, not in the season)" in text
