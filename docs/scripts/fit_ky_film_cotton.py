"""Fit the seasonal yield response factor Ky of cotton under film and drip (issue #11).

Reads models/calibration/xinjiang_yields.toml and fits the FAO-33 water-production function

    1 - Ya/Ym = Ky (1 - ETa/ETm)

by least squares through the origin, per year against that year's best treatment (Ym, ETm =
yield and ET of the highest-yielding treatment of the set in that year). Prints observed and
fitted relative yield per treatment and year.

Sets:
  fit          Shihezi CK (film + drip, no buried membrane), W340/W440/W540, 2015 and 2016
               (HU18 Tables 1 and 3): the seasonal Ky written to models/yield_response.toml.
  sensitivity  the same fit with the buried-membrane treatments D40/D60 added.
  stage        Shawan 2020 W2 vs W1 per nitrogen split (DAI22): the flowering-boll-stage Ky
               (only that stage's water use is published).

Run:  python docs/scripts/fit_ky_film_cotton.py [path/to/xinjiang_yields.toml]
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "models" / "calibration" / "xinjiang_yields.toml"


def load(path: Path) -> dict[str, dict]:
    """Read the observation file."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def pairs(rows: list[tuple[str, dict]], et_key: str, group_key) -> list[tuple]:
    """(name, group, x = 1 - ET/ETm, y = 1 - Y/Ym, ET/ETm, Y/Ym) against each group's best."""
    groups: dict = {}
    for name, r in rows:
        groups.setdefault(group_key(r), []).append((name, r))
    out = []
    for g, members in sorted(groups.items()):
        _, best = max(members, key=lambda m: m[1]["yield"]["value"])
        ym, etm = best["yield"]["value"], best[et_key]["value"]
        for name, r in members:
            rel_et = r[et_key]["value"] / etm
            rel_y = r["yield"]["value"] / ym
            out.append((name, g, 1 - rel_et, 1 - rel_y, rel_et, rel_y))
    return out


def fit(p: list[tuple]) -> tuple[float, float]:
    """Least-squares Ky through the origin and the RMSE of relative yield."""
    sxy = sum(x * y for _, _, x, y, _, _ in p)
    sxx = sum(x * x for _, _, x, _, _, _ in p)
    ky = sxy / sxx
    rmse = (sum((y - ky * x) ** 2 for _, _, x, y, _, _ in p) / len(p)) ** 0.5
    return ky, rmse


def table(title: str, p: list[tuple], ky: float, rmse: float, et_label: str) -> None:
    """Print observed and fitted relative yield per treatment."""
    print(f"\n{title}")
    print(f"  Ky = {ky:.3f}   RMSE of relative yield = {rmse:.3f}   n = {len(p)}")
    print(f"  {'treatment':<28}{'group':>7}{et_label:>12}{'Ya/Ym obs':>11}{'Ya/Ym fit':>11}"
          f"{'resid':>8}")
    for name, g, x, _, rel_et, rel_y in p:
        fitted = 1 - ky * x
        print(f"  {name:<28}{g!s:>7}{rel_et:>12.3f}{rel_y:>11.3f}{fitted:>11.3f}"
              f"{rel_y - fitted:>8.3f}")


def main(argv: list[str]) -> None:
    """Fit and print the three sets."""
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    data = load(path)
    shihezi = [(n, r) for n, r in data.items() if r.get("site") == "Shihezi"]
    ck = [(n, r) for n, r in shihezi if r["role"] == "fit"]
    by_year = lambda r: r["year"]  # noqa: E731
    p = pairs(ck, "eta", by_year)
    ky, rmse = fit(p)
    table("Shihezi CK (film + drip), seasonal ET, each year against its best treatment (HU18)",
          p, ky, rmse, "ETa/ETm")
    p_all = pairs(shihezi, "eta", by_year)
    ky_all, rmse_all = fit(p_all)
    table("Sensitivity: Shihezi CK + buried-membrane D40/D60 (HU18)", p_all, ky_all, rmse_all,
          "ETa/ETm")
    # Shawan: pair W2 with W1 of the same nitrogen split (the N split changes yield too)
    shawan = [(n, r) for n, r in data.items() if r.get("site") == "Shawan"]
    by_n = lambda r: r["treatment"].split()[1]  # noqa: E731
    p_st = pairs(shawan, "eta_flowering_boll", by_n)
    ky_st, rmse_st = fit(p_st)
    table("Shawan 2020, flowering-boll-stage water use, W2 vs W1 per N split (DAI22)",
          p_st, ky_st, rmse_st, "ETfb/ETfbm")
    print("\nFAO-33 seasonal cotton Ky 0.85 (Doorenbos & Kassam 1979 Table 24, reprinted in "
          "FAO-66 Table 1).")


if __name__ == "__main__":
    main(sys.argv)
