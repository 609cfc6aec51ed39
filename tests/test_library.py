"""The parameter library: bundled files load and validate; planted defects fail loudly."""

import json
import math
import shutil
import tomllib

import pytest
from click.testing import CliRunner

from irrigate.cli.main import main
from irrigate.errors import InputError
from irrigate.library import FILES, UNITS, load_library
from irrigate.paths import models_dir
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule

CROPS = {"cotton", "winter_wheat", "spring_wheat", "maize_grain", "maize_silage", "rice",
         "alfalfa", "sugar_beet", "potato", "tomato", "melons", "grapes", "orchard_apple",
         "soybean", "sunflower", "barley", "onion", "cabbage"}  # issue #12: missing crops added
METHODS = {"flood", "furrow", "sprinkler", "drip", "mulched_drip", "alternate_furrow"}
PRACTICES = {"xinjiang_mulched_drip", "kz_furrow_current", "fao_mad", "xinjiang_drip_winter_wheat"}
REGIONS = {"KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35",
           "KZ-39", "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71",
           "KZ-75", "KZ-79"}


@pytest.fixture(scope="module")
def lib():
    return load_library()


def test_models_dir_holds_every_library_file():
    root = models_dir()
    for name in FILES.values():
        assert (root / name).is_file(), name


def test_all_entries_load_and_validate(lib):
    # + the calibrated extension entries of models/xinjiang_calibrated.toml (docs/calibration.md)
    assert set(lib.crops) == CROPS | {"xinjiang_cotton"}
    assert set(lib.methods) == METHODS | {"xinjiang_mulched_drip"}
    assert set(lib.practices) == PRACTICES
    assert set(lib.regions) == REGIONS
    assert {"sand", "loam", "clay", "sierozem", "syr_darya_clay_loam", "meadow_soil"} <= set(
        lib.soils)
    assert set(lib.conveyance) == {"canal_unlined", "canal_lined", "pipe", "canal_kyzylorda"}
    assert set(lib.sowing) == {"south", "south_east", "east", "north"}
    assert all(isinstance(c, Crop) for c in lib.crops.values())
    assert all(isinstance(s, Soil) for s in lib.soils.values())
    assert all(isinstance(m, Method) for m in lib.methods.values())
    assert all(isinstance(p, Schedule) for p in lib.practices.values())


def test_spot_values_match_fao56_tables(lib):
    # FAO-56 Table 17 (cotton Kcb mid 1.10-1.15), Table 22 (p 0.65), Table 19 (loam), Table 20
    cotton = lib.crop("cotton")
    assert cotton.kcb_mid == pytest.approx(1.125)
    assert cotton.p == pytest.approx(0.65)
    assert (cotton.l_ini, cotton.l_dev, cotton.l_mid, cotton.l_late) == (30, 50, 55, 45)
    assert lib.crop("rice").paddy and not cotton.paddy
    assert len(lib.crop("alfalfa").cuttings) == 3
    loam = lib.soil("loam")
    assert (loam.theta_fc, loam.theta_wp, loam.rew, loam.tew) == (0.25, 0.12, 9.0, 19.0)
    assert lib.method("drip").fw == pytest.approx(0.35)
    assert lib.method("furrow").surface and not lib.method("drip").surface
    assert lib.method("mulched_drip").film_cover > 0


def test_method_loss_split_sums_to_one(lib):
    for m in lib.methods.values():
        assert m.loss_evap + m.loss_ro + m.loss_dp == pytest.approx(1.0, abs=1e-6), m.name


def test_regions_national_area_and_shares(lib):
    total = lib.national_irrigated_area()
    # the default areas of areas.toml (land actually watered where reported): 1.189 Mha
    # (docs/baseline-data.md), of which 880 kha in the five southern regions (BAQ.kz 2025);
    # Shymkent at its listed 11,000 ha (kungei.kz 2020) since no watered figure exists
    assert total == pytest.approx(1_187_903, rel=1e-9)
    south = sum(lib.region(c).irrigated_area for c in ("KZ-19", "KZ-31", "KZ-33", "KZ-43",
                                                        "KZ-61"))
    assert south == pytest.approx(880_000)
    assert lib.region("KZ-71").irrigated_area == 0.0
    for r in lib.regions.values():
        assert sum(r.crop_shares.values()) <= 1 + 1e-6
        # today's methods per crop: practice_shares.toml (tests/test_baseline_library.py)
        assert not r.method_shares
        for crop, share in r.crop_shares.items():
            if share > 0:
                assert lib.sowing_doy(r.sowing_zone, crop) >= 1
    # the rice share was derived against Kyzylorda's 190 kha of 2024: 85.6 kha of rice
    assert lib.region("KZ-43").crop_shares["rice"] * 190_000 == pytest.approx(85_600, rel=2e-3)
    assert lib.conveyance_efficiency("KZ-61") == pytest.approx(0.60)


def test_accessors_and_provenance(lib):
    assert lib.region("KZ61") is lib.region("KZ-61")
    assert "Table 17" in lib.source("crop", "cotton", "kcb_mid")
    assert lib.unit("crops", "cotton", "zr_max") == "m"
    assert lib.unit("regions", "KZ-61", "crop_shares.cotton") == "1"
    assert lib.crop("cotton", zone="south").sowing == lib.sowing_date("south", "cotton")
    assert lib.practice("xinjiang_mulched_drip").rule == "stage_calendar"
    assert lib.practice_methods["xinjiang_mulched_drip"] == "mulched_drip"
    for getter, name in ((lib.crop, "banana"), (lib.soil, "peat"), (lib.method, "pivot"),
                         (lib.practice, "nope"), (lib.region, "KZ-99")):
        with pytest.raises(InputError) as err:
            getter(name)
        assert "known:" in str(err.value)
    with pytest.raises(InputError, match="cotton"):
        lib.sowing_doy("north", "cotton")


def _walk(node, where, problems):
    """Collect every number not inside a {value, unit, source} table."""
    if isinstance(node, dict):
        if "value" in node:
            if not str(node.get("unit", "")).strip():
                problems.append(f"{where}: no unit")
            if not str(node.get("source", "")).strip():
                problems.append(f"{where}: no source")
            return 1
        return sum(_walk(v, f"{where}.{k}", problems) for k, v in node.items())
    if isinstance(node, list):
        return sum(_walk(v, f"{where}[{i}]", problems) for i, v in enumerate(node))
    if isinstance(node, int | float) and not isinstance(node, bool):
        problems.append(f"{where}: bare number {node!r}")
    return 0


def test_every_bundled_number_has_unit_and_source():
    # every parameter file at the top of models/ (including rice.toml and salinity.toml of
    # other modules); models/calibration/ holds observation sets, not parameters
    files = sorted(models_dir().glob("*.toml"))
    assert len(files) >= len(FILES)
    problems: list[str] = []
    counted = 0
    for file in files:
        counted += _walk(tomllib.loads(file.read_text(encoding="utf-8")), file.name, problems)
    assert problems == []
    assert counted > 500


def test_units_table_covers_every_numeric_dataclass_field():
    for kind, cls in (("crops", Crop), ("soils", Soil), ("methods", Method)):
        numeric = {f for f, t in cls.__annotations__.items() if t in ("int", "float")}
        assert numeric <= set(UNITS[kind]), numeric - set(UNITS[kind])
    sched = {f for f, t in Schedule.__annotations__.items()
             if "float" in t or "int" in t} - {"events"}
    assert sched <= set(UNITS["practices"]), sched - set(UNITS["practices"])


def test_every_dataclass_field_can_be_written_in_toml():
    from dataclasses import fields

    from irrigate.library.schema import _PLAIN

    for kind, cls in (("crops", Crop), ("soils", Soil), ("methods", Method)):
        writable = set(UNITS[kind]) | set(_PLAIN[kind]) | {"name"}
        missing = {f.name for f in fields(cls)} - writable
        assert not missing, f"{kind}: add {missing} to irrigate.library UNITS or _PLAIN"


# ---- planted defects -------------------------------------------------------------------
COTTON_KCB = ('kcb_mid = { value = 1.125, unit = "1", source = "FAO-56 Table 17 p.137-140, '
              'cotton, midpoint of 1.10-1.15" }')
LOAM_WP = ('theta_wp = { value = 0.12, unit = "m3 m-3", source = "FAO-56 Table 19 p.144, loam, '
           'midpoint of 0.07-0.17" }')
FURROW_DP = 'loss_dp = { value = 0.55, unit = "1",'

DEFECTS = [
    ("missing_source", "crops.toml", COTTON_KCB,
     'kcb_mid = { value = 1.125, unit = "1" }', ["crops.toml", "[cotton]", "kcb_mid", "no source"]),
    ("empty_source", "crops.toml", COTTON_KCB,
     'kcb_mid = { value = 1.125, unit = "1", source = " " }',
     ["[cotton]", "kcb_mid", "empty source"]),
    ("bare_number", "crops.toml", COTTON_KCB, "kcb_mid = 1.125",
     ["[cotton]", "kcb_mid", "without unit and source"]),
    ("wrong_unit", "crops.toml",
     'zr_max = { value = 1.0, unit = "m", source = "FAO-56 Table 22 p.163-165, cotton',
     'zr_max = { value = 100, unit = "cm", source = "FAO-56 Table 22 p.163-165, cotton',
     ["[cotton]", "zr_max", "'cm'", "expected 'm'"]),
    ("wp_above_fc", "soils.toml", LOAM_WP, LOAM_WP.replace("0.12,", "0.30,"),
     ["soils.toml", "[loam]", "theta_wp", "field capacity"]),
    ("kc_too_high", "crops.toml", COTTON_KCB, COTTON_KCB.replace("1.125", "1.6"),
     ["[cotton]", "kcb_mid", "out of range"]),
    ("unknown_key", "crops.toml", COTTON_KCB,
     COTTON_KCB + '\nkcb_max = { value = 1.2, unit = "1", source = "x" }',
     ["[cotton]", "kcb_max", "unknown key"]),
    ("unread_scheduling_key", "methods.toml", FURROW_DP,   # removed: no code read it
     'refill_interval = { value = 3, unit = "day", source = "x" }\n' + FURROW_DP,
     ["[furrow]", "refill_interval", "unknown key"]),
    ("loss_split", "methods.toml", FURROW_DP, FURROW_DP.replace("0.55", "0.50"),
     ["methods.toml", "[furrow]", "must sum to 1"]),
    ("bad_toml", "crops.toml", COTTON_KCB, "kcb_mid = { value = 1.125, unit = ",
     ["crops.toml", "not valid TOML", "line"]),
    ("negative_stage", "crops.toml", 'l_dev = { value = 50, unit = "day"',
     'l_dev = { value = -5, unit = "day"', ["[cotton]", "l_dev", "out of range"]),
    ("shares_above_one", "regions.toml", 'winter_wheat = { value = 0.2, unit = "1"',
     'winter_wheat = { value = 0.9, unit = "1"', ["regions.toml", "crop_shares", "> 1"]),
    ("unknown_region_crop", "regions.toml", 'winter_wheat = { value = 0.2, unit = "1"',
     'banana = { value = 0.2, unit = "1"', ["regions.toml", "crop_shares.banana", "unknown crop"]),
    ("unknown_soil_ref", "regions.toml", 'soil = "syr_darya_clay_loam"', 'soil = "peat"',
     ["[KZ-43]", "soil", "'peat'"]),
    ("bad_practice", "practices.toml", 'rule = "fixed_interval"', 'rule = "sometimes"',
     ["practices.toml", "[kz_furrow_current]", "unknown rule"]),
    ("unknown_saline_class", "regions.toml", 'slightly = { value = 0.365, unit = "1"',
     'salty = { value = 0.365, unit = "1"',
     ["[KZ-43]", "saline_shares.salty", "unknown saline soil class"]),
    ("saline_shares_above_one", "regions.toml", 'slightly = { value = 0.365, unit = "1"',
     'slightly = { value = 0.8, unit = "1"', ["[KZ-43]", "saline_shares", "> 1"]),
    ("leaching_frequency_zero", "regions.toml", 'leaching_frequency = { value = 1.0,',
     'leaching_frequency = { value = 0.0,', ["leaching_frequency", "out of range"]),
    ("leaching_frequency_unit", "regions.toml",
     'leaching_frequency = { value = 1.0, unit = "year-1"',
     'leaching_frequency = { value = 1.0, unit = "1"', ["leaching_frequency", "'year-1'"]),
]


@pytest.mark.parametrize(("label", "fname", "old", "new", "expected"), DEFECTS,
                         ids=[d[0] for d in DEFECTS])
def test_planted_defect_fails_loudly(tmp_path, label, fname, old, new, expected):
    user = tmp_path / "models"
    shutil.copytree(models_dir(), user)
    text = (user / fname).read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"fixture text not found for {label}"
    (user / fname).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_library(user)
    message = str(err.value)
    assert "\n" not in message
    for part in expected:
        assert part in message, (part, message)


def test_practice_crops_load_from_the_library(lib):
    # models/practices.toml: the Xinjiang calendar was written for cotton; the others have no
    # `crops` key (written for every crop); the key is metadata, not a Schedule field
    assert dict(lib.practice_crops) == {"xinjiang_mulched_drip": ("cotton",),
                                        "xinjiang_drip_winter_wheat": ("winter_wheat",)}
    assert set(lib.practice_crops) <= set(lib.practices)
    assert all(c in lib.crops for crops in lib.practice_crops.values() for c in crops)
    assert not hasattr(lib.practice("xinjiang_mulched_drip"), "crops")


PRACTICE_CROPS_LINE = 'crops = ["cotton"]'


@pytest.mark.parametrize(("new", "expected"), [
    ('crops = ["cotton", "banana"]', ["unknown crop 'banana'", "known crops:", "cotton"]),
    ("crops = []", ["empty list", "leave the key out"]),
    ('crops = ["cotton", "cotton"]', ["listed twice"]),
    ("crops = [1]", ["1 is not a crop name"]),
    ('crops = "cotton"', ["expected a list of names", "'cotton'"]),
], ids=["unknown", "empty", "twice", "not_a_name", "not_a_list"])
def test_practice_crops_are_validated(tmp_path, new, expected):
    user = tmp_path / "models"
    shutil.copytree(models_dir(), user)
    text = (user / "practices.toml").read_text(encoding="utf-8")
    assert text.count(PRACTICE_CROPS_LINE) == 1
    (user / "practices.toml").write_text(text.replace(PRACTICE_CROPS_LINE, new),
                                         encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_library(user)
    message = str(err.value)
    assert "\n" not in message
    for part in ["practices.toml", "[xinjiang_mulched_drip]", "crops", *expected]:
        assert part in message, (part, message)
    # the command line says it in one line and exits 2
    result = CliRunner().invoke(main, ["practices", "--models", str(user)])
    assert isinstance(result.exception, InputError)


def test_cli_practices_show_the_crops(lib):
    out = CliRunner().invoke(main, ["practices"]).output
    head = out.splitlines()[0].split()
    assert head[:5] == ["practice", "rule", "method", "crops", "settings"]
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:] if line[:1] != " "}
    assert rows["xinjiang_mulched_drip"][3] == "cotton"
    assert rows["fao_mad"][3] == "all" and rows["kz_furrow_current"][3] == "all"
    one = CliRunner().invoke(main, ["practices", "xinjiang_mulched_drip"]).output
    assert "written for crops: cotton" in one


def test_user_folder_overrides_per_file(tmp_path):
    (tmp_path / "methods.toml").write_text(
        (models_dir() / "methods.toml").read_text(encoding="utf-8").replace(
            'efficiency = { value = 0.75, unit = "1"', 'efficiency = { value = 0.80, unit = "1"'),
        encoding="utf-8")
    lib = load_library(tmp_path)
    assert lib.method("sprinkler").efficiency == pytest.approx(0.80)
    assert lib.files["methods"] == tmp_path.resolve() / "methods.toml"
    assert lib.files["crops"] == models_dir().resolve() / "crops.toml"
    assert lib.crop("cotton") == load_library().crop("cotton")


def test_user_folder_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_library(tmp_path / "missing")
    with pytest.raises(InputError, match="no library file"):
        load_library(tmp_path)


# ---- CLI ----------------------------------------------------------------------------------
def test_cli_crops_lists_every_crop(lib):
    result = CliRunner().invoke(main, ["crops"])
    assert result.exit_code == 0, result.output
    for name in lib.crops:
        assert name in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 100


@pytest.mark.parametrize("kind", ["methods", "soils", "practices"])
def test_cli_other_lists(lib, kind):
    result = CliRunner().invoke(main, [kind])
    assert result.exit_code == 0, result.output
    for name in getattr(lib, kind):
        assert name in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 100


def test_cli_one_entry_shows_every_source(lib):
    result = CliRunner().invoke(main, ["crops", "cotton"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    for field in lib.values["crops"]["cotton"].values():
        assert " ".join(field.source.split())[:40] in flat


def test_cli_json_and_csv(lib):
    out = CliRunner().invoke(main, ["methods", "--format", "json"]).output
    data = json.loads(out)
    assert data["drip"]["values"]["fw"] == {"value": 0.35, "unit": "1",
                                            "source": lib.source("method", "drip", "fw")}
    csv_out = CliRunner().invoke(main, ["soils", "loam", "--format", "csv"]).output
    assert csv_out.splitlines()[0] == "kind,name,field,value,unit,source"
    assert any(line.startswith("soils,loam,theta_fc,0.25,m3 m-3,") for line in
               csv_out.splitlines())


def test_cli_unknown_name_and_models_dir(tmp_path):
    result = CliRunner().invoke(main, ["crops", "banana"])
    assert isinstance(result.exception, InputError)
    assert "known:" in str(result.exception)
    shutil.copy(models_dir() / "soils.toml", tmp_path / "soils.toml")
    result = CliRunner().invoke(main, ["soils", "--models", str(tmp_path)])
    assert result.exit_code == 0
    assert str(tmp_path.resolve() / "soils.toml") in " ".join(result.output.split())


def test_crop_values_are_finite(lib):
    for crop in lib.crops.values():
        for name in ("kcb_ini", "kcb_mid", "kcb_end", "kc_ini", "kc_mid", "kc_end", "p"):
            assert math.isfinite(getattr(crop, name))
        assert crop.season_length > 0


def test_region_saline_shares_and_leaching_frequency():
    """Kyzylorda's saline classes (JGEM21 areas / 240,000 ha) and the optional defaults."""
    lib = load_library()
    kyz = lib.region("KZ-43")
    assert dict(kyz.saline_shares) == {"slightly": 0.365, "moderately": 0.305,
                                       "strongly": 0.271}
    assert kyz.saline_shares["moderately"] == pytest.approx(73302 / 240000, abs=5e-4)
    assert kyz.leaching_frequency == 1.0
    assert dict(lib.region("KZ-61").saline_shares) == {"moderately": 0.678}  # HE22
    assert dict(lib.region("KZ-10").saline_shares) == {}  # no table: not leached
    assert lib.region("KZ-10").leaching_frequency == 1.0
    field = lib.values["regions"]["KZ-43"]["saline_shares.strongly"]
    assert field.unit == "1" and "JGEM21" in field.source


# ---- rice water-management methods (models/rice.toml) in `irrigate methods` ---------------
RICE_METHODS = ("continuous_flooding", "awd", "drip_film_rice")


def _rice_raw(folder=None):
    path = (folder or models_dir()) / "rice.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["method"]


def test_cli_methods_lists_paddy_rice_methods():
    result = CliRunner().invoke(main, ["methods"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "paddy rice methods" in out
    rice_part = out[out.index("paddy rice methods"):]
    rows = {line.split()[0]: line for line in rice_part.splitlines()[1:] if line.strip()}
    for name in RICE_METHODS:
        assert name in rows, rice_part
    # values of models/rice.toml as the budget uses them (pond min/max, AWD threshold/reflood)
    assert "170/220" in rows["continuous_flooding"]
    # AWD pond kept at about 5 cm outside the AWD periods (CSAXPERT, models/rice.toml; was 30/50)
    assert "50/50" in rows["awd"] and "150/50" in rows["awd"]
    assert "0.9" in rows["drip_film_rice"] and "no pond" in rows["drip_film_rice"]
    assert "models/rice.toml" in rice_part
    assert max(len(line) for line in out.splitlines()) <= 100


@pytest.mark.parametrize("name", RICE_METHODS)
def test_cli_rice_method_in_full_with_every_source(name):
    result = CliRunner().invoke(main, ["methods", name])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert flat.startswith(f"rice method {name}")
    raw = _rice_raw()[name]
    for key, item in raw.items():
        if isinstance(item, dict):
            assert key in flat
            assert " ".join(item["source"].split())[:40] in flat, (key, item["source"])
            assert item["unit"] in flat
    assert " ".join(raw["note"].split())[:40] in flat
    assert max(len(line) for line in result.output.splitlines()) <= 100


def test_cli_rice_methods_csv_json_and_unknown_name():
    data = json.loads(CliRunner().invoke(main, ["methods", "--format", "json"]).output)
    assert data["awd"]["kind"] == "rice_methods" and data["drip"]["kind"] == "methods"
    assert data["awd"]["values"]["awd_threshold"] == {
        "value": 150.0, "unit": "mm", "source": _rice_raw()["awd"]["awd_threshold"]["source"]}
    csv_out = CliRunner().invoke(main, ["methods", "awd", "--format", "csv"]).output
    assert "rice_methods,awd,pond_max,50.0,mm," in csv_out
    result = CliRunner().invoke(main, ["methods", "awdd"])
    assert isinstance(result.exception, InputError)
    assert "continuous_flooding" in str(result.exception) and "furrow" in str(result.exception)


def test_cli_rice_methods_from_user_folder(tmp_path):
    # a folder without rice.toml: the bundled rice methods, as for every missing file
    shutil.copy(models_dir() / "methods.toml", tmp_path / "methods.toml")
    result = CliRunner().invoke(main, ["methods", "--models", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "awd" in result.output and "models/rice.toml" in result.output
    # a user rice.toml is read by the same loader as the budget's (irrigate.science.paddy)
    text = (models_dir() / "rice.toml").read_text(encoding="utf-8")
    (tmp_path / "rice.toml").write_text(text.replace(
        'pond_min = { value = 170.0', 'pond_min = { value = 160.0'), encoding="utf-8")
    result = CliRunner().invoke(main, ["methods", "--models", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "160/220" in result.output
    (tmp_path / "rice.toml").write_text(text.replace(
        'pond_min = { value = 170.0', 'pond_min = { value = 270.0'), encoding="utf-8")
    result = CliRunner().invoke(main, ["methods", "--models", str(tmp_path)])
    assert isinstance(result.exception, InputError)
    assert "pond_min <= pond_max" in str(result.exception)


def _library_sources(table, out):
    """Collect the ``source`` of every ``{ value, unit, source }`` table in ``table``."""
    if isinstance(table, dict):
        if "value" in table and "source" in table:
            out.append(str(table["source"]))
        else:
            for item in table.values():
                _library_sources(item, out)
    return out


def test_is_assumption_reads_both_labels_and_nothing_else():
    from irrigate.library.schema import is_assumption
    assert is_assumption("assumption: no regional figure")
    assert is_assumption("  Assumption (A)")
    assert is_assumption("A") and is_assumption("A: same as 'strongly'")
    # source keys that merely start with the letter A are sources
    assert not is_assumption("ALI11 ch. 2 (V)") and not is_assumption("ALD21 (V): drip rice")
    assert not is_assumption("FAO-56 Table 12 (V)")


def test_bundled_assumptions_use_the_one_label():
    # the old status flag 'A' hid 16 assumptions from docs/count_assumptions.py; the bundled
    # library now writes every assumption as "assumption: <reasoning>"
    sources = []
    for path in sorted(models_dir().rglob("*.toml")):
        _library_sources(tomllib.loads(path.read_text(encoding="utf-8")), sources)
    assert len(sources) > 1000
    flagged = [s for s in sources if s.strip() == "A" or s.strip().startswith("A:")]
    assert flagged == []
    labelled = [s for s in sources if s.strip().lower().startswith("assumption")]
    assert all(s.strip().lower().startswith("assumption:") for s in labelled)
