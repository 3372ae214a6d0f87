"""The learned quantization regions of a 2-D coder in source space, measured.

A codeword c owns the source-space cell {x : Q_Λ(g_a(x)) = c}. Lei, Hassani & Saeedi Bidokhti,
ICLR 2025 (Gaussian experiments): NTC's cells are
warped squares, LTC-A2's are hexagons. Two measurements of the cell around the origin:

* the number of neighbouring cells that share an edge with it (4 for squares, 6 for
  hexagons), from a fine pixel grid, counting a neighbour when the shared boundary is at least
  ``min_share`` of the cell's perimeter (so corner touches and one-pixel slivers do not count);
* its normalized second moment G = E‖x − m‖² / (2·A) (m the centroid, A the area), by Monte
  Carlo over a box around the cell with a batch standard error (square 1/12 = 0.08333,
  hexagon 5/(36√3) = 0.08019).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._parallel import as_generator
from .._validation import check_integer

__all__ = ["CellMap", "cell_map", "CellShape", "central_cell_shape"]


@dataclass(frozen=True)
class CellMap:
    """Labels of a pixel grid: ``labels[i, j]`` indexes ``codewords`` (latent lattice points)
    for the source point (xs[j], ys[i]); ``reconstructions`` are g_s(codewords)."""

    xs: np.ndarray
    ys: np.ndarray
    labels: np.ndarray
    codewords: np.ndarray
    reconstructions: np.ndarray


def cell_map(model, extent=3.0, resolution=400, center=(0.0, 0.0)):
    """Codeword of every pixel of a square grid [c − extent, c + extent]² (2-D models).

    Examples
    --------
    >>> from rdptheory.ltc import make_ltc
    >>> from rdptheory.ltc.regions import cell_map
    >>> cm = cell_map(make_ltc("Z2", 2, init_noise=0.0, rng=0), extent=1.0, resolution=40)
    >>> cm.labels.shape, len(cm.codewords)          # unit squares around the origin
    ((40, 40), 9)
    """
    if model.n != 2:
        raise ValueError(f"cell maps need a 2-D model; got n = {model.n}")
    res = check_integer(resolution, "resolution", lower=2)
    xs = np.linspace(center[0] - extent, center[0] + extent, res)
    ys = np.linspace(center[1] - extent, center[1] + extent, res)
    X, Y = np.meshgrid(xs, ys)
    pts = np.column_stack([X.ravel(), Y.ravel()])
    cw = model.encode(pts)
    uniq, inv = np.unique(np.round(cw, 9), axis=0, return_inverse=True)
    return CellMap(xs, ys, inv.reshape(res, res), uniq, model.decode(uniq))


@dataclass(frozen=True)
class CellShape:
    """Measurements of the source-space cell containing ``point``: edge ``neighbours``, the
    shared boundary fractions, ``area``, ``nsm`` with its standard error ``nsm_stderr``, the
    number of Monte Carlo points that fell in the cell."""

    neighbours: int
    shares: tuple
    area: float
    nsm: float
    nsm_stderr: float
    mc_points: int


def central_cell_shape(model, *, point=(0.0, 0.0), extent=2.0, resolution=600,
                       min_share=0.03, mc_points=400_000, batches=20, rng=None):
    r"""Neighbour count and normalized second moment of the learned cell containing ``point``.

    Parameters
    ----------
    model : LTC with n = 2
    point : the source point whose cell is measured (default the origin)
    extent, resolution : the pixel grid [point ± extent]² used for the neighbour count
    min_share : a neighbour counts when it shares at least this fraction of the perimeter
    mc_points, batches : uniform points in the cell's bounding box, split into batches for
        the standard error of G
    rng : int, Generator or None

    Examples
    --------
    >>> from rdptheory.ltc import make_ltc
    >>> from rdptheory.ltc.regions import central_cell_shape
    >>> s = central_cell_shape(make_ltc("A2", 2, init_noise=0.0, rng=0), mc_points=40_000,
    ...                        resolution=300, rng=0)
    >>> s.neighbours, bool(abs(s.nsm - 5 / (36 * 3 ** 0.5)) < 4 * s.nsm_stderr + 1e-3)
    (6, True)
    """
    cm = cell_map(model, extent, resolution, point)
    lab = cm.labels
    c0 = model.encode(np.asarray([point], dtype=np.float64))[0]
    k0 = int(np.argmin(np.abs(cm.codewords - c0).sum(axis=1)))
    inside = lab == k0
    if inside[0, :].any() or inside[-1, :].any() or inside[:, 0].any() or inside[:, -1].any():
        raise ValueError("the cell reaches the edge of the grid; increase extent")
    # edges between a pixel of the cell and a 4-neighbour pixel outside it
    counts = {}
    for a, b in ((inside[:, :-1], lab[:, 1:]), (inside[:, 1:], lab[:, :-1]),
                 (inside[:-1, :], lab[1:, :]), (inside[1:, :], lab[:-1, :])):
        other = b[a & (b != k0)]
        for v, c in zip(*np.unique(other, return_counts=True)):
            counts[int(v)] = counts.get(int(v), 0) + int(c)
    perim = sum(counts.values())
    shares = tuple(sorted((c / perim for c in counts.values()), reverse=True))
    neighbours = sum(s >= min_share for s in shares)
    # Monte Carlo NSM over the bounding box of the pixel cell (padded by two pixels)
    h = cm.xs[1] - cm.xs[0]
    rows, cols = np.nonzero(inside)
    lo = np.array([cm.xs[cols.min()] - 2 * h, cm.ys[rows.min()] - 2 * h])
    hi = np.array([cm.xs[cols.max()] + 2 * h, cm.ys[rows.max()] + 2 * h])
    g = as_generator(rng)
    batches = check_integer(batches, "batches", lower=2)
    per = check_integer(mc_points, "mc_points", lower=batches) // batches
    box = float(np.prod(hi - lo))
    Gs, areas, total = [], [], 0
    for _ in range(batches):
        x = lo + (hi - lo) * g.random((per, 2))
        inn = np.all(np.abs(model.encode(x) - c0) < 1e-9, axis=1)
        xi = x[inn]
        total += xi.shape[0]
        A = box * xi.shape[0] / per
        m = xi.mean(axis=0)
        Gs.append(float(((xi - m) ** 2).sum(axis=1).mean()) / (2.0 * A))
        areas.append(A)
    Gs = np.asarray(Gs)
    return CellShape(neighbours=int(neighbours), shares=shares, area=float(np.mean(areas)),
                     nsm=float(Gs.mean()), nsm_stderr=float(Gs.std(ddof=1) / math.sqrt(batches)),
                     mc_points=int(total))
