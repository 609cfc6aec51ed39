"""Rendering and writing of the advisory site: pages from templates, CSV tables, files, PDF.

The contexts come from :func:`irrigate.output.report_site.build_site`; this module turns them
into HTML and Markdown with the Jinja2 templates in ``output/templates`` (``site_*``), the
tables into CSV with provenance comment lines, and writes the folder (atomically, file by
file) and the PDF (:mod:`irrigate.output.pdf`).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import xarray as xr

from irrigate.output.i18n import Catalog
from irrigate.output.io import atomic_path, check_output, write_text
from irrigate.output.pdf import find_chromium, print_pdf
from irrigate.output.report_site import ratio_text

__all__ = ["render_page", "csv_tables", "write_site", "write_pdf"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment(cat: Catalog) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined)
    env.globals.update(t=cat.t, crop=cat.crop, method=cat.method, date=cat.date)
    env.filters["num"] = cat.num
    env.filters["ratio"] = lambda v: ratio_text(v, cat)
    env.filters["mdcell"] = lambda s: str(s).replace("|", "\\|")
    return env


def render_page(site: dict[str, Any], template: str, **extra: Any) -> str:
    """Render one template of the site (``site_index.html.j2``, ``site_region.html.j2`` ...).

    The print version (``site_print.html.j2``) links regions inside the page and shows the
    glossary once; the others link the regional pages.
    """
    env = _environment(site["cat"])
    printing = template == "site_print.html.j2"

    def link(code: str) -> str:
        return f"#{code}" if printing else f"{code}.html"

    return env.get_template(template).render(site=site, cat=site["cat"],
                                             prov=site["provenance"], printing=printing,
                                             link=link, **extra)


def csv_tables(site: dict[str, Any], ds: xr.Dataset) -> dict[str, str]:
    """Return the report's tables as CSV text, each opened by ``# key: value`` lines."""
    import csv
    import io

    head = "".join(f"# {k}: {v}\n" for k, v in site["provenance"].items())
    tables: dict[str, str] = {}

    def write(name: str, fields: list[str], rows: list[dict[str, Any]]) -> None:
        buffer = io.StringIO()
        buffer.write(head)
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: "" if r.get(k) is None else r.get(k) for k in fields})
        tables[name] = buffer.getvalue()

    from irrigate.output.budget_table import to_records

    write("budget.csv", list(to_records(ds)[0]) if to_records(ds) else [], to_records(ds))
    rows = []
    for code in site["codes"]:
        ctx = site["regions"][code]
        for row in ctx.get("monthly", []):
            rows.append({"region_code": code, "month": row["label"],
                         "withdrawal_now_mcm": round(row["now_mcm"], 3),
                         "withdrawal_advised_mcm": round(row["advised_mcm"], 3),
                         "supply_now_l_s_ha": round(row["now_lsha"], 3),
                         "supply_advised_l_s_ha": round(row["advised_lsha"], 3)})
    write("monthly.csv", ["region_code", "month", "withdrawal_now_mcm",
                          "withdrawal_advised_mcm", "supply_now_l_s_ha",
                          "supply_advised_l_s_ha"], rows)
    rows = []
    for code in site["codes"]:
        for cal in site["regions"][code].get("calendars", []):
            for e in cal["events"]:
                rows.append({"region_code": code, "crop": cal["crop"], "method": cal["method"],
                             "date": e["date"].date().isoformat(),
                             "net_mm": round(e["net_mm"], 1),
                             "gross_mm": round(e["gross_mm"], 1),
                             "gross_m3_ha": round(e["m3ha"], 0),
                             "depletion_before_mm": round(e["depletion_mm"], 1),
                             "days_since_previous": e["days"]})
    write("calendar.csv", ["region_code", "crop", "method", "date", "net_mm", "gross_mm",
                           "gross_m3_ha", "depletion_before_mm", "days_since_previous"], rows)
    return tables


def write_site(site: dict[str, Any], ds: xr.Dataset, folder: Path, overwrite: bool = False,
               pdf: bool = True) -> list[Path]:
    """Write the site into ``folder`` (created if needed); return the files written.

    Every file is written to a temporary name and renamed (:func:`irrigate.output.io.write_text`);
    with ``pdf`` the PDF needs Chromium (:func:`print_pdf`), and its absence is an InputError
    raised *before* anything is written.
    """
    from irrigate.output.budget_table import to_records
    if pdf and find_chromium() is None:
        print_pdf(Path("missing.html"), Path("missing.pdf"))  # raises the InputError
    folder.mkdir(parents=True, exist_ok=True)
    pages: dict[str, str] = {"index.html": render_page(site, "site_index.html.j2")}
    for code in site["codes"]:
        ctx = site["regions"][code]
        pages[f"{code}.html"] = render_page(site, "site_region.html.j2", r=ctx)
        pages[f"{code}.md"] = render_page(site, "site_region.md.j2", r=ctx)
    pages["index.md"] = render_page(site, "site_index.md.j2")
    for name, text in csv_tables(site, ds).items():
        pages[f"tables/{name}"] = text
    pages["budget.json"] = json.dumps({"metadata": site["provenance"],
                                       "records": to_records(ds)},
                                      indent=1, ensure_ascii=False) + "\n"
    targets = [folder / name for name in pages]
    if pdf:
        targets.append(folder / "report.pdf")
    for target in targets:
        check_output(target, overwrite) if target.parent.exists() else None
    (folder / "tables").mkdir(exist_ok=True)
    written = []
    for name, text in pages.items():
        written.append(write_text(text, folder / name, overwrite=overwrite))
    if pdf:
        with tempfile.TemporaryDirectory() as tmp:
            printable = Path(tmp) / "print.html"
            printable.write_text(render_page(site, "site_print.html.j2"), encoding="utf-8")
            with atomic_path(folder / "report.pdf", overwrite) as part:
                out = Path(tmp) / "report.pdf"
                print_pdf(printable, out)
                shutil.copyfile(out, part)
        written.append(folder / "report.pdf")
    return written


def write_pdf(site: dict[str, Any], path: Path, overwrite: bool = False) -> Path:
    """Write only the PDF of the site to ``path``."""
    with tempfile.TemporaryDirectory() as tmp:
        printable = Path(tmp) / "print.html"
        printable.write_text(render_page(site, "site_print.html.j2"), encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        print_pdf(printable, out)
        with atomic_path(path, overwrite) as part:
            shutil.copyfile(out, part)
    return path
