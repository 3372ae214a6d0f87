"""quantile_from_cdf: every input check names its parameter and the valid range, the bracket
errors say which side and what to do, the survival-function path keeps the upper tail exact,
and the vectorized and scalar root finders agree (mutation-testing survivors, issue 13)."""
import math

import numpy as np
import pytest
from scipy import special, stats

from rdptheory.perception import quantile_from_cdf

SF = lambda x: special.ndtr(-np.asarray(x))       # noqa: E731


@pytest.mark.parametrize("kwargs, match", [
    (dict(cdf=3.0, lo=-1.0, hi=1.0), r"^cdf must be callable; got float$"),
    (dict(cdf=special.ndtr, lo=-1.0, hi=1.0, sf="x"), r"^sf must be callable or None; got str$"),
    (dict(cdf=special.ndtr, lo=math.nan, hi=1.0), r"^lo must"),
    (dict(cdf=special.ndtr, lo=-1.0, hi=math.nan), r"^hi must"),
    (dict(cdf=special.ndtr, lo=1.0, hi=1.0), r"^lo must be < hi; got lo=1\.0, hi=1\.0$"),
    (dict(cdf=special.ndtr, lo=-1.0, hi=1.0, xtol=0.0), r"^xtol must be in \(0, inf\); got 0\.0$"),
    (dict(cdf=special.ndtr, lo=-1.0, hi=1.0, xtol=-1.0), r"^xtol must"),
    (dict(cdf=special.ndtr, lo=-1.0, hi=1.0, rtol=1e-17), r"^rtol must be in \[8\.88178e-16, inf\); got 1e-17$"),
    (dict(cdf=lambda x: -special.ndtr(x), lo=-1.0, hi=1.0),
     r"^cdf must be non-decreasing: cdf\(lo\)=-0\.158\d+ > cdf\(hi\)=-0\.841\d+$"),
])
def test_constructor_checks(kwargs, match):
    with pytest.raises(ValueError, match=match):
        quantile_from_cdf(**kwargs)


def test_a_flat_cdf_is_accepted():
    """cdf(lo) == cdf(hi) is allowed (non-decreasing, not increasing): p = that value maps to
    lo."""
    q = quantile_from_cdf(lambda x: np.full(np.shape(x), 0.5), -1.0, 1.0)
    assert q(0.5) == -1.0


@pytest.mark.parametrize("p, match", [
    (-0.1, r"^p must be in \[0, 1\]; got -0\.1$"), (1.1, r"^p must be in \[0, 1\]; got 1\.1$"), (math.nan, r"^p must")])
def test_p_checks(p, match):
    q = quantile_from_cdf(special.ndtr, -40.0, 40.0)
    with pytest.raises(ValueError, match=match):
        q(p)


def test_bracket_errors_name_the_side_and_the_fix():
    q = quantile_from_cdf(special.ndtr, -2.0, 2.0, sf=SF)
    with pytest.raises(ValueError, match=r"^p=0\.001: the quantile lies left of lo \(bracket "
                                         r"lo=-2\.0, hi=2\.0; cdf\(lo\)=0\.0227\d*, "
                                         r"cdf\(hi\)=0\.977\d*, sf\(lo\)=0\.977\d*, "
                                         r"sf\(hi\)=0\.0227\d*\); widen the bracket "
                                         r"\(lower lo\)$"):
        q([0.5, 0.001])
    with pytest.raises(ValueError, match=r"^p=0\.999: the quantile lies right of hi .*"
                                         r"\(raise hi\)$"):
        q(np.array([0.999]))
    q2 = quantile_from_cdf(special.ndtr, -2.0, 2.0)
    with pytest.raises(ValueError, match=r"cdf\(hi\)=0\.977\d*\); widen the bracket \(raise hi\)$"):
        q2(0.999)


def test_upper_tail_uses_the_survival_function():
    """At p = 1 − 1e-15, 1 − F(x) cancels: with sf the quantile is exact to rounding, without it
    is not (the difference is what the sf path is for)."""
    p = 1.0 - 1e-15
    with_sf = quantile_from_cdf(special.ndtr, -40.0, 40.0, sf=SF)
    without = quantile_from_cdf(special.ndtr, -40.0, 40.0)
    exact = -special.ndtri(1.0 - p)          # 1 − p is exact in floating point; by symmetry
    assert with_sf(p) == pytest.approx(exact, rel=1e-12)
    assert abs(without(p) - exact) > 1e-6
    # the same through the vectorized path
    v = with_sf(np.full(8, p))
    assert np.allclose(v, exact, rtol=1e-12)


def test_sf_is_used_only_above_one_half():
    calls = []

    def sf(x):
        calls.append(np.asarray(x).copy())
        return SF(x)
    q = quantile_from_cdf(special.ndtr, -40.0, 40.0, sf=sf)
    n0 = len(calls)                          # sf(lo), sf(hi) at construction
    assert n0 == 2
    q(0.3)
    assert len(calls) == n0                  # lower half: cdf only
    q(0.5)
    assert len(calls) == n0                  # exactly 1/2: cdf
    q(0.7)
    assert len(calls) > n0


def test_vectorized_and_scalar_paths_agree_and_hit_the_bracket_ends():
    q = quantile_from_cdf(special.ndtr, -40.0, 40.0, sf=SF)
    p = np.array([1e-300, 1e-10, 0.2, 0.5, 0.7, 1 - 1e-10, 0.999])
    many = q(p)                              # > 4 points: the vectorized root finder
    few = np.array([q(float(pi)) for pi in p])   # scalars: brentq
    np.testing.assert_allclose(many, few, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(many, special.ndtri(p), rtol=1e-10)
    qb = quantile_from_cdf(stats.uniform.cdf, 0.0, 1.0)
    assert qb(0.0) == 0.0 and qb(1.0) == 1.0        # F(lo) = p and F(hi) = p: the ends exactly
    np.testing.assert_array_equal(qb(np.array([0.0, 1.0, 0.0, 1.0, 0.0])), [0, 1, 0, 1, 0])


def test_scalar_in_scalar_out_and_shapes():
    q = quantile_from_cdf(special.ndtr, -40.0, 40.0)
    assert isinstance(q(0.5), float)
    assert q(np.full((2, 3), 0.25)).shape == (2, 3)


def test_tolerances_are_passed_to_the_root_finder():
    loose = quantile_from_cdf(special.ndtr, -40.0, 40.0, xtol=1e-2, rtol=1e-2)
    tight = quantile_from_cdf(special.ndtr, -40.0, 40.0)
    p = np.linspace(0.05, 0.45, 9)
    assert np.max(np.abs(tight(p) - special.ndtri(p))) < 1e-13
    err = np.max(np.abs(loose(p) - special.ndtri(p)))
    assert 1e-9 < err < 0.05


@pytest.mark.parametrize("kwargs, match", [
    (dict(quantile1=1.0), r"^quantile1 must be callable; got float$"),
    (dict(quantile2="x"), r"^quantile2 must be callable; got str$"),
    (dict(epsabs=-1.0), r"^epsabs must be in \[0, inf\)"),
    (dict(epsabs=math.nan), r"^epsabs must"),
    (dict(epsrel=-1e-3), r"^epsrel must be in \[0, inf\)"),
    (dict(limit=0), r"^limit must"),
    (dict(limit=2.5), r"^limit must"),
])
def test_w2_1d_quantile_checks(kwargs, match):
    from rdptheory.perception import w2_1d_quantile
    args = dict(quantile1=special.ndtri, quantile2=special.ndtri)
    args.update(kwargs)
    q1, q2 = args.pop("quantile1"), args.pop("quantile2")
    with pytest.raises(ValueError, match=match):
        w2_1d_quantile(q1, q2, **args)


def test_kl_default_variance_is_one():
    """D(P ‖ N(0, σ²)) with σ² defaulting to 1: the same as passing 1.0, not 2.0."""
    from rdptheory.perception.measurement import kl_from_log_density
    x = np.random.default_rng(4).standard_normal((500, 1)) * 1.3
    lp = stats.norm.logpdf(x[:, 0], scale=1.3)
    assert kl_from_log_density(x, lp).value == kl_from_log_density(x, lp, 1.0).value
    assert kl_from_log_density(x, lp).value != kl_from_log_density(x, lp, 2.0).value
