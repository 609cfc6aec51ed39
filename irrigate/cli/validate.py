"""``irrigate validate``: recompute the published worked examples."""

from __future__ import annotations

import json
import textwrap

import click

#: Width of the case column: with the numbers, a line fits in 100 columns.
CASE_WIDTH = 61


@click.command("validate")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def validate(as_json: bool) -> None:
    """Recompute FAO-56 and other published worked examples and compare.

    Exits with status 1 if any case is outside its tolerance.
    """
    from irrigate.validation import run_all

    results = run_all()
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in results], indent=1))
    else:
        # long case names wrap within the name column so lines stay within 100 columns
        width = min(max([len(r.case) for r in results] + [4]), CASE_WIDTH)
        click.echo(f"{'case':<{width}}  {'published':>10}  {'computed':>10}  {'tol':>7}  pass")
        for r in results:
            *first, last = textwrap.wrap(r.case, width) or [""]
            for line in first:
                click.echo(line)
            click.echo(
                f"{last:<{width}}  {r.published:>10.4g}  {r.computed:>10.4f}  "
                f"{r.tolerance:>7.3g}  {'yes' if r.passed else 'NO'}"
            )
        failed = sum(not r.passed for r in results)
        click.echo(f"{len(results) - failed} passed, {failed} failed")
    if any(not r.passed for r in results):
        raise SystemExit(1)


COMMANDS = [validate]
