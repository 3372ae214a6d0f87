r"""Perception of a sample against the Gaussian target N(0, σ² I_n): an estimate with power to
detect a broken scheme, an interval [lower, upper] of bounds on the per-dimension W2², and the
per-dimension KL divergence.

Every bound below is a bound on :math:`\tfrac1n W_2^2(\mu, \gamma)`, μ the law of the sample and
γ = N(0, σ² I); each is *estimated* from the sample with a standard error (first order,
influence functions), so "rigorous" means: the quantity estimated is a bound, and the estimate
carries its SE. Lower bounds:

* **Gelbrich (moments).** :math:`W_2^2(\mu,\gamma) \ge \|m\|^2 + \sum_i(\sqrt{\lambda_i}-\sigma)^2`
  (Gelbrich 1990, Thm 2.1; Cuesta-Albertos et al. 1996) for mean m and covariance eigenvalues
  :math:`\lambda_i`; as :math:`\lambda\mapsto(\sqrt\lambda-\sigma)^2` is convex, this is
  :math:`\ge \|m\|^2 + n(\sqrt{\bar v}-\sigma)^2` with :math:`\bar v = \operatorname{tr}S/n`,
  which needs no eigenvalues (whose sample spread would bias the estimate up by O(n/N)).
* **Frame-sliced.** For unit directions :math:`\theta_1..\theta_K` with frame operator
  :math:`F = \tfrac1K\sum_k\theta_k\theta_k^\top`, any coupling (X, Y) gives
  :math:`\tfrac1K\sum_k W_2^2(\theta_k\#\mu,\theta_k\#\gamma) \le
  \tfrac1K\sum_k E(\theta_k\cdot(X-Y))^2 \le \lambda_{\max}(F)\,E\|X-Y\|^2`, so
  :math:`\tfrac1n W_2^2 \ge \overline{W_2^2(\theta\#\mu,\theta\#\gamma)}/(n\lambda_{\max}(F))`.
  For a tight frame (uniform directions in expectation, the minimal vectors of E8 or the Leech
  lattice, spherical designs) :math:`n\lambda_{\max}(F) = 1` and this is the sliced W2²
  (Bonnotte 2013, Prop. 5.1.3 for the uniform case). Directions: random, the lattice's relevant
  vectors and its dual's (projections of Λ onto a dual vector w lie on the 1-D lattice
  :math:`|w|^{-1}\mathbb Z`, so holes and combs of a lattice scheme show there).

Each 1-D term is the *exact* W2² between the empirical measure of the N projected points and
N(0, σ²) (closed form over the quantile bins), minus its expectation under the null
:math:`\mu=\gamma`, :math:`\sigma^2(2 - 2\sum_i E Z_{(i:N)}\,c_i)`, :math:`c_i =
\int_{(i-1)/N}^{i/N}\Phi^{-1}` (the positive Jensen bias of the empirical W2²; this correction is
exact at the target, first order near it). Its SE is the influence-function (Kantorovich
potential) SE over the sample, conditional on the directions (del Barrio & Loubes 2019).

Upper bounds:

* **Talagrand.** :math:`W_2^2(\mu,\gamma) \le 2\sigma^2 D(\mu\|\gamma)` (Talagrand 1996), with
  the KL divergence estimated as the sample mean of :math:`\log p(\hat x) - \log\gamma(\hat x)`
  when the output log-density p is known from the scheme's structure
  (:mod:`rdptheory.perception.output_law`).
* **Coupling.** Any coupling with a Gaussian Y ~ γ: :math:`\tfrac1n W_2^2 \le E\|\hat X-Y\|^2/n`;
  for a compressor of a N(0, σ² I) source the source itself is such a Y, so the distortion is an
  upper bound (weak, but needs nothing).

References
----------
M. Gelbrich, "On a formula for the L2 Wasserstein metric between measures on Euclidean and
Hilbert spaces", Math. Nachr. 147 (1990); M. Talagrand, "Transportation cost for Gaussian and
other product measures", GAFA 6 (1996); N. Bonnotte, PhD thesis, 2013; E. del Barrio and
J.-M. Loubes, Ann. Probab. 47(2) (2019).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from .._parallel import as_generator
from .._validation import as_real_array, check_integer
from .empirical import normal_order_statistic_means
from .sliced import _potential_sorted

__all__ = ["PerceptionMeasurement", "BoundEstimate", "measure_perception", "lattice_directions",
           "gelbrich_lower_bound", "frame_sliced_lower_bound", "kl_from_log_density"]


@dataclass(frozen=True)
class BoundEstimate:
    """One estimated quantity (a bound or an estimate) with its standard error."""

    name: str
    value: float
    stderr: float


@dataclass(frozen=True)
class PerceptionMeasurement:
    """Perception of a sample against N(0, σ² I), per dimension (see :func:`measure_perception`).

    Attributes
    ----------
    estimate, estimate_stderr : float
        Bias-corrected sliced W2² per dimension on the most sensitive direction set (the frame
        bound of the lattice/dual directions when a lattice is given, else random directions).
    lower, lower_stderr : float
        The largest lower bound (``lower_bound`` names it).
    upper, upper_stderr : float
        The smallest upper bound (``upper_bound`` names it; ``inf`` if none is available).
    kl, kl_stderr : float
        D(μ‖γ)/n in nats per dimension (``nan`` without an output log-density).
    bounds : dict
        Every bound computed, ``name -> (value, stderr)``.
    warnings : tuple of str
        Measured numbers outside their validated range (a KL estimate below 0 by more than
        4 SE: the cell-probability estimator needs more cell samples; a lower bound above the
        upper bound by more than 4 SE).
    """

    estimate: float
    estimate_stderr: float
    lower: float
    lower_stderr: float
    lower_bound: str
    upper: float
    upper_stderr: float
    upper_bound: str
    kl: float
    kl_stderr: float
    method: str
    n_samples: int
    dim: int
    bounds: dict = field(default_factory=dict)
    warnings: tuple = ()

    def as_dict(self):
        d = {k: getattr(self, k) for k in (
            "estimate", "estimate_stderr", "lower", "lower_stderr", "lower_bound", "upper",
            "upper_stderr", "upper_bound", "kl", "kl_stderr", "method", "n_samples", "dim")}
        d["bounds"] = {k: list(v) for k, v in self.bounds.items()}
        d["warnings"] = list(self.warnings)
        return d


def _sample(x):
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("x must be an array of real numbers") from None
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2 or a.shape[0] < 2 or a.shape[1] < 1:
        raise ValueError(f"x must be a sample of shape (N, n) with N >= 2; got shape {np.shape(x)}")
    if not np.isfinite(a).all():
        raise ValueError("x must have finite entries")
    return a


def gelbrich_lower_bound(x, sigma2=1.0):
    r"""Moment (Gelbrich) lower bound on the per-dimension W2² to N(0, σ² I), estimated.

    :math:`\tfrac1n W_2^2 \ge \|m\|^2/n + (\sqrt{\bar v}-\sigma)^2`, :math:`\bar v =
    \operatorname{tr}\Sigma/n` (Gelbrich 1990 and convexity, see the module notes).
    :math:`\|m\|^2` is estimated without bias by :math:`\|\hat m\|^2 - \operatorname{tr}\hat
    S/N`; the second term by plug-in minus its delta-method bias.

    Returns
    -------
    BoundEstimate

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.perception.measurement import gelbrich_lower_bound
    >>> x = 1.5 * np.random.default_rng(0).standard_normal((20000, 4))
    >>> b = gelbrich_lower_bound(x)            # (1.5 - 1)^2 = 0.25
    >>> bool(abs(b.value - 0.25) < 4 * b.stderr)
    True
    """
    x = _sample(x)
    s2 = float(as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True))
    sig = math.sqrt(s2)
    N, n = x.shape
    m = x.mean(axis=0)
    r2 = np.sum((x - m) ** 2, axis=1) / n          # per-sample squared radius per dimension
    v = float(r2.sum() / (N - 1))
    mean_term = (float(m @ m) - n * v / N) / n
    var_v = float(r2.var(ddof=1)) / N
    if v > 0.0:
        f1 = 1.0 - sig / math.sqrt(v)               # f(v) = (sqrt v - sigma)^2: f' = f1
        f2 = sig / (2.0 * v ** 1.5)                 # f''
        var_term = (math.sqrt(v) - sig) ** 2 - 0.5 * f2 * var_v
    else:                                           # a constant sample: f(0) = sigma^2 exactly
        f1, var_term = 0.0, s2
    infl = 2.0 * (x - m) @ m / n + f1 * (r2 - v)
    se = float(infl.std(ddof=1) / math.sqrt(N))
    return BoundEstimate("gelbrich", mean_term + var_term, se)


@functools.lru_cache(maxsize=32)
def _null_terms(N):
    """(c_i, null bias / σ²) for the one-sample empirical W2² to N(0, 1) with N points."""
    z = special.ndtri(np.arange(N + 1) / N)
    dens = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    dens[[0, -1]] = 0.0
    c = dens[:-1] - dens[1:]                        # ∫ over bin i of Φ^{-1}
    mi = normal_order_statistic_means(N)
    return c, 2.0 - 2.0 * float(mi @ c)


def _one_sample_w2_rows(proj, sig):
    """Exact W2² of each row's empirical measure to N(0, σ²), the per-sample Kantorovich
    potentials (centred) for the SE, and the rows' argsort. proj: (k, N)."""
    k, N = proj.shape
    c, _ = _null_terms(N)
    idx = np.argsort(proj, axis=1)
    srt = np.take_along_axis(proj, idx, 1)
    w2 = np.mean(srt * srt, axis=1) - 2.0 * sig * (srt @ c) + sig * sig
    t_mid = sig * special.ndtri((np.arange(N) + 0.5) / N)
    phi = _potential_sorted(srt, np.broadcast_to(t_mid, srt.shape))
    phi -= phi.mean(axis=1, keepdims=True)
    return w2, phi, idx


def frame_sliced_lower_bound(x, directions, sigma2=1.0, *, name="sliced",
                             chunk_elements=2 ** 22):
    r"""Frame-sliced lower bound on the per-dimension W2² to N(0, σ² I), bias-corrected.

    :math:`\tfrac1n W_2^2 \ge \frac{1}{n\lambda_{\max}(F)}\,\frac1K\sum_k
    \big[W_2^2(\hat\mu_N\circ\theta_k^{-1}, \mathcal N(0,\sigma^2)) - b_N\big]`, F the frame
    operator of the K unit directions and :math:`b_N` the null bias of the one-sample
    empirical W2² (module notes).

    Parameters
    ----------
    x : array_like, shape (N, n)
    directions : array_like, shape (K, n)
        Nonzero directions (normalized here).
    sigma2 : float
    name : str
        Label of the returned bound.

    Returns
    -------
    BoundEstimate

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.perception.measurement import frame_sliced_lower_bound
    >>> g = np.random.default_rng(1)
    >>> x = g.standard_normal((4000, 2)); x[:, 0] *= 2.0           # W2^2/n = (2 - 1)^2 / 2
    >>> b = frame_sliced_lower_bound(x, np.eye(2))                  # axes: a tight frame
    >>> bool(abs(b.value - 0.5) < 4 * b.stderr)
    True
    """
    x = _sample(x)
    s2 = float(as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True))
    sig = math.sqrt(s2)
    N, n = x.shape
    th = np.asarray(directions, dtype=np.float64)
    if th.ndim != 2 or th.shape[1] != n or th.shape[0] < 1:
        raise ValueError(f"directions must have shape (K, {n}) with K >= 1; got {th.shape}")
    norms = np.linalg.norm(th, axis=1)
    if not (np.isfinite(norms).all() and (norms > 0).all()):
        raise ValueError("directions must be finite and nonzero")
    th = th / norms[:, None]
    K = th.shape[0]
    lam = float(np.linalg.eigvalsh(th.T @ th / K)[-1])
    _, null = _null_terms(N)
    vals = np.empty(K)
    h = np.zeros(N)
    block = max(1, chunk_elements // N)
    for s in range(0, K, block):
        w2, phi, idx = _one_sample_w2_rows(th[s:s + block] @ x.T, sig)
        vals[s:s + block] = w2
        h += np.bincount(idx.ravel(), weights=phi.ravel(), minlength=N)
    scale = 1.0 / (n * lam * K)
    value = (float(vals.sum()) - K * null * s2) * scale
    se = float(np.std(h * scale, ddof=1) / math.sqrt(N))
    return BoundEstimate(name, value, se)


@functools.lru_cache(maxsize=16)
def _structure_directions(key, generator_bytes, n):
    from ..lattices import from_generator
    B = np.frombuffer(generator_bytes).reshape(n, n)
    out = []
    for lat in (from_generator(B), from_generator(np.linalg.inv(B).T)):
        if n <= 12:
            v = lat.relevant_vectors()
        else:
            v = lat.short_vectors(lat.minimum_norm() * (1 + 1e-9))
        v = v / np.linalg.norm(v, axis=1, keepdims=True)
        out.append(v)
    return tuple(out)


def lattice_directions(lattice, max_directions=512, rng=None):
    r"""Unit directions where a lattice's structure shows: its Voronoi-relevant vectors and its
    dual's (n <= 12), or the minimal vectors of both (n > 12), one per ± pair, at most
    ``max_directions`` of each (a uniform random subset; the frame bound stays valid for any
    subset).

    Returns
    -------
    primal, dual : ndarray, shapes (K1, n), (K2, n)

    Examples
    --------
    >>> from rdptheory.perception.measurement import lattice_directions
    >>> p, d = lattice_directions("E8")
    >>> p.shape, d.shape                       # 240 roots, one per ± pair
    ((120, 8), (120, 8))
    """
    from ..lattices import as_lattice
    L = as_lattice(lattice)
    K = check_integer(max_directions, "max_directions", lower=1)
    n = L.dimension
    B = np.ascontiguousarray(L.generator / abs(np.linalg.det(L.generator)) ** (1.0 / n))
    g = as_generator(rng)
    res = []
    for v in _structure_directions(L.name, B.tobytes(), n):
        first = np.argmax(np.abs(v) > 1e-12, axis=1)
        keep = v[np.arange(v.shape[0]), first] > 0          # one of each ± pair
        v = v[keep]
        if v.shape[0] > K:
            v = v[np.sort(g.choice(v.shape[0], K, replace=False))]
        res.append(v)
    return res[0], res[1]


def kl_from_log_density(x, log_density, sigma2=1.0, *, log_density_bias=None):
    r"""Per-dimension KL divergence D(μ‖N(0, σ² I))/n from a sample of μ and log μ at it.

    :math:`\tfrac1n D = \tfrac1n E_\mu[\log\mu(X) - \log\gamma(X)]`, the sample mean of
    :math:`\log\mu(x_j) + \tfrac n2\log(2\pi\sigma^2) + \|x_j\|^2/(2\sigma^2)` with its SE.
    ``log_density_bias`` (per sample, >= 0) is the known downward bias of an estimated
    ``log_density`` (e.g. the Jensen bias of a log-mean-exp) and is added.

    Returns
    -------
    BoundEstimate

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import norm
    >>> from rdptheory.perception.measurement import kl_from_log_density
    >>> x = 2.0 * np.random.default_rng(0).standard_normal((20000, 1))
    >>> kl = kl_from_log_density(x, norm.logpdf(x[:, 0], scale=2.0))   # exact: 1.5 - ln 2
    >>> bool(abs(kl.value - (1.5 - np.log(2))) < 4 * kl.stderr)
    True
    """
    x = _sample(x)
    s2 = float(as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True))
    N, n = x.shape
    lp = np.asarray(log_density, dtype=np.float64)
    if lp.shape != (N,):
        raise ValueError(f"log_density must have shape ({N},); got {lp.shape}")
    if np.isnan(lp).any() or np.isposinf(lp).any():
        raise ValueError("log_density must not contain nan or +inf")
    if log_density_bias is not None:
        lp = lp + np.asarray(log_density_bias, dtype=np.float64)
    vals = (lp + 0.5 * n * math.log(2 * math.pi * s2) + np.sum(x * x, axis=1) / (2 * s2)) / n
    return BoundEstimate("kl", float(vals.mean()), float(vals.std(ddof=1) / math.sqrt(N)))


def measure_perception(x, sigma2=1.0, *, lattice=None, log_density=None, log_density_bias=None,
                       log_density_rows=None, coupling_cost=None, n_projections=128,
                       max_lattice_directions=256, directions=None, rng=None):
    r"""Measure the perception of a sample against the target N(0, σ² I) (per dimension).

    Parameters
    ----------
    x : array_like, shape (N, n)
        Sample of the output law (N >= 2).
    sigma2 : float
        Target variance per coordinate.
    lattice : Lattice or str, optional
        Adds the frame-sliced bounds on its relevant vectors and its dual's
        (:func:`lattice_directions`); any scaling of the lattice gives the same directions.
    log_density : array_like, shape (N,), optional
        Natural log of the output density at each sample (:mod:`.output_law`): gives the KL and
        the Talagrand upper bound 2σ²·KL/n.
    log_density_bias : array_like, shape (N,), optional
        Known downward bias of ``log_density`` (added).
    log_density_rows : array_like of int, optional
        The rows of ``x`` at which ``log_density`` (and its bias) are given, when the density is
        too costly to evaluate at every sample: the KL is then the mean over these rows.
    coupling_cost : array_like, shape (N,), optional
        ‖x_j − y_j‖²/n for a coupled Y ~ N(0, σ² I) (e.g. the source): an upper bound.
    n_projections : int
        Random uniform directions of the plain sliced bound.
    max_lattice_directions : int
        Cap on the directions taken from each of Λ and Λ*.
    directions : dict, optional
        Further direction sets ``name -> (K, n) array``, each giving a frame-sliced bound (e.g.
        a lattice's directions mapped through a learned linear decoder).
    rng : int, Generator or None

    Returns
    -------
    PerceptionMeasurement

    Notes
    -----
    ``lower`` is the largest of the lower bounds (choosing the largest of 2-4 estimates adds a
    selection bias of order one SE at most, in the unfavourable direction only when the
    bounds are equal); ``upper`` the smallest available upper bound. The estimate is the
    frame-sliced W2² on the lattice directions when given (most power against lattice
    defects), else on random ones. For n = 1 the tests check the bracket against the exact
    W2² of :func:`rdptheory.perception.w2_1d_quantile`.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.perception import measure_perception
    >>> x = np.random.default_rng(0).standard_normal((10000, 8)) * 1.1
    >>> m = measure_perception(x, lattice="E8", rng=1)   # exact W2^2/n = 0.01
    >>> bool(abs(m.lower - 0.01) < 4 * m.lower_stderr), m.upper     # no upper bound given
    (True, inf)
    """
    x = _sample(x)
    N, n = x.shape
    s2 = float(as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True))
    K = check_integer(n_projections, "n_projections", lower=1)
    g = as_generator(rng)
    th = g.standard_normal((K, n))
    lows = [gelbrich_lower_bound(x, s2), frame_sliced_lower_bound(x, th, s2, name="sliced_random")]
    est = lows[-1]
    method = f"sliced W2² ({K} random directions), bias-corrected"
    if lattice is not None:
        from ..lattices import as_lattice
        L = as_lattice(lattice)
        if L.dimension != n:
            raise ValueError(f"lattice dimension {L.dimension} != sample dimension {n}")
        prim, dual = lattice_directions(L, max_lattice_directions, g)
        lows.append(frame_sliced_lower_bound(x, prim, s2, name="sliced_lattice"))
        lows.append(frame_sliced_lower_bound(x, dual, s2, name="sliced_dual"))
        est = max(lows[-2:], key=lambda b: b.value)
        which = "relevant vectors of Λ" if est.name == "sliced_lattice" else "relevant vectors of Λ*"
        if n > 12:
            which = which.replace("relevant", "minimal")
        method = f"frame-sliced W2² on the {which}, bias-corrected"
    if directions:
        extra = [frame_sliced_lower_bound(x, v, s2, name=str(k)) for k, v in directions.items()]
        lows += extra
        if lattice is None:
            est = max(extra, key=lambda b: b.value)
            method = f"frame-sliced W2² on the {est.name} directions, bias-corrected"
    ups = []
    kl = BoundEstimate("kl", math.nan, math.nan)
    if log_density is not None:
        xr = x if log_density_rows is None else x[np.asarray(log_density_rows, dtype=np.intp)]
        kl = kl_from_log_density(xr, log_density, s2, log_density_bias=log_density_bias)
        ups.append(BoundEstimate("talagrand", 2.0 * s2 * kl.value, 2.0 * s2 * kl.stderr))
    if coupling_cost is not None:
        cc = np.asarray(coupling_cost, dtype=np.float64)
        if cc.shape != (N,) or not np.isfinite(cc).all() or (cc < 0).any():
            raise ValueError(f"coupling_cost must be {N} finite values >= 0")
        ups.append(BoundEstimate("coupling", float(cc.mean()),
                                 float(cc.std(ddof=1) / math.sqrt(N))))
    lo = max(lows, key=lambda b: b.value)
    up = min(ups, key=lambda b: b.value) if ups else BoundEstimate("none", math.inf, 0.0)
    warn = []
    if kl.value + 4 * kl.stderr < 0:
        warn.append(f"KL estimate {kl.value:.3g} ± {kl.stderr:.2g} is negative beyond 4 SE: the "
                    "output log-density is biased (more cell samples needed); the Talagrand "
                    "bound is not valid")
        ups = [b for b in ups if b.name != "talagrand"]
        up = min(ups, key=lambda b: b.value) if ups else BoundEstimate("none", math.inf, 0.0)
    if lo.value - up.value > 4 * math.hypot(lo.stderr, up.stderr):
        warn.append(f"lower bound {lo.name} exceeds upper bound {up.name} by more than 4 SE")
    return PerceptionMeasurement(
        estimate=est.value, estimate_stderr=est.stderr, lower=lo.value, lower_stderr=lo.stderr,
        lower_bound=lo.name, upper=up.value, upper_stderr=up.stderr, upper_bound=up.name,
        kl=kl.value, kl_stderr=kl.stderr, method=method, n_samples=N, dim=n,
        bounds={b.name: (b.value, b.stderr) for b in lows + ups + [kl]}, warnings=tuple(warn))
