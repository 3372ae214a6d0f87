"""Parameters of the SD-LTC and PD-LTC constructions (Thms 4.3 and 4.5 of Lei et al.)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._scalar import _distortion, _perception, _scalar_or_array, _variance
from . import _kernels as K

__all__ = ["sd_ltc_parameters", "pd_ltc_parameters", "SdLtcParameters", "PdLtcParameters"]


@dataclass(frozen=True)
class SdLtcParameters:
    """Shared-dither LTC parameters (Thm 4.3).

    Attributes
    ----------
    eta2 : lattice second moment per dimension, sigma^2(Lambda) = eta^2
    beta : linear decoder gain, x_hat = beta (x + u)
    regime : 'perception-active' or 'perception-inactive'
    rate : R(D, P) in bits, the rate the scheme tends to as G(Lambda) -> 1/(2 pi e)
    """

    eta2: np.ndarray
    beta: np.ndarray
    regime: np.ndarray
    rate: np.ndarray


@dataclass(frozen=True)
class PdLtcParameters:
    """Private-dither LTC parameters at P = 0 (Thm 4.5).

    Attributes
    ----------
    alpha : encoder gain, y = alpha x
    s : private dither scale, x_hat = Q(alpha x) + s u
    second_moment : lattice second moment per dimension, sigma^2(Lambda) = (sigma^2 - nu) nu / sigma^2
    nu : D / 2
    rate : R(D/2, inf) in bits, the rate the scheme tends to with good lattices
    """

    alpha: np.ndarray
    s: np.ndarray
    second_moment: np.ndarray
    nu: np.ndarray
    rate: np.ndarray


def sd_ltc_parameters(D, P, sigma2=1.0):
    r"""Lattice second moment and decoder gain of SD-LTC (shared dither) at (D, P).

    Dithered lattice quantization y + u with u ~ Unif(V0(Lambda)), identity encoder and linear
    decoder x_hat = beta (x + u) (Thm 4.3 of Lei, Hassani & Saeedi Bidokhti, arXiv:2503.17558).

    * perception active: :math:`\eta^2 = \sigma^2(\sigma^2\hat\sigma^2/\theta^2 - 1)`,
      :math:`\beta = \theta/\sigma^2`;
    * perception inactive: :math:`\eta^2 = D\sigma^2/(\sigma^2-D)`,
      :math:`\beta = (\sigma^2-D)/\sigma^2` (Wiener gain).

    Then the distortion is exactly D, Var(x_hat) is :math:`\hat\sigma^2` (active) and the rate
    tends to :math:`\tfrac12\log(1+\sigma^2/\eta^2) = R(D,P)` as the lattice NSM tends to
    1/(2 pi e). In the active regime :math:`\sigma^2\hat\sigma^2-\theta^2` is evaluated as
    :math:`(D-P)((2\sigma-\sqrt P)^2-D)/4` (exact identity, no cancellation).

    Raises
    ------
    ValueError
        If (D, P) lies in the zero-rate region (``D >= sigma2 + (sigma - sqrt(P))_+^2``): the
        optimum sends nothing and outputs noise independent of X, which a linear decoder of
        x + u cannot produce.

    Examples
    --------
    >>> from rdptheory.gaussian import sd_ltc_parameters
    >>> p = sd_ltc_parameters(0.5, 0.0)
    >>> round(float(p.eta2), 12), float(p.beta)     # 7/9 and 3/4 (reference section 3)
    (0.777777777778, 0.75)
    """
    D, P, s2 = np.broadcast_arrays(_distortion(D), _perception(P), _variance(sigma2))
    regime = K.rdp_regime(D, P, s2)
    if (regime == K.ZERO_RATE).any():
        idx = tuple(int(i) for i in np.argwhere(regime == K.ZERO_RATE)[0])
        where = f" at index {idx}" if idx else ""
        raise ValueError(
            "D must be below the zero-rate boundary sigma2 + (sigma - sqrt(P))_+^2 for SD-LTC "
            f"(valid range [0, that boundary)); got D={float(D[regime == K.ZERO_RATE].flat[0])!r}"
            f"{where}")
    theta = K.rdp_cov(D, P, s2)
    sigma = np.sqrt(s2)
    q = np.sqrt(P)
    active = regime == K.ACTIVE
    with np.errstate(divide="ignore", invalid="ignore"):
        eta2_active = s2 * (D - P) * ((2.0 * sigma - q) ** 2 - D) / (4.0 * theta * theta)
        eta2_inactive = D * s2 / (s2 - D)
    eta2 = np.where(active, eta2_active, eta2_inactive)
    beta = np.where(active, theta / s2, (s2 - D) / s2)
    names = np.array(K.REGIME_NAMES)[regime]
    return SdLtcParameters(eta2=_scalar_or_array(eta2), beta=_scalar_or_array(beta),
                           regime=_scalar_or_array(names),
                           rate=_scalar_or_array(K.rdp_nats(D, P, s2) / math.log(2.0)))


def pd_ltc_parameters(D, sigma2=1.0):
    r"""Encoder gain, private-dither scale and lattice second moment of PD-LTC at P = 0.

    Thm 4.5 of Lei, Hassani & Saeedi Bidokhti: with :math:`\nu = D/2`,
    :math:`\alpha = 1 - D/(2\sigma^2)`, :math:`s = \sigma/\sqrt{\sigma^2-\nu}` and lattice
    second moment :math:`\sigma^2(\Lambda) = (\sigma^2-\nu)\nu/\sigma^2`, the decoder
    x_hat = Q(alpha x) + s u (u private, uniform on the cell) has output variance sigma^2,
    distortion -> D and rate -> R(D/2, inf) with lattices that are both AWGN- and
    quantization-good (asymptotic; not reached at n = 1).

    ``D`` must lie in (0, 2 sigma2): at D = 0 the lattice would be a point, at D >= 2 sigma2 the
    rate is zero and nothing is quantized.

    Examples
    --------
    >>> from rdptheory.gaussian import pd_ltc_parameters
    >>> p = pd_ltc_parameters(0.5)
    >>> float(p.alpha), round(float(p.s), 6), float(p.second_moment), float(p.rate)
    (0.75, 1.154701, 0.1875, 1.0)
    """
    s2 = _variance(sigma2)
    D = _distortion(D)
    D, s2 = np.broadcast_arrays(D, s2)
    bad = (D <= 0.0) | (D >= 2.0 * s2)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {idx}" if idx else ""
        raise ValueError(f"D must be in (0, 2*sigma2) for PD-LTC; got {float(D[bad].flat[0])!r}{where}")
    nu = 0.5 * D
    alpha = 1.0 - D / (2.0 * s2)
    s = np.sqrt(s2 / (s2 - nu))
    second = (s2 - nu) * nu / s2
    rate = 0.5 * np.log2(s2 / nu)
    return PdLtcParameters(alpha=_scalar_or_array(alpha), s=_scalar_or_array(s),
                           second_moment=_scalar_or_array(second), nu=_scalar_or_array(nu),
                           rate=_scalar_or_array(rate))
