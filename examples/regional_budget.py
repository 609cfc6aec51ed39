"""Regional water budget: how much water would south Kazakhstan save with drip under film?

Run from a checkout of the repository after ``pip install .`` (the ``examples/`` folder is
not installed with the package)::

    python examples/regional_budget.py                # bundled synthetic sample grid
    python examples/regional_budget.py era5land/*.nc  # your own ERA5-Land download

It budgets the two cotton-and-rice regions on the Syr Darya (Turkestan KZ-61 and Kyzylorda
KZ-43), prints the comparative table, then answers three questions from the returned
xarray Dataset (dims ``region, crop, method``; every variable is defined in docs/budget.md).
"""

from __future__ import annotations

import sys

import irrigate
from irrigate.engine.budget_math import scenario_totals
from irrigate.output.budget_table import format_table

files = sys.argv[1:] or None  # None = the bundled synthetic Kazakhstan grid (2021)
ds = irrigate.budget(files, regions=["KZ-61", "KZ-43"])
print(format_table(ds))

# 1. Cotton in Turkestan: gross irrigation at the field and actual ET, furrow vs mulched drip.
cotton = ds.sel(region="KZ-61", crop="cotton")
for method in ("furrow", "mulched_drip"):
    row = cotton.sel({"method": method})  # dict form: `method` is also a .sel() keyword
    print(f"cotton, {method:<13}: gross {float(row['irr_gross_mm']):6.0f} mm, "
          f"net {float(row['irr_net_mm']):5.0f} mm, ETa {float(row['eta_mm']):5.0f} mm "
          f"({float(row['et_ratio_pct']):3.0f} % of ETc), {float(row['n_events']):4.1f} events")

# 2. Water left in the river if all Turkestan cotton moved from today's mix to mulched drip.
#    Read it with the ETa ratio: below 90 % of ETc the schedule leaves the crop short of
#    water, and part of the "saving" is water the crop did not get.
drip = cotton.sel({"method": "mulched_drip"})
saving = drip["saving_vs_current_mcm"]
print(f"Turkestan cotton on mulched drip saves {float(saving):,.0f} million m3 at the source "
      f"({float(drip['saving_vs_current_pct']):.0f} %), with ETa at "
      f"{float(drip['et_ratio_pct']):.0f} % of ETc")

# 3. Both regions: every crop that can go on drip under film does and rice stays flooded.
#    These are season totals (crop water); the off-season leaching is its own variable,
#    ds["leaching_withdrawal_current_mcm"], and the year's totals add it
#    (ds["scenario_withdrawal_year_mcm"]).
totals = scenario_totals(ds).sum("region")
now = float(totals["withdrawal_current_mcm"])
film = float(totals["withdrawal_mcm"].sel({"method": "mulched_drip"}))
print(f"Turkestan + Kyzylorda withdrawal: now {now:,.0f}, mulched-drip scenario {film:,.0f} "
      f"million m3 ({100 * (now - film) / now:.0f} % less)")
