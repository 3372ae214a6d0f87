"""Exact entropy-coded scalar quantization (ECSQ) of a scalar source: the independent reference
for NTC at n = 1.

For a uniform quantizer k = round(a·x) with linear reconstruction x̂ = s·k (the n = 1 NTC with
bias-free linear transforms) the rate H(k) and distortion E(x − s·k)² are exact sums over the
cells, from the source's CDF and partial first moments; s has the closed form
s* = Σ k·E[x; cell k] / Σ k²·P(k), and a is found by bounded scalar minimization of
H + λ·D. No Monte Carlo and no training: it checks the trained NTC.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from .._validation import as_real_array
from .sources import get_source

__all__ = ["ECSQPoint", "ecsq_linear", "ecsq_linear_optimum", "ecsq_linear_at_rate"]


@dataclass(frozen=True)
class ECSQPoint:
    """An exact ECSQ operating point: analysis gain ``a`` (cells of width 1/a), synthesis
    ``s``, ``rate`` (bits), ``distortion`` (MSE), ``gap`` to R(D) (Gaussian) or the Shannon
    lower bound (Laplace), in bits."""

    a: float
    s: float
    rate: float
    distortion: float
    gap: float


def _cells(src, a):
    kmax = int(math.ceil(12.0 * math.sqrt(src.sigma2) * a)) + 2
    k = np.arange(-kmax, kmax + 1, dtype=np.float64)
    lo, hi = (k - 0.5) / a, (k + 0.5) / a
    sd = math.sqrt(src.sigma2)
    if src.name == "gaussian":
        P = stats.norm.cdf(hi, scale=sd) - stats.norm.cdf(lo, scale=sd)
        m1 = src.sigma2 * (stats.norm.pdf(lo, scale=sd) - stats.norm.pdf(hi, scale=sd))
    else:
        b = sd / math.sqrt(2.0)
        P = stats.laplace.cdf(hi, scale=b) - stats.laplace.cdf(lo, scale=b)

        def F1(x):  # ∫_{-inf}^x t f(t) dt for Laplace(0, b)
            return np.where(x < 0, 0.5 * (x - b) * np.exp(np.minimum(x, 0) / b),
                            -0.5 * (x + b) * np.exp(-np.maximum(x, 0) / b))
        m1 = F1(hi) - F1(lo)
    return k, P, m1


def ecsq_linear(a, source="gaussian", s=None):
    """Exact rate and distortion of k = round(a·x), x̂ = s·k (s = the MSE-optimal scalar when
    None).

    Examples
    --------
    >>> from rdptheory.ltc.ecsq import ecsq_linear
    >>> p = ecsq_linear(1.0)                # unit-width cells on N(0, 1)
    >>> round(p.rate, 4), round(p.distortion, 4)
    (2.1048, 0.0769)
    """
    src = get_source(source)
    a = float(as_real_array(a, "a", lower=0.0, lower_open=True))
    k, P, m1 = _cells(src, a)
    if s is None:
        s = float(np.sum(k * m1) / np.sum(k * k * P))
    Pp = P[P > 0]
    H = float(-np.sum(Pp * np.log2(Pp)))
    D = src.sigma2 - 2.0 * s * float(np.sum(k * m1)) + s * s * float(np.sum(k * k * P))
    return ECSQPoint(a=a, s=float(s), rate=H, distortion=D,
                     gap=H - float(src.reference_rate(D)))


def ecsq_linear_optimum(lam, source="gaussian"):
    r"""The ECSQ point minimizing H + λ·D over the gain a (s MSE-optimal).

    Parameters
    ----------
    lam : float
        λ > 0, the same trade-off as :func:`rdptheory.ltc.train`.
    source : str or Source

    Examples
    --------
    >>> from rdptheory.ltc.ecsq import ecsq_linear_optimum
    >>> p = ecsq_linear_optimum(8.0)
    >>> round(p.rate, 2), round(p.gap, 3)
    (1.99, 0.255)
    """
    lam = float(as_real_array(lam, "lam", lower=0.0, lower_open=True))
    src = get_source(source)

    def f(loga):
        p = ecsq_linear(math.exp(loga), src)
        return p.rate + lam * p.distortion

    # H + λD is not convex in a (the cell count jumps); scan, then refine the best bracket
    grid = np.linspace(math.log(0.05), math.log(20.0), 400)
    vals = np.array([f(g) for g in grid])
    i = int(np.argmin(vals))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    r = optimize.minimize_scalar(f, bounds=(lo, hi), method="bounded",
                                 options={"xatol": 1e-10})
    return ecsq_linear(math.exp(r.x), src)


def ecsq_linear_at_rate(rate, source="gaussian"):
    r"""The uniform ECSQ point (MSE-optimal s) whose exact entropy H(k) equals ``rate`` bits:
    the rate sweep of :func:`ecsq_linear`, solved for the gain a by Brent's method on log a
    (H is continuous and increasing in a for these sources).

    Parameters
    ----------
    rate : float
        Target entropy in bits, 0.05 <= rate <= 8.

    Examples
    --------
    >>> from rdptheory.ltc.ecsq import ecsq_linear_at_rate
    >>> p = ecsq_linear_at_rate(2.0)
    >>> round(p.rate, 10), round(p.gap, 3)
    (2.0, 0.255)
    """
    R = float(as_real_array(rate, "rate", lower=0.05, upper=8.0))
    src = get_source(source)

    def f(loga):
        return ecsq_linear(math.exp(loga), src).rate - R

    lo, hi = math.log(0.1), math.log(200.0)  # H(k) from ~1e-5 to ~9.5 bits
    loga = optimize.brentq(f, lo, hi, xtol=1e-13, rtol=1e-13)
    return ecsq_linear(math.exp(loga), src)
