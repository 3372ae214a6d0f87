"""Tests of rdptheory.perception against closed forms from the literature and independent methods.

Monte Carlo checks use tolerances from the estimator's own standard error (4 SE) plus, where
it matters, the finite-sample bias computed independently (order-statistic quadrature).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import erfcx, ndtr, ndtri

from rdptheory.perception import (G_SPHERE_LIMIT, empirical_w2_bias_gaussian, SlicedW2, quantile_from_cdf,
                                  sd_ltc_perception_bounds, sliced_w2, w2_1d_quantile,
                                  w2_empirical_1d, w2_gaussian, w2_gaussian_cov)

SQRT2 = math.sqrt(2.0)
REF_4I = 2.0                          # N(1, I) vs N(0, 4I), per dimension (reference section 6)
REF_2I = 1.0 + (1.0 - SQRT2) ** 2     # N(1, I) vs N(0, 2I), per dimension, ~1.1716


# ---------------------------------------------------------------------------------------------
# Independent helpers
# ---------------------------------------------------------------------------------------------

def beta_N(N, ngrid=20001):
    """(1/N) sum_i Var(Z_(i:N)) for standard normal order statistics (the library's quadrature,
    checked against Harter's 1961 tables in test_empirical_bias_matches_order_statistic_formula).
    The empirical W2^2 between independent N-samples of N(m1, s1^2) and N(m2, s2^2) has
    expectation (m1-m2)^2 + (s1-s2)^2 + 2 s1 s2 beta_N."""
    return empirical_w2_bias_gaussian(N, grid=ngrid) / 2.0


def _psi(z):
    """Antiderivative of Phi: psi(z) = z Phi(z) + phi(z), without cancellation for z < 0."""
    z0 = np.asarray(z, dtype=float)
    z = np.atleast_1d(z0)
    phi = np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    out = z * ndtr(z) + phi
    neg = z < -1.0
    zn = z[neg]
    out[neg] = phi[neg] * (1.0 + zn * math.sqrt(math.pi / 2.0) * erfcx(-zn / SQRT2))
    return out.reshape(z0.shape)


def gauss_plus_uniform_cdf(y, sigma, delta):
    """CDF of N(0, sigma^2) + Unif(-delta/2, delta/2) in closed form."""
    y = np.asarray(y, dtype=float)
    return sigma / delta * (_psi((y + delta / 2) / sigma) - _psi((y - delta / 2) / sigma))


def sd_ltc_1d(D, P, sigma2=1.0):
    """beta and eta^2 of SD-LTC from the formulas of reference section 3."""
    sigma = math.sqrt(sigma2)
    if math.sqrt(P) < sigma - math.sqrt(abs(sigma2 - D)):
        sh = sigma - math.sqrt(P)
        theta = max((sigma2 + sh * sh - D) / 2.0, 0.0)
        return theta / sigma2, sigma2 * (sigma2 * sh * sh / theta ** 2 - 1.0)
    return (sigma2 - D) / sigma2, D * sigma2 / (sigma2 - D)


def gaussian_sliced_exact(m1, S1, m2, S2, n_dirs, seed):
    """Population sliced W2^2 of two Gaussians: mean over random directions of the closed-form
    1-D distance (no samples), with its standard error."""
    g = np.random.default_rng(seed)
    th = g.standard_normal((n_dirs, len(m1)))
    th /= np.linalg.norm(th, axis=1, keepdims=True)
    v = (th @ (np.asarray(m1) - np.asarray(m2))) ** 2 + (
        np.sqrt(np.einsum("ki,ij,kj->k", th, S1, th))
        - np.sqrt(np.einsum("ki,ij,kj->k", th, S2, th))) ** 2
    return v.mean(), v.std(ddof=1) / math.sqrt(n_dirs)


# ---------------------------------------------------------------------------------------------
# Gaussian closed forms
# ---------------------------------------------------------------------------------------------

def test_w2_gaussian_reference_values():
    assert w2_gaussian(1.0, 1.0, 0.0, 4.0) == pytest.approx(REF_4I, rel=1e-15)
    assert w2_gaussian(1.0, 1.0, 0.0, 2.0) == pytest.approx(REF_2I, rel=1e-15)
    assert REF_2I == pytest.approx(1.1716, abs=1e-4)
    out = w2_gaussian([0.0, 1.0], [[1.0], [4.0]], 0.0, 1.0)    # broadcasting
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out, [[0.0, 1.0], [1.0, 2.0]], rtol=1e-15)
    assert w2_gaussian(0.0, 0.0, 0.0, 0.0) == 0.0
    assert w2_gaussian(3.0, 0.0, 0.0, 0.0) == 9.0


def test_w2_gaussian_no_cancellation_for_close_variances():
    import mpmath as mp
    mp.mp.dps = 40
    v2 = 1.0 + 1e-10
    exact = (mp.sqrt(mp.mpf(1)) - mp.sqrt(mp.mpf(v2))) ** 2
    assert w2_gaussian(0.0, 1.0, 0.0, v2) == pytest.approx(float(exact), rel=1e-12)


def test_w2_gaussian_cov_matches_scalar_on_diagonal():
    g = np.random.default_rng(1)
    m1, m2 = g.standard_normal(5), g.standard_normal(5)
    v1, v2 = g.uniform(0.1, 3.0, 5), g.uniform(0.1, 3.0, 5)
    ref = float(np.sum(w2_gaussian(m1, v1, m2, v2)))
    assert w2_gaussian_cov(m1, np.diag(v1), m2, np.diag(v2)) == pytest.approx(ref, rel=1e-13)
    n = 8
    assert w2_gaussian_cov(np.ones(n), np.eye(n), np.zeros(n), 4 * np.eye(n)) / n == \
        pytest.approx(REF_4I, rel=1e-14)
    assert w2_gaussian_cov(np.ones(n), np.eye(n), np.zeros(n), 2 * np.eye(n)) / n == \
        pytest.approx(REF_2I, rel=1e-14)


def test_w2_gaussian_cov_commuting_and_2x2_closed_forms():
    g = np.random.default_rng(2)
    n = 6
    Q, _ = np.linalg.qr(g.standard_normal((n, n)))
    a, b = g.uniform(0.0, 4.0, n), g.uniform(0.0, 4.0, n)
    a[0] = 0.0                                    # singular covariance allowed
    S1, S2 = Q @ np.diag(a) @ Q.T, Q @ np.diag(b) @ Q.T
    ref = float(np.sum((np.sqrt(a) - np.sqrt(b)) ** 2))   # ||S1^1/2 - S2^1/2||_F^2
    assert w2_gaussian_cov(np.zeros(n), S1, np.zeros(n), S2) == pytest.approx(ref, rel=1e-11)
    # Non-commuting 2x2: tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)) for 2x2 PSD M
    A, B = g.standard_normal((2, 2)), g.standard_normal((2, 2))
    S1, S2 = A @ A.T, B @ B.T
    cross = math.sqrt(np.trace(S1 @ S2) + 2.0 * math.sqrt(np.linalg.det(S1) * np.linalg.det(S2)))
    ref = np.trace(S1) + np.trace(S2) - 2.0 * cross + 1.0
    got = w2_gaussian_cov([1.0, 0.0], S1, [0.0, 0.0], S2)
    assert got == pytest.approx(ref, rel=1e-12)
    # point mass vs Gaussian: ||dm||^2 + tr S2
    assert w2_gaussian_cov([1.0, 2.0], np.zeros((2, 2)), [0.0, 0.0], S2) == \
        pytest.approx(5.0 + np.trace(S2), rel=1e-13)


def test_w2_gaussian_cov_matches_scipy_sqrtm():
    from scipy.linalg import sqrtm
    g = np.random.default_rng(3)
    n = 7
    A, B = g.standard_normal((n, n)), g.standard_normal((n, n))
    S1, S2 = A @ A.T + 0.1 * np.eye(n), B @ B.T + 0.1 * np.eye(n)
    m1, m2 = g.standard_normal(n), g.standard_normal(n)
    R = sqrtm(S2).real
    ref = np.sum((m1 - m2) ** 2) + np.trace(S1 + S2 - 2.0 * sqrtm(R @ S1 @ R).real)
    assert w2_gaussian_cov(m1, S1, m2, S2) == pytest.approx(ref, rel=1e-9)
    # symmetric in its arguments
    assert w2_gaussian_cov(m2, S2, m1, S1) == pytest.approx(ref, rel=1e-9)


# ---------------------------------------------------------------------------------------------
# 1-D empirical
# ---------------------------------------------------------------------------------------------

def test_w2_empirical_1d_equal_and_unequal_sizes_exact():
    g = np.random.default_rng(4)
    a, b = g.standard_normal(50), g.standard_normal(50)
    assert w2_empirical_1d(a, b) == pytest.approx(np.mean((np.sort(a) - np.sort(b)) ** 2),
                                                  rel=1e-15)
    # M = 3N: the empirical measure of a equals that of a repeated 3 times
    b3 = g.standard_normal(150)
    assert w2_empirical_1d(a, b3) == pytest.approx(w2_empirical_1d(np.repeat(a, 3), b3),
                                                   rel=1e-13)
    assert w2_empirical_1d(b3, a) == pytest.approx(w2_empirical_1d(a, b3), rel=1e-13)


def test_w2_empirical_1d_unequal_sizes_vs_linear_program():
    from scipy.optimize import linprog
    g = np.random.default_rng(5)
    for N, M in [(5, 7), (4, 6), (3, 11)]:
        a, b = g.standard_normal(N), 2.0 + g.standard_normal(M)
        C = (a[:, None] - b[None, :]) ** 2
        A_eq = np.vstack([np.kron(np.eye(N), np.ones(M)), np.kron(np.ones(N), np.eye(M))])
        b_eq = np.concatenate([np.full(N, 1.0 / N), np.full(M, 1.0 / M)])
        lp = linprog(C.ravel(), A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert lp.status == 0
        assert w2_empirical_1d(a, b) == pytest.approx(lp.fun, rel=1e-9)


def test_empirical_bias_matches_order_statistic_formula():
    """E W2^2(emp, emp) = W2^2 + 2 s1 s2 beta_N for Gaussian samples of equal size N."""
    b10 = beta_N(10)
    # Expected normal order statistics for N = 10 (Harter 1961 tables)
    m = np.array([0.12267, 0.37576, 0.65606, 1.00136, 1.53875])
    assert b10 == pytest.approx(1.0 - 2.0 * np.sum(m ** 2) / 10, abs=2e-5)
    # the coarse grid used for large N agrees with the fine one
    assert beta_N(1000, ngrid=4001) == pytest.approx(beta_N(1000), abs=1e-11)
    N, R = 100, 4000
    b100 = beta_N(N)
    assert b100 == pytest.approx(0.0274, abs=1e-4)
    g = np.random.default_rng(6)
    for (m1, s1, m2, s2) in [(0.0, 1.0, 0.0, 1.0), (1.0, 1.0, 0.0, 2.0)]:
        vals = np.array([w2_empirical_1d(m1 + s1 * g.standard_normal(N),
                                         m2 + s2 * g.standard_normal(N)) for _ in range(R)])
        se = vals.std(ddof=1) / math.sqrt(R)
        exact = (m1 - m2) ** 2 + (s1 - s2) ** 2
        expected = exact + 2.0 * s1 * s2 * b100
        assert abs(vals.mean() - expected) <= 4.0 * se
        assert vals.mean() - exact > 8.0 * se        # the bias is real and positive


def test_w2_empirical_1d_large_samples_reference_values():
    N, R = 20000, 12
    bias = beta_N(N, ngrid=4001)
    g = np.random.default_rng(7)
    for var2, ref in [(4.0, REF_4I), (2.0, REF_2I)]:
        vals = np.array([w2_empirical_1d(1.0 + g.standard_normal(N),
                                         math.sqrt(var2) * g.standard_normal(N))
                         for _ in range(R)])
        se = vals.std(ddof=1) / math.sqrt(R)
        assert abs(vals.mean() - (ref + 2.0 * math.sqrt(var2) * bias)) <= 4.0 * se


# ---------------------------------------------------------------------------------------------
# Quantile functions
# ---------------------------------------------------------------------------------------------

def test_quantile_from_cdf_inverts_normal_cdf():
    q = quantile_from_cdf(stats.norm.cdf, -40.0, 40.0, sf=stats.norm.sf)
    p = np.concatenate([np.logspace(-12, -1, 12), np.linspace(0.05, 0.95, 19),
                        1.0 - np.logspace(-1, -12, 12)])
    np.testing.assert_allclose(q(p), stats.norm.ppf(p), rtol=0, atol=1e-10)
    for pp in [1e-12, 0.3, 0.5, 0.9, 1 - 1e-12]:     # scalar path (brentq)
        assert abs(q(pp) - stats.norm.ppf(pp)) < 1e-10
    q_nosf = quantile_from_cdf(stats.norm.cdf, -40.0, 40.0)
    p = np.linspace(1e-9, 0.999, 50)
    np.testing.assert_allclose(q_nosf(p), stats.norm.ppf(p), rtol=0, atol=1e-10)


def test_quantile_from_cdf_piecewise_linear_mixture():
    """A mixture of uniforms on the cells of the lattice 0.7 Z with Gaussian cell masses has a
    piecewise-linear CDF interpolating Phi at the cell edges, so the quantile is np.interp."""
    delta = 0.7
    edges = delta * (np.arange(-15, 16) + 0.5)

    def cdf(y):
        return np.interp(y, edges, ndtr(edges), left=0.0, right=1.0)

    q = quantile_from_cdf(cdf, edges[0], edges[-1])
    p = np.linspace(ndtr(edges[0]), ndtr(edges[-1]), 1001)
    np.testing.assert_allclose(q(p), np.interp(p, ndtr(edges), edges), rtol=0, atol=1e-12)


def test_quantile_from_cdf_bracket_errors():
    q = quantile_from_cdf(ndtr, -5.0, 5.0)
    with pytest.raises(ValueError, match="lo"):
        q(1e-9)
    with pytest.raises(ValueError, match="hi"):
        q(1 - 1e-9)
    with pytest.raises(ValueError, match="p"):
        q(float("nan"))
    with pytest.raises(ValueError, match="lo must be < hi"):
        quantile_from_cdf(ndtr, 1.0, -1.0)
    with pytest.raises(ValueError, match="cdf must be callable"):
        quantile_from_cdf(3.0, -1.0, 1.0)


def test_w2_1d_quantile_gaussian_reference_values():
    for var2, ref in [(4.0, REF_4I), (2.0, REF_2I)]:
        s = math.sqrt(var2)
        q1, q2 = (lambda t: 1.0 + ndtri(t)), (lambda t, s=s: s * ndtri(t))
        val, err = w2_1d_quantile(q1, q2, return_error=True)
        assert abs(val - ref) < 1e-11 and err < 1e-8
        assert w2_1d_quantile(q1, q2, method="tanhsinh") == pytest.approx(ref, abs=1e-14)
    # through quantile_from_cdf of the closed-form CDFs (vectorized path)
    qa = quantile_from_cdf(lambda x: ndtr(x - 1.0), -40.0, 40.0, sf=lambda x: ndtr(1.0 - x))
    qb = quantile_from_cdf(lambda x: ndtr(x / 2.0), -80.0, 80.0, sf=lambda x: ndtr(-x / 2.0))
    assert w2_1d_quantile(qa, qb, method="tanhsinh") == pytest.approx(REF_4I, abs=1e-10)


def test_w2_1d_quantile_non_gaussian_closed_forms():
    # N(0,1) vs U(-sqrt3, sqrt3): 2 - 2 sqrt3 E[Z(2Phi(Z)-1)] = 2 - 2 sqrt(3/pi)
    ref = 2.0 - 2.0 * math.sqrt(3.0 / math.pi)
    uq = lambda t: math.sqrt(3.0) * (2.0 * np.asarray(t) - 1.0)  # noqa: E731
    assert w2_1d_quantile(ndtri, uq) == pytest.approx(ref, abs=1e-11)
    assert w2_1d_quantile(ndtri, uq, method="tanhsinh") == pytest.approx(ref, abs=1e-13)
    # Exp(1) vs Exp(rate 2): (1 - 1/2)^2 E[E^2] = 0.5 (log singularity at t = 1)
    e1, e2 = (lambda t: -np.log1p(-np.asarray(t))), (lambda t: -0.5 * np.log1p(-np.asarray(t)))
    assert w2_1d_quantile(e1, e2) == pytest.approx(0.5, abs=1e-11)
    assert w2_1d_quantile(e1, e2, method="tanhsinh") == pytest.approx(0.5, abs=1e-12)
    # U(0,1) vs U(a,b): a^2 + a(b-a-1) + (b-a-1)^2/3
    a, b = 0.3, 2.5
    ref = a * a + a * (b - a - 1) + (b - a - 1) ** 2 / 3
    assert w2_1d_quantile(lambda t: t, lambda t: a + (b - a) * t) == pytest.approx(ref, abs=1e-13)


def test_w2_1d_quantile_lattice_mixture_with_points_vs_samples():
    """Gaussian vs the uniform-on-cells mixture of test above: quadrature with the cell masses
    as break points, the same with quantile_from_cdf, and the empirical distance of large
    samples (replicates, 4 SE)."""
    delta = 1.2
    edges = delta * (np.arange(-12, 13) + 0.5)
    masses = ndtr(edges)
    qmix = lambda t: np.interp(t, masses, edges)    # noqa: E731
    w = w2_1d_quantile(ndtri, qmix, points=masses[(masses > 0) & (masses < 1)],
                       method="tanhsinh")
    w_quad = w2_1d_quantile(ndtri, qmix, points=masses[(masses > 0) & (masses < 1)])
    assert w_quad == pytest.approx(w, abs=1e-10)
    q = quantile_from_cdf(lambda y: np.interp(y, edges, masses, left=0.0, right=1.0),
                          edges[0], edges[-1])
    assert w2_1d_quantile(ndtri, q, points=masses[(masses > 0) & (masses < 1)],
                          method="tanhsinh") == pytest.approx(w, abs=1e-10)
    g = np.random.default_rng(8)
    N, R = 100000, 10
    vals = []
    for _ in range(R):
        x = g.standard_normal(N)
        k = np.round(g.standard_normal(N) / delta)          # Q(X) on delta Z
        xhat = delta * (k + g.uniform(-0.5, 0.5, N))         # + uniform on the cell
        vals.append(w2_empirical_1d(x, xhat))
    vals = np.array(vals)
    se = vals.std(ddof=1) / math.sqrt(R)
    # The empirical bias is positive and, for unit-variance near-Gaussian samples, about
    # 2 beta_N ~ 3e-5 at N = 1e5: allow it on the upper side only.
    assert -4.0 * se <= vals.mean() - w <= 4.0 * se + 2.0 * 4e-5


# ---------------------------------------------------------------------------------------------
# Sliced W2
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("var2, ref", [(4.0, REF_4I), (2.0, REF_2I)])
def test_sliced_w2_isotropic_gaussians_per_dimension(var2, ref):
    n, N, K = 8, 2000, 1500
    g = np.random.default_rng(9)
    x = 1.0 + g.standard_normal((N, n))
    y = math.sqrt(var2) * g.standard_normal((N, n))
    r = sliced_w2(x, y, n_projections=K, rng=10)
    assert isinstance(r, SlicedW2) and r.n_projections == K and r.dim == n
    bias = 2.0 * math.sqrt(var2) * beta_N(N, ngrid=4001)     # exact for Gaussian projections
    assert abs(r.estimate - (ref + bias)) <= 4.0 * r.stderr_total
    assert r.stderr < r.stderr_total
    # equal to (1/n) W2^2 of the closed form
    assert w2_gaussian_cov(np.ones(n), np.eye(n), np.zeros(n), var2 * np.eye(n)) / n == \
        pytest.approx(ref, rel=1e-14)


def test_sliced_below_per_dimension_w2_for_non_isotropic():
    from scipy.integrate import quad
    S1, S2 = np.diag([4.0, 1.0]), np.diag([1.0, 4.0])
    per_dim = w2_gaussian_cov([0, 0], S1, [0, 0], S2) / 2
    assert per_dim == pytest.approx(1.0, rel=1e-14)

    def proj(phi):
        c, s = math.cos(phi), math.sin(phi)
        return math.sqrt(4 * c * c + s * s), math.sqrt(c * c + 4 * s * s)

    sw = quad(lambda p: (proj(p)[0] - proj(p)[1]) ** 2, 0, 2 * math.pi)[0] / (2 * math.pi)
    assert sw == pytest.approx(0.4861, abs=1e-4) and sw < per_dim
    # Monte Carlo from samples, bias = mean over directions of 2 s1(theta) s2(theta) beta_N
    N = 3000
    bias = quad(lambda p: 2 * proj(p)[0] * proj(p)[1], 0, 2 * math.pi)[0] / (2 * math.pi) \
        * beta_N(N, ngrid=4001)
    g = np.random.default_rng(11)
    x = g.standard_normal((N, 2)) * [2.0, 1.0]
    y = g.standard_normal((N, 2)) * [1.0, 2.0]
    r = sliced_w2(x, y, n_projections=2000, rng=12)
    assert abs(r.estimate - (sw + bias)) <= 4.0 * r.stderr_total


def test_sliced_stderr_total_is_calibrated_and_stderr_alone_is_not():
    """N(0, I) vs N(0, 4I): every direction gives about the same value, so the spread over
    directions (stderr) misses the sampling noise; stderr_total (directions + delta-method
    sampling term) matches the spread over independent replicates."""
    n, N, K, R = 4, 1000, 200, 20
    g = np.random.default_rng(15)
    res = [sliced_w2(g.standard_normal((N, n)), 2.0 * g.standard_normal((N, n)),
                     n_projections=K, rng=r) for r in range(R)]
    est = np.array([r.estimate for r in res])
    spread = est.std(ddof=1)
    total = np.mean([r.stderr_total for r in res])
    assert 0.6 <= spread / total <= 1.6          # sd of a 20-sample sd is ~16 %
    assert np.mean([r.stderr for r in res]) < 0.3 * spread
    # and the replicate mean agrees with 1 + bias within its own standard error
    bias = 2.0 * 2.0 * beta_N(N)
    assert abs(est.mean() - (1.0 + bias)) <= 4.0 * spread / math.sqrt(R)


def test_sliced_inequality_random_gaussians():
    """SW2^2 <= W2^2 / n (projected optimal coupling), on population Gaussians."""
    g = np.random.default_rng(13)
    for n in (3, 5):
        A, B = g.standard_normal((n, n)), g.standard_normal((n, n))
        S1, S2 = A @ A.T, B @ B.T
        m1, m2 = g.standard_normal(n), g.standard_normal(n)
        sw, se = gaussian_sliced_exact(m1, S1, m2, S2, 40000, seed=n)
        assert sw + 4 * se <= w2_gaussian_cov(m1, S1, m2, S2) / n
    # isotropic: equality
    sw, se = gaussian_sliced_exact(np.ones(4), np.eye(4), np.zeros(4), 4 * np.eye(4), 40000, 1)
    assert abs(sw - REF_4I) <= 4 * se


def test_sliced_w2_reproducible_chunk_independent_and_1d():
    g = np.random.default_rng(14)
    x, y = g.standard_normal((500, 3)), 2 * g.standard_normal((700, 3))   # unequal sizes
    r1 = sliced_w2(x, y, n_projections=64, rng=5)
    r2 = sliced_w2(x, y, n_projections=64, rng=5, chunk_elements=1000)
    r4 = sliced_w2(x, y, n_projections=64, rng=5, sampling_error=False)
    assert r4.estimate == r1.estimate and r4.stderr == r1.stderr
    assert math.isnan(r4.stderr_sampling)
    r3 = sliced_w2(x, y, n_projections=64, rng=np.random.default_rng(5))
    # chunking changes only BLAS blocking of the projections: the last bits may differ
    assert r2.n_projections == r1.n_projections
    assert r2.estimate == pytest.approx(r1.estimate, rel=1e-13)
    assert r2.stderr == pytest.approx(r1.stderr, rel=1e-12)    # BLAS blocking: last bits only
    assert r2.stderr_sampling == pytest.approx(r1.stderr_sampling, rel=1e-12)
    assert r3.n_projections == 64 and math.isfinite(r3.estimate)
    # n = 1: every direction is +-1, so the estimate is the 1-D distance and stderr is 0
    a, b = g.standard_normal(300), g.standard_normal(300) + 1
    r = sliced_w2(a, b, n_projections=10, rng=0)
    assert r.estimate == pytest.approx(w2_empirical_1d(a, b), rel=1e-12)
    assert r.stderr == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(sliced_w2(x, y, n_projections=1, rng=0).stderr)


# ---------------------------------------------------------------------------------------------
# SD-LTC perception bounds
# ---------------------------------------------------------------------------------------------

def test_sd_ltc_bounds_formula_and_limits():
    D, P = 0.5, 0.05
    L = math.log(2 * math.pi * math.e / 12)
    lo, up12 = sd_ltc_perception_bounds(D, P, 1 / 12)
    assert lo == P
    assert up12 == pytest.approx((math.sqrt(P) + (1 - math.sqrt(P)) * math.sqrt(L)) ** 2,
                               rel=1e-14)
    lo, up = sd_ltc_perception_bounds(D, P, G_SPHERE_LIMIT)     # gap closes
    assert lo == P and up == pytest.approx(P, rel=1e-12)
    lo, up = sd_ltc_perception_bounds(D, P, 1 / (2 * np.pi * np.e))
    assert up == pytest.approx(P, rel=1e-12)
    # sigma2 scaling: bounds scale with sigma2 when D and P do
    lo4, up4 = sd_ltc_perception_bounds(4 * D, 4 * P, 1 / 12, sigma2=4.0)
    assert lo4 == pytest.approx(4 * P) and up4 == pytest.approx(4 * up12)
    # inactive regime: tighter than the active formula, lower <= P
    D, P = 0.2, 0.5
    lo, up = sd_ltc_perception_bounds(D, P, 1 / 12)
    assert lo == pytest.approx((1 - math.sqrt(0.8)) ** 2) and lo <= P
    assert up <= (math.sqrt(P) + (1 - math.sqrt(P)) * math.sqrt(L)) ** 2
    # broadcasting
    lo, up = sd_ltc_perception_bounds([0.5, 1.0], 0.0, [[1 / 12], [0.0717]])
    assert lo.shape == up.shape == (2, 2) and np.all(up >= lo)


@pytest.mark.parametrize("D, P", [(0.5, 0.0), (1.0, 0.0), (0.5, 0.05), (0.3, 0.2), (0.2, 0.5)])
def test_sd_ltc_bounds_contain_exact_scalar_lattice_perception(D, P):
    """n = 1, Lambda = Delta Z (G = 1/12): x_hat = beta (x + u); its exact W2^2 to N(0,1) by
    quantile quadrature of the closed-form CDF lies between the bounds."""
    beta, eta2 = sd_ltc_1d(D, P)
    if (D, P) == (0.5, 0.0):
        assert eta2 == pytest.approx(7 / 9) and beta == pytest.approx(0.75)
    delta = math.sqrt(12 * eta2)
    q = quantile_from_cdf(lambda y: gauss_plus_uniform_cdf(np.asarray(y) / beta, 1.0, delta),
                          -30.0, 30.0,
                          sf=lambda y: gauss_plus_uniform_cdf(-np.asarray(y) / beta, 1.0, delta))
    w = w2_1d_quantile(ndtri, q, method="tanhsinh")
    lo, up = sd_ltc_perception_bounds(D, P, 1 / 12)
    assert lo - 1e-12 <= w <= up
    # the variance of x_hat is the Gaussian-optimal one, so the lower bound is the Gelbrich one
    assert lo == pytest.approx((1 - beta * math.sqrt(1 + eta2)) ** 2, abs=1e-12)


def test_sd_ltc_bounds_quad_path_agrees():
    D, P = 0.5, 0.05
    beta, eta2 = sd_ltc_1d(D, P)
    delta = math.sqrt(12 * eta2)
    q = quantile_from_cdf(lambda y: gauss_plus_uniform_cdf(np.asarray(y) / beta, 1.0, delta),
                          -30.0, 30.0,
                          sf=lambda y: gauss_plus_uniform_cdf(-np.asarray(y) / beta, 1.0, delta))
    assert w2_1d_quantile(ndtri, q) == pytest.approx(
        w2_1d_quantile(ndtri, q, method="tanhsinh"), abs=1e-10)


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: w2_gaussian(float("nan"), 1.0, 0.0, 1.0), "mean1"),
    (lambda: w2_gaussian(0.0, -1.0, 0.0, 1.0), "var1"),
    (lambda: w2_gaussian(0.0, 1.0, 0.0, float("inf")), "var2"),
    (lambda: w2_gaussian([0.0, 1.0], 1.0, [0.0, 1.0, 2.0], 1.0), "mean1"),
    (lambda: w2_gaussian_cov([0, 0], np.eye(2), [0, 0, 0], np.eye(3)), "m2"),
    (lambda: w2_gaussian_cov([0, 0], np.eye(3), [0, 0], np.eye(2)), "S1"),
    (lambda: w2_gaussian_cov([0, 0], np.eye(2), [0, 0], [[1.0, 2.0], [2.0, 1.0]]), "S2"),
    (lambda: w2_gaussian_cov([0, 0], [[1.0, 0.5], [0.0, 1.0]], [0, 0], np.eye(2)), "S1"),
    (lambda: w2_gaussian_cov([0, float("nan")], np.eye(2), [0, 0], np.eye(2)), "m1"),
    (lambda: w2_gaussian_cov([0, 0], np.eye(2), [0, 0], np.full((2, 2), np.nan)), "S2"),
    (lambda: w2_empirical_1d([1.0, float("nan")], [0.0, 1.0]), "a"),
    (lambda: w2_empirical_1d([1.0, 2.0], []), "b"),
    (lambda: w2_empirical_1d([[1.0, 2.0]], [1.0]), "a"),
    (lambda: sliced_w2(np.zeros((5, 2)), np.zeros((5, 3))), "dimension"),
    (lambda: sliced_w2(np.zeros((5, 2)), np.zeros((5, 2)), n_projections=0), "n_projections"),
    (lambda: sliced_w2(np.zeros((5, 2)), np.zeros((5, 2)), n_projections=2.5), "n_projections"),
    (lambda: sliced_w2(np.full((5, 2), np.nan), np.zeros((5, 2))), "x"),
    (lambda: sliced_w2(np.zeros((5, 2)), np.zeros((5, 2)), rng=-1), "rng"),
    (lambda: sd_ltc_perception_bounds(0.5, 0.05, 0.05), "G"),
    (lambda: sd_ltc_perception_bounds(0.5, -0.05, 1 / 12), "P"),
    (lambda: sd_ltc_perception_bounds(float("nan"), 0.05, 1 / 12), "D"),
    (lambda: sd_ltc_perception_bounds(2.5, 0.05, 1 / 12), "D"),      # zero-rate region
    (lambda: sd_ltc_perception_bounds(0.5, 0.05, 1 / 12, sigma2=0.0), "sigma2"),
    (lambda: w2_1d_quantile(ndtri, ndtri, method="simpson"), "method"),
    (lambda: w2_1d_quantile(ndtri, ndtri, points=[1.5]), "points"),
    (lambda: w2_1d_quantile(ndtri, 2.0), "quantile2"),
])
def test_bad_input_raises_value_error_naming_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
