"""Small dense products done in numba rather than BLAS.

Thin products such as (10^6 x 8) @ (8 x 8) are memory-bound; threaded BLAS gains nothing on
them and can stall for hundreds of milliseconds when the cores are busy (its threads spin),
and its summation order may depend on the thread count. These kernels are single-threaded with
a fixed order, so results are reproducible bit for bit.
"""
import numpy as np
from numba import njit

__all__ = ["rows_times_matrix"]


@njit(cache=True)
def _rows_times_matrix(u, B):
    m, n = u.shape
    N = B.shape[1]
    x = np.zeros((m, N))
    for k in range(m):
        for i in range(n):
            a = u[k, i]
            for j in range(N):
                x[k, j] += a * B[i, j]
    return x


def rows_times_matrix(u, B):
    """``u @ B`` for float64 arrays of shape (m, n) and (n, N)."""
    return _rows_times_matrix(np.ascontiguousarray(u, dtype=np.float64),
                              np.ascontiguousarray(B, dtype=np.float64))
