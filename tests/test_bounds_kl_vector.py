"""rdptheory.bounds.gaussian_kl_vector: inputs, units, rotation invariance, result fields, and the
counterexample that keeps the 'kl' direction an upper bound."""
import math

import numpy as np
import pytest

from rdptheory.bounds import gaussian_rdp_kl_vector
from rdptheory.bounds.closed_forms import gaussian_rdp_kl


def test_fields_and_budgets():
    lam = np.array([2.0, 1.0, 0.5, 0.1])
    r = gaussian_rdp_kl_vector(0.8, 0.05, lam)
    assert r.converged and abs(r.gap) < 1e-9
    assert r.distortions.sum() == pytest.approx(0.8, rel=1e-9)
    assert r.perceptions.sum() <= 0.05 * (1 + 1e-9)
    assert r.rates.sum() == pytest.approx(r.rate, rel=1e-12)
    # each component is its own scalar problem at its allocated (D_i, P_i)
    per = [float(gaussian_rdp_kl(d, p, s, direction="kl-reverse"))
           for d, p, s in zip(r.distortions, r.perceptions, lam)]
    np.testing.assert_allclose(per, r.rates, atol=1e-8)


def test_nats_and_bits():
    b = gaussian_rdp_kl_vector(0.8, 0.05, [2.0, 1.0])
    n = gaussian_rdp_kl_vector(0.8, 0.05, [2.0, 1.0], unit="nats")
    assert n.rate == pytest.approx(b.rate * math.log(2), rel=1e-9)


def test_covariance_is_rotation_invariant():
    rng = np.random.default_rng(3)
    Q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    lam = np.array([1.5, 0.7, 0.2])
    C = Q @ np.diag(lam) @ Q.T
    a = gaussian_rdp_kl_vector(0.6, 0.03, covariance=C, direction="kl")
    b = gaussian_rdp_kl_vector(0.6, 0.03, lam, direction="kl")
    assert a.rate == pytest.approx(b.rate, abs=1e-9)


def test_zero_variance_components_are_free():
    a = gaussian_rdp_kl_vector(0.5, 0.02, [1.0, 0.0])
    b = gaussian_rdp_kl_vector(0.5, 0.02, [1.0])
    assert a.rate == pytest.approx(b.rate, abs=1e-12) and a.rates[1] == 0.0


@pytest.mark.parametrize("kwargs, match", [
    (dict(D=float("nan"), P=0.1, variances=[1.0]), "D"),
    (dict(D=0.0, P=0.1, variances=[1.0]), "D"),
    (dict(D=0.5, P=-1.0, variances=[1.0]), "P"),
    (dict(D=0.5, P=1j, variances=[1.0]), "P"),
    (dict(D=0.5, P=0.1, variances=[]), "variances"),
    (dict(D=0.5, P=0.1, variances=[0.0, 0.0]), "variances"),
    (dict(D=0.5, P=0.1, variances=[1.0], direction="tv"), "direction"),
    (dict(D=0.5, P=0.1, variances=[1.0], unit="dB"), "unit"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        gaussian_rdp_kl_vector(**kwargs)


def test_forward_kl_is_not_superadditive_for_a_product_source():
    # P = Bern(1/2)^2 (product), Q: Q1(0) = 0.99, Q(x2=1 | x1=0) = 0.01, Q(. | x1=1) = Bern(1/2).
    # D(P||Q) < D(P1||Q1) + D(P2||Q2): why the 'kl' allocation is only an upper bound.
    P = np.full((2, 2), 0.25)
    Q = np.array([[0.99 * 0.99, 0.99 * 0.01], [0.01 * 0.5, 0.01 * 0.5]])
    kl = lambda p, q: float(np.sum(p * np.log(p / q)))   # noqa: E731
    joint = kl(P, Q)
    marg = kl(P.sum(1), Q.sum(1)) + kl(P.sum(0), Q.sum(0))
    assert joint < marg - 0.5                            # 2.42 vs 3.03 nats


def test_negligible_components_and_the_component_cap():
    """A variance 1e-300 next to 1: not coded (rate 0, KL 0, its own law, distortion twice its
    variance), the rest as without it; more than 1000 components are refused."""
    a = gaussian_rdp_kl_vector(0.5, 0.1, [1e-300, 1.0])
    b = gaussian_rdp_kl_vector(0.5, 0.1, [1.0])
    assert np.isfinite(a.rate) and a.rate == pytest.approx(b.rate, abs=1e-12)
    assert a.rates[0] == 0.0 and a.perceptions[0] == 0.0 and a.output_variances[0] == 1e-300
    assert a.distortions[0] == 2e-300
    with pytest.raises(ValueError, match="variances must have at most 1000"):
        gaussian_rdp_kl_vector(0.5, 0.1, np.ones(1001))
    with pytest.raises(ValueError, match="^D must exceed"):
        gaussian_rdp_kl_vector(1e-13, 0.1, [1e-12, 1.0, 1.0])


def test_extreme_budgets_end_quickly_and_flag_themselves():
    r = gaussian_rdp_kl_vector(1e300, 1e300, [1e300, 1.0])
    assert r.rate == pytest.approx(0.0, abs=1e-9)
    r = gaussian_rdp_kl_vector(1e-300, 0.1, [1.0])
    assert np.isfinite(r.rate) and r.rate > 20
