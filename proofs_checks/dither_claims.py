"""Claims: uniform sampling on the Voronoi cell and the crypto lemma, under adversarial inputs."""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from rdptheory.dither import dithered_quantize, sample_voronoi
from rdptheory.lattices import get
from rdptheory.stats import normal_quantile

from .registry import ClaimResult, claim

SOURCE = ("Zamir & Feder 1992, 1996 (crypto lemma); Lei, Hassani & Saeedi Bidokhti, NeurIPS "
          "2025, Prop. 3.3 context")
LATTICES = ("Z2", "A2", "D4", "E8", "Leech")


def _moment_z(L, w):
    """z-scores of the sample mean (vs 0) and of the per-dimension second moment (vs the exact
    G V^{2/n} when the error is white, which holds for these lattices: Zamir & Feder 1996)."""
    n = L.dimension
    N = w.shape[0]
    s = np.einsum("ij,ij->i", w, w) / n
    target = L.second_moment_reference  # G V^{2/n}
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_z = np.abs(w.mean(axis=0)) / (w.std(axis=0, ddof=1) / math.sqrt(N))
        second_z = abs(s.mean() - target) / (s.std(ddof=1) / math.sqrt(N))
    # a degenerate (zero-variance) error is not uniform on the cell: NaN counts as a failure
    return float(np.nan_to_num(mean_z, nan=np.inf).max()), float(np.nan_to_num(second_z, nan=np.inf))


def _scenarios(L, N, rng):
    n = L.dimension
    cell = L.volume ** (1 / n)
    far = rng.integers(-10**6, 10**6, size=(N, n)) @ L.generator
    mins = L.short_vectors(L.minimum_norm())
    facets = (rng.integers(-3, 4, size=(N, n)) @ L.generator
              + mins[rng.integers(0, len(mins), N)] / 2)
    return {
        "constant y": np.tile(rng.normal(size=n) * 5 * cell, (N, 1)),
        "Gaussian y": rng.normal(size=(N, n)) * 3 * cell,
        "huge y (1e6 cells)": far + rng.random((N, n)) * cell,
        "Cauchy y": rng.standard_cauchy(size=(N, n)) * cell,
        "y on Voronoi facets (midpoints of minimal vectors)": facets,
        "y on lattice points": rng.integers(-5, 6, size=(N, n)) @ L.generator,
    }


@claim("dither.voronoi_uniform_moments",
       "Samples from sample_voronoi have mean 0 and per-dimension second moment G·V^(2/n) "
       "(exact G) for Z3, A2, D4, E8: every z-score below the Bonferroni 99.9% quantile",
       "Conway & Sloane 1984 (x - Q(x) is uniform on the cell); exact G: Conway & Sloane 1982",
       kind="statistical")
def _uniform(ctx):
    N = 400_000 if ctx.full else 100_000
    names = ("Z3", "A2", "D4", "E8")
    k = sum(get(m).dimension + 1 for m in names)
    thr = normal_quantile(1 - 0.001 / (2 * k))
    worst, rows = 0.0, []
    for i, name in enumerate(names):
        L = get(name)
        w = sample_voronoi(L, N, rng=ctx.seed + i)
        mz, sz = _moment_z(L, w)
        worst = max(worst, mz, sz)
        rows.append(f"{name}: max |mean| {mz:.2f} SE, second moment {sz:.2f} SE")
    return ClaimResult(value=worst, reference=0.0, tolerance=thr, comparison="le",
                       details="; ".join(rows) + f" (threshold {thr:.2f})")


def crypto_lemma_check(L, N, seed, quantize=dithered_quantize):
    """The crypto-lemma statistics for ``quantize(y, L, rng=...)`` (which must return an
    object with ``.error``) over the adversarial scenarios; returns a ClaimResult."""
    n = L.dimension
    rng = np.random.default_rng(seed)
    scen = _scenarios(L, N, rng)
    n_tests = len(scen) * (n + 1 + n * n + n)  # mean + second moment, corr, KS
    alpha = 0.001 / n_tests
    thr = normal_quantile(1 - alpha / 2)
    worst_z, worst_p, rows = 0.0, 1.0, []
    for j, (label, y) in enumerate(scen.items()):
        w = quantize(y, L, rng=seed + 100 + j).error
        mz, sz = _moment_z(L, w)
        # independence: correlation of each error coordinate with a bounded transform of each
        # y coordinate (arctan keeps Cauchy and huge y meaningful); skipped for constant y
        ys = y - np.median(y, axis=0)
        t = np.arctan(ys / (np.std(ys, axis=0) + 1e-300))
        cz = 0.0
        if np.all(np.std(t, axis=0) > 0):
            with np.errstate(divide="ignore", invalid="ignore"):
                C = np.corrcoef(w.T, t.T)[:n, n:]
            cz = float(np.nan_to_num(np.abs(C), nan=np.inf).max() * math.sqrt(N))
        fresh = sample_voronoi(L, N, rng=seed + 200 + j)
        pks = min(stats.ks_2samp(w[:, i], fresh[:, i]).pvalue for i in range(n))
        worst_z = max(worst_z, mz, sz, cz)
        worst_p = min(worst_p, pks)
        rows.append(f"{label}: mean {mz:.1f}, 2nd moment {sz:.1f}, corr {cz:.1f} SE, "
                    f"min KS p {pks:.2g}")
    # pass iff every z is below thr and every KS p-value above alpha: the worst of the ratios
    # z / thr and alpha / p must be <= 1
    value = max(worst_z / thr, alpha / max(worst_p, 1e-300))
    return ClaimResult(value=value, reference=0.0, tolerance=1.0, comparison="le",
                       details=(f"N = {N} per scenario; z threshold {thr:.2f}, KS alpha "
                                f"{alpha:.1g}; " + "; ".join(rows)))


def _register(name):
    @claim(f"dither.crypto_lemma.{name}",
           f"{name}: Q(y-u)+u-y is uniform on the cell and independent of y for constant, "
           "Gaussian, huge (1e6 cells), Cauchy, facet and lattice-point y: moments within "
           "SE of the exact cell moments, no correlation with y, and per-coordinate two-sample "
           "KS tests against fresh cell samples pass (Bonferroni, family level 0.001)",
           SOURCE, kind="statistical")
    def _crypto(ctx, name=name):
        L = get(name)
        N = 40_000 if ctx.full else (4_000 if L.dimension > 16 else 10_000)
        return crypto_lemma_check(L, N, ctx.seed)


for _name in LATTICES:
    _register(_name)
