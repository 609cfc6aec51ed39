"""``irrigate crops|methods|soils|practices``: list the parameter library with units and sources.

Without a name, each command prints one line per entry (table) or every value with its unit
and source (``--format csv|json``); with a name, one entry in full with every source.
No science here: values are shown as the library holds them.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from irrigate.library import Field, Library, load_library
from irrigate.paths import models_dir

WIDTH = 100


def _num(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.6g}" if abs(x) < 1e6 else f"{x:.0f}"
    return str(x)


def _slash(v: dict[str, Field], keys: tuple[str, ...]) -> str:
    return "/".join(_num(v[k].value) if k in v else "-" for k in keys)


def _one(key: str) -> Callable[[dict[str, Field]], str]:
    def get(v: dict[str, Field]) -> str:
        return _num(v[key].value) if key in v else "-"
    return get


def _many(keys: tuple[str, ...]) -> Callable[[dict[str, Field]], str]:
    def get(v: dict[str, Field]) -> str:
        return _slash(v, keys)
    return get


def _zr(v: dict[str, Field]) -> str:
    return f"{_num(v['zr_min'].value)}-{_num(v['zr_max'].value)}"


def _settings(v: dict[str, Field]) -> str:
    parts = []
    for key, f in v.items():
        val = f.value
        text = "/".join(_num(x) for x in val) if isinstance(val, list) else _num(val)
        parts.append(f"{key}={text}" + (f" {f.unit}" if f.unit != "1" else ""))
    return "; ".join(parts)


# (header line 1, header line 2 (unit), width, getter)
Column = tuple[str, str, int, Callable[[dict[str, Field]], str]]
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


def _table(lib: Library, kind: str) -> str:
    names = list(getattr(lib, kind))
    wname = max([len(n) for n in names] + [len(KINDS[kind])])
    lines = []
    if kind == "practices":
        lines.append(f"{'practice':<{wname}}  {'rule':<15} {'method':<13} settings")
        for name in names:
            sched = lib.practices[name]
            method = lib.practice_methods.get(name, "-")
            text = _settings(dict(lib.values["practices"][name]))
            head = f"{name:<{wname}}  {sched.rule:<15} {method:<13} "
            # wrap between settings, never inside 'name=value unit'
            glued = text.replace("; ", ";\n").replace(" ", "\x00").replace(";\n", "; ")
            wrapped = [w.replace("\x00", " ") for w in textwrap.wrap(
                glued, WIDTH - len(head), break_on_hyphens=False)] or [""]
            lines.append(head + wrapped[0])
            lines.extend(" " * len(head) + w for w in wrapped[1:])
    else:
        cols = COLUMNS[kind]
        h1 = f"{KINDS[kind]:<{wname}}" + "".join(f" {c[0]:>{c[2]}}" for c in cols) + "  notes"
        h2 = f"{'':<{wname}}" + "".join(f" {c[1]:>{c[2]}}" for c in cols)
        lines += [h1.rstrip(), h2.rstrip()]
        for name in names:
            v = dict(lib.values[kind][name])
            row = f"{name:<{wname}}" + "".join(f" {c[3](v):>{c[2]}}" for c in cols)
            lines.append((row + "  " + _record_flags(lib, kind, name)).rstrip())
    lines.append(f"{len(names)} {kind} from {_shown_path(lib.files[kind])}")
    lines.append(f"units and sources: 'irrigate {kind} NAME' (one entry), --format csv|json (all)")
    return "\n".join(lines)


def _entry(lib: Library, kind: str, name: str) -> str:
    record = getattr(lib, KINDS[kind])(name)
    v = dict(lib.values[kind][name])
    lines = [f"{KINDS[kind]} {name}"]
    desc = lib.descriptions[kind].get(name, "")
    lines += textwrap.wrap(desc, WIDTH, initial_indent="  ", subsequent_indent="  ")
    lines.append(f"  file: {lib.files[kind]}")
    wkey = max(len(k) for k in v) if v else 5
    for key, f in v.items():
        val = f.value
        text = _list_text(val) if isinstance(val, list) else _num(val)
        head = f"  {key:<{wkey}}  {text:>14} {f.unit:<14} "
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


def _rows(lib: Library, kind: str, names: list[str]) -> list[dict[str, Any]]:
    rows = []
    for name in names:
        for key, f in lib.values[kind][name].items():
            rows.append({"kind": kind, "name": name, "field": key, "value": f.value,
                         "unit": f.unit, "source": f.source})
    return rows


def _show(kind: str, name: str | None, fmt: str, models: str | None) -> None:
    lib = load_library(models)
    if name is not None:
        getattr(lib, KINDS[kind])(name)  # friendly error on an unknown name
    names = [name] if name is not None else list(getattr(lib, kind))
    if fmt == "table":
        click.echo(_entry(lib, kind, name) if name is not None else _table(lib, kind))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, ["kind", "name", "field", "value", "unit", "source"],
                                lineterminator="\n")
        writer.writeheader()
        for row in _rows(lib, kind, names):
            val = row["value"]
            row["value"] = json.dumps(val) if isinstance(val, list) else val
            writer.writerow(row)
        click.echo(buf.getvalue(), nl=False)
    else:
        out = {n: {"description": lib.descriptions[kind].get(n, ""),
                   "values": {k: {"value": f.value, "unit": f.unit, "source": f.source}
                              for k, f in lib.values[kind][n].items()}} for n in names}
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
                              "split, film) or show method NAME with every source.")
soils = _command("soils", "List soils (FAO-56 Table 19 and regional soils, curve number) or "
                          "show soil NAME with every source.")
practices = _command("practices", "List irrigation practices (schedule presets) or show "
                                  "practice NAME with every source.")

COMMANDS = [crops, methods, soils, practices]
