"""The README keeps exactly two set-up commands, and CI runs the same test command."""

import re

from conftest import REPO


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_readme_has_exactly_two_setup_commands():
    readme = (REPO / "README.md").read_text()
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = _bash_blocks(setup)
    assert len(blocks) == 2
    assert blocks[0].endswith("irrigate budget")
    assert blocks[1].endswith("pytest")


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    test_cmd = _bash_blocks(setup)[1]
    target = re.search(r"pip install (\S+)", test_cmd).group(1)
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"pip install (--quiet )?" + re.escape(target), ci)
    assert re.search(r"^pytest$", ci, flags=re.M)
