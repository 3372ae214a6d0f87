"""Every registered claim, run exactly as `rdptheory verify` runs it.

Quick claims run by default; the expensive ones (cost 'full') are marked slow. Each claim's
verdict comes from its ClaimResult, so the suite and the CLI cannot disagree.
"""
import pytest

from proofs_checks import CheckContext, all_claims, run_claim

CLAIMS = all_claims()


@pytest.mark.parametrize(
    "claim", [pytest.param(c, id=c.id, marks=[pytest.mark.slow] if c.cost == "full" else [])
              for c in CLAIMS])
def test_claim(claim):
    outcome = run_claim(claim, CheckContext(full=claim.cost == "full"))
    detail = outcome.result.details if outcome.result else outcome.error
    assert outcome.passed, f"{claim.id}: {outcome.verdict}\n{detail}"


@pytest.mark.slow
@pytest.mark.parametrize("claim", [pytest.param(c, id=c.id) for c in CLAIMS if c.cost == "quick"])
def test_claim_full_variant(claim):
    """The --full variant of every quick claim (denser grids, more hypothesis examples)."""
    outcome = run_claim(claim, CheckContext(full=True))
    assert outcome.passed, outcome.result.details if outcome.result else outcome.error


def test_every_claim_is_documented():
    ids = [c.id for c in CLAIMS]
    assert len(ids) == len(set(ids))
    for c in CLAIMS:
        assert c.statement and c.source, c.id
        assert c.cost in ("quick", "full")
