from conftest import REPO

from irrigate.validation import run_all


def test_every_case_passes_and_is_listed_in_docs():
    text = (REPO / "docs" / "validation.md").read_text()
    results = run_all()
    assert len(results) > 100
    failed = [r.case for r in results if not r.passed]
    assert failed == []
    missing = [r.case for r in results if f"| {r.case} |" not in text]
    assert missing == []
