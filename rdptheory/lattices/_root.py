"""Numba kernels for the nearest point in the root lattices (Conway & Sloane 1982, CS82F).

Conventions shared by every kernel module of :mod:`rdptheory.lattices`:

* a *row kernel* ``_xxx_row(x, out)`` takes one point ``x`` (1-D float64) and writes the
  nearest lattice point into ``out`` (same length); it returns the squared distance
  ``||x - out||^2``. Row kernels are ``@njit`` functions that other kernels call, so each
  decoding rule is written exactly once. A rule that no other kernel calls (D_n, D_n+) is
  written as a batch loop ``_xxx_rows(x, out, n)`` instead (the row loop inside the inlined
  function, the dimension a compile-time constant for the registry's D4 and E8): 1.4-2.3x
  faster. A kernel that needs scratch memory takes it as a
  trailing ``work`` argument (a float64 array owned by the caller, e.g. shape (2, N)) or
  trailing 1-D scratch arrays, so the hot loop never allocates;
* a lattice whose span is a proper subspace of R^N (A_n, A_n*, E6, E7 in their natural
  coordinates) is decoded through the orthogonal projection of ``x`` on the span; its row
  kernel returns the squared distance from that projection (the component of ``x``
  orthogonal to the span is the same for every lattice point, and dropping it keeps
  comparisons between cosets accurate when ``x`` has a huge orthogonal component);
* a *batch function* ``nearest_xxx(x)`` takes an array of shape (m, N), casts it to
  C-contiguous float64 and returns the (m, N) array of nearest points. Batch functions do no
  further input validation: :class:`rdptheory.lattices.Lattice` validates before it calls them;
* ``generator_xxx(...)`` returns a generator matrix with the basis vectors as rows, shape
  (n, N), in the coordinates and scaling of the matching decoder.

The small row kernels are compiled with ``inline="always"`` (numba-IR inlining into their
callers), which makes the batch loops about 1.3-1.5x faster than plain calls. This module holds
Z^n, D_n, A_n, A_n*, D_n*, D_n+ and E8 and the coset-union factories; E6, E6*, E7, E7* and
K12 are in :mod:`rdptheory.lattices._glue`.

Ties are broken deterministically: scalar rounding is ``floor(t + 1/2)`` (so Q(x + k) = Q(x) + k
for integer k, even at a tie), a re-rounding keeps the lowest index among equally bad
coordinates, and a coset union keeps the first coset among equally near ones.
"""
import numpy as np
from numba import njit

__all__ = [
    "nearest_zn", "nearest_dn", "nearest_an", "nearest_an_dual", "nearest_dn_dual",
    "nearest_dn_plus", "nearest_e8",
    "generator_zn", "generator_dn", "generator_an", "generator_an_dual", "generator_dn_dual",
    "generator_dn_plus", "generator_e8",
]


# ----------------------------------------------------------------------------------------
# row kernels
# ----------------------------------------------------------------------------------------

@njit(cache=True, inline="always")
def _round_half_up(t):
    return np.floor(t + 0.5)


@njit(cache=True, inline="always")
def _zn_row(x, out):
    d = 0.0
    for i in range(x.shape[0]):
        r = _round_half_up(x[i])
        out[i] = r
        d += (x[i] - r) ** 2
    return d


@njit(cache=True, inline="always")
def _dn_rows(x, out, n):
    """D_n = {z in Z^n : sum(z) even} (CS82F, algorithm for D_n) for each row of ``x``.

    Round every coordinate; if the sum is odd, re-round the worst coordinate (largest
    |x_i - r_i|, lowest index on ties) the other way (which adds 1 - 2|x_i - r_i| to the
    squared distance). Written as a batch loop, not a row kernel (no coset union calls it):
    with the row loop inside the inlined function and a max reduction it runs 2.3x faster.
    """
    for k in range(x.shape[0]):
        total = 0.0
        worst_err = -1.0
        for i in range(n):
            r = _round_half_up(x[k, i])
            out[k, i] = r
            total += r
            worst_err = max(worst_err, abs(x[k, i] - r))
        if np.int64(total) & 1:
            worst = 0
            for i in range(n - 1, -1, -1):  # the lowest index attaining the largest residual
                worst = i if abs(x[k, i] - out[k, i]) == worst_err else worst
            out[k, worst] += 1.0 if x[k, worst] >= out[k, worst] else -1.0


@njit(cache=True, inline="always")
def _an_row(x, out):
    """A_n = {z in Z^(n+1) : sum(z) = 0}, decoded through the projection of x on sum = 0.

    CS82F: round the projected point y coordinatewise; if the rounded coordinates sum to
    Delta != 0, move the |Delta| coordinates whose rounding residual y_i - r_i is most extreme
    (the smallest residuals down when Delta > 0, the largest up when Delta < 0) one step.
    Returns ||y - out||^2.
    """
    m = x.shape[0]
    mean = 0.0
    for i in range(m):
        mean += x[i]
    mean /= m
    total = 0.0
    for i in range(m):
        r = _round_half_up(x[i] - mean)
        out[i] = r
        total += r
    delta = int(total)
    # residuals lie in [-1/2, 1/2); a moved coordinate leaves that range, so it is never
    # picked twice (|Delta| <= m/2 because the projected point sums to zero)
    while delta > 0:
        j = 0
        best = np.inf
        for i in range(m):
            e = (x[i] - mean) - out[i]
            if e < best:
                best = e
                j = i
        out[j] -= 1.0
        delta -= 1
    while delta < 0:
        j = 0
        best = -np.inf
        for i in range(m):
            e = (x[i] - mean) - out[i]
            if e > best:
                best = e
                j = i
        out[j] += 1.0
        delta += 1
    d = 0.0
    for i in range(m):
        d += ((x[i] - mean) - out[i]) ** 2
    return d


@njit(cache=True)
def _an_dual_row(x, out):
    """A_n* = P Z^(n+1), P the orthogonal projection on sum = 0 (MCQ08).

    Every point of A_n* is P z; with f = x - floor(x) and the coordinates sorted by
    decreasing f, the nearest point is P(floor(x) + 1_S) with S the first k indices for the
    best k in 0..n, where ||P(x - z)||^2 = sum w_i^2 - (sum w_i)^2 / (n+1), w = x - z, is
    updated in O(1) per k (McKilliam, Clarkson & Quinn 2008). Returns ||P x - out||^2.
    """
    m = x.shape[0]
    f = np.empty(m)
    s1 = 0.0
    s2 = 0.0
    for i in range(m):
        fl = np.floor(x[i])
        out[i] = fl
        f[i] = x[i] - fl
        s1 += f[i]
        s2 += f[i] * f[i]
    order = np.argsort(-f, kind="mergesort")  # stable: ties keep the lower index first
    best = s2 - s1 * s1 / m
    best_k = 0
    for k in range(1, m):
        fk = f[order[k - 1]]
        s2 += 1.0 - 2.0 * fk
        s1 -= 1.0
        val = s2 - s1 * s1 / m
        if val < best:
            best = val
            best_k = k
    for k in range(best_k):
        out[order[k]] += 1.0
    mean = 0.0
    xmean = 0.0
    for i in range(m):
        mean += out[i]
        xmean += x[i]
    mean /= m
    xmean /= m
    d = 0.0
    for i in range(m):
        out[i] -= mean
        d += ((x[i] - xmean) - out[i]) ** 2
    return d


def _make_coset_union(base_row):
    """Row kernel ``row(x, out, glue, work)`` for the union of cosets  L0 + glue[j]  (CS82F).

    ``base_row`` is the row kernel of L0; ``glue`` is a (k, N) array of glue vectors (row 0
    usually zero); ``work`` is scratch of shape (2, N). The kernel decodes x - glue[j] in L0
    for each j and keeps the nearest; the first of equally near cosets wins. This is the one
    coset-union rule of the package: every union kernel is made by this factory. (A factory
    rather than a kernel taking ``base_row`` as an argument because numba 0.68 refuses to
    cache the latter.)
    """
    @njit(cache=True)
    def row(x, out, glue, work):
        n = x.shape[0]
        y = work[0]
        c = work[1]
        best = np.inf
        for j in range(glue.shape[0]):
            for i in range(n):
                y[i] = x[i] - glue[j, i]
            d = base_row(y, c)
            if d < best:
                best = d
                for i in range(n):
                    out[i] = c[i] + glue[j, i]
        return best
    return row


@njit(cache=True, inline="always")
def _dn_plus_rows(x, out, n):
    """D_n+ = D_n ∪ (D_n + ½·1) (a lattice for even n; E8 = D8+) for each row, in one
    rounding pass per row.

    CS82F decode x in D_n and x - ½·1 in D_n and keep the nearer. Both decodings follow from
    one rounding r = floor(x + ½), e = x - r: the second coset rounds every coordinate to
    floor(x) + ½ = r ∓ ½ (minus where e < 0), with |residual| = ½ - |e|, and its coordinate sum
    is sum(r) - #{e < 0}; its worst coordinate (largest |residual|, lowest index on ties) is
    the one with the smallest |e|. The D_n parity fix adds 1 - 2|worst residual| to each
    squared distance and moves the worst coordinate one step towards x. The rounding loop is
    branch-free (selects, and max/min reductions; the worst coordinate's index is looked up
    afterwards, only for the coset kept), which makes it about twice as fast as decoding the two
    cosets separately. D_n wins a tie.
    """
    m = x.shape[0]
    r = np.empty(n)
    e = np.empty(n)
    for k in range(m):
        d0 = 0.0
        d1 = 0.0
        total = 0.0
        neg = 0
        big = -1.0
        small = 2.0
        for i in range(n):
            xi = x[k, i]
            a = _round_half_up(xi)
            ei = xi - a
            r[i] = a
            e[i] = ei
            total += a
            neg += ei < 0.0
            a0 = abs(ei)
            a1 = 0.5 - a0
            d0 += a0 * a0
            d1 += a1 * a1
            big = max(big, a0)
            small = min(small, a0)
        t = np.int64(total)
        p0 = t & 1
        p1 = (t - neg) & 1
        d0 += p0 * (1.0 - 2.0 * big)
        d1 += p1 * (1.0 - 2.0 * (0.5 - small))
        c = d1 < d0
        worst = small if c else big
        j = 0
        for i in range(n - 1, -1, -1):  # the lowest index attaining the extreme |e|
            j = i if abs(e[i]) == worst else j
        for i in range(n):
            half = r[i] - 0.5 if e[i] < 0.0 else r[i] + 0.5
            out[k, i] = half if c else r[i]
        p = p1 if c else p0
        up = (e[j] < 0.0) if c else (e[j] >= 0.0)
        out[k, j] += p * (1.0 if up else -1.0)


@njit(cache=True)
def _batch_dn_plus(x, out):
    """:func:`_dn_plus_rows` on every row; for n = 8 (E8) with the dimension known at compile
    time, so the row loops unroll (5.1e7 instead of 3.6e7 rows/s on one core)."""
    n = x.shape[1]
    if n == 8:
        _dn_plus_rows(x, out, 8)
    elif n == 10:
        _dn_plus_rows(x, out, 10)
    else:
        _dn_plus_rows(x, out, n)


@njit(cache=True)
def _batch_dn_dual(x, out):
    """D_n* (scaled) = Z^n ∪ (Z^n + ½·1) for each row in one rounding pass (CS82F), as in
    :func:`_batch_dn_plus` without the parity constraint: the second coset's residuals are
    ½ - |e|. Z^n wins a tie."""
    m, n = x.shape
    r = np.empty(n)
    e = np.empty(n)
    for k in range(m):
        d0 = 0.0
        d1 = 0.0
        for i in range(n):
            xi = x[k, i]
            a = _round_half_up(xi)
            ei = xi - a
            r[i] = a
            e[i] = ei
            a0 = abs(ei)
            a1 = 0.5 - a0
            d0 += a0 * a0
            d1 += a1 * a1
        c = d1 < d0
        for i in range(n):
            half = r[i] - 0.5 if e[i] < 0.0 else r[i] + 0.5
            out[k, i] = half if c else r[i]


# ----------------------------------------------------------------------------------------
# batch loops
# ----------------------------------------------------------------------------------------

@njit(cache=True)
def _batch_zn(x, out):
    for k in range(x.shape[0]):
        _zn_row(x[k], out[k])


@njit(cache=True)
def _batch_dn(x, out):
    n = x.shape[1]
    if n == 4:  # D4 with its dimension known at compile time: the row loops unroll
        _dn_rows(x, out, 4)
    else:
        _dn_rows(x, out, n)


@njit(cache=True)
def _batch_an(x, out):
    for k in range(x.shape[0]):
        _an_row(x[k], out[k])


@njit(cache=True)
def _batch_an_dual(x, out):
    for k in range(x.shape[0]):
        _an_dual_row(x[k], out[k])


@njit(cache=True)
def _max_abs(x):
    m = 0.0
    for v in x.ravel():
        a = abs(v)
        if a > m:
            m = a
        elif a != a:        # NaN
            return a
    return m


def max_abs(x):
    """max |x| over a float64 array in one pass without a temporary (NaN if any entry is NaN):
    the range check of :meth:`Lattice.nearest_point` runs at memory speed.

    >>> max_abs(np.array([[1.0, -3.0], [2.0, 0.5]]))
    3.0
    """
    return float(_max_abs(np.ascontiguousarray(x, dtype=np.float64)))


def _as_points(x):
    return np.ascontiguousarray(x, dtype=np.float64)


def _run(batch, x):
    x = _as_points(x)
    out = np.empty_like(x)
    batch(x, out)
    return out


# ----------------------------------------------------------------------------------------
# batch decoders
# ----------------------------------------------------------------------------------------

def nearest_zn(x):
    """Nearest point of Z^n for each row of ``x`` (shape (m, n)).

    Examples
    --------
    >>> nearest_zn([[0.4, -1.6, 2.5]]).tolist()
    [[0.0, -2.0, 3.0]]
    """
    return _run(_batch_zn, x)


def nearest_dn(x):
    """Nearest point of D_n (integer vectors with even coordinate sum) for each row of ``x``.

    Examples
    --------
    >>> nearest_dn([[0.6, 0.1, 0.0, 0.0]]).tolist()
    [[0.0, 0.0, 0.0, 0.0]]
    """
    return _run(_batch_dn, x)


def nearest_an(x):
    """Nearest point of A_n = {z in Z^(n+1) : sum z = 0} for each row of ``x`` (shape (m, n+1)).

    Parameters
    ----------
    x : array_like, shape (m, n+1)
        Points of R^(n+1); only their projection on the hyperplane sum = 0 matters.

    Returns
    -------
    ndarray, shape (m, n+1)
        Nearest points of A_n (integer vectors with coordinate sum 0).

    Notes
    -----
    Scaling: det(B Bᵀ) = n+1, minimal norm 2, kissing number n(n+1); A_2 is the
    hexagonal lattice. Algorithm (CS82F): project, round every coordinate, and if the rounded
    coordinates sum to Δ ≠ 0 re-round the |Δ| coordinates with the most extreme residuals.
    O(n·|Δ|) per point.

    References
    ----------
    .. [1] J. H. Conway and N. J. A. Sloane, "Fast quantizing and decoding algorithms for
       lattice quantizers and codes", IEEE Trans. Inf. Theory 28(2), 1982.

    Examples
    --------
    >>> nearest_an([[0.9, 0.1, -1.0], [0.6, 0.6, -0.2]]).tolist()
    [[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]]
    """
    return _run(_batch_an, x)


def nearest_an_dual(x):
    """Nearest point of A_n* = P Z^(n+1) for each row of ``x`` (shape (m, n+1)).

    Parameters
    ----------
    x : array_like, shape (m, n+1)
        Points of R^(n+1); only their projection on the hyperplane sum = 0 matters.

    Returns
    -------
    ndarray, shape (m, n+1)
        Nearest points of A_n*, i.e. z - mean(z)·1 for integer z (coordinates in Z/(n+1)).

    Notes
    -----
    Scaling: A_n* is the projection of Z^(n+1) on sum = 0, det 1/(n+1), minimal norm
    n/(n+1) (the glue vectors [1] = (1/(n+1), ..., 1/(n+1), -n/(n+1)) up to permutation).
    Algorithm: the O(n log n) sort method of McKilliam, Clarkson & Quinn (MCQ08), which
    visits the n+1 cosets of A_n of CS82F in the order of the sorted fractional parts.

    References
    ----------
    .. [1] R. G. McKilliam, I. V. L. Clarkson and B. G. Quinn, "An algorithm to compute the
       nearest point in the lattice A_n*", IEEE Trans. Inf. Theory 54(9), 2008.

    Examples
    --------
    >>> p = nearest_an_dual([[0.3, 0.3, -0.6]])
    >>> np.round(3 * p).tolist()
    [[1.0, 1.0, -2.0]]
    """
    return _run(_batch_an_dual, x)


def nearest_dn_dual(x):
    """Nearest point of D_n* = Z^n ∪ (Z^n + ½·1) for each row of ``x`` (shape (m, n)).

    Notes
    -----
    Scaling: the SPLAG coordinates of D_n*, det 1/4, minimal norm min(1, n/4). Union of two
    cosets of Z^n (CS82F).

    Examples
    --------
    >>> nearest_dn_dual([[0.4, 0.4, 0.6], [0.1, 0.9, 0.0]]).tolist()
    [[0.5, 0.5, 0.5], [0.0, 1.0, 0.0]]
    """
    return _run(_batch_dn_dual, x)


def nearest_dn_plus(x):
    """Nearest point of D_n+ = D_n ∪ (D_n + ½·1) for each row of ``x`` (shape (m, n), n even).

    Notes
    -----
    D_n+ is a lattice only for even n (for odd n the union is a non-lattice packing; the
    decoder then still returns the nearest point of the union). Scaling: det 1, minimal norm
    min(2, n/4); D_8+ = E_8. Union of two cosets of D_n (CS82F).

    Examples
    --------
    >>> nearest_dn_plus([[0.4, 0.4, 0.4, 0.4]]).tolist()
    [[0.5, 0.5, 0.5, 0.5]]
    """
    return _run(_batch_dn_plus, x)


def nearest_e8(x):
    """Nearest point of E_8 = D_8 ∪ (D_8 + ½·1) for each row of ``x`` (shape (m, 8)).

    Parameters
    ----------
    x : array_like, shape (m, 8)

    Returns
    -------
    ndarray, shape (m, 8)

    Notes
    -----
    Standard coordinates: integer vectors with even sum together with the same shifted by
    ½·1; det 1, minimal norm 2, kissing number 240, covering radius 1. Algorithm (CS82F):
    decode x in D_8 and x - ½·1 in D_8 (round, fix the parity on the worst coordinate) and
    keep the nearer; the D_8 coset wins a tie.

    References
    ----------
    .. [1] J. H. Conway and N. J. A. Sloane, "Fast quantizing and decoding algorithms for
       lattice quantizers and codes", IEEE Trans. Inf. Theory 28(2), 1982.

    Examples
    --------
    >>> nearest_e8([[0.4] * 8, [0.9, 0.1, 0, 0, 0, 0, 0, 0]]).tolist()[0]
    [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    """
    return _run(_batch_dn_plus, x)


# ----------------------------------------------------------------------------------------
# generator matrices (rows are basis vectors)
# ----------------------------------------------------------------------------------------

def generator_zn(n):
    """Generator of Z^n: the identity, shape (n, n)."""
    return np.eye(n)


def generator_dn(n):
    """Generator of D_n (SPLAG ch. 4 §7.1): rows (-1,-1,0,...), (1,-1,0,...), (0,1,-1,...), ...

    det 4 (n >= 2), minimal norm 2 (n >= 2); D_1 = 2Z.

    Examples
    --------
    >>> generator_dn(3).tolist()
    [[-1.0, -1.0, 0.0], [1.0, -1.0, 0.0], [0.0, 1.0, -1.0]]
    """
    if n == 1:
        return np.array([[2.0]])
    B = np.zeros((n, n))
    B[0, 0] = B[0, 1] = -1.0
    for i in range(1, n):
        B[i, i - 1] = 1.0
        B[i, i] = -1.0
    return B


def generator_an(n):
    """Generator of A_n in R^(n+1): rows e_i - e_(i+1), i = 1..n; shape (n, n+1), det n+1.

    Examples
    --------
    >>> generator_an(2).tolist()
    [[1.0, -1.0, 0.0], [0.0, 1.0, -1.0]]
    """
    B = np.zeros((n, n + 1))
    for i in range(n):
        B[i, i] = 1.0
        B[i, i + 1] = -1.0
    return B


def generator_an_dual(n):
    """Generator of A_n* in R^(n+1): rows P e_i, i = 1..n (P the projection on sum = 0).

    Shape (n, n+1), det 1/(n+1), minimal norm n/(n+1).
    """
    return np.eye(n, n + 1) - 1.0 / (n + 1)


def generator_dn_dual(n):
    """Generator of D_n* = Z^n ∪ (Z^n + ½·1): rows e_1, ..., e_(n-1), ½·1; det 1/4."""
    B = np.eye(n)
    B[n - 1, :] = 0.5
    return B


def generator_dn_plus(n):
    """Generator of D_n+ = D_n ∪ (D_n + ½·1), n even; det 1.

    With the D_n basis c_1 = e_1 - e_2, ..., c_(n-1) = e_(n-1) - e_n, c_n = e_(n-1) + e_n the
    vector 1 = 2·(½·1) has coefficient 1 on c_1 (n >= 4), so {½·1, c_2, ..., c_n} is a basis
    of D_n+ (for n = 2 the coefficient 1 sits on c_2, and the basis is {c_1, ½·1}).

    Examples
    --------
    >>> generator_dn_plus(4).tolist()
    [[0.5, 0.5, 0.5, 0.5], [0.0, 1.0, -1.0, 0.0], [0.0, 0.0, 1.0, -1.0], [0.0, 0.0, 1.0, 1.0]]
    """
    if n < 2 or n % 2:
        raise ValueError(f"D_n+ is a lattice only for even n >= 2, got n={n}")
    B = np.zeros((n, n))
    for i in range(n - 1):
        B[i, i] = 1.0
        B[i, i + 1] = -1.0
    B[n - 1, n - 2] = B[n - 1, n - 1] = 1.0
    if n == 2:
        B[1, :] = 0.5
    else:
        B[0, :] = 0.5
    return B


def generator_e8():
    """Generator of E_8 = D_8+ in the standard coordinates D_8 ∪ (D_8 + ½·1); det 1, min norm 2."""
    return generator_dn_plus(8)
