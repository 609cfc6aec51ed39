"""Region boundaries -> cell weights on any lat/lon grid, and area-weighted aggregation.

The shipped boundaries are the first-level units of Kazakhstan from geokz (A. Rodionov,
CC BY 4.0, based on the OCHA/UNHCR COD-AB Kazakhstan on HDX and the Bureau of National
Statistics of Kazakhstan), simplified with shared borders kept:

* ``layout="2024"``: 20 units (17 oblasts incl. Abai, Zhetysu, Ulytau + Astana, Almaty and
  Shymkent cities), the layout since June 2022;
* ``layout="2024-full"``: the same 20 units at the full (unsimplified) resolution;
* ``layout="2018"``: 17 units (14 oblasts + 3 cities), for matching pre-2022 statistics.

Any GeoJSON of polygons can be used instead (``load_regions(path, code_field=...)``).

Regions are matched by code, never by spelling: the numeric ISO 3166-2 code (``KZ-61``), the
letter code shipped by geokz (``KZ-YUZ``), the ADM1 p-code (``KZ61``) or the KATO code or its
2-digit prefix (``610000000``, ``61``).

Names of the shipped layouts are the parameter library's English names
(``models/regions.toml``, the names of the budget tables and reports), so one region has one
spelling everywhere: Abai, Karaganda, Zhambyl, Astana (city). Where the geokz ``ADM1_EN``
differs (Abay, Karagandy, Jambyl, Nur-Sultan (city)) it is kept in ``name_aliases``, for
display only.

Weights
-------
:func:`region_weights` returns the area (km2) of each grid cell that lies inside each region.
Each cell is the lat/lon box between the midpoints of neighbouring centres. Cells wholly inside
a region get the exact area of the ellipsoidal (WGS84) lat/lon box; cells cut by a border get
the geodesic area (pyproj.Geod, WGS84) of the intersection polygon, densified to 0.02 deg so
its box edges follow the parallels. A region's weights therefore add up to its geodesic area
(tested within 0.1 % for all 20 regions on a 0.25 deg grid), and a region smaller than one
cell (a city on a 1 deg grid) gets exactly its own area.
"""

from irrigate.regions.boundaries import LAYOUTS, Region, Regions, load_regions
from irrigate.regions.weights import (
    CENTRE_TOLERANCE,
    aggregate,
    cell_areas,
    region_weights,
    station_weights,
    weighted_sums,
)
from irrigate.variables import FRACTION_SOURCE

__all__ = [
    "CENTRE_TOLERANCE",
    "FRACTION_SOURCE",
    "LAYOUTS",
    "Region",
    "Regions",
    "aggregate",
    "cell_areas",
    "load_regions",
    "region_weights",
    "station_weights",
    "weighted_sums",
]
