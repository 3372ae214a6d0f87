"""Figures of the closed-form Gaussian bounds (:mod:`rdptheory.gaussian`): R(D, P) and the
perfect-realism rates with limited common randomness."""
from __future__ import annotations

import math

import numpy as np

from .. import gaussian as g
from ._registry import FigureResult, figure
from .style import COLORS, new_figure

#: Perception budgets of the R(D, P) figure.
P_VALUES = (0.0, 0.01, 0.05, 0.1, 0.25)
#: Common-randomness rates (bits per sample) of the D(R, R_c) figure.
RC_VALUES = (0.0, 1.0, math.log2(3), 2.0, math.inf)


def _rc_label(rc):
    if math.isinf(rc):
        return "∞"
    if abs(rc - math.log2(3)) < 1e-12:
        return "log₂3"
    return f"{rc:g}"


@figure("rdp_curves", "R(D, P) of a Gaussian source for several perception budgets P",
        "Left: the rate-distortion-perception function R(D, P) of N(0, 1) under squared error "
        "and squared-W2 perception (rdptheory.gaussian.rdp) for P = 0, 0.01, 0.05, 0.1, 0.25, "
        "with Shannon's R(D) dashed. Right: the rate paid for realism, R(D, P) − R(D), as a "
        "function of P (log scale) at D = 0.1, 0.3, 0.5; dotted verticals at "
        "P = (σ − √(σ² − D))², the perception of the MMSE reconstruction. "
        "What to look for: the curves fall as P grows and never cross; R(D, 0) reaches 0 only "
        "at D = 2σ², R(D) at D = σ²; each right-hand curve falls to 0 (R(D, P) = R(D)) exactly "
        "at its dotted line, where the perception constraint stops binding. The CSV's rate "
        "column is R(D, P) itself.")
def rdp_curves(context):
    D = np.linspace(0.004, 2.05, 400)
    fig, (ax, bx) = new_figure(1, 2, size=(9.0, 3.9))
    rows = []
    colors = ("black", "tab:blue", "tab:green", "tab:orange", "tab:purple")
    for P, c in zip(P_VALUES, colors):
        R = g.rdp(D, P)
        ax.plot(D, R, color=c, label=f"P = {P:g}" + (" (perfect realism)" if P == 0 else ""))
        rows += [("R(D,P) vs D", f"P={P:g}", float(d), P, float(r)) for d, r in zip(D, R)]
    Dr = D[D <= 1.0]
    R0 = g.rate_distortion(Dr)
    ax.plot(Dr, R0, "--", color=COLORS["bound"], label="R(D) (P = ∞)")
    rows += [("R(D,P) vs D", "R(D)", float(d), math.inf, float(r)) for d, r in zip(Dr, R0)]
    ax.set(xlabel="distortion D (σ² = 1)", ylabel="rate (bits per sample)", ylim=(0, 3.0),
           xlim=(0, 2.05), title="R(D, P) for several P")
    ax.legend(loc="upper right")
    P = np.geomspace(1e-4, 1.0, 300)
    for Dv, c in zip((0.1, 0.3, 0.5), ("tab:red", "tab:blue", "tab:green")):
        R = g.rdp(Dv, P)
        RD = float(g.rate_distortion(Dv))
        bx.plot(P, R - RD, color=c, label=f"D = {Dv:g}")
        thr = (1.0 - math.sqrt(1.0 - Dv)) ** 2
        bx.axvline(thr, color=c, ls=":", lw=1)
        rows += [("R(D,P)-R(D) vs P", f"D={Dv:g}", Dv, float(p), float(r))
                 for p, r in zip(P, R)]
        rows.append(("R(D,P)-R(D) vs P", f"threshold D={Dv:g}", Dv, thr, float(g.rdp(Dv, thr))))
    bx.set(xscale="log", xlabel="perception budget P (squared W2, log scale)",
           ylabel="R(D, P) − R(D)  (bits per sample)", xlim=(1e-4, 1.0), ylim=(0, None),
           title="Rate paid for realism; dotted: MMSE perception")
    bx.legend(loc="upper right")
    return FigureResult(fig, ("panel", "curve", "D", "P", "rate_bits"), rows)


@figure("common_randomness",
        "Perfect realism with limited common randomness: R(D,0), R(D/2,∞) and D(R, R_c)",
        "Left: at perfect realism (P = 0) for N(0, 1), the rate with unlimited common randomness "
        "R(D, 0) (solid black), with none R(D/2, ∞) (dashed black), and the jointly Gaussian "
        "curves D(R, R_c) (rdptheory.gaussian.distortion_limited_common_randomness, "
        "drawn parametrically in R) for R_c = 0, 1, log₂3, 2, ∞ bits per sample. Right: "
        "D(R, R_c) at R = 1 bit as R_c grows, with the two endpoint limits dashed. What to look "
        "for: the R_c = 0 curve lies on R(D/2, ∞) and the R_c = ∞ curve on R(D, 0) (the proven "
        "endpoints); intermediate R_c fall strictly between, ordered; on the right D falls from "
        "2σ²·2^(−2R) = 0.5 to D(R, 0) = 0.268 and is within 1% of it for R_c above about 3.2. "
        "Every curve is optimal, not only achievable (converse: docs/derivations.md §4; claims "
        "gaussian.common_randomness.converse_random_chains and "
        "…discrete_chains_approach_curve).")
def common_randomness(context):
    fig, (ax, bx) = new_figure(1, 2, size=(9.0, 3.9))
    rows = []
    D = np.linspace(0.01, 2.0, 400)
    R_inf, R_0 = g.rdp_perfect_realism(D), g.rate_no_common_randomness(D)
    ax.plot(D, R_inf, color="black", lw=2.6, alpha=0.35, label="R(D, 0): unlimited")
    ax.plot(D, R_0, "--", color="black", lw=2.6, alpha=0.35, label="R(D/2, ∞): none")
    rows += [("rate vs D", "R(D,0)", math.inf, float(r), float(d)) for d, r in zip(D, R_inf)]
    rows += [("rate vs D", "R(D/2,inf)", 0.0, float(r), float(d)) for d, r in zip(D, R_0)]
    R = np.linspace(0.0, 3.0, 300)
    colors = ("tab:red", "tab:orange", "tab:green", "tab:blue", "tab:purple")
    for rc, c in zip(RC_VALUES, colors):
        Dc = g.distortion_limited_common_randomness(R, rc)
        ax.plot(Dc, R, color=c, lw=1.1, label=f"D(R, R_c), R_c = {_rc_label(rc)}")
        rows += [("rate vs D", f"D(R,Rc) Rc={_rc_label(rc)}", rc, float(r), float(d))
                 for r, d in zip(R, Dc)]
    ax.set(xlabel="distortion D (σ² = 1)", ylabel="rate R (bits per sample)", xlim=(0, 2.0),
           ylim=(0, 3.0), title="P = 0: rate vs distortion by common randomness")
    ax.legend(loc="upper right")
    Rc = np.linspace(0.0, 6.0, 300)
    Dr = g.distortion_limited_common_randomness(1.0, Rc)
    bx.plot(Rc, Dr, color="tab:blue", label="D(R = 1, R_c)")
    rows += [("D vs Rc at R=1", "D(1,Rc)", float(rc), 1.0, float(d)) for rc, d in zip(Rc, Dr)]
    lo, hi = float(g.distortion_rate_perfect_realism(1.0)), float(
        g.distortion_rate_no_common_randomness(1.0))
    bx.axhline(lo, ls="--", color="black", lw=1, label=f"D(R, 0) = {lo:.4f} (R_c = ∞)")
    bx.axhline(hi, ls="--", color="0.45", lw=1, label=f"2σ²·2^(−2R) = {hi:.4f} (R_c = 0)")
    for rc, c in zip(RC_VALUES[:-1], colors):
        d = float(g.distortion_limited_common_randomness(1.0, rc))
        bx.plot([rc], [d], "o", color=c, ms=5)
        rows.append(("D vs Rc at R=1", f"marker Rc={_rc_label(rc)}", rc, 1.0, d))
    bx.set(xlabel="common randomness R_c (bits per sample)", ylabel="distortion D",
           title="D(R, R_c) at R = 1 bit", xlim=(0, 6), ylim=(0.25, 0.52))
    bx.legend(loc="upper right")
    return FigureResult(fig, ("panel", "curve", "Rc_bits", "R_bits", "D"), rows)
