"""rdptheory.bounds.lift: the lifted continuous scheme's distortion, divergences and rate are the
exact values the module claims, checked by Monte Carlo and quadrature; the per-cell variances of
the Gaussian grid against mpmath."""
import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate, special, stats

from rdptheory.bounds import rdp_bracket, sources
from rdptheory.bounds.lift import lift_coupling


def test_gaussian_cell_variances_match_mpmath():
    mp.mp.dps = 30
    for s2, n, span in ((1.0, 40, 9.0), (2.5, 25, 6.0)):
        src = sources.gaussian(s2, n=n, span=span)
        e, s = src.cell_edges, math.sqrt(s2)
        f = lambda t: mp.npdf(t, 0, s)                                  # noqa: E731
        for i in range(n):
            a = mp.mpf(e[i]) if np.isfinite(e[i]) else -mp.inf
            b = mp.mpf(e[i + 1]) if np.isfinite(e[i + 1]) else mp.inf
            m0 = mp.quad(f, [a, b])
            m1 = mp.quad(lambda t: t * f(t), [a, b]) / m0
            v = mp.quad(lambda t: (t - m1) ** 2 * f(t), [a, b]) / m0
            assert abs(float(v) - src.cell_variances[i]) <= 1e-9 * float(v)
        assert src.cell_variance == pytest.approx(float(src.probs @ src.cell_variances), rel=1e-12)


@pytest.fixture(scope="module")
def small():
    src = sources.gaussian(n=30, span=6.0)
    return src, rdp_bracket(src, 0.5, 0.02, perception="kl")


def test_lifted_divergences_equal_the_continuous_ones(small):
    """The lifted output density q_j f(x)/p_j on cell j: its KL to N(0,1) in both directions by
    quadrature equals the discrete KL of the coupling's marginals."""
    src, b = small
    p, q, e = src.probs, b.coupling.sum(axis=0), src.cell_edges
    s = lift_coupling(src, b)
    fwd = rev = 0.0
    for j in range(len(p)):
        r = q[j] / p[j]
        mass = special.ndtr(e[j + 1]) - special.ndtr(e[j])
        fwd += mass * -math.log(r)                    # ∫_cell φ log(φ / (r φ))
        rev += integrate.quad(lambda t: r * stats.norm.pdf(t) * math.log(r), e[j], e[j + 1])[0]
    assert s.perception == pytest.approx(fwd, rel=1e-9)
    assert float(np.sum(q * np.log(q / p))) == pytest.approx(rev, rel=1e-6)


def test_lifted_distortion_by_monte_carlo(small):
    """Simulate the continuous scheme (cell → channel → truncated normal) and compare the
    distortion with the lifted value within 4 SE."""
    src, b = small
    g = np.random.default_rng(5)
    N = 200_000
    x = g.standard_normal(N)
    i = np.searchsorted(src.cell_edges, x) - 1
    cond = b.coupling / b.coupling.sum(axis=1, keepdims=True)
    cdf = np.cumsum(cond, axis=1)
    j = np.minimum((g.random(N)[:, None] > cdf[i]).sum(axis=1), len(src) - 1)
    lo, hi = src.cell_edges[j], src.cell_edges[j + 1]
    xh = stats.truncnorm.rvs(lo, hi, random_state=g)
    err = (x - xh) ** 2
    s = lift_coupling(src, b)
    assert abs(err.mean() - s.distortion) <= 4 * err.std(ddof=1) / math.sqrt(N)
    assert s.distortion > s.grid_distortion


def test_rate_is_the_grid_mutual_information(small):
    src, b = small
    s = lift_coupling(src, b)
    assert s.rate == pytest.approx(b.upper, rel=1e-12) and s.unit == "bits"


def test_lift_refuses_what_it_cannot_lift(small):
    src, b = small
    with pytest.raises(ValueError, match="cell_variances"):
        lift_coupling(sources.laplace(n=30), b)
    with pytest.raises(ValueError, match="perception"):
        lift_coupling(src, rdp_bracket(src, 0.5, 0.02, perception="w2", eps_schedule=(1e-3,)))
    with pytest.raises(ValueError, match="support"):
        lift_coupling(sources.gaussian(n=31, span=6.0), b)
    with pytest.raises(ValueError, match="RdpBracket"):
        lift_coupling(src, None)
