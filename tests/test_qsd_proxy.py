"""QSD's operational rate vs the noisy proxy: the n = 1 quadrature against independent
computations (mpmath, the Zamir–Feder density integral), the Monte Carlo route, input checks."""
import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate, special

from rdptheory.gaussian import qsd_ltc_parameters
from rdptheory.rates import QsdProxyGap, qsd_proxy_gap, qsd_proxy_gap_exact_1d


def _scale(D, ratio):
    p = qsd_ltc_parameters(D, ratio)
    return math.sqrt(12 * float(p.second_moment)), float(p.alpha)


@pytest.mark.parametrize("D,ratio", [(1.0, 2), (1.5, 3), (0.3, 5)])
def test_operational_rate_against_mpmath(D, ratio):
    # H(c|û) as the Γ-point average of −Σ p log2 p, cell masses from mpmath's erfc at 30 digits
    delta, sd = _scale(D, ratio)
    mp.mp.dps = 30
    total = mp.mpf(0)
    K = int(math.ceil(14 * sd / delta)) + 3
    for k in range(ratio):
        t = mp.mpf(k) * delta / ratio
        for j in range(-K, K + 1):
            a, b = ((j - mp.mpf(1) / 2) * delta + t) / sd, ((j + mp.mpf(1) / 2) * delta + t) / sd
            pj = (mp.erfc(a / mp.sqrt(2)) - mp.erfc(b / mp.sqrt(2))) / 2
            if pj > 0:
                total -= pj * mp.log(pj, 2)
    ref = float(total / ratio)
    assert abs(qsd_proxy_gap_exact_1d(D, ratio).operational - ref) < 1e-10


@pytest.mark.parametrize("D,ratio", [(0.5, 2), (1.0, 2), (1.5, 3)])
def test_proxy_equals_zamir_feder_density_integral(D, ratio):
    # h(y + U) − log Δ with the density f(w) = [Φ((w+Δ/2)/σ) − Φ((w−Δ/2)/σ)]/Δ (an integral over
    # w, not over the dither): the identity Zamir & Feder 1992, Thm 1
    delta, sd = _scale(D, ratio)

    def f(w):
        return (special.ndtr((w + delta / 2) / sd) - special.ndtr((w - delta / 2) / sd)) / delta

    lim = 12 * sd + delta
    h, _ = integrate.quad(lambda w: -f(w) * math.log(f(w)) if f(w) > 0 else 0.0, -lim, lim,
                          limit=400, epsabs=1e-13, epsrel=1e-12, points=[-delta / 2, delta / 2])
    ref = (h - math.log(delta)) / math.log(2)
    assert abs(qsd_proxy_gap_exact_1d(D, ratio).proxy - ref) < 1e-8


def test_large_ratio_tends_to_the_proxy_and_high_rate_agrees():
    # Γ → ∞ is SD-LTC: the Γ-point rule converges to the cell average
    assert abs(qsd_proxy_gap_exact_1d(1.5, 64).difference) < 1e-9
    assert abs(qsd_proxy_gap_exact_1d(0.5, 3).difference) < 1e-5
    g = qsd_proxy_gap_exact_1d(1.5, 2)
    assert isinstance(g, QsdProxyGap) and g.method == "quadrature" and g.difference > 0.25


def test_monte_carlo_route_matches_quadrature_and_is_reproducible():
    g = qsd_proxy_gap("Z1", 1.0, 2, n_samples=6000, rng=11)
    ex = qsd_proxy_gap_exact_1d(1.0, 2)
    assert abs(g.operational - ex.operational) <= 4 * g.operational_stderr
    assert abs(g.proxy - ex.proxy) <= 4 * g.proxy_stderr
    assert g == qsd_proxy_gap("Z1", 1.0, 2, n_samples=6000, rng=11)
    assert math.isclose(g.difference_stderr, math.hypot(g.operational_stderr, g.proxy_stderr))


@pytest.mark.parametrize("kwargs,name", [
    (dict(D=float("nan"), ratio=2), "D"), (dict(D=2.0, ratio=2), "D"), (dict(D=-1.0, ratio=2), "D"),
    (dict(D=1.0, ratio=1.5), "ratio"), (dict(D=1.0, ratio=0), "ratio"),
    (dict(D=1.0, ratio=2, sigma2=float("inf")), "sigma2"), (dict(D=1e-9, ratio=2), "D"),
    (dict(D=1.0, ratio=1 << 21), "ratio"), (dict(D=1e-6, ratio=1 << 20), "ratio"),
])
def test_exact_1d_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        qsd_proxy_gap_exact_1d(**kwargs)


def test_monte_carlo_rejects_bad_input():
    with pytest.raises(ValueError, match="n_samples"):
        qsd_proxy_gap("E8", 1.0, 2, n_samples=4)
    with pytest.raises(ValueError, match="D"):
        qsd_proxy_gap("E8", complex(1, 1), 2)
    with pytest.raises(ValueError, match="cell_samples"):
        qsd_proxy_gap("E8", 1.0, 2, cell_samples=8)
