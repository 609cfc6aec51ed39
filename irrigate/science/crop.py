"""Crop curves: Kcb/Kc by day, climate adjustment, Kc max, fc, crop height, root depth.

FAO-56 Eq. 66 (curves), Eqs. 62/65/70 (climate adjustment), Eq. 72 (Kc max), Eq. 76 (fc).

Days are counted as FAO-56 does in Examples 28 and 30: day ``i = 1`` is the sowing day, so
``i = das + 1`` with ``das`` the number of days after sowing. All functions are arithmetic on
numpy arrays (they also work on xarray objects except where noted) in fixed units: u2 in
m/s at 2 m, RHmin in %, heights and depths in m.

Rules used (and why)
--------------------
* Kcb and Kc are constant in the initial and mid-season stages and linear in the development
  and late-season stages (FAO-56 Eq. 66, p. 132).
* Climate adjustment of the mid-season and end values (Eq. 70 for Kcb, Eq. 62/65 for Kc)
  uses the mean u2 and RHmin of the mid-season and of the late-season stage and the maximum
  crop height; the end value is adjusted only when it is >= 0.45 (FAO-56 p. 136 / p. 127).
* Crop height grows in proportion to Kcb/Kcb mid and never decreases (FAO-56 Annex 8,
  p. 277); it is h_max from the start of the mid-season stage.
* Rooting depth grows linearly in time from ``zr_min`` on the sowing day to ``zr_max`` at
  the start of the mid-season stage and then stays at ``zr_max`` (the linear-in-time
  variant of FAO-56 Annex 8 Eq. 8-1, which ties Zr to the rise of Kcb between the initial and
  mid-season values; FAO-56 Example 38 interpolates Zr linearly in time).
* Outside the season the soil is bare: Kcb = 0 (no transpiration), fc = 0, h = 0; soil
  evaporation continues through Ke (FAO-56 ch. 7 treats bare soil with Kcb ~ 0 plus Ke;
  the Table 17 Kcb ini = 0.15 of a sown field is not applied to fallow, so that bare-soil
  evaporation is not counted twice).
* Forage crops with ``cuttings`` repeat the (ini, dev, mid, late) cycle after each cutting:
  Kcb and h restart from the initial values, roots keep their depth (FAO-56 p. 127-129).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from irrigate.science.params import Crop

# FAO-56 Eq. 62/70 validity limits (p. 121-123, 136)
U2_LIMITS = (1.0, 6.0)
RHMIN_LIMITS = (20.0, 80.0)
H_LIMITS = (0.1, 10.0)


def climate_term(u2: Any, rh_min: Any, h: Any) -> Any:
    """Return the FAO-56 climate correction [0.04(u2-2) - 0.004(RHmin-45)](h/3)^0.3.

    Eq. 62 (Kc mid), Eq. 65 (Kc end), Eq. 70 (Kcb mid/end) and Eq. 72 (Kc max) share this
    term. u2 is limited to 1-6 m/s, RHmin to 20-80 % and h to 0.1-10 m (FAO-56 p. 123).
    """
    u2 = np.clip(u2, *U2_LIMITS)
    rh_min = np.clip(rh_min, *RHMIN_LIMITS)
    h = np.clip(h, *H_LIMITS)
    return (0.04 * (u2 - 2.0) - 0.004 * (rh_min - 45.0)) * (h / 3.0) ** 0.3


def adjust_mid(k_tab: Any, u2: Any, rh_min: Any, h: Any) -> Any:
    """Return the climate-adjusted mid-season Kcb or Kc (FAO-56 Eq. 70 / Eq. 62)."""
    return k_tab + climate_term(u2, rh_min, h)


def adjust_end(k_tab: Any, u2: Any, rh_min: Any, h: Any) -> Any:
    """Return the adjusted end-of-season Kcb or Kc (FAO-56 Eq. 70 / Eq. 65).

    The adjustment applies only when the table value is >= 0.45 (FAO-56 p. 127, 136).
    """
    return k_tab + climate_term(u2, rh_min, h) * (k_tab >= 0.45)


def kc_max(u2: Any, rh_min: Any, h: Any, kcb: Any) -> Any:
    """Return the upper limit of Kc after wetting, FAO-56 Eq. 72.

    Kc max = max(1.2 + [0.04(u2-2) - 0.004(RHmin-45)](h/3)^0.3, Kcb + 0.05).
    """
    return np.maximum(1.2 + climate_term(u2, rh_min, h), kcb + 0.05)


def canopy_cover(kcb: Any, kc_max_: Any, h: Any, kc_min: Any = 0.15) -> Any:
    """Return the fraction of soil covered by vegetation, FAO-56 Eq. 76.

    fc = [(Kcb - Kc min)/(Kc max - Kc min)]^(1 + 0.5 h), with Kcb - Kc min >= 0.01 as FAO-56
    advises (p. 150), 0 where Kcb <= Kc min, and fc <= 0.99 (Eq. 75 limits).
    """
    num = np.maximum(kcb - kc_min, 0.01)
    ratio = np.clip(num / np.maximum(kc_max_ - kc_min, 0.01), 0.0, 1.0)
    fc = ratio ** (1.0 + 0.5 * h)
    return np.minimum(fc, 0.99) * (kcb > kc_min)


def cycles(crop: Crop) -> np.ndarray:
    """Return the stage lengths of every growth cycle, shape (n_cycles, 4), days."""
    first = [(crop.l_ini, crop.l_dev, crop.l_mid, crop.l_late)]
    return np.asarray(first + [tuple(c) for c in crop.cuttings], dtype=float)


def stage_position(das: Any, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Locate days after sowing in the crop cycles.

    Parameters
    ----------
    das : array of int
        Days after sowing (0 = sowing day); any shape.
    lengths : ndarray, shape (n_cycles, 4)
        Stage lengths of each cycle, days (:func:`cycles`).

    Returns
    -------
    cycle : ndarray of int
        Cycle index, -1 before sowing and ``n_cycles`` after harvest.
    stage : ndarray of int
        Stage index 0 (initial), 1 (development), 2 (mid), 3 (late); -1 outside the season.
    i : ndarray of float
        FAO-56 day number within the cycle (1 = first day of the cycle).

    """
    das = np.asarray(das)
    total = lengths.sum(axis=1)
    starts = np.concatenate([[0.0], np.cumsum(total)])
    cycle = np.searchsorted(starts, das, side="right") - 1
    cycle = np.where(das < 0, -1, np.minimum(cycle, len(total)))
    inside = (cycle >= 0) & (cycle < len(total))
    c = np.clip(cycle, 0, len(total) - 1)
    i = das - starts[c] + 1.0
    bounds = np.cumsum(lengths, axis=1)[c]  # (..., 4): end day of each stage in the cycle
    stage = (i[..., None] > bounds).sum(axis=-1)
    stage = np.where(inside, np.minimum(stage, 3), -1)
    return cycle, stage, i


def k_curve(das: Any, lengths: np.ndarray, k_ini: Any, k_mid: Any, k_end: Any) -> np.ndarray:
    """Return Kcb (or Kc) by day from stage lengths, FAO-56 Eq. 66 (p. 132).

    Constant ``k_ini`` in the initial stage, linear to ``k_mid`` through development,
    constant ``k_mid`` in mid-season, linear to ``k_end`` through the late season. NaN
    outside the season (use :func:`crop_curves` for the bare-soil values).
    """
    cycle, stage, i = stage_position(das, lengths)
    c = np.clip(cycle, 0, len(lengths) - 1)
    L = lengths[c]
    l_ini, l_dev, l_mid, l_late = L[..., 0], L[..., 1], L[..., 2], L[..., 3]
    f_dev = np.clip((i - l_ini) / np.maximum(l_dev, 1e-9), 0.0, 1.0)
    f_late = np.clip((i - l_ini - l_dev - l_mid) / np.maximum(l_late, 1e-9), 0.0, 1.0)
    k = np.where(stage <= 0, k_ini, k_ini + f_dev * (k_mid - k_ini))
    k = np.where(stage == 3, k_mid + f_late * (k_end - k_mid), k)
    return np.where(stage >= 0, k, np.nan)


def root_depth(das: Any, crop: Crop) -> np.ndarray:
    """Return the rooting depth Zr (m) by day after sowing.

    Linear from ``zr_min`` at sowing to ``zr_max`` at the start of the mid-season stage
    (das = l_ini + l_dev), then constant (also after harvest); ``zr_min`` before sowing.
    """
    das = np.asarray(das, dtype=float)
    frac = np.clip(das / max(crop.l_ini + crop.l_dev, 1), 0.0, 1.0)
    return crop.zr_min + (crop.zr_max - crop.zr_min) * frac


def crop_height(das: Any, crop: Crop) -> np.ndarray:
    """Return the crop height h (m): h_max x Kcb/Kcb mid while Kcb rises, never decreasing.

    FAO-56 Annex 8 (p. 277) rule, using the table Kcb curve; h_max from the start of the
    mid-season stage of each cycle; 0 outside the season.
    """
    lengths = cycles(crop)
    _, stage, _ = stage_position(das, lengths)
    kcb = k_curve(das, lengths, crop.kcb_ini, crop.kcb_mid, crop.kcb_end)
    ratio = np.where(stage >= 2, 1.0, np.minimum(kcb / crop.kcb_mid, 1.0))
    return np.where(stage >= 0, crop.h_max * ratio, 0.0)


def window_mean(x: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Mean of ``x`` (time last) over days ``[start, start + length)``, per leading index.

    NaN values are ignored; windows are clipped to the series; NaN when the window holds
    no valid value. ``start`` and ``length`` broadcast against ``x.shape[:-1]``.
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[-1]
    valid = np.isfinite(x)
    cs = np.concatenate([np.zeros(x.shape[:-1] + (1,)), np.cumsum(np.where(valid, x, 0.0),
                                                                   axis=-1)], axis=-1)
    cn = np.concatenate([np.zeros(x.shape[:-1] + (1,)), np.cumsum(valid, axis=-1)], axis=-1)
    shape = np.broadcast_shapes(x.shape[:-1], np.shape(start), np.shape(length))
    a = np.clip(np.broadcast_to(start, shape), 0, n).astype(int)
    b = np.clip(np.broadcast_to(start + length, shape), 0, n).astype(int)
    cs = np.broadcast_to(cs, shape + (n + 1,))
    cn = np.broadcast_to(cn, shape + (n + 1,))
    total = np.take_along_axis(cs, b[..., None], -1)[..., 0] - \
        np.take_along_axis(cs, a[..., None], -1)[..., 0]
    count = np.take_along_axis(cn, b[..., None], -1)[..., 0] - \
        np.take_along_axis(cn, a[..., None], -1)[..., 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def adjusted_coefficients(crop: Crop, u2_mid: Any, rh_mid: Any, u2_late: Any,
                          rh_late: Any, basal: bool = True) -> tuple[Any, Any]:
    """Return the climate-adjusted (mid, end) Kcb (``basal``) or Kc of ``crop``.

    Eq. 70 (Kcb) or Eqs. 62/65 (Kc) with the stage-mean u2 and RHmin and h = h_max; where
    the climate means are NaN (not available) the table values are returned unchanged.
    """
    k_mid, k_end = (crop.kcb_mid, crop.kcb_end) if basal else (crop.kc_mid, crop.kc_end)
    t_mid = climate_term(u2_mid, rh_mid, crop.h_max)
    t_late = climate_term(u2_late, rh_late, crop.h_max)
    mid = k_mid + np.where(np.isfinite(t_mid), t_mid, 0.0)
    end = k_end + np.where(np.isfinite(t_late), t_late, 0.0) * (k_end >= 0.45)
    return mid, end


def crop_curves(crop: Crop, das: Any, kcb_mid: Any = None, kcb_end: Any = None
                ) -> dict[str, np.ndarray]:
    """Return the daily crop state for days after sowing ``das``.

    Parameters
    ----------
    crop : Crop
        Crop record.
    das : array of int
        Days after sowing (negative before sowing).
    kcb_mid, kcb_end : array, optional
        Climate-adjusted Kcb mid and end (:func:`adjusted_coefficients`), broadcastable
        with ``das``; default the table values.

    Returns
    -------
    dict
        ``kcb`` (0 outside the season), ``h`` (m), ``zr`` (m), ``stage`` (-1 outside,
        0-3 inside) and ``in_season`` (bool).

    """
    lengths = cycles(crop)
    kcb_mid = crop.kcb_mid if kcb_mid is None else kcb_mid
    kcb_end = crop.kcb_end if kcb_end is None else kcb_end
    _, stage, _ = stage_position(das, lengths)
    inside = stage >= 0
    kcb = k_curve(das, lengths, crop.kcb_ini, kcb_mid, kcb_end)
    return {
        "kcb": np.where(inside, kcb, 0.0),
        "h": crop_height(das, crop),
        "zr": root_depth(das, crop),
        "stage": stage,
        "in_season": inside,
    }


def kc_single(crop: Crop, das: Any, kc_mid: Any = None, kc_end: Any = None) -> np.ndarray:
    """Return the single crop coefficient Kc by day (FAO-56 Eq. 66 with Table 12 values).

    NaN outside the season; ``kc_mid``/``kc_end`` default to the table values (adjust them
    with :func:`adjusted_coefficients` with ``basal=False``).
    """
    kc_mid = crop.kc_mid if kc_mid is None else kc_mid
    kc_end = crop.kc_end if kc_end is None else kc_end
    return k_curve(das, cycles(crop), crop.kc_ini, kc_mid, kc_end)
