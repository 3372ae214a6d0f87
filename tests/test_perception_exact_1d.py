"""The exact n = 1 perception references (rdptheory.perception.exact_1d, output_law at n = 1)
against independent computations: per-cell quadrature, direct simulation of the scheme, and
mpmath. These are the references that the estimated perception bounds must bracket, so each is
checked by a method that shares none of its code."""
import math

import mpmath
import numpy as np
import pytest
from scipy import integrate, stats

from rdptheory import gaussian as gauss
from rdptheory.lattices import get
from rdptheory.perception.exact_1d import (pd_distortion_1d, pd_output_1d, qsd_output_1d,
                                           sd_output_kl_1d)
from rdptheory.perception.output_law import sd_output_log_density


def _quantize(t, step):
    return step * np.floor(t / step + 0.5)


@pytest.mark.parametrize("D, sigma2, s", [(0.5, 1.0, None), (0.3, 4.0, None), (0.9, 1.0, 0.6),
                                          (0.2, 0.25, 1.7)])
def test_pd_distortion_1d_matches_cellwise_quadrature(D, sigma2, s):
    """E(X - Q(αX) - sΔu)² by scipy quad of (x - Q(αx))² φ on each quantizer cell, plus the
    dither term s²Δ²/12."""
    p = gauss.pd_ltc_parameters(D, sigma2)
    s_used = float(p.s) if s is None else s
    alpha, delta, sig = float(p.alpha), math.sqrt(12 * float(p.second_moment)), math.sqrt(sigma2)
    K = int(math.ceil(12 * alpha * sig / delta)) + 1
    total = 0.0
    for k in range(-K, K + 1):
        lo, hi = (k - 0.5) * delta / alpha, (k + 0.5) * delta / alpha
        val, _ = integrate.quad(lambda x, k=k: (x - k * delta) ** 2 * stats.norm.pdf(x, 0, sig),
                                lo, hi, epsabs=1e-15, epsrel=1e-12)
        total += val
    total += s_used ** 2 * delta ** 2 / 12
    got = pd_distortion_1d(D, sigma2) if s is None else pd_distortion_1d(D, sigma2, s)
    assert got == pytest.approx(total, rel=1e-9)


def _mixture_cdf(mix, t):
    a, w, h = mix.atoms[:, None], mix.weights[:, None], mix.half_width
    return np.sum(w * np.clip((t[None, :] - (a - h)) / (2 * h), 0.0, 1.0), axis=0)


def _assert_cdf_matches_samples(mix, samples, t):
    """The mixture's CDF against the empirical CDF of simulated outputs, within 4 binomial SE
    at each point (all points, 1e6 samples: a wrong atom, weight or width moves it by > 10 SE)."""
    F = _mixture_cdf(mix, t)
    emp = np.mean(samples[:, None] <= t[None, :], axis=0)
    se = np.sqrt(np.maximum(F * (1 - F), 1e-12) / samples.size)
    z = (emp - F) / se
    assert np.all(np.abs(z) <= 4.0), z


PD_D, PD_SIGMA2 = 0.5, 2.0
CDF_POINTS = np.linspace(-3.0, 3.0, 25) * math.sqrt(PD_SIGMA2)


@pytest.fixture(scope="module")
def simulated_pd():
    """1e6 outputs of PD-LTC at n = 1 simulated directly: Q_Δ(αX) + sΔ(u - ½)."""
    p = gauss.pd_ltc_parameters(PD_D, PD_SIGMA2)
    alpha, s, delta = float(p.alpha), float(p.s), math.sqrt(12 * float(p.second_moment))
    rng = np.random.default_rng(11)
    x = rng.normal(0.0, math.sqrt(PD_SIGMA2), 1_000_000)
    return _quantize(alpha * x, delta) + s * delta * (rng.random(x.size) - 0.5)


def test_pd_output_1d_is_the_law_of_the_simulated_scheme(simulated_pd):
    mix = pd_output_1d(PD_D, PD_SIGMA2)
    assert mix.weights.sum() == pytest.approx(1.0, abs=1e-12)
    _assert_cdf_matches_samples(mix, simulated_pd, CDF_POINTS)


def test_cdf_check_fails_for_a_wrong_dither_width(simulated_pd):
    """Negative control: the PD law with the dither half-width sΔ instead of sΔ/2 (a missing
    factor of 2) is rejected by the simulated-scheme check."""
    from rdptheory.perception.exact_1d import UniformMixture1D
    good = pd_output_1d(PD_D, PD_SIGMA2)
    wrong = UniformMixture1D(good.atoms, good.weights, 2 * good.half_width)
    with pytest.raises(AssertionError):
        _assert_cdf_matches_samples(wrong, simulated_pd, CDF_POINTS)


def test_qsd_output_1d_is_the_law_of_the_simulated_scheme():
    """QSD at n = 1: shared dither d uniform on the Γ fine offsets jΔ/Γ, F = Q_Δ(αX - d) + d on the
    fine lattice, output β(F + s·u), u uniform on the fine cell."""
    D, ratio, sigma2 = 0.5, 3, 1.5
    p = gauss.qsd_ltc_parameters(D, ratio, sigma2)
    alpha, beta, s = float(p.alpha), float(p.beta), float(p.s)
    delta = math.sqrt(12 * float(p.second_moment))
    rng = np.random.default_rng(12)
    x = rng.normal(0.0, math.sqrt(sigma2), 1_000_000)
    d = rng.integers(0, ratio, x.size) * delta / ratio
    F = _quantize(alpha * x - d, delta) + d
    out = beta * (F + s * (delta / ratio) * (rng.random(x.size) - 0.5))
    mix = qsd_output_1d(D, ratio, sigma2)
    _assert_cdf_matches_samples(mix, out, np.linspace(-3.0, 3.0, 25) * math.sqrt(sigma2))


@pytest.mark.parametrize("D, P, sigma2", [(0.5, 0.0, 1.0), (0.7, 0.05, 2.0)])
def test_sd_output_kl_1d_matches_mpmath(D, P, sigma2):
    """KL(β(X + U) ‖ N(0, σ²)) by 30-digit mpmath quadrature of the closed-form density."""
    prm = gauss.sd_ltc_parameters(D, P, sigma2)
    beta, delta = mpmath.mpf(float(prm.beta)), mpmath.sqrt(12 * mpmath.mpf(float(prm.eta2)))
    sig = mpmath.sqrt(sigma2)
    with mpmath.workdps(30):
        def f(w):
            v = w / beta
            return (mpmath.ncdf((v + delta / 2) / sig) - mpmath.ncdf((v - delta / 2) / sig)) / (
                beta * delta)

        def integrand(w):
            fw = f(w)
            if fw == 0:
                return mpmath.mpf(0)
            g = mpmath.npdf(w, 0, sig)
            return fw * mpmath.log(fw / g)

        edge = beta * delta / 2
        L = beta * (14 * sig + delta)
        kl = 2 * mpmath.quad(integrand, [0, edge, 2 * edge, L])
    assert sd_output_kl_1d(D, P, sigma2) == pytest.approx(float(kl), rel=1e-8)


def test_sd_output_log_density_z1_matches_closed_form():
    """n = 1, Z scaled to step Δ, gain β: the density of β(X + U) is
    [Φ((w + Δ/2)/σ) - Φ((w - Δ/2)/σ)]/(βΔ) at w = x̂/β. Midpoint cell samples make the
    cell-probability estimator a quadrature with O(M⁻²) error."""
    step, beta, sigma2 = 0.8, 1.3, 2.0
    L = get("Z1").scaled(step)
    M = 4096
    cell = ((np.arange(M) + 0.5) / M - 0.5)[:, None] * step
    x_hat = np.array([[-2.0], [-0.3], [0.0], [0.45], [1.7]])
    lp, _ = sd_output_log_density(x_hat, L, cell, sigma2, beta=beta)
    w = x_hat[:, 0] / beta
    sig = math.sqrt(sigma2)
    exact = np.log((stats.norm.cdf((w + step / 2) / sig) - stats.norm.cdf((w - step / 2) / sig))
                   / (beta * step))
    np.testing.assert_allclose(lp, exact, atol=1e-6)


def _mixture_log_pdf(mix, t):
    a, w, h = mix.atoms[:, None], mix.weights[:, None], mix.half_width
    dens = np.sum(w * (np.abs(t[None, :] - a) <= h), axis=0) / (2 * h)
    with np.errstate(divide="ignore"):
        return np.log(dens)


@pytest.mark.parametrize("s, beta", [(None, 1.0), (0.7, 1.0), (1.6, 1.3)])
def test_lattice_mixture_log_density_is_the_uniform_mixture_at_n1(s, beta):
    """x̂ = β(F + s·U) with F = kΔ of probability p_k (PD's quantized source), U uniform on the
    cell: its density is the uniform mixture with atoms βkΔ and half-width βsΔ/2, evaluated
    here directly. s > 1 exercises the enumeration of overlapping cells, s < 1 the holes."""
    from rdptheory.perception.exact_1d import UniformMixture1D
    from rdptheory.perception.output_law import lattice_mixture_log_density
    D = 0.5
    p = gauss.pd_ltc_parameters(D)
    delta = math.sqrt(12 * float(p.second_moment))
    mix = pd_output_1d(D) if s is None else pd_output_1d(D, s=s)
    s_used = 2 * mix.half_width / delta
    table = {round(float(a) / delta): math.log(w) for a, w in zip(mix.atoms, mix.weights)}

    def log_weight(points):
        k = np.round(points[:, 0] / delta).astype(int)
        return np.array([table.get(int(i), -np.inf) for i in k]), np.zeros(len(k))

    scaled = UniformMixture1D(beta * mix.atoms, mix.weights, beta * mix.half_width)
    t = np.linspace(-2.2, 2.2, 41) * beta + 0.013
    lp, bias = lattice_mixture_log_density(t[:, None], get("Z1").scaled(delta), s_used,
                                           log_weight, beta=beta)
    expected = _mixture_log_pdf(scaled, t)
    finite = np.isfinite(expected)
    assert np.array_equal(np.isfinite(lp), finite) and np.all(lp[~finite] == -np.inf)
    np.testing.assert_allclose(lp[finite], expected[finite], rtol=1e-12, atol=1e-12)
    assert np.all(bias == 0.0)
    if s is not None and s < 1:
        assert not finite.all()                 # the holes between the shrunken cells


def _covering_ratio_from_the_exact_cell(name):
    """R²/d_min² from the exact Voronoi cell: the largest vertex norm over the smallest
    relevant-vector norm, in the cell's rational Gram matrix (scale-free)."""
    from fractions import Fraction
    from rdptheory.lattices.voronoi_cell import exact_voronoi_cell
    cell = exact_voronoi_cell(name)
    Q = [[Fraction(q) for q in row] for row in cell.gram]
    n = len(Q)

    def norm(y):
        return sum(y[i] * Q[i][j] * y[j] for i in range(n) for j in range(n))

    r2 = max(norm(v) for v in cell.vertices)
    d2 = min(norm([Fraction(int(c)) for c in v]) for v in cell.relevant)
    return float(r2 / d2)


@pytest.mark.parametrize("name", ["Z1", "Z3", "A2", "D4"])
def test_covering_radius_lookup_matches_the_exact_voronoi_cell(name):
    pytest.importorskip("cdd")
    from rdptheory.perception.output_law import _covering_radius2
    for L in (get(name), get(name).scaled(0.37)):
        assert _covering_radius2(L, None) == pytest.approx(
            _covering_ratio_from_the_exact_cell(name) * L.minimum_norm(), rel=1e-12)


def test_covering_radius_errors():
    from rdptheory.perception.output_law import _covering_radius2
    assert _covering_radius2(get("E7"), 2.5) == 2.5
    with pytest.raises(ValueError, match="^covering_radius2 must"):
        _covering_radius2(get("E8"), 0.0)
    with pytest.raises(ValueError, match=r"^no covering radius known for lattice 'E7': pass "
                                         r"covering_radius2 \(known: \['A2', 'D4', 'E8', 'Z1'\]\)"):
        _covering_radius2(get("E7"), None)


@pytest.mark.parametrize("a, sigma2", [(math.sqrt(3.0), 1.0), (1.3, 2.5), (0.4, 0.3)])
def test_uniform_mixture_w2_kl_single_uniform_closed_form(a, sigma2):
    """Unif[-a, a] against N(0, σ²): W2² = a²/3 + σ² - 2aσ/√π (the monotone coupling,
    E[Z Φ(Z)] = 1/(2√π)) and KL = -ln(2a) + ½ln(2πσ²) + a²/(6σ²)."""
    from rdptheory.perception.exact_1d import UniformMixture1D, uniform_mixture_w2_kl
    sig = math.sqrt(sigma2)
    w2, kl = uniform_mixture_w2_kl(UniformMixture1D(np.array([0.0]), np.array([1.0]), a), sigma2)
    assert w2 == pytest.approx(a * a / 3 + sigma2 - 2 * a * sig / math.sqrt(math.pi), rel=1e-9)
    assert kl == pytest.approx(-math.log(2 * a) + 0.5 * math.log(2 * math.pi * sigma2)
                               + a * a / (6 * sigma2), rel=1e-12)


def test_uniform_mixture_w2_kl_scales_with_the_source():
    """(c·mixture, c²σ²) has c² times the W2² and the same KL, with gaps of zero density."""
    from rdptheory.perception.exact_1d import UniformMixture1D, uniform_mixture_w2_kl
    mix = UniformMixture1D(np.array([-1.5, 0.2, 1.0]), np.array([0.3, 0.5, 0.2]), 0.25)
    w2, kl = uniform_mixture_w2_kl(mix)
    c = 1.7
    w2c, klc = uniform_mixture_w2_kl(UniformMixture1D(c * mix.atoms, mix.weights,
                                                      c * mix.half_width), c * c)
    assert w2c == pytest.approx(c * c * w2, rel=1e-9) and klc == pytest.approx(kl, rel=1e-12)


def test_kl_from_log_density_is_the_sample_mean_of_the_log_ratio():
    """Per-sample (log μ(x) + bias - log N(x; 0, σ² I))/n against scipy's multivariate normal,
    mean and standard error (ddof 1) recomputed here; and the estimate covers the closed-form
    KL of N(0, τ² I) from N(0, σ² I) within 4 SE."""
    from rdptheory.perception.measurement import kl_from_log_density
    rng = np.random.default_rng(4)
    n, N, tau2, sigma2 = 3, 20000, 1.8, 2.5
    x = math.sqrt(tau2) * rng.standard_normal((N, n))
    lp = stats.multivariate_normal(np.zeros(n), tau2 * np.eye(n)).logpdf(x)
    bias = rng.uniform(0.0, 0.01, N)
    est = kl_from_log_density(x, lp, sigma2, log_density_bias=bias)
    vals = (lp + bias - stats.multivariate_normal(np.zeros(n), sigma2 * np.eye(n)).logpdf(x)) / n
    assert est.name == "kl"
    assert est.value == pytest.approx(vals.mean(), rel=1e-12)
    assert est.stderr == pytest.approx(vals.std(ddof=1) / math.sqrt(N), rel=1e-12)
    plain = kl_from_log_density(x, lp, sigma2)
    exact = 0.5 * (tau2 / sigma2 - 1 - math.log(tau2 / sigma2))
    assert abs(plain.value - exact) <= 4 * plain.stderr
    with pytest.raises(ValueError, match=r"^log_density must not contain nan or \+inf$"):
        kl_from_log_density(x[:2], [0.0, np.inf], sigma2)
    with pytest.raises(ValueError, match=r"^log_density must not contain nan or \+inf$"):
        kl_from_log_density(x[:2], [np.nan, 0.0], sigma2)
    with pytest.raises(ValueError, match=r"^sigma2 must be in \(0"):
        kl_from_log_density(x[:2], [0.0, 0.0], 0.0)
