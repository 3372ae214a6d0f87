"""The README is the front door: the two set-up commands, runnable examples, under 300 lines.
The claims table it used to hold is generated into docs/claims.md and must not go stale."""
import doctest
from pathlib import Path

from proofs_checks.readme_table import PAGE, updated

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def test_claims_table_is_current():
    text = PAGE.read_text(encoding="utf-8")
    assert updated(text) == text, ("docs/claims.md is stale: run "
                                   "`python -m proofs_checks.readme_table`")


def test_readme_has_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    assert 'pip install -e . && rdptheory verify' in text
    assert 'pip install -e ".[test]" && pytest' in text


def test_readme_is_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) < 300


def test_readme_has_no_relative_images():
    """Relative image links break on a package index page (the README is the long
    description); images live in docs/."""
    import re
    text = README.read_text(encoding="utf-8")
    assert not [m for m in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
                if "://" not in m]


def test_readme_examples_run():
    result = doctest.testfile(str(README), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10 and result.failed == 0
