"""Ponded (paddy) rice water balance, daily, vectorised over cells x water-management methods.

State per cell and method (end of day):

* ``pond``    ponded water depth above the soil surface, mm (0 ... bund height);
* ``sat_def`` saturation deficit of the rice root zone, mm (0 = saturated; at most
  ``(theta_sat - theta_wp) Zr``).

Storage is ``pond - sat_def`` (mm relative to a saturated root zone without a pond), and every
day closes exactly::

    d(pond - sat_def) = irr_net + precip - eta - perc - ro - drain

Daily sequence (the FAO-56 convention of water entering early in the day):

1. Season bookkeeping: days ``d`` counted from sowing/transplanting (``d = 0``). Land soaking
   and puddling runs for ``soak_days`` before sowing; the state is reset at its first day to
   an unsaturated root zone (``sat_def = soak_deficit``, FAO Training Manual 3 §4.4) and no
   pond. The season ends at harvest (``d = crop season length``); outside soaking and season
   nothing happens (no flux, state kept).
2. Irrigation by the method's level rule (level = ``pond - sat_def``): when the level is
   below the trigger, refill to the target level; the water first fills the soil deficit,
   then the pond. Continuous flooding keeps the pond between ``pond_min`` and ``pond_max``
   (Kazakh recommendation 17-22 cm against cool water; Koshkarov et al. 2020); during soaking
   the target is the puddling water layer. Alternate wetting and drying (AWD) lets the pond
   vanish and re-floods when the perched water table is ``awd_threshold`` below the surface
   (IRRI "safe AWD"); the water-table depth is the drainable deficit divided by the drainable
   porosity ``theta_sat - theta_fc``. Drip/film rice has no pond: it irrigates when the
   root-zone depletion below field capacity exceeds ``p`` TAW (FAO-56 Eq. 83 with rice p
   from FAO-56 Table 22) and refills to field capacity; gross = net / application efficiency.
   No irrigation during the final drain-off or on a mid-season drainage day.
3. Rain enters the soil deficit, then the pond; the pond above the bund crest overflows
   (``ro``: rain not caught by the bunds).
4. Crop ET, ``eta = Ks Kc ET0`` with the FAO-56 single Kc curve (Eq. 66, via
   :func:`irrigate.science.crop.k_curve`; Kc ini of a flooded field from FAO-56 Table 14: open-water
   evaporation early in the season, also during soaking). Ks = 1 while the pond exists or the
   deficit is below ``p`` of the saturated TAW ("0.20 of saturation", FAO-56 Table 22 fn 4;
   for drip/film rice the FAO-56 Eq. 84 TAW/RAW below field capacity); Ks falls linearly to 0
   at the wilting point (FAO-56 Eq. 84). Water comes from the pond first, then the soil.
5. Percolation and seepage ``perc`` at the soil's rate while water above field capacity is
   available (pond plus drainable soil water), pond first.
6. Surface drainage ``drain``: optional flow-through outflow while ponded, mid-season
   drainage (empties the pond), and the final drain-off ``drain_off_days`` before harvest
   (the pond left is drained, and rain ponding afterwards is drained the same day).

The kernel :func:`paddy_kernel` works on numpy arrays ``(cells, time)``; :func:`simulate_paddy`
wraps it with ``xarray.apply_ufunc`` (dask: chunked in space, one chunk along time).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.errors import InputError
from irrigate.paths import models_dir
from irrigate.science.crop import k_curve
from irrigate.science.params import Crop

__all__ = [
    "RiceMethod",
    "RiceSoil",
    "RiceCalendar",
    "load_rice_models",
    "rice_methods",
    "rice_soils",
    "rice_calendars",
    "paddy_kernel",
    "simulate_paddy",
    "paddy_season_summary",
    "rice_field_supply",
    "PADDY_FLUXES",
]

#: Daily output variables of the kernel, in order.
PADDY_OUTPUTS: tuple[str, ...] = (
    "pond", "sat_def", "kc", "etc", "eta", "irr_net", "irr_gross", "soak", "precip_in",
    "perc", "ro", "drain",
)
#: Fluxes summed by :func:`paddy_season_summary` (mm per season).
PADDY_FLUXES: tuple[str, ...] = (
    "irr_gross", "irr_net", "soak", "precip", "etc", "eta", "perc", "ro", "drain",
)


# ----------------------------------------------------------------------------------------
# Parameter records (read from models/rice.toml)
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiceMethod:
    """Rice water-management method (``[method.<name>]`` of ``models/rice.toml``).

    Depths in mm, durations in days. ``flooded`` methods keep a pond; the others (drip/film)
    irrigate the root zone to field capacity.
    """

    name: str
    flooded: bool
    pond_min: float
    pond_max: float
    bund_height: float
    puddle_pond: float
    soak_days: int
    kc_ini: float
    kc_from_kcb: bool
    drain_off_days: int
    midseason_drain_day: int
    flow_through: float
    awd: bool
    awd_start: int
    awd_threshold: float
    awd_reflood: float
    awd_flowering_days: int
    efficiency: float


@dataclass(frozen=True)
class RiceSoil:
    """Paddy soil (``[soil.<name>]`` of ``models/rice.toml``).

    ``perc_rate`` is the percolation plus seepage rate under ponding (mm/day); the water
    contents are m3/m3; ``soak_deficit`` is the water needed to saturate the root zone before
    puddling (mm).
    """

    name: str
    perc_rate: float
    theta_sat: float
    theta_fc: float
    theta_wp: float
    soak_deficit: float


@dataclass(frozen=True)
class RiceCalendar:
    """A regional rice calendar: stage lengths (days) of the local varieties.

    The sowing date comes from the crop record or the sowing zones of the library.
    """

    name: str
    l_ini: int
    l_dev: int
    l_mid: int
    l_late: int


def _num(entry: Any, where: str) -> Any:
    if isinstance(entry, dict):
        if "value" not in entry:
            raise InputError(f"{where}: missing 'value'; give value, unit and source")
        entry = entry["value"]
    return entry


def _record(cls: type, name: str, table: dict[str, Any], where: str) -> Any:
    wanted = {f.name: f.type for f in fields(cls)}
    wanted.pop("name")
    unknown = sorted(set(table) - set(wanted) - {"source", "note", "status"})
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(unknown)}; "
                         f"allowed: {', '.join(sorted(wanted))}")
    missing = sorted(set(wanted) - set(table))
    if missing:
        raise InputError(f"{where}: missing key(s) {', '.join(missing)}; add them")
    values: dict[str, Any] = {}
    for key, typ in wanted.items():
        v = _num(table[key], f"{where}.{key}")
        if typ == "bool":
            values[key] = bool(v)
        elif typ == "int":
            values[key] = int(v)
        elif typ == "str":
            values[key] = str(v)
        else:
            values[key] = float(v)
    return cls(name=name, **values)


def load_rice_models(models: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Read ``rice.toml``: ``{"method": {...}, "soil": {...}, "calendar": {...}}`` of records.

    Parameters
    ----------
    models : path, optional
        Folder holding ``rice.toml``; the bundled library by default, and also when the
        folder has no ``rice.toml`` of its own (a user library overrides file by file).

    """
    folder = Path(models) if models is not None else models_dir()
    file = folder / "rice.toml"
    if models is not None and folder.is_dir() and not file.exists():
        # a user library replaces bundled files one by one (as irrigate.library does)
        file = models_dir() / "rice.toml"
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{file}: file not found; pass a models folder with rice.toml") \
            from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{file}: not valid TOML ({exc}); fix the file") from exc
    out: dict[str, dict[str, Any]] = {}
    for section, cls in (("method", RiceMethod), ("soil", RiceSoil),
                         ("calendar", RiceCalendar)):
        table = data.get(section, {})
        out[section] = {name: _record(cls, name, rec, f"{file} [{section}.{name}]")
                        for name, rec in table.items()}
    for m in out["method"].values():
        _check_method(m, file)
    for soil in out["soil"].values():
        if not (0 < soil.theta_wp <= soil.theta_fc <= soil.theta_sat < 1):
            raise InputError(f"{file} [soil.{soil.name}]: need 0 < theta_wp <= theta_fc <= "
                             "theta_sat < 1; fix the water contents")
        if soil.perc_rate < 0 or soil.soak_deficit < 0:
            raise InputError(f"{file} [soil.{soil.name}]: perc_rate and soak_deficit must "
                             "not be negative")
    return out


def _check_method(m: RiceMethod, file: Path) -> None:
    if not 0 <= m.pond_min <= m.pond_max <= m.bund_height:
        raise InputError(f"{file} [method.{m.name}]: need 0 <= pond_min <= pond_max <= "
                         "bund_height; fix the ponding depths")
    if m.puddle_pond > m.bund_height or m.awd_reflood > m.bund_height:
        raise InputError(f"{file} [method.{m.name}]: puddle_pond and awd_reflood must not "
                         "exceed bund_height")
    if not 0 < m.efficiency <= 1:
        raise InputError(f"{file} [method.{m.name}]: efficiency must be in (0, 1]")


def rice_methods(models: str | Path | None = None) -> dict[str, RiceMethod]:
    """Return the rice water-management methods of ``rice.toml`` by name."""
    return load_rice_models(models)["method"]


def rice_soils(models: str | Path | None = None) -> dict[str, RiceSoil]:
    """Return the paddy soils of ``rice.toml`` by name."""
    return load_rice_models(models)["soil"]


def rice_calendars(models: str | Path | None = None) -> dict[str, RiceCalendar]:
    """Return the regional rice calendars of ``rice.toml`` by name."""
    return load_rice_models(models)["calendar"]


# ----------------------------------------------------------------------------------------
# Kernel
# ----------------------------------------------------------------------------------------


def paddy_kernel(et0: np.ndarray, precip: np.ndarray, sowing: np.ndarray, *,
                 methods: Sequence[RiceMethod], soil: RiceSoil, crop: Crop,
                 kc_mid: float | None = None, kc_end: float | None = None
                 ) -> tuple[np.ndarray, ...]:
    """Run the ponded rice balance on numpy arrays.

    Parameters
    ----------
    et0, precip : ndarray, shape (..., time)
        Reference ET and precipitation, mm/day. A season with NaN on any of its active days
        (soaking or season) is NaN in every output from soaking to harvest.
    sowing : ndarray of int, shape (...) or (..., seasons)
        Index along ``time`` of the sowing/transplanting day of each cell, one per season;
        seasons (with their soaking) must not overlap.
    methods : sequence of RiceMethod
        The methods, one per output column.
    soil : RiceSoil
        Paddy soil (percolation and seepage rate, water contents).
    crop : Crop
        Rice crop record: stage lengths (FAO-56 Table 11), Kc ini/mid/end and Kcb mid/end
        (Tables 12, 17), zr_max (Table 22) and p (Table 22, 0.20 of saturation).
    kc_mid, kc_end : float or ndarray, optional
        Climate-adjusted Kc mid/end (FAO-56 Eq. 62/65), one value or one per cell
        (broadcastable to the leading shape of ``et0``); the crop's table values where
        None or NaN. Methods with ``kc_from_kcb`` use the table Kcb mid/end instead.

    Returns
    -------
    tuple of ndarray, each shape (..., time, method)
        The variables of :data:`PADDY_OUTPUTS`, in that order (mm or mm/day; ``kc`` in 1).

    """
    et0 = np.asarray(et0, dtype=float)
    precip = np.asarray(precip, dtype=float)
    lead = et0.shape[:-1]
    nt = et0.shape[-1]
    n = int(np.prod(lead)) if lead else 1
    e2 = et0.reshape(n, nt)
    p2 = precip.reshape(n, nt)
    sow = np.asarray(sowing)
    if sow.ndim == len(lead):
        sow = sow[..., None]
    n_seasons = sow.shape[-1]
    d0 = np.sort(np.broadcast_to(sow, (*lead, n_seasons)).reshape(n, n_seasons)
                 .astype(np.int64), axis=-1)
    rows = np.arange(n)
    nm = len(methods)

    def col(attr: str) -> np.ndarray:
        return np.array([getattr(m, attr) for m in methods], dtype=float)[None, :]

    flooded = col("flooded") > 0
    pond_min, pond_max, bund = col("pond_min"), col("pond_max"), col("bund_height")
    puddle = col("puddle_pond")
    soak_days = col("soak_days")
    drain_off = col("drain_off_days")
    mid_drain = col("midseason_drain_day")
    flow = col("flow_through")
    awd = col("awd") > 0
    awd_start = col("awd_start")
    awd_thr, awd_reflood = col("awd_threshold"), col("awd_reflood")
    awd_flower = col("awd_flowering_days")
    eff = col("efficiency")
    from_kcb = col("kc_from_kcb") > 0

    zr_mm = 1000.0 * crop.zr_max
    taw_sat = (soil.theta_sat - soil.theta_wp) * zr_mm      # saturation -> wilting point
    drainable = (soil.theta_sat - soil.theta_fc) * zr_mm    # saturation -> field capacity
    taw_fc = (soil.theta_fc - soil.theta_wp) * zr_mm        # FAO-56 Eq. 82
    soak_def = min(soil.soak_deficit, taw_sat)
    # no-stress deficit: "0.20 of saturation" for ponded rice (FAO-56 Table 22 fn 4);
    # drip/film rice: RAW = p TAW below field capacity (FAO-56 Eq. 83)
    stress_start = np.where(flooded, crop.p * taw_sat, drainable + crop.p * taw_fc)
    # AWD trigger: perched water table awd_threshold below the surface
    awd_trigger = -awd_thr * (soil.theta_sat - soil.theta_fc)

    k_ini = np.where(np.isfinite(col("kc_ini")), col("kc_ini"), crop.kc_ini)

    def per_cell(value: Any, table: float) -> np.ndarray:
        # scalar or per-cell (broadcast to the cells) value; None or NaN = table value
        v = np.broadcast_to(np.asarray(table if value is None else value, dtype=float), lead)
        return np.where(np.isfinite(v), v, table).reshape(n, 1)

    k_mid = np.where(from_kcb, crop.kcb_mid, per_cell(kc_mid, crop.kc_mid))  # (cells, method)
    k_end = np.where(from_kcb, crop.kcb_end, per_cell(kc_end, crop.kc_end))
    lengths = np.array([[crop.l_ini, crop.l_dev, crop.l_mid, crop.l_late]], dtype=float)
    season_len = crop.l_ini + crop.l_dev + crop.l_mid + crop.l_late
    flower0 = crop.l_ini + crop.l_dev

    shape = (n, nm)
    # Kc curve per method by day after sowing: Kc ini while soaking (open water, FAO-56
    # Table 14), then FAO-56 Eq. 66; NaN after harvest. Eq. 66 is linear in (Kc ini, mid,
    # end), so the curve is tabulated as day weights and Kc mid/end may differ by cell.
    kc_shift = int(max(soak_days.max(), 0))
    days = np.arange(-kc_shift, season_len + 1, dtype=float)[:, None] * np.ones((1, nm))
    w_ini, w_mid, w_end = (np.where(days < 0, float(unit[0]), k_curve(days, lengths, *unit))
                           for unit in ((1, 0, 0), (0, 1, 0), (0, 0, 1)))
    kc_last = days.shape[0] - 1
    cols = np.arange(nm)[None, :]
    pond = np.zeros(shape)
    sdef = np.full(shape, soak_def)
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
        sdef = np.where(start, soak_def, sdef)
        bad = bad & ~start
        t_start = np.where(start, t, t_start)
        draining = season & (d >= season_len - drain_off)
        bad |= active & (np.isnan(e2[:, t:t + 1]) | np.isnan(p2[:, t:t + 1]))
        mid_day = season & (d == mid_drain)

        # 2. irrigation by the level rule
        in_awd = (awd & season & (d >= awd_start)
                  & ~((d >= flower0) & (d < flower0 + awd_flower)))
        trigger = np.where(soaking, puddle, pond_min)
        target = np.where(soaking, puddle, pond_max)
        trigger = np.where(in_awd, awd_trigger, trigger)
        target = np.where(in_awd, awd_reflood, target)
        trigger = np.where(flooded, trigger, -stress_start)
        target = np.where(flooded, target, -drainable)
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
        ro = np.maximum(pond - bund, 0.0)
        pond = pond - ro

        # 4. crop ET (FAO-56 Eq. 66 Kc; Ks FAO-56 Eq. 84)
        # Kc by day after sowing, looked up in the precomputed FAO-56 Eq. 66 curve
        kd = np.clip(d + kc_shift, 0, kc_last).astype(np.intp)
        kc = w_ini[kd, cols] * k_ini + w_mid[kd, cols] * k_mid + w_end[kd, cols] * k_end
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
        perc = np.where(active, np.minimum(soil.perc_rate, avail), 0.0)
        from_pond = np.minimum(perc, pond)
        pond = pond - from_pond
        sdef = sdef + (perc - from_pond)

        # 6. surface drainage: flow-through, mid-season drainage, final drain-off
        ft = np.where(season & ~draining, np.minimum(flow, pond), 0.0)
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
        o["irr_gross"][t] = irr / eff
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
    return tuple(np.moveaxis(outs[k], 0, 1).reshape(*lead, nt, nm) for k in PADDY_OUTPUTS)


# ----------------------------------------------------------------------------------------
# xarray wrapper
# ----------------------------------------------------------------------------------------


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


def _library_crop(name: str, models: str | Path | None) -> Crop:
    try:
        from irrigate.library import load_library
    except ModuleNotFoundError as exc:
        raise InputError("parameter library (irrigate.library) is not available; pass an "
                         "irrigate.science.params.Crop") from exc
    return load_library(models).crop(name)


def _methods(methods: Iterable[str | RiceMethod], models: str | Path | None
             ) -> list[RiceMethod]:
    library: dict[str, RiceMethod] | None = None
    out: list[RiceMethod] = []
    for m in methods:
        if isinstance(m, RiceMethod):
            out.append(m)
            continue
        if library is None:
            library = rice_methods(models)
        if m not in library:
            raise InputError(f"method '{m}': unknown rice method; use one of "
                             f"{', '.join(sorted(library))}")
        out.append(library[m])
    if not out:
        raise InputError("methods: give at least one rice method")
    return out


def simulate_paddy(et0: xr.DataArray, precip: xr.DataArray, sowing: Any = None, *,
                   crop: Crop | str = "rice",
                   methods: Iterable[str | RiceMethod] = ("continuous_flooding",),
                   soil: str | RiceSoil = "clay_loam",
                   calendar: str | RiceCalendar | None = None,
                   kc_mid: float | None = None, kc_end: float | None = None,
                   models: str | Path | None = None) -> xr.Dataset:
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
    crop : irrigate.science.params.Crop or str
        Rice record (``paddy = true``), or its name in the parameter library.
    methods : iterable of str or RiceMethod
        Water-management methods (``models/rice.toml``): ``continuous_flooding``, ``awd``,
        ``drip_film_rice``.
    soil : str or RiceSoil
        Paddy soil of ``rice.toml`` (percolation and seepage by texture).
    calendar : str or RiceCalendar, optional
        A regional calendar of ``rice.toml`` whose stage lengths replace the crop's.
    kc_mid, kc_end : float or xarray.DataArray, optional
        Climate-adjusted Kc mid/end (FAO-56 Eq. 62/65): one value or a DataArray over the
        space dims of ``et0`` (one per cell; NaN = table value). Default: the crop's table
        values.
    models : path, optional
        Folder holding ``rice.toml``.

    Returns
    -------
    xarray.Dataset
        Daily variables over ``(time, <space>..., method)``: ``pond``, ``sat_def``, ``kc``,
        ``etc``, ``eta``, ``irr_net``, ``irr_gross``, ``soak``, ``precip``, ``perc``, ``ro``,
        ``drain`` (see :mod:`irrigate.variables`).

    """
    for name, arr in (("et0", et0), ("precip", precip)):
        if not isinstance(arr, xr.DataArray) or "time" not in arr.dims:
            raise InputError(f"{name}: need an xarray.DataArray with a 'time' dimension")
    try:
        et0, precip = xr.align(et0, precip, join="exact")
    except ValueError as exc:
        raise InputError("et0 and precip: coordinates differ; give both on the same time "
                         "axis and cells") from exc
    if isinstance(crop, str):
        crop = _library_crop(crop, models)
    if not getattr(crop, "paddy", False):
        raise InputError(f"crop '{crop.name}': not a paddy crop (paddy = false); use the "
                         "rice record")
    meths = _methods(methods, models)
    if isinstance(soil, str):
        soils = rice_soils(models)
        if soil not in soils:
            raise InputError(f"soil '{soil}': unknown paddy soil; use one of "
                             f"{', '.join(sorted(soils))}")
        soil = soils[soil]
    if calendar is not None:
        if isinstance(calendar, str):
            cals = rice_calendars(models)
            if calendar not in cals:
                raise InputError(f"calendar '{calendar}': unknown; use one of "
                                 f"{', '.join(sorted(cals))}")
            calendar = cals[calendar]
        crop = replace(crop, l_ini=calendar.l_ini, l_dev=calendar.l_dev,
                       l_mid=calendar.l_mid, l_late=calendar.l_late, cuttings=())
    time = pd.DatetimeIndex(et0["time"].values)
    space = et0.isel(time=0, drop=True)
    if space.size == 0 or time.size == 0:
        raise InputError("et0: no cells or no days to simulate; check the selection")
    soak = max(m.soak_days for m in meths)
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
    if et0.chunks is not None:
        et0 = et0.chunk({"time": -1})
        precip = precip.chunk({"time": -1})

    kcs = []
    for name, value in (("kc_mid", kc_mid), ("kc_end", kc_end)):
        value = xr.DataArray(np.nan if value is None else value)
        extra = set(value.dims) - set(space.dims)
        if extra:
            raise InputError(f"{name}: dimension(s) {sorted(extra)} not in et0; give one "
                             "value or one per cell of et0")
        kcs.append(value.astype(float))

    def kernel(e: np.ndarray, p: np.ndarray, s: np.ndarray, k_mid: np.ndarray,
               k_end: np.ndarray) -> tuple[np.ndarray, ...]:
        return paddy_kernel(e, p, s, methods=meths, soil=soil, crop=crop,
                            kc_mid=k_mid, kc_end=k_end)

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
    from irrigate.variables import VARIABLES
    for k in ds.data_vars:
        if k in VARIABLES:
            ds[k].attrs = VARIABLES[k].attrs()
    ds.attrs["soil"] = soil.name
    ds.attrs["crop"] = crop.name
    ds.attrs["init_storage_mm"] = -min(soil.soak_deficit,
                                       (soil.theta_sat - soil.theta_wp) * 1000 * crop.zr_max)
    return ds


def paddy_season_summary(ds: xr.Dataset, by_year: bool = True) -> xr.Dataset:
    """Seasonal totals (mm) of a :func:`simulate_paddy` result, with the balance residual.

    One rice season per calendar year is assumed when ``by_year`` (soaking to harvest inside
    the year); otherwise the whole time axis is one season.

    Returns
    -------
    xarray.Dataset
        Totals of :data:`PADDY_FLUXES` (mm), ``storage_change`` (mm), ``closure`` (mm:
        inflows - outflows - storage change, ~0), ``supply_m3_ha`` (gross field supply,
        m3/ha) and ``crop_share`` (eta / irr_gross, 1).

    """
    init = float(ds.attrs["init_storage_mm"])

    def one(g: xr.Dataset) -> xr.Dataset:
        tot = {k: g[k].sum("time", skipna=False) for k in PADDY_FLUXES}
        end = g["pond"].isel(time=-1, drop=True) - g["sat_def"].isel(time=-1, drop=True)
        tot["storage_change"] = end - init
        tot["closure"] = (tot["irr_net"] + tot["precip"] - tot["eta"] - tot["perc"]
                          - tot["ro"] - tot["drain"] - tot["storage_change"])
        tot["supply_m3_ha"] = 10.0 * tot["irr_gross"]
        tot["crop_share"] = tot["eta"] / tot["irr_gross"]
        # one Dataset construction (item assignment warns on MultiIndex cells in xarray)
        out = xr.Dataset(tot)
        for k in PADDY_FLUXES:
            long_name = g[k].attrs.get("long_name", k)
            out[k].attrs = {"units": "mm", "long_name": f"seasonal total of {long_name}"}
        out["storage_change"].attrs = {"units": "mm",
                                       "long_name": "change of pond + soil storage"}
        out["closure"].attrs = {"units": "mm", "long_name": "water balance residual"}
        out["supply_m3_ha"].attrs = {"units": "m3 ha-1", "long_name": "gross field supply"}
        out["crop_share"].attrs = {"units": "1", "long_name": "eta / irr_gross"}
        return out

    if by_year:
        return ds.groupby("time.year").map(one)
    return one(ds)


def rice_field_supply(et0: xr.DataArray, precip: xr.DataArray, sowing: Any = None, *,
                      crop: Crop | str = "rice",
                      methods: Iterable[str | RiceMethod] = ("continuous_flooding",),
                      soil: str | RiceSoil = "clay_loam", **kwargs: Any) -> xr.Dataset:
    """Seasonal rice water lines for the budget: the integration hook.

    Runs :func:`simulate_paddy` and returns :func:`paddy_season_summary` (per year): gross
    field supply ``irr_gross`` (mm; ``supply_m3_ha`` in m3/ha) and its breakdown ``soak``,
    ``eta``, ``perc``, ``ro`` + ``drain`` and ``storage_change``, over
    ``(year, <space>..., method)``. Leaching is not included here: add
    :func:`irrigate.science.salinity.offseason_leaching_mm` as its own line.
    """
    ds = simulate_paddy(et0, precip, sowing, crop=crop, methods=methods, soil=soil, **kwargs)
    return paddy_season_summary(ds)
