"""Figures of the lattice registry: normalized second moments against the sphere and Zador
bounds, and the rate gap ½ log₂(2πeG) that SD-LTC pays over R(D, P)."""
from __future__ import annotations

import math

import numpy as np

from ..lattices import get, list_lattices
from ..nsm import nsm_estimate, sphere_bound, zador_bound
from ._registry import FigureResult, figure
from .style import COLORS, FAMILY_MARKERS, new_figure

#: Lattices whose NSM is also estimated by Monte Carlo (quick / full mode), with samples.
MC_QUICK = (("A2", 1 << 15), ("D4", 1 << 15), ("E8", 1 << 15), ("Leech", 1 << 15))
MC_FULL = (("A2", 1 << 20), ("A3*", 1 << 20), ("D4", 1 << 20), ("E6", 1 << 20),
           ("E7", 1 << 20), ("E8", 1 << 20), ("D10+", 1 << 20), ("K12", 1 << 19),
           ("BW16", 1 << 19), ("Leech", 1 << 19))
#: 1/(2πe): the limit of the best G_n as n grows (and of both bounds).
G_INFINITY = 1.0 / (2.0 * math.pi * math.e)


def _family_key(family):
    if family in ("E6", "E7", "E8"):
        return "E"
    if family in ("E6*", "E7*"):
        return "E*"
    if family == "K12":
        return "K"
    if family == "BW16":
        return "BW"
    return family


def _registry_points():
    """(name, dimension, family key, reference G) for every listed lattice with a reference."""
    out = []
    for name in list_lattices():
        L = get(name)
        if L.nsm_reference is not None:
            out.append((name, L.dimension, _family_key(L.family), float(L.nsm_reference.value)))
    return out


_FAMILY_NAMES = {"Z": "Zⁿ", "A": "Aₙ", "A*": "Aₙ*", "D": "Dₙ", "D*": "Dₙ*",
                 "D+": "Dₙ⁺", "E": "E6, E7, E8", "E*": "E6*, E7*", "K": "K12", "BW": "BW16", "Leech": "Leech"}


def _dimensions(points, context):
    """Dimensions for the bound curves: up to 32 (48 with --full) or the largest lattice."""
    top = max([48 if context.full else 32] + [n + 2 for _, n, _, _ in points])
    return np.arange(1, top + 1)


def _plot_registry(ax, points, transform=lambda G: G):
    seen = set()
    for name, n, fam, G in points:
        label = _FAMILY_NAMES.get(fam, fam) if fam not in seen else None
        seen.add(fam)
        ax.plot([n], [transform(G)], FAMILY_MARKERS.get(fam, "o"), color=COLORS.get(fam, "k"),
                ms=6, mfc="none" if fam.endswith("*") else COLORS.get(fam, "k"), label=label,
                ls="none")


def _label_points(ax, points, transform=lambda G: G):
    """Name the lattices (one label per dimension; Zⁿ once)."""
    by_dim = {}
    for name, n, fam, G in points:
        if fam != "Z":
            by_dim.setdefault(n, []).append((transform(G), name))
    for n, items in by_dim.items():
        items.sort()
        ax.annotate(", ".join(name for _, name in items), (n, items[0][0]),
                    textcoords="offset points", xytext=(5, -10), fontsize=6.5, color="0.25")
    zs = [(n, transform(G)) for name, n, fam, G in points if fam == "Z"]
    if zs:
        n, v = max(zs)
        ax.annotate("Zⁿ (n = 1, 2, 4, 8)", (n, v), textcoords="offset points", xytext=(6, -3),
                    fontsize=6.5, color="0.25")


@figure("nsm_vs_dimension", "Normalized second moment of the registry lattices vs dimension",
        "The reference NSM G of every registry lattice (markers by family; hollow: dual "
        "lattices), Monte Carlo estimates (rdptheory.nsm.nsm_estimate, ±2 SE bars, red "
        "crosses) for A2, D4, E8 and Leech (ten lattices, 2^19-2^20 samples each, with --full), "
        "the sphere "
        "lower bound G*_n (no n-dimensional quantizer does better), Zador's upper bound on the "
        "best n-dimensional quantizer, and 1/(2πe) = 0.0585, their common limit. What to look "
        "for: every lattice lies above the sphere bound; the best known lattices (A2, D4, E8, "
        "K12, BW16, Leech) fall steadily towards 1/(2πe) while Zⁿ stays at 1/12; each Monte "
        "Carlo bar covers its reference value (right: the z-scores against the reference, with "
        "half a unit of a published value's last digit as its uncertainty u_ref; mostly "
        "inside ±2).")
def nsm_vs_dimension(context):
    points = _registry_points()
    fig, (ax, zx) = new_figure(1, 2, size=(9.6, 4.6), gridspec_kw={"width_ratios": (3.2, 1)})
    rows = [("reference", name, n, G, 0.0) for name, n, fam, G in points]
    _plot_registry(ax, points)
    _label_points(ax, points)
    nn = _dimensions(points, context)
    sph = [sphere_bound(int(k)) for k in nn]
    zad = [zador_bound(int(k)) for k in nn]
    ax.plot(nn, sph, "-", color=COLORS["bound"], lw=1.2, label="sphere bound G*_n (lower)")
    ax.plot(nn, zad, "--", color=COLORS["bound"], lw=1.2, label="Zador upper bound")
    ax.axhline(G_INFINITY, color="black", lw=0.8, ls=":", label="1/(2πe)")
    rows += [("sphere_bound", "", int(k), v, 0.0) for k, v in zip(nn, sph)]
    rows += [("zador_bound", "", int(k), v, 0.0) for k, v in zip(nn, zad)]
    mc = MC_FULL if context.full else MC_QUICK
    zs = []
    for i, (name, samples) in enumerate(mc):
        context.report(f"NSM of {name}")
        r = nsm_estimate(name, samples, rng=context.seed + i)
        ax.errorbar([r.dimension + 0.25], [r.estimate], yerr=[2 * r.stderr], fmt="x",
                    color="tab:red", ms=5, capsize=2, lw=1,
                    label="Monte Carlo ±2 SE" if i == 0 else None)
        rows.append(("monte_carlo", name, r.dimension, r.estimate, r.stderr))
        ref = get(name).nsm_reference  # published values carry half a unit of their last digit
        z = (r.estimate - ref.value) / math.hypot(r.stderr, ref.uncertainty)
        zs.append(z)
        zx.plot([z], [i], "x", color="tab:red", ms=6)
    zx.axvspan(-2, 2, color="tab:green", alpha=0.12, label="±2")
    zx.axvline(0, color="black", lw=0.8)
    lim = max(4.0, max(abs(z) for z in zs) + 0.5)
    zx.set(yticks=range(len(mc)), yticklabels=[name for name, _ in mc], xlim=(-lim, lim),
           ylim=(-0.7, len(mc) - 0.3), xlabel="(Ĝ − G_ref) / √(SE² + u_ref²)",
           title="Monte Carlo vs reference")
    ax.set(xlabel="dimension n", ylabel="normalized second moment G", xlim=(0, nn[-1] + 0.5),
           ylim=(0.057, 0.0855), title="NSM vs dimension: registry, Monte Carlo and bounds")
    ax.legend(loc="upper right", ncol=2)
    return FigureResult(fig, ("kind", "lattice", "dimension", "G", "G_stderr"), rows)


@figure("rate_gap", "The rate gap ½ log₂(2πeG) vs dimension",
        "The space-filling loss ½ log₂(2πeG) in bits per dimension of every registry lattice "
        "(reference G): SD-LTC with that lattice spends at most this much over R(D, P) (Thm 4.3 "
        "of Lei et al.), and at high rate it is the gap of entropy-coded lattice quantization to "
        "R(D). Grey curves: the same quantity for the sphere bound (no n-dimensional quantizer "
        "has a smaller gap) and for Zador's upper bound; right axis: the same gap in dB of "
        "granular gain lost, 10·log₁₀(2πeG). What to look for: Zⁿ stays at 0.254 bit (1.53 "
        "dB) in every dimension; E8 saves 0.109 bit over it and Leech 0.170 bit, while the "
        "sphere bound shows that at least 0.134 bit remains lost at n = 8 and 0.073 bit at "
        "n = 24.")
def rate_gap(context):
    points = _registry_points()
    gap = lambda G: 0.5 * math.log2(2 * math.pi * math.e * G)  # noqa: E731
    fig, ax = new_figure(size=(7.4, 4.4))
    _plot_registry(ax, points, gap)
    _label_points(ax, points, gap)
    rows = [("reference", name, n, G, gap(G)) for name, n, fam, G in points]
    nn = _dimensions(points, context)
    sph = [sphere_bound(int(k)) for k in nn]
    zad = [zador_bound(int(k)) for k in nn]
    ax.plot(nn, [gap(v) for v in sph], "-", color=COLORS["bound"], lw=1.2,
            label="sphere bound (lower)")
    ax.plot(nn, [gap(v) for v in zad], "--", color=COLORS["bound"], lw=1.2,
            label="Zador upper bound")
    rows += [("sphere_bound", "", int(k), v, gap(v)) for k, v in zip(nn, sph)]
    rows += [("zador_bound", "", int(k), v, gap(v)) for k, v in zip(nn, zad)]
    ax.set(xlabel="dimension n", ylabel="½ log₂(2πeG)  (bits per dimension)",
           xlim=(0, nn[-1] + 0.5), ylim=(0, 0.27),
           title="Rate gap of lattice quantization vs dimension")
    sec = ax.secondary_yaxis("right", functions=(lambda b: b * 20 * math.log10(2),
                                                 lambda db: db / (20 * math.log10(2))))
    sec.set_ylabel("10·log₁₀(2πeG)  (dB)")
    ax.legend(loc="upper right", ncol=2)
    return FigureResult(fig, ("kind", "lattice", "dimension", "G", "gap_bits"), rows)
