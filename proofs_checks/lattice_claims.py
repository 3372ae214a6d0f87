"""Claims: the lattice registry against the literature, and every fast decoder against the
exact generic decoder (LLL + Schnorr-Euchner)."""
from __future__ import annotations

import numpy as np

from rdptheory.lattices import get, list_lattices

from .registry import ClaimResult, claim

_SOURCE_DEC = ("Conway & Sloane 1982 (CS82F), Vardy & Be'ery 1993; oracle: Agrell, Eriksson, "
               "Vardy & Zeger 2002 (AEVZ02)")


def _points(L, m, seed):
    """Adversarial-ish random inputs: Gaussian clouds at three scales (inside a cell, a few
    cells, far away) around the origin, in units of the cell size."""
    rng = np.random.default_rng(seed)
    s = L.volume ** (1.0 / L.dimension)
    scales = np.array([0.3, 3.0, 1e3])[rng.integers(0, 3, m)]
    return rng.normal(size=(m, L.dimension)) * scales[:, None] * s


#: Quick-mode sample sizes where the generic (enumeration) decoder is slow: Leech's runs at about
#: 4e3 points/s (docs/lattice-quantizers.md, throughput), so 1e5 points would take 25 s of the
#: quick budget.
_QUICK_POINTS = {"Leech": 10_000}


def determinant_check(L, ref):
    """det(B Bᵀ) of ``L``'s basis against the literature value ``ref`` (1e-9 relative)."""
    val = float(np.linalg.det(L.gram))
    return ClaimResult(value=val, reference=ref, tolerance=1e-9 * ref, comparison="abs",
                       details=f"det(B Bᵀ) = {val:.12g}; {L.description}")


def kissing_check(L, ref):
    """The number of minimal vectors of ``L`` (short-vector enumeration) against ``ref``."""
    k = L.kissing_number()
    return ClaimResult(value=k, reference=ref, tolerance=0, comparison="abs",
                       details=f"minimum norm {L.minimum_norm():.6g}, {k} vectors")


def _register(name):
    L0 = get(name)

    @claim(f"lattices.{name}.determinant",
           f"{name}: Gram determinant of the registry basis equals the literature value "
           f"{L0.gram_determinant_reference[0]:.6g} (in the registry scaling)",
           L0.gram_determinant_reference[1], kind="literature")
    def _det(ctx, name=name):
        L = get(name)
        return determinant_check(L, L.gram_determinant_reference[0])

    if L0.kissing_number_reference is not None:
        ref_k, src_k = L0.kissing_number_reference

        @claim(f"lattices.{name}.kissing_number",
               f"{name}: the number of minimal vectors (short-vector enumeration) is {ref_k}",
               src_k, kind="literature")
        def _kiss(ctx, name=name, ref_k=ref_k):
            return kissing_check(get(name), ref_k)

    quick_m = _QUICK_POINTS.get(name, 100_000)

    @claim(f"lattices.{name}.fast_decoder_exact",
           f"{name}: the fast decoder returns a point as near as the exact generic decoder's on "
           f"{quick_m:.0e} random points (1e6 with --full), at three scales up to 1e3 cells"
           .replace("e+0", "e"),
           _SOURCE_DEC, kind="independent")
    def _agree(ctx, name=name, quick_m=quick_m):
        L = get(name)
        m = 1_000_000 if ctx.full else quick_m
        x = _points(L, m, ctx.seed)
        pf = L.nearest_point(x)
        pg = L.nearest_point_generic(x)
        df = np.sum((x - pf) ** 2, axis=1)
        dg = np.sum((x - pg) ** 2, axis=1)
        # rounding of |x - p|^2 for |x| up to ~1e3 cells: a few ulp of |x|^2
        tol = 1e-12 * (1.0 + np.sum(x * x, axis=1))
        excess = (df - dg) / tol
        worse = int(np.sum(excess > 1.0))
        differ = int(np.sum(np.any(pf != pg, axis=1)))
        return ClaimResult(value=worse, reference=0, tolerance=0, comparison="abs",
                           details=(f"{m} points: fast farther than generic at {worse}; "
                                    f"different points (equal distance, ties) at {differ}; "
                                    f"max (d_fast - d_generic) = {np.max(df - dg):.3g}"))


for _name in list_lattices():
    _register(_name)
