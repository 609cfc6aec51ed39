"""Named input records of the upland dual-Kc balance (:mod:`irrigate.science.balance`).

The kernel takes a handful of records instead of twenty positional arrays, so every input is
named once with its unit and meaning:

* :class:`Forcing` — the daily weather, time the last axis;
* :class:`Site` — per element (cell x crop x method, any broadcastable shape): sowing day,
  soil, water table and which crop and method the element runs;
* :class:`Parameters` — the crop and method records the indices of :class:`Site` point to;
* :class:`Management` — the schedule rule and its per-day series (user events, calendar);
* :class:`InitialState` — the depletion fractions on the first day.

Before the loop over days, :func:`element_arrays` and :func:`crop_tables` turn the records
into plain float64 arrays (:class:`Elements`, :class:`CropTables`): the loop itself touches no
Python object but the schedule record, the shape a compiled kernel can take.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from irrigate.science import crop as cropmod
from irrigate.science.conventions import (
    DEFAULT,
    Conventions,
    HeightRule,
    PostHarvest,
    RootGrowth,
)
from irrigate.science.params import Crop, Method
from irrigate.science.schedule import Schedule


class Forcing(NamedTuple):
    """Daily weather of the balance; every field has time as its last axis, shape (..., T).

    Attributes
    ----------
    et0 : ndarray
        Reference evapotranspiration ET0, mm/day (FAO-56 Eq. 6).
    precip : ndarray
        Precipitation, mm/day.
    u2 : ndarray
        Wind speed at 2 m, m/s; NaN where unknown (no climate adjustment, Eqs. 70 and 72).
    rh_min : ndarray
        Minimum relative humidity, %; NaN where unknown.
    dr_observed : ndarray or None
        Measured root-zone depletion Dr, mm below field capacity, on the days it was
        measured and NaN on every other day; on a measured day the balance's depletion is
        reset to it at the start of the day (:func:`irrigate.science.balance.
        assimilate_depletion`). None: no measurement.

    """

    et0: np.ndarray
    precip: np.ndarray
    u2: np.ndarray
    rh_min: np.ndarray
    dr_observed: np.ndarray | None = None


class Site(NamedTuple):
    """Per-element settings, each broadcastable to the element shape (...).

    Attributes
    ----------
    sow : ndarray of int
        Index of the sowing day on the time axis.
    theta_fc, theta_wp : ndarray
        Water content at field capacity and wilting point, m3/m3 (FAO-56 Table 19).
    rew, tew : ndarray
        Readily and total evaporable water, mm (FAO-56 Eq. 73).
    cn2 : ndarray
        SCS curve number for average antecedent moisture, 1.
    cr_a4, cr_b4 : ndarray
        Capillary-rise coefficients, CRmax = a4 Dw^b4 mm/day (Liu et al. 2006).
    water_table : ndarray
        Water-table depth below the surface, m; NaN for none (no capillary rise).
    crop_index, method_index : ndarray of int
        Position of the element's crop in :attr:`Parameters.crops` and method in
        :attr:`Parameters.methods`.

    """

    sow: np.ndarray
    theta_fc: np.ndarray
    theta_wp: np.ndarray
    rew: np.ndarray
    tew: np.ndarray
    cn2: np.ndarray
    cr_a4: np.ndarray
    cr_b4: np.ndarray
    water_table: np.ndarray
    crop_index: np.ndarray
    method_index: np.ndarray


class Parameters(NamedTuple):
    """The crop and method records that :class:`Site` indexes."""

    crops: Sequence[Crop]
    methods: Sequence[Method]


class Management(NamedTuple):
    """Irrigation rule and its per-day series (shape (T,), the same for every element).

    Attributes
    ----------
    schedule : Schedule
        The rule and its settings.
    user_depth : ndarray or None
        Net depth of the user schedule on each day, mm (None: 0 mm every day).
    user_fw : ndarray or None
        Wetted fraction of each user event, 1; NaN = the method's fw (None: all NaN).
    calendar : ndarray of bool or None
        Days inside the schedule's calendar window (:meth:`Schedule.calendar_mask`);
        None: every day allowed.

    """

    schedule: Schedule
    user_depth: np.ndarray | None = None
    user_fw: np.ndarray | None = None
    calendar: np.ndarray | None = None

    def series(self, n_t: int) -> Management:
        """Return a copy with every per-day series filled in to length ``n_t``."""
        return Management(
            self.schedule,
            np.zeros(n_t) if self.user_depth is None else np.asarray(self.user_depth, float),
            np.full(n_t, np.nan) if self.user_fw is None else np.asarray(self.user_fw, float),
            np.ones(n_t, bool) if self.calendar is None else np.asarray(self.calendar, bool))


class InitialState(NamedTuple):
    """Depletion on the first day, as fractions (0 = field capacity, 1 = wilting point).

    Attributes
    ----------
    root : float
        Root-zone depletion Dr,i / TAW (FAO-56 p. 170: "at field capacity following a heavy
        rain or irrigation", Dr,i = 0).
    surface : float or None
        Surface-layer depletion De,i / TEW (FAO-56 p. 153); None = ``root``.
    subsoil : float or None
        Depletion of the soil between the current and the maximum root depth, fraction of
        its available water; roots growing into it bring it into the root zone (FAO-56
        Example 38 takes it at field capacity). None = ``root``.

    """

    root: float = 0.0
    surface: float | None = None
    subsoil: float | None = None

    def fractions(self, conv: Conventions = DEFAULT) -> tuple[float, float, float]:
        """Return (root, surface, subsoil): given values, else the conventions', else root."""
        root = float(self.root)

        def pick(given: float | None, convention: float | None) -> float:
            value = given if given is not None else convention
            return root if value is None else float(value)

        return (root, pick(self.surface, conv.surface_initial),
                pick(self.subsoil, conv.subsoil_initial))


class Elements(NamedTuple):
    """Per-element float64 arrays (broadcast to the element shape) the daily loop reads."""

    ci: np.ndarray             # crop index (int)
    mi: np.ndarray             # method index (int)
    sow: np.ndarray            # sowing index (int)
    season_length: np.ndarray  # sowing to harvest, days
    kcb_ini: np.ndarray        # Kcb ini (Table 17)
    kcb_mid: np.ndarray        # Kcb mid after the climate adjustment (Eq. 70)
    kcb_end: np.ndarray        # Kcb end after the climate adjustment (Eq. 70)
    p: np.ndarray              # depletion fraction of Table 22 (ETc = 5 mm/day)
    kc_min: np.ndarray         # minimum Kc of bare soil (Eq. 76)
    fw: np.ndarray             # wetted fraction of the method (Table 20)
    efficiency: np.ndarray     # application efficiency, net / gross
    loss_evap: np.ndarray      # share of the loss lost to evaporation and drift
    loss_ro: np.ndarray        # share of the loss lost to tail-water runoff
    film: np.ndarray           # film cover x film evaporation reduction
    depth_min: np.ndarray      # method's minimum net event depth, mm
    depth_max: np.ndarray      # method's maximum net event depth, mm
    interval_min: np.ndarray   # method's minimum interval between events, days
    surface: np.ndarray        # surface method (bool)
    canopy: np.ndarray         # drip emitters under the canopy (bool)
    irrigated: np.ndarray      # irrigated at all (bool)
    fc_wp: np.ndarray          # 1000 (theta_fc - theta_wp), mm of available water per m
    rew: np.ndarray            # mm
    tew: np.ndarray            # mm
    cn2: np.ndarray            # curve number, 1
    cr_a4: np.ndarray          # capillary rise coefficient a4
    cr_b4: np.ndarray          # capillary rise exponent b4
    water_table: np.ndarray    # m below the surface; NaN = none


class CropTables(NamedTuple):
    """Per-crop tables over FAO days, shape (crop, day), index ``das + 1`` clipped.

    Index 0 stands for every day before sowing, the last index for every day after harvest.
    Eq. 66 is linear in (k_ini, k_mid, k_end), so Kcb = w_ini k_ini + w_mid k_mid + w_end
    k_end with per-day weights; the adjusted k_mid/k_end can then vary by element.
    """

    w_ini: np.ndarray
    w_mid: np.ndarray
    w_end: np.ndarray
    h: np.ndarray      # crop height, m
    zr: np.ndarray     # root depth, m
    stage: np.ndarray  # growth stage 0-3, -1 outside the season


def element_shape(forcing: Forcing, site: Site) -> tuple[int, ...]:
    """Return the broadcast element shape of the records (time excluded)."""
    lead = [np.shape(a) for a in site]
    lead += [np.shape(a)[:-1] for a in forcing if a is not None]
    return np.broadcast_shapes(*lead)


def crop_tables(crops: Sequence[Crop], conv: Conventions = DEFAULT) -> CropTables:
    """Tabulate Kcb weights (Eq. 66), height, root depth and stage per crop and day.

    ``conv`` chooses the day origin of Eq. 66, the height and root-growth rules and the
    post-harvest cover (:class:`irrigate.science.conventions.Conventions`).
    """
    shift = 1 - conv.kcb_day_origin
    n = max(c.season_length for c in crops) + shift
    das = np.arange(-1, n + 1)
    day = np.where(das >= 0, np.maximum(das - shift, 0), das)  # day the curves are read at
    out: dict[str, list[np.ndarray]] = {k: [] for k in CropTables._fields}
    for c in crops:
        lengths = cropmod.cycles(c)
        _, stage, _ = cropmod.stage_position(day, lengths)
        inside = stage >= 0
        w = {key: np.where(inside, cropmod.k_curve(day, lengths, *unit), 0.0)
             for key, unit in (("w_ini", (1, 0, 0)), ("w_mid", (0, 1, 0)),
                               ("w_end", (0, 0, 1)))}
        # growth fraction (Kcb - Kcb ini)/(Kcb mid - Kcb ini), never falling (Annex 8)
        grown = np.maximum.accumulate(np.where(inside, w["w_mid"] + w["w_end"], 0.0))
        if conv.height == HeightRule.KCB_INTERPOLATION:
            h = np.where(inside, np.maximum(c.h_ini + (c.h_max - c.h_ini) * grown, 0.001), 0.0)
        else:
            h = cropmod.crop_height(day, c)
        if conv.root_growth == RootGrowth.KCB:
            zr = c.zr_min + (c.zr_max - c.zr_min) * grown
        else:
            zr = cropmod.root_depth(day, c)
        if conv.post_harvest == PostHarvest.HOLD_END:
            after = (day >= c.season_length) & ~inside
            last = int(np.flatnonzero(inside)[-1])
            w = {k: np.where(after, float(k == "w_end"), v) for k, v in w.items()}
            h, zr = np.where(after, h[last], h), np.where(after, zr[last], zr)
        for key, value in (*w.items(), ("h", h), ("zr", zr), ("stage", stage)):
            out[key].append(value)
    return CropTables(**{k: np.stack(v) for k, v in out.items()})


class _Prefix(NamedTuple):
    """Running sums of one daily series for window means (time last, shape (..., T + 1))."""

    total: np.ndarray        # sum of the valid values before each day
    count: np.ndarray | None  # number of valid values before each day; None: all valid


def _prefix(x: np.ndarray) -> _Prefix:
    """Return the running sums of ``x`` (NaN ignored) that ``crop.window_mean`` takes.

    Computed once per series and shared by every window of it (the mid- and late-season
    means of every element), with the same arithmetic, so the means are the same numbers.
    """
    x = np.asarray(x, dtype=float)
    zero = np.zeros(x.shape[:-1] + (1,))
    valid = np.isfinite(x)
    if valid.all():  # the usual case: the count of a window is its length
        return _Prefix(np.concatenate([zero, np.cumsum(x, axis=-1)], axis=-1), None)
    return _Prefix(np.concatenate([zero, np.cumsum(np.where(valid, x, 0.0), axis=-1)], axis=-1),
                   np.concatenate([zero, np.cumsum(valid, axis=-1)], axis=-1))


def _window_mean(prefix: _Prefix, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Mean over days ``[start, start + length)`` from :func:`_prefix` (crop.window_mean).

    Windows are clipped to the series; NaN when the window holds no valid value.
    """
    n = prefix.total.shape[-1] - 1
    lead = prefix.total.shape[:-1]
    shape = np.broadcast_shapes(lead, np.shape(start), np.shape(length))
    a = np.clip(np.broadcast_to(start, shape), 0, n).astype(int)
    b = np.clip(np.broadcast_to(start + length, shape), 0, n).astype(int)
    # the row of the running sums each element reads (its leading index, broadcast)
    row = np.broadcast_to(np.arange(int(np.prod(lead))).reshape(lead), shape)
    rows = prefix.total.reshape(-1, n + 1)
    total = rows[row, b] - rows[row, a]
    if prefix.count is None:
        count = b - a
    else:
        counts = prefix.count.reshape(-1, n + 1)
        count = counts[row, b] - counts[row, a]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _adjusted_kcb(forcing: Forcing, sow: np.ndarray, lengths: Sequence[np.ndarray],
                  kcb_mid: np.ndarray, kcb_end: np.ndarray, h_max: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Kcb mid and end adjusted for climate, FAO-56 Eq. 70 (stage means of u2, RHmin)."""
    l_ini, l_dev, l_mid, l_late = lengths
    mid_start = sow + l_ini + l_dev
    late_start = mid_start + l_mid
    u2, rh = _prefix(forcing.u2), _prefix(forcing.rh_min)
    t_mid = cropmod.climate_term(_window_mean(u2, mid_start, l_mid),
                                 _window_mean(rh, mid_start, l_mid), h_max)
    t_late = cropmod.climate_term(_window_mean(u2, late_start, l_late),
                                  _window_mean(rh, late_start, l_late), h_max)
    mid = kcb_mid + np.where(np.isfinite(t_mid), t_mid, 0.0)
    end = kcb_end + np.where(np.isfinite(t_late), t_late, 0.0) * (kcb_end >= 0.45)
    return mid, end


def element_arrays(forcing: Forcing, site: Site, parameters: Parameters,
                   shape: tuple[int, ...], conv: Conventions = DEFAULT) -> Elements:
    """Broadcast the site and look up the crop and method settings of every element."""
    def full(a: np.ndarray | float) -> np.ndarray:
        return np.broadcast_to(np.asarray(a, dtype=float), shape)

    ci = np.broadcast_to(site.crop_index, shape).astype(int)
    mi = np.broadcast_to(site.method_index, shape).astype(int)
    sow = np.broadcast_to(site.sow, shape).astype(int)

    def cattr(name: str) -> np.ndarray:
        return np.asarray([float(getattr(c, name)) for c in parameters.crops])[ci]

    def mattr(name: str) -> np.ndarray:
        return np.asarray([float(getattr(m, name)) for m in parameters.methods])[mi]

    lengths = [cattr(k) for k in ("l_ini", "l_dev", "l_mid", "l_late")]
    if conv.kcb_climate_adjustment:
        kcb_mid, kcb_end = _adjusted_kcb(forcing, sow, lengths, cattr("kcb_mid"),
                                         cattr("kcb_end"), cattr("h_max"))
    else:  # table Kcb mid/end; Kc max keeps its climate term (Eq. 72)
        kcb_mid, kcb_end = cattr("kcb_mid"), cattr("kcb_end")
    return Elements(
        ci=ci, mi=mi, sow=sow,
        season_length=np.asarray([float(c.season_length) for c in parameters.crops])[ci],
        kcb_ini=cattr("kcb_ini"), kcb_mid=kcb_mid, kcb_end=kcb_end, p=cattr("p"),
        kc_min=cattr("kc_min"), fw=mattr("fw"), efficiency=mattr("efficiency"),
        loss_evap=mattr("loss_evap"), loss_ro=mattr("loss_ro"),
        film=mattr("film_cover") * mattr("film_evap_reduction"),
        depth_min=mattr("depth_min"), depth_max=mattr("depth_max"),
        interval_min=mattr("interval_min"), surface=mattr("surface") > 0,
        canopy=mattr("wet_under_canopy") > 0, irrigated=mattr("irrigated") > 0,
        fc_wp=1000.0 * (full(site.theta_fc) - full(site.theta_wp)),
        rew=full(site.rew), tew=full(site.tew), cn2=full(site.cn2), cr_a4=full(site.cr_a4),
        cr_b4=full(site.cr_b4), water_table=full(site.water_table))
