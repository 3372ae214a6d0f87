"""Operating-point helpers checked against independent computations (written to kill the
mutants that survived the first mutation-testing run, see docs/development.md)."""
import math

import numpy as np
import pytest
from scipy import integrate, special, stats

from rdptheory import gaussian as g
from rdptheory.lattices import get
from rdptheory.operating_points import (pd_operating_point, pd_rate_exact_1d,
                                        qsd_operating_point,
                                        scaled_to_second_moment, sd_operating_point,
                                        sd_perception, sd_perception_exact_1d,
                                        sd_rate_quadrature_1d)


def _w2_by_convolution(D, P, s2, grid=400_001):
    """W2² between N(0, s2) and β(X + E), E ~ U[−Δ/2, Δ/2]: the CDF of X + E by cumulative
    trapezoid integration of its density on a grid, quantiles by interpolation (no closed
    form of the CDF)."""
    p = g.sd_ltc_parameters(D, P, s2)
    beta, delta, sig = float(p.beta), math.sqrt(12 * float(p.eta2)), math.sqrt(s2)
    w = np.linspace(-12 * sig - delta, 12 * sig + delta, grid)
    f = (special.ndtr((w + delta / 2) / sig) - special.ndtr((w - delta / 2) / sig)) / delta
    F = integrate.cumulative_trapezoid(f, w, initial=0.0)
    F /= F[-1]
    t = (np.arange(200_000) + 0.5) / 200_000
    qx = stats.norm.ppf(t, scale=sig)
    qw = beta * np.interp(t, F, w)
    return float(np.mean((qx - qw) ** 2))


@pytest.mark.parametrize("D, P, s2", [(0.5, 0.05, 1.0), (0.8, 0.1, 2.0), (0.3, 0.4, 0.7),
                                      (0.2, 0.0, 2.5)])
def test_sd_perception_exact_1d_matches_numerical_convolution(D, P, s2):
    exact = sd_perception_exact_1d(D, P, s2)
    ref = _w2_by_convolution(D, P, s2)
    assert exact == pytest.approx(ref, rel=2e-4, abs=1e-7)


def test_sd_perception_exact_1d_defaults():
    assert sd_perception_exact_1d(0.5) == sd_perception_exact_1d(0.5, 0.0, 1.0)


def test_sd_rate_quadrature_and_pd_exact_scale_with_sigma2():
    # rates are invariant when D and sigma2 scale together; the defaults are P = 0, sigma2 = 1
    assert sd_rate_quadrature_1d(0.5) == pytest.approx(sd_rate_quadrature_1d(1.25, 0.0, 2.5),
                                                       rel=1e-9)
    assert sd_rate_quadrature_1d(0.5, 0.05) == pytest.approx(
        sd_rate_quadrature_1d(0.25, 0.025, 0.5), rel=1e-9)
    assert pd_rate_exact_1d(0.5) == pytest.approx(pd_rate_exact_1d(1.25, 2.5), rel=1e-12)
    # H(Q(αX)) of a fine quantizer: h(αX) − log2 Δ within the quantization correction
    p = g.pd_ltc_parameters(0.002)
    delta = math.sqrt(12 * float(p.second_moment))
    h = 0.5 * math.log2(2 * math.pi * math.e * float(p.alpha) ** 2)
    assert pd_rate_exact_1d(0.002) == pytest.approx(h - math.log2(delta), abs=2e-3)
    assert pd_rate_exact_1d(0.5, kmax=60) == pytest.approx(pd_rate_exact_1d(0.5), abs=1e-12)


def test_scaled_to_second_moment():
    L = scaled_to_second_moment("E8", 0.3)
    assert L.second_moment_reference == pytest.approx(0.3, rel=1e-12)
    L2 = scaled_to_second_moment("E8", 0.3, nsm=0.08)
    assert 0.08 * L2.volume ** (2 / 8) == pytest.approx(0.3, rel=1e-12)
    from rdptheory.lattices import from_generator
    with pytest.raises(ValueError, match=r"no reference NSM: pass nsm= \(e\.g\. from "
                                         r"rdptheory\.nsm\.nsm_estimate\)$"):
        scaled_to_second_moment(from_generator(np.eye(2) * 1.3), 0.3)
    for bad in (-1.0, 0.0):
        with pytest.raises(ValueError, match="^second_moment must be"):
            scaled_to_second_moment("E8", bad)


def test_operating_point_as_dict_and_kept_samples():
    op = sd_operating_point("A2", 0.5, 0.05, n_samples=600, cell_samples=64, rng=3,
                            keep_samples=True)
    d = op.as_dict()
    assert d["scheme"] == "SD" and d["lattice"] == "A2" and d["dimension"] == 2
    assert d["sigma2"] == 1.0 and d["target_distortion"] == 0.5 and d["target_perception"] == 0.05
    for k in ("rate", "rate_stderr", "rate_jensen_bias", "distortion", "distortion_stderr"):
        assert d[k] == getattr(op, k)
    assert (d["n_samples"], d["cell_samples"]) == (600, 64)
    assert d["parameters"] == op.parameters and d["theory"] == op.theory
    assert d["parameters"] is not op.parameters and "samples" not in d
    # kept samples: c + u = x_hat / β, and the per-block bits average to the rate
    s = op.samples
    assert np.allclose(s["centers"] * op.parameters["beta"], s["x_hat"], rtol=1e-12, atol=1e-12)
    assert float(np.mean(s["rate_bits"])) == pytest.approx(op.rate, rel=1e-12)
    assert s["x"].shape == (600, 2)
    assert sd_operating_point("A2", 0.5, 0.05, n_samples=600, cell_samples=64,
                              rng=3).samples == {}


def test_operating_point_theory_fields_and_regimes():
    op = sd_operating_point("Z1", 0.5, 0.0, n_samples=400, cell_samples=32, rng=1)
    R = float(g.rdp(0.5, 0.0))
    gap = 0.5 * math.log2(2 * math.pi * math.e / 12)
    assert op.theory["rate_lower"] == op.theory["rate_rdp"] == pytest.approx(R, rel=1e-15)
    assert op.theory["rate_upper"] == pytest.approx(R + gap, rel=1e-15)
    assert op.theory["distortion"] == 0.5 and op.parameters["G"] == pytest.approx(1 / 12)
    assert op.parameters["regime"] == "perception-active"
    pd = pd_operating_point("Z1", 0.5, n_samples=400, cell_samples=32, rng=1)
    assert pd.scheme == "PD" and pd.target_perception == 0.0
    assert pd.parameters["alpha"] == 0.75 and pd.parameters["second_moment"] == 0.1875
    assert pd.theory["rate_no_cr_at_target"] == pytest.approx(
        float(g.rate_no_common_randomness(0.5)), rel=1e-15)
    assert pd.theory["rate_no_cr_at_achieved"] == pytest.approx(
        float(g.rate_no_common_randomness(pd.distortion)), rel=1e-15)
    assert pd.theory["rate_perfect_realism_at_achieved"] == pytest.approx(
        float(g.rdp_perfect_realism(pd.distortion)), rel=1e-15)


@pytest.mark.parametrize("kw", [{"n_samples": 1}, {"cell_samples": 0}, {"cell_samples": 15}])
def test_operating_point_bad_sizes(kw):
    args = {"n_samples": 100, "cell_samples": 16, **kw}
    name = next(iter(kw))
    for f in (lambda: sd_operating_point("Z1", 0.5, **args),
              lambda: pd_operating_point("Z1", 0.5, **args),
              lambda: qsd_operating_point("Z1", 0.5, 2, **args)):
        with pytest.raises(ValueError, match=f"^{name} must"):
            f()


@pytest.mark.parametrize("ratio", [0, 2.5, -3])
def test_qsd_ratio_must_be_a_positive_integer(ratio):
    with pytest.raises(ValueError, match="^ratio must be an integer"):
        qsd_operating_point("Z1", 0.5, ratio, n_samples=100, cell_samples=16)


def test_operating_point_defaults():
    """The documented defaults: 20,000 blocks, 4096 cell samples, no kept samples, no
    perception, σ² = 1 and (SD) P = 0; the dither is the Voronoi cell's."""
    for op in (sd_operating_point("Z1", 0.5, rng=0), pd_operating_point("Z1", 0.5, rng=0),
               qsd_operating_point("Z1", 0.5, 2, rng=0)):
        assert (op.n_samples, op.cell_samples, op.samples, op.perception, op.sigma2) == (
            20_000, 4096, {}, {}, 1.0)
    op = sd_operating_point("Z1", 0.5, rng=0)
    assert op.target_perception == 0.0 and op.parameters["dither"] == "voronoi"
    assert op.rate == sd_operating_point("Z1", 0.5, 0.0, 1.0, rng=0).rate


def test_sd_perception_paths():
    op1 = sd_operating_point("Z1", 0.5, 0.05, n_samples=200, cell_samples=16, rng=2)
    v, se, how = sd_perception(op1)
    assert (v, se) == (sd_perception_exact_1d(0.5, 0.05), 0.0) and how.startswith("exact")
    op2 = sd_operating_point("A2", 0.5, 0.05, n_samples=200, cell_samples=16, rng=2)
    with pytest.raises(ValueError, match=r"^op must come from sd_operating_point\(\.\.\., "
                                         r"keep_samples=True\)$"):
        sd_perception(op2)
    op3 = sd_operating_point("A2", 0.5, 0.05, n_samples=2000, cell_samples=16, rng=2,
                             keep_samples=True)
    v, se, how = sd_perception(op3, n_projections=16, rng=1)
    assert se > 0 and "16 projections" in how and 0.0 < v < 0.5
    assert sd_perception(op3, n_projections=16, rng=1) == (v, se, how)    # reproducible
    assert "256 projections" in sd_perception(op3, rng=1)[2]


@pytest.mark.parametrize("scheme", ["sd", "pd"])
def test_operating_points_scale_with_sigma2(scheme):
    """Same seed, (D, P, σ²) scaled together: the source, the lattice and the reconstruction all
    scale by σ, so the rate is unchanged and the distortion scales by σ² (to rounding)."""
    kw = dict(n_samples=300, cell_samples=32, rng=5)
    if scheme == "sd":
        a = sd_operating_point("A2", 0.5, 0.05, **kw)
        b = sd_operating_point("A2", 0.5 * 2.5, 0.05 * 2.5, sigma2=2.5, **kw)
    else:
        a = pd_operating_point("A2", 0.5, **kw)
        b = pd_operating_point("A2", 0.5 * 2.5, sigma2=2.5, **kw)
    assert b.rate == pytest.approx(a.rate, rel=1e-9)
    assert b.distortion == pytest.approx(2.5 * a.distortion, rel=1e-9)
    assert b.sigma2 == 2.5 and b.n_samples == 300 and b.cell_samples == 32
    assert b.rate_jensen_bias == pytest.approx(a.rate_jensen_bias, rel=1e-6)


def test_pd_operating_point_metadata_and_messages():
    op = pd_operating_point("A2", 0.5, n_samples=300, cell_samples=32, rng=5)
    assert (op.lattice, op.dimension, op.target_distortion) == ("A2", 2, 0.5)
    assert op.samples == {} and op.rate_jensen_bias > 0
    kept = pd_operating_point("A2", 0.5, n_samples=300, cell_samples=32, rng=5,
                              keep_samples=True)
    assert kept.samples["x"].shape == (300, 2) and kept.rate == op.rate
    assert pd_operating_point("A2", 0.5, n_samples=2, cell_samples=16, rng=5).n_samples == 2
    with pytest.raises(ValueError, match="^n_samples must"):
        pd_operating_point("A2", 0.5, n_samples=1)
    calls = []
    pd_operating_point("A2", 0.5, n_samples=300, cell_samples=32, rng=5,
                       progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (300, 300)
    g2 = pd_operating_point("A2", 0.5, n_samples=300, cell_samples=32, rng=5, nsm=0.09)
    assert g2.parameters["G"] == 0.09 and g2.rate != op.rate


def test_smallest_accepted_sizes():
    """n_samples = 2 and cell_samples = 16 (a quarter of them, 4, for the rate's bias check)
    are the documented minimums: accepted by all three schemes."""
    for f in (lambda: sd_operating_point("Z1", 0.5, n_samples=2, cell_samples=16, rng=0),
              lambda: pd_operating_point("Z1", 0.5, n_samples=2, cell_samples=16, rng=0),
              lambda: qsd_operating_point("Z1", 0.5, 2, n_samples=2, cell_samples=16, rng=0)):
        op = f()
        assert (op.n_samples, op.cell_samples) == (2, 16) and math.isfinite(op.rate)


def test_perception_measurement_is_reproducible():
    """The output-density estimate inside the perception measurement draws from ``rng``: the
    same seed gives the same KL, another seed a different one."""
    a = sd_operating_point("Z1", 0.5, 0.05, n_samples=400, cell_samples=64, rng=3,
                           perception=True).perception
    b = sd_operating_point("Z1", 0.5, 0.05, n_samples=400, cell_samples=64, rng=3,
                           perception=True).perception
    c = sd_operating_point("Z1", 0.5, 0.05, n_samples=400, cell_samples=64, rng=4,
                           perception=True).perception
    assert a["kl"] == b["kl"] and a["kl_stderr"] == b["kl_stderr"] and a["kl"] != c["kl"]


def test_sd_perception_kl_at_sigma2_two_matches_quadrature():
    """At σ² = 2 (every other perception test uses σ² = 1) the KL read by an SD operating point
    from its output density matches the n = 1 quadrature of sd_output_kl_1d within 4 SE
    (measured 0.0568 ± 0.0020 against 0.0570; with σ² dropped from the density, 0.024)."""
    from rdptheory.perception.exact_1d import sd_output_kl_1d
    p = sd_operating_point("Z1", 1.0, 0.1, sigma2=2.0, n_samples=16000, cell_samples=1024,
                           perception=True, rng=0).perception
    assert abs(p["kl"] - sd_output_kl_1d(1.0, 0.1, 2.0)) <= 4 * p["kl_stderr"]


def test_mixture_density_switch_boundaries():
    """The PD/QSD output density is enumerated unless s > 1 and n > 8: computed for E8 at
    s = 1.5 and for Z9 at s = 1 exactly, skipped (None) for Z9 at s = 1.5."""
    from rdptheory.operating_points import _mixture_density

    def flat(points):
        return np.zeros(len(points)), np.zeros(len(points))
    for name, n, s, computed in (("E8", 8, 1.5, True), ("Z9", 9, 1.0, True),
                                 ("Z9", 9, 1.5, False)):
        xh = np.random.default_rng(0).standard_normal((3, n)) * 0.3
        out = _mixture_density(xh, get(name), s, 1.0, flat)
        assert (out is not None) == computed, (name, s)


def test_pd_operating_point_every_field():
    """Every field of a PD operating point away from the defaults (σ² = 1.5, s = 0.9, uniform
    rate estimator) read against its definition: the Thm 4.5 recipe, the Gaussian rates at σ²,
    distortion and its SE from the kept samples."""
    kw = dict(sigma2=1.5, s=0.9, n_samples=400, cell_samples=64, rng=4, rate_method="uniform",
              keep_samples=True)
    op = pd_operating_point("A2", 0.7, **kw)
    p = g.pd_ltc_parameters(0.7, 1.5)
    assert op.parameters == {"alpha": float(p.alpha), "s": 0.9, "s_theorem": float(p.s),
                             "second_moment": float(p.second_moment),
                             "G": get("A2").nsm_reference.value}
    assert op.theory == pytest.approx({
        "rate_no_cr_at_target": float(g.rate_no_common_randomness(0.7, 1.5)),
        "rate_no_cr_at_achieved": float(g.rate_no_common_randomness(op.distortion, 1.5)),
        "rate_perfect_realism_at_achieved": float(g.rdp_perfect_realism(op.distortion, 1.5))},
        rel=1e-12)
    x, xh = op.samples["x"], op.samples["x_hat"]
    d = np.sum((x - xh) ** 2, axis=1) / 2
    assert (op.distortion, op.distortion_stderr) == pytest.approx(
        (d.mean(), d.std(ddof=1) / 20), rel=1e-12)
    assert op.rate_diagnostic["method"] == "uniform" and op.rate_diagnostic["n_centers"] > 0
    assert op.rate_diagnostic["uniform_samples"] == 64      # cell_samples reaches the estimator
    assert set(op.rate_diagnostic) == {"method", "bias", "bias_stderr", "bias_exceeds_se",
                                       "n_centers", "uniform_samples", "gaussian_samples"}
    assert pd_operating_point("A2", 0.7, **{**kw, "rate_method": "mis"}).rate_diagnostic[
        "method"] == "mis"
    d = op.as_dict()
    assert d["rate_diagnostic"] == op.rate_diagnostic and d["perception"] == {}
    assert d["rate_diagnostic"] is not op.rate_diagnostic


def test_pd_perception_at_sigma2_two_matches_the_exact_law():
    """PD at n = 1, σ² = 2, s = 0.9: the KL read from the operating point's output density is
    within 4 SE of the exact KL of the output law (a mixture of uniforms, quadrature; measured
    z = −1.07);
    the measurement is reproducible by seed and lands in ``as_dict``."""
    from rdptheory.perception.exact_1d import pd_output_1d, uniform_mixture_w2_kl
    kw = dict(sigma2=2.0, s=0.9, n_samples=16000, cell_samples=1024, perception=True, rng=3)
    p = pd_operating_point("Z1", 1.0, **kw)
    exact_kl = uniform_mixture_w2_kl(pd_output_1d(1.0, 2.0, s=0.9), 2.0)[1]
    assert abs(p.perception["kl"] - exact_kl) <= 4 * p.perception["kl_stderr"], (
        p.perception["kl"], p.perception["kl_stderr"], exact_kl)
    assert pd_operating_point("Z1", 1.0, **kw).perception == p.perception
    assert p.as_dict()["perception"] == p.perception
    # in two dimensions the lattice's dual directions are used
    a2 = pd_operating_point("A2", 0.6, n_samples=500, cell_samples=64, rng=1, perception=True)
    assert "Λ*" in a2.perception["method"] and "sliced_lattice" in a2.perception["bounds"]


def test_sd_operating_point_user_nsm_and_sigma2_theory():
    """A user NSM scales the lattice and enters the upper bound ½log2(2πeG); at σ² = 1.5 the
    theory fields are R(D, P) at σ² (Thm 4.3)."""
    kw = dict(n_samples=300, cell_samples=32, rng=5, rate_method="uniform")
    ref = sd_operating_point("A2", 0.5, 0.05, **kw)
    own = sd_operating_point("A2", 0.5, 0.05, nsm=0.09, **kw)
    assert own.parameters["G"] == 0.09 and own.rate != ref.rate
    R = float(g.rdp(0.5, 0.05))
    assert own.theory["rate_upper"] == pytest.approx(
        R + 0.5 * math.log2(2 * math.pi * math.e * 0.09), rel=1e-14)
    # the lattice is scaled so that 0.09·V^(2/n) = η²: the distortion is D within 4 SE
    big = sd_operating_point("A2", 0.5, 0.05, nsm=0.09, n_samples=20_000, cell_samples=32,
                             rng=6, rate_method="uniform")
    eta2 = float(g.sd_ltc_parameters(0.5, 0.05).eta2)
    beta = float(g.sd_ltc_parameters(0.5, 0.05).beta)
    # with the wrong G the dither's second moment is η²·0.09/G(A2), not η²: the SD distortion
    # (1−β)²σ² + β²·(second moment) moves accordingly
    expected = (1 - beta) ** 2 + beta ** 2 * eta2 * get("A2").nsm_reference.value / 0.09
    assert abs(big.distortion - expected) <= 4 * big.distortion_stderr, (big.distortion, expected)
    s2 = sd_operating_point("A2", 0.75, 0.075, sigma2=1.5, **kw)
    R2 = float(g.rdp(0.75, 0.075, 1.5))
    assert s2.theory["rate_lower"] == s2.theory["rate_rdp"] == pytest.approx(R2, rel=1e-15)
    assert R2 != pytest.approx(float(g.rdp(0.75, 0.075)), rel=1e-3)


def test_sd_cube_dither():
    """``dither="cube"``: the shared dither is uniform on the centred cube of the cell's
    volume. On Z² the cube is the Voronoi cell, so the crypto lemma holds and the distortion
    is D within 4 SE; on A2 the dither drawn from the second of the four streams spawned from
    ``rng`` is exactly (U − ½)·V^(1/n), U uniform: the kept cell centres minus it are lattice
    points."""
    z2 = sd_operating_point("Z2", 0.5, 0.05, n_samples=20_000, cell_samples=32, rng=8,
                            dither="cube", rate_method="uniform")
    assert z2.parameters["dither"] == "cube"
    assert abs(z2.distortion - 0.5) <= 4 * z2.distortion_stderr, z2.distortion
    op = sd_operating_point("A2", 0.5, 0.05, n_samples=200, cell_samples=32, rng=8,
                            dither="cube", keep_samples=True, rate_method="uniform")
    L = scaled_to_second_moment("A2", float(g.sd_ltc_parameters(0.5, 0.05).eta2))
    gu = np.random.default_rng(np.random.SeedSequence(8).spawn(4)[1])
    u = (gu.random((200, 2)) - 0.5) * L.volume ** 0.5
    c = op.samples["centers"] - u[:len(op.samples["centers"])]
    assert np.allclose(L.nearest_point(c), c, rtol=0, atol=1e-9)
    with pytest.raises(ValueError, match="^dither must be 'voronoi' or 'cube'"):
        sd_operating_point("A2", 0.5, dither="Cube", n_samples=10, cell_samples=16)


def _sd_rate_by_cells(D, P, s2, grid=4000):
    """H(c | u) in bits for SD-LTC at n = 1 without the differential entropy: for each dither
    value t (midpoint rule over one cell, ``grid`` points) the entropy of the discrete law of
    c, p_j(t) = Φ((jΔ + t + Δ/2)/σ) − Φ((jΔ + t − Δ/2)/σ), averaged over t."""
    delta, sig = math.sqrt(12 * float(g.sd_ltc_parameters(D, P, s2).eta2)), math.sqrt(s2)
    t = (np.arange(grid) + 0.5) / grid * delta - delta / 2
    K = int(math.ceil(14 * sig / delta)) + 2
    j = np.arange(-K, K + 1)[None, :] * delta + t[:, None]
    p = special.ndtr((j + delta / 2) / sig) - special.ndtr((j - delta / 2) / sig)
    terms = np.where(p > 0, -p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
    return float(terms.sum(axis=1).mean())


@pytest.mark.parametrize("D, P, s2", [(0.5, 0.0, 1.0), (0.3, 0.05, 2.5), (1.2, 0.2, 4.0),
                                      (0.05, 0.0, 0.3)])
def test_sd_rate_quadrature_matches_the_cell_sum(D, P, s2):
    """sd_rate_quadrature_1d (h(y + u) − log Δ by adaptive quadrature, in bits) against the
    cell-by-cell entropy averaged over the dither, to 1e-12 bit (the midpoint rule over a smooth
    periodic function converges fast; measured agreement below 1e-15)."""
    assert sd_rate_quadrature_1d(D, P, s2) == pytest.approx(_sd_rate_by_cells(D, P, s2),
                                                           abs=1e-12)


def test_pd_rate_exact_at_a_large_source_variance():
    """The summation range is in units of the cell, ±(12·ασ/Δ + 2) cells: at σ² = 100 the rate
    is the σ² = 1 rate (scale invariance) to 1e-12."""
    assert pd_rate_exact_1d(50.0, 100.0) == pytest.approx(pd_rate_exact_1d(0.5), abs=1e-12)
    assert pd_rate_exact_1d(0.005, 0.01) == pytest.approx(pd_rate_exact_1d(0.5), abs=1e-12)


def test_sd_perception_exact_branch_reads_sigma2():
    """n = 1 at σ² = 2: sd_perception gives the exact W2² at that σ² (not at σ² = 1)."""
    op = sd_operating_point("Z1", 1.0, 0.1, sigma2=2.0, n_samples=50, cell_samples=16, rng=0)
    assert sd_perception(op)[0] == sd_perception_exact_1d(1.0, 0.1, 2.0)
    assert sd_perception_exact_1d(1.0, 0.1, 2.0) != pytest.approx(
        sd_perception_exact_1d(1.0, 0.1, 1.0), rel=1e-3)


@pytest.mark.parametrize("D", [0.01, 0.5, 1.6, 1.9, 1.99])
def test_pd_rate_exact_against_a_wide_direct_sum(D):
    """Down to the lowest rates (D → 2σ², where a cell is many standard deviations wide):
    pd_rate_exact_1d against −Σ p log2 p over ±400 cells with scipy.stats.norm, to 1e-12."""
    p = g.pd_ltc_parameters(D)
    delta, sd = math.sqrt(12 * float(p.second_moment)), float(p.alpha)
    k = np.arange(-400, 401)
    pk = stats.norm.cdf((k + 0.5) * delta, scale=sd) - stats.norm.cdf((k - 0.5) * delta, scale=sd)
    pk = pk[pk > 0]
    assert pd_rate_exact_1d(D) == pytest.approx(float(-(pk * np.log2(pk)).sum()), abs=1e-12)


def test_sd_perception_measurement_wiring():
    """An SD operating point's perception measurement at A2: the coupling bound is the kept
    samples' E‖X − X̂‖²/n with its SE, the KL comes from the Voronoi output density (none for
    the cube dither, whose output law is unknown), the dual lattice's directions are used, and
    the measurement is reproducible by seed (another seed gives another KL)."""
    kw = dict(n_samples=1000, cell_samples=64, perception=True, keep_samples=True)
    op = sd_operating_point("A2", 0.5, 0.05, rng=1, **kw)
    p = op.perception
    cost = np.sum((op.samples["x"] - op.samples["x_hat"]) ** 2, axis=1) / 2
    assert p["bounds"]["coupling"] == pytest.approx([cost.mean(), cost.std(ddof=1) / math.sqrt(1000)],
                                                   rel=1e-9)
    assert p["upper_bound"] == "talagrand" and math.isfinite(p["kl"]) and p["kl_stderr"] > 0
    assert "Λ*" in p["method"] and not p["warnings"]
    assert math.isfinite(op.rate_jensen_bias) and op.rate_jensen_bias >= 0   # 0 with MIS
    assert sd_operating_point("A2", 0.5, 0.05, rng=1, **kw).perception == p
    assert sd_operating_point("A2", 0.5, 0.05, rng=2, **kw).perception["kl"] != p["kl"]
    cube = sd_operating_point("A2", 0.5, 0.05, rng=1, dither="cube", **kw).perception
    assert "talagrand" not in cube["bounds"] and math.isnan(cube["kl"])
    pd1 = pd_operating_point("A2", 0.6, n_samples=500, cell_samples=64, rng=1, perception=True)
    pd2 = pd_operating_point("A2", 0.6, n_samples=500, cell_samples=64, rng=1, perception=True)
    assert pd1.perception == pd2.perception
    assert pd_operating_point("A2", 0.6, n_samples=500, cell_samples=64, rng=2,
                              perception=True).perception["estimate"] != pd1.perception["estimate"]


def test_sd_perception_density_on_the_first_rows_only():
    """Past the output density's row cap (2²¹·(8/n)²/256 = 8192 rows for E8) the KL is
    estimated on the first 8192 reconstructions only, and measured there (finite, SE > 0)."""
    op = sd_operating_point("E8", 0.5, 0.05, n_samples=8300, cell_samples=64, rng=0,
                            perception=True)
    assert math.isfinite(op.perception["kl"]) and op.perception["kl_stderr"] > 0
