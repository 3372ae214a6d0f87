"""Figure of the crypto lemma (:mod:`rdptheory.dither`): the dithered quantization error is
uniform on the Voronoi cell whatever the input."""
from __future__ import annotations

import numpy as np

from ..dither import dithered_quantize, sample_voronoi
from ..lattices import get
from ._registry import FigureResult, figure
from .style import new_figure


def _hist(values, bins):
    density, edges = np.histogram(values, bins=bins, density=True)
    return 0.5 * (edges[1:] + edges[:-1]), density


@figure("crypto_lemma", "Crypto lemma: the dithered quantization error is uniform on the cell",
        "Left: Z (step 1), input y ~ N(0, 0.25²): the plain quantization error Q(y) − y "
        "(grey) follows the input, the subtractively dithered error Q(y − u) + u − y "
        "(rdptheory.dither.dithered_quantize, blue) is flat at density 1 on [−½, ½]. Middle: "
        "the dithered error of the hexagonal lattice A2 for one constant input y = (0.37, −1.2): "
        "the points fill the hexagonal Voronoi cell evenly. Right: E8, histogram of ‖e‖²/8 "
        "divided by the cell's second moment, for a constant, a Gaussian and a huge (10⁶) input "
        "and for fresh uniform cell samples (rdptheory.dither.sample_voronoi). What to look "
        "for: the dithered histograms match the uniform reference whatever the input (the "
        "claims dither.crypto_lemma.* test this with KS tests); only the undithered error "
        "depends on y.")
def crypto_lemma(context):
    n = 200_000 if context.full else 20_000
    rng = np.random.default_rng(context.seed)
    fig, (ax, bx, cx) = new_figure(1, 3, size=(10.5, 3.5))
    rows = []
    # Z: plain vs dithered error for a narrow Gaussian input
    Z = get("Z1")
    y = rng.normal(scale=0.25, size=(n, 1))
    plain = (Z.nearest_point(y) - y)[:, 0]
    dith = dithered_quantize(y, Z, rng).error[:, 0]
    bins = np.linspace(-0.5, 0.5, 41)
    for label, e, c in (("plain Q(y)-y", plain, "0.55"), ("dithered", dith, "tab:blue")):
        x, d = _hist(e, bins)
        ax.stairs(d, bins, color=c, lw=1.4, label=label, fill=label != "dithered",
                  alpha=0.5 if label != "dithered" else 1.0)
        rows += [("Z1 error density", label, float(a), float(b)) for a, b in zip(x, d)]
    ax.axhline(1.0, color="black", ls=":", lw=1, label="uniform (density 1)")
    ax.set(xlabel="error e", ylabel="density", title="Z, y ~ N(0, 0.25²)", xlim=(-0.55, 0.55))
    ax.legend(loc="upper right")
    # A2: the error of a constant input fills the hexagon
    A2 = get("A2")
    m = 3000
    e2 = dithered_quantize(np.tile([0.37, -1.2], (m, 1)), A2, rng).error
    bx.plot(e2[:, 0], e2[:, 1], ".", ms=1.2, color="tab:blue", alpha=0.6)
    rows += [("A2 error points", "y=(0.37,-1.2)", float(a), float(b)) for a, b in e2]
    bx.set(xlabel="e₁", ylabel="e₂", title="A2, constant y: error points", aspect="equal")
    # E8: normalized squared norm of the error for three inputs vs uniform cell samples
    E8 = get("E8")
    s2 = E8.second_moment_reference
    inputs = {"constant y": np.tile(np.linspace(-0.3, 0.4, 8), (n, 1)),
              "Gaussian y": rng.normal(size=(n, 8)),
              "huge y (1e6)": 1e6 + rng.normal(size=(n, 8))}
    bins = np.linspace(0.0, 1.8, 46)  # covering radius² of E8 is 1: ‖e‖²/(8σ²) <= 1.75
    ref = np.sum(sample_voronoi(E8, n, rng) ** 2, axis=1) / 8 / s2
    x, d = _hist(ref, bins)
    cx.stairs(d, bins, color="0.6", fill=True, alpha=0.5, label="uniform on the cell")
    rows += [("E8 |e|^2/(8 sigma^2)", "uniform reference", float(a), float(b))
             for a, b in zip(x, d)]
    for (label, yy), c in zip(inputs.items(), ("tab:blue", "tab:green", "tab:red")):
        e = dithered_quantize(yy, E8, rng).error
        x, d = _hist(np.sum(e * e, axis=1) / 8 / s2, bins)
        cx.stairs(d, bins, color=c, lw=1.1, label=f"dithered, {label}")
        rows += [("E8 |e|^2/(8 sigma^2)", label, float(a), float(b)) for a, b in zip(x, d)]
    cx.set(xlabel="‖e‖² / (8 σ²(E8))", ylabel="density", title="E8: error energy, 3 inputs")
    cx.legend(loc="upper left")
    return FigureResult(fig, ("panel", "series", "x", "y"), rows)
