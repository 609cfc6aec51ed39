from click.testing import CliRunner

import irrigate
from irrigate.cli.main import main
from irrigate.errors import InputError
from irrigate.output.io import atomic_path


def test_version_and_help():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "validate" in result.output
    assert irrigate.__version__ == "0.1.0"


def test_input_error_is_one_line():
    err = InputError("a.nc: variable 'tmax'\n has no units;\n add a units attribute")
    assert "\n" not in str(err)


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.nc"
    try:
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_refuses_overwrite(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("keep")
    try:
        with atomic_path(target):
            pass
    except InputError as exc:
        assert "--overwrite" in str(exc)
    else:
        raise AssertionError("no error")
    assert target.read_text() == "keep"
