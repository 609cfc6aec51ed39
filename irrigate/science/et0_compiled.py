"""Fused, compiled FAO-56 Penman-Monteith ET0 (FAO-56 Eq. 6 with Eqs. 8-19, 37-40).

:func:`et0_fao56_compiled` computes, per element and in one pass over the weather fields,
what :func:`irrigate.science.et0.et0_fao56` computes with one numpy pass per operation:
e°(Tmax), e°(Tmin) and es (Eqs. 11-12), ea from the humidity variable given (Eqs. 14, 17,
18, 19 or ea itself), Delta at Tmean (Eqs. 9, 13), Rso (Eq. 37), Rns, Rnl and Rn (Eqs.
38-40, Rs/Rso limited to 1) and Eq. 6 with u2 limited below (p. 63). What depends only on
(latitude, day) or on elevation (Ra, Eq. 21; the Eq. 37 factor; gamma, Eqs. 7-8) is computed
first on its own small shape by the numpy functions and never spread over the whole grid.

Precision: float32 weather fields give a float32 result (computed in float64 inside and
rounded once), float64 fields a float64 result. e°(T) (Eq. 11) uses an exponential written
as a polynomial (Taylor series of degree 13 of exp(x/64), raised to the 64th power by six
squarings; relative error below 2e-14 for |x| <= 30, i.e. -150 to 100 degC), which the
compiler vectorises where the C library ``exp`` would be called once per element; a row
that holds a temperature outside that range is recomputed with ``math.exp``. The numpy
functions of :mod:`irrigate.science.et0` stay the reference: ``tests/test_compiled.py``
holds the two equal within 1e-9 mm/day.

Threads: called from the main thread, the rows of the grid are shared among numba's
threads; called from any other thread (a dask worker thread, a distributed worker) the
kernel runs serially, since the caller already runs one task per core and numba's default
thread pool must not be entered from two threads at once.
"""

from __future__ import annotations

import enum
import math
import threading
import time
from typing import Any

import numba
import numpy as np

from irrigate.science import radiation

ArrayLike = Any

#: 1/lambda, MJ m-2 day-1 to mm day-1 (FAO-56 Eq. 20); equal to irrigate.science.et0.MJ_TO_MM
#: (that module imports this one, so the value is written here; a test holds them equal).
MJ_TO_MM = 0.408
#: Lower limit of u2 (m s-1) in Eq. 6 (FAO-56 p. 63), as irrigate.science.et0.U2_MIN.
U2_MIN = 0.5
#: Temperatures (degC) inside which the polynomial exponential is used.
T_FAST = (-150.0, 100.0)


class Humidity(enum.IntEnum):
    """Which humidity variable the kernel's ``humidity`` (and ``humidity2``) input holds."""

    EA = 0          #: ea (kPa) itself
    TDEW = 1        #: dewpoint (degC): ea = e°(Tdew), FAO-56 Eq. 14
    RH_MAX_MIN = 2  #: RHmax and RHmin (%): FAO-56 Eq. 17
    RH_MAX = 3      #: RHmax (%) only: FAO-56 Eq. 18
    RH_MEAN = 4     #: RHmean (%): FAO-56 Eq. 19


_SIGMA = radiation.STEFAN_BOLTZMANN
_K = radiation.KELVIN_OFFSET
_RNS = 1.0 - radiation.ALBEDO_REFERENCE
_JIT = {"cache": True, "nogil": True, "error_model": "numpy",
        "fastmath": {"nsz", "arcp", "contract", "afn", "reassoc"}}


@numba.njit(inline="always", **_JIT)
def _exp_poly(x: float) -> float:  # pragma: no cover - compiled
    """exp(x) = exp(x/64)^64 with a degree-13 Taylor polynomial: vectorisable, |x| <= 30."""
    y = x * (1.0 / 64.0)
    p = 1.0 / 6227020800.0
    p = p * y + 1.0 / 479001600.0
    p = p * y + 1.0 / 39916800.0
    p = p * y + 1.0 / 3628800.0
    p = p * y + 1.0 / 362880.0
    p = p * y + 1.0 / 40320.0
    p = p * y + 1.0 / 5040.0
    p = p * y + 1.0 / 720.0
    p = p * y + 1.0 / 120.0
    p = p * y + 1.0 / 24.0
    p = p * y + 1.0 / 6.0
    p = p * y + 0.5
    p = p * y + 1.0
    p = p * y + 1.0
    p = p * p
    p = p * p
    p = p * p
    p = p * p
    p = p * p
    return p * p


@numba.njit(inline="always", **_JIT)
def _esat_fast(t: float) -> float:  # pragma: no cover - compiled
    return 0.6108 * _exp_poly(17.27 * t / (t + 237.3))  # Eq. 11


@numba.njit(inline="always", **_JIT)
def _esat_exact(t: float) -> float:  # pragma: no cover - compiled
    return 0.6108 * math.exp(17.27 * t / (t + 237.3))  # Eq. 11


def _make_row(esat: Any) -> Any:
    """Build the row kernel with the given e°(T); one source for the fast and exact rows."""

    def row(r, tmax, tmin, h1, h2, mode, rs, u2, ra, kz, gam, g, u2_min, rs_rso_min, out,
            buf, a, b):  # pragma: no cover - compiled
        # buf rows: 0 ea, 1 Rso, 2 gamma, 3 G; one buffer keeps the number of arrays the
        # vectoriser has to check for overlap small
        n = out.shape[1]
        for x in range(n):  # the helper fields of this row (broadcast views), contiguous
            buf[1, x] = kz[a, b, x] * ra[a, b, x]  # Rso, Eq. 37
            buf[2, x] = gam[a, b, x]
            buf[3, x] = g[a, b, x]
        if mode == 0:
            for x in range(n):
                buf[0, x] = h1[r, x]
        elif mode == 1:
            for x in range(n):
                buf[0, x] = esat(h1[r, x])  # Eq. 14
        elif mode == 2:
            for x in range(n):
                buf[0, x] = 0.5 * (esat(tmin[r, x]) * h1[r, x] / 100.0
                                   + esat(tmax[r, x]) * h2[r, x] / 100.0)  # Eq. 17
        elif mode == 3:
            for x in range(n):
                buf[0, x] = esat(tmin[r, x]) * h1[r, x] / 100.0  # Eq. 18
        else:
            for x in range(n):
                buf[0, x] = 0.5 * (esat(tmax[r, x]) + esat(tmin[r, x])) * h1[r, x] \
                    / 100.0  # Eq. 19
        for x in range(n):
            tx = tmax[r, x]
            tn = tmin[r, x]
            ea = buf[0, x]
            es = 0.5 * (esat(tx) + esat(tn))  # Eq. 12
            tm = 0.5 * (tx + tn)  # Eq. 9
            delta = 4098.0 * esat(tm) / ((tm + 237.3) * (tm + 237.3))  # Eq. 13
            rsx = rs[r, x]
            ratio = rsx / buf[1, x]  # Rs/Rso
            if not ratio <= 1.0:  # limited to 1; NaN (Rso = 0) -> 1, as numpy fmin
                ratio = 1.0
            if ratio < rs_rso_min:  # lower bound (ASCE-EWRI 2005 Eq. 18); 0 = none
                ratio = rs_rso_min
            k1 = tx + _K
            k2 = tn + _K
            k1 = k1 * k1
            k2 = k2 * k2
            rnl = _SIGMA * 0.5 * (k1 * k1 + k2 * k2) * (0.34 - 0.14 * math.sqrt(ea)) \
                * (1.35 * ratio - 0.35)  # Eq. 39
            rn = _RNS * rsx - rnl  # Eqs. 38, 40
            u = u2[r, x]
            if u < u2_min:  # FAO-56 p. 63; NaN stays NaN
                u = u2_min
            gm = buf[2, x]
            out[r, x] = (MJ_TO_MM * delta * (rn - buf[3, x])
                         + gm * 900.0 / (tm + 273.0) * u * (es - ea)) \
                / (delta + gm * (1.0 + 0.34 * u))  # Eq. 6
    return row


_row_fast = numba.njit(**_JIT)(_make_row(_esat_fast))
_row_exact = numba.njit(**_JIT)(_make_row(_esat_exact))


@numba.njit(**_JIT)
def _outside(r, tmax, tmin, h1, mode, lo, hi):  # pragma: no cover - compiled
    """Count the temperatures of row ``r`` outside the polynomial's range (NaN is inside)."""
    bad = 0
    for x in range(tmax.shape[1]):
        bad += (tmax[r, x] < lo) | (tmax[r, x] > hi) | (tmin[r, x] < lo) | (tmin[r, x] > hi)
        if mode == 1:
            bad += (h1[r, x] < lo) | (h1[r, x] > hi)
    return bad


@numba.njit(**_JIT)
def _one_row(r, tmax, tmin, h1, h2, mode, rs, u2, ra, kz, gam, g, u2_min, rs_rso_min, out,
             lo, hi, nb):  # pragma: no cover - compiled
    n = out.shape[1]
    a = r // nb
    b = r % nb
    buf = np.empty((4, n))
    _row_fast(r, tmax, tmin, h1, h2, mode, rs, u2, ra, kz, gam, g, u2_min, rs_rso_min, out,
              buf, a, b)
    if _outside(r, tmax, tmin, h1, mode, lo, hi) > 0:
        _row_exact(r, tmax, tmin, h1, h2, mode, rs, u2, ra, kz, gam, g, u2_min, rs_rso_min,
                   out, buf, a, b)


@numba.njit(parallel=True, **_JIT)
def _pm_parallel(tmax, tmin, h1, h2, mode, rs, u2, ra, kz, gam, g, u2_min, rs_rso_min, out,
                 lo, hi, nb):  # pragma: no cover - compiled
    for r in numba.prange(out.shape[0]):
        _one_row(r, tmax, tmin, h1, h2, mode, rs, u2, ra, kz, gam, g, u2_min, rs_rso_min,
                 out, lo, hi, nb)


@numba.njit(**_JIT)
def _pm_serial(tmax, tmin, h1, h2, mode, rs, u2, ra, kz, gam, g, u2_min, rs_rso_min, out,
               lo, hi, nb):  # pragma: no cover - compiled
    for r in range(out.shape[0]):
        _one_row(r, tmax, tmin, h1, h2, mode, rs, u2, ra, kz, gam, g, u2_min, rs_rso_min,
                 out, lo, hi, nb)


@numba.njit(parallel=True, **_JIT)
def _floor_parallel(a, b, c, d, e, out):  # pragma: no cover - compiled
    for r in numba.prange(out.shape[0]):
        for x in range(out.shape[1]):
            out[r, x] = a[r, x] + b[r, x] + c[r, x] + d[r, x] + e[r, x]


_compile_seconds: dict[str, float] = {}


def compile_seconds() -> dict[str, float]:
    """Seconds the first call of each kernel (per dtype) spent compiling or loading it."""
    return dict(_compile_seconds)


def _timed(name: str, fn: Any, *args: Any) -> None:
    key = f"{name}[{args[0].dtype}]"
    if key in _compile_seconds:
        fn(*args)
        return
    start = time.perf_counter()
    fn(*args)
    _compile_seconds[key] = time.perf_counter() - start


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _readonly(a: np.ndarray) -> np.ndarray:
    """Return a read-only view: one compiled signature whether the input is writable."""
    a = a.view()
    a.flags.writeable = False
    return a


def _rows(a: Any, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """Return a weather field as a C-contiguous (rows, last axis) array of ``dtype``."""
    a = np.ascontiguousarray(np.broadcast_to(np.asarray(a, dtype=dtype), shape))
    return _readonly(a.reshape(-1, shape[-1]))


def _helper(a: Any, shape3: tuple[int, int, int], full: tuple[int, ...]) -> np.ndarray:
    """Return a helper field (Ra, Rso factor, gamma, G) as a float64 view over 3 axes."""
    a = np.broadcast_to(np.asarray(a, dtype=np.float64), full)
    if len(full) > 3:  # rare: more than three axes; merge the leading ones (may copy)
        a = np.ascontiguousarray(a)
    return _readonly(a.reshape(shape3))


def memory_floor(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray, e: np.ndarray
                 ) -> np.ndarray:
    """Sum of five same-shape fields in one compiled pass, with the kernel's threads.

    The benchmark's memory floor: no kernel that reads five fields and writes one can take
    less time on the same machine, threads and dtype.
    """
    shape = np.shape(a)
    rows = [_rows(x, shape, np.asarray(a).dtype) for x in (a, b, c, d, e)]
    out = np.empty_like(rows[0])
    _timed("floor", _floor_parallel, *rows, out)
    return out.reshape(shape)


def penman_monteith_fused(
    tmax: np.ndarray,
    tmin: np.ndarray,
    humidity: np.ndarray,
    humidity2: np.ndarray | float,
    rs: np.ndarray,
    u2: np.ndarray | float,
    ra: np.ndarray,
    rso_factor: np.ndarray | float,
    gamma: np.ndarray | float,
    *,
    kind: Humidity = Humidity.EA,
    g: np.ndarray | float = 0.0,
    u2_min: float = U2_MIN,
    rs_rso_min: float = 0.0,
    dtype: Any = None,
) -> np.ndarray:
    """FAO-56 Eq. 6 (mm day-1) on numpy arrays, helpers already computed (one pass).

    Parameters
    ----------
    tmax, tmin, humidity, humidity2, rs, u2 : ndarray
        Weather fields (degC, humidity as named by ``kind``, MJ m-2 day-1, m s-1),
        broadcastable to one shape; ``humidity2`` is RHmin for ``Humidity.RH_MAX_MIN``
        and ignored otherwise.
    ra : ndarray
        Extraterrestrial radiation (MJ m-2 day-1, FAO-56 Eq. 21), broadcastable.
    rso_factor : ndarray or float
        0.75 + 2e-5 z of FAO-56 Eq. 37 (Rso = factor Ra).
    gamma : ndarray or float
        Psychrometric constant (kPa degC-1), FAO-56 Eq. 8.
    kind : Humidity
        What ``humidity`` holds.
    g : ndarray or float
        Soil heat flux (MJ m-2 day-1); 0 for daily steps (Eq. 42).
    u2_min : float
        Lower limit of u2 (m s-1).
    rs_rso_min : float
        Lower bound of Rs/Rso in Eq. 39 (0 = FAO-56 as printed, only <= 1; 0.3 =
        ASCE-EWRI 2005 Eq. 18).
    dtype : numpy dtype, optional
        Result type; default float32 when every weather field is float32, else float64.

    Returns
    -------
    ndarray
        ET0, mm day-1, of the broadcast shape.

    """
    kind = Humidity(kind)
    weather = [tmax, tmin, humidity, rs, u2] + ([humidity2] if kind == Humidity.RH_MAX_MIN
                                                 else [])
    helpers = [ra, rso_factor, gamma, g]
    full = np.broadcast_shapes(*(np.shape(x) for x in weather + helpers))
    if dtype is None:
        kinds = {np.asarray(x).dtype for x in weather if np.ndim(x)}
        dtype = np.float32 if kinds == {np.dtype(np.float32)} else np.float64
    dtype = np.dtype(dtype)
    shape_out = full
    if len(full) == 0:
        full = (1,)
    shape3 = (1,) * max(0, 3 - len(full)) + full[-3:] if len(full) <= 3 else \
        (int(np.prod(full[:-2])),) + full[-2:]
    shape2 = (int(np.prod(full[:-1])), full[-1])
    t1, t2, h1, r_s, u = (_rows(x, full, dtype) for x in (tmax, tmin, humidity, rs, u2))
    h2 = _rows(humidity2, full, dtype) if kind == Humidity.RH_MAX_MIN else h1[:1, :1]
    ra3, kz3, gam3, g3 = (_helper(x, shape3, full) for x in helpers)
    out = np.empty(shape2, dtype=dtype)
    run = _pm_parallel if _in_main_thread() else _pm_serial
    _timed("pm_parallel" if run is _pm_parallel else "pm_serial", run,
           t1, t2, h1, h2, int(kind), r_s, u, ra3, kz3, gam3, g3, float(u2_min),
           float(rs_rso_min), out, T_FAST[0], T_FAST[1], shape3[1])
    return out.reshape(shape_out)
