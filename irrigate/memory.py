"""Give freed memory back to the operating system (glibc), after the large reads.

Reading compressed NetCDF through dask leaves freed buffers inside the C allocator: glibc
raises its mmap threshold after the first large buffer is freed, so later chunk-sized
buffers come from the heap and stay with the process after they are freed. Measured on a
10-year 0.1 deg input: 0.49 GB of the 1.35 GB held after the input check was such free
heap (``malloc_trim`` returned it), and a season of the budget on it peaked at 2.67 GB
without the trims and 1.69 GB with them. dask.distributed trims its workers the same way.
Elsewhere (macOS, Windows, musl) this is a no-op.
"""

from __future__ import annotations

import ctypes
import functools

__all__ = ["release_freed_memory"]


@functools.cache
def _trim():
    """Return glibc's ``malloc_trim``, or None where the C library has none.

    Looked up among the symbols the process has loaded (``CDLL(None)``), not with
    ``ctypes.util.find_library``, which starts a subprocess (a fork of a large process).
    """
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


def release_freed_memory() -> None:
    """Return the C heap's free pages to the operating system (glibc ``malloc_trim(0)``)."""
    trim = _trim()
    if trim is not None:
        trim(0)
