"""Claims: exact normalized second moments from the Voronoi cell (``rdptheory.lattices.voronoi_cell``).

Ids ``exact_nsm.*``:

* ``closed_form.<name>`` -- the exact G computed from the lattice equals the closed form of
  Conway & Sloane (CS82V; SPLAG ch. 21), written here symbolically (sympy) and compared
  exactly, not in floats;
* ``quoted_digits`` -- the 30-digit decimals reproduce the printed digits of the NSM table;
* ``cell_counts.<name>`` -- vertex and facet counts of the cell against the literature
  (E8: 240 facets, 19440 vertices; the 24-cell; the permutohedron of A_n*);
* ``mc_covers_exact`` / ``E8.mc_covers_exact`` -- the Monte Carlo 99.9% interval of
  :func:`rdptheory.nsm.nsm_estimate` contains the exact value;
* ``E8.se_coverage`` -- over many seeds, the nominal 95% intervals of ``nsm_estimate`` cover
  the exact G(E8) computed from the lattice at a rate in [0.92, 0.98].

The check functions take the implementation under test as an argument so that the negative
controls (``tests/test_negative_exact_nsm.py``) can feed them plausible wrong ones.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp

from rdptheory.lattices import get
from rdptheory.lattices._reference import QUOTED_NSM, quoted_uncertainty
from rdptheory.lattices.voronoi_cell import exact_voronoi_cell, nsm_exact
from rdptheory.nsm import nsm_estimate
from rdptheory.stats import normal_quantile

from .registry import ClaimResult, claim

Z999 = normal_quantile(0.9995)  # two-sided 99.9%
PREFIX = "exact_nsm"
SOURCE = ("Conway & Sloane, 'Voronoi regions of lattices, second moments of polytopes, and "
          "quantization', IEEE T-IT 28(2), 1982 (CS82V); SPLAG ch. 21")


@functools.lru_cache(maxsize=None)
def exact(name):
    """nsm_exact of a registry lattice, cached across claims."""
    return nsm_exact(get(name), name=name)


def _r(a, b=1):
    return sp.Rational(a, b)


def _irwin_hall_mad(n):
    """M_n = E|S_n - n/2| (CS82V's D_n* formula), exactly."""
    half = _r(n, 2)
    return 2 * sum((-1) ** k * sp.binomial(n, k) * (half - k) ** (n + 1)
                   for k in range(n // 2 + 1)) / sp.factorial(n + 1)


#: CS82V closed forms (SPLAG ch. 21, Table 21.1 and eqs. for the families), symbolic.
#: A_n*: G = J_(n+1) / (n (n+1)^(1-1/n)) with CS82V's J_5 = 389/375, J_6 = 1045/648 (as
#: transcribed by a secondary source, CS82V-J in the reference module: the exact computation
#: checks that transcription).
CLOSED_FORMS = {
    "Z4": (_r(1, 12), "Z^n: 1/12"),
    "Z8": (_r(1, 12), "Z^n: 1/12"),
    "A2": (_r(5, 36) / sp.sqrt(3), "A2: 5/(36√3)"),
    "A3": (_r(1, 12) + _r(1, 24), "A_n: (n+1)^(-1/n) (1/12 + 1/(6(n+1))) at n = 3"),
    "A3*": (_r(19, 192) / sp.root(2, 3), "A3* (bcc): 19/(192·2^(1/3))"),
    "A4*": (_r(389, 375) / (4 * sp.Integer(5) ** _r(3, 4)), "A_n*: J_5/(4·5^(3/4)), J_5 = 389/375"),
    "A5*": (_r(1045, 648) / (5 * sp.Integer(6) ** _r(4, 5)),
            "A_n*: J_6/(5·6^(4/5)), J_6 = 1045/648"),
    "D4": (_r(13, 120) / sp.sqrt(2), "D4: 13/(120√2)"),
    "D4*": (_r(13, 120) / sp.sqrt(2), "D4* ~ D4"),
    "D5*": (sp.Integer(2) ** _r(2, 5) * (_r(1, 12) - _irwin_hall_mad(5) / 20),
            "D_n*: 2^(2/n) (1/12 - M_n/(4n)) at n = 5"),
    "E6": (_r(5, 56) * sp.Integer(3) ** _r(-1, 6), "E6: (5/56)·3^(-1/6)"),
    "E6*": (_r(12619, 204120) * sp.Integer(3) ** _r(1, 6), "E6*: (12619/204120)·3^(1/6)"),
    "E7": (_r(163, 2016) * sp.Integer(2) ** _r(-1, 7), "E7: 163/(2016·2^(1/7))"),
    "E7*": (_r(21361, 322560) * sp.Integer(2) ** _r(1, 7), "E7*: (21361/322560)·2^(1/7)"),
    "E8": (_r(929, 12960), "E8: 929/12960"),
}
# the A_n closed form at n = 3 with its radical
CLOSED_FORMS["A3"] = (sp.Integer(4) ** _r(-1, 3) * (_r(1, 12) + _r(1, 24)),
                      CLOSED_FORMS["A3"][1])
# the families of CS82V: A_n, D_n, D_n* (Irwin-Hall M_n), up to dimension 8
for _n in range(4, 9):
    CLOSED_FORMS[f"A{_n}"] = (sp.Integer(_n + 1) ** _r(-1, _n) * (_r(1, 12) + _r(1, 6 * (_n + 1))),
                              f"A_n: (n+1)^(-1/n) (1/12 + 1/(6(n+1))) at n = {_n}")
for _n in range(5, 9):
    CLOSED_FORMS[f"D{_n}"] = (sp.Integer(2) ** _r(-2, _n) * (_r(1, 12) + _r(1, 2 * _n * (_n + 1))),
                              f"D_n: 2^(-2/n) (1/12 + 1/(2n(n+1))) at n = {_n}")
for _n in range(6, 9):
    CLOSED_FORMS[f"D{_n}*"] = (sp.Integer(2) ** _r(2, _n) * (_r(1, 12) - _irwin_hall_mad(_n)
                                                              / (4 * _n)),
                               f"D_n*: 2^(2/n) (1/12 - M_n/(4n)) at n = {_n}")

#: Cell counts from the literature: (facets, vertices, source).
CELL_COUNTS = {
    "D4": (24, 24, "the 24-cell (SPLAG ch. 21 §3; Coxeter, Regular Polytopes)"),
    "A4*": (30, 120, "permutohedron: 2^(n+1)-2 facets, (n+1)! vertices (SPLAG ch. 21 §3)"),
    "A5*": (62, 720, "permutohedron: 2^(n+1)-2 facets, (n+1)! vertices (SPLAG ch. 21 §3)"),
    "Z8": (16, 256, "the cube: 2n facets, 2^n vertices"),
    "E8": (240, 19440, "CS82V; SPLAG ch. 21 §3: 240 facets, 2160 + 17280 vertices"),
}

#: Closed-form claims cheap enough for the quick run (< ~3 s each on one core).
QUICK = ("Z4", "Z8", "A2", "A3", "A3*", "A4*", "A5*", "D4", "D4*", "D5*", "E6", "A4", "A5",
         "A6", "D5", "D6")


# ----------------------------------------------------------------------------- checks
def closed_form_check(name, compute=exact):
    """Exact symbolic comparison of ``compute(name).value`` with the CS82V closed form."""
    ref, formula = CLOSED_FORMS[name]
    r = compute(name)
    diff = sp.simplify(sp.sympify(r.value) - ref)
    # symbolic equality or nothing: a difference sympy cannot reduce to 0 fails
    value = 0.0 if diff == 0 else max(abs(float(sp.N(diff, 40))), 1e-300)
    return ClaimResult(value=value, reference=0.0, tolerance=0.0, comparison="abs",
                       details=(f"computed {r.value} = {r.decimal}; literature {formula} = "
                                f"{sp.N(ref, 30)}; {r.n_facets} facets, {r.n_vertices} vertices, "
                                f"{r.wall_time:.2f} s"))


def quoted_digits_check(names, compute=exact):
    """The 30-digit decimal against each printed value of the NSM table (± half a unit)."""
    worst, rows = 0.0, []
    for name in names:
        key = "Z" if name.startswith("Z") else name
        text, _src = QUOTED_NSM[key]
        dev = abs(float(compute(name).decimal) - float(text)) / quoted_uncertainty(text)
        worst = max(worst, dev)
        rows.append(f"{name}: {compute(name).decimal[:14]} vs {text}")
    return ClaimResult(value=worst, reference=1.0, tolerance=0.0, comparison="le",
                       details="deviation in half-units of the last printed digit (max): "
                               + "; ".join(rows))


def cell_counts_check(name, cell=exact_voronoi_cell):
    facets, vertices, src = CELL_COUNTS[name]
    c = cell(get(name))
    bad = abs(c.n_facets - facets) + abs(c.n_vertices - vertices)
    return ClaimResult(value=bad, reference=0.0, tolerance=0.0, comparison="abs",
                       details=(f"{c.n_facets} facets (literature {facets}), {c.n_vertices} "
                                f"vertices (literature {vertices}); {src}"))


def mc_covers_check(names, n_samples, seed, compute=exact, estimate=nsm_estimate):
    """max over lattices of |Ĝ − G_exact| / SE; must be <= the 99.9% normal quantile."""
    worst, rows = 0.0, []
    for k, name in enumerate(names):
        r = estimate(name, n_samples, rng=seed + k, workers=1)
        z = abs(r.estimate - float(compute(name))) / r.stderr
        worst = max(worst, z)
        rows.append(f"{name}: {r.estimate:.7f} ± {r.stderr:.1g} ({z:.2f} SE)")
    return ClaimResult(value=worst, reference=Z999, tolerance=0.0, comparison="le",
                       details=f"N = {n_samples:,} each; " + "; ".join(rows))


def se_coverage_check(name, reps, n_samples, seed, compute=exact, estimate=nsm_estimate):
    """Fraction of nominal-95% intervals covering the exact G, over ``reps`` seeds."""
    G = float(compute(name))
    ss = np.random.SeedSequence(seed).spawn(reps)
    hits = 0
    for s in ss:
        lo, hi = estimate(name, n_samples, rng=s, workers=1).ci95
        hits += lo <= G <= hi
    cov = hits / reps
    return ClaimResult(value=cov, reference=0.95, tolerance=0.03, comparison="abs",
                       details=(f"{hits}/{reps} intervals ({n_samples} samples each) cover the "
                                f"exact G({name}) = {compute(name).value}; binomial SE of the "
                                f"coverage {math.sqrt(0.95 * 0.05 / reps):.3f}"))


# ----------------------------------------------------------------------------- claims
def _register_closed_form(name):
    formula = CLOSED_FORMS[name][1]

    @claim(f"{PREFIX}.closed_form.{name}",
           f"{name}: G computed exactly from the Voronoi cell (relevant vectors, exact vertex "
           f"enumeration, exact integration) equals the literature closed form {formula} "
           f"symbolically",
           SOURCE, cost="quick" if name in QUICK else "full", kind="independent")
    def _check(ctx, name=name):
        return closed_form_check(name)


for _name in CLOSED_FORMS:
    _register_closed_form(_name)


@claim(f"{PREFIX}.quoted_digits",
       "The 30-digit exact decimals reproduce the NSM table's printed 10 digits to half a unit "
       "of the last digit (Z, A2, A3, A3*, D4, D4*, D5*, E6; full run also E6*, E7, E7*, E8)",
       "NSM table of CS82V / SPLAG Table 2.3 as printed in the package's reference module",
       kind="literature")
def _quoted(ctx):
    names = ("Z4", "A2", "A3", "A3*", "D4", "D4*", "D5*", "E6")
    return quoted_digits_check(names + (("E6*", "E7", "E7*", "E8") if ctx.full else ()))


def _register_counts(name):
    facets, vertices, src = CELL_COUNTS[name]

    @claim(f"{PREFIX}.cell_counts.{name}",
           f"{name}: the computed Voronoi cell has {facets} facets and {vertices} vertices",
           src, cost="full" if name == "E8" else "quick", kind="literature")
    def _check(ctx, name=name):
        return cell_counts_check(name)


for _name in CELL_COUNTS:
    _register_counts(_name)


@claim(f"{PREFIX}.mc_covers_exact",
       "The Monte Carlo 99.9% interval of nsm_estimate (2^17 samples) contains the exact G "
       "from the Voronoi cell for A4*, A5*, D5*, D6* (full run: 2^20 samples, also E6*, E7*)",
       "exact values: this package's Voronoi-cell integration; estimator: nsm_estimate",
       kind="statistical")
def _mc_quick(ctx):
    names = ("A4*", "A5*", "D5*", "D6*") + (("E6*", "E7*") if ctx.full else ())
    return mc_covers_check(names,
                           (1 << 17) * (8 if ctx.full else 1), ctx.seed)


@claim(f"{PREFIX}.E8.mc_covers_exact",
       "E8: the Monte Carlo 99.9% interval of nsm_estimate (2^20 samples) contains the exact "
       "G(E8) computed from the Voronoi cell",
       "exact value: this package's Voronoi-cell integration (= 929/12960, CS82V)",
       cost="full", kind="statistical")
def _mc_e8(ctx):
    return mc_covers_check(("E8",), 1 << 20, ctx.seed)


@claim(f"{PREFIX}.E8.se_coverage",
       "E8: over 200 seeds, the nominal 95% intervals of nsm_estimate (4096 samples each) "
       "cover the exact G(E8) computed from the Voronoi cell at a rate in [0.92, 0.98]",
       "exact value: this package's Voronoi-cell integration (= 929/12960, CS82V)",
       cost="full", kind="statistical")
def _cov_e8(ctx):
    return se_coverage_check("E8", 400 if ctx.full else 200, 4096, ctx.seed + 17)
