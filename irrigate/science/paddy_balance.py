"""The ponded rice balance: kernel on numpy arrays and its xarray wrapper.

The daily sequence, state and conventions are described in :mod:`irrigate.science.paddy`
(records and seasonal summary). The kernel takes named records: :class:`PaddyForcing` (the
weather) and :class:`PaddySetup` (crop, methods, soil and the climate-adjusted Kc); before the
loop over days :func:`paddy_arrays` turns the setup into plain float64 arrays
(:class:`PaddyArrays`), so the loop reads no Python object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.errors import InputError
from irrigate.science.crop import k_curve
from irrigate.science.paddy import RiceCalendar, RiceMethod, RiceSoil
from irrigate.science.params import Crop
from irrigate.variables import VARIABLES

__all__ = ["PADDY_OUTPUTS", "PaddyArrays", "PaddyForcing", "PaddySetup", "paddy_arrays",
           "paddy_kernel", "simulate_paddy"]

#: Daily output variables of the kernel, in order.
PADDY_OUTPUTS: tuple[str, ...] = (
    "pond", "sat_def", "kc", "etc", "eta", "irr_net", "irr_gross", "soak", "precip_in",
    "perc", "ro", "drain",
)


class PaddyForcing(NamedTuple):
    """Daily weather of the paddy balance, shape (..., time).

    A season with NaN on any of its active days (soaking or season) is NaN in every output
    from soaking to harvest.
    """

    et0: np.ndarray     # reference ET, mm/day
    precip: np.ndarray  # precipitation, mm/day


class PaddySetup(NamedTuple):
    """What the paddy balance runs: the rice crop, its water-management methods and soil.

    Attributes
    ----------
    crop : Crop
        Rice crop record: stage lengths (FAO-56 Table 11), Kc ini/mid/end and Kcb mid/end
        (Tables 12, 17), zr_max (Table 22) and p (Table 22, 0.20 of saturation).
    methods : sequence of RiceMethod
        The methods, one per output column.
    soil : RiceSoil
        Paddy soil (percolation and seepage rate, water contents).
    kc_mid, kc_end : float or ndarray, optional
        Climate-adjusted Kc mid/end (FAO-56 Eq. 62/65), one value or one per cell
        (broadcastable to the leading shape of the forcing); the crop's table values where
        None or NaN. Methods with ``kc_from_kcb`` use the table Kcb mid/end instead.

    """

    crop: Crop
    methods: Sequence[RiceMethod]
    soil: RiceSoil
    kc_mid: Any = None
    kc_end: Any = None


class PaddyArrays(NamedTuple):
    """Float64 settings of the loop.

    Per method (1, method), per cell (cells, method), Kc-curve weights (day, method) and
    scalars of soil and crop (mm, days).
    """

    flooded: np.ndarray      # keeps a pond (bool)
    pond_min: np.ndarray     # mm
    pond_max: np.ndarray     # mm
    bund: np.ndarray         # bund height, mm
    puddle: np.ndarray       # puddling water layer while soaking, mm
    soak_days: np.ndarray    # days of land soaking before sowing
    drain_off: np.ndarray    # final drain-off, days before harvest
    mid_drain: np.ndarray    # mid-season drainage day after sowing
    flow: np.ndarray         # flow-through outflow while ponded, mm/day
    awd: np.ndarray          # alternate wetting and drying (bool)
    awd_start: np.ndarray    # first AWD day after sowing
    awd_trigger: np.ndarray  # AWD re-flooding level (pond - deficit), mm
    awd_reflood: np.ndarray  # AWD re-flooding depth, mm
    awd_flower: np.ndarray   # days of ponding kept from flowering
    efficiency: np.ndarray   # application efficiency, net / gross
    stress_start: np.ndarray  # deficit where Ks starts to fall, mm
    k_ini: np.ndarray        # Kc ini (FAO-56 Table 14 for a flooded field)
    k_mid: np.ndarray        # Kc mid per cell and method
    k_end: np.ndarray        # Kc end per cell and method
    w_ini: np.ndarray        # Eq. 66 day weights of Kc ini, (day, method)
    w_mid: np.ndarray
    w_end: np.ndarray
    kc_shift: int            # index of the sowing day in the weights
    perc_rate: float         # percolation and seepage, mm/day
    taw_sat: float           # saturation -> wilting point over zr_max, mm
    drainable: float         # saturation -> field capacity over zr_max, mm
    soak_def: float          # deficit at the start of soaking, mm
    season_len: int          # sowing to harvest, days
    flower0: int             # first mid-season day after sowing


def paddy_arrays(setup: PaddySetup, lead: tuple[int, ...]) -> PaddyArrays:
    """Turn the setup into the loop's arrays for ``lead`` cells (leading forcing shape)."""
    crop, methods, soil = setup.crop, setup.methods, setup.soil
    n = int(np.prod(lead)) if lead else 1

    def col(attr: str) -> np.ndarray:
        return np.array([getattr(m, attr) for m in methods], dtype=float)[None, :]

    flooded = col("flooded") > 0
    zr_mm = 1000.0 * crop.zr_max
    taw_sat = (soil.theta_sat - soil.theta_wp) * zr_mm      # saturation -> wilting point
    drainable = (soil.theta_sat - soil.theta_fc) * zr_mm    # saturation -> field capacity
    taw_fc = (soil.theta_fc - soil.theta_wp) * zr_mm        # FAO-56 Eq. 82
    from_kcb = col("kc_from_kcb") > 0

    def per_cell(value: Any, table: float) -> np.ndarray:
        # scalar or per-cell (broadcast to the cells) value; None or NaN = table value
        v = np.broadcast_to(np.asarray(table if value is None else value, dtype=float), lead)
        return np.where(np.isfinite(v), v, table).reshape(n, 1)

    soak_days = col("soak_days")
    # Kc curve per method by day after sowing: Kc ini while soaking (open water, FAO-56
    # Table 14), then FAO-56 Eq. 66; NaN after harvest. Eq. 66 is linear in (Kc ini, mid,
    # end), so the curve is tabulated as day weights and Kc mid/end may differ by cell.
    lengths = np.array([[crop.l_ini, crop.l_dev, crop.l_mid, crop.l_late]], dtype=float)
    season_len = crop.l_ini + crop.l_dev + crop.l_mid + crop.l_late
    kc_shift = int(max(soak_days.max(), 0))
    days = np.arange(-kc_shift, season_len + 1, dtype=float)[:, None] * np.ones(
        (1, len(methods)))
    w_ini, w_mid, w_end = (np.where(days < 0, float(unit[0]), k_curve(days, lengths, *unit))
                           for unit in ((1, 0, 0), (0, 1, 0), (0, 0, 1)))
    return PaddyArrays(
        flooded=flooded, pond_min=col("pond_min"), pond_max=col("pond_max"),
        bund=col("bund_height"), puddle=col("puddle_pond"), soak_days=soak_days,
        drain_off=col("drain_off_days"), mid_drain=col("midseason_drain_day"),
        flow=col("flow_through"), awd=col("awd") > 0, awd_start=col("awd_start"),
        # AWD trigger: perched water table awd_threshold below the surface
        awd_trigger=-col("awd_threshold") * (soil.theta_sat - soil.theta_fc),
        awd_reflood=col("awd_reflood"), awd_flower=col("awd_flowering_days"),
        efficiency=col("efficiency"),
        # no-stress deficit: "0.20 of saturation" for ponded rice (FAO-56 Table 22 fn 4);
        # drip/film rice: RAW = p TAW below field capacity (FAO-56 Eq. 83)
        stress_start=np.where(flooded, crop.p * taw_sat, drainable + crop.p * taw_fc),
        k_ini=np.where(np.isfinite(col("kc_ini")), col("kc_ini"), crop.kc_ini),
        k_mid=np.where(from_kcb, crop.kcb_mid, per_cell(setup.kc_mid, crop.kc_mid)),
        k_end=np.where(from_kcb, crop.kcb_end, per_cell(setup.kc_end, crop.kc_end)),
        w_ini=w_ini, w_mid=w_mid, w_end=w_end, kc_shift=kc_shift,
        perc_rate=soil.perc_rate, taw_sat=taw_sat, drainable=drainable,
        soak_def=min(soil.soak_deficit, taw_sat), season_len=season_len,
        flower0=crop.l_ini + crop.l_dev)


def paddy_kernel(forcing: PaddyForcing, sowing: np.ndarray, setup: PaddySetup
                 ) -> tuple[np.ndarray, ...]:
    """Run the ponded rice balance on numpy arrays.

    Parameters
    ----------
    forcing : PaddyForcing
        Reference ET and precipitation, mm/day, shape (..., time).
    sowing : ndarray of int, shape (...) or (..., seasons)
        Index along ``time`` of the sowing/transplanting day of each cell, one per season;
        seasons (with their soaking) must not overlap.
    setup : PaddySetup
        Crop, methods, soil and climate-adjusted Kc.

    Returns
    -------
    tuple of ndarray, each shape (..., time, method)
        The variables of :data:`PADDY_OUTPUTS`, in that order (mm or mm/day; ``kc`` in 1).

    """
    et0 = np.asarray(forcing.et0, dtype=float)
    precip = np.asarray(forcing.precip, dtype=float)
    lead = et0.shape[:-1]
    nt = et0.shape[-1]
    n = int(np.prod(lead)) if lead else 1
    sow = np.asarray(sowing)
    if sow.ndim == len(lead):
        sow = sow[..., None]
    n_seasons = sow.shape[-1]
    d0 = np.sort(np.broadcast_to(sow, (*lead, n_seasons)).reshape(n, n_seasons)
                 .astype(np.int64), axis=-1)
    outs = _paddy_loop(et0.reshape(n, nt), precip.reshape(n, nt), d0,
                       paddy_arrays(setup, lead))
    nm = len(setup.methods)
    return tuple(np.moveaxis(outs[k], 0, 1).reshape(*lead, nt, nm) for k in PADDY_OUTPUTS)


def _paddy_loop(e2: np.ndarray, p2: np.ndarray, d0: np.ndarray, a: PaddyArrays
                ) -> dict[str, np.ndarray]:
    """Loop over the days (steps 1-6 of :mod:`irrigate.science.paddy`), time-major outputs."""
    n, nt = e2.shape
    nm = a.pond_min.shape[1]
    rows = np.arange(n)
    shape = (n, nm)
    kc_shift, season_len, flower0 = a.kc_shift, a.season_len, a.flower0
    soak_days, drain_off = a.soak_days, a.drain_off
    taw_sat, drainable, stress_start = a.taw_sat, a.drainable, a.stress_start
    kc_last = a.w_ini.shape[0] - 1
    cols = np.arange(nm)[None, :]
    pond = np.zeros(shape)
    sdef = np.full(shape, a.soak_def)
    outs = {k: np.zeros((nt, n, nm)) for k in PADDY_OUTPUTS}   # time-major while filling
    bad = np.zeros(shape, dtype=bool)   # missing weather on an active day of this season
    t_start = np.zeros(shape, dtype=np.int64)

    def blank(mask: np.ndarray, t_end: int) -> None:
        # a season with missing weather on any active day is NaN from soaking to its end
        for i, j in zip(*np.nonzero(mask), strict=True):
            for k in PADDY_OUTPUTS:
                outs[k][t_start[i, j]:t_end + 1, i, j] = np.nan

    for t in range(nt):
        # days after the sowing of the current season (the latest one whose soaking began)
        d_all = t - d0
        k = (d_all >= -kc_shift).sum(axis=1) - 1
        d_cell = np.where(k >= 0, d_all[rows, np.maximum(k, 0)], -10 ** 6)
        d = d_cell[:, None] * np.ones(shape)
        soaking = (d >= -soak_days) & (d < 0)
        season = (d >= 0) & (d < season_len)
        active = soaking | season
        start = d == -soak_days
        pond = np.where(start, 0.0, pond)
        sdef = np.where(start, a.soak_def, sdef)
        bad = bad & ~start
        t_start = np.where(start, t, t_start)
        draining = season & (d >= season_len - drain_off)
        bad |= active & (np.isnan(e2[:, t:t + 1]) | np.isnan(p2[:, t:t + 1]))
        mid_day = season & (d == a.mid_drain)

        # 2. irrigation by the level rule
        in_awd = (a.awd & season & (d >= a.awd_start)
                  & ~((d >= flower0) & (d < flower0 + a.awd_flower)))
        trigger = np.where(soaking, a.puddle, a.pond_min)
        target = np.where(soaking, a.puddle, a.pond_max)
        trigger = np.where(in_awd, a.awd_trigger, trigger)
        target = np.where(in_awd, a.awd_reflood, target)
        trigger = np.where(a.flooded, trigger, -stress_start)
        target = np.where(a.flooded, target, -drainable)
        level = pond - sdef
        may = active & ~draining & ~mid_day
        irr = np.where(may & (level < trigger), np.maximum(target - level, 0.0), 0.0)
        fill = np.minimum(irr, sdef)
        sdef = sdef - fill
        pond = pond + (irr - fill)

        # 3. rain, caught by the bunds up to the crest
        rain = np.where(active, np.nan_to_num(p2[:, t:t + 1]), 0.0) * np.ones(shape)
        fill = np.minimum(rain, sdef)
        sdef = sdef - fill
        pond = pond + (rain - fill)
        ro = np.maximum(pond - a.bund, 0.0)
        pond = pond - ro

        # 4. crop ET (FAO-56 Eq. 66 Kc; Ks FAO-56 Eq. 84)
        # Kc by day after sowing, looked up in the precomputed FAO-56 Eq. 66 curve
        kd = np.clip(d + kc_shift, 0, kc_last).astype(np.intp)
        kc = (a.w_ini[kd, cols] * a.k_ini + a.w_mid[kd, cols] * a.k_mid
              + a.w_end[kd, cols] * a.k_end)
        etc = np.where(active, kc * np.nan_to_num(e2[:, t:t + 1]), 0.0)
        ks = np.where((pond > 0) | (sdef <= stress_start), 1.0,
                      np.clip((taw_sat - sdef) / np.maximum(taw_sat - stress_start, 1e-9),
                              0.0, 1.0))
        demand = ks * etc
        from_pond = np.minimum(demand, pond)
        pond = pond - from_pond
        from_soil = np.minimum(demand - from_pond, taw_sat - sdef)
        sdef = sdef + from_soil
        eta = from_pond + from_soil

        # 5. percolation and seepage while water above field capacity is available
        avail = pond + np.maximum(drainable - sdef, 0.0)
        perc = np.where(active, np.minimum(a.perc_rate, avail), 0.0)
        from_pond = np.minimum(perc, pond)
        pond = pond - from_pond
        sdef = sdef + (perc - from_pond)

        # 6. surface drainage: flow-through, mid-season drainage, final drain-off
        ft = np.where(season & ~draining, np.minimum(a.flow, pond), 0.0)
        pond = pond - ft
        dr = np.where(draining | mid_day, pond, 0.0)
        pond = pond - dr

        o = outs
        o["pond"][t] = pond
        o["sat_def"][t] = sdef
        o["kc"][t] = np.where(active, kc, np.nan)
        o["etc"][t] = etc
        o["eta"][t] = eta
        o["irr_net"][t] = irr
        o["irr_gross"][t] = irr / a.efficiency
        o["soak"][t] = np.where(soaking, irr, 0.0)
        o["precip_in"][t] = rain
        o["perc"][t] = perc
        o["ro"][t] = ro
        o["drain"][t] = ft + dr
        last = bad & (d == season_len - 1)
        if last.any():
            blank(last, t)
            bad = bad & ~last

    if bad.any():
        blank(bad, nt - 1)
    return outs


# ----------------------------------------------------------------------------------------
# xarray wrapper
# ----------------------------------------------------------------------------------------


def simulate_paddy(et0: xr.DataArray, precip: xr.DataArray, sowing: Any = None, *,
                   crop: Crop, methods: Sequence[RiceMethod], soil: RiceSoil,
                   calendar: RiceCalendar | None = None, kc_mid: Any = None,
                   kc_end: Any = None) -> xr.Dataset:
    """Simulate ponded rice (and drip/film rice) day by day on a grid or stations.

    Parameters
    ----------
    et0, precip : xarray.DataArray
        Daily reference ET and precipitation (mm/day) with dims ``(time, <space>...)``;
        numpy- or dask-backed (chunk in space only).
    sowing : int, date-like, list of them, xarray.DataArray or None
        Sowing/transplanting day: an index along ``time`` or a date; a list of them for
        several seasons (one a year); a DataArray over the space dims (and optionally
        ``season``) of indices or dates; or None for the crop's default sowing date
        (``crop.sowing``, MM-DD) in every year whose whole season fits in the time axis.
        Every season, with its soaking, must lie inside the time axis.
    crop : irrigate.science.params.Crop
        Rice record (``paddy = true``).
    methods : sequence of RiceMethod
        Water-management methods (records of ``models/rice.toml``, e.g.
        ``continuous_flooding``, ``awd``, ``drip_film_rice``).
    soil : RiceSoil
        Paddy soil (percolation and seepage by texture).
    calendar : RiceCalendar, optional
        A regional calendar whose stage lengths replace the crop's.
    kc_mid, kc_end : float or xarray.DataArray, optional
        Climate-adjusted Kc mid/end (FAO-56 Eq. 62/65): one value or a DataArray over the
        space dims of ``et0`` (one per cell; NaN = table value). Default: the crop's table
        values.

    Returns
    -------
    xarray.Dataset
        Daily variables over ``(time, <space>..., method)``: ``pond``, ``sat_def``, ``kc``,
        ``etc``, ``eta``, ``irr_net``, ``irr_gross``, ``soak``, ``precip``, ``perc``, ``ro``,
        ``drain`` (see :mod:`irrigate.variables`).

    """
    et0, precip = _aligned_forcing(et0, precip)
    crop, meths = _checked_setup(crop, methods, soil, calendar)
    time = pd.DatetimeIndex(et0["time"].values)
    space = et0.isel(time=0, drop=True)
    if space.size == 0 or time.size == 0:
        raise InputError("et0: no cells or no days to simulate; check the selection")
    d0 = _season_indices(sowing, time, space, crop, max(m.soak_days for m in meths))
    if et0.chunks is not None:
        et0 = et0.chunk({"time": -1})
        precip = precip.chunk({"time": -1})
    kcs = [_per_cell_kc(name, value, space)
           for name, value in (("kc_mid", kc_mid), ("kc_end", kc_end))]

    def kernel(e: np.ndarray, p: np.ndarray, s: np.ndarray, k_mid: np.ndarray,
               k_end: np.ndarray) -> tuple[np.ndarray, ...]:
        return paddy_kernel(PaddyForcing(e, p), s, PaddySetup(crop, meths, soil, k_mid, k_end))

    names = [("precip" if k == "precip_in" else k) for k in PADDY_OUTPUTS]
    results = xr.apply_ufunc(
        kernel, et0, precip, d0, *kcs,
        input_core_dims=[["time"], ["time"], ["season"], [], []],
        output_core_dims=[["time", "method"]] * len(names),
        dask="parallelized",
        output_dtypes=[float] * len(names),
        dask_gufunc_kwargs={"output_sizes": {"method": len(meths)}},
    )
    ds = xr.Dataset({k: v for k, v in zip(names, results, strict=True)})
    ds = ds.assign_coords(method=[m.name for m in meths], time=et0["time"])
    ds = ds.transpose("time", *space.dims, "method")
    for k in ds.data_vars:
        if k in VARIABLES:
            ds[k].attrs = VARIABLES[k].attrs()
    ds.attrs["soil"] = soil.name
    ds.attrs["crop"] = crop.name
    ds.attrs["init_storage_mm"] = -min(soil.soak_deficit,
                                       (soil.theta_sat - soil.theta_wp) * 1000 * crop.zr_max)
    return ds


def _aligned_forcing(et0: Any, precip: Any) -> tuple[xr.DataArray, xr.DataArray]:
    """Check that ET0 and precipitation are DataArrays over the same time axis and cells."""
    for name, arr in (("et0", et0), ("precip", precip)):
        if not isinstance(arr, xr.DataArray) or "time" not in arr.dims:
            raise InputError(f"{name}: need an xarray.DataArray with a 'time' dimension")
    try:
        return xr.align(et0, precip, join="exact")
    except ValueError as exc:
        raise InputError("et0 and precip: coordinates differ; give both on the same time "
                         "axis and cells") from exc


def _checked_setup(crop: Any, methods: Any, soil: Any, calendar: RiceCalendar | None
                   ) -> tuple[Crop, list[RiceMethod]]:
    """Check the records; return the crop (stage lengths of ``calendar``) and the methods."""
    if not isinstance(crop, Crop) or not crop.paddy:
        raise InputError(f"crop {getattr(crop, 'name', crop)!r}: not a paddy crop record "
                         "(paddy = true); give the library's rice Crop")
    meths = list(methods)
    if not meths:
        raise InputError("methods: give at least one rice method")
    for m in meths:
        if not isinstance(m, RiceMethod):
            raise InputError(f"method {m!r}: give RiceMethod records (rice.toml, resolved by "
                             "the parameter library), not names")
    if not isinstance(soil, RiceSoil):
        raise InputError(f"soil {soil!r}: give a RiceSoil record (rice.toml), not a name")
    if calendar is not None:
        crop = replace(crop, l_ini=calendar.l_ini, l_dev=calendar.l_dev,
                       l_mid=calendar.l_mid, l_late=calendar.l_late, cuttings=())
    return crop, meths


def _season_indices(sowing: Any, time: pd.DatetimeIndex, space: xr.DataArray, crop: Crop,
                    soak: int) -> xr.DataArray:
    """Sowing indices over space and ``season``; every season with its soaking must fit."""
    length = crop.l_ini + crop.l_dev + crop.l_mid + crop.l_late
    d0 = _sowing_index(sowing, time, space, crop, soak)
    gaps = np.diff(np.sort(d0.values, axis=-1), axis=-1)
    if gaps.size and gaps.min() < length + soak:
        raise InputError(f"sowing: seasons overlap (sowings {int(gaps.min())} days apart, a "
                         f"season with soaking lasts {length + soak} days); one season a year")
    first = int(d0.min()) - soak
    last = int(d0.max()) + length
    if first < 0 or last > time.size:
        raise InputError(f"sowing: the season (with soaking) runs from index {first} to "
                         f"{last - 1}, outside the time axis 0..{time.size - 1}; extend the "
                         "climate data or move the sowing date")
    return d0


def _per_cell_kc(name: str, value: Any, space: xr.DataArray) -> xr.DataArray:
    """One Kc value or one per cell of ``space`` as a float DataArray (NaN = table value)."""
    value = xr.DataArray(np.nan if value is None else value)
    extra = set(value.dims) - set(space.dims)
    if extra:
        raise InputError(f"{name}: dimension(s) {sorted(extra)} not in et0; give one value "
                         "or one per cell of et0")
    return value.astype(float)


def _sowing_index(sowing: Any, time: pd.DatetimeIndex, space: xr.DataArray,
                  crop: Crop, soak_days: int) -> xr.DataArray:
    """Turn the sowing argument into time indices over the space dims (and ``season``)."""
    def one(value: Any) -> int:
        if isinstance(value, int | np.integer):
            return int(value)
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, TypeError) as exc:
            raise InputError(f"sowing={value!r}: not a day index or a date; "
                             "give e.g. '2010-05-10'") from exc
        idx = time.get_indexer([stamp.normalize()])[0]
        if idx < 0:
            raise InputError(f"sowing={value!r}: date is outside the climate time axis "
                             f"({time[0].date()} .. {time[-1].date()})")
        return int(idx)

    if sowing is None:
        if not crop.sowing:
            raise InputError(f"crop '{crop.name}': no default sowing date; pass sowing=")
        length = crop.l_ini + crop.l_dev + crop.l_mid + crop.l_late
        days = []
        for year in sorted(set(time.year)):
            try:
                stamp = pd.Timestamp(f"{year}-{crop.sowing}")
            except ValueError as exc:
                raise InputError(f"crop '{crop.name}': sowing '{crop.sowing}' is not "
                                 "MM-DD") from exc
            idx = time.get_indexer([stamp])[0]
            if idx - soak_days >= 0 and idx >= 0 and idx + length <= time.size:
                days.append(idx)
        if not days:
            raise InputError(f"sowing: no whole {crop.name} season (sown {crop.sowing}) fits "
                             f"in the time axis {time[0].date()} .. {time[-1].date()}")
        sowing = days
    if isinstance(sowing, xr.DataArray):
        if np.issubdtype(sowing.dtype, np.datetime64):
            idx = xr.apply_ufunc(lambda a: np.vectorize(one)(a), sowing)
        else:
            idx = sowing.astype(int)
        if "season" not in idx.dims:
            idx = idx.expand_dims(season=1)
        return idx.broadcast_like(space).transpose(*space.dims, "season")
    values = list(sowing) if isinstance(sowing, list | tuple) else [sowing]
    idx = xr.DataArray([one(v) for v in values], dims="season")
    return idx.broadcast_like(space).transpose(*space.dims, "season")
