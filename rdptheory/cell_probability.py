"""Probabilities of lattice cells under a Gaussian density, and the entropy rates built on them.

For a lattice point (or dithered point) c and an isotropic Gaussian density p = N(0, tau2 I),

    P(c + V0) = ∫_{c+V0(Λ)} p(w) dw = V(Λ) · E_{t ~ Unif(V0)} p(c + t),

estimated with M uniform cell samples t and a log-mean-exp over the **joint** density of the
whole vector (never per coordinate): Lei, Hassani & Saeedi Bidokhti, ICLR 2025. Then −log2 P
averaged over the source gives the
entropy-coded rate of a lattice quantizer, H(Q(y)) for a plain quantizer and H(c | u) for a
dithered one.

:func:`log_cell_probability_from_densities` is the same estimator for any density, given the
per-sample log densities log p(c + t) (the learned entropy models of :mod:`rdptheory.ltc`); both
use one numba log-mean-exp kernel, which can also return the normalized weights
p(c + t_k)/Σ_k p(c + t_k) that reverse-mode training needs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from ._validation import as_real_array, check_integer

__all__ = ["log_cell_probability", "log_cell_probability_from_densities", "RateEstimate",
           "rate_from_log_probabilities"]

_LN2 = math.log(2.0)


@njit(cache=True)
def _log_mean_exp_row(vals, M, weights, want_weights):
    """log mean_k exp(vals[k]) over the first M entries, computed stably (subtract the
    maximum), and the relative variance of the terms exp(vals[k]) (for the Jensen-bias
    estimate of the log of a sample mean). If ``want_weights``, ``weights[k]`` receives the
    normalized term exp(vals[k]) / Σ exp(vals) (one exp per term). The one log-mean-exp of the
    package."""
    mx = -np.inf
    for k in range(M):
        if vals[k] > mx:
            mx = vals[k]
    if mx == -np.inf:
        if want_weights:
            for k in range(M):
                weights[k] = 1.0 / M
        return -np.inf, 0.0
    tot = 0.0
    tot2 = 0.0
    for k in range(M):
        e = math.exp(vals[k] - mx)
        tot += e
        tot2 += e * e
        if want_weights:
            weights[k] = e
    if want_weights:
        inv = 1.0 / tot
        for k in range(M):
            weights[k] *= inv
    mean = tot / M
    return mx + math.log(mean), (tot2 / M) / (mean * mean) - 1.0


@njit(cache=True)
def _log_mean_gauss(centers, cell, inv2tau2, weights, want_weights):
    """For each center c: log mean_t exp(-||c + t||^2 / (2 tau2)), and the relative variance of
    the terms (for the Jensen-bias estimate of the log of a sample mean); with
    ``want_weights`` also the normalized terms (N, M). Streams the cell samples (no (N, M)
    array unless weights are wanted)."""
    N, n = centers.shape
    M = cell.shape[0]
    out = np.empty(N)
    rel_var = np.empty(N)
    vals = np.empty(M)
    nowt = np.empty(0)
    for i in range(N):
        for k in range(M):
            s = 0.0
            for j in range(n):
                d = centers[i, j] + cell[k, j]
                s += d * d
            vals[k] = -s * inv2tau2
        out[i], rel_var[i] = _log_mean_exp_row(vals, M, weights[i] if want_weights else nowt,
                                               want_weights)
    return out, rel_var


@njit(cache=True)
def _log_mean_exp_rows(logd, weights, want_weights):
    """Row-wise log-mean-exp of an (N, M) array; if ``want_weights``, also the normalized
    weights exp(logd[i, k] - lme[i]) / M (the gradient of lme[i] with respect to logd[i, k])."""
    N, M = logd.shape
    out = np.empty(N)
    rel_var = np.empty(N)
    nowt = np.empty(0)
    for i in range(N):
        out[i], rel_var[i] = _log_mean_exp_row(logd[i], M, weights[i] if want_weights else nowt,
                                               want_weights)
    return out, rel_var


def log_cell_probability_from_densities(log_densities, volume, *, return_bias=False,
                                        return_weights=False):
    r"""Natural log of P(c + V0) = V(Λ) · mean_t p(c + t) from per-sample log densities.

    The general form of :func:`log_cell_probability` for any density p (a learned entropy
    model, a mixture, a Gaussian with full covariance): row i of ``log_densities`` holds
    log p(c_i + t_k) for M points t_k uniform on V0(Λ) evaluated on the **joint** density of
    the whole vector (Lei, Hassani & Saeedi Bidokhti, ICLR 2025).

    Parameters
    ----------
    log_densities : array_like, shape (N, M)
        log p(c_i + t_k); ``-inf`` entries are allowed (zero density).
    volume : float
        V(Λ), the cell volume, > 0.
    return_bias : bool
        Also return the delta-method estimate Var/(2 M mean²) of the downward (Jensen) bias of
        each log of a sample mean.
    return_weights : bool
        Also return the weights w_ik = p(c_i + t_k) / Σ_k p(c_i + t_k), shape (N, M): the
        gradient of log P_i with respect to log p(c_i + t_k) (for reverse-mode training).

    Returns
    -------
    logp : ndarray (N,)
    bias : ndarray (N,), if ``return_bias``
    weights : ndarray (N, M), if ``return_weights``

    Notes
    -----
    log P_i = log V + log (1/M) Σ_k exp(ℓ_ik), computed stably by subtracting the row maximum
    (one numba kernel shared with :func:`log_cell_probability`). Source: the Monte Carlo cell
    probability of Lei, Hassani & Saeedi Bidokhti (ICLR 2025, arXiv 2403.07320).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import norm
    >>> from rdptheory.cell_probability import log_cell_probability_from_densities
    >>> t = np.linspace(-0.5, 0.5, 4097)[:, None]           # cell samples of Z (midpoint-like)
    >>> lp = log_cell_probability_from_densities(norm.logpdf(1.0 + t.T), 1.0)
    >>> bool(abs(lp[0] - np.log(norm.cdf(1.5) - norm.cdf(0.5))) < 1e-6)
    True
    """
    ld = np.asarray(log_densities, dtype=np.float64)
    if ld.ndim != 2 or ld.shape[1] < 1:
        raise ValueError(f"log_densities must be a 2-D array (N centers, M >= 1 cell samples); "
                         f"got shape {ld.shape}")
    if np.isnan(ld).any() or (ld == np.inf).any():
        bad = tuple(int(i) for i in np.argwhere(np.isnan(ld) | (ld == np.inf))[0])
        raise ValueError(f"log_densities must be finite or -inf; got {ld[bad]} at index {bad}")
    volume = float(as_real_array(volume, "volume", lower=0.0, lower_open=True))
    ld = np.ascontiguousarray(ld)
    weights = np.empty(ld.shape if return_weights else (1, 0))
    lm, rv = _log_mean_exp_rows(ld, weights, return_weights)
    out = [math.log(volume) + lm]
    if return_bias:
        out.append(rv / (2.0 * ld.shape[1]))
    if return_weights:
        out.append(weights)
    return out[0] if len(out) == 1 else tuple(out)


def log_cell_probability(centers, cell_samples, volume, tau2, *, return_bias=False,
                         return_weights=False):
    r"""Natural log of P(c + V0) for N(0, tau2 I), for each row c of ``centers``.

    Parameters
    ----------
    centers : array_like, shape (N, n)
        Where the cells are (c + V0(Λ)).
    cell_samples : array_like, shape (M, n)
        Points uniform on V0(Λ) (e.g. :func:`rdptheory.dither.sample_voronoi`), shared by every
        center.
    volume : float
        V(Λ), the cell volume.
    tau2 : float
        Per-coordinate variance of the Gaussian, > 0.
    return_bias : bool
        Also return the estimated Jensen bias of each log (the log of a sample mean is biased
        low by about Var/(2 M mean^2), the delta method); ``log P + bias`` is the first-order
        correction.
    return_weights : bool
        Also return the (N, M) normalized terms w_ik = p(c_i + t_k) / Σ_k p(c_i + t_k), the
        gradient of log P_i with respect to log p(c_i + t_k). A full-covariance Gaussian
        N(0, (WᵀW)⁻¹) is this isotropic case in whitened coordinates: centers c Wᵀ, cell samples
        t Wᵀ, volume V·det W, tau2 = 1 (used by :class:`rdptheory.ltc.GaussianDensity`).

    Returns
    -------
    ndarray (N,) [, ndarray (N,)] [, ndarray (N, M)]

    Notes
    -----
    log P = log V − n/2 log(2π tau2) + log mean_t exp(−‖c + t‖²/(2 tau2)), the mean computed
    stably (subtract the maximum) in a numba kernel.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.cell_probability import log_cell_probability
    >>> from rdptheory.dither import sample_voronoi
    >>> from scipy.stats import norm
    >>> t = sample_voronoi("Z1", 4096, rng=0)
    >>> lp = log_cell_probability([[0.0]], t, 1.0, 1.0)
    >>> exact = np.log(norm.cdf(0.5) - norm.cdf(-0.5))
    >>> bool(abs(lp[0] - exact) < 1e-3)
    True
    """
    c = np.ascontiguousarray(np.asarray(centers, dtype=np.float64))
    t = np.ascontiguousarray(np.asarray(cell_samples, dtype=np.float64))
    if c.ndim != 2 or t.ndim != 2 or c.shape[1] != t.shape[1]:
        raise ValueError(f"centers (N, n) and cell_samples (M, n) must be 2-D with the same n; "
                         f"got {c.shape} and {t.shape}")
    if t.shape[0] < 1:
        raise ValueError("cell_samples must hold at least one point")
    tau2 = float(as_real_array(tau2, "tau2", lower=0.0, lower_open=True))
    volume = float(as_real_array(volume, "volume", lower=0.0, lower_open=True))
    n = c.shape[1]
    weights = np.empty((c.shape[0], t.shape[0]) if return_weights else (1, 0))
    lm, rv = _log_mean_gauss(c, t, 1.0 / (2.0 * tau2), weights, return_weights)
    logp = math.log(volume) - 0.5 * n * math.log(2 * math.pi * tau2) + lm
    out = [logp]
    if return_bias:
        out.append(rv / (2.0 * t.shape[0]))
    if return_weights:
        out.append(weights)
    return out[0] if len(out) == 1 else tuple(out)


@dataclass(frozen=True)
class RateEstimate:
    """An entropy rate in bits per dimension with its Monte Carlo standard error.

    ``jensen_bias`` is the estimated downward bias of the log-mean-exp (already added to
    ``bits`` when ``corrected`` is True); it is small against ``stderr`` when the number of
    cell samples is adequate.
    """

    bits: float
    stderr: float
    jensen_bias: float
    n_samples: int
    cell_samples: int
    corrected: bool


def rate_from_log_probabilities(logp, n, *, bias=None, cell_samples=0):
    """Mean of −log2 P / n with its standard error (i.i.d. source samples)."""
    logp = np.asarray(logp, dtype=np.float64)
    n = check_integer(n, "n", lower=1)
    vals = -logp / (n * _LN2)
    jb = 0.0 if bias is None else float(np.mean(bias)) / (n * _LN2)
    est = float(vals.mean()) - jb  # log P biased low -> -log P biased high: subtract
    se = float(vals.std(ddof=1) / math.sqrt(vals.size)) if vals.size > 1 else float("nan")
    return RateEstimate(bits=est, stderr=se, jensen_bias=jb, n_samples=int(vals.size),
                        cell_samples=int(cell_samples), corrected=bias is not None)
