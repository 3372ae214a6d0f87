"""Encoders/decoders of the dithered schemes, operating points: API and bad input.

Theorem-level checks (distortion, rate band, perception bounds, PD bound, QSD = PD at Γ = 1)
are registered claims `ltc.*` run by tests/test_claims.py.
"""
import numpy as np
import pytest

from rdptheory.dither import sample_voronoi
from rdptheory.lattices import from_generator, get
from rdptheory.nested import nested
from rdptheory.operating_points import (pd_operating_point, pd_rate_exact_1d,
                                        scaled_to_second_moment, sd_operating_point)
from rdptheory.schemes import (linear, pd_decode, pd_encode, qsd_decode, qsd_encode, sd_decode,
                               sd_encode)


def test_sd_roundtrip_is_dithered_quantization():
    E8 = get("E8")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(500, 8)) * 3
    u = sample_voronoi(E8, 500, rng)
    c = sd_encode(x, E8, u)
    np.testing.assert_allclose(c, E8.nearest_point(x - u))
    xh = sd_decode(c, u, linear(0.5))
    np.testing.assert_allclose(xh, 0.5 * (c + u))
    # crypto-lemma structure: the error is in the cell
    np.testing.assert_allclose(E8.nearest_point(c + u - x), 0.0, atol=1e-12)


def test_pd_and_qsd_ratio_one_agree():
    D4 = get("D4")
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 4))
    u = sample_voronoi(D4, 200, rng)
    nl = nested(D4, 1)
    zero = np.zeros_like(x)
    np.testing.assert_array_equal(qsd_encode(x, nl, zero, linear(0.8)), pd_encode(x, D4, linear(0.8)))
    c = pd_encode(x, D4)
    np.testing.assert_array_equal(qsd_decode(c, zero, u, 1.3), pd_decode(c, u, 1.3))


@pytest.mark.parametrize("call, match", [
    (lambda E8, x, u: pd_decode(x, u, 0.0), "s must be"),
    (lambda E8, x, u: pd_decode(x, u, -1.0), "s must be"),
    (lambda E8, x, u: pd_decode(x, u[:3], 1.0), "private_dither must have the shape"),
    (lambda E8, x, u: sd_encode(x[:, :4], E8, u), "x: "),
    (lambda E8, x, u: sd_encode(x, E8, u[:, :4]), "dither: "),
    (lambda E8, x, u: sd_decode(x, u[:2]), "dither must have the shape"),
    (lambda E8, x, u: qsd_decode(x, x, u, np.nan), "s must be"),
    (lambda E8, x, u: linear(np.nan), "gain must be"),
])
def test_bad_input(call, match):
    E8 = get("E8")
    x = np.zeros((5, 8))
    u = np.zeros((5, 8))
    with pytest.raises(ValueError, match=match):
        call(E8, x, u)


def test_operating_point_bad_input():
    with pytest.raises(ValueError, match="n_samples must be"):
        sd_operating_point("E8", 0.5, 0.0, n_samples=1)
    with pytest.raises(ValueError, match="cell_samples must be"):
        pd_operating_point("E8", 0.5, cell_samples=0)
    with pytest.raises(ValueError, match="D must be in"):
        pd_operating_point("E8", 2.5)
    with pytest.raises(ValueError, match="P must be in"):
        sd_operating_point("E8", 0.5, -0.1)
    with pytest.raises(ValueError, match="no reference NSM"):
        scaled_to_second_moment(from_generator(np.eye(2) + 0.3), 0.1)
    with pytest.raises(ValueError, match="ratio must be"):
        nested("E8", 2.5)


def test_scaled_to_second_moment():
    L = scaled_to_second_moment("A2", 0.37)
    assert L.second_moment_reference == pytest.approx(0.37, rel=1e-12)


def test_operating_points_reproducible():
    a = sd_operating_point("D4", 0.5, 0.05, n_samples=2000, cell_samples=256, rng=4)
    b = sd_operating_point("D4", 0.5, 0.05, n_samples=2000, cell_samples=256, rng=4)
    assert a.rate == b.rate and a.distortion == b.distortion


def test_pd_rate_exact_1d_against_quadrature():
    # independent of the CDF-difference formula in the code: integrate the N(0, alpha^2) density
    # over each cell [(k - 1/2) delta, (k + 1/2) delta] with scipy.integrate.quad
    from scipy.integrate import quad
    from rdptheory.gaussian import pd_ltc_parameters
    p = pd_ltc_parameters(0.3)
    delta = np.sqrt(12 * float(p.second_moment))
    sd = float(p.alpha)
    dens = lambda t: np.exp(-0.5 * (t / sd) ** 2) / (sd * np.sqrt(2 * np.pi))  # noqa: E731
    pk = np.array([quad(dens, (k - 0.5) * delta, (k + 0.5) * delta, epsabs=1e-15)[0]
                   for k in range(-40, 41)])
    pk = pk[pk > 0]
    assert pk.sum() == pytest.approx(1.0, abs=1e-12)
    assert pd_rate_exact_1d(0.3) == pytest.approx(float(-(pk * np.log2(pk)).sum()), rel=1e-9)
