"""``irrigate calibrate``: fit library parameters to field observations (no science here)."""

from __future__ import annotations

from pathlib import Path

import click

from irrigate.errors import InputError


@click.command("calibrate")
@click.argument("observations", required=False, type=click.Path(path_type=Path))
@click.option("--preset", type=str, default=None,
              help="Shipped observation set instead of OBSERVATIONS: 'xinjiang'.")
@click.option("--param", "params", multiple=True, metavar="KIND.ENTRY.FIELD=LO:HI[@START]",
              help="Parameter to fit with bounds, e.g. crop.cotton.kcb_mid=0.9:1.3 "
                   "(repeatable; default: the observation set's list).")
@click.option("--models", type=click.Path(path_type=Path), default=None,
              help="Parameter library folder (default: the bundled models/).")
@click.option("--weather", type=click.Choice(["monthly", "stochastic"]), default=None,
              help="Daily weather from the station's monthly climate: monthly ET0 spread over "
                   "the days, or a stochastic generator (default: the set's choice).")
@click.option("--seed", type=int, default=None, help="Seed of the stochastic weather.")
@click.option("--seeds", type=str, default=None, metavar="N1,N2,...",
              help="Also refit with stochastic weather for each seed and print the spread of "
                   "the fitted values (sensitivity to the weather choice).")
@click.option("--starts", type=int, default=None,
              help="Optimiser starts (the first at the start values, the others spread over "
                   "the bounds); the lowest cost wins (default: the set's value, else 1).")
@click.option("--id", "calibration_id", type=str, default=None,
              help="Calibration id written into the calibrated values' sources.")
@click.option("--name", "names", multiple=True, metavar="KIND.ENTRY=NEW",
              help="Name of a calibrated entry in the output file, e.g. "
                   "crop.cotton=xinjiang_cotton (default: the set's rename table).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the calibrated entries to this model file (TOML).")
@click.option("--report", type=click.Path(path_type=Path), default=None,
              help="Also write the printed report to this text file.")
@click.option("--record", type=click.Path(path_type=Path), default=None,
              help="Also write a machine-readable TOML record of the fit (parameters, "
                   "standard errors, statistics, observed vs simulated).")
@click.option("--overwrite", is_flag=True, help="Replace existing output files.")
def calibrate(observations: Path | None, preset: str | None, params: tuple[str, ...],
              models: Path | None, weather: str | None, seed: int | None, seeds: str | None,
              starts: int | None,
              calibration_id: str | None, names: tuple[str, ...], output: Path | None,
              report: Path | None, record: Path | None, overwrite: bool) -> None:
    """Fit library parameters to the observations in OBSERVATIONS (TOML) and report the fit.

    Prints the fitted values with standard errors and identifiability diagnostics, observed
    vs simulated for every observation, and RMSE, bias, NSE and R2; with -o writes a model
    file whose values cite the calibration (name it <name>_calibrated.toml and put it in the
    library folder for the library to load it).
    """
    from irrigate import calibration as cal
    from irrigate.output.io import check_output, write_text

    if (observations is None) == (preset is None):
        raise InputError("calibrate: give exactly one of OBSERVATIONS (a TOML file) or "
                         "--preset NAME")
    path = cal.preset_path(preset) if preset else observations
    obs = cal.load_observations(path)
    rename = dict(obs.rename)
    for item in names:
        key, sep, new = item.partition("=")
        if not sep or key.count(".") != 1 or not new:
            raise InputError(f"--name {item}: write KIND.ENTRY=NEW, e.g. "
                             "crop.cotton=xinjiang_cotton")
        rename[key] = new
    seed_list: list[int] = []
    if seeds:
        try:
            seed_list = [int(s) for s in seeds.split(",") if s.strip()]
        except ValueError:
            raise InputError(f"--seeds {seeds}: expected integers separated by commas") \
                from None
    targets = ((output, "toml"), (report, "text"), (record, "toml"))
    for target, fmt in targets:
        if target is not None:  # every output writable before the fit, not after it
            check_output(target, overwrite, fmt=fmt)
    result = cal.calibrate(obs, list(params) or None, models=models, weather=weather,
                           seed=seed, calibration_id=calibration_id, starts=starts)
    text = result.table()
    if seed_list:
        spread = cal.weather_sensitivity(obs, list(params) or None, seed_list, models=models,
                                         reference=result)
        text += "\n\n" + cal.format_sensitivity(spread)
    click.echo(text)
    if output is not None:
        cal.write_model(result, output, rename=rename, overwrite=overwrite)
        click.echo(f"wrote {output}")
    if report is not None:
        write_text(text + "\n", report, overwrite=overwrite)
        click.echo(f"wrote {report}")
    if record is not None:
        write_text(cal.fit_record(result), record, overwrite=overwrite)
        click.echo(f"wrote {record}")


COMMANDS = [calibrate]
