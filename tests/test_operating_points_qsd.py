"""`qsd_operating_point` away from its defaults (an explicit private-dither scale s, σ² ≠ 1, a
user NSM, Γ = 2), checked against independent computations: at n = 1 the exact rate H(c | û)
by summation over cells, the exact distortion by truncated-normal moments and the exact output
variance from the output law; at Γ = 1 the PD path, which never goes through the nested
encoder. Written for the mutants of the fourth mutation-testing run (docs/development.md)."""
import math

import numpy as np
import pytest
from scipy import special

from rdptheory import gaussian as g
from rdptheory.lattices import get
from rdptheory.operating_points import pd_operating_point, qsd_operating_point
from rdptheory.perception.exact_1d import qsd_output_1d
from rdptheory.rates import qsd_proxy_gap_exact_1d


def _qsd_distortion_exact_1d(D, ratio, sigma2, s):
    r"""E(X − X̂)² of QSD-LTC at n = 1, X ~ N(0, σ²), summed over cells: with û = kΔ/Γ
    (k = 0..Γ−1, equally likely), the codeword point is F = jΔ + û when αX lies in
    [jΔ + û − Δ/2, jΔ + û + Δ/2), and X̂ = β(F + s·u_f), u_f ~ U(−Δ/(2Γ), Δ/(2Γ)) independent,
    so E(X − X̂)² = Σ E[(X − βF)²; cell] + β²s²(Δ/Γ)²/12; each cell term by the truncated-normal
    moments of X (no sampling, no lattice code)."""
    p = g.qsd_ltc_parameters(D, ratio, sigma2)
    alpha, beta = float(p.alpha), float(p.beta)
    delta, sig = math.sqrt(12 * float(p.second_moment)), math.sqrt(sigma2)
    K = int(math.ceil(14 * alpha * sig / delta)) + 3
    total = 0.0
    for k in range(ratio):
        t = k * delta / ratio
        j = np.arange(-K, K + 1)
        f = j * delta + t
        a = (f - delta / 2) / (alpha * sig)          # cell edges of X, standardized
        b = (f + delta / 2) / (alpha * sig)
        mass = special.ndtr(b) - special.ndtr(a)
        phi_a, phi_b = np.exp(-a * a / 2) / math.sqrt(2 * math.pi), np.exp(-b * b / 2) / math.sqrt(2 * math.pi)
        m1 = sig * (phi_a - phi_b)                               # E[X; cell]
        m2 = sigma2 * (mass + a * phi_a - b * phi_b)             # E[X²; cell]
        c = beta * f
        total += float(np.sum(m2 - 2 * c * m1 + c * c * mass)) / ratio
    return total + beta ** 2 * s ** 2 * (delta / ratio) ** 2 / 12


def _mixture_variance(law):
    """Second moment of a mixture of uniforms centred at law.atoms with half-width law.half_width."""
    return float(np.sum(law.weights * (law.atoms ** 2 + law.half_width ** 2 / 3)))


def test_exact_references_against_a_direct_simulation():
    """The references' own check, against QSD at n = 1 simulated in plain numpy (rounding to
    the shifted grid ΔZ + kΔ/Γ, no package lattice code): distortion and output variance
    within 4 SE (measured |z| < 2)."""
    rng = np.random.default_rng(2026)
    for D, ratio, s2, s in ((0.5, 1, 1.0, None), (0.9, 2, 2.0, 0.8), (0.8, 3, 2.0, None)):
        p = g.qsd_ltc_parameters(D, ratio, s2)
        alpha, beta = float(p.alpha), float(p.beta)
        s = float(p.s) if s is None else s
        delta, m = math.sqrt(12 * float(p.second_moment)), 400_000
        x = rng.standard_normal(m) * math.sqrt(s2)
        t = rng.integers(0, ratio, m) * delta / ratio
        f = np.round((alpha * x - t) / delta) * delta + t
        xh = beta * (f + s * (rng.random(m) - 0.5) * delta / ratio)
        d = (x - xh) ** 2
        ref = _qsd_distortion_exact_1d(D, ratio, s2, s)
        assert abs(d.mean() - ref) <= 4 * d.std(ddof=1) / math.sqrt(m), (D, ratio, d.mean(), ref)
        v = xh ** 2
        var = _mixture_variance(qsd_output_1d(D, ratio, s2, s=s))
        assert abs(v.mean() - var) <= 4 * v.std(ddof=1) / math.sqrt(m), (D, ratio, v.mean(), var)


@pytest.mark.parametrize("ratio, s", [(2, 0.8), (3, None)])
def test_qsd_n1_matches_the_exact_rate_distortion_and_output_variance(ratio, s):
    """Z1 at σ² = 2, an explicit s = 0.8 or the recipe's: the simulated rate, distortion and
    output variance are within 4 SE of the exact n = 1 values (measured |z| < 2)."""
    D, s2 = 0.9, 2.0
    op = qsd_operating_point("Z1", D, ratio, sigma2=s2, s=s, n_samples=40_000,
                             cell_samples=256, rng=11)
    s_used = float(g.qsd_ltc_parameters(D, ratio, s2).s) if s is None else s
    assert op.parameters["s"] == s_used and op.sigma2 == s2 and op.parameters["ratio"] == ratio
    rate = qsd_proxy_gap_exact_1d(D, ratio, s2).operational
    assert abs(op.rate - rate) <= 4 * op.rate_stderr, (op.rate, op.rate_stderr, rate)
    dist = _qsd_distortion_exact_1d(D, ratio, s2, s_used)
    assert abs(op.distortion - dist) <= 4 * op.distortion_stderr, (op.distortion, dist)
    var = _mixture_variance(qsd_output_1d(D, ratio, s2, s=s_used))
    v, v_se = op.theory["output_variance"], op.theory["output_variance_stderr"]
    assert abs(v - var) <= 4 * v_se, (v, v_se, var)


def test_qsd_exact_references_separate_a_wrong_s():
    """Negative control of the test above: the exact distortion at s = 0.8 and at the recipe's
    s differ by many simulation SEs, so an s that is ignored cannot pass."""
    D, s2 = 0.9, 2.0
    op = qsd_operating_point("Z1", D, 2, sigma2=s2, s=0.8, n_samples=40_000, cell_samples=256,
                             rng=11)
    wrong = _qsd_distortion_exact_1d(D, 2, s2, float(g.qsd_ltc_parameters(D, 2, s2).s))
    assert abs(op.distortion - wrong) > 10 * op.distortion_stderr


def test_qsd_ratio_one_is_pd_with_every_option():
    """Γ = 1 with s, σ², nsm, sizes and seed all away from their defaults gives the same
    numbers as pd_operating_point (a separate encoder: pd_encode, not the nested path)."""
    kw = dict(sigma2=1.7, n_samples=500, cell_samples=32, rng=9, nsm=0.0802, s=1.3)
    q = qsd_operating_point("A2", 0.6, 1, **kw)
    p = pd_operating_point("A2", 0.6, **kw)
    assert q.rate == pytest.approx(p.rate, rel=1e-12)
    assert q.distortion == pytest.approx(p.distortion, rel=1e-12)
    assert q.parameters["G"] == 0.0802 == p.parameters["G"]
    assert q.parameters["s"] == 1.3 and q.parameters["s_theorem"] == p.parameters["s_theorem"]
    # and the options matter: the reference NSM, or the recipe's s, give other numbers
    assert qsd_operating_point("A2", 0.6, 1, **{**kw, "nsm": None}).rate != q.rate
    assert qsd_operating_point("A2", 0.6, 1, **{**kw, "s": None}).distortion != q.distortion


@pytest.mark.parametrize("s", [0.0, -0.5, float("nan"), float("inf"), "x"])
def test_bad_private_dither_scale_names_s(s):
    with pytest.raises(ValueError, match=r"^s must be"):
        qsd_operating_point("Z1", 0.5, 2, s=s, n_samples=10, cell_samples=16)
    with pytest.raises(ValueError, match=r"^s must be"):
        pd_operating_point("Z1", 0.5, s=s, n_samples=10, cell_samples=16)


def test_qsd_small_private_dither_scale_is_accepted():
    """Any s > 0 is valid (s < 1 leaves holes in the output's support, Remark D.7)."""
    op = qsd_operating_point("Z1", 0.5, 2, s=1e-3, n_samples=10, cell_samples=16, rng=0)
    assert op.parameters["s"] == 1e-3


def test_qsd_scales_with_sigma2():
    """Same seed, (D, σ²) scaled together: the rate is unchanged and the distortion and output
    variance scale by σ² (to rounding). The uniform rate estimator is used: the MIS one
    decides per sample where a segment leaves a cell, and one decision flipped by rounding
    moves the rate by 2e-5 relative (5e-4 of its SE)."""
    kw = dict(n_samples=300, cell_samples=32, rng=5, rate_method="uniform")
    a = qsd_operating_point("A2", 0.5, 2, **kw)
    b = qsd_operating_point("A2", 0.5 * 2.5, 2, sigma2=2.5, **kw)
    assert b.rate == pytest.approx(a.rate, rel=1e-9)
    assert b.distortion == pytest.approx(2.5 * a.distortion, rel=1e-9)
    assert b.theory["output_variance"] == pytest.approx(2.5 * a.theory["output_variance"],
                                                        rel=1e-9)


def test_qsd_metadata_options_and_kept_samples():
    """Every field of a QSD operating point read against its definition: the recipe's
    parameters, the Gaussian rates at the achieved distortion, the output power from the kept
    samples, the rate method and progress callback passed through."""
    calls = []
    kw = dict(sigma2=1.5, n_samples=400, cell_samples=64, rng=4, rate_method="uniform",
              keep_samples=True, progress=lambda done, total: calls.append((done, total)))
    op = qsd_operating_point("A2", 0.7, 3, **kw)
    p = g.qsd_ltc_parameters(0.7, 3, 1.5)
    assert (op.scheme, op.lattice, op.dimension) == ("QSD(ratio=3)", "A2", 2)
    assert (op.target_distortion, op.target_perception) == (0.7, 0.0)
    assert (op.n_samples, op.cell_samples, op.sigma2) == (400, 64, 1.5)
    assert calls and calls[-1][0] == calls[-1][1]
    assert op.rate_diagnostic["method"] == "uniform"
    assert math.isfinite(op.rate_jensen_bias) and op.rate_jensen_bias > 0
    assert op.parameters == {"alpha": float(p.alpha), "beta": float(p.beta), "s": float(p.s),
                             "s_theorem": float(p.s), "second_moment": float(p.second_moment),
                             "ratio": 3, "common_randomness_bits": math.log2(3),
                             "G": get("A2").nsm_reference.value}
    x, xh = op.samples["x"], op.samples["x_hat"]
    assert x.shape == xh.shape == (400, 2)
    d = np.sum((x - xh) ** 2, axis=1) / 2
    assert op.distortion == pytest.approx(d.mean(), rel=1e-12)
    assert op.distortion_stderr == pytest.approx(d.std(ddof=1) / 20, rel=1e-12)
    power = np.sum(xh * xh, axis=1) / 2
    assert op.theory["output_variance"] == pytest.approx(power.mean(), rel=1e-12)
    assert op.theory["output_variance_stderr"] == pytest.approx(power.std(ddof=1) / 20,
                                                                rel=1e-12)
    dist = op.distortion
    assert op.theory == pytest.approx({
        "output_variance": power.mean(), "output_variance_stderr": power.std(ddof=1) / 20,
        "rate_model": float(p.rate),
        "rate_no_cr_at_achieved": float(g.rate_no_common_randomness(dist, 1.5)),
        "rate_limited_cr_at_achieved": float(g.rate_limited_common_randomness(
            dist, math.log2(3), 1.5)),
        "rate_perfect_realism_at_achieved": float(g.rdp_perfect_realism(dist, 1.5))}, rel=1e-12)
    assert qsd_operating_point("A2", 0.7, 3, **{**kw, "keep_samples": False}).samples == {}
    mis = qsd_operating_point("A2", 0.7, 3, **{**kw, "rate_method": "mis"})
    assert mis.rate_diagnostic["method"] == "mis" and mis.rate != op.rate


def test_qsd_perception_at_sigma2_two_matches_the_exact_law():
    """QSD at n = 1, Γ = 2, σ² = 2: the KL read from the operating point's output density
    (cell mixture on the fine lattice) is within 4 SE of the exact KL of the output law (measured
    z = 0.25); the
    measurement is reproducible by seed; in two dimensions it uses the fine lattice's dual
    directions."""
    from rdptheory.perception.exact_1d import uniform_mixture_w2_kl
    kw = dict(sigma2=2.0, n_samples=16000, cell_samples=1024, perception=True, rng=3)
    p = qsd_operating_point("Z1", 1.0, 2, **kw)
    exact_kl = uniform_mixture_w2_kl(qsd_output_1d(1.0, 2, 2.0), 2.0)[1]
    assert abs(p.perception["kl"] - exact_kl) <= 4 * p.perception["kl_stderr"], (
        p.perception["kl"], p.perception["kl_stderr"], exact_kl)
    assert qsd_operating_point("Z1", 1.0, 2, **kw).perception == p.perception
    a2 = qsd_operating_point("A2", 0.6, 2, n_samples=500, cell_samples=64, rng=1,
                             perception=True)
    assert "Λ*" in a2.perception["method"] and "sliced_lattice" in a2.perception["bounds"]
