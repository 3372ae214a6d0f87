"""Negative controls: the limited-common-randomness optimality claims fail for a curve that is
too high (the converse claim) and for a curve that is too low (the approach claim)."""
import math
import types

import numpy as np

import proofs_checks.common_randomness_claims as mod
from proofs_checks import CheckContext, get_claim, run_claim

CONVERSE = "gaussian.common_randomness.converse_random_chains"
APPROACH = "gaussian.common_randomness.discrete_chains_approach_curve"


def _with_curve(fn):
    return types.SimpleNamespace(distortion_limited_common_randomness=fn)


def _outcome(monkeypatch, name, fn):
    monkeypatch.setattr(mod, "g", _with_curve(fn))
    return run_claim(get_claim(name), CheckContext())


def _fails(monkeypatch, name, fn):
    out = _outcome(monkeypatch, name, fn)
    assert out.result is not None and not out.passed, (out.result.details if out.result
                                                        else out.error)


def _a_b(R, Rc):
    return -np.expm1(-2 * R * math.log(2)), -np.expm1(-2 * (R + Rc) * math.log(2))


def test_converse_catches_a_dropped_square_root(monkeypatch):
    # 2σ²(1 − ab) instead of 2σ²(1 − sqrt(ab)): too high, so some chain lies below it
    def no_sqrt(R, Rc, s2=1.0):
        a, b = _a_b(R, Rc)
        return 2 * s2 * (1 - a * b)
    _fails(monkeypatch, CONVERSE, no_sqrt)


def test_converse_catches_common_randomness_counted_alone(monkeypatch):
    # 2^{-2 Rc} in place of 2^{-2(R + Rc)}: the decoder's budget forgets the message
    def rc_only(R, Rc, s2=1.0):
        a, _ = _a_b(R, Rc)
        b = -np.expm1(-2 * Rc * math.log(2))
        return 2 * s2 * (1 - np.sqrt(a * b))
    _fails(monkeypatch, CONVERSE, rc_only)


def test_approach_catches_unlimited_common_randomness(monkeypatch):
    # the R_c = inf curve D(R, 0) used at every R_c: too low, the chains stay far above it
    def sd_curve(R, Rc, s2=1.0):
        a, _ = _a_b(R, Rc)
        return 2 * s2 * (1 - np.sqrt(a))
    _fails(monkeypatch, APPROACH, sd_curve)


def test_approach_catches_common_randomness_counted_twice(monkeypatch):
    # 2^{-2(R + 2 Rc)}: nearly right (exact at R_c = 0), too low elsewhere
    def twice(R, Rc, s2=1.0):
        a, b = _a_b(R, 2 * Rc)
        return 2 * s2 * (1 - np.sqrt(_a_b(R, 0)[0] * b))
    _fails(monkeypatch, APPROACH, twice)


def test_both_pass_with_the_package_curve(monkeypatch):
    from rdptheory import gaussian
    for name in (CONVERSE, APPROACH):
        assert _outcome(monkeypatch, name, gaussian.distortion_limited_common_randomness).passed
