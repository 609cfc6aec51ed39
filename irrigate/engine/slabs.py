"""Read the budget's climate in slabs: blocks of nearby region-group cells read at once.

A lazily opened grid (an ERA5-Land year over Kazakhstan) is stored in large compressed
chunks. Reading each region group's cells on their own decompressed most of the grid once per
group and run. Here the groups' blocks of cells (:data:`GROUP_CELLS` each) are ordered by
their place in the grid and packed into slabs of at most :data:`SLAB_CELLS` distinct cells;
each slab is read once, with its reference ET, and every block in it (both runs of the
budget: the method columns and today's practice) is simulated from memory. Memory is bounded
by the slab, not by the grid.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import xarray as xr

from irrigate.engine.cluster import Parallel
from irrigate.science.conventions import DEFAULT, Conventions
from irrigate.science.et0 import reference_et
from irrigate.science.humidity import HUMIDITY_NAMES

__all__ = ["Slab", "plan_slabs", "read_slab", "take", "GROUP_CELLS", "SLAB_CELLS",
           "BLOCK_VARIABLES"]

#: Cells of a region group simulated at once (about 60 MB per 1000 cells over two years of
#: daily climate).
GROUP_CELLS = 3000
#: Distinct cells read at once: about 8 bytes x 10 variables x days per cell, 470 MB for
#: 8000 cells over two years.
SLAB_CELLS = 8000
#: The climate variables a slab reads: what ET0 (FAO-56 Eq. 6 and the missing-data
#: procedures), the balance's forcing and the Kcb/Kc climate adjustment use. Others in the
#: input (a daily mean temperature, say) are not read.
BLOCK_VARIABLES: tuple[str, ...] = ("et0", "precip", "tmax", "tmin", "rs", "u2", "pressure",
                                    "elevation", *HUMIDITY_NAMES)


@dataclass(frozen=True)
class Slab:
    """Cells read together (sorted, distinct) and the group blocks simulated from them."""

    cells: np.ndarray
    blocks: list[tuple[Hashable, np.ndarray]]


def plan_slabs(groups: Mapping[Hashable, np.ndarray], block: int | None = None,
               limit: int | None = None) -> list[Slab]:
    """Cut each group's cells into blocks and pack nearby blocks into slabs.

    Parameters
    ----------
    groups : mapping
        Group key -> its cell numbers (sorted). Cell numbers follow the grid's rows
        (:func:`irrigate.engine.run.cells` keeps the grid's row-major order), so close numbers
        are close in the file.
    block : int, optional
        Cells of a group simulated at once (default :data:`GROUP_CELLS`).
    limit : int, optional
        Most distinct cells of a slab (default :data:`SLAB_CELLS`; a block larger than that
        is a slab of its own).

    Returns
    -------
    list of Slab
        Every block exactly once, blocks ordered by their median cell number.

    """
    block = GROUP_CELLS if block is None else block
    limit = SLAB_CELLS if limit is None else limit
    items = [(key, cells[lo:lo + block]) for key, cells in groups.items()
             for lo in range(0, cells.size, block)]
    items.sort(key=lambda item: float(np.median(item[1])))
    slabs: list[Slab] = []
    union = np.empty(0, dtype=np.int64)
    current: list[tuple[Hashable, np.ndarray]] = []
    for key, cells in items:
        joined = np.union1d(union, cells)
        if current and joined.size > limit:
            slabs.append(Slab(union, current))
            joined, current = np.unique(cells), []
        union = joined
        current.append((key, cells))
    if current:
        slabs.append(Slab(union, current))
    return slabs


def read_slab(cells_ds: xr.Dataset, idx: np.ndarray, parallel: Parallel | None,
              conv: Conventions = DEFAULT) -> tuple[xr.Dataset, np.ndarray]:
    """Load the climate of cells ``idx`` with ET0; drop cells without any climate.

    Only :data:`BLOCK_VARIABLES` are read. On a cluster the slab is cut into chunks of cells
    (space only, a few per worker) and kept on the workers (``persist``).

    Returns
    -------
    data : Dataset
        The cells' climate with ``et0`` (FAO-56 Eq. 6 or the conventions' method), float64.
    idx : ndarray
        The cell numbers of ``data`` (``idx`` without the cells that have no climate).

    """
    used = [v for v in cells_ds.data_vars if v in BLOCK_VARIABLES]
    data = cells_ds[used].isel(cell=idx).load()
    if parallel is not None:  # chunks in space only, a few per worker
        data = data.chunk({"cell": parallel.chunk(data.sizes["cell"]), "time": -1}).persist()
        data["et0"] = reference_et(data, conventions=conv, dtype=np.float64).persist()
    else:
        data["et0"] = reference_et(data, conventions=conv, dtype=np.float64).load()
    # cells with no climate at all (sea and lakes of land-only grids such as ERA5-Land inside
    # region outlines) hold no irrigated land: leave them out of the regional means; a gap of
    # some days in a cell is still an error (run_upland)
    has_climate = (data["et0"].notnull().any("time")
                   & data["precip"].notnull().any("time")).values
    if not has_climate.all():
        idx = idx[has_climate]
        data = data.isel(cell=np.flatnonzero(has_climate))
    return data, idx


def take(data: xr.Dataset, idx: np.ndarray, block: np.ndarray
         ) -> tuple[xr.Dataset, np.ndarray]:
    """Return the climate of the cells of ``block`` that ``data`` (cells ``idx``) holds."""
    kept = block[np.isin(block, idx)]
    return data.isel(cell=np.searchsorted(idx, kept)), kept
