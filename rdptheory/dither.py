"""Dithered lattice quantization: uniform samples on the Voronoi cell and the crypto lemma.

Crypto lemma (Zamir & Feder 1992, 1996): for any y, deterministic or
random, and u ~ Unif(V0(Λ)) independent of y, the error Q(y − u) + u − y is uniform on
−V0(Λ) and independent of y.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._parallel import as_generator
from ._validation import check_integer
from .lattices import as_lattice

__all__ = ["sample_voronoi", "dithered_quantize", "DitheredQuantization"]




def sample_voronoi(lattice, size, rng=None):
    """Points uniform on the Voronoi cell V0(Λ) of the origin.

    x = zB with z ~ U[0,1)^n is uniform modulo Λ, so x − Q(x) is uniform on V0 (Conway & Sloane
    1984; the same construction as the NSM estimator).

    Parameters
    ----------
    lattice : Lattice or str
    size : int
        Number of points (>= 0).
    rng : int, Generator or None

    Returns
    -------
    ndarray, shape (size, n)

    Examples
    --------
    >>> from rdptheory.dither import sample_voronoi
    >>> u = sample_voronoi("A2", 5, rng=0)
    >>> u.shape
    (5, 2)
    """
    L = as_lattice(lattice)
    size = check_integer(size, "size", lower=0)
    g = as_generator(rng)
    x = g.random((size, L.dimension)) @ L.generator
    return x - L.nearest_point(x)


@dataclass(frozen=True)
class DitheredQuantization:
    """Result of :func:`dithered_quantize`.

    Attributes
    ----------
    codeword : ndarray
        c = Q(y − u), the lattice point that is transmitted.
    dither : ndarray
        u, uniform on V0(Λ) (shared by encoder and decoder in subtractive dithering).
    reconstruction : ndarray
        c + u.
    error : ndarray
        c + u − y: uniform on −V0(Λ) and independent of y (crypto lemma).
    """

    codeword: np.ndarray
    dither: np.ndarray
    reconstruction: np.ndarray
    error: np.ndarray


def dithered_quantize(y, lattice, rng=None, *, dither=None):
    """Subtractive dithered lattice quantization of the rows of ``y``.

    Parameters
    ----------
    y : array_like, shape (..., n)
    lattice : Lattice or str
    rng : int, Generator or None
        Draws the dither when ``dither`` is not given.
    dither : array_like, optional
        A dither of the same shape as ``y`` (e.g. shared randomness known to both sides).

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.dither import dithered_quantize
    >>> r = dithered_quantize(np.zeros((4, 8)), "E8", rng=1)
    >>> bool(np.allclose(r.reconstruction - 0.0, r.error))
    True
    """
    L = as_lattice(lattice)
    y = L._check_points(y)
    shape = y.shape
    flat = y.reshape(-1, L.dimension)
    if dither is None:
        u = sample_voronoi(L, flat.shape[0], rng)
    else:
        u = L._check_points(dither)
        if u.shape != shape:
            raise ValueError(f"dither must have the shape of y {shape}; got {u.shape}")
        u = u.reshape(-1, L.dimension)
    c = L.nearest_point(flat - u)
    rec = c + u
    return DitheredQuantization(codeword=c.reshape(shape), dither=u.reshape(shape),
                                reconstruction=rec.reshape(shape),
                                error=(rec - flat).reshape(shape))
