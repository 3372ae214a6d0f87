"""Claims: the vector Gaussian R(D,P) under KL perception (rdptheory.bounds.gaussian_kl_vector)
against the scalar closed form, reverse water-filling, the P = 0 analytic solution and a
brute-force allocation; its primal–dual gap."""
from __future__ import annotations

import numpy as np
from scipy import optimize

from rdptheory import gaussian as g
from rdptheory.bounds import closed_forms as cf
from rdptheory.bounds import gaussian_kl_vector as kv

from .registry import ClaimResult, claim

SRC = ("Serra, Stavrou & Kountouris, IEEE JSAIT 2024 (scalar Gaussian RDPF under KL, jointly "
       "Gaussian reconstruction); Qian et al., arXiv:2406.18008 (vector Gaussian, KL and W2); "
       "Cover & Thomas Thm 10.3.3 (reverse water-filling)")
DIRECTIONS = ("kl-reverse", "kl")
TOL = 1e-8


@claim("bounds.gaussian_kl_vector.equal_variances",
       "For k = 2, 5, 16 equal variances the vector KL program gives k·R(D/k, P/k) of the scalar "
       "closed form (the even split is optimal by symmetry and convexity) in both KL directions, "
       "at 3 (D, P) points, to 1e-8 bit",
       SRC, cost="quick", kind="independent")
def _equal(ctx):
    worst, rows = 0.0, []
    for direction in DIRECTIONS:
        for k in (2, 5, 16):
            for D, P in ((0.5, 0.01), (0.2, 0.1), (0.9, 0.001)):
                r = kv.gaussian_rdp_kl_vector(D * k, P * k, np.ones(k), direction=direction)
                ref = k * float(cf.gaussian_rdp_kl(D, P, direction=direction))
                worst = max(worst, abs(r.rate - ref))
        rows.append(f"{direction}: k = 16, (0.5, 0.01): {r.rate:.9f} vs {ref:.9f}")
    return ClaimResult(value=worst, reference=0.0, tolerance=TOL, comparison="le",
                       details="max |vector − k·scalar| (bits) over 18 cases; " + "; ".join(rows))


@claim("bounds.gaussian_kl_vector.limits",
       "With unequal variances (2, 1, 0.5, 0.1), the vector KL program equals reverse "
       "water-filling R(D) without a KL budget (P = ∞, solved by the same SLSQP program) and "
       "the analytic P = 0 solution of Serra, Stavrou & Kountouris (rdp_vector_perfect_realism) "
       "at P = 0, in both directions, to 1e-8 bit",
       SRC, cost="quick", kind="independent")
def _limits(ctx):
    lam = np.array([2.0, 1.0, 0.5, 0.1])
    worst, rows = 0.0, []
    for direction in DIRECTIONS:
        for D in (0.3, 0.8, 2.0):
            wf = g.rate_distortion_vector(D, lam).rate
            p0 = g.rdp_vector_perfect_realism(D, lam).rate
            r_inf = kv.gaussian_rdp_kl_vector(D, np.inf, lam, direction=direction).rate
            r_0 = kv.gaussian_rdp_kl_vector(D, 0.0, lam, direction=direction).rate
            worst = max(worst, abs(r_inf - wf), abs(r_0 - p0))
        rows.append(f"{direction}, D = 2: {r_inf:.9f}/{wf:.9f} (P = ∞), {r_0:.9f}/{p0:.9f} (P = 0)")
    return ClaimResult(value=worst, reference=0.0, tolerance=TOL, comparison="le",
                       details="max |difference| (bits); " + "; ".join(rows))


def brute_force_two(D, P, s1, s2, direction):
    """min over (D_1, P_1) of R_1(D_1, P_1) + R_2(D − D_1, P − P_1) with the scalar closed form:
    a 400 × 400 grid, then Nelder–Mead from the best grid point (bits)."""
    def total(d1, p1):
        return (np.asarray(cf.gaussian_rdp_kl(d1, p1, s1, direction=direction), float)
                + np.asarray(cf.gaussian_rdp_kl(D - d1, P - p1, s2, direction=direction), float))
    dg = np.linspace(D * 1e-3, D * (1 - 1e-3), 400)
    pg = np.linspace(0.0, P, 400)
    vals = total(dg[:, None], pg[None, :])
    i, j = np.unravel_index(np.argmin(vals), vals.shape)

    def f(x):
        d1, p1 = x
        if not (0 < d1 < D and 0 <= p1 <= P):
            return np.inf
        return float(total(d1, p1))
    res = optimize.minimize(f, [dg[i], pg[j]], method="Nelder-Mead",
                            options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 4000})
    return min(float(vals[i, j]), float(res.fun))


@claim("bounds.gaussian_kl_vector.brute_force_and_dual_gap",
       "With two unequal variances the vector KL program's rate equals a brute-force allocation "
       "of the scalar closed forms (grid + Nelder–Mead) and its own Lagrangian dual bound, both "
       "to 1e-9 bit, in both directions, at 4 (D, P, variances) points",
       SRC, cost="quick", kind="independent")
def _brute(ctx):
    cases = [(0.6, 0.02, 1.0, 0.3), (1.0, 0.05, 2.0, 0.5), (0.3, 0.005, 1.0, 0.8),
             (1.5, 0.2, 3.0, 0.2)]
    worst_bf, worst_gap, rows = 0.0, 0.0, []
    for direction in DIRECTIONS:
        for D, P, s1, s2 in cases:
            r = kv.gaussian_rdp_kl_vector(D, P, [s1, s2], direction=direction)
            bf = brute_force_two(D, P, s1, s2, direction)
            worst_bf = max(worst_bf, abs(r.rate - bf))
            worst_gap = max(worst_gap, abs(r.gap))
            rows.append(f"{direction} {D, P, s1, s2}: {r.rate:.10f} / brute force {bf:.10f} / "
                        f"dual {r.dual_bound:.10f}")
    return ClaimResult(value=max(worst_bf, worst_gap), reference=0.0, tolerance=1e-9,
                       comparison="le",
                       details=f"max |rate − brute force| = {worst_bf:.2e}, max |rate − dual| = "
                               f"{worst_gap:.2e} (bits); " + "; ".join(rows))
