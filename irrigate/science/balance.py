"""FAO-56 dual-Kc soil water balance (ch. 7-8): one daily kernel, vectorised over elements.

:func:`run_balance` loops over days and updates every element (cell x crop x method, or any
broadcastable shape) at once with numpy array operations. The day order follows FAO-56
p. 156 (Kcb, h, Kc max, fc, fw, few, Kr, Ke, E, De, then Ks, ETc adj, Dr), with all wetting
(rain and irrigation) early in the day as in FAO-56 Examples 35 and 38. See
``docs/water-balance.md`` for every equation and convention.

Inputs are named records (:mod:`irrigate.science.balance_inputs`): :class:`Forcing`
(weather), :class:`Site` (per-element soil, sowing, crop and method), :class:`Parameters`
(crop and method records), :class:`Management` (schedule) and :class:`InitialState`.

Storage used for the mass balance
---------------------------------
Below the current root zone (``zr``) down to ``zr_max`` the soil is assumed to stay at a
fixed depletion fraction ``f_sub`` of its available water (``InitialState.subsoil``; 0 means
field capacity, the FAO-56 Example 38 assumption). When roots grow, the added layer enters
the root zone at that depletion: Dr += f_sub x (TAW_new - TAW_old). With the storage
``W = TAW_max - Dr - f_sub (TAW_max - TAW)`` (available water above wilting point down to
``zr_max``) the identity ``W_end - W_start = sum(precip - ro + irr_net + cr - eta - dp)``
holds exactly (to rounding), root growth included; on a day with a measured depletion
(``Forcing.dr_observed``) the state is reset and the identity holds with the reset added.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from irrigate.science import crop as cropmod
from irrigate.science.balance_inputs import (
    CropTables,
    Elements,
    Forcing,
    InitialState,
    Management,
    Parameters,
    Site,
    crop_tables,
    element_arrays,
    element_shape,
)
from irrigate.science.conventions import DEFAULT, Conventions, DeepPercolation, PEtc, Timing
from irrigate.science.params import Soil
from irrigate.science.schedule import decide_net_depth

#: Kernel outputs, in order (names from the variables table).
ALL_OUTPUTS: tuple[str, ...] = (
    "das", "kcb", "h", "zr", "fc", "kc_max", "fw", "few", "kr", "ke", "ks", "p", "etc",
    "eta", "e", "t", "dr", "de", "taw", "raw", "ro", "dp", "cr", "irr_net", "irr_gross",
    "irr_loss", "irr_loss_evap", "irr_loss_ro", "irr_loss_dp",
)

#: Rain (mm, after runoff) that wets the whole surface (fw = 1) when no irrigation occurs:
#: FAO-56 p. 149 "significant rain (> 3-4 mm)".
RAIN_WETTING_MM = 3.0
#: Lower limit of few, FAO-56 Eq. 75 (p. 147).
FEW_MIN = 0.01
_BIG = 1.0e9
#: Every layer at field capacity on the first day (the default initial state).
FIELD_CAPACITY = InitialState()


def tew_of(soil: Soil) -> float:
    """Return TEW (mm): the soil's value, or FAO-56 Eq. 73 1000(θFC - 0.5 θWP) Ze."""
    if np.isfinite(soil.tew):
        return float(soil.tew)
    return 1000.0 * (soil.theta_fc - 0.5 * soil.theta_wp) * soil.ze


def curve_number_runoff(water: np.ndarray, cn2: np.ndarray, de: np.ndarray, rew: np.ndarray,
                        tew: np.ndarray) -> np.ndarray:
    """Return SCS curve-number runoff (mm) of a daily water depth.

    CN2 is adjusted for antecedent wetness by the surface-layer depletion De of the previous
    day (Allen et al. 2005, J. Irrig. Drain. Eng. 131(1):2-13, as in ASCE Manual 70, 2016):
    CN = CN III for De <= 0.5 REW, CN I for De >= 0.7 REW + 0.3 TEW and linear between, with
    CN I = CN2/(2.281 - 0.01281 CN2) and CN III = CN2/(0.427 + 0.00573 CN2) (Hawkins et al.
    1985). S = 25400/CN - 254 mm, Ia = 0.2 S, RO = (P - Ia)^2/(P - Ia + S) for P > Ia
    (USDA-SCS 1972).
    """
    cn1 = cn2 / (2.281 - 0.01281 * cn2)
    cn3 = cn2 / (0.427 + 0.00573 * cn2)
    wet = 0.5 * rew
    dry = 0.7 * rew + 0.3 * tew
    frac = np.clip((de - wet) / np.maximum(dry - wet, 1e-9), 0.0, 1.0)
    cn = cn3 + frac * (cn1 - cn3)
    s = 25400.0 / cn - 254.0
    ia = 0.2 * s
    excess = np.maximum(water - ia, 0.0)
    return excess * excess / np.maximum(excess + s, 1e-12)


def exposed_wetted_fraction(fc: np.ndarray, fw: np.ndarray, film: np.ndarray | float = 0.0
                            ) -> np.ndarray:
    """Return few, the exposed and wetted soil fraction that evaporates.

    FAO-56 Eq. 75 few = min(1 - fc, fw), limited to [0.01, 1], then multiplied by
    (1 - film_cover x film_evap_reduction) (``film``): the film takes its share of the exposed
    wetted soil whatever the wetting pattern, so partial wetting and film combine
    multiplicatively (never only the larger of the two reductions).
    """
    return np.clip(np.minimum(1.0 - fc, fw), FEW_MIN, 1.0) * (1.0 - film)


def surface_layer(de_prev: np.ndarray, rain: np.ndarray, irr_wetted: np.ndarray,
                  few: np.ndarray, kcb: np.ndarray, kcmax: np.ndarray, rew: np.ndarray,
                  tew: np.ndarray, et0: np.ndarray, kr_before_wetting: bool = False,
                  limit_e: bool = True) -> dict[str, np.ndarray]:
    """One day of the surface (evaporation) layer, FAO-56 Eqs. 71, 74, 77-79.

    Wetting is early in the day (FAO-56 Example 35): De start = max(De_prev - (P - RO) -
    I/fw, 0) with DPe the excess (Eq. 79); Kr from De start (Eq. 74); Ke = min(Kr (Kc max -
    Kcb), few Kc max) (Eq. 71); E = Ke ET0, limited so that De <= TEW (Eq. 78); De end =
    De start + E/few (Eq. 77, transpiration from the layer neglected, p. 153).

    Parameters
    ----------
    de_prev : ndarray
        Surface-layer depletion at the end of the previous day, mm.
    rain : ndarray
        Infiltrating precipitation P - RO, mm.
    irr_wetted : ndarray
        Irrigation depth on the wetted fraction I/fw, mm.
    few, kcb, kcmax : ndarray
        Exposed wetted fraction (Eq. 75), basal Kc and Kc max (Eq. 72).
    rew, tew : ndarray
        Readily and total evaporable water, mm (Eq. 73).
    et0 : ndarray
        Reference ET, mm/day.
    kr_before_wetting : bool
        Evaluate Kr from De_prev (FAO-56 p. 153, De,i-1) instead of De start (Example 35).
    limit_e : bool
        Limit E so that De <= TEW (Eq. 78); False: E = Ke ET0 and De clipped at TEW.

    Returns
    -------
    dict
        ``de_start``, ``dpe``, ``kr``, ``ke``, ``e`` (mm), ``de_end`` (mm).

    """
    wet = rain + irr_wetted
    dpe = np.maximum(wet - de_prev, 0.0)  # Eq. 79
    de_start = np.maximum(de_prev - wet, 0.0)
    de_kr = de_prev if kr_before_wetting else de_start
    kr = np.clip((tew - de_kr) / np.maximum(tew - rew, 1e-9), 0.0, 1.0)  # Eq. 74
    kr = np.where(de_kr <= rew, 1.0, kr)
    ke = np.minimum(kr * (kcmax - kcb), few * kcmax)  # Eq. 71
    e = ke * et0
    if limit_e:
        e = np.minimum(e, few * np.maximum(tew - de_start, 0.0))  # Eq. 78
    return {"de_start": de_start, "dpe": dpe, "kr": kr, "ke": ke, "e": e,
            "de_end": np.minimum(de_start + e / few, tew)}


def root_zone(dr_prev: np.ndarray, water: np.ndarray, taw: np.ndarray, p: np.ndarray,
              kcb: np.ndarray, e: np.ndarray, et0: np.ndarray,
              cr_max: np.ndarray | float = 0.0, etc: np.ndarray | None = None,
              conv: Conventions = DEFAULT) -> dict[str, np.ndarray]:
    """One day of the root-zone balance, FAO-56 Eqs. 80, 83-88.

    Wetting early in the day (FAO-56 Example 38): Dr start = max(Dr_prev - W, 0) with
    W = P - RO + I and DP = max(W - Dr_prev, 0) (Eq. 88 with the day's ET taken after the
    refill); Ks from Dr start (Eq. 84, RAW = p TAW, Eq. 83); T = Ks Kcb ET0 and E, limited so
    that Dr <= TAW (Eq. 86); ETa = T + E (Eq. 80); capillary rise CR = min(CR max x
    min(1, Dr start/RAW), ETc, Dr start + ETa) so that Dr >= 0; Dr = Dr start + ETa - CR
    (Eq. 85). ``conv`` may instead take Ks from Dr_prev (``ks_timing``, FAO-56 p. 169) and
    DP from Eq. 88 as printed, after the day's ET (``dp_form``).

    Returns
    -------
    dict
        ``dr_start``, ``dp``, ``ks``, ``t``, ``e``, ``eta``, ``cr``, ``dr`` (mm).

    """
    raw = p * taw
    dr_w = np.maximum(dr_prev - water, 0.0)
    dr_ks = dr_prev if conv.ks_timing == Timing.BEFORE_WETTING else dr_w
    ks = np.where(dr_ks > raw + 1e-9, (taw - dr_ks) / np.maximum((1.0 - p) * taw, 1e-9), 1.0)
    ks = np.clip(ks, 0.0, 1.0)  # Eq. 84 (1e-9 mm: rounding of a refill to exactly RAW)
    room = np.maximum(taw - dr_w, 0.0)  # Eq. 86
    tr = ks * kcb * et0
    if conv.limit_fluxes:
        tr = np.minimum(tr, room)
        e = np.minimum(e, room - tr)
    eta = tr + e  # Eq. 80
    if conv.dp_form == DeepPercolation.EQ88:  # Eq. 88 as printed: ET before drainage
        dp = np.maximum(water - eta - dr_prev, 0.0)
        dr_end = dr_prev - water + eta + dp
    else:  # Example 38: the refill drains first
        dp = np.maximum(water - dr_prev, 0.0)  # Eq. 88
        dr_end = dr_w + eta
    if not conv.limit_fluxes:  # pyfao56: the state is clipped instead of the fluxes
        dr_end = np.minimum(dr_end, taw)
    demand = (kcb * et0 + e) if etc is None else etc
    dry = np.clip(dr_w / np.maximum(raw, 1e-9), 0.0, 1.0)
    cr = np.minimum(np.minimum(cr_max * dry, demand), dr_end)
    return {"dr_start": dr_w, "dp": dp, "ks": ks, "t": tr, "e": e, "eta": eta, "cr": cr,
            "dr": dr_end - cr}  # Eq. 85


# ---- measured state (real-time assimilation of a soil water reading) -------------------
def depletion_from_theta(theta: np.ndarray | float, theta_fc: np.ndarray | float,
                         zr: np.ndarray | float) -> np.ndarray:
    """Return the root-zone depletion (mm) of a measured volumetric water content.

    FAO-56 Eq. 87 (p. 170): Dr = 1000 (θFC - θ) Zr, with θ the mean water content of the
    root zone (m3/m3), θFC its field capacity (m3/m3) and Zr the root depth that day (m).
    Negative for a root zone wetter than field capacity (it drains within the day, p. 170).
    """
    return 1000.0 * (np.asarray(theta_fc, float) - np.asarray(theta, float)) * np.asarray(
        zr, float)


def assimilate_depletion(dr: np.ndarray, observed: np.ndarray, taw: np.ndarray) -> np.ndarray:
    """Reset the root-zone depletion to a measurement where there is one (not NaN).

    A reading of soil water replaces the modelled state on its day, as real-time scheduling
    services do with the readings their users enter (e.g. WSU's Irrigation Scheduler Mobile,
    docs/schedule.md; FAO-56 ch. 8 p. 170 starts the balance from a depletion measured as a
    water content, Eq. 87). The
    measured depletion is limited to [0, TAW] (Eqs. 85-86 bounds: water above field capacity
    drains the same day, p. 170). The balance's water identity then holds with the reset
    added to the day's change of storage.
    """
    return np.where(np.isfinite(observed), np.clip(observed, 0.0, taw), dr)


def run_balance(forcing: Forcing, site: Site, parameters: Parameters,
                management: Management, *, initial: InitialState = FIELD_CAPACITY,
                conventions: Conventions = DEFAULT, outputs: Sequence[str] = ALL_OUTPUTS
                ) -> np.ndarray:
    """Run the daily dual-Kc water balance; time is the last axis of every series.

    Parameters
    ----------
    forcing : Forcing
        Daily ET0, precipitation (mm/day), u2 (m/s) and RHmin (%), shape (..., T).
    site : Site
        Per-element sowing day, soil, water table, crop and method indices.
    parameters : Parameters
        The crop and method records the indices point to.
    management : Management
        Irrigation rule, user events and calendar window.
    initial : InitialState
        Depletion fractions of the root zone, surface layer and subsoil on the first day
        (surface and subsoil default to the conventions', then to the root zone's).
    conventions : Conventions
        The choices FAO-56 leaves open (:mod:`irrigate.science.conventions`).
    outputs : sequence of str
        Variables to return, from :data:`ALL_OUTPUTS`.

    Returns
    -------
    ndarray, (..., len(outputs), T)
        Daily values; fluxes in mm/day, states at the end of the day in mm.

    """
    unknown = [o for o in outputs if o not in ALL_OUTPUTS]
    if unknown:
        raise ValueError(f"unknown outputs {unknown}; known: {ALL_OUTPUTS}")
    shape = element_shape(forcing, site)
    el = element_arrays(forcing, site, parameters, shape, conventions)
    tab = crop_tables(parameters.crops, conventions)
    return _daily_loop(forcing, el, tab, management.series(forcing.et0.shape[-1]),
                       initial.fractions(conventions), conventions, tuple(outputs), shape)


def run_balance_ufunc(*arrays: np.ndarray, parameters: Parameters, management: Management,
                      initial: InitialState = FIELD_CAPACITY,
                      conventions: Conventions = DEFAULT,
                      outputs: Sequence[str] = ALL_OUTPUTS) -> np.ndarray:
    """:func:`run_balance` on the fields of :class:`Forcing` then :class:`Site`, in order.

    The positional form ``xarray.apply_ufunc`` needs; the field order is that of the records.
    """
    n = len(Forcing._fields)
    return run_balance(Forcing(*arrays[:n]), Site(*arrays[n:]), parameters, management,
                       initial=initial, conventions=conventions, outputs=outputs)


def _daily_loop(forcing: Forcing, el: Elements, tab: CropTables, management: Management,
                initial: tuple[float, float, float], conv: Conventions,
                outputs: tuple[str, ...], shape: tuple[int, ...]) -> np.ndarray:
    """Loop over the days (FAO-56 p. 156 order), updating every element at once.

    Reads only float64/int/bool arrays and the schedule record.
    """
    n_t = forcing.et0.shape[-1]
    # day-major storage: each day writes contiguous blocks (a time-last layout would
    # scatter every write over the whole array); returned as a (..., variable, time) view
    result = np.empty((n_t, len(outputs)) + shape)
    slot = {name: k for k, name in enumerate(outputs)}
    ci, sow, tew_ = el.ci, el.sow, el.tew
    n_tab = tab.h.shape[1]
    schedule, user_depth, user_fw, calendar = management

    # state
    zr_prev = tab.zr[ci, np.clip(-sow, 0, n_tab - 1)]  # the day before the first
    taw_prev = el.fc_wp * zr_prev
    f_root, f_surface, f_sub = initial
    dr = f_root * taw_prev
    de = f_surface * tew_
    fw_state = np.ones(shape)
    last_irr = np.zeros(shape, dtype=bool)
    days_since = np.full(shape, _BIG)
    cum_net = np.zeros(shape)
    cum_gross = np.zeros(shape)
    etc_prev = np.full(shape, 5.0)  # p = p(Table 22) on the first day
    zero = np.zeros(shape)
    # capillary rise potential: Liu et al. (2006) CRmax = a4 Dw^b4
    has_wt = np.isfinite(el.water_table)
    crmax = np.where(has_wt, el.cr_a4 * np.maximum(np.where(has_wt, el.water_table, 1.0), 0.01)
                     ** el.cr_b4, 0.0)

    def series(a: np.ndarray, t: int) -> np.ndarray:
        return np.broadcast_to(a[..., t], shape)

    # days with a measured depletion on any element (Forcing.dr_observed, NaN elsewhere)
    observed = forcing.dr_observed
    measured = (np.zeros(n_t, bool) if observed is None else
                np.isfinite(np.asarray(observed, float)).reshape(-1, n_t).any(axis=0))

    for t in range(n_t):
        et0_t = series(forcing.et0, t)
        p_t = series(forcing.precip, t)
        u2_t, rh_t = series(forcing.u2, t), series(forcing.rh_min, t)
        das = t - sow
        k = np.clip(das + 1, 0, n_tab - 1)
        # crop state (Eq. 66 for Kcb; h and Zr rules in irrigate.science.crop)
        stage = tab.stage[ci, k]
        kcb = (tab.w_ini[ci, k] * el.kcb_ini + tab.w_mid[ci, k] * el.kcb_mid
               + tab.w_end[ci, k] * el.kcb_end)
        h = tab.h[ci, k]
        zr = tab.zr[ci, k]
        term = cropmod.climate_term(u2_t, rh_t, h)
        kcmax = np.maximum(1.2 + np.where(np.isfinite(term), term, 0.0), kcb + 0.05)  # Eq. 72
        fc = cropmod.canopy_cover(kcb, kcmax, h, el.kc_min)  # Eq. 76
        # root growth: the new layer enters at the subsoil depletion f_sub (see module doc)
        taw = el.fc_wp * zr  # Eq. 82
        dr = dr + f_sub * (taw - taw_prev)
        if measured[t]:  # a measured depletion replaces the state at the start of the day
            dr = assimilate_depletion(dr, series(observed, t), taw)
        # p adjusted for the previous day's ETc (Table 22 footnote 2), limited to 0.1-0.8
        p = np.clip(el.p + 0.04 * (5.0 - etc_prev), 0.1, 0.8)
        raw = p * taw  # Eq. 83
        # rain runoff (SCS CN) and the irrigation decision on the depletion after rain
        ro0 = curve_number_runoff(p_t, el.cn2, de, el.rew, tew_) if conv.runoff else zero
        dr_rain = np.maximum(dr - (p_t - ro0), 0.0)
        net = decide_net_depth(
            schedule, dr=dr_rain, taw=taw, raw=raw, stage=stage, das=das,
            season_length=el.season_length, days_since=days_since, cum_net=cum_net,
            cum_gross=cum_gross, precip=p_t, efficiency=el.efficiency,
            depth_min=el.depth_min, depth_max=el.depth_max, interval_min=el.interval_min,
            irrigated=el.irrigated, user_depth=user_depth[t], in_calendar=bool(calendar[t]))
        # missing climate (NaN state; only dask inputs reach the kernel with gaps): the
        # irrigation is unknown too, never a silent 0 mm
        net = np.where(np.isnan(dr_rain), np.nan, net)
        # surface methods: CN on rain + net irrigation; the irrigation's own runoff is the
        # method's tail-water loss, so runoff is charged to rain (ro <= precip)
        combined = el.surface & (net > 0) & (p_t > 0) & conv.runoff
        if combined.any():
            ro_s = np.minimum(p_t, curve_number_runoff(p_t + net, el.cn2, de, el.rew, tew_))
            ro = np.where(combined, np.maximum(ro_s, ro0), ro0)
        else:
            ro = ro0
        # irrigation losses: gross from net, split by the method record
        loss = net * (1.0 / el.efficiency - 1.0)
        gross = net + loss
        loss_evap = loss * el.loss_evap
        loss_ro = loss * el.loss_ro
        loss_dp = loss - loss_evap - loss_ro
        # wetted fraction (FAO-56 p. 149): irrigation -> method fw (or the event's fw),
        # significant rain without irrigation -> 1, otherwise the previous day's fw
        irr = net > 0
        fw_event = np.where(np.isfinite(user_fw[t]), user_fw[t], el.fw)
        rain_wets = (p_t - ro) > RAIN_WETTING_MM
        fw_state = np.where(irr, fw_event, np.where(rain_wets, 1.0, fw_state))
        last_irr = np.where(irr, True, np.where(rain_wets, False, last_irr))
        fw_eff = fw_state * np.where(last_irr & el.canopy, 1.0 - 2.0 / 3.0 * fc, 1.0)
        few = exposed_wetted_fraction(fc, fw_eff, el.film)
        ev = surface_layer(de, p_t - ro, np.where(irr, net / fw_event, 0.0), few, kcb, kcmax,
                           el.rew, tew_, et0_t, conv.kr_timing == Timing.BEFORE_WETTING,
                           conv.limit_fluxes)
        kr, ke, de_w = ev["kr"], ev["ke"], ev["de_start"]
        etc = (kcb + ke) * et0_t  # Eq. 69, standard conditions
        if conv.p_etc == PEtc.SAME_DAY:  # Table 22 fn 2 with the day's own ETc
            p = np.clip(el.p + 0.04 * (5.0 - etc), 0.1, 0.8)
            raw = p * taw
        rz = root_zone(dr, p_t - ro + net, taw, p, kcb, ev["e"], et0_t, crmax, etc, conv)
        dp, ks, tr, e, eta, cr, dr = (rz[k] for k in ("dp", "ks", "t", "e", "eta", "cr", "dr"))
        de = np.minimum(de_w + e / few, tew_)  # Eq. 77 (Tew ~ 0, p. 153)
        ke_out = np.where(et0_t > 0, e / np.where(et0_t > 0, et0_t, 1.0), 0.0)
        # bookkeeping
        days_since = np.where(irr, 1.0, days_since + 1.0)
        cum_net = cum_net + net
        cum_gross = cum_gross + gross
        etc_prev = etc
        taw_prev = taw
        values = {
            "das": das, "kcb": kcb, "h": h, "zr": zr, "fc": fc, "kc_max": kcmax,
            "fw": fw_state, "few": few, "kr": kr, "ke": ke_out, "ks": ks, "p": p,
            "etc": etc, "eta": eta, "e": e, "t": tr, "dr": dr, "de": de, "taw": taw,
            "raw": raw, "ro": ro, "dp": dp, "cr": cr, "irr_net": net, "irr_gross": gross,
            "irr_loss": loss, "irr_loss_evap": loss_evap, "irr_loss_ro": loss_ro,
            "irr_loss_dp": loss_dp,
        }
        for name, j in slot.items():
            result[t, j] = values[name]
    return np.moveaxis(result, (0, 1), (-1, -2))
