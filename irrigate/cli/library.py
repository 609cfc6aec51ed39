"""``irrigate crops|methods|soils|practices``: list the parameter library with units and sources.

Without a name, each command prints one line per entry (table) or every value with its unit
and source (``--format csv|json``); with a name, one entry in full with every source.
``irrigate methods`` also lists the paddy rice water-management methods of ``rice.toml``
(records from :func:`irrigate.library.read_rice`, via
:func:`irrigate.library.rice_method_listing`). No science here: values are shown as the
library holds them.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from irrigate.errors import InputError
from irrigate.paths import models_dir

if TYPE_CHECKING:  # the library imports xarray: loaded when a command runs, not at start-up
    from irrigate.library import Library, LibraryValue, RiceMethodListing

WIDTH = 100


def _num(x: Any) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"  # as written in TOML
    if isinstance(x, float):
        return f"{x:.6g}" if abs(x) < 1e6 else f"{x:.0f}"
    return str(x)


def _slash(v: dict[str, LibraryValue], keys: tuple[str, ...]) -> str:
    return "/".join(_num(v[k].value) if k in v else "-" for k in keys)


def _one(key: str) -> Callable[[dict[str, LibraryValue]], str]:
    def get(v: dict[str, LibraryValue]) -> str:
        return _num(v[key].value) if key in v else "-"
    return get


def _many(keys: tuple[str, ...]) -> Callable[[dict[str, LibraryValue]], str]:
    def get(v: dict[str, LibraryValue]) -> str:
        return _slash(v, keys)
    return get


def _zr(v: dict[str, LibraryValue]) -> str:
    return f"{_num(v['zr_min'].value)}-{_num(v['zr_max'].value)}"


def _settings(v: dict[str, LibraryValue]) -> str:
    parts = []
    for key, f in v.items():
        val = f.value
        text = "/".join(_num(x) for x in val) if isinstance(val, list) else _num(val)
        parts.append(f"{key}={text}" + (f" {f.unit}" if f.unit != "1" else ""))
    return "; ".join(parts)


# (header line 1, header line 2 (unit), width, getter)
Column = tuple[str, str, int, Callable[[dict[str, "LibraryValue"]], str]]
COLUMNS: dict[str, list[Column]] = {
    "crops": [
        ("stages d", "ini/dev/mid/lt", 14, _many(("l_ini", "l_dev", "l_mid", "l_late"))),
        ("kcb", "ini/mid/end", 15, _many(("kcb_ini", "kcb_mid", "kcb_end"))),
        ("kc", "ini/mid/end", 15, _many(("kc_ini", "kc_mid", "kc_end"))),
        ("h_max", "m", 5, _one("h_max")),
        ("zr", "min-max m", 9, _zr),
        ("p", "1", 4, _one("p")),
        ("ece", "dS/m,%", 8, _many(("ece_threshold", "ece_slope"))),
    ],
    "soils": [
        ("theta_fc", "m3 m-3", 8, _one("theta_fc")),
        ("theta_wp", "m3 m-3", 8, _one("theta_wp")),
        ("rew", "mm", 5, _one("rew")),
        ("tew", "mm", 5, _one("tew")),
        ("ze", "m", 5, _one("ze")),
        ("cn2", "1", 4, _one("cn2")),
    ],
    "methods": [
        ("fw", "1", 4, _one("fw")),
        ("efficiency", "1", 10, _one("efficiency")),
        ("loss split", "evap/ro/dp", 14, _many(("loss_evap", "loss_ro", "loss_dp"))),
        ("film", "cover/red.", 10, _many(("film_cover", "film_evap_reduction"))),
        ("depth", "min/max mm", 10, _many(("depth_min", "depth_max"))),
        ("interval", "min d", 8, _one("interval_min")),
    ],
}
KINDS = {"crops": "crop", "soils": "soil", "methods": "method", "practices": "practice"}
#: Kind of the rice water-management methods (``models/rice.toml``) in csv/json output.
RICE_KIND = "rice_methods"


def _awd(keys: tuple[str, ...]) -> Callable[[dict[str, LibraryValue]], str]:
    def get(v: dict[str, LibraryValue]) -> str:
        return _slash(v, keys) if v["awd"].value else "-"
    return get


RICE_COLUMNS: list[Column] = [
    ("pond", "min/max mm", 10, _many(("pond_min", "pond_max"))),
    ("bund", "mm", 4, _one("bund_height")),
    ("soak", "d", 4, _one("soak_days")),
    ("kc_ini", "1", 6, _one("kc_ini")),
    ("AWD trigger", "thr./refl. mm", 13, _awd(("awd_threshold", "awd_reflood"))),
    ("AWD", "start d", 7, _awd(("awd_start",))),
    ("drain-off", "d", 9, _one("drain_off_days")),
    ("efficiency", "1", 10, _one("efficiency")),
]


def _shown_path(path: Path) -> str:
    """Name a bundled library file by its place in ``models/`` (install paths are long)."""
    try:
        return f"the bundled library, models/{Path(path).relative_to(models_dir())}"
    except ValueError:
        return str(path)


def _record_flags(lib: Library, kind: str, name: str) -> str:
    if kind == "crops":
        crop = lib.crops[name]
        flags = ["paddy"] if crop.paddy else []
        if crop.cuttings:
            flags.append(f"{len(crop.cuttings) + 1} cuts")
        return ", ".join(flags)
    if kind == "methods":
        m = lib.methods[name]
        return "surface" if m.surface else ""
    return ""


#: Widest crops column of the practice list.
CROPS_WIDTH = 28


def _crop_list(crops: tuple[str, ...], width: int = CROPS_WIDTH) -> str:
    """Crops of a practice for the list view, cut to ``width`` with a count."""
    text = ",".join(crops)
    if len(text) <= width:
        return text
    tail = f",+{len(crops)}"
    shown = []
    for c in crops:
        if len(",".join(shown + [c])) + len(tail) + 5 > width:
            break
        shown.append(c)
    return ",".join(shown) + f",+{len(crops) - len(shown)} more"


def _today_lines(lib: Library) -> list[str]:
    """Today's calendars by zone and crop (``practices_today.toml``), as the practice list."""
    from irrigate.library.baseline import TODAY_FILE

    base = lib.baseline
    names = list(base.today)
    if not names:
        return []
    wname = max(len(n) for n in names)
    wzone = max(len(z.value) for z in base.today_zone.values())
    wmethod = max(len(m) for m in base.today_method.values())
    # the settings keep at least 30 columns of the WIDTH
    wcrops = max(10, WIDTH - 30 - (wname + 2) - (wzone + 1) - (wmethod + 1) - 1)
    lines = ["-" * 40,
             "today's calendars by zone and crop (the budget's current practice)",
             f"{'calendar':<{wname}}  {'zone':<{wzone}} {'method':<{wmethod}} "
             f"{'crops':<{wcrops}} settings"]
    for name in names:
        text = _settings(dict(base.values[TODAY_FILE][name]))
        head = (f"{name:<{wname}}  {base.today_zone[name].value:<{wzone}} "
                f"{base.today_method[name]:<{wmethod}} "
                f"{_crop_list(base.today_crops[name], wcrops):<{wcrops}} ")
        glued = text.replace("; ", ";\n").replace(" ", "\x00").replace(";\n", "; ")
        wrapped = [w.replace("\x00", " ") for w in textwrap.wrap(
            glued, max(30, WIDTH - len(head)), break_on_hyphens=False)] or [""]
        lines.append(head + wrapped[0])
        lines.extend(" " * len(head) + w for w in wrapped[1:])
    lines.append(f"{len(names)} calendars from {_shown_path(base.files[TODAY_FILE])}")
    return lines


def _table(lib: Library, kind: str) -> str:
    names = list(getattr(lib, kind))
    wname = max([len(n) for n in names] + [len(KINDS[kind])])
    lines = []
    if kind == "practices":
        # crops the practice was written for ("all": no `crops` key, fits every crop)
        # (a long list is cut to CROPS_WIDTH with its count; the entry view shows all)
        written = {n: _crop_list(lib.practice_crops.get(n, ("all",))) for n in names}
        wcrops = max([len(w) for w in written.values()] + [len("crops")])
        lines.append(f"{'practice':<{wname}}  {'rule':<15} {'method':<13} "
                     f"{'crops':<{wcrops}} settings")
        for name in names:
            sched = lib.practices[name]
            method = lib.practice_methods.get(name, "-")
            text = _settings(dict(lib.values["practices"][name]))
            head = f"{name:<{wname}}  {sched.rule:<15} {method:<13} {written[name]:<{wcrops}} "
            # wrap between settings, never inside 'name=value unit'
            glued = text.replace("; ", ";\n").replace(" ", "\x00").replace(";\n", "; ")
            wrapped = [w.replace("\x00", " ") for w in textwrap.wrap(
                glued, max(20, WIDTH - len(head)), break_on_hyphens=False)] or [""]
            lines.append(head + wrapped[0])
            lines.extend(" " * len(head) + w for w in wrapped[1:])
    else:
        lines += _columns(KINDS[kind], COLUMNS[kind], names,
                          lambda n: dict(lib.values[kind][n]),
                          lambda n: _record_flags(lib, kind, n))
    lines.append(f"{len(names)} {kind} from {_shown_path(lib.files[kind])}")
    if kind == "methods":
        from irrigate.library import rice_method_listing

        rice = rice_method_listing(lib.path)
        lines += ["", "paddy rice methods (water management of rice in 'irrigate budget'; "
                      "ponded balance)"]
        lines += _columns("rice method", RICE_COLUMNS, list(rice.records),
                          lambda n: dict(rice.values[n]),
                          lambda n: "ponded" if rice.records[n].flooded else "no pond")
        lines.append(f"{len(rice.records)} rice methods from {_shown_path(rice.file)}")
    if kind == "practices":
        lines += _today_lines(lib)
    lines.append(f"units and sources: 'irrigate {kind} NAME' (one entry), --format csv|json (all)")
    return "\n".join(lines)


def _columns(title: str, cols: list[Column], names: list[str],
             values: Callable[[str], dict[str, LibraryValue]], flags: Callable[[str], str]
             ) -> list[str]:
    """Two header lines (name, unit) and one row per entry; ``flags`` fill the notes."""
    wname = max([len(n) for n in names] + [len(title)])
    h1 = f"{title:<{wname}}" + "".join(f" {c[0]:>{c[2]}}" for c in cols) + "  notes"
    h2 = f"{'':<{wname}}" + "".join(f" {c[1]:>{c[2]}}" for c in cols)
    lines = [h1.rstrip(), h2.rstrip()]
    for name in names:
        v = values(name)
        row = f"{name:<{wname}}" + "".join(f" {c[3](v):>{c[2]}}" for c in cols)
        lines.append((row + "  " + flags(name)).rstrip())
    return lines


def _entry(lib: Library, kind: str, name: str) -> str:
    record = getattr(lib, KINDS[kind])(name)
    text = _entry_text(f"{KINDS[kind]} {name}", lib.descriptions[kind].get(name, ""),
                       lib.files[kind], dict(lib.values[kind][name]), record)
    if kind == "practices":
        crops = lib.practice_crops.get(name)
        text += ("\n  written for crops: " + ", ".join(crops) if crops else
                 "\n  written for crops: all (no 'crops' key)")
    return text


def _rice_entry(rice: RiceMethodListing, name: str) -> str:
    text = _entry_text(f"rice method {name}", rice.descriptions[name], rice.file,
                       dict(rice.values[name]), rice.records[name])
    return text + ("\n  simulated by the ponded rice balance; compared for rice "
                   "in 'irrigate budget'")


def _entry_text(title: str, desc: str, file: Path, v: dict[str, LibraryValue], record: Any) -> str:
    lines = [title]
    lines += textwrap.wrap(desc, WIDTH, initial_indent="  ", subsequent_indent="  ")
    lines.append(f"  file: {file}")
    wkey = max(len(k) for k in v) if v else 5
    wunit = max([14] + [len(f.unit) for f in v.values()])
    for key, f in v.items():
        val = f.value
        text = _list_text(val) if isinstance(val, list) else _num(val)
        head = f"  {key:<{wkey}}  {text:>14} {f.unit:<{wunit}} "
        wrapped = textwrap.wrap(f.source, max(30, WIDTH - len(head))) or [""]
        lines.append(head + wrapped[0])
        lines.extend(" " * len(head) + w for w in wrapped[1:])
    shown = set(v)
    extra = [f"{k}={getattr(record, k)!r}" for k in getattr(record, "__dataclass_fields__", {})
             if k not in shown and k != "name"]
    if extra:
        lines += textwrap.wrap("defaults and flags: " + ", ".join(extra), WIDTH,
                               initial_indent="  ", subsequent_indent="    ")
    return "\n".join(lines)


def _list_text(val: list[Any]) -> str:
    if val and isinstance(val[0], list):
        return ", ".join("/".join(_num(x) for x in v) for v in val)
    return "/".join(_num(x) for x in val)


# (kind, name, description, values) of every entry shown
Entry = tuple[str, str, str, dict[str, "LibraryValue"]]


def _entries(lib: Library, kind: str, name: str | None) -> tuple[list[Entry], Any]:
    """Return the entries to show; for ``methods`` also the rice methods of ``rice.toml``.

    Returns the entries and the rice listing (None for other kinds). An unknown ``name`` is
    an :class:`InputError` naming every known entry.
    """
    from irrigate.library import rice_method_listing

    rice = rice_method_listing(lib.path) if kind == "methods" else None
    table = getattr(lib, kind)
    if name is not None and name not in table:
        if rice is not None and name in rice.records:
            return [(RICE_KIND, name, rice.descriptions[name], dict(rice.values[name]))], rice
        if rice is None:
            getattr(lib, KINDS[kind])(name)  # friendly error on an unknown name
        raise InputError(f"method {name!r}: not in the parameter library ({lib.files[kind]}) "
                         f"nor a rice method ({rice.file}); known: "
                         f"{', '.join(sorted(table))}; rice methods: "
                         f"{', '.join(sorted(rice.records))}")
    names = [name] if name is not None else list(table)
    out = [(kind, n, lib.descriptions[kind].get(n, ""), dict(lib.values[kind][n]))
           for n in names]
    if rice is not None and name is None:
        out += [(RICE_KIND, n, rice.descriptions[n], dict(rice.values[n]))
                for n in rice.records]
    return out, rice


def _show(kind: str, name: str | None, fmt: str, models: str | None) -> None:
    from irrigate.library import load_library

    lib = load_library(models)
    entries, rice = _entries(lib, kind, name)
    if fmt == "table":
        if name is None:
            click.echo(_table(lib, kind))
        elif entries[0][0] == RICE_KIND:
            click.echo(_rice_entry(rice, name))
        else:
            click.echo(_entry(lib, kind, name))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, ["kind", "name", "field", "value", "unit", "source"],
                                lineterminator="\n")
        writer.writeheader()
        for k, n, _, values in entries:
            for key, f in values.items():
                val = json.dumps(f.value) if isinstance(f.value, list | bool) else f.value
                writer.writerow({"kind": k, "name": n, "field": key, "value": val,
                                 "unit": f.unit, "source": f.source})
        click.echo(buf.getvalue(), nl=False)
    else:
        out = {n: {"kind": k, "description": desc,
                   "values": {key: {"value": f.value, "unit": f.unit, "source": f.source}
                              for key, f in values.items()}} for k, n, desc, values in entries}
        click.echo(json.dumps(out, indent=1, ensure_ascii=False))


def _command(kind: str, help_text: str) -> click.Command:
    @click.command(kind, help=help_text)
    @click.argument("name", required=False)
    @click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
                  default="table", show_default=True, help="Output format.")
    @click.option("--models", type=click.Path(file_okay=False), default=None,
                  help="Parameter library folder (default: the bundled models/); files it "
                       "lacks come from the bundled library.")
    def command(name: str | None, fmt: str, models: str | None) -> None:
        _show(kind, name, fmt, models)

    return command


crops = _command("crops", "List crops (FAO-56 stage lengths, Kcb, Kc, root depth, p, salt "
                          "tolerance) or show crop NAME with every source.")
methods = _command("methods", "List irrigation methods (wetted fraction, efficiency, loss "
                              "split, film) and the paddy rice water-management methods "
                              "(rice.toml: ponding depths, AWD, drip under film), or show "
                              "method NAME with every source.")
soils = _command("soils", "List soils (FAO-56 Table 19 and regional soils, curve number) or "
                          "show soil NAME with every source.")
practices = _command("practices", "List irrigation practices (schedule presets) or show "
                                  "practice NAME with every source.")

COMMANDS = [crops, methods, soils, practices]
