"""Validation cases: published worked examples recomputed by irrigate.

Each module listed in ``CASE_MODULES`` exposes ``cases() -> list[Case]``. ``irrigate
validate`` and the test-suite both run :func:`run_all`, so the table a user sees is the
one the tests check. ``docs/validation.md`` lists every case with its source.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

CASE_MODULES: tuple[str, ...] = (
    "et0_cases",
    "et0_hourly_cases",
    "crop_cases",
    "balance_cases",
    "rice_cases",
    "salinity_cases",
)


@dataclass(frozen=True)
class Case:
    """One published value and how irrigate recomputes it.

    Parameters
    ----------
    case : str
        Short identifier, e.g. ``"FAO-56 Ex. 18 ET0 (Uccle, 6 July)"``.
    published : float
        The published value.
    tolerance : float
        Largest accepted absolute difference, in the unit of ``published``.
    compute : callable
        Returns irrigate's value for the case.
    unit : str
        Unit of the value.
    source : str
        Document, example and page of the published value.

    """

    case: str
    published: float
    tolerance: float
    compute: Callable[[], float]
    unit: str
    source: str


@dataclass(frozen=True)
class Result:
    """A case with its computed value and verdict."""

    case: str
    published: float
    computed: float
    tolerance: float
    passed: bool
    unit: str
    source: str

    def as_dict(self) -> dict[str, object]:
        """Return the JSON form: case, published, computed, tolerance, passed, unit, source."""
        return {
            "case": self.case,
            "published": self.published,
            "computed": self.computed,
            "tolerance": self.tolerance,
            "passed": self.passed,
            "unit": self.unit,
            "source": self.source,
        }


def all_cases() -> list[Case]:
    """Collect the cases of every case module."""
    cases: list[Case] = []
    for name in CASE_MODULES:
        module = importlib.import_module(f"irrigate.validation.{name}")
        cases.extend(module.cases())
    return cases


def evaluate(case: Case) -> Result:
    """Compute one case and compare it with the published value."""
    computed = float(case.compute())
    passed = abs(computed - case.published) <= case.tolerance + 1e-12
    return Result(case.case, case.published, computed, case.tolerance, passed, case.unit,
                  case.source)


def run_all() -> list[Result]:
    """Evaluate every validation case."""
    return [evaluate(c) for c in all_cases()]


def markdown_table(results: list[Result]) -> str:
    """Return the results as a Markdown table (the body of ``docs/validation.md``)."""
    lines = [
        "| case | published | computed | tolerance | unit | pass | source |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.case} | {r.published:.6g} | {r.computed:.6g} | {r.tolerance:.3g} | {r.unit} "
            f"| {'yes' if r.passed else 'NO'} | {r.source} |"
        )
    return "\n".join(lines) + "\n"
