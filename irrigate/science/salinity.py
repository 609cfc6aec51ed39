"""Salinity: leaching requirement, salinity stress and off-season leaching (FAO-29, FAO-56).

Pure functions in fixed units: electrical conductivity in dS/m, depths in mm. They are
duck-typed (numpy, xarray.DataArray and dask arrays alike). Off-season leaching practice
(depth per event and number of events by soil salinity class) and the leaching form of each
irrigation method come as records (:class:`OffseasonPractice`, :class:`LeachingForm`), read
from ``models/salinity.toml`` by :mod:`irrigate.library.salinity`.

Equations
---------
* Leaching requirement, surface and sprinkler irrigation (FAO-29, Ayers & Westcot 1985,
  §2.4.1; restated in FAO-56 p. 180)::

      LR = ECw / (5 ECe - ECw)

  with ECe the crop's threshold soil salinity (FAO-56 Table 23), valid for the
  40-30-20-10 % root-zone water extraction pattern.
* Leaching requirement, high-frequency (drip) irrigation (FAO-29 §2.4.1, after Rhoades
  1974; status: secondary, not read in the primary text)::

      LR = ECw / (2 max ECe)

  with max ECe the soil salinity at zero yield, here from FAO-56 Eq. 89 at Ya/Ym = 0:
  max ECe = ECe threshold + 100 / b.
* Applied water (FAO-29 §2.4.1): AW = ETc / (1 - LR); the leaching depth is AW - ETc.
* Soil salinity reached at a leaching fraction (FAO-56 Eq. 93):
  ECe = ECw (1 + LF) / (5 LF).
* Relative yield (FAO-56 Eq. 89) and salinity stress coefficient Ks (FAO-56 Eq. 91).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import xarray as xr

from irrigate.errors import InputError

__all__ = [
    "LeachingForm",
    "SalinityClass",
    "OffseasonPractice",
    "leaching_requirement",
    "leaching_requirement_drip",
    "leaching_requirement_drainage",
    "ece_at_zero_yield",
    "applied_water",
    "leaching_mm",
    "ece_from_leaching_fraction",
    "relative_yield",
    "ks_salinity",
    "salinity_class",
    "offseason_leaching_mm",
    "offseason_leaching_share",
    "seasonal_leaching_mm",
    "leaching_depth",
]


class LeachingForm(StrEnum):
    """Which FAO-29 leaching-requirement formula applies to an irrigation method."""

    SURFACE = "surface"
    """Infrequent irrigation (flood, furrow, basin, sprinkler): LR = ECw/(5 ECe - ECw)."""
    HIGH_FREQUENCY = "high_frequency"
    """Drip and other high-frequency irrigation: LR = ECw/(2 max ECe)."""
    PADDY = "paddy"
    """Ponded rice: surface LR, met by the field's own percolation (only a shortfall added)."""


class SalinityClass(StrEnum):
    """Soil salinity classes (ECe of the saturation extract, dS/m); bounds in salinity.toml."""

    NON_SALINE = "non_saline"
    SLIGHTLY = "slightly"
    MODERATELY = "moderately"
    STRONGLY = "strongly"
    VERY_STRONGLY = "very_strongly"


def _where(cond: Any, a: Any, b: Any) -> Any:
    """Elementwise choice that keeps xarray labels (xr.where) and dask laziness (np.where)."""
    if any(isinstance(x, xr.DataArray | xr.Dataset) for x in (cond, a, b)):
        return xr.where(cond, a, b)
    return np.where(cond, a, b)


def leaching_requirement(ecw: Any, ece_threshold: Any) -> Any:
    """Leaching requirement for surface and sprinkler irrigation (FAO-29 §2.4.1).

    ``LR = ECw / (5 ECe - ECw)`` (Ayers & Westcot 1985; restated in FAO-56 p. 180).

    Parameters
    ----------
    ecw : array-like
        Electrical conductivity of the irrigation water, dS/m.
    ece_threshold : array-like
        Crop salt tolerance: soil salinity (saturation extract) at which yield starts to
        decline, dS/m (FAO-56 Table 23).

    Returns
    -------
    array-like
        Leaching requirement, fraction of the applied water that must pass below the root
        zone (0-1). NaN where the water is too saline for the crop (ECw >= 5 ECe): no
        leaching fraction below 1 keeps the root zone at the threshold.

    """
    den = 5.0 * ece_threshold - ecw
    lr = ecw / _where(den > 0, den, np.nan)
    return _where(ecw >= 0, lr, np.nan)


def leaching_requirement_drainage(ecw: Any, ecdw: Any) -> Any:
    """Leaching requirement from the drainage-water salinity (USDA Handbook 60, Richards 1954).

    ``LR = ECw / ECdw``, with ``ecdw`` the EC of the water draining below the root zone
    that the crop tolerates (dS/m). The older form that FAO-29 refines.
    """
    return ecw / ecdw


def ece_at_zero_yield(ece_threshold: Any, slope: Any) -> Any:
    """Soil salinity at zero yield, dS/m: FAO-56 Eq. 89 solved for Ya/Ym = 0.

    ``max ECe = ECe threshold + 100 / b``; ``b`` is the yield decline in % per dS/m
    (FAO-56 Table 23). This is the Maas-Hoffman line extended to zero yield (a derivation,
    not a value read from FAO-29 Table 4).
    """
    return ece_threshold + 100.0 / slope


def leaching_requirement_drip(ecw: Any, ece_max: Any) -> Any:
    """Leaching requirement for high-frequency (drip) irrigation (FAO-29 §2.4.1).

    ``LR = ECw / (2 max ECe)`` (Rhoades 1974 as given in FAO-29; status: secondary source,
    not read in the primary text). ``ece_max`` is the soil salinity at zero yield
    (:func:`ece_at_zero_yield`).
    """
    lr = ecw / (2.0 * ece_max)
    return _where((ecw >= 0) & (lr < 1.0), lr, np.nan)


def applied_water(etc: Any, lr: Any) -> Any:
    """Water to apply so that a fraction ``lr`` drains below the root zone (FAO-29 §2.4.1).

    ``AW = ETc / (1 - LR)``, in the unit of ``etc`` (mm). Application losses are not
    included: divide by the field application efficiency separately.
    """
    return etc / (1.0 - lr)


def leaching_mm(etc: Any, lr: Any) -> Any:
    """In-season leaching depth, mm: ``AW - ETc = ETc LR / (1 - LR)`` (FAO-29 §2.4.1)."""
    return etc * lr / (1.0 - lr)


def ece_from_leaching_fraction(ecw: Any, lf: Any) -> Any:
    """Average root-zone soil salinity at a steady leaching fraction (FAO-56 Eq. 93).

    ``ECe = ECw (1 + LF) / (5 LF)``, dS/m: the FAO-29 leaching formula solved for ECe.
    """
    return ecw * (1.0 + lf) / (5.0 * lf)


def relative_yield(ece: Any, ece_threshold: Any, slope: Any) -> Any:
    """Relative yield Ya/Ym under soil salinity (FAO-56 Eq. 89), clipped to [0, 1].

    ``Ya/Ym = 1 - b/100 (ECe - ECe threshold)`` for ECe > threshold, else 1.
    """
    y = 1.0 - slope / 100.0 * (ece - ece_threshold)
    return np.minimum(np.maximum(y, 0.0), 1.0)


def ks_salinity(ece: Any, ece_threshold: Any, slope: Any, ky: Any) -> Any:
    """Salinity stress coefficient Ks for a non-depleted root zone (FAO-56 Eq. 91).

    ``Ks = 1 - b/(Ky 100) (ECe - ECe threshold)``, clipped to [0, 1]. FAO-56 restricts
    Eqs. 91-92 to ECe < ECe threshold + 50/b; beyond that the result is indicative only.
    Multiply by the water-stress term (TAW - Dr)/(TAW - RAW) for Dr > RAW (FAO-56 Eq. 92).
    """
    ks = 1.0 - slope / (ky * 100.0) * (ece - ece_threshold)
    return np.minimum(np.maximum(ks, 0.0), 1.0)


# ----------------------------------------------------------------------------------------
# Off-season (pre-season) leaching practice, from models/salinity.toml
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OffseasonPractice:
    """Off-season leaching practice for one soil salinity class.

    Attributes
    ----------
    salinity_class : str
        Class name (:class:`SalinityClass` value).
    ece_min, ece_max : float
        ECe bounds of the class, dS/m.
    depth_per_event : float
        Gross leaching depth applied per event, mm.
    events : int
        Number of leaching events per off-season.
    source : str
        Where the figures come from.

    """

    salinity_class: str
    ece_min: float
    ece_max: float
    depth_per_event: float
    events: int
    source: str

    @property
    def total_mm(self) -> float:
        """Off-season leaching depth, mm (events x depth per event)."""
        return self.depth_per_event * self.events


def salinity_class(ece: float, practices: Mapping[str, OffseasonPractice]) -> str:
    """Return the salinity class name of a soil with saturation-extract salinity ``ece``.

    ``practices`` are the off-season practices by class
    (``irrigate.load_library().salinity.offseason``), whose ECe bounds define the classes.
    """
    if not np.isfinite(ece) or ece < 0:
        raise InputError(f"ece={ece}: soil salinity must be a non-negative number in dS/m")
    for p in sorted(practices.values(), key=lambda p: p.ece_min):
        if p.ece_min <= ece < p.ece_max:
            return p.salinity_class
    raise InputError(f"ece={ece}: no salinity class covers this value; check salinity.toml")


def offseason_leaching_mm(salinity: str | float,
                          practices: Mapping[str, OffseasonPractice]) -> float:
    """Off-season (pre-season) leaching depth for saline land, mm per season.

    This is a budget line of its own, applied outside the crop season on saline land
    regardless of the irrigation method used in the season.

    Parameters
    ----------
    salinity : str or float
        A :class:`SalinityClass` value (``"moderately"`` ...) or a soil ECe in dS/m.
    practices : mapping of str to OffseasonPractice
        Off-season practice by salinity class (``load_library().salinity.offseason``).

    """
    name = salinity_class(float(salinity), practices) if not isinstance(salinity, str) \
        else salinity
    if name not in practices:
        known = ", ".join(sorted(practices))
        raise InputError(f"salinity class '{name}' is unknown; use one of {known}")
    return practices[name].total_mm


def offseason_leaching_share(saline_shares: Any, frequency: float = 1.0, *,
                             practices: Mapping[str, OffseasonPractice]
                             ) -> tuple[float, float]:
    """Share of irrigated land leached off-season in a year and its mean depth, mm.

    Each saline class ``c`` holds a fraction ``s_c`` of the land and is leached at the class
    depth ``D_c`` of ``salinity.toml`` (events x depth per event); ``frequency`` leachings a
    year (1 = every year, 0.5 = every other year) leach that fraction of the saline land each
    year. The yearly leached share and its area-weighted depth are::

        share = frequency x sum(s_c, over classes with D_c > 0)
        depth = sum(s_c D_c) / sum(s_c, over classes with D_c > 0)

    so that ``share x depth`` is the yearly leaching depth averaged over all the land.

    Parameters
    ----------
    saline_shares : mapping
        Salinity class name -> fraction of the irrigated land (0-1), e.g. a region's
        ``saline_shares`` (``models/regions.toml``).
    frequency : float
        Off-season leachings per year, in (0, 1].
    practices : mapping of str to OffseasonPractice
        Off-season practice by salinity class (``load_library().salinity.offseason``).

    Returns
    -------
    tuple of float
        ``(share, depth_mm)``; ``(0.0, 0.0)`` when no class needs leaching.

    """
    if not 0.0 < float(frequency) <= 1.0:
        raise InputError(f"leaching_frequency={frequency}: must be in (0, 1] leachings per "
                         "year (1 = every year)")
    area = volume = 0.0
    for name, share in dict(saline_shares).items():
        if name not in practices:
            known = ", ".join(sorted(practices))
            raise InputError(f"saline_shares: unknown salinity class '{name}'; use one of "
                             f"{known}")
        share = float(share)
        if not 0.0 <= share <= 1.0:
            raise InputError(f"saline_shares.{name}={share}: must be a fraction in [0, 1]")
        depth = practices[name].total_mm
        if depth > 0 and share > 0:
            area += share
            volume += share * depth
    if area <= 0:
        return 0.0, 0.0
    return float(frequency) * area, volume / area


def seasonal_leaching_mm(etc: Any, ecw: Any, ece_threshold: Any, slope: Any = np.nan,
                         form: LeachingForm | str = LeachingForm.SURFACE) -> Any:
    """In-season leaching depth added to the seasonal irrigation, mm (FAO-29 §2.4.1).

    ``ETc LR / (1 - LR)`` with LR from the FAO-29 form that suits the irrigation method.

    Parameters
    ----------
    etc : array-like
        Seasonal crop water use to be supplied (ETc, or the net irrigation need), mm.
    ecw : array-like
        Irrigation water salinity, dS/m.
    ece_threshold, slope : array-like
        Crop salt tolerance (FAO-56 Table 23): threshold ECe (dS/m) and yield decline b
        (% per dS/m); ``slope`` is needed only for the high-frequency form.
    form : LeachingForm or str
        ``"surface"`` (flood, furrow, sprinkler), ``"high_frequency"`` (drip) or
        ``"paddy"`` (surface formula; see :func:`leaching_depth` for the percolation rule).

    """
    try:
        form = LeachingForm(form)
    except ValueError as exc:
        known = ", ".join(f.value for f in LeachingForm)
        raise InputError(f"form='{form}': unknown leaching form; use one of {known}") from exc
    if form in (LeachingForm.SURFACE, LeachingForm.PADDY):
        lr = leaching_requirement(ecw, ece_threshold)
    else:
        lr = leaching_requirement_drip(ecw, ece_at_zero_yield(ece_threshold, slope))
    return leaching_mm(etc, lr)


def leaching_depth(etc: Any, crop: Any, ecw: Any, form: LeachingForm | str,
                   perc: Any = 0.0) -> Any:
    """In-season leaching depth (mm) a crop needs on top of its ETc: the budget hook.

    Parameters
    ----------
    etc : array-like
        Seasonal ETc (or net irrigation need) of the crop, mm.
    crop : irrigate.science.params.Crop
        Crop record with ``ece_threshold`` and ``ece_slope`` (FAO-56 Table 23).
    ecw : array-like
        Irrigation water salinity, dS/m (e.g. the region's ``ecw``).
    form : LeachingForm or str
        The FAO-29 form of the irrigation method (``load_library().salinity.leaching_forms``
        by method name, ``[leaching_form]`` of salinity.toml).
    perc : array-like
        For ponded rice (form ``paddy``): the season's simulated percolation and seepage,
        mm. Ponded fields are leached by it, so only ``max(need - perc, 0)`` is returned.

    Returns
    -------
    array-like
        Leaching depth, mm; NaN where the water is too saline for the crop.

    """
    try:
        form = LeachingForm(form)
    except ValueError as exc:
        known = ", ".join(f.value for f in LeachingForm)
        raise InputError(f"form='{form}': unknown leaching form; use one of {known}") from exc
    need = seasonal_leaching_mm(etc, ecw, crop.ece_threshold, crop.ece_slope, form)
    if form is LeachingForm.PADDY:
        return np.maximum(need - perc, 0.0)
    return need
