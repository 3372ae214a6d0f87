"""Negative controls: every claim family can say FAIL.

Each test feeds a registered claim's check a plausible wrong implementation (a typo-class
formula error, a missing factor, a wrong dither scale, a rate in the wrong unit, a decoder that
rounds per coordinate instead of finding the nearest point) and asserts that the claim's verdict
is FAIL, not PASS and not ERROR: the check ran to the end and its numbers rejected the broken
code. Where a check is expensive the control shrinks its sample sizes or grid through the
module attributes the check reads (the wrong implementation must fail even with fewer
samples, which makes the control stronger, not weaker).

One control (at least) per family:

=================  ==========================================================================
family             wrong implementation fed to the check
=================  ==========================================================================
gaussian.*         R(D,P) that ignores P (= R(D)); R(D) without its factor ½; SD-LTC's
                   active-regime η² without its 1/4; Cov(X, X̂) without its 1/2
perception.*       1-D Gaussian W2² with variances where the standard deviations belong;
                   sliced W2² without the 1/n of the per-dimension convention
nsm.*              E8 decoded by rounding each basis coefficient (Babai), not the nearest point
lattices.*         the same rounding decoder against the exact generic decoder
ltc.sd.*           SD-LTC whose E8 quantizer rounds per coefficient (Babai)
ltc.pd.*           PD-LTC rate reported in nats instead of bits
ltc.qsd.*          QSD-LTC without its decoder gain (β = 1)
ltc.train.*        trained-model evaluation whose rate is in nats instead of bits
nested.*           QSD total dither with the fine-cell dither at half its scale
dither.*           subtractive dither drawn from a cell of half the right scale
=================  ==========================================================================

Older controls elsewhere: ``tests/test_dither.py`` (crypto lemma), ``tests/test_nested.py``
(nested structure and broken samplers), ``tests/test_lattice_reference.py`` (lattice
references), ``tests/test_perception_claims.py``, ``tests/test_qsd_recipe.py`` and
``tests/test_testing.py``.
"""
import dataclasses
import math

import numpy as np
import pytest

from proofs_checks import CheckContext, get_claim, run_claim
from rdptheory import gaussian as g
from rdptheory.lattices import Lattice, get

LN2 = math.log(2.0)


def assert_fails(claim_id, ctx=None):
    """Run the registered claim and require the verdict FAIL (an ERROR is a broken control)."""
    out = run_claim(get_claim(claim_id), ctx or CheckContext())
    assert out.verdict == "FAIL", (
        f"{claim_id} did not FAIL with a wrong implementation: {out.verdict}\n"
        + (out.result.details if out.result else out.error))
    return out


def babai_lattice(name):
    """The registry lattice ``name`` with a plausible wrong decoder: round each coefficient of
    x in the basis (Babai rounding) instead of finding the nearest lattice point."""
    L = get(name)
    B = np.array(L.generator)
    Binv = np.linalg.inv(B)
    return Lattice(f"{name}-babai", B, lambda y: np.round(y @ Binv) @ B,
                   nsm=L.nsm_reference, kissing=L.kissing_number_reference)


# ------------------------------------------------------------------------------- gaussian.*
def test_gaussian_rdp_ignoring_perception_fails_vs_optimization(monkeypatch):
    import proofs_checks.gaussian_closed_form as m
    grid = m._grid
    monkeypatch.setattr(m, "_grid", lambda full: grid(full)[::25])  # a 25th of the grid

    def rdp_without_perception(D, P, sigma2=1.0, *, unit="bits"):
        return g.rate_distortion(D, sigma2, unit=unit) + 0.0 * np.asarray(P)
    monkeypatch.setattr(g, "rdp", rdp_without_perception)
    assert_fails("gaussian.rdp.vs_optimization")


def test_gaussian_rate_distortion_without_half_fails_vs_mpmath(monkeypatch):
    def rd_missing_half(D, sigma2=1.0, *, unit="bits"):
        r = np.maximum(np.log(sigma2 / np.asarray(D, dtype=float)), 0.0)
        return r / LN2 if unit == "bits" else r
    monkeypatch.setattr(g, "rate_distortion", rd_missing_half)
    assert_fails("gaussian.rate_distortion.vs_mpmath")


def test_gaussian_sd_ltc_eta2_missing_factor_4_fails(monkeypatch):
    right = g.sd_ltc_parameters

    def eta2_without_quarter(D, P, sigma2=1.0):
        # the active-regime η² = σ²(D−P)((2σ−√P)²−D)/(4θ²) with the 4 forgotten
        p = right(D, P, sigma2)
        active = np.asarray(p.regime) == "perception-active"
        return dataclasses.replace(p, eta2=np.where(active, 4 * np.asarray(p.eta2), p.eta2))
    monkeypatch.setattr(g, "sd_ltc_parameters", eta2_without_quarter)
    assert_fails("gaussian.sd_ltc.reference_examples")


def test_gaussian_reconstruction_covariance_without_half_fails(monkeypatch):
    import proofs_checks.gaussian_closed_form as m
    grid = m._grid
    monkeypatch.setattr(m, "_grid", lambda full: grid(full)[::5])
    right = g.rdp_reconstruction

    def cov_without_half(D, P, sigma2=1.0):
        r = right(D, P, sigma2)     # θ = σ² + σ̂² − D, the /2 forgotten
        return dataclasses.replace(r, covariance=2 * np.asarray(r.covariance))
    monkeypatch.setattr(g, "rdp_reconstruction", cov_without_half)
    assert_fails("gaussian.rdp.optimal_covariance")


# ----------------------------------------------------------------------------- perception.*
def test_perception_w2_gaussian_with_variances_for_stds_fails(monkeypatch):
    import proofs_checks.perception_claims as m

    def w2_variance_typo(m1, v1, m2, v2):
        return (np.asarray(m1) - m2) ** 2 + (np.asarray(v1) - v2) ** 2
    monkeypatch.setattr(m, "w2_gaussian", w2_variance_typo)
    assert_fails("perception.w2_gaussian.vs_quantile_quadrature")


def test_perception_sliced_w2_without_per_dimension_factor_fails(monkeypatch):
    import proofs_checks.perception_claims as m
    right = m.sliced_w2

    def sliced_total(x, y, n_projections=256, **kw):
        r = right(x, y, n_projections, **kw)
        n = np.shape(x)[1]
        return dataclasses.replace(r, estimate=r.estimate * n, stderr=r.stderr * n,
                                   stderr_sampling=r.stderr_sampling * n)
    monkeypatch.setattr(m, "sliced_w2", sliced_total)
    assert_fails("perception.sliced_w2.isotropic_examples")


# ------------------------------------------------------------------------------------ nsm.*
def test_nsm_with_a_rounding_decoder_fails_covers_reference(monkeypatch):
    import proofs_checks.nsm_claims as m
    from rdptheory.nsm import nsm_estimate
    broken = babai_lattice("E8")
    monkeypatch.setattr(m, "_estimate", lambda name, n_samples, seed, method="mc":
                        nsm_estimate(broken, n_samples // 8, rng=seed, method=method))
    assert_fails("nsm.E8.covers_reference")


# ------------------------------------------------------------------------------- lattices.*
def test_lattices_rounding_decoder_fails_fast_decoder_exact(monkeypatch):
    import proofs_checks.lattice_claims as m
    monkeypatch.setattr(m, "get", lambda name: babai_lattice(name))
    monkeypatch.setattr(m, "_QUICK_POINTS", {"E8": 2_000})
    assert_fails("lattices.E8.fast_decoder_exact")


# -------------------------------------------------------------------------------- ltc.sd.*
def test_ltc_sd_with_a_rounding_quantizer_fails_distortion(monkeypatch):
    import proofs_checks.ltc_gaussian_claims as m
    import rdptheory.operating_points as op
    monkeypatch.setattr(m, "SD_POINTS", {"E8": ((0.5, 0.0),)})
    monkeypatch.setattr(m, "_n", lambda ctx, n: 2_000)
    right = op.as_lattice
    monkeypatch.setattr(op, "as_lattice",
                        lambda L: babai_lattice("E8") if L == "E8" else right(L))
    assert_fails("ltc.sd.distortion_equals_D")


# -------------------------------------------------------------------------------- ltc.pd.*
def test_ltc_pd_rate_in_nats_fails_exact_n1(monkeypatch):
    import proofs_checks.ltc_gaussian_claims as m
    import rdptheory.operating_points as op
    monkeypatch.setattr(m, "_n", lambda ctx, n: 1_000)
    right = op._rate

    def rate_in_nats(*args, **kw):
        r, diag = right(*args, **kw)
        return dataclasses.replace(r, bits=r.bits * LN2, stderr=r.stderr * LN2), diag
    monkeypatch.setattr(op, "_rate", rate_in_nats)
    assert_fails("ltc.pd.exact_n1")


# ------------------------------------------------------------------------------- ltc.qsd.*
def test_ltc_qsd_without_decoder_gain_fails_realism(monkeypatch):
    import proofs_checks.ltc_gaussian_claims as m
    monkeypatch.setattr(m, "_QSD_CACHE", {})
    monkeypatch.setattr(m, "QSD_RATIOS", (1, 4))
    monkeypatch.setattr(m, "sd_operating_point", lambda *a, **kw: None)  # not used here
    right = g.qsd_ltc_parameters
    monkeypatch.setattr(g, "qsd_ltc_parameters", lambda D, ratio, sigma2=1.0: dataclasses.replace(
        right(D, ratio, sigma2), beta=np.asarray(1.0)))
    assert_fails("ltc.qsd.realism_preserved")


# ----------------------------------------------------------------------------- ltc.train.*
def test_ltc_train_evaluation_in_nats_fails_ntc1_exact(monkeypatch):
    import proofs_checks.ltc_training_claims as m
    right_preset, right_run = m.preset, m.run_experiment
    # short training: the check compares the evaluation of *this* model with its exact value,
    # so a poorly trained model is still a fair test of the evaluation
    monkeypatch.setattr(m, "preset", lambda *a, **kw: right_preset(
        *a, **{**kw, "steps": 40, "eval_samples": 20_000}))

    def run_in_nats(exp, seed=0, **kw):
        r = right_run(exp, seed, use_cache=False)
        ev = dataclasses.replace(r.evaluation, rate=r.evaluation.rate * LN2,
                                 rate_stderr=r.evaluation.rate_stderr * LN2)
        return dataclasses.replace(r, evaluation=ev)
    monkeypatch.setattr(m, "run_experiment", run_in_nats)
    assert_fails("ltc.train.ntc1_evaluation_exact")


# --------------------------------------------------------------------------------- nested.*
def test_nested_fine_dither_at_half_scale_fails_uniform(monkeypatch):
    from rdptheory.dither import sample_voronoi
    from rdptheory.nested import NestedLattice

    def half_scale_dither(self, size, rng=None):
        rng = np.random.default_rng(rng)
        return (self.sample_representatives(size, rng)
                + 0.5 * sample_voronoi(self.fine, size, rng))
    monkeypatch.setattr(NestedLattice, "sample_dither", half_scale_dither)
    assert_fails("nested.A2_gamma2.uniform")


# --------------------------------------------------------------------------------- dither.*
def test_dither_at_half_scale_fails_crypto_lemma():
    from proofs_checks.dither_claims import crypto_lemma_check
    from rdptheory.dither import sample_voronoi

    class Out:
        def __init__(self, error):
            self.error = error

    def half_scale(y, L, rng=None):
        u = 0.5 * sample_voronoi(L, y.shape[0], rng)
        return Out(L.nearest_point(y - u) + u - y)
    r = crypto_lemma_check(get("A2"), 4_000, 1, quantize=half_scale)
    assert not r.passed and r.verdict == "FAIL", r.details


def test_dither_claim_uses_the_patched_sampler(monkeypatch):
    """The registered crypto-lemma claim fails when the package's own sampler is off."""
    import proofs_checks.dither_claims as m
    import rdptheory.dither as d
    right = d.sample_voronoi

    def half(L, size, rng=None):
        return 0.5 * right(L, size, rng)
    monkeypatch.setattr(m, "sample_voronoi", half)
    assert_fails("dither.voronoi_uniform_moments")


def test_rate_penalty_with_a_rounding_quantizer_fails(monkeypatch):
    """The measured rate penalty of E8 moves when the quantizer rounds per coefficient."""
    import rdptheory.operating_points as op
    right = op.as_lattice
    monkeypatch.setattr(op, "as_lattice",
                        lambda L: babai_lattice("E8") if L == "E8" else right(L))
    assert_fails("lattices.reference.s3.rate_penalty.E8")
