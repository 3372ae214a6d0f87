"""Tests of rdptheory.lattices._enumeration (LLL, exact closest point, short/relevant vectors).

Every expected value is either a literature value (source beside it; keys:
SPLAG = Conway & Sloane, Sphere Packings, Lattices and
Groups, 3rd ed.; CS82F / CS82V = Conway & Sloane 1982; AEVZ02 = Agrell et al. 2002) or
computed here by an independent method (exhaustive search in a provably sufficient box,
closed-form decoders written inline, exact integer determinants).
"""
import itertools

import numpy as np
import pytest
import sympy

from rdptheory.lattices._enumeration import (
    ClosestPointSearcher,
    closest_points,
    kissing_number,
    lll_reduce,
    minimum_norm,
    nearest_point_certificate,
    relevant_vectors,
    short_vectors,
)


# --------------------------------------------------------------------------------------
# bases and independent closed-form decoders
# --------------------------------------------------------------------------------------
def zn_basis(n):
    return np.eye(n)


def dn_basis(n):
    """D_n = {z in Z^n : sum z even}; SPLAG ch. 4 sec. 7.1 generator."""
    B = np.zeros((n, n))
    B[0, :2] = [-1, -1]
    for i in range(1, n):
        B[i, i - 1], B[i, i] = 1, -1
    return B


def e8_basis():
    """E8 = D8 u (D8 + 1/2) (SPLAG ch. 4 sec. 8.1); rows 2e1, e_{i+1}-e_i (i<7), (1/2)^8."""
    B = np.zeros((8, 8))
    B[0, 0] = 2
    for i in range(1, 7):
        B[i, i - 1], B[i, i] = -1, 1
    B[7, :] = 0.5
    return B


def a2_basis():
    return np.array([[1.0, 0.0], [0.5, np.sqrt(3) / 2]])


def an_basis(n):
    """A_n in the hyperplane sum x = 0 of R^(n+1): rows e_i - e_{i+1} (non-square)."""
    B = np.zeros((n, n + 1))
    for i in range(n):
        B[i, i], B[i, i + 1] = 1, -1
    return B


def round_half_up(x):
    return np.floor(x + 0.5)


def decode_zn(x):
    return round_half_up(x)


def decode_dn(x):
    """CS82F: round; if the sum is odd, re-round the worst coordinate the other way."""
    f = round_half_up(x)
    odd = (f.sum(axis=1) % 2) != 0
    idx = np.argmax(np.abs(x - f), axis=1)
    rows = np.nonzero(odd)[0]
    k = idx[rows]
    f[rows, k] += np.where(x[rows, k] >= f[rows, k], 1.0, -1.0)
    return f


def decode_e8(x):
    """CS82F: E8 = D8 u (D8 + 1/2), keep the nearer coset decoding."""
    a = decode_dn(x)
    b = decode_dn(x - 0.5) + 0.5
    da = ((x - a) ** 2).sum(axis=1)
    db = ((x - b) ** 2).sum(axis=1)
    return np.where((db < da)[:, None], b, a)


def random_unimodular(n, rng, steps=25):
    """Random integer matrix with det +-1: product of elementary row operations."""
    W = np.eye(n, dtype=np.int64)
    for _ in range(steps):
        i, j = rng.choice(n, size=2, replace=False)
        W[i] += rng.integers(-2, 3) * W[j]
        if rng.random() < 0.3:
            W[[i, j]] = W[[j, i]]
        if rng.random() < 0.2:
            W[i] *= -1
    assert abs(int(sympy.Matrix(W.tolist()).det())) == 1
    return W


def sqdist(x, p):
    return ((x - p) ** 2).sum(axis=1)


def gram_schmidt(B):
    """Classical Gram-Schmidt (independent of the module's QR): mu and |b*|^2."""
    n = B.shape[0]
    bs = np.zeros_like(B)
    mu = np.zeros((n, n))
    for i in range(n):
        v = B[i].copy()
        for j in range(i):
            mu[i, j] = B[i] @ bs[j] / (bs[j] @ bs[j])
            v -= mu[i, j] * bs[j]
        bs[i] = v
    return mu, (bs ** 2).sum(axis=1)


def exhaustive_closest(B, x):
    """Brute force over a box that provably contains every closest point.

    With P = pinv(B) (B P = I) and c = x P, a closest point zB satisfies
    |z_i - c_i| <= |zB - cB| |P[:, i]| <= r |P[:, i]|, where r is the distance from the
    projection cB of x to the rounded point round(c) B.
    """
    P = np.linalg.pinv(B)
    out = np.empty_like(x)
    for k in range(x.shape[0]):
        c = x[k] @ P
        xp = c @ B
        r = np.linalg.norm(xp - np.round(c) @ B) * (1 + 1e-9)
        w = r * np.linalg.norm(P, axis=0)
        ranges = [range(int(np.ceil(ci - wi)), int(np.floor(ci + wi)) + 1)
                  for ci, wi in zip(c, w)]
        Z = np.array(list(itertools.product(*ranges)), dtype=float)
        pts = Z @ B
        out[k] = pts[np.argmin(((pts - x[k]) ** 2).sum(axis=1))]
    return out


def exhaustive_short_count(B, radius2):
    """Count nonzero vectors with |v|^2 <= radius2 in the box |z_i| <= sqrt(r2)|P[:,i]|."""
    P = np.linalg.pinv(B)
    w = np.sqrt(radius2) * np.linalg.norm(P, axis=0) * (1 + 1e-9)
    ranges = [range(-int(np.floor(wi)), int(np.floor(wi)) + 1) for wi in w]
    Z = np.array(list(itertools.product(*ranges)), dtype=float)
    nrm = ((Z @ B) ** 2).sum(axis=1)
    return int(np.sum((nrm <= radius2 * (1 + 1e-9)) & (nrm > 0)))


# --------------------------------------------------------------------------------------
# bases: sanity of the test fixtures against the literature
# --------------------------------------------------------------------------------------
def test_fixture_determinants():
    # SPLAG ch. 4: det(Gram) E8 = 1, D4 = 4; A2 with unit minimum:
    # cell area sqrt(3)/2; A_n Gram determinant n + 1.
    assert np.isclose(abs(np.linalg.det(e8_basis())), 1.0)
    assert np.isclose(np.linalg.det(dn_basis(4)) ** 2, 4.0)
    assert np.isclose(abs(np.linalg.det(a2_basis())), np.sqrt(3) / 2)
    B = an_basis(3)
    assert np.isclose(np.linalg.det(B @ B.T), 4.0)


# --------------------------------------------------------------------------------------
# LLL
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (5, 5), (3, 6), (8, 8)])
def test_lll_properties(shape):
    rng = np.random.default_rng(11 + shape[0] * 7 + shape[1])
    n, N = shape
    B = rng.normal(size=shape) * 3 + rng.integers(-20, 20, size=shape)
    delta = 0.99
    Br, U = lll_reduce(B, delta=delta)
    assert U.dtype == np.int64 and Br.dtype == np.float64 and Br.shape == shape
    assert abs(int(sympy.Matrix(U.tolist()).det())) == 1
    np.testing.assert_allclose(Br, U @ B, rtol=0, atol=1e-9 * np.abs(B).max())
    mu, bstar = gram_schmidt(Br)
    assert np.all(np.abs(np.tril(mu, -1)) <= 0.5 + 1e-9)
    for k in range(1, n):
        assert bstar[k] >= (delta - mu[k, k - 1] ** 2) * bstar[k - 1] * (1 - 1e-9)
    # the cell volume sqrt(det(B B^T)) is invariant
    assert np.isclose(np.linalg.det(Br @ Br.T), np.linalg.det(B @ B.T), rtol=1e-9)


def test_lll_recovers_short_basis_of_transformed_e8():
    rng = np.random.default_rng(5)
    B = e8_basis()
    W = random_unimodular(8, rng, steps=40)
    Br, U = lll_reduce(W @ B)
    # every vector of the result is in E8 (integer coefficients w.r.t. the E8 basis)
    C = Br @ np.linalg.inv(B)
    np.testing.assert_allclose(C, np.round(C), atol=1e-9)
    assert np.isclose(abs(np.linalg.det(Br)), 1.0)  # det E8 = 1 (SPLAG ch. 4; AEVZ02)
    # LLL guarantee: |b_1|^2 <= (1/(delta - 1/4))^(n-1) * lambda_1^2, lambda_1^2 = 2 (SPLAG)
    assert Br[0] @ Br[0] <= (1 / (0.99 - 0.25)) ** 7 * 2 + 1e-9


def test_lll_errors():
    with pytest.raises(ValueError, match="B"):
        lll_reduce([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(ValueError, match="B"):
        lll_reduce(np.ones((3, 2)))
    with pytest.raises(ValueError, match="B"):
        lll_reduce([1.0, 2.0])
    with pytest.raises(ValueError, match="B"):
        lll_reduce([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(ValueError, match="delta"):
        lll_reduce(np.eye(2), delta=0.2)


# --------------------------------------------------------------------------------------
# closest points
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (4, 4), (3, 5)])
def test_closest_vs_exhaustive(shape):
    rng = np.random.default_rng(100 + 10 * shape[0] + shape[1])
    B = np.eye(*shape) + 0.45 * rng.normal(size=shape)
    x = rng.uniform(-6, 6, size=(120, shape[1]))
    p, z = closest_points(B, x, return_coefficients=True)
    q = exhaustive_closest(B, x)
    np.testing.assert_allclose(sqdist(x, p), sqdist(x, q), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(p, q, atol=1e-9)  # no ties for continuous random input
    np.testing.assert_allclose(p, z @ B, atol=1e-9)


@pytest.mark.parametrize("n", [1, 3, 5])
def test_zn_matches_rounding_in_any_basis(n):
    rng = np.random.default_rng(7 + n)
    W = random_unimodular(n, rng) if n > 1 else np.array([[-1]])
    B = W.astype(float)  # a skewed basis of Z^n
    x = rng.uniform(-50, 50, size=(2000, n))
    p, z = closest_points(B, x, return_coefficients=True)
    np.testing.assert_array_equal(p, decode_zn(x))
    np.testing.assert_array_equal(z @ W, p)


@pytest.mark.parametrize("n", [3, 4, 5, 7])
def test_dn_matches_closed_form(n):
    rng = np.random.default_rng(20 + n)
    B = dn_basis(n)
    x = rng.uniform(-10, 10, size=(3000, n))
    p = closest_points(B, x)
    np.testing.assert_array_equal(p, decode_dn(x))


def test_e8_matches_closed_form():
    rng = np.random.default_rng(8)
    B = e8_basis()
    x = rng.normal(scale=4.0, size=(20000, 8))
    p, z = closest_points(B, x, return_coefficients=True)
    np.testing.assert_array_equal(p, decode_e8(x))
    np.testing.assert_array_equal(z @ B, p)  # exact: halves and integers


@pytest.mark.parametrize("name", ["E8", "D4", "A2"])
def test_change_of_basis_gives_same_distances(name):
    rng = np.random.default_rng(31)
    B = {"E8": e8_basis(), "D4": dn_basis(4), "A2": a2_basis()}[name]
    n = B.shape[0]
    W = random_unimodular(n, rng, steps=30)
    B2 = W @ B
    x = rng.normal(scale=3.0, size=(3000, n))
    d1 = sqdist(x, closest_points(B, x))
    p2, z2 = closest_points(B2, x, return_coefficients=True)
    # W has entries ~1e2-1e3, so W @ B (irrational for A2) carries rounding errors of
    # ~1e-13 that the reduction U @ (W @ B) amplifies again: tolerance 1e-9, not 1e-15
    np.testing.assert_allclose(sqdist(x, p2), d1, rtol=0, atol=1e-9)
    np.testing.assert_allclose(z2 @ B2, p2, atol=1e-8)


def test_huge_coordinates():
    rng = np.random.default_rng(12)
    # E8 around lattice points with coefficients ~1e6: exact answer from the closed form
    B = e8_basis()
    y = rng.normal(size=(2000, 8))
    zbig = rng.integers(-10 ** 6, 10 ** 6, size=(2000, 8))
    base = zbig @ B  # exact (integers and halves)
    p = closest_points(B, base + y)
    np.testing.assert_allclose(p - base, decode_e8(y), atol=1e-6)
    # a random real basis: same distance as for the small offset
    B3 = np.eye(3) + 0.3 * rng.normal(size=(3, 3))
    y3 = rng.normal(size=(500, 3))
    big = rng.integers(-10 ** 6, 10 ** 6, size=(500, 3)) @ B3
    d_small = sqdist(y3, closest_points(B3, y3))
    x3 = big + y3
    d_big = sqdist(x3, closest_points(B3, x3))
    np.testing.assert_allclose(d_big, d_small, atol=1e-6)


def test_too_large_coordinates_raise():
    with pytest.raises(ValueError, match="too large"):
        closest_points(np.eye(2), [[1e17, 0.0]])


def test_tiny_scale():
    rng = np.random.default_rng(13)
    for B in (e8_basis(), np.eye(3) + 0.3 * rng.normal(size=(3, 3))):
        n = B.shape[0]
        x = rng.normal(scale=2.0, size=(1000, n))
        p, z = closest_points(B, x, return_coefficients=True)
        ps, zs = closest_points(1e-9 * B, 1e-9 * x, return_coefficients=True)
        np.testing.assert_array_equal(zs, z)
        np.testing.assert_allclose(ps, 1e-9 * p, rtol=0, atol=1e-20)


def test_float32_input():
    rng = np.random.default_rng(14)
    B = e8_basis()
    x32 = rng.normal(scale=3.0, size=(500, 8)).astype(np.float32)
    p = closest_points(B.astype(np.float32), x32)
    assert p.dtype == np.float64
    np.testing.assert_array_equal(p, decode_e8(x32.astype(np.float64)))


@pytest.mark.parametrize("name", ["E8", "D4", "A3"])
def test_points_on_lattice_are_fixed(name):
    rng = np.random.default_rng(15)
    B = {"E8": e8_basis(), "D4": dn_basis(4), "A3": an_basis(3)}[name]
    z = rng.integers(-1000, 1000, size=(500, B.shape[0]))
    x = z @ B
    p, zz = closest_points(B, x, return_coefficients=True)
    np.testing.assert_array_equal(p, x)
    np.testing.assert_array_equal(zz, z)


def test_orthogonal_component_is_ignored():
    rng = np.random.default_rng(16)
    B = an_basis(3)  # lives in sum x = 0 of R^4
    x = rng.normal(size=(300, 4))
    x -= x.mean(axis=1, keepdims=True)
    p = closest_points(B, x)
    p2 = closest_points(B, x + rng.normal(size=(300, 1)) * np.ones(4))
    np.testing.assert_allclose(p2, p, atol=1e-12)
    # and the points are exact closest points (exhaustive search in a provable box)
    np.testing.assert_allclose(sqdist(x, p), sqdist(x, exhaustive_closest(B, x)), atol=1e-12)


def test_single_point_batch_independence_and_determinism():
    rng = np.random.default_rng(17)
    B = e8_basis()
    S = ClosestPointSearcher(B)
    x = rng.normal(size=(400, 8))
    x[::7] = np.round(x[::7] * 2) / 2  # many exact ties (half-integer coordinates)
    p = S(x)
    np.testing.assert_array_equal(S(x[::-1])[::-1], p)
    np.testing.assert_array_equal(S(x), p)
    p0, z0 = S(x[3], return_coefficients=True)
    assert p0.shape == (8,) and z0.shape == (8,)
    np.testing.assert_array_equal(p0, p[3])
    # at ties the answer is still a closest point
    np.testing.assert_allclose(sqdist(x, p), sqdist(x, decode_e8(x)), atol=1e-12)


def test_searcher_attributes_and_validation():
    B = e8_basis()
    S = ClosestPointSearcher(B)
    assert "n=8" in repr(S)
    np.testing.assert_array_equal(S.basis, B)
    np.testing.assert_allclose(S.reduced_basis, S.unimodular @ B)
    with pytest.raises(ValueError):
        S.basis[0, 0] = 5.0
    with pytest.raises(ValueError, match="shape"):
        S(np.zeros((3, 7)))
    with pytest.raises(ValueError, match="finite"):
        S(np.full((1, 8), np.inf))
    with pytest.raises(ValueError, match="B"):
        ClosestPointSearcher(np.zeros((2, 2)))


# --------------------------------------------------------------------------------------
# short vectors, minimum norm, kissing number
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, basis, mnorm, kiss", [
    # SPLAG Table 1.2 (kissing numbers); minimum norms in the
    # scalings used here: Z^n 1, A2 1, D_n 2, A_n 2, E8 2 (SPLAG ch. 4).
    ("Z3", zn_basis(3), 1.0, 6),
    ("A2", a2_basis(), 1.0, 6),
    ("A3", an_basis(3), 2.0, 12),
    ("D4", dn_basis(4), 2.0, 24),
    ("D5", dn_basis(5), 2.0, 40),
    ("E8", e8_basis(), 2.0, 240),
])
def test_minimum_and_kissing(name, basis, mnorm, kiss):
    rng = np.random.default_rng(18)
    W = random_unimodular(basis.shape[0], rng) if basis.shape[0] > 1 else np.eye(1)
    for B in (basis, W @ basis):
        assert np.isclose(minimum_norm(B), mnorm, rtol=1e-12)
        assert kissing_number(B) == kiss


def test_short_vectors_e8_two_shells():
    # theta series of E8: 1 + 240 q^2 + 2160 q^4 + ... (SPLAG ch. 4 sec. 8.3)
    B = e8_basis()
    v, z = short_vectors(B, 4.0, return_coefficients=True)
    nrm = (v ** 2).sum(axis=1)
    assert v.shape == (2400, 8)
    assert np.sum(np.isclose(nrm, 2.0)) == 240 and np.sum(np.isclose(nrm, 4.0)) == 2160
    assert np.all(np.diff(nrm) >= -1e-12)  # sorted
    np.testing.assert_array_equal(z @ B, v)
    assert len({tuple(r) for r in v}) == 2400  # distinct, and closed under negation:
    assert {tuple(r) for r in v} == {tuple(-r) for r in v}


@pytest.mark.parametrize("seed", [1, 2])
def test_short_vectors_vs_exhaustive(seed):
    rng = np.random.default_rng(seed)
    B = np.eye(3) + 0.4 * rng.normal(size=(3, 3))
    for r2 in (0.5, 2.0, 6.0):
        assert short_vectors(B, r2).shape[0] == exhaustive_short_count(B, r2)
    # Z^3: r_3(1) + r_3(2) + r_3(3) = 6 + 12 + 8 (sums of three squares)
    assert short_vectors(np.eye(3), 3.0).shape == (26, 3)
    assert short_vectors(np.eye(3), 0.5).shape == (0, 3)


def test_short_vectors_guards():
    with pytest.raises(ValueError, match="radius2"):
        short_vectors(np.eye(2), -1.0)
    with pytest.raises(ValueError, match="max_count"):
        short_vectors(np.eye(3), 100.0, max_count=50)


# --------------------------------------------------------------------------------------
# relevant vectors and certificate
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, basis, count", [
    # AEVZ02 / CS82V: for root lattices the relevant vectors are the roots, so the counts
    # equal the kissing numbers: Z^n 2n, A2 6, A3 12, D4 24, D_n 2n(n-1), E8 240
    # (SPLAG ch. 4; AEVZ02).
    ("Z3", zn_basis(3), 6),
    ("A2", a2_basis(), 6),
    ("A3", an_basis(3), 12),
    ("D4", dn_basis(4), 24),
    ("D5", dn_basis(5), 40),
    ("E8", e8_basis(), 240),
])
def test_relevant_vector_counts(name, basis, count):
    v, z = relevant_vectors(basis, return_coefficients=True)
    assert v.shape == (count, basis.shape[1])
    np.testing.assert_allclose(z @ basis, v, atol=1e-12)
    # equal to the set of minimal vectors here
    mins = short_vectors(basis, minimum_norm(basis))
    assert {tuple(np.round(r, 9)) for r in v} == {tuple(np.round(r, 9)) for r in mins}


def test_relevant_vectors_generic_lattices():
    # a generic n-dimensional lattice has the maximal number 2(2^n - 1) of Voronoi-relevant
    # vectors (Voronoi 1908; Minkowski's bound is attained generically): 6 in 2-D, 14 in 3-D
    rng = np.random.default_rng(19)
    for n in (2, 3):
        B = np.eye(n) + 0.3 * rng.normal(size=(n, n))
        v = relevant_vectors(B)
        assert v.shape[0] == 2 * (2 ** n - 1)
        # independent check of each v: 0 and v are the only nearest lattice points of v/2
        P = np.linalg.pinv(B)
        for vi in v:
            r2 = (vi @ vi) / 4
            w = np.sqrt(r2) * np.linalg.norm(P, axis=0) + 1
            c = (vi / 2) @ P
            ranges = [range(int(np.floor(ci - wi)), int(np.ceil(ci + wi)) + 1)
                      for ci, wi in zip(c, w)]
            Z = np.array(list(itertools.product(*ranges)), dtype=float)
            d = (((Z @ B) - vi / 2) ** 2).sum(axis=1)
            assert np.sum(d <= r2 * (1 + 1e-9)) == 2


def test_relevant_vectors_too_large():
    with pytest.raises(ValueError, match="n=13"):
        relevant_vectors(np.eye(13))


@pytest.mark.parametrize("name", ["E8", "D4", "A2"])
def test_certificate(name):
    rng = np.random.default_rng(20)
    B = {"E8": e8_basis(), "D4": dn_basis(4), "A2": a2_basis()}[name]
    n = B.shape[0]
    rel = relevant_vectors(B)
    x = rng.normal(scale=5.0, size=(3000, n))
    p = closest_points(B, x)
    assert np.all(nearest_point_certificate(x, p, rel))
    wrong = p + rel[rng.integers(0, rel.shape[0], size=x.shape[0])]
    assert not np.any(nearest_point_certificate(x, wrong, rel))
    assert nearest_point_certificate(x[0], p[0], rel) is True
    # the certificate also accepts decoded points far from the origin
    far = x + 1e6 * np.round(rng.normal(size=(3000, n))) @ B
    assert np.all(nearest_point_certificate(far, closest_points(B, far), rel))


def test_certificate_shape_errors():
    with pytest.raises(ValueError, match="same shape"):
        nearest_point_certificate(np.zeros((2, 2)), np.zeros((3, 2)), np.eye(2))
    with pytest.raises(ValueError, match="relevant"):
        nearest_point_certificate(np.zeros((2, 2)), np.zeros((2, 2)), np.eye(3))


# --------------------------------------------------------------------------------------
# Leech lattice (slow)
# --------------------------------------------------------------------------------------
def golay_basis():
    """Extended binary Golay code: cyclic QR code of length 23 with generator polynomial
    1 + x^2 + x^4 + x^5 + x^6 + x^10 + x^11 (MacWilliams & Sloane ch. 16), plus parity."""
    g = [1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1]
    rows = []
    for s in range(12):
        r = [0] * 23
        for i, c in enumerate(g):
            r[(i + s) % 23] = c
        rows.append(r + [sum(r) % 2])
    return np.array(rows, dtype=np.int64)


def hermite_basis(gens):
    """Row basis of the integer lattice spanned by ``gens`` (echelon form by Euclid)."""
    rows = [list(map(int, r)) for r in gens]
    basis = []
    for c in range(len(rows[0])):
        piv = [r for r in rows if r[c] != 0]
        rest = [r for r in rows if r[c] == 0]
        while len(piv) > 1:
            piv.sort(key=lambda r: abs(r[c]))
            p, new = piv[0], [piv[0]]
            for r in piv[1:]:
                q = r[c] // p[c]
                r2 = [a - q * b for a, b in zip(r, p)]
                (new if r2[c] != 0 else rest).append(r2)
            piv = new
        basis.extend(piv)
        rows = rest
    return np.array(basis, dtype=np.float64)


def leech_basis():
    """Leech lattice, sqrt(8) scaling: spanned by 2*Golay, 4*D24 and (-3, 1^23)
    (SPLAG ch. 4 sec. 11); returned scaled to det 1."""
    gens = [2 * r for r in golay_basis()]
    for i in range(23):
        e = np.zeros(24, np.int64)
        e[i], e[i + 1] = 4, -4
        gens.append(e)
    e = np.zeros(24, np.int64)
    e[0], e[1] = 4, 4
    gens.append(e)
    gens.append(np.array([-3] + [1] * 23))
    return hermite_basis(gens) / np.sqrt(8)


@pytest.mark.slow
def test_leech_kissing_number():
    G = golay_basis()
    words = (np.array(list(itertools.product([0, 1], repeat=12))) @ G) % 2
    # weight enumerator of the Golay code: 1 + 759 y^8 + 2576 y^12 + 759 y^16 + y^24 (SPLAG)
    np.testing.assert_array_equal(np.bincount(words.sum(axis=1), minlength=25)[[0, 8, 12, 16, 24]],
                                  [1, 759, 2576, 759, 1])
    B = leech_basis()
    assert B.shape == (24, 24)
    assert np.isclose(abs(np.linalg.det(B)), 1.0)  # unimodular (SPLAG ch. 4 sec. 11)
    assert np.isclose(minimum_norm(B), 4.0)  # no roots, minimum 4 (SPLAG)
    assert kissing_number(B) == 196560  # SPLAG ch. 4; AEVZ02
    # closest points: lattice points are fixed, and random points are certified by the
    # minimal vectors at least (a necessary condition)
    rng = np.random.default_rng(24)
    z = rng.integers(-100, 100, size=(50, 24))
    np.testing.assert_allclose(closest_points(B, z @ B), z @ B, atol=1e-9)
    x = rng.normal(size=(200, 24))
    p = closest_points(B, x)
    assert np.all(nearest_point_certificate(x, p, short_vectors(B, 4.0)))
