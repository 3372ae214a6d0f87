"""Figure: the measured perception interval [lower, upper] and estimate vs lattice dimension."""
from __future__ import annotations

import numpy as np

from ..operating_points import pd_operating_point, sd_operating_point
from ._registry import FigureResult, figure
from .style import COLORS, new_figure

COLUMNS = ("scheme", "lattice", "dimension", "estimate", "estimate_se", "lower", "lower_se",
           "lower_bound", "upper", "upper_se", "upper_bound", "kl", "kl_se")
FLOOR = 1e-6   # display floor of the log axis (bounds within 2 SE of 0 are drawn there)


@figure("perception_intervals",
        "Perception of SD- and PD-LTC (D = 0.5, P = 0): measured interval vs lattice dimension",
        "Per-dimension W2² of the output of SD-LTC (Thm 4.3, left) and PD-LTC (Thm 4.5, "
        "right) to N(0, I) at D = 0.5, P = 0, for Z1, A2, D4, E8 (and BW16, Leech with --full), "
        "measured by rdptheory.perception.measure_perception on 3,000 blocks (20,000 with "
        "--full). Upward triangles: the largest lower bound (Gelbrich or frame-sliced on the "
        "lattice's relevant/dual directions, bias-corrected) with ±2 SE; downward triangles: "
        "the smallest upper bound (Talagrand 2σ²·KL from the output's exact cell structure, "
        "or the coupling through the source, i.e. the distortion, when the KL is unavailable); "
        f"dots: the estimate. Values below {FLOOR:g} (bounds within noise of 0) are drawn at "
        "the floor. What to look for: both intervals shrink as the lattice gets better; the "
        "lower ends fall to the noise floor by n = 8-24 while the upper ends stay orders of "
        "magnitude higher (Talagrand's bound is loose: the KL sees the flat cell densities, "
        "W2 hardly does).", cost="full")
def perception_intervals(context):
    lattices = ("Z1", "A2", "D4", "E8") + (("BW16", "Leech") if context.full else ())
    N = 20_000 if context.full else 3_000
    rows = []
    for lat in lattices:
        context.report(f"perception of {lat}")
        # the KL (hence the Talagrand bound) needs the cell-probability estimator converged
        cells = (16_384 if lat in ("BW16", "Leech") else 4096) if context.full else 2048
        kw = dict(n_samples=N, cell_samples=cells, rng=context.seed, perception=True)
        for label, op in (("SD", sd_operating_point(lat, 0.5, 0.0, **kw)),
                          ("PD", pd_operating_point(lat, 0.5, **kw))):
            p = op.perception
            rows.append((label, lat, op.dimension, p["estimate"], p["estimate_stderr"],
                         p["lower"], p["lower_stderr"], p["lower_bound"], p["upper"],
                         p["upper_stderr"], p["upper_bound"], p["kl"], p["kl_stderr"]))
    fig, axes = new_figure(1, 2, size=(9.0, 4.2), sharey=True)
    for ax, label in zip(axes, ("SD", "PD")):
        rs = [r for r in rows if r[0] == label]
        x = np.arange(len(rs))
        col = COLORS[label]
        lo = np.array([max(r[5], FLOOR) for r in rs])
        lo_err = np.array([2 * r[6] for r in rs])
        up = np.array([max(r[8], FLOOR) for r in rs])
        up_err = np.array([2 * r[9] for r in rs])
        est = np.array([max(r[3], FLOOR) for r in rs])
        ax.errorbar(x - 0.08, lo, yerr=[np.minimum(lo_err, lo - FLOOR * 0.999), lo_err], fmt="^",
                    color=col, ms=6, capsize=2, label="lower bound ± 2 SE")
        ax.errorbar(x + 0.08, up, yerr=[np.minimum(up_err, up - FLOOR * 0.999), up_err], fmt="v",
                    color=col, mfc="white", ms=6, capsize=2, label="upper bound ± 2 SE")
        ax.plot(x, est, ".", color="k", label="estimate")
        for xi, r in zip(x, rs):
            ax.vlines(xi, max(r[5], FLOOR), max(r[8], FLOOR), color=col, alpha=0.3, lw=4)
        ax.set_xticks(x, [f"{r[1]}\n(n={r[2]})" for r in rs])
        ax.set_yscale("log")
        ax.set_title(f"{label}-LTC, D = 0.5, P = 0")
    axes[0].set_ylabel("per-dimension W2² to N(0, I)")
    axes[0].legend(loc="lower left", fontsize=8)
    return FigureResult(fig, COLUMNS, rows)
