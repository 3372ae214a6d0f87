"""The Lattice object and registry: API, adversarial inputs, constructions, bad input.

The oracle is the exact generic decoder (LLL + Schnorr-Euchner, AEVZ02); fast decoders may
return a different point only at exact ties, so comparisons are in distance. The bulk
agreement on 1e5 random points per lattice is the registered claim
`lattices.<name>.fast_decoder_exact` (run by tests/test_claims.py).
"""
import math

import numpy as np
import pytest

from rdptheory.lattices import from_generator, get, list_lattices, product

ALL = list_lattices()
SMALL = [n for n in ALL if get(n).dimension <= 8]


def _dist2(x, p):
    return np.sum((np.asarray(x, float) - p) ** 2, axis=-1)


def _assert_as_near(L, x, p=None):
    """The fast decoder's point is as near as the generic decoder's (to rounding)."""
    x = np.asarray(x, dtype=np.float64)
    p = L.nearest_point(x) if p is None else p
    q = L.nearest_point_generic(x)
    tol = 1e-11 * (1.0 + np.sum(x * x, axis=-1))
    assert np.all(_dist2(x, p) <= _dist2(x, q) + tol), L.name
    # and the output is on the lattice
    L.coefficients(p, atol=1e-6)


# ------------------------------------------------------------------ registry
def test_registry_names_and_aliases():
    assert get("E8") is get("e8") is get("Gosset")
    assert get("Lambda24").name == get("leech").name == "Leech"
    assert get("Barnes-Wall").name == "BW16" and get("Coxeter-Todd").name == "K12"
    assert get("hexagonal").name == "A2" and get("Z^8").name == "Z8"
    assert get("D12+").dimension == 12 and get("A5*").dimension == 5
    for name in ALL:
        L = get(name)
        assert L.generator.shape == (L.dimension, L.dimension)
        assert np.allclose(L.gram, L.generator @ L.generator.T)


@pytest.mark.parametrize("bad, match", [
    ("E9", "unknown lattice"), ("D7+", "needs n even"), ("Z0", "needs 1 <="),
    ("Q8", "unknown lattice"), (8, "must be a string"), ("Z*3", "unknown lattice"),
])
def test_registry_bad_names(bad, match):
    with pytest.raises(ValueError, match=match):
        get(bad)


def test_reference_values_carry_sources():
    for name in ALL:
        L = get(name)
        assert L.gram_determinant_reference is not None
        if L.nsm_reference is not None:
            assert L.nsm_reference.source and 0.0585 < L.nsm_reference.value <= 1 / 12


# ------------------------------------------------------------------ adversarial inputs
@pytest.mark.parametrize("name", ALL)
def test_exact_lattice_points_and_huge_coordinates(name):
    L = get(name)
    rng = np.random.default_rng(1)
    z = rng.integers(-3, 4, size=(200, L.dimension))
    pts = z @ L.generator
    np.testing.assert_allclose(L.nearest_point(pts), pts, atol=1e-9)
    # far away: 1e6 cells out, small offset
    cell = L.volume ** (1 / L.dimension)
    far = (rng.integers(-10**6, 10**6, size=(200, L.dimension)) @ L.generator
           + rng.normal(size=(200, L.dimension)) * 0.3 * cell)
    _assert_as_near(L, far)


@pytest.mark.parametrize("name", ALL)
def test_tiny_scale_and_float32(name):
    L = get(name)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(500, L.dimension)) * 2 * L.volume ** (1 / L.dimension)
    tiny = L.scaled(1e-9)
    p = tiny.nearest_point(x * 1e-9)
    np.testing.assert_allclose(p, L.nearest_point(x) * 1e-9, rtol=1e-9, atol=1e-20)
    x32 = x.astype(np.float32)
    out = L.nearest_point(x32)
    assert out.dtype == np.float64
    _assert_as_near(L, x32.astype(np.float64), out)


@pytest.mark.parametrize("name", SMALL)
def test_voronoi_facets_from_relevant_vectors(name):
    """Midpoints p + v/2 of relevant vectors (exact ties) and points just off them."""
    L = get(name)
    rel = L.relevant_vectors()
    rng = np.random.default_rng(3)
    base = rng.integers(-5, 6, size=(len(rel), L.dimension)) @ L.generator
    mid = base + rel / 2
    for eps in (0.0, 1e-12, -1e-12, 1e-7):
        x = mid + eps * rel
        _assert_as_near(L, x)


def _climb_to_holes(L, x, steps=60):
    """Move points away from their nearest lattice point until they sit at local maxima of
    the distance to the lattice (Voronoi vertices, deep holes): adversarial many-way ties."""
    cell = L.volume ** (1 / L.dimension)
    for k in range(steps):
        e = x - L.nearest_point_generic(x)
        norm = np.linalg.norm(e, axis=1, keepdims=True)
        x = x + 0.2 * cell * (0.9 ** k) * e / np.maximum(norm, 1e-300)
    return x


@pytest.mark.parametrize("name", ["Z4", "A2", "A3*", "D4", "D5*", "E6", "E7", "E8", "K12"])
def test_deep_holes(name):
    L = get(name)
    x = _climb_to_holes(L, np.random.default_rng(4).normal(size=(100, L.dimension)))
    _assert_as_near(L, x)


def test_known_deep_holes_of_e8():
    # E8 covering radius 1 (SPLAG ch. 4 §8.1): (1, 0^7) is a deep hole, at distance 1 from
    # the 16 lattice points 0, 2e_1, and (1, ±1 in one other coordinate, 0^6)
    E8 = get("E8")
    x = np.zeros((1, 8)); x[0, 0] = 1.0
    assert _dist2(x, E8.nearest_point(x))[0] == pytest.approx(1.0)


# ------------------------------------------------------------------ constructions
def test_from_generator_skewed_basis():
    E8 = get("E8")
    rng = np.random.default_rng(5)
    U = np.eye(8, dtype=np.int64)
    for _ in range(30):  # random unimodular change of basis
        i, j = rng.choice(8, 2, replace=False)
        U[i] += rng.integers(-2, 3) * U[j]
    L = from_generator(U @ E8.generator)
    assert L.decoder == "generic" and math.isclose(L.volume, 1.0, rel_tol=1e-9)
    x = rng.normal(size=(2000, 8)) * 3
    np.testing.assert_allclose(_dist2(x, L.nearest_point(x)), _dist2(x, E8.nearest_point(x)),
                               atol=1e-10)


def test_scaled_rotated_with_volume():
    L = get("D4")
    rng = np.random.default_rng(6)
    Q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    R = L.rotated(Q).scaled(2.5)
    x = rng.normal(size=(1000, 4)) * 4
    # Q(x) for R equals 2.5 * Q_L(x Q^T / 2.5) Q
    expect = 2.5 * L.nearest_point(x @ Q.T / 2.5) @ Q
    np.testing.assert_allclose(R.nearest_point(x), expect, atol=1e-12)
    assert math.isclose(R.volume, 2.5 ** 4 * L.volume, rel_tol=1e-12)
    assert math.isclose(L.with_volume(1.0).volume, 1.0, rel_tol=1e-12)
    with pytest.raises(ValueError, match="orthogonal"):
        L.rotated(np.ones((4, 4)))
    with pytest.raises(ValueError, match="c must be"):
        L.scaled(-1.0)


@pytest.mark.parametrize("name, fast", [("D4", True), ("A3", True), ("E8", True), ("E6", True),
                                        ("E7*", True), ("Z3", True), ("K12", False)])
def test_dual(name, fast):
    L = get(name).scaled(1.7)
    D = L.dual()
    # defining property: <x, y> integer for basis vectors of L and of its dual
    G = L.generator @ D.generator.T
    np.testing.assert_allclose(G, np.rint(G), atol=1e-9)
    assert math.isclose(D.volume * L.volume, 1.0, rel_tol=1e-9)
    assert (D.decoder == "fast") is fast
    x = np.random.default_rng(7).normal(size=(3000, L.dimension))
    _assert_as_near(D, x)


def test_product():
    E8, A2 = get("E8"), get("A2")
    P = product(E8, A2)
    assert P.dimension == 10 and math.isclose(P.volume, E8.volume * A2.volume, rel_tol=1e-12)
    x = np.random.default_rng(8).normal(size=(1000, 10)) * 2
    np.testing.assert_array_equal(P.nearest_point(x)[:, :8], E8.nearest_point(x[:, :8]))
    _assert_as_near(P, x)
    # product rule at equal per-dimension second moment (AA23): G = (G1^8 G2^2)^(1/10)
    A2s = A2.scaled(math.sqrt(E8.second_moment_reference / A2.second_moment_reference))
    G = product(E8, A2s).nsm_reference.value
    expected = (E8.nsm_reference.value ** 8 * A2.nsm_reference.value ** 2) ** 0.1
    assert G == pytest.approx(expected, rel=1e-12)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("B, match", [
    ([[1.0, 0.0], [2.0, 0.0]], "singular"), ([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], "square"),
    ([1.0, 2.0], "2-D"), ([[1.0, np.nan], [0.0, 1.0]], "finite"),
    ([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], "rows"),
])
def test_from_generator_bad(B, match):
    with pytest.raises(ValueError, match=match):
        from_generator(B)


@pytest.mark.parametrize("x, match", [
    (np.zeros((3, 7)), r"shape \(\.\.\., 8\)"), (np.array([np.nan] * 8), "finite"),
    (np.array([np.inf] + [0.0] * 7), "finite"), (5.0, "shape"), (["a"] * 8, "real array"),
])
def test_nearest_point_bad_input(x, match):
    with pytest.raises(ValueError, match=match):
        get("E8").nearest_point(x)


def test_shapes_broadcast():
    E8 = get("E8")
    x = np.random.default_rng(9).normal(size=(2, 3, 8))
    assert E8.nearest_point(x).shape == (2, 3, 8)
    assert E8.nearest_point(np.zeros(8)).shape == (8,)
    assert E8.nearest_point(np.zeros((0, 8))).shape == (0, 8)
