r"""Exact perception of the dithered lattice schemes at n = 1 (the scalar lattice Z), the
reference that every estimated bound must bracket.

PD and QSD outputs at n = 1 are finite mixtures of uniform laws (atoms a_k, weights p_k, a common
half-width h): the density is piecewise constant, so the KL divergence to N(0, σ²) is a finite
sum, and on each piece of constant density f_j the quantile function is linear, so
:math:`W_2^2 = \sum_j f_j\int_{x_j}^{x_{j+1}}(\sigma\Phi^{-1}(t_j + f_j(x-x_j)) - x)^2dx`
is a sum of smooth one-piece integrals (adaptive quadrature, scipy.integrate.quad, on each piece,
the Gaussian quantile taken from the nearer tail so no precision is lost near t = 1). SD's output at n = 1 is β(X + U), U uniform: its
KL is integrated by quadrature of the closed-form density and its W2² is
:func:`rdptheory.operating_points.sd_perception_exact_1d` (quantile quadrature).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import integrate, special

from .. import gaussian as gauss
from .._validation import as_real_array, check_integer

__all__ = ["UniformMixture1D", "uniform_mixture_w2_kl", "pd_output_1d", "qsd_output_1d",
           "sd_output_kl_1d", "pd_distortion_1d"]


@dataclass(frozen=True)
class UniformMixture1D:
    """The law Σ_k p_k Unif[a_k − h, a_k + h] on the real line."""

    atoms: np.ndarray
    weights: np.ndarray
    half_width: float


def _pieces(mix):
    """Breakpoints x_0 < ... < x_m and the constant density on each of the m pieces."""
    a, p, h = mix.atoms, mix.weights, mix.half_width
    x = np.unique(np.concatenate([a - h, a + h]))
    mid = 0.5 * (x[:-1] + x[1:])
    dens = np.zeros(mid.size)
    lo = np.searchsorted(mid, a - h)
    hi = np.searchsorted(mid, a + h)
    delta = np.zeros(mid.size + 1)
    np.add.at(delta, lo, p / (2 * h))
    np.add.at(delta, hi, -p / (2 * h))
    dens = np.cumsum(delta)[:-1]
    return x, np.where(dens > 1e-300, dens, 0.0)


def uniform_mixture_w2_kl(mix, sigma2=1.0):
    r"""Exact W2² and KL divergence between a uniform mixture and N(0, σ²).

    Returns
    -------
    w2, kl : float
        :math:`W_2^2` as in the module notes (pieces of positive density f_j), and :math:`D = -h(f) +
        \tfrac12\ln(2\pi\sigma^2) + E X^2/(2\sigma^2)` with :math:`h(f) = -\sum_j f_j\ell_j\ln f_j`.

    Examples
    --------
    Unif[−√3, √3] (variance 1) against N(0, 1): KL = ½ ln(πe/6).

    >>> import numpy as np
    >>> from rdptheory.perception.exact_1d import UniformMixture1D, uniform_mixture_w2_kl
    >>> w2, kl = uniform_mixture_w2_kl(UniformMixture1D(np.array([0.0]), np.array([1.0]), 3 ** .5))
    >>> bool(abs(kl - 0.5 * np.log(np.pi * np.e / 6)) < 1e-14), round(w2, 8)
    (True, 0.04558995)
    """
    s2 = float(as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True))
    sig = math.sqrt(s2)
    x, f = _pieces(mix)
    ell = np.diff(x)
    mass = f * ell
    pos = mass > 0
    total = mass.sum()
    below = np.concatenate([[0.0], np.cumsum(mass)])[:-1] / total     # t at each piece start
    above = np.concatenate([np.cumsum(mass[::-1])[::-1][1:], [0.0]]) / total  # 1 - t at end
    w2 = 0.0
    for j in np.flatnonzero(pos):
        mj = mass[j] / total

        def integrand(u, j=j, mj=mj):
            lt, ut = below[j] + mj * u, above[j] + mj * (1.0 - u)
            z = special.ndtri(lt) if lt < 0.5 else -special.ndtri(ut)
            return (sig * z - x[j] - ell[j] * u) ** 2 if math.isfinite(z) else 0.0

        val, _ = integrate.quad(integrand, 0.0, 1.0, epsabs=1e-15 / mj, epsrel=1e-12, limit=200)
        w2 += mj * float(val)
    a, p, h = mix.atoms, mix.weights, mix.half_width
    ent = -float(np.sum(np.where(pos, mass * np.log(np.where(pos, f, 1.0)), 0.0)))
    ex2 = float(np.sum(p * (a * a + h * h / 3.0)))
    kl = -ent + 0.5 * math.log(2 * math.pi * s2) + ex2 / (2 * s2)
    return float(w2), float(kl)


def _atoms(center_step, cell_step, sd, kmax):
    k = np.arange(-kmax, kmax + 1)
    a = k * center_step
    p = special.ndtr((a + cell_step / 2) / sd) - special.ndtr((a - cell_step / 2) / sd)
    keep = p > 0
    return a[keep], p[keep]


def pd_output_1d(D, sigma2=1.0, s=None):
    """PD-LTC's output law at n = 1 (Thm 4.5 recipe on Z, Δ²/12 = the second moment): atoms
    kΔ with p_k = P(αX ∈ [kΔ − Δ/2, kΔ + Δ/2]), half-width sΔ/2 (s from the recipe unless
    given).

    Examples
    --------
    >>> from rdptheory.perception.exact_1d import pd_output_1d, uniform_mixture_w2_kl
    >>> w2, kl = uniform_mixture_w2_kl(pd_output_1d(0.5))
    >>> 0 < w2 < kl
    True
    """
    p = gauss.pd_ltc_parameters(D, sigma2)
    s = float(p.s) if s is None else float(as_real_array(s, "s", lower=0.0, lower_open=True))
    delta = math.sqrt(12 * float(p.second_moment))
    sd = float(p.alpha) * math.sqrt(sigma2)
    a, w = _atoms(delta, delta, sd, int(math.ceil(14 * sd / delta)) + 2)
    return UniformMixture1D(a, w / w.sum(), s * delta / 2)


def qsd_output_1d(D, ratio, sigma2=1.0, s=None):
    """QSD-LTC's output law at n = 1: β(F + s u_f), F on the fine lattice (Δ/Γ)Z with
    P(F = f) = Γ^{-1} P(αX ∈ f + [−Δ/2, Δ/2]), u_f uniform on the fine cell.

    Examples
    --------
    >>> from rdptheory.perception.exact_1d import qsd_output_1d
    >>> round(float(qsd_output_1d(0.5, 3).weights.sum()), 12)
    1.0
    """
    ratio = check_integer(ratio, "ratio", lower=1)
    p = gauss.qsd_ltc_parameters(D, ratio, sigma2)
    s = float(p.s) if s is None else float(as_real_array(s, "s", lower=0.0, lower_open=True))
    beta = float(p.beta)
    delta = math.sqrt(12 * float(p.second_moment))
    fine = delta / ratio
    sd = float(p.alpha) * math.sqrt(sigma2)
    a, w = _atoms(fine, delta, sd, int(math.ceil(14 * sd / fine)) + 2)
    w = w / ratio
    return UniformMixture1D(beta * a, w / w.sum(), beta * s * fine / 2)


def sd_output_kl_1d(D, P=0.0, sigma2=1.0):
    r"""KL divergence (nats) of SD-LTC's n = 1 output β(X + U) from N(0, σ²), by quadrature of
    the density :math:`f(w) = [\Phi((w/\beta + \Delta/2)/\sigma) - \Phi((w/\beta -
    \Delta/2)/\sigma)]/(\beta\Delta)` (crypto lemma, Zamir & Feder 1992).

    Examples
    --------
    >>> from rdptheory.perception.exact_1d import sd_output_kl_1d
    >>> 0 < sd_output_kl_1d(0.5) < 0.5 * __import__("math").log(2 * 3.14159265 * 2.71828183 / 12)
    True
    """
    prm = gauss.sd_ltc_parameters(D, P, sigma2)
    beta = float(prm.beta)
    delta = math.sqrt(12 * float(prm.eta2))
    sig = math.sqrt(sigma2)

    def logf(w):  # w >= 0; f(w) = Φ((Δ/2 − v)/σ) − Φ((−Δ/2 − v)/σ), both from the lower tail
        v = w / beta
        hi = special.log_ndtr((delta / 2 - v) / sig)
        lo = special.log_ndtr((-delta / 2 - v) / sig)
        return hi + math.log1p(-math.exp(lo - hi)) - math.log(beta * delta)

    def integrand(w):
        lf = logf(w)
        lg = -0.5 * math.log(2 * math.pi * sigma2) - w * w / (2 * sigma2)
        return math.exp(lf) * (lf - lg)

    lim = beta * (12 * sig + delta)
    val, _ = integrate.quad(integrand, 0.0, lim, limit=400, epsabs=1e-14, epsrel=1e-11,
                            points=[beta * delta / 2])
    return 2.0 * float(val)                               # f is even


def pd_distortion_1d(D, sigma2=1.0, s=None):
    r"""Exact per-dimension distortion E(X − Q(αX) − s u)² of PD-LTC at n = 1 (Thm 4.5 recipe
    on Z): :math:`\sum_k \int_{a_k}^{b_k}(x - k\Delta)^2\varphi_\sigma(x)\,dx + s^2\Delta^2/12`,
    :math:`[a_k, b_k] = [(k-\tfrac12)\Delta/\alpha, (k+\tfrac12)\Delta/\alpha]`, with the
    truncated-normal moments :math:`\int_a^b x\varphi_\sigma = \sigma(\varphi(a/\sigma) -
    \varphi(b/\sigma))` and :math:`\int_a^b x^2\varphi_\sigma = \sigma^2[\Phi]_a^b -
    \sigma[x\varphi(x/\sigma)]_a^b` (u is independent of X, so no cross term).

    Examples
    --------
    >>> from rdptheory.perception.exact_1d import pd_distortion_1d
    >>> 0.5 < pd_distortion_1d(0.5) < 0.52       # the recipe targets D = 0.5 as n -> infinity
    True
    """
    p = gauss.pd_ltc_parameters(D, sigma2)
    s = float(p.s) if s is None else float(as_real_array(s, "s", lower=0.0, lower_open=True))
    alpha = float(p.alpha)
    delta = math.sqrt(12 * float(p.second_moment))
    sig = math.sqrt(sigma2)
    K = int(math.ceil(14 * alpha * sig / delta)) + 2
    k = np.arange(-K, K + 1)
    c = k * delta
    a, b = (k - 0.5) * delta / alpha / sig, (k + 0.5) * delta / alpha / sig   # standardized
    pa, pb = np.exp(-0.5 * a * a), np.exp(-0.5 * b * b)
    pa, pb = pa / math.sqrt(2 * math.pi), pb / math.sqrt(2 * math.pi)
    m0 = special.ndtr(b) - special.ndtr(a)
    m1 = sig * (pa - pb)
    m2 = sigma2 * m0 - sigma2 * (b * pb - a * pa)
    return float(np.sum(m2 - 2 * c * m1 + c * c * m0) + s * s * delta * delta / 12)
