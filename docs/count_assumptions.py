"""Count the library values labelled assumptions (issue #12 acceptance).

Run: python docs/count_assumptions.py [MODELS_DIR] [-v]. Every ``{ value, unit, source }``
table of every ``*.toml`` under the folder (default: the bundled models/) is a value; ``-v``
lists the counts per file.
"""

import collections
import sys
import tomllib
from pathlib import Path

from irrigate.library.schema import is_assumption

root = Path(next((a for a in sys.argv[1:] if not a.startswith("-")),
                 Path(__file__).resolve().parent.parent / "models"))
total = assumed = 0
per_file: collections.Counter = collections.Counter()


def walk(fname: str, table: object) -> None:
    """Count the values of ``table`` (recursively), per file ``fname``."""
    global total, assumed
    if not isinstance(table, dict):
        return
    if "value" in table and "source" in table:
        total += 1
        if is_assumption(str(table["source"])):
            assumed += 1
            per_file[fname] += 1
        return
    for item in table.values():
        walk(fname, item)


for path in sorted(root.rglob("*.toml")):
    walk(str(path.relative_to(root)), tomllib.loads(path.read_text(encoding="utf-8")))
print(f"{assumed} of {total} values are labelled assumptions "
      "(source starting with 'assumption', or the status flag 'A')")
if "-v" in sys.argv:
    for name, n in per_file.most_common():
        print(f"  {name}: {n}")
