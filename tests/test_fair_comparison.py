"""A fair comparison of methods (issue 11): scenarios, n/a, yield, savings three ways, basin."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from test_budget import TURKESTAN, write_grid

from irrigate.engine.budget import budget
from irrigate.engine.outcomes import consumed_mm, relative_yield
from irrigate.errors import InputError
from irrigate.library.comparison import load_comparison
from irrigate.output.records import to_records

#: the JSON keys the issue names
KEYS = ("applicable", "rel_yield", "saving_technology_pct", "unmet_demand_current_mm",
        "eta_change_mcm", "basin_saving_mcm")


def test_relative_yield_is_fao33_with_a_clip():
    # FAO-56 Eq. 90: ETa/ETc 0.8 with Ky 1.25 (maize, Table 24) -> 1 - 1.25 x 0.2 = 0.75
    eta, etc = xr.DataArray([800.0, 100.0, 1000.0]), xr.DataArray([1000.0, 1000.0, 0.0])
    got = relative_yield(eta, etc, xr.DataArray(1.25)).values
    assert got[0] == pytest.approx(0.75)
    assert got[1] == 0.0          # 1 - 1.25 x 0.9 < 0: clipped
    assert np.isnan(got[2])       # no demand, no ratio


def test_consumed_counts_only_what_does_not_return():
    # 100 mm gross at conveyance 0.5 -> 100 mm canal seepage; dp 20 + loss_dp 10 + seepage
    # 100 = 130 mm percolating, 40 % of it lost; ro 0 + loss_ro 5 lost at 50 %; evap 5
    d = xr.Dataset({k: xr.DataArray(v) for k, v in {
        "eta_mm": 500.0, "irr_gross_mm": 100.0, "irr_loss_evap_mm": 5.0,
        "irr_loss_dp_mm": 10.0, "irr_loss_ro_mm": 5.0, "dp_mm": 20.0, "ro_mm": 0.0}.items()})
    got = float(consumed_mm(d, xr.DataArray(0.5), xr.DataArray(0.6), xr.DataArray(0.5)))
    assert got == pytest.approx(500 + 5 + 130 * 0.4 + 5 * 0.5)


def test_ky_are_the_fao56_table_24_values():
    yields = load_comparison().yields
    # FAO-56 Table 24 p. 181 (from FAO-33), read in the FAO-56 text
    for crop, ky in (("cotton", 0.85), ("maize_grain", 1.25), ("alfalfa", 1.1),
                     ("potato", 1.1), ("winter_wheat", 1.05), ("grapes", 0.85),
                     ("tomato", 1.05), ("sugar_beet", 1.0)):
        assert yields[crop].ky == ky, crop
    assert yields["cotton"].ky_film == pytest.approx(1.62)  # Shihezi fit


def test_alternate_furrow_follows_furrow_where_a_row_is_silent(tmp_path):
    bundled = load_comparison()
    # alfalfa is not furrow-irrigated (ALI11: borders); its alternate furrows follow
    assert bundled.is_applicable("alfalfa", "furrow") is False
    assert bundled.is_applicable("alfalfa", "alternate_furrow") is False
    assert bundled.is_applicable("cotton", "alternate_furrow") is True
    assert bundled.is_applicable("rice", "alternate_furrow") is False  # rice row says so
    # a row that gives alternate_furrow keeps its own value
    (tmp_path / "applicability.toml").write_text(
        "[potato]\n"
        'furrow = { value = true, unit = "1", source = "test" }\n'
        'alternate_furrow = { value = false, unit = "1", source = "test" }\n')
    own = load_comparison(tmp_path)
    assert own.is_applicable("potato", "furrow") is True
    assert own.is_applicable("potato", "alternate_furrow") is False


def test_one_returnable_share_serves_both_losses(tmp_path):
    shares = load_comparison().returnable
    assert shares["KZ-43"] == (0.2, 0.2)       # one `returnable` share
    assert shares["KZ-61"] == (0.7, 0.8)       # its own dp / ro pair
    (tmp_path / "return_flows.toml").write_text(
        '["KZ-43"]\nreturnable = { value = 0.3, unit = "1", source = "test" }\n'
        'ro_returnable = { value = 0.1, unit = "1", source = "test" }\n'
        '["KZ-61"]\nname = "no shares"\n')
    with pytest.raises(InputError, match=r"\[KZ-61\]: missing dp_returnable"):
        load_comparison(tmp_path)
    (tmp_path / "return_flows.toml").write_text(
        '["KZ-43"]\nreturnable = { value = 0.3, unit = "1", source = "test" }\n'
        'ro_returnable = { value = 0.1, unit = "1", source = "test" }\n')
    assert load_comparison(tmp_path).returnable["KZ-43"] == (0.3, 0.1)


@pytest.fixture(scope="module")
def fair(tmp_path_factory):
    path = write_grid(tmp_path_factory.mktemp("grid") / "turkestan.nc", *TURKESTAN)
    return budget(path, regions="KZ-61", crops=["cotton", "alfalfa"],
                  methods=["furrow", "drip", "mulched_drip"], leaching=False)


def test_default_columns_meet_demand_and_film_is_na_on_alfalfa(fair):
    r = fair.sel(region="KZ-61")
    assert not bool(r["applicable"].sel({"crop": "alfalfa", "method": "mulched_drip"}))
    assert np.isnan(float(r["irr_gross_mm"].sel({"crop": "alfalfa", "method": "mulched_drip"})))
    ratio = r["et_ratio_pct"].where(r["applicable"])
    assert float(ratio.min()) >= 95.0  # full demand within each method's own limits
    assert str(r["film_record"].sel(crop="cotton").values) == "xinjiang_cotton"
    assert fair.attrs["scenario"].startswith("full_demand")
    assert fair["rel_yield"].attrs["units"] == "1"  # labelled in memory


def test_savings_three_ways_add_up(fair):
    r = fair.sel(region="KZ-61", crop="cotton")
    now, mix = float(r["irr_gross_current_mm"]), float(r["irr_gross_full_current_mm"])
    drip = r.sel({"method": "drip"})
    # technology: today's mix at full demand against the method
    assert float(drip["saving_technology_mm"]) == pytest.approx(mix - float(drip["irr_gross_mm"]))
    # today's unmet demand: what moving today's mix to full demand adds
    assert float(r["unmet_demand_current_mm"]) == pytest.approx(mix - now)
    # at the intake against today = technology minus today's unmet demand (at the field)
    assert float(drip["saving_vs_current_mm"]) == pytest.approx(
        float(drip["saving_technology_mm"]) - float(r["unmet_demand_current_mm"]))
    # today's furrow calendar leaves cotton short: ending it raises crop water use
    assert float(r["eta_current_mm"]) < float(r["etc_current_mm"])
    assert float(drip["eta_change_mcm"]) > 0


def test_json_rows_carry_the_new_keys_and_na_lines(fair):
    records = to_records(fair)
    assert all(k in rec for rec in records for k in KEYS)
    na = [rec for rec in records if rec["crop"] == "alfalfa" and rec["method"] == "mulched_drip"]
    assert na and na[0]["applicable"] is False and na[0]["irr_gross_mm"] is None


def _turn_results(eta_turn: float) -> dict[str, xr.Dataset]:
    methods = ["drip", "furrow", "furrow~short_turn"]
    data = {"eta": [[500.0, eta_turn, 690.0]], "etc": [[700.0, 700.0, 700.0]],
            "irr_gross": [[600.0, 900.0, 1100.0]], "n_events": [[30.0, 10.0, 25.0]]}
    ds = xr.Dataset({k: (("crop", "method"), np.array(v)) for k, v in data.items()},
                    coords={"crop": ["potato"], "method": methods})
    return {"KZ-61": ds}


def test_a_starved_turn_column_takes_its_short_turn_run():
    from irrigate.engine.turns import TARGET, choose_turns
    # 600/700 = 86 % < 95 %: the furrow column becomes the short-turn run, flagged
    got = choose_turns(_turn_results(600.0))["KZ-61"]
    assert list(got["method"].values) == ["drip", "furrow"]
    furrow = got.sel({"crop": "potato", "method": "furrow"})
    assert float(furrow["irr_gross"]) == 1100.0 and float(furrow["eta"]) == 690.0
    assert float(furrow["short_turn"]) == 1.0
    # drip (no short-turn run) is untouched and unflagged, even below the target
    assert float(got["eta"].sel({"crop": "potato", "method": "drip"})) == 500.0
    assert float(got["short_turn"].sel({"crop": "potato", "method": "drip"})) == 0.0
    # at the target the turn column stays (ETa/ETc = 0.95 is not below it)
    kept = choose_turns(_turn_results(TARGET * 700.0))["KZ-61"]
    assert float(kept["irr_gross"].sel({"crop": "potato", "method": "furrow"})) == 900.0
    assert float(kept["short_turn"].sum()) == 0.0


def test_furrow_potato_meets_demand_on_short_turns(tmp_path):
    path = write_grid(tmp_path / "turkestan.nc", *TURKESTAN)
    ds = budget(path, regions="KZ-61", crops=["potato", "cotton"], methods=["furrow", "drip"],
                leaching=False)
    r = ds.sel(region="KZ-61")
    # the 10-day canal turn keeps potato (RAW of a few days) short; short turns end it
    assert float(r["et_ratio_pct"].sel({"crop": "potato", "method": "furrow"})) >= 95.0
    assert float(r["short_turn"].sel({"crop": "potato", "method": "furrow"})) == 1.0
    # cotton's deeper root zone lasts the turn: no short turns
    assert float(r["short_turn"].sel({"crop": "cotton", "method": "furrow"})) == 0.0
    assert float(r["et_ratio_pct"].sel({"crop": "cotton", "method": "furrow"})) >= 95.0
    row = [rec for rec in to_records(ds) if rec["crop"] == "potato"
           and rec["method"] == "furrow"][0]
    assert row["short_turn"] is True


def test_a_practice_calendar_runs_only_for_the_crops_it_was_written_for():
    from irrigate.engine.plan import FAO_RULE, practice_schedules
    from irrigate.library import load_library
    lib = load_library()
    assert lib.practice_for("mulched_drip", "cotton") == "xinjiang_mulched_drip"
    assert lib.practice_for("mulched_drip", "potato") is None       # cotton calendar only
    assert lib.practice_for("drip", "winter_wheat") == "xinjiang_drip_winter_wheat"
    assert lib.practice_for("drip", "cotton") is None               # wheat calendar only
    assert lib.practice_for("furrow", "potato") == "kz_furrow_current"  # every furrow crop
    scheds, only = practice_schedules(lib, ["furrow", "drip", "mulched_drip"],
                                      ["cotton", "winter_wheat", "potato"])
    by = {name: (methods, only.get(name)) for name, (_, methods) in scheds.items()}
    assert by["kz_furrow_current"] == (["furrow"], None)
    assert by["xinjiang_mulched_drip"] == (["mulched_drip"], ("cotton",))
    assert by["xinjiang_drip_winter_wheat"] == (["drip"], ("winter_wheat",))
    # the rest of drip and of film on the FAO-56 RAW rule, each with its own crops
    rule = {n: v for n, v in by.items() if n.startswith(FAO_RULE)}
    assert sorted(v for v in rule.values()) == sorted([
        (["drip"], ("cotton", "potato")), (["mulched_drip"], ("winter_wheat", "potato"))])


def test_practice_scenario_keeps_the_film_calendar_to_cotton(tmp_path):
    path = write_grid(tmp_path / "turkestan.nc", *TURKESTAN)
    ds = budget(path, regions="KZ-61", crops=["cotton", "potato"], methods=["mulched_drip"],
                scenario="practice", leaching=False)
    r = ds.sel(region="KZ-61")
    cotton = float(r["irr_net_mm"].sel({"crop": "cotton", "method": "mulched_drip"}))
    potato = r.sel({"crop": "potato", "method": "mulched_drip"})
    # cotton: the calendar's fixed events (30-35 mm each); potato: the RAW rule, no deficit
    events = float(r["n_events"].sel({"crop": "cotton", "method": "mulched_drip"}))
    assert 30.0 <= cotton / events <= 35.0
    assert float(potato["et_ratio_pct"]) >= 95.0


def test_simulate_default_takes_the_same_short_turns_as_the_budget(tmp_path):
    from irrigate.climate import open_climate
    from irrigate.engine.limits import own_limits
    from irrigate.engine.simulate import season_summary, simulate
    from irrigate.library import load_library
    clim = open_climate(write_grid(tmp_path / "turkestan.nc", *TURKESTAN))
    default = simulate(clim, crops=["potato"], methods=["furrow"])
    turn = simulate(clim, crops=["potato"], methods=[own_limits(load_library(), "furrow")],
                    schedule="fao_mad")  # the canal turn only (an explicit schedule)
    flag = default["short_turn"].sel({"method": "furrow"})
    assert bool(flag.all())          # every cell: potato's RAW does not last the 10-day turn
    s_default, s_turn = season_summary(default), season_summary(turn)
    ratio = (s_default["eta"] / s_default["etc"]).sel({"method": "furrow"})
    ratio_turn = (s_turn["eta"] / s_turn["etc"]).isel(method=0)
    assert float(ratio_turn.max()) < 0.95 <= float(ratio.min())
    assert "furrow~short_turn" not in default["method"].values
