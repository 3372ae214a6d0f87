"""Nested lattices Λ = Γ·Λ_f: the API, and that the claims' checks catch broken constructions.

The claims themselves (count, in-cell, distinct cosets, uniformity for Z1, A2, D4, E8) run through
the registry in tests/test_claims.py; here the check functions are handed deliberately wrong
representatives and samplers and must fail.
"""
import dataclasses
import math

import numpy as np
import pytest

from proofs_checks.nested_claims import (count_check, distinct_cosets_check, in_cell_check,
                                         uniformity_check)
from rdptheory.dither import sample_voronoi
from rdptheory.lattices import get
from rdptheory.nested import MAX_REPRESENTATIVES, NestedLattice, nested


# ---------------------------------------------------------------------------- API
def test_attributes():
    nl = nested("E8", 3)
    assert isinstance(nl, NestedLattice)
    assert nl.fine is get("E8")
    assert nl.ratio == 3 and nl.dimension == 8 and nl.count == 6561
    assert nl.common_randomness_rate == pytest.approx(1.584962500721156, rel=1e-15)
    assert nl.coarse.volume == pytest.approx(6561 * get("E8").volume, rel=1e-12)
    # the coarse lattice is 3·E8: 3 times the fine basis vectors are coarse points
    B = get("E8").generator
    np.testing.assert_array_equal(nl.coarse.nearest_point(3 * B), 3 * B)
    assert nl == nested(get("E8"), 3.0) and nl != nested("E8", 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        nl.ratio = 4
    assert "ratio=3" in repr(nl)


def test_representatives_shape_cache_and_determinism():
    nl = nested("D4", 3)
    R = nl.representatives()
    assert R.shape == (81, 4) and R.dtype == np.float64
    assert nl.representatives() is R
    assert not R.flags.writeable
    np.testing.assert_array_equal(nested("D4", 3).representatives(), R)


def test_z1_representatives_by_hand():
    # 3Z has cell [-3/2, 3/2]: the cosets of Z/3Z are represented by 0, 1, -1 (z = 0, 1, 2)
    assert nested("Z1", 3).representatives().ravel().tolist() == [0.0, 1.0, -1.0]
    assert sorted(nested("Z1", 4).representatives().ravel().tolist()) in (
        [-1.0, 0.0, 1.0, 2.0], [-2.0, -1.0, 0.0, 1.0])  # ±2 is the tie at the cell boundary


@pytest.mark.parametrize("name", ["Z1", "A2", "E8", "Leech"])
def test_ratio_one_is_the_single_representative_zero(name):
    nl = nested(name, 1)
    assert nl.count == 1 and nl.common_randomness_rate == 0.0
    n = get(name).dimension
    if n <= 8:
        np.testing.assert_array_equal(nl.representatives(), np.zeros((1, n)))
    np.testing.assert_array_equal(nl.sample_representatives(5, rng=0), np.zeros((5, n)))


@pytest.mark.parametrize("bad", [1.5, 0, -2, True, "3", None, math.nan])
def test_bad_ratio(bad):
    with pytest.raises(ValueError, match="ratio"):
        nested("A2", bad)


def test_bad_size_lattice_and_too_many_representatives():
    nl = nested("A2", 2)
    for bad in (-1, 2.5, "4"):
        with pytest.raises(ValueError, match="size"):
            nl.sample_dither(bad, rng=0)
        with pytest.raises(ValueError, match="size"):
            nl.sample_representatives(bad, rng=0)
    with pytest.raises(ValueError, match="lattice"):
        nested(3, 2)
    with pytest.raises(ValueError, match="unknown lattice"):
        nested("E9", 2)
    big = nested("E8", 6)  # 6^8 = 1679616 > 2^20
    assert big.count > MAX_REPRESENTATIVES
    with pytest.raises(ValueError, match="sample_representatives"):
        big.representatives()
    assert big.sample_representatives(10, rng=0).shape == (10, 8)  # still usable
    with pytest.raises(ValueError, match="sample_representatives"):
        nested("Leech", 2).representatives()


def test_sampling_shapes_and_seeds():
    nl = nested("E8", 3)
    for f in (nl.sample_representatives, nl.sample_dither):
        a = f(100, rng=7)
        assert a.shape == (100, 8)
        np.testing.assert_array_equal(a, f(100, rng=7))
        np.testing.assert_array_equal(a, f(100, rng=np.random.default_rng(7)) * 0 + f(100, 7))
        assert not np.array_equal(a, f(100, rng=8))
        assert f(0, rng=1).shape == (0, 8)
    shared, private = nl.sample_dither_parts(500, rng=3)
    np.testing.assert_array_equal(shared + private, nl.sample_dither(500, rng=3))
    np.testing.assert_array_equal(get("E8").nearest_point(private), 0.0)  # private in V0(E8)


def test_sampled_representatives_are_enumerated_ones():
    """E8, Γ = 2: every draw is one of the 256 enumerated points (coefficient vectors equal, not
    only congruent), and all 256 occur."""
    nl = nested("E8", 2)
    E8 = get("E8")
    enumerated = {tuple(c) for c in E8.coefficients(nl.representatives()).tolist()}
    assert len(enumerated) == 256
    draws = E8.coefficients(nl.sample_representatives(20_000, rng=11))
    seen = {tuple(c) for c in draws.tolist()}
    assert seen <= enumerated
    assert seen == enumerated


def test_leech_sampling_stays_in_the_closed_coarse_cell():
    """No enumeration for Leech (2^24 cosets): sampled representatives are Leech points with
    Q_Λ(r) = 0 or ||r|| = ||r − Q_Λ(r)|| (a tie)."""
    nl = nested("Leech", 2)
    r = nl.sample_representatives(2000, rng=5)
    get("Leech").coefficients(r)  # raises if not lattice points
    q = nl.coarse.nearest_point(r)
    excess = (r * r).sum(1) - ((r - q) ** 2).sum(1)
    assert excess.max() <= 1e-9
    assert (np.abs(r).sum(1) > 0).mean() > 0.99  # not all zero: the cosets are really sampled


def test_leech_uniformity_check_passes():
    assert uniformity_check(nested("Leech", 2), 3000, seed=0).passed


# ---------------------------------------------------------------------------- broken constructions
def _wrong_reps(nl, kind):
    R = np.array(nl.representatives())
    if kind == "duplicate coset":
        R[-1] = R[0]
    elif kind == "missing row":
        R = R[:-1]
    elif kind == "unreduced":  # z·B_f: one per coset, but not inside V0(Λ)
        n, G = nl.dimension, nl.ratio
        z = np.array(np.meshgrid(*[range(G)] * n, indexing="ij")).reshape(n, -1).T
        R = z @ nl.fine.generator
    elif kind == "off-lattice":
        R = R + 0.1
    return R


@pytest.mark.parametrize("name,G", [("D4", 2), ("E8", 2), ("A2", 3)])
def test_structure_checks_pass_and_catch_wrong_sets(name, G):
    nl = nested(name, G)
    assert count_check(nl).passed and in_cell_check(nl).passed
    assert distinct_cosets_check(nl).passed
    assert not distinct_cosets_check(nl, _wrong_reps(nl, "duplicate coset")).passed
    assert not distinct_cosets_check(nl, _wrong_reps(nl, "off-lattice")).passed
    assert not count_check(nl, _wrong_reps(nl, "missing row")).passed
    assert not in_cell_check(nl, _wrong_reps(nl, "unreduced")).passed
    assert distinct_cosets_check(nl, _wrong_reps(nl, "unreduced")).passed  # right cosets


def _skip_one_coset(nl, size, rng):
    """Shared dither over the representatives with the last coset replaced by the first."""
    R = _wrong_reps(nl, "duplicate coset")
    return R[rng.integers(0, len(R), size)] + sample_voronoi(nl.fine, size, rng)


def _coarse_cell_dither(nl, size, rng):
    """Private dither from V0(Λ) instead of V0(Λ_f): uniform modulo Λ (so the moment and KS tests
    cannot see it), but not a representative plus a fine-cell point."""
    return nl.sample_representatives(size, rng) + sample_voronoi(nl.coarse, size, rng)


def _unreduced_representatives(nl, size, rng):
    """z·B_f + u_f: right cosets, wrong cell (the parallelepiped, not V0(Λ))."""
    z = rng.integers(0, nl.ratio, (size, nl.dimension))
    return z @ nl.fine.generator + sample_voronoi(nl.fine, size, rng)


def _half_fine_dither(nl, size, rng):
    """Private dither from ½·V0(Λ_f): the total no longer tiles the coarse cell."""
    return nl.sample_representatives(size, rng) + 0.5 * sample_voronoi(nl.fine, size, rng)


def _cube_fine_dither(nl, size, rng):
    """Private dither uniform on the unit cube of the generator's scale instead of V0(E8)."""
    return nl.sample_representatives(size, rng) + rng.random((size, nl.dimension)) - 0.5


@pytest.mark.parametrize("name,G", [("Z1", 3), ("D4", 2), ("E8", 2)])
@pytest.mark.parametrize("broken", [_skip_one_coset, _coarse_cell_dither,
                                    _unreduced_representatives, _half_fine_dither])
def test_uniformity_check_catches_broken_samplers(name, G, broken):
    res = uniformity_check(nested(name, G), 20_000, seed=9, sampler=broken)
    assert not res.passed, res.details


def test_uniformity_check_catches_cube_dither_in_e8():
    res = uniformity_check(nested("E8", 2), 20_000, seed=9, sampler=_cube_fine_dither)
    assert not res.passed, res.details


@pytest.mark.parametrize("name,G", [("Z1", 3), ("D4", 2), ("E8", 2)])
def test_uniformity_check_passes_the_real_thing(name, G):
    res = uniformity_check(nested(name, G), 20_000, seed=9)
    assert res.passed, res.details
