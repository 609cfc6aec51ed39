"""``irrigate et0``: daily FAO-56 grass reference evapotranspiration from climate files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

METHOD_CHOICES = ("auto", "penman-monteith", "hargreaves")
#: Dimension names --chunks accepts (canonical, and as ERA5/CDS files spell them).
CHUNK_DIMS = ("time", "lat", "lon", "station", "valid_time", "latitude", "longitude")


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
    unknown = [name for name in out if name not in CHUNK_DIMS]
    if unknown:
        raise InputError(f"--chunks {text}: unknown dimension {unknown[0]!r}; use "
                         f"{', '.join(CHUNK_DIMS)}")
    return out


def cluster_options(func: Any) -> Any:
    """Add ``--workers N`` and ``--scheduler ADDRESS`` (dask.distributed) to a command."""
    func = click.option("--scheduler", default=None, metavar="ADDRESS",
                        help="Run on a running dask.distributed scheduler (e.g. "
                             "tcp://host:8786), inputs chunked in space; see "
                             "docs/scaling.md.")(func)
    return click.option("--workers", type=int, default=None, metavar="N",
                        help="Run on a local dask.distributed cluster of N worker "
                             "processes (needs irrigate[distributed]).")(func)


def space_chunks(ds: Any, parallel: Any) -> Any:
    """Chunk ``ds`` in space only (every chunk keeps all days) for the cluster's workers."""
    space = [d for d in ds.dims if d != "time"]
    if not space:
        return ds
    first = max(space, key=lambda d: ds.sizes[d])
    return ds.chunk({first: parallel.chunk(ds.sizes[first]), "time": -1})


def check_date(option: str, value: str | None) -> str | None:
    """Return ``value`` if it is an ISO date YYYY-MM-DD (or None)."""
    import datetime as dt

    from irrigate.errors import InputError

    if value is None:
        return None
    try:
        if len(value) != 10:  # fromisoformat also takes 20210401 and week dates
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value}: not a date; use YYYY-MM-DD, "
                         "e.g. 2021-04-01") from None
    return value


def check_location(lat: float | None, lon: float | None) -> None:
    """Refuse a latitude or longitude outside the globe."""
    from irrigate.errors import InputError

    if lat is not None and not -90.0 <= lat <= 90.0:
        raise InputError(f"--lat {lat:g}: latitude must be within -90..90 degrees north")
    if lon is not None and not -180.0 <= lon <= 360.0:
        raise InputError(f"--lon {lon:g}: longitude must be within -180..360 degrees east")


def check_missing_data_options(hourly: bool, method: str, ko: float, krs: float) -> None:
    """Check --ko and --krs (FAO-56 missing-data procedures of the daily method 'auto')."""
    from irrigate.errors import InputError

    given = [name for name, used in (("--ko", ko != 0.0), ("--krs", krs != 0.16)) if used]
    if given and (hourly or method != "auto"):
        why = "--hourly" if hourly else f"--method {method}"
        raise InputError(f"{given[0]}: used only by the daily missing-data procedures of "
                         f"--method auto, not with {why}; drop {given[0]}")
    if not 0.0 <= ko <= 5.0:
        raise InputError(f"--ko {ko:g}: Tmin - Tdew must be within 0-5 degC (FAO-56 p. 58: "
                         "0 humid, 2-3 arid)")
    if not 0.1 <= krs <= 0.25:
        raise InputError(f"--krs {krs:g}: must be within 0.10-0.25 (FAO-56 Eq. 50: 0.16 "
                         "interior, 0.19 coastal)")


def check_hourly_options(hourly: bool, method: str, daily_sum: bool, utc_offset: float,
                         night_ratio: float | None) -> None:
    """Refuse hourly-only options without --hourly, and daily methods with it."""
    from irrigate.errors import InputError

    if not hourly:
        given = [name for name, used in (("--daily-sum", daily_sum),
                                         ("--utc-offset", utc_offset != 0.0),
                                         ("--night-ratio", night_ratio is not None)) if used]
        if given:
            raise InputError(f"{given[0]}: only with --hourly; add --hourly or drop {given[0]}")
        return
    if method == "hargreaves":
        raise InputError("--method hargreaves: hourly ET0 is FAO-56 Penman-Monteith (Eq. 53) "
                         "only; drop --method or --hourly")
    if not -12.0 <= utc_offset <= 14.0:
        raise InputError(f"--utc-offset {utc_offset:g}: must be within -12..14 hours")
    if night_ratio is not None and not 0.3 <= night_ratio <= 1.0:
        raise InputError(f"--night-ratio {night_ratio:g}: Rs/Rso must be within 0.3-1.0 "
                         "(FAO-56 p. 75: 0.4-0.6 humid, 0.7-0.8 arid)")


#: ``--conventions``: a preset of FAO-56's open choices (irrigate.science.conventions).
CONVENTION_PRESETS = ("irrigate", "fao56-examples", "pyfao56")
conventions_option = click.option(
    "--conventions", type=click.Choice(CONVENTION_PRESETS), default="irrigate",
    show_default=True,
    help="Preset of FAO-56's open choices (docs/validation.md, 'Conventions'): irrigate; "
         "fao56-examples (Eq. 39 as printed, no Rs/Rso lower bound); pyfao56.")


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
@click.option("--ko", type=float, default=0.0, show_default=True, metavar="DEGC",
              help="Missing humidity: Tdew = Tmin - KO (FAO-56 Eq. 48; p. 58 and Annex 6: "
                   "2-3 in arid and semi-arid regions). Daily ET0 only.")
@click.option("--krs", type=float, default=0.16, show_default=True, metavar="COEF",
              help="Missing radiation: kRs of FAO-56 Eq. 50 (0.16 interior, 0.19 coastal). "
                   "Daily ET0 only.")
@click.option("--hourly", is_flag=True,
              help="Hourly ET0 (FAO-56 Eq. 53) from hourly ERA5/ERA5-Land files: writes "
                   "et0_hourly (mm h-1).")
@click.option("--daily-sum", is_flag=True,
              help="With --hourly: write daily et0 (mm day-1, sum of 24 hourly values, "
                   "complete days only) instead of et0_hourly.")
@click.option("--utc-offset", type=float, default=0.0, show_default=True, metavar="HOURS",
              help="With --hourly: hours east of UTC of the time stamps (ERA5: 0).")
@cluster_options
@click.option("--night-ratio", type=float, default=None, metavar="RATIO",
              help="With --hourly: Rs/Rso for night hours (0.3-1.0; FAO-56 p. 75); default: "
                   "the ratio 2-3 h before sunset.")
@conventions_option
def et0(inputs: tuple[str, ...], output: str, method: str, var: tuple[str, ...],
        lat: float | None, lon: float | None, elev: str | None, wind_height: float | None,
        start: str | None, end: str | None, chunks: str | None, overwrite: bool,
        ko: float, krs: float, hourly: bool, daily_sum: bool, utc_offset: float,
        night_ratio: float | None, conventions: str, workers: int | None = None,
        scheduler: str | None = None) -> None:
    """Compute daily reference evapotranspiration ET0 (mm/day) and write it to NetCDF.

    INPUT are climate files: ERA5/ERA5-Land hourly or CDS daily statistics, CF/CMIP or
    E-OBS NetCDF, station collections or station CSV (see docs/climate-input.md). With
    --hourly: hourly ET0 (mm/h) from hourly ERA5/ERA5-Land files (see docs/et0.md).
    """
    from irrigate.climate import open_climate
    from irrigate.engine.cluster import compute_on
    from irrigate.errors import InputError
    from irrigate.output.io import check_output, provenance, write_netcdf
    from irrigate.science.et0 import reference_et

    out = check_output(output, overwrite, fmt="netcdf")
    check_location(lat, lon)
    start, end = check_date("--start", start), check_date("--end", end)
    if start and end and end < start:
        raise InputError(f"--start {start} --end {end}: the end is before the start")
    check_hourly_options(hourly, method, daily_sum, utc_offset, night_ratio)
    check_missing_data_options(hourly, method, ko, krs)
    if hourly and conventions != "irrigate":
        raise InputError("--conventions: daily ET0 only (the hourly path always bounds Rs/Rso "
                         "to 0.3-1.0, FAO-56 p. 75); drop --conventions or --hourly")
    if hourly:
        from irrigate.cli.et0_hourly import run_hourly

        command = "irrigate et0 --hourly " + " ".join(
            [*(Path(p).name for p in inputs), "-o", out.name]
            + (["--daily-sum"] if daily_sum else []))
        click.echo(run_hourly(
            inputs, out, var_map=parse_var(var), lat=lat, lon=lon, elev=elev,
            wind_height=wind_height, chunks=parse_chunks(chunks), start=start, end=end,
            utc_offset=utc_offset, night_ratio=night_ratio, daily_sum=daily_sum,
            overwrite=overwrite, command=command))
        return
    ds = open_climate(
        list(inputs), var_map=parse_var(var), lat=lat, lon=lon, elevation=elev,
        wind_height=wind_height, chunks=parse_chunks(chunks),
        time_range=(start, end) if (start or end) else None, require=("tmax", "tmin"),
    )
    humidity = [v for v in ("tdew", "ea", "rh_max", "rh_min", "rh_mean") if v in ds]
    if ko != 0.0 and humidity:
        raise InputError(f"--ko {ko:g}: the input has humidity ({humidity[0]}), so Tdew is not "
                         "estimated from Tmin and --ko would change nothing; drop --ko")
    if krs != 0.16 and "rs" in ds:
        raise InputError(f"--krs {krs:g}: the input has solar radiation (rs), so it is not "
                         "estimated from the temperature range; drop --krs")
    with compute_on(workers, scheduler) as parallel:
        if parallel is not None:
            ds = space_chunks(ds, parallel)
        result = reference_et(ds, method=method, ko=ko, krs=krs, conventions=conventions)
        if parallel is not None:
            result = result.compute()  # on the workers, one task per chunk
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
