"""Calibrate today's practice per region to the reported season withdrawals (issue #12).

The budget's today (:mod:`irrigate.engine.today`) runs today's calendars on today's areas and
crop x method shares. Its season withdrawal in a region (crop lines only: off-season leaching
and moisture charging are outside season statistics) is ``W1`` with practice factor 1. The
*practice factor* ``f`` multiplies today's net and gross depths, so the modelled season
withdrawal is ``f x W1``: linear, and the fit is closed-form,

    f = clip(R / W1, low bound, high bound)

for the reported withdrawal ``R`` (``models/deliveries.toml``); the factors of the low and
high ends of a reported range are its uncertainty. A factor on a bound means the calendars,
areas or conveyance cannot reach the statistic with a plausible practice: the cause is named
(:func:`likely_cause`). This is a fit, not a validation: after it the fitted regions meet
their statistic by construction.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import xarray as xr

from irrigate.library.baseline import CALIBRATED_FILE, Definition, Delivery

#: 1 km3 in 1e6 m3.
MCM_PER_KM3 = 1000.0


@dataclass(frozen=True)
class FactorFit:
    """The fitted practice factor of one region.

    ``modelled_km3``: season withdrawal at factor 1; ``factor`` (``low``, ``high``) meets the
    reported value (its range ends) within ``bounds``; ``bound``: ``"low"``/``"high"`` when the
    central factor sits on a bound, else ``""``. ``conveyance_factor``: the factors that would
    meet the reported value with the region's canal efficiency at the low and high ends of its
    range (``conveyance``): the uncertainty the conveyance range adds.
    """

    code: str
    name: str
    modelled_km3: float
    reported: Delivery
    factor: float
    low: float
    high: float
    bounds: tuple[float, float]
    bound: str
    conveyance: tuple[float, float] = (float("nan"), float("nan"))
    conveyance_factor: tuple[float, float] = (float("nan"), float("nan"))

    @property
    def fitted_km3(self) -> float:
        """Season withdrawal with the fitted factor, km3."""
        return self.factor * self.modelled_km3


def season_withdrawal_km3(ds: xr.Dataset) -> xr.DataArray:
    """Season withdrawal of today per region, km3: crop lines only (no off-season lines)."""
    crop = ds["line"] == "crop" if "line" in ds.coords else True
    return ds["withdrawal_current_mcm"].where(crop).sum("crop") / MCM_PER_KM3


def _clip(x: float, bounds: tuple[float, float]) -> float:
    return min(max(x, bounds[0]), bounds[1])


def season_at_efficiency(ds: xr.Dataset, code: str, system: float,
                         method_efficiency: Callable[[float, str], float]) -> float:
    """Season withdrawal of today in region ``code`` (km3) on a canal system of ``system``.

    Today's field volumes (``current_share x irr_gross_today_mm x area``, crop lines) over
    each method's efficiency on that system (``method_efficiency(system, method)``,
    :meth:`irrigate.library.baseline.BaselineRecords.method_efficiency`).
    """
    reg = ds.sel(region=code)
    if "line" in ds.coords:
        reg = reg.sel(crop=ds["crop"].values[ds["line"].values == "crop"])
    shares = reg["current_share"].sum("method").where(reg["area_ha"] > 0)
    if bool((abs(shares - 1.0) > 1e-6).any()):
        raise ValueError(f"{code}: today's methods are not all in the budget (run it with "
                         "every method, as irrigate calibrate-baseline does)")
    field = (reg["current_share"] * reg["irr_gross_today_mm"].fillna(0.0)
             * reg["area_ha"] * 1e-5).sum("crop")
    return sum(float(field.sel({"method": m})) / method_efficiency(system, str(m))
               for m in field["method"].values) / MCM_PER_KM3


def fit_factors(ds: xr.Dataset, deliveries: dict[str, Delivery],
                bounds: tuple[float, float],
                method_efficiency: Callable[[float, str], float] | None = None
                ) -> list[FactorFit]:
    """Fit the practice factor of every region whose delivery is marked ``fit``.

    ``ds`` must be a budget run with factor 1 (``budget(..., fitted=False)``): its
    ``practice_factor`` is checked. With ``method_efficiency`` (the library's
    :meth:`~irrigate.library.baseline.BaselineRecords.method_efficiency`) and the budget's
    ``conveyance_low``/``_high``, the factors at the ends of the conveyance range are added.
    """
    if "practice_factor" in ds and bool((ds["practice_factor"] != 1.0).any()):
        raise ValueError("fit_factors needs a budget with practice factor 1 (fitted=False)")
    season = season_withdrawal_km3(ds)
    out = []
    for code, rep in deliveries.items():
        if not rep.fit or code not in season["region"].values:
            continue
        w1 = float(season.sel(region=code))
        if not w1 > 0:
            continue
        raw = rep.value / w1
        f = _clip(raw, bounds)
        bound = "high" if raw > bounds[1] else "low" if raw < bounds[0] else ""
        name = str(ds["region_name"].sel(region=code).values)
        conv = conv_f = (float("nan"), float("nan"))
        if method_efficiency is not None and "conveyance_low" in ds:
            conv = (float(ds["conveyance_low"].sel(region=code)),
                    float(ds["conveyance_high"].sel(region=code)))
            lo_f, hi_f = (_clip(rep.value / season_at_efficiency(ds, code, e,
                                                                  method_efficiency), bounds)
                          for e in conv)
            conv_f = (lo_f, hi_f)
        out.append(FactorFit(code, name, w1, rep, f, _clip(rep.low / w1, bounds),
                             _clip(rep.high / w1, bounds), bounds, bound, conv, conv_f))
    return out


def likely_cause(fit: FactorFit) -> str:
    """Name the likely cause of a factor on a bound ("" when it is inside)."""
    lo_conv, hi_conv = fit.conveyance_factor
    if fit.bound == "high" and lo_conv < fit.bounds[1]:
        return (f"conveyance: with the canal efficiency at the low end of its range "
                f"({fit.conveyance[0]:g}) the factor is {lo_conv:.2f}, inside the bounds; the "
                f"reported figure ({fit.reported.definition.value}) counts more canal and "
                f"drainage losses than the central efficiency")
    if fit.bound == "low" and hi_conv > fit.bounds[0]:
        return (f"conveyance: with the canal efficiency at the high end of its range "
                f"({fit.conveyance[1]:g}) the factor is {hi_conv:.2f}, inside the bounds; or "
                "groundwater and reused drainage water outside the surface statistic")
    if fit.bound == "high":
        if fit.reported.definition is Definition.INTAKE:
            return ("statistic definition: the figure is intake at the head works, which "
                    "counts canal and drainage losses the model's conveyance range does not "
                    "reach, and rice flow-through beyond the modelled paddy calendar; or more "
                    "of the watered land under rice than the crop shares give")
        return ("statistic definition or areas: the report counts more water than today's "
                "calendars apply on the watered area at the region's conveyance efficiency")
    if fit.bound == "low":
        return ("groundwater and reused drainage water irrigate part of the land outside the "
                "surface statistic, or supply was cut more than the bound allows")
    return ""


def calibrated_toml(fits: list[FactorFit], calibration_id: str, climate: str) -> str:
    """Return the text of ``baseline_factors.toml`` for ``fits``."""
    lo, hi = fits[0].bounds if fits else (0.4, 1.2)
    lines = [
        f"# Practice factor of today per region, fitted by `irrigate calibrate-baseline` "
        f"({calibration_id}).",
        "# factor: multiplies the net and gross depths of today's practice (calendars of",
        "# practices_today.toml / practices.toml on the areas of areas.toml and the shares of",
        "# practice_shares.toml), so the modelled season withdrawal (off-season lines excluded)",
        "# meets the reported one of deliveries.toml; factor_low / factor_high meet the ends of",
        "# the reported range; bound: the fit bound the factor sits on ('' if none).",
        f"# Climate: {climate}. A fit, not a validation.",
        "",
        "[bounds]",
        f'low = {{ value = {lo:g}, unit = "1", source = "assumption: today\'s practice '
        f'delivers at least 40 % of its calendar\'s water (a supply cut deeper than the 2025 '
        f'limits, 76-88 % delivered in Turkestan, is not reported)" }}',
        f'high = {{ value = {hi:g}, unit = "1", source = "assumption: at most 20 % more '
        f'water than today\'s calendar (longer or heavier irrigations than the calendar)" }}',
    ]
    for f in fits:
        rep = f.reported
        rng = (f"{rep.value:g} km3 ({rep.low:g}-{rep.high:g})" if rep.low != rep.high
               else f"{rep.value:g} km3")
        src = (f"calibrated: {calibration_id}: reported {rep.year} season withdrawal {rng}, "
               f"definition {rep.definition.value} (deliveries.toml), against "
               f"{f.modelled_km3:.3f} km3 modelled at factor 1; {climate}")
        lines += [
            "",
            f'["{f.code}"]',
            f'name = "{f.name}"',
            f'bound = "{f.bound}"',
            f'factor = {{ value = {f.factor:.4f}, unit = "1", source = "{src}" }}',
        ]
        if math.isfinite(f.conveyance_factor[0]):
            lines += [
                f'factor_conveyance_low = {{ value = {f.conveyance_factor[0]:.4f}, unit = "1", '
                f'source = "{src}; with the canal efficiency at the low end of its range, '
                f'{f.conveyance[0]:g} (conveyance_ranges.toml)" }}',
                f'factor_conveyance_high = {{ value = {f.conveyance_factor[1]:.4f}, unit = '
                f'"1", source = "{src}; with the canal efficiency at the high end of its '
                f'range, {f.conveyance[1]:g}" }}',
            ]
        if rep.low != rep.high:  # one published figure: no range (the loader reads factor)
            lines += [
                f'factor_low = {{ value = {f.low:.4f}, unit = "1", source = "{src}; low end '
                f'of the reported range" }}',
                f'factor_high = {{ value = {f.high:.4f}, unit = "1", source = "{src}; high '
                f'end of the reported range" }}',
            ]
    return "\n".join(lines) + "\n"


def _pair(values: tuple[float, float]) -> str:
    lo, hi = values
    return f"{lo:.2f}-{hi:.2f}" if math.isfinite(lo) else "-"


def fit_table(fits: list[FactorFit]) -> str:
    """Plain-text table of the fit: modelled, reported, factor with range, bound, cause."""
    head = (f"{'region':<18} {'modelled':>9} {'reported':>16} {'definition':>10} "
            f"{'factor':>7} {'range':>11} {'conveyance':>11} {'fitted':>7}  bound")
    lines = ["Practice factor of today, fitted to the reported 2025 season withdrawals "
             "(km3; a fit, not a validation)", head, "-" * len(head)]
    for f in fits:
        rep = f.reported
        reported = f"{rep.value:.2f}" + (f" ({rep.low:g}-{rep.high:g})"
                                         if rep.low != rep.high else "")
        lines.append(f"{f.code + ' ' + f.name:<18} {f.modelled_km3:>9.2f} {reported:>16} "
                     f"{rep.definition.value:>10} {f.factor:>7.3f} "
                     f"{f.low:>5.2f}-{f.high:<5.2f} {_pair(f.conveyance_factor):>11} "
                     f"{f.fitted_km3:>7.2f}  {f.bound or '-'}")
    lines.append(f"bounds {fits[0].bounds[0]:g}-{fits[0].bounds[1]:g}; range: the factors of "
                 "the reported range's ends; conveyance: the factors with the canal efficiency "
                 "at the low and high ends of its range" if fits else "no fit")
    for f in fits:
        cause = likely_cause(f)
        if cause:
            lines.append(f"{f.code} {f.name}: factor on the {f.bound} bound (reported / "
                         f"modelled = {f.reported.value / f.modelled_km3:.2f}); likely cause: "
                         f"{cause}")
    return "\n".join(lines) + "\n"


__all__ = ["CALIBRATED_FILE", "FactorFit", "calibrated_toml", "fit_factors", "fit_table",
           "likely_cause", "season_at_efficiency", "season_withdrawal_km3"]
