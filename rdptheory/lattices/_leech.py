"""Leech lattice Λ24: Golay code, generator matrix and an exact nearest-point decoder.

Scaling: the integral "√8" form of SPLAG ch. 4 §11 (the vectors (1/√8)(x_1, …, x_24) of the
unimodular Leech lattice are written as the integer vectors x)::

    Λ24 = ∪_{c ∈ C24} (2c + 4 D24)  ∪  (2c + (-3, 1^23) + 4 D24)
        = {2c + 4w : c ∈ C24, w ∈ Z^24, sum(w) even}
          ∪ {1 + 2c + 4w : c ∈ C24, w ∈ Z^24, sum(w) odd},

with C24 the extended binary Golay code (2^12 words; every weight is ≡ 0 mod 4, which turns the
usual condition sum(x) ≡ 4m (mod 8) into the parity of sum(w)). The second form follows from
(-3, 1^23) = 1 - 4 e_0. In this scaling the minimal norm is 32, det(B Bᵀ) = 8^24 (|det B| = 8^12 =
2^36 = 4^24 · 2 / 2^13: 8192 cosets of 4 D24), and the kissing number is 196560 = 97152 (shape
(±2)^8 0^16 on the octads) + 98304 (shape (∓3, ±1^23)) + 1104 (shape (±4)^2 0^22) (SPLAG ch. 4
§11, Table 1.2). Divide by √8 for the unimodular Leech lattice (minimal norm 4).

Coordinates follow the MOG (Miracle Octad Generator, SPLAG ch. 11 §2): coordinate ``4*j + r``
is row ``r`` of column ``j`` of a 4 × 6 array. The rows carry the labels 0, 1, ω, ω̄ of GF(4);
the *count* of a column is the sum of the labels of its 1-entries. A binary 4 × 6 array is a
Golay codeword iff (i) every column has the parity of the top row and (ii) the six counts form a
word of the hexacode C6 = {(a, b, c, φ(1), φ(ω), φ(ω̄)) : φ(t) = a t² + b t + c} over GF(4)
(SPLAG ch. 11 §2). GF(4) elements are encoded 0, 1, ω, ω̄ -> 0, 1, 2, 3, so
addition is xor.
"""
from functools import lru_cache

import numpy as np
from numba import njit

from ._barnes_wall import _row_hnf, _scaled_dn_spanning_set

__all__ = ["generator_leech", "nearest_leech", "golay_codewords", "hexacode_words"]

_GF4_MUL = ((0, 0, 0, 0), (0, 1, 2, 3), (0, 2, 3, 1), (0, 3, 1, 2))
_LABELS = (0, 1, 2, 3)  # rows 0..3 of a MOG column carry 0, 1, ω, ω̄


def _gf4_mul(a, b):
    return _GF4_MUL[a][b]


@lru_cache(maxsize=None)
def _hexacode():
    words = []
    sq = {0: 0, 1: 1, 2: 3, 3: 2}  # t -> t² in GF(4)
    for a in range(4):
        for b in range(4):
            for c in range(4):
                phi = [_gf4_mul(a, sq[t]) ^ _gf4_mul(b, t) ^ c for t in (1, 2, 3)]
                words.append([a, b, c] + phi)
    H = np.array(words, dtype=np.int64)
    H.setflags(write=False)
    return H


def hexacode_words():
    """The 64 words of the hexacode C6 over GF(4) (0, 1, ω, ω̄ encoded as 0, 1, 2, 3).

    Returns
    -------
    words : ndarray of int64, shape (64, 6)
        Row ``16*a + 4*b + c`` is ``(a, b, c, φ(1), φ(ω), φ(ω̄))`` with ``φ(t) = a t² + b t + c``
        (SPLAG ch. 11 §2.2). The hexacode is a [6, 3, 4] code over GF(4): 1 word of weight 0,
        45 of weight 4, 18 of weight 6.

    Examples
    --------
    >>> from rdptheory.lattices._leech import hexacode_words
    >>> H = hexacode_words()
    >>> H.shape, sorted(set((H != 0).sum(axis=1).tolist()))
    ((64, 6), [0, 4, 6])
    """
    return _hexacode().copy()


def _column_patterns():
    # PAT[2*s + pi, h] = the 4-bit column pattern (bit r = row r) with count s, parity pi and
    # top-row bit h. The count map F_2^4 -> GF(4) has kernel {0000, 1000, 0111, 1111}, so each
    # (s, pi) has exactly two patterns, complements of each other, with top bits 0 and 1.
    PAT = -np.ones((8, 2), dtype=np.int64)
    for p in range(16):
        s = 0
        for r in range(4):
            if (p >> r) & 1:
                s ^= _LABELS[r]
        pi = bin(p).count("1") & 1
        h = p & 1
        assert PAT[2 * s + pi, h] < 0
        PAT[2 * s + pi, h] = p
    assert (PAT >= 0).all()
    return PAT


_PAT = _column_patterns()
_HEX = np.ascontiguousarray(_hexacode())


@lru_cache(maxsize=None)
def _golay():
    words = np.zeros((4096, 24), dtype=np.int64)
    k = 0
    for w in range(64):
        for pi in range(2):
            for hb in range(64):
                hbits = [(hb >> j) & 1 for j in range(6)]
                if sum(hbits) % 2 != pi:  # the top row has the parity of the columns
                    continue
                for j in range(6):
                    p = _PAT[2 * _HEX[w, j] + pi, hbits[j]]
                    for r in range(4):
                        words[k, 4 * j + r] = (p >> r) & 1
                k += 1
    assert k == 4096
    words.setflags(write=False)
    return words


def golay_codewords():
    """The 4096 words of the extended binary Golay code C24 in MOG coordinates.

    Returns
    -------
    words : ndarray of int64, shape (4096, 24)
        0/1 rows; coordinate ``4*j + r`` is row ``r`` of MOG column ``j``.

    Notes
    -----
    Built from the MOG description (SPLAG ch. 11 §2): a 4 × 6 binary array is a codeword iff
    every column has the parity of the top row and the column counts form a hexacode word
    (:func:`hexacode_words`). The weight distribution is 1, 759, 2576, 759, 1 at weights
    0, 8, 12, 16, 24 (SPLAG ch. 3 §2); the test suite checks it and the linearity.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.lattices._leech import golay_codewords
    >>> np.bincount(golay_codewords().sum(axis=1))[[0, 8, 12, 16, 24]].tolist()
    [1, 759, 2576, 759, 1]
    """
    return _golay().copy()


def _gf2_basis(words):
    basis = []  # reduced rows as Python ints (bit i = coordinate i)
    for w in words:
        v = sum(int(b) << i for i, b in enumerate(w))
        for b in basis:
            v = min(v, v ^ b)
        if v:
            basis.append(v)
    n = len(words[0])
    return [[(v >> i) & 1 for i in range(n)] for v in basis]


@lru_cache(maxsize=None)
def _leech_generator():
    n = 24
    gens = [[2 * b for b in c] for c in _gf2_basis(_golay())]
    gens.append([-3] + [1] * (n - 1))
    gens += _scaled_dn_spanning_set(n, 4)  # 4 D24
    B = _row_hnf(gens)
    B.setflags(write=False)
    return B


def generator_leech():
    """Generator matrix of the Leech lattice Λ24 in the integral √8 scaling.

    Returns
    -------
    B : ndarray of float64, shape (24, 24)
        Rows are basis vectors of ``∪_{c ∈ C24} (2c + 4 D24) ∪ (2c + (-3, 1^23) + 4 D24)``
        (MOG coordinates, :func:`golay_codewords`) in Hermite normal form (upper triangular,
        positive diagonal). ``|det B| = 8**12``, minimal norm 32, kissing number 196560.

    Notes
    -----
    Hermite normal form, computed exactly with Python integers, of the generating set
    {2c : c in a basis of C24} ∪ {(-3, 1^23)} ∪ {4(e_i ± e_{i+1})} (SPLAG ch. 4 §11). The rows
    are not reduced: LLL-reduce them if short rows are needed. Divide by √8 for the unimodular
    scaling.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.lattices._leech import generator_leech
    >>> B = generator_leech()
    >>> B.shape, int(round(np.prod(np.diag(B)))) == 8 ** 12
    ((24, 24), True)
    """
    return _leech_generator().copy()


# --------------------------------------------------------------------------------------------
# Decoder
# --------------------------------------------------------------------------------------------

# Block layout: the table stage works on _NB points at once (fewer for shorter inputs), with the
# point as last (contiguous) axis of every work array, so its branch-free arithmetic vectorizes
# across points; the scan and the rebuild then run point by point on lane p of those arrays.
_NB = 32


@njit(cache=True)
def _fix(Dc, w, pi, syn, p):
    """Cheapest change of column choices whose classes xor to ``syn`` (≠ 0).

    Column j offers 4 choices g = 2h + k (h: top-row bit, k: parity of sum(w) in the column);
    with m = 2*HEX[w, j] + pi, moving it from its cheapest class c to class c ^ f costs
    delta_j(f) = Dc[m, f, j, p] >= 0 (lane p of the block tables, :func:`_coset_tables`). An
    optimal set of moves has at most two columns (two moves of equal class cancel, and the three
    nonzero classes xor to 0), so it is one move of class syn or two moves, in different
    columns, of the two other classes.
    Returns (cost, j1, f1, j2, f2) with j2 = -1 for a single move.
    """
    u = 2 if syn == 1 else 1
    v = u ^ syn
    d1 = np.inf
    j1 = -1
    mu1 = np.inf
    mu2 = np.inf
    iu1 = -1
    iu2 = -1
    mv1 = np.inf
    mv2 = np.inf
    iv1 = -1
    iv2 = -1
    for j in range(6):
        m = 2 * _HEX[w, j] + pi
        ds = Dc[m, syn, j, p]
        if ds < d1:
            d1 = ds
            j1 = j
        du = Dc[m, u, j, p]
        if du < mu1:
            mu2 = mu1
            iu2 = iu1
            mu1 = du
            iu1 = j
        elif du < mu2:
            mu2 = du
            iu2 = j
        dv = Dc[m, v, j, p]
        if dv < mv1:
            mv2 = mv1
            iv2 = iv1
            mv1 = dv
            iv1 = j
        elif dv < mv2:
            mv2 = dv
            iv2 = j
    if iu1 != iv1:
        d2 = mu1 + mv1
        a = iu1
        bb = iv1
    elif mu1 + mv2 <= mu2 + mv1:
        d2 = mu1 + mv2
        a = iu1
        bb = iv2
    else:
        d2 = mu2 + mv1
        a = iu2
        bb = iv1
    if d1 <= d2:
        return d1, j1, syn, -1, 0
    return d2, a, u, bb, v


@njit(cache=True)
def _fix_cost(Dc, w, pi, syn, p):
    """The cost of :func:`_fix` alone, in one branch-free pass.

    min(one move of class syn, two moves of classes u and v = u ^ syn in different columns): at
    column j, the pairs (j', j) with j' < j cost du_j + min_{j'<j} dv_j' and dv_j + min_{j'<j}
    du_j'. Every sum is the same floating-point addition as in :func:`_fix`, so the minimum is
    bit-identical to its cost.
    """
    u = 2 if syn == 1 else 1
    v = u ^ syn
    d1 = np.inf
    d2 = np.inf
    mu = np.inf
    mv = np.inf
    for j in range(6):
        m = 2 * _HEX[w, j] + pi
        d1 = min(d1, Dc[m, syn, j, p])
        du = Dc[m, u, j, p]
        dv = Dc[m, v, j, p]
        d2 = min(d2, min(du + mv, dv + mu))
        mu = min(mu, du)
        mv = min(mv, dv)
    return min(d1, d2)


@njit(cache=True)
def _coset_tables(x, k0, sg, xt, cb, dl, pa, ps, pd, pp, Dc, bc, cc, Lc, Gc):
    """Column cost tables of the coset {sg + 2c + 4w : c ∈ C24, sum(w) ≡ sg (mod 2)} for the
    block of rows x[k0 : k0 + nl] (nl = xt.shape[2] lanes; lane p holds row k0 + p; a last,
    partial block fills only its first lanes).

    For column j of row k0 + p and m = 2s + pi, the class g = 2h + k costs T_g: the least squared
    distance to sg + 2P + 4Z^4, P the column pattern with count s, parity pi and top bit h, over
    the points whose 4 values of w sum to k (mod 2). bc[m, j, p], cc[m, j, p]: the minimum over
    the 4 classes and its first argmin c; Dc[m, f, j, p] = T_{c ^ f} - bc (f = 1, 2, 3).
    Lc[pi, w, p]: for the Golay parity pi and the hexacode word w, the sum of the columns'
    cheapest costs bc, in column order; Gc[pi, a, p]: the least of Lc[pi, 4a + c, p], c = 0..3.
    Parities are held as 0.0/1.0.
    """
    nb = min(xt.shape[2], x.shape[0] - k0)
    for p in range(nb):
        k = k0 + p
        for j in range(6):
            for r in range(4):
                xt[r, j, p] = x[k, 4 * j + r] - sg
    for b in range(2):
        for r in range(4):
            for j in range(6):
                for p in range(nb):
                    y = xt[r, j, p]
                    t = np.floor((y - 2.0 * b) * 0.25 + 0.5)
                    e = y - (4.0 * t + 2.0 * b)
                    cb[b, r, j, p] = e * e
                    dl[b, r, j, p] = 16.0 - 8.0 * abs(e)  # (4-|e|)^2 - e^2: next point of 2b+4Z
                    pa[b, r, j, p] = t - 2.0 * np.floor(t * 0.5)
    # two-coordinate tables for rows (0, 1) and rows (2, 3), q = b_lo + 2 b_hi
    for half in range(2):
        for q in range(4):
            b0 = q & 1
            b1 = q >> 1
            for j in range(6):
                for p in range(nb):
                    ps[half, q, j, p] = cb[b0, 2 * half, j, p] + cb[b1, 2 * half + 1, j, p]
                    pd[half, q, j, p] = min(dl[b0, 2 * half, j, p], dl[b1, 2 * half + 1, j, p])
                    pp[half, q, j, p] = abs(pa[b0, 2 * half, j, p] - pa[b1, 2 * half + 1, j, p])
    for m in range(8):
        lo0 = _PAT[m, 0] & 3
        hi0 = _PAT[m, 0] >> 2
        lo1 = _PAT[m, 1] & 3
        hi1 = _PAT[m, 1] >> 2
        for j in range(6):
            for p in range(nb):
                # top bit h = 0 and h = 1: cost s of the rounded column (w-parity odd or not)
                # and cost t = s + d >= s of the other w-parity
                s0 = ps[0, lo0, j, p] + ps[1, hi0, j, p]
                odd0 = pp[0, lo0, j, p] != pp[1, hi0, j, p]
                t0 = s0 + min(pd[0, lo0, j, p], pd[1, hi0, j, p])
                s1 = ps[0, lo1, j, p] + ps[1, hi1, j, p]
                odd1 = pp[0, lo1, j, p] != pp[1, hi1, j, p]
                t1 = s1 + min(pd[0, lo1, j, p], pd[1, hi1, j, p])
                # class g = 2h + k costs s_h if k is the parity of the rounded column, else t_h;
                # first argmin c over g = 0..3 (ties to the lower class, as a scan with "<")
                kk0 = odd0 and t0 > s0
                kk1 = odd1 and t1 > s1
                lt = s1 < s0
                bo = s1 if lt else s0
                bc[m, j, p] = bo
                cc[m, j, p] = (3 if kk1 else 2) if lt else (1 if kk0 else 0)
                # extra costs T_{c ^ f} - bc of the other classes: f = 1 (same block, other k),
                # f = 2 (other block, same k), f = 3 (other block, other k)
                same0 = kk1 == odd0
                same1 = kk0 == odd1
                Dc[m, 1, j, p] = (t1 if lt else t0) - bo
                Dc[m, 2, j, p] = ((s0 if same0 else t0) if lt else (s1 if same1 else t1)) - bo
                Dc[m, 3, j, p] = ((t0 if same0 else s0) if lt else (t1 if same1 else s1)) - bo
    for pi in range(2):
        for w in range(64):
            m0 = 2 * _HEX[w, 0] + pi
            m1 = 2 * _HEX[w, 1] + pi
            m2 = 2 * _HEX[w, 2] + pi
            m3 = 2 * _HEX[w, 3] + pi
            m4 = 2 * _HEX[w, 4] + pi
            m5 = 2 * _HEX[w, 5] + pi
            for p in range(nb):
                Lc[pi, w, p] = (bc[m0, 0, p] + bc[m1, 1, p] + bc[m2, 2, p] + bc[m3, 3, p]
                                + bc[m4, 4, p] + bc[m5, 5, p])
        for a in range(16):  # the 4 words 4a + c, c = 0..3, share the first two symbols
            for p in range(nb):
                Gc[pi, a, p] = min(min(Lc[pi, 4 * a, p], Lc[pi, 4 * a + 1, p]),
                                   min(Lc[pi, 4 * a + 2, p], Lc[pi, 4 * a + 3, p]))


@njit(cache=True)
def _scan_rebuild(x, out, D, ct, L, G, gsel, p):
    """Nearest point of Λ24 (√8 scaling) to x (one row), from lane p of the block tables of
    both cosets; writes it to out and returns ||x - out||². See :func:`nearest_leech`."""
    best = np.inf
    bsg = 0
    bpi = 0
    bw = 0
    for sg in range(2):
        for pi in range(2):
            for a in range(16):
                if G[sg, pi, a, p] >= best:  # no word 4a + c can improve
                    continue
                for w in range(4 * a, 4 * a + 4):
                    lb = L[sg, pi, w, p]
                    if lb >= best:
                        continue
                    cc = ct[sg]
                    syn = 2 * pi + sg  # (h-parity, k-parity) left after the cheapest classes
                    for j in range(6):
                        syn ^= cc[2 * _HEX[w, j] + pi, j, p]
                    if syn != 0:
                        lb += _fix_cost(D[sg], w, pi, syn, p)
                    if lb < best:
                        best = lb
                        bsg = sg
                        bpi = pi
                        bw = w
    # rebuild the winning point
    cc = ct[bsg]
    syn = 2 * bpi + bsg
    for j in range(6):
        gsel[j] = cc[2 * _HEX[bw, j] + bpi, j, p]
        syn ^= gsel[j]
    if syn != 0:
        _, j1, f1, j2, f2 = _fix(D[bsg], bw, bpi, syn, p)
        gsel[j1] ^= f1
        if j2 >= 0:
            gsel[j2] ^= f2
    for j in range(6):
        pat = _PAT[2 * _HEX[bw, j] + bpi, gsel[j] >> 1]
        k = gsel[j] & 1
        par = 0
        worst = 0
        wd = np.inf
        for r in range(4):
            i = 4 * j + r
            b = (pat >> r) & 1
            y = x[i] - bsg
            rr = np.floor((y - 2.0 * b) * 0.25 + 0.5)
            q = 4.0 * rr + 2.0 * b
            out[i] = q
            e = y - q
            par ^= np.int64(rr - 2.0 * np.floor(rr * 0.5))
            dd = 16.0 - 8.0 * abs(e)
            if dd < wd:
                wd = dd
                worst = i
        if par != k:
            if x[worst] - bsg >= out[worst]:
                out[worst] += 4.0
            else:
                out[worst] -= 4.0
    d = 0.0
    for i in range(24):
        out[i] += bsg
        d += (x[i] - out[i]) ** 2
    return d


@njit(cache=True)
def _alloc_ws(nl):
    """Block work arrays for nl lanes (points): xt (4, 6, nl); cb, dl, pa, ps, pd, pp
    (2, 4, 6, nl); D (2, 8, 4, 6, nl); bt (2, 8, 6, nl); ct (2, 8, 6, nl) int64; L (2, 2, 64, nl);
    G (2, 2, 16, nl); gsel (6,) int64."""
    sh = (2, 4, 6, nl)
    return (np.empty((4, 6, nl)), np.empty(sh), np.empty(sh), np.empty(sh), np.empty(sh),
            np.empty(sh), np.empty(sh), np.empty((2, 8, 4, 6, nl)), np.empty((2, 8, 6, nl)),
            np.empty((2, 8, 6, nl), dtype=np.int64), np.empty((2, 2, 64, nl)),
            np.empty((2, 2, 16, nl)), np.empty(6, dtype=np.int64))


@njit(cache=True)
def _batch_leech_ws(x, out, ws):
    xt, cb, dl, pa, ps, pd, pp, D, bt, ct, L, G, gsel = ws
    n = x.shape[0]
    for k0 in range(0, n, xt.shape[2]):
        for sg in range(2):
            _coset_tables(x, k0, sg, xt, cb, dl, pa, ps, pd, pp, D[sg], bt[sg], ct[sg], L[sg],
                          G[sg])
        for p in range(min(xt.shape[2], n - k0)):
            _scan_rebuild(x[k0 + p], out[k0 + p], D, ct, L, G, gsel, p)


@njit(cache=True)
def _leech_row(x, out):
    """Row kernel: nearest point of Λ24 (√8 scaling) to ``x`` (length 24) into ``out``;
    returns ||x - out||²."""
    xb = np.empty((1, 24))
    ob = np.empty((1, 24))
    xb[0, :] = x
    _batch_leech_ws(xb, ob, _alloc_ws(1))
    out[:] = ob[0]
    d = 0.0
    for i in range(24):
        d += (x[i] - out[i]) ** 2
    return d


@njit(cache=True)
def _batch_leech(x, out):
    _batch_leech_ws(x, out, _alloc_ws(max(1, min(_NB, x.shape[0]))))


def nearest_leech(x):
    """Nearest point of the Leech lattice Λ24 (integral √8 scaling) for each row of ``x``.

    Parameters
    ----------
    x : ndarray of float64, shape (m, 24), C-contiguous
        Points in the scaling and MOG coordinates of :func:`generator_leech`. Not validated.

    Returns
    -------
    y : ndarray of float64, shape (m, 24)
        ``y[k]`` is a point of Λ24 nearest to ``x[k]`` (integer coordinates, minimal norm 32).

    Notes
    -----
    Exact maximum-likelihood decoding through the hexacode, in the spirit of Vardy & Be'ery
    (1993, VB93) and Conway & Sloane (1986, CS86). Λ24 is the union of the two "half-Leech"
    cosets H_σ = {σ + 2c + 4w : c ∈ C24, sum(w) ≡ σ (mod 2)}, σ ∈ {0, 1}. For each σ:

    1. every coordinate is rounded to the nearest point of σ + 2b + 4Z for both bits b; the
       squared error, the parity of w_i and the extra cost 16 - 8|e| of the next point of
       σ + 2b + 4Z (which flips that parity) are kept;
    2. for each MOG column j and each (count s, parity π, top bit h, parity k of the w's of the
       column) the least column cost T_j[s, π; h, k] is read from two-coordinate tables (the
       column pattern is fixed by (s, π, h); k is met by the D_n re-rounding rule of CS82F);
    3. a Golay codeword is a hexacode word (s_0..s_5), a parity π and top bits h_j with
       sum(h_j) ≡ π (SPLAG ch. 11). For each of the 64 · 2 pairs (word, π) the best choice of
       (h_j, k_j) in every column subject to the two parity constraints sum h_j ≡ π ("h-parity")
       and sum k_j ≡ σ ("k-parity") is exact and cheap: take each column's cheapest class, and
       if the syndrome in Z_2² is nonzero add the cheapest correction, which is a change of one
       column or of two columns (see ``_fix``). Candidates whose uncorrected sum already reaches
       the best distance found are skipped.

    Steps 1-2 and the uncorrected sums of step 3 (the 2 · 2 · 64 candidates (σ, π, word)) are
    branch-free and run on blocks of 32 points with the point as innermost array axis, so they
    vectorize across points; they are about 4.5 · 10^3 floating-point operations per point
    (2 · 48 roundings of about 10 operations, 2 · 48 column classes of about 20, 256 sums of 5
    additions in column order, and the least sum of each group of 4 words sharing the first two
    hexacode symbols). Step 2 also stores, per column, the extra cost of each of the three other
    classes, so a correction is a branch-free pass over the 6 columns (about 50 operations; a
    single or a two-column move, found with running minima). The rest runs point by point:
    64 group comparisons with the best distance found, the sums of the words of the groups that
    pass, the syndrome (6 xors) of the about 11 candidates that pass, about 8 corrections, and
    the rebuild of the winner (24 roundings). That is about 10^4 operations per point in all,
    versus 8192 D24 decodings (about 4 · 10^5 operations) for a scan of the cosets of 4 D24.
    On one core of the development machine (AVX-512) it decodes about 2.9 times as many points
    per second as the point-by-point version of this decoder (same process, same output; about
    9 · 10^5 points per second of CPU time while the machine was loaded).
    Ties are broken deterministically (first coset σ = 0, then π, then hexacode word in the order
    of :func:`hexacode_words`; scalar rounding floor(t + 1/2)).

    References
    ----------
    .. [VB93] A. Vardy and Y. Be'ery, "Maximum likelihood decoding of the Leech lattice",
       IEEE Trans. Inf. Theory 39(4), 1993.
    .. [CS86] J. H. Conway and N. J. A. Sloane, "Soft decoding techniques for codes and
       lattices, including the Golay code and the Leech lattice", IEEE Trans. Inf. Theory
       32(1), 1986.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.lattices._leech import nearest_leech
    >>> v = np.array([[-3.0] + [1.0] * 23])          # a minimal vector, norm 32
    >>> y = nearest_leech(v + 0.4)
    >>> bool((y == v).all()), float((v ** 2).sum())
    (True, 32.0)
    """
    out = np.empty_like(x)
    _batch_leech(x, out)
    return out
