"""What the calibrated Xinjiang practice predicts for cotton in south Kazakhstan.

Run from a checkout after ``pip install .``::

    python examples/xinjiang_transfer_turkestan.py

Cotton on the bundled real weather (NCEP CFSR, ten points of the Syr Darya between Tashkent
and the Hungry Steppe, seasons 2000-2013; the file ends on 2014-07-31), on the Turkestan
soil (``sierozem``, models/regions.toml KZ-61) and sown on the south-zone cotton date
(models/sowing.toml, day 108). Six runs:

* the calibrated Xinjiang practice: ``xinjiang_cotton`` (Kcb mid/end from the Xinjiang
  calibration, Tacheng stage calendar) under ``xinjiang_mulched_drip`` (calibrated film
  evaporation reduction) on the ``xinjiang_mulched_drip`` schedule, and the same crop and
  method at full demand (``fao_mad``);
* the calibrated Kcb mid/end on FAO-56 cotton's longer stage calendar (Table 11), the
  south-Kazakh season, with the same method and schedule;
* the FAO-56 baseline: ``cotton`` under ``mulched_drip`` on the same schedule, and ``cotton``
  under ``furrow`` on today's Kazakh practice (``kz_furrow_current``) and at full demand.

Prints a Markdown table (mean over points and seasons, with the range of the seasonal means
over the 14 seasons) for docs/calibration.md, next to the published Central Asian furrow
figures (Fergana: ETa about 636 mm, about 812 mm applied; REDDY12) and the Xinjiang
mulched-drip ranges (net 360-450 mm, ET 430-580 mm; parameters-literature 2a).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.climate import open_climate
from irrigate.engine.simulate import season_summary, simulate
from irrigate.library import load_library
from irrigate.paths import sample_data_dir

YEARS = range(2000, 2014)
SOWING_DOY = 108  # models/sowing.toml, zone south, cotton


def run(weather: xr.Dataset, crop, method, schedule: str, soil) -> xr.Dataset:
    """Seasonal totals per season (mean over the points) for one crop x method x schedule."""
    rows = []
    for year in YEARS:
        sow = (pd.Timestamp(f"{year}-01-01") + pd.Timedelta(days=SOWING_DOY - 1))
        days = weather.sel(time=slice(f"{year}-01-01", f"{year}-12-31"))
        daily = simulate(days, crops=[crop], methods=[method], soil=soil, schedule=schedule,
                         sowing=sow.strftime("%Y-%m-%d"))
        s = season_summary(daily).squeeze(drop=True)
        rows.append(s.mean("station").expand_dims(year=[year]))
    return xr.concat(rows, "year")


def main() -> None:
    lib = load_library()
    weather = open_climate(sample_data_dir() / "cfsr_syrdarya_points_2000_2014.nc").load()
    from irrigate.science.et0 import reference_et

    weather["et0"] = reference_et(weather)
    soil = lib.soil("sierozem")
    xj, fao = lib.crop("xinjiang_cotton"), lib.crop("cotton")
    xj_long = dataclasses.replace(
        fao, name="cotton_xinjiang_kcb", kcb_mid=xj.kcb_mid, kcb_end=xj.kcb_end)
    film_xj, film, furrow = (lib.method(m) for m in
                             ("xinjiang_mulched_drip", "mulched_drip", "furrow"))
    runs = [
        ("calibrated Xinjiang practice", xj, film_xj, "xinjiang_mulched_drip"),
        ("calibrated crop and film, full demand", xj, film_xj, "fao_mad"),
        ("calibrated Kcb, FAO-56 calendar", xj_long, film_xj, "xinjiang_mulched_drip"),
        ("FAO-56 cotton, mulched drip", fao, film, "xinjiang_mulched_drip"),
        ("FAO-56 cotton, furrow today", fao, furrow, "kz_furrow_current"),
        ("FAO-56 cotton, furrow full demand", fao, furrow, "fao_mad"),
    ]
    print("| run | crop / method / schedule | ETc | ETa | ETa/ETc | E/ETa | irrigation "
          "net | irrigation gross | deep percolation |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, crop, method, schedule in runs:
        s = run(weather, crop, method, schedule, soil)

        def cell(name: str, s: xr.Dataset = s) -> str:
            v = s[name].values
            return f"{np.mean(v):.0f} ({np.min(v):.0f}-{np.max(v):.0f})"

        ratio = 100 * s["eta"] / s["etc"]
        e_share = 100 * s["e"] / s["eta"]
        print(f"| {label} | {crop.name} / {method.name} / {schedule} | {cell('etc')} | "
              f"{cell('eta')} | {float(ratio.mean()):.0f} % | {float(e_share.mean()):.0f} % | "
              f"{cell('irr_net')} | {cell('irr_gross')} | {cell('dp')} |")


if __name__ == "__main__":
    main()
