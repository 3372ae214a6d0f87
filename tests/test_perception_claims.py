"""The perception claims fail when the closed form they check is wrong."""
import numpy as np

from proofs_checks import CheckContext, get_claim, run_claim


def _fails(monkeypatch, name, attr, fn):
    import proofs_checks.perception_claims as mod
    monkeypatch.setattr(mod, attr, fn)
    out = run_claim(get_claim(name), CheckContext())
    assert out.result is not None and not out.passed, out.result.details


def test_w2_gaussian_claim_catches_variance_instead_of_std(monkeypatch):
    _fails(monkeypatch, "perception.w2_gaussian.vs_quantile_quadrature", "w2_gaussian",
           lambda m1, v1, m2, v2: (m1 - m2) ** 2 + (v1 - v2) ** 2)


def test_w2_cov_claim_catches_the_commuting_shortcut(monkeypatch):
    def commuting(m1, S1, m2, S2):  # ||S1^1/2 - S2^1/2||_F^2: right only if S1 S2 = S2 S1
        def r(S):
            w, V = np.linalg.eigh(S)
            return (V * np.sqrt(w)) @ V.T
        return float(np.sum((m1 - m2) ** 2) + np.sum((r(S1) - r(S2)) ** 2))
    _fails(monkeypatch, "perception.w2_gaussian_cov.vs_coupling_optimization", "w2_gaussian_cov",
           commuting)


def test_empirical_claim_catches_unsorted_pairing(monkeypatch):
    def unsorted(a, b):
        n = min(len(a), len(b))
        return float(np.mean((np.asarray(a)[:n] - np.asarray(b)[:n]) ** 2))
    _fails(monkeypatch, "perception.w2_empirical_1d.vs_linear_program", "w2_empirical_1d",
           unsorted)
