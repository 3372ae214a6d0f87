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
    return rdp_optimum_by_optimization(D, P, s2, grid)[0]


def rdp_optimum_by_optimization(D, P, s2, grid=2001):
    """(R(D, P) in nats, the minimizing std t, the covariance c at t) by grid + Brent
    minimization over the reconstruction std; in the zero-rate region t is the least std of the
    flat minimum (c = 0 there)."""
    if D == 0.0:
        return math.inf, math.sqrt(s2), s2
    sigma = math.sqrt(s2)
    lo = max(sigma - math.sqrt(P), sigma - math.sqrt(D), 0.0)
    hi = min(sigma + math.sqrt(P), sigma + math.sqrt(D))
    if lo > hi:  # pragma: no cover - cannot happen for D, P >= 0
        return math.inf
    f = lambda t: mutual_information_nats(t, D, s2)  # noqa: E731
    ts = np.linspace(lo, hi, grid)
    vals = np.array([f(t) for t in ts])
    k = int(np.argmin(vals))     # the first (least t) of equal minima
    best, t_best = float(vals[k]), float(ts[k])
    for t in (lo, hi):
        if f(t) < best:
            best, t_best = f(t), t
    a, b = ts[max(k - 1, 0)], ts[min(k + 1, grid - 1)]
    if b > a and best > 0.0:
        res = optimize.minimize_scalar(f, bounds=(a, b), method="bounded",
                                       options={"xatol": 1e-14 * max(sigma, 1.0),
                                                "maxiter": 500})
        if float(res.fun) < best:
            best, t_best = float(res.fun), float(res.x)
    return best, t_best, max((s2 + t_best * t_best - D) / 2.0, 0.0)


def _sd_best_beta(eta2, P, s2):
    """The gain with least distortion under the perception constraint: the Wiener gain
    s2/(s2 + eta2) clipped to the beta-interval where |sigma - beta sqrt(s2 + eta2)| <= sqrt P."""
    v, sigma, q = s2 + eta2, math.sqrt(s2), math.sqrt(P)
    return min(max(s2 / v, (sigma - q) / math.sqrt(v)), (sigma + q) / math.sqrt(v))


def _sd_margin(eta2, D, P, s2):
    """D minus the least distortion (1 - beta)^2 s2 + beta^2 eta2 meeting the perception
    constraint (>= 0: eta2 is feasible)."""
    beta = _sd_best_beta(eta2, P, s2)
    return D - ((1.0 - beta) ** 2 * s2 + beta * beta * eta2)


def sd_ltc_feasible(D, P, s2, eta2):
    """Whether some gain beta meets both constraints of the SD-LTC scheme at noise eta2."""
    return _sd_margin(eta2, D, P, s2) >= 0.0


def sd_ltc_by_optimization(D, P, s2):
    """The SD-LTC scheme's best free parameters, found without the Thm 4.3 formulas.

    The scheme x_hat = beta (x + u), u ⊥ x with per-dimension variance eta2, has (Gaussian
    model) rate 1/2 log2(1 + s2/eta2), distortion (1 - beta)^2 s2 + beta^2 eta2 and
    per-dimension W2^2 = (sigma - beta sqrt(s2 + eta2))^2. The rate falls as eta2 grows, so
    the best parameters have the largest eta2 for which some beta meets both constraints. For
    a given eta2 the least distortion under the perception constraint is at the Wiener gain
    clipped to the perception interval of beta; eta2 is the root (scipy brentq) of D minus
    that distortion, and beta the clipped gain there. Returns (eta2, beta, rate in bits).
    """
    def margin(eta2):
        return _sd_margin(eta2, D, P, s2)

    lo, hi = 0.0, s2
    while margin(hi) >= 0:       # bracket the largest feasible eta2
        if hi > 1e15 * s2:
            raise ValueError("no largest feasible eta2: (D, P) is in the zero-rate region")
        lo, hi = hi, 2 * hi
    eta2 = optimize.brentq(margin, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps,
                           maxiter=500)
    beta = _sd_best_beta(eta2, P, s2)
    return eta2, beta, 0.5 * math.log2(1.0 + s2 / eta2)
