"""Scalar numba kernels for the Gaussian RDP closed forms (rates in nats).

The public functions in :mod:`rdptheory.gaussian` validate and broadcast; the kernels here
assume valid input (D >= 0, P >= 0, sigma2 > 0, all finite).

Numerical scheme
----------------
With sigma = sqrt(sigma2), q = sqrt(P), sh = sigma - q and theta = (sigma2 + sh^2 - D)/2 the
active-regime rate is R = -1/2 log(1 - rho^2), rho = theta / (sigma sh). Two cancellations are
avoided:

* near the zero-rate boundary (theta -> 0) theta is a difference of nearly equal numbers; it is
  formed in double-double arithmetic (error-free sums and products, Dekker 1971), and
  R = -1/2 log1p(-rho^2);
* near rho -> 1 (high rate) 1 - rho^2 is formed from the exact factorisation
  1 - rho^2 = (D - P) ((2 sigma - q)^2 - D) / (4 sigma^2 sh^2), which follows from
  sigma sh - theta = (D - P)/2 and sigma sh + theta = ((sigma + sh)^2 - D)/2.
"""
import math

import numpy as np
from numba import njit, vectorize

ZERO_RATE, INACTIVE, ACTIVE = 0, 1, 2
REGIME_NAMES = ("zero-rate", "perception-inactive", "perception-active")

_SPLITTER = 134217729.0  # 2**27 + 1 (Veltkamp/Dekker split)


@njit(cache=True, inline="always")
def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


@njit(cache=True, inline="always")
def _split(a):
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


@njit(cache=True, inline="always")
def _two_prod(a, b):
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


@njit(cache=True, inline="always")
def _dd_sqrt(x):
    """sqrt(x) as a double-double (hi, lo)."""
    r = math.sqrt(x)
    if r == 0.0:
        return 0.0, 0.0
    p, e = _two_prod(r, r)
    return r, ((x - p) - e) / (2.0 * r)


@njit(cache=True, inline="always")
def _dd_add(ah, al, bh, bl):
    s, e = _two_sum(ah, bh)
    e += al + bl
    return _two_sum(s, e)


@njit(cache=True, inline="always")
def _dd_mul(ah, al, bh, bl):
    p, e = _two_prod(ah, bh)
    e += ah * bl + al * bh
    return _two_sum(p, e)


@njit(cache=True)
def rate_distortion_nats(D, s2):
    """1/2 log+(s2 / D), accurate for D -> 0 and D -> s2."""
    if D >= s2:
        return 0.0
    if D == 0.0:
        return np.inf
    if D < 0.5 * s2:
        return 0.5 * math.log(s2 / D)
    return -0.5 * math.log1p((D - s2) / s2)


@njit(cache=True)
def rdp_core(D, P, s2):
    """Return (regime, rate in nats, reconstruction std, Cov(X, X_hat))."""
    if P >= s2:
        # perception can be met by any reconstruction with std in [0, 2 sigma]
        if D >= s2:
            return ZERO_RATE, 0.0, 0.0, 0.0
        return INACTIVE, rate_distortion_nats(D, s2), math.sqrt(s2 - D), s2 - D
    sig_h, sig_l = _dd_sqrt(s2)
    q_h, q_l = _dd_sqrt(P)
    sh_h, sh_l = _dd_add(sig_h, sig_l, -q_h, -q_l)  # sigma - sqrt(P) > 0
    sh2_h, sh2_l = _dd_mul(sh_h, sh_l, sh_h, sh_l)
    a_h, a_l = _two_sum(s2, -D)
    th_h, th_l = _dd_add(a_h, a_l, sh2_h, sh2_l)
    theta = 0.5 * (th_h + th_l)
    if theta <= 0.0:
        return ZERO_RATE, 0.0, sh_h, 0.0
    # perception inactive iff D <= s2 - sh^2 (= 2 sigma sqrt(P) - P)
    b_h, b_l = _dd_add(s2, 0.0, -sh2_h, -sh2_l)
    if D <= b_h + b_l:
        if D == 0.0:
            return INACTIVE, np.inf, math.sqrt(s2), s2
        return INACTIVE, rate_distortion_nats(D, s2), math.sqrt(s2 - D), s2 - D
    sig_sh = sig_h * sh_h
    rho = theta / sig_sh
    if rho < 0.5:
        rate = -0.5 * math.log1p(-rho * rho)
    else:
        two = 2.0 * sig_sh
        big = (2.0 * sig_h - q_h) ** 2 - D
        rate = 0.5 * (math.log(two / (D - P)) + math.log(two / big))
    return ACTIVE, rate, sh_h, theta


@vectorize(["float64(float64, float64, float64)"], cache=True)
def rdp_nats(D, P, s2):
    return rdp_core(D, P, s2)[1]


@vectorize(["int64(float64, float64, float64)"], cache=True)
def rdp_regime(D, P, s2):
    return rdp_core(D, P, s2)[0]


@vectorize(["float64(float64, float64, float64)"], cache=True)
def rdp_std(D, P, s2):
    return rdp_core(D, P, s2)[2]


@vectorize(["float64(float64, float64, float64)"], cache=True)
def rdp_cov(D, P, s2):
    return rdp_core(D, P, s2)[3]


@vectorize(["float64(float64, float64)"], cache=True)
def rate_distortion_nats_ufunc(D, s2):
    return rate_distortion_nats(D, s2)


@vectorize(["float64(float64, float64, float64)"], cache=True)
def distortion_rate_perception_kernel(R_nats, P, s2):
    """D(R, P) = s2 e + [(sigma (1 - sqrt(a)) - sqrt(P))_+]^2, e = exp(-2R), a = 1 - e."""
    e = math.exp(-2.0 * R_nats)
    a = -math.expm1(-2.0 * R_nats)
    w = math.sqrt(s2) * e / (1.0 + math.sqrt(a)) - math.sqrt(P)
    if w < 0.0:
        w = 0.0
    return s2 * e + w * w
