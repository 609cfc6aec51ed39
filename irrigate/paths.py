"""Locate data shipped with the package (``models/`` and ``sample_data/``).

In a wheel both folders are installed inside the package (``irrigate/models``,
``irrigate/sample_data``); in a source checkout or an editable install they sit next to
the package at the repository root. Both layouts are searched, the installed one first.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"the irrigate installation has no '{name}' folder; reinstall the package"
    )


def models_dir() -> Path:
    """Return the folder of the bundled parameter library."""
    return _shipped("models")


def sample_data_dir() -> Path:
    """Return the folder of the bundled sample data."""
    return _shipped("sample_data")
