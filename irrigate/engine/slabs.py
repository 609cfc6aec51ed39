"""Read the budget's climate in slabs: blocks of nearby region-group cells read at once.

A lazily opened grid (an ERA5-Land year over Kazakhstan) is stored in large compressed
chunks. Reading each region group's cells on their own decompressed most of the grid once per
group and run. Here the groups' blocks of cells (:data:`GROUP_CELLS` each) are ordered by
their place in the grid and packed into slabs of at most :data:`SLAB_CELLS` distinct cells;
each slab is read once, with its reference ET, and every block in it (both runs of the
budget: the method columns and today's practice) is simulated from memory. Memory is bounded
by the slab, not by the grid.

On a dask.distributed cluster with climate files, each slab is one task: the worker opens
the files itself (:class:`Source`, once per worker process), reads the slab's cells and runs
its blocks, and returns the regional sums; only file names, cell coordinates and sums
travel, never the climate.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from irrigate.engine.cluster import Parallel
from irrigate.errors import InputError
from irrigate.memory import release_freed_memory
from irrigate.science.conventions import DEFAULT, Conventions
from irrigate.science.driver import FORCING
from irrigate.science.et0 import minimum_relative_humidity, reference_et
from irrigate.science.humidity import HUMIDITY_NAMES

__all__ = ["Slab", "Source", "plan_slabs", "read_slab", "read_from_source", "take",
           "read_ahead", "GROUP_CELLS", "SLAB_CELLS", "SLABS_PER_WORKER", "BLOCK_VARIABLES",
           "KEPT"]

#: Cells of a region group packed into slabs as one unit (:func:`plan_slabs`); the blocks of
#: a group that share a slab run as one (:meth:`Slab.joined`).
GROUP_CELLS = 3000
#: Distinct cells read at once: about 8 bytes x 10 variables x days per cell while it is
#: read (200 MB for 6000 cells over the 14 months a national budget reads, run.period),
#: 4 variables once ET0 is computed (:data:`KEPT`).
SLAB_CELLS = 6000
#: Slabs per worker on a cluster (at most :data:`SLAB_CELLS` cells each): a few per worker
#: keep the workers busy to the end.
SLABS_PER_WORKER = 4
#: The climate variables a slab reads: what ET0 (FAO-56 Eq. 6 and the missing-data
#: procedures), the balance's forcing and the Kcb/Kc climate adjustment use. Others in the
#: input (a daily mean temperature, say) are not read.
BLOCK_VARIABLES: tuple[str, ...] = ("et0", "precip", "tmax", "tmin", "rs", "u2", "pressure",
                                    "elevation", *HUMIDITY_NAMES)
#: What a slab keeps once ET0 and RHmin are computed: the balance's forcing
#: (:data:`irrigate.science.driver.FORCING`), which the rice balance reads too. The inputs
#: of ET0 (temperatures, radiation, humidity, pressure) are dropped, so a slab holds four
#: daily fields instead of about ten.
KEPT: tuple[str, ...] = FORCING


@dataclass(frozen=True)
class Slab:
    """Cells read together (sorted, distinct) and the group blocks simulated from them."""

    cells: np.ndarray
    blocks: list[tuple[Hashable, np.ndarray]]

    def joined(self) -> list[tuple[Hashable, np.ndarray]]:
        """Join the blocks of each group in this slab (fewer, larger balance calls).

        A group's blocks in a slab follow each other in the group's cell order
        (:func:`plan_slabs`), so the joined cells stay sorted; groups in order of appearance.
        """
        out: dict[Hashable, list[np.ndarray]] = {}
        for key, cells in self.blocks:
            out.setdefault(key, []).append(cells)
        return [(key, np.concatenate(parts)) for key, parts in out.items()]


@dataclass(frozen=True)
class Source:
    """Climate files and how the budget opened them, for a worker to open them itself."""

    paths: tuple[str, ...]
    elevation: Any = None                      # as given to irrigate.budget
    var_map: tuple[tuple[str, str], ...] = ()  # canonical name -> name in the files
    cyclic: bool = False                       # prepend the single year as the year before


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
              conv: Conventions = DEFAULT, days: tuple[Any, Any] | None = None,
              scheduler: str | None = None) -> tuple[xr.Dataset, np.ndarray]:
    """Load the climate of cells ``idx`` with ET0; drop cells without any climate.

    Only :data:`BLOCK_VARIABLES` are read, and only from ``days`` (first, last; the
    budget's :func:`irrigate.engine.run.period`) when given. On a cluster the slab is cut
    into chunks of cells (space only, a few per worker) and kept on the workers
    (``persist``). ``scheduler``: dask's scheduler for a lazily opened input read in this
    process (default: dask's own choice).

    Returns
    -------
    data : Dataset
        The cells' :data:`KEPT` variables: precipitation, wind, ``et0`` (FAO-56 Eq. 6 or the
        conventions' method, float64) and ``rh_min``
        (:func:`irrigate.science.et0.minimum_relative_humidity`) when the input has
        humidity.
    idx : ndarray
        The cell numbers of ``data`` (``idx`` without the cells that have no climate).

    """
    used = [v for v in cells_ds.data_vars if v in BLOCK_VARIABLES]
    data = cells_ds[used].isel(cell=idx)
    if days is not None:  # ET0 and RHmin are daily: the days kept are what they were
        data = data.sel(time=slice(*days))
    data = data.load() if scheduler is None else data.load(scheduler=scheduler)
    if parallel is not None:  # chunks in space only, a few per worker
        data = data.chunk({"cell": parallel.chunk(data.sizes["cell"]), "time": -1}).persist()
    data["et0"] = reference_et(data, conventions=conv, dtype=np.float64)
    # RHmin of the Kcb/Kc climate adjustment, once per slab instead of once per balance
    # call (after ET0, which keeps its own humidity input)
    rh_min = minimum_relative_humidity(data, data.get("tmax"), data.get("tmin"))
    if rh_min is not None and "rh_min" not in data:
        data["rh_min"] = rh_min
    data = data[[v for v in KEPT if v in data]]
    data = data.persist() if parallel is not None else data.load()
    # cells with no climate at all (sea and lakes of land-only grids such as ERA5-Land inside
    # region outlines) hold no irrigated land: leave them out of the regional means; a gap of
    # some days in a cell is still an error (run_upland)
    has_climate = (data["et0"].notnull().any("time")
                   & data["precip"].notnull().any("time")).values
    if not has_climate.all():
        if days is not None:  # no weather in the days read: sea, or a gap to refuse
            _no_gap_only_in_period(cells_ds, idx[~has_climate], days)
        idx = idx[has_climate]
        data = data.isel(cell=np.flatnonzero(has_climate))
    release_freed_memory()  # the decompression buffers of the read
    return data, idx


def read_ahead(plan: Sequence[Slab],
               read: Callable[[Slab], tuple[xr.Dataset, np.ndarray]]
               ) -> Iterator[tuple[Slab, xr.Dataset, np.ndarray]]:
    """Yield each slab of ``plan`` with ``read(slab)``, reading the next one meanwhile.

    The read of slab k + 1 (netCDF decompression, ET0) runs in one background thread while
    the caller simulates slab k, so the reads use the core the Python work around the
    balance calls leaves idle. At most two slabs are in memory. An error of a read is
    raised here, in the caller's thread, when its slab is due.
    """
    if not plan:
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="irrigate-slab")
    try:
        ahead = pool.submit(read, plan[0])
        for k, slab in enumerate(plan):
            data, idx = ahead.result()
            if k + 1 < len(plan):
                ahead = pool.submit(read, plan[k + 1])
            yield slab, data, idx
            del data
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _no_gap_only_in_period(cells_ds: xr.Dataset, empty: np.ndarray,
                           days: tuple[Any, Any]) -> None:
    """Refuse cells without weather in ``days`` that have weather elsewhere in the input.

    A cell with no weather at all (sea or lake of a land-only grid) is left out; one whose
    record merely has a gap over the crops' seasons is an error, as a gap inside a season
    is (:func:`irrigate.science.driver.run_upland`), not a cell to drop. Reads the
    precipitation of those few cells over the whole input.
    """
    whole = cells_ds["precip"].isel(cell=empty).notnull().any("time").values
    if whole.any():
        cell = cells_ds.isel(cell=empty[np.flatnonzero(whole)[0]])
        where = (f" (first at lat {float(cell['lat']):.3f}, lon {float(cell['lon']):.3f})"
                 if "lat" in cell.coords and "lon" in cell.coords else "")
        first, last = (str(np.datetime64(d, "D")) for d in days)
        raise InputError(
            f"climate input: {int(whole.sum())} cell(s){where} have no weather from {first} "
            f"to {last}, the days the crops' seasons need, but have some outside them; "
            "fill the gap or give an input that covers the season")


def take(data: xr.Dataset, idx: np.ndarray, block: np.ndarray
         ) -> tuple[xr.Dataset, np.ndarray]:
    """Return the climate of the cells of ``block`` that ``data`` (cells ``idx``) holds."""
    kept = block[np.isin(block, idx)]
    if np.array_equal(kept, idx):  # the whole slab: no copy
        return data, kept
    return data.isel(cell=np.searchsorted(idx, kept)), kept


_OPENED: dict[Source, xr.Dataset] = {}


def _open(source: Source) -> xr.Dataset:
    """Open ``source`` as the budget did (lazily for large inputs); once per process."""
    from irrigate.engine import inputs  # the edge that opens climate files

    if source not in _OPENED:
        _OPENED.clear()  # one input at a time
        ds, _, _ = inputs.open_input(list(source.paths), source.elevation,
                                     dict(source.var_map) or None)
        _OPENED[source] = inputs.cyclic(ds) if source.cyclic else ds
    return _OPENED[source]


def read_from_source(source: Source, lat: np.ndarray, lon: np.ndarray, idx: np.ndarray,
                     conv: Conventions = DEFAULT, days: tuple[Any, Any] | None = None
                     ) -> tuple[xr.Dataset, np.ndarray]:
    """:func:`read_slab` of the grid cells at (``lat``, ``lon``), read by this process.

    ``idx`` are the cells' numbers in the budget; the returned ones are those with climate.
    """
    ds = _open(source)
    points = ds.sel(lat=xr.DataArray(lat, dims="cell"), lon=xr.DataArray(lon, dims="cell"))
    points = points.assign_coords(cell=np.arange(idx.size))  # lat, lon stay (ET0 needs lat)
    data, kept = read_slab(points, np.arange(idx.size), None, conv, days)
    return data, idx[kept]
