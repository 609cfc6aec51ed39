"""The ``irrigate`` command group and its error handling.

Each sub-command lives in its own module of this package and exposes click commands in a
list named ``COMMANDS``. :func:`run` is the console entry point and the one place where
failures become messages for people:

* :class:`irrigate.errors.InputError` (bad input): ``error: <message>`` on stderr, exit 2;
* an operating-system error (a file that cannot be read or written, a full disk): one line
  with the path, the reason and what to do, exit 2;
* anything else (a library error, a bug): one line naming the error, exit 1, with the advice
  to run again with ``--debug``, which shows the traceback instead;
* SIGINT (Ctrl-C) and SIGTERM end the run at once: the temporary output files being written
  are removed (an existing output is never touched before the new one is complete), one line
  ``interrupted``/``terminated`` is printed and the exit status is 130/143.
"""

from __future__ import annotations

import errno
import importlib
import os
import signal
import sys
import warnings
from types import FrameType

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
#: What to do about an operating-system error, by errno.
_OS_FIXES: dict[int, str] = {
    errno.ENOENT: "check the path",
    errno.EACCES: "check the permissions or choose another file or folder",
    errno.EPERM: "check the permissions or choose another file or folder",
    errno.ENOSPC: "free disk space or write elsewhere",
    errno.EDQUOT: "free space in your quota or write elsewhere",
    errno.EROFS: "the file system is read-only; write elsewhere",
    errno.EISDIR: "give a file, not a folder",
    errno.ENOTDIR: "a part of the path is not a folder; check the path",
    errno.EMFILE: "too many open files: pass fewer files or raise the limit (ulimit -n)",
}
_SIGNAL_WORDS = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    """Remove the temporary outputs being written and end the process at once.

    Called for SIGINT and SIGTERM. Ending with ``os._exit`` instead of raising
    KeyboardInterrupt cannot deadlock on locks held by dask or NetCDF threads, and the old
    output is intact because the new one is only moved into place when complete.
    """
    io = sys.modules.get("irrigate.output.io")
    for tmp in io.active_temporaries() if io is not None else ():
        try:
            os.unlink(tmp)
        except OSError:
            pass
    os.write(2, f"{_SIGNAL_WORDS.get(signum, 'stopped')}\n".encode())
    os._exit(128 + signum)


# Started as the ``irrigate`` program (not imported by a test or a notebook): end on Ctrl-C
# or SIGTERM from the first moment on, before the sub-commands are even registered.
if __name__ == "__main__" or os.path.basename(sys.argv[0]) == "irrigate":
    for _signum in _SIGNAL_WORDS:
        signal.signal(_signum, _on_signal)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="irrigate")
def main() -> None:
    """Crop water demand, irrigation scheduling and regional water budgets (FAO-56).

    Add --debug anywhere to see the traceback of an error.
    """


def _register() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"irrigate.cli.{name}")
        for command in module.COMMANDS:
            main.add_command(command)


_register()


def _os_message(exc: OSError) -> str:
    """One line for an operating-system error: path, reason, what to do."""
    path = " -> ".join(str(p) for p in (exc.filename, exc.filename2) if p is not None)
    reason = exc.strerror or str(exc)
    fix = _OS_FIXES.get(exc.errno or 0, "check the path, the permissions and the free space")
    return f"{path}: {reason}; {fix}" if path else f"{reason}; {fix}"


def _exit_for(exc: BaseException) -> int:
    """Print the one-line message of ``exc`` and return the exit status."""
    if isinstance(exc, InputError):
        click.echo(f"error: {exc}", err=True)
        return 2
    if isinstance(exc, click.exceptions.Abort):
        click.echo("aborted", err=True)
        return 1
    if isinstance(exc, click.UsageError):
        # bad option, value or command: one line like every other input error
        where = exc.ctx.command_path if exc.ctx is not None else "irrigate"
        message = " ".join(exc.format_message().split()).rstrip(".")
        click.echo(f"error: {where}: {message}; see '{where} --help'", err=True)
        return 2
    if isinstance(exc, click.ClickException):
        click.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        return 130
    if isinstance(exc, OSError):
        click.echo(f"error: {' '.join(_os_message(exc).split())}", err=True)
        return 2
    if isinstance(exc, MemoryError):
        click.echo("error: out of memory; select fewer regions, crops or years, or open the "
                   "climate with --chunks (where the command has it)", err=True)
        return 1
    text = " ".join(str(exc).split()) or "no message"
    click.echo(f"error: {type(exc).__name__}: {text} (unexpected; run again with --debug "
               "for the traceback and report it)", err=True)
    return 1


def run() -> None:
    """Console entry point: run ``main``; every failure becomes one line and an exit status.

    ``--debug`` anywhere on the command line shows the traceback of an error instead.
    """
    debug = "--debug" in sys.argv[1:]
    if debug:
        sys.argv.remove("--debug")
    elif not sys.warnoptions:
        # library deprecation notices are for developers; users see one-line errors only
        warnings.simplefilter("ignore")
    previous = {signum: signal.signal(signum, _on_signal) for signum in _SIGNAL_WORDS}
    try:
        main.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the one top-level handler of the CLI
        if debug:
            raise
        sys.exit(_exit_for(exc))
    except KeyboardInterrupt as exc:  # not an Exception; only without the signal handler
        sys.exit(_exit_for(exc))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


if __name__ == "__main__":
    run()
