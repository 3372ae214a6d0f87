"""The registry machinery itself: verdicts derive from numbers, and checks can fail."""
import math

import pytest
from hypothesis import strategies as st

from proofs_checks import ClaimResult, all_claims, claim, select_claims
from proofs_checks._hypothesis import property_claim
from proofs_checks.registry import EVIDENCE_KIND_MEANINGS, EVIDENCE_KINDS, Claim, run_claim


@pytest.mark.parametrize("value, reference, tol, cmp, expected", [
    (1.0, 1.0, 0.0, "abs", True), (1.1, 1.0, 0.05, "abs", False), (0.9, 1.0, 0.2, "abs", True),
    (1.05, 1.0, 0.1, "le", True), (1.2, 1.0, 0.1, "le", False), (0.95, 1.0, 0.1, "ge", True),
    (0.8, 1.0, 0.1, "ge", False), (0.0, 0.0, 0.0, "gt", False), (1e-300, 0.0, 0.0, "gt", True),
    (math.nan, 0.0, 1.0, "le", False), (math.inf, 0.0, 1.0, "le", False),
    (math.inf, math.inf, 0.0, "abs", True),
])
def test_verdict_rules(value, reference, tol, cmp, expected):
    r = ClaimResult(value, reference, tol, cmp)
    assert r.passed is expected
    assert r.verdict == ("PASS" if expected else "FAIL")


def test_bad_comparison_rejected():
    with pytest.raises(ValueError, match="comparison"):
        ClaimResult(0.0, 0.0, 0.0, "approx")


def test_property_claim_catches_a_false_property():
    # "x**2 <= x" is false for x > 1: the search must find it and shrink the counterexample
    r = property_claim(lambda x: x * x - x, [st.floats(0, 10)], examples=200, tolerance=0.0,
                       what="x^2 <= x")
    assert not r.passed
    assert "counterexample" in r.details


def test_property_claim_passes_a_true_property():
    r = property_claim(lambda x: -x * x, [st.floats(-10, 10)], examples=50, tolerance=0.0,
                       what="x^2 >= 0")
    assert r.passed


def test_exception_becomes_error_outcome():
    def boom(ctx):
        raise RuntimeError("kaput")
    out = run_claim(Claim("t.boom", "s", "src", boom))
    assert out.verdict == "ERROR" and not out.passed and "kaput" in out.error


def test_select_only_and_full():
    sel, skipped = select_claims(only="gaussian.rdp.*")
    assert sel and all(c.id.startswith("gaussian.rdp.") for c in sel)
    sel_all, skipped_all = select_claims(full=True)
    assert not skipped_all


def test_every_registered_claim_declares_its_evidence_kind():
    missing = [c.id for c in all_claims() if c.kind not in EVIDENCE_KINDS]
    assert not missing, f"claims without a valid kind= (one of {EVIDENCE_KINDS}): {missing}"


def test_mpmath_claims_are_precision_claims_and_say_so():
    mp = [c for c in all_claims() if c.id.endswith(".vs_mpmath")]
    assert len(mp) >= 4
    for c in mp:
        assert c.kind == "precision" and c.statement.startswith("Precision, not correctness"), c.id


def test_unknown_kind_rejected():
    assert set(EVIDENCE_KIND_MEANINGS) == set(EVIDENCE_KINDS)
    with pytest.raises(ValueError, match="kind must be one of"):
        claim("zz.bad_kind", "s", "src", kind="vibes")
