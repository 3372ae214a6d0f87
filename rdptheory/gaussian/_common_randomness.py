"""Perfect realism (P = 0) with a limited amount of common randomness."""
from __future__ import annotations

import numpy as np

from .._validation import as_real_array, unit_factor
from . import _kernels as K
from ._scalar import _rate, _rate_to_nats, _scalar_or_array, _variance, _distortion

__all__ = ["distortion_limited_common_randomness", "rate_limited_common_randomness"]


def _common_rate(Rc, unit):
    Rc = as_real_array(Rc, "Rc", lower=0.0, allow_inf=True)
    return _rate_to_nats(Rc, unit)


def distortion_limited_common_randomness(R, Rc, sigma2=1.0, *, unit="bits"):
    r"""Optimal distortion at perfect realism (P = 0) with rate ``R`` and ``Rc`` bits of common
    randomness per sample; a jointly Gaussian auxiliary U achieves it.

    .. math:: D(R, R_c) = 2\sigma^2\Big(1 - \sqrt{(1-2^{-2R})(1-2^{-2(R+R_c)})}\Big)

    Parameters
    ----------
    R : array_like
        Communication rate, finite, ``>= 0``.
    Rc : array_like
        Common-randomness rate, ``>= 0``; ``inf`` is allowed (unlimited).
    sigma2 : array_like, optional
    unit : {'bits', 'nats'}
        Unit of ``R`` and ``Rc``.

    Notes
    -----
    Saldi, Linder & Yüksel (2015) characterise the achievable region (the output must be i.i.d.
    with the source's law): (R, Rc) is achievable at distortion D iff some U with
    X - U - X_hat, P_X_hat = P_X and E(X - X_hat)^2 <= D has R >= I(X;U) and R + Rc >= I(X_hat;U).

    * **Achievable**: U jointly Gaussian with correlations rho(X,U)^2 = 1 - 2^{-2R} and
      rho(X_hat,U)^2 = 1 - 2^{-2(R+Rc)} gives the formula.
    * **Optimal** (converse; the package's own short proof, docs/derivations.md §4): for any such
      U, E[X X_hat] = E[E[X|U] E[X_hat|U]] <= sqrt(E E[X|U]^2 E E[X_hat|U]^2) (Cauchy–Schwarz),
      and E E[X|U]^2 = sigma^2 - E Var(X|U) <= sigma^2 (1 - 2^{-2 I(X;U)}) because the
      conditional variance is at least the conditional entropy power (Gaussian maximum entropy,
      then Jensen); the same for X_hat. Xie, Li, Chen & Zhang (arXiv:2403.14849) report an
      explicit expression for Gaussian source and reconstruction laws; their text was not
      available to us, so the comparison is with this proof, checked numerically by the claims
      ``gaussian.common_randomness.converse_random_chains`` (no discretized chain X - U - X_hat
      with exact Gaussian marginals falls below the curve) and
      ``gaussian.common_randomness.discrete_chains_approach_curve`` (discretized Gaussian
      chains come within 1.2e-3 of it).
    * At Rc = 0 it equals D_PD(R) = 2 sigma^2 2^{-2R}, the inverse of R(D/2, inf); as Rc -> inf
      it equals D_SD(R) = D(R, 0), the inverse of R(D, 0).
    * Perception P > 0 (Qu, Chen, Yu & Xu, arXiv:2504.17236) is not covered: the proof needs a
      Gaussian output law.

    Numerically, with :math:`e_1 = 2^{-2R}`, :math:`e_2 = 2^{-2(R+R_c)}`, :math:`a = 1-e_1`,
    :math:`b = 1-e_2`: :math:`D = 2\sigma^2 (e_1 + e_2 a)/(1+\sqrt{ab})` (no cancellation).

    Examples
    --------
    >>> from rdptheory.gaussian import distortion_limited_common_randomness
    >>> round(float(distortion_limited_common_randomness(1.0, 0.0)), 12)   # = 2 * 2**-2
    0.5
    >>> distortion_limited_common_randomness(1.0, [0.0, 1.0, float("inf")]).round(6)
    array([0.5     , 0.322949, 0.267949])
    """
    R = _rate_to_nats(_rate(R), unit)
    Rc = _common_rate(Rc, unit)
    s2 = _variance(sigma2)
    a = -np.expm1(-2.0 * R)
    b = -np.expm1(-2.0 * (R + Rc))
    # s2 e1 and s2 e2 without the underflow of e1, e2 (large R) or the overflow of 2 s2
    s2e1 = K.scaled_exp_ufunc(s2, -2.0 * R)
    s2e2 = K.scaled_exp_ufunc(s2, -2.0 * (R + Rc))
    return _scalar_or_array((s2e1 + s2e2 * a) * (2.0 / (1.0 + np.sqrt(a * b))))


def rate_limited_common_randomness(D, Rc, sigma2=1.0, *, unit="bits"):
    r"""Inverse in R of :func:`distortion_limited_common_randomness`: the minimum rate at
    distortion ``D``, perfect realism and ``Rc`` bits of common randomness (optimal; see there).

    With :math:`d = D/(2\sigma^2)`, :math:`g = 1-d`, :math:`c = 2^{-2R_c}`, the rate solves
    :math:`c x^2 - (1+c) x + (1-g^2) = 0` for :math:`x = 2^{-2R}`:

    .. math:: x = \frac{2\,d(2-d)}{(1+c) + \sqrt{(1-c)^2 + 4 c g^2}},\qquad R = -\tfrac12\log_2 x,

    evaluated as ``-0.5*log(x)`` for x < 1/2 and as ``-0.5*log1p(x - 1)`` above, with the
    cancellation in ``x - 1`` removed algebraically.
    ``inf`` at ``D = 0``; 0 for ``D >= 2 sigma2``. Same caveats as the forward function.

    Examples
    --------
    >>> from rdptheory.gaussian import rate_limited_common_randomness
    >>> round(float(rate_limited_common_randomness(0.5, 0.0)), 12)
    1.0
    """
    D, s2 = _distortion(D), _variance(sigma2)
    rc = _common_rate(Rc, unit)
    c = np.exp(-2.0 * rc)
    one_minus_c = -np.expm1(-2.0 * rc)  # exact as Rc -> 0
    D, c, one_minus_c, s2 = np.broadcast_arrays(D, c, one_minus_c, s2)
    with np.errstate(over="ignore"):  # D/s2 = inf means d > 1: zero rate below
        d = 0.5 * (D / s2)  # not D/(2 s2): 2 s2 overflows at s2 ~ 1e308
    g = np.clip(1.0 - d, 0.0, None)
    S = np.sqrt(one_minus_c ** 2 + 4.0 * c * g * g)
    denom = (1.0 + c) + S
    # x - 1 = [-2 g^2 - 4 c g^2 / ((1 - c) + S)] / denom, all terms <= 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # d = inf: rate 0 below
        tail = np.where(g > 0, 4.0 * c * g * g / (one_minus_c + S), 0.0)
        x_minus_1 = (-2.0 * g * g - tail) / denom
        x = 2.0 * d * (2.0 - d) / denom
        # log(x) directly when x is small (high rate), log1p(x - 1) when x is near 1
        rate = np.where(x < 0.5, -0.5 * np.log(x), -0.5 * np.log1p(x_minus_1))
    rate = np.where(d >= 1.0, 0.0, rate)
    rate = np.where(D == 0.0, np.inf, rate)
    return _scalar_or_array(rate * unit_factor(unit))
