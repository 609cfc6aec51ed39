"""``irrigate et0``: daily FAO-56 grass reference evapotranspiration from climate files."""

from __future__ import annotations

from pathlib import Path

import click

METHOD_CHOICES = ("auto", "penman-monteith", "hargreaves")


def parse_var(values: tuple[str, ...]) -> dict[str, str]:
    """Parse repeated ``NAME=SOURCE`` options into a dict."""
    from irrigate.errors import InputError

    out: dict[str, str] = {}
    for value in values:
        name, sep, source = value.partition("=")
        if not sep or not name.strip() or not source.strip():
            raise InputError(f"--var {value}: write it as NAME=VARIABLE, e.g. --var tmax=TX")
        out[name.strip()] = source.strip()
    return out


def parse_chunks(text: str | None) -> dict[str, int] | None:
    """Parse ``lat=50,lon=50`` into a dask chunks dict."""
    from irrigate.errors import InputError

    if not text:
        return None
    out: dict[str, int] = {}
    for part in text.split(","):
        name, sep, size = part.partition("=")
        try:
            if not sep or int(size) < 1:
                raise ValueError
            out[name.strip()] = int(size)
        except ValueError:
            raise InputError(f"--chunks {text}: write it as DIM=SIZE,..., e.g. "
                             "lat=50,lon=50") from None
    return out


@click.command("et0")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Output NetCDF file (written atomically).")
@click.option("--method", type=click.Choice(METHOD_CHOICES), default="auto",
              show_default=True,
              help="auto: Penman-Monteith (FAO-56 Eq. 6) with the FAO-56 missing-data "
                   "procedures; penman-monteith: measured data only; hargreaves: Eq. 52.")
@click.option("--var", "var", multiple=True, metavar="NAME=VARIABLE",
              help="Map a canonical name to a variable of the files, e.g. --var tmax=TX "
                   "(repeatable).")
@click.option("--lat", type=float, default=None,
              help="Latitude (degrees north) of a CSV station; with --lon selects the "
                   "nearest cell/station of a NetCDF input.")
@click.option("--lon", type=float, default=None, help="Longitude (degrees east).")
@click.option("--elev", default=None, metavar="METRES|FILE",
              help="Elevation in m, or a NetCDF file with z/orog/elevation (needed without "
                   "surface pressure).")
@click.option("--wind-height", type=float, default=None, metavar="METRES",
              help="Height of the wind speed input (overrides file metadata and defaults).")
@click.option("--start", default=None, metavar="YYYY-MM-DD", help="First day.")
@click.option("--end", default=None, metavar="YYYY-MM-DD", help="Last day.")
@click.option("--chunks", default=None, metavar="DIM=SIZE,...",
              help="Process lazily with dask in chunks, e.g. lat=50,lon=50.")
@click.option("--overwrite", is_flag=True, help="Replace an existing output file.")
def et0(inputs: tuple[str, ...], output: str, method: str, var: tuple[str, ...],
        lat: float | None, lon: float | None, elev: str | None, wind_height: float | None,
        start: str | None, end: str | None, chunks: str | None, overwrite: bool) -> None:
    """Compute daily reference evapotranspiration ET0 (mm/day) and write it to NetCDF.

    INPUT are climate files: ERA5/ERA5-Land hourly or CDS daily statistics, CF/CMIP or
    E-OBS NetCDF, station collections or station CSV (see docs/climate-input.md).
    """
    from irrigate.climate import open_climate
    from irrigate.errors import InputError
    from irrigate.et0 import reference_et
    from irrigate.io import provenance, write_netcdf

    out = Path(output)
    if out.exists() and not overwrite:
        raise InputError(f"{out}: output exists; pass --overwrite or choose another name")
    ds = open_climate(
        list(inputs), var_map=parse_var(var), lat=lat, lon=lon, elevation=elev,
        wind_height=wind_height, chunks=parse_chunks(chunks),
        time_range=(start, end) if (start or end) else None, require=("tmax", "tmin"),
    )
    result = reference_et(ds, method=method)
    result.attrs["cell_methods"] = "time: sum"
    keep = [c for c in ("lat", "lon", "station") if c in ds.coords]
    data = result.to_dataset(name="et0").assign_coords({c: ds[c] for c in keep})
    if "elevation" in ds and ds["elevation"].ndim > 0:
        data = data.assign_coords(elevation=ds["elevation"])
    command = "irrigate et0 " + " ".join(
        [*(Path(p).name for p in inputs), "-o", out.name, "--method", method])
    data.attrs = provenance(
        command,
        title="Daily FAO-56 grass reference evapotranspiration",
        input_files=", ".join(Path(p).name for p in inputs),
        et0_method=str(result.attrs.get("method", method)),
        **{k: str(v) for k, v in ds.attrs.items() if k.startswith("climate_")},
    )
    write_netcdf(data, out, overwrite=overwrite)
    click.echo(f"wrote {out} (et0, {data.sizes['time']} days; {result.attrs.get('method')})")


COMMANDS = [et0]
