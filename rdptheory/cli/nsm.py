"""``rdptheory nsm``: estimate a lattice's normalized second moment with an error bar."""
from __future__ import annotations

import json
import math
import sys

from ._format import jsonable, number, table

HELP = "estimate a lattice's normalized second moment G by (quasi-)Monte Carlo"


def _count(text, flag="--samples", lower=2):
    try:
        v = float(text)
    except ValueError:
        raise ValueError(f"{flag} must be an integer >= {lower} (e.g. 1e8); got {text!r}") from None
    if not math.isfinite(v) or v < lower or v != math.floor(v):
        raise ValueError(f"{flag} must be an integer >= {lower} (e.g. 1e8); got {text!r}")
    if v > 2.0 ** 78:
        raise ValueError(f"{flag} must be <= 2**78; got {text!r}")
    return int(v)


def _interrupt(exc):
    """True for Ctrl-C, also when it surfaced inside compiled code as a SystemError."""
    while exc is not None:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def add_parser(sub):
    p = sub.add_parser(
        "nsm", help=HELP,
        description=("Estimate G(Λ) = E‖x − Q(x)‖² / (n V^(2/n)) with a standard error and a 95% "
                     "confidence interval. The result depends on --seed and --samples only, not "
                     "on --workers. Ctrl-C prints the estimate so far."),
        epilog="examples:\n  rdptheory nsm E8 --samples 1e8\n  rdptheory nsm Leech --samples "
               "1e7 --method rqmc --json\n  rdptheory nsm --list",
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("lattice", nargs="?", help="registry name (E8, Leech, D4*, ...)")
    p.add_argument("--samples", default="1e6",
                   help="number of samples (default 1e6); with --method rqmc each of the "
                        "--replicates gets the largest power of two <= samples/replicates "
                        "(1e7 with 16 replicates uses 16 x 2^19 = 8,388,608; the count used is "
                        "printed)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--method", choices=("mc", "rqmc"), default="mc",
                   help="mc: i.i.d. uniform samples (default); rqmc: scrambled Sobol points, "
                        "error bar from independent scramblings")
    p.add_argument("--replicates", default="16", help="RQMC randomizations (default 16)")
    p.add_argument("--workers", type=int, default=None, help="local processes (default: all cores)")
    p.add_argument("--scheduler", default=None,
                   help="'dask' or the address of a distributed scheduler (optional extra)")
    p.add_argument("--checkpoint", metavar="FILE", default=None,
                   help="write the mergeable running state to FILE every --checkpoint-every "
                        "seconds, on Ctrl-C and at the end")
    p.add_argument("--checkpoint-every", type=float, default=60.0, metavar="SECONDS",
                   help="seconds between checkpoints (default 60)")
    p.add_argument("--resume", metavar="FILE", default=None,
                   help="continue the run saved in FILE (same lattice, --samples, --seed, "
                        "--method, --replicates): the result is bit-identical to an "
                        "uninterrupted run")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--list", action="store_true", help="list the registry with reference values")
    p.add_argument("--exact", action="store_true",
                   help="exact G from the Voronoi cell (dimension <= 8; needs rdptheory[exact])")
    p.set_defaults(run=run)


def _list():
    from ..lattices import get, list_lattices
    from ..nsm import sphere_bound
    rows = []
    for name in list_lattices(best_known=True):
        L = get(name)
        ref = L.nsm_reference
        kiss = L.kissing_number_reference
        rows.append([name, L.dimension, "—" if ref is None else f"{ref.value:.10g}",
                     "—" if ref is None else ("exact" if ref.exact else f"{ref.digits} digits"),
                     "—" if ref is None else ref.source, f"{sphere_bound(L.dimension):.7f}",
                     "—" if kiss is None else kiss[0], L.decoder])
    print(table(rows, ["lattice", "n", "G (reference)", "kind", "source", "sphere bound",
                       "kissing", "decoder"]))
    print("\nFamilies take any n: Zn, An, An*, Dn, Dn*, Dn+ (n even). The last five rows are "
          "the best known lattices without a closed-form G (see the decoder column).")
    return 0


def deviation_beyond_rounding(estimate, stderr, ref):
    """(estimate − reference) in standard errors, counted from the edge of the reference's
    rounding interval [value − u, value + u] (u = half a unit of its last printed digit; 0 for
    exact values): 0 inside the interval. The claims ``nsm.*.covers_reference`` use the same
    interval."""
    d = estimate - ref.value
    excess = max(abs(d) - ref.uncertainty, 0.0)
    return math.copysign(excess, d) / stderr if excess > 0 else 0.0


def _report(r, L, as_json, requested=None):
    from ..nsm import sphere_bound
    ref = L.nsm_reference
    out = r.as_dict()
    out["sphere_bound"] = sphere_bound(L.dimension)
    out["n_samples_requested"] = requested
    out["rate_gap_bits"] = 0.5 * math.log2(2 * math.pi * math.e * r.estimate)
    if ref is not None:
        out["reference"] = {"value": ref.value, "source": ref.source, "exact": ref.exact,
                            "rounding_uncertainty": ref.uncertainty,
                            "deviation_in_se": deviation_beyond_rounding(r.estimate, r.stderr,
                                                                         ref)}
    if as_json:
        print(json.dumps(jsonable(out), indent=2, allow_nan=False))
        return
    lo, hi = r.ci95
    lines = [
        ("lattice", f"{r.lattice} (n = {r.dimension})"),
        ("method", f"{r.method}" + (f", {r.replicates} replicates" if r.method == "rqmc" else "")),
        ("samples", f"{r.n_samples:,}" + ("" if r.complete else "  (INTERRUPTED: partial)")
         + (f"  ({requested:,} requested; RQMC uses a power of two per replicate)"
            if r.complete and requested is not None and requested != r.n_samples else "")),
        ("G estimate", f"{r.estimate:.9f} ± {r.stderr:.2g} (standard error)"),
        ("95% CI", f"[{lo:.9f}, {hi:.9f}]"),
    ]
    if r.method == "mc":
        lines.append(("jackknife SE", number(r.jackknife_stderr, 3)))
    if ref is not None:
        dev = deviation_beyond_rounding(r.estimate, r.stderr, ref)
        shown = (f"{ref.value:.10g} (exact; {ref.source})" if ref.exact else
                 f"{ref.value:.10g} ± {ref.uncertainty:.1g} ({ref.digits} digits; {ref.source})")
        lines.append(("reference G", shown))
        lines.append(("deviation", f"{dev:+.2f} SE" + (
            "" if ref.exact else (" (inside the published rounding interval)" if dev == 0 else
                                  " beyond the published rounding interval"))))
    lines += [("sphere bound", f"{sphere_bound(L.dimension):.9f}"),
              ("rate gap", f"{out['rate_gap_bits']:.5f} bit = 1/2 log2(2 pi e G)"),
              ("E|e|^4/V^(4/n)", f"{r.fourth_moment:.6g} ± {r.fourth_moment_stderr:.2g}"),
              ("whiteness", f"max |R_ij - G d_ij| / SE = {r.whiteness:.2f}"),
              ("wall time", f"{r.wall_time:.2f} s")]
    w = max(len(k) for k, _ in lines)
    for k, v in lines:
        print(f"{k.ljust(w)}  {v}")


def _exact(L, as_json):
    from ..lattices.voronoi_cell import nsm_exact
    try:
        r = nsm_exact(L, name=L.name)
    except ImportError as exc:  # the optional extra is missing: one line, exit 2
        raise ValueError(str(exc)) from None
    ref = L.nsm_reference
    if as_json:
        out = r.as_dict()
        if ref is not None:
            out["reference"] = {"value": ref.value, "source": ref.source, "exact": ref.exact}
        print(json.dumps(jsonable(out), indent=2))
        return 0
    lines = [("lattice", f"{r.lattice} (n = {r.dimension})"),
             ("G (exact)", str(r.value)),
             ("G (30 digits)", r.decimal),
             ("Voronoi cell", f"{r.n_facets} facets ({r.n_facet_orbits} orbit(s) integrated), "
                              f"{r.n_vertices} vertices; volume check {r.cell_volume} = 1"),
             ("faces integrated", f"{r.n_faces_integrated}")]
    if ref is not None:
        lines.append(("reference G", f"{ref.value:.10g} ({ref.source}); difference "
                                     f"{float(r) - ref.value:+.2g}"))
    lines.append(("wall time", f"{r.wall_time:.2f} s"))
    w = max(len(k) for k, _ in lines)
    for k, v in lines:
        print(f"{k.ljust(w)}  {v}")
    return 0


def run(args):
    from .._parallel import _DeferredInterrupt
    try:
        # Ctrl-C while numba compiles or loads its cache would be swallowed or turned into a
        # SystemError: take it at the next safe point instead
        with _DeferredInterrupt() as intr:
            return _run(args, intr)
    except (KeyboardInterrupt, SystemError) as exc:
        if not _interrupt(exc):
            raise
        print("rdptheory nsm: interrupted before the first chunk finished", file=sys.stderr)
        return 130


def _run(args, intr):
    if args.list:
        return _list()
    if not args.lattice:
        raise ValueError("name a lattice (e.g. `rdptheory nsm E8`) or use --list")
    from ..lattices import get
    from ..nsm import NsmInterrupted, nsm_estimate
    from .._parallel import resolve_workers
    L = get(args.lattice)
    intr.check()
    if args.exact:
        return _exact(L, args.json)
    n = _count(args.samples)
    replicates = _count(args.replicates, "--replicates")
    if args.resume is not None:
        import os
        if not os.path.isfile(args.resume):
            raise ValueError(f"--resume: no checkpoint file {args.resume!r}")
    if args.scheduler is None:
        resolve_workers(args.workers)
    bar = None
    progress = None
    if not args.no_progress:
        from tqdm import tqdm
        bar = tqdm(total=n, file=sys.stderr, unit="sample", unit_scale=True, leave=False,
                   dynamic_ncols=True, desc=f"G({L.name})")

        def progress(done, total):
            if bar.total != total:
                bar.total = total
            bar.update(done - bar.n)
    intr.check()
    try:
        r = nsm_estimate(L, n, rng=args.seed, method=args.method, replicates=replicates,
                         workers=args.workers, scheduler=args.scheduler, progress=progress,
                         checkpoint=args.checkpoint, resume=args.resume,
                         checkpoint_every=args.checkpoint_every)
    except NsmInterrupted as exc:
        if bar is not None:
            bar.close()
        saved = args.checkpoint or args.resume
        if exc.partial is None:
            print("rdptheory nsm: interrupted before the first chunk finished", file=sys.stderr)
        else:
            print("rdptheory nsm: interrupted; partial estimate:", file=sys.stderr)
            _report(exc.partial, L, args.json)
        if saved:
            print(f"rdptheory nsm: state saved to {saved}; continue with --resume {saved}",
                  file=sys.stderr)
        return 130
    if bar is not None:
        bar.close()
    _report(r, L, args.json, requested=n)
    return 0
