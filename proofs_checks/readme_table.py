"""Generate the README's table of claims from the registry.

    python -m proofs_checks.readme_table          # rewrite the table in README.md
    python -m proofs_checks.readme_table --check  # exit 1 if README.md is stale

The table sits between the markers ``<!-- claims:start -->`` and ``<!-- claims:end -->``;
``tests/test_readme.py`` fails when it no longer matches the registry.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .registry import all_claims
from rdptheory._readme import replace_block

START, END = "<!-- claims:start -->", "<!-- claims:end -->"


def render():
    rows = ["| claim | statement | source | cost |", "|---|---|---|---|"]
    for c in all_claims():
        cells = [f"`{c.id}`", c.statement, c.source, c.cost]
        rows.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    return "\n".join(rows)


def updated(text):
    return replace_block(text, START, END, render())


def main(argv=None):
    ap = argparse.ArgumentParser(description="README table of claims")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--readme", default=str(Path(__file__).resolve().parents[1] / "README.md"))
    a = ap.parse_args(argv)
    path = Path(a.readme)
    text = path.read_text(encoding="utf-8")
    new = updated(text)
    if a.check:
        return 0 if new == text else 1
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
