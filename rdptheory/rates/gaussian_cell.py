"""Gaussian mass of a lattice cell by multiple importance sampling, and the rate built on it.

For an isotropic Gaussian p = N(0, tau2 I) and a cell w + V0(Λ) the cell probability is

    P(w + V0) = ∫_{w+V0} p(x) dx.

The package's fast estimator (:func:`rdptheory.cell_probability.log_cell_probability`) averages
p over points uniform on the cell. When the cell is not small against sqrt(tau2) (rates below
~1 bit per dimension in 16-24 dimensions) the terms p(w + t) span many orders of magnitude, the
log of their mean is biased low by several nats per block, and its own delta-method estimate of
that bias is far too small (the sample variance of a heavy-tailed term is itself biased low).

This module combines two proposals by the balance heuristic (deterministic-mixture multiple
importance sampling: Veach & Guibas, SIGGRAPH 1995; Owen & Zhou, JASA 95 (2000)):

* q_u, uniform on the cell (M_u points shared by the centers of one chunk), good when p is
  nearly constant over the cell (high rate);
* two Gaussians, M_g/2 points each per center, each point tested for membership with one
  nearest-point decode: q_1 = N(mu, tau2 I) with mu the point where the segment from w to the
  origin leaves the cell (mu = 0 when the cell contains the origin), the shifted-mean proposal
  of Gaussian rare-event simulation (Sadowsky & Bucklew, IEEE T-IT 36 (1990)), good when the
  cell is much larger than the source (low rate); q_2 = N(mu + 0.3 (w − mu), tau2/2 I), narrower
  and inside the cell, good when cell and source are of the same size.

    P_hat = Σ_{all points x} 1{x ∈ w + V0} p(x) / (M_u / V + Σ_c M_c q_c(x)),

unbiased for P, every term at most min(V p(x)/M_u, min_c p(x)/(M_c q_c(x))): the mixture is never
much worse than the best of its parts. Why this method: measured on Leech (200-500 source
blocks, docs/rates.md), at D = 1.0 the uniform estimator gives 0.794 bit/dim (4096 cell points;
the band's upper end is 0.292) and this one 0.275 / 0.267 / 0.264 with M_g = 64 / 256 / 1024; at
D = 0.5, q_1 alone gave 0.732 / 0.725 / 0.704 and the mixture 0.694 / 0.692 / 0.690 on the same
blocks (q_2 alone fails at D = 1.5: 0.81 against 0.10). Adapting the mean by cross-entropy
iterations (Rubinstein 1999) did not help.

Bias diagnostic: the same estimator on the first quarter of the points (M_u/4, M_g/4) and on all
of them. For a log of an unbiased mean the bias is ~ b/M, so (est(M/4) − est(M))/3 estimates the
remaining bias of est(M); it is reported with its paired standard error.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from .._parallel import as_seed_sequence
from .._validation import as_real_array, check_integer
from ..cell_probability import log_cell_probability
from ..dither import sample_voronoi
from ..lattices import as_lattice

__all__ = ["log_cell_probability_mis", "CellRate", "cell_rate", "in_cell"]

_LN2 = math.log(2.0)


def in_cell(lattice, points, centers=None):
    """True where ``points`` (rows) lie in the Voronoi cell ``centers + V0(Λ)`` (one decode each).

    Examples
    --------
    >>> from rdptheory.rates import in_cell
    >>> in_cell("Z2", [[0.4, -0.2], [0.6, 0.0]]).tolist()
    [True, False]
    """
    L = as_lattice(lattice)
    x = np.asarray(points, dtype=np.float64)
    if centers is not None:
        x = x - np.asarray(centers, dtype=np.float64)
    q = L.nearest_point(x.reshape(-1, L.dimension))
    tol = 1e-12 * L.volume ** (2.0 / L.dimension)
    return (np.einsum("ij,ij->i", q, q) < tol).reshape(x.shape[:-1])


def _exit_points(L, w, steps=12):
    """mu_i = (1 − s_i) w_i with s_i the largest s in [0, 1] such that s w_i ∈ V0 (bisection,
    ``steps`` decodes per center): where the segment from w_i to 0 leaves w_i + V0; 0 when the
    cell contains the origin."""
    inside = in_cell(L, w)
    lo, hi = np.zeros(w.shape[0]), np.ones(w.shape[0])
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        ok = in_cell(L, mid[:, None] * w)
        lo, hi = np.where(ok, mid, lo), np.where(ok, hi, mid)
    s = np.where(inside, 1.0, lo)
    return (1.0 - s)[:, None] * w


@njit(cache=True)
def _mis_log_sum(w, mus, s2s, counts, t, g, gin, tau2, mu_count, log_v):
    """log Σ of the balance-heuristic terms p(x) / (M_u/V + Σ_c M_c q_c(x)) over the first
    ``mu_count`` uniform points (w + t_k, shared) and the Gaussian points g[i, k] in the cell
    (gin); component c = N(mus[c, i], s2s[c] I) owns ``counts[c]`` consecutive points of g
    (only the first counts[c] of its block are used when ``counts`` is a quarter)."""
    N, n = w.shape
    C = mus.shape[0]
    out = np.empty(N)
    cp = -0.5 * n * math.log(2 * math.pi * tau2)
    lmu = math.log(mu_count) - log_v if mu_count > 0 else -np.inf
    lq = np.empty(C)
    for c in range(C):
        lq[c] = (math.log(counts[c]) if counts[c] > 0 else -np.inf) \
            - 0.5 * n * math.log(2 * math.pi * s2s[c])
    block = g.shape[1] // C
    vals = np.empty(mu_count + g.shape[1])
    lc = np.empty(C + 1)
    for i in range(N):
        m = 0
        for k in range(mu_count + C * block):
            if k >= mu_count:
                kk = k - mu_count
                if kk % block >= counts[kk // block] or not gin[i, kk]:
                    continue
            s = 0.0
            for j in range(n):
                x = w[i, j] + t[k, j] if k < mu_count else g[i, k - mu_count, j]
                s += x * x
            lc[0] = lmu
            mx = lmu
            for c in range(C):
                d2 = 0.0
                for j in range(n):
                    x = w[i, j] + t[k, j] if k < mu_count else g[i, k - mu_count, j]
                    d = x - mus[c, i, j]
                    d2 += d * d
                lc[c + 1] = lq[c] - d2 / (2.0 * s2s[c])
                if lc[c + 1] > mx:
                    mx = lc[c + 1]
            tot = 0.0
            for c in range(C + 1):
                tot += math.exp(lc[c] - mx)
            vals[m] = cp - s / (2.0 * tau2) - (mx + math.log(tot))
            m += 1
        mx = -np.inf
        for k in range(m):
            if vals[k] > mx:
                mx = vals[k]
        if mx == -np.inf:
            out[i] = -np.inf
            continue
        tot = 0.0
        for k in range(m):
            tot += math.exp(vals[k] - mx)
        out[i] = mx + math.log(tot)
    return out


#: Gaussian components of the proposal, equal shares of the Gaussian points: (variance / tau2,
#: depth from the exit point toward the center). Chosen by measurement (docs/rates.md, Leech
#: at D = 0.5, 1.0, 1.5): the wide one is right when the cell holds the source (low rate), the
#: narrow deeper one when cell and Gaussian are of the same size.
_COMPONENTS = ((1.0, 0.0), (0.5, 0.3))


def log_cell_probability_mis(centers, lattice, tau2, *, uniform_samples=1024,
                             gaussian_samples=256, rng=None, return_quarter=False):
    r"""Natural log of P(X ∈ c + V0(Λ)), X ~ N(0, tau2 I), by multiple importance sampling.

    Parameters
    ----------
    centers : array_like, shape (N, n)
        Cell positions c (lattice points, or dithered points c + u).
    lattice : Lattice or str
        Λ at its actual scale (the cell is c + V0(Λ)).
    tau2 : float
        Per-coordinate variance of the Gaussian, > 0.
    uniform_samples, gaussian_samples : int
        M_u points uniform on V0 (shared by the centers) and M_g Gaussian points per center
        (one decode each); each >= 4 or 0, not both 0.
    rng : int, Generator or None
    return_quarter : bool
        Also return the estimate from the first quarter of the points (bias diagnostic).

    Returns
    -------
    logp : ndarray (N,) [, logp_quarter : ndarray (N,)]

    Notes
    -----
    P_hat = Σ_x 1{x ∈ c + V0} p(x) / (M_u/V + Σ_c M_c q_c(x)) over all M_u + M_g points, the
    balance heuristic of Veach & Guibas (1995) (unbiased; see the module docstring), with
    M_g/2 points from each of q_1 = N(mu, tau2 I), mu where the segment from c to the origin
    leaves the cell, and q_2 = N(mu + 0.3 (c − mu), tau2/2 I).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import norm
    >>> from rdptheory.rates import log_cell_probability_mis
    >>> lp = log_cell_probability_mis([[0.0], [2.0]], "Z1", 1.0, rng=0)
    >>> exact = np.log(norm.cdf([0.5, 2.5]) - norm.cdf([-0.5, 1.5]))
    >>> bool(np.all(np.abs(lp - exact) < 0.02))
    True
    """
    L = as_lattice(lattice)
    c = np.ascontiguousarray(np.asarray(centers, dtype=np.float64))
    if c.ndim != 2 or c.shape[1] != L.dimension:
        raise ValueError(f"centers must have shape (N, {L.dimension}); got {c.shape}")
    if not np.isfinite(c).all():
        raise ValueError("centers must be finite")
    tau2 = float(as_real_array(tau2, "tau2", lower=0.0, lower_open=True))
    mu_n = check_integer(uniform_samples, "uniform_samples", lower=0)
    mg_n = check_integer(gaussian_samples, "gaussian_samples", lower=0)
    if mu_n + mg_n < 4 or 0 < mu_n < 4 or 0 < mg_n < 8:
        raise ValueError(f"uniform_samples must be 0 or >= 4 and gaussian_samples 0 or >= 8, not "
                         f"both 0; got {mu_n} and {mg_n}")
    gu, gg = [np.random.default_rng(s) for s in as_seed_sequence(rng).spawn(2)]
    n, N = L.dimension, c.shape[0]
    t = np.ascontiguousarray(sample_voronoi(L, mu_n, gu)) if mu_n else np.zeros((1, n))
    C = len(_COMPONENTS)
    block = mg_n // C
    if mg_n:
        mu0 = _exit_points(L, c)
        mus = np.ascontiguousarray(np.stack([mu0 + d * (c - mu0) for _, d in _COMPONENTS]))
        s2s = np.array([k * tau2 for k, _ in _COMPONENTS])
        g = np.concatenate([mus[j][:, None, :] + math.sqrt(s2s[j])
                            * gg.standard_normal((N, block, n)) for j in range(C)], axis=1)
        gin = in_cell(L, g - c[:, None, :])
        g = np.ascontiguousarray(g)
    else:
        mus, s2s = np.zeros((C, N, n)), np.ones(C)
        g, gin = np.zeros((N, C, n)), np.zeros((N, C), dtype=bool)
    lv = math.log(L.volume)

    def run(mu_count, per_block):
        counts = np.full(C, float(per_block))
        return _mis_log_sum(c, mus, s2s, counts, t, g, gin, tau2, mu_count, lv)

    full = run(mu_n, block)
    if not return_quarter:
        return full
    return full, run(mu_n // 4, block // 4)


@dataclass(frozen=True)
class CellRate:
    """An entropy rate E[−log2 P(cell)]/n in bits per dimension with an honest bias diagnostic.

    ``bias`` = (estimate at a quarter of the cell points − estimate at all)/3, the estimated
    remaining (upward) bias of ``bits``, with its paired standard error ``bias_stderr``;
    ``bias_exceeds_se`` is True when ``|bias| > stderr`` (the number is then not trustworthy at
    its stated precision). ``method`` is "uniform" (log-mean-exp over uniform cell points) or
    "mis" (:func:`log_cell_probability_mis`); ``n_centers`` source blocks were used (the first
    ones), and ``block_bits`` holds their per-block −log2 P̂/n, whose mean is ``bits`` (for
    control variates and other re-analyses).
    """

    bits: float
    stderr: float
    bias: float
    bias_stderr: float
    bias_exceeds_se: bool
    method: str
    n_centers: int
    uniform_samples: int
    gaussian_samples: int
    jensen_bias: float = 0.0
    block_bits: np.ndarray = field(default=None, repr=False, compare=False)


def _summary(lp_full, lp_quarter, n, method, mu_n, mg_n, jensen=0.0):
    a = -lp_full / (n * _LN2)
    b = -lp_quarter / (n * _LN2)
    N = a.size
    se = float(a.std(ddof=1) / math.sqrt(N))
    d = (b - a) / 3.0
    bias = float(d.mean())
    bse = float(d.std(ddof=1) / math.sqrt(N))
    return CellRate(bits=float(a.mean()), stderr=se, bias=bias, bias_stderr=bse,
                    bias_exceeds_se=bool(abs(bias) > se), method=method, n_centers=int(N),
                    uniform_samples=int(mu_n), gaussian_samples=int(mg_n),
                    jensen_bias=float(jensen), block_bits=a)


_CHUNK = 4096
_PILOT = 512


def cell_rate(centers, lattice, tau2, *, method="auto", cell_samples=4096, gaussian_samples=None,
              max_decodes=None, rng=None, progress=None):
    r"""Entropy-coded rate E[−log2 P(X ∈ c + V0)]/n (bits per dimension) over the rows c of
    ``centers``, X ~ N(0, tau2 I), with standard error and bias diagnostic.

    Parameters
    ----------
    centers : array_like (N, n)
        The encoder's cells (c + u for SD, ŷ for PD/QSD), one per source block.
    lattice : Lattice or str
        Λ at its actual scale.
    tau2 : float
        Gaussian variance per coordinate.
    method : {"auto", "uniform", "mis"}
        "uniform": the fast log-mean-exp over ``cell_samples`` uniform cell points (one fresh
        pool per chunk of 4096 centers). "mis": :func:`log_cell_probability_mis` with
        ``cell_samples // 4`` uniform and ``gaussian_samples`` (default
        min(1024, max(16, cell_samples // 4))) Gaussian points per center, on at
        most ``max(512, max_decodes // gaussian_samples)`` centers (the first ones; the decodes
        are the cost; default ``max_decodes`` = 2^21 (24/n)², about 20-40 s on one core for
        any registry lattice). "auto": "uniform" when its quarter-vs-full diagnostic, its
        delta-method bias are below SE/4 and its paired difference d from "mis" on the first
        512 blocks (M_g = 128) is not significantly beyond SE/4 (``|d| <= SE/4 + 2 SE(d)``, with
        SE(d) < SE/4), else "mis". The pilot is needed: measured on E8 at
        D = 1 with 16384 cell points the uniform estimator is 0.011 bit/dim high while its
        own quarter-vs-full diagnostic reads −0.001 (a heavy tail not yet sampled).
    rng : int, Generator or None
    progress : callable(done, total) or None
        Called after each chunk; ``done`` goes back to 0 when "auto" moves on from the
        uniform pass to the importance-sampling pass.

    Returns
    -------
    CellRate

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.rates import cell_rate
    >>> c = np.random.default_rng(0).normal(size=(2000, 1)).round()   # Z cells of N(0, 1)
    >>> r = cell_rate(c, "Z1", 1.0, rng=1)
    >>> from scipy.stats import norm
    >>> k = np.arange(-8, 9)
    >>> pk = norm.cdf(k + 0.5) - norm.cdf(k - 0.5)
    >>> exact = -(pk * np.log2(pk)).sum()                       # H(round(X)), bits
    >>> r.method, bool(r.bias_exceeds_se), bool(abs(r.bits - exact) < 4 * r.stderr)
    ('uniform', False, True)
    """
    L = as_lattice(lattice)
    c = np.ascontiguousarray(np.asarray(centers, dtype=np.float64))
    if c.ndim != 2 or c.shape[1] != L.dimension or c.shape[0] < 2:
        raise ValueError(f"centers must have shape (N >= 2, {L.dimension}); got {c.shape}")
    if method not in ("auto", "uniform", "mis"):
        raise ValueError(f"method must be 'auto', 'uniform' or 'mis'; got {method!r}")
    M = check_integer(cell_samples, "cell_samples", lower=16)  # MIS takes a quarter, >= 4
    if gaussian_samples is None:
        gaussian_samples = min(1024, max(16, M // 4))
    mg = check_integer(gaussian_samples, "gaussian_samples", lower=8)
    if max_decodes is None:
        max_decodes = int(2 ** 21 * (24 / L.dimension) ** 2)
    max_decodes = check_integer(max_decodes, "max_decodes", lower=1)
    tau2 = float(as_real_array(tau2, "tau2", lower=0.0, lower_open=True))
    ss_u, ss_m = as_seed_sequence(rng).spawn(2)
    n, N = L.dimension, c.shape[0]
    if method in ("auto", "uniform"):
        full, quarter, jb = np.empty(N), np.empty(N), np.empty(N)
        for k, start in enumerate(range(0, N, _CHUNK)):
            stop = min(N, start + _CHUNK)
            t = sample_voronoi(L, M, np.random.default_rng(ss_u.spawn(1)[0]))
            full[start:stop], jb[start:stop] = log_cell_probability(
                c[start:stop], t, L.volume, tau2, return_bias=True)
            quarter[start:stop] = log_cell_probability(c[start:stop], t[: M // 4], L.volume, tau2)
            if progress is not None:
                progress(stop, N)
        jensen = float(jb.mean()) / (n * _LN2)
        res = _summary(full, quarter, n, "uniform", M, 0, jensen)
        if method == "uniform":
            return res
        if abs(res.bias) < res.stderr / 4 and jensen < res.stderr / 4:
            # independent check on a pilot: the uniform estimate minus the MIS estimate on the
            # same first blocks (paired); the uniform's own diagnostic can miss a heavy tail
            k = min(N, _PILOT)
            pil = log_cell_probability_mis(c[:k], L, tau2, uniform_samples=M // 4,
                                           gaussian_samples=128, rng=ss_m.spawn(1)[0])
            d = (pil - full[:k]) / (n * _LN2)
            d_se = float(d.std(ddof=1) / math.sqrt(k))
            # no significant disagreement beyond SE/4, from an informative pilot: the accepted
            # bias is then below ~3 SE/4 (at two pilot standard errors)
            if d_se < res.stderr / 4 and abs(float(d.mean())) <= res.stderr / 4 + 2 * d_se:
                return res
        if progress is not None:
            progress(0, N)  # the importance-sampling pass starts over
    Nm = min(N, max(512, max_decodes // mg))
    chunk = max(1, 2 ** 17 // mg)
    full, quarter = np.empty(Nm), np.empty(Nm)
    for start in range(0, Nm, chunk):
        stop = min(Nm, start + chunk)
        full[start:stop], quarter[start:stop] = log_cell_probability_mis(
            c[start:stop], L, tau2, uniform_samples=M // 4, gaussian_samples=mg,
            rng=ss_m.spawn(1)[0], return_quarter=True)
        if progress is not None:
            progress(round(stop * N / Nm), N)
    return _summary(full, quarter, n, "mis", M // 4, mg)
