"""Atomic output writing with metadata from the variables table."""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import xarray as xr

from irrigate.errors import InputError
from irrigate.variables import VARIABLES


def _umask() -> int:
    """Return the process umask (reading it means setting it; set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_output(path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Check that ``path`` can be written, before a long run rather than after it.

    Raises
    ------
    InputError
        If ``path`` exists and ``overwrite`` is false, is a folder, or its folder does not
        exist.

    """
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: is a folder; give a file name for the output")
    if target.exists() and not overwrite:
        raise InputError(f"{target}: output exists; pass --overwrite or choose another name")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{target}: folder {folder} does not exist; create it first")
    return target


@contextmanager
def atomic_path(path: str | os.PathLike, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``path`` and move it into place on success.

    The temporary file is removed if the body raises, so an interrupted run never leaves a
    half-written output.

    Raises
    ------
    InputError
        If ``path`` exists and ``overwrite`` is false, or its folder does not exist.

    """
    target = check_output(path, overwrite)
    folder = target.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes the file private (0600); give the output the usual permissions
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


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
    with atomic_path(path, overwrite) as tmp:
        ds.to_netcdf(tmp, encoding=encoding)
    return Path(path)


def write_text(text: str, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path, overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
