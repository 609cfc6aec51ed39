"""Compiled FAO-56 dual-Kc water balance: the daily loop of :mod:`irrigate.science.balance`.

:func:`run_balance_compiled` returns what :func:`irrigate.science.balance.run_balance` returns
(daily series, ``(..., variable, time)``) from the same records; :func:`season_totals`
returns only the seasonal sums a budget needs, accumulated inside the daily loop, so no daily
array is ever built. Elements (cell x crop x method) that share a cell, crop and sowing day
form a group (:func:`_groups`: neighbours on the element axis, methods innermost as the
drivers lay them out); a group's Kcb mid/end climate adjustment (Eq. 70) and its daily Kcb,
Kc max and fc are computed once (they do not depend on the method), then its days run with
the group's elements inside each day, so the processor overlaps their independent
dependency chains. Groups are shared among threads (numba ``prange``; serial when called
from a thread other than the main one, e.g. a dask worker, which already runs one task per
core). The seasonal sums need no day after a group's last harvest, so they stop there.

The preparation (records -> :class:`~irrigate.science.balance_inputs.Elements` with the
table Kcb mid/end, and :class:`~irrigate.science.balance_inputs.CropTables`, kept per crop
records) is the numpy one; the loop over days is compiled, statement by statement as in
``balance._daily_loop`` (FAO-56 p. 156 order, wetting early in the day, Eqs. 69-88 and the
schedule rules of
:func:`irrigate.science.schedule.decide_net_depth`; a division by a divisor of the day is a
product with its reciprocal, taken before the depletion it divides is known). NaN
propagates as with numpy (``np.maximum``/``np.minimum``/``np.clip``): a cell with missing
weather gives NaN, never a silent 0 mm. The numpy kernel stays the reference:
``tests/test_compiled.py`` holds the two equal within 1e-9 mm for every output, rule and
option.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
import time
from collections.abc import Sequence
from enum import StrEnum

import numba
import numpy as np

from irrigate.science import crop as cropmod
from irrigate.science.balance import (
    _BIG,
    ALL_OUTPUTS,
    FEW_MIN,
    FIELD_CAPACITY,
    RAIN_WETTING_MM,
)
from irrigate.science.balance_inputs import (
    CropTables,
    Forcing,
    InitialState,
    Management,
    Parameters,
    Site,
    crop_tables,
    element_arrays,
    element_shape,
)
from irrigate.science.conventions import DEFAULT
from irrigate.science.params import Crop
from irrigate.science.schedule import MadBasis, QuotaBasis, Rule, Schedule


class Kernel(StrEnum):
    """Which implementation of the daily loop runs (the same numbers, to 1e-9 mm)."""

    COMPILED = "compiled"  #: this module (numba), the default
    NUMPY = "numpy"        #: irrigate.science.balance.run_balance, the reference


#: Seasonal sums of :func:`season_totals` (mm per season; ``n_events`` a count), in order.
#: Summed over the days with 0 <= das < season length, as ``season_summary``.
SEASON_TOTALS: tuple[str, ...] = (
    "et0", "precip", "etc", "eta", "e", "t", "ro", "dp", "cr", "irr_net", "irr_gross",
    "irr_loss", "irr_loss_evap", "irr_loss_ro", "irr_loss_dp", "n_events",
)
_RULE_CODE = {Rule.MAD: 0, Rule.DEFICIT: 1, Rule.FIXED_INTERVAL: 2, Rule.STAGE_CALENDAR: 3,
              Rule.USER: 4, Rule.NET_REQUIREMENT: 5, Rule.NONE: 6}
# schedule vector layout (see _schedule_vector)
_S_RULE, _S_APPLIED, _S_MAD, _S_RAW_BASIS, _S_REFILL_TO, _S_REFILL_FRAC = 0, 1, 2, 6, 7, 8
_S_INTERVAL, _S_DEPTH, _S_ST_INT, _S_ST_DEPTH, _S_FIRST, _S_LAST = 9, 10, 11, 15, 19, 20
_S_LIMITS, _S_RAIN_SKIP, _S_QUOTA, _S_QUOTA_GROSS, _S_SIZE = 21, 22, 23, 24, 25
# element vector layout (the columns of ``ev`` built in _run; kcb_mid and kcb_end are the
# table values, which _adjusted_kcb adjusts for climate in the loop)
_ELEMENT_FIELDS = ("season_length", "kcb_ini", "kcb_mid", "kcb_end", "p", "kc_min", "fw",
                   "efficiency", "loss_evap", "loss_ro", "film", "depth_min", "depth_max",
                   "interval_min", "surface", "canopy", "irrigated", "fc_wp", "rew", "tew",
                   "cn2", "cr_a4", "cr_b4", "water_table")
(_E_SEASON, _E_KCB_INI, _E_KCB_MID, _E_KCB_END, _E_P, _E_KC_MIN, _E_FW, _E_EFF, _E_L_EVAP,
 _E_L_RO, _E_FILM, _E_D_MIN, _E_D_MAX, _E_I_MIN, _E_SURFACE, _E_CANOPY, _E_IRRIGATED,
 _E_FC_WP, _E_REW, _E_TEW, _E_CN2, _E_A4, _E_B4, _E_WT) = range(len(_ELEMENT_FIELDS))
_U2_LO, _U2_HI = cropmod.U2_LIMITS
_RH_LO, _RH_HI = cropmod.RHMIN_LIMITS
_H_LO, _H_HI = cropmod.H_LIMITS
_JIT = {"cache": True, "nogil": True, "error_model": "numpy"}
# numba's own inlining (inline="always") only where LLVM does not inline by itself and it
# pays: _runoff and _net_depth in the element step. LLVM inlines the small helpers anyway,
# and inlining them in numba too doubled the first compile (24 s against 14 s, same speed).


def _schedule_vector(schedule: Schedule) -> np.ndarray:
    """Encode a schedule as numbers the compiled loop reads (NaN = setting not given)."""
    s = np.full(_S_SIZE, np.nan)
    rule = Rule(schedule.rule)
    s[_S_RULE] = _RULE_CODE[rule]
    s[_S_APPLIED] = float(rule != Rule.USER and bool(schedule.events))
    s[_S_MAD:_S_MAD + 4] = np.broadcast_to(np.asarray(schedule.mad, dtype=float), (4,))
    s[_S_RAW_BASIS] = float(schedule.mad_basis == MadBasis.RAW)
    s[_S_REFILL_TO] = schedule.refill_to
    s[_S_REFILL_FRAC] = schedule.refill_fraction
    if schedule.interval_days is not None:
        s[_S_INTERVAL] = int(schedule.interval_days)
    if schedule.depth_mm is not None:
        s[_S_DEPTH] = float(schedule.depth_mm)
    s[_S_ST_INT:_S_ST_INT + 4] = schedule.stage_array("stage_interval_days")
    s[_S_ST_DEPTH:_S_ST_DEPTH + 4] = schedule.stage_array("stage_depth_mm")
    s[_S_FIRST] = schedule.first_day
    s[_S_LAST] = schedule.last_day
    s[_S_LIMITS] = float(bool(schedule.respect_method_limits))
    if schedule.rain_skip_mm is not None:
        s[_S_RAIN_SKIP] = float(schedule.rain_skip_mm)
    if schedule.quota_mm is not None:
        s[_S_QUOTA] = float(schedule.quota_mm)
    s[_S_QUOTA_GROSS] = float(schedule.quota_basis == QuotaBasis.GROSS)
    return s


# --- scalar versions of the numpy helpers (NaN behaves as with np.maximum/np.minimum) -------

@numba.njit(**_JIT)
def _mx(a, b):  # pragma: no cover - compiled
    return a if (a >= b or a != a) else b


@numba.njit(**_JIT)
def _mn(a, b):  # pragma: no cover - compiled
    return a if (a <= b or a != a) else b


@numba.njit(**_JIT)
def _clip(x, lo, hi):  # pragma: no cover - compiled
    return _mn(_mx(x, lo), hi)


# The same with a second operand (a bound) that is never NaN, a constant: one comparison,
# which the compiler turns into one max/min instruction. Equal to _mx/_mn for every such b,
# -0.0 and ties included (both return a when a == b, and a when a is NaN).

@numba.njit(**_JIT)
def _mxc(a, b):  # pragma: no cover - compiled
    return b if b > a else a


@numba.njit(**_JIT)
def _mnc(a, b):  # pragma: no cover - compiled
    return b if b < a else a


@numba.njit(**_JIT)
def _clipc(x, lo, hi):  # pragma: no cover - compiled
    return _mnc(_mxc(x, lo), hi)


@numba.njit(**_JIT)
def _climate_term(u2, rh, h_factor):  # pragma: no cover - compiled
    """FAO-56 Eqs. 62/70/72 climate term (crop.climate_term); h_factor = (h/3)^0.3."""
    u2 = _clipc(u2, _U2_LO, _U2_HI)
    rh = _clipc(rh, _RH_LO, _RH_HI)
    return (0.04 * (u2 - 2.0) - 0.004 * (rh - 45.0)) * h_factor


@numba.njit(inline="always", **_JIT)
def _runoff(water, de, cn1, cn3, wet, span):  # pragma: no cover - compiled
    """SCS curve-number runoff (balance.curve_number_runoff) with the element's constants.

    ``cn1``/``cn3`` are CN I/III of the soil's CN II, ``wet`` = 0.5 REW and ``span`` =
    max(0.7 REW + 0.3 TEW - wet, 1e-9): only the part that moves with ``de`` and the day's
    water is left for each day.
    """
    if water == 0.0 and de == de:  # no water: (0 - Ia)+ = 0 exactly, skip the arithmetic
        return 0.0
    frac = _clipc((de - wet) / span, 0.0, 1.0)
    cn = cn3 + frac * (cn1 - cn3)
    s = 25400.0 / cn - 254.0
    ia = 0.2 * s
    excess = _mxc(water - ia, 0.0)
    return excess * excess / _mxc(excess + s, 1e-12)


@numba.njit(inline="always", **_JIT)
def _net_depth(sp, rule, applied, dr, taw, raw, stage, das, window_end, days_since, cum_net,
               cum_gross, precip, eff, d_min, d_max, i_min, irrigated, user_depth, in_calendar
               ):  # pragma: no cover - compiled
    """Today's net depth (schedule.decide_net_depth for one element).

    ``rule`` and ``applied`` are decoded once per element from the schedule vector ``sp``;
    ``window_end`` = season length - last day of the schedule.
    """
    if applied and user_depth > 0.0:  # an irrigation already applied
        return user_depth if (stage >= 0 and irrigated) else 0.0
    if rule == 6:
        return 0.0
    st = min(max(stage, 0), 3)
    refill = _mxc(dr - sp[_S_REFILL_TO] * taw, 0.0)
    if rule == 0 or rule == 1:
        basis = raw if sp[_S_RAW_BASIS] > 0.0 else taw
        trigger = dr > sp[_S_MAD + st] * basis
        net = refill if rule == 0 else sp[_S_REFILL_FRAC] * refill
    elif rule == 2:
        trigger = days_since >= sp[_S_INTERVAL]
        net = refill if np.isnan(sp[_S_DEPTH]) else sp[_S_DEPTH]
    elif rule == 3:
        trigger = days_since >= sp[_S_ST_INT + st]
        net = sp[_S_ST_DEPTH + st]
    elif rule == 4:
        trigger = True
        net = user_depth
    else:
        trigger = True
        net = _mxc(dr - raw, 0.0)
    if rule == 4:
        in_window = stage >= 0 and irrigated
    else:
        in_window = (stage >= 0 and das >= sp[_S_FIRST] and das < window_end and irrigated)
    in_window = in_window and in_calendar
    if sp[_S_LIMITS] > 0.0 and rule != 4 and rule != 5:
        trigger = trigger and days_since >= i_min
        net = _clip(net, d_min, d_max)
    if not np.isnan(sp[_S_RAIN_SKIP]):
        trigger = trigger and not (precip >= sp[_S_RAIN_SKIP])
    net = net if (trigger and in_window and net > 0.0) else 0.0
    if not np.isnan(sp[_S_QUOTA]):
        if sp[_S_QUOTA_GROSS] > 0.0:
            room = _mxc(sp[_S_QUOTA] - cum_gross, 0.0) * eff
        else:
            room = _mxc(sp[_S_QUOTA] - cum_net, 0.0)
        net = _mn(net, room)
    return net


@numba.njit(**_JIT)
def _window_mean(x, start, length):  # pragma: no cover - compiled
    """Mean of the finite values of ``x`` over [start, start + length) (crop.window_mean).

    The window is clipped to the series; NaN when it holds no finite value.
    """
    n = x.shape[0]
    a = int(_clipc(start, 0.0, float(n)))
    b = int(_clipc(start + length, 0.0, float(n)))
    total = 0.0
    count = 0
    for t in range(a, b):
        if np.isfinite(x[t]):
            total += x[t]
            count += 1
    return total / count if count > 0 else np.nan


@numba.njit(**_JIT)
def _adjusted_kcb(u2, rh, sow, lengths, kcb_mid, kcb_end):  # pragma: no cover - compiled
    """Kcb mid and end of one cell's season adjusted for climate, FAO-56 Eq. 70.

    As ``balance_inputs._adjusted_kcb``: the climate term of the mid-season and late-season
    means of u2 and RHmin with h = h max (``lengths`` = L ini, L dev, L mid, L late and
    (h max / 3)^0.3, then 1 where the conventions adjust), added where it is finite; Kcb end
    only when it is >= 0.45 (p. 136).
    """
    if lengths[5] == 0.0:  # the conventions keep the table values
        return kcb_mid, kcb_end
    mid_start = sow + lengths[0] + lengths[1]
    late_start = mid_start + lengths[2]
    t_mid = _climate_term(_window_mean(u2, mid_start, lengths[2]),
                          _window_mean(rh, mid_start, lengths[2]), lengths[4])
    t_late = _climate_term(_window_mean(u2, late_start, lengths[3]),
                           _window_mean(rh, late_start, lengths[3]), lengths[4])
    mid = kcb_mid + (t_mid if np.isfinite(t_mid) else 0.0)
    end = kcb_end + (t_late if np.isfinite(t_late) else 0.0) * (1.0 if kcb_end >= 0.45 else 0.0)
    return mid, end


@numba.njit(**_JIT)
def _crop_days(cell, ci, sow, kcb_ini, kcb_mid, kcb_end, kc_min, u2, rh, w_ini, w_mid, w_end,
               tab_h, tab_hf, out):  # pragma: no cover - compiled
    """Kcb, Kc max and fc of one cell, crop and sowing day, day by day, into ``out`` (T, 3).

    They do not depend on the method (nor on any state of the balance), so the elements of
    one group (:func:`_groups`) share them.
    """
    n_tab = tab_h.shape[1]
    for t in range(out.shape[0]):
        k = min(max(t - sow + 1, 0), n_tab - 1)
        kcb = w_ini[ci, k] * kcb_ini + w_mid[ci, k] * kcb_mid + w_end[ci, k] * kcb_end
        h = tab_h[ci, k]
        term = _climate_term(u2[cell, t], rh[cell, t], tab_hf[ci, k])
        kcmax = _mx(1.2 + (term if np.isfinite(term) else 0.0), kcb + 0.05)  # Eq. 72
        # canopy cover, Eq. 76 (crop.canopy_cover)
        if kcb > kc_min:  # finite Kcb and Kc max: elsewhere the numpy product is 0 too
            num = _mxc(kcb - kc_min, 0.01)
            ratio = _clipc(num / _mxc(kcmax - kc_min, 0.01), 0.0, 1.0)
            fc = _mnc(ratio ** (1.0 + 0.5 * h), 0.99)
        else:
            fc = 0.0
        out[t, 0] = kcb
        out[t, 1] = kcmax
        out[t, 2] = fc


# per-member constants of a group (see _group), computed once before the day loop
(_C_SEASON, _C_WINDOW_END, _C_P, _C_FW, _C_EFF, _C_LOSS, _C_L_EVAP, _C_L_RO, _C_NOT_FILM,
 _C_D_MIN, _C_D_MAX, _C_I_MIN, _C_SURFACE, _C_CANOPY, _C_IRRIGATED, _C_FC_WP, _C_REW, _C_TEW,
 _C_PER_KR, _C_CN1, _C_CN3, _C_RO_WET, _C_RO_SPAN, _C_CRMAX, _C_SIZE) = range(25)
# per-member state carried from one day to the next
(_X_DR, _X_DE, _X_FW, _X_LAST_IRR, _X_SINCE, _X_CUM_NET, _X_CUM_GROSS, _X_ETC,
 _X_TAW, _X_SIZE) = range(10)


#: The settings an element's day reads when it does not irrigate (``net`` = 0): the soil,
#: the depletion fraction, capillary rise and film (every other one multiplies ``net`` or
#: applies after an irrigation).
_PRE_SEASON = (_C_P, _C_FC_WP, _C_REW, _C_TEW, _C_PER_KR, _C_CN1, _C_CN3, _C_RO_WET,
               _C_RO_SPAN, _C_CRMAX, _C_NOT_FILM)


@numba.njit(**_JIT)
def _same_bare_soil(con, q, m):  # pragma: no cover - compiled
    """Whether elements q and m have equal :data:`_PRE_SEASON` settings (NaN: never).

    Both need a positive efficiency with a finite loss factor too, so that a day without
    irrigation adds exactly 0 to their cumulative gross depth (a quota's room).
    """
    for i in _PRE_SEASON:
        if not con[q, i] == con[m, i]:
            return False
    for j in (q, m):
        if not (con[j, _C_EFF] > 0.0 and np.isfinite(con[j, _C_LOSS])):
            return False
    return True


@numba.njit(**_JIT)
def _group(g, starts, cells, ci, sow, ev, lengths, et0, precip, u2, rh, w_ini, w_mid, w_end,
           tab_h, tab_hf, tab_zr, tab_stage, sp, user_depth, user_fw, calendar, f_root, f_surface,
           f_sub, slots, daily, totals):  # pragma: no cover - compiled
    """Run the elements ``starts[g]:starts[g + 1]`` (one cell, crop and sowing day).

    The group's Kcb, Kc max and fc come from :func:`_crop_days`, once. The days are the
    outer loop and the group's elements (its methods) the inner one: each element's day
    depends on its own day before only, so the processor overlaps the elements' dependency
    chains instead of waiting on one. Each element's settings are decoded once (``con``),
    its state (``x``) and seasonal sums (``sums``) are carried in small arrays.
    """
    first = starts[g]
    nm = starts[g + 1] - first
    cell, c, s0 = cells[first], ci[first], sow[first]
    n_t = et0.shape[1]
    n_tab = tab_h.shape[1]
    keep_daily = daily.shape[0] > 0
    keep_totals = totals.shape[0] > 0
    kcb_mid, kcb_end = _adjusted_kcb(u2[cell], rh[cell], s0, lengths[c],
                                     ev[first, _E_KCB_MID], ev[first, _E_KCB_END])
    rule = int(sp[_S_RULE])
    applied = sp[_S_APPLIED] > 0.0
    con = np.empty((nm, _C_SIZE))
    x = np.empty((nm, _X_SIZE))
    sums = np.zeros((nm, len(SEASON_TOTALS)))
    zr_first = tab_zr[c, min(max(-s0, 0), n_tab - 1)]
    for m in range(nm):
        e = ev[first + m]
        con[m, _C_SEASON] = e[_E_SEASON]
        con[m, _C_WINDOW_END] = e[_E_SEASON] - sp[_S_LAST]
        con[m, _C_P] = e[_E_P]
        con[m, _C_FW] = e[_E_FW]
        con[m, _C_EFF] = e[_E_EFF]
        con[m, _C_LOSS] = 1.0 / e[_E_EFF] - 1.0
        con[m, _C_L_EVAP] = e[_E_L_EVAP]
        con[m, _C_L_RO] = e[_E_L_RO]
        con[m, _C_NOT_FILM] = 1.0 - e[_E_FILM]
        con[m, _C_D_MIN] = e[_E_D_MIN]
        con[m, _C_D_MAX] = e[_E_D_MAX]
        con[m, _C_I_MIN] = e[_E_I_MIN]
        con[m, _C_SURFACE] = e[_E_SURFACE]
        con[m, _C_CANOPY] = e[_E_CANOPY]
        con[m, _C_IRRIGATED] = e[_E_IRRIGATED]
        con[m, _C_FC_WP] = e[_E_FC_WP]
        rew, tew, cn2 = e[_E_REW], e[_E_TEW], e[_E_CN2]
        con[m, _C_REW] = rew
        con[m, _C_TEW] = tew
        con[m, _C_PER_KR] = 1.0 / _mxc(tew - rew, 1e-9)
        # curve numbers of the soil (balance.curve_number_runoff), constant over the days
        con[m, _C_CN1] = cn2 / (2.281 - 0.01281 * cn2)
        con[m, _C_CN3] = cn2 / (0.427 + 0.00573 * cn2)
        con[m, _C_RO_WET] = 0.5 * rew
        con[m, _C_RO_SPAN] = _mxc(0.7 * rew + 0.3 * tew - 0.5 * rew, 1e-9)
        wt = e[_E_WT]
        # Liu et al. (2006) CRmax = a4 Dw^b4
        con[m, _C_CRMAX] = e[_E_A4] * _mxc(wt, 0.01) ** e[_E_B4] if np.isfinite(wt) else 0.0
        taw_first = e[_E_FC_WP] * zr_first
        x[m, _X_TAW] = taw_first
        x[m, _X_DR] = f_root * taw_first
        x[m, _X_DE] = f_surface * tew
        x[m, _X_FW] = 1.0
        x[m, _X_LAST_IRR] = 0.0
        x[m, _X_SINCE] = _BIG
        x[m, _X_CUM_NET] = 0.0
        x[m, _X_CUM_GROSS] = 0.0
        x[m, _X_ETC] = 5.0
    t_stop = n_t
    if not keep_daily:  # the seasonal sums need no day after the group's last harvest
        last = s0 + np.max(con[:, _C_SEASON])
        if np.isfinite(last):
            t_stop = min(n_t, max(0, int(np.ceil(last))))
    crop = np.empty((t_stop, 3))
    _crop_days(cell, c, s0, ev[first, _E_KCB_INI], kcb_mid, kcb_end, ev[first, _E_KC_MIN], u2,
               rh, w_ini, w_mid, w_end, tab_h, tab_hf, crop)
    # Before sowing no element irrigates, so elements whose settings of a bare-soil day are
    # equal (_PRE_SEASON) have equal states: for the seasonal sums only the first of them
    # (its leader) runs those days, and the others take its state on the sowing day.
    leader = np.arange(nm)
    t_sow = 0
    if not keep_daily:
        t_sow = min(max(s0, 0), t_stop)
        for m in range(1, nm):
            for q in range(m):
                if leader[q] == q and _same_bare_soil(con, q, m):
                    leader[m] = q
                    break
    values = np.empty(29)
    for t in range(t_stop):
        if t == t_sow and t > 0:
            for m in range(nm):
                if leader[m] != m:
                    x[m, :] = x[leader[m], :]
        et0_t = et0[cell, t]
        p_t = precip[cell, t]
        das = t - s0
        k = min(max(das + 1, 0), n_tab - 1)
        stage = tab_stage[c, k]
        kcb = crop[t, 0]
        kcmax = crop[t, 1]
        fc = crop[t, 2]
        zr = tab_zr[c, k]
        u_depth = user_depth[t]
        in_calendar = calendar[t]
        u_fw = user_fw[t]
        for m in range(nm):
            if t < t_sow and leader[m] != m:
                continue
            fc_wp, rew, tew = con[m, _C_FC_WP], con[m, _C_REW], con[m, _C_TEW]
            eff = con[m, _C_EFF]
            dr, de = x[m, _X_DR], x[m, _X_DE]
            taw = fc_wp * zr  # Eq. 82
            dr = dr + f_sub * (taw - x[m, _X_TAW])
            p = _clipc(con[m, _C_P] + 0.04 * (5.0 - x[m, _X_ETC]), 0.1, 0.8)
            raw = p * taw  # Eq. 83
            # reciprocals of the day's divisors, taken before the depletion they divide
            per_raw = 1.0 / _mxc(raw, 1e-9)
            per_stress = 1.0 / _mxc((1.0 - p) * taw, 1e-9)
            cn1, cn3 = con[m, _C_CN1], con[m, _C_CN3]
            ro_wet, ro_span = con[m, _C_RO_WET], con[m, _C_RO_SPAN]
            ro0 = _runoff(p_t, de, cn1, cn3, ro_wet, ro_span)
            dr_rain = _mxc(dr - (p_t - ro0), 0.0)
            days_since = x[m, _X_SINCE]
            irrigated = con[m, _C_IRRIGATED] > 0.0
            net = _net_depth(sp, rule, applied, dr_rain, taw, raw, stage, das,
                             con[m, _C_WINDOW_END], days_since, x[m, _X_CUM_NET],
                             x[m, _X_CUM_GROSS], p_t, eff, con[m, _C_D_MIN], con[m, _C_D_MAX],
                             con[m, _C_I_MIN], irrigated, u_depth, in_calendar)
            if np.isnan(dr_rain):
                net = np.nan
            if con[m, _C_SURFACE] > 0.0 and net > 0.0 and p_t > 0.0:
                ro_s = _mn(p_t, _runoff(p_t + net, de, cn1, cn3, ro_wet, ro_span))
                ro = _mx(ro_s, ro0)
            else:
                ro = ro0
            loss = net * con[m, _C_LOSS]
            gross = net + loss
            loss_evap = loss * con[m, _C_L_EVAP]
            loss_ro = loss * con[m, _C_L_RO]
            loss_dp = loss - loss_evap - loss_ro
            irr = net > 0.0
            fw_event = u_fw if np.isfinite(u_fw) else con[m, _C_FW]
            fw_state = x[m, _X_FW]
            last_irr = x[m, _X_LAST_IRR] > 0.0
            if irr:
                fw_state = fw_event
                last_irr = True
            elif (p_t - ro) > RAIN_WETTING_MM:  # rain wets the whole surface
                fw_state = 1.0
                last_irr = False
            canopy = con[m, _C_CANOPY] > 0.0
            fw_eff = fw_state * ((1.0 - 2.0 / 3.0 * fc) if (last_irr and canopy) else 1.0)
            few = _clipc(_mn(1.0 - fc, fw_eff), FEW_MIN, 1.0) * con[m, _C_NOT_FILM]  # Eq. 75
            per_few = 1.0 / few
            # surface layer, Eqs. 71, 74, 77-79 (balance.surface_layer)
            wet = (p_t - ro) + (net / fw_event if irr else 0.0)
            de_w = _mxc(de - wet, 0.0)
            if de_w <= rew:
                kr = 1.0
            else:
                kr = _clipc((tew - de_w) * con[m, _C_PER_KR], 0.0, 1.0)
            ke = _mn(kr * (kcmax - kcb), few * kcmax)
            e = _mn(ke * et0_t, few * _mxc(tew - de_w, 0.0))
            etc = (kcb + ke) * et0_t  # Eq. 69
            # root zone, Eqs. 80, 83-88 (balance.root_zone)
            water = p_t - ro + net
            dp = _mxc(water - dr, 0.0)
            dr_w = _mxc(dr - water, 0.0)
            if dr_w > raw + 1e-9:
                ks = _clipc((taw - dr_w) * per_stress, 0.0, 1.0)
            else:
                ks = 1.0
            room = _mxc(taw - dr_w, 0.0)
            tr = _mn(ks * kcb * et0_t, room)
            e = _mn(e, room - tr)
            eta = tr + e
            dry = _clipc(dr_w * per_raw, 0.0, 1.0)
            cr = _mn(_mn(con[m, _C_CRMAX] * dry, etc), dr_w + eta)
            dr = dr_w + eta - cr  # Eq. 85
            de = _mn(de_w + e * per_few, tew)  # Eq. 77
            x[m, _X_DR] = dr
            x[m, _X_DE] = de
            x[m, _X_FW] = fw_state
            x[m, _X_LAST_IRR] = 1.0 if last_irr else 0.0
            x[m, _X_SINCE] = 1.0 if irr else days_since + 1.0
            x[m, _X_CUM_NET] += net
            x[m, _X_CUM_GROSS] += gross
            x[m, _X_ETC] = etc
            x[m, _X_TAW] = taw
            if keep_totals and das >= 0 and das < con[m, _C_SEASON]:
                sums[m, 0] += et0_t
                sums[m, 1] += p_t
                sums[m, 2] += etc
                sums[m, 3] += eta
                sums[m, 4] += e
                sums[m, 5] += tr
                sums[m, 6] += ro
                sums[m, 7] += dp
                sums[m, 8] += cr
                sums[m, 9] += net
                sums[m, 10] += gross
                sums[m, 11] += loss
                sums[m, 12] += loss_evap
                sums[m, 13] += loss_ro
                sums[m, 14] += loss_dp
                if net != net:
                    sums[m, 15] = np.nan
                elif irr:
                    sums[m, 15] += 1.0
            if keep_daily:
                values[0] = das
                values[1] = kcb
                values[2] = tab_h[c, k]
                values[3] = zr
                values[4] = fc
                values[5] = kcmax
                values[6] = fw_state
                values[7] = few
                values[8] = kr
                values[9] = e / et0_t if et0_t > 0 else 0.0
                values[10] = ks
                values[11] = p
                values[12] = etc
                values[13] = eta
                values[14] = e
                values[15] = tr
                values[16] = dr
                values[17] = de
                values[18] = taw
                values[19] = raw
                values[20] = ro
                values[21] = dp
                values[22] = cr
                values[23] = net
                values[24] = gross
                values[25] = loss
                values[26] = loss_evap
                values[27] = loss_ro
                values[28] = loss_dp
                for v in range(slots.shape[0]):
                    daily[first + m, v, t] = values[slots[v]]
    if keep_totals:
        for m in range(nm):
            for v in range(sums.shape[1]):
                totals[first + m, v] = sums[m, v]


@numba.njit(parallel=True, **_JIT)
def _loop_parallel(starts, cells, ci, sow, ev, lengths, et0, precip, u2, rh, w_ini, w_mid,
                   w_end, tab_h, tab_hf, tab_zr, tab_stage, sp, user_depth, user_fw, calendar,
                   f_root, f_surface, f_sub, slots, daily, totals):  # pragma: no cover - compiled
    for g in numba.prange(starts.shape[0] - 1):
        _group(g, starts, cells, ci, sow, ev, lengths, et0, precip, u2, rh, w_ini, w_mid, w_end,
               tab_h, tab_hf, tab_zr, tab_stage, sp, user_depth, user_fw, calendar, f_root,
               f_surface, f_sub, slots, daily, totals)


@numba.njit(**_JIT)
def _loop_serial(starts, cells, ci, sow, ev, lengths, et0, precip, u2, rh, w_ini, w_mid,
                 w_end, tab_h, tab_hf, tab_zr, tab_stage, sp, user_depth, user_fw, calendar, f_root,
                 f_surface, f_sub, slots, daily, totals):  # pragma: no cover - compiled
    for g in range(starts.shape[0] - 1):
        _group(g, starts, cells, ci, sow, ev, lengths, et0, precip, u2, rh, w_ini, w_mid, w_end,
               tab_h, tab_hf, tab_zr, tab_stage, sp, user_depth, user_fw, calendar, f_root,
               f_surface, f_sub, slots, daily, totals)


def _groups(cells: np.ndarray, ci: np.ndarray, sow: np.ndarray, ev: np.ndarray
            ) -> np.ndarray:
    """Start of each run of consecutive elements that share Kcb, Kc max and fc (and the end).

    Elements with the same cell, crop, sowing day and Kcb/Kc min settings have the same
    Kcb, Kc max and fc every day, whatever their method; :func:`_crop_days` computes them once
    per run. Runs are found among neighbours only (method the last element axis, as the
    drivers lay it out, puts a cell's methods side by side); any other layout is still
    right, with shorter runs. Unequal or NaN keys start a new run.
    """
    key = np.column_stack([cells, ci, sow, ev[:, [_E_KCB_INI, _E_KCB_MID, _E_KCB_END,
                                                  _E_KC_MIN]]])
    new = np.ones(len(key), dtype=bool)
    new[1:] = np.any(key[1:] != key[:-1], axis=1)
    return np.append(np.flatnonzero(new), len(key)).astype(np.int64)


#: The conventions the loop carries (``DEFAULT``), with the Kcb mid/end climate adjustment
#: left to the loop (:func:`_adjusted_kcb`): element_arrays then gives the table values.
_TABLE_KCB = dataclasses.replace(DEFAULT, kcb_climate_adjustment=False)


@functools.lru_cache(maxsize=32)
def _cached_crop_tables(crops: tuple[Crop, ...]) -> CropTables:
    return crop_tables(crops)


def _crop_tables(crops: Sequence[Crop]) -> CropTables:
    """:func:`~irrigate.science.balance_inputs.crop_tables` of these crops, once per process."""
    try:
        hash(tuple(crops))
    except TypeError:  # a record built with an unhashable field (e.g. a list): no cache
        return crop_tables(crops)
    return _cached_crop_tables(tuple(crops))


_compile_seconds: dict[str, float] = {}


def compile_seconds() -> dict[str, float]:
    """Seconds the first call of each loop spent compiling or loading it from the cache."""
    return dict(_compile_seconds)


def _run(forcing: Forcing, site: Site, parameters: Parameters, management: Management,
         initial: InitialState, outputs: Sequence[str] | None, totals: bool
         ) -> tuple[np.ndarray | None, np.ndarray | None, tuple[int, ...]]:
    if outputs is not None:
        unknown = [o for o in outputs if o not in ALL_OUTPUTS]
        if unknown:
            raise ValueError(f"unknown outputs {unknown}; known: {ALL_OUTPUTS}")
    shape = element_shape(forcing, site)
    # table Kcb mid/end: the loop adjusts them for climate (Eq. 70) once per group itself
    el = element_arrays(forcing, site, parameters, shape, _TABLE_KCB)
    tab = _crop_tables(parameters.crops)
    n_t = forcing.et0.shape[-1]
    man = management.series(n_t)
    n = int(np.prod(shape))
    lead = np.broadcast_shapes(*(np.shape(a)[:-1] for a in forcing))
    cells = np.broadcast_to(np.arange(int(np.prod(lead))).reshape(lead), shape).ravel()

    def weather(a: np.ndarray) -> np.ndarray:
        a = np.broadcast_to(np.asarray(a, dtype=float), lead + (n_t,))
        return np.ascontiguousarray(a.reshape(-1, n_t))

    ev = np.ascontiguousarray(np.stack(
        [np.broadcast_to(np.asarray(getattr(el, f), dtype=float), shape).ravel()
         for f in _ELEMENT_FIELDS], axis=-1))
    slots = np.asarray([ALL_OUTPUTS.index(o) for o in (outputs or ())], dtype=np.int64)
    daily = np.zeros((n, len(slots), n_t) if outputs is not None else (0, 0, 0))
    sums = np.zeros((n, len(SEASON_TOTALS)) if totals else (0, 0))
    f_root, f_surface, f_sub = initial.fractions()
    ints = [np.ascontiguousarray(np.broadcast_to(a, shape).ravel().astype(np.int64))
            for a in (el.ci, el.sow)]
    stage = np.ascontiguousarray(tab.stage.astype(np.int64))
    # (h/3)^0.3 of the climate term (Eqs. 70, 72), per crop and day, as crop.climate_term
    h_factor = (np.clip(tab.h, *cropmod.H_LIMITS) / 3.0) ** 0.3
    cells = cells.astype(np.int64)
    # per crop: L ini, L dev, L mid, L late, (h max / 3)^0.3 of Eq. 70 and whether the
    # conventions adjust Kcb mid/end at all
    lengths = np.asarray([[c.l_ini, c.l_dev, c.l_mid, c.l_late,
                           (np.clip(c.h_max, *cropmod.H_LIMITS) / 3.0) ** 0.3,
                           float(DEFAULT.kcb_climate_adjustment)]
                          for c in parameters.crops], dtype=float)
    args = (_groups(cells, *ints, ev), cells, *ints, ev, lengths, weather(forcing.et0),
            weather(forcing.precip), weather(forcing.u2), weather(forcing.rh_min),
            *(np.ascontiguousarray(x, dtype=float) for x in (tab.w_ini, tab.w_mid, tab.w_end,
                                                              tab.h, h_factor, tab.zr)),
            stage, _schedule_vector(man.schedule), np.ascontiguousarray(man.user_depth, float),
            np.ascontiguousarray(man.user_fw, float), np.ascontiguousarray(man.calendar, bool),
            float(f_root), float(f_surface), float(f_sub), slots, daily, sums)
    main = threading.current_thread() is threading.main_thread()
    loop = _loop_parallel if main else _loop_serial
    name = "parallel" if main else "serial"
    if name not in _compile_seconds:
        start = time.perf_counter()
        loop(*args)
        _compile_seconds[name] = time.perf_counter() - start
    else:
        loop(*args)
    return (daily if outputs is not None else None), (sums if totals else None), shape


def run_balance_compiled(forcing: Forcing, site: Site, parameters: Parameters,
                         management: Management, *, initial: InitialState = FIELD_CAPACITY,
                         outputs: Sequence[str] = ALL_OUTPUTS) -> np.ndarray:
    """Compiled :func:`irrigate.science.balance.run_balance`: the same arguments and result.

    Returns
    -------
    ndarray, (..., len(outputs), T)
        Daily values; fluxes in mm/day, states at the end of the day in mm.

    """
    daily, _, shape = _run(forcing, site, parameters, management, initial, tuple(outputs),
                           totals=False)
    return daily.reshape(shape + daily.shape[1:])


def season_totals(forcing: Forcing, site: Site, parameters: Parameters,
                  management: Management, *, initial: InitialState = FIELD_CAPACITY
                  ) -> np.ndarray:
    """Seasonal sums (sowing to harvest) of the balance, accumulated in the daily loop.

    Returns
    -------
    ndarray, (..., len(SEASON_TOTALS))
        :data:`SEASON_TOTALS` per element: mm per season over the days with
        0 <= das < season length (NaN if any of them is NaN), ``n_events`` the days with net
        irrigation (NaN if the irrigation of a season day is unknown), as
        ``irrigate.engine.simulate.season_summary`` of the daily run.

    """
    _, sums, shape = _run(forcing, site, parameters, management, initial, None, totals=True)
    return sums.reshape(shape + (len(SEASON_TOTALS),))


def season_totals_ufunc(*arrays: np.ndarray, parameters: Parameters, management: Management,
                        initial: InitialState = FIELD_CAPACITY) -> np.ndarray:
    """:func:`season_totals` on the fields of Forcing then Site, in order (``apply_ufunc``)."""
    n = len(Forcing._fields)
    return season_totals(Forcing(*arrays[:n]), Site(*arrays[n:]), parameters, management,
                         initial=initial)


def run_balance_compiled_ufunc(*arrays: np.ndarray, parameters: Parameters,
                               management: Management, initial: InitialState = FIELD_CAPACITY,
                               outputs: Sequence[str] = ALL_OUTPUTS) -> np.ndarray:
    """:func:`run_balance_compiled` on the fields of Forcing then Site (``apply_ufunc``)."""
    n = len(Forcing._fields)
    return run_balance_compiled(Forcing(*arrays[:n]), Site(*arrays[n:]), parameters,
                                management, initial=initial, outputs=outputs)
