"""Film substitution: the mulched-drip column with Xinjiang-calibrated crop coefficients.

``film_crop="calibrated"`` reruns the ``mulched_drip`` column of every crop that has a
calibrated record ``xinjiang_<crop>`` (from ``irrigate calibrate --preset xinjiang``) with
only the calibrated values moved (those whose source reads ``calibrated: ...``): e.g. Kcb mid
and end of ``xinjiang_cotton`` and the film evaporation reduction of ``xinjiang_mulched_drip``.
The crop keeps its own stage calendar and sowing date, so the column covers the same season.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import xarray as xr

from irrigate.errors import InputError
from irrigate.library import Library
from irrigate.science.params import Crop, Method

__all__ = ["FilmCrop", "FilmSwap", "film_swap", "swapped_records", "replace_column",
           "film_variables", "FILM_METHOD", "FILM_CALIBRATED_METHOD", "FILM_CALIBRATED_PREFIX"]

#: The method column whose coefficients ``film_crop="calibrated"`` replaces.
FILM_METHOD = "mulched_drip"
#: Calibrated method and crop-name prefix written by ``irrigate calibrate --preset xinjiang``
#: (models/calibration/xinjiang_observations.toml, ``rename``).
FILM_CALIBRATED_METHOD = "xinjiang_mulched_drip"
FILM_CALIBRATED_PREFIX = "xinjiang_"
#: Source strings of fitted values start with this (irrigate.calibration.write_model).
CALIBRATED_SOURCE = "calibrated:"


class FilmCrop(StrEnum):
    """Crop coefficients of the ``mulched_drip`` column."""

    FAO = "fao"
    CALIBRATED = "calibrated"


@dataclass(frozen=True)
class FilmSwap:
    """What the film choice changes: calibrated fields of the method and of each crop."""

    choice: FilmCrop
    method: dict[str, float] = field(default_factory=dict)
    crops: dict[str, dict[str, float]] = field(default_factory=dict)


def _calibrated_fields(lib: Library, kind: str, name: str) -> dict[str, float]:
    """Fields of a library entry whose source says they were calibrated, with their values."""
    values = lib.values[kind][name]
    return {key: v.value for key, v in values.items()
            if str(v.source).startswith(CALIBRATED_SOURCE)}


def film_choice(value: str | FilmCrop) -> FilmCrop:
    """Return ``value`` as a :class:`FilmCrop`; InputError naming the choices otherwise."""
    try:
        return FilmCrop(value)
    except ValueError:
        raise InputError(f"--film-crop {value}: unknown; use one of "
                         f"{', '.join(c.value for c in FilmCrop)}") from None


def film_swap(lib: Library, film_crop: str | FilmCrop, upland: Sequence[str]) -> FilmSwap:
    """Return what ``film_crop`` changes in the mulched-drip column (nothing for ``fao``).

    With ``calibrated``: the calibrated fields of ``xinjiang_mulched_drip`` and of every
    upland ``xinjiang_<crop>`` record whose ``<crop>`` is in the library.
    """
    choice = film_choice(film_crop)
    if choice is FilmCrop.FAO or FILM_METHOD not in upland:
        return FilmSwap(choice)
    if FILM_CALIBRATED_METHOD not in lib.methods:
        raise InputError(f"--film-crop calibrated: the library has no method "
                         f"'{FILM_CALIBRATED_METHOD}'; run irrigate calibrate --preset xinjiang "
                         "-o <library>/xinjiang_calibrated.toml or use --film-crop fao")
    crops = {}
    for name, record in lib.crops.items():
        base = name[len(FILM_CALIBRATED_PREFIX):]
        if (name.startswith(FILM_CALIBRATED_PREFIX) and base in lib.crops
                and not record.paddy and not lib.crops[base].paddy):
            fields = _calibrated_fields(lib, "crops", name)
            if fields:
                crops[base] = fields
    return FilmSwap(choice, _calibrated_fields(lib, "methods", FILM_CALIBRATED_METHOD), crops)


def swapped_records(swap: FilmSwap, crops: Sequence[Crop], method: Method
                    ) -> tuple[list[Crop], Method]:
    """Return the crops that have calibrated values and the method, with those values."""
    records = [dataclasses.replace(c, **swap.crops[c.name]) for c in crops
               if c.name in swap.crops]
    return records, dataclasses.replace(method, **swap.method)


def replace_column(piece: xr.Dataset, sub: xr.Dataset) -> xr.Dataset:
    """Put the rerun's seasonal totals in place of the crops' ``mulched_drip`` values."""
    piece = piece.copy(deep=True)
    where = {"crop": [str(c) for c in sub["crop"].values], "method": [FILM_METHOD]}
    for name in piece.data_vars:
        if name not in sub or "method" not in piece[name].dims:
            continue
        target = piece[name].loc[where]
        piece[name].loc[where] = sub[name].sel(where).transpose(*target.dims).values
    return piece


def film_variables(swap: FilmSwap, swapped: set[str], crop_axis: Sequence[str]
                   ) -> dict[str, xr.DataArray]:
    """Return the variables that record the substitution on a budget Dataset.

    ``film_choice`` (scalar), ``film_record`` (per crop: the calibrated record used under
    ``mulched_drip``, empty when none) and, where a crop was replaced, ``film_crop_value``
    (crop x ``film_crop_field``) and ``film_method_value`` (``film_method_field``) with the
    values moved, and ``film_method_record``.
    """
    out = {"film_choice": xr.DataArray(swap.choice.value),
           "film_record": xr.DataArray(
               [FILM_CALIBRATED_PREFIX + c if c in swapped else "" for c in crop_axis],
               dims="crop")}
    if not swapped:
        return out
    names = sorted({k for c in swapped for k in swap.crops[c]})
    values = np.full((len(crop_axis), len(names)), np.nan)
    for j, crop in enumerate(crop_axis):
        for k, name in enumerate(names):
            if crop in swapped and name in swap.crops[crop]:
                values[j, k] = swap.crops[crop][name]
    out["film_crop_value"] = xr.DataArray(values, dims=("crop", "film_crop_field"),
                                          coords={"film_crop_field": names})
    out["film_method_record"] = xr.DataArray(FILM_CALIBRATED_METHOD)
    if swap.method:
        fields = sorted(swap.method)
        out["film_method_value"] = xr.DataArray(
            [swap.method[f] for f in fields], dims="film_method_field",
            coords={"film_method_field": fields})
    return out
