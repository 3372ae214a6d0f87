"""The README's claims table is generated from the registry and must not go stale."""
from pathlib import Path

from proofs_checks.readme_table import updated

README = Path(__file__).resolve().parents[1] / "README.md"


def test_claims_table_is_current():
    text = README.read_text(encoding="utf-8")
    assert updated(text) == text, ("README claims table is stale: run "
                                   "`python -m proofs_checks.readme_table`")


def test_readme_has_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    assert 'pip install -e . && rdptheory verify' in text
    assert 'pip install -e ".[test]" && pytest' in text


def test_readme_examples_run():
    import doctest
    result = doctest.testfile(str(README), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10 and result.failed == 0
