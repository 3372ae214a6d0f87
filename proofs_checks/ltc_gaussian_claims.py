"""Claims: SD- and PD-LTC on Gaussian sources (Lei, Hassani & Saeedi Bidokhti 2025)."""
from __future__ import annotations

import math

import numpy as np

from rdptheory import gaussian as gauss
from rdptheory.dither import sample_voronoi
from rdptheory.lattices import get
from rdptheory.operating_points import (pd_operating_point, pd_rate_exact_1d, sd_operating_point,
                                        sd_rate_quadrature_1d)

from .registry import ClaimResult, claim

SRC = "Lei, Hassani & Saeedi Bidokhti 2025 (arXiv:2503.17558)"
# operating points where the cell-probability estimator has converged in the number of cell
# samples (see claim ltc.rate_estimator_converged): rates >= ~1 bit/dim for n >= 16
SD_POINTS = {"Z1": ((0.5, 0.0), (0.5, 0.05), (0.1, 0.0)), "A2": ((0.5, 0.0), (0.5, 0.05)),
             "D4": ((0.5, 0.0), (0.25, 0.02)), "E8": ((0.5, 0.0), (0.25, 0.02), (0.1, 0.0)),
             "BW16": ((0.25, 0.0), (0.1, 0.01)), "Leech": ((0.25, 0.0), (0.1, 0.01))}


def _n(ctx, n):
    return (40_000 if ctx.full else 8_000) if n <= 8 else (12_000 if ctx.full else 2_500)


def _cells(n):
    return 16_384 if n >= 16 else 4_096


@claim("ltc.prop33_identities",
       "Prop. 3.3 for fixed x and u ~ Unif(V0): E‖x - (Q(x-u)+u)‖² = nσ²(Λ) and "
       "E‖x - (Q(x)+su)‖² = ‖x - Q(x)‖² + s²nσ²(Λ), for Z1, A2, D4, E8, Leech (several x incl. "
       "lattice points and facet midpoints), within 4 SE of the reference (for Leech, of the "
       "interval of its 3-digit G)",
       SRC + ", Prop. 3.3; Zamir & Feder 1992, 1996",
       kind="statistical")
def _prop33(ctx):
    rng = np.random.default_rng(ctx.seed)
    N = 100_000 if ctx.full else 20_000
    worst, rows = 0.0, []
    for name in ("Z1", "A2", "D4", "E8", "Leech"):
        L = get(name)
        n = L.dimension
        m2 = L.second_moment_reference  # sigma^2(Lambda) from the reference G
        # a reference G with few published digits (Leech: 3) is an interval: half a unit of
        # its last digit, times V^(2/n); the Monte Carlo mean must reach the interval
        m2_unc = L.nsm_reference.uncertainty * L.volume ** (2.0 / n)
        mins = L.short_vectors(L.minimum_norm())
        xs = [rng.normal(size=n) * 3, np.zeros(n), mins[0] / 2, mins[0] / 2 + 1e-9]
        for x in xs:
            u = sample_voronoi(L, N, rng)
            e1 = np.sum((x - (L.nearest_point(x - u) + u)) ** 2, axis=1)
            s = 1.7
            qx = L.nearest_point(x)
            e2 = np.sum((x - (qx + s * u)) ** 2, axis=1)
            ref2 = np.sum((x - qx) ** 2) + s * s * n * m2
            z1 = max(abs(e1.mean() - n * m2) - n * m2_unc, 0.0) / (e1.std(ddof=1) / math.sqrt(N))
            z2 = max(abs(e2.mean() - ref2) - s * s * n * m2_unc, 0.0) / (
                e2.std(ddof=1) / math.sqrt(N))
            worst = max(worst, z1, z2)
        rows.append(f"{name}: worst z so far {worst:.2f}")
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="; ".join(rows))


@claim("ltc.sd.distortion_equals_D",
       "SD-LTC with the Thm 4.3 parameters meets the target distortion D exactly: the Monte "
       "Carlo distortion is within 4 SE of D for Z1, A2, D4, E8, BW16, Leech at several (D, P) "
       "in both regimes",
       SRC + ", Thm 4.3",
       kind="statistical")
def _sd_dist(ctx):
    worst, rows = 0.0, []
    for name, pts in SD_POINTS.items():
        n = get(name).dimension
        for D, P in pts:
            op = sd_operating_point(name, D, P, n_samples=_n(ctx, n), cell_samples=16, rng=ctx.seed)
            z = abs(op.distortion - D) / op.distortion_stderr
            worst = max(worst, z)
            rows.append(f"{name} ({D},{P}): {op.distortion:.4f} ± {op.distortion_stderr:.1g}")
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="max |D_hat - D|/SE; " + "; ".join(rows))


@claim("ltc.sd.rate_between_bounds",
       "SD-LTC's rate H(c|u)/n lies in [R(D,P), R(D,P) + ½log2(2πeG)] (within 4 SE) for Z1, "
       "A2, D4, E8, BW16, Leech at several (D, P) in both regimes",
       SRC + ", finite-n bounds derived from the proof of Thm 4.3 (not stated in the theorem, which is asymptotic): h(X+U) <= ½log2(2πe(σ²+η²)) and h(U) = ½log2(η²/G) per dimension (Zamir & Feder 1992, 1996)",
       kind="statistical")
def _sd_rate(ctx):
    worst, rows = -math.inf, []
    for name, pts in SD_POINTS.items():
        n = get(name).dimension
        for D, P in pts:
            op = sd_operating_point(name, D, P, n_samples=_n(ctx, n), cell_samples=_cells(n),
                                    rng=ctx.seed)
            lo, hi = op.theory["rate_lower"], op.theory["rate_upper"]
            viol = max(lo - op.rate, op.rate - hi) / op.rate_stderr
            worst = max(worst, viol)
            rows.append(f"{name} ({D},{P}): {op.rate:.4f} ± {op.rate_stderr:.1g} in "
                        f"[{lo:.4f}, {hi:.4f}]")
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="worst excursion outside the band in SE; " + "; ".join(rows))


@claim("ltc.sd.gap_shrinks_with_G",
       "At (D,P) = (0.1, 0): SD-LTC's rate gap to R(D,P) decreases along Z1, A2, D4, E8, BW16, "
       "Leech as G decreases: no step to a lattice with smaller G raises the rate by more than "
       "2 combined SE",
       SRC + ", Thm 4.3 (gap → 0 as G → 1/(2πe))", kind="statistical")
def _sd_gap(ctx):
    names = ("Z1", "A2", "D4", "E8", "BW16", "Leech")
    ops = [sd_operating_point(m, 0.1, 0.0, n_samples=_n(ctx, get(m).dimension),
                              cell_samples=_cells(get(m).dimension), rng=ctx.seed) for m in names]
    gaps = [op.rate - op.theory["rate_lower"] for op in ops]
    worst = -math.inf
    for a, b in zip(ops, ops[1:]):
        z = (b.rate - a.rate) / math.hypot(a.rate_stderr, b.rate_stderr)  # should be < 0
        worst = max(worst, z)
    return ClaimResult(value=worst, reference=2.0, tolerance=0.0, comparison="le",
                       details="gaps (bit): " + ", ".join(f"{m} {g:.4f}" for m, g in zip(names, gaps))
                       + f"; largest increase between neighbours {worst:.2f} combined SE")


@claim("ltc.sd.quadrature_n1",
       "For n = 1 the Monte Carlo SD-LTC rate matches numerical quadrature of h(X+U) - log Δ "
       "within 4 SE at (D,P) = (0.5,0), (0.5,0.05), (0.1,0)",
       "Zamir & Feder 1992 (ECDQ rate)",
       kind="statistical")
def _sd_quad(ctx):
    worst, rows = 0.0, []
    for D, P in ((0.5, 0.0), (0.5, 0.05), (0.1, 0.0)):
        op = sd_operating_point("Z1", D, P, n_samples=4 * _n(ctx, 1), cell_samples=4096,
                                rng=ctx.seed)
        q = sd_rate_quadrature_1d(D, P)
        z = abs(op.rate - q) / op.rate_stderr
        worst = max(worst, z)
        rows.append(f"({D},{P}): MC {op.rate:.5f} ± {op.rate_stderr:.1g}, quadrature {q:.6f}")
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="; ".join(rows))


@claim("ltc.pd.exact_n1",
       "For n = 1 the Monte Carlo PD-LTC rate H(Q(αX)) matches the exact entropy sum within 4 SE",
       SRC + ", Thm 4.5", kind="statistical")
def _pd_exact(ctx):
    worst, rows = 0.0, []
    for D in (0.5, 0.2):
        op = pd_operating_point("Z1", D, n_samples=4 * _n(ctx, 1), cell_samples=4096,
                                rng=ctx.seed)
        ex = pd_rate_exact_1d(D)
        z = abs(op.rate - ex) / op.rate_stderr
        worst = max(worst, z)
        rows.append(f"D={D}: MC {op.rate:.5f} ± {op.rate_stderr:.1g}, exact {ex:.6f}")
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="; ".join(rows))


@claim("ltc.pd_sd_distortion_ratio",
       "Measured 3 dB: simulated SD-LTC (P = 0, target D) and PD-LTC (target 2D) with E8 at "
       "D = 0.02 and 0.05, brought to a common rate along D ∝ 2^(−2R) (they land within 0.01 "
       "bit of each other), have D_PD/D_SD within 4 SE of 1 + √(1 − 2^(−2R')), R' = the rate "
       "minus ½log2(2πeG) (the Gaussian-model rate; → 2 at high rate)",
       SRC + ", Thms 4.3 and 4.5 and §4 (the 3 dB gap); D_PD/D_SD: Wagner 2022",
       kind="statistical")
def _ratio(ctx):
    worst, rows = 0.0, []
    N = 32_000 if ctx.full else 8_000
    for name, D in (("E8", 0.02), ("E8", 0.05)) + ((("Z1", 0.05),) if ctx.full else ()):
        a = sd_operating_point(name, D, 0.0, n_samples=N, cell_samples=2048, rng=ctx.seed)
        b = pd_operating_point(name, 2 * D, n_samples=N, cell_samples=2048, rng=ctx.seed + 1)
        # distortion-rate products D·2^(2R): equal rates make them the distortions themselves
        r = (b.distortion * 2 ** (2 * b.rate)) / (a.distortion * 2 ** (2 * a.rate))
        se = r * math.sqrt((a.distortion_stderr / a.distortion) ** 2
                           + (b.distortion_stderr / b.distortion) ** 2
                           + (2 * math.log(2)) ** 2 * (a.rate_stderr ** 2 + b.rate_stderr ** 2))
        gap = 0.5 * math.log2(2 * math.pi * math.e * get(name).nsm_reference.value)
        r_model = 0.5 * (a.rate + b.rate) - gap
        ref = 1 + math.sqrt(-math.expm1(-2 * r_model * math.log(2)))
        z = abs(r - ref) / se
        worst = max(worst, z)
        rows.append(f"{name} D={D}: SD R={a.rate:.4f}, D̂={a.distortion:.5f}; PD R={b.rate:.4f}, "
                    f"D̂={b.distortion:.5f}; D_PD/D_SD at equal rate {r:.4f} ± {se:.4f} vs "
                    f"{ref:.4f} ({z:.2f} SE)")
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="; ".join(rows))


@claim("ltc.rate_estimator_converged",
       "The cell-probability rate estimator has converged in its number of cell samples at the "
       "claimed operating points: quadrupling the cell samples moves the rate by less than "
       "2 SE (E8 at (0.5,0), Leech at (0.25,0) and (0.1,0.01))",
       "Lei, Hassani & Saeedi Bidokhti, ICLR 2025 (log-of-mean bias of the cell-probability "
       "Monte Carlo)",
       kind="consistency")
def _converged(ctx):
    worst, rows = 0.0, []
    for name, D, P in (("E8", 0.5, 0.0), ("Leech", 0.25, 0.0), ("Leech", 0.1, 0.01)):
        n = get(name).dimension
        M = _cells(n)
        a = sd_operating_point(name, D, P, n_samples=2000, cell_samples=M, rng=ctx.seed)
        b = sd_operating_point(name, D, P, n_samples=2000, cell_samples=4 * M, rng=ctx.seed)
        # same source samples and dither: the difference is the estimator's M-dependence
        z = abs(a.rate - b.rate) / a.rate_stderr
        worst = max(worst, z)
        rows.append(f"{name} ({D},{P}): M={M}: {a.rate:.5f}, M={4 * M}: {b.rate:.5f}")
    return ClaimResult(value=worst, reference=0.0, tolerance=2.0, comparison="le",
                       details="; ".join(rows))


QSD_RATIOS = (1, 2, 3, 4, 8)


def _qsd_grid(ctx):
    """SD and QSD(Γ) operating points at P = 0 with the Γ-dependent recipe, for the QSD claims
    (cached: the three claims below share them)."""
    key = (ctx.full, ctx.seed)
    if key not in _QSD_CACHE:
        from rdptheory.operating_points import qsd_operating_point
        N = 64_000 if ctx.full else 8_000
        Ds = (0.1, 0.25, 0.5) if ctx.full else (0.1, 0.5)
        grid = {}
        for name in ("E8", "Z8"):
            for D in Ds:
                grid[name, D, "SD"] = sd_operating_point(name, D, 0.0, n_samples=N,
                                                         cell_samples=2048, rng=ctx.seed)
                for g in QSD_RATIOS:
                    grid[name, D, g] = qsd_operating_point(name, D, g, n_samples=N,
                                                           cell_samples=2048, rng=ctx.seed)
        _QSD_CACHE.clear()
        _QSD_CACHE[key] = (Ds, grid)
    return _QSD_CACHE[key]


_QSD_CACHE = {}
_QSD_SRC = (SRC + " (QSD-LTC); recipe: rdptheory.gaussian.qsd_ltc_parameters "
            "(claim gaussian.qsd_ltc.sympy_identities); D(R,R_c): Saldi, Linder & Yüksel 2015, "
            "Wagner 2022")


def _qsd_scan(ctx, score):
    """max |z| over Γ >= 2 of ``score(op, sd) -> (z, text)`` across the QSD grid, and one row
    of texts per (lattice, D) with Γ = 1 reported alongside."""
    Ds, grid = _qsd_grid(ctx)
    worst, rows = 0.0, []
    for name in ("E8", "Z8"):
        for D in Ds:
            sd, parts = grid[name, D, "SD"], []
            for g in QSD_RATIOS:
                z, text = score(grid[name, D, g], sd)
                if g > 1:
                    worst = max(worst, abs(z))
                parts.append(f"Γ={g}: {text}")
            rows.append(f"{name} D={D}: " + ", ".join(parts))
    return worst, rows


@claim("ltc.qsd.realism_preserved",
       "QSD-LTC with the Γ-dependent recipe keeps perfect realism's second moment: the output "
       "variance per dimension equals σ² within 4 SE for Γ = 2, 3, 4, 8 (E8 and Z8; D = 0.1, "
       "0.5, and 0.25 with --full), where the fixed Thm 4.5 gains lost it (0.99 → 0.75 as Γ "
       "grew); Γ = 1 (PD-LTC, asymptotic theorem) is reported, not asserted",
       _QSD_SRC, kind="statistical")
def _qsd_realism(ctx):
    def score(op, sd):
        v, se = op.theory["output_variance"], op.theory["output_variance_stderr"]
        return (v - op.sigma2) / se, f"{v:.4f}±{se:.1g}"

    worst, rows = _qsd_scan(ctx, score)
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="max |z| over Γ ≥ 2; " + "; ".join(rows))


@claim("ltc.qsd.rate_decreases_toward_sd",
       "At fixed target distortion and P = 0, QSD-LTC's rate falls strictly as the nesting "
       "ratio grows through Γ = 1, 2, 3, 4, 8 (each step by more than 2 combined SE) towards "
       "SD-LTC's rate, while the distortion stays at D (E8 and Z8; D = 0.1, 0.5, and 0.25 with "
       "--full)",
       _QSD_SRC, kind="statistical")
def _qsd_monotone(ctx):
    Ds, grid = _qsd_grid(ctx)
    worst, rows = math.inf, []
    for name in ("E8", "Z8"):
        for D in Ds:
            ops = [grid[name, D, g] for g in QSD_RATIOS]
            for a, b in zip(ops, ops[1:]):
                worst = min(worst, (a.rate - b.rate) / math.hypot(a.rate_stderr, b.rate_stderr))
            sd = grid[name, D, "SD"]
            rows.append(f"{name} D={D}: " + " > ".join(f"{o.rate:.4f}" for o in ops) +
                        f" (SD {sd.rate:.4f}); D̂ " + ", ".join(f"{o.distortion:.4f}" for o in ops))
    return ClaimResult(value=worst, reference=2.0, tolerance=0.0, comparison="ge",
                       details="smallest step in SE units; rates for Γ = 1, 2, 3, 4, 8: " +
                               "; ".join(rows))


@claim("ltc.qsd.gap_to_gaussian_curve",
       "QSD-LTC points sit above the jointly Gaussian D(R, R_c) curve (R_c = log2 Γ) by the "
       "same lattice penalty as SD-LTC above R(D, 0): |[R_QSD − R(D̂, R_c)] − [R_SD − R(D̂_SD, 0)]| "
       "<= 4 combined SE for Γ = 2, 3, 4, 8 (E8 and Z8; D = 0.1, 0.5, and 0.25 with --full); "
       "the penalty is about ½log2(2πeG)",
       _QSD_SRC, kind="statistical")
def _qsd_gap(ctx):
    def score(op, sd):
        gap_sd = sd.rate - float(gauss.rdp_perfect_realism(sd.distortion))
        gap = op.rate - op.theory["rate_limited_cr_at_achieved"]
        return ((gap - gap_sd) / math.hypot(op.rate_stderr, sd.rate_stderr),
                f"{gap:.4f} (SD {gap_sd:.4f})")

    worst, rows = _qsd_scan(ctx, score)
    penalties = ", ".join(f"{name} {0.5 * math.log2(2 * math.pi * math.e * get(name).nsm_reference.value):.4f}"
                          for name in ("E8", "Z8"))
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details=f"max |z| over Γ ≥ 2; ½log2(2πeG): {penalties}; gaps in bit: " +
                               "; ".join(rows))


@claim("ltc.sd.perception_within_bounds",
       "SD-LTC's per-dimension perception lies between its analytic bounds P (or (σ−√(σ²−D))² "
       "when perception is inactive) and (√P + (σ−√P)√ln(2πeG))²: exactly for n = 1 (quantile "
       "quadrature), and for E8 and Leech by sliced W2² within 4 total SE",
       SRC + ", perception band derived from the proof of Thm 4.3 (not stated in the "
       "theorem): the output is β(X+U) with U of per-dimension second moment η² and "
       "entropy power 2πeG·η²", kind="statistical")
def _sd_perception(ctx):
    from rdptheory.operating_points import sd_perception
    from rdptheory.perception import sd_ltc_perception_bounds
    worst, rows = -math.inf, []
    cases = [("Z1", 0.5, 0.05), ("Z1", 0.5, 0.0), ("Z1", 0.25, 0.02),
             ("E8", 0.25, 0.02), ("E8", 0.5, 0.05), ("Leech", 0.25, 0.02)]
    for name, D, P in cases:
        n = get(name).dimension
        op = sd_operating_point(name, D, P, n_samples=_n(ctx, n), cell_samples=16,
                                rng=ctx.seed, keep_samples=True)
        v, se, how = sd_perception(op, rng=ctx.seed + 1)
        lo, hi = sd_ltc_perception_bounds(D, P, op.parameters["G"])
        exc = max(float(lo) - v, v - float(hi))
        score = exc / se if se > 0 else (math.inf if exc > 1e-9 else -1.0)
        worst = max(worst, score)
        rows.append(f"{name} ({D},{P}): {v:.5f}" + (f" ± {se:.1g}" if se else "") +
                    f" in [{float(lo):.5f}, {float(hi):.4f}] ({how})")
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="; ".join(rows))
