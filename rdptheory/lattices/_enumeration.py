"""Exact lattice algorithms for an arbitrary basis: LLL, closest point, short and relevant vectors.

This module is the oracle against which every fast decoder of :mod:`rdptheory.lattices` is
checked, so it favours exactness and simplicity over speed (it is nevertheless fast enough
for Monte Carlo work in dimension <= ~12).

Conventions (shared with :mod:`rdptheory.lattices._root`):

* a generator matrix ``B`` has the basis vectors as ROWS, shape (n, N) with n <= N and
  rank n; the lattice points are ``z @ B`` for integer row vectors ``z``;
* points to decode have shape (m, N) (a single point of shape (N,) is also accepted); the
  closest point minimizes the Euclidean distance, so the component of a point orthogonal
  to the row space of ``B`` does not matter;
* everything is computed in float64 (float32 or integer input is cast); kernels are
  ``@njit(cache=True)`` and do no validation, the public functions validate.

Triangular form. After LLL reduction (Lenstra, Lenstra & Lovasz 1982) the reduced basis is
factored as ``B_red = G @ Q.T`` with ``Q`` (N, n) orthonormal and ``G`` (n, n) lower
triangular with positive diagonal (a QR factorization of ``B_red.T``); ``H = inv(G)``.
A point ``x`` has real coefficients ``x @ Q @ H`` with respect to ``B_red``. All searches
below run on ``(G, H)`` as in Agrell, Eriksson, Vardy & Zeger (2002), Section III-B.

Tolerances (documented once, used everywhere):

* ``short_vectors`` keeps the vectors with ``|v|^2 <= radius2 * (1 + 1e-9)``; the norms are
  recomputed from the vectors ``z @ B_red`` (the enumeration itself uses a radius larger by
  a further relative 1e-12 so that rounding in the triangular form cannot lose a vector);
* ``minimum_norm``/``kissing_number`` therefore count the vectors within a relative 1e-9 of
  the minimum; ``relevant_vectors`` treats two squared lengths in a coset as equal when they
  differ by at most a relative 1e-9;
* ``nearest_point_certificate`` accepts ``2<x - p, v> <= |v|^2 (1 + rtol) + atol``.

References
----------
.. [AEVZ02] E. Agrell, T. Eriksson, A. Vardy and K. Zeger, "Closest point search in
   lattices", IEEE Trans. Inf. Theory 48(8), 2201-2214, 2002.
.. [LLL82] A. K. Lenstra, H. W. Lenstra and L. Lovasz, "Factoring polynomials with rational
   coefficients", Math. Ann. 261, 515-534, 1982.
.. [FP85] U. Fincke and M. Pohst, "Improved methods for calculating vectors of short length
   in a lattice", Math. Comp. 44(170), 463-471, 1985.
.. [SE94] C. P. Schnorr and M. Euchner, "Lattice basis reduction: improved practical
   algorithms and solving subset sum problems", Math. Programming 66, 181-199, 1994.
"""
import numpy as np
from numba import njit
from scipy.linalg import solve_triangular

__all__ = [
    "lll_reduce",
    "ClosestPointSearcher",
    "closest_points",
    "short_vectors",
    "minimum_norm",
    "kissing_number",
    "relevant_vectors",
    "nearest_point_certificate",
]

# relative tolerance on squared norms (see the module docstring)
_NORM_RTOL = 1e-9
# extra relative slack of the enumeration radius over the final filter
_ENUM_SLACK = 1e-12
# largest real coefficient that still rounds exactly (well below 2**53)
_MAX_COEF = 2.0 ** 50
# relevant_vectors loops over 2**n - 1 cosets
_MAX_RELEVANT_DIM = 12


# --------------------------------------------------------------------------------------
# validation and per-basis preprocessing
# --------------------------------------------------------------------------------------
def _as_basis(B):
    try:
        B = np.array(B, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"B must be a real 2-D array, got {type(B).__name__}") from exc
    if B.ndim != 2:
        raise ValueError(f"B must be a 2-D array (rows are basis vectors), got ndim={B.ndim}")
    n, N = B.shape
    if n == 0:
        raise ValueError("B must have at least one row (basis vector)")
    if n > N:
        raise ValueError(f"B must have at most as many rows as columns, got shape {B.shape}")
    if not np.all(np.isfinite(B)):
        raise ValueError("B must contain only finite values")
    rank = np.linalg.matrix_rank(B)
    if rank < n:
        raise ValueError(f"B must have full row rank {n} (linearly independent rows), "
                         f"got rank {rank}")
    return np.ascontiguousarray(B)


def _lower_factor(b):
    """Lower-triangular L (positive diagonal) with b = L @ Q.T, Q orthonormal columns."""
    q, r = np.linalg.qr(b.T)
    s = np.where(np.diag(r) < 0.0, -1.0, 1.0)
    return (r * s[:, None]).T, q * s[None, :]


class _Prepared:
    """Per-basis data: LLL-reduced basis and its triangular form (see module docstring)."""

    __slots__ = ("basis", "reduced", "U", "G", "H", "Gd", "QH")

    def __init__(self, B, delta=0.99):
        B = _as_basis(B)
        reduced, U = _lll(B, delta)
        G, Q = _lower_factor(reduced)
        n = G.shape[0]
        H = solve_triangular(G, np.eye(n), lower=True)
        self.basis = B
        self.reduced = np.ascontiguousarray(reduced)
        self.U = U
        self.G = np.ascontiguousarray(G)
        self.H = np.ascontiguousarray(H)
        self.Gd = np.ascontiguousarray(np.diag(G).copy())
        self.QH = np.ascontiguousarray(Q @ H)
        for a in (self.basis, self.reduced, self.U, self.G, self.H, self.Gd, self.QH):
            a.setflags(write=False)


# --------------------------------------------------------------------------------------
# LLL
# --------------------------------------------------------------------------------------
def _lll(B, delta):
    n, N = B.shape
    b = B.copy()
    U = np.eye(n, dtype=np.int64)
    tiny = 1e-13 * np.max(np.abs(B))
    k = 1
    max_iter = 10_000 + 1_000 * n * n
    it = 0
    while k < n:
        it += 1
        if it > max_iter:  # pragma: no cover - floating-point cycling safeguard
            raise RuntimeError("LLL did not terminate; the basis of B is too ill-conditioned")
        # size reduction of row k, repeated until stable (each pass recomputes the
        # Gram-Schmidt data from the current vectors, so rounding errors do not accumulate)
        for _ in range(8):
            L, _q = _lower_factor(b[:k + 1])
            changed = False
            for j in range(k - 1, -1, -1):
                r = np.floor(L[k, j] / L[j, j] + 0.5)
                if r != 0.0:
                    if abs(r) > _MAX_COEF:
                        raise ValueError("B is too ill-conditioned for floating-point LLL")
                    b[k] -= r * b[j]
                    U[k] -= np.int64(r) * U[j]
                    L[k, :j + 1] -= r * L[j, :j + 1]
                    changed = True
            if not changed:
                break
        if L[k, k] <= tiny or L[k - 1, k - 1] <= tiny:
            raise ValueError("B must have full row rank (a Gram-Schmidt norm vanished "
                             "during LLL reduction)")
        mu = L[k, k - 1] / L[k - 1, k - 1]
        if L[k, k] ** 2 >= (delta - mu * mu) * L[k - 1, k - 1] ** 2:
            k += 1
        else:
            b[[k - 1, k]] = b[[k, k - 1]]
            U[[k - 1, k]] = U[[k, k - 1]]
            k = max(k - 1, 1)
    return U.astype(np.float64) @ B, U


def lll_reduce(B, delta=0.99):
    """LLL-reduce a lattice basis (rows of ``B``).

    Parameters
    ----------
    B : array_like, shape (n, N)
        Generator matrix whose rows are linearly independent basis vectors, n <= N.
    delta : float, optional
        Lovasz parameter, 1/4 < delta < 1. Larger values give a better reduced basis.

    Returns
    -------
    B_reduced : ndarray, shape (n, N), float64
        The reduced basis, computed as ``U @ B``.
    U : ndarray, shape (n, n), int64
        Unimodular integer matrix (``|det U| = 1``) with ``B_reduced = U @ B``.

    Raises
    ------
    ValueError
        If ``B`` is not a finite 2-D array of full row rank with n <= N, or ``delta`` is
        outside (1/4, 1).

    Notes
    -----
    The textbook algorithm of Lenstra, Lenstra & Lovasz (1982): for k = 1, ..., n-1,
    size-reduce row k (``|mu_kj| <= 1/2`` for j < k) and then either advance (Lovasz
    condition ``|b*_k|^2 >= (delta - mu_{k,k-1}^2) |b*_{k-1}|^2``) or swap rows k-1 and k
    and step back. The Gram-Schmidt data are recomputed from the current vectors by a
    Householder QR at every step instead of being updated, which costs O(k^2 N) per step
    but cannot drift; this is adequate for the moderate dimensions (n <= ~50) and
    well-conditioned bases used in this package. Non-square bases are handled as they
    are (the rows live in R^N). Rounding is ``floor(t + 1/2)``.

    Examples
    --------
    >>> import numpy as np
    >>> B = np.array([[1.0, 0.0], [7.0, 1.0]])
    >>> B_red, U = lll_reduce(B)
    >>> B_red
    array([[1., 0.],
           [0., 1.]])
    >>> bool(np.array_equal(U @ B, B_red)), round(abs(np.linalg.det(U)))
    (True, 1)
    """
    delta = float(delta)
    if not 0.25 < delta < 1.0:
        raise ValueError(f"delta must satisfy 1/4 < delta < 1, got {delta}")
    B = _as_basis(B)
    return _lll(B, delta)


# --------------------------------------------------------------------------------------
# numba kernels
# --------------------------------------------------------------------------------------
@njit(cache=True)
def _se_decode(E, H, Gd, u, ubest, dist, step):
    """Schnorr-Euchner closest-point search (algorithm DECODE of AEVZ02, Sec. III-B).

    On entry ``E[n-1, :]`` holds the real coefficients of the target with respect to the
    basis whose triangular form is ``G`` (``Gd = diag(G)``, ``H = inv(G)``). On exit
    ``ubest`` holds the integer coefficients of the closest point; returns its squared
    distance (within the row space). ``E, u, dist, step`` are work arrays.
    """
    n = H.shape[0]
    k = n - 1
    best = np.inf
    dist[k] = 0.0
    u[k] = np.floor(E[k, k] + 0.5)
    y = (E[k, k] - u[k]) * Gd[k]
    step[k] = 1.0 if y > 0.0 else -1.0
    while True:
        newdist = dist[k] + y * y
        if newdist < best:
            if k != 0:
                for i in range(k):
                    E[k - 1, i] = E[k, i] - y * H[k, i]
                k -= 1
                dist[k] = newdist
                u[k] = np.floor(E[k, k] + 0.5)
                y = (E[k, k] - u[k]) * Gd[k]
                step[k] = 1.0 if y > 0.0 else -1.0
            else:
                for i in range(n):
                    ubest[i] = u[i]
                best = newdist
                if n == 1:
                    return best
                k = 1
                u[k] += step[k]
                y = (E[k, k] - u[k]) * Gd[k]
                step[k] = -step[k] - (1.0 if step[k] > 0.0 else -1.0)
        else:
            if k == n - 1:
                return best
            k += 1
            u[k] += step[k]
            y = (E[k, k] - u[k]) * Gd[k]
            step[k] = -step[k] - (1.0 if step[k] > 0.0 else -1.0)


@njit(cache=True)
def _closest_batch(x, reduced, QH, H, Gd, zout, pout, d2out):
    """Closest points of the rows of ``x``; returns False if a coefficient is too large."""
    m, N = x.shape
    n = reduced.shape[0]
    E = np.zeros((n, n))
    u = np.zeros(n)
    ubest = np.zeros(n)
    dist = np.zeros(n)
    step = np.zeros(n)
    z0 = np.zeros(n)
    xr = np.zeros(N)
    ok = True
    for p in range(m):
        # Babai rounding of the real coefficients, then search around it near the origin
        for j in range(n):
            z0[j] = 0.0
        for i in range(N):
            xi = x[p, i]
            for j in range(n):
                z0[j] += xi * QH[i, j]
        for j in range(n):
            if not abs(z0[j]) < 2.0 ** 50:  # also catches NaN
                ok = False
                z0[j] = 0.0
            z0[j] = np.floor(z0[j] + 0.5)
        for i in range(N):
            xr[i] = x[p, i]
        for j in range(n):
            zj = z0[j]
            if zj != 0.0:
                for i in range(N):
                    xr[i] -= zj * reduced[j, i]
        last = E[n - 1]
        for j in range(n):
            last[j] = 0.0
        for i in range(N):
            xi = xr[i]
            for j in range(n):
                last[j] += xi * QH[i, j]
        d2out[p] = _se_decode(E, H, Gd, u, ubest, dist, step)
        for j in range(n):
            zout[p, j] = np.int64(z0[j] + ubest[j])
        for i in range(N):
            pout[p, i] = 0.0
        for j in range(n):
            zj = z0[j] + ubest[j]
            if zj != 0.0:
                for i in range(N):
                    pout[p, i] += zj * reduced[j, i]
    return ok


@njit(cache=True)
def _enum_ball(center, H, Gd, radius2, half, shrink, max_count):
    """Fincke-Pohst enumeration of all u with |(u - center) G|^2 <= radius2.

    Levels are visited from n-1 down to 0 and, at each level, the admissible integers in
    increasing order (FP85; AEVZ02 Sec. III-A). With ``half`` (center must be 0) only the
    vectors whose first nonzero coefficient from the top level is positive are returned,
    and 0 is excluded. With ``shrink`` the radius is lowered to every strictly shorter
    vector found and only the shortest one is returned. Returns (coefficients (k, n)
    float64, squared norms (k,), overflow flag).
    """
    n = H.shape[0]
    E = np.zeros((n, n))
    u = np.zeros(n)
    dist = np.zeros(n)
    hi = np.zeros(n)
    nz = np.zeros(n, dtype=np.bool_)
    cap = 64
    out = np.empty((cap, n))
    norms = np.empty(cap)
    count = 0
    R = radius2
    best = np.inf
    k = n - 1
    for i in range(n):
        E[k, i] = center[i]
    dist[k] = 0.0
    nz[k] = False
    s = np.sqrt(R) / Gd[k]
    lo = np.ceil(E[k, k] - s)
    hi[k] = np.floor(E[k, k] + s)
    if half:
        lo = max(lo, 1.0 if k == 0 else 0.0)
    u[k] = lo
    while True:
        if u[k] > hi[k]:
            k += 1
            if k == n:
                break
            u[k] += 1.0
            continue
        y = (E[k, k] - u[k]) * Gd[k]
        nd = dist[k] + y * y
        if nd > R:
            u[k] += 1.0
            continue
        if k == 0:
            if shrink:
                if nd < best:
                    best = nd
                    R = nd
                    for i in range(n):
                        out[0, i] = u[i]
                    norms[0] = nd
                    count = 1
            else:
                if count == max_count:
                    return out[:count], norms[:count], True
                if count == cap:
                    cap *= 2
                    new = np.empty((cap, n))
                    new[:count] = out[:count]
                    out = new
                    newn = np.empty(cap)
                    newn[:count] = norms[:count]
                    norms = newn
                for i in range(n):
                    out[count, i] = u[i]
                norms[count] = nd
                count += 1
            u[k] += 1.0
            continue
        for i in range(k):
            E[k - 1, i] = E[k, i] - y * H[k, i]
        dist[k - 1] = nd
        nz[k - 1] = nz[k] or u[k] != 0.0
        k -= 1
        rem = R - dist[k]
        s = np.sqrt(rem if rem > 0.0 else 0.0) / Gd[k]
        lo = np.ceil(E[k, k] - s)
        hi[k] = np.floor(E[k, k] + s)
        if half and not nz[k]:
            lo = max(lo, 1.0 if k == 0 else 0.0)
        u[k] = lo
    return out[:count], norms[:count], False


# --------------------------------------------------------------------------------------
# closest point
# --------------------------------------------------------------------------------------
class ClosestPointSearcher:
    """Exact closest-point search in the lattice generated by the rows of ``B``.

    The basis is LLL-reduced and factored once; calling the searcher decodes a batch.

    Parameters
    ----------
    B : array_like, shape (n, N)
        Generator matrix (rows are linearly independent basis vectors), n <= N.

    Attributes
    ----------
    basis : ndarray, shape (n, N)
        ``B`` as float64 (read-only).
    reduced_basis : ndarray, shape (n, N)
        The LLL-reduced basis ``U @ B`` (delta = 0.99) used by the search.
    unimodular : ndarray, shape (n, n), int64
        ``U``.

    See Also
    --------
    closest_points : the one-call convenience function.

    Notes
    -----
    For each point ``x`` the real coefficients ``c = x Q H`` with respect to the reduced
    basis are rounded, ``z0 = floor(c + 1/2)``, and the residual ``x - z0 B_red`` is
    formed in the ambient coordinates. The closest point of the residual is found by the
    Schnorr-Euchner enumeration of AEVZ02 (algorithm DECODE): a depth-first search over
    the triangular form that visits each level in zig-zag order around its conditional
    centre, so that the first leaf reached is the Babai nearest-plane point, which sets
    the initial radius, and the radius shrinks at every better leaf. Working with the
    residual keeps the search near the origin, so huge coordinates (up to about 2**50
    cells) lose no more accuracy than the input already carries, and the search is
    scale-free (a basis scaled by 1e-9 works unchanged).

    Ties: the search replaces its best point only by a strictly nearer one, so among
    exactly equidistant lattice points the result is the first one met in the
    Schnorr-Euchner order started at ``z0``. The result is a deterministic function of
    ``(B, x)`` and does not depend on the other rows of the batch.

    The cost per point is O(nN) arithmetic plus the enumeration, whose size grows
    exponentially with n; it is fast up to n ~ 16 and usable in dimension 24.
    """

    __slots__ = ("_prep",)

    def __init__(self, B):
        self._prep = _Prepared(B)

    @property
    def basis(self):
        return self._prep.basis

    @property
    def reduced_basis(self):
        return self._prep.reduced

    @property
    def unimodular(self):
        return self._prep.U

    def __repr__(self):
        n, N = self._prep.basis.shape
        return f"ClosestPointSearcher(n={n}, N={N})"

    def __call__(self, x, return_coefficients=False):
        """Closest lattice points of the rows of ``x``.

        Parameters
        ----------
        x : array_like, shape (m, N) or (N,)
            Points to decode (cast to float64).
        return_coefficients : bool, optional
            Also return the integer coefficients with respect to the original basis.

        Returns
        -------
        points : ndarray, shape like ``x``, float64
            The closest lattice points.
        coefficients : ndarray, shape (m, n) or (n,), int64
            Only if ``return_coefficients``: ``points = coefficients @ B`` (up to rounding).
        """
        prep = self._prep
        n, N = prep.basis.shape
        x = np.asarray(x, dtype=np.float64)
        single = x.ndim == 1
        if single:
            x = x[None, :]
        if x.ndim != 2 or x.shape[1] != N:
            raise ValueError(f"x must have shape (m, {N}) or ({N},) to match B, "
                             f"got {x.shape if not single else x.shape[1:]}")
        if not np.all(np.isfinite(x)):
            raise ValueError("x must contain only finite values")
        x = np.ascontiguousarray(x)
        m = x.shape[0]
        z = np.empty((m, n), dtype=np.int64)
        pts = np.empty((m, N))
        d2 = np.empty(m)
        ok = _closest_batch(x, prep.reduced, prep.QH, prep.H, prep.Gd, z, pts, d2)
        if not ok:
            raise ValueError("x has coordinates too large relative to the lattice "
                             "(more than 2**50 cells): the result would not be exact")
        if single:
            pts = pts[0]
        if not return_coefficients:
            return pts
        coef = z @ prep.U
        return pts, (coef[0] if single else coef)


def closest_points(B, x, return_coefficients=False):
    """Exact closest lattice points for a batch of points, any basis.

    Parameters
    ----------
    B : array_like, shape (n, N)
        Generator matrix; rows are linearly independent basis vectors, n <= N.
    x : array_like, shape (m, N) or (N,)
        Points to decode. The component orthogonal to the row space of ``B`` is ignored.
    return_coefficients : bool, optional
        Also return the integer coefficients of the points with respect to ``B``.

    Returns
    -------
    points : ndarray, float64, shape like ``x``
        For each row of ``x``, a lattice point ``z @ B`` nearest to it.
    coefficients : ndarray, int64, shape (m, n) or (n,)
        Only if ``return_coefficients``: the ``z``.

    See Also
    --------
    ClosestPointSearcher : reuse the per-basis preprocessing for many calls.

    Notes
    -----
    LLL reduction, then Schnorr-Euchner enumeration started at the Babai point
    (Agrell, Eriksson, Vardy & Zeger 2002); see :class:`ClosestPointSearcher` for the
    details and the tie-breaking rule. The answer is exact: no lattice point is nearer
    (up to floating-point rounding of the distances, about 1e-15 relative).

    Examples
    --------
    The hexagonal lattice A2:

    >>> import numpy as np
    >>> B = np.array([[1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    >>> p, z = closest_points(B, [[0.9, 0.8], [-2.2, 0.1]], return_coefficients=True)
    >>> z
    array([[ 0,  1],
           [-2,  0]])
    >>> bool(np.allclose(p, z @ B))
    True
    """
    return ClosestPointSearcher(B)(x, return_coefficients=return_coefficients)


# --------------------------------------------------------------------------------------
# short vectors, minimum, kissing number
# --------------------------------------------------------------------------------------
def _short_vectors(prep, radius2, max_count):
    n = prep.G.shape[0]
    keep = radius2 * (1.0 + _NORM_RTOL)
    half = max_count // 2 + 1
    coef, _norms, overflow = _enum_ball(np.zeros(n), prep.H, prep.Gd,
                                        keep * (1.0 + _ENUM_SLACK), True, False, half)
    if overflow:
        raise ValueError(f"more than {max_count} lattice vectors have squared norm <= "
                         f"radius2={radius2}; raise max_count or lower radius2")
    z = np.rint(coef).astype(np.int64)
    v = z.astype(np.float64) @ prep.reduced
    norms = np.einsum("ij,ij->i", v, v)
    sel = norms <= keep
    z, v, norms = z[sel], v[sel], norms[sel]
    # each v followed by -v, then a stable sort by squared norm
    k = z.shape[0]
    z2 = np.empty((2 * k, n), dtype=np.int64)
    z2[0::2], z2[1::2] = z, -z
    v2 = np.empty((2 * k, v.shape[1]))
    v2[0::2], v2[1::2] = v, -v
    order = np.argsort(np.repeat(norms, 2), kind="stable")
    return v2[order], z2[order]


def short_vectors(B, radius2, return_coefficients=False, max_count=2_000_000):
    """All nonzero lattice vectors of squared norm at most ``radius2``.

    Parameters
    ----------
    B : array_like, shape (n, N)
        Generator matrix (rows are basis vectors).
    radius2 : float
        Squared radius; vectors with ``|v|^2 <= radius2 * (1 + 1e-9)`` are returned.
    return_coefficients : bool, optional
        Also return the integer coefficients with respect to ``B``.
    max_count : int, optional
        Raise instead of returning more than this many vectors (memory guard).

    Returns
    -------
    vectors : ndarray, shape (k, N), float64
        Sorted by squared norm (stable; each v is immediately followed by -v before
        sorting, so the list is closed under negation).
    coefficients : ndarray, shape (k, n), int64
        Only if ``return_coefficients``.

    Notes
    -----
    Fincke-Pohst enumeration (FP85) of the ball around the origin in the triangular form
    of the LLL-reduced basis (AEVZ02, Sec. III-A). Only one vector of each pair ±v is
    enumerated (the one whose highest-index nonzero coefficient with respect to the
    reduced basis is positive) and its negative is added, halving the work. The norms used for the final
    selection are recomputed from the vectors.

    Examples
    --------
    The 24 roots of D4 (SPLAG Table 1.2):

    >>> B = [[-1, -1, 0, 0], [1, -1, 0, 0], [0, 1, -1, 0], [0, 0, 1, -1]]
    >>> short_vectors(B, 2.0).shape
    (24, 4)
    """
    radius2 = float(radius2)
    if not (np.isfinite(radius2) and radius2 >= 0.0):
        raise ValueError(f"radius2 must be a finite number >= 0, got {radius2}")
    max_count = int(max_count)
    if max_count < 0:
        raise ValueError(f"max_count must be >= 0, got {max_count}")
    prep = _Prepared(B)
    v, z = _short_vectors(prep, radius2, max_count)
    if v.shape[0] > max_count:
        raise ValueError(f"more than {max_count} lattice vectors have squared norm <= "
                         f"radius2={radius2}; raise max_count or lower radius2")
    if return_coefficients:
        return v, z @ prep.U
    return v


def _minimum_norm(prep):
    n = prep.G.shape[0]
    r0 = float(np.min(np.einsum("ij,ij->i", prep.reduced, prep.reduced)))
    coef, _norms, _ = _enum_ball(np.zeros(n), prep.H, prep.Gd,
                                 r0 * (1.0 + _NORM_RTOL), True, True, 1)
    v = coef[0] @ prep.reduced
    return float(v @ v)


def minimum_norm(B):
    """Squared length of a shortest nonzero lattice vector.

    Parameters
    ----------
    B : array_like, shape (n, N)
        Generator matrix (rows are basis vectors).

    Returns
    -------
    float
        ``min |v|^2`` over nonzero lattice vectors v.

    Notes
    -----
    Enumeration around the origin (Schnorr & Euchner 1994; Fincke & Pohst 1985) in the
    LLL-reduced basis, started with the radius of the shortest reduced basis vector and
    shrunk to every shorter vector found.

    Examples
    --------
    >>> minimum_norm([[2.0, 0.0], [1.0, 3.0]])
    4.0
    """
    return _minimum_norm(_Prepared(B))


def kissing_number(B):
    """Number of lattice vectors of minimum norm (the kissing number).

    Parameters
    ----------
    B : array_like, shape (n, N)
        Generator matrix (rows are basis vectors).

    Returns
    -------
    int
        The number of nonzero vectors whose squared norm is within a relative 1e-9 of
        :func:`minimum_norm`.

    Examples
    --------
    The hexagonal lattice A2 (SPLAG Table 1.2: 6):

    >>> kissing_number([[1.0, 0.0], [0.5, 3 ** 0.5 / 2]])
    6
    """
    prep = _Prepared(B)
    v, _ = _short_vectors(prep, _minimum_norm(prep), max_count=10 ** 8)
    return int(v.shape[0])


# --------------------------------------------------------------------------------------
# relevant vectors and the certificate
# --------------------------------------------------------------------------------------
def relevant_vectors(B, return_coefficients=False):
    """Voronoi-relevant vectors of a low-dimensional lattice.

    Parameters
    ----------
    B : array_like, shape (n, N)
        Generator matrix (rows are basis vectors), n <= 12.
    return_coefficients : bool, optional
        Also return the integer coefficients with respect to ``B``.

    Returns
    -------
    vectors : ndarray, shape (k, N), float64
        The relevant vectors, sorted by squared norm (stable; ±v adjacent).
    coefficients : ndarray, shape (k, n), int64
        Only if ``return_coefficients``.

    Raises
    ------
    ValueError
        If n > 12 (the search visits 2**n - 1 cosets).

    Notes
    -----
    Voronoi's characterization as used by AEVZ02 (Sec. V): a nonzero v is relevant iff
    ±v are the only shortest vectors of the coset v + 2Λ. For each of the 2**n - 1 nonzero
    classes s of Λ/2Λ (coefficient vectors s in {0, 1}**n of the reduced basis), the
    shortest vectors of s B + 2Λ are ``s B + 2 w`` with w a closest point of Λ to
    ``-s B / 2``; they are found by a closest-point search followed by a Fincke-Pohst
    enumeration of all lattice points within the closest distance (relative tolerance
    1e-9 on squared norms), and the class contributes its pair iff there are exactly two.

    Examples
    --------
    Z^2 has the four unit vectors; the hexagonal lattice A2 has six:

    >>> relevant_vectors([[1.0, 0.0], [0.0, 1.0]]).shape
    (4, 2)
    >>> relevant_vectors([[1.0, 0.0], [0.5, 3 ** 0.5 / 2]]).shape
    (6, 2)
    """
    prep = _Prepared(B)
    n = prep.G.shape[0]
    if n > _MAX_RELEVANT_DIM:
        raise ValueError(f"relevant_vectors supports rank n <= {_MAX_RELEVANT_DIM} "
                         f"(2**n - 1 cosets are searched), got B with n={n} rows")
    E = np.zeros((n, n))
    u = np.zeros(n)
    ubest = np.zeros(n)
    dist = np.zeros(n)
    step = np.zeros(n)
    found = []
    for cls in range(1, 2 ** n):
        s = np.array([(cls >> i) & 1 for i in range(n)], dtype=np.float64)
        center = -0.5 * s
        E[n - 1, :] = center
        d = _se_decode(E, prep.H, prep.Gd, u, ubest, dist, step)
        R = d * (1.0 + _NORM_RTOL) * (1.0 + _ENUM_SLACK)
        coef, _norms, _ = _enum_ball(center, prep.H, prep.Gd, R, False, False, 3)
        if coef.shape[0] == 2:
            found.append(s + 2.0 * coef[0])
            found.append(s + 2.0 * coef[1])
    z = np.rint(np.array(found).reshape(-1, n)).astype(np.int64)
    v = z.astype(np.float64) @ prep.reduced
    order = np.argsort(np.einsum("ij,ij->i", v, v), kind="stable")
    v, z = v[order], z[order]
    if return_coefficients:
        return v, z @ prep.U
    return v


def nearest_point_certificate(x, p, relevant, rtol=1e-9, atol=0.0):
    """Check that each ``p`` is a closest lattice point to the matching ``x``.

    Parameters
    ----------
    x : array_like, shape (m, N) or (N,)
        Points.
    p : array_like, same shape as ``x``
        Candidate lattice points (assumed to be in the lattice).
    relevant : array_like, shape (k, N)
        The Voronoi-relevant vectors of the lattice (:func:`relevant_vectors`), or any
        set containing them.
    rtol, atol : float, optional
        Tolerance: the test is ``2<x - p, v> <= |v|^2 (1 + rtol) + atol``. The default
        ``rtol`` absorbs rounding for points within ~1e6 cells of the origin.

    Returns
    -------
    ok : ndarray of bool, shape (m,) (or a bool for a single point)
        True where the certificate holds, i.e. ``x - p`` lies in the (slightly inflated)
        Voronoi cell of the origin.

    Notes
    -----
    The Voronoi cell of the origin is the intersection of the half-spaces
    ``2<y, v> <= |v|^2`` over the relevant vectors v (Voronoi; AEVZ02 Sec. V), so ``p`` is
    a closest point of ``x`` iff ``x - p`` satisfies all of them. Evaluated in chunks of
    points so that memory stays bounded for large relevant sets.

    Examples
    --------
    >>> import numpy as np
    >>> rel = relevant_vectors(np.eye(2))
    >>> nearest_point_certificate([[0.4, 0.6], [0.4, 0.6]], [[0.0, 1.0], [0.0, 0.0]], rel)
    array([ True, False])
    """
    x = np.asarray(x, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    V = np.asarray(relevant, dtype=np.float64)
    if x.shape != p.shape:
        raise ValueError(f"x and p must have the same shape, got {x.shape} and {p.shape}")
    single = x.ndim == 1
    y = (x - p).reshape(1, -1) if single else x - p
    if y.ndim != 2 or V.ndim != 2 or V.shape[1] != y.shape[1]:
        raise ValueError(f"relevant must have shape (k, {y.shape[-1]}), got {V.shape}")
    bound = np.einsum("ij,ij->i", V, V) * (1.0 + rtol) + atol
    m = y.shape[0]
    ok = np.empty(m, dtype=bool)
    chunk = max(1, 2 ** 22 // max(1, V.shape[0]))
    for a in range(0, m, chunk):
        ok[a:a + chunk] = np.all(2.0 * (y[a:a + chunk] @ V.T) <= bound, axis=1)
    return bool(ok[0]) if single else ok
