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

The kernel :func:`irrigate.science.paddy_balance.paddy_kernel` works on numpy arrays
``(cells, time)``; :func:`irrigate.science.paddy_balance.simulate_paddy` wraps it with
``xarray.apply_ufunc`` (dask: chunked in space, one chunk along time). This module holds the
records and the seasonal summary.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import xarray as xr

from irrigate.errors import InputError
from irrigate.paths import models_dir
from irrigate.science.params import Crop

__all__ = [
    "RiceMethod",
    "RiceSoil",
    "RiceCalendar",
    "load_rice_models",
    "rice_methods",
    "rice_soils",
    "rice_calendars",
    "paddy_season_summary",
    "PADDY_FLUXES",
]

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


def _library_crop(name: str, models: str | Path | None) -> Crop:
    try:
        from irrigate.library import load_library
    except ModuleNotFoundError as exc:
        raise InputError("parameter library (irrigate.library) is not available; pass an "
                         "irrigate.science.params.Crop") from exc
    return load_library(models).crop(name)


def paddy_season_summary(ds: xr.Dataset, by_year: bool = True) -> xr.Dataset:
    """Seasonal totals (mm) of a paddy simulation, with the balance residual.

    ``ds`` is a result of :func:`irrigate.science.paddy_balance.simulate_paddy`.

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
