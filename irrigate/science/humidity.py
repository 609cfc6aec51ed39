"""The one humidity picker: which humidity input gives the actual vapour pressure ea.

FAO-56 ch. 3 (pp. 37-39) derives ea from several kinds of humidity data, in decreasing order
of directness. One order, :data:`HUMIDITY_ORDER`, decides for every caller which input is used
when a dataset holds several: the climate edge (:mod:`irrigate.climate`, which keeps only the
chosen input), the reference ET (daily :func:`irrigate.science.et0.reference_et` and hourly
:func:`irrigate.science.et0_hourly.reference_et_hourly`) and the minimum relative humidity of
the crop-coefficient climate adjustment (:func:`irrigate.science.et0.minimum_relative_humidity`,
FAO-56 Eqs. 62, 70). The conversions themselves are the equations of
:mod:`irrigate.science.et0` (:func:`irrigate.science.et0.actual_vapour_pressure`).

==================  =======================================  ==============
input               ea                                       FAO-56
==================  =======================================  ==============
``ea``              given (kPa)                              --
``tdew``            e°(Tdew)                                 Eq. 14
``rh_max, rh_min``  [e°(Tmin) RHmax + e°(Tmax) RHmin] / 200  Eq. 17
``rh_max``          e°(Tmin) RHmax / 100                     Eq. 18
``rh_mean``         es RHmean / 100                          Eq. 19
==================  =======================================  ==============

Specific humidity (``huss``) needs the air pressure and is turned into ``ea`` at the edge
(:mod:`irrigate.climate`) when neither ``ea`` nor ``tdew`` is given.
"""

from __future__ import annotations

from collections.abc import Collection

#: Humidity inputs in order of preference (FAO-56 ch. 3): the first complete one is used.
HUMIDITY_ORDER: tuple[tuple[str, ...], ...] = (
    ("ea",), ("tdew",), ("rh_max", "rh_min"), ("rh_max",), ("rh_mean",))
#: Every humidity variable name of :data:`HUMIDITY_ORDER`.
HUMIDITY_NAMES: tuple[str, ...] = ("ea", "tdew", "rh_max", "rh_min", "rh_mean")
#: Description of each choice, with its FAO-56 equation (recorded in outputs).
DESCRIPTION: dict[tuple[str, ...], str] = {
    ("ea",): "ea given",
    ("tdew",): "ea from tdew (Eq. 14)",
    ("rh_max", "rh_min"): "ea from rh_max, rh_min (Eq. 17)",
    ("rh_max",): "ea from rh_max (Eq. 18)",
    ("rh_mean",): "ea from rh_mean (Eq. 19)",
}
#: Inputs converted without air temperature.
WITHOUT_TEMPERATURE: tuple[str, ...] = ("ea", "tdew")


def pick_humidity(names: Collection[str],
                  allowed: Collection[str] = HUMIDITY_NAMES) -> tuple[str, ...] | None:
    """Return the humidity input to use among ``names`` (:data:`HUMIDITY_ORDER`), or None.

    ``allowed`` limits the choice to the inputs a caller can convert (the hourly equations
    take ``ea``, ``tdew`` and ``rh_mean`` only).
    """
    for choice in HUMIDITY_ORDER:
        if all(n in names and n in allowed for n in choice):
            return choice
    return None
