"""Numba kernels for the nearest point in the root lattices (Conway & Sloane 1982, CS82F).

Conventions shared by every kernel module of :mod:`rdptheory.lattices`:

* a *row kernel* ``_xxx_row(x, out)`` takes one point ``x`` (1-D float64) and writes the
  nearest lattice point into ``out`` (same length); it returns the squared distance
  ``||x - out||^2``. Row kernels are ``@njit`` functions that other kernels call, so each
  decoding rule is written exactly once;
* a *batch function* ``nearest_xxx(x)`` takes a C-contiguous float64 array of shape (m, n)
  and returns the (m, n) array of nearest points. Batch functions do no input validation:
  :class:`rdptheory.lattices.Lattice` validates before it calls them.

Ties are broken deterministically: scalar rounding is ``floor(t + 1/2)`` (so Q(x + k) = Q(x) + k
for integer k, even at a tie), and a coset union keeps the first coset among equally near ones.
"""
import numpy as np
from numba import njit

__all__ = ["nearest_zn", "nearest_dn"]


@njit(cache=True, inline="always")
def _round_half_up(t):
    return np.floor(t + 0.5)


@njit(cache=True)
def _zn_row(x, out):
    d = 0.0
    for i in range(x.shape[0]):
        r = _round_half_up(x[i])
        out[i] = r
        d += (x[i] - r) ** 2
    return d


@njit(cache=True)
def _dn_row(x, out):
    """D_n = {z in Z^n : sum(z) even} (CS82F, algorithm for D_n)."""
    n = x.shape[0]
    total = 0.0
    worst = 0
    worst_err = -1.0
    for i in range(n):
        r = _round_half_up(x[i])
        out[i] = r
        total += r
        e = abs(x[i] - r)
        if e > worst_err:
            worst_err = e
            worst = i
    if total % 2.0 != 0.0:
        # re-round the worst coordinate the other way
        if x[worst] >= out[worst]:
            out[worst] += 1.0
        else:
            out[worst] -= 1.0
    d = 0.0
    for i in range(n):
        d += (x[i] - out[i]) ** 2
    return d


@njit(cache=True)
def _batch_zn(x, out):
    for k in range(x.shape[0]):
        _zn_row(x[k], out[k])


@njit(cache=True)
def _batch_dn(x, out):
    for k in range(x.shape[0]):
        _dn_row(x[k], out[k])


def nearest_zn(x):
    """Nearest point of Z^n for each row of ``x`` (shape (m, n))."""
    out = np.empty_like(x)
    _batch_zn(x, out)
    return out


def nearest_dn(x):
    """Nearest point of D_n (integer vectors with even coordinate sum) for each row of ``x``."""
    out = np.empty_like(x)
    _batch_dn(x, out)
    return out
