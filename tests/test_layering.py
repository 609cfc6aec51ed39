"""The folders are the architecture: which part of irrigate may import which.

``docs/architecture.md`` states these rules; this test reads every module's imports (module
level and inside functions) with :mod:`ast` and fails when a forbidden one appears, or when
modules import each other in a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "irrigate"

# part of the package -> the parts it may import (besides itself). A part is a folder
# (``irrigate/science/``) or a top-level module (``irrigate/regions.py``).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "paths": set(),
    "memory": set(),
    "variables": {"errors", "lines"},
    "lines": set(),
    "science": {"errors", "variables"},
    "library": {"science", "errors", "paths", "variables"},
    "climate": {"science", "errors", "paths", "variables", "memory"},
    "regions": {"climate", "library", "errors", "paths", "variables"},
    "engine": {"science", "library", "climate", "regions", "errors", "paths", "variables",
               "lines", "memory"},
    "output": {"library", "regions", "errors", "paths", "variables", "lines"},
    "calibration": {"engine", "science", "library", "climate", "output", "errors", "paths",
                    "variables", "lines"},
    "validation": {"science", "engine", "library", "climate", "errors", "paths", "variables",
                   "lines"},
    "cli": {"science", "engine", "library", "climate", "regions", "output", "calibration",
            "validation", "errors", "paths", "variables", "lines"},
    "__init__": set(),  # the package root re-exports lazily, by name, without importing
}

# (importing module, imported module) pairs that break a rule today and are being removed;
# an entry that no longer occurs fails the test too, so this list only shrinks.
KNOWN: set[tuple[str, str]] = set()


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(module: str, path: Path) -> set[str]:
    """Every ``irrigate`` module that ``module`` imports, resolved to a module name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # imports for type hints only do not run: not a dependency
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            node.body = []
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if not name.startswith("irrigate."):
                continue  # the root holds only __version__ and the lazy public API
            while name not in MODULES and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in MODULES and name not in (module, "irrigate"):
                out.add(name)
    return out


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _violations() -> set[tuple[str, str]]:
    bad = set()
    for module, imported in GRAPH.items():
        src = _part(module)
        for target in imported:
            dst = _part(target)
            if dst != src and dst not in ALLOWED[src]:
                bad.add((module, target))
    return bad


def test_every_part_has_a_rule():
    assert {_part(m) for m in MODULES} <= set(ALLOWED)


def test_no_forbidden_import():
    new = _violations() - KNOWN
    assert not new, "forbidden imports (see docs/architecture.md):\n" + "\n".join(
        f"  {a} imports {b}" for a, b in sorted(new))


def test_known_violations_still_exist():
    gone = KNOWN - _violations()
    assert not gone, f"remove these fixed entries from KNOWN: {sorted(gone)}"


def test_nothing_imports_the_cli():
    offenders = [(m, t) for m, ts in GRAPH.items() for t in ts
                 if _part(t) == "cli" and _part(m) != "cli"]
    assert not offenders


def _cycle() -> list[str] | None:
    """One import cycle among modules (a package's own submodules excluded), or None."""
    def edges(m: str) -> set[str]:
        # a package's __init__ importing its own submodules, and submodules importing their
        # package, is how packages re-export: not a cycle between two jobs.
        return {t for t in GRAPH[m] if not (t.startswith(m + ".") or m.startswith(t + "."))}

    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges(m)):
            if state.get(t) == 1:
                return stack[stack.index(t):] + [t]
            if t not in state and (found := visit(t)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(GRAPH):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_import_cycle():
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("src,dst", [("science", "library"), ("science", "engine"),
                                     ("science", "paths"), ("output", "engine"),
                                     ("library", "engine"), ("engine", "output")])
def test_rules_forbid_what_the_design_forbids(src, dst):
    """The rule table itself: a change that allows one of these is a design change."""
    assert dst not in ALLOWED[src]
