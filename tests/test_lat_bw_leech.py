"""Tests of the Barnes–Wall (Λ16) and Leech (Λ24) decoders against independent oracles.

Oracles: brute-force maximum-likelihood decoders written here from the coset descriptions
(32 cosets c + 2 D16; 8192 cosets 2c + 4 D24 and 2c + (-3, 1^23) + 4 D24), plain numpy; codes
checked by their published properties; kissing numbers counted by a generating-function
enumeration over the coset structure. No expected value below was produced by the code under
test.
"""
import itertools

import numpy as np
import pytest

from rdptheory.lattices._barnes_wall import (
    _bw_row,
    generator_barnes_wall,
    nearest_barnes_wall,
    reed_muller_1_4,
)
from rdptheory.lattices._leech import (
    _leech_row,
    generator_leech,
    golay_codewords,
    hexacode_words,
    nearest_leech,
)

# Published constants (source next to each)
KISSING_BW16 = 4320  # SPLAG (Conway & Sloane, 3rd ed.) ch. 1 Table 1.2 (p. 15); ch. 4 §10
KISSING_LEECH = 196560  # SPLAG ch. 1 Table 1.2 (p. 15); ch. 4 §11
LEECH_SHAPES = {"2^8 0^16": 97152, "3 1^23": 98304, "4^2 0^22": 1104}  # SPLAG ch. 4 §11
GOLAY_WEIGHTS = {0: 1, 8: 759, 12: 2576, 16: 759, 24: 1}  # SPLAG ch. 3 §2 (Golay code weight distribution)
HEXACODE_WEIGHTS = {0: 1, 4: 45, 6: 18}  # SPLAG ch. 3 §2 and ch. 11 §2 (hexacode)
RM14_WEIGHTS = {0: 1, 8: 30, 16: 1}  # MacWilliams & Sloane ch. 13 (RM(1,m): 2^(m+1) - 2 words of weight 2^(m-1))

# Coset-count predictions of the cell volume (|det B|)
VOL_BW16 = 2.0 ** 16 * 2 / 32  # vol(2 D16) / |RM(1,4)| = 2^12
VOL_LEECH = 4.0 ** 24 * 2 / 8192  # vol(4 D24) / (2 * |C24|) = 2^36 = 8^12

A_LEECH = np.array([-3.0] + [1.0] * 23)


# ------------------------------------------------------------------------------------------
# Independent oracles
# ------------------------------------------------------------------------------------------

def _dn_nearest(z):
    """Nearest point of D_n for each row of z (CS82F), plain numpy, batched over leading axes."""
    r = np.floor(z + 0.5)
    odd = (r.sum(axis=-1) % 2) != 0
    err = np.abs(z - r)
    w = err.argmax(axis=-1)
    zw = np.take_along_axis(z, w[..., None], axis=-1)[..., 0]
    rw = np.take_along_axis(r, w[..., None], axis=-1)[..., 0]
    new = np.where(odd, np.where(zw >= rw, rw + 1.0, rw - 1.0), rw)
    np.put_along_axis(r, w[..., None], new[..., None], axis=-1)
    return r


def _brute_coset_union(x, shifts, scale, chunk):
    """min over cosets s + scale * D_n of ||x - .||^2 for each row of x; returns (dist, point)."""
    m = len(x)
    dist = np.empty(m)
    pts = np.empty_like(x)
    for a in range(0, m, chunk):
        xb = x[a:a + chunk]
        z = (xb[:, None, :] - shifts[None, :, :]) / scale
        y = scale * _dn_nearest(z) + shifts[None, :, :]
        d = ((xb[:, None, :] - y) ** 2).sum(axis=-1)
        k = d.argmin(axis=1)
        dist[a:a + chunk] = d[np.arange(len(xb)), k]
        pts[a:a + chunk] = y[np.arange(len(xb)), k]
    return dist, pts


def _rm14_independent():
    """RM(1,4) from its definition: evaluations of the affine Boolean functions on F_2^4."""
    pts = np.array(list(itertools.product([0, 1], repeat=4)))[:, ::-1]  # row i: bits of i
    words = set()
    for coef in itertools.product([0, 1], repeat=5):
        words.add(tuple(int(v) for v in (pts @ np.array(coef[:4]) + coef[4]) % 2))
    return np.array(sorted(words), dtype=float)


RM = _rm14_independent()
GOLAY = golay_codewords().astype(float)  # validated by test_golay_code_properties
LEECH_SHIFTS = np.concatenate([2.0 * GOLAY, 2.0 * GOLAY + A_LEECH])


def brute_bw(x):
    return _brute_coset_union(x, RM, 2.0, 256)


def brute_leech(x):
    return _brute_coset_union(x, LEECH_SHIFTS, 4.0, 8)


def in_bw16(y):
    """Membership test: integer, y mod 2 in RM(1,4), sum(y) = 0 mod 4."""
    if not np.all(y == np.round(y)):
        return False
    yi = y.astype(np.int64)
    words = {tuple(w) for w in RM.astype(np.int64)}
    return all(tuple(r) in words for r in (yi % 2)) and np.all(yi.sum(axis=1) % 4 == 0)


_GOLAY_SET = {tuple(w) for w in GOLAY.astype(np.int64)}


def in_leech(y):
    """Membership test (SPLAG ch. 4 §11): integer, all coordinates of one parity m,
    ((y - m)/2) mod 2 a Golay codeword, sum(y) = 4m mod 8."""
    if not np.all(y == np.round(y)):
        return False
    for row in y.astype(np.int64):
        m = row[0] % 2
        if np.any(row % 2 != m):
            return False
        if tuple(((row - m) // 2) % 2) not in _GOLAY_SET:
            return False
        if row.sum() % 8 != 4 * m:
            return False
    return True


def _close(d_fast, d_ref):
    return np.allclose(d_fast, d_ref, rtol=1e-12, atol=1e-9)


def _dist(x, y):
    return ((x - y) ** 2).sum(axis=1)


# ------------------------------------------------------------------------------------------
# Codes
# ------------------------------------------------------------------------------------------

def _gf2_rank_and_basis(words):
    basis = []
    for w in words:
        v = int("".join(str(int(b)) for b in w), 2)
        for b in basis:
            v = min(v, v ^ b)
        if v:
            basis.append(v)
    return len(basis), basis


def test_reed_muller_code():
    W = reed_muller_1_4()
    assert W.shape == (32, 16)
    assert {tuple(w) for w in W} == {tuple(w) for w in RM.astype(np.int64)}
    wts = np.bincount(W.sum(axis=1), minlength=17)
    assert {k: int(wts[k]) for k in RM14_WEIGHTS} == RM14_WEIGHTS


def test_golay_code_properties():
    G = golay_codewords()
    assert G.shape == (4096, 24)
    ints = {int("".join(map(str, w)), 2) for w in G}
    assert len(ints) == 4096
    rank, basis = _gf2_rank_and_basis(G)
    assert rank == 12
    for b in basis:  # closed under adding a basis vector, 2^12 distinct words: a linear code
        assert {v ^ b for v in ints} == ints
    wts = np.bincount(G.sum(axis=1), minlength=25)
    assert {k: int(wts[k]) for k in GOLAY_WEIGHTS} == GOLAY_WEIGHTS
    assert wts.sum() == 4096


def test_hexacode_properties():
    H = hexacode_words()
    assert H.shape == (64, 6) and len({tuple(h) for h in H}) == 64
    wts = np.bincount((H != 0).sum(axis=1), minlength=7)
    assert {k: int(wts[k]) for k in HEXACODE_WEIGHTS} == HEXACODE_WEIGHTS
    # GF(4)-linearity: closed under addition (xor) and multiplication by omega
    mul_w = np.array([0, 2, 3, 1])  # t -> omega * t with 0, 1, w, w-bar = 0, 1, 2, 3
    S = {tuple(h) for h in H}
    for h in H:
        assert tuple(mul_w[h]) in S
        for g in H[:8]:
            assert tuple(h ^ g) in S


# ------------------------------------------------------------------------------------------
# Generators
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "gen, nearest, member, vol, n",
    [(generator_barnes_wall, nearest_barnes_wall, in_bw16, VOL_BW16, 16),
     (generator_leech, nearest_leech, in_leech, VOL_LEECH, 24)],
)
def test_generator(gen, nearest, member, vol, n):
    B = gen()
    assert B.shape == (n, n) and B.dtype == np.float64
    sign, logdet = np.linalg.slogdet(B @ B.T)
    assert sign > 0
    assert np.isclose(logdet, 2 * np.log(vol), rtol=0, atol=1e-9)
    assert member(B)  # rows lie in the lattice; with the volume, they span it
    assert np.array_equal(nearest(B.copy()), B)
    # small integer combinations are lattice points and decode to themselves
    rng = np.random.default_rng(11)
    P = rng.integers(-3, 4, size=(200, n)).astype(float) @ B
    assert member(P)
    assert np.array_equal(nearest(P), P)


# ------------------------------------------------------------------------------------------
# Kissing numbers by enumeration over the coset structure
# ------------------------------------------------------------------------------------------

def _count_norm(value_sets, parity_target, norm_max):
    """Count integer vectors with coordinate i in value_sets[i] (dict value -> parity bit),
    total parity == parity_target, by norm (array indexed by norm <= norm_max)."""
    poly = np.zeros((norm_max + 1, 2), dtype=np.int64)
    poly[0, 0] = 1
    for vals in value_sets:
        new = np.zeros_like(poly)
        for v, p in vals.items():
            nv = v * v
            if nv > norm_max:
                continue
            new[nv:, :] += np.roll(poly[:norm_max + 1 - nv, :], p, axis=1)
        poly = new
    return poly[:, parity_target]


def _coset_values(offset, step, bound):
    """{v: parity of (v - offset)/step} for v in offset + step*Z, |v| <= bound."""
    ks = range(-(bound // step) - 2, bound // step + 3)
    return {offset + step * k: k % 2 for k in ks if abs(offset + step * k) <= bound}


def test_kissing_number_barnes_wall():
    # Λ16 = ∪_c (c + 2 D16): coordinate i takes values c_i + 2k, sum of the k's even
    counts = np.zeros(9, dtype=np.int64)
    for c in RM.astype(int):
        counts += _count_norm([_coset_values(ci, 2, 3) for ci in c], 0, 8)
    assert counts[0] == 1 and counts[1:8].sum() == 0  # minimal norm 8
    assert counts[8] == KISSING_BW16


def test_kissing_number_leech():
    # Λ24 = ∪_c (2c + 4 D24) ∪ (2c + (-3, 1^23) + 4 D24): the count per coset depends only on
    # (weight of c, c_0); group the codewords accordingly.
    G = GOLAY.astype(int)
    groups = {}
    for c in G:
        key = (int(c.sum()), int(c[0]))
        groups[key] = groups.get(key, 0) + 1
    norm_max = 32
    counts = np.zeros(norm_max + 1, dtype=np.int64)
    for (wt, c0), mult in groups.items():
        c = np.zeros(24, dtype=int)
        c[0] = c0
        rest = [i for i in range(1, 24)][: wt - c0]
        c[rest] = 1
        for a in (np.zeros(24, dtype=int), A_LEECH.astype(int)):
            vs = [_coset_values(2 * c[i] + a[i], 4, 6) for i in range(24)]
            counts += mult * _count_norm(vs, 0, norm_max)
    assert counts[0] == 1 and counts[1:32].sum() == 0  # minimal norm 32
    assert counts[32] == KISSING_LEECH
    assert sum(LEECH_SHAPES.values()) == KISSING_LEECH


def _leech_minimal_vectors(rng, k):
    """k random minimal vectors of each SPLAG shape, built from the Golay code."""
    G = GOLAY.astype(int)
    octads = G[G.sum(axis=1) == 8]
    out = []
    for _ in range(k):
        o = octads[rng.integers(len(octads))]
        s = rng.choice([-1, 1], size=8)
        if np.prod(s) < 0:
            s[0] = -s[0]
        v = np.zeros(24)
        v[o == 1] = 2 * s
        out.append(v)
        c = G[rng.integers(len(G))]
        i = rng.integers(24)
        v = np.where(c == 1, -1.0, 1.0)  # (∓3, ±1^23): signs from a codeword
        v[i] = -3.0 * v[i]
        out.append(v * rng.choice([-1, 1]))
        v = np.zeros(24)
        i, j = rng.choice(24, size=2, replace=False)
        v[i], v[j] = 4 * rng.choice([-1, 1]), 4 * rng.choice([-1, 1])
        out.append(v)
    V = np.array(out)
    assert in_leech(V) and np.all(_dist(V, 0 * V) == 32)
    return V


def _bw_minimal_vectors(rng, k):
    W = RM.astype(int)
    w8 = W[W.sum(axis=1) == 8]
    out = []
    for _ in range(k):
        c = w8[rng.integers(len(w8))]
        s = rng.choice([-1, 1], size=8)
        if np.prod(s) < 0:
            s[0] = -s[0]
        v = np.zeros(16)
        v[c == 1] = s
        out.append(v)
        v = np.zeros(16)
        i, j = rng.choice(16, size=2, replace=False)
        v[i], v[j] = 2 * rng.choice([-1, 1]), 2 * rng.choice([-1, 1])
        out.append(v)
    V = np.array(out)
    assert in_bw16(V) and np.all(_dist(V, 0 * V) == 8)
    return V


# ------------------------------------------------------------------------------------------
# Decoders against the brute-force oracle
# ------------------------------------------------------------------------------------------

def _check_against_brute(x, nearest, brute, member):
    y = nearest(x)
    assert y.shape == x.shape and y.dtype == np.float64
    assert member(y)
    d_ref, _ = brute(x)
    assert _close(_dist(x, y), d_ref)
    return y


@pytest.mark.parametrize("scale", [0.7, 4.0])
def test_bw_random_vs_brute(scale):
    rng = np.random.default_rng(101)
    x = rng.normal(scale=scale, size=(4000, 16))
    _check_against_brute(x, nearest_barnes_wall, brute_bw, in_bw16)


def test_leech_random_vs_brute():
    rng = np.random.default_rng(202)
    x = rng.normal(scale=6.0, size=(1500, 24))
    _check_against_brute(x, nearest_leech, brute_leech, in_leech)


def test_leech_small_scale_vs_brute():
    rng = np.random.default_rng(203)
    x = rng.normal(scale=1.5, size=(500, 24)) + rng.integers(-1, 2, size=(500, 24))
    _check_against_brute(x, nearest_leech, brute_leech, in_leech)


def test_leech_tie_heavy_inputs_blocks_and_rows():
    """Tie-heavy inputs (half- and quarter-integer grids, where many cosets and candidates are at
    exactly equal distance, and midpoints of minimal vectors): the block decoder (32 points per
    block, a partial last block) gives brute-force distances, lattice points, and the same point
    for a row whatever its block, lane or neighbours (row kernel, reversed batch, single rows)."""
    rng = np.random.default_rng(207)
    n = 32 + 7  # a partial last block
    B = generator_leech()
    V = _leech_minimal_vectors(rng, 3)
    X = np.concatenate([
        np.round(rng.normal(scale=3.0, size=(n, 24)) * 2) / 2,
        np.round(rng.normal(scale=3.0, size=(n, 24)) * 4) / 4,
        (rng.integers(-3, 4, size=(len(V), 24)).astype(float) @ B) + V / 2,
    ])
    y = _check_against_brute(X, nearest_leech, brute_leech, in_leech)
    assert np.array_equal(nearest_leech(X[::-1].copy())[::-1], y)
    for k in range(0, len(X), 11):
        out = np.empty(24)
        _leech_row(X[k], out)
        assert np.array_equal(out, y[k])
        assert np.array_equal(nearest_leech(X[k:k + 1].copy())[0], y[k])


def test_row_kernels_return_distance():
    rng = np.random.default_rng(5)
    for row, n, brute in ((_bw_row, 16, brute_bw), (_leech_row, 24, brute_leech)):
        x = rng.normal(scale=3.0, size=(20, n))
        d_ref, _ = brute(x)
        for k in range(len(x)):
            out = np.empty(n)
            d = row(x[k], out)
            assert np.isclose(d, ((x[k] - out) ** 2).sum(), rtol=1e-12, atol=1e-12)
            assert np.isclose(d, d_ref[k], rtol=1e-12, atol=1e-9)


# ------------------------------------------------------------------------------------------
# Adversarial inputs
# ------------------------------------------------------------------------------------------

CASES = [
    (generator_barnes_wall, nearest_barnes_wall, brute_bw, in_bw16, _bw_minimal_vectors, 16, 8.0),
    (generator_leech, nearest_leech, brute_leech, in_leech, _leech_minimal_vectors, 24, 32.0),
]
IDS = ["bw16", "leech"]


@pytest.mark.parametrize("gen, nearest, brute, member, minvecs, n, nmin", CASES, ids=IDS)
def test_lattice_points_and_tiny_perturbations(gen, nearest, brute, member, minvecs, n, nmin):
    rng = np.random.default_rng(31)
    B = gen()
    P = rng.integers(-50, 51, size=(300, n)).astype(float) @ B
    assert np.array_equal(nearest(P), P)
    for eps in (1e-12, 1e-6, 0.3):
        u = rng.normal(size=P.shape)
        u *= eps * np.sqrt(nmin) / 2 / np.linalg.norm(u, axis=1, keepdims=True)  # < packing radius
        assert np.array_equal(nearest(P + u), P)
    V = minvecs(rng, 30)
    assert np.array_equal(nearest(V), V)


@pytest.mark.parametrize("gen, nearest, brute, member, minvecs, n, nmin", CASES, ids=IDS)
def test_near_ties(gen, nearest, brute, member, minvecs, n, nmin):
    """Midpoints p + v/2 of minimal vectors v: two (or more) nearest points at distance nmin/4."""
    rng = np.random.default_rng(41)
    B = gen()
    V = minvecs(rng, 40)
    P = rng.integers(-5, 6, size=(len(V), n)).astype(float) @ B
    M = P + V / 2
    y = nearest(M)
    assert member(y)
    assert np.allclose(_dist(M, y), nmin / 4, rtol=0, atol=1e-12)
    d_ref, _ = brute(M)
    assert np.allclose(d_ref, nmin / 4, rtol=0, atol=1e-12)
    # slightly off the tie, in random directions
    for eps in (1e-13, 1e-9):
        X = M + eps * rng.normal(size=M.shape)
        _check_against_brute(X, nearest, brute, member)
    # deterministic: same input, same output
    assert np.array_equal(nearest(M), y)


@pytest.mark.parametrize("gen, nearest, brute, member, minvecs, n, nmin", CASES, ids=IDS)
def test_huge_coordinates(gen, nearest, brute, member, minvecs, n, nmin):
    rng = np.random.default_rng(51)
    B = gen()
    cell = abs(np.linalg.det(B)) ** (1.0 / n)
    far = nearest(rng.uniform(-1e6, 1e6, size=(200, n)) * cell)  # lattice points ~1e6 cells out
    assert member(far)
    u = rng.normal(scale=cell, size=far.shape)
    x = far + u
    y = _check_against_brute(x, nearest, brute, member)
    # translation by a lattice point: same distance as decoding the (rounded) offset alone
    off = x - far
    assert np.allclose(_dist(x, y), _dist(off, nearest(off)), rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("gen, nearest, brute, member, minvecs, n, nmin", CASES, ids=IDS)
def test_float32_input(gen, nearest, brute, member, minvecs, n, nmin):
    rng = np.random.default_rng(61)
    x = rng.normal(scale=3.0, size=(300, n)).astype(np.float32).astype(np.float64)
    _check_against_brute(x, nearest, brute, member)
    # coarse float32 grids (many exact ties between cosets)
    xg = (np.round(rng.normal(scale=3.0, size=(300, n)) * 4) / 4).astype(np.float32)
    _check_against_brute(xg.astype(np.float64), nearest, brute, member)


def test_empty_input():
    assert nearest_barnes_wall(np.empty((0, 16))).shape == (0, 16)
    assert nearest_leech(np.empty((0, 24))).shape == (0, 24)


# ------------------------------------------------------------------------------------------
# Longer runs
# ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_bw_random_vs_brute_long():
    rng = np.random.default_rng(1001)
    for scale in (0.5, 2.0, 10.0):
        x = rng.normal(scale=scale, size=(100000, 16))
        _check_against_brute(x, nearest_barnes_wall, brute_bw, in_bw16)


@pytest.mark.slow
def test_leech_random_vs_brute_long():
    rng = np.random.default_rng(2002)
    for scale in (1.0, 3.0, 10.0):
        x = rng.normal(scale=scale, size=(6000, 24))
        _check_against_brute(x, nearest_leech, brute_leech, in_leech)
