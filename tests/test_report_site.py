"""The advisory site: catalogues complete, numbers equal the budget, valid HTML, offline pages."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_budget import TURKESTAN, write_grid

from irrigate.cli.budget import site_from_budget
from irrigate.cli.main import main
from irrigate.engine.budget import budget
from irrigate.errors import InputError
from irrigate.library import load_library
from irrigate.output.budget_table import to_records
from irrigate.output.i18n import LANGUAGES, NNBSP, catalog, format_number, placeholders
from irrigate.output.pdf import chromium_args, find_chromium
from irrigate.output.report_site import ReportInputs, ratio_text, region_names
from irrigate.output.site_render import write_site

TEMPLATES = Path(__file__).resolve().parents[1] / "irrigate" / "output" / "templates"
SOURCES = Path(__file__).resolve().parents[1] / "irrigate" / "output"


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    return write_grid(tmp_path_factory.mktemp("site") / "turkestan.nc", *TURKESTAN)


@pytest.fixture(scope="module")
def ds(grid):
    return budget(grid, regions=["KZ-61", "KZ-71"], crops=["cotton", "maize_grain"])


@pytest.fixture(scope="module")
def sites(ds, grid, tmp_path_factory):
    """One site per language, from the same budget (PDF only where Chromium is present)."""
    out = {}
    for lang in LANGUAGES:
        site = site_from_budget(ds, lang, ReportInputs(climate=[grid]), load_library())
        folder = tmp_path_factory.mktemp(f"site_{lang}")
        write_site(site, ds, folder, pdf=lang == "ru" and find_chromium() is not None)
        out[lang] = (site, folder)
    return out


def test_catalogues_have_every_key_and_placeholder():
    reference = catalog("en")
    used = set()
    templates = list(TEMPLATES.glob("*site*.j2"))
    assert templates, TEMPLATES  # the keys used by the templates are checked, not skipped
    for path in templates:
        used |= set(re.findall(r"t\('([a-z_0-9]+)'", path.read_text()))
    for path in SOURCES.glob("*.py"):
        used |= set(re.findall(r'cat\.t\("([a-z_0-9]+)"', path.read_text()))
    assert used and not used - set(reference.messages), used - set(reference.messages)
    lib = load_library()
    for lang in LANGUAGES:
        cat = catalog(lang)
        assert set(cat.messages) == set(reference.messages), lang
        for key, text in reference.messages.items():
            assert placeholders(cat.messages[key]) == placeholders(text), (lang, key)
        assert set(lib.crops) <= set(cat.crops), lang
        assert set(lib.methods) <= set(cat.methods), lang
        assert len(cat.glossary) == len(reference.glossary) and len(cat.months) == 12
    # no Latin words left in the Kazakh and Russian texts except symbols and units
    allowed = {"ET", "ETc", "ETa", "Kc", "RAW", "TAW", "FAO", "irrigate", "ERA", "Land",
               "HTML", "PDF", "CSV", "Markdown", "A4", "crops", "methods", "soils",
               "practices", "Penman", "film", "crop", "calibrated"}
    for lang in ("ru", "kk"):
        for key, text in catalog(lang).messages.items():
            words = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"{\w+}", "", text)))
            assert words <= allowed, (lang, key, words - allowed)


def test_numbers_are_formatted_per_locale():
    assert format_number(1607.3, 1, "en") == "1,607.3"
    assert format_number(1607.3, 1, "ru") == f"1{NNBSP}607,3"
    assert format_number(-1234567, 0, "kk") == f"\u22121{NNBSP}234{NNBSP}567"
    assert format_number(-0.01, 1, "ru") == "0,0" and format_number(None) == "–"
    # 89.85 % is flagged as stress: never shown as "90"
    assert ratio_text(89.86, catalog("en")) == "89.9"
    assert ratio_text(89.999, catalog("ru")) == "89,999"
    assert ratio_text(90.2, catalog("en")) == "90" and ratio_text(95.4, catalog("en")) == "95"


def test_region_names_come_from_the_boundaries():
    names = region_names(["KZ-61", "KZ-59", "KZ-71", "KZ-79"], "2024", "kk")
    assert names["KZ-61"] == "Түркістан облысы" and names["KZ-71"] == "Астана қаласы"
    assert names["KZ-59"] == "Солтүстік Қазақстан облысы"  # Cyrillic і, not Latin i
    ru = region_names(["KZ-61", "KZ-79"], "2024", "ru")
    assert ru == {"KZ-61": "Туркестанская область", "KZ-79": "г. Шымкент"}


def _cells(html: str) -> list[tuple[str, str, str, str, str]]:
    """(crop, method, field, decimals/scale, text) of every number cell tied to the budget."""
    out = []
    for table in re.finditer(r'<table class="stack" data-crop="(\w+)">(.*?)</table>', html, re.S):
        crop = table.group(1)
        for row in re.finditer(r'<tr[^>]*data-method="(\w+)">(.*?)</tr>', table.group(2), re.S):
            for cell in re.finditer(r'<td class="n"[^>]*data-f="(\w+)"([^>]*)>([^<]*)</td>',
                                    row.group(2)):
                out.append((crop, row.group(1), cell.group(1), cell.group(2), cell.group(3)))
    return out


def _parse(text: str, lang: str) -> float:
    text = text.replace(NNBSP, "").replace("\u2212", "-")
    return float(text.replace(",", ".") if lang != "en" else text.replace(",", ""))


def test_every_number_equals_the_budget_json(ds, sites):
    records = {(r["crop"], r["method"]): r for r in to_records(ds) if r["region_code"] == "KZ-61"}
    for lang, (_, folder) in sites.items():
        html = (folder / "KZ-61.html").read_text()
        cells = _cells(html)
        assert len(cells) > 40, lang
        for crop, method, name, attrs, text in cells:
            scale = float(re.search(r'data-scale="([\d.]+)"', attrs).group(1)) \
                if "data-scale" in attrs else 1.0
            shown = _parse(text, lang)
            value = records[(crop, method)][name] * scale
            decimals = len(text.split("," if lang != "en" else ".")[1]) \
                if ("," if lang != "en" else ".") in text else 0
            assert shown == pytest.approx(value, abs=0.5 * 10 ** -decimals + 1e-9), \
                (lang, crop, method, name, text, value)
        # the monthly table adds up to the budget's in-season withdrawal
        site = sites[lang][0]
        ctx = site["regions"]["KZ-61"]
        season = sum(c["now_mcm"] for c in ctx["crops"])
        assert ctx["monthly_total"]["now"] == pytest.approx(season, rel=1e-9)


def test_html_is_valid_and_has_no_internal_names(sites):
    import html5lib

    for lang, (_, folder) in sites.items():
        for page in folder.glob("*.html"):
            parser = html5lib.HTMLParser(strict=True)
            parser.parse(page.read_text(encoding="utf-8"))
            text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
            text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
            for internal in ("fao_mad", "kz_furrow_current", "mulched_drip", "models/",
                             "regions.toml", "irr_gross"):
                assert internal not in text, (lang, page.name, internal)
            assert 'name="viewport"' in page.read_text()
            assert not re.search(r'(src|href)="https?:', page.read_text())
        assert (folder / "tables" / "budget.csv").read_text().startswith("# season: ")
        md = (folder / "KZ-61.md").read_text()
        assert "KZ-61" in md and "|---" in md


def test_exports_carry_provenance(sites):
    import json

    _, folder = sites["en"]
    meta = json.loads((folder / "budget.json").read_text())["metadata"]
    assert meta["climate_synthetic"] == "no" and meta["season"] and meta["irrigate_version"]
    head = [line for line in (folder / "tables" / "monthly.csv").read_text().splitlines()
            if line.startswith("#")]
    assert any("climate_source" in h for h in head) and any("irrigate_version" in h
                                                            for h in head)


@pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed")
def test_pages_open_offline_in_chromium_without_errors(sites):
    _, folder = sites["ru"]
    assert (folder / "report.pdf").read_bytes()[:5] == b"%PDF-"
    pages = sorted(folder.glob("*.html"))
    with tempfile.TemporaryDirectory() as profile:
        for page in pages:
            cmd = chromium_args(find_chromium(), profile) + [
                "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()]
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, done.stderr[-500:]
            assert "</html>" in done.stdout or "</body>" in done.stdout
            log = done.stderr
            assert "CONSOLE" not in log or not re.search(r"CONSOLE\(\d+\)].*(rror|Uncaught)",
                                                         log), log
            assert "net::ERR" not in log and "Failed to load resource" not in log, log


def test_report_output_suffix_is_checked(grid, tmp_path):
    out = tmp_path / "x.csv"
    result = CliRunner().invoke(main, ["report", "--input", str(grid), "--region", "KZ-61",
                                       "-o", str(out), "-q"])
    # InputError: the CLI entry point prints it as one line with exit status 2
    assert isinstance(result.exception, InputError)
    assert "a report is written as a folder" in str(result.exception)
    assert not out.exists() and not list(tmp_path.iterdir())


def test_report_cli_writes_one_language_page(grid, tmp_path):
    out = tmp_path / "kz61.html"
    result = CliRunner().invoke(main, ["report", "--input", str(grid), "--region", "KZ-61",
                                       "--crop", "cotton", "--lang", "kk", "-o", str(out),
                                       "-q"])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert '<html lang="kk">' in text and "Түркістан облысы" in text and "Мақта" in text


def test_budget_exports_carry_provenance(grid, tmp_path):
    import json

    import xarray as xr

    args = ["budget", "--input", str(grid), "--region", "KZ-61", "--crop", "cotton",
            "--method", "drip", "-q"]
    out = tmp_path / "b.json"
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(out.read_text()), list)  # the records keep their format
    meta = json.loads((tmp_path / "b.json.provenance.json").read_text())
    assert meta["season"] and meta["climate_synthetic"] == "no" and meta["irrigate_version"]
    assert "regions=KZ-61" in meta["options"]
    nc = tmp_path / "b.nc"
    result = CliRunner().invoke(main, [*args, "-o", str(nc)])
    assert result.exit_code == 0, result.output
    with xr.open_dataset(nc) as ds:
        assert ds.attrs["climate_synthetic"] == "no" and ds.attrs["season"]
        assert "irrigate_version" in ds.attrs and "options" in ds.attrs
