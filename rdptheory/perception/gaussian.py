r"""Closed-form squared 2-Wasserstein distances between Gaussians (1-D and full covariance)."""
from __future__ import annotations

import math

import numpy as np

from .._validation import as_real_array
from ._common import _broadcast, _scalar_or_array


def w2_gaussian(mean1, var1, mean2, var2):
    r"""Squared 2-Wasserstein distance between two 1-D Gaussians.

    Parameters
    ----------
    mean1, var1 : array_like
        Mean (finite) and variance (``>= 0``) of the first Gaussian.
    mean2, var2 : array_like
        Mean and variance of the second Gaussian. All four broadcast together.

    Returns
    -------
    w2 : ndarray or scalar
        :math:`W_2^2(\mathcal N(m_1, s_1^2), \mathcal N(m_2, s_2^2)) = (m_1-m_2)^2 + (s_1-s_2)^2`.

    Notes
    -----
    The optimal coupling is the monotone map :math:`x \mapsto m_2 + (s_2/s_1)(x - m_1)`.
    The scale term is evaluated as :math:`(s_1^2-s_2^2)^2/(s_1+s_2)^2`, which keeps full relative
    precision when the variances are close (no cancellation in :math:`s_1 - s_2`). Applied to
    each coordinate, it gives the per-dimension :math:`\tfrac1n W_2^2` of isotropic Gaussians
    :math:`\mathcal N(m_1\mathbb 1, s_1^2 I_n)` and :math:`\mathcal N(m_2\mathbb 1, s_2^2 I_n)`.

    References
    ----------
    D. C. Dowson and B. V. Landau, "The Fréchet distance between multivariate normal
    distributions", J. Multivariate Anal. 12 (1982); C. R. Givens and R. M. Shortt, "A class of
    Wasserstein metrics for probability distributions", Michigan Math. J. 31 (1984).

    See Also
    --------
    w2_gaussian_cov : the multivariate formula with covariance matrices.

    Examples
    --------
    N(1, 1) vs N(0, 4) and N(1, 1) vs N(0, 2) (reference section 6):

    >>> from rdptheory.perception import w2_gaussian
    >>> float(w2_gaussian(1.0, 1.0, 0.0, 4.0))
    2.0
    >>> round(float(w2_gaussian(1.0, 1.0, 0.0, 2.0)), 6)      # 1 + (1 - sqrt 2)^2
    1.171573
    """
    names = ("mean1", "var1", "mean2", "var2")
    m1 = as_real_array(mean1, "mean1", lower=-math.inf)
    v1 = as_real_array(var1, "var1", lower=0.0)
    m2 = as_real_array(mean2, "mean2", lower=-math.inf)
    v2 = as_real_array(var2, "var2", lower=0.0)
    m1, v1, m2, v2 = _broadcast(names, (m1, v1, m2, v2))
    s = np.sqrt(v1) + np.sqrt(v2)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(s > 0.0, ((v1 - v2) / np.where(s > 0.0, s, 1.0)) ** 2, 0.0)
    return _scalar_or_array((m1 - m2) ** 2 + scale)


def _spd_check(S, name, n, *, sym_rtol=1e-10, psd_rtol=1e-10):
    try:
        S = np.array(S, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a square matrix of real numbers") from None
    if S.ndim != 2 or S.shape != (n, n):
        raise ValueError(f"{name} must be a ({n}, {n}) matrix to match the mean vectors; got "
                         f"shape {S.shape}")
    if not np.isfinite(S).all():
        raise ValueError(f"{name} must have finite entries (no NaN or inf)")
    scale = max(float(np.abs(S).max()), np.finfo(float).tiny)
    asym = float(np.abs(S - S.T).max())
    if asym > sym_rtol * scale:
        raise ValueError(f"{name} must be symmetric; max |S - S^T| = {asym:.3g} "
                         f"(tolerance {sym_rtol:g} * max|S|)")
    S = 0.5 * (S + S.T)
    w, V = np.linalg.eigh(S)
    if w[0] < -psd_rtol * n * max(w[-1], scale):
        raise ValueError(f"{name} must be positive semidefinite; smallest eigenvalue "
                         f"{w[0]:.3g} (largest {w[-1]:.3g})")
    return S, np.clip(w, 0.0, None), V


def w2_gaussian_cov(m1, S1, m2, S2):
    r"""Squared 2-Wasserstein distance between two multivariate Gaussians.

    Parameters
    ----------
    m1, m2 : array_like, shape (n,)
        Mean vectors (finite).
    S1, S2 : array_like, shape (n, n)
        Covariance matrices: symmetric (to ``1e-10`` relative) and positive semidefinite
        (smallest eigenvalue ``>= -1e-10 * n * largest``; tiny negative eigenvalues from rounding
        are set to zero). Singular covariances are allowed.

    Returns
    -------
    w2 : float
        :math:`\lVert m_1-m_2\rVert^2 + \operatorname{tr}\bigl(\Sigma_1+\Sigma_2 -
        2(\Sigma_2^{1/2}\Sigma_1\Sigma_2^{1/2})^{1/2}\bigr)`, the *whole-vector* distance
        (divide by n for the per-dimension perception of the package).

    Notes
    -----
    The matrix square roots are computed from symmetric eigendecompositions
    (``numpy.linalg.eigh``): :math:`\Sigma_2^{1/2} = V\operatorname{diag}(\sqrt{w})V^T`, and
    :math:`\operatorname{tr}(M^{1/2}) = \sum_i \sqrt{\lambda_i(M)}` for the symmetric PSD matrix
    :math:`M = \Sigma_2^{1/2}\Sigma_1\Sigma_2^{1/2}`. This is the same quantity as
    ``scipy.linalg.sqrtm`` would give, but real-valued and stable for singular covariances
    (the general-matrix ``sqrtm`` can return spurious imaginary parts there). The trace term is
    a difference of O(tr Σ) numbers, so the absolute error is about
    :math:`n\,\varepsilon\,(\operatorname{tr}\Sigma_1+\operatorname{tr}\Sigma_2)`; for nearly equal
    covariances the relative error of a very small result can therefore be large.
    For commuting covariances the formula reduces to
    :math:`\lVert\Sigma_1^{1/2}-\Sigma_2^{1/2}\rVert_F^2` (plus the mean term).

    References
    ----------
    D. C. Dowson and B. V. Landau, J. Multivariate Anal. 12 (1982) 450-455;
    I. Olkin and F. Pukelsheim, Linear Algebra Appl. 48 (1982) 257-263;
    C. R. Givens and R. M. Shortt, Michigan Math. J. 31 (1984) 231-240.

    Examples
    --------
    N(1, I) vs N(0, 4 I) in R^3: W2^2 = 3 * 2 = 6 (reference section 6):

    >>> import numpy as np
    >>> from rdptheory.perception import w2_gaussian_cov
    >>> round(w2_gaussian_cov(np.ones(3), np.eye(3), np.zeros(3), 4 * np.eye(3)), 12)
    6.0
    """
    try:
        m1 = np.array(m1, dtype=np.float64)
        m2 = np.array(m2, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("m1 and m2 must be 1-D arrays of real numbers") from None
    if m1.ndim != 1 or m1.size == 0:
        raise ValueError(f"m1 must be a non-empty 1-D mean vector; got shape {m1.shape}")
    if m2.shape != m1.shape:
        raise ValueError(f"m2 must have the shape of m1 {m1.shape}; got shape {m2.shape}")
    for name, m in (("m1", m1), ("m2", m2)):
        if not np.isfinite(m).all():
            raise ValueError(f"{name} must have finite entries (no NaN or inf)")
    n = m1.size
    S1, w1, V1 = _spd_check(S1, "S1", n)
    S2, w2, V2 = _spd_check(S2, "S2", n)
    R2 = (V2 * np.sqrt(w2)) @ V2.T
    M = R2 @ S1 @ R2
    lam = np.linalg.eigvalsh(0.5 * (M + M.T))
    cross = float(np.sqrt(np.clip(lam, 0.0, None)).sum())
    trace = float(w1.sum() + w2.sum())
    return float(np.sum((m1 - m2) ** 2) + max(trace - 2.0 * cross, 0.0))
