"""Generate the documentation's table of claims (``docs/claims.md``) from the registry.

    python -m proofs_checks.readme_table          # rewrite the table in docs/claims.md
    python -m proofs_checks.readme_table --check  # exit 1 if docs/claims.md is stale

The table sits between the markers ``<!-- claims:start -->`` and ``<!-- claims:end -->``;
``tests/test_readme.py`` fails when it no longer matches the registry. (The module keeps its
name from the time the table lived in the README.)
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .registry import EVIDENCE_KIND_MEANINGS, all_claims
from rdptheory._readme import replace_block

START, END = "<!-- claims:start -->", "<!-- claims:end -->"
#: The page holding the table.
PAGE = Path(__file__).resolve().parents[1] / "docs" / "claims.md"


def render():
    rows = ["| claim | statement | source | kind | cost |", "|---|---|---|---|---|"]
    for c in all_claims():
        cells = [f"`{c.id}`", c.statement, c.source, c.kind or "—", c.cost]
        rows.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    counts = Counter(c.kind or "unclassified" for c in all_claims())
    legend = "; ".join(f"**{k}** ({counts.get(k, 0)}): {v}"
                       for k, v in EVIDENCE_KIND_MEANINGS.items())
    return "\n".join(rows + ["", f"Evidence kinds (number of claims): {legend}."])


def updated(text):
    return replace_block(text, START, END, render())


def main(argv=None):
    ap = argparse.ArgumentParser(description="table of claims in docs/claims.md")
    ap.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    ap.add_argument("--page", default=str(PAGE), help="the page to rewrite")
    a = ap.parse_args(argv)
    path = Path(a.page)
    text = path.read_text(encoding="utf-8")
    new = updated(text)
    if a.check:
        return 0 if new == text else 1
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
