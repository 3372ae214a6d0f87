"""The Γ-dependent QSD-LTC recipe (gaussian.qsd_ltc_parameters) and its operating points."""
import math

import numpy as np
import pytest

from proofs_checks import CheckContext, get_claim, run_claim
from rdptheory import gaussian as g
from rdptheory.operating_points import pd_operating_point, qsd_operating_point


def test_ratio_one_is_thm45_bit_for_bit():
    D = np.array([0.01, 0.3, 0.5, 1.2, 1.99])
    q, p = g.qsd_ltc_parameters(D, 1), g.pd_ltc_parameters(D)
    for name in ("alpha", "s", "second_moment", "rate"):
        np.testing.assert_array_equal(getattr(q, name), getattr(p, name))
    np.testing.assert_array_equal(q.beta, 1.0)


@pytest.mark.parametrize("D", [0.05, 0.5, 1.0, 1.7])
def test_large_ratio_tends_to_sd_at_perfect_realism(D):
    """Γ -> ∞: x̂ = β(αx + E) is SD-LTC with η² = σ²(Λ)/α² and overall gain βα = θ/σ² (Thm 4.3),
    and the rate tends to R(D, 0)."""
    q, sd = g.qsd_ltc_parameters(D, 10**6), g.sd_ltc_parameters(D, 0.0)
    assert float(q.second_moment / q.alpha**2) == pytest.approx(float(sd.eta2), rel=1e-9)
    assert float(q.beta * q.alpha) == pytest.approx(float(sd.beta), rel=1e-12)
    assert float(q.rate) == pytest.approx(float(g.rdp_perfect_realism(D)), abs=1e-9)
    assert float(q.s) == pytest.approx(1.0, abs=1e-9)


def test_model_identities_numerically():
    """Independent of the sympy claim: Var(x̂) = σ², D = D(R, R_c), s >= 1, on a grid."""
    D = np.linspace(0.02, 1.98, 50)[:, None]
    ratio = np.array([1, 2, 3, 5, 8, 64])
    sigma2 = 2.5
    q = g.qsd_ltc_parameters(D * sigma2, ratio, sigma2)
    m, mf = q.second_moment, q.fine_second_moment
    var = q.beta**2 * (q.alpha**2 * sigma2 + m + q.s**2 * mf)
    dist = (1 - q.beta * q.alpha)**2 * sigma2 + q.beta**2 * (m + q.s**2 * mf)
    np.testing.assert_allclose(var, sigma2, rtol=1e-12)
    target = np.broadcast_to(D * sigma2, dist.shape)
    np.testing.assert_allclose(dist, target, rtol=1e-10)
    np.testing.assert_allclose(
        g.distortion_limited_common_randomness(q.rate, np.log2(ratio), sigma2), target,
        rtol=1e-10)
    assert (q.s >= 1).all() and (np.diff(q.rate, axis=1) < 0).all()


@pytest.mark.parametrize("kwargs,match", [
    (dict(D=0.5, ratio=2.5), "ratio must be an integer >= 1"),
    (dict(D=0.5, ratio=0), "ratio must be an integer >= 1"),
    (dict(D=0.5, ratio=float("nan")), "ratio must be an integer >= 1"),
    (dict(D=2.0, ratio=2), "D must be in"),
    (dict(D=-0.1, ratio=2), "D must be"),
    (dict(D=0.5, ratio=2, sigma2=0.0), "sigma2"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        g.qsd_ltc_parameters(**kwargs)


def test_operating_point_ratio_one_matches_pd_and_is_reproducible():
    a = pd_operating_point("D4", 0.4, n_samples=2000, cell_samples=512, rng=7)
    b = qsd_operating_point("D4", 0.4, 1, n_samples=2000, cell_samples=512, rng=7)
    c = qsd_operating_point("D4", 0.4, 3, n_samples=2000, cell_samples=512, rng=7)
    d = qsd_operating_point("D4", 0.4, 3, n_samples=2000, cell_samples=512, rng=7)
    assert (a.rate, a.distortion) == (b.rate, b.distortion)
    assert (c.rate, c.distortion) == (d.rate, d.distortion)


def test_realism_claim_catches_the_fixed_thm45_gains(monkeypatch):
    """With the Γ-independent PD gains (what qsd_operating_point did before), the output
    variance falls below σ² as Γ grows and the realism claim must fail."""
    import proofs_checks.ltc_gaussian_claims as mod

    real = g.qsd_ltc_parameters

    def fixed(D, ratio, sigma2=1.0):
        p, one = g.pd_ltc_parameters(D, sigma2), real(D, 1, sigma2)
        return type(one)(alpha=p.alpha, beta=1.0, s=p.s, second_moment=p.second_moment,
                         fine_second_moment=p.second_moment / ratio**2, ratio=ratio,
                         common_randomness=math.log2(ratio), rate=p.rate)

    monkeypatch.setattr(g, "qsd_ltc_parameters", fixed)
    monkeypatch.setattr(mod, "_QSD_CACHE", {})
    out = run_claim(get_claim("ltc.qsd.realism_preserved"), CheckContext(seed=3))
    assert out.result is not None and not out.passed, out.result.details


def test_progress_callback_reports_every_block_without_changing_results():
    from rdptheory.operating_points import sd_operating_point
    calls = []
    # rate_method="uniform": one pass over the blocks (auto may add an importance-sampling pass)
    a = sd_operating_point("A2", 0.5, 0.0, n_samples=9000, cell_samples=256, rng=2,
                           progress=lambda done, total: calls.append((done, total)),
                           rate_method="uniform")
    b = sd_operating_point("A2", 0.5, 0.0, n_samples=9000, cell_samples=256, rng=2,
                           rate_method="uniform")
    assert calls == [(4096, 9000), (8192, 9000), (9000, 9000)]
    assert (a.rate, a.rate_stderr, a.distortion) == (b.rate, b.rate_stderr, b.distortion)
