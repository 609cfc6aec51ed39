import math

import numpy as np
import pytest

from irrigate.errors import InputError
from irrigate.schedule import RULES, Schedule, decide_net_depth, make_schedule, read_schedule_csv


def decide(schedule, **over):
    """Decide for 4 elements with defaults that trigger nothing unusual."""
    args = dict(dr=np.array([10.0, 30.0, 50.0, 80.0]), taw=np.full(4, 100.0),
                raw=np.full(4, 40.0), stage=np.array([1, 1, 2, 2]),
                das=np.array([20, 20, 20, 20]), season_length=np.full(4, 150.0),
                days_since=np.full(4, 10.0), cum_net=np.zeros(4), cum_gross=np.zeros(4),
                precip=np.zeros(4), efficiency=np.full(4, 0.5), depth_min=np.zeros(4),
                depth_max=np.full(4, 1000.0), interval_min=np.ones(4),
                irrigated=np.ones(4, bool))
    args.update(over)
    return decide_net_depth(schedule, **args)


def test_defaults_irrigate_when_raw_depleted_and_refill_to_fc():
    net = decide(Schedule())
    np.testing.assert_array_equal(net, [0, 0, 50, 80])


def test_mad_on_taw_per_stage_and_refill_target():
    s = Schedule(rule="mad", mad=(0.2, 0.2, 0.6, 0.6), mad_basis="taw", refill_to=0.1)
    np.testing.assert_array_equal(decide(s), [0, 20, 0, 70])


def test_deficit_applies_fraction_of_refill():
    s = Schedule(rule="deficit", refill_fraction=0.5)
    np.testing.assert_array_equal(decide(s), [0, 0, 25, 40])


def test_fixed_interval_on_days_after_first_day():
    s = Schedule(rule="fixed_interval", interval_days=7, depth_mm=30.0, first_day=6)
    net = decide(s, das=np.array([6, 12, 13, 20]))
    np.testing.assert_array_equal(net, [30, 0, 30, 30])


def test_fixed_interval_without_depth_refills():
    s = Schedule(rule="fixed_interval", interval_days=1)
    np.testing.assert_array_equal(decide(s), [10, 30, 50, 80])


def test_stage_calendar_uses_stage_interval_and_depth():
    s = Schedule(rule="stage_calendar", stage_interval_days=(30, 20, 7, 10),
                 stage_depth_mm=(30, 30, 35, 30))
    net = decide(s, days_since=np.array([20.0, 19.0, 7.0, 6.0]))
    np.testing.assert_array_equal(net, [30, 0, 35, 0])


def test_net_requirement_keeps_depletion_at_raw():
    s = Schedule(rule="net_requirement")
    np.testing.assert_array_equal(decide(s), [0, 0, 10, 40])


def test_user_rule_uses_given_depth_in_season_only():
    s = Schedule(rule="user", events=(("2010-05-01", 25.0, float("nan")),))
    net = decide(s, user_depth=25.0, stage=np.array([-1, 0, 1, 3]))
    np.testing.assert_array_equal(net, [0, 25, 25, 25])


def test_none_and_rainfed_never_irrigate():
    assert not decide(Schedule(rule="none")).any()
    assert not decide(Schedule(), irrigated=np.zeros(4, bool)).any()


def test_window_first_and_last_day():
    s = Schedule(first_day=10, last_day=30)
    net = decide(s, dr=np.full(4, 80.0), das=np.array([9, 10, 119, 120]))
    np.testing.assert_array_equal(net, [0, 80, 80, 0])


def test_method_limits_interval_and_depths():
    net = decide(Schedule(), dr=np.full(4, 60.0), days_since=np.array([1.0, 5.0, 5.0, 5.0]),
                 interval_min=np.full(4, 5.0), depth_min=np.array([0, 0, 70, 0.0]),
                 depth_max=np.array([100, 100, 100, 45.0]))
    np.testing.assert_array_equal(net, [0, 60, 70, 45])


def test_limits_not_applied_to_net_requirement():
    net = decide(Schedule(rule="net_requirement"), depth_max=np.full(4, 5.0),
                 interval_min=np.full(4, 30.0))
    np.testing.assert_array_equal(net, [0, 0, 10, 40])


def test_rain_skip():
    net = decide(Schedule(rain_skip_mm=5.0), precip=np.array([0, 0, 5.0, 4.9]))
    np.testing.assert_array_equal(net, [0, 0, 0, 80])


def test_quota_gross_and_net():
    gross = decide(Schedule(quota_mm=100.0), cum_gross=np.full(4, 60.0))
    np.testing.assert_array_equal(gross, [0, 0, 20, 20])  # 40 mm gross left x efficiency 0.5
    net = decide(Schedule(quota_mm=100.0, quota_basis="net"), cum_net=np.full(4, 60.0))
    np.testing.assert_array_equal(net, [0, 0, 40, 40])


@pytest.mark.parametrize("kwargs, match", [
    ({"rule": "flood_it"}, "unknown rule"),
    ({"mad": 1.5}, "fraction"),
    ({"mad": (0.5, 0.5, 0.5)}, "4 values"),
    ({"refill_to": -0.1}, "fraction"),
    ({"refill_fraction": 2.0}, "fraction"),
    ({"mad_basis": "fc"}, "mad_basis"),
    ({"quota_basis": "x"}, "quota_basis"),
    ({"depth_mm": -5.0}, ">= 0"),
    ({"quota_mm": -1.0}, ">= 0"),
    ({"first_day": -1}, "whole number"),
    ({"rule": "fixed_interval"}, "interval_days"),
    ({"rule": "stage_calendar", "stage_interval_days": 7}, "stage_depth_mm"),
    ({"rule": "stage_calendar", "stage_interval_days": 7, "stage_depth_mm": -1}, ">= 0"),
    ({"rule": "user"}, "events"),
])
def test_bad_settings_raise_input_error(kwargs, match):
    with pytest.raises(InputError, match=match):
        Schedule(**kwargs)


def test_unknown_keyword_is_an_error():
    with pytest.raises(InputError, match="unknown setting"):
        make_schedule("mad", madd=0.5)
    with pytest.raises(InputError, match="unknown key"):
        Schedule.from_mapping({"rule": "mad", "threshold": 0.5})
    with pytest.raises(TypeError):
        Schedule(rule="mad", schedule=1)  # dataclass: unknown keyword


def test_from_mapping_accepts_lists():
    s = Schedule.from_mapping({"rule": "stage_calendar", "stage_interval_days": [7, 6, 5, 7],
                               "stage_depth_mm": [30, 35, 45, 30]}, name="xj")
    assert s.stage_depth_mm == (30.0, 35.0, 45.0, 30.0) and s.name == "xj"
    assert set(RULES) >= {"mad", "user", "net_requirement", "none"}


def test_read_schedule_csv(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("date,depth_mm,fw\n2010-05-01,30,0.4\n2010-05-08,25,\n2010-05-08,5,\n")
    s = read_schedule_csv(p)
    assert s.rule == "user"
    assert s.events[0] == ("2010-05-01", 30.0, 0.4)
    assert s.events[1][:2] == ("2010-05-08", 30.0) and math.isnan(s.events[1][2])


@pytest.mark.parametrize("text, match", [
    ("date,depth\n2010-05-01,30\n", "header"),
    ("date,depth_mm\n2010-13-01,30\n", "bad date"),
    ("date,depth_mm\n01/05/2010,30\n", "bad date"),
    ("date,depth_mm\n2010-05-01,-3\n", ">= 0"),
    ("date,depth_mm\n2010-05-01,abc\n", "not a number"),
    ("date,depth_mm,fw\n2010-05-01,3,1.5\n", "fw"),
    ("date,depth_mm\n", "no irrigation events"),
])
def test_read_schedule_csv_errors(tmp_path, text, match):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(InputError, match=match) as err:
        read_schedule_csv(p)
    assert "\n" not in str(err.value)


def test_missing_csv(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_schedule_csv(tmp_path / "nope.csv")
