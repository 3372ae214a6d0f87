"""Negative controls of the perception-measurement claims: each check, fed a plausible wrong
implementation (or a broken scheme), must FAIL."""
import numpy as np
import pytest

import proofs_checks.perception_measurement_claims as pm
import rdptheory.operating_points as ops
import rdptheory.perception.exact_1d as ex


@pytest.mark.slow
def test_n1_brackets_catch_a_missing_dither_jacobian(monkeypatch):
    """Forgetting the −n log s of the scaled cells in the PD/QSD output density."""
    real = ops.lattice_mixture_log_density

    def no_jacobian(x_hat, lattice, s, log_weight, **kw):
        lp, bias = real(x_hat, lattice, s, log_weight, **kw)
        return lp + lattice.dimension * np.log(s), bias

    monkeypatch.setattr(ops, "lattice_mixture_log_density", no_jacobian)
    assert not pm.n1_bracket_result(pm.n1_cases(4000, 1)).passed


@pytest.mark.slow
def test_detection_claim_fails_when_s_is_not_propagated(monkeypatch):
    real = ops.pd_operating_point

    def ignores_s(*a, s=None, **kw):
        return real(*a, **kw)

    monkeypatch.setattr(pm, "pd_operating_point", ignores_s)
    assert not pm.pd_detection(("E8",), 4000, 1, cell_samples=1024).passed


@pytest.mark.slow
def test_sd_interval_catches_an_unscaled_output_density(monkeypatch):
    """The SD output density evaluated without the decoder gain β."""
    real = ops.sd_output_log_density_mis
    monkeypatch.setattr(ops, "sd_output_log_density_mis",
                        lambda x, L, sigma2=1.0, beta=1.0, **kw: real(x, L, sigma2, beta=1.0, **kw))
    assert not pm.sd_interval(("Z1", "E8"), 4000, 1, P_values=(0.0,)).passed


@pytest.mark.slow
def test_pd_trends_catch_a_lattice_scaled_with_the_wrong_nsm(monkeypatch):
    """Every lattice scaled as if G were 1/12 (the cube's): E8's distortion misses D."""
    real = ops.scaled_to_second_moment
    monkeypatch.setattr(ops, "scaled_to_second_moment",
                        lambda L, m, nsm=None: real(L, m, 1.0 / 12.0))
    assert not pm.pd_trends(("Z1", "E8"), 4000, 1).passed


@pytest.mark.slow
def test_qsd_realism_catches_holes(monkeypatch):
    real = ops.qsd_operating_point
    monkeypatch.setattr(pm, "qsd_operating_point",
                        lambda *a, **kw: real(*a, **{**kw, "s": 0.7}))
    assert not pm.qsd_realism(("E8",), (3,), 4000, 1).passed


def test_exact_sweep_catches_a_clamped_scale(monkeypatch):
    real = ex.pd_output_1d
    monkeypatch.setattr(pm, "pd_output_1d", lambda D, sigma2=1.0, s=None: real(
        D, sigma2, s=None if s is None else max(s, 1.0)))
    assert not pm.s_sweep_exact().passed


@pytest.mark.slow
def test_e8_sweep_fails_when_s_is_not_propagated(monkeypatch):
    real = ops.pd_operating_point
    monkeypatch.setattr(pm, "pd_operating_point", lambda *a, s=None, **kw: real(*a, **kw))
    assert not pm.s_sweep_e8(4000, 1, s_values=(0.75, 1.0)).passed


def test_ratio1_claim_catches_the_pd_shortcut(monkeypatch):
    """QSD(Γ = 1) taking the PD encoder (the shortcut the claim forbids)."""
    import rdptheory.schemes as schemes
    real = schemes.qsd_encode

    def shortcut(x, nl, shared, analysis=None):
        if nl.ratio == 1:
            return ops.pd_encode(x, nl.coarse, analysis)
        return real(x, nl, shared, analysis)

    monkeypatch.setattr(schemes, "qsd_encode", shortcut)
    assert not pm.ratio1_independent(2000, 1).passed
