r"""Sources for the numerical R(D,P) solver: a finite distribution on the real line.

Continuous sources are discretized onto ``n`` equal cells; each cell carries its exact
probability and sits at its conditional mean, so the discretized source is the quantization
:math:`X_n = E[X \mid X \in \text{cell}]` of :math:`X`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special, stats

from .._validation import as_real_array, check_integer

__all__ = ["DiscreteSource", "gaussian", "laplace", "uniform", "gaussian_mixture", "discrete",
           "empirical", "bernoulli"]


@dataclass(frozen=True)
class DiscreteSource:
    r"""A finite source: support ``points`` (sorted, distinct) with probabilities ``probs``.

    Attributes
    ----------
    points, probs : ndarray
        The support and its probabilities (``probs`` sums to 1).
    name : str
        A label used in reports.
    cell_variance : float
        :math:`E(X - X_n)^2`, the mean squared discretization error of a continuous source
        (0 for a source that is discrete to begin with).
    cell_variances : ndarray or None
        :math:`\mathrm{Var}(X \mid X \in \text{cell}_i)` per support point, when known (the
        Gaussian grid); used by :func:`rdptheory.bounds.lift.lift_coupling`.
    cell_edges : ndarray or None
        The cell boundaries (``len(points) + 1`` values, infinite at the ends), when known.
    variance : float
        Variance of the discrete distribution.
    """

    points: np.ndarray
    probs: np.ndarray
    name: str = "discrete"
    cell_variance: float = 0.0
    cell_variances: np.ndarray | None = field(default=None, repr=False, compare=False)
    cell_edges: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def variance(self) -> float:
        m = float(np.dot(self.probs, self.points))
        return float(np.dot(self.probs, (self.points - m) ** 2))

    @property
    def entropy(self) -> float:
        """Entropy of the discrete distribution in nats."""
        p = self.probs[self.probs > 0]
        return float(-np.dot(p, np.log(p)))

    def __len__(self):
        return len(self.points)


def _n(n):
    return check_integer(n, "n", lower=2, upper=20000)


def _grid_from_cdf(cdf, partial_mean, lo, hi, n, name, total_var, sf=None, partial_second=None):
    r"""Discretize a continuous law on ``n`` equal cells of [lo, hi] (tails folded into the end
    cells). ``partial_mean(a, b)`` is :math:`E[X; a < X \le b]`; ``sf`` (survival function)
    keeps the right tail's cell masses accurate; ``partial_second(a, b)``, when given, is
    :math:`E[(X - c)^2; a < X \le b]` about the cell's midpoint c (finite cells) or about 0
    (the two infinite end cells) and yields the per-cell variances."""
    edges = np.linspace(lo, hi, n + 1)
    edges[0], edges[-1] = -np.inf, np.inf
    mass = np.diff(cdf(edges))
    if sf is not None:
        right = edges[:-1] > 0
        sfe = sf(edges)
        mass = np.where(right, sfe[:-1] - sfe[1:], mass)
    mom = partial_mean(edges[:-1], edges[1:])
    keep = mass > 1e-300
    pts = mom[keep] / mass[keep]
    probs = mass[keep] / mass[keep].sum()
    # E(X - X_n)^2 = Var X - Var X_n (X_n is the conditional mean)
    m = float(np.dot(probs, pts))
    cell_var = max(total_var - float(np.dot(probs, (pts - m) ** 2)), 0.0)
    variances = None
    if partial_second is not None:
        a, b = edges[:-1][keep], edges[1:][keep]
        c = np.where(np.isfinite(a) & np.isfinite(b), 0.5 * (a + b), 0.0)
        # E[(X - c)^2 | cell] - (E[X | cell] - c)^2, about a centre inside the cell
        variances = np.clip(partial_second(a, b) / mass[keep] - (pts - c) ** 2, 0.0, None)
        cell_var = float(np.dot(probs, variances))
    return DiscreteSource(pts, probs, name, cell_var, variances,
                          edges if keep.all() else None)


def _span(n, span):
    return as_real_array(span, "span", lower=0.0, lower_open=True).item()


def gaussian(sigma2=1.0, *, n=1000, span=9.0):
    r"""A Gaussian source :math:`N(0,\sigma^2)` discretized on ``n`` cells of
    :math:`[-\text{span}\,\sigma, \text{span}\,\sigma]`.

    Examples
    --------
    >>> from rdptheory.bounds import sources
    >>> s = sources.gaussian(1.0, n=400)
    >>> len(s), round(s.variance, 4)
    (400, 0.9998)
    """
    s2 = as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True).item()
    n, span = _n(n), _span(n, span)
    s = math.sqrt(s2)

    def cdf(x):
        return special.ndtr(x / s)

    def pmean(a, b):  # E[X; a<X<=b] = s^2 (phi(a) - phi(b))
        return s * (stats.norm.pdf(a / s) - stats.norm.pdf(b / s))

    def psecond(a, b):  # E[(X - c)^2; a<X<=b], c the finite cell's midpoint (0 at the ends)
        c = np.where(np.isfinite(a) & np.isfinite(b), 0.5 * (a + b), 0.0)
        za, zb = a / s, b / s
        pa = np.where(np.isfinite(za), stats.norm.pdf(za), 0.0)
        pb = np.where(np.isfinite(zb), stats.norm.pdf(zb), 0.0)
        ma = (np.where(np.isfinite(a), a, 0.0) - c) * pa     # (t - c) φ(t/s) at the edges
        mb = (np.where(np.isfinite(b), b, 0.0) - c) * pb
        # (t - c)^2 = t (t - c) - c (t - c) and t φ_s = -s^2 φ_s', integrated by parts
        mass = np.where(a > 0, special.ndtr(-za) - special.ndtr(-zb),
                        special.ndtr(zb) - special.ndtr(za))   # no cancellation in either tail
        first = s * (pa - pb) - c * mass                      # ∫ (t - c) φ_s(t) dt
        return s * s * mass - s * (mb - ma) - c * first
    return _grid_from_cdf(cdf, pmean, -span * s, span * s, n, f"gaussian(sigma2={s2:g})", s2,
                          sf=lambda x: special.ndtr(-x / s), partial_second=psecond)


def laplace(variance=1.0, *, n=1000, span=14.0):
    r"""A Laplace source with the given variance (scale :math:`b=\sqrt{\mathrm{var}/2}`),
    discretized on ``n`` cells of :math:`[-\text{span}\,\sigma, \text{span}\,\sigma]`.

    Examples
    --------
    >>> from rdptheory.bounds import sources
    >>> round(sources.laplace(1.0, n=1000).variance, 3)
    1.0
    """
    v = as_real_array(variance, "variance", lower=0.0, lower_open=True).item()
    n, span = _n(n), _span(n, span)
    b = math.sqrt(v / 2.0)

    def cdf(x):
        return np.where(x < 0, 0.5 * np.exp(np.minimum(x, 0) / b),
                        1 - 0.5 * np.exp(-np.maximum(x, 0) / b))

    def prim(x):  # int_{-inf}^x t f(t) dt
        x = np.where(np.isinf(x), np.sign(x) * 1e300, x)
        xm, xp = np.minimum(x, 0.0), np.maximum(x, 0.0)
        left = 0.5 * (xm - b) * np.exp(xm / b)          # for x<0
        right = -0.5 * b - 0.5 * ((xp + b) * np.exp(-xp / b) - b)  # -b/2 + [b/2 - (x+b)/2 e^{-x/b}]
        return np.where(x < 0, left, right)

    def pmean(a, c):
        return prim(c) - prim(a)

    s = math.sqrt(v)
    return _grid_from_cdf(cdf, pmean, -span * s, span * s, n, f"laplace(var={v:g})", v,
                          sf=lambda x: cdf(-x))


def uniform(variance=1.0, *, n=1000):
    r"""A uniform source on :math:`[-a, a]`, :math:`a=\sqrt{3\,\mathrm{var}}`, on ``n`` equal cells.

    Examples
    --------
    >>> from rdptheory.bounds import sources
    >>> s = sources.uniform(1.0, n=100)
    >>> round(s.variance + s.cell_variance, 12)
    1.0
    """
    v = as_real_array(variance, "variance", lower=0.0, lower_open=True).item()
    n = _n(n)
    a = math.sqrt(3.0 * v)
    edges = np.linspace(-a, a, n + 1)
    pts = 0.5 * (edges[:-1] + edges[1:])
    probs = np.full(n, 1.0 / n)
    h = 2 * a / n
    return DiscreteSource(pts, probs, f"uniform(var={v:g})", h * h / 12.0)


def gaussian_mixture(weights=(0.5, 0.5), means=(-1.0, 1.0), variances=(0.25, 0.25), *,
                     n=1000, span=9.0):
    r"""A Gaussian mixture :math:`\sum_k w_k N(m_k, s_k^2)` on ``n`` cells covering every
    component's :math:`m_k \pm \text{span}\, s_k`.

    Examples
    --------
    >>> from rdptheory.bounds import sources
    >>> s = sources.gaussian_mixture((0.5, 0.5), (-0.8, 0.8), (0.36, 0.36), n=1000)
    >>> round(s.variance + s.cell_variance, 6)   # 0.36 + 0.64
    1.0
    """
    w = as_real_array(weights, "weights", lower=0.0)
    m = as_real_array(means, "means", lower=-math.inf)
    v = as_real_array(variances, "variances", lower=0.0, lower_open=True)
    if not (w.ndim == m.ndim == v.ndim == 1 and len(w) == len(m) == len(v) and len(w) >= 1):
        raise ValueError("weights, means and variances must be 1-D of the same length >= 1")
    if w.sum() <= 0:
        raise ValueError("weights must have a positive sum")
    w = w / w.sum()
    n, span = _n(n), _span(n, span)
    s = np.sqrt(v)
    lo, hi = float(np.min(m - span * s)), float(np.max(m + span * s))

    def cdf(x):
        return sum(wk * special.ndtr((x - mk) / sk) for wk, mk, sk in zip(w, m, s))

    def pmean(a, b):
        out = 0.0
        for wk, mk, sk in zip(w, m, s):
            za, zb = (a - mk) / sk, (b - mk) / sk
            out = out + wk * (mk * (special.ndtr(zb) - special.ndtr(za))
                              + sk * (stats.norm.pdf(za) - stats.norm.pdf(zb)))
        return out

    mean = float(np.dot(w, m))
    total = float(np.dot(w, v + m * m) - mean * mean)
    return _grid_from_cdf(cdf, pmean, lo, hi, n, "gaussian-mixture", total,
                          sf=lambda x: sum(wk * special.ndtr(-(x - mk) / sk)
                                           for wk, mk, sk in zip(w, m, s)))


def discrete(points, probs, *, name="discrete"):
    """A user-given finite distribution (points need not be sorted; repeated points merge).

    Examples
    --------
    >>> from rdptheory.bounds import sources
    >>> s = sources.discrete([1.0, 0.0, 1.0], [0.25, 0.5, 0.25])
    >>> s.points.tolist(), s.probs.tolist()
    ([0.0, 1.0], [0.5, 0.5])
    """
    x = as_real_array(points, "points", lower=-math.inf)
    p = as_real_array(probs, "probs", lower=0.0)
    if x.ndim != 1 or p.shape != x.shape or len(x) < 1:
        raise ValueError(f"points and probs must be 1-D arrays of the same length; got shapes "
                         f"{x.shape} and {p.shape}")
    if not abs(p.sum() - 1.0) < 1e-9:
        raise ValueError(f"probs must sum to 1; got {p.sum()!r}")
    u, inv = np.unique(x, return_inverse=True)
    q = np.bincount(inv, weights=p, minlength=len(u))
    keep = q > 0
    if keep.sum() < 2:
        raise ValueError("the source needs at least two points of positive probability")
    return DiscreteSource(u[keep], q[keep] / q[keep].sum(), name, 0.0)


def bernoulli(p):
    """The Bernoulli(p) source on {0, 1} (use with ``distortion='hamming'``).

    Examples
    --------
    >>> from rdptheory.bounds import sources
    >>> sources.bernoulli(0.3).probs.tolist()
    [0.7, 0.3]
    """
    p = as_real_array(p, "p", lower=0.0, upper=1.0, lower_open=True, upper_open=True).item()
    return DiscreteSource(np.array([0.0, 1.0]), np.array([1.0 - p, p]), f"bernoulli({p:g})")


def empirical(samples, *, n=1000):
    """The empirical distribution of a 1-D sample, binned onto ``n`` equal cells (each cell at
    the mean of its samples) when the sample has more than ``n`` distinct values.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.bounds import sources
    >>> x = np.random.default_rng(0).normal(size=5000)
    >>> s = sources.empirical(x, n=200)
    >>> len(s) <= 200, bool(abs(s.variance + s.cell_variance - x.var()) < 1e-9)
    (True, True)
    """
    x = as_real_array(samples, "samples", lower=-math.inf)
    if x.ndim != 1 or len(x) < 2:
        raise ValueError(f"samples must be a 1-D array of at least 2 values; got shape {x.shape}")
    n = _n(n)
    u = np.unique(x)
    if len(u) <= n:
        return discrete(x, np.full(len(x), 1.0 / len(x)), name="empirical")
    edges = np.linspace(x.min(), x.max(), n + 1)
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, n - 1)
    cnt = np.bincount(idx, minlength=n)
    sums = np.bincount(idx, weights=x, minlength=n)
    keep = cnt > 0
    pts = sums[keep] / cnt[keep]
    probs = cnt[keep] / len(x)
    m = float(np.dot(probs, pts))
    cell_var = max(float(x.var()) - float(np.dot(probs, (pts - m) ** 2)), 0.0)
    return DiscreteSource(pts, probs, "empirical", cell_var)
