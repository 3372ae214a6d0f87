"""Tests of the root-lattice, glue-lattice and K12 nearest-point decoders.

Independent oracle: a decoded point p of x is certified optimal by checking that no p + v is
nearer to x, for v over ALL lattice vectors of squared norm <= r2, where r2 is grown until
those vectors meet every class of Λ/2Λ. That set then contains every Voronoi-relevant vector
(a relevant vector is the strict minimum of its class mod 2Λ, Agrell, Eriksson, Vardy & Zeger
2002, AEVZ02, and a class minimum is no longer than any enumerated member of its class), so the
check certifies that p is a nearest lattice point. The short vectors come from a
Fincke–Pohst enumeration written here: level i of the Cholesky form G = RᵀR of the Gram
matrix bounds z_i to |R_ii (z_i - c_i)|² <= r2 - (partial norm), an interval that provably
contains every coefficient of every vector of norm <= r2 (the partial norms are lower bounds
of the full norm).

Expected determinants, minimal norms and kissing numbers are literature values:
SPLAG = Conway & Sloane, Sphere Packings, Lattices and Groups, 3rd ed., ch. 4 (§6.1 A_n,
§6.6 A_n*, §7.1 D_n, §7.4 D_n*, §7.3 D_n+, §8.1 E8, §8.2 E7/E7*, §8.3 E6/E6*, §9 K12);
SPLAG ch. 4 (kissing numbers E6 72, E7 126,
E8 240, K12 756; determinants E6 3, E7 2, E8 1).
"""
from dataclasses import dataclass

import numpy as np
import pytest

from rdptheory.lattices import _glue, _root


# ----------------------------------------------------------------------------------------
# independent helpers
# ----------------------------------------------------------------------------------------

def short_coefficients(B, r2):
    """Integer z (rows) of every lattice vector zB with ||zB||^2 <= r2 (layered Fincke–Pohst)."""
    B = np.asarray(B, dtype=float)
    n = B.shape[0]
    R = np.linalg.cholesky(B @ B.T).T            # Gram = RᵀR, R upper triangular
    r2 = r2 * (1 + 1e-9) + 1e-12                 # keep vectors on the sphere despite rounding
    Z = np.zeros((1, 0), dtype=np.int64)          # coefficients z_{i+1}, ..., z_{n-1}
    part = np.zeros(1)
    for i in range(n - 1, -1, -1):
        c = -(Z @ R[i, i + 1:]) / R[i, i] if Z.shape[1] else np.zeros(len(Z))
        half = np.sqrt(np.maximum(r2 - part, 0.0)) / R[i, i]
        lo = np.ceil(c - half).astype(np.int64)
        hi = np.floor(c + half).astype(np.int64)
        cnt = np.maximum(hi - lo + 1, 0)
        idx = np.repeat(np.arange(len(Z)), cnt)
        zi = lo[idx] + np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        newpart = part[idx] + (R[i, i] * (zi - c[idx])) ** 2
        keep = newpart <= r2
        Z = np.column_stack([zi[keep], Z[idx][keep]])
        part = newpart[keep]
    return Z


def certifying_vectors(B):
    """All lattice vectors of norm <= r2, r2 grown until they meet every class of Λ/2Λ."""
    n = B.shape[0]
    r2 = float(np.max(np.sum(B * B, axis=1)))
    while True:
        Z = short_coefficients(B, r2)
        classes = np.unique((Z % 2) @ (1 << np.arange(n)))
        if len(classes) == 2 ** n:
            break
        r2 *= 1.25
    V = Z @ B
    return V[np.any(Z != 0, axis=1)]


def max_violation(x, p, V, chunk=2000):
    """max over rows and v of 2<x - p, v> - |v|^2 (> 0 means p + v is nearer to x than p)."""
    vv = np.sum(V * V, axis=1)
    worst = -np.inf
    for s in range(0, len(x), chunk):
        e = x[s:s + chunk] - p[s:s + chunk]
        worst = max(worst, float(np.max(2.0 * (e @ V.T) - vv)))
    return worst


def coefficients(B, p):
    """Real coefficients z with z B = p (least squares; B has full row rank)."""
    return np.linalg.solve(B @ B.T, B @ p.T).T


# ----------------------------------------------------------------------------------------
# the lattices under test, with literature values
# ----------------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    decode: object
    B: np.ndarray
    det: float                 # det(B Bᵀ)
    min_norm: float = None     # None: not asserted
    kissing: int = None


def _cases():
    cs = []
    for n in (1, 3):   # Z^n: det 1, min 1, kissing 2n
        cs.append(Case(f"Z{n}", _root.nearest_zn, _root.generator_zn(n), 1.0, 1.0, 2 * n))
    for n in (2, 3, 4, 5, 8):   # D_n: det 4, min 2, kissing 2n(n-1) (SPLAG §7.1)
        cs.append(Case(f"D{n}", _root.nearest_dn, _root.generator_dn(n), 4.0, 2.0,
                       2 * n * (n - 1)))
    for n in range(1, 9):   # A_n: det n+1, min 2, kissing n(n+1) (SPLAG §6.1)
        cs.append(Case(f"A{n}", _root.nearest_an, _root.generator_an(n), n + 1.0, 2.0,
                       n * (n + 1)))
    for n in range(1, 9):   # A_n*: det 1/(n+1), min n/(n+1), kissing 2(n+1), n>=2 (SPLAG §6.6)
        cs.append(Case(f"A{n}*", _root.nearest_an_dual, _root.generator_an_dual(n),
                       1.0 / (n + 1), n / (n + 1), 2 * (n + 1) if n >= 2 else 2))
    # D_n* = Z^n ∪ (Z^n + ½): det 1/4 (SPLAG §7.4); D3* = A3* (BCC, min 3/4, kissing 8),
    # D4* ≅ D4 (kissing 24), n >= 5: min 1, kissing 2n
    for n, mn, k in ((3, 0.75, 8), (4, 1.0, 24), (5, 1.0, 10), (8, 1.0, 16)):
        cs.append(Case(f"D{n}*", _root.nearest_dn_dual, _root.generator_dn_dual(n), 0.25, mn, k))
    # D_n+ (n even): det 1 (SPLAG §7.3); for n >= 10 the coset ½·1 + D_n has norm >= n/4 > 2,
    # so the minimal vectors are the 2n(n-1) roots of D_n
    for n in (2, 4, 6):
        cs.append(Case(f"D{n}+", _root.nearest_dn_plus, _root.generator_dn_plus(n), 1.0))
    for n in (10,):
        cs.append(Case(f"D{n}+", _root.nearest_dn_plus, _root.generator_dn_plus(n), 1.0, 2.0,
                       2 * n * (n - 1)))
    cs += [
        Case("E8", _root.nearest_e8, _root.generator_e8(), 1.0, 2.0, 240),          # SPLAG §8.1
        Case("E7", _glue.nearest_e7, _glue.generator_e7(), 2.0, 2.0, 126),          # SPLAG §8.2
        Case("E7*", _glue.nearest_e7_dual, _glue.generator_e7_dual(), 0.5, 1.5, 56),  # SPLAG §8.2
        Case("E6", _glue.nearest_e6, _glue.generator_e6(), 3.0, 2.0, 72),            # SPLAG §8.3
        Case("E6*", _glue.nearest_e6_dual, _glue.generator_e6_dual(), 1 / 3, 4 / 3, 54),  # §8.3
        Case("K12", _glue.nearest_k12, _glue.generator_k12(), 729.0, 4.0, 756),      # SPLAG §9
    ]
    return cs


CASES = _cases()
IDS = [c.name for c in CASES]
_VCACHE = {}


def relevant_superset(case):
    if case.name not in _VCACHE:
        _VCACHE[case.name] = certifying_vectors(case.B)
    return _VCACHE[case.name]


def cell_scale(case):
    n = case.B.shape[0]
    return case.det ** (1.0 / (2 * n))


# ----------------------------------------------------------------------------------------
# generators: determinant, minimal norm, kissing number
# ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_generator_determinant(case):
    B = case.B
    assert B.shape[0] <= B.shape[1]
    assert np.linalg.det(B @ B.T) == pytest.approx(case.det, rel=1e-9)


@pytest.mark.parametrize("case", [c for c in CASES if c.kissing is not None],
                         ids=[c.name for c in CASES if c.kissing is not None])
def test_min_norm_and_kissing(case):
    Z = short_coefficients(case.B, case.min_norm)
    V = Z[np.any(Z != 0, axis=1)] @ case.B
    norms = np.sum(V * V, axis=1)
    assert len(V) == case.kissing
    assert np.allclose(norms, case.min_norm, rtol=1e-9)


def test_e8_is_d8_plus_and_k12_theta_series():
    # E8 generator spans D8 ∪ (D8 + ½·1): every vector of norm 4 is integer with even sum
    # or half-integer; shell counts of E8: 240, 2160 (SPLAG ch. 4 §8.1, theta series)
    V = short_coefficients(_root.generator_e8(), 4.0) @ _root.generator_e8()
    nr = np.round(np.sum(V * V, axis=1), 9)
    assert np.sum(nr == 2) == 240 and np.sum(nr == 4) == 2160
    # every vector lies in D8 (integer) or D8 + ½·1 (all coordinates in Z + ½), sum even
    integer = np.all(np.isclose(V, np.round(V)), axis=1)
    half = np.all(np.isclose(V - 0.5, np.round(V - 0.5)), axis=1)
    assert np.all(integer ^ half) and integer.any() and half.any()
    assert np.allclose(np.mod(np.round(V.sum(axis=1)), 2), 0)
    # K12 theta series 1 + 756 q^4 + 4032 q^6 + 20412 q^8 (SPLAG ch. 4 §9)
    B = _glue.generator_k12()
    V = short_coefficients(B, 8.0) @ B
    nr = np.round(np.sum(V * V, axis=1), 9)
    assert [np.sum(nr == k) for k in (4, 6, 8)] == [756, 4032, 20412]


# ----------------------------------------------------------------------------------------
# decoders: certified optimality on random, special and extreme points
# ----------------------------------------------------------------------------------------

def _check_on_lattice(case, p, atol=1e-7):
    z = coefficients(case.B, p)
    assert np.allclose(z, np.round(z), atol=atol, rtol=0)
    assert np.allclose(np.round(z) @ case.B, p, atol=atol * max(1.0, np.abs(p).max()), rtol=0)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_decoder_random_points_certified(case):
    rng = np.random.default_rng(20240501)
    N = case.B.shape[1]
    x = rng.normal(scale=4.0 * cell_scale(case), size=(10_000, N))
    p = case.decode(x)
    assert p.shape == x.shape and p.dtype == np.float64
    _check_on_lattice(case, p)
    V = relevant_superset(case)
    assert max_violation(x, p, V) <= 1e-9
    # deterministic
    assert np.array_equal(case.decode(x), p)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_decoder_lattice_points_and_near_ties(case):
    rng = np.random.default_rng(7)
    n, N = case.B.shape
    z = rng.integers(-5, 6, size=(500, n))
    L = (z @ case.B).astype(float)
    # on lattice points: the point itself (up to the float error of L)
    assert np.allclose(case.decode(L), L, atol=1e-9, rtol=0)
    # near ties: midpoints L + v/2 of lattice vectors v, exactly and perturbed by 1e-10
    V = relevant_superset(case)
    v = V[rng.integers(0, len(V), size=500)]
    for eps in (0.0, 1e-10):
        x = L + v / 2 + eps * rng.normal(size=L.shape)
        p = case.decode(x)
        _check_on_lattice(case, p)
        assert max_violation(x, p, V) <= 1e-8


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_decoder_huge_coordinates_and_float32(case):
    rng = np.random.default_rng(11)
    n, N = case.B.shape
    V = relevant_superset(case)
    y = rng.normal(scale=2.0 * cell_scale(case), size=(1000, N))
    py = case.decode(y)
    # translate by a lattice point with coordinates ~1e6
    scale = 1e6 / np.abs(case.B).sum(axis=0).max()
    z = rng.integers(-int(scale), int(scale) + 1, size=(1000, n))
    L = (z @ case.B).astype(float)
    assert np.abs(L).max() > 1e5
    p = case.decode(L + y)
    assert np.allclose(p - L, py, atol=1e-6, rtol=0)
    assert max_violation(L + y, p, V) <= 1e-5
    # a huge component orthogonal to the span (A_n, A_n*, E6, E7 live in hyperplanes) is ignored
    if n < N:
        _, _, Vt = np.linalg.svd(case.B)
        perp = Vt[n:]
        x = y + 1e6 * rng.normal(size=(1000, N - n)) @ perp
        assert np.allclose(case.decode(x), py, atol=1e-6, rtol=0)
    # float32 input is cast to float64
    x32 = y.astype(np.float32)
    p32 = case.decode(x32)
    assert p32.dtype == np.float64
    assert max_violation(x32.astype(np.float64), p32, V) <= 1e-9


def test_certificate_rejects_suboptimal_decoders():
    """The oracle has teeth: decoders that miss a coset are caught."""
    rng = np.random.default_rng(5)
    e8 = next(c for c in CASES if c.name == "E8")
    x = rng.normal(scale=3.0, size=(2000, 8))
    assert max_violation(x, _root.nearest_dn(x), relevant_superset(e8)) > 0.1
    e7 = next(c for c in CASES if c.name == "E7")
    x = rng.normal(scale=3.0, size=(2000, 8))
    assert max_violation(x, _root.nearest_an(x), relevant_superset(e7)) > 0.1
    k12 = next(c for c in CASES if c.name == "K12")
    x = rng.normal(scale=3.0, size=(2000, 12))
    V = relevant_superset(k12)
    p = _glue.nearest_k12(x)
    p[::10] += V[np.argmin(np.sum(V * V, axis=1))]   # a lattice point, one minimal vector off
    assert max_violation(x, p, V) > 0.1


def test_tie_break_rules():
    # E8: (1/4)·1 is equidistant (norm 1/2) from 0 ∈ D8 and ½·1 ∈ D8 + ½·1; the D8 coset wins
    assert np.array_equal(_root.nearest_e8(np.full((1, 8), 0.25)), np.zeros((1, 8)))
    # scalar rounding floor(t + 1/2): 0.5 -> 1, -0.5 -> 0
    assert _root.nearest_zn(np.array([[0.5, -0.5]])).tolist() == [[1.0, 0.0]]


def test_compare_with_generic_enumeration():
    """Optional cross-check in distance against the generic Schnorr–Euchner decoder."""
    enum = pytest.importorskip("rdptheory.lattices._enumeration")
    if not hasattr(enum, "closest_points"):
        pytest.skip("closest_points not available")
    rng = np.random.default_rng(3)
    extra = [  # larger dimensions than the certified cases (det from SPLAG ch. 4)
        Case("A16", _root.nearest_an, _root.generator_an(16), 17.0),
        Case("A16*", _root.nearest_an_dual, _root.generator_an_dual(16), 1 / 17),
        Case("D16*", _root.nearest_dn_dual, _root.generator_dn_dual(16), 0.25),
        Case("D16+", _root.nearest_dn_plus, _root.generator_dn_plus(16), 1.0),
    ]
    names = ("A5", "A5*", "D5*", "D6+", "E8", "E7", "E7*", "E6", "E6*", "K12")
    for case in [c for c in CASES if c.name in names] + extra:
        x = rng.normal(scale=3.0 * cell_scale(case), size=(300, case.B.shape[1]))
        p = case.decode(x)
        q = enum.closest_points(case.B, x)
        d_ours = np.sum((x - p) ** 2, axis=1)
        d_enum = np.sum((x - q) ** 2, axis=1)
        assert np.allclose(d_ours, d_enum, rtol=1e-9, atol=1e-9), case.name


def _two_coset_reference(x, parity):
    """CS82F written plainly: decode x in L0 and x - ½·1 in L0 (L0 = D_n if ``parity`` else
    Z^n), keep the nearer (L0 on a tie). The one-pass kernels must give the same distances."""
    def l0(y):
        r = np.floor(y + 0.5)
        if parity:
            e = y - r
            odd = (r.sum(axis=1).astype(np.int64) & 1).astype(bool)
            w = np.abs(e).argmax(axis=1)
            idx = np.nonzero(odd)[0]
            r[idx, w[idx]] += np.where(e[idx, w[idx]] >= 0, 1.0, -1.0)
        return r
    a = l0(x)
    b = l0(x - 0.5) + 0.5
    da = ((x - a) ** 2).sum(axis=1)
    db = ((x - b) ** 2).sum(axis=1)
    return np.where((db < da)[:, None], b, a)


@pytest.mark.parametrize("n", [2, 4, 8, 12, 16])
@pytest.mark.parametrize("parity", [True, False])
def test_one_pass_half_union_equals_two_coset_decoding(n, parity):
    """The one-pass D_n+ / D_n* kernels (both cosets from one rounding) against the two-coset
    rule on random points, points of ¼Z^n (ties between and within cosets) and near-ties."""
    from rdptheory.lattices._root import nearest_dn_dual, nearest_dn_plus
    if parity and n % 2:
        pytest.skip("D_n+ is a lattice for even n only")
    rng = np.random.default_rng(n + 100 * parity)
    x = np.concatenate([rng.normal(scale=3.0, size=(4000, n)),
                        rng.integers(-8, 9, size=(4000, n)) / 4.0,
                        rng.integers(-8, 9, size=(4000, n)) / 4.0
                        + rng.normal(scale=1e-9, size=(4000, n))])
    fast = (nearest_dn_plus if parity else nearest_dn_dual)(x)
    ref = _two_coset_reference(x, parity)
    d_fast = ((x - fast) ** 2).sum(axis=1)
    d_ref = ((x - ref) ** 2).sum(axis=1)
    np.testing.assert_array_equal(d_fast, d_ref)
    # random points have no exact ties: there the point itself must be the same
    untied = slice(0, 4000)
    np.testing.assert_array_equal(fast[untied], ref[untied])
