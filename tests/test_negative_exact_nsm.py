"""Negative controls for the exact-NSM claims: each check, fed a plausible wrong
implementation, must FAIL (or the computation must refuse), so the claims can fail."""
import dataclasses
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

pytest.importorskip("cdd")

from proofs_checks.exact_nsm_claims import (cell_counts_check, closed_form_check, exact,
                                            mc_covers_check, se_coverage_check)
from rdptheory.lattices import exact_voronoi_cell, get
from rdptheory.lattices._lattice import Lattice
from rdptheory.nsm import nsm_estimate
import rdptheory.lattices.voronoi_cell as vc


def test_closed_form_fails_for_wrong_normalization():
    # a plausible slip: normalize by det(Q)^(-2/n) (V^(2/n) with V = det Q instead of sqrt)
    def wrong(name):
        r = exact(name)
        n = r.dimension
        bad = sp.Rational(r.rational) * sp.Rational(r.det_gram) ** sp.Rational(-2, n)
        return dataclasses.replace(r, value=bad)
    assert closed_form_check("A2", compute=wrong).verdict == "FAIL"
    assert closed_form_check("D4").verdict == "PASS"


def test_closed_form_fails_when_off_in_the_last_digit():
    def wrong(name):
        r = exact(name)
        return dataclasses.replace(r, value=r.value * (1 + sp.Rational(1, 10 ** 25)))
    assert closed_form_check("E6", compute=wrong).verdict == "FAIL"


def test_merged_orbits_are_caught_by_the_volume_certificate(monkeypatch):
    # A4* has two facet orbits; integrating one facet and weighting it by all 30 is wrong
    real = vc._reflection_orbits

    def merged(gram_int, Z):
        orbits = real(gram_int, Z)
        assert len(orbits) == 2
        return (tuple(sorted(sum(orbits, ()))),)
    monkeypatch.setattr(vc, "_reflection_orbits", merged)
    with pytest.raises(RuntimeError, match="volume"):
        vc.nsm_exact("A4*")


def test_missing_relevant_pair_is_caught(monkeypatch):
    real = vc.relevant_vectors

    def drop(B, return_coefficients=False):
        v, z = real(B, return_coefficients=True)
        return v[:-2], z[:-2]
    monkeypatch.setattr(vc, "relevant_vectors", drop)
    with pytest.raises(RuntimeError):
        vc.nsm_exact("D4")


def test_cell_counts_fail_for_a_cell_missing_a_facet_pair():
    def wrong_cell(L):
        c = exact_voronoi_cell(L)
        Z = c.relevant[:-2]
        return dataclasses.replace(c, relevant=Z, vertices=tuple(vc._vertices(
            [list(r) for r in c.gram], Z)))
    assert cell_counts_check("D4", cell=wrong_cell).verdict == "FAIL"
    assert cell_counts_check("D4").verdict == "PASS"


def _babai(name):
    """The lattice with Babai rounding instead of its nearest-point decoder (not exact)."""
    L = get(name)
    B = np.asarray(L.generator)
    Binv = np.linalg.inv(B)
    return Lattice(f"{name}[babai]", B, lambda y: np.rint(y @ Binv) @ B, decoder="fast")


def test_mc_covers_fails_for_a_babai_decoder():
    def estimate(name, n, rng=None, workers=1):
        return nsm_estimate(_babai(name), n, rng=rng, workers=workers)
    assert mc_covers_check(("D5*",), 1 << 14, 1, estimate=estimate).verdict == "FAIL"


def test_se_coverage_fails_for_understated_errors():
    def estimate(name, n, rng=None, workers=1):
        r = nsm_estimate(name, n, rng=rng, workers=workers)
        h = 0.5 * (r.ci95[1] - r.ci95[0]) / 2      # half the honest half-width
        return dataclasses.replace(r, ci95=(r.estimate - h, r.estimate + h))
    assert se_coverage_check("D4", 100, 1024, 3, estimate=estimate).verdict == "FAIL"


@pytest.mark.parametrize("bad, match", [
    ([[1.0, 0.0], [0.0, 2 ** 0.5]], "rational"),
    ([[1, 2], [2, 1]], "positive definite"),
    ([[1, 0], [Fraction(1, 2), 1]], "symmetric"),
    ([[1, 0, 0]], "square"),
    ([[float("nan"), 0], [0, 1]], "finite"),
])
def test_bad_gram_is_refused(bad, match):
    with pytest.raises(ValueError, match=match):
        vc.nsm_exact(bad)


def test_dimension_limit():
    with pytest.raises(ValueError, match="dimension <= 8"):
        vc.nsm_exact("K12")
