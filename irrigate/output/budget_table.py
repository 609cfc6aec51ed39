"""Formats of a regional water budget: records (JSON), CSV, Markdown and the printed table.

Every format is built from the same records (:func:`to_records`), so the numbers printed,
written to CSV or JSON and returned by :func:`irrigate.engine.budget` are the same numbers. The
printed table (:func:`format_table`) shows the methods side by side, one block per region
with the regional withdrawal of each method scenario, and national totals at the bottom; it
fits 100 columns.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import numpy as np
import xarray as xr

from irrigate.output.budget_text import film_text, schedules_text, text_attrs
from irrigate.output.records import RECORD_FIELDS, to_csv, to_json, to_records

#: short column headings of method names in the printed table (display only; at most 7
#: characters, a column is 8 wide). Every one that is not the method's own name is explained
#: in the legend under the table (:func:`method_legend`).
METHOD_LABELS: dict[str, str] = {
    "flood": "flood",
    "furrow": "furrow",
    "alternate_furrow": "altfurr",
    "sprinkler": "sprinkl",
    "drip": "drip",
    "mulched_drip": "mdrip",
    "continuous_flooding": "paddy",
    "drip_film_rice": "dripfil",
    "awd": "awd",
}

#: readable names of the methods, for people who do not know the library's code names
#: (legend of the table, advisory report); others: the name with spaces for underscores
METHOD_NAMES: dict[str, str] = {
    "alternate_furrow": "alternate furrow (every other furrow wetted)",
    "mulched_drip": "drip under plastic film",
    "continuous_flooding": "continuous flooding",
    "awd": "alternate wetting and drying",
    "drip_film_rice": "drip/film rice",
}

_COL = 8  # width of one method column
#: ETa / ETc (%) below which a depth is flagged as under-irrigated in the printed table
STRESS_PCT = 90.0
#: Legend of the ``+`` mark (engine/turns.py).
SHORT_TURN_NOTE = ("+ on short turns: the canal turn (furrow: every 10 days at most) would keep "
                   "the crop below 95 % of ETc, so the column irrigates out of turn, as often as "
                   "every 3 days (models/methods.toml short_turn_interval).")


def to_markdown(ds: xr.Dataset) -> str:
    """Return the budget as Markdown: one table per region, methods side by side."""
    lines = [_title(ds), ""]
    blocks = _blocks(ds)
    for block in blocks:
        lines.append(f"### {block['code']} {block['name']}")
        lines.append("")
        if block["note"]:
            lines.append(block["note"])
            lines.append("")
            continue
        methods = block["methods"]
        lines.append("| crop | area, ha | ET0, mm | now, mm | "
                     + " | ".join(f"{m}, mm" for m in methods) + " |")
        lines.append("|---|---:|---:|---:|" + "---:|" * len(methods))
        for row in block["rows"]:
            # the under-irrigation mark of the printed table, escaped for Markdown
            cells = [_cell(row, m).replace("*", "\\*")
                     for m in methods]
            lines.append(f"| {row['crop']} | {_fmt(row['area'], 0)} | {_fmt(row['et0'], 0)} | "
                         f"{_fmt(row['now'], 0)} | " + " | ".join(cells) + " |")
        w = block["withdrawal"]
        lines.append(f"| **withdrawal, 1e6 m3** | | | {_fmt(block['withdrawal_now'], 1)} | "
                     + " | ".join(_fmt(w.get(m), 1) for m in methods) + " |")
        lines.append("| under-irrigated area, % | | | | "
                     + " | ".join(_fmt(block["stressed_pct"].get(m), 0) for m in methods)
                     + " |")
        lines.append("")
        if block["details"]:
            lines.extend(["```text", *block["details"], "```", ""])
    nat = _national(ds)
    if nat is not None:
        methods = nat["methods"]
        n = nat["regions"]
        lines.append(f"### Total of the {n} region{'s' if n != 1 else ''} shown")
        lines.append("")
        lines.append("| | now | " + " | ".join(methods) + " |")
        lines.append("|---|---:|" + "---:|" * len(methods))
        lines.append(f"| withdrawal, 1e6 m3 | {_fmt(nat['now'], 1)} | "
                     + " | ".join(_fmt(nat["withdrawal"][m], 1) for m in methods) + " |")
        lines.append("| saving vs now, % | | "
                     + " | ".join(_fmt(nat["saving_pct"][m], 1) for m in methods) + " |")
        lines.append("| under-irrigated area, % | | "
                     + " | ".join(_fmt(nat["stressed_pct"][m], 0) for m in methods) + " |")
        lines.append("")
        lines.append(f"Irrigated area {nat['irrigated'] / 1e3:,.1f} kha (library), "
                     f"{nat['area'] / 1e3:,.1f} kha under the crops budgeted.")
    lines.append("")
    # only the rice lines (text blocks) use the short method headings
    notes = _notes(ds, [m for block in blocks for m in block.get("rice_methods", [])])
    # the marks '*' and '-' that begin legend lines would start Markdown lists: escape them
    lines.extend("\\" + n if n[:2] in ("* ", "- ") else n for n in notes)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- printed table


def _fmt(value: Any, decimals: int = 0) -> str:
    if value is None:
        return "-"
    v = float(value)
    if not math.isfinite(v):
        return "-"
    if abs(v) < 0.5 * 10.0 ** -decimals:
        v = 0.0  # no "-0"
    return f"{v:,.{decimals}f}"


def _vol(value: Any) -> str:
    """Volume (1e6 m3) for the printed table: 1 decimal below 1000, none above."""
    if value is None or not math.isfinite(float(value)):
        return "-"
    return _fmt(value, 1 if abs(float(value)) < 1000 else 0)


def _depth(value: Any, ratio: Any) -> str:
    """Depth (mm) with a ``*`` when ETa falls below :data:`STRESS_PCT` of ETc."""
    text = _fmt(value)
    if text != "-" and ratio is not None and math.isfinite(ratio) and ratio < STRESS_PCT:
        text += "*"
    return text


def _cell(row: dict[str, Any], method: str) -> str:
    """Return a method cell of a crop row: ``n/a`` where not practised, else the depth."""
    if method in row.get("na", ()):
        return "n/a"
    text = _depth(row["gross"].get(method), row["ratio"].get(method))
    return text + "+" if method in row.get("turn", ()) and text != "-" else text


def _label(method: str) -> str:
    return METHOD_LABELS.get(method, method.replace("_", "")[: _COL - 1])


def method_name(method: str) -> str:
    """Return the readable name of a method (:data:`METHOD_NAMES`)."""
    return METHOD_NAMES.get(method, method.replace("_", " "))


def method_legend(methods: list[str]) -> list[str]:
    """Explain the abbreviated method headings among ``methods`` (lines of at most 100).

    A heading is explained when it is not the method's name (``mdrip = mulched_drip: drip
    under plastic film``) or the name itself is an abbreviation (``awd = alternate wetting
    and drying``).
    """
    items = []
    for m in dict.fromkeys(methods):
        label, name = _label(m), method_name(m)
        readable = name if name != m.replace("_", " ") else ""
        if label != m:
            items.append(f"{label} = {m}" + (f": {readable}" if readable else ""))
        elif readable:
            items.append(f"{label} = {readable}")
    if not items:
        return []
    return textwrap.wrap("Methods: " + "; ".join(items) + ".", 100,
                         break_on_hyphens=False)


def _title(ds: xr.Dataset) -> str:
    season = ds.attrs.get("season", "")
    source = ds.attrs.get("climate_source", "")
    text = "Seasonal irrigation water budget"
    if season:
        text += f", season {season}"
    if source:
        text += f"\nclimate: {source}"[:101]
    scenario = str(ds.attrs.get("scenario", ""))
    if scenario:
        text += "\n" + "\n".join(textwrap.wrap(f"method columns: {scenario}", 100))
    return text


def _notes(ds: xr.Dataset, labelled: list[str] | None = None) -> list[str]:
    """Legend under the table; ``labelled``: methods whose short headings appear above."""
    out = method_legend(labelled or []) + [
        "Method columns: gross irrigation at the field, mm per season, if the whole crop area",
        "used that method; 'now' = the region's current mix of methods. Withdrawal at the source",
        "= field volume / conveyance efficiency, million m3 (Mm3); a method's withdrawal moves",
        "every crop it suits to it, the others stay as now. Full definitions: docs/budget.md in",
        "the irrigate source repository.",
        f"* under-irrigated: the schedule leaves ETa below {STRESS_PCT:.0f} % of ETc "
        "(water stress).",
        "under-irrigated area %: of the area a method column moves to the method, the share",
        "whose crops are under-irrigated; that part of its saving is water the crops need.",
        "- in a method column: no value. n/a: the method is not practised for the crop",
        "(models/applicability.toml; paddy methods are for rice only, upland methods are not",
        "simulated for ponded rice); the method's scenario keeps that crop as now.",
        "'now' is today's practice (each current method under its library practice).",
        "saving at equal supply %: today's methods and the method both in the columns'",
        "scenario (the technology alone); ETa change: crop water use against today (more",
        "where the method ends a deficit); basin saving: consumptive use (ETa, evaporation and",
        "losses that do not return; models/return_flows.toml) saved against today.",
    ]
    if "short_turn" in ds and bool((ds["short_turn"].fillna(0) > 0).any()):
        out.extend(textwrap.wrap(SHORT_TURN_NOTE, 100))
    film = film_text(ds)
    if film.startswith("calibrated"):
        out.extend(textwrap.wrap(f"Mulched drip: {film}", 100))
    if ds.attrs.get("left_out", "none") != "none":
        out.extend(textwrap.wrap(f"Left out (season not in the input): {ds.attrs['left_out']}",
                                 100))
    if ds.attrs.get("area_source"):
        out.extend(textwrap.wrap(f"Irrigated areas: {ds.attrs['area_source']}", 100))
    return out


def under_irrigated_pct(area: np.ndarray, gross: np.ndarray, ratio: np.ndarray
                        ) -> np.ndarray:
    """Per method, the percentage of the area moved to it whose crop is under-irrigated.

    A method's column moves every crop it suits (finite gross depth) to it; of that area, the
    share whose ETa stays below :data:`STRESS_PCT` % of ETc (the ``*`` of the table) is
    returned, so a saving that comes from leaving crops short of water can be seen.

    Parameters
    ----------
    area : ndarray, (..., crop)
        Crop area, ha.
    gross, ratio : ndarray, (..., crop, method)
        Gross depth (NaN where the method does not apply) and ETa/ETc in percent.

    Returns
    -------
    ndarray, (method,)
        Percent of the area moved to each method (summed over the leading axes); NaN where
        the method suits no crop.

    """
    suits = np.isfinite(gross) & (area[..., None] > 0)
    short = suits & np.isfinite(ratio) & (ratio < STRESS_PCT)
    weights = np.broadcast_to(area[..., None], gross.shape)
    lead = tuple(range(gross.ndim - 1))
    total = np.where(suits, weights, 0.0).sum(axis=lead)
    stressed = np.where(short, weights, 0.0).sum(axis=lead)
    return np.where(total > 0, 100.0 * stressed / np.where(total > 0, total, 1.0), np.nan)


def _blocks(ds: xr.Dataset) -> list[dict[str, Any]]:
    """Collect, per region, the rows and totals the table and Markdown formats print."""
    names = ds["region_name"].values if "region_name" in ds.coords else ds["region"].values
    gross = ds["irr_gross_mm"].transpose("region", "crop", "method").values
    now = ds["irr_gross_current_mm"].transpose("region", "crop").values
    area = ds["area_ha"].transpose("region", "crop").values
    et0 = ds["et0_mm"].transpose("region", "crop", "method").values
    ratio = (ds["et_ratio_pct"] if "et_ratio_pct" in ds else xr.full_like(
        ds["irr_gross_mm"], np.nan)).transpose("region", "crop", "method").values
    methods_all = [str(m) for m in ds["method"].values]
    irrigated = ds["irrigated_area_ha"].values if "irrigated_area_ha" in ds else area.sum(1)
    covered = ds["covered"].values if "covered" in ds else np.ones(ds.sizes["region"], bool)
    ce = ds["conveyance_efficiency"].values
    applicable = ds["applicable"].transpose("crop", "method").values \
        if "applicable" in ds else None
    turn = ds["short_turn"].transpose("region", "crop", "method").fillna(0).values > 0 \
        if "short_turn" in ds else np.zeros(gross.shape, bool)
    # crop lines only (not the off-season leaching line) for the under-irrigated share
    crop_line = np.array([_is_crop_line(ds, str(c)) for c in ds["crop"].values])
    blocks = []
    for i, code in enumerate(ds["region"].values):
        block: dict[str, Any] = {"code": str(code), "name": str(names[i]), "note": "",
                                 "irrigated": float(irrigated[i]), "ce": float(ce[i]),
                                 "rows": []}
        blocks.append(block)
        if not irrigated[i] > 0:
            block["note"] = "no irrigated area in the library (models/regions.toml)"
            continue
        if not covered[i]:
            block["note"] = "not covered by the climate input; no budget"
            continue
        if not (area[i] > 0).any():
            block["note"] = "none of the selected crops is grown here"
            continue
        # methods with a value on a crop line (the leaching line alone makes no column)
        lines = (area[i] > 0) & (crop_line if crop_line.any() else True)
        used = [m for k, m in enumerate(methods_all) if np.isfinite(gross[i, :, k][lines]).any()]
        block["methods"] = used
        for j, crop in enumerate(ds["crop"].values):
            if not area[i, j] > 0:
                continue
            row_et0 = et0[i, j][np.isfinite(et0[i, j])]
            block["rows"].append({
                "crop": str(crop),
                "area": float(area[i, j]),
                "et0": float(row_et0[0]) if row_et0.size else None,
                "now": float(now[i, j]),
                "gross": {m: float(gross[i, j, k]) for k, m in enumerate(methods_all)
                          if m in used},
                "ratio": {m: float(ratio[i, j, k]) for k, m in enumerate(methods_all)
                          if m in used},
                "na": {m for k, m in enumerate(methods_all)
                       if m in used and applicable is not None and not applicable[j, k]},
                "turn": {m for k, m in enumerate(methods_all) if m in used and turn[i, j, k]},
            })
        reg = ds.isel(region=i)
        block["withdrawal"] = {m: float(reg["scenario_withdrawal_mcm"].sel({"method": m}))
                               for m in used}
        block["saving_pct"] = {m: float(reg["scenario_saving_vs_current_pct"].sel(
            {"method": m})) for m in used}
        short = under_irrigated_pct(np.where(crop_line, area[i], 0.0), gross[i], ratio[i])
        block["stressed_pct"] = {m: float(short[k]) for k, m in enumerate(methods_all)
                                 if m in used}
        block["withdrawal_now"] = float(reg["scenario_withdrawal_current_mcm"])
        for key, var in (("technology_pct", "scenario_saving_technology_pct"),
                         ("basin_mcm", "scenario_basin_saving_mcm"),
                         ("eta_change_mcm", "scenario_eta_change_mcm")):
            if var in reg:
                block[key] = {m: float(reg[var].sel({"method": m})) for m in used}
        block["area"] = float(reg["scenario_area_ha"])
        rice = _rice_lines(ds, i, used)
        # methods named by their short headings in the rice lines (for the legend)
        block["rice_methods"] = [
            m for k, m in enumerate(methods_all) if m in used and rice
            and "crop_share_field_pct" in ds
            and bool(ds["crop_share_field_pct"].isel(region=i, method=k).notnull().any())]
        block["details"] = (_inapplicable_lines(ds, block["rows"], used) + rice
                            + _leaching_lines(ds, i))
    return blocks


def _requested(ds: xr.Dataset) -> list[str]:
    """Methods the user asked for (``--method``); empty when every method was shown."""
    text = str(ds.attrs.get("methods_requested", "all"))
    return [] if text == "all" else [m.strip() for m in text.split(",") if m.strip()]


def inapplicable_methods(ds: xr.Dataset, crops: list[str], used: list[str]
                         ) -> list[tuple[str, str]]:
    """Return ``(method, why)`` for each requested method that applies to none of ``crops``.

    Upland methods are not simulated for ponded rice and the paddy methods only for rice, so
    a method asked for with ``--method`` may apply to none of a region's crops.
    """
    paddy_methods = [m.strip() for m in str(ds.attrs.get("paddy_methods", "")).split(",")
                     if m.strip()]
    is_paddy = dict(zip([str(m) for m in ds["method"].values],
                        [bool(v) for v in ds["paddy_method"].values], strict=True)) \
        if "paddy_method" in ds.coords else {}
    upland = [c for c in crops if not _is_paddy(ds, c) and _is_crop_line(ds, c)]
    out = []
    for m in _requested(ds):
        if m in used:
            continue
        if is_paddy.get(m, m in paddy_methods):
            why = f"applies to paddy rice only, not to {', '.join(upland) or 'these crops'}"
        else:
            why = (f"an upland method; it does not apply to paddy rice, which is compared "
                   f"with {', '.join(paddy_methods)}")
        out.append((m, why))
    return out


def _inapplicable_lines(ds: xr.Dataset, rows: list[dict[str, Any]], used: list[str]
                        ) -> list[str]:
    """Say why a requested method has no column in a region block (text lines)."""
    out = []
    for m, why in inapplicable_methods(ds, [r["crop"] for r in rows], used):
        out.extend(textwrap.wrap(f"{m}: no column: {why}", 100, subsequent_indent="  "))
    return out


def _is_paddy(ds: xr.Dataset, crop: str) -> bool:
    if "paddy" not in ds.coords:
        return False
    return bool(ds["paddy"].sel(crop=crop).values)


def _is_crop_line(ds: xr.Dataset, crop: str) -> bool:
    return "line" not in ds.coords or str(ds["line"].sel(crop=crop).values) == "crop"


#: published figures the rice lines are compared with (parameters-literature 2e, ABI15)
RICE_PUBLISHED = ("published (Abikenova et al. 2015, Syr Darya rice systems): 15,000-35,000 "
                  "m3/ha withdrawn; plants use 40-45 % of the water withdrawn (canal losses "
                  "included)")


def _rice_lines(ds: xr.Dataset, i: int, methods: list[str]) -> list[str]:
    """Where the rice water goes, per paddy method, and the crop's share of it (text lines)."""
    if "crop_share_field_pct" not in ds or "soak_mm" not in ds:
        return []
    reg = ds.isel(region=i)
    paddy = [str(c) for c in ds["crop"].values
             if float(reg["area_ha"].sel(crop=c)) > 0
             and bool(reg["crop_share_field_pct"].sel(crop=c).notnull().any())]
    ce = float(reg["conveyance_efficiency"])
    out = []
    for crop in paddy:
        row = reg.sel(crop=crop)
        out.append(f"{crop + ' water, mm':<16}{'soak':>6}{'ETa':>7}{'perc':>7}{'drain':>7}"
                   f"{'overfl':>7}{'supply m3/ha':>14}{'withdr':>8}{'ETa/field':>11}"
                   f"{'ETa/withdr':>12}")
        for m in methods:
            cell = row.sel({"method": m})
            if not np.isfinite(float(cell["crop_share_field_pct"])):
                continue
            out.append(f"  {_label(m):<14}{_fmt(cell['soak_mm']):>6}{_fmt(cell['eta_mm']):>7}"
                       f"{_fmt(cell['dp_mm']):>7}{_fmt(cell['drain_mm']):>7}"
                       f"{_fmt(cell['ro_mm']):>7}{_fmt(10.0 * float(cell['irr_gross_mm'])):>14}"
                       f"{_fmt(10.0 * float(cell['irr_gross_mm']) / ce):>8}"
                       f"{_fmt(cell['crop_share_field_pct']) + ' %':>11}"
                       f"{_fmt(cell['crop_share_withdrawal_pct']) + ' %':>12}")
        out.extend(textwrap.wrap(
            "  soak: land soaking, part of the supply; perc: percolation and seepage; drain: "
            "deliberate drainage; overfl: rain over the bunds; withdr: m3/ha withdrawn at the "
            f"source, with the region's conveyance efficiency {ce:.2f}; "
            + RICE_PUBLISHED, 100, subsequent_indent="  "))
    return out


def _leaching_lines(ds: xr.Dataset, i: int) -> list[str]:
    """Explain the off-season leaching line: saline share, depth and volume (text lines)."""
    if "line" not in ds.coords or "leaching" not in [str(v) for v in ds["line"].values]:
        return []
    reg = ds.isel(region=i)
    crops = [str(c) for c in ds["crop"].values]
    lines = [str(v) for v in ds["line"].values]
    leach = [c for c, kind in zip(crops, lines, strict=True) if kind == "leaching"]
    area = float(reg["area_ha"].sel(crop=leach[0]))
    if not area > 0:
        return []
    upland = sum(float(reg["area_ha"].sel(crop=c)) for c, kind in zip(crops, lines, strict=True)
                 if kind == "crop" and not bool(reg["crop_share_field_pct"].sel(crop=c)
                                                .notnull().any()))
    row = reg.sel(crop=leach[0])
    depth = float(row["irr_gross_current_mm"])
    share = f" ({100.0 * area / upland:.0f} % of the upland crop area)" if upland > 0 else ""
    span = ""
    if "leaching_low_mcm" in reg:
        gw = float(reg["leaching_groundwater_share"])
        span = (f" (range {_vol(float(reg['leaching_low_mcm']))}-"
                f"{_vol(float(reg['leaching_high_mcm']))} Mm3: saline share x frequency x "
                "depth of models/leaching_offseason.toml"
                + (f"; of it {100.0 * gw:.0f} % from wells and drainage reuse, not surface "
                   "intake" if gw > 0 else "") + ")")
    return textwrap.wrap(
        f"leaching: off-season, on {area / 1e3:,.1f} kha of saline upland land{share}, "
        f"{_fmt(depth)} mm a year at the field, {_vol(float(row['withdrawal_current_mcm']))} "
        f"Mm3 withdrawn{span}; not in the season totals above. Ponded rice is leached by its "
        "own percolation.",
        100, subsequent_indent="  ")


def _national(ds: xr.Dataset) -> dict[str, Any] | None:
    covered = ds["covered"] if "covered" in ds else xr.ones_like(ds["region"], dtype=bool)
    keep = covered & (ds["area_ha"].sum("crop") > 0)
    if not bool(keep.any()):
        return None
    sub = ds.isel(region=np.flatnonzero(keep.values))
    nat = ds[[v for v in ds.data_vars if str(v).startswith("national_")]]
    nat = nat.rename({v: str(v).replace("national_", "") for v in nat.data_vars})
    gross = ds["irr_gross_mm"].where(ds["area_ha"] > 0)
    methods = [str(m) for m in ds["method"].values
               if bool(gross.sel({"method": m}).notnull().any())]
    ratio = (sub["et_ratio_pct"] if "et_ratio_pct" in sub
             else xr.full_like(sub["irr_gross_mm"], np.nan))
    crop_line = np.array([_is_crop_line(ds, str(c)) for c in ds["crop"].values])
    short = under_irrigated_pct(
        np.where(crop_line, sub["area_ha"].transpose("region", "crop").values, 0.0),
        sub["irr_gross_mm"].transpose("region", "crop", "method").values,
        ratio.transpose("region", "crop", "method").values)
    method_list = [str(m) for m in ds["method"].values]
    return {
        "methods": methods,
        "area": float(nat["area_ha"]),
        "now": float(nat["withdrawal_current_mcm"]),
        "withdrawal": {m: float(nat["withdrawal_mcm"].sel({"method": m})) for m in methods},
        "saving_mcm": {m: float(nat["saving_vs_current_mcm"].sel({"method": m}))
                       for m in methods},
        "saving_pct": {m: float(nat["saving_vs_current_pct"].sel({"method": m}))
                       for m in methods},
        "stressed_pct": {m: float(short[method_list.index(m)]) for m in methods},
        **{key: {m: float(nat[var].sel({"method": m})) for m in methods}
           for key, var in (("technology_pct", "saving_technology_pct"),
                            ("basin_mcm", "basin_saving_mcm"),
                            ("eta_change_mcm", "eta_change_mcm")) if var in nat},
        "regions": int(keep.sum()),
        "irrigated": float(ds["irrigated_area_ha"].where(keep, 0.0).sum())
        if "irrigated_area_ha" in ds else float(nat["area_ha"]),
    }


#: the rows of the fair comparison under each block: (key, label, decimals or volume)
_EXTRA_ROWS = (("technology_pct", "saving at equal supply %", 1),
               ("eta_change_mcm", "crop water use (ETa) change Mm3", None),
               ("basin_mcm", "basin (consumptive) saving Mm3", None))


def _extra_rows(block: dict[str, Any], methods: list[str]) -> list[str]:
    out = []
    for key, text, decimals in _EXTRA_ROWS:
        if key not in block:
            continue
        cells = [(_fmt(block[key][m], decimals) if decimals is not None else _vol(block[key][m]))
                 for m in methods]
        out.append(f"{text:<36}" + "".join(f"{c:>{_COL}}" for c in cells))
    return out


def format_table(ds: xr.Dataset) -> str:
    """Return the printed comparative table (methods side by side, at most 100 columns)."""
    out = [_title(ds), ""]
    labelled: list[str] = []
    head = f"{'crop':<13}{'area':>9}{'ET0':>6}{'now':>7} "
    units = f"{'':<13}{'kha':>9}{'mm':>6}{'mm':>7} "
    for block in _blocks(ds):
        title = f"{block['code']} {block['name']}"
        if block["note"]:
            out.append(f"{title}: {block['note']}")
            out.append("")
            continue
        out.append(f"{title}: {block['irrigated'] / 1e3:,.1f} kha irrigated "
                   f"({block['area'] / 1e3:,.1f} kha budgeted), conveyance efficiency "
                   f"{block['ce']:.2f}")
        methods = block["methods"]
        labelled += methods
        out.append(head + "".join(f"{_label(m):>{_COL}}" for m in methods))
        caption = "gross at the field, mm per season"
        out.append(units + (f"{caption:>{_COL * len(methods)}}"
                            if len(methods) * _COL >= len(caption)
                            else "".join(f"{'mm':>{_COL}}" for _ in methods)))
        for row in block["rows"]:
            out.append(
                f"{row['crop'][:13]:<13}{_fmt(row['area'] / 1e3, 1):>9}{_fmt(row['et0']):>6}"
                f"{_fmt(row['now']):>7} "
                + "".join(f"{_cell(row, m):>{_COL}}" for m in methods)
            )
        out.append(
            f"{'withdrawal Mm3':<22}{_vol(block['withdrawal_now']):>13} "
            + "".join(f"{_vol(block['withdrawal'][m]):>{_COL}}" for m in methods)
        )
        out.append(
            f"{'saving vs now %':<36}"
            + "".join(f"{_fmt(block['saving_pct'][m], 1):>{_COL}}" for m in methods)
        )
        out.append(
            f"{'under-irrigated area %':<36}"
            + "".join(f"{_fmt(block['stressed_pct'][m], 0):>{_COL}}" for m in methods)
        )
        out.extend(_extra_rows(block, methods))
        out.extend(block["details"])
        out.append("")
    nat = _national(ds)
    if nat is not None:
        methods = nat["methods"]
        labelled += methods
        n = nat["regions"]
        out.append(f"TOTAL ({n} region{'s' if n != 1 else ''}): {nat['irrigated'] / 1e3:,.1f} kha "
                   f"irrigated (library), {nat['area'] / 1e3:,.1f} kha under the crops budgeted")
        out.append(f"{'':<36}" + "".join(f"{_label(m):>{_COL}}" for m in methods))
        out.append(f"{'withdrawal Mm3':<22}{_vol(nat['now']):>13} "
                   + "".join(f"{_vol(nat['withdrawal'][m]):>{_COL}}" for m in methods))
        out.append(f"{'saving vs now Mm3':<36}"
                   + "".join(f"{_vol(nat['saving_mcm'][m]):>{_COL}}" for m in methods))
        out.append(f"{'saving vs now %':<36}"
                   + "".join(f"{_fmt(nat['saving_pct'][m], 1):>{_COL}}" for m in methods))
        out.append(f"{'under-irrigated area %':<36}"
                   + "".join(f"{_fmt(nat['stressed_pct'][m], 0):>{_COL}}" for m in methods))
        out.extend(_extra_rows(nat, methods))
        out.append("")
    out.extend(_notes(ds, labelled))
    return "\n".join(line.rstrip() for line in out) + "\n"


__all__ = ["RECORD_FIELDS", "to_records", "to_json", "to_csv", "to_markdown", "format_table",
           "render", "film_text", "schedules_text", "text_attrs", "method_name",
           "method_legend", "inapplicable_methods", "under_irrigated_pct", "FORMATS"]

FORMATS = {"table": format_table, "csv": to_csv, "json": to_json, "markdown": to_markdown}


def render(ds: xr.Dataset, fmt: str) -> str:
    """Return the budget in ``fmt`` (``table``, ``csv``, ``json`` or ``markdown``)."""
    return FORMATS[fmt](ds)
