r"""The Blahut–Arimoto algorithm for R(D) of a finite source, with Blahut's two-sided bounds.

Written independently of the dual solver in ``_solver.py`` so that the two can check each other.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from .._validation import as_real_array, check_unit, unit_factor
from ._solver import distortion_matrix

__all__ = ["BlahutArimotoPoint", "blahut_arimoto", "rate_distortion_ba"]


@dataclass(frozen=True)
class BlahutArimotoPoint:
    """One point of the R(D) curve at slope ``s``: the iterate's distortion and rate (an upper
    bound on R at that distortion) and Blahut's lower bound there, in ``unit``."""

    s: float
    D: float
    upper: float
    lower: float
    iterations: int
    unit: str


def blahut_arimoto(source, s, *, distortion="mse", unit="bits", tol=1e-10, max_iter=100000):
    r"""Blahut–Arimoto iteration at slope ``s`` (nats per unit distortion).

    Alternates :math:`\pi(y|x) \propto r(y) e^{-s d(x,y)}` and :math:`r = \sum_x p(x)\pi(y|x)`
    (Blahut 1972; Cover & Thomas, Sec. 10.8) until Blahut's upper and lower bounds at the
    iterate's distortion differ by less than ``tol`` nats. Lower bound (Blahut 1972, Thm 8):
    :math:`R(D) \ge -sD + \sum_x p(x)\log c(x) - \max_y \log \sum_x p(x)c(x)e^{-s d(x,y)}`,
    :math:`c(x) = 1/\sum_y r(y)e^{-s d(x,y)}`.

    Examples
    --------
    >>> from rdptheory.bounds import sources
    >>> from rdptheory.bounds._blahut_arimoto import blahut_arimoto
    >>> pt = blahut_arimoto(sources.bernoulli(0.5), 2.0, distortion="hamming")
    >>> round(pt.D, 6), round(pt.upper, 6)      # D = 1/(1+e^2), R = 1 - H_b(D) bits
    (0.119203, 0.472935)
    """
    check_unit(unit)
    s = as_real_array(s, "s", lower=0.0, lower_open=True).item()
    p = source.probs
    d = distortion_matrix(source.points, distortion)
    # linear-domain iteration (rows rescaled by their minimum distortion for range safety)
    dmin = d.min(axis=1, keepdims=True)
    K = np.exp(-s * (d - dmin))
    r = np.full(len(p), 1.0 / len(p))
    for it in range(1, max_iter + 1):
        Z = K @ r                                   # = e^{s dmin} / c(x)
        post = K * r[None, :] / Z[:, None]          # pi(y|x)
        r_new = p @ post
        if it % 10 == 0 or it == max_iter:
            pi = p[:, None] * post
            D = float(np.sum(pi * d))
            m = pi > 0
            ratio = (post / r_new[None, :])
            upper = float(np.sum(pi[m] * np.log(ratio[m])))
            logc = -np.log(Z) + s * dmin[:, 0]      # log c(x)
            col = logsumexp(np.log(p)[:, None] + logc[:, None] - s * d, axis=0)
            lower = -s * D + float(np.dot(p, logc)) - float(np.max(col))
            if upper - lower < tol:
                r = r_new
                break
        r = r_new
    f = unit_factor(unit)
    return BlahutArimotoPoint(s, D, upper * f, max(lower, 0.0) * f, it, unit)


def rate_distortion_ba(source, D, *, distortion="mse", unit="bits", tol=1e-10, max_iter=20000):
    """R(D) by Blahut–Arimoto, the slope found by bisection in log s so that the iterate's
    distortion lies within 1e-7 (relative) below ``D``. Returns ``(lower, upper)``: the upper
    bound is the iterate's rate (feasible at ``D`` since its distortion is <= D), the lower bound
    Blahut's supporting line evaluated at ``D``. Meant for small supports (BA converges slowly
    when the optimal output law is spread over many points).

    Examples
    --------
    >>> from rdptheory.bounds import sources
    >>> from rdptheory.bounds._blahut_arimoto import rate_distortion_ba
    >>> lo, up = rate_distortion_ba(sources.bernoulli(0.3), 0.1, distortion="hamming")
    >>> round(lo, 6), round(up, 6)      # H_b(0.3) - H_b(0.1)
    (0.412295, 0.412295)
    """
    D = as_real_array(D, "D", lower=0.0, lower_open=True).item()

    def run(s):
        return blahut_arimoto(source, s, distortion=distortion, tol=tol, max_iter=max_iter)

    lo_s, hi_s = 1e-3, 1.0
    while run(hi_s).D > D:
        lo_s, hi_s = hi_s, hi_s * 4.0
        if hi_s > 1e8:
            raise ValueError(f"D = {D!r} is below what the source's support can reach")
    best = run(hi_s)
    f_lo, f_hi = run(lo_s).D - D, best.D - D       # > 0 and <= 0
    side = 0
    for _ in range(80):  # Illinois (regula falsi) in log s on D_s - D
        if D - best.D <= 1e-7 * D or hi_s / lo_s < 1 + 1e-12:
            break
        ll, lh = math.log(lo_s), math.log(hi_s)
        mid = math.exp(lh - f_hi * (lh - ll) / (f_hi - f_lo))
        if not lo_s < mid < hi_s:
            mid = math.sqrt(lo_s * hi_s)
        pt = run(mid)
        fm = pt.D - D
        if fm <= 0:
            hi_s, f_hi, best = mid, fm, pt
            if side == -1:
                f_lo *= 0.5
            side = -1
        else:
            lo_s, f_lo = mid, fm
            if side == 1:
                f_hi *= 0.5
            side = 1
    f = unit_factor(unit)
    # Blahut's lower bound is a supporting line: evaluate it at D instead of best.D
    lower = best.lower / f - best.s * (D - best.D)
    return max(lower, 0.0) * f, best.upper
