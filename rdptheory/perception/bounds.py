r"""Finite-dimension perception bounds of SD-LTC (Thm 4.3 of Lei, Hassani & Saeedi Bidokhti)."""
from __future__ import annotations

import math

import numpy as np

from .._validation import as_real_array
from ._common import G_SPHERE_LIMIT, _broadcast, _scalar_or_array


def sd_ltc_perception_bounds(D, P, G, sigma2=1.0):
    r"""Bounds on the per-dimension perception :math:`\tfrac1n W_2^2(P_X, P_{\hat X})` of SD-LTC
    at finite dimension with a lattice of normalized second moment G.

    Parameters
    ----------
    D, P : array_like
        Target distortion (``>= 0``) and perception (``>= 0``, per-dimension W2^2). (D, P) must
        lie outside the zero-rate region ``D >= sigma2 + (sigma - sqrt(P))_+^2``, where SD-LTC
        (a linear decoder of x + u) is not defined.
    G : array_like
        Normalized second moment of the lattice, ``G >= 1/(2 pi e)`` (about 0.05855, the sphere
        bound, which no lattice beats; 1/12 for Z^n, ``G`` within 1e-12 relative of
        1/(2 pi e) is accepted as the limit). ``G > 1/12`` is allowed (poor lattices).
    sigma2 : array_like, optional
        Source variance (default 1).

    Returns
    -------
    lower, upper : ndarray or scalar
        With :math:`\hat\sigma = \sigma - \sqrt P` and :math:`L = \ln(2\pi e G) \ge 0`:

        * perception active (:math:`\sqrt P < \sigma - \sqrt{|\sigma^2-D|}`):
          :math:`P \le \tfrac1n W_2^2 \le (\sqrt P + \hat\sigma\sqrt L)^2`
          (Thm 4.3 of Lei et al.; reference section 3);
        * perception inactive (Wiener decoder, :math:`\operatorname{Var}\hat X = \sigma^2 - D`,
          :math:`s = \sqrt{\sigma^2-D}`): :math:`(\sigma - s)^2 \le \tfrac1n W_2^2 \le
          (\sigma - s + s\sqrt L)^2`; the upper value is at most the active-regime formula
          :math:`(\sqrt P + (\sigma-\sqrt P)\sqrt L)^2` whenever L < 1 (G < 1/(2 pi)), and the lower
          value is at most P.

    Notes
    -----
    SD-LTC outputs :math:`\hat X = \beta(X + U)`, U uniform on the Voronoi cell, with
    :math:`\operatorname{Var}\hat X_i = \hat\sigma^2` (active regime). Lower bound: the
    Gelbrich/Gaussian bound :math:`W_2^2 \ge \sum_i (\sigma - \sqrt{\operatorname{Var}\hat X_i})^2`.
    Upper bound: the triangle inequality through :math:`\mathcal N(0,\hat\sigma^2 I)` (distance
    :math:`\sqrt{nP}` from the source), Talagrand's inequality
    :math:`W_2^2(\nu,\gamma) \le 2\hat\sigma^2 D(\nu\|\gamma)` and the entropy power inequality,
    which gives :math:`D(\hat X\|\gamma)/n \le \tfrac12\ln(2\pi e G)`. This assumes a *white*
    lattice (second-moment matrix of the cell proportional to I), true for Z^n, A_n, D_n, E_8,
    the Leech lattice and every lattice whose symmetry group acts irreducibly (Zamir & Feder
    1996). Both bounds are per dimension and hold at every n; the gap closes as G -> 1/(2 pi e).

    References
    ----------
    E. Lei, H. Hassani and S. Saeedi Bidokhti, "Optimal neural compressors for the
    rate-distortion-perception tradeoff", arXiv:2503.17558, Thm 4.3;
    R. Zamir and M. Feder, "On lattice quantization noise", IEEE T-IT 42(4), 1996.

    Examples
    --------
    Scalar uniform quantizer (G = 1/12) at D = 0.5, P = 0.05:

    >>> from rdptheory.perception import sd_ltc_perception_bounds
    >>> lo, up = sd_ltc_perception_bounds(0.5, 0.05, 1 / 12)
    >>> float(lo), round(float(up), 6)
    (0.05, 0.46905)
    """
    D = as_real_array(D, "D", lower=0.0)
    P = as_real_array(P, "P", lower=0.0)
    G = as_real_array(G, "G", lower=0.0, lower_open=True)
    s2 = as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True)
    bad = G < G_SPHERE_LIMIT * (1.0 - 1e-12)
    if bad.any():
        where = "" if G.ndim == 0 else f" at index {tuple(int(i) for i in np.argwhere(bad)[0])}"
        raise ValueError(f"G must be >= 1/(2*pi*e) = {G_SPHERE_LIMIT:.10g} (the sphere bound: no "
                         f"lattice has a smaller normalized second moment; 1/12 for Z^n); got "
                         f"{float(G[bad].flat[0])!r}{where}")
    D, P, G, s2 = _broadcast(("D", "P", "G", "sigma2"), (D, P, G, s2))
    sigma = np.sqrt(s2)
    q = np.sqrt(P)
    sig_hat = np.maximum(sigma - q, 0.0)
    zero_rate = D >= s2 + sig_hat ** 2
    if zero_rate.any():
        where = "" if D.ndim == 0 else f" at index {tuple(int(i) for i in np.argwhere(zero_rate)[0])}"
        raise ValueError(
            "D must be below the zero-rate boundary sigma2 + (sigma - sqrt(P))_+^2 for SD-LTC "
            f"(valid range [0, that boundary)); got D={float(D[zero_rate].flat[0])!r}{where}")
    active = q < sigma - np.sqrt(np.abs(s2 - D))
    sqrtL = np.sqrt(np.maximum(np.log(2.0 * math.pi * math.e * G), 0.0))
    s_in = np.sqrt(np.maximum(s2 - D, 0.0))
    lower = np.where(active, P, (sigma - s_in) ** 2)
    upper = np.where(active, (q + sig_hat * sqrtL) ** 2, (sigma - s_in + s_in * sqrtL) ** 2)
    return _scalar_or_array(lower), _scalar_or_array(upper)
