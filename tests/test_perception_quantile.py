"""quantile_from_cdf: every input check names its parameter and the valid range, the bracket
errors say which side and what to do, the survival-function path keeps the upper tail exact,
and the vectorized and scalar root finders agree (mutation-testing survivors, issue 13)."""
import math
import os

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


def _w2_pair():
    """N(1, 1) vs N(0, 2): W2² = 1 + (1 − √2)² (Gaussian closed form)."""
    return (lambda t: 1.0 + special.ndtri(t), lambda t: math.sqrt(2.0) * special.ndtri(t),
            1.0 + (1.0 - math.sqrt(2.0)) ** 2)


def test_w2_1d_quantile_quad_calls_with_floats_and_passes_its_tolerances():
    """'quad' calls the quantile functions with Python floats (a function refusing arrays
    works), honours epsrel (1e-2 stops early: an error of order 1e-5; the default 1e-10 is
    within 1e-12) and sums the pieces' error estimates (independently: scipy quad on the same
    pieces [0, 0.3, 0.5, 1])."""
    from scipy import integrate
    from rdptheory.perception import w2_1d_quantile
    q1, q2, exact = _w2_pair()

    def strict(q):
        def f(t):
            assert isinstance(t, float)
            return q(t)
        return f
    assert w2_1d_quantile(strict(q1), strict(q2)) == pytest.approx(exact, abs=1e-12)
    loose = w2_1d_quantile(q1, q2, epsrel=1e-2, epsabs=0.0)
    assert 1e-7 < abs(loose - exact) < 1e-3
    w, err = w2_1d_quantile(q1, q2, points=[0.3], return_error=True)

    def integrand(t):
        t = min(max(t, 2.0 ** -53), 1.0 - 2.0 ** -53)
        return (float(q1(t)) - float(q2(t))) ** 2
    pieces = [integrate.quad(integrand, a, b, epsabs=1e-12, epsrel=1e-10, limit=200)
              for a, b in ((0.0, 0.3), (0.3, 0.5), (0.5, 1.0))]
    assert w == pytest.approx(sum(p[0] for p in pieces), rel=1e-15)
    assert err == pytest.approx(sum(p[1] for p in pieces), rel=1e-12) and err > 0


def test_w2_1d_quantile_reissues_quad_flags_as_warnings_at_the_caller():
    """limit = 1 on an oscillating quantile: QUADPACK's 'maximum number of subdivisions'
    flag comes back as an IntegrationWarning naming the piece, attributed to the caller (not
    to the quantile module itself)."""
    from scipy.integrate import IntegrationWarning
    from rdptheory.perception import w2_1d_quantile
    with pytest.warns(IntegrationWarning) as rec:
        w2_1d_quantile(lambda t: math.sin(1.0 / t) / t ** 0.3, special.ndtri, limit=1)
    msgs = [str(r.message) for r in rec]
    assert msgs[0].startswith("w2_1d_quantile: quad on [0, 0.5] reports: The maximum number "
                              "of subdivisions (1)")
    assert not any(r.filename.endswith(os.path.join("perception", "quantile.py")) for r in rec)


def test_w2_1d_quantile_tanhsinh_is_accurate_quiet_and_warns_on_failure():
    from scipy.integrate import IntegrationWarning
    from rdptheory.perception import w2_1d_quantile
    q1, q2, exact = _w2_pair()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert w2_1d_quantile(q1, q2, method="tanhsinh") == pytest.approx(exact, abs=1e-14)
        assert w2_1d_quantile(q1, q2, method="tanhsinh", epsrel=1e-3) == pytest.approx(
            exact, abs=1e-9)
    with pytest.warns(IntegrationWarning) as rec:
        w2_1d_quantile(lambda t: np.where(t > 0.7, np.nan, special.ndtri(t)), special.ndtri,
                       method="tanhsinh")
    assert str(rec[0].message) == ("w2_1d_quantile: tanhsinh did not reach the tolerance on "
                                   "some pieces (status [0, -3])")
    assert not rec[0].filename.endswith(os.path.join("perception", "quantile.py"))
    with pytest.raises(ValueError, match="^points must"):
        w2_1d_quantile(q1, q2, points=[1.5])
    with pytest.raises(ValueError, match="^method must be 'quad' or 'tanhsinh'; got 'simpson'$"):
        w2_1d_quantile(q1, q2, method="simpson")


def test_w2_1d_quantile_tanhsinh_tolerance_on_an_undeclared_kink():
    """F⁻¹ = Φ⁻¹ vs Φ⁻¹ + 5(t − 0.3)₊, kink not declared: W2² = 25·0.7³/3. The default
    tolerances reach 1e-11 (scipy's own default rtol, 1.5e-8, leaves 5e-10); epsrel = 1e-6 is
    honoured (an error of order 1e-8, not 1e-12)."""
    from rdptheory.perception import w2_1d_quantile

    def kinked(t):
        return special.ndtri(t) + 5.0 * np.maximum(t - 0.3, 0.0)
    exact = 25.0 * 0.7 ** 3 / 3.0
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # tanhsinh flags the undeclared kink (status -2)
        assert w2_1d_quantile(special.ndtri, kinked, method="tanhsinh") == pytest.approx(
            exact, abs=1e-11)
        err = abs(w2_1d_quantile(special.ndtri, kinked, method="tanhsinh", epsrel=1e-6) - exact)
    assert 1e-10 < err < 1e-6


def test_w2_1d_quantile_tanhsinh_needs_a_recent_scipy(monkeypatch):
    """scipy 1.10–1.14 (allowed by setup.cfg) has no scipy.integrate.tanhsinh: a clear error."""
    import scipy.integrate
    from rdptheory.perception import w2_1d_quantile
    q1, q2, _ = _w2_pair()
    monkeypatch.delattr(scipy.integrate, "tanhsinh")
    with pytest.raises(ValueError, match=r"^method='tanhsinh' needs scipy >= 1\.15; use "
                                         r"method='quad'$"):
        w2_1d_quantile(q1, q2, method="tanhsinh")
