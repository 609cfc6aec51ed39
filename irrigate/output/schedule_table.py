"""Format a field's irrigation schedule (:class:`irrigate.engine.field_schedule.SeasonPlan`).

One record per event (:func:`event_records`) feeds every format: a text table that fits 100
columns (a phone in landscape), CSV (provenance and totals as ``#`` lines above the rows),
JSON and Markdown. In real-time mode every format leads with the next irrigation.
"""

from __future__ import annotations

import csv
import io
import json
import math
import textwrap
from enum import Enum
from typing import TYPE_CHECKING, Any

from irrigate.variables import M3_PER_HA_PER_MM

if TYPE_CHECKING:  # the engine's result records, for type hints only (docs/architecture.md)
    from irrigate.engine.field_records import Event, Outlook, SeasonPlan

#: Widest line of the text table (a phone in landscape, a terminal).
WIDTH = 100


class OutputFormat(Enum):
    """Formats of ``irrigate schedule``."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    MARKDOWN = "markdown"


#: Event record fields, in order (JSON keys and CSV columns).
EVENT_FIELDS: tuple[str, ...] = (
    "date", "das", "net_mm", "gross_mm", "net_m3ha", "gross_m3ha", "dr_before_mm",
    "dr_after_mm", "raw_mm", "taw_mm", "days_since_last", "eta_etc_to_date",
    "rain_since_last_mm", "decided_by", "weather",
)
#: Season totals shown, in order, with their labels.
TOTAL_LABELS: tuple[tuple[str, str], ...] = (
    ("n_events", "irrigations"), ("irr_net", "net irrigation, mm"),
    ("irr_gross", "gross irrigation, mm"), ("irr_gross_m3ha", "gross irrigation, m3/ha"),
    ("irr_loss", "application losses, mm"), ("precip", "rain, mm"), ("etc", "ETc, mm"),
    ("eta", "ETa, mm"), ("eta_etc", "ETa/ETc"), ("dp", "deep percolation (soil), mm"),
    ("ro", "rain runoff, mm"),
)


def _r(x: float, nd: int = 1) -> float:
    return round(float(x), nd)


def event_record(e: Event) -> dict[str, Any]:
    """Return one event as a JSON-ready dict (:data:`EVENT_FIELDS`)."""
    return {
        "date": e.date.isoformat(), "das": e.das, "net_mm": _r(e.net_mm),
        "gross_mm": _r(e.gross_mm), "net_m3ha": _r(e.net_m3ha, 0),
        "gross_m3ha": _r(e.gross_m3ha, 0), "dr_before_mm": _r(e.dr_before_mm),
        "dr_after_mm": _r(e.dr_after_mm), "raw_mm": _r(e.raw_mm), "taw_mm": _r(e.taw_mm),
        "days_since_last": e.days_since_last, "eta_etc_to_date": _r(e.eta_etc_to_date, 3),
        "rain_since_last_mm": _r(e.rain_since_last_mm), "decided_by": e.decided_by,
        "weather": e.weather.value,
    }


def event_records(plan: SeasonPlan) -> list[dict[str, Any]]:
    """Return every event as a dict."""
    return [event_record(e) for e in plan.events]


def next_record(outlook: Outlook) -> dict[str, Any]:
    """Return the next irrigation over the ensemble as a dict."""
    net = outlook.depth_range("net_mm")
    gross = outlook.depth_range("gross_mm")

    def iso(d: Any) -> str | None:
        return d.isoformat() if d else None

    return {
        "today": outlook.today.isoformat(),
        "date": iso(outlook.median), "earliest": iso(outlook.earliest),
        "latest": iso(outlook.latest),
        "net_mm": _r(net[1]) if net else None, "gross_mm": _r(gross[1]) if gross else None,
        "gross_m3ha": _r(gross[1] * M3_PER_HA_PER_MM, 0) if gross else None,
        "net_mm_range": [_r(net[0]), _r(net[2])] if net else None,
        "members": len(outlook.members), "members_without_event": outlook.n_without,
        "dr_today_mm": _r(outlook.dr_today_mm), "raw_today_mm": _r(outlook.raw_today_mm),
        "taw_today_mm": _r(outlook.taw_today_mm), "basis": outlook.basis,
        "outlook": outlook.weather.value,
        "observed": [{"date": r.date.isoformat(), r.quantity.value: r.value,
                      "dr_mm": _r(r.dr_mm), "taw_mm": _r(r.taw_mm),
                      "model_dr_mm": _r(r.model_dr_mm)} for r in outlook.readings],
        "per_member": {m.label: (m.event.date.isoformat() if m.event else None)
                       for m in outlook.members},
    }


def _totals(plan: SeasonPlan) -> dict[str, Any]:
    out: dict[str, Any] = {k: _r(v, 3 if k == "eta_etc" else 1) for k, v in plan.totals.items()}
    if plan.totals_range:
        out["range"] = {k: [_r(a, 3 if k == "eta_etc" else 1), _r(b, 3 if k == "eta_etc"
                                                                   else 1)]
                        for k, (a, b) in plan.totals_range.items()}
    return out


def headline(plan: SeasonPlan) -> list[str]:
    """Return the answer first: the next irrigation and its spread (real time), or the plan."""
    s = plan.setup
    field = (f"{s.crop.name}, {s.method.name}, soil {s.soil.name}, sown {s.sowing}, "
             f"harvest {s.harvest}; schedule {s.schedule.name or s.schedule.rule}")
    o = plan.outlook
    if o is None:
        n = int(plan.totals.get("n_events", 0))
        return [f"Season plan: {n} irrigations, {plan.totals['irr_net']:.0f} mm net, "
                f"{plan.totals['irr_gross']:.0f} mm gross "
                f"({plan.totals['irr_gross_m3ha']:.0f} m3/ha)", field]
    if o.median is None:
        first = f"Next irrigation: none needed before harvest in {o.n_without} of " \
                f"{len(o.members)} outlook years"
    else:
        net, gross = o.depth_range("net_mm"), o.depth_range("gross_mm")
        days = (o.median - o.today).days
        first = (f"Next irrigation: {o.median} (in {days} d), {net[1]:.0f} mm net = "
                 f"{gross[1]:.0f} mm gross ({gross[1] * M3_PER_HA_PER_MM:.0f} m3/ha)")
    lines = [first]
    if o.weather.value == "normal":
        lines += textwrap.wrap(f"after today: {o.basis.split(', then ', 1)[-1]}; one run, "
                               "no spread (--outlook climatology gives it)", width=WIDTH,
                               initial_indent="  ", subsequent_indent="    ")
    elif o.earliest is not None:
        net = o.depth_range("net_mm")
        years = f"{len(o.members)} year" + ("s" if len(o.members) != 1 else "")
        lines.append(f"  spread over {years}: earliest {o.earliest}, median "
                     f"{o.median or 'none'}, latest {o.latest}; net {net[0]:.0f}-{net[2]:.0f}"
                     f" mm" + (f"; none needed in {o.n_without}" if o.n_without else ""))
    state = "already past RAW" if o.dr_today_mm > o.raw_today_mm else "within RAW"
    lines.append(f"  today {o.today}: depletion {o.dr_today_mm:.0f} mm, RAW "
                 f"{o.raw_today_mm:.0f} mm, TAW {o.taw_today_mm:.0f} mm ({state})")
    for r in o.readings:
        what = (f"theta {r.value:g} m3/m3 = depletion {r.dr_mm:.0f} mm"
                if r.quantity.value == "theta_m3m3" else f"depletion {r.dr_mm:.0f} mm")
        lines += textwrap.wrap(f"measured {r.date}: {what} (the model had "
                               f"{r.model_dr_mm:.0f} mm); the balance continues from it",
                               width=WIDTH, initial_indent="  ", subsequent_indent="    ")
    return [*lines, field]


#: Text table columns: (header, unit, record key, width, decimals).
_COLUMNS: tuple[tuple[str, str, str, int, int], ...] = (
    ("date", "", "date", 10, -1), ("das", "d", "das", 4, 0),
    ("net", "mm", "net_mm", 6, 0), ("gross", "mm", "gross_mm", 6, 0),
    ("net", "m3/ha", "net_m3ha", 6, 0), ("gross", "m3/ha", "gross_m3ha", 6, 0),
    ("Dr bef", "mm", "dr_before_mm", 6, 0), ("Dr aft", "mm", "dr_after_mm", 6, 0),
    ("RAW", "mm", "raw_mm", 5, 0), ("TAW", "mm", "taw_mm", 5, 0),
    ("gap", "d", "days_since_last", 4, 0), ("ETa/ETc", "", "eta_etc_to_date", 7, 2),
    ("rain", "mm", "rain_since_last_mm", 5, 0), ("note", "", "note", 4, -1),
)


def _notes(plan: SeasonPlan) -> tuple[list[str], dict[str, str]]:
    """Short note per event (footnote letter) and the legend."""
    rule = plan.setup.schedule.name or plan.setup.schedule.rule
    legend: dict[str, str] = {}
    marks: list[str] = []
    for e in plan.events:
        parts = [p for p in e.decided_by.split("; ") if p != rule]
        key = "; ".join(parts)
        mark = ""
        if key:
            if key not in legend.values():
                legend[chr(ord("a") + len(legend))] = key
            mark = next(k for k, v in legend.items() if v == key)
        if e.weather.value != "observed":
            mark += "*"
        marks.append(mark)
    return marks, legend


def format_table(plan: SeasonPlan) -> str:
    """Return the plan as text: headline, event table, totals, provenance."""
    lines = headline(plan)
    marks, legend = _notes(plan)
    head = " ".join(f"{h:>{w}}" if i else f"{h:<{w}}"
                    for i, (h, _, _, w, _) in enumerate(_COLUMNS))
    units = " ".join(f"{u:>{w}}" if i else f"{u:<{w}}"
                     for i, (_, u, _, w, _) in enumerate(_COLUMNS))
    lines += ["", f"irrigation events ({len(plan.events)})", head, units, "-" * len(head)]
    for rec, mark in zip(event_records(plan), marks, strict=True):
        rec["note"] = mark
        cells = []
        for i, (_, _, key, w, nd) in enumerate(_COLUMNS):
            v = rec[key]
            text = "-" if v is None else (str(v) if nd < 0 else f"{v:.{nd}f}")
            cells.append(f"{text:<{w}}" if i == 0 else f"{text:>{w}}")
        lines.append(" ".join(cells).rstrip())
    for key, text in legend.items():
        lines.append(f"  {key}: decided by {text}")
    if any(e.weather.value != "observed" for e in plan.events):
        lines.append("  *: after today, on the outlook weather (median year)")
    lines += ["", "season totals" + (" (median of the outlook years, range in brackets)"
                                     if plan.totals_range else "")]
    for key, label in TOTAL_LABELS:
        if key not in plan.totals:
            continue
        nd = 2 if key == "eta_etc" else 0
        text = f"{plan.totals[key]:.{nd}f}"
        if plan.totals_range:
            lo, hi = plan.totals_range[key]
            text += f"  [{lo:.{nd}f}-{hi:.{nd}f}]"
        lines.append(f"  {label:<30} {text}")
    lines += ["", "provenance"]
    for k, v in plan.provenance.items():
        lines += textwrap.wrap(f"{k}: {v}", width=WIDTH, initial_indent="  ",
                               subsequent_indent="    ")
    return "\n".join(line.rstrip() for line in lines)


def to_json(plan: SeasonPlan) -> str:
    """Return the plan as JSON: provenance, next irrigation, events, totals."""
    doc = {
        "provenance": dict(plan.provenance),
        "next_irrigation": next_record(plan.outlook) if plan.outlook else None,
        "events": event_records(plan),
        "totals": _totals(plan),
    }
    return json.dumps(doc, indent=2, allow_nan=False, default=_nan_free)


def _nan_free(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    raise TypeError(type(x).__name__)


def to_csv(plan: SeasonPlan) -> str:
    """Return the events as CSV, with headline, totals and provenance as ``#`` lines."""
    buf = io.StringIO()
    for line in headline(plan):
        buf.write(f"# {line.strip()}\n")
    for k, v in _totals(plan).items():
        if k != "range":
            buf.write(f"# total {k}: {v}\n")
    for k, v in plan.provenance.items():
        buf.write(f"# {k}: {v}\n")
    writer = csv.DictWriter(buf, fieldnames=list(EVENT_FIELDS), lineterminator="\n")
    writer.writeheader()
    for rec in event_records(plan):
        writer.writerow({k: "" if rec[k] is None else rec[k] for k in EVENT_FIELDS})
    return buf.getvalue()


def to_markdown(plan: SeasonPlan) -> str:
    """Return the plan as Markdown: headline, event table, totals, provenance."""
    head = headline(plan)
    lines = [f"**{head[0]}**", ""] + [f"{h.strip()}  " for h in head[1:]] + [""]
    cols = ["date", "net mm", "gross mm", "gross m3/ha", "Dr before mm", "Dr after mm",
            "RAW mm", "TAW mm", "days since last", "ETa/ETc to date", "rain mm",
            "decided by"]
    keys = ["date", "net_mm", "gross_mm", "gross_m3ha", "dr_before_mm", "dr_after_mm",
            "raw_mm", "taw_mm", "days_since_last", "eta_etc_to_date", "rain_since_last_mm",
            "decided_by"]
    lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for rec in event_records(plan):
        by = rec["decided_by"] + (f" ({rec['weather']})" if rec["weather"] != "observed"
                                  else "")
        rec = {**rec, "decided_by": by}
        lines.append("| " + " | ".join("-" if rec[k] is None else str(rec[k])
                                       for k in keys) + " |")
    lines += ["", "| season total | value |", "|---|---|"]
    for key, label in TOTAL_LABELS:
        if key in plan.totals:
            nd = 2 if key == "eta_etc" else 0
            text = f"{plan.totals[key]:.{nd}f}"
            if plan.totals_range:
                lo, hi = plan.totals_range[key]
                text += f" ({lo:.{nd}f}-{hi:.{nd}f})"
            lines.append(f"| {label} | {text} |")
    lines += ["", "Provenance:", ""] + [f"- {k}: {v}" for k, v in plan.provenance.items()]
    return "\n".join(lines) + "\n"


def render(plan: SeasonPlan, fmt: OutputFormat) -> str:
    """Return the plan in ``fmt``."""
    if fmt is OutputFormat.JSON:
        return to_json(plan) + "\n"
    if fmt is OutputFormat.CSV:
        return to_csv(plan)
    if fmt is OutputFormat.MARKDOWN:
        return to_markdown(plan)
    return format_table(plan) + "\n"
