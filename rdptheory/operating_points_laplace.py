"""SD-LTC operating points on a Laplace source (the non-Gaussian counterpart of
:func:`rdptheory.operating_points.sd_operating_point`).

The scheme is the Thm 4.3 linear scheme of Lei, Hassani & Saeedi Bidokhti (arXiv:2503.17558)
with its Gaussian parameters evaluated at σ² = Var X: shared dither u ~ Unif(V0), c = Q(x − u),
x̂ = β(c + u), lattice second moment η² per dimension. It is a valid scheme for any source; by the
crypto lemma c + u = x + E with E ~ Unif(V0) independent of X, so E‖X − X̂‖²/n =
(1 − β)²σ² + β²η² = D whatever the law of X (the distortion is still *measured*). The rate is
H(c | u)/n = I(X; X + E)/n = [h(X + E) − log V]/n (Zamir & Feder 1992), computed

* for Z1 exactly, by quadrature of the closed-form density of Laplace + uniform;
* for n > 1 by Monte Carlo, log p_{X+E}(y) = log mean_t p_X(y + t) over uniform cell points t
  (:func:`rdptheory.cell_probability.log_cell_probability_from_densities`).

Perception is the squared W2 of one coordinate, W2²(X_1, X̂_1): exact (quantile quadrature) for
Z1; for n > 1 the empirical W2² between the pooled coordinates of source and reconstruction
samples, in batches (never biased low: Jensen). It is the perception that the single-letter
lower bound needs: rate >= (1/n) Σ I(X_i; X̂_i) >= R(D, (1/n) Σ W2²(X_i, X̂_i)) by convexity of
R(D,P), and the coordinates are exchangeable for Z1 and E8.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import integrate

from . import gaussian as gauss
from ._validation import as_real_array, check_integer
from .cell_probability import log_cell_probability_from_densities, rate_from_log_probabilities
from .dither import sample_voronoi
from .lattices import as_lattice
from .operating_points import OperatingPoint, _distortion, _streams, scaled_to_second_moment
from .schemes import linear, sd_decode, sd_encode

__all__ = ["laplace_sd_operating_point", "laplace_uniform_entropy", "laplace_sd_perception_1d"]

_LN2 = math.log(2.0)
_CHUNK = 256  # source blocks per density evaluation (memory: _CHUNK * cell_samples * n)


def laplace_uniform_entropy(b, delta):
    r"""Differential entropy (nats) of X + E, X ~ Laplace(0, b), E ~ U[−Δ/2, Δ/2] independent.

    With c = Δ/2 the density is f(w) = [1 − e^{−c/b} cosh(w/b)]/Δ for ``|w| < c`` and
    f(w) = sinh(c/b) ``e^{−|w|/b}/Δ`` for ``|w| >= c``; the tail part of −∫ f log f is closed form,
    the inner part is integrated with ``scipy.integrate.quad``.

    Examples
    --------
    >>> from rdptheory.operating_points_laplace import laplace_uniform_entropy
    >>> import math
    >>> round(laplace_uniform_entropy(1.0, 1e-6) - (1 + math.log(2.0)), 6)   # Δ -> 0: h(Laplace)
    0.0
    """
    b = float(as_real_array(b, "b", lower=0.0, lower_open=True))
    delta = float(as_real_array(delta, "delta", lower=0.0, lower_open=True))
    c = delta / 2
    A = math.sinh(c / b) / delta
    # tail: 2 ∫_c^∞ A e^{-w/b} (log A - w/b) dw
    tail = 2 * A * b * math.exp(-c / b) * (math.log(A) - (c / b + 1.0))
    e = math.exp(-c / b)

    def integrand(w):
        f = -math.expm1(math.log(e) + math.log(math.cosh(w / b))) / delta if w > 0 else (1 - e) / delta
        return f * math.log(f) if f > 0 else 0.0

    inner, _ = integrate.quad(integrand, 0.0, c, epsabs=1e-13, epsrel=1e-12, limit=200)
    return -(tail + 2 * inner)


def laplace_sd_perception_1d(b, delta, beta):
    r"""Exact W2²(X, β(X + E)) for X ~ Laplace(0, b), E ~ U[−Δ/2, Δ/2] (n = 1).

    CDF of X + E: [Ψ(w + Δ/2) − Ψ(w − Δ/2)]/Δ with Ψ(s) = ∫F = b e^{s/b}/2 (s < 0),
    s + b e^{−s/b}/2 (s >= 0); the quantile by root finding
    (:func:`rdptheory.perception.quantile_from_cdf`), W2² by tanh-sinh quadrature of the quantile
    difference (:func:`rdptheory.perception.w2_1d_quantile`).

    Examples
    --------
    >>> from rdptheory.operating_points_laplace import laplace_sd_perception_1d
    >>> round(laplace_sd_perception_1d(0.5, 1e-9, 2.0), 6)    # W2²(X, 2X) = E X² = 2b²
    0.5
    """
    from .perception import quantile_from_cdf, w2_1d_quantile
    b = float(as_real_array(b, "b", lower=0.0, lower_open=True))
    delta = float(as_real_array(delta, "delta", lower=0.0, lower_open=True))
    beta = float(as_real_array(beta, "beta", lower=0.0, lower_open=True))
    c = delta / 2

    def psi(s):
        s = np.asarray(s, dtype=float)
        return np.where(s < 0, 0.5 * b * np.exp(np.minimum(s, 0) / b),
                        np.maximum(s, 0) + 0.5 * b * np.exp(-np.maximum(s, 0) / b))

    def cdf(w):
        v = np.asarray(w, dtype=float) / beta
        if delta < 1e-6 * b:  # Δ -> 0: the Laplace CDF itself (avoids cancellation)
            return np.where(v < 0, 0.5 * np.exp(np.minimum(v, 0) / b),
                            1 - 0.5 * np.exp(-np.maximum(v, 0) / b))
        return (psi(v + c) - psi(v - c)) / delta

    def sf(w):
        return cdf(-np.asarray(w, dtype=float))

    def q_laplace(t):
        t = np.asarray(t, dtype=float)
        return np.where(t < 0.5, b * np.log(2 * t), -b * np.log(2 * (1 - t)))

    span = beta * (40 * b + delta)
    q_hat = quantile_from_cdf(cdf, -span, span, sf=sf)
    return float(w2_1d_quantile(q_laplace, q_hat, method="tanhsinh"))


def _laplace_rate_mc(y, cell, volume, b, n, progress):
    """Rate (RateEstimate, bits per dimension) from log p_{X+E}(y) = log mean_t p_X(y + t)."""
    N = y.shape[0]
    logp, bias = np.empty(N), np.empty(N)
    const = -n * math.log(2 * b)
    for start in range(0, N, _CHUNK):
        stop = min(N, start + _CHUNK)
        ld = const - np.abs(y[start:stop, None, :] + cell[None, :, :]).sum(axis=2) / b
        logp[start:stop], bias[start:stop] = log_cell_probability_from_densities(
            ld, volume, return_bias=True)
        if progress is not None:
            progress(stop, N)
    return rate_from_log_probabilities(logp, n, bias=bias, cell_samples=cell.shape[0])


def _marginal_w2(x, xh, batches):
    """Batch mean and SE of the empirical W2² between pooled coordinates of x and x̂."""
    vals = []
    from .perception import w2_empirical_1d
    for xs, xhs in zip(np.array_split(x, batches), np.array_split(xh, batches)):
        vals.append(w2_empirical_1d(xs.ravel(), xhs.ravel()))
    vals = np.asarray(vals)
    return float(vals.mean()), float(vals.std(ddof=1) / math.sqrt(vals.size))


def laplace_sd_operating_point(lattice, D, P=0.0, variance=1.0, *, n_samples=20_000,
                               cell_samples=2048, rng=None, nsm=None, perception_batches=10,
                               keep_samples=False, progress=None):
    r"""Simulate SD-LTC on i.i.d. Laplace blocks with the Gaussian Thm 4.3 parameters for (D, P).

    Parameters
    ----------
    lattice : str or Lattice
        Any lattice with a reference NSM (Z1, E8, ...).
    D, P : float
        Targets handed to :func:`rdptheory.gaussian.sd_ltc_parameters` with σ² = ``variance``;
        the distortion is D exactly in expectation, the perception is *measured* (for a
        Laplace source the output is not Laplace, so it is > 0 even at P = 0).
    variance : float
        Var X; Laplace scale b = sqrt(variance / 2).
    n_samples, cell_samples : int
        Source blocks and uniform cell points (n > 1 rate estimate).
    rng : seed or Generator
    perception_batches : int
        Batches for the standard error of the n > 1 perception estimate.

    Returns
    -------
    OperatingPoint
        ``scheme='SD-Laplace'``; ``rate`` ± ``rate_stderr`` (0 for Z1, computed exactly);
        ``theory`` holds ``perception``, ``perception_stderr``, ``perception_method`` and the
        Gaussian ``rate_rdp`` R(D,P) for reference (not a bound for this source).

    Examples
    --------
    >>> from rdptheory.operating_points_laplace import laplace_sd_operating_point
    >>> op = laplace_sd_operating_point("Z1", 0.5, 0.0, n_samples=4000, rng=1)
    >>> round(op.rate, 4), abs(op.distortion - 0.5) < 4 * op.distortion_stderr
    (0.8387, True)
    """
    L = as_lattice(lattice)
    n = L.dimension
    n_samples = check_integer(n_samples, "n_samples", lower=2)
    cell_samples = check_integer(cell_samples, "cell_samples", lower=1)
    batches = check_integer(perception_batches, "perception_batches", lower=2)
    variance = float(as_real_array(variance, "variance", lower=0.0, lower_open=True))
    params = gauss.sd_ltc_parameters(D, P, variance)
    eta2, beta = float(params.eta2), float(params.beta)
    Ls = scaled_to_second_moment(L, eta2, nsm)
    G = nsm if nsm is not None else L.nsm_reference.value
    b = math.sqrt(variance / 2)
    gx, gu, gt = _streams(rng, 3)
    x = gx.laplace(scale=b, size=(n_samples, n))
    u = sample_voronoi(Ls, n_samples, gu)
    c = sd_encode(x, Ls, u)
    xh = sd_decode(c, u, linear(beta))
    dist, dist_se = _distortion(x, xh)
    if n == 1:
        delta = float(Ls.volume)
        h = laplace_uniform_entropy(b, delta)
        rate, rate_se, jb = (h - math.log(delta)) / _LN2, 0.0, 0.0
        perc, perc_se = laplace_sd_perception_1d(b, delta, beta), 0.0
        method = "exact W2² (quantile quadrature); rate exact (quadrature)"
        if progress is not None:
            progress(1, 1)
    else:
        t = sample_voronoi(Ls, cell_samples, gt)
        r = _laplace_rate_mc(c + u, t, Ls.volume, b, n, progress)
        rate, rate_se, jb = r.bits, r.stderr, r.jensen_bias
        perc, perc_se = _marginal_w2(x, xh, batches)
        method = (f"empirical W2² of one coordinate (pooled, {batches} batches; biased high); "
                  "rate Monte Carlo")
    return OperatingPoint(
        scheme="SD-Laplace", lattice=L.name, dimension=n, sigma2=variance, target_distortion=D,
        target_perception=P, rate=float(rate), rate_stderr=float(rate_se),
        rate_jensen_bias=float(jb), distortion=dist, distortion_stderr=dist_se,
        n_samples=n_samples, cell_samples=cell_samples if n > 1 else 0,
        parameters={"eta2": eta2, "beta": beta, "regime": str(params.regime), "G": G,
                    "laplace_b": b},
        theory={"distortion": float(D), "perception": perc, "perception_stderr": perc_se,
                "perception_method": method,
                "rate_rdp_gaussian": float(gauss.rdp(D, P, variance))},
        samples={"x": x, "x_hat": xh} if keep_samples else {})
