"""The parameter library: every file of ``models/`` -> frozen records the science takes.

Every number in the library is written as an inline table ``{ value, unit, source }``; the
loader checks the unit against :data:`UNITS` (the one unit table), the value against physical
ranges, and that the source is not empty, then builds the frozen records of
:mod:`irrigate.science.params` (``Crop``, ``Soil``, ``Method``),
:class:`irrigate.science.schedule.Schedule` for practices, the paddy records of
:mod:`irrigate.science.paddy` (``rice.toml``), the salinity records of
:mod:`irrigate.science.salinity` (``salinity.toml``), and the library's own records for
conveyance systems and regions.

A user directory (``--models DIR``) is read **file by file**: a file present in the user
directory replaces the bundled file of the same name as a whole; a file absent there is taken
from the bundled library (:func:`library_file`, the one fallback rule). Cross-references
(region -> soil, crop, method, sowing zone, conveyance) are checked on the combined set. See
``docs/library.md``.

Modules: :mod:`~irrigate.library.schema` (value schema, unit table, fallback rule),
:mod:`~irrigate.library.records` (crop, soil, method, sowing, region builders),
:mod:`~irrigate.library.practices` (practices and the schedule CSV),
:mod:`~irrigate.library.rice`, :mod:`~irrigate.library.salinity`,
:mod:`~irrigate.library.load` (:func:`load_library`, :class:`Library`).
"""

from __future__ import annotations

from irrigate.library.load import Library, load_library
from irrigate.library.practices import read_schedule_csv
from irrigate.library.records import Conveyance, RegionRecord
from irrigate.library.rice import (
    RICE_FILE,
    RiceMethodListing,
    RiceRecords,
    read_rice,
    rice_method_listing,
)
from irrigate.library.salinity import SALINITY_FILE, SalinityRecords, read_salinity
from irrigate.library.schema import (
    EXTENSION_GLOB,
    EXTENSION_KINDS,
    FILES,
    SHARE_UNIT,
    SOWING_UNIT,
    UNITS,
    LibraryValue,
    library_file,
)

__all__ = [
    "EXTENSION_GLOB",
    "EXTENSION_KINDS",
    "FILES",
    "RICE_FILE",
    "SALINITY_FILE",
    "SHARE_UNIT",
    "SOWING_UNIT",
    "UNITS",
    "Conveyance",
    "Library",
    "LibraryValue",
    "RegionRecord",
    "RiceMethodListing",
    "RiceRecords",
    "SalinityRecords",
    "library_file",
    "load_library",
    "read_rice",
    "read_salinity",
    "read_schedule_csv",
    "rice_method_listing",
]
