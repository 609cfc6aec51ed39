"""Cases run beside pyfao56 (USDA-ARS, Thorp et al.) with irrigate's ``pyfao56`` conventions.

Each case gives both models the same crop, soil, weather (ET0, rain, u2 and RHmin from the
bundled real weather) and irrigation, from the sowing day to a few days after harvest (the
post-harvest days test the ``hold_end`` convention). ``python tests/pyfao56_cases.py`` prints
the comparison table of docs/validation.md ("Conventions").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.climate import open_climate
from irrigate.engine.simulate import simulate
from irrigate.paths import sample_data_dir
from irrigate.science.conventions import conventions
from irrigate.science.et0 import minimum_relative_humidity, reference_et
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule

CFSR = "cfsr_syrdarya_points_2000_2014.nc"
TASHKENT = "cfsr_tashkent_69.375E_41.370N_2000_2001.csv"
#: Seasonal variables compared (irrigate name, pyfao56 column).
SEASONAL = (("eta", "ETa"), ("e", "E"), ("t", "T"), ("dp", "DP"), ("ro", "Runoff"),
            ("irr_net", "Irrig"))


@dataclass(frozen=True)
class Case:
    """One field: weather file and station, crop, soil, sowing, water and irrigation."""

    name: str
    file: str
    station: int
    sowing: str
    crop: Crop
    soil: Soil
    theta0: float                 # initial water content of the root zone, m3/m3
    fw: float = 1.0               # wetted fraction of irrigation events
    events: tuple[tuple[int, float], ...] = ()   # (days after sowing, net depth mm)
    auto_mad: float | None = None  # pyfao56 AutoIrrigate mad (fraction of TAW)
    after_harvest: int = 10       # days simulated after harvest
    runoff: bool = False          # SCS curve-number runoff on in both models
    notes: str = field(default="")

    @property
    def days(self) -> int:
        """Days simulated: the season (pyfao56 counts it from day 0) and after harvest."""
        return self.crop.season_length + 1 + self.after_harvest


def _crop(name: str, lengths: tuple[int, int, int, int], kcb: tuple[float, float, float],
          h: tuple[float, float], zr: tuple[float, float], p: float) -> Crop:
    return Crop(name=name, l_ini=lengths[0], l_dev=lengths[1], l_mid=lengths[2],
                l_late=lengths[3], kcb_ini=kcb[0], kcb_mid=kcb[1], kcb_end=kcb[2],
                kc_ini=kcb[0], kc_mid=kcb[1], kc_end=kcb[2], h_ini=h[0], h_max=h[1],
                zr_min=zr[0], zr_max=zr[1], p=p, kc_min=kcb[0])


# FAO-56 Tables 11, 17, 22 values (cotton, maize, spring wheat); Table 19 soils
COTTON = _crop("cotton", (30, 50, 60, 55), (0.15, 1.15, 0.50), (0.10, 1.2), (0.2, 1.2), 0.65)
MAIZE = _crop("maize", (25, 40, 45, 30), (0.15, 1.15, 0.50), (0.10, 2.0), (0.2, 1.0), 0.55)
WHEAT = _crop("spring_wheat", (20, 25, 60, 30), (0.15, 1.10, 0.25), (0.10, 1.0), (0.2, 1.2),
              0.55)
LOAM = Soil(name="loam", theta_fc=0.25, theta_wp=0.12, rew=9.0, ze=0.10, cn2=75.0)
SANDY_LOAM = Soil(name="sandy_loam", theta_fc=0.18, theta_wp=0.08, rew=7.0, ze=0.10, cn2=70.0)
SILT_LOAM = Soil(name="silt_loam", theta_fc=0.32, theta_wp=0.15, rew=10.0, ze=0.10, cn2=80.0)

CASES: tuple[Case, ...] = (
    Case("syrdarya-cotton-furrow", CFSR, 0, "2010-04-20", COTTON, LOAM, theta0=0.20,
         events=tuple((d, 90.0) for d in (45, 65, 80, 95, 110, 125, 140)),
         notes="furrow events of 90 mm, fw = 1"),
    Case("tashkent-maize-drip", TASHKENT, 0, "2001-05-10", MAIZE, SANDY_LOAM, theta0=0.15,
         fw=0.35, events=tuple((d, 25.0) for d in range(7, 130, 7)),
         notes="drip events of 25 mm every 7 days, fw = 0.35"),
    Case("syrdarya-wheat-rainfed", CFSR, 9, "2004-03-01", WHEAT, SILT_LOAM, theta0=0.28,
         notes="rain-fed spring wheat on a wet spring profile"),
    Case("syrdarya-wheat-rainfed-runoff", CFSR, 9, "2004-03-01", WHEAT, SILT_LOAM,
         theta0=0.28, runoff=True, notes="as above, curve-number runoff on in both models"),
    Case("syrdarya-cotton-auto", CFSR, 5, "2012-04-25", COTTON, SILT_LOAM, theta0=0.32,
         auto_mad=0.5, notes="pyfao56 AutoIrrigate at 50 % of TAW; irrigate MAD 0.5 of TAW"),
)


def weather(case: Case) -> xr.Dataset:
    """Daily et0, precip, u2, rh_min of the case (sowing day first)."""
    ds = open_climate(sample_data_dir() / case.file).isel(station=[case.station]).load()
    et0 = reference_et(ds, conventions="pyfao56")
    out = xr.Dataset({"et0": et0, "precip": ds["precip"], "u2": ds["u2"],
                      "rh_min": minimum_relative_humidity(ds, ds["tmax"], ds["tmin"])})
    start = pd.Timestamp(case.sowing)
    return out.sel(time=slice(start, start + pd.Timedelta(days=case.days - 1)))


def run_pyfao56(case: Case, w: xr.Dataset, events: dict[str, float] | None = None
                ) -> pd.DataFrame:
    """Run pyfao56 1.4 with its default options (no runoff, no Kcb adjustment)."""
    from pyfao56 import AutoIrrigate, Irrigation, Model, Parameters, Weather

    c, s = case.crop, case.soil
    wth = Weather()
    wth.z, wth.lat, wth.wndht = 300.0, 41.0, 2.0
    rows = {}
    point = w.isel(station=0)
    for t in range(point.sizes["time"]):
        day = pd.Timestamp(point["time"].values[t])
        rows[day.strftime("%Y-%j")] = [np.nan] * 6 + [
            float(point["rh_min"][t]), float(point["u2"][t]), float(point["precip"][t]),
            float(point["et0"][t]), "M"]
    wth.wdata = pd.DataFrame.from_dict(rows, orient="index", columns=wth.cnames)
    par = Parameters(Kcbini=c.kcb_ini, Kcbmid=c.kcb_mid, Kcbend=c.kcb_end, Lini=c.l_ini,
                     Ldev=c.l_dev, Lmid=c.l_mid, Lend=c.l_late, hini=c.h_ini, hmax=c.h_max,
                     thetaFC=s.theta_fc, thetaWP=s.theta_wp, theta0=case.theta0,
                     Zrini=c.zr_min, Zrmax=c.zr_max, pbase=c.p, Ze=s.ze, REW=s.rew,
                     CN2=int(s.cn2))
    start, end = list(rows)[0], list(rows)[-1]
    irr = autoirr = None
    events = dict(events or {}) or {_date(case, d): x for d, x in case.events}
    if events:
        irr = Irrigation()
        for key, depth in events.items():
            day = pd.Timestamp(key)
            irr.addevent(day.year, day.day_of_year, depth, case.fw)
    if case.auto_mad is not None and not events:
        autoirr = AutoIrrigate()
        autoirr.addset(start, end, mad=case.auto_mad, fw=case.fw)
    mdl = Model(start, end, par, wth, irr=irr, autoirr=autoirr, roff=case.runoff)
    mdl.run()
    return mdl.odata


def _date(case: Case, das: int) -> str:
    return str((pd.Timestamp(case.sowing) + pd.Timedelta(days=das)).date())


def run_irrigate(case: Case, w: xr.Dataset, events: dict[str, float] | None = None
                 ) -> xr.Dataset:
    """Run irrigate.simulate with the ``pyfao56`` preset on the same field."""
    method = Method(name="event", fw=case.fw, efficiency=1.0, loss_evap=0.0, loss_ro=0.0,
                    loss_dp=1.0, irrigated=case.events != () or case.auto_mad is not None)
    events = dict(events or {}) or {_date(case, d): x for d, x in case.events}
    if events:
        schedule = Schedule(rule="user", name=case.name,
                            events=tuple((d, x, float("nan")) for d, x in events.items()))
    elif case.auto_mad is not None:
        schedule = Schedule(rule="mad", mad=case.auto_mad, mad_basis="taw",
                            respect_method_limits=False)
    else:
        schedule = Schedule(rule="none")
    fc_wp = case.soil.theta_fc - case.soil.theta_wp
    conv = conventions("pyfao56", runoff=True) if case.runoff else "pyfao56"
    return simulate(w, [case.crop], [method], soil=case.soil, schedule=schedule,
                    sowing=case.sowing, conventions=conv,
                    initial_depletion=(case.soil.theta_fc - case.theta0) / fc_wp)


def compare(case: Case, events: dict[str, float] | None = None) -> dict[str, object]:
    """Seasonal totals of both models over the run, and the largest daily Dr difference."""
    w = weather(case)
    py = run_pyfao56(case, w, events)
    ir = run_irrigate(case, w, events).isel(station=0, crop=0, method=0)
    out: dict[str, object] = {"case": case.name}
    for name, col in SEASONAL:
        out[name] = (float(ir[name].sum()), float(py[col].astype(float).sum()))
    dr_py = py["Dr"].astype(float).to_numpy()
    out["dr_max_diff"] = float(np.max(np.abs(ir["dr"].to_numpy() - dr_py)))
    out["irrigations"] = {str(pd.Timestamp(t).date()): float(v) for t, v in
                          zip(py.index.map(lambda k: pd.to_datetime(k, format="%Y-%j")),
                              py["Irrig"].astype(float), strict=True) if v > 0}
    return out


def table(results: list[dict[str, object]]) -> str:
    """Markdown table: case, variable, irrigate, pyfao56, % difference."""
    lines = ["| case | variable | irrigate (mm) | pyfao56 (mm) | diff (%) |",
             "|---|---|---:|---:|---:|"]
    for r in results:
        for name, _ in SEASONAL:
            a, b = r[name]
            pct = 100.0 * (a - b) / b if b else 0.0
            lines.append(f"| {r['case']} | {name} | {a:.2f} | {b:.2f} | {pct:+.2f} |")
        lines.append(f"| {r['case']} | max daily \\|ΔDr\\| | {r['dr_max_diff']:.3f} mm | | |")
    return "\n".join(lines)


def main() -> None:
    """Print the comparison and the single-switch effects."""
    results = [compare(c) for c in CASES]
    auto = CASES[-1]
    results.append({**compare(auto, results[-1]["irrigations"]),
                    "case": auto.name + " (pyfao56 events replayed)"})
    print(table(results))
    print()
    print(effects())


def effects(case: Case = CASES[0]) -> str:
    """Markdown table: each field switched alone from ``irrigate`` to its pyfao56 value."""
    from dataclasses import fields as dc_fields

    from irrigate.science.conventions import PRESETS, Preset

    base, peer = PRESETS[Preset.IRRIGATE], PRESETS[Preset.PYFAO56]
    w = weather(case)
    method = Method(name="event", fw=case.fw, efficiency=1.0, loss_evap=0.0, loss_ro=0.0,
                    loss_dp=1.0)
    schedule = Schedule(rule="user", events=tuple((_date(case, d), x, float("nan"))
                                                  for d, x in case.events)) \
        if case.events else Schedule(rule="none")
    f0 = (case.soil.theta_fc - case.theta0) / (case.soil.theta_fc - case.soil.theta_wp)

    def totals(conv: object) -> dict[str, float]:
        r = simulate(w, [case.crop], [method], soil=case.soil, schedule=schedule,
                     sowing=case.sowing, conventions=conv, initial_depletion=f0)
        return {k: float(r[k].sum()) for k in ("eta", "e", "t", "dp", "ro")}

    ref = totals(base)
    lines = ["| field | irrigate → pyfao56 | ΔETa (mm) | ΔE (mm) | ΔT (mm) | ΔDP (mm) | ΔRO (mm) |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for f in dc_fields(base):
        a, b = getattr(base, f.name), getattr(peer, f.name)
        if f.name in ("name", "rs_rso_min", "u2_floor") or a == b:
            continue
        t = totals(conventions(base, **{f.name: b}))
        lines.append(f"| {f.name} | {a} → {b} | " + " | ".join(
            f"{t[k] - ref[k]:+.1f}" for k in ("eta", "e", "t", "dp", "ro")) + " |")
    t = totals(peer)
    lines.append("| all (pyfao56 preset) | | " + " | ".join(
        f"{t[k] - ref[k]:+.1f}" for k in ("eta", "e", "t", "dp", "ro")) + " |")
    return f"base ({case.name}, irrigate preset): " + ", ".join(
        f"{k} {v:.1f}" for k, v in ref.items()) + "\n\n" + "\n".join(lines)


if __name__ == "__main__":
    main()
