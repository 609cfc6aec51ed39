"""``irrigate report``: the advisory reports (site, pages, PDF) from one budget run.

Shares the budget's options and runner (:mod:`irrigate.cli.budget`); the contexts and the
rendering are in :mod:`irrigate.output.report_site` and :mod:`irrigate.output.site_render`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from irrigate.cli.budget import (
    REPORT_CHOICES,
    _budget_options,
    _check_output,
    _elevation,
    _emit,
    _format,
    _output_options,
    _run,
)

#: what ``irrigate report -o`` can write, by suffix ("" = a folder: the whole site)
REPORT_SUFFIXES = ("", ".html", ".htm", ".md", ".pdf")


def _report_target(output: str | None) -> str | None:
    """Return the kind of report output -o names (dir, html, md, pdf), refusing others."""
    from irrigate.errors import InputError

    if output is None:
        return None
    path = Path(output)
    if output.endswith(("/", "\\")) or path.is_dir():
        return "dir"
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise InputError(f"-o {output}: a report is written as a folder (-o DIR/), .html, .md "
                         "or .pdf; for CSV, JSON or NetCDF use 'irrigate budget'")
    return {"": "dir", ".htm": "html"}.get(suffix, suffix.lstrip("."))


@click.command("report")
@_budget_options
@_output_options(REPORT_CHOICES, "markdown")
@click.option("--lang", type=click.Choice(["ru", "kk", "en"]), default=None,
              help="Language of the report (Russian, Kazakh, English). Default: English.")
@click.option("--no-pdf", "no_pdf", is_flag=True,
              help="With -o DIR/: skip the PDF (which needs headless Chromium).")
def report(fmt: str | None, output: str | None, overwrite: bool, quiet: bool,
           lang: str | None, no_pdf: bool, **options: Any) -> None:
    r"""Irrigation advisory report for akimats, from one run of the water budget.

    \b
    -o DIR/       national overview (index.html: map, ranking), one page per region
                  (HTML and Markdown), tables as CSV with provenance, budget.json,
                  and report.pdf (A4, needs headless Chromium; --no-pdf skips it)
    -o FILE.html  one page: the region's page, or every region in one page
    -o FILE.md    the same as Markdown
    -o FILE.pdf   the whole report as PDF (A4)
    no -o         plain English Markdown report on stdout (--format html for HTML)

    Each regional page opens with a summary (today's withdrawal, the advised changes,
    what they save and what they cost the crop), then methods side by side per crop in mm,
    m3/ha and million m3, an irrigation calendar for a typical field, monthly withdrawal and
    scheme supply (l/s per ha), charts and a glossary. Same options as 'irrigate budget'.
    Key terms: gross = water applied at the field (mm, m3/ha); withdrawal = water taken at
    the source, field volume / conveyance efficiency (million m3); saving = withdrawal today
    minus withdrawal with the method. Full definitions: docs/budget.md in the irrigate
    source repository (not installed with the package) and docs/reports.md.
    """
    from irrigate.library import load_library

    target = _report_target(output)
    if target is None and lang is None:
        from irrigate.output.report import render_report

        fmt = _format(fmt, output, REPORT_CHOICES, "markdown")
        ds = _run(options, quiet)
        library = load_library(options["models"])  # the advice rule reads practices' crops
        _emit(render_report(ds, fmt=fmt, library=library), output, overwrite)
        return
    from irrigate.output.pdf import find_chromium, print_pdf
    from irrigate.output.report_site import ReportInputs
    from irrigate.output.site_render import render_page, write_pdf, write_site

    if target == "pdf" and find_chromium() is None:
        print_pdf(Path("report.html"), Path(str(output)))  # raises: says Chromium is needed
    if target in ("html", "md", "pdf"):
        _check_output(output, overwrite)
    elif target == "dir" and output is not None:
        folder = Path(output)
        if folder.exists() and any(folder.iterdir()) and not overwrite:
            raise InputError_(f"{folder}: folder is not empty; pass --overwrite or choose "
                              "another folder")
        if not folder.parent.is_dir() and str(folder.parent):
            raise InputError_(f"{folder}: folder {folder.parent} does not exist; create it "
                              "first")
    raw_options = {k: v for k, v in options.items() if v not in (None, (), False)}
    inputs_files = tuple(options.get("input_files", ())) + tuple(options.get("inputs", ()))
    ds = _run(options, quiet)
    from irrigate.climate.irrigated_fraction import read_irrigated_fraction

    fraction = options["irrigated_fraction"]
    inputs = ReportInputs(
        climate=list(inputs_files) or None, models=options["models"],
        layout=options["layout"],
        elevation=_elevation(options["elevation"], inputs_files),
        var_map=None,
        irrigated_fraction=read_irrigated_fraction(fraction) if fraction else None,
        command="irrigate report " + " ".join(sys.argv[2:]),
        options={k: ",".join(map(str, v)) if isinstance(v, tuple) else str(v)
                 for k, v in raw_options.items() if k not in ("inputs", "input_files")})
    if options["var"]:
        from irrigate.cli.et0 import parse_var

        inputs = ReportInputs(**{**inputs.__dict__, "var_map": parse_var(options["var"])})
    library = load_library(options["models"])
    site = site_from_budget(ds, lang or "en", inputs, library)
    if target == "dir":
        files = write_site(site, ds, Path(str(output)), overwrite=overwrite, pdf=not no_pdf)
        click.echo(f"wrote {len(files)} files to {output}", err=True)
    elif target == "pdf":
        write_pdf(site, Path(str(output)), overwrite=overwrite)
        click.echo(f"wrote {output}", err=True)
    elif target == "html":
        one = len(site["codes"]) == 1
        text = (render_page(site, "site_region.html.j2", r=site["regions"][site["codes"][0]],
                            single=True) if one else render_page(site, "site_print.html.j2"))
        _emit(text, output, overwrite)
    else:  # Markdown: the overview and every region, or the region alone; also stdout
        pages = [] if len(site["codes"]) == 1 else [render_page(site, "site_index.md.j2")]
        pages += [render_page(site, "site_region.md.j2", r=site["regions"][c])
                  for c in site["codes"]]
        _emit("\n".join(pages), output, overwrite)


def site_from_budget(ds: Any, lang: str, inputs: Any, library: Any) -> dict[str, Any]:
    """Typical fields for the calendars and charts, then the site (no science here).

    :func:`irrigate.output.report_site.typical_plan` says which crops and methods the
    pages need, :func:`irrigate.engine.typical.typical_fields` simulates them on the
    budget's own climate input, :func:`irrigate.output.report_site.build_site` renders.
    """
    from irrigate.engine.typical import typical_fields
    from irrigate.output.report_site import build_site, schedule_map, typical_plan

    season = int(ds.attrs.get("season") or 0)
    typical = typical_fields(inputs.climate, season, typical_plan(ds, library),
                             schedule_map(ds), models=inputs.models, layout=inputs.layout,
                             elevation=inputs.elevation, var_map=inputs.var_map,
                             irrigated_fraction=inputs.irrigated_fraction) if season else {}
    return build_site(ds, lang, inputs, library=library, typical=typical)


def InputError_(message: str) -> Exception:  # noqa: N802
    """Return an :class:`irrigate.errors.InputError` (imported late: the CLI starts fast)."""
    from irrigate.errors import InputError

    return InputError(message)


COMMANDS = [report]
