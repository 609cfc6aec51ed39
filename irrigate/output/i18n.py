"""Translation catalogues and locale formatting of the advisory reports (ru, kk, en).

Every word a report prints comes from a catalogue ``irrigate/output/locales/<lang>.toml``:
a flat table ``key = "text with {placeholders}"`` plus the tables ``crop``, ``method`` and
``glossary``. The English catalogue is the reference: every other language must have exactly
its keys and placeholders (``tests/test_report_site.py`` checks, so a missing translation
fails the tests instead of showing an English word in a Kazakh report). Numbers are formatted
per locale: Russian and Kazakh group thousands with a narrow no-break space and use a decimal
comma (``1 607,3``), English a comma and a point (``1,607.3``).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LANGUAGES", "Catalog", "catalog", "format_number", "placeholders"]

#: report languages, the reference first
LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")
_LOCALES = Path(__file__).resolve().parent / "locales"
#: narrow no-break space: thousands separator of Russian and Kazakh (GOST 8.417 thin space)
NNBSP = "\u202f"
_SEPARATORS = {"en": (",", "."), "ru": (NNBSP, ","), "kk": (NNBSP, ",")}
_MINUS = "\u2212"


def placeholders(text: str) -> set[str]:
    """Return the ``{name}`` placeholders of a catalogue text."""
    return set(re.findall(r"{(\w+)}", text))


def format_number(value: Any, decimals: int = 0, lang: str = "en") -> str:
    """Format ``value`` with ``decimals`` decimals in the number style of ``lang``.

    ``None`` and NaN give ``"–"``; a value that rounds to zero is ``0`` (never ``-0``);
    negative values take a true minus sign (U+2212).
    """
    if value is None:
        return "–"
    v = float(value)
    if not math.isfinite(v):
        return "–"
    if abs(v) < 0.5 * 10.0 ** -decimals:
        v = 0.0
    group, point = _SEPARATORS.get(lang, _SEPARATORS["en"])
    text = f"{abs(v):,.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", point).replace("\x00", group)
    return (_MINUS if v < 0 else "") + text


@dataclass(frozen=True)
class Catalog:
    """The messages of one language.

    Parameters
    ----------
    lang : str
        Language code (:data:`LANGUAGES`).
    messages : dict
        Key -> text with ``{placeholders}``.
    crops, methods : dict
        Library crop / method key -> display name.
    glossary : dict
        Term -> definition, in display order.

    """

    lang: str
    messages: dict[str, str]
    crops: dict[str, str] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)
    months: tuple[str, ...] = ()

    def t(self, key: str, **values: Any) -> str:
        """Return the text of ``key`` with its placeholders filled.

        Raises
        ------
        KeyError
            If the catalogue has no ``key`` (a missing translation is a bug, not a fallback).

        """
        return self.messages[key].format(**values) if values else self.messages[key]

    def num(self, value: Any, decimals: int = 0) -> str:
        """Format a number in this language (:func:`format_number`)."""
        return format_number(value, decimals, self.lang)

    def crop(self, name: str) -> str:
        """Display name of a crop (the key with spaces for one the catalogue lacks)."""
        return self.crops.get(name, name.replace("_", " "))

    def method(self, name: str) -> str:
        """Display name of an irrigation method (as :meth:`crop`)."""
        return self.methods.get(name, name.replace("_", " "))

    def month(self, number: int) -> str:
        """Name of month ``number`` (1-12)."""
        return self.months[number - 1]

    def date(self, value: Any) -> str:
        """Short date: ``12 May`` / ``12 мая`` / ``12 мамыр``."""
        import pandas as pd

        ts = pd.Timestamp(value)
        return self.t("date_short", day=ts.day, month=self.t(f"month_gen_{ts.month}"))


@cache
def catalog(lang: str) -> Catalog:
    """Load the catalogue of ``lang`` (cached).

    Raises
    ------
    irrigate.errors.InputError
        If ``lang`` is not one of :data:`LANGUAGES`.

    """
    from irrigate.errors import InputError

    if lang not in LANGUAGES:
        raise InputError(f"--lang {lang}: no report catalogue in that language; use one of "
                         f"{', '.join(LANGUAGES)}")
    data = tomllib.loads((_LOCALES / f"{lang}.toml").read_text(encoding="utf-8"))
    tables = {k: data.pop(k, {}) for k in ("crop", "method", "glossary")}
    months = tuple(data.pop("months", []))
    return Catalog(lang=lang, messages={k: str(v) for k, v in data.items()},
                   crops=tables["crop"], methods=tables["method"],
                   glossary=tables["glossary"], months=months)
