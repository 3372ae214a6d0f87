"""Unit tests of rdptheory.baselines (reverse channel coding)."""
import math

import mpmath
import numpy as np
import pytest

from rdptheory import gaussian as gauss
from rdptheory.baselines.rcc import (gaussian_test_channel, pfr_entropy_bound, pfr_select,
                                     plugin_entropy, rcc_operating_point, zipf_code_length)


@pytest.mark.parametrize("D,P", [(0.5, 0.0), (0.25, 0.02), (0.5, 0.05), (0.1, 0.0), (0.3, 0.5)])
def test_test_channel_distortion_and_rate(D, P):
    ch = gaussian_test_channel(D, P)
    # E(X − aX − W)² = (1 − a)² + s², output variance a² + s², I = ½ log2(σ̂²/s²)
    assert math.isclose((1 - ch.a) ** 2 + ch.noise_var, D, rel_tol=1e-12)
    assert math.isclose(ch.a ** 2 + ch.noise_var, ch.output_var, rel_tol=1e-12)
    assert math.isclose(0.5 * math.log2(ch.output_var / ch.noise_var),
                        float(gauss.rdp(D, P)), rel_tol=1e-10)
    # W2² per dimension between N(0,1) and N(0, σ̂²) is at most P
    assert (1 - math.sqrt(ch.output_var)) ** 2 <= P + 1e-12


def test_zipf_code_length_matches_mpmath():
    I = 3.7
    lam = 1 + 1 / (I + math.log2(math.e) / math.e + 1)
    for k in (1, 2, 17, 10_000):
        ref = -mpmath.log(mpmath.mpf(k) ** (-lam) / mpmath.zeta(lam), 2)
        assert math.isclose(float(zipf_code_length(k, I)), float(ref), rel_tol=1e-12)
    with pytest.raises(ValueError, match="k must"):
        zipf_code_length(0, I)
    with pytest.raises(ValueError, match="I_bits"):
        zipf_code_length(1, float("nan"))


def test_plugin_entropy():
    h, hmm = plugin_entropy([1, 2, 3, 4] * 10)
    assert h == pytest.approx(2.0) and hmm > h


def test_truncation_only_lowers_the_index():
    """K over the first N candidates is at most K over all 2N (same T and Z): the PFR bounds
    of the untruncated code hold for every N."""
    rng = np.random.default_rng(0)
    ch = gaussian_test_channel(0.25, 0.02)
    x = rng.normal(size=(200, 4))
    z = rng.normal(size=(200, 64, 4)) * math.sqrt(ch.output_var)
    t = np.cumsum(rng.standard_exponential((200, 64)), axis=1)
    k_all = pfr_select(x, z, t, ch)
    k_half = pfr_select(x, z[:, :32], t[:, :32], ch)
    assert np.all(k_half <= k_all)
    assert np.all(k_half[k_all < 32] == k_all[k_all < 32])


def test_reproducible_and_seed_dependent():
    a = rcc_operating_point(2, 0.5, 0.0, n_candidates=500, n_samples=100, rng=5,
                            keep_samples=True)
    b = rcc_operating_point(2, 0.5, 0.0, n_candidates=500, n_samples=100, rng=5,
                            keep_samples=True)
    c = rcc_operating_point(2, 0.5, 0.0, n_candidates=500, n_samples=100, rng=6)
    assert np.array_equal(a.samples["k"], b.samples["k"]) and a.rate_zipf == b.rate_zipf
    assert a.rate_zipf != c.rate_zipf


def test_output_law_is_the_target_marginal():
    """Large N, n = 1: the output variance is σ̂² within 4 SE (the PFR output is exact as N → ∞)."""
    op = rcc_operating_point(1, 0.5, 0.05, n_candidates=2000, n_samples=2000, rng=2,
                             keep_samples=True)
    v = op.samples["x_hat"][:, 0] ** 2
    se = v.std(ddof=1) / math.sqrt(v.size)
    assert abs(v.mean() - gaussian_test_channel(0.5, 0.05).output_var) <= 4 * se
    assert op.log_index <= pfr_entropy_bound(op.mutual_information)


@pytest.mark.parametrize("kw,name", [({"n": 0}, "n"), ({"n": 65}, "n"),
                                     ({"n_candidates": 0}, "n_candidates"),
                                     ({"n_samples": 1}, "n_samples"),
                                     ({"D": float("nan")}, "D"), ({"D": -1.0}, "D"),
                                     ({"P": float("inf")}, "P"),
                                     ({"n": 8, "n_candidates": 2_000_000}, "n_candidates")])
def test_bad_input(kw, name):
    args = {"n": 1, "D": 0.5, "P": 0.0, "n_candidates": 10, "n_samples": 10}
    args.update(kw)
    with pytest.raises(ValueError, match=name):
        rcc_operating_point(args.pop("n"), args.pop("D"), args.pop("P"), **args)


def test_deterministic_ntc_perception_equals_distortion():
    """n = 1: x̂ = s·Q(a x) is monotone, so the empirical W2² (sorted coupling) equals the MSE."""
    from rdptheory.baselines.deterministic import run_perception_ntc
    ev = run_perception_ntc("deterministic", "Z1", 8.0, 10.0, steps=40, batch_size=128,
                            eval_samples=3000, seed=2)
    assert ev.s == 0.0
    assert ev.perception == pytest.approx(ev.distortion, rel=1e-9)
    with pytest.raises(ValueError, match="kind"):
        run_perception_ntc("qsd", "Z1", 8.0, 10.0)


def test_small_codebook_warns():
    ok = rcc_operating_point(8, 0.5, 0.0, n_candidates=100_000, n_samples=2, rng=0)
    bad = rcc_operating_point(8, 0.1, 0.0, n_candidates=1000, n_samples=2, rng=0)
    assert ok.warning == "" and "codebook too small" in bad.warning
