"""API behaviour of rdptheory.gaussian: broadcasting, units, boundaries, bad input.

Numerical accuracy against independent methods lives in the claims (tests/test_claims.py);
here expected values come from the defining formulas at points where they are elementary.
"""
import math

import numpy as np
import pytest

from rdptheory import gaussian as g
from proofs_checks.gaussian_optimization import mutual_information_nats

LN2 = math.log(2)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("fn, kwargs, name", [
    (g.rdp, dict(D=math.nan, P=0.1), "D"),
    (g.rdp, dict(D=-0.1, P=0.1), "D"),
    (g.rdp, dict(D=math.inf, P=0.1), "D"),
    (g.rdp, dict(D=0.5, P=-1e-3), "P"),
    (g.rdp, dict(D=0.5, P=math.inf), "P"),
    (g.rdp, dict(D=0.5, P=0.1, sigma2=0.0), "sigma2"),
    (g.rdp, dict(D=0.5, P=0.1, sigma2=-1.0), "sigma2"),
    (g.rate_distortion, dict(D=math.nan), "D"),
    (g.distortion_rate, dict(R=-1.0), "R"),
    (g.distortion_rate_perception, dict(R=math.inf, P=0.0), "R"),
    (g.distortion_limited_common_randomness, dict(R=1.0, Rc=math.nan), "Rc"),
    (g.distortion_limited_common_randomness, dict(R=1.0, Rc=-1.0), "Rc"),
    (g.rate_limited_common_randomness, dict(D=-1.0, Rc=1.0), "D"),
    (g.sd_ltc_parameters, dict(D=0.5, P=math.nan), "P"),
    (g.pd_ltc_parameters, dict(D=2.0), "D"),
    (g.pd_ltc_parameters, dict(D=0.0), "D"),
])
def test_bad_input_names_parameter(fn, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        fn(**kwargs)


def test_array_error_reports_first_offending_index():
    with pytest.raises(ValueError, match=r"index \(1, 0\)"):
        g.rdp([[0.5, 0.4], [-1.0, -2.0]], 0.0)
    with pytest.raises(ValueError, match=r"at index 2"):
        g.rate_distortion([0.1, 0.2, math.nan])


def test_non_numeric_and_unit():
    with pytest.raises(ValueError, match="D must be a real number"):
        g.rdp("half", 0.1)
    with pytest.raises(ValueError, match="unit must be"):
        g.rdp(0.5, 0.1, unit="dB")


def test_sd_parameters_refuse_zero_rate_region():
    # sigma2 = 1, P = 0.25: zero rate from D = 1 + (1 - 0.5)^2 = 1.25 on
    g.sd_ltc_parameters(1.2, 0.25)
    with pytest.raises(ValueError, match="zero-rate"):
        g.sd_ltc_parameters(1.25, 0.25)


# ---------------------------------------------------------------- broadcasting and units
def test_broadcasting_and_scalars():
    D = np.linspace(0.1, 1.9, 5)[:, None]
    P = np.array([0.0, 0.05, 0.5, 2.0])[None, :]
    R = g.rdp(D, P)
    assert R.shape == (5, 4)
    assert R[2, 1] == g.rdp(D[2, 0], P[0, 1])
    assert np.ndim(g.rdp(0.5, 0.1)) == 0
    rec = g.rdp_reconstruction(D, P, sigma2=2.0)
    assert rec.std.shape == rec.covariance.shape == rec.regime.shape == (5, 4)
    assert g.rate_distortion_vector(1.0, [1, 1]).distortions.shape == (2,)


def test_units():
    D, P = np.array([0.1, 0.5, 0.9]), np.array([0.0, 0.05, 0.2])
    np.testing.assert_allclose(g.rdp(D, P, unit="nats"), g.rdp(D, P) * LN2, rtol=1e-15)
    # R(D) in nats at D = sigma^2 e^{-2} is exactly 1 nat
    assert g.rate_distortion(math.exp(-2.0), unit="nats") == pytest.approx(1.0, rel=1e-15)
    assert g.distortion_rate(1.0, unit="nats") == pytest.approx(math.exp(-2.0), rel=1e-15)


def test_scale_invariance():
    D, P = np.array([0.1, 0.5, 1.3]), np.array([0.01, 0.2, 0.05])
    np.testing.assert_allclose(g.rdp(3.7 * D, 3.7 * P, 3.7), g.rdp(D, P), rtol=1e-13)


# ---------------------------------------------------------------- boundary behaviour
def test_boundaries():
    s2 = 2.0
    # D = 0: infinite rate for every P
    assert np.all(np.isinf(g.rdp(0.0, [0.0, 0.3, 5.0], s2)))
    # P >= sigma^2: the perception constraint never binds, R(D,P) = R(D)
    D = np.array([0.1, 1.0, 1.99, 2.0, 3.0])
    np.testing.assert_array_equal(g.rdp(D, s2, s2), g.rate_distortion(D, s2))
    np.testing.assert_array_equal(g.rdp(D, 10 * s2, s2), g.rate_distortion(D, s2))
    # D >= sigma^2 and P >= sigma^2: zero rate
    assert g.rdp(s2, s2, s2) == 0.0 and g.rdp(5.0, 7.0, s2) == 0.0
    # P = 0: positive below 2 sigma^2, zero from 2 sigma^2 on
    assert g.rdp(2 * s2 * (1 - 1e-12), 0.0, s2) > 0
    assert g.rdp(2 * s2, 0.0, s2) == 0.0 and g.rdp(3 * s2, 0.0, s2) == 0.0
    # zero-rate boundary for P > 0 is D = sigma^2 + (sigma - sqrt P)^2
    P = 0.5
    Db = s2 + (math.sqrt(s2) - math.sqrt(P)) ** 2
    assert g.rdp(Db * (1 + 1e-12), P, s2) == 0.0 and g.rdp(Db * (1 - 1e-9), P, s2) > 0
    # the inactive/active boundary D = 2 sigma sqrt(P) - P: R(D) below, larger than R(D) above
    Di = 2 * math.sqrt(s2 * P) - P
    assert g.rdp(Di * 0.999, P, s2) == g.rate_distortion(Di * 0.999, s2)
    assert g.rdp(Di * 1.01, P, s2) > g.rate_distortion(Di * 1.01, s2)
    assert str(g.rdp_reconstruction(Di * 1.01, P, s2).regime) == "perception-active"
    assert str(g.rdp_reconstruction(Di * 0.99, P, s2).regime) == "perception-inactive"
    assert str(g.rdp_reconstruction(Db * 1.01, P, s2).regime) == "zero-rate"


def test_reconstruction_meets_constraints_and_rate():
    """The returned (std, covariance) is feasible and its mutual information is the rate."""
    s2 = 1.3
    sigma = math.sqrt(s2)
    rng = np.random.default_rng(0)
    for D, P in zip(rng.uniform(0.01, 2.5, 300) * s2, rng.uniform(0, 1.2, 300) * s2):
        rec = g.rdp_reconstruction(D, P, s2)
        t, c = float(rec.std), float(rec.covariance)
        assert s2 + t * t - 2 * c <= D * (1 + 1e-12) + 1e-15          # distortion
        assert (sigma - t) ** 2 <= P * (1 + 1e-12) + 1e-15             # perception
        if c > 0:
            info = -0.5 * math.log1p(-(c / (sigma * t)) ** 2) / LN2
        else:
            info = 0.0
        assert info == pytest.approx(float(rec.rate), rel=1e-9, abs=1e-12)
        # and the independent 1-D program agrees at the returned std
        assert mutual_information_nats(t, D, s2) / LN2 <= float(rec.rate) + 1e-9


def test_perfect_realism_and_no_common_randomness():
    d = np.linspace(0.01, 0.99, 50)
    D = 2 * d
    # the naive reference formula itself loses digits as d -> 1 (1/(d(2-d)) -> 1); the
    # 1e-12 accuracy of the library is shown against mpmath in claim gaussian.rdp.vs_mpmath
    np.testing.assert_allclose(g.rdp_perfect_realism(D), 0.5 * np.log2(1 / (d * (2 - d))),
                               rtol=1e-10)
    np.testing.assert_allclose(g.rate_no_common_randomness(D), 0.5 * np.log2(1 / d), rtol=1e-13)
    np.testing.assert_allclose(g.common_randomness_gap(D),
                               g.rate_no_common_randomness(D) - g.rdp_perfect_realism(D),
                               rtol=1e-12, atol=1e-15)
    assert g.common_randomness_gap(5.0) == 0.0


def test_distortion_rate_forms_at_perfect_realism():
    R = np.array([0.0, 0.1, 1.0, 4.0])
    np.testing.assert_allclose(g.distortion_rate_perfect_realism(R),
                               2 * (1 - np.sqrt(1 - 2.0 ** (-2 * R))), rtol=1e-13)
    np.testing.assert_allclose(g.distortion_rate_no_common_randomness(R), 2 * 2.0 ** (-2 * R))
    # inverse of R(D, 0)
    D = g.distortion_rate_perfect_realism(R[1:])
    np.testing.assert_allclose(g.rdp_perfect_realism(D), R[1:], rtol=1e-12)


def test_limited_common_randomness_roundtrip():
    R = np.linspace(0.05, 5, 40)[:, None]
    Rc = np.array([0.0, 0.5, 1.0, math.log2(3), 4.0, math.inf])[None, :]
    D = g.distortion_limited_common_randomness(R, Rc)
    np.testing.assert_allclose(g.rate_limited_common_randomness(D, Rc), np.broadcast_to(R, D.shape),
                               rtol=1e-11)
    assert g.rate_limited_common_randomness(0.0, 1.0) == math.inf
    assert g.rate_limited_common_randomness(2.0, 1.0) == 0.0


# ---------------------------------------------------------------- LTC parameters
def test_ltc_parameters_inactive_and_pd():
    sd = g.sd_ltc_parameters(0.2, 0.5)   # inactive: 0.2 <= 2 sqrt(0.5) - 0.5
    assert str(sd.regime) == "perception-inactive"
    assert float(sd.eta2) == pytest.approx(0.2 / 0.8) and float(sd.beta) == pytest.approx(0.8)
    pd = g.pd_ltc_parameters(np.array([0.2, 1.0]), 1.0)
    np.testing.assert_allclose(pd.alpha, [0.9, 0.5])
    np.testing.assert_allclose(pd.s ** 2, [1 / 0.9, 1 / 0.5])
    np.testing.assert_allclose(pd.rate, g.rate_no_common_randomness([0.2, 1.0]))


# ---------------------------------------------------------------- vector sources
def test_vector_covariance_equals_variances():
    rng = np.random.default_rng(3)
    lam = np.array([2.0, 1.0, 0.3, 0.05])
    Q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    C = Q @ np.diag(lam) @ Q.T
    a = g.rate_distortion_vector(1.0, covariance=C)
    b = g.rate_distortion_vector(1.0, lam)
    assert a.rate == pytest.approx(b.rate, rel=1e-12)
    r1, r2 = g.rdp_vector(1.0, 0.1, covariance=C), g.rdp_vector(1.0, 0.1, lam)
    assert r1.rate == pytest.approx(r2.rate, rel=1e-8) and r1.converged


def test_vector_water_filling_by_hand():
    # variances 1, 0.25, 0.04 and D = 0.5: water level 0.23, third component drained
    r = g.rate_distortion_vector(0.5, [1.0, 0.25, 0.04])
    assert r.water_level == pytest.approx(0.23)
    np.testing.assert_allclose(r.distortions, [0.23, 0.23, 0.04])
    assert r.rate == pytest.approx(0.5 * math.log2(1 / 0.23) + 0.5 * math.log2(0.25 / 0.23))
    assert g.rate_distortion_vector(10.0, [1.0, 0.25]).rate == 0.0


@pytest.mark.parametrize("kwargs, match", [
    (dict(), "exactly one"),
    (dict(variances=[1.0], covariance=[[1.0]]), "exactly one"),
    (dict(covariance=[[1.0, 0.5], [0.2, 1.0]]), "symmetric"),
    (dict(covariance=[[1.0, 2.0], [2.0, 1.0]]), "positive semi-definite"),
    (dict(covariance=[1.0, 2.0]), "square"),
    (dict(variances=[1.0, -0.5]), "variances must"),
    (dict(variances=[[1.0]]), "1-D"),
])
def test_vector_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        g.rate_distortion_vector(0.5, **kwargs)


def _extreme_inputs(size=3000, seed=7):
    """Distortions, budgets and variances over 60 decades, at and around the regime boundaries."""
    rng = np.random.default_rng(seed)
    s2 = np.exp(rng.uniform(-60.0, 60.0, size))
    D = s2 * np.exp(rng.uniform(-80.0, 2.0, size))
    P = s2 * np.exp(rng.uniform(-90.0, 1.0, size))
    D[::7] = P[::7] * (1.0 + 1e-15)  # D just above P (high-rate factorisation)
    D[1::7] = 0.0
    P[2::7] = 0.0
    D[3::7] = 2.0 * s2[3::7]
    return D, P, s2


def _python_and_numba(kernel, *args):
    """The kernel run elementwise as Python and as its numba ufunc on the same inputs."""
    python = np.array([kernel.scalar(*map(float, v)) for v in zip(*args)], dtype=kernel.dtype)
    return python, kernel.ufunc(*args)


@pytest.mark.parametrize("name", ["rdp_nats", "rdp_regime", "rdp_std", "rdp_cov",
                                  "distortion_rate_perception_kernel"])
def test_kernels_python_and_numba_agree(name):
    """Small inputs run the kernels as Python, large ones as numba ufuncs compiled from the same
    functions: the two executions give the same bits (no fused multiply-add, same libm)."""
    from rdptheory.gaussian import _kernels as K
    D, P, s2 = _extreme_inputs()
    args = (D / np.log(2.0), P, s2) if name.startswith("distortion") else (D, P, s2)
    python, compiled = _python_and_numba(getattr(K, name), *args)
    np.testing.assert_array_equal(python, compiled)


def test_two_argument_kernels_agree_and_dispatch_by_size():
    from rdptheory.gaussian import _kernels as K
    D, _, s2 = _extreme_inputs()
    for kernel, args in [(K.rate_distortion_nats_ufunc, (D, s2)),
                         (K.scaled_exp_ufunc, (s2, -D / s2))]:
        python, compiled = _python_and_numba(kernel, *args)
        np.testing.assert_array_equal(python, compiled)
    # the dispatch: K.SMALL_SIZE elements run as Python, one more as the ufunc; same values
    small = K.rdp_nats(D[:K.SMALL_SIZE], 0.0, s2[:K.SMALL_SIZE])
    large = K.rdp_nats(D[:K.SMALL_SIZE + 1], 0.0, s2[:K.SMALL_SIZE + 1])
    np.testing.assert_array_equal(small, large[:-1])
    assert np.ndim(K.rdp_nats(0.5, 0.0, 1.0)) == 0 and K.rdp_regime(0.5, 0.05, 1.0).dtype == np.int64


def test_agreement_check_fails_for_a_reassociated_kernel(monkeypatch):
    """Negative control: a Python execution whose error-free sum has been simplified away, as a
    compiler allowed to reassociate (fastmath) does with (a - (s - bb)) + (b - bb), is caught."""
    from rdptheory.gaussian import _kernels as K
    monkeypatch.setattr(K, "_two_sum", lambda a, b: (a + b, 0.0))
    D, P, s2 = _extreme_inputs()
    python, compiled = _python_and_numba(K.rdp_nats, D, P, s2)
    assert not np.array_equal(python, compiled)


def test_bounds_command_imports_neither_numba_nor_scipy():
    import subprocess
    import sys
    code = ("import sys; from rdptheory.cli import main; "
            "main(['bounds', '--D', '0.5', '--P', '0.05']); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'numba', 'scipy'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
