"""Claims: the papers' competitors computed by the package (issue 16): reverse channel coding
of the Gaussian RDP test channel (RDP paper, Fig. 7a and App. A) against SD-LTC.

Each check is split into a pure ``*_check`` function on measured rows (so negative controls in
``tests/test_negative_baselines.py`` can feed it the rows of a wrong implementation) and the
registered claim that measures the rows.
"""
from __future__ import annotations

import math

from rdptheory.baselines.compare import rcc_side_by_side, sd_ltc_side_by_side
from rdptheory.baselines.rcc import (pfr_entropy_bound, pfr_log_index_bound,
                                     rcc_operating_point)

from .registry import ClaimResult, claim

SRC_RDP = "Lei, Hassani & Saeedi Bidokhti 2025 (arXiv:2503.17558), Fig. 7a and App. A"
SRC_PFR = ("Li & El Gamal 2018, Strong functional representation lemma, IEEE Trans. IT "
           "64(11):6967-6978 (arXiv:1701.02827), Thm 1 and its proof")
N_CANDIDATES = 10_000  # the paper's codebook size


def points(ctx):
    """(D, P) targets: quick (0.5, 0); --full adds (0.35, 0) and (0.25, 0.02)."""
    return ((0.5, 0.0), (0.35, 0.0), (0.25, 0.02)) if ctx.full else ((0.5, 0.0),)


def n_samples(ctx):
    return 4000 if ctx.full else 1000


def rcc_row(ctx, n, D, P):
    return rcc_side_by_side(n, D, P, n_samples=n_samples(ctx), n_candidates=N_CANDIDATES,
                            seed=ctx.seed)


def sd_row(ctx, lattice, D, P):
    return sd_ltc_side_by_side(lattice, D, P, n_samples=n_samples(ctx),
                               cell_samples=2048 if ctx.full else 1024, seed=ctx.seed)


def _z(a, b):
    """(a.rate − b.rate) in combined standard errors."""
    return (a.rate - b.rate) / math.hypot(a.rate_stderr, b.rate_stderr)


def _fmt(r):
    warn = dict(r.extra).get("warning", "")
    return (f"{r.method} n={r.dimension} (D,P)=({r.target_distortion},{r.target_perception}): "
            f"R {r.rate:.4f}±{r.rate_stderr:.4f}, D {r.distortion:.4f}±{r.distortion_stderr:.4f}, "
            f"P {r.perception:.4f}±{r.perception_stderr:.4f}" + (f" [WARNING: {warn}]" if warn
                                                                   else ""))


def block_gain_check(pairs):
    """``pairs`` of (row at n = 1, row at n = 8): the n = 8 rate must be lower by > 4 SE."""
    zs = [_z(a, b) for a, b in pairs]
    return ClaimResult(value=min(zs), reference=4.0, tolerance=0.0, comparison="gt",
                       details="rate drop n=1 -> n=8 in combined SE: " + ", ".join(
                           f"{z:.1f}" for z in zs) + "; " + "; ".join(
                           _fmt(r) for p in pairs for r in p))


def sd_beats_rcc_check(pairs):
    """``pairs`` of (RCC row, SD-LTC row) at the same target and dimension: the RCC rate must
    exceed SD-LTC's by > 4 SE."""
    zs = [_z(rcc, sd) for rcc, sd in pairs]
    return ClaimResult(value=min(zs), reference=4.0, tolerance=0.0, comparison="gt",
                       details="RCC − SD-LTC rate in combined SE: " + ", ".join(
                           f"{z:.1f}" for z in zs) + "; " + "; ".join(
                           _fmt(r) for p in pairs for r in p))


def pfr_bound_check(ops):
    """Every run (an :class:`~rdptheory.baselines.rcc.RCCPoint`) must satisfy the PFR bounds
    E log2 K <= I + log2(e)/e + 1 and E[Zipf length] <= I + log2(I + 1) + 4 (I per block, in
    bits) within 4 SE. Value: the largest excess in SE (<= 4 passes)."""
    worst, rows = -math.inf, []
    for op in ops:
        n = op.dimension
        I = n * op.mutual_information
        b1, b2 = pfr_log_index_bound(I), pfr_entropy_bound(I)
        z1 = (op.log_index - b1) / op.log_index_stderr
        z2 = (n * op.rate_zipf - b2) / (n * op.rate_zipf_stderr)
        worst = max(worst, z1, z2)
        rows.append(f"n={n} D={op.target_distortion} P={op.target_perception}: I={I:.3f} bit, "
                    f"E log2 K {op.log_index:.3f}±{op.log_index_stderr:.3f} <= {b1:.3f}, "
                    f"Zipf {n * op.rate_zipf:.3f}±{n * op.rate_zipf_stderr:.3f} <= {b2:.3f}, "
                    f"plug-in H(K) {n * op.entropy_plugin:.3f}")
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="largest excess over the bound in SE; " + "; ".join(rows))


def fidelity_check(rows):
    """RCC must realize the test channel: distortion within 4 SE of the target D. Value: the
    largest |D̂ − D|/SE."""
    zs = [abs(r.distortion - r.target_distortion) / r.distortion_stderr for r in rows]
    return ClaimResult(value=max(zs), reference=0.0, tolerance=4.0, comparison="le",
                       details="|distortion − D| in SE: " + ", ".join(f"{z:.1f}" for z in zs)
                               + "; " + "; ".join(_fmt(r) for r in rows))


@claim("baselines.rcc.block_gain",
       "Reverse channel coding (PFR, N = 10^4 shared candidates, Zipf-coded index) of the Gaussian "
       "RDP test channel has a lower rate per dimension at n = 8 than at n = 1, by > 4 SE, at "
       "the same (D, P)",
       SRC_RDP + "; " + SRC_PFR, kind="statistical")
def _block_gain(ctx):
    return block_gain_check([(rcc_row(ctx, 1, D, P), rcc_row(ctx, 8, D, P))
                             for D, P in points(ctx)])


@claim("baselines.rcc.sd_ltc_e8_beats_rcc8",
       "At the same target (D, P) and n = 8, SD-LTC with E8 has a lower rate than 8-dimensional "
       "RCC (PFR, N = 10^4, Zipf-coded index) by > 4 SE; measured distortion and perception of "
       "both are listed",
       SRC_RDP, kind="statistical")
def _sd_beats(ctx):
    return sd_beats_rcc_check([(rcc_row(ctx, 8, D, P), sd_row(ctx, "E8", D, P))
                               for D, P in points(ctx)])


@claim("baselines.rcc.pfr_rate_bound",
       "The measured RCC index satisfies the PFR bounds E log2 K <= I + log2(e)/e + 1 and "
       "E[Zipf code length] <= I + log2(I + 1) + 4 bits (I = I(X; X̂) per block), within 4 SE, "
       "for n = 1 and n = 8",
       SRC_PFR, kind="statistical")
def _pfr_bound(ctx):
    ops = []
    for D, P in points(ctx) + ((0.1, 0.0),):
        for n in (1, 8):
            ops.append(rcc_operating_point(n, D, P, n_candidates=N_CANDIDATES,
                                           n_samples=n_samples(ctx) // (4 if n == 8 else 1),
                                           rng=ctx.seed + 7))
    return pfr_bound_check(ops)


@claim("baselines.rcc.channel_fidelity",
       "RCC with N = 10^4 candidates realizes the Gaussian RDP test channel where N is large "
       "against 2^(nR): its distortion is within 4 SE of the target D at (D, P) = (0.5, 0) for "
       "n = 1 and n = 8",
       SRC_PFR + "; Theis & Yosri 2022 (ordered random coding)", kind="statistical")
def _fidelity(ctx):
    return fidelity_check([rcc_row(ctx, n, 0.5, 0.0) for n in (1, 8)])


# --------------------------------------------------------------------------- ECSQ / ECVQ
SRC_LTC = "Lei, Hassani & Saeedi Bidokhti, ICLR 2025 (arXiv 2403.07320), Sec. 4"
SRC_ECVQ = ("Chou, Lookabaugh & Gray 1989, Entropy-constrained vector quantization, IEEE "
            "Trans. ASSP 37(1):31-42")


def ecvq_run(ctx, n, lam, seed_offset=0):
    from rdptheory.baselines.ecvq import ecvq_study
    return ecvq_study(n, lam, full=ctx.full, seed=ctx.seed + seed_offset)


def ltc_evaluation(ctx, lattice, n, lam, **overrides):
    from rdptheory.ltc.experiments import preset, run_experiment
    return run_experiment(preset(lattice, n, lam, full=ctx.full, **overrides),
                          seed=ctx.seed).evaluation


def gap_match_check(pairs, k=4.0):
    """``pairs`` of (label, evaluation A, evaluation B), each with ``gap_bits``/``gap_stderr``:
    the gaps must agree within k combined SE. Value: the largest |Δgap|/SE."""
    worst, rows = 0.0, []
    for label, a, b in pairs:
        z = abs(a.gap_bits - b.gap_bits) / math.hypot(a.gap_stderr, b.gap_stderr)
        worst = max(worst, z)
        rows.append(f"{label}: {a.gap_bits:.4f}±{a.gap_stderr:.4f} (R {a.rate:.3f}) vs "
                    f"{b.gap_bits:.4f}±{b.gap_stderr:.4f} (R {b.rate:.3f}), {z:.1f} SE")
    return ClaimResult(value=worst, reference=0.0, tolerance=k, comparison="le",
                       details="largest |Δ gap| in combined SE; " + "; ".join(rows))


class _Exact:
    """An exact ECSQ point dressed as an evaluation (SE 0)."""

    def __init__(self, p):
        self.gap_bits, self.gap_stderr, self.rate = p.gap, 0.0, p.rate


@claim("baselines.ecsq.ecvq1_matches_exact_ecsq",
       "Entropy-constrained Lloyd at n = 1 (free thresholds and levels) reaches the gap of exact "
       "uniform ECSQ at the same rate (quadrature, rdptheory.ltc.ecsq) within 4 SE at λ = 2.4 "
       "and 8 (R ≈ 1 and 2 bit)",
       SRC_ECVQ + "; exact ECSQ sums", kind="independent")
def _ecvq1(ctx):
    from rdptheory.ltc.ecsq import ecsq_linear_at_rate
    pairs = []
    for lam in (2.4, 8.0):
        ev = ecvq_run(ctx, 1, lam)[1]
        pairs.append((f"λ={lam} ECVQ₁ vs ECSQ", ev, _Exact(ecsq_linear_at_rate(ev.rate))))
    return gap_match_check(pairs)


@claim("baselines.ecvq.ltc_a2_matches_ecvq2",
       "LTC with A2 matches the trained 2-D ECVQ (entropy-constrained Lloyd, best of 4-8 "
       "restarts): held-out gaps to R(D) agree within 4 combined SE at λ = 2.4 (R ≈ 1; "
       "--full adds λ = 8, R ≈ 2)",
       SRC_LTC + "; " + SRC_ECVQ, kind="statistical")
def _a2(ctx):
    lams = (2.4, 8.0) if ctx.full else (2.4,)
    return gap_match_check([(f"λ={lam} LTC-A2 vs ECVQ₂", ltc_evaluation(ctx, "A2", 2, lam),
                             ecvq_run(ctx, 2, lam)[1]) for lam in lams])


def no_worse_check(pairs, k=4.0):
    """``pairs`` of (label, evaluation A, evaluation B): A's gap must not exceed B's by more
    than k combined SE. Value: the largest (gap_A − gap_B)/SE."""
    worst, rows = -math.inf, []
    for label, a, b in pairs:
        z = (a.gap_bits - b.gap_bits) / math.hypot(a.gap_stderr, b.gap_stderr)
        worst = max(worst, z)
        rows.append(f"{label}: {a.gap_bits:.4f}±{a.gap_stderr:.4f} (R {a.rate:.3f}) vs "
                    f"{b.gap_bits:.4f}±{b.gap_stderr:.4f} (R {b.rate:.3f}), {z:+.1f} SE")
    return ClaimResult(value=worst, reference=0.0, tolerance=k, comparison="le",
                       details="largest (gap LTC − gap ECVQ) in combined SE; " + "; ".join(rows))


@claim("baselines.ecvq.ltc_d4_no_worse_than_ecvq4",
       "LTC with D4* is at least as good as the trained 4-D ECVQ (entropy-constrained Lloyd, "
       "best of 2 restarts on 40,000 blocks): its held-out gap exceeds ECVQ₄'s by no more than "
       "4 combined SE at λ = 2.4 and 8 (R ≈ 1 and 2). One-sided: at R ≈ 2 Lloyd's ECVQ₄ is "
       "0.04 bit worse than LTC-D4* (docs/baselines.md), so a two-sided match fails there",
       SRC_LTC + "; " + SRC_ECVQ, cost="full", kind="statistical")
def _d4(ctx):
    return no_worse_check([(f"λ={lam} LTC-D4* vs ECVQ₄", ltc_evaluation(ctx, "D4*", 4, lam),
                            ecvq_run(ctx, 4, lam)[1]) for lam in (2.4, 8.0)])


@claim("baselines.ecvq.restarts_stable",
       "The trained ECVQ is stable to within its standard error: two independent trainings "
       "(new data, new initializations, each best of its restarts) have held-out gaps within 4 "
       "combined SE, for n = 2 at λ = 2.4 and 8 and n = 4 at λ = 2.4",
       SRC_ECVQ, cost="full", kind="statistical")
def _stable(ctx):
    cases = ((2, 2.4), (2, 8.0), (4, 2.4))
    return gap_match_check([(f"n={n} λ={lam} seed A vs B", ecvq_run(ctx, n, lam)[1],
                             ecvq_run(ctx, n, lam, seed_offset=1)[1]) for n, lam in cases])


@claim("baselines.ntc_mlp.no_block_gain",
       "NTC with MLP transforms (hidden (16, 16), softplus, linear skip) recovers ECSQ and does "
       "not gain from the block length: at λ = 2.4 and 8 the held-out gap at n = 1, 2 and 8 is "
       "no smaller than that of exact uniform ECSQ at the same rate by more than 4 SE",
       SRC_LTC + "; exact ECSQ sums", cost="full", kind="statistical")
def _ntc_mlp(ctx):
    return ntc_no_gain_check(ctx, ("Z1", "Z2", "Z8"), (2.4, 8.0))


def ntc_no_gain_check(ctx, lattices, lams, evaluate=None):
    """The gap of each NTC run minus the exact uniform-ECSQ gap at its rate, in SE; value the
    smallest (>= −4 passes). ``evaluate(lattice, n, lam)`` defaults to MLP-NTC training."""
    from rdptheory.ltc.ecsq import ecsq_linear_at_rate
    if evaluate is None:
        def evaluate(lat, n, lam):
            return ltc_evaluation(ctx, lat, n, lam, transform="mlp", hidden=(16, 16))
    worst, rows = math.inf, []
    for lam in lams:
        for lat in lattices:
            n = int(lat[1:])
            ev = evaluate(lat, n, lam)
            ref = ecsq_linear_at_rate(ev.rate)
            z = (ev.gap_bits - ref.gap) / ev.gap_stderr
            worst = min(worst, z)
            rows.append(f"λ={lam} NTC n={n}: R {ev.rate:.4f}, gap {ev.gap_bits:.4f}±"
                        f"{ev.gap_stderr:.4f} vs ECSQ {ref.gap:.4f} ({z:+.1f} SE)")
    return ClaimResult(value=worst, reference=-4.0, tolerance=0.0, comparison="ge",
                       details="smallest (gap − ECSQ gap)/SE; " + "; ".join(rows))


# --------------------------------------------------------------------------- Fig. 11
FIG11_LATTICES = ("Z16", "D16*", "BW16")


def fig11_rates(ctx, D, P=0.0):
    """SD-LTC operating points of Z16, D16*, BW16 at (D, P), common source stream."""
    from rdptheory.baselines.compare import sd_ltc_point
    ns, cells = (4000, 16_384) if ctx.full else (1000, 4096)
    return [sd_ltc_point(lat, D, P, n_samples=ns, cell_samples=cells, seed=ctx.seed)
            for lat in FIG11_LATTICES]


def nsm_order_check(ops, k=4.0):
    """Operating points listed in decreasing NSM order must have strictly decreasing rates,
    each step by more than k combined SE. Value: the smallest step in SE."""
    worst, rows = math.inf, []
    for a, b in zip(ops, ops[1:]):
        z = (a.rate - b.rate) / math.hypot(a.rate_stderr, b.rate_stderr)
        worst = min(worst, z)
        rows.append(f"D={a.target_distortion}: {a.lattice} (G {a.parameters['G']:.5f}) "
                    f"{a.rate:.4f}±{a.rate_stderr:.4f} > {b.lattice} (G "
                    f"{b.parameters['G']:.5f}) {b.rate:.4f}±{b.rate_stderr:.4f} ({z:.1f} SE)")
    return ClaimResult(value=worst, reference=k, tolerance=0.0, comparison="gt",
                       details="smallest rate step in combined SE; " + "; ".join(rows))


@claim("baselines.fig11.sd_ltc_rate_follows_nsm",
       "Fig. 11: SD-LTC in dimension 16 with Z16, D16* and Barnes-Wall BW16 (G = 1/12 > "
       "0.07513 (exact, Irwin-Hall form) > 0.06830) has rates in the same order at D = 0.1, "
       "P = 0, each step by > 4 combined SE (--full adds D = 0.05 and (0.2, 0.02))",
       "Lei, Hassani & Saeedi Bidokhti 2025 (arXiv:2503.17558), Fig. 11; Conway & Sloane "
       "1982 (G of D_n*)", kind="statistical")
def _fig11(ctx):
    pts = ((0.05, 0.0), (0.1, 0.0), (0.2, 0.02)) if ctx.full else ((0.1, 0.0),)
    results = [nsm_order_check(fig11_rates(ctx, D, P)) for D, P in pts]
    worst = min(results, key=lambda r: r.value)
    return ClaimResult(value=worst.value, reference=4.0, tolerance=0.0, comparison="gt",
                       details=" | ".join(r.details for r in results))


# --------------------------------------------------------------------------- Fig. 7b
SRC_7B = "Lei, Hassani & Saeedi Bidokhti 2025 (arXiv:2503.17558), Fig. 7b"


def fig7b_run(ctx, kind, lam, mu):
    from rdptheory.baselines.deterministic import run_perception_ntc
    steps, batch = (400, 512) if ctx.full else (150, 256)
    return run_perception_ntc(kind, "Z1", lam, mu, steps=steps, batch_size=batch,
                              eval_samples=10_000, seed=ctx.seed)


def fig7b_mus(ctx):
    return (10.0, 1000.0) if ctx.full else (1000.0,)


def perception_floor_check(evs, sigma2=1.0):
    """Deterministic scalar coders: perception >= σ²2^(−2R) (= D(R)) within 4 SE, the SE
    combining the perception's and, through the slope 2 ln2·2^(−2R), the rate's. Value: the
    smallest (P − D(R))/SE."""
    worst, rows = math.inf, []
    for ev in evs:
        floor = sigma2 * 2.0 ** (-2.0 * ev.rate)
        se = math.hypot(ev.perception_stderr, 2 * math.log(2) * floor * ev.rate_stderr)
        z = (ev.perception - floor) / se
        worst = min(worst, z)
        rows.append(f"R {ev.rate:.4f}±{ev.rate_stderr:.4f}, D {ev.distortion:.4f}, P "
                    f"{ev.perception:.4f}±{ev.perception_stderr:.4f} vs σ²2^(−2R) {floor:.4f} "
                    f"({z:+.1f} SE)")
    return ClaimResult(value=worst, reference=-4.0, tolerance=0.0, comparison="ge",
                       details="smallest (P − σ²2^(−2R))/SE; " + "; ".join(rows))


@claim("baselines.fig7b.deterministic_perception_floor",
       "Fig. 7b: deterministic NTC (n = 1, no dither) trained on rate + λD + μ·SW₂² cannot lower "
       "its perception below D(R) = σ²2^(−2R) whatever μ (W₂² of a monotone scalar map equals "
       "its MSE): at λ = 0.5 (R < 0.2 bit) the measured P is >= σ²2^(−2R) within 4 SE for "
       "μ = 1000 (--full: μ = 10 and 1000, and λ = 8)",
       SRC_7B + "; Shannon D(R) bound", kind="property")
def _fig7b_floor(ctx):
    lams = (0.5, 8.0) if ctx.full else (0.5,)
    return perception_floor_check([fig7b_run(ctx, "deterministic", lam, mu)
                                   for lam in lams for mu in fig7b_mus(ctx)])


@claim("baselines.fig7b.sd_ntc_beats_deterministic_at_low_rate",
       "Fig. 7b: at low rate (λ = 0.5) SD-NTC (shared dither, n = 1) trained with the same "
       "perception weight μ = 1000 reaches a perception lower than deterministic NTC's by > 4 "
       "combined SE (--full also μ = 10)",
       SRC_7B, kind="statistical")
def _fig7b_sd(ctx):
    worst, rows = math.inf, []
    for mu in fig7b_mus(ctx):
        det, sd = fig7b_run(ctx, "deterministic", 0.5, mu), fig7b_run(ctx, "sd", 0.5, mu)
        z = (det.perception - sd.perception) / math.hypot(det.perception_stderr,
                                                           sd.perception_stderr)
        worst = min(worst, z)
        rows.append(f"μ={mu}: deterministic R {det.rate:.3f} D {det.distortion:.3f} P "
                    f"{det.perception:.4f}±{det.perception_stderr:.4f}; SD R {sd.rate:.3f} D "
                    f"{sd.distortion:.3f} P {sd.perception:.4f}±{sd.perception_stderr:.4f} "
                    f"({z:.1f} SE)")
    return ClaimResult(value=worst, reference=4.0, tolerance=0.0, comparison="gt",
                       details="; ".join(rows))


# --------------------------------------------------------------------------- Fig. 12
#: The stated amount of the Fig. 12 claim (bit): our tolerance, not a number from the paper.
FIG12_TOLERANCE = 0.25


def fig12_excess(ev):
    """Held-out rate minus R(D/2, ∞) at the achieved distortion (the no-common-randomness
    limit PD-NTC is compared with), and its SE (rate SE and the slope 1/(2 ln2 D) times the
    distortion SE)."""
    x = ev.rate - ev.rate_no_common_randomness
    se = math.hypot(ev.rate_stderr, ev.distortion_stderr / (2 * math.log(2) * ev.distortion))
    return x, se


def proxy_agreement_check(pairs, tol=FIG12_TOLERANCE):
    """``pairs`` of (label, STE evaluation, noisy-proxy evaluation): the excess rates over
    R(D/2, ∞) must differ by at most ``tol`` bit beyond 4 combined SE. Value: the largest
    max(|Δ| − 4 SE, 0)."""
    worst, rows = 0.0, []
    for label, a, b in pairs:
        (xa, sa), (xb, sb) = fig12_excess(a), fig12_excess(b)
        d = abs(xa - xb)
        worst = max(worst, max(d - 4 * math.hypot(sa, sb), 0.0))
        rows.append(f"{label}: STE R {a.rate:.3f} D {a.distortion:.3f} P {a.perception:.4f} "
                    f"excess {xa:.3f}±{sa:.3f}; noise R {b.rate:.3f} D {b.distortion:.3f} P "
                    f"{b.perception:.4f} excess {xb:.3f}±{sb:.3f}; |Δ| {d:.3f}")
    return ClaimResult(value=worst, reference=0.0, tolerance=tol, comparison="le",
                       details="largest |Δ excess| beyond 4 SE (bit); " + "; ".join(rows))


@claim("baselines.fig12.ste_vs_noisy_proxy",
       "Fig. 12: PD-NTC (n = 1, private dither, μ = 400) trained with the straight-through "
       "estimator and with the additive-noise proxy lands at the same distance above R(D/2, ∞): "
       "at λ = 4 (R ≈ 1.2, P ≈ 0.01) the two excess rates differ by at most 0.25 bit beyond "
       "4 combined SE (0.25 bit is our stated amount, not the paper's)",
       "Lei, Hassani & Saeedi Bidokhti 2025 (arXiv:2503.17558), Fig. 12", cost="full",
       kind="statistical")
def _fig12(ctx):
    from rdptheory.baselines.deterministic import run_perception_ntc

    def run(kind):
        return run_perception_ntc(kind, "Z1", 4.0, 400.0, steps=300, batch_size=512,
                                  eval_samples=10_000, seed=ctx.seed)
    return proxy_agreement_check([("λ=4", run("pd"), run("pd-noise"))])
