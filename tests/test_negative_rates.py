"""Negative controls: the rate claims fail when fed a plausible wrong implementation."""
import math

import numpy as np
import pytest

from proofs_checks import CheckContext, get_claim, run_claim
from rdptheory.rates import CellRate, cell_rate, log_cell_probability_mis, sd_rate_identity


def _fails(name):
    out = run_claim(get_claim(name), CheckContext())
    assert out.result is not None and not out.passed, out.result.details


def test_band_claim_catches_the_uniform_estimator(monkeypatch):
    # the package's former estimator: 0.2 bit/dim above the band at BW16, D = 1
    import proofs_checks.rate_claims as mod
    monkeypatch.setattr(mod, "RATE_METHOD", "uniform")
    _fails("rates.sd_band.bw16_low_rate")


def test_perception_band_claim_catches_the_uniform_estimator(monkeypatch):
    import proofs_checks.rate_claims as mod
    monkeypatch.setattr(mod, "RATE_METHOD", "uniform")
    _fails("rates.sd_band.perception_positive")


def test_identity_claim_catches_a_wrong_volume(monkeypatch):
    # h(X+U) - log V with V of the unscaled lattice (a plausible slip): off by log(V_s/V)/n
    import proofs_checks.rate_claims as mod
    from rdptheory.lattices import as_lattice

    def wrong(L, tau2, n_points, **kw):
        r = sd_rate_identity(L, tau2, n_points, **kw)
        shift = math.log2(L.volume / as_lattice("E8").volume) / L.dimension
        return CellRate(**{**r.__dict__, "bits": r.bits + shift})
    monkeypatch.setattr(mod, "sd_rate_identity", wrong)
    _fails("rates.identity.e8_low_rate")


def test_mis_is_unbiased_on_z1_against_the_normal_cdf():
    # P_hat / P averaged over independent runs must be 1 within 4 SE (exact P from the CDF)
    from scipy.stats import norm
    c = np.array([[0.0], [1.0], [3.0], [-2.0]])
    s = math.sqrt(0.7)
    exact = norm.cdf((c[:, 0] + 0.5) / s) - norm.cdf((c[:, 0] - 0.5) / s)
    r = np.array([np.exp(log_cell_probability_mis(c, "Z1", 0.7, uniform_samples=128,
                                                  gaussian_samples=128, rng=k)) / exact
                  for k in range(200)])
    se = r.std(axis=0, ddof=1) / math.sqrt(r.shape[0])
    assert np.all(np.abs(r.mean(axis=0) - 1.0) <= 4 * se), (r.mean(axis=0), se)


def test_mis_reproducible_and_validates_input():
    a = log_cell_probability_mis([[0.3, 0.1]], "A2", 1.0, rng=3)
    b = log_cell_probability_mis([[0.3, 0.1]], "A2", 1.0, rng=3)
    assert np.array_equal(a, b)
    for bad in ([[np.nan, 0.0]], [[0.0, 0.0, 0.0]]):
        with pytest.raises(ValueError, match="centers"):
            log_cell_probability_mis(bad, "A2", 1.0)
    with pytest.raises(ValueError, match="tau2"):
        log_cell_probability_mis([[0.0, 0.0]], "A2", -1.0)
    with pytest.raises(ValueError, match="gaussian_samples"):
        log_cell_probability_mis([[0.0, 0.0]], "A2", 1.0, uniform_samples=0, gaussian_samples=0)
    with pytest.raises(ValueError, match="method"):
        cell_rate([[0.0, 0.0], [1.0, 0.0]], "A2", 1.0, method="exact")


def test_diagnostic_flags_the_uniform_estimator_at_low_rate():
    # Leech-like failure reproduced cheaply on E8 at D = 1.5 (cell >> Gaussian): the uniform
    # estimator's quarter-vs-full diagnostic must exceed its SE, and auto must switch to MIS
    from rdptheory.operating_points import sd_operating_point
    u = sd_operating_point("E8", 1.5, n_samples=1000, rng=1, rate_method="uniform")
    a = sd_operating_point("E8", 1.5, n_samples=1000, rng=1)
    assert u.rate_diagnostic["bias_exceeds_se"]
    assert a.rate_diagnostic["method"] == "mis" and not a.rate_diagnostic["bias_exceeds_se"]
    lo, hi = a.theory["rate_lower"], a.theory["rate_upper"]
    assert lo - 3 * a.rate_stderr <= a.rate <= hi + 3 * a.rate_stderr


def test_simulate_warns_and_flags_a_biased_rate(capsys):
    # the uniform estimator forced at E8, D = 1.5 (cell >> source): the JSON must flag it and
    # stderr must carry the warning, never a silently biased number
    import json
    from rdptheory.cli import main
    assert main(["simulate", "--scheme", "sd", "--lattice", "E8", "--D", "1.5", "--samples", "1000",
                 "--rate-method", "uniform", "--json", "--no-progress"]) == 0
    cap = capsys.readouterr()
    out = json.loads(cap.out)
    assert out["rate"]["bias_exceeds_se"] and out["warnings"]
    assert "warning: rate bias diagnostic" in cap.err


def test_identity_route_validates_input():
    with pytest.raises(ValueError, match="n <= 8"):
        sd_rate_identity("Leech", 1.0, 64, method="kl")
    with pytest.raises(ValueError, match="method"):
        sd_rate_identity("E8", 1.0, 64, method="exact")
    with pytest.raises(ValueError, match="n_points"):
        sd_rate_identity("E8", 1.0, 4)
    with pytest.raises(ValueError, match="tau2"):
        sd_rate_identity("E8", float("nan"), 64)


def test_qsd_1d_claim_catches_an_off_by_one_nesting_ratio(monkeypatch):
    # the quadrature built with Γ + 1 representatives (an off-by-one in the coset count): at
    # D = 1.5 the rates for Γ = 2 and 3 differ by 0.4 bit, far outside 4 SE
    import proofs_checks.rate_claims as mod
    from rdptheory.rates import qsd_proxy_gap_exact_1d
    monkeypatch.setattr(mod, "qsd_proxy_gap_exact_1d",
                        lambda D, ratio: qsd_proxy_gap_exact_1d(D, ratio + 1))
    _fails("rates.qsd_proxy.exact_1d")


def _proxy_as_rate(lattice, D, ratio, **kw):
    # the plausible wrong QSD rate: the noisy proxy reported as H(c|û) (what §3.3 warns against)
    from rdptheory.rates import qsd_proxy_gap
    g = qsd_proxy_gap(lattice, D, ratio, **kw)
    return g.__class__(**{**g.__dict__, "operational": g.proxy,
                          "operational_stderr": g.proxy_stderr, "difference": 0.0})


def test_qsd_1d_claim_catches_the_proxy_taken_for_the_rate(monkeypatch):
    import proofs_checks.rate_claims as mod
    monkeypatch.setattr(mod, "qsd_proxy_gap", _proxy_as_rate)
    _fails("rates.qsd_proxy.exact_1d")


def test_qsd_e8_claim_catches_the_proxy_taken_for_the_rate(monkeypatch):
    import proofs_checks.rate_claims as mod
    monkeypatch.setattr(mod, "qsd_proxy_gap", _proxy_as_rate)
    _fails("rates.qsd_proxy.e8")


def test_low_rate_split_catches_too_few_cell_points(monkeypatch):
    # 16 cell points at evaluation: the estimator's part is ~0.04 of a 0.18 bit gap (> 10%)
    import proofs_checks.rate_claims as mod
    monkeypatch.setattr(mod, "LTC_CELL_SAMPLES", 16)
    monkeypatch.setattr(mod, "LTC_REFERENCE_CELL_SAMPLES", 4096)
    _fails("rates.e8_low_rate.trained_ltc")


def test_low_rate_sd_claim_catches_an_estimator_compared_with_itself(monkeypatch):
    # the bias-controlled estimator in place of the papers' uniform one: no estimator error left
    import proofs_checks.rate_claims as mod
    monkeypatch.setattr(mod, "PAPER_RATE_METHOD", "mis")
    _fails("rates.e8_low_rate.sd_uniform_estimator")
