"""R(D, P) by direct numerical minimization over jointly Gaussian reconstructions.

Independent of the closed form: for a reconstruction X_hat ~ N(0, t^2) jointly Gaussian with
X ~ N(0, sigma^2) and Cov(X, X_hat) = c (Zhang, Qian, Chen & Khisti 2021; Lei et al., NeurIPS
2025, Prop. 4.1),

    D(t, c) = sigma^2 + t^2 - 2c,   W2^2 = (sigma - t)^2,   I = 1/2 log(sigma^2 t^2 / (sigma^2 t^2 - c^2)).

I grows with |c|, so for a given t the least feasible c is max((sigma^2 + t^2 - D)/2, 0), which
is feasible iff c <= sigma t, i.e. |sigma - t| <= sqrt(D). What is left is a one-dimensional
minimization over t in [sigma - sqrt(P), sigma + sqrt(P)] ∩ [sigma - sqrt(D), sigma + sqrt(D)] ∩ [0, inf):
a dense grid followed by bounded Brent refinement (scipy.optimize.minimize_scalar) around the
best grid point, and the interval's end points.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import optimize


def mutual_information_nats(t, D, s2):
    """I(X; X_hat) minimized over c for fixed std t (inf if infeasible)."""
    sigma = math.sqrt(s2)
    if abs(sigma - t) > math.sqrt(D) * (1 + 1e-15):
        return math.inf
    c = max((s2 + t * t - D) / 2.0, 0.0)
    if c == 0.0:
        return 0.0
    ratio = c / (sigma * t)
    if ratio >= 1.0:
        return math.inf
    return -0.5 * math.log1p(-ratio * ratio)


def rdp_by_optimization(D, P, s2, grid=2001):
    """R(D, P) in nats by grid + Brent minimization over the reconstruction std."""
    if D == 0.0:
        return math.inf
    sigma = math.sqrt(s2)
    lo = max(sigma - math.sqrt(P), sigma - math.sqrt(D), 0.0)
    hi = min(sigma + math.sqrt(P), sigma + math.sqrt(D))
    if lo > hi:  # pragma: no cover - cannot happen for D, P >= 0
        return math.inf
    f = lambda t: mutual_information_nats(t, D, s2)  # noqa: E731
    ts = np.linspace(lo, hi, grid)
    vals = np.array([f(t) for t in ts])
    best = float(min(f(lo), f(hi), vals.min()))
    k = int(np.argmin(vals))
    a, b = ts[max(k - 1, 0)], ts[min(k + 1, grid - 1)]
    if b > a:
        res = optimize.minimize_scalar(f, bounds=(a, b), method="bounded",
                                       options={"xatol": 1e-14 * max(sigma, 1.0),
                                                "maxiter": 500})
        best = min(best, float(res.fun))
    return best
