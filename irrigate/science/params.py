"""Parameter records passed from the library (``models/``) to the science core.

These are plain frozen dataclasses in the core's fixed units. :mod:`irrigate.library`
builds them from the TOML files in ``models/`` (where every value carries its unit and
source); the engine only ever sees these records. Field names are the TOML keys.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Crop:
    """Crop parameters (FAO-56 ch. 6-8).

    Attributes
    ----------
    name : str
        Library key, e.g. ``"cotton"``.
    l_ini, l_dev, l_mid, l_late : int
        Stage lengths, days (FAO-56 Table 11).
    kcb_ini, kcb_mid, kcb_end : float
        Basal crop coefficients for sub-humid climate (RHmin 45 %, u2 2 m/s),
        FAO-56 Table 17.
    kc_ini, kc_mid, kc_end : float
        Single crop coefficients, FAO-56 Table 12.
    h_max : float
        Maximum crop height, m (FAO-56 Table 12).
    zr_min, zr_max : float
        Initial and maximum effective rooting depth, m (FAO-56 Table 22, p. 279 for zr_min).
    p : float
        Soil water depletion fraction for no stress at ETc = 5 mm/day (FAO-56 Table 22).
    ece_threshold : float
        Soil salinity (ECe, dS/m) at which yield starts to decline (FAO-56 Table 23).
    ece_slope : float
        Yield decline per dS/m above the threshold, % (FAO-56 Table 23).
    paddy : bool
        True for flooded rice (ponded balance).
    cuttings : tuple of tuple of int
        For forage crops cut several times (alfalfa): stage lengths (ini, dev, mid, late)
        of each cutting cycle after the first; empty for other crops.
    sowing : str
        Default sowing (planting) date as ``"MM-DD"`` (FAO-56 Table 11 planting month);
        empty when the user must give one.
    h_ini : float
        Crop height at sowing, m; used by the ``kcb_interpolation`` height rule of
        :class:`irrigate.science.conventions.Conventions` (0 by default).
    kc_min : float
        Minimum Kc of dry bare soil under the crop, FAO-56 Eq. 76 (0.15-0.20, p. 150).

    """

    name: str
    l_ini: int
    l_dev: int
    l_mid: int
    l_late: int
    kcb_ini: float
    kcb_mid: float
    kcb_end: float
    kc_ini: float
    kc_mid: float
    kc_end: float
    h_max: float
    zr_min: float
    zr_max: float
    p: float
    ece_threshold: float = float("nan")
    ece_slope: float = float("nan")
    paddy: bool = False
    cuttings: tuple[tuple[int, int, int, int], ...] = ()
    sowing: str = ""
    kc_min: float = 0.15
    h_ini: float = 0.0

    @property
    def season_length(self) -> int:
        """Total length of the growing season in days (all cuttings included)."""
        first = self.l_ini + self.l_dev + self.l_mid + self.l_late
        return first + sum(sum(c) for c in self.cuttings)


@dataclass(frozen=True)
class Soil:
    """Soil parameters (FAO-56 Table 19; SCS curve number).

    Attributes
    ----------
    name : str
        Library key.
    theta_fc, theta_wp : float
        Water content at field capacity and wilting point, m3/m3.
    rew : float
        Readily evaporable water, mm.
    ze : float
        Depth of the surface soil layer that dries by evaporation, m (0.10-0.15).
    cn2 : float
        SCS curve number for average antecedent moisture (AMC II).
    tew : float
        Total evaporable water, mm; NaN to compute it from FAO-56 Eq. 73.
    cr_a4, cr_b4 : float
        Maximum capillary rise from a water table at depth Dw (m): a4 * Dw**b4 mm/day
        (Liu, Pereira & Fernando 2006, Agric. Water Manage. 84:27-40; 4.6 and -0.65 for
        silty soils). Used only when a water-table depth is given.
    theta_sat : float
        Water content at saturation (total porosity), m3/m3; NaN if unknown. Only bounds a
        measured water content (``irrigate schedule --observed``); the balance drains to
        field capacity within the day (FAO-56 p. 170).

    """

    name: str
    theta_fc: float
    theta_wp: float
    rew: float
    ze: float
    cn2: float
    tew: float = float("nan")
    cr_a4: float = 4.6
    cr_b4: float = -0.65
    theta_sat: float = float("nan")


@dataclass(frozen=True)
class Method:
    """Irrigation method parameters.

    Attributes
    ----------
    name : str
        Library key: ``flood``, ``furrow``, ``sprinkler``, ``drip``, ``mulched_drip`` ...
    fw : float
        Fraction of the soil surface wetted by an irrigation event (FAO-56 Table 20).
    efficiency : float
        Field application efficiency: net water reaching the root zone / gross applied.
    loss_evap, loss_ro, loss_dp : float
        Split of the application loss (1 - efficiency) into evaporation and wind drift,
        tail-water runoff and deep percolation below the root zone; they sum to 1.
    film_cover : float
        Fraction of the soil surface covered by plastic film (0 without film).
    film_evap_reduction : float
        Fraction of soil evaporation suppressed under the film (0-1).
    depth_min, depth_max : float
        Usual net depth bounds of one event, mm.
    interval_min : int
        Shortest practical interval between events, days.
    surface : bool
        True for surface methods (flood, furrow) whose water can run off (SCS CN applies).
    wet_under_canopy : bool
        True for drip emitters under the canopy: the wetted fraction is multiplied by
        [1 - (2/3) fc] (FAO-56 Eq. 75 note, p. 147; Example 34).
    irrigated : bool
        False for the rainfed baseline (no irrigation whatever the schedule).

    """

    name: str
    fw: float
    efficiency: float
    loss_evap: float
    loss_ro: float
    loss_dp: float
    film_cover: float = 0.0
    film_evap_reduction: float = 0.0
    depth_min: float = 0.0
    depth_max: float = 1000.0
    interval_min: int = 1
    surface: bool = False
    wet_under_canopy: bool = False
    irrigated: bool = True
