"""Defaults, units and scale invariance of every Gaussian closed form (written to kill the mutants
that survived the first mutation-testing run, see docs/development.md): rates are invariant
and distortions scale with σ² when (D, P, σ²) scale together, the default σ² is 1 and the
default unit is bits."""
import math

import numpy as np
import pytest

from rdptheory import gaussian as g

LN2 = math.log(2.0)
S2 = (0.3, 2.5)

# (function, arguments in units of sigma2, positions of the arguments that scale with it)
RATE_FUNCS = [
    (g.rate_distortion, (0.4,), (0,)),
    (g.rdp, (0.4, 0.1), (0, 1)),
    (g.rdp, (1.2, 0.3), (0, 1)),
    (g.rdp, (0.3, 0.6), (0, 1)),
    (g.rdp_perfect_realism, (0.4,), (0,)),
    (g.rate_no_common_randomness, (0.4,), (0,)),
    (g.common_randomness_gap, (0.4,), (0,)),
    (g.common_randomness_gap, (1.7,), (0,)),
]
DIST_FUNCS = [
    (g.distortion_rate, (0.8,)),
    (g.distortion_rate_perfect_realism, (0.8,)),
    (g.distortion_rate_no_common_randomness, (0.8,)),
]


@pytest.mark.parametrize("f, args, scaled", RATE_FUNCS)
@pytest.mark.parametrize("s2", S2)
def test_rates_invariant_under_scaling(f, args, scaled, s2):
    a = [x * s2 if i in scaled else x for i, x in enumerate(args)]
    assert float(f(*a, s2)) == pytest.approx(float(f(*args, 1.0)), rel=1e-12, abs=1e-15)
    assert float(f(*args)) == float(f(*args, 1.0))                      # default sigma2 = 1
    assert float(f(*args)) == float(f(*args, unit="bits"))              # default unit
    assert float(f(*args, unit="nats")) == pytest.approx(float(f(*args)) * LN2, rel=1e-14)


@pytest.mark.parametrize("f, args", DIST_FUNCS)
@pytest.mark.parametrize("s2", S2)
def test_distortions_scale_with_sigma2(f, args, s2):
    assert float(f(*args, s2)) == pytest.approx(s2 * float(f(*args, 1.0)), rel=1e-12)
    assert float(f(*args)) == float(f(*args, 1.0))
    # a rate given in nats
    assert float(f(args[0] * LN2, unit="nats")) == pytest.approx(float(f(*args)), rel=1e-12)


@pytest.mark.parametrize("s2", S2)
def test_perception_and_common_randomness_forms_scale(s2):
    assert float(g.distortion_rate_perception(0.8, 0.1 * s2, s2)) == pytest.approx(
        s2 * float(g.distortion_rate_perception(0.8, 0.1)), rel=1e-12)
    assert float(g.distortion_rate_perception(0.8, 0.1)) == float(
        g.distortion_rate_perception(0.8, 0.1, 1.0))
    assert float(g.distortion_limited_common_randomness(0.8, 0.5, s2)) == pytest.approx(
        s2 * float(g.distortion_limited_common_randomness(0.8, 0.5)), rel=1e-12)
    assert float(g.distortion_limited_common_randomness(0.8, 0.5)) == float(
        g.distortion_limited_common_randomness(0.8, 0.5, 1.0))
    assert float(g.rate_limited_common_randomness(0.4 * s2, 0.5, s2)) == pytest.approx(
        float(g.rate_limited_common_randomness(0.4, 0.5)), rel=1e-12)
    assert float(g.rate_limited_common_randomness(0.4, 0.5)) == float(
        g.rate_limited_common_randomness(0.4, 0.5, 1.0))


@pytest.mark.parametrize("D, P", [(0.5, 0.05), (0.3, 0.6), (1.2, 0.01)])
@pytest.mark.parametrize("s2", S2)
def test_reconstruction_scales(D, P, s2):
    a, b = g.rdp_reconstruction(D * s2, P * s2, s2), g.rdp_reconstruction(D, P)
    assert float(a.std) == pytest.approx(math.sqrt(s2) * float(b.std), rel=1e-12)
    assert float(a.covariance) == pytest.approx(s2 * float(b.covariance), rel=1e-12)
    assert float(a.rate) == pytest.approx(float(b.rate), rel=1e-12)
    assert str(a.regime) == str(b.regime)
    c = g.rdp_reconstruction(D, P, 1.0)
    assert (float(c.std), float(c.covariance)) == (float(b.std), float(b.covariance))


@pytest.mark.parametrize("s2", S2)
def test_ltc_parameters_scale(s2):
    a, b = g.sd_ltc_parameters(0.5 * s2, 0.05 * s2, s2), g.sd_ltc_parameters(0.5, 0.05)
    assert float(a.eta2) == pytest.approx(s2 * float(b.eta2), rel=1e-12)
    assert float(a.beta) == pytest.approx(float(b.beta), rel=1e-12)
    assert float(a.rate) == pytest.approx(float(b.rate), rel=1e-12)
    assert float(g.sd_ltc_parameters(0.5, 0.05, 1.0).eta2) == float(b.eta2)
    a, b = g.pd_ltc_parameters(0.5 * s2, s2), g.pd_ltc_parameters(0.5)
    assert float(a.second_moment) == pytest.approx(s2 * float(b.second_moment), rel=1e-12)
    assert float(a.nu) == pytest.approx(s2 * float(b.nu), rel=1e-12)
    for k in ("alpha", "s", "rate"):
        assert float(getattr(a, k)) == pytest.approx(float(getattr(b, k)), rel=1e-12)
    assert float(g.pd_ltc_parameters(0.5, 1.0).s) == float(b.s)
    a, b = g.qsd_ltc_parameters(0.5 * s2, 3, s2), g.qsd_ltc_parameters(0.5, 3)
    for k in ("second_moment", "fine_second_moment"):
        assert float(getattr(a, k)) == pytest.approx(s2 * float(getattr(b, k)), rel=1e-12)
    for k in ("alpha", "beta", "s", "rate", "ratio", "common_randomness"):
        assert float(getattr(a, k)) == pytest.approx(float(getattr(b, k)), rel=1e-12)
    assert float(g.qsd_ltc_parameters(0.5, 3, 1.0).beta) == float(b.beta)
    assert float(b.fine_second_moment) == pytest.approx(float(b.second_moment) / 9, rel=1e-14)
    assert float(b.common_randomness) == pytest.approx(math.log2(3), rel=1e-15)


def test_sd_ltc_parameters_values_both_regimes():
    # independent values: inactive regime η² = Dσ²/(σ²−D), β = (σ²−D)/σ² at (0.3, 0.6, 2)
    p = g.sd_ltc_parameters(0.3, 0.6, 2.0)
    assert str(p.regime) == "perception-inactive"
    assert float(p.eta2) == pytest.approx(0.3 * 2 / 1.7, rel=1e-14)
    assert float(p.beta) == pytest.approx(1.7 / 2, rel=1e-14)
    assert float(p.rate) == pytest.approx(0.5 * math.log2(2 / 0.3), rel=1e-14)
    with pytest.raises(ValueError, match="zero-rate boundary"):
        g.sd_ltc_parameters(np.array([0.5, 1.5]), 0.5)


@pytest.mark.parametrize("f", [g.distortion_rate, g.distortion_rate_perfect_realism,
                               g.distortion_rate_no_common_randomness])
def test_negative_rate_rejected(f):
    with pytest.raises(ValueError, match="R"):
        f(-0.1)


def test_ltc_parameter_errors_name_the_value_and_index():
    with pytest.raises(ValueError) as e:
        g.sd_ltc_parameters(1.5, 0.5)
    msg = str(e.value)
    assert msg.startswith("D must be below the zero-rate boundary sigma2 + (sigma - sqrt(P))_+^2 "
                          "for SD-LTC") and msg.endswith("got D=1.5")
    with pytest.raises(ValueError, match=r"got D=1\.5 at index \(1,\)$"):
        g.sd_ltc_parameters(np.array([0.5, 1.5]), 0.5)
    with pytest.raises(ValueError) as e:
        g.qsd_ltc_parameters(0.5, 2.5)
    assert str(e.value).startswith("ratio must be an integer >= 1 (the nesting ratio Γ); got 2.5")
    assert "index" not in str(e.value)
    with pytest.raises(ValueError, match=r"got 0\.0 at index \(1,\)$"):
        g.qsd_ltc_parameters(0.5, np.array([2, 0]))
    with pytest.raises(ValueError, match="^ratio must be a real number.*; got 'x'$"):
        g.qsd_ltc_parameters(0.5, "x")
    with pytest.raises(ValueError, match=r"^D must be in \(0, 2\*sigma2\) for PD-LTC; got 2\.5 at "
                                         r"index \(1,\)$"):
        g.pd_ltc_parameters(np.array([0.5, 2.5]))


@pytest.mark.parametrize("call, name", [
    (lambda: g.rdp(-0.1, 0.0), "D"), (lambda: g.rate_distortion(-0.1), "D"),
    (lambda: g.rdp(0.5, -0.1), "P"), (lambda: g.rdp(0.5, 0.1, 0.0), "sigma2"),
    (lambda: g.rdp(0.5, 0.1, -1.0), "sigma2"),
    (lambda: g.rate_limited_common_randomness(0.5, -0.1), "Rc"),
    (lambda: g.distortion_limited_common_randomness(0.5, -0.1), "Rc"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_scalars_in_scalars_out_arrays_in_arrays_out():
    for f in (g.rdp(0.5, 0.05), g.rate_distortion(0.5), g.distortion_rate(1.0),
              g.rate_limited_common_randomness(0.5, 0.5), g.common_randomness_gap(0.5)):
        assert not isinstance(f, np.ndarray) and np.ndim(f) == 0
    assert g.rdp(np.array([0.5]), 0.05).shape == (1,)
    assert g.rdp(np.array([[0.5, 0.6]]), 0.05).shape == (1, 2)


def test_rate_limited_common_randomness_endpoints():
    assert float(g.rate_limited_common_randomness(2.0, 0.5)) == 0.0     # D = 2σ²: zero rate
    assert float(g.rate_limited_common_randomness(2.5, 0.5)) == 0.0
    assert float(g.rate_limited_common_randomness(0.0, 0.5)) == math.inf


@pytest.mark.parametrize("D", [0.1, 0.37, 0.5, 1.3])
def test_qsd_ratio_one_is_pd_bit_for_bit(D):
    q, p = g.qsd_ltc_parameters(D, 1), g.pd_ltc_parameters(D)
    assert (float(q.alpha), float(q.s), float(q.second_moment)) == (
        float(p.alpha), float(p.s), float(p.second_moment))
    assert float(q.beta) == 1.0
