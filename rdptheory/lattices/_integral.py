"""Integer forms of registry lattices (for integer-only tools such as fplll).

``integer_embedding(L)`` finds an orthogonal E and a scale s such that s · generator · E is an
integer matrix: the lattice, rotated and scaled, as an integer lattice. Used by the fplll
cross-check (tests/test_lat_fpylll.py) and the throughput benchmark.
"""
import math

import numpy as np

__all__ = ["integer_embedding"]

#: scales tried, in order, to make s * generator integral
_SCALES = (1.0, 2.0, math.sqrt(2.0), 4.0, math.sqrt(8.0), 3.0, math.sqrt(3.0), 6.0,
           2 * math.sqrt(3.0), 8.0, 12.0)


def _integral_scale(M, tol=1e-9):
    for k in _SCALES:
        if np.abs(k * M - np.rint(k * M)).max() <= tol:
            return k
    return None


def integer_embedding(L):
    """(E, s, M) with E E^T = I, M = s G E integral (G = L.generator), or None."""
    G = np.asarray(L.generator, dtype=np.float64)
    n = G.shape[0]
    candidates = [np.eye(n)]
    Bn = getattr(L, "_natural_generator", None)  # the decoder's frame (integral for A_n, E6, E7)
    if Bn is not None and Bn.shape[0] == n:
        candidates.append(np.linalg.solve(G, np.asarray(Bn, dtype=np.float64)))
    if n % 2 == 0:  # Eisenstein lattices (K12): each complex coordinate into A2 in Z^3
        P = np.array([[1.0, -1.0, 0.0], [1.0, 1.0, -2.0]])
        P /= np.linalg.norm(P, axis=1, keepdims=True)
        candidates.append(np.kron(np.eye(n // 2), P))
    for E in candidates:
        if not np.allclose(E @ E.T, np.eye(n), atol=1e-9):
            continue
        GE = G @ E
        s = _integral_scale(GE)
        if s is not None:
            return E, s, np.rint(s * GE).astype(np.int64)
    return None
