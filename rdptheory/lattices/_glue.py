"""Nearest-point kernels for the glue lattices E6, E6*, E7, E7* and the Coxeter–Todd lattice K12.

Same conventions as :mod:`rdptheory.lattices._root` (row kernels ``_xxx_row(x, out, ...)``
returning the squared distance, batch functions ``nearest_xxx(x)`` on (m, N) arrays,
generators with basis vectors as rows, deterministic tie-breaks).

* E7 and E7* live in the hyperplane sum = 0 of R^8 as unions of cosets of A7
  (SPLAG ch. 4 §8.2): E7 = A7 ∪ (A7 + [4]), E7* = ∪_{i=0,2,4,6} (A7 + [i]).
* E6 and E6* live in R^9 = R^3 ⊕ R^3 ⊕ R^3, each block the hyperplane sum = 0 of R^3, as
  unions of cosets of A2^3 (SPLAG ch. 4 §8.3): E6 = A2^3 glued by [1,1,1], E6* = A2^3 glued by
  all [a,b,c] with a + b + c ≡ 0 (mod 3).
* K12 lives in R^12 = C^6 as a lattice over the Eisenstein integers E = Z[ω]
  (SPLAG ch. 4 §9; Conway & Sloane 1983): vectors x of E^6 with x_1 ≡ ... ≡ x_6 (mod θ) and
  x_1 + ... + x_6 ≡ 0 (mod 3), θ = ω - ω̄ = √-3, scaled by √(2/3).

Here [i] is the glue vector of A_n: ((i/(n+1))^(n+1-i), (-(n+1-i)/(n+1))^i), i.e. i/(n+1) in the
first n+1-i coordinates and i/(n+1) - 1 in the last i (SPLAG ch. 4 §6.1).
"""
import numpy as np
from numba import njit

from ._root import _an_row, _make_coset_union, _round_half_up, _run

__all__ = [
    "nearest_e6", "nearest_e6_dual", "nearest_e7", "nearest_e7_dual", "nearest_k12",
    "generator_e6", "generator_e6_dual", "generator_e7", "generator_e7_dual", "generator_k12",
]


def _an_glue(n, i):
    """Glue vector [i] of A_n in R^(n+1) (coordinate sum 0, a coset leader of A_n in A_n*)."""
    g = np.full(n + 1, i / (n + 1))
    g[n + 1 - i:] -= 1.0
    return g


# ----------------------------------------------------------------------------------------
# E7, E7* : cosets of A7 in R^8
# ----------------------------------------------------------------------------------------

_E7_GLUE = np.array([_an_glue(7, 0), _an_glue(7, 4)])
_E7_DUAL_GLUE = np.array([_an_glue(7, i) for i in (0, 2, 4, 6)])
_a7_union_row = _make_coset_union(_an_row)


@njit(cache=True)
def _e7_row(x, out, work):
    """E7 = A7 ∪ (A7 + [4]) in sum = 0 of R^8; ``work`` scratch of shape (2, 8)."""
    return _a7_union_row(x, out, _E7_GLUE, work)


@njit(cache=True)
def _e7_dual_row(x, out, work):
    """E7* = A7 + {[0], [2], [4], [6]} in sum = 0 of R^8; ``work`` scratch of shape (2, 8)."""
    return _a7_union_row(x, out, _E7_DUAL_GLUE, work)


# ----------------------------------------------------------------------------------------
# E6, E6* : cosets of A2^3 in R^9
# ----------------------------------------------------------------------------------------

@njit(cache=True)
def _a2_cubed_row(x, out):
    """A2 ⊕ A2 ⊕ A2 in R^9, blocks of 3 coordinates, each decoded by the A_n rule."""
    d = 0.0
    for b in range(3):
        d += _an_row(x[3 * b:3 * b + 3], out[3 * b:3 * b + 3])
    return d


def _a2_cubed_glue(codewords):
    return np.array([np.concatenate([_an_glue(2, a) for a in w]) for w in codewords])


_E6_GLUE = _a2_cubed_glue([(0, 0, 0), (1, 1, 1), (2, 2, 2)])
_E6_DUAL_GLUE = _a2_cubed_glue([(a, b, (-a - b) % 3) for a in range(3) for b in range(3)])
_a2_cubed_union_row = _make_coset_union(_a2_cubed_row)


@njit(cache=True)
def _e6_row(x, out, work):
    """E6 = A2^3 + {[0,0,0], [1,1,1], [2,2,2]} in R^9; ``work`` scratch of shape (2, 9)."""
    return _a2_cubed_union_row(x, out, _E6_GLUE, work)


@njit(cache=True)
def _e6_dual_row(x, out, work):
    """E6* = A2^3 + {[a,b,c] : a+b+c ≡ 0 mod 3} in R^9; ``work`` scratch of shape (2, 9)."""
    return _a2_cubed_union_row(x, out, _E6_DUAL_GLUE, work)


# ----------------------------------------------------------------------------------------
# K12 over the Eisenstein integers
# ----------------------------------------------------------------------------------------

_SQRT3 = np.sqrt(3.0)
_K12_SCALE = np.sqrt(2.0 / 3.0)     # Eisenstein min norm 6 -> min norm 4


@njit(cache=True)
def _three_e_coset(u, v, a, b, res):
    """Nearest point of (a, b) + 3E to (u, v) in E-units (E = Z[ω], ω = (-1/2, √3/2)).

    3E = R ∪ (R + (3/2, 3√3/2)) with R = 3Z × 3√3Z the rectangular sublattice: round in both
    rectangular cosets and keep the nearer (R first on a tie). Writes the point to res[1:3]
    and its squared distance to res[0].
    """
    h = 3.0 * _SQRT3
    u0 = u - a
    v0 = v - b
    p = 3.0 * _round_half_up(u0 / 3.0)
    q = h * _round_half_up(v0 / h)
    d = (u0 - p) ** 2 + (v0 - q) ** 2
    p1 = 3.0 * _round_half_up((u0 - 1.5) / 3.0) + 1.5
    q1 = h * _round_half_up((v0 - 0.5 * h) / h) + 0.5 * h
    d1 = (u0 - p1) ** 2 + (v0 - q1) ** 2
    if d1 < d:
        d = d1
        p = p1
        q = q1
    res[0] = d
    res[1] = p + a
    res[2] = q + b


@njit(cache=True)
def _trellis_step(f0, f1, f2, w, j, bp):
    """One step of the 3-state (Σ c mod 3) trellis: g_t = min_c f_{t-c} + cost(j, c).

    w[j, c, 0] is the cost of class c at coordinate j; the argmin c (first on ties) goes to
    bp[j, t]. Returns (g_0, g_1, g_2).
    """
    g0 = np.inf
    g1 = np.inf
    g2 = np.inf
    # written before the comparisons so that a NaN/inf cost (overflow) still leaves a valid
    # index behind (the caller refuses such inputs; this keeps a bad call from reading garbage)
    bp[j, 0] = 0
    bp[j, 1] = 0
    bp[j, 2] = 0
    for c in range(3):
        wc = w[j, c, 0]
        # state t comes from state (t - c) mod 3
        if c == 0:
            a0, a1, a2 = f0, f1, f2
        elif c == 1:
            a0, a1, a2 = f2, f0, f1
        else:
            a0, a1, a2 = f1, f2, f0
        if a0 + wc < g0:
            g0 = a0 + wc
            bp[j, 0] = c
        if a1 + wc < g1:
            g1 = a1 + wc
            bp[j, 1] = c
        if a2 + wc < g2:
            g2 = a2 + wc
            bp[j, 2] = c
    return g0, g1, g2


@njit(cache=True)
def _k12_row(x, out, work, bp):
    """K12 = ∪_{λ ∈ {0, 1, -1}} (λ·1 + θ C'),  C' = {y ∈ E^6 : Σ y_j ≡ 0 (mod θ)}.

    A point of the λ-coset has x_j ∈ λ + θ c_j + 3E with classes c_j ∈ F_3 = E/θE summing to
    0 mod 3. For each λ and coordinate j the nearest point of each of the three cosets
    λ + θc + 3E is found by :func:`_three_e_coset`; a 3-state trellis (the partial sum of the
    c_j mod 3) then picks the best admissible classes, exactly (Viterbi). The best λ wins
    (λ = 0, 1, -1 in that order on ties). ``work`` is float64 scratch of shape (3, 6, 3, 3),
    ``bp`` int64 scratch of shape (3, 6, 3). x is in the scaled real coordinates of
    :func:`generator_k12`.
    """
    s = _K12_SCALE
    best_total = np.inf
    best_li = 0
    for li in range(3):
        lam = 0.0 if li == 0 else (1.0 if li == 1 else -1.0)
        w = work[li]
        for j in range(6):
            u = x[2 * j] / s
            v = x[2 * j + 1] / s
            for c in range(3):
                cv = 0.0 if c == 0 else (1.0 if c == 1 else -1.0)
                _three_e_coset(u, v, lam, _SQRT3 * cv, w[j, c])
        f0 = w[0, 0, 0]
        f1 = w[0, 1, 0]
        f2 = w[0, 2, 0]
        for t in range(3):
            bp[li, 0, t] = t
        for j in range(1, 6):
            f0, f1, f2 = _trellis_step(f0, f1, f2, w, j, bp[li])
        if f0 < best_total:
            best_total = f0
            best_li = li
    w = work[best_li]
    b = bp[best_li]
    t = 0
    for j in range(5, -1, -1):
        c = b[j, t]
        out[2 * j] = w[j, c, 1] * s
        out[2 * j + 1] = w[j, c, 2] * s
        t = (t - c) % 3
    return best_total * s * s


# ----------------------------------------------------------------------------------------
# batch loops and decoders
# ----------------------------------------------------------------------------------------

@njit(cache=True)
def _batch_e7(x, out):
    work = np.empty((2, x.shape[1]))
    for k in range(x.shape[0]):
        _e7_row(x[k], out[k], work)


@njit(cache=True)
def _batch_e7_dual(x, out):
    work = np.empty((2, x.shape[1]))
    for k in range(x.shape[0]):
        _e7_dual_row(x[k], out[k], work)


@njit(cache=True)
def _batch_e6(x, out):
    work = np.empty((2, x.shape[1]))
    for k in range(x.shape[0]):
        _e6_row(x[k], out[k], work)


@njit(cache=True)
def _batch_e6_dual(x, out):
    work = np.empty((2, x.shape[1]))
    for k in range(x.shape[0]):
        _e6_dual_row(x[k], out[k], work)


@njit(cache=True)
def _batch_k12(x, out):
    work = np.empty((3, 6, 3, 3))
    bp = np.zeros((3, 6, 3), dtype=np.int64)  # never an unwritten index, even if costs overflow
    for k in range(x.shape[0]):
        _k12_row(x[k], out[k], work, bp)


def nearest_e7(x):
    """Nearest point of E7 = A7 ∪ (A7 + [4]) for each row of ``x`` (shape (m, 8)).

    Parameters
    ----------
    x : array_like, shape (m, 8)
        Points of R^8; only their projection on the hyperplane sum = 0 matters.

    Returns
    -------
    ndarray, shape (m, 8)

    Notes
    -----
    Coordinates: E7 in the hyperplane sum = 0 of R^8, the integer vectors with sum 0 and the
    same shifted by [4] = (½,½,½,½,-½,-½,-½,-½) (SPLAG ch. 4 §8.2). det 2, minimal norm 2,
    kissing number 126. Algorithm: union of the two cosets of A7, each decoded by the A_n
    rule of CS82F.

    References
    ----------
    .. [1] J. H. Conway and N. J. A. Sloane, "Fast quantizing and decoding algorithms for
       lattice quantizers and codes", IEEE Trans. Inf. Theory 28(2), 1982.
    .. [2] J. H. Conway and N. J. A. Sloane, Sphere Packings, Lattices and Groups, 3rd ed.,
       ch. 4 §8.2.

    Examples
    --------
    >>> nearest_e7([[0.4, 0.4, 0.4, 0.4, -0.4, -0.4, -0.4, -0.4]]).tolist()
    [[0.5, 0.5, 0.5, 0.5, -0.5, -0.5, -0.5, -0.5]]
    """
    return _run(_batch_e7, x)


def nearest_e7_dual(x):
    """Nearest point of E7* = A7 + {[0], [2], [4], [6]} for each row of ``x`` (shape (m, 8)).

    Notes
    -----
    Coordinates as :func:`nearest_e7` (E7* ⊃ E7 with index 2): det 1/2, minimal norm 3/2,
    kissing number 56 (SPLAG ch. 4 §8.2). Union of four cosets of A7 (CS82F).

    Examples
    --------
    >>> p = nearest_e7_dual([[0.3, 0.3, 0.3, 0.3, 0.3, 0.3, -0.7, -0.7]])
    >>> (4 * p).tolist()
    [[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -3.0, -3.0]]
    """
    return _run(_batch_e7_dual, x)


def nearest_e6(x):
    """Nearest point of E6 = A2^3 + {[0,0,0], [1,1,1], [2,2,2]} for each row of ``x``, shape (m, 9).

    Parameters
    ----------
    x : array_like, shape (m, 9)
        Points of R^9 = three blocks of R^3; only the projection of each block on its
        hyperplane sum = 0 matters.

    Returns
    -------
    ndarray, shape (m, 9)

    Notes
    -----
    Coordinates: R^9 split in three blocks of 3, each an A2 in its plane sum = 0, glued by
    [1,1,1] with [1] = (1/3, 1/3, -2/3) (SPLAG ch. 4 §8.3). det 3, minimal norm 2, kissing
    number 72. Algorithm: union of the 3 cosets of A2^3 (CS82F), each block decoded by the A_n
    rule.

    References
    ----------
    .. [1] J. H. Conway and N. J. A. Sloane, "Fast quantizing and decoding algorithms for
       lattice quantizers and codes", IEEE Trans. Inf. Theory 28(2), 1982.
    .. [2] J. H. Conway and N. J. A. Sloane, Sphere Packings, Lattices and Groups, 3rd ed.,
       ch. 4 §8.3.

    Examples
    --------
    >>> p = nearest_e6([[0.3, 0.3, -0.6] * 3])
    >>> np.round(3 * p).tolist()
    [[1.0, 1.0, -2.0, 1.0, 1.0, -2.0, 1.0, 1.0, -2.0]]
    """
    return _run(_batch_e6, x)


def nearest_e6_dual(x):
    """Nearest point of E6* = A2^3 + {[a,b,c] : a+b+c ≡ 0 mod 3} for each row of ``x`` (m, 9).

    Notes
    -----
    Coordinates as :func:`nearest_e6` (E6* ⊃ E6 with index 3): det 1/3, minimal norm 4/3,
    kissing number 54 (SPLAG ch. 4 §8.3). Union of the 9 cosets of A2^3 (CS82F).

    Examples
    --------
    >>> p = nearest_e6_dual([[0, 0, 0, 0.3, 0.3, -0.6, 0.6, -0.3, -0.3]])
    >>> np.round(3 * p).tolist()
    [[0.0, 0.0, 0.0, 1.0, 1.0, -2.0, 2.0, -1.0, -1.0]]
    """
    return _run(_batch_e6_dual, x)


def nearest_k12(x):
    """Nearest point of the Coxeter–Todd lattice K12 for each row of ``x`` (shape (m, 12)).

    Parameters
    ----------
    x : array_like, shape (m, 12)
        Points of R^12 = C^6, coordinates (Re z_1, Im z_1, ..., Re z_6, Im z_6).

    Returns
    -------
    ndarray, shape (m, 12)

    Notes
    -----
    Coordinates: √(2/3)·K, K = {z ∈ E^6 : z_1 ≡ ... ≡ z_6 (mod θ), Σ z_j ≡ 0 (mod 3)} with
    E = Z[ω], ω = e^{2πi/3}, θ = ω - ω̄ = √-3 (SPLAG ch. 4 §9). In this scaling: det 729,
    minimal norm 4, kissing number 756.

    Algorithm: K = ∪_{λ=0,±1} (λ·1 + θC') with C' = {y ∈ E^6 : Σ y_j ≡ 0 (mod θ)} (the
    "3 cosets of θ·C" decoder in the spirit of CS82F and Conway & Sloane 1986). For each λ,
    each coordinate is decoded into the three cosets λ + θc + 3E (c ∈ F_3) of the hexagonal
    lattice 3E, and a 3-state trellis over the partial sums of the c_j picks the best
    admissible choice; 54 two-dimensional hexagonal decodings and 3 trellises per point,
    exact.

    References
    ----------
    .. [1] J. H. Conway and N. J. A. Sloane, Sphere Packings, Lattices and Groups, 3rd ed.,
       ch. 4 §9 (the Coxeter–Todd lattice).
    .. [2] J. H. Conway and N. J. A. Sloane, "The Coxeter–Todd lattice, the Mitchell group,
       and related sphere packings", Math. Proc. Cambridge Philos. Soc. 93, 1983.
    .. [3] J. H. Conway and N. J. A. Sloane, "Soft decoding techniques for codes and lattices,
       including the Golay code and the Leech lattice", IEEE Trans. Inf. Theory 32(1), 1986.

    Examples
    --------
    >>> B = generator_k12()
    >>> x = np.array([3, -1, 0, 2, 0, 0, 1, 0, 0, 0, 0, -2]) @ B
    >>> bool(np.allclose(nearest_k12(x[None, :] + 0.1)[0], x))
    True
    """
    return _run(_batch_k12, x)


# ----------------------------------------------------------------------------------------
# generators (rows are basis vectors)
# ----------------------------------------------------------------------------------------

def _an_basis_rows(n):
    B = np.zeros((n, n + 1))
    for i in range(n):
        B[i, i] = 1.0
        B[i, i + 1] = -1.0
    return B


def generator_e7():
    """Generator of E7 = A7 ∪ (A7 + [4]) in R^8 (sum = 0), shape (7, 8); det 2, min norm 2.

    2·[4] has coefficient 1 on e_1 - e_2 in the A7 basis {e_i - e_(i+1)}, so replacing that
    vector by [4] gives a basis of the index-2 superlattice.
    """
    B = _an_basis_rows(7)
    B[0] = _an_glue(7, 4)
    return B


def generator_e7_dual():
    """Generator of E7* = A7 + <[2]> in R^8 (sum = 0), shape (7, 8); det 1/2, min norm 3/2.

    [2] generates the glue group Z/4 ([4] ≡ 2[2], [6] ≡ 3[2] mod A7) and 4·[2] has coefficient 1
    on e_1 - e_2, so replacing that vector by [2] gives a basis.
    """
    B = _an_basis_rows(7)
    B[0] = _an_glue(7, 2)
    return B


def _a2_cubed_basis():
    B = np.zeros((6, 9))
    for b in range(3):
        B[2 * b:2 * b + 2, 3 * b:3 * b + 3] = _an_basis_rows(2)
    return B


def generator_e6():
    """Generator of E6 = A2^3 + <[1,1,1]> in R^9, shape (6, 9); det 3, min norm 2.

    3·[1,1,1] has coefficient 1 on the first A2 basis vector e_1 - e_2 of block 1, which is
    replaced by [1,1,1].
    """
    B = _a2_cubed_basis()
    B[0] = _E6_GLUE[1]
    return B


def generator_e6_dual():
    """Generator of E6* = A2^3 + <[1,1,1], [0,1,2]> in R^9, shape (6, 9); det 1/3, min norm 4/3.

    Starting from :func:`generator_e6`, 3·[0,1,2] lies in A2^3 with coefficient 1 on e_1 - e_2
    of block 2 (and 0 on the replaced vector of block 1), which is replaced by [0,1,2].
    """
    B = generator_e6()
    B[2] = np.concatenate([_an_glue(2, 0), _an_glue(2, 1), _an_glue(2, 2)])
    return B


def generator_k12():
    """Generator of K12 in the coordinates of :func:`nearest_k12`, shape (12, 12); det 729, min 4.

    E-basis (each vector v contributes the real rows v and ω·v): θ(e_j - e_(j+1)) for
    j = 1..4, the all-ones vector 1 and θ²e_1 = -3e_1. Reason: θ(e_j - e_(j+1)), j = 1..5, and
    θ²e_1 form an E-basis of θC' (index 3^7 in E^6); since θ·1 has coefficient -θ·1 on
    θ(e_5 - e_6), replacing that vector by 1 gives the index-3 superlattice
    K = θC' + E·1.
    """
    theta = 1j * np.sqrt(3.0)
    omega = complex(-0.5, np.sqrt(3.0) / 2)
    rows = []
    for j in range(4):
        v = np.zeros(6, dtype=complex)
        v[j], v[j + 1] = theta, -theta
        rows.append(v)
    rows.append(np.ones(6, dtype=complex))
    v = np.zeros(6, dtype=complex)
    v[0] = theta * theta
    rows.append(v)
    B = np.zeros((12, 12))
    for k, v in enumerate(rows):
        for m, w in enumerate((v, omega * v)):
            B[2 * k + m, 0::2] = w.real
            B[2 * k + m, 1::2] = w.imag
    return B * _K12_SCALE
