"""Validation of the salinity functions against published FAO-56 / FAO-29 numbers.

FAO-56 Example 39 (p. 182, beans on silt loam; FAO-56 pp. 176-182 restate the FAO-29 leaching
formula, Ayers & Westcot 1985): irrigation water ECw = 1 dS/m, leaching fraction 0.15,
beans ECe threshold 1.0 dS/m and b = 19 %/(dS/m) (FAO-56 Table 23), Ky = 1.15 (Table 24),
TAW = 110 mm, RAW = 44 mm. Published: ECe = 1.5 dS/m (Eq. 93), Ks = 0.92 without water stress
(Eq. 91), and the Ks column of the example's table with salinity (Eq. 92).

The FAO-29 leaching-requirement formula LR = ECw/(5 ECe - ECw) must return the example's
leaching fraction 0.15 at ECw 1 and the published ECe 1.5: 1/(7.5 - 1) = 0.154.

Punmia, Jain & Jain, *Irrigation and Water Power Engineering*, Example 16.10 (as transcribed
in the Scilab Textbook Companion, GitHub Lavitha/Scilab_TBC): ECiw 1.5 and ECdw 20 mmho/cm,
consumptive use 55.5 mm; LR = ECiw/ECdw (USDA Handbook 60 form) and depth to apply
Cu/(1 - LR) = 60 mm (printed as an integer).

No worked example printed in FAO-29 itself could be read (see docs/rice-and-salinity.md).
"""

from __future__ import annotations

from irrigate.science.salinity import (
    applied_water,
    ece_from_leaching_fraction,
    ks_salinity,
    leaching_requirement,
    leaching_requirement_drainage,
)
from irrigate.validation import Case

EX39 = "FAO-56 Example 39, p. 182 (beans, ECw 1 dS/m, LF 0.15)"
PUNMIA = ("Punmia, Jain & Jain, Irrigation and Water Power Engineering, Example 16.10 "
          "(Scilab Textbook Companion transcription)")


def _ks_with_water_stress(dr: float) -> float:
    """FAO-56 Eq. 92 for Example 39: Ks salinity x (TAW - Dr)/(TAW - RAW), TAW 110, RAW 44."""
    ks = float(ks_salinity(1.5, 1.0, 19.0, 1.15))
    return ks * min(1.0, (110.0 - dr) / (110.0 - 44.0))


def cases() -> list[Case]:
    """FAO-56 Example 39 values and FAO-29 leaching requirements."""
    return [
        Case("FAO-56 Ex. 39: ECe at LF 0.15, ECw 1 (Eq. 93)", 1.5, 0.05,
             lambda: float(ece_from_leaching_fraction(1.0, 0.15)), "dS/m",
             EX39 + "; Eq. 93 exact 1.533, printed 1.5"),
        Case("FAO-56 Ex. 39: FAO-29 LR at ECw 1, ECe 1.5 equals the example's LF", 0.15,
             0.005, lambda: float(leaching_requirement(1.0, 1.5)), "1",
             EX39 + "; FAO-29 formula as restated on FAO-56 p. 180"),
        Case("FAO-56 Ex. 39: Ks salinity, Dr < RAW (Eq. 91)", 0.92, 0.005,
             lambda: float(ks_salinity(1.5, 1.0, 19.0, 1.15)), "1", EX39),
        Case("FAO-56 Ex. 39: Ks salinity and water stress, Dr = 60 mm (Eq. 92)", 0.69, 0.01,
             lambda: _ks_with_water_stress(60.0), "1", EX39 + ", table column 3"),
        Case("FAO-56 Ex. 39: Ks salinity and water stress, Dr = 80 mm (Eq. 92)", 0.42, 0.01,
             lambda: _ks_with_water_stress(80.0), "1", EX39 + ", table column 3"),
        Case("Punmia Ex. 16.10: depth to apply, ECiw 1.5, ECdw 20, Cu 55.5 mm", 60.0, 0.5,
             lambda: float(applied_water(55.5, leaching_requirement_drainage(1.5, 20.0))),
             "mm", PUNMIA),
    ]
