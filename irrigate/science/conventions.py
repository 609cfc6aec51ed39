"""Named conventions for the choices FAO-56 leaves open, and presets of them.

FAO-56 (Allen et al. 1998) states most of the dual-Kc balance and of Penman-Monteith exactly,
but leaves some choices to the user, and its text and worked examples sometimes disagree.
Two codes that follow FAO-56 can therefore differ by several per cent on the same field
without either being wrong. :class:`Conventions` names every such choice the package makes,
one field each, with the FAO-56 page that allows it; :class:`Preset` names three sets:

* ``irrigate`` — the package's defaults (docs/validation.md, "Conventions", argues each);
* ``fao56-examples`` — what reproduces the FAO-56 worked examples (Examples 17-18, 35-38);
* ``pyfao56`` — what pyfao56 1.4 (Thorp et al., USDA-ARS) does with its default options.

The preset in force is written into every output's attributes (``conventions``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from irrigate.errors import InputError


class Timing(StrEnum):
    """Whether a coefficient is evaluated before or after the day's wetting."""

    BEFORE_WETTING = "before_wetting"
    AFTER_WETTING = "after_wetting"


class DeepPercolation(StrEnum):
    """Form of root-zone deep percolation (FAO-56 Eq. 88, p. 170)."""

    #: DP = P - RO + I - ETc - Dr,i-1 >= 0, Eq. 88 as printed: the day's ET is taken first.
    EQ88 = "eq88"
    #: DP = P - RO + I - Dr,i-1 >= 0: the refill drains before the day's ET (Example 38).
    EXAMPLE38 = "example38"


class RootGrowth(StrEnum):
    """Rule of root-depth growth between Zr min and Zr max (FAO-56 Annex 8, p. 279)."""

    #: Linear in time from sowing to the start of the mid-season stage.
    TIME = "time"
    #: Proportional to (Kcb - Kcb ini)/(Kcb mid - Kcb ini) (Annex 8 Eq. 8-1), never falling.
    KCB = "kcb"


class HeightRule(StrEnum):
    """Crop height during the initial and development stages (FAO-56 p. 277, Annex 8)."""

    #: h = h max x Kcb / Kcb mid.
    KCB_RATIO = "kcb_ratio"
    #: h = h ini + (h max - h ini)(Kcb - Kcb ini)/(Kcb mid - Kcb ini), never falling.
    KCB_INTERPOLATION = "kcb_interpolation"


class PostHarvest(StrEnum):
    """What covers the soil after harvest until the end of the run."""

    BARE_SOIL = "bare_soil"
    #: The crop stays at its end Kcb, height and roots (pyfao56 runs to its end date so).
    HOLD_END = "hold_end"


class PEtc(StrEnum):
    """Which ETc adjusts the depletion fraction p (FAO-56 Table 22, footnote 2, p. 163)."""

    PREVIOUS_DAY = "previous_day"
    SAME_DAY = "same_day"


@dataclass(frozen=True)
class Conventions:
    """One value for each choice FAO-56 leaves open.

    Attributes
    ----------
    kr_timing : Timing
        De used in Kr (Eq. 74, p. 146): Eq. 74 as printed takes De,i-1, the depletion at the
        end of the previous day (before the day's wetting); Example 35 (pp. 154-155) wets
        early in the day and takes Kr from "De start", after the wetting.
    ks_timing : Timing
        Dr used in Ks (Eq. 84, p. 169, which names Dr without a day index) on wetting days:
        the previous day's Dr,i-1 (before wetting; pyfao56) or, as Example 38 (pp. 172-173)
        does, the "Dr start" after the morning wetting.
    dp_form : DeepPercolation
        Eq. 88 as printed (p. 171: DP = P - RO + I - ETc - Dr,i-1) or as Example 38
        computes its day 1 (pp. 172-173: DP = I - Dr,i-1, the day's ET after the refill).
    surface_initial : float or None
        De at the start as a fraction of TEW; None = the root-zone fraction. FAO-56 p. 153:
        De = 0 after heavy rain or irrigation, De = TEW after a long dry period (Example
        35 starts from TEW).
    subsoil_initial : float or None
        Depletion fraction of the soil between the initial and maximum root depth; None =
        the root-zone fraction. Roots growing into it add 1000(θFC - θsub) ΔZr to Dr
        (FAO-56 Example 38, pp. 172-173, which takes θsub at field capacity: 0).
    root_growth : RootGrowth
        Root depth growing linearly with time to the start of mid-season, or in proportion
        to (Kcb - Kcb ini)/(Kcb mid - Kcb ini) (FAO-56 Annex 8, p. 279, as pyfao56 cites it).
    height : HeightRule
        Crop height while Kcb rises: h max Kcb/Kcb mid, or interpolated from an initial
        height h ini (Crop.h_ini) with the same Kcb fraction (pyfao56, citing FAO-56 p. 277).
    kcb_climate_adjustment : bool
        Adjust the Table 17 Kcb mid and end for u2 and RHmin (Eq. 70, p. 136; Kcb end only
        if >= 0.45). Table 17 values hold for RHmin = 45 %, u2 = 2 m/s; the adjustment is
        the user's step for other climates. Kc max (Eq. 72, p. 143) keeps its own climate
        term either way.
    kcb_day_origin : int
        Day number of the sowing day in Eq. 66 (p. 132): 1 ("i is the day number within the
        growing season") or 0 (the curve runs one day later, as pyfao56 counts it).
    p_etc : PEtc
        ETc used to adjust p (Table 22 footnote 2, pp. 162-163: p = p table +
        0.04(5 - ETc)): the previous day's (known before the irrigation decision) or the
        day's own.
    limit_fluxes : bool
        Reduce E and T so that De <= TEW and Dr <= TAW hold (Eq. 78, p. 153 and Eq. 86,
        p. 170 state the limits, not how to meet them); False computes the fluxes
        from the coefficients and clips the depletion instead (pyfao56; water is then not
        conserved on those days).
    runoff : bool
        Subtract SCS curve-number runoff from rain (Eq. 85 carries RO; FAO-56 p. 170 points
        to the USDA-SCS curve number and allows RO = 0 for small events).
    post_harvest : PostHarvest
        Soil cover after harvest until the end of the run; FAO-56 ends the Kcb curve at
        harvest (Eq. 66, p. 132) and leaves the off-season to the user (bare soil, or the
        dead crop held at Kcb end as pyfao56 does).
    rs_rso_min : float
        Lower bound of Rs/Rso in Eq. 39 (p. 52). FAO-56 states Rs/Rso <= 1.0 only (and uses
        0.3 for total cloud cover at night, p. 75); ASCE-EWRI (2005, Eq. 18) bounds it to
        0.3-1.0. 0 = no lower bound.
    u2_floor : float
        Lower limit of u2 in Eq. 6, m/s (FAO-56 p. 63: "about 0.5 m/s" for low wind);
        0 = none.

    """

    kr_timing: Timing = Timing.AFTER_WETTING
    ks_timing: Timing = Timing.AFTER_WETTING
    dp_form: DeepPercolation = DeepPercolation.EXAMPLE38
    surface_initial: float | None = None
    subsoil_initial: float | None = None
    root_growth: RootGrowth = RootGrowth.TIME
    height: HeightRule = HeightRule.KCB_RATIO
    kcb_climate_adjustment: bool = True
    kcb_day_origin: int = 1
    p_etc: PEtc = PEtc.PREVIOUS_DAY
    limit_fluxes: bool = True
    runoff: bool = True
    post_harvest: PostHarvest = PostHarvest.BARE_SOIL
    rs_rso_min: float = 0.3
    u2_floor: float = 0.5
    name: str = "custom"

    def __post_init__(self) -> None:
        """Turn strings into the enums; InputError on an unknown value."""
        kinds = {"kr_timing": Timing, "ks_timing": Timing, "dp_form": DeepPercolation,
                 "root_growth": RootGrowth, "height": HeightRule, "p_etc": PEtc,
                 "post_harvest": PostHarvest}
        for name, kind in kinds.items():
            value = getattr(self, name)
            try:
                object.__setattr__(self, name, kind(value))
            except ValueError:
                raise InputError(f"conventions {name}: {value!r} is not one of "
                                 f"{', '.join(k.value for k in kind)}") from None
        for name in ("surface_initial", "subsoil_initial"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= float(value) <= 1.0:
                raise InputError(f"conventions {name}: must be a fraction in [0, 1] or None, "
                                 f"got {value}")
        if self.kcb_day_origin not in (0, 1):
            raise InputError(f"conventions kcb_day_origin: 0 or 1, got {self.kcb_day_origin}")
        if not 0.0 <= self.rs_rso_min < 1.0 or self.u2_floor < 0.0:
            raise InputError("conventions: rs_rso_min must be in [0, 1) and u2_floor >= 0")

    def describe(self) -> str:
        """Return ``name: field=value; ...`` for output attributes."""
        values = {k: (v.value if isinstance(v, StrEnum) else v)
                  for k, v in asdict(self).items() if k != "name"}
        return f"{self.name}: " + "; ".join(f"{k}={v}" for k, v in values.items())


class Preset(StrEnum):
    """Named sets of conventions."""

    IRRIGATE = "irrigate"
    FAO56_EXAMPLES = "fao56-examples"
    PYFAO56 = "pyfao56"


PRESETS: dict[Preset, Conventions] = {
    Preset.IRRIGATE: Conventions(name="irrigate"),
    # Eq. 39 as printed (Examples 17-18); subsoil at field capacity (Example 38)
    Preset.FAO56_EXAMPLES: Conventions(name="fao56-examples", subsoil_initial=0.0,
                                       rs_rso_min=0.0),
    Preset.PYFAO56: Conventions(
        name="pyfao56", kr_timing=Timing.BEFORE_WETTING, ks_timing=Timing.BEFORE_WETTING,
        dp_form=DeepPercolation.EQ88, surface_initial=1.0, subsoil_initial=0.0,
        root_growth=RootGrowth.KCB, height=HeightRule.KCB_INTERPOLATION,
        kcb_climate_adjustment=False, kcb_day_origin=0, p_etc=PEtc.SAME_DAY,
        limit_fluxes=False, runoff=False, post_harvest=PostHarvest.HOLD_END, rs_rso_min=0.3,
        u2_floor=0.0),
}
DEFAULT = PRESETS[Preset.IRRIGATE]


def conventions(value: Conventions | str | None = None, **changes: Any) -> Conventions:
    """Return a :class:`Conventions` from a preset name, a record or None (``irrigate``).

    Keyword arguments change single fields (the name becomes ``<preset>+custom``).
    """
    if value is None:
        value = Preset.IRRIGATE
    if isinstance(value, str):
        try:
            value = PRESETS[Preset(value)]
        except ValueError:
            raise InputError(f"conventions {value!r}: unknown preset; use one of "
                             f"{', '.join(p.value for p in Preset)}") from None
    if not isinstance(value, Conventions):
        raise InputError(f"conventions: give a preset name or a Conventions record, got "
                         f"{type(value).__name__}")
    if changes:
        value = replace(value, name=f"{value.name}+custom", **changes)
    return value
