"""Consistency arithmetic of the issue #12 baseline data (run: python docs/baseline_check.py).

Reads models/areas.toml, models/regions.toml and models/practice_shares.toml and prints, per
region, the default area, the drip and sprinkler areas the crop x method matrix implies, and the
national totals beside the published figures (543.5 kha drip + sprinkler, Dec 2025; Turkestan
114 kha; 2023/24 shares sprinkler 14.3 %, drip 6.2 %; season withdrawal 11.01 km3, 98 % south).
"""

import sys
import tomllib
from pathlib import Path

M = Path(__file__).resolve().parent.parent / "models"
load = lambda n: tomllib.loads((M / n).read_text(encoding="utf-8"))  # noqa: E731
areas, regions, ps = load("areas.toml"), load("regions.toml"), load("practice_shares.toml")
SOUTH = ("KZ-19", "KZ-31", "KZ-33", "KZ-43", "KZ-61")
MODERN = ("drip", "mulched_drip", "sprinkler")

tot = {"area": 0.0, "drip": 0.0, "sprinkler": 0.0, "listed_modern": 0.0}
south_area = 0.0
print(f"{'region':18s} {'area ha':>9s} {'kind':13s} {'drip':>8s} {'sprinkl':>8s} "
      f"{'modern':>8s} {'share':>6s} sourced")
for code, a in areas.items():
    area = a[a["default"]]["value"]
    tot["area"] += area
    south_area += area if code in SOUTH else 0
    cs = {c: s["value"] for c, s in regions[code].get("crop_shares", {}).items()}
    d = s_ = 0.0
    if code in ps and cs:
        norm = sum(cs.values())
        for crop, share in cs.items():
            row = {m: v["value"] for m, v in ps[code][crop].items()}
            assert abs(sum(row.values()) - 1) < 1e-3, (code, crop, row)
            crop_area = area * share / norm
            d += crop_area * (row.get("drip", 0) + row.get("mulched_drip", 0))
            s_ += crop_area * row.get("sprinkler", 0)
        # the same shares on the listed-land base (latest listed_* of areas.toml, else the
        # default area; regions.toml no longer carries irrigated_area)
        listed = sorted(k for k in a if k.startswith("listed_"))
        base = a[listed[-1]]["value"] if listed else area
        tot["listed_modern"] += (d + s_) / area * base
    tot["drip"] += d
    tot["sprinkler"] += s_
    m = d + s_
    print(f"{a['name'][:18]:18s} {area:9.0f} {a['default']:13s} {d:8.0f} {s_:8.0f} {m:8.0f} "
          f"{(m / area if area else 0):6.2f} {a['sourced']}")
modern = tot["drip"] + tot["sprinkler"]
print(f"\nnational default area (watered where known): {tot['area']:,.0f} ha; five south "
      f"{south_area:,.0f}; other units {tot['area'] - south_area:,.0f}")
print(f"drip {tot['drip']:,.0f} + sprinkler {tot['sprinkler']:,.0f} = {modern:,.0f} ha on the "
      f"default area = {modern / 543_500:.0%} of the 543,500 ha published (Dec 2025)")
print(f"same shares on listed land (areas.toml listed_*, else default): {tot['listed_modern']:,.0f} ha "
      f"= {tot['listed_modern'] / 543_500:.0%} of 543,500")
print(f"shares of the default area: sprinkler {tot['sprinkler'] / tot['area']:.1%} (2023/24: "
      f"14.3 %), drip {tot['drip'] / tot['area']:.1%} (2023/24: 6.2 %)")
w_south = 10.71e9  # 1.6 + 1.2 + 1.0 + 3.51 + 3.4 km3 (BAQ.kz 2025-10-07)
w_other = (0.22e9, 0.30e9)  # 2 % of 11.01 km3 .. 11.01 - 10.71 km3
print(f"south: {w_south / south_area:,.0f} m3/ha on {south_area:,.0f} ha; the other units' "
      f"0.22-0.30 km3 at 4,000-6,000 m3/ha gross imply {w_other[0] / 6000:,.0f}-"
      f"{w_other[1] / 4000:,.0f} ha watered inside the statistic")
sys.exit(0)
