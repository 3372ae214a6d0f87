"""Closed forms for a scalar Gaussian source N(0, sigma2): R(D), R(D, P) and their inverses."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import as_real_array, unit_factor, check_unit
from . import _kernels as K

__all__ = [
    "rate_distortion", "distortion_rate", "rdp", "rdp_reconstruction", "RdpReconstruction",
    "distortion_rate_perception", "rdp_perfect_realism", "rate_no_common_randomness",
    "common_randomness_gap", "distortion_rate_perfect_realism",
    "distortion_rate_no_common_randomness",
]

_LN2 = math.log(2.0)


def _scalar_or_array(x):
    return x[()] if isinstance(x, np.ndarray) and x.ndim == 0 else x


def _distortion(D):
    return as_real_array(D, "D", lower=0.0)


def _perception(P):
    return as_real_array(P, "P", lower=0.0)


def _variance(sigma2):
    return as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True)


def _rate(R, name="R"):
    return as_real_array(R, name, lower=0.0)


def _rate_to_nats(R, unit):
    return R * _LN2 if check_unit(unit) == "bits" else R


def rate_distortion(D, sigma2=1.0, *, unit="bits"):
    r"""Rate-distortion function of a Gaussian source under squared error.

    Parameters
    ----------
    D : array_like
        Mean squared error per sample, ``D >= 0``.
    sigma2 : array_like, optional
        Source variance, ``sigma2 > 0`` (default 1).
    unit : {'bits', 'nats'}, optional
        Unit of the returned rate.

    Returns
    -------
    R : ndarray or scalar
        :math:`R(D) = \tfrac12 \log^+(\sigma^2/D)`; ``inf`` at ``D = 0`` and 0 for
        ``D >= sigma2``. Broadcasts over ``D`` and ``sigma2``.

    Notes
    -----
    Computed as :math:`\tfrac12\log(\sigma^2/D)` for :math:`D < \sigma^2/2` and as
    :math:`-\tfrac12\operatorname{log1p}((D-\sigma^2)/\sigma^2)` above, which keeps full relative
    precision as :math:`D \to \sigma^2`.

    References
    ----------
    T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., Thm 10.3.2.

    Examples
    --------
    >>> from rdptheory.gaussian import rate_distortion
    >>> float(rate_distortion(0.25))
    1.0
    >>> rate_distortion([0.5, 1.0, 2.0], unit="nats").round(6)
    array([0.346574, 0.      , 0.      ])
    """
    D, s2 = _distortion(D), _variance(sigma2)
    return _scalar_or_array(K.rate_distortion_nats_ufunc(D, s2) * unit_factor(unit))


def distortion_rate(R, sigma2=1.0, *, unit="bits"):
    r"""Distortion-rate function of a Gaussian source: :math:`D(R) = \sigma^2 2^{-2R}`.

    ``R`` is in ``unit`` (bits by default) and must be finite and ``>= 0``.

    Examples
    --------
    >>> from rdptheory.gaussian import distortion_rate
    >>> float(distortion_rate(1.0))
    0.25
    """
    R, s2 = _rate(R), _variance(sigma2)
    return _scalar_or_array(K.scaled_exp_ufunc(s2, -2.0 * _rate_to_nats(R, unit)))


def rdp(D, P, sigma2=1.0, *, unit="bits"):
    r"""Rate-distortion-perception function of a Gaussian source, squared-W2 perception.

    .. math:: R(D,P) = \inf\{ I(X;\hat X) : E(X-\hat X)^2 \le D,\;
              W_2^2(P_X, P_{\hat X}) \le P \},\qquad X \sim N(0, \sigma^2).

    Parameters
    ----------
    D : array_like
        Distortion (mean squared error), ``D >= 0``.
    P : array_like
        Perception budget, squared 2-Wasserstein distance, ``P >= 0``.
    sigma2 : array_like, optional
        Source variance, ``> 0``.
    unit : {'bits', 'nats'}, optional

    Returns
    -------
    R : ndarray or scalar
        Broadcast over ``D``, ``P`` and ``sigma2``.

    Notes
    -----
    With :math:`\hat\sigma = \sigma - \sqrt P` and
    :math:`\theta = \max\{(\sigma^2 + \hat\sigma^2 - D)/2, 0\}` (Zhang et al. 2021; Prop. 4.1 of
    Lei et al. 2025):

    * perception inactive, :math:`D \le 2\sigma\sqrt P - P` or :math:`P \ge \sigma^2`:
      :math:`R = \tfrac12\log^+(\sigma^2/D)`, the optimal :math:`\hat X \sim N(0, \sigma^2 - D)`;
    * zero rate, :math:`D \ge \sigma^2 + \hat\sigma^2` (:math:`\hat\sigma` clipped at 0):
      :math:`R = 0`, :math:`\hat X` independent of :math:`X`;
    * perception active otherwise:
      :math:`R = \tfrac12\log\frac{\sigma^2\hat\sigma^2}{\sigma^2\hat\sigma^2-\theta^2}`, the optimal
      :math:`\hat X\sim N(0,\hat\sigma^2)` with :math:`\mathrm{Cov}(X,\hat X) = \theta`.

    At ``D = 0`` the rate is ``inf`` for every ``P``. At ``P = 0`` the active formula reduces to
    :math:`\tfrac12\log\frac{1}{d(2-d)}`, :math:`d = D/(2\sigma^2)`, and the rate is zero from
    ``D = 2 sigma2`` on.

    The float path works in double-double arithmetic for :math:`\theta` (the zero-rate
    boundary) and uses the exact factorisation
    :math:`1-\rho^2 = (D-P)((2\sigma-\sqrt P)^2-D)/(4\sigma^2\hat\sigma^2)` as the correlation
    :math:`\rho=\theta/(\sigma\hat\sigma)\to 1`; against a 50-digit mpmath evaluation its relative
    error stays below 1e-12 up to every boundary (claim ``gaussian.rdp.mpmath``).

    References
    ----------
    G. Zhang, J. Qian, J. Chen and A. Khisti, "Universal rate-distortion-perception
    representations for lossy compression", NeurIPS 2021.
    E. Lei, H. Hassani and S. Saeedi Bidokhti, "Optimal neural compressors for the
    rate-distortion-perception tradeoff", arXiv:2503.17558, Prop. 4.1.

    Examples
    --------
    >>> from rdptheory.gaussian import rdp
    >>> round(float(rdp(0.5, 0.05)), 6)
    0.506349
    >>> rdp(0.5, [0.0, 0.05, 1.0]).round(6)
    array([0.596323, 0.506349, 0.5     ])
    """
    D, P, s2 = _distortion(D), _perception(P), _variance(sigma2)
    return _scalar_or_array(K.rdp_nats(D, P, s2) * unit_factor(unit))


@dataclass(frozen=True)
class RdpReconstruction:
    """The optimal jointly Gaussian reconstruction of :func:`rdp_reconstruction`.

    Attributes
    ----------
    std : ndarray
        Standard deviation of :math:`\\hat X` (mean 0).
    covariance : ndarray
        :math:`\\mathrm{Cov}(X, \\hat X)`.
    regime : ndarray of str
        ``'perception-active'``, ``'perception-inactive'`` or ``'zero-rate'``.
    rate : ndarray
        :math:`R(D,P)` in bits.
    """

    std: np.ndarray
    covariance: np.ndarray
    regime: np.ndarray
    rate: np.ndarray


def rdp_reconstruction(D, P, sigma2=1.0):
    r"""The optimal reconstruction behind :func:`rdp` and which regime is active.

    Returns an :class:`RdpReconstruction` with the standard deviation of :math:`\hat X`, its
    covariance with :math:`X`, the regime label and the rate in bits. In the zero-rate region the
    reconstruction is independent of :math:`X` with the smallest standard deviation meeting the
    perception budget, :math:`\max(\sigma-\sqrt P, 0)`.

    Examples
    --------
    >>> from rdptheory.gaussian import rdp_reconstruction
    >>> r = rdp_reconstruction(0.5, 0.05)
    >>> str(r.regime), round(float(r.std), 6), round(float(r.covariance), 6)
    ('perception-active', 0.776393, 0.551393)
    """
    D, P, s2 = _distortion(D), _perception(P), _variance(sigma2)
    codes = K.rdp_regime(D, P, s2)
    names = np.array(K.REGIME_NAMES)[codes]
    return RdpReconstruction(
        std=_scalar_or_array(K.rdp_std(D, P, s2)),
        covariance=_scalar_or_array(K.rdp_cov(D, P, s2)),
        regime=_scalar_or_array(names),
        rate=_scalar_or_array(K.rdp_nats(D, P, s2) / _LN2),
    )


def distortion_rate_perception(R, P, sigma2=1.0, *, unit="bits"):
    r"""Inverse of :func:`rdp` in ``D``: the least distortion at rate ``R`` and perception ``P``.

    .. math:: D(R,P) = \sigma^2 2^{-2R} + \big[(\sigma(1-\sqrt{a}) - \sqrt P)_+\big]^2,
              \qquad a = 1 - 2^{-2R}

    (Freirich, Michaeli & Meir 2021: the MMSE :math:`D^*(R)` plus the squared excess of the
    Wasserstein distance of the MMSE estimate over :math:`\sqrt P`). Computed with
    ``expm1`` and :math:`1-\sqrt a = 2^{-2R}/(1+\sqrt a)` so that it keeps full precision at high
    rate.

    Examples
    --------
    >>> from rdptheory.gaussian import distortion_rate_perception, rdp
    >>> D = distortion_rate_perception(0.506349, 0.05)
    >>> round(float(D), 5)
    0.5
    """
    R, P, s2 = _rate(R), _perception(P), _variance(sigma2)
    return _scalar_or_array(K.distortion_rate_perception_kernel(_rate_to_nats(R, unit), P, s2))


def rdp_perfect_realism(D, sigma2=1.0, *, unit="bits"):
    r"""R(D, 0): perfect realism with unlimited common randomness.

    .. math:: R(D,0) = \tfrac12 \log\frac{1}{d(2-d)},\qquad d = D/(2\sigma^2),\ 0<D\le2\sigma^2,

    and 0 for :math:`D \ge 2\sigma^2`. Same code path as ``rdp(D, 0)``.

    Examples
    --------
    >>> from rdptheory.gaussian import rdp_perfect_realism
    >>> round(float(rdp_perfect_realism(0.5)), 6)
    0.596323
    """
    return rdp(D, 0.0, sigma2, unit=unit)


def rate_no_common_randomness(D, sigma2=1.0, *, unit="bits"):
    r"""R(D/2, inf) = 1/2 log+(2 sigma^2 / D): perfect realism without common randomness.

    The optimal rate at ``P = 0`` when encoder and decoder share no randomness (Saldi, Linder &
    Yüksel 2015; Wagner 2022; Chen et al. 2022). Achieved by PD-LTC (Thm 4.5 of Lei et al.).

    Examples
    --------
    >>> from rdptheory.gaussian import rate_no_common_randomness
    >>> float(rate_no_common_randomness(0.5))
    1.0
    """
    D, s2 = _distortion(D), _variance(sigma2)
    return _scalar_or_array(K.rate_distortion_nats_ufunc(0.5 * D, s2) * unit_factor(unit))


def common_randomness_gap(D, sigma2=1.0, *, unit="bits"):
    r"""R(D/2, inf) - R(D, 0) = 1/2 log(2 - D/(2 sigma^2)) for D <= 2 sigma^2, else 0.

    The rate cost of having no common randomness at perfect realism; it tends to 1/2 bit
    (a 3 dB distortion penalty) as D -> 0. Computed as ``0.5*log1p(1 - d)``.

    Examples
    --------
    >>> from rdptheory.gaussian import common_randomness_gap
    >>> float(common_randomness_gap(0.0))
    0.5
    """
    D, s2 = _distortion(D), _variance(sigma2)
    with np.errstate(over="ignore"):  # D/s2 = inf means d > 1: the gap is 0
        one_minus_d = np.maximum(1.0 - 0.5 * (D / s2), 0.0)  # no overflow at s2 ~ 1e308
    return _scalar_or_array(0.5 * np.log1p(one_minus_d) * unit_factor(unit))


def distortion_rate_perfect_realism(R, sigma2=1.0, *, unit="bits"):
    r"""D_SD(R) = D(R, 0) = 2 sigma^2 (1 - sqrt(1 - 2^{-2R})): shared randomness, P = 0.

    Computed as :math:`2\sigma^2\,2^{-2R}/(1+\sqrt{1-2^{-2R}})`.

    Examples
    --------
    >>> from rdptheory.gaussian import distortion_rate_perfect_realism
    >>> round(float(distortion_rate_perfect_realism(0.596323)), 5)
    0.5
    """
    return distortion_rate_perception(R, 0.0, sigma2, unit=unit)


def distortion_rate_no_common_randomness(R, sigma2=1.0, *, unit="bits"):
    r"""D_PD(R) = 2 sigma^2 2^{-2R}: no common randomness, P = 0 (inverse of
    :func:`rate_no_common_randomness`). ``D_PD(R) / D_SD(R) = 1 + sqrt(1 - 2^{-2R}) -> 2``.

    Examples
    --------
    >>> from rdptheory.gaussian import distortion_rate_no_common_randomness
    >>> float(distortion_rate_no_common_randomness(1.0))
    0.5
    """
    return 2.0 * distortion_rate(R, sigma2, unit=unit)
