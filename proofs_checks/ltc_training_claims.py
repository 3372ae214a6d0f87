"""Claims: NTC vs LTC trained in numpy on i.i.d. sources (issue 6).

Each claim trains models with :mod:`rdptheory.ltc` (cached per process by
:func:`rdptheory.ltc.experiments.run_experiment`, shared with the figures) and evaluates them
on held-out data with hard quantization. Monte Carlo tolerances come from the evaluation's own
standard errors; references are the high-rate theory ½log₂(2πeG) (primary), the gaps read from
the authors' public repository notebook (secondary: not printed in the paper) and, for NTC at
n = 1, exact entropy-coded scalar quantization by quadrature.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from rdptheory.lattices import get
from rdptheory.ltc.ecsq import ecsq_linear, ecsq_linear_optimum
from rdptheory.ltc.experiments import (LAMBDA_R1, LAMBDA_R2, MODELS, preset, region_results,
                                       run_experiment)

from .registry import ClaimResult, claim

SRC = "Lei, Hassani & Saeedi Bidokhti, ICLR 2025 (arXiv 2403.07320)"

#: Gaps ΔR (bit) near R ≈ 1.9 read from the Gaussian results of the authors' public repository
#: notebook: NOT printed in the paper, so a secondary reference (the primary one is the theory).
PUBLISHED_R2 = {"Z": 0.261, "A2": 0.233, "D4*": 0.196, "E8": 0.149, "BW16": 0.118,
                "Leech": 0.095}
QUICK = ("Z1", "Z2", "Z8", "A2", "D4*", "E8")
HEAVY = ("BW16", "Leech")


def theory_gap(lattice):
    """½log₂(2πe·G(Λ)): the high-rate gap of entropy-coded lattice quantization."""
    return 0.5 * math.log2(2 * math.pi * math.e * get(lattice).nsm_reference.value)


def _published(lattice):
    return PUBLISHED_R2["Z" if lattice.startswith("Z") else lattice]


def _runs(ctx, lam, names, source="gaussian", **kw):
    out = {}
    for label, lat, n in MODELS:
        if lat in names:
            out[lat] = (label, run_experiment(preset(lat, n, lam, source=source, full=ctx.full,
                                                     **kw), seed=ctx.seed).evaluation)
    return out


def _row(label, ev, extra=""):
    return (f"{label}: R={ev.rate:.4f}±{ev.rate_stderr:.4f}, D={ev.distortion:.5f}, "
            f"ΔR={ev.gap_bits:.4f}±{ev.gap_stderr:.4f}{extra}")


#: Tolerance on |ΔR − reference| (bit): below half the smallest spacing between neighbouring
#: references (theory: Z–A2 0.0277, BW16–Λ24 0.0269; notebook: NTC–A2 0.028), so a measured gap
#: within it is nearer its own lattice's reference than any neighbour's.
GAP_TOLERANCE = 0.01


def _gap_vs(ctx, lam, names, ref, what):
    runs = _runs(ctx, lam, names)
    worst, rows = 0.0, []
    for lat, (label, ev) in runs.items():
        r = ref(lat)
        worst = max(worst, abs(ev.gap_bits - r))
        rows.append(_row(label, ev, f" vs {what} {r:.4f}"))
    return ClaimResult(value=worst, reference=0.0, tolerance=GAP_TOLERANCE, comparison="le",
                       details="max |ΔR − ref| (bit); " + "; ".join(rows))


def _ordering(ctx, lam, names):
    runs = _runs(ctx, lam, names)
    order = [lat for lat in ("Z1", "A2", "D4*", "E8", "BW16", "Leech") if lat in runs]
    worst, rows = math.inf, []
    for a, b in zip(order, order[1:]):
        ea, eb = runs[a][1], runs[b][1]
        z = (ea.gap_bits - eb.gap_bits) / math.hypot(ea.gap_stderr, eb.gap_stderr)
        worst = min(worst, z)
        rows.append(f"{runs[a][0]} {ea.gap_bits:.4f} > {runs[b][0]} {eb.gap_bits:.4f} "
                    f"({z:.1f} SE)")
    return ClaimResult(value=worst, reference=3.0, tolerance=0.0, comparison="ge",
                       details="smallest decrease between neighbours in combined SE; "
                               + "; ".join(rows))


# The NTC block-length claims (linear transforms, which cannot fail: rounding a linear image
# gives parallelepiped cells of NSM >= 1/12) are replaced by baselines.ntc_mlp.no_block_gain
# (MLP transforms, compared with exact ECSQ) in proofs_checks.baseline_claims.


# --------------------------------------------------------------------------- R ≈ 2, quick
@claim("ltc.train.gaussian_r2_gap_theory",
       "Trained on i.i.d. N(0,1) near R ≈ 2 bit/sample, the held-out gap ΔR = R − R(D) of NTC "
       "(n = 1, 2, 8) and LTC (A2, D4*, E8) is within 0.01 bit of ½log₂(2πeG(Λ)), less than "
       "half the spacing of neighbouring lattices' values (so the gap identifies the lattice)",
       SRC + " (Gaussian experiments); high-rate theory: Zamir & Feder 1992, 1996",
       kind="statistical")
def _r2_theory(ctx):
    return _gap_vs(ctx, LAMBDA_R2, QUICK, theory_gap, "½log₂(2πeG)")


@claim("ltc.train.gaussian_r2_gap_published",
       "Near R ≈ 2 the gaps of NTC (n = 1, 2, 8) and LTC (A2, D4*, E8) are within 0.01 bit "
       "(less than half the 0.028-bit NTC–A2 spacing) of those read from the authors' "
       "repository notebook (NTC 0.261, A2 0.233, D4* 0.196, E8 0.149; not printed in the "
       "paper: the primary reference is the theory, ltc.train.gaussian_r2_gap_theory)",
       SRC + ": values from the authors' public repository notebook, not from the paper",
       kind="literature")
def _r2_pub(ctx):
    return _gap_vs(ctx, LAMBDA_R2, QUICK, _published, "notebook")


@claim("ltc.train.gaussian_r2_ordering",
       "Near R ≈ 2 the gaps are ordered NTC > LTC-A2 > LTC-D4* > LTC-E8, each step by more than "
       "3 combined standard errors",
       SRC + ", Gaussian experiments",
       kind="statistical")
def _r2_order(ctx):
    return _ordering(ctx, LAMBDA_R2, ("Z1", "A2", "D4*", "E8"))


# --------------------------------------------------------------------------- R ≈ 1, quick
@claim("ltc.train.gaussian_r1_ordering",
       "Near R ≈ 1 bit/sample the gaps are ordered NTC > LTC-A2 > LTC-D4* > LTC-E8, each step "
       "by more than 3 combined standard errors",
       SRC + ", Gaussian experiments",
       kind="statistical")
def _r1_order(ctx):
    return _ordering(ctx, LAMBDA_R1, ("Z1", "A2", "D4*", "E8"))


# --------------------------------------------------------------------------- exact n = 1
def _ntc1_exact(ev, model, source="gaussian"):
    """Exact rate (cross-entropy of the learned latent density), distortion and loss of the
    trained n = 1 linear NTC, by quadrature over its cells."""
    a = float(model.analysis.params["W"][0, 0])
    s = float(model.synthesis.params["W"][0, 0])
    p = ecsq_linear(abs(a), source, s=s * np.sign(a))
    sd_y = math.sqrt(float(model.entropy_model.covariance[0, 0]))
    kmax = int(math.ceil(12 * abs(a))) + 2
    k = np.arange(-kmax, kmax + 1, dtype=float)
    P = stats.norm.cdf((k + 0.5) / abs(a)) - stats.norm.cdf((k - 0.5) / abs(a))
    Q = stats.norm.cdf((k + 0.5) / sd_y) - stats.norm.cdf((k - 0.5) / sd_y)
    m = P > 0
    xent = float(-np.sum(P[m] * np.log2(Q[m])))
    return p, xent


@claim("ltc.train.ntc1_evaluation_exact",
       "For the trained n = 1 NTC on N(0,1) (R ≈ 1 and 2) the Monte Carlo held-out rate and "
       "distortion equal the exact cross-entropy and distortion of the same model (quadrature "
       "over its cells) within 4 standard errors",
       "exact ECSQ sums (norm.cdf); " + SRC + " (cell probabilities)",
       kind="statistical")
def _ntc1_exact_claim(ctx):
    worst, rows = 0.0, []
    for lam in (LAMBDA_R1, LAMBDA_R2):
        r = run_experiment(preset("Z1", 1, lam, full=ctx.full), seed=ctx.seed)
        ev = r.evaluation
        p, xent = _ntc1_exact(ev, r.model)
        zr = abs(ev.rate - xent) / ev.rate_stderr
        zd = abs(ev.distortion - p.distortion) / ev.distortion_stderr
        worst = max(worst, zr, zd)
        rows.append(f"λ={lam}: R {ev.rate:.5f}±{ev.rate_stderr:.5f} vs exact cross-entropy "
                    f"{xent:.5f} (entropy {p.rate:.5f}); D {ev.distortion:.5f}±"
                    f"{ev.distortion_stderr:.5f} vs exact {p.distortion:.5f}")
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="max |MC − exact|/SE; " + "; ".join(rows))


@claim("ltc.train.ntc1_near_ecsq_optimum",
       "Training finds the optimum: the exact loss H + λD of the trained n = 1 NTC exceeds the "
       "exact ECSQ optimum (uniform cells, optimal gain and linear decoder) by less than "
       "0.005 bit at λ giving R ≈ 1 and R ≈ 2",
       "exact ECSQ optimization (rdptheory.ltc.ecsq)", kind="independent")
def _ntc1_opt(ctx):
    worst, rows = 0.0, []
    for lam in (LAMBDA_R1, LAMBDA_R2):
        r = run_experiment(preset("Z1", 1, lam, full=ctx.full), seed=ctx.seed)
        p, xent = _ntc1_exact(r.evaluation, r.model)
        opt = ecsq_linear_optimum(lam)
        excess = (xent + lam * p.distortion) - (opt.rate + lam * opt.distortion)
        worst = max(worst, excess)
        rows.append(f"λ={lam}: trained a={p.a:.4f} (loss {xent + lam * p.distortion:.5f}), "
                    f"optimum a={opt.a:.4f} R={opt.rate:.4f} D={opt.distortion:.5f} "
                    f"ΔR={opt.gap:.4f} (loss {opt.rate + lam * opt.distortion:.5f})")
    return ClaimResult(value=worst, reference=0.0, tolerance=0.005, comparison="le",
                       details="max excess loss (bit); " + "; ".join(rows))


# --------------------------------------------------------------------------- Laplace
def _laplace_runs(ctx):
    """NTC n=1 and LTC-D4* (quick); A2 and E8 too with --full. Latent density: factorized
    Laplace (exact when the learned analysis map is diagonal)."""
    names = ("Z1", "A2", "D4*", "E8") if ctx.full else ("Z1", "D4*")
    return _runs(ctx, LAMBDA_R2, names, source="laplace", entropy="mixture",
                 components=1, kind="laplace")


@claim("ltc.train.laplace_above_slb",
       "On i.i.d. Laplace (unit variance, R ≈ 2) the gap of every trained model (NTC n=1, "
       "LTC-D4*; with --full also A2, E8) to the Shannon lower bound h(X) − ½log₂(2πeD) lies "
       "in a band of ±0.03 bit around its high-rate value ½log₂(2πeG) (half the 0.061-bit "
       "Z–D4* spacing: the gap identifies the lattice; the SLB is tight only as R → ∞), and "
       "above 0 (the bound) by more than 4 SE; value = the larger of the band excursion and "
       "(0.03 bit if some model is below the SLB)",
       "Shannon lower bound (Shannon 1959; Berger 1971); high-rate tightness of the SLB: Linder "
       "& Zamir 1994; " + SRC, kind="statistical")
def _laplace_slb(ctx):
    runs = _laplace_runs(ctx)
    worst, below, rows = 0.0, False, []
    for lat, (label, ev) in runs.items():
        worst = max(worst, abs(ev.gap_bits - theory_gap(lat)))
        below |= ev.gap_bits < 4 * ev.gap_stderr
        rows.append(_row(label, ev, f" (gap to SLB; ½log₂(2πeG) = {theory_gap(lat):.4f}, "
                                    f"off by {ev.gap_bits - theory_gap(lat):+.4f}; "
                                    f"{ev.gap_bits / ev.gap_stderr:.0f} SE above the SLB)"))
    value = max(worst, LAPLACE_BAND + 1e-9) if below else worst
    return ClaimResult(value=value, reference=0.0, tolerance=LAPLACE_BAND, comparison="le",
                       details="max |ΔR_SLB − ½log₂(2πeG)| (bit); " + "; ".join(rows))


#: Band (bit) around ½log₂(2πeG) for the Laplace gap to the SLB at R ≈ 2: half the Z–D4* spacing.
LAPLACE_BAND = 0.03


@claim("ltc.train.laplace_ltc_beats_ntc",
       "On i.i.d. Laplace (R ≈ 2) LTC-D4*'s gap to the Shannon lower bound is below NTC's "
       "(n = 1) by more than 3 combined SE (E8 with --full)",
       SRC, kind="statistical")
def _laplace_order(ctx):
    runs = _laplace_runs(ctx)
    a, b = runs["Z1"][1], runs["E8" if ctx.full else "D4*"][1]
    z = (a.gap_bits - b.gap_bits) / math.hypot(a.gap_stderr, b.gap_stderr)
    return ClaimResult(value=z, reference=3.0, tolerance=0.0, comparison="ge",
                       details=f"NTC {a.gap_bits:.4f}±{a.gap_stderr:.4f}, LTC "
                               f"{b.gap_bits:.4f}±{b.gap_stderr:.4f}")


# --------------------------------------------------------------------------- 2-D regions
def region_shapes(ctx):
    """Measured cells of the 2-D MLP models (shared with the regions figure)."""
    return {lat: shape for lat, (_, shape) in region_results(full=ctx.full,
                                                             seed=ctx.seed).items()}


@claim("ltc.train.regions_2d_neighbours",
       "On 2-D N(0, I) with MLP transforms (R ≈ 2), the learned source-space cell at the origin "
       "has 4 edge-sharing neighbours for NTC (square-like) and 6 for LTC-A2 (hexagonal); value "
       "= |n_NTC − 4| + |n_A2 − 6|",
       SRC + " (2-D quantization regions figure), Gaussian experiments",
       kind="literature")
def _neigh(ctx):
    sh = region_shapes(ctx)
    v = abs(sh["Z2"].neighbours - 4) + abs(sh["A2"].neighbours - 6)
    det = "; ".join(f"{lat}: {s.neighbours} neighbours, boundary shares "
                    f"{', '.join(f'{x:.3f}' for x in s.shares)}" for lat, s in sh.items())
    return ClaimResult(value=v, reference=0.0, tolerance=0.0, comparison="abs", details=det)


@claim("ltc.train.regions_2d_nsm",
       "The normalized second moment of the learned 2-D cell at the origin identifies its "
       "lattice: NTC's is nearer the square's 1/12 than the hexagon's 5/(36√3), LTC-A2's nearer "
       "the hexagon's, each by more than 4 SE (value = the smaller margin in SE); the details "
       "give each cell's excess over its lattice's G (the MLP warps the cell)",
       SRC + "; Conway & Sloane (G of Z2 and A2)", kind="statistical")
def _nsm(ctx):
    sh = region_shapes(ctx)
    refs = {"Z2": 1 / 12, "A2": 5 / (36 * math.sqrt(3))}
    other = {"Z2": "A2", "A2": "Z2"}
    margin, rows = math.inf, []
    for lat, s in sh.items():
        own, far = abs(s.nsm - refs[lat]), abs(s.nsm - refs[other[lat]])
        margin = min(margin, (far - own) / s.nsm_stderr)
        rows.append(f"{lat}: G = {s.nsm:.5f} ± {s.nsm_stderr:.5f} (own {refs[lat]:.5f}, excess "
                    f"{s.nsm - refs[lat]:+.5f}; other {refs[other[lat]]:.5f}), area "
                    f"{s.area:.4f}, {s.mc_points} MC points")
    return ClaimResult(value=margin, reference=4.0, tolerance=0.0, comparison="ge",
                       details="; ".join(rows))


# --------------------------------------------------------------------------- heavy: Λ16, Λ24
@claim("ltc.train.gaussian_r2_lambda16_leech",
       "Near R ≈ 2 LTC with Λ16 (BW16) and Λ24 (Leech) has gaps within 0.01 bit of ½log₂(2πeG) "
       "(0.1111 and 0.0842; less than half their 0.027-bit spacing); the details also give "
       "the deviation from the authors' notebook values 0.118 and 0.095 (not printed in the "
       "paper, not asserted)",
       SRC + " (Gaussian experiments); notebook values: the authors' public repository",
       cost="full", kind="statistical")
def _heavy_gap(ctx):
    runs = _runs(ctx, LAMBDA_R2, HEAVY)
    worst, rows = 0.0, []
    for lat, (label, ev) in runs.items():
        worst = max(worst, abs(ev.gap_bits - theory_gap(lat)))
        rows.append(_row(label, ev, f" vs theory {theory_gap(lat):.4f} (notebook "
                                    f"{_published(lat):.3f}: off by "
                                    f"{ev.gap_bits - _published(lat):+.4f})"))
    return ClaimResult(value=worst, reference=0.0, tolerance=GAP_TOLERANCE, comparison="le",
                       details="max |ΔR − ½log₂(2πeG)| (bit); " + "; ".join(rows))


@claim("ltc.train.gaussian_r2_ordering_all",
       "Near R ≈ 2 the gaps are ordered NTC > A2 > D4* > E8 > Λ16 > Λ24, each step by more than 3 "
       "combined SE",
       SRC + ", Gaussian experiments", cost="full",
       kind="statistical")
def _heavy_order(ctx):
    return _ordering(ctx, LAMBDA_R2, ("Z1", "A2", "D4*", "E8", "BW16", "Leech"))


@claim("ltc.train.gaussian_r1_ordering_all",
       "Near R ≈ 1 the gaps are ordered NTC > A2 > D4* > E8 > Λ16 > Λ24, each step by more than 3 "
       "combined SE",
       SRC + ", Gaussian experiments", cost="full",
       kind="statistical")
def _heavy_order_r1(ctx):
    return _ordering(ctx, LAMBDA_R1, ("Z1", "A2", "D4*", "E8", "BW16", "Leech"))


# --------------------------------------------------------------------------- dithered (P ≈ 0)
SRC_RDP = ("Lei, Hassani & Saeedi Bidokhti, NeurIPS 2025 (arXiv 2503.17558)")
RATE0 = 1.4  # common rate for the normalized distortions (the runs land within ±0.06 bit)


def _dithered(ctx):
    from rdptheory.ltc.dithered import (DITHERED_SCHEMES, DitheredExperiment,
                                        normalized_distortion_db, run_dithered)
    out = {}
    for lat in ("Z8", "E8"):
        for label, scheme, ratio in DITHERED_SCHEMES:
            exp = DitheredExperiment(scheme, lat, ratio,
                                     **({"steps": 800, "eval_samples": 20_000} if ctx.full
                                        else {}))
            ev = run_dithered(exp, ctx.seed)[0]
            out[lat, label] = (ev, *normalized_distortion_db(ev, RATE0))
    return out


def _drow(key, v):
    ev, nd, se = v
    pm = ev.perception_measurement or {}
    meas = (f", measured perception {pm['estimate']:.2e}±{pm['estimate_stderr']:.0e} in "
            f"[{pm['lower']:.2e}, {pm['upper']:.3g}]" if pm else "")
    return (f"{key[1]} {key[0]}: R={ev.rate:.4f}±{ev.rate_stderr:.4f}, D={ev.distortion:.4f}, "
            f"P={ev.perception:.4f}±{ev.perception_stderr:.4f}, s={ev.s:.3f}{meas}, "
            f"D@R={RATE0}: {nd:.3f}±{se:.3f} dB")


def _pm(ev):
    pm = ev.perception_measurement
    return pm["estimate"], pm["estimate_stderr"]


@claim("ltc.train.dithered_perception_measured",
       "The trained dithered models' realism, measured (lattice/dual-direction sliced W2² "
       "through the learned decoder): on Z8 and E8 the trained PD, whose learned private-dither "
       "scale s is below 1, is measurably less realistic than the trained SD (by more than 4 "
       "combined SE), so the P ≈ 0 ordering compares schemes at unequal perception; the details "
       "give every model's measurement and learned s",
       SRC_RDP + ", Prop. 3.3 / Remark D.7 (s >= 1); rdptheory.perception.measure_perception",
       cost="full", kind="statistical")
def _dith_perception(ctx):
    d = _dithered(ctx)
    worst, rows = math.inf, []
    for lat in ("Z8", "E8"):
        sd, pd = d[lat, "SD"][0], d[lat, "PD"][0]
        a, b = _pm(pd), _pm(sd)
        z = (a[0] - b[0]) / math.hypot(a[1], b[1])
        worst = min(worst, z if pd.s < 1 else -math.inf)
        rows.append(f"{lat}: PD (s = {pd.s:.3f}) {a[0]:.2e}±{a[1]:.0e} vs SD {b[0]:.2e}±"
                    f"{b[1]:.0e}: z = {z:.1f}")
    rows += [_drow(k, v) for k, v in d.items()]
    return ClaimResult(value=worst, reference=4.0, tolerance=0.0, comparison="gt",
                       details="; ".join(rows))


@claim("ltc.train.dithered_scheme_ordering",
       "Dithered LTC trained with a sliced-W2 perception penalty (μ = 400) on N(0,1)^8 at "
       "R ≈ 1.4: at equal lattice (Z8 and E8) the distortion at a common rate orders SD < "
       "QSD(Γ=3) < QSD(Γ=2) < PD, each step by more than 3 combined SE. This is an ordering "
       "at the same penalty, not at equal measured realism: the trained PD learns s < 1 and "
       "is measurably less realistic than SD (ltc.train.dithered_perception_measured), so "
       "the paper's 'at P = 0' ordering is not established by these trainings",
       SRC_RDP + ", dithered LTC", cost="full",
       kind="statistical")
def _dith_order(ctx):
    d = _dithered(ctx)
    worst, rows = math.inf, []
    order = ("SD", "QSD Γ=3", "QSD Γ=2", "PD")
    for lat in ("Z8", "E8"):
        for a, b in zip(order, order[1:]):
            (_, va, sa), (_, vb, sb) = d[lat, a], d[lat, b]
            z = (vb - va) / math.hypot(sa, sb)
            worst = min(worst, z)
    rows = [_drow(k, v) for k, v in d.items()]
    return ClaimResult(value=worst, reference=3.0, tolerance=0.0, comparison="ge",
                       details="smallest step in combined SE; " + "; ".join(rows))


@claim("ltc.train.dithered_qsd3_close_to_sd",
       "With Γ = 3 (R_c = log₂3) QSD-LTC recovers most of SD-LTC's advantage over PD-LTC: its "
       "distortion excess over SD at a common rate is less than 25% of PD's (Z8 and E8)",
       SRC_RDP + ", dithered LTC (SD ≥ QSD(Γ=3) ≈ SD > PD)", cost="full",
       kind="statistical")
def _dith_qsd3(ctx):
    d = _dithered(ctx)
    worst, rows = 0.0, []
    for lat in ("Z8", "E8"):
        sd, q3, pd = (d[lat, k][1] for k in ("SD", "QSD Γ=3", "PD"))
        frac = (q3 - sd) / (pd - sd)
        worst = max(worst, frac)
        rows.append(f"{lat}: SD {sd:.3f}, QSD3 {q3:.3f}, PD {pd:.3f} dB → fraction {frac:.3f}")
    return ClaimResult(value=worst, reference=0.0, tolerance=0.25, comparison="le",
                       details="; ".join(rows))


@claim("ltc.train.dithered_e8_beats_z8",
       "At equal randomness (same scheme) the E8 dithered LTC has lower distortion at a common "
       "rate than the Z8 one, by more than 3 combined SE, for SD, QSD(Γ=2, 3) and PD",
       SRC_RDP + ", dithered LTC", cost="full",
       kind="statistical")
def _dith_e8(ctx):
    d = _dithered(ctx)
    from rdptheory.ltc.dithered import DITHERED_SCHEMES
    worst, rows = math.inf, []
    for label, _, _ in DITHERED_SCHEMES:
        (_, vz, sz), (_, ve, se) = d["Z8", label], d["E8", label]
        z = (vz - ve) / math.hypot(sz, se)
        worst = min(worst, z)
        rows.append(f"{label}: Z8 {vz:.3f}±{sz:.3f}, E8 {ve:.3f}±{se:.3f} dB ({z:.1f} SE)")
    return ClaimResult(value=worst, reference=3.0, tolerance=0.0, comparison="ge",
                       details="; ".join(rows))


@claim("ltc.train.dithered_sd_thm43_band",
       "Trained SD-LTC at P ≈ 0 lands in the Thm 4.3 band: its rate exceeds R(D, 0) at the "
       "achieved D by at least 0 and at most ½log₂(2πeG) (0.2546 bit for Z8, 0.1460 for E8), "
       "within 4 combined SE; value = the worst excursion in SE. The details also give every "
       "point against its no-/limited-common-randomness limit (PD can dip below R(D/2, ∞): "
       "that bound needs exact realism, which a sliced-W2 penalty does not enforce)",
       SRC_RDP + ", band derived from the proof of Thm 4.3 (finite n; not stated in the "
       "theorem)", cost="full", kind="statistical")
def _dith_bounds(ctx):
    from rdptheory import gaussian as gauss
    d = _dithered(ctx)
    worst, rows = -math.inf, []
    for key, (ev, _, _) in d.items():
        bound = ev.rate_limited_common_randomness
        if key[1] == "SD":
            h = 1e-5
            slope = float(gauss.rdp_perfect_realism(ev.distortion + h)
                          - gauss.rdp_perfect_realism(ev.distortion - h)) / (2 * h)
            se = math.hypot(ev.rate_stderr, slope * ev.distortion_stderr)
            excess = ev.rate - ev.rate_perfect_realism
            g = theory_gap(key[0])
            worst = max(worst, -excess / se, (excess - g) / se)
            rows.append(f"SD {key[0]}: excess over R(D,0) {excess:.4f} ± {se:.4f} bit in "
                        f"[0, {g:.4f}]")
        rows.append(f"{key[1]} {key[0]}: R={ev.rate:.4f} vs its limit {bound:.4f} "
                    f"(R_c = {'∞' if key[1] == 'SD' else ('0' if key[1] == 'PD' else 'log₂Γ')}; "
                    f"excess {ev.rate - bound:+.4f} bit), sliced P={ev.perception:.4f}")
    return ClaimResult(value=worst, reference=0.0, tolerance=4.0, comparison="le",
                       details="; ".join(rows))
