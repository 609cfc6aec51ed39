"""Every example of README.md, docs/api.md and docs/tutorial.md runs as written.

Python blocks of a page run in order in one namespace (later blocks use the Dataset of the
first); every ``irrigate ...`` command line of its shell blocks runs through the CLI, in a
temporary folder. Examples that need a download of the user's own (ERA5-Land files, a
calibration observation file) are listed in :data:`NEEDS_DOWNLOAD` and only checked to be
there: the list is exact, so a new example cannot slip out of the test.
"""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner
from conftest import REPO

from irrigate.cli.main import main

PAGES = ("README.md", "docs/api.md", "docs/tutorial.md")
#: Text in an example that marks it as needing the user's own files, with the reason.
NEEDS_DOWNLOAD = {
    "era5land": "ERA5-Land files the user downloads (irrigate fetch-era5)",
    "observations.toml": "the user's field observations",
    "fetch-era5": "needs a CDS account and network",
    "applied.csv": "the irrigations the user applied on the field",
}


def _blocks(page: str, kinds: tuple[str, ...]) -> list[str]:
    text = (REPO / page).read_text(encoding="utf-8")
    return [body for kind, body in re.findall(r"```(\w*)\n(.*?)```", text, flags=re.S)
            if kind in kinds]


def _needs_download(text: str) -> bool:
    return any(marker in text for marker in NEEDS_DOWNLOAD)


def _commands(page: str) -> list[str]:
    out = []
    for block in _blocks(page, ("bash", "text")):
        for line in block.replace("\\\n", " ").splitlines():  # continuation lines
            line = line.split("  #")[0].strip()
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith("irrigate ") and not _needs_download(part):
                    out.append(part)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_python_examples_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    ran = 0
    for block in _blocks(page, ("python",)):
        if _needs_download(block):
            continue
        exec(compile(block, f"{page} example", "exec"), namespace)  # noqa: S102
        ran += 1
    assert ran > 0 or page == "docs/tutorial.md"


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_command_examples_run(page, tmp_path, monkeypatch):
    (tmp_path / "sample_data").symlink_to(REPO / "sample_data")  # paths as in the README
    monkeypatch.chdir(tmp_path)
    commands = _commands(page)
    assert commands
    for command in commands:
        args = shlex.split(command)[1:]
        result = CliRunner().invoke(main, [*args, "-q"] if args[0] in ("budget", "report")
                                    else args)
        assert result.exit_code == 0, f"{page}: {command}\n{result.output}"


def test_examples_that_need_a_download_are_the_known_ones():
    found = set()
    for page in PAGES:
        for block in _blocks(page, ("python", "bash", "text")):
            found |= {m for m in NEEDS_DOWNLOAD if m in block}
    assert found == set(NEEDS_DOWNLOAD)
