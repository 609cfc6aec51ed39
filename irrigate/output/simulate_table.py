"""The seasonal summary of ``irrigate simulate`` as text: crop x method tables in 100 columns."""

from __future__ import annotations

import xarray as xr

__all__ = ["summary_table", "SUMMARY_COLUMNS", "SUMMARY_BLOCKS", "SUMMARY_WIDTH"]

SUMMARY_COLUMNS: tuple[str, ...] = ("irr_gross", "irr_net", "irr_loss", "eta", "e", "t",
                                    "precip", "ro", "dp", "n_events")
#: Column blocks of :func:`summary_table` (title, columns); a block wider than
#: :data:`SUMMARY_WIDTH` is split further.
SUMMARY_BLOCKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("irrigation", ("irr_gross", "irr_net", "irr_loss", "n_events")),
    ("water balance", ("precip", "eta", "e", "t", "ro", "dp")),
)
#: Widest line of :func:`summary_table`, characters.
SUMMARY_WIDTH = 100


def summary_table(summary: xr.Dataset) -> str:
    """Format seasonal totals (:func:`~irrigate.science.driver.season_summary`) as text tables.

    Values are means over the cells: mm per season, ``n_events`` in events per season. The
    columns come in blocks (irrigation; water balance) that each fit :data:`SUMMARY_WIDTH`
    characters; every block repeats the crop and method of each row. Names are never cut.
    """
    space = [d for d in summary.dims if d not in ("crop", "method")]
    cols = [v for v in SUMMARY_COLUMNS if v in summary]
    mean = summary[cols].mean(space) if space else summary[cols]
    crops = [str(c) for c in mean["crop"].values]
    methods = [str(m) for m in mean["method"].values]
    wc = max([len("crop"), *map(len, crops)])
    wm = max([len("method"), *map(len, methods)])
    lead = wc + 1 + wm

    def width(col: str) -> int:
        return max(len(col), 8) + 1

    blocks: list[tuple[str, list[str]]] = []
    for title, members in SUMMARY_BLOCKS:
        part: list[str] = []
        for col in (c for c in members if c in cols):
            if part and lead + sum(map(width, part)) + width(col) > SUMMARY_WIDTH:
                blocks.append((title, part))
                part = []
            part.append(col)
        if part:
            blocks.append((title, part))
    lines = ["seasonal totals per crop and method, mean over the cells"]
    for title, part in blocks:
        head = f"{'crop':<{wc}} {'method':<{wm}}" + "".join(f"{c:>{width(c)}}" for c in part)
        units = " " * lead + "".join(
            f"{'count' if c == 'n_events' else 'mm':>{width(c)}}" for c in part)
        lines += ["", f"{title}, per season", head, units, "-" * len(head)]
        for c in crops:
            for m in methods:
                row = mean.sel({"crop": c, "method": m})
                lines.append(f"{c:<{wc}} {m:<{wm}}" + "".join(
                    f"{float(row[v]):>{width(v)}.1f}" for v in part))
    return "\n".join(lines)
