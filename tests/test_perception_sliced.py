"""sliced_w2's two standard errors against independent computations (written against mutation
survivors of rdptheory/perception/sliced.py).

* ``stderr_sampling`` (delta method, del Barrio & Loubes 2019): in 1-D between Gaussians the
  Kantorovich potentials are known in closed form, φ(x) = (1 − s₂/s₁)(x − m₁)² + 2(m₁ − m₂)(x − m₁)
  and ψ(y) = (1 − s₁/s₂)(y − m₂)² + 2(m₂ − m₁)(y − m₂), so Var φ(X)/N + Var ψ(Y)/M evaluated on
  the same samples is a reference that does not use the empirical transport map.
* ``stderr`` (over directions): the spread of the exact 1-D distances along the same directions
  (drawn up front from ``rng``, as documented), computed with w2_empirical_1d.
"""
import math

import numpy as np
import pytest

from rdptheory._parallel import as_seed_sequence
from rdptheory.perception import sliced_w2, w2_empirical_1d


def _potential_reference(x, y, m1, s1, m2, s2):
    h = (1 - s2 / s1) * (x - m1) ** 2 + 2 * (m1 - m2) * (x - m1)
    k = (1 - s1 / s2) * (y - m2) ** 2 + 2 * (m2 - m1) * (y - m2)
    return math.sqrt(h.var(ddof=1) / x.size + k.var(ddof=1) / y.size)


@pytest.mark.parametrize("N, M", [(5000, 20000), (20000, 5000), (8000, 8000)])
def test_sampling_error_matches_the_closed_form_potentials(N, M):
    """N(1, 1) vs N(0, 4): Var φ = 6, Var ψ = 24, so with N = M/4 both samples contribute
    equally and dropping either would change the SE by ~30%. The reference uses the same
    samples, so no sampling noise separates the two: only the empirical transport map, which
    differs from the true one by O(N^-1/2) ≈ 1% (measured: within 1.7% over 5 seeds). 5% is
    asserted: above that linearization error, far below the 30% of a dropped term."""
    g = np.random.default_rng(N + 3 * M)
    x = 1.0 + g.standard_normal(N)
    y = 2.0 * g.standard_normal(M)
    r = sliced_w2(x, y, 4, rng=0)
    assert r.stderr_sampling == pytest.approx(_potential_reference(x, y, 1.0, 1.0, 0.0, 2.0),
                                              rel=0.05)
    assert r.stderr_total == pytest.approx(math.hypot(r.stderr, r.stderr_sampling), rel=1e-12)


def test_sampling_error_with_a_single_point_on_one_side():
    """N = 1 at x₀ = 0: T maps every y to 0, ψ(y) = y² + c, so the SE is sd(Y²)/√M from the y
    side only (and symmetrically for M = 1)."""
    y = np.random.default_rng(5).standard_normal(20000)
    ref = math.sqrt((y ** 2).var(ddof=1) / y.size)
    assert sliced_w2([0.0], y, 2, rng=0).stderr_sampling == pytest.approx(ref, rel=1e-3)
    assert sliced_w2(y, [0.0], 2, rng=0).stderr_sampling == pytest.approx(ref, rel=1e-3)


def test_sampling_error_with_two_points():
    """x = {0, 3} vs a large N(0, 1) sample: T sends 0 and 3 to the sample's quartiles ≈ ∓0.674,
    so φ(3) − φ(0) = 3·(3 − q₁ − q₃) ≈ 9 and the x side contributes Var φ / 2 = 40.5/2 = 20.25
    (the y side about 1e-3)."""
    y = np.random.default_rng(6).standard_normal(40000)
    q1, q3 = np.quantile(y, [0.25, 0.75])
    step = 3.0 * (3.0 - q1 - q3)
    x_part = (step ** 2 / 2) / 2          # var(ddof=1) of {−step/2, +step/2}, over N = 2
    se2 = sliced_w2([0.0, 3.0], y, 2, rng=0).stderr_sampling ** 2
    assert x_part < se2 < x_part + 0.01
    se2 = sliced_w2(y, [0.0, 3.0], 2, rng=0).stderr_sampling ** 2      # the same, as y
    assert x_part < se2 < x_part + 0.01


@pytest.mark.parametrize("K", [2, 3, 7])
def test_direction_stderr_is_the_spread_over_the_same_directions(K):
    g = np.random.default_rng(K)
    x = g.standard_normal((300, 3)) * [1.0, 2.0, 0.5]
    y = g.standard_normal((200, 3))
    r = sliced_w2(x, y, K, rng=11)
    theta = np.random.default_rng(as_seed_sequence(11)).standard_normal((K, 3))
    theta /= np.linalg.norm(theta, axis=1, keepdims=True)
    vals = np.array([w2_empirical_1d(x @ t, y @ t) for t in theta])
    assert r.estimate == pytest.approx(vals.mean(), rel=1e-12)
    assert r.stderr == pytest.approx(vals.std(ddof=1) / math.sqrt(K), rel=1e-10)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no "degrees of freedom" warning for K = 1
        assert math.isnan(sliced_w2(x, y, 1, rng=11).stderr)


def test_blocks_and_paths_agree():
    """Without the sampling error (sort instead of argsort) and with blocks of one projection
    (chunk_elements below the sample size), the estimate is the same."""
    g = np.random.default_rng(8)
    x, y = g.standard_normal((400, 2)), 1.5 * g.standard_normal((300, 2))
    ref = sliced_w2(x, y, 9, rng=2)
    for kw in (dict(sampling_error=False), dict(sampling_error=False, chunk_elements=10),
               dict(chunk_elements=10), dict(chunk_elements=1)):
        r = sliced_w2(x, y, 9, rng=2, **kw)
        assert r.estimate == pytest.approx(ref.estimate, rel=1e-12)
        assert r.stderr == pytest.approx(ref.stderr, rel=1e-9)
    assert math.isnan(sliced_w2(x, y, 9, rng=2, sampling_error=False).stderr_sampling)
    assert sliced_w2(x, y, 9, rng=2, chunk_elements=10).stderr_sampling == pytest.approx(
        ref.stderr_sampling, rel=1e-10)
