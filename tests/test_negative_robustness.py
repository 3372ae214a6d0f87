"""Negative controls for the full-range claims (proofs_checks.robustness_claims): each check,
fed a plausible but numerically naive implementation, must FAIL."""
import math
import types

import numpy as np
import pytest

from proofs_checks import CheckContext, get_claim, run_claim
from proofs_checks import robustness_claims as rc
from rdptheory import gaussian as g


def _naive_rdp(D, P, sigma2=1.0, unit="bits"):
    """The textbook closed form in plain float64 (no rescaling, no factorisation)."""
    with np.errstate(all="ignore"):
        D, P, s2 = (np.float64(v) for v in (D, P, sigma2))
        sigma, q = np.sqrt(s2), np.sqrt(P)
        if q >= sigma or D <= 2 * sigma * q - P:
            r = 0.5 * np.log(s2 / D) if D < s2 else 0.0
        else:
            sh = sigma - q
            theta = (s2 + sh * sh - D) / 2
            r = 0.0 if theta <= 0 else 0.5 * np.log(s2 * sh * sh / (s2 * sh * sh - theta ** 2))
    return r if unit == "nats" else r / math.log(2.0)


def _naive_vector(D, variances, unit="bits"):
    """The audit's failure mode: bisection on log mu capped at e^60, D_i by the cancelling
    textbook difference."""
    lam = np.asarray(variances, dtype=float)

    def dist(mu):
        return 2 * lam - (np.sqrt(1 + 16 * mu * mu * lam * lam) - 1) / (2 * mu)
    lo, hi = -60.0, 60.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if dist(math.exp(mid)).sum() > D else (lo, mid)
    Di = dist(math.exp(0.5 * (lo + hi)))
    with np.errstate(all="ignore"):
        Ri = g._kernels.rdp_nats(Di, np.zeros_like(Di), lam)
    return types.SimpleNamespace(rate=float(Ri.sum()), converged=True, distortions=Di)


def _with(monkeypatch, **fns):
    fake = types.SimpleNamespace(**{n: getattr(g, n) for n in g.__all__})
    for k, v in fns.items():
        setattr(fake, k, v)
    monkeypatch.setattr(rc, "g", fake)


def test_negative_full_range_rdp_claim_fails_for_naive_formula(monkeypatch):
    _with(monkeypatch, rdp=_naive_rdp)
    out = run_claim(get_claim("gaussian.rdp.full_range_vs_mpmath"), CheckContext(seed=1))
    assert out.verdict == "FAIL", out.error


def test_negative_vector_claim_fails_for_capped_bisection(monkeypatch):
    _with(monkeypatch, rdp_vector_perfect_realism=_naive_vector)
    out = run_claim(get_claim("gaussian.vector_perfect_realism.full_range_vs_mpmath"),
                    CheckContext(seed=1))
    assert out.verdict == "FAIL", out.error


def test_positive_controls_pass():
    for cid in ("gaussian.rdp.full_range_vs_mpmath",
                "gaussian.vector_perfect_realism.full_range_vs_mpmath",
                "gaussian.rate_distortion.full_range_vs_mpmath"):
        assert run_claim(get_claim(cid), CheckContext(seed=1)).verdict == "PASS", cid
