"""Parameters of the SD-LTC and PD-LTC constructions (Thms 4.3 and 4.5 of Lei et al.)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import real_float_array
from ._scalar import _distortion, _perception, _scalar_or_array, _variance
from . import _kernels as K

__all__ = ["sd_ltc_parameters", "pd_ltc_parameters", "qsd_ltc_parameters", "SdLtcParameters",
           "PdLtcParameters", "QsdLtcParameters"]


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


@dataclass(frozen=True)
class QsdLtcParameters:
    """Quantized-shared-dither LTC parameters at P = 0 for nesting ratio Γ.

    Attributes
    ----------
    alpha : encoder gain, y = alpha x
    beta : decoder gain, x_hat = beta (c + u_hat + s u_f)
    s : private fine-dither scale (>= 1)
    second_moment : coarse-lattice second moment per dimension, sigma^2(Lambda)
    fine_second_moment : sigma^2(Lambda_f) = second_moment / ratio^2
    ratio : the nesting ratio Γ
    common_randomness : R_c = log2 Γ bits per dimension
    rate : R(D, R_c) in bits from the jointly Gaussian auxiliary: the scheme's rate in the
        Gaussian second-order model (quantization error independent of X and Gaussian);
        that lattice QSD-LTC reaches it as n -> inf is conjectured, not proven
    """

    alpha: np.ndarray
    beta: np.ndarray
    s: np.ndarray
    second_moment: np.ndarray
    fine_second_moment: np.ndarray
    ratio: np.ndarray
    common_randomness: np.ndarray
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
        If (D, P) lies in the zero-rate region (``D >= sigma2 + (sigma - sqrt(P))_+^2``). There
        the theorem's case-2 (perception-inactive) formula gives a negative lattice second
        moment for D > sigma2 (D = 1.5, P = 0.5, sigma2 = 1: eta2 = -3), and case 1 reaches the
        zero-rate point only in the limit eta2 -> inf, beta -> 0: every eta2 is feasible, so
        the scheme has no optimal finite parameters (claim
        ``gaussian.sd_ltc.zero_rate_refusal``). The optimum sends nothing and outputs noise
        independent of X.

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
    active = regime == K.ACTIVE
    # scale-free form: with d = D/s2, p = P/s2, t = theta/s2 (all O(1) where active),
    # eta2 = (D - P) ((2 - sqrt p)^2 - d) / (4 t^2); no product of s2 with s2 (overflow at
    # s2 ~ 1e308) or of tiny numbers (underflow)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        d, p, t = D / s2, P / s2, theta / s2
        eta2_active = (D - P) * (((2.0 - np.sqrt(p)) ** 2 - d) / (4.0 * t * t))
        eta2_inactive = D / (1.0 - d)
    eta2 = np.where(active, eta2_active, eta2_inactive)
    beta = np.where(active, t, 1.0 - d)
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
    with np.errstate(over="ignore"):
        d = D / s2  # scale-free form: no 2*s2 (overflows at s2 ~ 1e308)
    bad = (D <= 0.0) | (d >= 2.0)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {idx}" if idx else ""
        raise ValueError(f"D must be in (0, 2*sigma2) for PD-LTC; got {float(D[bad].flat[0])!r}{where}")
    nu = 0.5 * D
    alpha = 1.0 - 0.5 * d
    s = np.sqrt(1.0 / alpha)
    second = nu * alpha
    rate = K.rate_distortion_nats_ufunc(nu, s2) / math.log(2.0)  # 1/2 log2(s2/nu), no overflow
    return PdLtcParameters(alpha=_scalar_or_array(alpha), s=_scalar_or_array(s),
                           second_moment=_scalar_or_array(second), nu=_scalar_or_array(nu),
                           rate=_scalar_or_array(rate))


def _ratio(ratio):
    r = real_float_array(ratio, "ratio")
    bad = ~np.isfinite(r) | (r < 1) | (r != np.floor(r))
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {idx}" if idx else ""
        raise ValueError(f"ratio must be an integer >= 1 (the nesting ratio Γ); got "
                         f"{float(r[bad].flat[0])!r}{where}")
    return r


def qsd_ltc_parameters(D, ratio, sigma2=1.0):
    r"""Gains and lattice scale of QSD-LTC at perfect realism (P = 0) for nesting ratio Γ,
    interpolating exactly between PD-LTC (Γ = 1) and SD-LTC (Γ → ∞).

    Nested lattices Λ = Γ·Λ_f; shared û uniform over the Γⁿ coset representatives, private
    u_f ~ Unif(V0(Λ_f)); encoder c = Q_Λ(αx − û), decoder x̂ = β(c + û + s·u_f).

    Parameters
    ----------
    D : array_like
        Target distortion per dimension, in (0, 2 sigma2).
    ratio : array_like
        Nesting ratio Γ, an integer >= 1 (R_c = log2 Γ bits of common randomness per dimension).
    sigma2 : array_like, optional
        Source variance.

    Returns
    -------
    QsdLtcParameters

    Notes
    -----
    The recipe realises, in the Gaussian model of the theorems (the coarse quantization error
    plus the shared dither acts as noise of variance σ²(Λ) independent of X), the jointly
    Gaussian auxiliary U = c + û of the common-randomness characterisation (Saldi, Linder &
    Yüksel 2015; Wagner 2022) with ρ²(X,U) = 1 − 2^{−2R} and
    ρ²(X̂,U) = 1 − 2^{−2(R+R_c)}. With x = 2^{−2R}, R = R(D, R_c) the rate of
    :func:`rate_limited_common_randomness` and t = x/Γ² = 2^{−2(R+R_c)}:

    .. math::

        \alpha = 1 - x,\quad \sigma^2(\Lambda) = \sigma^2\alpha x,\quad
        \sigma^2(\Lambda_f) = \sigma^2(\Lambda)/\Gamma^2,\quad
        \beta = \sqrt{(1-t)/\alpha},\quad s = 1/\sqrt{1-t}.

    Then Var(x̂) = σ² and E(X − x̂)² = 2σ²(1 − β α) = D(R, R_c) = D in that model, and the rate
    ½log2(1 + α²σ²/σ²(Λ)) = R. At Γ = 1 these are exactly Thm 4.5's α = 1 − D/(2σ²),
    s = σ/√(σ² − D/2), β = 1 (returned from :func:`pd_ltc_parameters`, bit for bit); as Γ → ∞,
    s → 1, β → √α and the scheme is SD-LTC at P = 0 with Thm 4.3's η² = σ²(Λ)/α² and gain
    β·α = θ/σ². This is our construction, not a theorem of Lei et al.: it is proven to reach
    D(R, R_c) only in the Gaussian second-order model above (the sympy claim
    ``gaussian.qsd_ltc.sympy_identities``); that lattice QSD-LTC achieves it as n → ∞ (as
    Thms 4.3 and 4.5 prove for the endpoints) is conjectured (the curve itself is optimal:
    :func:`distortion_limited_common_randomness`), and at finite dimension the model holds only approximately
    (measure it: :func:`rdptheory.operating_points.qsd_operating_point`).

    Examples
    --------
    >>> from rdptheory.gaussian import qsd_ltc_parameters, pd_ltc_parameters
    >>> p1 = qsd_ltc_parameters(0.5, 1)
    >>> (float(p1.alpha), float(p1.beta), float(p1.s)) == (0.75, 1.0, float(pd_ltc_parameters(0.5).s))
    True
    >>> p3 = qsd_ltc_parameters(0.5, 3)                 # R_c = log2 3
    >>> round(float(p3.rate), 6), round(float(p3.s), 6), round(float(p3.beta * p3.alpha), 6)
    (0.64208, 1.023623, 0.75)
    """
    s2 = _variance(sigma2)
    D = _distortion(D)
    r = _ratio(ratio)
    D, r, s2 = np.broadcast_arrays(D, r, s2)
    pd = pd_ltc_parameters(D, s2)  # also validates 0 < D < 2 sigma2
    from ._common_randomness import rate_limited_common_randomness
    Rc = np.log2(r)
    rate = np.asarray(rate_limited_common_randomness(D, Rc, s2), dtype=np.float64)
    x = np.exp2(-2.0 * rate)
    t = x / (r * r)
    one = r == 1
    alpha = np.where(one, pd.alpha, 1.0 - x)
    second = np.where(one, pd.second_moment, s2 * (1.0 - x) * x)
    beta = np.where(one, 1.0, np.sqrt((1.0 - t) / (1.0 - x)))
    s = np.where(one, pd.s, 1.0 / np.sqrt(1.0 - t))
    rate = np.where(one, pd.rate, rate)
    return QsdLtcParameters(alpha=_scalar_or_array(alpha), beta=_scalar_or_array(beta),
                            s=_scalar_or_array(s), second_moment=_scalar_or_array(second),
                            fine_second_moment=_scalar_or_array(second / (r * r)),
                            ratio=_scalar_or_array(r), common_randomness=_scalar_or_array(Rc),
                            rate=_scalar_or_array(rate))
