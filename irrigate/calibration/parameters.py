"""Calibration parameters: ``<kind>.<entry>.<field>=LOWER:UPPER[@START]``.

A :class:`Parameter` addresses one numeric field of a library record (crop, method, soil)
or a nuisance setting of the experiments (``weather.<station>``, ``experiment.<prefix>``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from irrigate.errors import InputError
from irrigate.science.params import Crop, Method, Soil

#: Parameter kinds and the records they address.
KINDS: dict[str, type | None] = {"crop": Crop, "method": Method, "soil": Soil, "weather": None,
                                 "experiment": None}
#: Fields of the ``weather.<station>`` kind: multipliers of the generated daily ET0 and
#: rain of every experiment at that station (nuisance parameters for a proxy station's
#: bias; they are reported, never written to a model file).
WEATHER_FIELDS: tuple[str, ...] = ("et0_scale", "precip_scale")
#: Fields of the ``experiment.<id prefix>`` kind: settings of every experiment whose id
#: starts with the prefix (nuisance parameters of the field trials; reported, never
#: written to a model file).
EXPERIMENT_FIELDS: tuple[str, ...] = ("initial_depletion",)
_NUISANCE = {"weather": WEATHER_FIELDS, "experiment": EXPERIMENT_FIELDS}


# --- parameters -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Parameter:
    """A library value to fit, with bounds.

    Attributes
    ----------
    name : str
        ``<kind>.<entry>.<field>``, e.g. ``crop.cotton.kcb_mid``.
    lower, upper : float
        Bounds of the search.
    start : float or None
        Start value; None = the library value.

    """

    name: str
    lower: float
    upper: float
    start: float | None = None

    @property
    def kind(self) -> str:
        """Record kind: ``crop``, ``method`` or ``soil``."""
        return self.name.split(".")[0]

    @property
    def entry(self) -> str:
        """Library entry, e.g. ``cotton``."""
        return self.name.split(".")[1]

    @property
    def field(self) -> str:
        """Record field, e.g. ``kcb_mid``."""
        return self.name.split(".")[2]


def parse_parameter(spec: str | Parameter) -> Parameter:
    """Parse ``kind.entry.field=LOWER:UPPER[@START]`` into a :class:`Parameter`.

    Raises
    ------
    InputError
        Malformed text, unknown kind or field, a field that is not a number, or
        ``lower >= upper``.

    """
    if isinstance(spec, Parameter):
        param = spec
    else:
        text = str(spec).strip()
        name, sep, rng = text.partition("=")
        start: float | None = None
        if "@" in rng:
            rng, _, start_text = rng.partition("@")
            try:
                start = float(start_text)
            except ValueError:
                raise InputError(f"--param {text}: start value {start_text!r} is not a number; "
                                 "write kind.entry.field=LOWER:UPPER[@START]") from None
        lo_text, colon, hi_text = rng.partition(":")
        if not sep or not colon:
            raise InputError(f"--param {text}: expected kind.entry.field=LOWER:UPPER[@START], "
                             "e.g. crop.cotton.kcb_mid=0.9:1.3")
        try:
            lower, upper = float(lo_text), float(hi_text)
        except ValueError:
            raise InputError(f"--param {text}: bounds {rng!r} are not numbers") from None
        param = Parameter(name.strip(), lower, upper, start)
    parts = param.name.split(".")
    if len(parts) != 3 or not all(parts):
        raise InputError(f"parameter {param.name!r}: name must be kind.entry.field, e.g. "
                         "crop.cotton.kcb_mid")
    if param.kind not in KINDS:
        raise InputError(f"parameter {param.name}: unknown kind {param.kind!r}; use one of "
                         f"{', '.join(KINDS)}")
    record = KINDS[param.kind]
    numeric = set(_NUISANCE[param.kind]) if record is None else {
        f.name for f in dataclasses.fields(record) if f.type in ("float", "int", float, int)}
    if param.field not in numeric:
        raise InputError(f"parameter {param.name}: {param.kind} has no numeric field "
                         f"{param.field!r}; numeric fields: {', '.join(sorted(numeric))}")
    if not (np.isfinite(param.lower) and np.isfinite(param.upper) and param.lower < param.upper):
        raise InputError(f"parameter {param.name}: bounds {param.lower}:{param.upper} must be "
                         "finite with LOWER < UPPER")
    return param
