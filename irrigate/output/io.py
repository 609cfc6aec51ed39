"""Safe output writing with metadata from the variables table.

Every output is written to a temporary file next to the target and moved into place only
when complete, so a run that fails, is interrupted (SIGINT, SIGTERM) or runs out of disk
never leaves a half-written file, and an existing output is never clobbered without
``overwrite``:

* :func:`check_output` runs **before** any computation: the name is a file name (not a
  folder, no trailing ``/``), its suffix matches the format, the folder exists and is
  writable (a probe file is created and removed), and the target does not exist unless
  ``overwrite``.
* :func:`atomic_path` publishes the finished temporary file with an exclusive hard link
  when ``overwrite`` is false, so a file that appeared at the path during the run (another
  run, another program) is never replaced: the run ends with an error and the other file
  stays. With ``overwrite`` the temporary file replaces the target atomically
  (``os.replace``).
* The temporary files being written are listed in :func:`active_temporaries`; the CLI's
  signal handler removes them before the process ends (``irrigate.cli.main``).
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import xarray as xr

from irrigate.errors import InputError
from irrigate.variables import VARIABLES

#: Output formats by file suffix: an output whose suffix names another format is refused.
SUFFIX_FORMATS: dict[str, str] = {
    ".nc": "netcdf", ".nc4": "netcdf", ".csv": "csv", ".json": "json", ".md": "markdown",
    ".html": "html", ".htm": "html", ".toml": "toml", ".txt": "text",
}
_ACTIVE: set[Path] = set()


def active_temporaries() -> list[Path]:
    """Return the temporary files being written now (for a signal handler to remove)."""
    return list(_ACTIVE)


def _umask() -> int:
    """Return the process umask (reading it means setting it; set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _check_format(target: Path, fmt: str) -> None:
    named = SUFFIX_FORMATS.get(target.suffix.lower())
    if named is None or named == fmt or (named == "text" and fmt != "netcdf"):
        return  # a .txt file may hold any text format
    wanted = [s for s, f in SUFFIX_FORMATS.items() if f == fmt]
    fix = (f"name it {target.with_suffix(wanted[0]).name}" if wanted
           else "choose a name without that suffix")
    raise InputError(f"{target}: the suffix {target.suffix} means {named}, but the output is "
                     f"{fmt}; {fix}")


def _probe(folder: Path, target: Path) -> None:
    """Create and remove a file in ``folder``: fail now, not after the computation."""
    probe = folder / f".{target.name}.{secrets.token_hex(4)}.probe"
    try:
        fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise InputError(f"{target}: cannot write in folder {folder} ({exc.strerror}); "
                         "choose a writable folder or fix its permissions") from None
    os.close(fd)
    probe.unlink(missing_ok=True)


def check_output(path: str | os.PathLike, overwrite: bool = False,
                 fmt: str | None = None) -> Path:
    """Check that ``path`` can be written, before a long run rather than after it.

    Parameters
    ----------
    path : path
        The output file.
    overwrite : bool
        Whether an existing file may be replaced.
    fmt : str, optional
        The format that will be written (``netcdf``, ``csv``, ``json``, ``markdown``,
        ``html``, ``table``, ``toml``); a suffix of :data:`SUFFIX_FORMATS` naming another
        format is an error.

    Raises
    ------
    InputError
        If ``path`` ends with a path separator or is a folder, exists and ``overwrite`` is
        false, its folder does not exist or is not writable, or its suffix names another
        format.

    """
    text = os.fspath(path)
    if not text.strip():
        raise InputError("-o: empty file name; give the output file, e.g. -o out.nc")
    if text.endswith(("/", os.sep)):
        raise InputError(f"{text}: ends with '/', so it names a folder; give a file name "
                         f"inside it, e.g. {text}out{'.nc' if fmt == 'netcdf' else ''}")
    target = Path(text)
    if target.is_dir():
        raise InputError(f"{target}: is a folder; give a file name for the output")
    if fmt is not None:
        _check_format(target, fmt)
    if target.exists() and not overwrite:
        raise InputError(f"{target}: output exists; pass --overwrite or choose another name")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{target}: folder {folder} does not exist; create it first")
    _probe(folder, target)
    return target


def _publish(tmp: Path, target: Path, overwrite: bool) -> None:
    """Move the finished ``tmp`` to ``target``; without ``overwrite`` never replace a file."""
    if overwrite:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # atomic and exclusive: fails if the target appeared meanwhile
    except FileExistsError:
        raise InputError(f"{target}: a file appeared at this path while the run was writing "
                         "(another run or program); it was left as it is and nothing was "
                         "written: pass --overwrite or choose another name") from None
    except OSError:  # a file system without hard links: check again, then rename
        if target.exists():
            raise InputError(f"{target}: a file appeared at this path while the run was "
                             "writing; it was left as it is and nothing was written: pass "
                             "--overwrite or choose another name") from None
        os.replace(tmp, target)
        return
    tmp.unlink()


def _write_error(target: Path, exc: BaseException) -> InputError:
    """One line for a failed write (disk full, quota, permissions), nothing left behind."""
    folder = target.parent if str(target.parent) else Path(".")
    reason = getattr(exc, "strerror", None) or str(exc)
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or free == 0:
        return InputError(f"{target}: the disk is full ({reason}); nothing was written: free "
                          f"space in {folder} or write elsewhere")
    return InputError(f"{target}: could not be written ({reason}); nothing was written: check "
                      f"the folder {folder} (space, permissions) or write elsewhere")


@contextmanager
def atomic_path(path: str | os.PathLike, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``path`` and move it into place on success.

    The temporary file is removed if the body raises (and by the CLI's signal handler if
    the process is interrupted), so an interrupted run never leaves a half-written output;
    without ``overwrite`` an existing file is never replaced, even one created during the
    run.

    Raises
    ------
    InputError
        If ``path`` exists and ``overwrite`` is false (before or after the body), its folder
        does not exist or is not writable, or the file system refuses the write.

    """
    target = check_output(path, overwrite)
    folder = target.parent if str(target.parent) else Path(".")
    tmp = folder / f".{target.name}.{secrets.token_hex(4)}.part"
    _ACTIVE.add(tmp)  # listed before it exists: a signal handler may remove it at any time
    try:
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            yield tmp
            # the temporary file is private (0600); give the output the usual permissions
            os.chmod(tmp, 0o666 & ~_umask())
            _publish(tmp, target, overwrite)
        except OSError as exc:
            raise _write_error(target, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)
        _ACTIVE.discard(tmp)


def annotate(ds: xr.Dataset) -> xr.Dataset:
    """Replace the attributes of every known variable with those of the variables table."""
    ds = ds.copy()
    for name in list(ds.data_vars) + list(ds.coords):
        if name in VARIABLES:
            extra = {k: v for k, v in ds[name].attrs.items() if k in ("cell_methods", "method")}
            ds[name].attrs = {**VARIABLES[name].attrs(), **extra}
    return ds


def provenance(command: str, **extra: str) -> dict[str, str]:
    """Return global attributes recording how an output was made."""
    from irrigate import __version__

    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    attrs = {
        "Conventions": "CF-1.8",
        "source": f"irrigate {__version__}",
        "history": f"{now}: {command}",
    }
    attrs.update(extra)
    return attrs


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write ``ds`` to NetCDF atomically, with metadata from the variables table."""
    ds = annotate(ds)
    encoding = {
        name: {"zlib": True, "complevel": 4}
        for name in ds.data_vars
        if ds[name].dtype.kind in "fiu"
    }
    target = Path(path)
    with atomic_path(path, overwrite) as tmp:
        try:
            ds.to_netcdf(tmp, encoding=encoding)
        except RuntimeError as exc:  # netCDF4/HDF5 report a full disk as "HDF error"
            raise _write_error(target, exc) from exc
    return target


def write_text(text: str, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path, overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
