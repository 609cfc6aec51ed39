from conftest import REPO

from irrigate.variables import VARIABLES, attrs_for, markdown_table


def test_docs_variables_table_is_current():
    text = (REPO / "docs" / "variables.md").read_text()
    assert markdown_table() in text


def test_every_variable_has_units_and_long_name():
    for v in VARIABLES.values():
        assert v.units and v.long_name, v.name


def test_attrs_for_unknown_name_raises():
    assert attrs_for("et0")["units"] == "mm day-1"
    try:
        attrs_for("not_a_variable")
    except KeyError:
        return
    raise AssertionError("unknown variable accepted")
