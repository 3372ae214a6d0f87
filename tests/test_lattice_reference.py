"""Published lattice reference values: the best known constructions and the checks behind the
``lattices.reference.*`` claims, including that each check fails on a wrong input."""
import math
from fractions import Fraction

import numpy as np
import pytest

from proofs_checks import lattice_reference_claims as lrc
from rdptheory.lattices import Lattice, get
from rdptheory.lattices._best_known import (AE9_LAYER_SPACING, BEST_KNOWN, _LayeredD8Decoder,
                                            best_known, generator_a11_cubed, generator_ae9,
                                            generator_d6_glued, generator_e6_glued,
                                            generator_lambda15_dual)
from rdptheory.lattices._enumeration import nearest_point_certificate
from rdptheory.lattices._reference import (ReferenceValue, irwin_hall_mean_abs_deviation,
                                           nsm_an_dual_cs82, quoted_uncertainty)
from rdptheory.nsm import nsm_estimate


# ------------------------------------------------------------------------ constructions
@pytest.mark.parametrize("name, det", [("AE9", 4 * AE9_LAYER_SPACING ** 2), ("A11^3", 4 / 3),
                                       ("D6^2+", 1.0), ("E6^2+", 1.0), ("Lambda15*", 1 / 512)])
def test_construction_determinants(name, det):
    L = best_known(name)
    assert np.linalg.det(L.gram) == pytest.approx(det, rel=1e-10)
    assert L.nsm_reference is not None and L.nsm_reference.source


def test_generators_shapes_and_bad_input():
    assert generator_ae9(1.0).shape == (9, 9)
    assert abs(np.linalg.det(generator_ae9(0.7))) == pytest.approx(1.4)  # det D8 basis 2 · a
    assert generator_a11_cubed().shape == (11, 12)
    assert generator_d6_glued().shape == generator_e6_glued().shape == (12, 12)
    assert generator_lambda15_dual().shape == (15, 15)
    for bad in (0.0, -1.0, float("nan"), float("inf"), "x", None):
        with pytest.raises(ValueError, match=r"^a must be a finite number > 0"):
            generator_ae9(bad)
    with pytest.raises(ValueError, match=r"^name must be one of"):
        best_known("AE10")
    assert set(BEST_KNOWN) == {"AE9", "A11^3", "D6^2+", "E6^2+", "Lambda15*"}


def test_a11_cubed_glue_structure():
    B = generator_a11_cubed()
    assert np.allclose(B.sum(axis=1), 0)                      # in the hyperplane sum = 0
    four = B[0]
    assert np.allclose(12 * four, np.rint(12 * four))         # [4] in A11* (twelfths)
    three = 3 * four
    assert np.allclose(three, np.rint(three)) and np.rint(three).sum() == 0   # 3·[4] in A11
    assert best_known("A11^3").kissing_number() == 132


def test_fast_decoders_return_lattice_points_and_are_exact():
    rng = np.random.default_rng(3)
    for name in ("AE9", "A11^3", "D6^2+"):
        L = best_known(name)
        x = rng.normal(size=(3000, L.dimension)) * 2.5
        p = L.nearest_point(x)
        L.coefficients(p)                                     # raises if off the lattice
        assert lrc.decoder_check(L, 3000, 5).passed


@pytest.mark.parametrize("a", [0.2, 0.573223794, 1.0, 1.6])
def test_ae9_layer_decoder_exact_for_other_spacings(a):
    B = generator_ae9(a)
    L = Lattice("AE9(a)", B, _LayeredD8Decoder(a))
    assert lrc.decoder_check(L, 4000, 11).passed


def test_decoder_check_catches_a_decoder_that_skips_layers():
    class NearestLayerOnly(_LayeredD8Decoder):
        def __init__(self, a):
            super().__init__(a)
            self.reach, self.layers = 0.5 * a, 1

    L = Lattice("AE9-broken", generator_ae9(), NearestLayerOnly(AE9_LAYER_SPACING))
    assert not lrc.decoder_check(L, 4000, 11).passed


def test_lambda15_dual_is_dual_of_the_bw16_section():
    S = lrc._lambda15_section()
    assert S.shape == (15, 16)
    assert np.linalg.det(S @ S.T) == pytest.approx(512)
    assert np.allclose(S @ S.T, np.rint(S @ S.T), atol=1e-9)      # Λ15 is integral
    D = best_known("Lambda15*")
    # the dual basis has the inverse Gram matrix of the section's basis
    assert np.allclose(D.gram, np.linalg.inv(S @ S.T), atol=1e-12)
    assert D.minimum_norm() == pytest.approx(1.5)    # = 3/2: the basis of Λ15* has min norm 3/2


# ------------------------------------------------------------------- the claim checks fail
def test_covers_check_fails_for_a_wrong_reference():
    r = nsm_estimate("E8", 1 << 17, rng=2)
    good = ReferenceValue(929 / 12960, "CS82V", True)
    assert lrc.covers_check(r, good).passed
    wrong = ReferenceValue(929 / 12960 + 10 * r.stderr, "wrong", True)
    assert not lrc.covers_check(r, wrong).passed
    # a 7-digit reference gets half a unit of slack, no more
    seven = ReferenceValue(0.0716821, "rounded", False, digits=6)
    assert seven.uncertainty == pytest.approx(5e-8)


def test_quoted_check_fails_on_a_changed_digit():
    assert lrc.quoted_check(929 / 12960, "0.0716820988").passed
    assert not lrc.quoted_check(929 / 12960, "0.0716820998").passed
    assert quoted_uncertainty("0.0704536") == pytest.approx(5e-8)
    assert quoted_uncertainty("0.084") == pytest.approx(5e-4)


def test_rate_penalty_values():
    from proofs_checks.rate_penalty_claims import rate_penalty
    assert rate_penalty(1 / 12) == pytest.approx(0.2546, abs=5e-5)
    assert rate_penalty(1 / (2 * math.pi * math.e)) == pytest.approx(0.0, abs=1e-15)


def test_irwin_hall_convolution_is_independent_and_exact():
    for n in range(1, 9):
        assert lrc.irwin_hall_convolution_mad(n) == irwin_hall_mean_abs_deviation(n)
    assert irwin_hall_mean_abs_deviation(3) == Fraction(13, 32)
    # E|U - 1/2| = 1/4 and E|U1 + U2 - 1| = 1/3 by hand
    assert lrc.irwin_hall_convolution_mad(1) == Fraction(1, 4)
    assert lrc.irwin_hall_convolution_mad(2) == Fraction(1, 3)
    with pytest.raises(ValueError, match="^n must be"):
        lrc.irwin_hall_convolution_mad(0)


def test_an_dual_table_and_bad_input():
    assert nsm_an_dual_cs82(1) == pytest.approx(1 / 12, rel=1e-15)
    assert nsm_an_dual_cs82(4) == pytest.approx(0.0775588, abs=1e-7)
    for bad in (0, 7, 2.5, True, "3"):
        with pytest.raises(ValueError, match=r"^n must be an integer in \[1, 6\]"):
            nsm_an_dual_cs82(bad)


def test_leech_theta_and_class_census():
    N = lrc.leech_theta_counts(4)
    assert (N[4], N[6], N[8]) == (196560, 16773120, 398034000)
    assert lrc._ramanujan_tau(3)[1:] == [1, -24, 252]
    norms, counts = lrc.leech_class_census(512, seed=1)
    assert set(norms.tolist()) <= {4.0, 6.0, 8.0} and counts.sum() == 512


def test_certificate_accepts_farther_points_with_an_incomplete_relevant_set():
    """The certificate claim would fail if the relevant-vector set were incomplete."""
    E8 = get("E8")
    rv = E8.relevant_vectors()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 8)) * 2
    p = E8.nearest_point(x)
    u = rv[rng.integers(0, rv.shape[0], 4000)]
    q = p + u
    farther = np.sum((x - q) ** 2, 1) > np.sum((x - p) ** 2, 1) + 1e-9
    full = nearest_point_certificate(x, q, rv, rtol=0.0, atol=1e-9)
    assert not np.any(full & farther)
    partial = nearest_point_certificate(x, q, rv[:20], rtol=0.0, atol=1e-9)
    assert np.any(partial & farther)


def test_claims_registered_with_sources():
    from proofs_checks.registry import all_claims
    ids = {c.id: c for c in all_claims() if c.id.startswith("lattices.reference.")}
    assert "lattices.reference.s2.AE9.covers_reference" in ids
    assert "lattices.reference.s5.relevant_vectors.Leech_theta" in ids
    assert all(c.source for c in ids.values())
    assert ids["lattices.reference.s2.glued12_below_K12"].cost == "full"


def _run(claim_id):
    from proofs_checks.registry import CheckContext, get_claim, run_claim
    return run_claim(get_claim(claim_id), CheckContext())


def test_claims_fail_when_their_inputs_are_wrong(monkeypatch):
    p = "lattices.reference"
    assert _run(f"{p}.s1.Dn_dual_Mn_closed_form").passed
    monkeypatch.setattr(lrc, "irwin_hall_mean_abs_deviation",
                        lambda n: irwin_hall_mean_abs_deviation(n) + Fraction(1, 10 ** 9))
    assert not _run(f"{p}.s1.Dn_dual_Mn_closed_form").passed
    monkeypatch.setattr(lrc, "nsm_an_dual_cs82", lambda n: nsm_an_dual_cs82(n) + 2e-4)
    assert not _run(f"{p}.s1.An_dual_table_monte_carlo.A5*").passed
    assert not _run(f"{p}.s1.An_dual_table_exact_cases").passed
    # a census where norm-4 classes are 3x too frequent
    monkeypatch.setattr(lrc, "leech_class_census",
                        lambda m, seed: (np.array([4.0, 6.0, 8.0]),
                                         np.array([600, 16400, m - 17000])))
    assert not _run(f"{p}.s5.relevant_vectors.Leech_classes").passed
    monkeypatch.setattr(lrc, "leech_theta_counts",
                        lambda k: {4: Fraction(196560), 6: Fraction(16773120),
                                   8: Fraction(398034000 - 48)})
    assert not _run(f"{p}.s5.relevant_vectors.Leech_theta").passed


def test_registry_get_returns_the_best_known_lattices():
    for name in BEST_KNOWN:
        assert get(name) is best_known(name)
        assert get(name.lower()) is best_known(name)
    assert get("λ15*").name == "Lambda15*"
    assert get("AE9").gram_determinant_reference[0] == pytest.approx(4 * AE9_LAYER_SPACING ** 2)
    with pytest.raises(ValueError, match="unknown lattice"):
        get("AE10")
