"""``irrigate fetch-era5``: build (and submit) Copernicus CDS requests for ERA5-Land."""

from __future__ import annotations

import json

import click


@click.command("fetch-era5")
@click.option("--year", type=int, required=True, help="Calendar year to download (1950-).")
@click.option("--bbox", default=None, metavar="N,W,S,E",
              help="Area in degrees, north,west,south,east [default: 55.5,46.5,40.5,87.5, "
                   "Kazakhstan].")
@click.option("--daily-statistics/--hourly", "daily", default=True, show_default=True,
              help="CDS daily statistics (one file per variable and statistic) or hourly "
                   "fields (one file per month).")
@click.option("--dry-run", is_flag=True, help="Print the request JSON and submit nothing.")
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False), default=None,
              help="Folder for the downloaded NetCDF files (created if missing).")
@click.option("--overwrite", is_flag=True, help="Replace files that already exist.")
def fetch_era5(year: int, bbox: str | None, daily: bool, dry_run: bool, outdir: str | None,
               overwrite: bool) -> None:
    """Download one year of ERA5-Land daily weather from the Copernicus CDS.

    Needs cdsapi (pip install "irrigate[era5]") and CDS credentials in ~/.cdsapirc or
    CDSAPI_URL/CDSAPI_KEY. The files can be passed straight to the other commands.
    """
    from irrigate.climate.era5_request import build_requests, parse_bbox, retrieve

    requests = build_requests(year, parse_bbox(bbox),
                              mode="daily-statistics" if daily else "hourly")
    if dry_run:
        click.echo(json.dumps([r.as_dict() for r in requests], indent=1))
        return
    if outdir is None:
        raise click.UsageError("-o/--output is required unless --dry-run")
    for path in retrieve(requests, outdir, overwrite=overwrite):
        click.echo(str(path))


COMMANDS = [fetch_era5]
