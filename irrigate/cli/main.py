"""The ``irrigate`` command group and its error handling.

Each sub-command lives in its own module of this package and exposes click commands in a
list named ``COMMANDS``. Errors of type :class:`irrigate.errors.InputError` end the program
with one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import importlib
import sys
import warnings

import click

from irrigate import __version__
from irrigate.errors import InputError

# Sub-command modules, in the order ``irrigate --help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "budget",
    "simulate",
    "schedule",
    "et0",
    "library",
    "calibrate",
    "calibrate_baseline",
    "validate",
    "fetch",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="irrigate")
def main() -> None:
    """Crop water demand, irrigation scheduling and regional water budgets (FAO-56)."""


def _register() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"irrigate.cli.{name}")
        for command in module.COMMANDS:
            main.add_command(command)


_register()


def run() -> None:
    """Console entry point: run ``main`` and turn input errors into exit status 2."""
    if not sys.warnoptions:
        # library deprecation notices are for developers; users see one-line errors only
        warnings.simplefilter("ignore")
    try:
        main.main(standalone_mode=False)
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        # bad option, value or command: one line like every other input error
        where = exc.ctx.command_path if exc.ctx is not None else "irrigate"
        message = " ".join(exc.format_message().split()).rstrip(".")
        click.echo(f"error: {where}: {message}; see '{where} --help'", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    run()
