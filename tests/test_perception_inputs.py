"""Every public perception function refuses bad input with a ValueError that starts with the
parameter's name, and the small formulas around the estimators keep their factors (written
against mutation-testing survivors of rdptheory/perception/)."""
import math
import re

import numpy as np
import pytest

from rdptheory.lattices import get
from rdptheory.perception import (empirical_w2_bias_gaussian, sd_ltc_perception_bounds,
                                  w2_empirical_1d)
from rdptheory.perception.exact_1d import pd_distortion_1d, pd_output_1d, qsd_output_1d
from rdptheory.perception.output_law import (lattice_mixture_log_density,
                                             sd_output_log_density, sd_output_log_density_mis)

NAN = float("nan")
Z1 = get("Z1")
CELL = np.linspace(-0.5, 0.5, 9)[:, None]


def _zero_weight(points):
    return np.zeros(len(points)), np.zeros(len(points))


CASES = [
    # (callable, parameter name)
    (lambda: w2_empirical_1d([0.0, NAN], [1.0, 2.0]), "a"),
    (lambda: w2_empirical_1d([0.0, 1.0], [[1.0, 2.0]]), "b"),
    (lambda: w2_empirical_1d(["x"], [1.0]), "a"),
    (lambda: empirical_w2_bias_gaussian(0), "n_samples"),
    (lambda: empirical_w2_bias_gaussian(2.5), "n_samples"),
    (lambda: empirical_w2_bias_gaussian(10, std1=-1.0), "std1"),
    (lambda: empirical_w2_bias_gaussian(10, std2=NAN), "std2"),
    (lambda: empirical_w2_bias_gaussian(10, grid=100), "grid"),
    (lambda: sd_output_log_density([[NAN]], Z1, CELL), "x_hat"),
    (lambda: sd_output_log_density([[0.1]], Z1, CELL, beta=0.0), "beta"),
    (lambda: sd_output_log_density_mis([[0.1, 0.2]], Z1, rng=0), "x_hat"),
    (lambda: sd_output_log_density_mis([[0.1]], Z1, beta=0.0, rng=0), "beta"),
    (lambda: sd_output_log_density_mis([[0.1]], Z1, beta=-1.0, rng=0), "beta"),
    (lambda: lattice_mixture_log_density([[0.1]], Z1, 0.0, _zero_weight), "s"),
    (lambda: lattice_mixture_log_density([[0.1]], Z1, 1.0, _zero_weight, beta=0.0), "beta"),
    (lambda: lattice_mixture_log_density([[np.inf]], Z1, 1.0, _zero_weight), "x_hat"),
    (lambda: sd_ltc_perception_bounds(NAN, 0.0, 0.07), "D"),
    (lambda: pd_output_1d(0.5, s=0.0), "s"),
    (lambda: pd_distortion_1d(0.5, s=-1.0), "s"),
    (lambda: qsd_output_1d(0.5, 3, s=0.0), "s"),
    (lambda: qsd_output_1d(0.5, 0), "ratio"),
    (lambda: qsd_output_1d(0.5, 2.5), "ratio"),
    (lambda: sd_ltc_perception_bounds(0.5, -0.1, 0.07), "P"),
]


@pytest.mark.parametrize("call, name", CASES, ids=[f"{i}-{c[1]}" for i, c in enumerate(CASES)])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"^{name} must"):
        call()


def test_w2_empirical_1d_bad_index_is_reported():
    with pytest.raises(ValueError, match=r"index 2"):
        w2_empirical_1d([0.0, 1.0, np.inf], [0.0, 1.0, 2.0])


def test_empirical_bias_scales_as_the_product_of_the_deviations():
    """E W2²(empirical N(0, s1²), empirical N(0, s2²)) of independent samples is
    2 s1 s2 (1 - Σ m_i²/N): linear in s1 s2, zero at s1 = 0, defined for N = 1."""
    unit = empirical_w2_bias_gaussian(32)
    assert empirical_w2_bias_gaussian(32, 2.0, 0.5) == pytest.approx(unit, rel=1e-14)
    assert empirical_w2_bias_gaussian(32, 3.0, 0.25) == pytest.approx(0.75 * unit, rel=1e-14)
    assert empirical_w2_bias_gaussian(32, 0.0, 1.0) == 0.0
    assert empirical_w2_bias_gaussian(1) == pytest.approx(2.0, rel=1e-12)   # m_1 = 0
    # the trapezoid rule on [-9, 9] converges geometrically: 101 points already agree with
    # 4001 to 1e-12 (measured 9.5e-13); 1e-10 leaves room for libm differences only
    assert empirical_w2_bias_gaussian(32, grid=101) == pytest.approx(unit, rel=1e-10)


def test_mis_density_is_reproducible_and_its_bias_is_a_third_of_full_minus_quarter():
    from rdptheory.rates import log_cell_probability_mis
    x = np.array([[0.3], [-1.2], [2.0]])
    lp1, b1 = sd_output_log_density_mis(x, Z1.scaled(0.8), 1.5, beta=1.2, uniform_samples=64,
                                        gaussian_samples=32, rng=7)
    lp2, b2 = sd_output_log_density_mis(x, Z1.scaled(0.8), 1.5, beta=1.2, uniform_samples=64,
                                        gaussian_samples=32, rng=7)
    assert np.array_equal(lp1, lp2) and np.array_equal(b1, b2)
    full, quarter = log_cell_probability_mis(x / 1.2, Z1.scaled(0.8), 1.5, uniform_samples=64,
                                             gaussian_samples=32, rng=7, return_quarter=True)
    np.testing.assert_allclose(lp1, full - math.log(0.8) - math.log(1.2), rtol=0, atol=1e-14)
    np.testing.assert_allclose(b1, (full - quarter) / 3.0, rtol=0, atol=1e-14)


def test_sd_bounds_inactive_regime_by_hand():
    """Perception inactive (P = 0.5 > (σ - √(σ² - D))² at D = 0.5): Wiener decoder,
    s = √(σ² - D); lower (σ - s)², upper (σ - s + s√L)², L = ln(2πeG)."""
    s = math.sqrt(0.5)
    L = math.log(2 * math.pi * math.e / 12)
    lo, up = sd_ltc_perception_bounds(0.5, 0.5, 1 / 12)
    assert lo == pytest.approx((1 - s) ** 2, rel=1e-14)
    assert up == pytest.approx((1 - s + s * math.sqrt(L)) ** 2, rel=1e-14)
    lo4, up4 = sd_ltc_perception_bounds(2.0, 2.0, 1 / 12, sigma2=4.0)     # σ² scaling
    assert (lo4, up4) == pytest.approx((4 * lo, 4 * up), rel=1e-14)


def test_sd_bounds_zero_rate_boundary_is_excluded():
    # σ² = 1, P = 0.25: σ̂ = 0.5, boundary D = 1.25 (excluded); D = 1.2 is valid
    lo, up = sd_ltc_perception_bounds(1.2, 0.25, 0.07)
    assert np.isfinite(lo) and lo <= up
    with pytest.raises(ValueError, match=r"^D must be below the zero-rate boundary .*got D=1\.25$"):
        sd_ltc_perception_bounds(1.25, 0.25, 0.07)
    with pytest.raises(ValueError, match=r"got D=1\.3 at index \(1,\)$"):
        sd_ltc_perception_bounds([0.5, 1.3], 0.25, 0.07)


def test_sd_bounds_messages():
    with pytest.raises(ValueError, match=r"^G must be in \(0"):
        sd_ltc_perception_bounds(0.5, 0.0, 0.0)
    with pytest.raises(ValueError, match=r"^sigma2 must be in \(0"):
        sd_ltc_perception_bounds(0.5, 0.0, 0.07, sigma2=0.0)
    with pytest.raises(ValueError, match=r"^D must be in \[0"):
        sd_ltc_perception_bounds(-0.5, 0.0, 0.07)
    with pytest.raises(ValueError, match=r"^G must be >= 1/\(2\*pi\*e\) .*got 0\.05$"):
        sd_ltc_perception_bounds(0.5, 0.0, 0.05)
    with pytest.raises(ValueError, match=r"got 0\.05 at index \(1,\)$"):
        sd_ltc_perception_bounds(0.5, 0.0, [0.08, 0.05])
    with pytest.raises(ValueError, match=r"^D, P, G, sigma2 must broadcast .*D \(2,\), P \(3,\)"):
        sd_ltc_perception_bounds([0.5, 0.6], [0.0, 0.1, 0.2], 0.07)


@pytest.mark.parametrize("N", [1, 2, 3, 255, 256, 257, 258, 600])
def test_normal_order_statistic_means_against_quadrature(N):
    """E Z_(i:N) by scipy quad of x·f_(i)(x) on the whole line for the first, middle and last
    indices, including each side of the 256-row chunks; symmetric; E Z_(1:1) = 0."""
    from scipy import integrate, special
    from rdptheory.perception.empirical import normal_order_statistic_means
    m = normal_order_statistic_means(N)
    assert m.shape == (N,)
    np.testing.assert_allclose(m, -m[::-1], atol=1e-12)
    for i in sorted({1, min(N, 2), (N + 1) // 2, min(N, 256), min(N, 257), max(N - 1, 1), N}):
        logc = math.log(N) + special.gammaln(N) - special.gammaln(i) - special.gammaln(N - i + 1)

        def f(x, i=i, logc=logc):
            return x * math.exp(logc + (i - 1) * special.log_ndtr(x)
                                + (N - i) * special.log_ndtr(-x) - 0.5 * x * x
                                - 0.5 * math.log(2 * math.pi))

        ref, _ = integrate.quad(f, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-11, limit=200)
        assert m[i - 1] == pytest.approx(ref, abs=1e-9), i


def test_lattice_mixture_refuses_a_mixture_too_wide_to_enumerate():
    """E8 (R² = 1 at minimal norm 2, V = 1), s = 3: the ball of radius (1 + s)R holds about
    π⁴/4! · 4⁸ lattice points; with max_candidates = 1000 that is refused, with its count."""
    r2 = (1 + 3.0) ** 2 * 1.0
    count = math.pi ** 4 / math.factorial(4) * r2 ** 4
    expected = re.escape(f"about {count:.3g} candidate lattice points per sample "
                         "(> max_candidates = 1000)")
    with pytest.raises(ValueError, match="^" + expected):
        lattice_mixture_log_density(np.zeros((1, 8)), get("E8"), 3.0, _zero_weight,
                                    max_candidates=1000)


@pytest.mark.parametrize("kwargs, name", [(dict(n_samples=0), "n_samples"),
                                          (dict(n_samples=2.5), "n_samples"),
                                          (dict(n_samples=5, grid=100), "grid"),
                                          (dict(n_samples=5, grid=1.5), "grid")])
def test_normal_order_statistic_means_bad_input(kwargs, name):
    """Called directly (not through empirical_w2_bias_gaussian, which checks first)."""
    from rdptheory.perception.empirical import normal_order_statistic_means
    with pytest.raises(ValueError, match="^" + name + " must"):
        normal_order_statistic_means(**kwargs)


def test_empirical_bias_uses_its_grid():
    """β_N on a coarse grid is built from the order-statistic means on that same grid (a grid
    of 101 points over [-9, 9] is far from the default's accuracy, so a dropped argument shows)."""
    from rdptheory.perception.empirical import normal_order_statistic_means
    m = normal_order_statistic_means(7, grid=101)
    assert empirical_w2_bias_gaussian(7, grid=101) == 2.0 * (1.0 - float((m * m).sum()) / 7)
    assert empirical_w2_bias_gaussian(7, grid=101) != empirical_w2_bias_gaussian(7)


def test_scalar_in_scalar_out_array_in_array_out():
    """Scalar arguments give numpy scalars (not 0-d arrays); arrays keep their shape."""
    from rdptheory.perception import quantile_from_cdf, w2_gaussian
    from scipy.special import ndtr
    for v in (w2_gaussian(1.0, 1.0, 0.0, 4.0),
              *sd_ltc_perception_bounds(0.5, 0.05, 0.0718, 1.0),
              quantile_from_cdf(ndtr, -10.0, 10.0)(0.3)):
        assert not isinstance(v, np.ndarray) and np.ndim(v) == 0
    assert w2_gaussian([1.0, 2.0], 1.0, 0.0, 4.0).shape == (2,)
    assert quantile_from_cdf(ndtr, -10.0, 10.0)([0.3, 0.7]).shape == (2,)


def test_sliced_w2_defaults_and_messages():
    from rdptheory.perception import sliced_w2
    x = np.random.default_rng(0).standard_normal((50, 3))
    assert sliced_w2(x, x + 0.1, rng=0).n_projections == 256
    with pytest.raises(ValueError, match=r"^n_projections must"):
        sliced_w2(x, x, 0, rng=0)
    with pytest.raises(ValueError, match=r"^chunk_elements must"):
        sliced_w2(x, x, 4, rng=0, chunk_elements=0)
    with pytest.raises(ValueError, match=re.escape("x must be a non-empty sample of shape (N, n) "
                                                   "(one point per row) or (N,) for n = 1; got "
                                                   "shape (2, 3, 4)")):
        sliced_w2(np.zeros((2, 3, 4)), x, 4, rng=0)


def test_measure_perception_defaults_and_sigma2_check():
    """The documented defaults (128 random directions, at most 256 lattice directions of each
    kind: the Leech lattice has 98,280 minimal-vector pairs, so the cap binds) are the ones
    used; σ² must be > 0; one projection is enough."""
    from rdptheory.perception import measure_perception
    x = np.random.default_rng(3).standard_normal((400, 24)) * 1.1
    def finite(m):                       # the KL entry is (nan, nan) without a log density
        return {k: v for k, v in m.bounds.items() if k != "kl"}
    a = measure_perception(x, lattice="Leech", rng=1)
    b = measure_perception(x, lattice="Leech", rng=1, n_projections=128, max_lattice_directions=256)
    assert finite(a) == finite(b)
    c = measure_perception(x, lattice="Leech", rng=1, n_projections=129)
    assert c.bounds["sliced_random"] != a.bounds["sliced_random"]
    c = measure_perception(x, lattice="Leech", rng=1, max_lattice_directions=257)
    assert c.bounds["sliced_lattice"] != a.bounds["sliced_lattice"]
    for bad in (0.0, -1.0):
        with pytest.raises(ValueError, match=r"^sigma2 must be in \(0, inf\)"):
            measure_perception(x, bad, rng=1)
    assert measure_perception(x, n_projections=1, rng=1).bounds["sliced_random"][0] > -1


def test_measure_perception_method_names_the_winning_direction_set():
    """A2's relevant vectors and its dual's are 30° apart, so of two samples stretched along
    0° and along 90° one is seen best by the lattice's directions and the other by the dual's;
    the method text says which. Above dimension 12 it says "minimal" (Z13)."""
    from rdptheory.perception import measure_perception
    g = np.random.default_rng(9)
    z = g.standard_normal((3000, 2))
    winners = set()
    for stretch in ([1.0, 2.0], [2.0, 1.0]):
        m = measure_perception(z * stretch, lattice="A2", rng=1)
        dual = m.bounds["sliced_dual"][0] > m.bounds["sliced_lattice"][0]
        winners.add(dual)
        assert m.method == ("frame-sliced W2² on the relevant vectors of "
                            f"{'Λ*' if dual else 'Λ'}, bias-corrected")
    assert winners == {True, False}
    # the estimate is the better lattice set even when the random directions see more (Z2's
    # axes miss a sample stretched along the diagonal)
    m = measure_perception(z @ np.array([[1.5, 1.5], [-0.5, 0.5]]), lattice="Z2", rng=1)
    assert m.bounds["sliced_random"][0] > max(m.bounds["sliced_lattice"][0],
                                              m.bounds["sliced_dual"][0])
    assert m.estimate == max(m.bounds["sliced_lattice"][0], m.bounds["sliced_dual"][0])
    m12 = measure_perception(g.standard_normal((300, 12)), lattice="K12", rng=1)
    assert "relevant vectors" in m12.method
    m13 = measure_perception(g.standard_normal((300, 13)), lattice="Z13", rng=1)
    assert "minimal vectors" in m13.method


def test_measure_perception_extra_directions_and_upper_bounds():
    """Extra direction sets add bounds (they do not replace the built-in ones); without a
    lattice the best of them is the estimate; the KL entry is reported (nan) without a log
    density; no upper bound means upper = inf with SE 0; a coupling cost may contain zeros."""
    from rdptheory.perception import measure_perception
    g = np.random.default_rng(10)
    x = g.standard_normal((2000, 2)) * [1.0, 2.0]
    dirs = {"e1": np.array([[1.0, 0.0]]), "e2": np.array([[0.0, 1.0]])}
    m = measure_perception(x, directions=dirs, rng=1)
    assert {"gelbrich", "sliced_random", "e1", "e2", "kl"} <= set(m.bounds)
    assert m.estimate == m.bounds["e2"][0] and m.estimate > m.bounds["e1"][0]
    assert m.method == "frame-sliced W2² on the e2 directions, bias-corrected"
    assert math.isnan(m.bounds["kl"][0]) and math.isnan(m.kl)
    assert m.upper == math.inf and m.upper_stderr == 0.0 and m.upper_bound == "none"
    cc = np.zeros(2000)
    cc[::2] = 1.0
    m = measure_perception(x, coupling_cost=cc, rng=1)
    assert m.upper == 0.5 and m.upper_bound == "coupling"


def test_measure_perception_negative_kl_drops_talagrand_and_keeps_the_coupling():
    """A log density biased by −1 nat per sample makes the KL estimate about −1, far below
    −4 SE: the warning is issued word for word, the Talagrand bound is dropped and the
    coupling bound becomes the upper bound."""
    from scipy.stats import norm
    from rdptheory.perception import measure_perception
    x = np.random.default_rng(12).standard_normal((4000, 1))
    lp = norm.logpdf(x[:, 0]) - 1.0
    cc = np.full(4000, 0.25)
    m = measure_perception(x, log_density=lp, coupling_cost=cc, rng=1)
    # each sample's KL term is log p̂(x) − log φ(x) = −1 exactly, so the estimate is −1
    assert m.kl == pytest.approx(-1.0, abs=1e-12)
    assert m.upper == 0.25 and m.upper_bound == "coupling" and "talagrand" not in m.bounds
    assert m.warnings[0] == (f"KL estimate {m.kl:.3g} ± {m.kl_stderr:.2g} is negative beyond "
                             "4 SE: the output log-density is biased (more cell samples "
                             "needed); the Talagrand bound is not valid")


def test_lattice_directions_default_cap():
    """At most 512 directions of each kind by default (the Leech lattice has 98,280 pairs)."""
    from rdptheory.perception.measurement import lattice_directions
    p, d = lattice_directions("Leech", rng=0)
    assert p.shape == (512, 24) and d.shape == (512, 24)


@pytest.mark.parametrize("N_log2, M_log2", [(40, 22), (22, 40), (31, 32)])
def test_exact_merge_refuses_n_times_m_of_2_to_the_62(N_log2, M_log2):
    """N·M >= 2⁶² would overflow the merge's int64 grid: refused before any allocation
    (zero-stride views stand in for the huge samples)."""
    from rdptheory.perception.empirical import _w2_sorted_rows
    a = np.broadcast_to(np.zeros(1), (1, 2 ** N_log2))
    b = np.broadcast_to(np.zeros(1), (1, 2 ** M_log2))
    with pytest.raises(ValueError, match=re.escape(
            f"sample sizes {2 ** N_log2} and {2 ** M_log2} are too large for the exact merge "
            "of quantile grids (N*M must be < 2**62)")):
        _w2_sorted_rows(a, b)


def test_gelbrich_sigma2_must_be_positive():
    from rdptheory.perception.measurement import gelbrich_lower_bound
    x = np.random.default_rng(0).standard_normal((50, 2))
    for bad in (0.0, -2.0):
        with pytest.raises(ValueError, match=r"^sigma2 must be in \(0, inf\)"):
            gelbrich_lower_bound(x, bad)


def test_measure_perception_bound_crossing_uses_both_standard_errors():
    """N(0, 4) in 1-D: the lower bounds read about 1 (SE about 0.03). A coupling bound of mean
    0.5 crosses it by 0.5: with SE 0.22 (five costs of 320 among 3200 zeros) that is within
    4 combined SE, no warning; with SE 0 (every cost 0.5) it is a warning. Without a log
    density and with a negative-KL drop, the empty upper bound has SE 0."""
    from rdptheory.perception import measure_perception
    from scipy.stats import norm
    x = 2.0 * np.random.default_rng(13).standard_normal((3200, 1))
    noisy = np.zeros(3200)
    noisy[:5] = 320.0
    m = measure_perception(x, coupling_cost=noisy, rng=1)
    assert m.upper == pytest.approx(0.5) and m.upper_stderr > 0.2
    assert 0.3 < m.lower - m.upper < 4 * math.hypot(m.lower_stderr, m.upper_stderr)
    assert not any("exceeds upper bound" in w for w in m.warnings)
    m = measure_perception(x, coupling_cost=np.full(3200, 0.5), rng=1)
    assert m.warnings == (f"lower bound {m.lower_bound} exceeds upper bound coupling by more "
                          "than 4 SE",)
    m = measure_perception(x, log_density=norm.logpdf(x[:, 0], scale=2.0) - 1.0, rng=1)
    assert m.upper == math.inf and m.upper_stderr == 0.0 and m.upper_bound == "none"


def test_frame_sliced_bound_checks_defaults_and_blocks():
    from rdptheory.perception.measurement import frame_sliced_lower_bound
    g = np.random.default_rng(14)
    x = g.standard_normal((500, 3)) * [1.0, 1.5, 0.7]
    dirs = g.standard_normal((7, 3))
    ref = frame_sliced_lower_bound(x, dirs)
    assert ref.name == "sliced"
    # blocks of one direction (chunk_elements below N) give the same value and SE
    one = frame_sliced_lower_bound(x, dirs, chunk_elements=10)
    assert one.value == pytest.approx(ref.value, rel=1e-12)
    assert one.stderr == pytest.approx(ref.stderr, rel=1e-12)
    for bad in (0.0, -1.0):
        with pytest.raises(ValueError, match=r"^sigma2 must be in \(0, inf\)"):
            frame_sliced_lower_bound(x, dirs, bad)
    for d in (np.zeros((0, 3)), np.ones((2, 2)), np.ones(3)):
        with pytest.raises(ValueError, match=re.escape(
                f"directions must have shape (K, 3) with K >= 1; got {np.shape(d)}")):
            frame_sliced_lower_bound(x, d)
    for d in (np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
              np.array([[1.0, np.inf, 0.0]]), np.array([[np.nan, 1.0, 0.0]])):
        with pytest.raises(ValueError, match="^directions must be finite and nonzero$"):
            frame_sliced_lower_bound(x, d)
