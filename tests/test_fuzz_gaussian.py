"""Fuzz: the Gaussian API over the whole float64 range (hypothesis).

* finite valid input gives no NaN, and inf only where the exact answer is infinite (D = 0) or
  beyond the float range;
* every function is scale invariant: multiplying D, P, sigma2 by 4**j (exact in float64)
  changes the rate not at all, bit for bit (by 2**j: to 4e-15);
* rdp and rate_distortion agree with the textbook formula in mpmath at enough digits;
* every not-a-real-number input raises ValueError naming the parameter.
"""
import dataclasses
import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdptheory import gaussian as g
from proofs_checks import mp_gaussian as ref

FAST = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=3000, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

#: positive floats over the whole range, subnormals included
positive = st.floats(min_value=5e-324, max_value=1.7e308, allow_nan=False, allow_infinity=False)
nonneg = st.one_of(st.just(0.0), positive)
rates = st.floats(min_value=0.0, max_value=2000.0, allow_nan=False)


def _leaves(out):
    if dataclasses.is_dataclass(out):
        return [np.asarray(getattr(out, f.name)) for f in dataclasses.fields(out)]
    return [np.asarray(out)]


def _finite_call(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow inside the code is a finding too
        try:
            out = fn(*args)
        except ValueError:
            return None
    for leaf in _leaves(out):
        if leaf.dtype.kind == "f":
            assert not np.isnan(leaf).any(), (fn.__name__, args, out)
    return out


def _digits(s2, *xs):
    spans = [math.log10(s2) - math.log10(x) for x in xs if x > 0]
    return ref.DPS + 10 + max(0, int(max(spans, default=0.0)))


def check_rdp(D, P, s2):
    v = _finite_call(g.rdp, D, P, s2)
    if D > 0:
        assert math.isfinite(float(v)), (D, P, s2)
    r = ref.rdp(D, P, s2, dps=_digits(s2, D, P, abs(D - P)))
    vn = float(g.rdp(D, P, s2, unit="nats"))
    if r == 0 or mp.isinf(r):
        assert vn == float(r)
    else:
        assert abs((mp.mpf(vn) - r) / r) <= 1e-12, (D, P, s2, vn, r)


def check_scale_invariance(D, P, s2, k):
    c = 2.0 ** k
    Dc, Pc, s2c = D * c, P * c, s2 * c
    def normal(v, vc):
        return (v == 0 and vc == 0) or (1e-300 < v < 1e300 and 1e-300 < vc < 1e300)
    if not (normal(s2, s2c) and normal(D, Dc) and normal(P, Pc)):
        return  # keep every scaled value a normal number, so the scaling is exact
    if k % 2 == 0:  # the code rescales by 4**j internally: bit for bit
        assert float(g.rdp(D, P, s2)) == float(g.rdp(Dc, Pc, s2c))
    else:  # sqrt(2) is not exact
        assert float(g.rdp(D, P, s2)) == pytest.approx(float(g.rdp(Dc, Pc, s2c)), rel=4e-15)
    assert float(g.rate_distortion(D, s2)) == pytest.approx(float(g.rate_distortion(Dc, s2c)),
                                                            rel=4e-15)
    a, b = g.rdp_reconstruction(D, P, s2), g.rdp_reconstruction(Dc, Pc, s2c)
    assert str(a.regime) == str(b.regime)
    assert float(a.covariance) * c == pytest.approx(float(b.covariance), rel=1e-15, abs=0)


@FAST
@given(D=nonneg, P=nonneg, s2=positive)
def test_fuzz_rdp_full_range_vs_mpmath(D, P, s2):
    check_rdp(D, P, s2)


@FAST
@given(D=nonneg, P=nonneg, s2=positive, k=st.integers(-400, 400))
def test_fuzz_scale_invariance(D, P, s2, k):
    check_scale_invariance(D, P, s2, k)


@FAST
@given(R=rates, P=nonneg, s2=positive, Rc=st.one_of(rates, st.just(math.inf)))
def test_fuzz_inverse_forms_finite(R, P, s2, Rc):
    for fn, args in ((g.distortion_rate, (R, s2)), (g.distortion_rate_perception, (R, P, s2)),
                     (g.distortion_rate_perfect_realism, (R, s2)),
                     (g.distortion_limited_common_randomness, (R, Rc, s2))):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an answer beyond 1.8e308 is inf, correctly
            out = fn(*args)
        assert not np.isnan(out), (fn.__name__, args)
        assert out >= 0


@FAST
@given(D=nonneg, P=nonneg, s2=positive, ratio=st.integers(1, 1000))
def test_fuzz_every_function_no_nan(D, P, s2, ratio):
    for fn, args in ((g.rate_distortion, (D, s2)), (g.rdp_reconstruction, (D, P, s2)),
                     (g.rate_no_common_randomness, (D, s2)), (g.common_randomness_gap, (D, s2)),
                     (g.sd_ltc_parameters, (D, P, s2)), (g.pd_ltc_parameters, (D, s2)),
                     (g.qsd_ltc_parameters, (D, ratio, s2)),
                     (g.rate_limited_common_randomness, (D, 1.0, s2))):
        _finite_call(fn, *args)


@FAST
@given(D=positive, lam=st.lists(st.floats(1e-3, 1e3), min_size=1, max_size=4))
def test_fuzz_vector_perfect_realism(D, lam):
    r = _finite_call(g.rdp_vector_perfect_realism, D, lam)
    assert r.converged and np.all(r.distortions >= 0) and math.isfinite(r.rate)
    if 1e-300 < D < 2 * sum(lam):
        assert r.distortions.sum() == pytest.approx(D, rel=1e-9)


@pytest.mark.parametrize("bad", [1 + 1j, "0.5", True, None, np.datetime64("2020"),
                                 np.ma.array([0.5]), [0.5, True], 10 ** 400])
@pytest.mark.parametrize("slot", ["D", "P", "sigma2"])
def test_fuzz_not_a_number_names_the_parameter(bad, slot):
    args = {"D": 0.5, "P": 0.05, "sigma2": 1.0}
    args[slot] = bad
    with pytest.raises(ValueError, match=slot):
        g.rdp(**args)


@pytest.mark.slow
@SLOW
@given(D=nonneg, P=nonneg, s2=positive, k=st.integers(-400, 400))
def test_fuzz_gaussian_slow(D, P, s2, k):
    check_rdp(D, P, s2)
    check_scale_invariance(D, P, s2, k)
