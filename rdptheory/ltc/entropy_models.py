"""Entropy models: a learned latent density integrated over lattice cells.

The rate of a quantized latent ŷ is −log₂ P(ŷ) with

    P(ŷ) = ∫_{ŷ+V0(Λ)} p(w) dw = V(Λ) · E_{u~Unif(V0)} p(ŷ + u),

estimated with M >= 2048 uniform cell samples and a log-mean-exp over the **joint** density of
the whole vector (Lei, Hassani & Saeedi Bidokhti, ICLR 2025, arXiv 2403.07320).
Because the cells of Λ tile space, these probabilities form a normalized pmf over the lattice
points, so the rate is a true cross-entropy. The log-mean-exp is the package's single kernel
:func:`rdptheory.cell_probability.log_cell_probability_from_densities`.

Two densities: :class:`GaussianDensity` (full covariance through the Cholesky factor of the
precision, exact for linear transforms of Gaussian sources) and :class:`FactorizedMixture`
(per-coordinate mixtures of Laplace, logistic or Gaussian components, for non-Gaussian
sources). Every model has ``params``, ``log_density(w) -> (logp, cache)``,
``density_backward``, ``cell_log_probability(yhat, cell_samples, volume, grad=...)`` and
``cell_backward``.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._validation import as_real_array, check_integer
from ..cell_probability import log_cell_probability, log_cell_probability_from_densities

__all__ = ["GaussianDensity", "FactorizedMixture", "CellLogProbability"]

_LOG2PI = math.log(2.0 * math.pi)


class CellLogProbability:
    """Result of ``cell_log_probability``: ``logp`` (natural log of P(ŷ) per row), ``bias``
    (delta-method estimate of the Jensen bias of each log-mean) and, when gradients were
    requested, an opaque ``cache`` for ``cell_backward``."""

    __slots__ = ("logp", "bias", "cache")

    def __init__(self, logp, bias, cache):
        self.logp, self.bias, self.cache = logp, bias, cache


def _check_yhat(yhat, cells, n):
    y = np.asarray(yhat, dtype=np.float64)
    t = np.asarray(cells, dtype=np.float64)
    if y.ndim != 2 or y.shape[1] != n:
        raise ValueError(f"yhat must have shape (B, {n}); got {y.shape}")
    if t.ndim != 2 or t.shape[1] != n or t.shape[0] < 1:
        raise ValueError(f"cell_samples must have shape (M >= 1, {n}); got {t.shape}")
    if not np.isfinite(y).all():
        raise ValueError("yhat must be finite")
    return y, t


class _Base:
    n: int
    params: dict

    def cell_log_probability(self, yhat, cell_samples, volume, *, grad=False, chunk=None):
        """log P(ŷ_i) = log V + log mean_k p(ŷ_i + u_k) for each row of ``yhat``.

        Generic path: evaluates :meth:`log_density` on the (B·M, n) points in row chunks.
        """
        y, t = _check_yhat(yhat, cell_samples, self.n)
        M = t.shape[0]
        step = chunk or max(1, (1 << 20) // (M * self._cost_per_point()))
        logp, bias, weights = [], [], []
        for s in range(0, y.shape[0], step):
            w = (y[s:s + step, None, :] + t[None, :, :]).reshape(-1, self.n)
            ld, _ = self.log_density(w, keep_cache=False)
            out = log_cell_probability_from_densities(ld.reshape(-1, M), volume,
                                                      return_bias=True, return_weights=grad)
            logp.append(out[0])
            bias.append(out[1])
            if grad:
                weights.append(out[2])
        cache = (y, t, step, weights) if grad else None
        return CellLogProbability(np.concatenate(logp), np.concatenate(bias), cache)

    def cell_backward(self, cache, grad_logp):
        """(∂L/∂ŷ, ∂L/∂params) from ∂L/∂log P(ŷ_i) (shape (B,))."""
        y, t, step, weights = cache
        M = t.shape[0]
        gy = np.empty_like(y)
        grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        for c, s in enumerate(range(0, y.shape[0], step)):
            w = (y[s:s + step, None, :] + t[None, :, :]).reshape(-1, self.n)
            _, dcache = self.log_density(w)
            g = (weights[c] * grad_logp[s:s + step, None]).reshape(-1)
            gw, gp = self.density_backward(dcache, g)
            gy[s:s + step] = gw.reshape(-1, M, self.n).sum(axis=1)
            for k in grads:
                grads[k] += gp[k]
        return gy, grads

    def _cost_per_point(self):
        return self.n


@njit(cache=True)
def _whitened_backward(a, b, wts, G):
    """Gradients of L = Σ_i G_i log mean_k exp(−½‖a_i + b_k‖²) given the normalized weights:
    ∂L/∂a_i = −G_i Σ_k w_ik (a_i + b_k), ∂L/∂b_k = −Σ_i G_i w_ik (a_i + b_k)."""
    B, n = a.shape
    M = b.shape[0]
    ga = np.zeros((B, n))
    gb = np.zeros((M, n))
    for i in range(B):
        for k in range(M):
            g = G[i] * wts[i, k]
            for j in range(n):
                v = g * (a[i, j] + b[k, j])
                ga[i, j] -= v
                gb[k, j] -= v
    return ga, gb


class GaussianDensity(_Base):
    r"""N(μ, Σ) with a learned full covariance, Σ⁻¹ = WᵀW, W lower triangular.

    Parameters
    ----------
    n : int
        Dimension.
    scale : float
        Initial standard deviation (Σ = scale² I).
    learn_mean : bool
        Learn μ (default False: zero-mean latents of zero-mean sources).

    Notes
    -----
    Parameters: ``lower`` (n×n, only the strictly lower triangle is used), ``log_diag`` (n) and
    optionally ``mean``; W = tril(lower, −1) + diag(exp(log_diag)), so W is a valid Cholesky
    factor of the precision for any parameter values. log p(w) = −½‖W(w − μ)‖² + Σ log W_jj −
    (n/2) log 2π.

    The cell probability uses the whitened form: with a_i = W(ŷ_i − μ) and b_k = W u_k,
    log p(ŷ_i + u_k) = −½‖a_i + b_k‖² + const, the isotropic case of
    :func:`rdptheory.cell_probability.log_cell_probability` (its numba kernel) with cell
    volume V·det W; the value and its gradient cost O(B·M·n), never O(B·M·n²).

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.ltc.entropy_models import GaussianDensity
    >>> from rdptheory.dither import sample_voronoi
    >>> from scipy.stats import norm
    >>> p = GaussianDensity(1)
    >>> t = sample_voronoi("Z1", 4096, rng=0)
    >>> lp = p.cell_log_probability([[1.0]], t, 1.0).logp
    >>> bool(abs(lp[0] - np.log(norm.cdf(1.5) - norm.cdf(0.5))) < 0.015)   # MC SE ~ 0.005
    True
    """

    def __init__(self, n, *, scale=1.0, learn_mean=False):
        self.n = check_integer(n, "n", lower=1)
        scale = float(as_real_array(scale, "scale", lower=0.0, lower_open=True))
        self.params = {"lower": np.zeros((self.n, self.n)),
                       "log_diag": np.full(self.n, -math.log(scale))}
        if learn_mean:
            self.params["mean"] = np.zeros(self.n)

    @property
    def precision_factor(self):
        """W (lower triangular, positive diagonal) with Σ⁻¹ = WᵀW."""
        return np.tril(self.params["lower"], -1) + np.diag(np.exp(self.params["log_diag"]))

    @property
    def covariance(self):
        Winv = np.linalg.inv(self.precision_factor)
        return Winv @ Winv.T

    def _mean(self):
        return self.params.get("mean", 0.0)

    def _const(self):
        return float(self.params["log_diag"].sum()) - 0.5 * self.n * _LOG2PI

    def log_density(self, w, keep_cache=True):
        """log p(w) for rows w (shape (m, n)); the cache feeds :meth:`density_backward`."""
        W = self.precision_factor
        d = np.asarray(w, dtype=np.float64) - self._mean()
        z = d @ W.T
        return -0.5 * np.einsum("ij,ij->i", z, z) + self._const(), ((d, z, W) if keep_cache else None)

    def density_backward(self, cache, grad_logp):
        d, z, W = cache
        gz = -z * grad_logp[:, None]
        gW = gz.T @ d
        gd = gz @ W
        return gd, self._param_grads(gW, float(grad_logp.sum()), -gd.sum(axis=0))

    def _param_grads(self, gW, gsum, gmean):
        ld = self.params["log_diag"]
        gW = gW + np.diag(gsum * np.exp(-ld))  # ∂(Σ log W_jj)/∂W_jj = 1/W_jj
        grads = {"lower": np.tril(gW, -1), "log_diag": np.diag(gW) * np.exp(ld)}
        if "mean" in self.params:
            grads["mean"] = gmean
        return grads

    def cell_log_probability(self, yhat, cell_samples, volume, *, grad=False, chunk=None):
        """log P(ŷ_i) for each row of ``yhat`` (whitened fast path, see Notes)."""
        y, t = _check_yhat(yhat, cell_samples, self.n)
        W = self.precision_factor
        d = y - self._mean()
        a = np.ascontiguousarray(d @ W.T)
        b = np.ascontiguousarray(t @ W.T)
        # N(μ, (WᵀW)⁻¹) over ŷ + V0 is N(0, I) over the whitened cell a + W V0 of volume V·det W
        vol_w = float(volume) * math.exp(float(self.params["log_diag"].sum()))
        out = log_cell_probability(a, b, vol_w, 1.0, return_bias=True, return_weights=grad)
        cache = (d, t, a, b, W, out[2]) if grad else None
        return CellLogProbability(out[0], out[1], cache)

    def cell_backward(self, cache, grad_logp):
        d, t, a, b, W, wts = cache
        G = np.ascontiguousarray(grad_logp, dtype=np.float64)
        ga, gb = _whitened_backward(a, b, wts, G)   # ∂L/∂a_i, ∂L/∂b_k
        gW = ga.T @ d + gb.T @ t
        gy = ga @ W
        return gy, self._param_grads(gW, float(G.sum()), -gy.sum(axis=0))

    def __repr__(self):
        return f"GaussianDensity({self.n})"


_KINDS = ("laplace", "logistic", "gaussian")
_LOG2 = math.log(2.0)


@njit(cache=True, inline="always")
def _phi(kind, z):
    """log f(z) and φ'(z) for kind 0 (Laplace), 1 (logistic), 2 (Gaussian)."""
    if kind == 0:
        return -abs(z) - _LOG2, (-1.0 if z > 0 else (1.0 if z < 0 else 0.0))
    if kind == 1:
        a = abs(z)
        return -a - 2.0 * math.log1p(math.exp(-a)), -math.tanh(0.5 * z)
    return -0.5 * z * z - 0.5 * _LOG2PI, -z


@njit(cache=True)
def _mixture_cell_logd(y, t, loc, inv_s, logw, kind):
    """(B, M) log densities Σ_j log Σ_c exp(logw_jc + log f((y_ij + t_kj − loc_jc) inv_s_jc))."""
    B, n = y.shape
    M = t.shape[0]
    K = loc.shape[1]
    out = np.empty((B, M))
    lc = np.empty(K)
    for i in range(B):
        for k in range(M):
            tot = 0.0
            for j in range(n):
                w = y[i, j] + t[k, j]
                if K == 1:
                    tot += logw[j, 0] + _phi(kind, (w - loc[j, 0]) * inv_s[j, 0])[0]
                else:
                    mx = -np.inf
                    for c in range(K):
                        lc[c] = logw[j, c] + _phi(kind, (w - loc[j, c]) * inv_s[j, c])[0]
                        if lc[c] > mx:
                            mx = lc[c]
                    e = 0.0
                    for c in range(K):
                        e += math.exp(lc[c] - mx)
                    tot += mx + math.log(e)
            out[i, k] = tot
    return out


@njit(cache=True)
def _mixture_cell_backward(y, t, loc, inv_s, logw, kind, g):
    """Gradients of Σ_ik g_ik log p(y_i + t_k): w.r.t. y, loc, log-scale, and Σ g·r (for the
    logits)."""
    B, n = y.shape
    M = t.shape[0]
    K = loc.shape[1]
    gy = np.zeros((B, n))
    gloc = np.zeros((n, K))
    glogs = np.zeros((n, K))
    gr = np.zeros((n, K))
    lc = np.empty(K)
    z = np.empty(K)
    dp = np.empty(K)
    for i in range(B):
        for k in range(M):
            gik = g[i, k]
            if gik == 0.0:
                continue
            for j in range(n):
                w = y[i, j] + t[k, j]
                mx = -np.inf
                for c in range(K):
                    z[c] = (w - loc[j, c]) * inv_s[j, c]
                    lf, d = _phi(kind, z[c])
                    dp[c] = d
                    lc[c] = logw[j, c] + lf
                    if lc[c] > mx:
                        mx = lc[c]
                e = 0.0
                for c in range(K):
                    lc[c] = math.exp(lc[c] - mx)
                    e += lc[c]
                for c in range(K):
                    r = gik * lc[c] / e
                    v = r * dp[c] * inv_s[j, c]
                    gy[i, j] += v
                    gloc[j, c] -= v
                    glogs[j, c] -= r * (z[c] * dp[c] + 1.0)
                    gr[j, c] += r
    return gy, gloc, glogs, gr


class FactorizedMixture(_Base):
    r"""Product over coordinates of K-component mixtures: p(w) = Π_j Σ_c π_jc f((w_j − μ_jc)/s_jc)/s_jc.

    Parameters
    ----------
    n : int
        Dimension.
    components : int
        K >= 1 components per coordinate.
    kind : {'laplace', 'logistic', 'gaussian'}
        f(z) = e^{−|z|}/2, e^{−z}/(1 + e^{−z})², or the standard normal density.
    scale : float
        Initial scale of every component; initial locations spread over ±scale.

    Notes
    -----
    Parameters ``logits``, ``loc``, ``log_scale`` (each (n, K)); π = softmax(logits) per
    coordinate. With φ(z) = log f(z): ∂/∂w = Σ_c r_c φ'(z_c)/s_c, ∂/∂μ_c = −r_c φ'(z_c)/s_c,
    ∂/∂log s_c = −r_c (z_c φ'(z_c) + 1), ∂/∂logit_c = r_c − π_c, where r_c are the posterior
    responsibilities. A factorized density of the latent is the NTC/LTC "factorized prior" of
    Ballé et al.; the cell integral is still taken over the whole vector.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.ltc.entropy_models import FactorizedMixture
    >>> from rdptheory.dither import sample_voronoi
    >>> p = FactorizedMixture(1, components=1, kind="laplace")   # Laplace(0, b=1)
    >>> t = sample_voronoi("Z1", 4096, rng=0)
    >>> lp = p.cell_log_probability([[0.0]], t, 1.0).logp
    >>> bool(abs(lp[0] - np.log(1 - np.exp(-0.5))) < 2e-3)
    True
    """

    def __init__(self, n, *, components=3, kind="logistic", scale=1.0):
        self.n = check_integer(n, "n", lower=1)
        K = check_integer(components, "components", lower=1)
        if kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}; got {kind!r}")
        scale = float(as_real_array(scale, "scale", lower=0.0, lower_open=True))
        self.kind, self.components = kind, K
        locs = np.linspace(-scale, scale, K) if K > 1 else np.zeros(1)
        self.params = {"logits": np.zeros((self.n, K)),
                       "loc": np.tile(locs, (self.n, 1)),
                       "log_scale": np.full((self.n, K), math.log(scale))}

    def _cost_per_point(self):
        return self.n * self.components

    def _phi(self, z):
        """log f(z) and φ'(z)."""
        if self.kind == "laplace":
            return -np.abs(z) - math.log(2.0), -np.sign(z)
        if self.kind == "gaussian":
            return -0.5 * z * z - 0.5 * _LOG2PI, -z
        return -z - 2.0 * np.logaddexp(0.0, -z), -np.tanh(0.5 * z)

    def log_density(self, w, keep_cache=True):
        """log p(w) for rows w (shape (m, n))."""
        w = np.asarray(w, dtype=np.float64)
        P = self.params
        logpi = P["logits"] - np.logaddexp.reduce(P["logits"], axis=1, keepdims=True)
        s = np.exp(P["log_scale"])
        z = (w[:, :, None] - P["loc"]) / s                  # (m, n, K)
        phi, dphi = self._phi(z)
        lc = logpi + phi - P["log_scale"]
        mx = lc.max(axis=2, keepdims=True)
        e = np.exp(lc - mx)
        tot = e.sum(axis=2, keepdims=True)
        lj = (mx + np.log(tot))[:, :, 0]                    # (m, n)
        cache = (z, dphi, e / tot, s, np.exp(logpi)) if keep_cache else None
        return lj.sum(axis=1), cache

    def density_backward(self, cache, grad_logp):
        z, dphi, r, s, pi = cache
        rg = r * grad_logp[:, None, None]                   # (m, n, K)
        t = rg * dphi / s
        grads = {"loc": -t.sum(axis=0),
                 "log_scale": -(rg * (z * dphi + 1.0)).sum(axis=0),
                 "logits": rg.sum(axis=0) - pi * float(grad_logp.sum())}
        return t.sum(axis=2), grads

    def _arrays(self):
        P = self.params
        logpi = P["logits"] - np.logaddexp.reduce(P["logits"], axis=1, keepdims=True)
        return (np.ascontiguousarray(P["loc"]), np.exp(-P["log_scale"]),
                np.ascontiguousarray(logpi - P["log_scale"]), _KINDS.index(self.kind),
                np.exp(logpi))

    def cell_log_probability(self, yhat, cell_samples, volume, *, grad=False, chunk=None):
        """log P(ŷ_i) for each row of ``yhat`` (numba kernels over (row, cell sample))."""
        y, t = _check_yhat(yhat, cell_samples, self.n)
        y, t = np.ascontiguousarray(y), np.ascontiguousarray(t)
        loc, inv_s, logw, kind, _ = self._arrays()
        M = t.shape[0]
        step = chunk or max(1, (1 << 22) // M)
        logp, bias, weights = [], [], []
        for s in range(0, y.shape[0], step):
            ld = _mixture_cell_logd(y[s:s + step], t, loc, inv_s, logw, kind)
            out = log_cell_probability_from_densities(ld, volume, return_bias=True,
                                                      return_weights=grad)
            logp.append(out[0])
            bias.append(out[1])
            if grad:
                weights.append(out[2])
        cache = (y, t, np.concatenate(weights)) if grad else None
        return CellLogProbability(np.concatenate(logp), np.concatenate(bias), cache)

    def cell_backward(self, cache, grad_logp):
        y, t, wts = cache
        loc, inv_s, logw, kind, pi = self._arrays()
        G = np.asarray(grad_logp, dtype=np.float64)
        gy, gloc, glogs, gr = _mixture_cell_backward(y, t, loc, inv_s, logw, kind,
                                                     wts * G[:, None])
        return gy, {"loc": gloc, "log_scale": glogs, "logits": gr - pi * float(G.sum())}

    def __repr__(self):
        return f"FactorizedMixture({self.n}, components={self.components}, kind={self.kind!r})"
