"""Writers of a calibration: the text report, the calibrated model file, the fit record.

:func:`format_report` and :func:`format_sensitivity` are the plain-text tables;
:func:`calibrated_entries` and :func:`write_model` write the calibrated library entries
(values citing the calibration) as a TOML model file; :func:`fit_record` the
machine-readable record of a run.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from irrigate.calibration.fitting import fit_statistics
from irrigate.calibration.forward_model import library_record
from irrigate.calibration.parameters import KINDS
from irrigate.errors import InputError
from irrigate.library import UNITS, load_library
from irrigate.output.io import atomic_path

if TYPE_CHECKING:
    from irrigate.calibration.run import Calibration, WeatherSensitivity

# --- report ---------------------------------------------------------------------------------

def _fmt(v: float, digits: int = 3) -> str:
    return "nan" if not np.isfinite(v) else f"{v:.{digits}g}"


def format_report(cal: Calibration) -> str:
    """Plain-text report of a calibration (what ``irrigate calibrate`` prints)."""
    f = cal.fit
    lines = [f"calibration {cal.id} ({cal.date}), weather: {cal.weather}, "
             f"{cal.n_runs} simulations", "", "parameters:"]
    lines.append(f"  {'name':44s} {'start':>8s} {'fitted':>8s} {'se':>8s} {'bounds':>13s}  note")
    for k, p in enumerate(cal.params):
        note = []
        if not f.identifiable[k]:
            note.append("NOT IDENTIFIABLE")
        if f.at_bound[k]:
            note.append(f"at {f.at_bound[k]} bound")
        lines.append(f"  {p.name:44s} {f.x0[k]:8.4g} {f.x[k]:8.4g} {_fmt(f.se[k]):>8s} "
                     f"{p.lower:6.3g}:{p.upper:<6.3g}  {', '.join(note)}")
    lines.append(f"  condition number of the scaled Jacobian: {_fmt(f.condition)}")
    if "starts" in f.extra:
        n_local = f.extra.get("local_optima", 0)
        lines.append(f"  {len(f.extra['starts'])} starts; {n_local} ended in a local optimum with "
                     "a higher cost (> 5 %)")
    if f.problems:
        lines.append("diagnostics (ill-posed or poorly identified):")
        lines += [f"  - {msg}" for msg in f.problems]
    else:
        lines.append("diagnostics: well posed (all parameters identifiable, none on a bound)")
    lines += [f"  warning: {msg}" for msg in f.warnings]
    lines += ["", "observed vs simulated:",
              f"  {'observation':24s} {'role':5s} {'observed':>9s} {'start':>9s} "
              f"{'simulated':>9s} {'residual':>9s} {'unit':4s} {'status':6s} published range"]
    for o, s0, s in zip(cal.observations, cal.start_simulated, cal.simulated, strict=True):
        inside = o.in_range(s)
        rng = "" if inside is None else \
            f"{o.low:g}-{o.high:g} {'inside' if inside else 'OUTSIDE'}"
        lines.append(f"  {o.id:24s} {o.role:5s} {o.value:9.3f} {s0:9.3f} {s:9.3f} "
                     f"{s - o.value:9.3f} {o.unit:4s} {o.status:6s} {rng}")
    st = f.stats
    lines += ["", f"fit statistics (role fit, n = {st.n}): RMSE {_fmt(st.rmse)}, bias "
              f"{_fmt(st.bias)}, NSE {_fmt(st.nse)}, R2 {_fmt(st.r2)}, max |residual| "
              f"{_fmt(st.max_abs_residual)} (mixed units: see the table)"]
    by_unit: dict[str, list[int]] = {}
    for i, o in enumerate(cal.observations):
        by_unit.setdefault(f"{o.role} {o.quantity}", []).append(i)
    for key, idx in by_unit.items():
        s = fit_statistics(cal.simulated[idx], np.array([cal.observations[i].value
                                                          for i in idx]))
        lines.append(f"  {key:14s} n={s.n:<3d} RMSE {_fmt(s.rmse)}  bias {_fmt(s.bias)}  "
                     f"NSE {_fmt(s.nse)}  R2 {_fmt(s.r2)}")
    return "\n".join(lines)


def format_sensitivity(s: WeatherSensitivity) -> str:
    """Plain-text table of :class:`WeatherSensitivity`."""
    lines = [f"sensitivity to the weather: stochastic generator, seeds "
             f"{', '.join(map(str, s.seeds))}",
             f"  {'name':44s} {'reference':>9s} {'mean':>8s} {'sd':>8s} {'min':>8s} "
             f"{'max':>8s}"]
    for k, name in enumerate(s.names):
        col = s.values[:, k]
        ref = "" if s.reference is None else f"{s.reference[k]:.4g}"
        sd = col.std(ddof=1) if col.size > 1 else 0.0
        lines.append(f"  {name:44s} {ref:>9s} {col.mean():8.4g} {sd:8.3g} "
                     f"{col.min():8.4g} {col.max():8.4g}")
    if s.reference_label:
        lines.append(f"  (reference = the fit with weather {s.reference_label})")
    lines.append("  per-seed fitted values: " + "; ".join(
        f"seed {seed}: " + ", ".join(f"{v:.4g}" for v in row) + f" (RMSE {r:.3g})"
        for seed, row, r in zip(s.seeds, s.values, s.rmse, strict=True)))
    return "\n".join(lines)


# --- the calibrated model file --------------------------------------------------------------

def _toml_value(value: Any) -> str:
    """Serialise a string, bool, number, list or flat table as TOML (inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not np.isfinite(value):
            raise InputError(f"calibrated value {value!r} is not finite; nothing written")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


_PLAIN_FLAGS = {"crop": ("paddy",), "method": ("surface", "wet_under_canopy", "irrigated"),
                "soil": ()}


def calibrated_entries(cal: Calibration, rename: Mapping[str, str] | None = None,
                       library: Any = None) -> dict[str, dict[str, dict[str, Any]]]:
    """Return the calibrated library entries: ``{plural kind: {name: {key: value table}}}``.

    Each entry copies its base entry (values, units and sources), then the observation set's
    fixed values (with their own sources), then the fitted values, whose source cites the
    calibration, the fitted value with its standard error, the bounds and the weather.
    Nuisance parameters (``weather.*``, ``experiment.*``) are not library values and are
    only named in the description.
    """
    if library is None:
        library = load_library(cal.models)
    rename = dict(cal.obs_set.rename if rename is None else rename)
    keys: list[str] = []
    for p in cal.params:
        if p.kind in ("crop", "method", "soil") and f"{p.kind}.{p.entry}" not in keys:
            keys.append(f"{p.kind}.{p.entry}")
    for key in cal.obs_set.set_values:
        if key not in keys:
            keys.append(key)
    nuisance = [f"{p.name} = {v:.4g} +- {_fmt(se, 2)}" for p, v, se in
                zip(cal.params, cal.fit.x, cal.fit.se, strict=True) if KINDS[p.kind] is None]
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for key in keys:
        kind, base = key.split(".")
        plural = f"{kind}s"
        record = library_record(library, kind, base)
        entry: dict[str, Any] = {}
        desc = cal.obs_set.descriptions.get(key) or (
            library.descriptions.get(plural, {}).get(base, "") if hasattr(
                library, "descriptions") else "")
        text = f"{desc} -- calibrated from '{base}' by {cal.id} ({cal.date})".strip(" -")
        if nuisance:
            text += "; trial nuisance parameters fitted alongside (not library values): " + \
                "; ".join(nuisance)
        entry["description"] = text
        for flag in _PLAIN_FLAGS[kind]:
            entry[flag] = bool(getattr(record, flag))
        base_values = library.values[plural][base] if hasattr(library, "values") else {}
        for name, f in base_values.items():
            entry[name] = {"value": f.value, "unit": f.unit, "source": f.source}
        for name, v in cal.obs_set.set_values.get(key, {}).items():
            entry[name] = {"value": v["value"], "unit": v["unit"], "source": v["source"]}
        for k, p in enumerate(cal.params):
            if f"{p.kind}.{p.entry}" != key:
                continue
            unit = UNITS[plural][p.field]
            value: Any = float(cal.fit.x[k])
            value = int(round(value)) if unit == "day" else round(value, 4)
            notes = [f"fitted {cal.fit.x[k]:.4f} +- {_fmt(cal.fit.se[k], 2)} (1 s.e.)",
                     f"bounds {p.lower:g}:{p.upper:g}", f"start {cal.fit.x0[k]:g}"]
            if not cal.fit.identifiable[k]:
                notes.append("NOT IDENTIFIABLE from these targets")
            if cal.fit.at_bound[k]:
                notes.append(f"ended on its {cal.fit.at_bound[k]} bound")
            entry[p.field] = {"value": value, "unit": unit,
                              "source": f"{cal.citation()}; " + ", ".join(notes)}
        out.setdefault(plural, {})[rename.get(key, base)] = entry
    return out


def write_model(cal: Calibration, path: str | os.PathLike,
                rename: Mapping[str, str] | None = None, overwrite: bool = False,
                library: Any = None) -> Path:
    """Write the calibrated entries to a model file (atomically; see :func:`calibrated_entries`).

    Name the file ``<something>_calibrated.toml`` and put it in the library folder (bundled
    ``models/`` or a ``--models DIR``) for :func:`irrigate.library.load_library` to load it.
    """
    entries = calibrated_entries(cal, rename, library)
    st = cal.fit.stats
    lines = [
        f"# Calibrated parameter set {cal.id} ({cal.date}), written by irrigate calibrate.",
        f"# Observations: {cal.obs_set.label()}; weather: {cal.weather}.",
        f"# Fit (role 'fit', n = {st.n}): RMSE {_fmt(st.rmse)}, bias {_fmt(st.bias)}, NSE "
        f"{_fmt(st.nse)} (mixed units; per-target table in docs/calibration.md).",
    ]
    if cal.fit.problems:
        lines += ["# Diagnostics:"] + [f"#   {msg}" for msg in cal.fit.problems]
    for plural, table in entries.items():
        for name, entry in table.items():
            lines += ["", f"[{plural}.{name}]"]
            lines += [f"{key} = {_toml_value(val)}" for key, val in entry.items()]
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # never write a file the library cannot parse
    with atomic_path(path, overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def fit_record(cal: Calibration) -> str:
    """Return a TOML record of a calibration: parameters, statistics, observed vs simulated."""
    f = cal.fit
    lines = ["# Result of irrigate calibrate (machine-readable; see docs/calibration.md).",
             f"id = {_toml_value(cal.id)}", f"date = {_toml_value(cal.date)}",
             f"weather = {_toml_value(cal.weather)}",
             f"observations = {_toml_value(cal.obs_set.label())}",
             f"n_simulations = {cal.n_runs}", f"condition_number = {_toml_value(f.condition)}"
             if np.isfinite(f.condition) else "condition_number = inf",
             f"problems = {_toml_value(list(f.problems))}",
             f"warnings = {_toml_value(list(f.warnings))}", "",
             "[statistics]"]
    st = f.stats
    for key in ("n", "rmse", "bias", "nse", "r2", "max_abs_residual"):
        val = getattr(st, key)
        lines.append(f"{key} = {_toml_value(val if key == 'n' else float(val))}"
                     if np.isfinite(val) else f"{key} = nan")
    for k, p in enumerate(cal.params):
        se = float(f.se[k])
        lines += ["", "[[parameters]]", f"name = {_toml_value(p.name)}",
                  f"start = {_toml_value(float(f.x0[k]))}", f"value = {_toml_value(float(f.x[k]))}",
                  f"se = {_toml_value(se)}" if np.isfinite(se) else "se = nan",
                  f"lower = {_toml_value(p.lower)}", f"upper = {_toml_value(p.upper)}",
                  f"identifiable = {_toml_value(f.identifiable[k])}",
                  f"at_bound = {_toml_value(f.at_bound[k])}"]
    for o, s0, s in zip(cal.observations, cal.start_simulated, cal.simulated, strict=True):
        lines += ["", "[[targets]]", f"id = {_toml_value(o.id)}", f"role = {_toml_value(o.role)}",
                  f"observed = {_toml_value(o.value)}", f"start = {_toml_value(float(s0))}",
                  f"simulated = {_toml_value(float(s))}",
                  f"residual = {_toml_value(float(s - o.value))}", f"unit = {_toml_value(o.unit)}"]
        if np.isfinite(o.low):
            lines += [f"range = {_toml_value([o.low, o.high])}",
                      f"in_range = {_toml_value(bool(o.in_range(s)))}"]
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)
    return text
