"""Write docs/errors.md: every message a user of irrigate can see, and what to do.

Run from the repository root: ``python docs/make_errors.py``. The test
``tests/test_errors_doc.py`` fails when the file is out of date, so a new message cannot be
added without its entry. Messages are read from the source: every ``InputError(...)`` (the
one-line ``error: ...`` of the CLI, exit status 2) with the parts that depend on the input
shown as ``<name>``, plus the fixed lines of the command-line entry point.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "errors.md"

HEADER = """# Errors and what to do

Every message `irrigate` can print when it stops, and how to fix the cause. This file is
generated from the source by `python docs/make_errors.py` (a test keeps it complete).

How errors look:

* **Bad input** (a file, variable, unit, option or library value): one line on stderr,
  `error: <what is wrong>; <what to do>`, exit status **2**, and nothing is written. The
  `<...>` parts below are filled in with the file, variable, value seen and so on.
* **The operating system refuses** (a file that cannot be read or written, a full disk, a
  read-only folder): `error: <path>: <reason>; <what to do>`, exit status **2**.
* **Interrupted**: Ctrl-C or `kill` (SIGINT, SIGTERM) ends the run at once with
  `interrupted` or `terminated` (exit status 130 or 143); the temporary output file is
  removed and an existing output is left as it was.
* **Anything else** is a bug or a library failure: `error: <ExceptionName>: <text>
  (unexpected; run again with --debug for the traceback and report it)`, exit status 1.
  `--debug` anywhere on the command line shows the traceback instead of this line.
* Options click rejects (unknown option, bad number) give `error: irrigate <command>:
  <problem>; see 'irrigate <command> --help'`, exit status 2.

## Fixed messages of the command line

| message | exit | what to do |
|---|---|---|
| `error: <path>: No such file or directory; check the path` | 2 | give an existing file |
| `error: <path>: Permission denied; check the permissions or choose another file or folder` | 2 | fix the permissions or write elsewhere |
| `error: <path>: No space left on device; free disk space or write elsewhere` | 2 | nothing was written; free space |
| `error: out of memory; select fewer regions, crops or years, or open the climate with --chunks (where the command has it)` | 1 | reduce the problem or chunk it |
| `interrupted` / `terminated` | 130 / 143 | nothing to do: no partial file was left |
| `aborted` | 1 | the command was cancelled at a prompt |
| `error: <ExceptionName>: <text> (unexpected; run again with --debug ...)` | 1 | run again with `--debug` and report the traceback |

## Messages by module

Each row is one `InputError`; the part after the last `;` is usually the fix.
"""


def _placeholder(node: ast.expr) -> str:
    """A short name for an input-dependent part: <path>, <name>, <list>, <value>."""
    if isinstance(node, ast.Name | ast.Attribute | ast.Subscript):
        text = ast.unparse(node)
        return f"<{text}>" if len(text) <= 30 else "<value>"
    if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "join":
        return "<list>"
    return "<value>"


def _render(node: ast.expr) -> str:
    """The text of a message expression, with the input-dependent parts as <name>."""
    if isinstance(node, ast.Constant):
        return str(node.value)
    if isinstance(node, ast.JoinedStr):
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value))
            else:
                out.append(_placeholder(part.value))  # type: ignore[attr-defined]
        return "".join(out)
    if isinstance(node, ast.BinOp):
        return _render(node.left) + _render(node.right)
    return _placeholder(node)


#: Variables whose text is filled into a message (``<hint>``), listed under the table.
_HINT_NAMES = {"hint", "fix", "guess"}


def _strings(node: ast.expr) -> list[str]:
    """The literal texts an expression can take (constants, f-strings, if-else branches)."""
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp):
        text = " ".join(_render(node).split())
        return [text] if text else []
    return []


def hints(root: Path = ROOT) -> dict[str, list[str]]:
    """Module -> the texts assigned to ``hint``/``fix``/``guess`` (parts of messages)."""
    out: dict[str, list[str]] = {}
    for path in sorted((root / "irrigate").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id in _HINT_NAMES for t in node.targets):
                found += [t for t in _strings(node.value) if t not in found]
        if found:
            out[".".join(path.relative_to(root).with_suffix("").parts)] = found
    return out


def messages(root: Path = ROOT) -> dict[str, list[tuple[int, str]]]:
    """Module -> [(line, message)] of every ``InputError(...)`` in the package."""
    out: dict[str, list[tuple[int, str]]] = {}
    for path in sorted((root / "irrigate").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(
                    node.func, "id", getattr(node.func, "attr", None)) == "InputError":
                if node.args:
                    text = " ".join(_render(node.args[0]).split())
                    found.append((node.lineno, text))
        if found:
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            out[module] = sorted(found)
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def document(root: Path = ROOT) -> str:
    """The whole of docs/errors.md."""
    lines = [HEADER]
    total = 0
    parts = hints(root)
    for module, found in messages(root).items():
        lines.append(f"\n### `{module}`\n")
        lines.append("| message | what to do |")
        lines.append("|---|---|")
        for _, text in found:
            problem, sep, fix = text.rpartition("; ")
            if not sep:
                problem, fix = text, "see the message"
            lines.append(f"| `error: {_cell(problem)}` | {_cell(fix)} |")
            total += 1
        if module in parts:
            lines.append("\nThe `<hint>`/`<fix>` parts of these messages, by the values seen:\n")
            lines += [f"- {_cell(text)}" for text in parts[module]]
    lines.append(f"\n{total} messages.\n")
    return "\n".join(lines)


if __name__ == "__main__":
    OUT.write_text(document(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
