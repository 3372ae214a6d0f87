"""Claims: self-similar nested lattices Λ = Γ·Λ_f and the QSD-LTC dither (Zamir 2014, ch. 8).

For each (Λ_f, Γ) of :data:`CONFIGS` four claims, ids ``nested.<Λ_f>_gamma<Γ>.<check>``:

* ``count``: Γ^n representatives, and Γ^n = V(Λ)/V(Λ_f) (the index of Λ in Λ_f);
* ``in_cell``: every representative lies in the closed coarse Voronoi cell, checked against the
  Voronoi-relevant vectors of Λ (enumeration, independent of the fast decoders), and Q_Λ(r) = 0
  except at ties (where Q_Λ(r) is a lattice point exactly as near as 0);
* ``distinct_cosets``: the representatives are fine-lattice points whose coefficient vectors are
  pairwise distinct modulo Γ (one per coset of Λ_f/Λ);
* ``uniform``: the total dither û + u_f is a fine point of the closed coarse cell plus a point of
  the fine cell, its fine-lattice cosets are equally frequent, and reduced modulo Λ it is uniform
  on V0(Λ) (mean, second moment and per-coordinate KS tests, Bonferroni family level 0.001).

The check functions take the object or the sampler to test, so the test suite can hand them a
deliberately broken construction and watch them fail.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from rdptheory.dither import sample_voronoi
from rdptheory.nested import nested
from rdptheory.stats import normal_quantile

from .registry import ClaimResult, claim

SOURCE = ("Lei, Hassani & Saeedi Bidokhti, NeurIPS 2025 (QSD-LTC) "
          "(arXiv 2503.17558); Zamir, Lattice Coding for Signals and Networks, 2014, ch. 8")

#: (fine lattice, Γ) pairs with claims
CONFIGS = (("Z1", 3), ("A2", 2), ("A2", 3), ("D4", 2), ("D4", 3), ("E8", 2), ("E8", 3))

FAMILY_ALPHA = 0.001


def _scale2(nl):
    """A squared length of the coarse lattice's size, for relative tolerances."""
    return nl.coarse.volume ** (2.0 / nl.dimension)


# ---------------------------------------------------------------------------- structure
def count_check(nl, reps=None):
    """len(reps) against Γ^n; also requires ``nl.count`` = Γ^n = V(Λ)/V(Λ_f)."""
    reps = nl.representatives() if reps is None else np.asarray(reps)
    expected = nl.ratio ** nl.dimension
    index = nl.coarse.volume / nl.fine.volume
    consistent = nl.count == expected and math.isclose(index, expected, rel_tol=1e-9)
    value = float(len(reps)) if consistent else math.nan
    return ClaimResult(value=value, reference=float(expected), tolerance=0.0, comparison="abs",
                       details=(f"{len(reps)} representatives; Γ^n = {nl.ratio}^{nl.dimension} "
                                f"= {expected}; nl.count = {nl.count}; V(Λ)/V(Λ_f) = "
                                f"{index:.10g}"))


def in_cell_check(nl, reps=None):
    """Every representative r is in the closed cell: ||r||² <= ||r − v||² for each
    Voronoi-relevant vector v of Λ, and Q_Λ(r) = 0 unless ||r − Q_Λ(r)|| = ||r|| (a tie).

    The value is the largest violation max(||r||² − ||r − v||², ||r||² − ||r − Q_Λ(r)||²)
    relative to V(Λ)^(2/n); it must be <= 1e-9.
    """
    reps = nl.representatives() if reps is None else np.asarray(reps, dtype=np.float64)
    s2 = _scale2(nl)
    rv = nl.coarse.relevant_vectors()
    norm2 = np.einsum("ij,ij->i", reps, reps)
    # ||r - v||^2 - ||r||^2 = ||v||^2 - 2 r.v
    gap = np.einsum("ij,ij->i", rv, rv)[None, :] - 2.0 * reps @ rv.T
    worst_rv = float(-gap.min(initial=np.inf)) / s2
    ties = int((gap.min(axis=1, initial=np.inf) <= 1e-9 * s2).sum())
    q = nl.coarse.nearest_point(reps)
    moved = np.abs(q).max(axis=1, initial=0.0) > 1e-9 * math.sqrt(s2)
    d_q = norm2 - np.einsum("ij,ij->i", reps - q, reps - q)
    worst_q = float(d_q[moved].max(initial=-np.inf)) / s2
    value = max(worst_rv, worst_q)
    moved_text = (f"; Q_Λ(r) ≠ 0 for {int(moved.sum())} (decoder tie rule; max "
                  f"(||r||² − ||r − Q_Λ(r)||²)/V^(2/n) over them = {worst_q:.3g})"
                  if moved.any() else "; Q_Λ(r) = 0 for all")
    return ClaimResult(value=value, reference=0.0, tolerance=1e-9, comparison="le",
                       details=(f"{len(reps)} representatives, {len(rv)} relevant vectors of Λ; "
                                f"max (||r||² − ||r − v||²)/V^(2/n) = {worst_rv + 0.0:.3g}; "
                                f"{ties} on the cell boundary (ties){moved_text}"))


def _coset_index(nl, points):
    """Mixed-radix index in [0, Γ^n) of the coset of Λ in Λ_f of each fine-lattice point."""
    z = np.mod(nl.fine.coefficients(points), nl.ratio)
    weights = nl.ratio ** np.arange(nl.dimension - 1, -1, -1, dtype=np.int64)
    return z @ weights


def distinct_cosets_check(nl, reps=None):
    """The representatives are fine-lattice points in pairwise distinct cosets of Λ: the number
    of distinct coefficient vectors modulo Γ must be Γ^n."""
    reps = nl.representatives() if reps is None else np.asarray(reps, dtype=np.float64)
    expected = nl.ratio ** nl.dimension
    try:
        idx = _coset_index(nl, reps)
    except ValueError as exc:  # not fine-lattice points
        return ClaimResult(value=math.nan, reference=float(expected), tolerance=0.0,
                           details=f"representatives are not points of Λ_f: {exc}")
    distinct = len(np.unique(idx))
    return ClaimResult(value=float(distinct), reference=float(expected), tolerance=0.0,
                       comparison="abs",
                       details=(f"{len(reps)} representatives in {distinct} distinct cosets "
                                f"(coefficients mod {nl.ratio}); Γ^n = {expected}"))


# ---------------------------------------------------------------------------- uniformity
def _default_sampler(nl, size, rng):
    return nl.sample_dither(size, rng)


def uniformity_check(nl, N, seed, sampler=_default_sampler):
    """The QSD total dither x = ``sampler(nl, N, rng)`` against its three defining properties.

    1. Support: q = Q_{Λ_f}(x) is in the closed coarse cell (||q||² <= ||q − Q_Λ(q)||²), i.e.
       x is a representative plus a point of V0(Λ_f). Any violation fails the check.
    2. Cosets: the Γ^n cosets of q are equally frequent (chi-square test), when N >= 5·Γ^n.
    3. Uniformity modulo Λ: w = x − Q_Λ(x) has mean 0 and per-dimension second moment
       G·V(Λ)^(2/n) (``coarse.second_moment_reference``) within Bonferroni z-thresholds, and
       each coordinate passes a two-sample KS test against fresh ``sample_voronoi(coarse)``.

    All tests share the family level 0.001 (Bonferroni). The value is the worst of the ratios
    z / threshold and alpha / p, or 1 + (number of out-of-support samples) if any; it must be
    <= 1.
    """
    L, Lf, n = nl.coarse, nl.fine, nl.dimension
    rng = np.random.default_rng(seed)
    x = np.asarray(sampler(nl, N, rng), dtype=np.float64)
    if x.shape != (N, n):
        raise ValueError(f"sampler returned shape {x.shape}; expected {(N, n)}")
    s2 = _scale2(nl)

    # 1. support
    q = Lf.nearest_point(x)
    qq = L.nearest_point(q)
    excess = np.einsum("ij,ij->i", q, q) - np.einsum("ij,ij->i", q - qq, q - qq)
    n_out = int((excess > 1e-9 * s2).sum())

    # 2. cosets
    K = nl.ratio ** n
    use_chi2 = K > 1 and N >= 5 * K
    n_tests = (n + 1) + n + (1 if use_chi2 else 0)
    alpha = FAMILY_ALPHA / n_tests
    thr = normal_quantile(1 - alpha / 2)
    p_values = {}
    if use_chi2:
        counts = np.bincount(_coset_index(nl, q), minlength=K)
        p_values["coset chi-square"] = float(stats.chisquare(counts).pvalue)

    # 3. modulo Λ
    w = x - L.nearest_point(x)
    s = np.einsum("ij,ij->i", w, w) / n
    target = L.second_moment_reference
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_z = np.abs(w.mean(axis=0)) / (w.std(axis=0, ddof=1) / math.sqrt(N))
        second_z = abs(s.mean() - target) / (s.std(ddof=1) / math.sqrt(N))
    mean_z = float(np.nan_to_num(mean_z, nan=np.inf).max())
    second_z = float(np.nan_to_num(second_z, nan=np.inf))
    fresh = sample_voronoi(L, N, rng=rng)
    for i in range(n):
        p_values[f"KS x{i}"] = float(stats.ks_2samp(w[:, i], fresh[:, i]).pvalue)

    worst_p_name = min(p_values, key=p_values.get)
    min_p = p_values[worst_p_name]
    ratio = max(mean_z / thr, second_z / thr, alpha / max(min_p, 1e-300))
    value = 1.0 + n_out if n_out else ratio
    return ClaimResult(
        value=value, reference=0.0, tolerance=1.0, comparison="le",
        details=(f"N = {N}; {n_out} samples outside (fine point of the closed coarse cell) + "
                 f"V0(Λ_f); {n_tests} tests, z threshold {thr:.2f}, alpha {alpha:.2g}; "
                 f"max |mean| {mean_z:.2f} SE; second moment {s.mean():.6g} vs "
                 f"G·V^(2/n) = {target:.6g} ({second_z:.2f} SE); min p {min_p:.2g} "
                 f"({worst_p_name}){'' if use_chi2 else '; coset chi-square skipped (N < 5·Γ^n)'}"))


# ---------------------------------------------------------------------------- registration
def _register(name, G):
    key = f"nested.{name}_gamma{G}"
    n = nested(name, G).dimension
    count = G ** n

    @claim(f"{key}.count",
           f"{name} ⊂ Λ = {G}·{name}: {count} = {G}^{n} coset representatives, "
           f"= V(Λ)/V(Λ_f)", SOURCE, kind="independent")
    def _count(ctx):
        return count_check(nested(name, G))

    @claim(f"{key}.in_cell",
           f"The {count} representatives of {name}/{G}·{name} lie in the closed Voronoi cell "
           f"of {G}·{name} (relevant-vector test; Q_Λ(r) = 0 except at ties)", SOURCE,
           kind="independent")
    def _in_cell(ctx):
        return in_cell_check(nested(name, G))

    @claim(f"{key}.distinct_cosets",
           f"The {count} representatives of {name}/{G}·{name} are {name} points in pairwise "
           f"distinct cosets (coefficients distinct mod {G})", SOURCE, kind="independent")
    def _distinct(ctx):
        return distinct_cosets_check(nested(name, G))

    @claim(f"{key}.uniform",
           f"{name}, Γ = {G}: representative + uniform {name}-cell dither is a fine point of "
           f"the closed coarse cell plus a fine-cell point, hits the {count} cosets equally "
           "often, and reduced modulo Λ is uniform on V0(Λ): mean, second moment G·V^(2/n) and "
           "per-coordinate two-sample KS tests (Bonferroni, family level 0.001)", SOURCE,
           kind="statistical")
    def _uniform(ctx):
        # enough samples for the coset chi-square (>= 5 per coset) where that is cheap
        N = max(200_000 if ctx.full else 20_000, min(5 * count, 100_000))
        offset = CONFIGS.index((name, G))
        return uniformity_check(nested(name, G), N, ctx.seed + 7919 * (offset + 1))


for _name, _G in CONFIGS:
    _register(_name, _G)
