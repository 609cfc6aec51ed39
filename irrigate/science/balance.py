"""FAO-56 dual-Kc soil water balance (ch. 7-8): one daily kernel, vectorised over elements.

:func:`run_balance` loops over days and updates every element (cell x crop x method, or any
broadcastable shape) at once with numpy array operations. The day order follows FAO-56
p. 156 (Kcb, h, Kc max, fc, fw, few, Kr, Ke, E, De, then Ks, ETc adj, Dr), with all wetting
(rain and irrigation) early in the day as in FAO-56 Examples 35 and 38. See
``docs/water-balance.md`` for every equation and convention.

Storage used for the mass balance
---------------------------------
Below the current root zone (``zr``) down to ``zr_max`` the soil is assumed to stay at a
fixed depletion fraction ``f_sub`` of its available water (``initial_depletion``; 0 means
field capacity, the FAO-56 Example 38 assumption). When roots grow, the added layer enters
the root zone at that depletion: Dr += f_sub x (TAW_new - TAW_old). With the storage
``W = TAW_max - Dr - f_sub (TAW_max - TAW)`` (available water above wilting point down to
``zr_max``) the identity ``W_end - W_start = sum(precip - ro + irr_net + cr - eta - dp)``
holds exactly (to rounding), root growth included.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from irrigate.science import crop as cropmod
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule, decide_net_depth

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


def _table(crops: Sequence[Crop]) -> dict[str, np.ndarray]:
    """Per-crop lookup tables over FAO days, index ``das + 1`` clipped to [0, n + 1].

    Index 0 stands for every day before sowing, the last index for every day after harvest.
    Eq. 66 is linear in (k_ini, k_mid, k_end), so Kcb = w_ini k_ini + w_mid k_mid + w_end
    k_end with per-day weights; the adjusted k_mid/k_end can then vary by cell.
    """
    n = max(c.season_length for c in crops)
    das = np.arange(-1, n + 1)
    out: dict[str, list[np.ndarray]] = {k: [] for k in ("w_ini", "w_mid", "w_end", "h", "zr",
                                                         "stage")}
    for c in crops:
        lengths = cropmod.cycles(c)
        _, stage, _ = cropmod.stage_position(das, lengths)
        inside = stage >= 0
        for key, unit in (("w_ini", (1, 0, 0)), ("w_mid", (0, 1, 0)), ("w_end", (0, 0, 1))):
            w = cropmod.k_curve(das, lengths, *unit)
            out[key].append(np.where(inside, w, 0.0))
        out["h"].append(cropmod.crop_height(das, c))
        out["zr"].append(cropmod.root_depth(das, c))
        out["stage"].append(stage)
    return {k: np.stack(v) for k, v in out.items()}


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
                  tew: np.ndarray, et0: np.ndarray) -> dict[str, np.ndarray]:
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

    Returns
    -------
    dict
        ``de_start``, ``dpe``, ``kr``, ``ke``, ``e`` (mm), ``de_end`` (mm).

    """
    wet = rain + irr_wetted
    dpe = np.maximum(wet - de_prev, 0.0)  # Eq. 79
    de_start = np.maximum(de_prev - wet, 0.0)
    kr = np.clip((tew - de_start) / np.maximum(tew - rew, 1e-9), 0.0, 1.0)  # Eq. 74
    kr = np.where(de_start <= rew, 1.0, kr)
    ke = np.minimum(kr * (kcmax - kcb), few * kcmax)  # Eq. 71
    e = np.minimum(ke * et0, few * np.maximum(tew - de_start, 0.0))  # Eq. 78
    return {"de_start": de_start, "dpe": dpe, "kr": kr, "ke": ke, "e": e,
            "de_end": np.minimum(de_start + e / few, tew)}


def root_zone(dr_prev: np.ndarray, water: np.ndarray, taw: np.ndarray, p: np.ndarray,
              kcb: np.ndarray, e: np.ndarray, et0: np.ndarray,
              cr_max: np.ndarray | float = 0.0, etc: np.ndarray | None = None
              ) -> dict[str, np.ndarray]:
    """One day of the root-zone balance, FAO-56 Eqs. 80, 83-88.

    Wetting early in the day (FAO-56 Example 38): Dr start = max(Dr_prev - W, 0) with
    W = P - RO + I and DP = max(W - Dr_prev, 0) (Eq. 88 with the day's ET taken after the
    refill); Ks from Dr start (Eq. 84, RAW = p TAW, Eq. 83); T = Ks Kcb ET0 and E, limited so
    that Dr <= TAW (Eq. 86); ETa = T + E (Eq. 80); capillary rise CR = min(CR max x
    min(1, Dr start/RAW), ETc, Dr start + ETa) so that Dr >= 0; Dr = Dr start + ETa - CR
    (Eq. 85).

    Returns
    -------
    dict
        ``dr_start``, ``dp``, ``ks``, ``t``, ``e``, ``eta``, ``cr``, ``dr`` (mm).

    """
    raw = p * taw
    dp = np.maximum(water - dr_prev, 0.0)  # Eq. 88
    dr_w = np.maximum(dr_prev - water, 0.0)
    ks = np.where(dr_w > raw + 1e-9, (taw - dr_w) / np.maximum((1.0 - p) * taw, 1e-9), 1.0)
    ks = np.clip(ks, 0.0, 1.0)  # Eq. 84 (1e-9 mm: rounding of a refill to exactly RAW)
    room = np.maximum(taw - dr_w, 0.0)  # Eq. 86
    tr = np.minimum(ks * kcb * et0, room)
    e = np.minimum(e, room - tr)
    eta = tr + e  # Eq. 80
    demand = (kcb * et0 + e) if etc is None else etc
    dry = np.clip(dr_w / np.maximum(raw, 1e-9), 0.0, 1.0)
    cr = np.minimum(np.minimum(cr_max * dry, demand), dr_w + eta)
    return {"dr_start": dr_w, "dp": dp, "ks": ks, "t": tr, "e": e, "eta": eta, "cr": cr,
            "dr": dr_w + eta - cr}  # Eq. 85


def run_balance(
    et0: np.ndarray,
    precip: np.ndarray,
    u2: np.ndarray,
    rh_min: np.ndarray,
    sow: np.ndarray,
    theta_fc: np.ndarray,
    theta_wp: np.ndarray,
    rew: np.ndarray,
    tew: np.ndarray,
    cn2: np.ndarray,
    cr_a4: np.ndarray,
    cr_b4: np.ndarray,
    water_table: np.ndarray,
    crop_index: np.ndarray,
    method_index: np.ndarray,
    *,
    crops: Sequence[Crop],
    methods: Sequence[Method],
    schedule: Schedule,
    user_depth: np.ndarray | None = None,
    user_fw: np.ndarray | None = None,
    initial_depletion: float = 0.0,
    outputs: Sequence[str] = ALL_OUTPUTS,
    calendar: np.ndarray | None = None,
) -> np.ndarray:
    """Run the daily dual-Kc water balance; time is the last axis of every series.

    Parameters
    ----------
    et0, precip : ndarray, (..., T)
        Reference ET and precipitation, mm/day.
    u2, rh_min : ndarray, (..., T)
        Wind speed at 2 m (m/s) and minimum relative humidity (%); NaN where unknown (no
        climate adjustment of Kcb mid/end and Kc max then uses the standard 1.2).
    sow : ndarray of int, (...)
        Index of the sowing day on the time axis, per element.
    theta_fc, theta_wp, rew, tew, cn2, cr_a4, cr_b4 : ndarray, (...)
        Soil settings per element (:class:`irrigate.science.params.Soil`; TEW in mm).
    water_table : ndarray, (...)
        Water-table depth below the surface, m; NaN for none (no capillary rise).
    crop_index, method_index : ndarray of int, (...)
        Position of each element's crop in ``crops`` and method in ``methods``.
    crops, methods : sequence
        Crop and Method records.
    schedule : Schedule
        Irrigation rule.
    user_depth, user_fw : ndarray, (T,), optional
        Net depth (mm) and fw (NaN = method fw) of the user schedule on each day.
    initial_depletion : float
        Depletion fraction of TAW (and of TEW) on the first day, also the fixed depletion
        of the subsoil between the current and the maximum root depth (0 = field capacity).
    outputs : sequence of str
        Variables to return, from :data:`ALL_OUTPUTS`.
    calendar : ndarray of bool, (T,), optional
        Days inside the schedule's calendar window (:meth:`Schedule.calendar_mask`); no
        irrigation on the other days. Default: every day allowed.

    Returns
    -------
    ndarray, (..., len(outputs), T)
        Daily values; fluxes in mm/day, states at the end of the day in mm.

    """
    unknown = [o for o in outputs if o not in ALL_OUTPUTS]
    if unknown:
        raise ValueError(f"unknown outputs {unknown}; known: {ALL_OUTPUTS}")
    n_t = et0.shape[-1]
    lead = [np.shape(a) for a in (sow, theta_fc, theta_wp, rew, tew, cn2, cr_a4, cr_b4,
                                  water_table, crop_index, method_index)]
    lead += [a.shape[:-1] for a in (et0, precip, u2, rh_min)]
    shape = np.broadcast_shapes(*lead)
    # day-major storage: each day writes contiguous blocks (a time-last layout would
    # scatter every write over the whole array); returned as a (..., variable, time) view
    result = np.empty((n_t, len(outputs)) + shape)
    slot = {name: k for k, name in enumerate(outputs)}

    def full(a: np.ndarray | float) -> np.ndarray:
        return np.broadcast_to(np.asarray(a, dtype=float), shape)

    ci = np.broadcast_to(crop_index, shape).astype(int)
    mi = np.broadcast_to(method_index, shape).astype(int)
    sow = np.broadcast_to(sow, shape).astype(int)

    def cattr(name: str) -> np.ndarray:
        return np.asarray([float(getattr(c, name)) for c in crops])[ci]

    def mattr(name: str) -> np.ndarray:
        return np.asarray([float(getattr(m, name)) for m in methods])[mi]

    # crop settings per element
    l_ini, l_dev, l_mid, l_late = (cattr(k) for k in ("l_ini", "l_dev", "l_mid", "l_late"))
    season_length = np.asarray([float(c.season_length) for c in crops])[ci]
    kcb_ini, p_tab, kc_min, h_max = (cattr(k) for k in ("kcb_ini", "p", "kc_min", "h_max"))
    # method settings per element
    fw_m, eff = mattr("fw"), mattr("efficiency")
    l_evap, l_ro = mattr("loss_evap"), mattr("loss_ro")
    film = mattr("film_cover") * mattr("film_evap_reduction")
    d_min, d_max, i_min = mattr("depth_min"), mattr("depth_max"), mattr("interval_min")
    surface = mattr("surface") > 0
    canopy = mattr("wet_under_canopy") > 0
    irrigated = mattr("irrigated") > 0
    # soil settings per element
    fc_wp = 1000.0 * (full(theta_fc) - full(theta_wp))  # mm of available water per m
    rew_, tew_ = full(rew), full(tew)
    cn2_, a4, b4, wt = full(cn2), full(cr_a4), full(cr_b4), full(water_table)

    # climate adjustment of Kcb mid and end (Eq. 70): stage means of u2 and RHmin, h = h_max
    mid_start = sow + l_ini + l_dev
    late_start = mid_start + l_mid
    u2_mid = cropmod.window_mean(u2, mid_start, l_mid)
    rh_mid = cropmod.window_mean(rh_min, mid_start, l_mid)
    u2_late = cropmod.window_mean(u2, late_start, l_late)
    rh_late = cropmod.window_mean(rh_min, late_start, l_late)
    t_mid = cropmod.climate_term(u2_mid, rh_mid, h_max)
    t_late = cropmod.climate_term(u2_late, rh_late, h_max)
    kcb_mid = cattr("kcb_mid") + np.where(np.isfinite(t_mid), t_mid, 0.0)
    kcb_end_tab = cattr("kcb_end")
    kcb_end = kcb_end_tab + np.where(np.isfinite(t_late), t_late, 0.0) * (kcb_end_tab >= 0.45)

    tab = _table(crops)
    n_tab = tab["h"].shape[1]

    # state
    zr_prev = tab["zr"][ci, np.clip(-sow, 0, n_tab - 1)]  # the day before the first
    taw_prev = fc_wp * zr_prev
    f_sub = float(initial_depletion)
    dr = f_sub * taw_prev
    de = f_sub * tew_
    fw_state = np.ones(shape)
    last_irr = np.zeros(shape, dtype=bool)
    days_since = np.full(shape, _BIG)
    cum_net = np.zeros(shape)
    cum_gross = np.zeros(shape)
    etc_prev = np.full(shape, 5.0)  # p = p(Table 22) on the first day
    user_depth = np.zeros(n_t) if user_depth is None else np.asarray(user_depth, float)
    user_fw = np.full(n_t, np.nan) if user_fw is None else np.asarray(user_fw, float)
    calendar = np.ones(n_t, bool) if calendar is None else np.asarray(calendar, bool)

    def series(a: np.ndarray, t: int) -> np.ndarray:
        return np.broadcast_to(a[..., t], shape)

    for t in range(n_t):
        et0_t = series(et0, t)
        p_t = series(precip, t)
        u2_t, rh_t = series(u2, t), series(rh_min, t)
        das = t - sow
        k = np.clip(das + 1, 0, n_tab - 1)
        # crop state (Eq. 66 for Kcb; h and Zr rules in irrigate.science.crop)
        stage = tab["stage"][ci, k]
        kcb = (tab["w_ini"][ci, k] * kcb_ini + tab["w_mid"][ci, k] * kcb_mid
               + tab["w_end"][ci, k] * kcb_end)
        h = tab["h"][ci, k]
        zr = tab["zr"][ci, k]
        term = cropmod.climate_term(u2_t, rh_t, h)
        kcmax = np.maximum(1.2 + np.where(np.isfinite(term), term, 0.0), kcb + 0.05)  # Eq. 72
        fc = cropmod.canopy_cover(kcb, kcmax, h, kc_min)  # Eq. 76
        # root growth: the new layer enters at the subsoil depletion f_sub (see module doc)
        taw = fc_wp * zr  # Eq. 82
        dr = dr + f_sub * (taw - taw_prev)
        # p adjusted for the previous day's ETc (Table 22 footnote 2), limited to 0.1-0.8
        p = np.clip(p_tab + 0.04 * (5.0 - etc_prev), 0.1, 0.8)
        raw = p * taw  # Eq. 83
        # rain runoff (SCS CN) and the irrigation decision on the depletion after rain
        ro0 = curve_number_runoff(p_t, cn2_, de, rew_, tew_)
        dr_rain = np.maximum(dr - (p_t - ro0), 0.0)
        net = decide_net_depth(
            schedule, dr=dr_rain, taw=taw, raw=raw, stage=stage, das=das,
            season_length=season_length, days_since=days_since, cum_net=cum_net,
            cum_gross=cum_gross, precip=p_t, efficiency=eff, depth_min=d_min,
            depth_max=d_max, interval_min=i_min, irrigated=irrigated,
            user_depth=user_depth[t], in_calendar=bool(calendar[t]))
        # missing climate (NaN state; only dask inputs reach the kernel with gaps): the
        # irrigation is unknown too, never a silent 0 mm
        net = np.where(np.isnan(dr_rain), np.nan, net)
        # surface methods: CN on rain + net irrigation; the irrigation's own runoff is the
        # method's tail-water loss, so runoff is charged to rain (ro <= precip)
        combined = surface & (net > 0) & (p_t > 0)
        if combined.any():
            ro_s = np.minimum(p_t, curve_number_runoff(p_t + net, cn2_, de, rew_, tew_))
            ro = np.where(combined, np.maximum(ro_s, ro0), ro0)
        else:
            ro = ro0
        # irrigation losses: gross from net, split by the method record
        loss = net * (1.0 / eff - 1.0)
        gross = net + loss
        loss_evap = loss * l_evap
        loss_ro = loss * l_ro
        loss_dp = loss - loss_evap - loss_ro
        # wetted fraction (FAO-56 p. 149): irrigation -> method fw (or the event's fw),
        # significant rain without irrigation -> 1, otherwise the previous day's fw
        irr = net > 0
        fw_event = np.where(np.isfinite(user_fw[t]), user_fw[t], fw_m)
        rain_wets = (p_t - ro) > RAIN_WETTING_MM
        fw_state = np.where(irr, fw_event, np.where(rain_wets, 1.0, fw_state))
        last_irr = np.where(irr, True, np.where(rain_wets, False, last_irr))
        fw_eff = fw_state * np.where(last_irr & canopy, 1.0 - 2.0 / 3.0 * fc, 1.0)
        few = exposed_wetted_fraction(fc, fw_eff, film)
        ev = surface_layer(de, p_t - ro, np.where(irr, net / fw_event, 0.0), few, kcb, kcmax,
                           rew_, tew_, et0_t)
        kr, ke, de_w = ev["kr"], ev["ke"], ev["de_start"]
        etc = (kcb + ke) * et0_t  # Eq. 69, standard conditions
        # capillary rise potential: Liu et al. (2006) CRmax = a4 Dw^b4
        has_wt = np.isfinite(wt)
        crmax = np.where(has_wt, a4 * np.maximum(np.where(has_wt, wt, 1.0), 0.01) ** b4, 0.0)
        rz = root_zone(dr, p_t - ro + net, taw, p, kcb, ev["e"], et0_t, crmax, etc)
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


def initial_storage(dr0: np.ndarray, taw0: np.ndarray, taw_max: np.ndarray,
                    f_sub: float) -> np.ndarray:
    """Return the storage W = TAW_max - Dr - f_sub (TAW_max - TAW) (mm), see module doc."""
    return taw_max - dr0 - f_sub * (taw_max - taw0)
