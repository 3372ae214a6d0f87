"""The competitors of the papers, computed by the package (issue 16): reverse channel coding
(PFR) against SD-LTC on the Gaussian source (the analogue of Fig. 7a of Lei, Hassani &
Saeedi Bidokhti 2025)."""
from __future__ import annotations

import numpy as np

from .. import gaussian as g
from ..baselines.compare import rcc_side_by_side, sd_ltc_side_by_side
from ._registry import FigureResult, figure
from .style import COLORS, new_figure

COLUMNS = ("method", "n", "target_D", "target_P", "rate", "rate_se", "distortion",
           "distortion_se", "perception", "perception_se", "seconds_per_block", "R_DP")
#: method key -> (marker, colour, filled)
_STYLE = {("RCC", 1): ("^", "tab:orange", False), ("RCC", 8): ("^", "tab:orange", True),
          ("SD", 1): ("o", COLORS["SD"], False), ("SD", 8): ("o", COLORS["SD"], True)}


@figure("rcc_vs_sd_ltc",
        "Fig. 7a analogue: reverse channel coding (PFR) vs SD-LTC at perfect realism",
        "Left: rate per dimension vs target distortion at P = 0 on i.i.d. N(0, 1): reverse "
        "channel coding of the optimal test channel by the Poisson functional representation "
        "with N = 10⁴ shared candidates and a Zipf-coded index (triangles; n = 1 open, n = 8 "
        "filled; rdptheory.baselines.rcc) and SD-LTC with Z (open circles) and E8 (filled), "
        "±2 SE bars, against R(D, 0). Right: wall time per source block of each coder at "
        "D = 0.5 (log scale; RCC: codebook draw + selection, SD-LTC: dither + quantize + "
        "decode). What to look for: RCC's index-coding overhead (≈ log₂(I+1) + 2.5 bit per "
        "block) shrinks per dimension from n = 1 to n = 8, but SD-LTC E8 stays below RCC at "
        "n = 8 while costing far less time. Quick: D = 0.5, 1,000 blocks per point; --full: "
        "4,000 blocks at D = 0.25, 0.35, 0.5, 0.7, 1.0; the CSV lists measured distortion "
        "and sliced-W2² perception of every point.")
def rcc_vs_sd_ltc(context):
    ns = 4000 if context.full else 1000
    targets = (0.25, 0.35, 0.5, 0.7, 1.0) if context.full else (0.5,)
    cells = 2048 if context.full else 1024
    rows, keys = [], []
    for D in targets:
        context.report(f"D = {D}")
        for n in (1, 8):
            r = rcc_side_by_side(n, D, 0.0, n_samples=ns, n_candidates=10_000,
                                 seed=context.seed)
            rows.append(r)
            keys.append(("RCC", n))
        for lat, n in (("Z1", 1), ("E8", 8)):
            rows.append(sd_ltc_side_by_side(lat, D, 0.0, n_samples=ns, cell_samples=cells,
                                            seed=context.seed))
            keys.append(("SD", n))
    fig, (ax, bx) = new_figure(1, 2, size=(10.0, 4.4))
    Dg = np.linspace(0.2, 1.1, 300)
    ax.plot(Dg, g.rdp_perfect_realism(Dg), "k-", lw=1.6, label="R(D, 0)")
    for key, r in zip(keys, rows):
        m, c, filled = _STYLE[key]
        ax.errorbar(r.target_distortion, r.rate, yerr=2 * r.rate_stderr, fmt=m, color=c,
                    mfc=c if filled else "white", ms=6, capsize=2)
    for key, (m, c, filled) in _STYLE.items():
        coder = ("RCC (PFR, N=10⁴)" if key[0] == "RCC"
                 else "SD-LTC " + ("E8" if key[1] == 8 else "Z"))
        label = f"{coder} n={key[1]}"
        ax.plot([], [], m, color=c, mfc=c if filled else "white", label=label)
    ax.set(xlabel="target distortion D (P = 0)", ylabel="rate (bits per dimension)",
           title="Rate at perfect realism, i.i.d. N(0,1); ±2 SE")
    ax.legend(loc="upper right")
    at = [(k, r) for k, r in zip(keys, rows) if r.target_distortion == 0.5]
    names = [f"{r.method.split(' (')[0]}\nn={r.dimension}" for _, r in at]
    bx.bar(range(len(at)), [r.seconds_per_block * 1e6 for _, r in at],
           color=[_STYLE[k][1] for k, _ in at])
    bx.set_xticks(range(len(at)), names)
    bx.set(yscale="log", ylabel="µs per source block", title="Coder wall time at D = 0.5")
    out = tuple((r.method, r.dimension, r.target_distortion, r.target_perception, r.rate,
                 r.rate_stderr, r.distortion, r.distortion_stderr, r.perception,
                 r.perception_stderr, r.seconds_per_block, r.rate_rdp) for r in rows)
    return FigureResult(fig, COLUMNS, out)


ECVQ_COLUMNS = ("method", "n", "lam", "rate", "rate_se", "distortion", "gap_bits", "gap_se")


@figure("ecsq_ecvq_vs_ltc",
        "ECSQ, trained ECVQ and LTC: gap to R(D) vs rate on N(0, 1)",
        "Gap R − R(D) (bits per dimension) against rate. Black curve: exact uniform ECSQ "
        "(MSE-optimal levels) by quadrature over a rate sweep (rdptheory.ltc.ecsq). Squares: "
        "ECVQ trained by entropy-constrained Lloyd (Chou, Lookabaugh & Gray 1989; "
        "rdptheory.baselines.ecvq) at n = 1 (grey), 2 (blue) and, with --full, 4 (pink), best of "
        "its restarts, held-out ±2 SE. Circles: LTC with A2 and (--full) D4* trained in numpy "
        "(rdptheory.ltc) at the same λ. Dashed: the high-rate gaps ½log₂(2πeG) of Z, A2, D4*. "
        "What to look for: ECVQ₁ on the ECSQ curve; LTC-A2 on ECVQ₂ and LTC-D4* on ECVQ₄ "
        "within their error bars. Quick: λ = 2.4 (R ≈ 1) only; --full adds λ = 8 (R ≈ 2).")
def ecsq_ecvq_vs_ltc(context):
    from ..baselines.ecvq import ecvq_study
    from ..lattices import get
    from ..ltc.ecsq import ecsq_linear_at_rate
    from ..ltc.experiments import preset, run_experiment
    lams = (2.4, 8.0) if context.full else (2.4,)
    ns = (1, 2, 4) if context.full else (1, 2)
    rows = []
    for lam in lams:
        for n in ns:
            context.report(f"ECVQ n={n} λ={lam}")
            ev = ecvq_study(n, lam, full=context.full, seed=context.seed)[1]
            rows.append(("ECVQ", n, lam, ev.rate, ev.rate_stderr, ev.distortion, ev.gap_bits,
                         ev.gap_stderr))
        for lat, n in (("A2", 2), ("D4*", 4))[: 2 if context.full else 1]:
            context.report(f"LTC {lat} λ={lam}")
            ev = run_experiment(preset(lat, n, lam, full=context.full),
                                seed=context.seed).evaluation
            rows.append((f"LTC {lat}", n, lam, ev.rate, ev.rate_stderr, ev.distortion,
                         ev.gap_bits, ev.gap_stderr))
    grid = np.linspace(0.3, 2.6, 40 if context.full else 16)
    curve = [ecsq_linear_at_rate(r) for r in grid]
    rows += [("ECSQ exact", 1, float("nan"), p.rate, 0.0, p.distortion, p.gap, 0.0)
             for p in curve]
    fig, ax = new_figure(size=(7.0, 4.6))
    ax.plot(grid, [p.gap for p in curve], "k-", lw=1.6, label="uniform ECSQ (exact)")
    colors = {1: "tab:gray", 2: COLORS["A"], 4: COLORS["D*"]}
    for name, lab in (("Z1", "Z"), ("A2", "A2"), ("D4*", "D4*")):
        G = get(name).nsm_reference.value
        ax.axhline(0.5 * np.log2(2 * np.pi * np.e * G), ls="--", lw=0.9,
                   color=colors[get(name).dimension], label=f"½log₂(2πeG({lab}))")
    for r in rows:
        if r[0] == "ECSQ exact":
            continue
        m = "s" if r[0] == "ECVQ" else "o"
        c = colors[r[1]]
        ax.errorbar(r[3], r[6], xerr=2 * r[4], yerr=2 * r[7], fmt=m, color=c,
                    mfc="white" if r[0] == "ECVQ" else c, ms=7, capsize=2)
    for n in ns:
        ax.plot([], [], "s", color=colors[n], mfc="white", label=f"ECVQ n={n}")
    ax.plot([], [], "o", color=colors[2], label="LTC A2")
    if context.full:
        ax.plot([], [], "o", color=colors[4], label="LTC D4*")
    ax.set(xlabel="rate (bits per dimension)", ylabel="gap R − R(D) (bits)",
           title="Entropy-coded quantizers of N(0,1); ±2 SE", ylim=(0.1, 0.3))
    ax.legend(loc="lower right", ncol=2)
    return FigureResult(fig, ECVQ_COLUMNS, rows)


@figure("fig11_sd_ltc_nsm_order",
        "Fig. 11 analogue: SD-LTC in dimension 16 with Z16, D16* and BW16",
        "Rate of SD-LTC (shared dither, Thm 4.3 parameters) minus R(D, 0) at perfect realism on "
        "i.i.d. N(0, 1) blocks of 16, for Z16 (grey), D16* (pink) and Barnes–Wall BW16 "
        "(orange), ±2 SE, with the lattice penalties ½log₂(2πeG) dashed (G(D16*) exact from "
        "the Irwin–Hall form, G(BW16) = 0.0682976). What to look for: the three lattices in "
        "the order of their NSMs at every distortion, each just below its penalty. 1,000 blocks "
        "and 4,096 cell samples at D = 0.1, 0.2 (quick); 4,000 and 16,384 at D = 0.05, 0.1, "
        "0.2 with --full.")
def fig11_sd_ltc_nsm_order(context):
    from ..baselines.compare import sd_ltc_point
    from ..lattices import get
    ns, cells = (4000, 16_384) if context.full else (1000, 4096)
    targets = (0.05, 0.1, 0.2) if context.full else (0.1, 0.2)
    colors = {"Z16": COLORS["Z"], "D16*": COLORS["D*"], "BW16": COLORS["BW"]}
    rows = []
    for D in targets:
        context.report(f"D = {D}")
        for lat in colors:
            op = sd_ltc_point(lat, D, 0.0, n_samples=ns, cell_samples=cells, seed=context.seed)
            R = float(g.rdp(D, 0.0))
            rows.append((lat, D, op.rate, op.rate_stderr, R, op.rate - R,
                         op.parameters["G"]))
    fig, ax = new_figure(size=(6.5, 4.4))
    for lat, c in colors.items():
        pts = [r for r in rows if r[0] == lat]
        ax.errorbar([r[1] for r in pts], [r[5] for r in pts], yerr=[2 * r[3] for r in pts],
                    fmt="o-", color=c, capsize=2, label=f"{lat} (G = {pts[0][6]:.5f})")
        ax.axhline(0.5 * np.log2(2 * np.pi * np.e * get(lat).nsm_reference.value), ls="--",
                   lw=0.9, color=c)
    ax.set(xlabel="distortion D (P = 0)", ylabel="rate − R(D, 0) (bits per dimension)",
           title="SD-LTC, n = 16; dashed: ½log₂(2πeG); ±2 SE")
    ax.legend(loc="best")
    return FigureResult(fig, ("lattice", "D", "rate", "rate_se", "R_D0", "gap", "G"), rows)


@figure("fig7b_deterministic_ntc",
        "Fig. 7b analogue: deterministic NTC vs SD-NTC under a perception penalty (n = 1)",
        "Perception (sliced W₂² = W₂² in one dimension, held-out, ±2 SE) against rate for NTC "
        "on N(0, 1) trained on rate + λD + μ·W₂² with no dither (deterministic, squares) and "
        "with a shared dither (SD-NTC, circles; rdptheory.baselines.deterministic, "
        "rdptheory.ltc.dithered), μ = 1000 filled, μ = 10 open (--full). Black curve: "
        "σ²2^(−2R), the floor of every deterministic scalar coder (its W₂² equals its MSE, at "
        "least D(R)). What to look for: at low rate the deterministic coder stays on or above "
        "the floor however large μ, while SD-NTC reaches a small perception. Quick: λ = 0.5 "
        "only (150 steps); --full: λ = 0.5, 2, 8 and μ = 10, 1000 (400 steps).")
def fig7b_deterministic_ntc(context):
    from ..baselines.deterministic import run_perception_ntc
    steps, batch = (400, 512) if context.full else (150, 256)
    lams = (0.5, 2.0, 8.0) if context.full else (0.5,)
    mus = (10.0, 1000.0) if context.full else (1000.0,)
    rows = []
    for lam in lams:
        for mu in mus:
            for kind in ("deterministic", "sd"):
                context.report(f"{kind} λ={lam} μ={mu}")
                ev = run_perception_ntc(kind, "Z1", lam, mu, steps=steps, batch_size=batch,
                                        eval_samples=10_000, seed=context.seed)
                rows.append((kind, lam, mu, ev.rate, ev.rate_stderr, ev.distortion,
                             ev.perception, ev.perception_stderr))
    fig, ax = new_figure(size=(6.5, 4.4))
    Rg = np.linspace(0.0, max(2.2, max(r[3] for r in rows) + 0.2), 200)
    ax.plot(Rg, 2.0 ** (-2.0 * Rg), "k-", lw=1.4, label="σ²2^(−2R) (deterministic floor)")
    for r in rows:
        c = COLORS["NTC"] if r[0] == "deterministic" else COLORS["SD"]
        m = "s" if r[0] == "deterministic" else "o"
        ax.errorbar(r[3], r[6], xerr=2 * r[4], yerr=2 * r[7], fmt=m, color=c,
                    mfc=c if r[2] >= 1000 else "white", ms=7, capsize=2)
    ax.plot([], [], "s", color=COLORS["NTC"], label="deterministic NTC")
    ax.plot([], [], "o", color=COLORS["SD"], label="SD-NTC")
    ax.set(xlabel="rate (bits per sample)", ylabel="perception W₂² (per dimension)",
           title="Perception-penalized NTC, n = 1, N(0,1); ±2 SE")
    ax.legend(loc="upper right")
    return FigureResult(fig, ("kind", "lam", "mu", "rate", "rate_se", "distortion",
                              "perception", "perception_se"), rows)


@figure("fig12_ste_vs_noisy_proxy",
        "Fig. 12 analogue: PD-NTC trained with the straight-through estimator vs the noise proxy",
        "Held-out (distortion, rate) of PD-NTC (n = 1, private dither, λ = 4, μ = 400, 300 Adam "
        "steps) on N(0, 1) trained with the straight-through estimator (red) and with the "
        "additive-noise proxy (purple; rdptheory.baselines.deterministic.NoisyProxyPD), ±2 SE, "
        "against R(D/2, ∞) (no common randomness, dashed) and R(D, 0) (solid). The CSV gives "
        "each model's perception and its excess rate over R(D/2, ∞). What to look for: how far "
        "the two proxies land from each other (claim baselines.fig12.ste_vs_noisy_proxy).",
        cost="full")
def fig12_ste_vs_noisy_proxy(context):
    from ..baselines.deterministic import run_perception_ntc
    rows = []
    for kind, label in (("pd", "straight-through"), ("pd-noise", "additive noise")):
        context.report(label)
        ev = run_perception_ntc(kind, "Z1", 4.0, 400.0, steps=300, batch_size=512,
                                eval_samples=10_000, seed=context.seed)
        rows.append((label, ev.rate, ev.rate_stderr, ev.distortion, ev.distortion_stderr,
                     ev.perception, ev.perception_stderr,
                     ev.rate - ev.rate_no_common_randomness))
    fig, ax = new_figure(size=(6.5, 4.4))
    Dg = np.linspace(0.2, 1.2, 300)
    ax.plot(Dg, g.rate_no_common_randomness(Dg), "k--", label="R(D/2, ∞)")
    ax.plot(Dg, g.rdp_perfect_realism(Dg), "k-", label="R(D, 0)")
    for r, c in zip(rows, (COLORS["PD"], COLORS["QSD3"])):
        ax.errorbar(r[3], r[1], xerr=2 * r[4], yerr=2 * r[2], fmt="o", color=c, capsize=2,
                    label=f"PD-NTC, {r[0]} (P = {r[5]:.4f})")
    ax.set(xlabel="distortion (MSE)", ylabel="rate (bits per sample)",
           title="PD-NTC, n = 1, λ = 4, μ = 400; ±2 SE")
    ax.legend(loc="upper right")
    return FigureResult(fig, ("proxy", "rate", "rate_se", "distortion", "distortion_se",
                              "perception", "perception_se", "excess_over_R_D2_inf"), rows)


@figure("banana_block_ltc",
        "Block LTC on i.i.d. banana samples: one-shot NTC/LTC vs E8 over 4 samples and Leech "
        "over 12, with R(D)",
        "Held-out (distortion, rate) per coordinate (±2 SE) of coders trained on the 2-D banana "
        "source of Ballé et al. (2021) at λ = 8 (2000 Adam steps, one seed; "
        "rdptheory.baselines.banana): one-shot NTC with Z2 (square), one-shot LTC with A2 "
        "(hexagon), block LTC with E8 over k = 4 samples (star) and with the Leech lattice over "
        "k = 12 samples (diamond; per-sample MLPs shared, one 8-D or 24-D lattice). Curves: the "
        "banana's Shannon lower bound (dashed, exact differential entropy) and an achievable "
        "upper bound on R(D) (solid: Blahut–Arimoto on a 96 × 96 grid lifted to an exact "
        "continuous scheme, rdptheory.bounds.rate_distortion_2d); R(D) lies between them. What "
        "to look for: the block coders sit below the one-shot ones at a similar distortion "
        "(claims baselines.banana.block_ltc_gains_over_one_shot and "
        "baselines.banana.block_leech_gains_over_one_shot), and all stay far above R(D) (at "
        "least 0.22 bit): the numpy training here is short, and the one-shot NTC varies "
        "strongly from seed to seed. The solid curve is flat beyond the largest distortion "
        "the bracket was computed for (a clamp, not a property of R(D)).",
        cost="full")
def banana_block_ltc(context):
    from ..baselines import banana
    rows = []
    for name, k, label in banana.CODERS:
        context.report(label)
        ev = banana.run_banana_coder(name, k, 8.0, steps=2000, seed=context.seed)
        rows.append([label, k, ev.rate, ev.rate_stderr, ev.distortion, ev.distortion_stderr,
                     ev.gap_bits, ev.gap_stderr])
    Ds = [r[4] for r in rows]
    rd = banana.banana_rate_distortion(min(Ds), n=96)
    rows = [(*r, r[2] - rd.upper_at(r[4])) for r in rows]
    Dg = np.linspace(0.8 * min(Ds), 1.25 * max(Ds), 60)
    from ..ltc import get_source
    slb = get_source("banana").reference_rate(Dg)
    upper = [rd.upper_at(d) for d in Dg]
    fig, ax = new_figure(size=(6.5, 4.4))
    ax.plot(Dg, slb, "k--", lw=1.2, label="Shannon lower bound")
    ax.plot(Dg, upper, "k-", lw=1.2, label="achievable (lifted Blahut–Arimoto)")
    for (label, k, R, Rse, D, Dse, *_), m in zip(rows, ("s", "h", "*", "D")):
        ax.errorbar(D, R, xerr=2 * Dse, yerr=2 * Rse, fmt=m, ms=9, capsize=2, label=label)
    ax.set(xlabel="distortion (MSE per coordinate)", ylabel="rate (bits per coordinate)",
           title="Banana source, λ = 8")
    ax.legend(loc="upper right")
    return FigureResult(fig, ("coder", "k", "rate", "rate_se", "distortion", "distortion_se",
                              "gap_to_slb", "gap_to_slb_se", "gap_to_rd_at_least"), rows)
