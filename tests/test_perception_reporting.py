"""measure_perception reports what it computed: defaults, the estimate's choice and its label,
the warnings at their exact thresholds, the bounds dictionary, the row subset of the KL, and
sliced_w2's SE with unequal sample sizes (mutation-testing survivors, issue 13)."""
import math

import numpy as np
import pytest

from rdptheory.perception import measure_perception, sliced_w2
from rdptheory.perception.empirical import empirical_w2_bias_gaussian as _bias
from rdptheory.perception.empirical import normal_order_statistic_means as _nosm
from rdptheory.perception.measurement import (frame_sliced_lower_bound, kl_from_log_density,
                                              lattice_directions)


@pytest.fixture(scope="module")
def x8():
    return 1.1 * np.random.default_rng(0).standard_normal((3000, 8))


def test_defaults_are_the_documented_ones(x8):
    a = measure_perception(x8, lattice="E8", rng=3)
    b = measure_perception(x8, 1.0, lattice="E8", n_projections=128, max_lattice_directions=256,
                           rng=3)
    assert a.bounds == b.bounds and a.estimate == b.estimate
    assert "128 random directions" in measure_perception(x8, rng=3).method


def test_random_directions_estimate_without_a_lattice(x8):
    m = measure_perception(x8, n_projections=16, rng=4)
    g = np.random.default_rng(4)
    th = g.standard_normal((16, 8))
    ref = frame_sliced_lower_bound(x8, th, name="sliced_random")
    assert (m.estimate, m.estimate_stderr) == (ref.value, ref.stderr)
    assert m.method == "sliced W2² (16 random directions), bias-corrected"
    assert set(m.bounds) == {"gelbrich", "sliced_random", "kl"} and m.warnings == ()
    assert m.upper == math.inf and m.upper_stderr == 0.0 and m.upper_bound == "none"
    assert m.lower_bound in ("gelbrich", "sliced_random")
    assert m.lower == max(m.bounds["gelbrich"][0], m.bounds["sliced_random"][0])


def test_lattice_estimate_is_the_larger_frame_bound_and_its_label_says_which(x8):
    m = measure_perception(x8, lattice="E8", n_projections=8, rng=5)
    prim, dual = m.bounds["sliced_lattice"], m.bounds["sliced_dual"]
    assert (m.estimate, m.estimate_stderr) == max(prim, dual)
    # samples stretched along a primal and along a dual direction of D4: one makes the dual frame
    # bound the larger, the other the primal one; the label follows
    p, d = lattice_directions("D4")
    g = np.random.default_rng(6)
    labels = set()
    for v in (p[0], d[0]):
        y = g.standard_normal((4000, 4))
        y += 2.0 * np.outer(y @ v, v)
        m = measure_perception(y, lattice="D4", n_projections=4, rng=7)
        pb, db = m.bounds["sliced_lattice"][0], m.bounds["sliced_dual"][0]
        want = "Λ*" if db > pb else "Λ"
        assert m.method == f"frame-sliced W2² on the relevant vectors of {want}, bias-corrected"
        labels.add(want)
    assert labels == {"Λ", "Λ*"}


def test_minimal_vectors_label_above_dimension_twelve():
    y = np.random.default_rng(8).standard_normal((600, 16))
    m = measure_perception(y, lattice="BW16", n_projections=4, max_lattice_directions=32, rng=9)
    assert "minimal vectors" in m.method
    y12 = np.random.default_rng(8).standard_normal((600, 12))
    m12 = measure_perception(y12, lattice="K12", n_projections=4, max_lattice_directions=32,
                             rng=9)
    assert "relevant vectors" in m12.method


def test_extra_directions_are_added_not_substituted(x8):
    v = np.eye(8)[:3]
    m = measure_perception(x8, directions={"learned": v}, n_projections=4, rng=10)
    assert {"gelbrich", "sliced_random", "learned"} <= set(m.bounds)
    ref = frame_sliced_lower_bound(x8, v, name="learned")
    assert m.bounds["learned"] == (ref.value, ref.stderr)
    # without a lattice the estimate is the larger of the random and the extra frame bounds
    assert m.estimate == max(m.bounds["sliced_random"][0], ref.value)


@pytest.mark.parametrize("c, warned", [(3.9, False), (4.1, True)])
def test_lower_above_upper_warning_sits_at_four_standard_errors(x8, c, warned):
    base = measure_perception(x8, n_projections=8, rng=11)
    lo, lo_se = base.lower, base.lower_stderr
    cc = np.full(len(x8), lo - c * lo_se)              # constant cost: SE 0
    m = measure_perception(x8, coupling_cost=cc, n_projections=8, rng=11)
    assert m.upper_bound == "coupling" and m.upper_stderr < 1e-15
    assert any("exceeds upper bound" in w for w in m.warnings) == warned


def test_coupling_cost_may_be_zero_and_is_checked(x8):
    m = measure_perception(x8, coupling_cost=np.zeros(len(x8)), n_projections=4, rng=0)
    assert m.upper == 0.0
    for bad in (-np.ones(len(x8)), np.ones(len(x8) - 1), np.full(len(x8), np.inf)):
        with pytest.raises(ValueError, match="coupling_cost"):
            measure_perception(x8, coupling_cost=bad, n_projections=4, rng=0)


def test_kl_on_a_row_subset():
    g = np.random.default_rng(12)
    x = 1.3 * g.standard_normal((500, 2))
    rows = np.arange(0, 500, 3)
    ld = (-0.5 * (x[rows] ** 2).sum(axis=1) / 1.69 - np.log(2 * np.pi * 1.69))
    m = measure_perception(x, log_density=ld, log_density_rows=list(rows), n_projections=4, rng=0)
    ref = kl_from_log_density(x[rows], ld)
    assert (m.kl, m.kl_stderr) == (ref.value, ref.stderr)
    assert m.bounds["talagrand"] == (2 * ref.value, 2 * ref.stderr)


def test_sigma2_must_be_positive(x8):
    with pytest.raises(ValueError, match="sigma2"):
        measure_perception(x8, 0.0)


def test_sliced_stderr_with_unequal_sample_sizes_is_calibrated():
    """N = 300 against M = 700 (the potentials are mapped between the two sorted samples):
    stderr_total against the SD of 300 replicate estimates."""
    g = np.random.default_rng(13)
    res = [sliced_w2(g.standard_normal((300, 2)), 1.5 * g.standard_normal((700, 2)), 32,
                     rng=int(g.integers(1 << 30))) for _ in range(300)]
    sd = float(np.std([r.estimate for r in res], ddof=1))
    se = float(np.mean([r.stderr_total for r in res]))
    assert abs(se / sd - 1.0) <= 4 / math.sqrt(2 * 299)


@pytest.mark.parametrize("call, match", [
    (lambda: _nosm(0),
     r"^n_samples must"),
    (lambda: _nosm(
        5, grid=100), r"^grid must"),
    (lambda: _bias(
        0, 1.0, 1.0), r"^n_samples must"),
    (lambda: _bias(
        5, -1.0, 1.0), r"^std1 must"),
    (lambda: _bias(
        5, 1.0, -1.0), r"^std2 must"),
    (lambda: _bias(
        5, 1.0, 1.0, grid=100), r"^grid must"),
    (lambda: lattice_directions("E8", max_directions=0), r"^max_directions must"),
])
def test_inputs_name_their_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_smallest_valid_inputs_are_accepted():
    from rdptheory.perception.empirical import (empirical_w2_bias_gaussian,
                                                normal_order_statistic_means)
    assert normal_order_statistic_means(1, grid=101).shape == (1,)
    assert empirical_w2_bias_gaussian(1, 0.0, 0.0, grid=101) == 0.0
    p, d = lattice_directions("E8", max_directions=1, rng=0)
    assert p.shape == (1, 8) and d.shape == (1, 8)


def test_grid_is_used_by_the_bias():
    from rdptheory.perception.empirical import (empirical_w2_bias_gaussian,
                                                normal_order_statistic_means)
    a = normal_order_statistic_means(50, grid=101)
    b = normal_order_statistic_means(50)
    assert not np.array_equal(a, b)
    assert empirical_w2_bias_gaussian(50, 1.0, 1.0, grid=101) != empirical_w2_bias_gaussian(
        50, 1.0, 1.0)


@pytest.mark.parametrize("s", [0.3, 2.5])
def test_bounds_are_scale_equivariant(s):
    """W2² to N(0, sσ²) of √s·X is s times W2² to N(0, σ²) of X: both the value and the SE of the
    Gelbrich and frame-sliced bounds (the σ-dependence of every term, including the null bias)."""
    from rdptheory.perception.measurement import gelbrich_lower_bound
    g = np.random.default_rng(14)
    x = 1.2 * g.standard_normal((800, 3)) + 0.1
    th = g.standard_normal((10, 3))
    for f in (lambda y, v: gelbrich_lower_bound(y, v),
              lambda y, v: frame_sliced_lower_bound(y, th, v)):
        a, b = f(math.sqrt(s) * x, s), f(x, 1.0)
        assert a.value == pytest.approx(s * b.value, rel=1e-10)
        assert a.stderr == pytest.approx(s * b.stderr, rel=1e-10)


def test_sample_checks_of_the_bounds():
    from rdptheory.perception.measurement import gelbrich_lower_bound
    with pytest.raises(ValueError, match=r"^x must be an array of real numbers$"):
        gelbrich_lower_bound([["a", "b"], ["c", "d"]])
    with pytest.raises(ValueError, match=r"^x must be a sample of shape \(N, n\) with N >= 2; "
                                         r"got shape \(1, 2\)$"):
        gelbrich_lower_bound(np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"^x must have finite entries$"):
        gelbrich_lower_bound(np.array([[0.0, np.nan], [1.0, 2.0]]))
    # a 1-D array is N samples in dimension 1
    y = np.random.default_rng(15).standard_normal(400) * 1.5
    assert gelbrich_lower_bound(y).value == gelbrich_lower_bound(y[:, None]).value
