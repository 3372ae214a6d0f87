"""Barnes–Wall lattice Λ16: generator matrix and an exact nearest-point decoder.

Scaling (integral, SPLAG ch. 4 §10, Construction B of ch. 5 §3)::

    Λ16 = {x ∈ Z^16 : x mod 2 ∈ RM(1,4), sum(x) ≡ 0 (mod 4)}
        = ∪_{c ∈ RM(1,4)} (c + 2 D16),

with RM(1,4) the first-order Reed–Muller code of length 16 (32 words, weights 0, 8, 16). Every
codeword weight is ≡ 0 (mod 4), so the condition on sum(x) = wt(c) + 2 sum(z) is sum(z) even,
i.e. z ∈ D16. Hence det(B Bᵀ) = (2^16 · 2 / 32)^2 = 2^24 (|det B| = 2^12), the minimal norm is 8
and the kissing number is 4320 = 480 (shape (±2)^2 0^14) + 30 · 2^7 (shape (±1)^8 0^8 on the
weight-8 codewords, an even number of minus signs) (SPLAG Table 1.2).

Coordinates are indexed by i ∈ {0, …, 15} read as a vector of F_2^4 (bit k of i is coordinate k),
and the codeword c_{u,ε} of RM(1,4) is c_{u,ε}(i) = <u, i> + ε (mod 2), u ∈ F_2^4, ε ∈ F_2.
"""
from functools import lru_cache

import numpy as np
from numba import njit

__all__ = ["generator_barnes_wall", "nearest_barnes_wall", "reed_muller_1_4"]


# --------------------------------------------------------------------------------------------
# Codes and bases (plain Python, exact integers)
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _rm14():
    words = np.empty((32, 16), dtype=np.int64)
    for eps in range(2):
        for u in range(16):
            for i in range(16):
                words[16 * eps + u, i] = (bin(u & i).count("1") + eps) & 1
    words.setflags(write=False)
    return words


def reed_muller_1_4():
    """Codewords of the first-order Reed–Muller code RM(1,4).

    Returns
    -------
    words : ndarray of int64, shape (32, 16)
        Row ``16*eps + u`` is the codeword ``c(i) = <u, i> + eps (mod 2)``, where the coordinate
        index ``i`` and ``u`` are read as vectors of F_2^4 (their binary digits).

    Notes
    -----
    RM(1,4) is the [16, 5, 8] code of affine Boolean functions of 4 variables; its weight
    distribution is 1, 30, 1 at weights 0, 8, 16 (MacWilliams & Sloane, ch. 13).

    Examples
    --------
    >>> from rdptheory.lattices._barnes_wall import reed_muller_1_4
    >>> W = reed_muller_1_4()
    >>> W.shape, sorted(set(W.sum(axis=1).tolist()))
    ((32, 16), [0, 8, 16])
    """
    return _rm14().copy()


def _row_hnf(gens):
    """Hermite normal form basis (upper triangular, rows) of the Z-span of integer rows ``gens``.

    Exact: uses Python integers. The span must have full rank. Pivots are positive and the
    entries above each pivot are reduced into [0, pivot).
    """
    rows = [[int(v) for v in r] for r in gens]
    n = len(rows[0])
    basis = []
    for col in range(n):
        while True:
            nz = [r for r in rows if r[col] != 0]
            if len(nz) <= 1:
                break
            piv = min(nz, key=lambda r: abs(r[col]))
            new_rows = [piv]
            for r in rows:
                if r is piv:
                    continue
                if r[col] != 0:
                    q = r[col] // piv[col]
                    r = [a - q * b for a, b in zip(r, piv)]
                if any(r):
                    new_rows.append(r)
            rows = new_rows
        nz = [r for r in rows if r[col] != 0]
        if not nz:
            raise ValueError("generating set does not have full rank")
        piv = nz[0]
        rows = [r for r in rows if r is not piv]
        if piv[col] < 0:
            piv = [-a for a in piv]
        for k, b in enumerate(basis):
            q = b[col] // piv[col]
            if q:
                basis[k] = [a - q * c for a, c in zip(b, piv)]
        basis.append(piv)
    return np.array(basis, dtype=np.float64)


@lru_cache(maxsize=None)
def _scaled_dn_spanning_set(n, c):
    """Vectors c(e_i ± e_{i+1}), i < n-1: a spanning set of c·D_n (shared with the Leech
    generator)."""
    gens = []
    for i in range(n - 1):
        for sign in (1, -1):
            e = [0] * n
            e[i], e[i + 1] = c, sign * c
            gens.append(e)
    return gens


def _bw_generator():
    n = 16
    gens = [w for w in _rm14().tolist() if any(w)] + _scaled_dn_spanning_set(n, 2)  # 2 D16
    B = _row_hnf(gens)
    B.setflags(write=False)
    return B


def generator_barnes_wall():
    """Generator matrix of the Barnes–Wall lattice Λ16 in its integral scaling.

    Returns
    -------
    B : ndarray of float64, shape (16, 16)
        Rows are basis vectors of ``{x ∈ Z^16 : x mod 2 ∈ RM(1,4), sum(x) ≡ 0 (mod 4)}``, in
        Hermite normal form (upper triangular, positive diagonal). ``|det B| = 2**12``, minimal
        norm 8, kissing number 4320.

    Notes
    -----
    The basis is the Hermite normal form of the generating set {nonzero words of RM(1,4)} ∪
    {2(e_i ± e_{i+1})}; it is computed exactly with Python integers. The lattice is
    Construction B applied to RM(1,4) (SPLAG ch. 5 §3; ch. 4 §10). The rows are not reduced:
    LLL-reduce them if short rows are needed.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.lattices._barnes_wall import generator_barnes_wall
    >>> B = generator_barnes_wall()
    >>> B.shape, int(round(abs(np.linalg.det(B))))
    ((16, 16), 4096)
    """
    return _bw_generator().copy()


# --------------------------------------------------------------------------------------------
# Decoder
# --------------------------------------------------------------------------------------------

# _PAT[v, j] = <v, j> mod 2 for v, j in F_2^2: the bits of the linear part of a codeword on one
# block of 4 coordinates. With u = v + 4w, coordinate i = j + 4q:  c_{u,ε}(i) = <v, j> + <w, q> + ε,
# so on block q every codeword carries the pattern _PAT[v] or its complement, 8 patterns per block
# instead of 16.
_PAT = np.array([[bin(v & j).count("1") & 1 for j in range(4)] for v in range(4)], dtype=np.int64)


@njit(cache=True, inline="always")
def _block_flip(w, q, eps):
    """(<w, q> + ε) mod 2 for w, q in F_2^2: whether block q carries the complement of _PAT[v]."""
    a = w & q
    return ((a & 1) ^ (a >> 1)) ^ eps


@njit(cache=True, inline="always")
def _bw_row_ws(x, out, cb, dl, pa, qs, qd, qp):
    """Nearest point of Λ16 = ∪_{c ∈ RM(1,4)} (c + 2 D16); see :func:`nearest_barnes_wall`.

    Work arrays: cb, dl (2, 16) float64; pa (2, 16) int64; qs, qd (4, 4, 2) float64;
    qp (4, 4, 2) int64.
    """
    # 1. per coordinate i and bit b: nearest point of b + 2Z, its squared error, the extra cost
    #    of the second nearest point of b + 2Z (which flips the parity of (q - b)/2), the parity.
    for i in range(16):
        xi = x[i]
        r0 = np.floor(xi * 0.5 + 0.5)
        e0 = xi - 2.0 * r0
        r1 = np.floor((xi - 1.0) * 0.5 + 0.5)
        e1 = xi - (2.0 * r1 + 1.0)
        cb[0, i] = e0 * e0
        cb[1, i] = e1 * e1
        dl[0, i] = 4.0 - 4.0 * abs(e0)  # (2 - |e|)^2 - e^2
        dl[1, i] = 4.0 - 4.0 * abs(e1)
        pa[0, i] = np.int64(r0) & 1  # two's complement: the parity also for r < 0
        pa[1, i] = np.int64(r1) & 1
    # 2. block tables over the 8 patterns a codeword can carry on a block of 4 coordinates
    #    (_PAT[v] and its complement): sum of errors, min re-rounding cost, parity
    for q in range(4):
        for v in range(4):
            for f in range(2):
                s = 0.0
                d = np.inf
                par = 0
                for j in range(4):
                    b = _PAT[v, j] ^ f
                    i = 4 * q + j
                    s += cb[b, i]
                    par ^= pa[b, i]
                    c = dl[b, i]
                    d = c if c < d else d
                qs[q, v, f] = s
                qd[q, v, f] = d
                qp[q, v, f] = par
    # 3. the 32 cosets, codeword k = 16ε + v + 4w in the order of reed_muller_1_4();
    #    keep the first nearest one
    best = np.inf
    kbest = 0
    for k in range(32):
        eps = k >> 4
        v = k & 3
        w = (k >> 2) & 3
        f0 = eps
        f1 = _block_flip(w, 1, eps)
        f2 = _block_flip(w, 2, eps)
        f3 = _block_flip(w, 3, eps)
        s = qs[0, v, f0] + qs[1, v, f1] + qs[2, v, f2] + qs[3, v, f3]
        odd = qp[0, v, f0] ^ qp[1, v, f1] ^ qp[2, v, f2] ^ qp[3, v, f3]
        extra = min(min(qd[0, v, f0], qd[1, v, f1]), min(qd[2, v, f2], qd[3, v, f3]))
        s = s + extra if odd else s
        better = s < best  # branch-free selects: 1.25x faster than skipping hopeless cosets
        best = s if better else best
        kbest = k if better else kbest
    # 4. rebuild the point of coset kbest
    eps = kbest >> 4
    v = kbest & 3
    w = (kbest >> 2) & 3
    par = 0
    worst = 0
    wd = np.inf
    for q in range(4):
        f = _block_flip(w, q, eps)
        for j in range(4):
            b = _PAT[v, j] ^ f
            i = 4 * q + j
            r = np.floor((x[i] - b) * 0.5 + 0.5)
            out[i] = 2.0 * r + b
            par ^= pa[b, i]
            if dl[b, i] < wd:
                wd = dl[b, i]
                worst = i
    if par:
        if x[worst] >= out[worst]:
            out[worst] += 2.0
        else:
            out[worst] -= 2.0
    d = 0.0
    for i in range(16):
        d += (x[i] - out[i]) ** 2
    return d


@njit(cache=True)
def _bw_row(x, out):
    """Row kernel: nearest point of Λ16 to ``x`` (length 16) into ``out``; returns ||x - out||²."""
    cb = np.empty((2, 16))
    dl = np.empty((2, 16))
    pa = np.empty((2, 16), dtype=np.int64)
    qs = np.empty((4, 4, 2))
    qd = np.empty((4, 4, 2))
    qp = np.empty((4, 4, 2), dtype=np.int64)
    return _bw_row_ws(x, out, cb, dl, pa, qs, qd, qp)


@njit(cache=True)
def _batch_bw(x, out):
    cb = np.empty((2, 16))
    dl = np.empty((2, 16))
    pa = np.empty((2, 16), dtype=np.int64)
    qs = np.empty((4, 4, 2))
    qd = np.empty((4, 4, 2))
    qp = np.empty((4, 4, 2), dtype=np.int64)
    for k in range(x.shape[0]):
        _bw_row_ws(x[k], out[k], cb, dl, pa, qs, qd, qp)


def nearest_barnes_wall(x):
    """Nearest point of the Barnes–Wall lattice Λ16 for each row of ``x``.

    Parameters
    ----------
    x : ndarray of float64, shape (m, 16), C-contiguous
        Points in the integral scaling of :func:`generator_barnes_wall`. Not validated.

    Returns
    -------
    y : ndarray of float64, shape (m, 16)
        ``y[k]`` is a point of Λ16 nearest to ``x[k]`` (integer coordinates).

    Notes
    -----
    Exact maximum-likelihood decoding of Construction B, Λ16 = ∪_{c ∈ RM(1,4)} (c + 2 D16)
    (SPLAG ch. 5 §3; the coset-union rule of Conway & Sloane 1982, CS82F), organized so that the
    32 D16 decodings share their work:

    1. for each coordinate i and bit b, round x_i to the nearest point of b + 2Z; record the
       squared error, the parity of (q - b)/2 and the extra cost 4 - 4|e| of the second nearest
       point of b + 2Z (the D_n re-rounding);
    2. for each block of 4 coordinates and each of the 8 bit patterns a codeword of RM(1,4) can
       carry there (c(j + 4q) = <v, j> + <w, q> + ε: the linear pattern of v or its complement),
       sum the errors, xor the parities and take the minimal re-rounding cost;
    3. for each codeword c (4 table look-ups), the distance to c + 2 D16 is the summed error,
       plus the minimal re-rounding cost when the parity is odd (the D16 rule of CS82F).

    Of the order of 1,000 elementary operations per point (an estimate). Ties are broken deterministically: scalar
    rounding is floor(t + 1/2), the first of equally near cosets (in the order of
    :func:`reed_muller_1_4`) is kept, and the re-rounded coordinate is the first with the
    largest rounding error.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.lattices._barnes_wall import nearest_barnes_wall
    >>> x = np.array([[0.9, 1.2, 0.8, 1.1, 1.0, 0.7, 1.3, 0.9] + [0.1] * 8])
    >>> nearest_barnes_wall(x).astype(int).tolist()
    [[1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]]
    """
    out = np.empty_like(x)
    _batch_bw(x, out)
    return out
