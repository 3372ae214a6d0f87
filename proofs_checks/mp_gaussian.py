"""The Gaussian closed forms written plainly in mpmath (50 digits): the high-precision
reference for the float64 code in :mod:`rdptheory.gaussian`.

These are the textbook formulas (Zhang, Qian, Chen & Khisti 2021; Lei et al., NeurIPS 2025, Prop.
4.1) with no numerical tricks; at 50 digits
the cancellations that the float code has to avoid cost nothing. Inputs are converted exactly
(``mpmath.mpf(float)`` is exact), so a comparison measures the float code's own error.
Rates are in nats.
"""
from __future__ import annotations

import mpmath as mp

DPS = 50


def _f(x):
    return mp.mpf(float(x)) if not isinstance(x, mp.mpf) else x


def rate_distortion(D, s2, dps=DPS):
    with mp.workdps(dps):
        D, s2 = _f(D), _f(s2)
        if D >= s2:
            return mp.mpf(0)
        if D == 0:
            return mp.inf
        return mp.log(s2 / D) / 2


def rdp(D, P, s2, dps=DPS):
    """Zhang et al. 2021 / Prop. 4.1 of Lei et al. (NeurIPS 2025).

    The textbook form cancels about log10(s2/|D - P|) digits as rho -> 1; pass a larger ``dps``
    for extreme ratios (:func:`digits_for`)."""
    with mp.workdps(dps):
        D, P, s2 = _f(D), _f(P), _f(s2)
        sigma, q = mp.sqrt(s2), mp.sqrt(P)
        if q >= sigma:
            return rate_distortion(D, s2, dps)
        sh = sigma - q
        theta = (s2 + sh ** 2 - D) / 2
        if theta <= 0:
            return mp.mpf(0)
        if D <= 2 * sigma * q - P:
            return rate_distortion(D, s2, dps)
        return mp.log(s2 * sh ** 2 / (s2 * sh ** 2 - theta ** 2)) / 2


def distortion_rate_perception(R, P, s2, dps=DPS):
    """Freirich, Michaeli & Meir 2021 form, R in nats."""
    with mp.workdps(dps):
        R, P, s2 = _f(R), _f(P), _f(s2)
        a = 1 - mp.exp(-2 * R)
        w = max(mp.sqrt(s2) * (1 - mp.sqrt(a)) - mp.sqrt(P), mp.mpf(0))
        return s2 * mp.exp(-2 * R) + w ** 2


def common_randomness_gap(D, s2):
    with mp.workdps(DPS):
        D, s2 = _f(D), _f(s2)
        if D >= 2 * s2:
            return mp.mpf(0)
        return mp.log(2 - D / (2 * s2)) / 2


def distortion_limited_common_randomness(R, Rc, s2):
    with mp.workdps(DPS):
        R, s2 = _f(R), _f(s2)
        Rc = mp.inf if Rc == float("inf") else _f(Rc)
        a = 1 - mp.exp(-2 * R)
        b = 1 - mp.exp(-2 * (R + Rc))
        return 2 * s2 * (1 - mp.sqrt(a * b))


def rate_limited_common_randomness(D, Rc, s2):
    """Solve (1 - x)(1 - c x) = (1 - d)^2 for x = e^{-2R} (smaller root)."""
    with mp.workdps(DPS):
        D, s2 = _f(D), _f(s2)
        if D == 0:
            return mp.inf
        d = D / (2 * s2)
        if d >= 1:
            return mp.mpf(0)
        c = mp.mpf(0) if Rc == float("inf") else mp.exp(-2 * _f(Rc))
        g2 = (1 - d) ** 2
        if c == 0:
            x = 1 - g2
        else:
            x = ((1 + c) - mp.sqrt((1 + c) ** 2 - 4 * c * (1 - g2))) / (2 * c)
        return -mp.log(x) / 2
