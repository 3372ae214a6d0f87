"""Claims: the vector Gaussian RDP program against independent solutions."""
from __future__ import annotations

import numpy as np

from rdptheory import gaussian as g

from .registry import ClaimResult, claim

SOURCE = ("Qian et al., arXiv:2406.18008 (2024); Serra, Stavrou & Kountouris, ISIT 2024; "
          "Qian et al. 2024; Serra, Stavrou & Kountouris 2024")
_SPECTRA = ([1.0, 0.5, 0.1], [4.0, 1.0, 1.0, 0.25, 0.05], [2.0, 2.0], [1.0, 0.3, 0.3, 0.01])


@claim("gaussian.vector.perfect_realism_closed_form",
       "At P = 0 the convex program (SLSQP) reaches the rate of Serra et al.'s analytical "
       "solution D_i(μ) = 2λ_i - (√(1+16μ²λ_i²) - 1)/(2μ), to 1e-9 bit",
       SOURCE, kind="independent")
def _serra(ctx):
    worst, rows = 0.0, []
    for lam in _SPECTRA:
        total = sum(lam)
        for frac in (0.05, 0.3, 0.8, 1.5):
            D = frac * total
            a = g.rdp_vector(D, 0.0, lam)
            b = g.rdp_vector_perfect_realism(D, lam)
            worst = max(worst, abs(a.rate - b.rate))
            if not a.converged:
                worst = max(worst, np.inf)
    rows.append(f"{len(_SPECTRA) * 4} (spectrum, D) cases")
    return ClaimResult(value=worst, reference=0.0, tolerance=1e-9, comparison="le",
                       details=f"max |R_SLSQP - R_Serra| = {worst:.3g} bit over " + rows[0])


@claim("gaussian.vector.water_filling_when_perception_slack",
       "When P covers the perception of the water-filling reconstruction, "
       "Σ(√λ_i - √(λ_i - D_i))², the RDP program returns reverse water-filling's R(D)",
       SOURCE + "; Cover & Thomas Thm 10.3.3", kind="independent")
def _wf(ctx):
    worst, n = 0.0, 0
    for lam in _SPECTRA:
        lam = np.asarray(lam)
        for frac in (0.1, 0.4, 0.9):
            wf = g.rate_distortion_vector(frac * lam.sum(), lam)
            P_wf = float(np.sum((np.sqrt(lam) - np.sqrt(lam - wf.distortions)) ** 2))
            if P_wf >= lam.sum():
                continue
            r = g.rdp_vector(frac * lam.sum(), min(P_wf * 1.01, lam.sum() * 0.999), lam)
            worst = max(worst, abs(r.rate - wf.rate))
            n += 1
    return ClaimResult(value=worst, reference=0.0, tolerance=1e-9, comparison="le",
                       details=f"max |R_program - R_waterfilling| = {worst:.3g} bit over {n} cases")


@claim("gaussian.vector.no_drained_component",
       "With the perception constraint active, every component gets a strictly positive rate, "
       "even those that reverse water-filling drains",
       SOURCE, kind="literature")
def _positive(ctx):
    lam = np.array([1.0, 0.5, 0.05])
    D = 0.6  # water level 0.275: the 0.05 component is drained by water-filling
    wf = g.rate_distortion_vector(D, lam)
    r = g.rdp_vector(D, 0.02, lam)
    min_rate = float(r.rates.min())
    return ClaimResult(value=min_rate, reference=0.0, tolerance=0.0, comparison="gt",
                       details=(f"rates with P=0.02: {np.round(r.rates, 6).tolist()} bit "
                                f"(water-filling: {np.round(wf.rates, 6).tolist()}); "
                                f"the smallest must be > 0"))


@claim("gaussian.vector.two_components_vs_grid",
       "For two components the program's optimum is at least as good as every point of a "
       "400×400 grid over (D_1, P_1) with both constraints tight, and within the grid's "
       "resolution of the best one",
       SOURCE, kind="independent")
def _grid(ctx):
    worst, gaps = -np.inf, []
    for lam, D, P in (([1.0, 0.4], 0.5, 0.05), ([2.0, 0.3], 1.0, 0.2), ([1.0, 1.0], 0.3, 0.01)):
        lam = np.asarray(lam)
        r = g.rdp_vector(D, P, lam)
        D1 = np.linspace(0, D, 401)[1:-1]
        P1 = np.linspace(0, P, 401)
        A, B = np.meshgrid(D1, P1, indexing="ij")
        total = g.rdp(A, B, lam[0]) + g.rdp(D - A, P - B, lam[1])
        best = float(total.min())
        worst = max(worst, r.rate - best)
        gaps.append(best - r.rate)
    return ClaimResult(value=worst, reference=0.0, tolerance=1e-12, comparison="le",
                       details=(f"R_program - min_grid per case: {[f'{-x:.2e}' for x in gaps]} "
                                "(negative: the program beats the grid)"))
