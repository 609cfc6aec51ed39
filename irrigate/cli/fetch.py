"""``irrigate fetch-era5``: build (and submit) Copernicus CDS requests for ERA5-Land."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from irrigate.errors import InputError

if TYPE_CHECKING:  # irrigate.climate imports xarray: loaded when the command runs
    from irrigate.climate.era5_request import CdsRequest


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
    from irrigate.climate.era5_request import build_requests, parse_bbox

    requests = build_requests(year, parse_bbox(bbox),
                              mode="daily-statistics" if daily else "hourly")
    if dry_run:
        click.echo(json.dumps([r.as_dict() for r in requests], indent=1))
        return
    if outdir is None:
        raise click.UsageError("-o/--output is required unless --dry-run")
    for path in retrieve(requests, outdir, overwrite=overwrite):
        click.echo(str(path))


def retrieve(
    requests: list[CdsRequest], outdir: str | os.PathLike, overwrite: bool = False,
    client: Any = None,
) -> list[Path]:
    """Submit ``requests`` with cdsapi and download each into ``outdir`` atomically.

    All targets are checked before anything is submitted: an existing file is an error
    unless ``overwrite``. A download that arrives as a zip (CDS packs some daily-statistics
    results) is unpacked when it holds exactly one NetCDF file.

    Raises
    ------
    InputError
        cdsapi missing, credentials missing, or a target exists.

    """
    from irrigate.climate.era5_request import check_credentials, import_cdsapi
    from irrigate.output.io import atomic_path

    folder = Path(outdir)
    targets = [folder / r.target for r in requests]
    if not overwrite:
        existing = [str(t) for t in targets if t.exists()]
        if existing:
            raise InputError(
                f"{existing[0]}: output exists ({len(existing)} of {len(targets)} files); "
                "pass --overwrite or choose another -o folder"
            )
    if client is None:
        cdsapi = import_cdsapi()
        check_credentials()
        client = cdsapi.Client()
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for req, target in zip(requests, targets, strict=True):
        with atomic_path(target, overwrite=True) as tmp:
            client.retrieve(req.dataset, req.request).download(str(tmp))
            if zipfile.is_zipfile(tmp):
                _unzip_single(tmp, target)
        done.append(target)
    return done


def _unzip_single(tmp: Path, target: Path) -> None:
    with zipfile.ZipFile(tmp) as zf:
        names = [n for n in zf.namelist() if n.endswith(".nc")]
        if len(names) != 1:
            raise InputError(
                f"{target}: the CDS sent a zip with {len(names)} NetCDF files; unpack it by hand"
            )
        data = zf.read(names[0])
    tmp.write_bytes(data)


COMMANDS = [fetch_era5]
