"""Tests of rdptheory.testing: the hypothesis strategies and check_nearest_point_quantizer.

The checker must pass the registry decoders and correct decoders written here, and catch
deliberately broken quantizers, naming the property that fails. The broken quantizers are
written plainly below, each next to the correct rule it breaks (Conway & Sloane 1982, CS82F:
D_n = round, then re-round the worst coordinate if the sum is odd; E8 = D8 ∪ (D8 + ½·1),
decode both cosets and keep the nearer). Expected values come from the generic exact decoder
(LLL + Schnorr-Euchner), enumeration of short vectors, or the definitions, never from the
code under test.
"""
import dataclasses
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from rdptheory.lattices import get, short_vectors
from rdptheory.testing import (
    PROPERTIES,
    QuantizerCheckError,
    QuantizerCheckReport,
    check_nearest_point_quantizer,
    equivalent_bases,
    lattice_points,
    near_ties,
    points_near,
    random_bases,
    random_lattices,
)

FEW = settings(max_examples=40, database=None, deadline=None, derandomize=True)


# ----------------------------------------------------------------------------------------
# quantizers written plainly: correct ones and deliberately broken ones
# ----------------------------------------------------------------------------------------
def round_half_up(x):
    return np.floor(np.asarray(x, dtype=float) + 0.5)


def dn_decoder(x, fix="worst"):
    """D_n (CS82F): round every coordinate; if the sum is odd, re-round one coordinate the
    other way. The correct rule re-rounds the worst one (largest |x_i - r_i|);
    ``fix="best"`` is the bug that re-rounds the least-error one instead."""
    x = np.asarray(x, dtype=float)
    r = np.floor(x + 0.5)
    err = x - r
    pick = np.argmax if fix == "worst" else np.argmin
    i = pick(np.abs(err), axis=1)
    rows = np.flatnonzero(r.sum(axis=1) % 2 != 0)
    cols = i[rows]
    r[rows, cols] += np.where(err[rows, cols] >= 0, 1.0, -1.0)
    return r


def e8_decoder(x):
    """E8 = D8 ∪ (D8 + ½·1): decode both cosets, keep the nearer (CS82F)."""
    x = np.asarray(x, dtype=float)
    a = dn_decoder(x)
    b = dn_decoder(x - 0.5) + 0.5
    da = np.sum((x - a) ** 2, axis=1)
    db = np.sum((x - b) ** 2, axis=1)
    return np.where((db < da)[:, None], b, a)


def e8_missing_coset(x):
    """Bug: decodes D8 only, forgetting the coset D8 + ½·1 (output in E8, not nearest)."""
    return dn_decoder(x)


def e8_per_coordinate_rounding(x):
    """Bug: Z^8 rounding used as an E8 quantizer (the sum may be odd: not in E8)."""
    return round_half_up(x)


def half_integer_rounding(x):
    """Bug: rounds to the half-integers (2x rounded, halved): off the lattice Z^n / D_n."""
    return np.floor(2.0 * np.asarray(x, dtype=float) + 0.5) / 2.0


def truncating_rounding(x):
    """Bug: ``int(x + 0.5)`` truncates toward zero, so -0.7 goes to 0 while 0.7 goes to 1
    (sign symmetry fails away from ties; also not nearest for x in (-1, -1/2))."""
    return np.trunc(np.asarray(x, dtype=float) + 0.5)


def zn_forgot_to_rescale(x):
    """Bug: quantizes x/2 (a scale of 2 applied on the way in, never undone): the output is in
    Z^n but fn(fn(x)) = round(round(x/2)/2) != fn(x)."""
    return round_half_up(np.asarray(x, dtype=float) / 2.0)


def float32_rounding(x):
    """Bug: computes in float32, exact near the origin but wrong a million cells away
    (float32(1e6 + 0.49) = 1000000.5)."""
    return np.floor(np.asarray(x, dtype=np.float32) + np.float32(0.5)).astype(np.float64)


# ----------------------------------------------------------------------------------------
# the checker passes correct quantizers
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Z4", "A2", "D4", "E8", "K12"])
def test_registry_decoders_pass(name):
    L = get(name)
    report = check_nearest_point_quantizer(L.nearest_point, L, max_examples=30)
    assert isinstance(report, QuantizerCheckReport)
    assert report.lattice == name
    assert report.properties == PROPERTIES
    assert report.examples == (30,) * len(PROPERTIES)
    assert name in str(report)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["BW16", "Leech", "E7", "A3*", "D10+"])
def test_registry_decoders_pass_more(name):
    L = get(name)
    report = check_nearest_point_quantizer(L.nearest_point, L, max_examples=200)
    assert report.examples == (200,) * len(PROPERTIES)


def test_leech_passes_with_few_examples():
    L = get("Leech")
    assert check_nearest_point_quantizer(L.nearest_point, L, max_examples=15).examples == \
        (15,) * len(PROPERTIES)


@pytest.mark.parametrize("name, fn", [("D4", dn_decoder), ("D5", dn_decoder),
                                      ("E8", e8_decoder)])
def test_plain_correct_decoders_pass(name, fn):
    """The correct rules the broken quantizers below depart from."""
    check_nearest_point_quantizer(fn, name, max_examples=30)


@pytest.mark.parametrize("fn", [round_half_up, np.rint, lambda x: np.ceil(x - 0.5)],
                         ids=["floor(x+1/2)", "rint (half to even)", "ceil(x-1/2)"])
def test_any_tie_breaking_rule_passes(fn):
    """Nearest-point quantizers of Z^3 with different tie rules all pass, although the
    strategies hit exact ties where fn(-x) != -fn(x) (floor, ceil) or fn(x + 1) != fn(x) + 1
    (rint): the check must not mistake a tie-breaking rule for a broken symmetry."""
    seen = []

    def recording(x):
        seen.append(np.array(x))
        return fn(x)

    check_nearest_point_quantizer(recording, "Z3", max_examples=40)
    X = np.concatenate(seen)
    # e.g. floor(-1/2 + 1/2) = 0 but -floor(1/2 + 1/2) = -1; rint(3/2) = 2 but rint(1/2) + 1 = 1
    broken_at_ties = np.any((fn(-X) != -fn(X)) | (fn(X + 1) != fn(X) + 1), axis=1)
    assert broken_at_ties.sum() > 0


def test_random_lattices_generic_decoder_passes():
    # calling the checker inside a @given test nests @given: the outer test must allow it
    @settings(max_examples=4, database=None, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.nested_given])
    @given(random_lattices(3, max_condition=4.0))
    def run(L):
        check_nearest_point_quantizer(L.nearest_point, L, max_examples=15)

    run()


def test_other_basis_generic_decoder_passes():
    """The generic decoder built from another basis of E8 (a user-style quantizer)."""
    from rdptheory.lattices import from_generator

    E8 = get("E8")
    U = np.eye(8)
    U[3] += 2 * U[5]
    U[0] -= U[7]
    other = from_generator(U @ E8.generator)
    check_nearest_point_quantizer(other.nearest_point, E8, max_examples=30)


# ----------------------------------------------------------------------------------------
# the checker catches broken quantizers and names the property
# ----------------------------------------------------------------------------------------
def failure(fn, lattice, **kw):
    kw.setdefault("max_examples", 100)
    with pytest.raises(QuantizerCheckError) as info:
        check_nearest_point_quantizer(fn, lattice, **kw)
    return info.value


def is_nearest(L, x, q, tol=1e-9):
    p = L.nearest_point_generic(x)
    return np.linalg.norm(x - q) <= np.linalg.norm(x - p) + tol


def on_lattice(L, q, tol=1e-9):
    return np.linalg.norm(q - L.nearest_point_generic(q)) <= tol


def test_catches_dn_wrong_parity_fix():
    err = failure(lambda x: dn_decoder(x, fix="best"), "D4")
    assert err.property == "nearest"
    D4 = get("D4")
    assert on_lattice(D4, err.output) and not is_nearest(D4, err.x, err.output)
    # the counterexample is genuine: the buggy rule reproduces it, the correct one does not
    assert np.array_equal(dn_decoder(err.x[None], fix="best")[0], err.output)
    assert is_nearest(D4, err.x, dn_decoder(err.x[None])[0])


def test_catches_e8_missing_coset():
    err = failure(e8_missing_coset, "E8")
    assert err.property == "nearest"
    E8 = get("E8")
    assert on_lattice(E8, err.output) and not is_nearest(E8, err.x, err.output)
    # the nearest point is in the forgotten coset D8 + 1/2
    assert np.allclose(err.oracle - np.floor(err.oracle), 0.5)


def test_catches_e8_per_coordinate_rounding():
    err = failure(e8_per_coordinate_rounding, "E8")
    assert err.property == "on_lattice"
    assert err.output.sum() % 2 == 1  # an integer vector with odd sum is not in E8
    assert "not a lattice point" in str(err)


@pytest.mark.parametrize("name", ["Z4", "D4"])
def test_catches_off_lattice_half_integers(name):
    err = failure(half_integer_rounding, name)
    assert err.property == "on_lattice"
    assert not on_lattice(get(name), err.output)


def test_catches_broken_sign_symmetry():
    err = failure(truncating_rounding, "Z2", properties=("sign_symmetry",))
    assert err.property == "sign_symmetry"
    x = err.x
    assert not np.array_equal(truncating_rounding(-x[None])[0], -truncating_rounding(x[None])[0])
    # away from ties: -x has a unique nearest point, at least one answer misses it
    Z2 = get("Z2")
    assert not (is_nearest(Z2, -x, err.vectors["fn(-x)"])
                and is_nearest(Z2, -x, err.vectors["-fn(x)"]))
    # the full check catches it too (first failing property in PROPERTIES order)
    assert failure(truncating_rounding, "Z2").property == "nearest"


def test_catches_non_idempotent():
    err = failure(zn_forgot_to_rescale, "Z3", properties=("idempotence",))
    assert err.property == "idempotence"
    q = err.vectors["fn(x)"]
    assert not np.array_equal(zn_forgot_to_rescale(q[None])[0], q)
    assert failure(zn_forgot_to_rescale, "Z3").property in {"nearest", "translation"}


def test_catches_float32_at_large_translations():
    # with a float32-sized tolerance, the quantizer is correct within a few cells of 0 ...
    f32 = dict(rtol=0.0, atol=1e-5)
    check_nearest_point_quantizer(float32_rounding, "Z4", max_examples=40, max_translation=0,
                                  **f32)
    # ... but translating by up to 10**6 cells breaks equivariance
    err = failure(float32_rounding, "Z4", properties=("translation",), **f32)
    assert err.property == "translation"
    x, l = err.x, err.vectors["l"]
    assert not np.array_equal(float32_rounding((x + l)[None]), float32_rounding(x[None]) + l)
    assert np.abs(l).max() >= 2 ** 16  # float32 spacing >= 1/128 there
    assert failure(float32_rounding, "Z4", **f32).property in {"nearest", "translation"}


def test_catches_babai_rounding_on_a2():
    """Rounding the coefficients in a basis (Babai) has a parallelogram cell, not the
    hexagon: on the lattice, translation equivariant, but not nearest."""
    A2 = get("A2")
    B = A2.generator

    def babai(x):
        return np.floor(x @ np.linalg.inv(B) + 0.5) @ B

    err = failure(babai, A2)
    assert err.property == "nearest"
    assert not is_nearest(A2, err.x, err.output)


def test_fn_that_raises_or_has_wrong_shape():
    def raising(x):
        raise RuntimeError("boom")

    err = failure(raising, "Z2")
    assert err.property == "on_lattice" and "RuntimeError: boom" in err.reason
    assert isinstance(err.__cause__, RuntimeError)
    err = failure(lambda x: x[0], "Z2")
    assert "shape (2,)" in err.reason
    err = failure(lambda x: np.full_like(x, np.nan), "Z2")
    assert "not finite" in err.reason


def test_random_answers_are_reported():
    """A quantizer that is wrong at random still gets a QuantizerCheckError (shrinking cannot
    replay it reliably; the message then says so or shows the last failing example)."""
    rng = np.random.default_rng(1)
    Z2 = get("Z2")

    def sometimes_wrong(x):
        return Z2.nearest_point(x) + (rng.random() < 0.3) * np.array([1.0, 0.0])

    err = failure(sometimes_wrong, Z2, properties=("nearest",))
    assert err.property == "nearest"
    assert "not reproducible" in str(err)


def test_counterexample_is_shrunk_and_message_complete():
    err = failure(e8_per_coordinate_rounding, "E8", seed=3)
    # hypothesis shrinks lattice coefficients (drawn up to 10**6) and offsets to small values
    assert np.abs(err.x).max() <= 2.0
    assert np.array_equal(err.output, e8_per_coordinate_rounding(err.x[None])[0])
    E8 = get("E8")
    assert np.allclose(err.oracle, E8.nearest_point_generic(err.x))
    msg = str(err)
    for part in ("'on_lattice'", "'E8'", "x ", "fn(x)", "oracle(x)", "seed=3", "shrunk"):
        assert part in msg
    assert isinstance(err, AssertionError)


def test_seed_reproducible():
    a = failure(lambda x: dn_decoder(x, fix="best"), "D4", seed=7)
    b = failure(lambda x: dn_decoder(x, fix="best"), "D4", seed=7)
    assert np.array_equal(a.x, b.x) and str(a) == str(b)


def test_report_is_frozen_and_respects_properties():
    report = check_nearest_point_quantizer(round_half_up, "Z2", max_examples=10,
                                           properties=("idempotence", "nearest"))
    assert report.properties == ("idempotence", "nearest")
    assert report.examples == (10, 10)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.seed = 1


@pytest.mark.parametrize("kwargs, exc", [
    (dict(fn=3), TypeError),
    (dict(lattice="nope"), ValueError),
    (dict(lattice=np.eye(2)), ValueError),
    (dict(max_examples=0), ValueError),
    (dict(max_examples=2.5), ValueError),
    (dict(seed="a"), ValueError),
    (dict(properties=("nearest", "speed")), ValueError),
    (dict(properties=()), ValueError),
    (dict(max_translation=-1), ValueError),
    (dict(rtol=-1.0), ValueError),
    (dict(atol=float("nan")), ValueError),
])
def test_checker_argument_validation(kwargs, exc):
    args = dict(fn=round_half_up, lattice="Z2")
    args.update(kwargs)
    fn, lattice = args.pop("fn"), args.pop("lattice")
    with pytest.raises(exc):
        check_nearest_point_quantizer(fn, lattice, **args)


# ----------------------------------------------------------------------------------------
# strategies: eager validation
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: lattice_points("nope"),
    lambda: lattice_points(np.eye(3)),
    lambda: lattice_points("E8", max_coefficient=-1),
    lambda: lattice_points("E8", max_coefficient=1.5),
    lambda: lattice_points("E8", max_coefficient=True),
    lambda: lattice_points("E8", max_coefficient=2 ** 40),
    lambda: points_near("E8", scale=-0.5),
    lambda: points_near("E8", scale=float("nan")),
    lambda: points_near("E8", scale=float("inf")),
    lambda: points_near("E8", scale="1"),
    lambda: near_ties("E8", max_distance=-1e-9),
    lambda: near_ties("E8", max_coefficient=-3),
    lambda: random_bases(0),
    lambda: random_bases(2.0),
    lambda: random_bases(100),
    lambda: random_bases(3, max_condition=0.5),
    lambda: random_bases(3, max_condition=float("nan")),
    lambda: random_lattices(-1),
    lambda: equivalent_bases("D4", max_steps=-1),
    lambda: equivalent_bases("D4", max_multiplier=100),
])
def test_strategies_validate_eagerly(make):
    with pytest.raises(InvalidArgument):
        make()  # raised on the call itself, before any example is drawn


def test_strategies_compose_with_hypothesis():
    E8 = get("E8")

    @FEW
    @given(st.lists(lattice_points(E8, max_coefficient=2), min_size=2, max_size=3),
           points_near("A2").map(np.linalg.norm))
    def run(points, r):
        s = points[0] + points[1]  # a sum of lattice points is a lattice point
        assert on_lattice(E8, s)
        assert r >= 0

    run()


# ----------------------------------------------------------------------------------------
# strategies: they produce what they promise
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["A2", "E8", "Leech"])
def test_lattice_points_are_on_the_lattice(name):
    L = get(name)

    @FEW
    @given(lattice_points(L, max_coefficient=5))
    def run(p):
        assert p.shape == (L.dimension,) and p.dtype == np.float64
        z = np.linalg.solve(L.generator.T, p)
        assert np.abs(z - np.rint(z)).max() <= 1e-9 and np.abs(np.rint(z)).max() <= 5

    run()


def test_points_near_stay_near():
    D4 = get("D4")
    s = D4.volume ** 0.25

    @FEW
    @given(points_near(D4, scale=0.3, max_coefficient=0))
    def run(x):
        # the offset box [-0.3 s, 0.3 s]^4 around the origin
        assert np.abs(x).max() <= 0.3 * s

    run()


def test_points_near_reach_far():
    seen = []

    @settings(max_examples=60, database=None, deadline=None, derandomize=True)
    @given(points_near("Z2", max_coefficient=10 ** 6))
    def run(x):
        seen.append(np.abs(x).max())
        assert np.abs(x).max() <= 10 ** 6 + 1

    run()
    assert max(seen) > 1e4


def lattice_points_within(L, x, radius):
    """All lattice points within ``radius`` of x: p + w for the oracle's p and the short
    vectors w (|w| <= |x - p| + radius), by enumeration."""
    p = L.nearest_point_generic(x)
    d = np.linalg.norm(x - p)
    W = short_vectors(L.generator, (d + radius) ** 2 * (1 + 1e-9))
    cand = np.vstack([p, p + W])
    dist = np.linalg.norm(cand - x, axis=1)
    return cand[dist <= radius], d


@pytest.mark.parametrize("name", ["Z4", "A2", "D4", "E8", "A3*"])
def test_near_ties_are_near_a_tie(name):
    """Within max_distance of a point with two nearest lattice points, so some second lattice
    point is at most 2 * max_distance farther than the nearest one."""
    L = get(name)
    delta = 1e-6

    @settings(max_examples=60, database=None, deadline=None, derandomize=True)
    @given(near_ties(L, max_distance=delta, max_coefficient=3))
    def run(x):
        p = L.nearest_point_generic(x)
        d = np.linalg.norm(x - p)
        close, _ = lattice_points_within(L, x, d + 2 * delta + 1e-9)
        assert close.shape[0] >= 2, (x, d)

    run()


def test_near_ties_random_lattices_and_exact_ties():
    """max_distance=0: the two nearest points are equidistant up to rounding."""
    @settings(max_examples=30, database=None, deadline=None, derandomize=True)
    @given(random_lattices(3, max_condition=3.0).flatmap(
        lambda L: st.tuples(st.just(L), near_ties(L, max_distance=0.0))))
    def run(args):
        L, x = args
        p = L.nearest_point_generic(x)
        d = np.linalg.norm(x - p)
        close, _ = lattice_points_within(L, x, d + 1e-9)
        assert close.shape[0] >= 2

    run()


def test_near_ties_include_deep_holes():
    """Z^n: the half-lattice points include (1/2, ..., 1/2)-type points with 2^n nearest."""
    Z3 = get("Z3")
    most = []

    @settings(max_examples=200, database=None, deadline=None, derandomize=True)
    @given(near_ties(Z3, max_distance=0.0, max_coefficient=2))
    def run(x):
        close, _ = lattice_points_within(Z3, x, np.linalg.norm(x - Z3.nearest_point(x)) + 1e-12)
        most.append(close.shape[0])

    run()
    assert max(most) == 8


@pytest.mark.parametrize("n, cap", [(1, 1.0), (2, 5.0), (6, 20.0)])
def test_random_bases_conditioning(n, cap):
    @FEW
    @given(random_bases(n, max_condition=cap))
    def run(B):
        assert B.shape == (n, n)
        assert np.linalg.cond(B) <= cap * (1 + 1e-9)
        assert math.isclose(abs(np.linalg.det(B)), 1.0, rel_tol=1e-9)

    run()


def test_equivalent_bases_generate_the_same_lattice():
    D4 = get("D4")

    @FEW
    @given(equivalent_bases(D4, max_steps=10))
    def run(B):
        # rows in D4 (integers with even sum) and the same covolume: the same lattice
        assert np.array_equal(B, np.rint(B)) and np.all(B.sum(axis=1) % 2 == 0)
        assert math.isclose(abs(np.linalg.det(B)), D4.volume, rel_tol=1e-9)

    run()
