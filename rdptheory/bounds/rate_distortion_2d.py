r"""R(D) of a two-dimensional continuous source, bracketed: the Shannon lower bound below, a
Blahut–Arimoto coupling on a grid lifted to an exact continuous scheme above.

Grid: ``n × n`` equal cells of a box holding all but a negligible part of the mass; each cell's
probability, conditional mean and conditional second moment are integrated by a ``sub × sub``
midpoint rule of the density (the mass outside the box is reported). Blahut–Arimoto (Blahut
1972; Cover & Thomas, Sec. 10.8) runs on the cell means at a few slopes. Each iterate's coupling
:math:`\pi_{ij}` is lifted as in :mod:`rdptheory.bounds.lift`: X → its cell i → j drawn from
:math:`\pi(\cdot\mid i)` → X̂ drawn from the source's law on cell j, so that
:math:`I(X;\hat X) = I(i;j)` and
:math:`E\|X-\hat X\|^2 = \sum_{ij}\pi_{ij}\|x_i-x_j\|^2 + \sum_i p_i v_i + \sum_j q_j v_j`
(:math:`v` the cells' conditional variances, summed over the two coordinates): an achievable
(distortion, rate) pair of the continuous source. The convex hull of these pairs (time sharing
is achievable for the information R(D)) gives the upper bound at the requested D.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import as_real_scalar, check_integer

__all__ = ["RateDistortion2d", "rate_distortion_2d"]

_LN2 = math.log(2.0)
#: most support points kept (cells with non-negligible mass); two dense K × K float64 matrices
MAX_CELLS = 8000
#: largest n * sub (midpoints per axis of the integration grid)
MAX_SUBGRID = 2048


@dataclass(frozen=True)
class RateDistortion2d:
    """Bracket of R(D) per coordinate (bits), D per coordinate.

    ``upper``: rate of an achievable continuous scheme with distortion <= ``D`` (the hull of the
    lifted Blahut–Arimoto points); ``lower``: the Shannon lower bound h/2 − ½log₂(2πeD) when the
    entropy is given, else nan; ``points``: the lifted (D, R) pairs per coordinate;
    ``outside_mass``: source mass outside the box (not integrated); ``cells``: n²."""

    D: float
    lower: float
    upper: float
    points: tuple
    outside_mass: float
    cells: int

    def upper_at(self, D):
        """The same hull's upper bound at another distortion per coordinate."""
        return _hull_at(self.points, float(D))


def _grid(log_density, box, n, sub):
    (x0, x1), (y0, y1) = box
    hx, hy = (x1 - x0) / n, (y1 - y0) / n
    # sub × sub midpoints in every cell
    fx = x0 + (np.arange(n * sub) + 0.5) * hx / sub
    fy = y0 + (np.arange(n * sub) + 0.5) * hy / sub
    X, Y = np.meshgrid(fx, fy, indexing="ij")
    w = np.exp(log_density(np.stack([X.ravel(), Y.ravel()], axis=1))).reshape(X.shape)
    w *= hx * hy / (sub * sub)
    cell = lambda a: a.reshape(n, sub, n, sub).sum(axis=(1, 3)).ravel()   # noqa: E731
    mass = cell(w)
    mx, my = cell(w * X) / np.where(mass > 0, mass, 1), cell(w * Y) / np.where(mass > 0, mass, 1)
    sx = cell(w * X * X) / np.where(mass > 0, mass, 1) - mx * mx
    sy = cell(w * Y * Y) / np.where(mass > 0, mass, 1) - my * my
    # the midpoint rule misses the within-subcell spread: add it (h²/12 per sub-cell)
    var = np.clip(sx, 0, None) + np.clip(sy, 0, None) + (hx * hx + hy * hy) / (12 * sub * sub)
    keep = mass > 1e-14 * mass.sum()
    total = float(mass.sum())
    return (np.stack([mx, my], axis=1)[keep], mass[keep] / mass[keep].sum(), var[keep],
            max(1.0 - total, 0.0))


def _blahut_arimoto(p, d, s, q0, iters):
    A = np.exp(-s * (d - d.min(axis=1, keepdims=True)))       # rows rescaled: c_x cancels
    q = q0.copy()
    for _ in range(iters):
        c = A @ q
        q = q * (A.T @ (p / c))
        q /= q.sum()
    c = A @ q
    pi = p[:, None] * A * q[None, :] / c[:, None]
    return pi, q


def rate_distortion_2d(log_density, box, D, *, n=48, sub=4, entropy_bits=None,
                       slopes=None, iters=400):
    r"""Bracket R(D) (bits per coordinate, D per coordinate) of a 2-D source (module docstring).

    Parameters
    ----------
    log_density : callable
        ``log_density(points) -> log p`` (nats) for points of shape (m, 2).
    box : ((x0, x1), (y0, y1))
        Integration box; the mass outside is reported, not coded.
    D : float
        Mean squared error per coordinate, > 0.
    n, sub : int
        Cells per axis (n <= 512; at most ``MAX_CELLS`` of the n² cells may carry mass) and
        midpoints per cell per axis (n · sub <= 2048).
    entropy_bits : float, optional
        h(X) in bits per coordinate, for the Shannon lower bound.
    slopes : sequence of float, optional
        Blahut–Arimoto slopes (nats per unit of total squared error); default a geometric range
        around 1/(2D).
    iters : int
        Iterations per slope (<= 100,000) (warm-started from the previous slope's output law).

    Returns
    -------
    RateDistortion2d

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.bounds.rate_distortion_2d import rate_distortion_2d
    >>> logp = lambda z: -0.5 * (z ** 2).sum(axis=1) - np.log(2 * np.pi)     # N(0, I)
    >>> r = rate_distortion_2d(logp, ((-6, 6), (-6, 6)), 0.25, n=32, entropy_bits=0.5 *
    ...                        np.log2(2 * np.pi * np.e))
    >>> round(r.lower, 6), bool(1.0 <= r.upper < 1.1)                       # R(D) = 1
    (1.0, True)
    """
    if not callable(log_density):
        raise ValueError(f"log_density must be callable; got {type(log_density).__name__}")
    D = as_real_scalar(D, "D", lower=0.0, lower_open=True)
    n = check_integer(n, "n", lower=2, upper=512)
    sub = check_integer(sub, "sub", lower=1, upper=16)
    if n * sub > MAX_SUBGRID:
        raise ValueError(f"n * sub must be at most {MAX_SUBGRID} (memory of the midpoint grid); "
                         f"got n = {n}, sub = {sub}")
    iters = check_integer(iters, "iters", lower=1, upper=100_000)
    try:
        box = np.asarray(box, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("box must be ((x0, x1), (y0, y1)) of real numbers") from None
    if box.shape != (2, 2) or not np.isfinite(box).all() or not (box[:, 0] < box[:, 1]).all():
        raise ValueError(f"box must be ((x0, x1), (y0, y1)), finite, with x0 < x1 and y0 < y1; "
                         f"got {box.tolist() if box.size < 10 else box.shape}")
    if slopes is not None:
        slopes = np.atleast_1d(np.asarray(slopes, dtype=np.float64))
        if slopes.ndim != 1 or slopes.size == 0 or not np.isfinite(slopes).all() or \
                (slopes <= 0).any():
            raise ValueError("slopes must be a non-empty list of finite numbers > 0")
    pts, p, var, outside = _grid(log_density, box, n, sub)
    if len(p) > MAX_CELLS:
        raise ValueError(f"n = {n} gives {len(p)} cells with mass; at most {MAX_CELLS} are "
                         f"supported (memory: two dense {MAX_CELLS}² matrices)")
    d = ((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2)
    if slopes is None:
        slopes = 0.5 / D * np.geomspace(0.5, 2.0, 7)
    q = p.copy()
    pairs = []
    for s in sorted(float(x) for x in slopes):
        pi, q = _blahut_arimoto(p, d, s, q, iters)
        qj = pi.sum(axis=0)
        grid_d = float(np.sum(pi * d))
        dist = (grid_d + float(p @ var) + float(qj @ var)) / 2.0      # per coordinate
        i, j = np.nonzero(pi > 0)
        rate = float(np.sum(pi[i, j] * (np.log(pi[i, j]) - np.log(p[i]) - np.log(qj[j])))
                     ) / (2.0 * _LN2)
        pairs.append((dist, rate))
    upper = _hull_at(pairs, D)
    lower = math.nan
    if entropy_bits is not None:
        lower = max(float(entropy_bits) - 0.5 * math.log2(2 * math.pi * math.e * D), 0.0)
    return RateDistortion2d(D, lower, upper, tuple(pairs), outside, len(p))


def _hull_at(pairs, D):
    """Smallest rate at distortion <= D over the pairs and their two-point mixtures."""
    best = min((r for d, r in pairs if d <= D), default=math.inf)
    for d1, r1 in pairs:
        for d2, r2 in pairs:
            if d1 < D < d2:
                t = (d2 - D) / (d2 - d1)
                best = min(best, t * r1 + (1 - t) * r2)
    return best
