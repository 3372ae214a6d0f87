"""Perception measurement: the estimated bounds bracket the exact n = 1 values, the KL matches
its exact value within 4 SE, the frame inequality holds against POT's exact empirical W2, and bad
input raises."""
import math
import warnings

import numpy as np
import pytest

from rdptheory.operating_points import (pd_operating_point, qsd_operating_point,
                                        sd_operating_point, sd_perception_exact_1d)
from rdptheory.perception import measure_perception
from rdptheory.perception.exact_1d import (pd_output_1d, qsd_output_1d, sd_output_kl_1d,
                                           uniform_mixture_w2_kl)
from rdptheory.perception.measurement import (frame_sliced_lower_bound, gelbrich_lower_bound,
                                              lattice_directions)

N1 = 10_000


def _check_bracket(p, w2, kl):
    assert p["lower"] - 4 * p["lower_stderr"] <= w2, (p, w2)
    assert w2 <= p["upper"] + 4 * p["upper_stderr"], (p, w2)
    # at n = 1 the one direction ±1 is a tight frame: the sliced estimate IS W2², bias-corrected
    assert abs(p["estimate"] - w2) <= 4 * p["estimate_stderr"], (p, w2)
    assert abs(p["kl"] - kl) <= 4 * p["kl_stderr"], (p, kl)


@pytest.mark.parametrize("s", [None, 0.75, 1.5])
def test_pd_n1_brackets_exact(s):
    op = pd_operating_point("Z1", 0.5, n_samples=N1, cell_samples=2048, rng=3, s=s,
                            perception=True)
    w2, kl = uniform_mixture_w2_kl(pd_output_1d(0.5, s=s))
    _check_bracket(op.perception, w2, kl)


@pytest.mark.parametrize("D,P", [(0.5, 0.0), (0.5, 0.05)])
def test_sd_n1_brackets_exact(D, P):
    op = sd_operating_point("Z1", D, P, n_samples=N1, cell_samples=2048, rng=4, perception=True)
    _check_bracket(op.perception, sd_perception_exact_1d(D, P), sd_output_kl_1d(D, P))


def test_qsd_n1_brackets_exact():
    op = qsd_operating_point("Z1", 0.5, 3, n_samples=N1, cell_samples=2048, rng=5,
                             perception=True)
    w2, kl = uniform_mixture_w2_kl(qsd_output_1d(0.5, 3))
    _check_bracket(op.perception, w2, kl)


@pytest.mark.slow
def test_exact_1d_w2_agrees_with_quantile_quadrature():
    """The closed-form W2² of a uniform mixture against the generic quantile quadrature."""
    from scipy.stats import norm
    from rdptheory.perception import quantile_from_cdf, w2_1d_quantile
    mix = pd_output_1d(0.5, s=0.75)                   # holes in the support
    a, p, h = mix.atoms, mix.weights, mix.half_width

    def cdf(w):
        return np.sum(p * np.clip((np.asarray(w)[..., None] - a + h) / (2 * h), 0, 1), axis=-1)

    q = quantile_from_cdf(cdf, a.min() - h, a.max() + h)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")               # quad notes roundoff at the jumps
        ref = w2_1d_quantile(norm.ppf, q, method="quad")
    assert abs(uniform_mixture_w2_kl(mix)[0] - ref) < 1e-8


def test_gaussian_null_lower_bounds_vanish():
    x = np.random.default_rng(0).standard_normal((20_000, 8))
    m = measure_perception(x, lattice="E8", rng=1)
    for name in ("gelbrich", "sliced_random", "sliced_lattice", "sliced_dual"):
        v, se = m.bounds[name]
        assert abs(v) <= 4 * se, (name, v, se)


def test_measurement_is_reproducible():
    x = np.random.default_rng(0).standard_normal((3000, 4)) * 1.2
    a = measure_perception(x, lattice="D4", rng=7)
    b = measure_perception(x, lattice="D4", rng=7)
    assert a == b


@pytest.mark.parametrize("name", ["E8", pytest.param("Leech", marks=pytest.mark.slow)])
def test_lattice_directions_are_tight_frames(name):
    """E8's roots and the Leech lattice's minimal vectors are spherical designs: F = I/n."""
    p, d = lattice_directions(name, max_directions=10**6)
    for v in (p, d):
        F = v.T @ v / v.shape[0]
        assert np.allclose(F, np.eye(v.shape[1]) / v.shape[1], atol=1e-12)


def test_frame_inequality_against_pot_exact_w2():
    """(1/K) Σ_k W2²(θ_k#μ, θ_k#ν) <= λ_max(F) W2²(μ, ν) for empirical measures, W2² exact by
    POT's network simplex; D4's relevant vectors (not a tight frame after subsampling)."""
    ot = pytest.importorskip("ot")
    from rdptheory.perception import w2_empirical_1d
    g = np.random.default_rng(2)
    x = g.standard_normal((150, 4)) * [1.0, 1.5, 0.7, 1.0]
    y = g.standard_normal((150, 4))
    w = np.full(150, 1 / 150)
    full = ot.emd2(w, w, ot.dist(x, y))               # squared Euclidean cost
    th, _ = lattice_directions("D4", max_directions=5, rng=3)
    lam = np.linalg.eigvalsh(th.T @ th / th.shape[0])[-1]
    sl = np.mean([w2_empirical_1d(x @ t, y @ t) for t in th])
    assert 0 < sl <= lam * full * (1 + 1e-12)


def test_sliced_estimate_against_pot_sliced():
    """Our per-direction one-sample W2² (bias-corrected) and POT's two-sample sliced W2², on the
    same directions, against the exact Σ_θ (√(θᵀSθ) − 1)² of N(0, S) vs N(0, I)."""
    ot = pytest.importorskip("ot")
    from rdptheory.perception import empirical_w2_bias_gaussian
    g = np.random.default_rng(4)
    S = np.array([2.25, 1.0, 1.0])
    x = g.standard_normal((4000, 3)) * np.sqrt(S)
    th = g.standard_normal((200, 3))
    th /= np.linalg.norm(th, axis=1, keepdims=True)
    exact = float(np.mean((np.sqrt(th ** 2 @ S) - 1.0) ** 2))
    b = frame_sliced_lower_bound(x, th)
    factor = 3 * np.linalg.eigvalsh(th.T @ th / 200)[-1]   # undo the frame normalization
    assert abs(b.value * factor - exact) <= 4 * b.stderr * factor
    y = g.standard_normal((4000, 3))
    pot = ot.sliced_wasserstein_distance(x, y, projections=th.T, p=2) ** 2
    bias = empirical_w2_bias_gaussian(4000, 1.0, 1.2)       # two-sample bias, 2·s1·s2·β_N
    assert abs(pot - bias - exact) <= 4 * math.sqrt(2) * b.stderr * factor


@pytest.mark.parametrize("bad,match", [
    (np.full((10, 2), np.nan), "finite"),
    (np.zeros((1, 2)), "N >= 2"),
    (np.zeros((3, 2, 2)), "shape"),
])
def test_bad_samples_raise(bad, match):
    with pytest.raises(ValueError, match=match):
        measure_perception(bad)


def test_bad_arguments_raise():
    x = np.random.default_rng(0).standard_normal((100, 8))
    with pytest.raises(ValueError, match="lattice dimension"):
        measure_perception(x, lattice="D4")
    with pytest.raises(ValueError, match="coupling_cost"):
        measure_perception(x, coupling_cost=-np.ones(100))
    with pytest.raises(ValueError, match="log_density"):
        measure_perception(x, log_density=np.zeros(99))
    with pytest.raises(ValueError, match="sigma2"):
        measure_perception(x, sigma2=-1.0)
    with pytest.raises(ValueError, match="s must"):
        pd_operating_point("Z1", 0.5, n_samples=10, s=0.0)
    with pytest.raises(ValueError, match="dither"):
        sd_operating_point("Z1", 0.5, n_samples=10, dither="ball")


def test_gelbrich_bias_correction_small_samples():
    """Mean over replicates of the Gelbrich estimate at N = 50 (n = 8) is within 4 SE of the
    exact bound (0 for the target itself): the ‖m̂‖² and variance biases are removed."""
    g = np.random.default_rng(6)
    vals = [gelbrich_lower_bound(g.standard_normal((50, 8))).value for _ in range(400)]
    assert abs(np.mean(vals)) <= 4 * np.std(vals) / math.sqrt(len(vals))


def _se_calibration(estimator, sampler, R, seed):
    """Empirical SD of R independent estimates, the mean reported SE, and the relative SE of
    an SD from R replicates (≈ 1/sqrt(2(R − 1)) for near-normal estimates)."""
    g = np.random.default_rng(seed)
    out = [estimator(sampler(g)) for _ in range(R)]
    vals = np.array([b.value for b in out])
    ses = np.array([b.stderr for b in out])
    return vals, float(np.std(vals, ddof=1)), float(np.mean(ses)), 1.0 / math.sqrt(2 * (R - 1))


def test_gelbrich_stderr_matches_replicate_spread_and_mean_is_unbiased():
    """Off the target (mean 0.3 per coordinate, sd 1.5) both influence terms matter: the reported
    SE equals the SD over 600 replicates within 4 of that SD's relative SEs, and the replicate
    mean is the exact bound 0.3² + 0.5² within 4 SE (N = 100: the ‖m̂‖² and variance bias
    corrections are 0.0225 and 0.0014 here, the SE of the mean 0.006)."""
    n = 3
    vals, sd, se, rel = _se_calibration(
        gelbrich_lower_bound, lambda g: 0.3 + 1.5 * g.standard_normal((100, n)), 600, 11)
    assert abs(se / sd - 1.0) <= 4 * rel
    assert abs(vals.mean() - (0.09 + 0.25)) <= 4 * sd / math.sqrt(vals.size)


def test_gelbrich_stderr_mean_term_alone():
    """Unit variance, mean 0.4: only the mean's influence term is non-zero at first order."""
    vals, sd, se, rel = _se_calibration(
        gelbrich_lower_bound, lambda g: 0.4 + g.standard_normal((200, 2)), 600, 12)
    assert abs(se / sd - 1.0) <= 4 * rel
    assert abs(vals.mean() - 0.16) <= 4 * sd / math.sqrt(vals.size)


def test_frame_sliced_stderr_matches_replicate_spread():
    """The influence-function SE of the frame-sliced bound against the SD of 400 replicates
    (N = 300, 12 fixed random directions, an anisotropic Gaussian off the target)."""
    th = np.random.default_rng(13).standard_normal((12, 3))
    vals, sd, se, rel = _se_calibration(
        lambda x: frame_sliced_lower_bound(x, th),
        lambda g: g.standard_normal((300, 3)) * np.array([1.5, 1.0, 0.8]), 400, 14)
    assert abs(se / sd - 1.0) <= 4 * rel


def _log_density_for(x, t, s2=1.0):
    """log μ at x that makes kl_from_log_density's per-sample terms equal t."""
    n = x.shape[1]
    return t * n - 0.5 * n * math.log(2 * math.pi * s2) - np.sum(x * x, axis=1) / (2 * s2)


@pytest.mark.parametrize("c, warned", [(3.9, False), (4.1, True)])
def test_negative_kl_warning_sits_at_four_standard_errors(c, warned):
    """The KL estimate's warning (and the Talagrand bound's removal) starts exactly where
    KL + 4 SE < 0: terms with mean −c·SE, for c just inside and just outside."""
    g = np.random.default_rng(21)
    N = 400
    x = g.standard_normal((N, 2))
    e = np.where(np.arange(N) % 2 == 0, 1.0, -1.0)
    se = float(np.std(e, ddof=1) / math.sqrt(N))
    t = e - c * se
    m = measure_perception(x, log_density=_log_density_for(x, t), n_projections=4, rng=1)
    assert m.kl == pytest.approx(-c * se, rel=1e-9) and m.kl_stderr == pytest.approx(se, rel=1e-9)
    assert any("negative beyond 4 SE" in w for w in m.warnings) == warned
    assert ("talagrand" in m.bounds) == (not warned)
    assert m.upper_bound == ("none" if warned else "talagrand")


def test_lattice_directions_subset_is_a_seeded_uniform_subset():
    full_p, full_d = lattice_directions("E8")
    a_p, a_d = lattice_directions("E8", max_directions=10, rng=5)
    b_p, _ = lattice_directions("E8", max_directions=10, rng=5)
    c_p, _ = lattice_directions("E8", max_directions=10, rng=6)
    assert a_p.shape == (10, 8) and a_d.shape == (10, 8)
    np.testing.assert_array_equal(a_p, b_p)
    assert not np.array_equal(a_p, c_p)
    # every row is one of the full set's, in the full set's order
    idx = [int(np.argmin(np.linalg.norm(full_p - r, axis=1))) for r in a_p]
    assert all(np.allclose(full_p[i], r) for i, r in zip(idx, a_p)) and idx == sorted(idx)
    assert len(set(idx)) == 10                       # drawn without replacement
    # asking for at least the full count returns the full set
    np.testing.assert_array_equal(lattice_directions("E8", max_directions=120)[0], full_p)
    # over many seeds every direction is drawn about equally often (uniform subset)
    counts = np.zeros(len(full_p))
    for s in range(300):
        sub, _ = lattice_directions("E8", max_directions=12, rng=s)
        counts[[int(np.argmin(np.linalg.norm(full_p - r, axis=1))) for r in sub]] += 1
    expected = 300 * 12 / 120
    assert np.all(np.abs(counts - expected) <= 4 * math.sqrt(expected))


def test_sliced_w2_sample_checks():
    from rdptheory.perception import sliced_w2
    g = np.random.default_rng(2)
    x = g.standard_normal(50)
    y = g.standard_normal(60)
    a = sliced_w2(x, y, 8, rng=1)                       # 1-D arrays are samples in R^1
    b = sliced_w2(x[:, None], y[:, None], 8, rng=1)
    assert a.estimate == b.estimate and a.dim == 1
    with pytest.raises(ValueError, match=r"^x must be a non-empty sample of shape \(N, n\)"):
        sliced_w2(np.zeros((0, 2)), y[:, None], 8)
    with pytest.raises(ValueError, match=r"^y must be a non-empty sample"):
        sliced_w2(x[:, None], np.zeros((5, 0)), 8)
    with pytest.raises(ValueError, match=r"^x must be a non-empty sample"):
        sliced_w2(np.zeros((2, 2, 2)), y, 8)
    bad = g.standard_normal((5, 2))
    bad[3, 1] = np.inf
    with pytest.raises(ValueError, match=r"^x must have finite entries; got inf at index \(3, 1\)"):
        sliced_w2(bad, g.standard_normal((5, 2)), 8)
    with pytest.raises(ValueError, match=r"^y must be an array of real numbers"):
        sliced_w2(x, ["a", "b"], 8)


def test_w2_empirical_1d_sample_checks():
    from rdptheory.perception import w2_empirical_1d
    with pytest.raises(ValueError, match=r"^a must have finite entries; got nan at index 2$"):
        w2_empirical_1d([0.0, 1.0, np.nan], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"^b must be a non-empty 1-D sample; got shape \(0,\)"):
        w2_empirical_1d([0.0, 1.0], [])
    with pytest.raises(ValueError, match=r"^a must be a non-empty 1-D sample; got shape \(2, 2\)"):
        w2_empirical_1d(np.zeros((2, 2)), [0.0])
    with pytest.raises(ValueError, match=r"^b must be a 1-D array of real numbers"):
        w2_empirical_1d([0.0], ["a"])


@pytest.mark.parametrize("c", [0.0, 0.5])
def test_gelbrich_on_a_constant_sample(c):
    """A collapsed coder outputs one point: the bound is exactly ‖m‖²/n + σ² (no division by
    the zero sample variance), with zero SE; measure_perception reports it."""
    x = np.full((500, 2), c)
    b = gelbrich_lower_bound(x, 2.0)
    assert b.value == pytest.approx(c * c + 2.0, abs=1e-12) and b.stderr == 0.0
    m = measure_perception(x, 2.0, n_projections=4, rng=0)
    assert m.bounds["gelbrich"][0] == pytest.approx(c * c + 2.0, abs=1e-12)


def test_gelbrich_bias_correction_by_replicates():
    """The Gelbrich estimate is debiased to second order: over 100,000 replicate samples of
    N = 100 from N(0.5, 4) in 1-D its mean matches W2² = 0.5² + (2 − 1)² = 1.25 within 4 SE
    (SE about 0.0012). The correction it applies is 0.01 here, so a correction with the wrong
    sign (off by 0.02) or none (off by 0.01) fails."""
    g = np.random.default_rng(21)
    X = 0.5 + 2.0 * g.standard_normal((100_000, 100, 1))
    vals = np.array([gelbrich_lower_bound(x, 1.0).value for x in X])
    se = vals.std(ddof=1) / math.sqrt(vals.size)
    assert abs(vals.mean() - 1.25) <= 4 * se
