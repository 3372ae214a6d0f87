"""Claims: structural properties of the Gaussian bounds, searched with hypothesis."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from rdptheory import gaussian as g

from ._hypothesis import property_claim
from .registry import claim

_ex = lambda ctx: 1500 if ctx.full else 300  # noqa: E731
_frac = st.floats(min_value=0.0, max_value=1.0)
_var = st.floats(min_value=0.05, max_value=20.0)
_dist = st.floats(min_value=1e-6, max_value=3.0)      # in units of sigma2
_perc = st.floats(min_value=0.0, max_value=1.5)       # in units of sigma2
_rate = st.floats(min_value=0.0, max_value=12.0)
_rc = st.one_of(st.floats(min_value=0.0, max_value=12.0), st.just(math.inf))

TOL = 1e-12  # rounding of the float64 closed forms (see gaussian.*.vs_mpmath: <= 2e-15 relative)


def _rdp(D, P, s2):
    return float(g.rdp(D * s2, P * s2, s2))


@claim("gaussian.rdp.monotone",
       "R(D,P) is non-increasing in D and in P",
       "Blau & Michaeli 2019 Thm 1",
       kind="property")
def _monotone(ctx):
    def violation(D1, D2, P1, P2, s2):
        (D1, D2), (P1, P2) = sorted((D1, D2)), sorted((P1, P2))
        return max(_rdp(D2, P1, s2) - _rdp(D1, P1, s2), _rdp(D1, P2, s2) - _rdp(D1, P1, s2))
    return property_claim(violation, [_dist, _dist, _perc, _perc, _var], examples=_ex(ctx),
                          tolerance=TOL, what="monotonicity")


@claim("gaussian.rdp.convex_in_D",
       "R(D,P) is convex in D for fixed P",
       "Blau & Michaeli 2019 Thm 1",
       kind="property")
def _convex(ctx):
    def violation(D1, D2, lam, P, s2):
        Dm = lam * D1 + (1 - lam) * D2
        return _rdp(Dm, P, s2) - (lam * _rdp(D1, P, s2) + (1 - lam) * _rdp(D2, P, s2))
    return property_claim(violation, [_dist, _dist, _frac, _perc, _var], examples=_ex(ctx),
                          tolerance=TOL, what="convexity in D")


@claim("gaussian.rdp.above_rate_distortion",
       "R(D,P) >= R(D), with equality when P >= σ²",
       "Zhang, Qian, Chen & Khisti 2021; Lei et al., NeurIPS 2025, Prop. 4.1 (the perception "
       "constraint can only cost rate)",
       kind="property")
def _above(ctx):
    def violation(D, P, s2):
        rd = float(g.rate_distortion(D * s2, s2))
        v = rd - _rdp(D, P, s2)
        return max(v, abs(_rdp(D, 1.0 + P, s2) - rd))
    return property_claim(violation, [_dist, _perc, _var], examples=_ex(ctx), tolerance=TOL,
                          what="R(D,P) >= R(D)")


@claim("gaussian.perfect_realism.below_no_common_randomness",
       "R(D,0) <= R(D/2,∞): common randomness never hurts at perfect realism",
       "Wagner 2022; Lei et al. 2025 §4",
       kind="property")
def _cr_order(ctx):
    def violation(D, s2):
        return float(g.rdp_perfect_realism(D * s2, s2) - g.rate_no_common_randomness(D * s2, s2))
    return property_claim(violation, [_dist, _var], examples=_ex(ctx), tolerance=TOL,
                          what="R(D,0) <= R(D/2,inf)")


@claim("gaussian.common_randomness.monotone_endpoints",
       "D(R,R_c) is non-increasing in R_c, lies between D_SD(R) and D_PD(R), and equals D_PD(R) "
       "at R_c = 0 and D_SD(R) at R_c = ∞ (to 4 ulp)",
       "Saldi, Linder & Yüksel 2015; Wagner 2022",
       kind="property")
def _cr_monotone(ctx):
    def violation(R, rc1, rc2, s2):
        rc1, rc2 = sorted((rc1, rc2))
        d1 = float(g.distortion_limited_common_randomness(R, rc1, s2))
        d2 = float(g.distortion_limited_common_randomness(R, rc2, s2))
        sd = float(g.distortion_rate_perfect_realism(R, s2))
        pd = float(g.distortion_rate_no_common_randomness(R, s2))
        d0 = float(g.distortion_limited_common_randomness(R, 0.0, s2))
        dinf = float(g.distortion_limited_common_randomness(R, math.inf, s2))
        scale = max(pd, 1e-300)
        ends = max(abs(d0 - pd), abs(dinf - sd)) - 4 * np.spacing(scale)
        return max((d2 - d1) / scale, (sd - d2) / scale, (d1 - pd) / scale,
                   ends / scale if ends > 0 else -1.0)
    return property_claim(violation, [_rate, _rc, _rc, _var], examples=_ex(ctx), tolerance=TOL,
                          what="D(R,Rc) ordering")


@claim("gaussian.vector.equal_variances",
       "For k equal variances, the vector R(D) (reverse water-filling) equals k·R(D/k) of the "
       "scalar source",
       "Cover & Thomas Thm 10.3.3",
       kind="property")
def _vector_equal(ctx):
    def violation(k, D, s2):
        vec = g.rate_distortion_vector(D * s2 * k, np.full(k, s2)).rate
        return abs(vec - k * float(g.rate_distortion(D * s2, s2))) / max(1.0, vec)
    return property_claim(violation, [st.integers(1, 24), _dist, _var], examples=_ex(ctx),
                          tolerance=TOL, what="vector = k * scalar")
