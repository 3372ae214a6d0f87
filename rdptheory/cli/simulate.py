"""``rdptheory simulate``: one operating point of SD-, PD- or QSD-LTC on a Gaussian source."""
from __future__ import annotations

import json
import math
import sys

from ._format import jsonable

HELP = "simulate SD/PD/QSD-LTC on N(0, sigma2) blocks: rate, distortion, perception with SEs"


def add_parser(sub):
    p = sub.add_parser(
        "simulate", help=HELP,
        description=("Simulate dithered lattice transform coding of an i.i.d. Gaussian source in "
                     "blocks of the lattice's dimension, with the parameters of Thm 4.3 (SD), "
                     "Thm 4.5 (PD) or, for QSD, the Γ-dependent recipe of "
                     "rdptheory.gaussian.qsd_ltc_parameters (Thm 4.5 at Γ = 1, SD-LTC as "
                     "Γ → ∞; our construction, not a theorem of the papers). Prints the rate "
                     "(bits per dimension, from cell probabilities), the distortion and the "
                     "perception measurement (per-dimension squared W2: an estimate, an "
                     "interval [lower, upper] of bounds and the KL divergence to the target, "
                     "each with its standard error; the exact value too for n = 1), and the "
                     "theory they are compared with. --s and --dither build deliberately "
                     "broken schemes."),
        epilog="examples:\n  rdptheory simulate --scheme sd --lattice E8 --D 0.25 --P 0.02\n"
               "  rdptheory simulate --scheme qsd --lattice E8 --D 0.5 --ratio 3 --json\n"
               "  rdptheory simulate --scheme pd --lattice E8 --D 0.5 --s 0.75 --json",
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("--scheme", choices=("sd", "pd", "qsd"), required=True,
                   help="sd: shared dither; pd: private dither; qsd: quantized shared dither")
    p.add_argument("--lattice", default="E8", help="registry name (default E8)")
    p.add_argument("--D", type=float, required=True, help="target distortion per dimension")
    p.add_argument("--P", type=float, default=0.0,
                   help="perception budget (SD only; PD and QSD work at P = 0)")
    p.add_argument("--ratio", type=float, default=None, help="nesting ratio Γ (QSD), integer >= 1")
    p.add_argument("--s", type=float, default=None,
                   help="private-dither scale (PD, QSD; default: the theorem's recipe)")
    p.add_argument("--dither", choices=("voronoi", "cube"), default="voronoi",
                   help="shared-dither law (SD; 'cube' is a deliberately broken scheme)")
    p.add_argument("--sigma2", type=float, default=1.0, help="source variance σ² (default 1)")
    p.add_argument("--samples", type=float, default=20_000, help="source blocks (default 2e4)")
    p.add_argument("--cell-samples", type=int, default=4096,
                   help="uniform cell points per cell probability (default 4096)")
    p.add_argument("--rate-method", choices=("auto", "uniform", "mis"), default="auto",
                   help="cell-probability estimator: uniform log-mean-exp, multiple importance "
                        "sampling, or auto (uniform where its bias diagnostic is < SE/4)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=run)


def _integer(value, name):
    if value is None or not math.isfinite(value) or value != math.floor(value) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
    return int(value)


def _validate(args, ratio):
    """Raise ValueError for a bad lattice, D, P or sigma2, before any output (sizes: _check_sizes)."""
    from .. import gaussian as g
    from ..lattices import get
    get(args.lattice)
    if args.scheme == "sd":
        g.sd_ltc_parameters(args.D, args.P, args.sigma2)
    elif args.scheme == "pd":
        g.pd_ltc_parameters(args.D, args.sigma2)
    else:
        g.qsd_ltc_parameters(args.D, ratio, args.sigma2)
def _check_sizes(args, n):
    """Refuse sizes that cannot fit in memory (the samples are kept for the perception
    estimate: about 8 arrays of n blocks; the rate works in chunks of 4096 blocks against
    --cell-samples uniform points)."""
    from ..lattices import as_lattice
    from ._limits import check_memory
    if args.cell_samples < 16:
        raise ValueError(f"--cell-samples must be an integer >= 16; got {args.cell_samples}")
    dim = as_lattice(args.lattice).dimension
    check_memory(64 * n * dim, f"--samples {args.samples:g} with {args.lattice} (n = {dim})")
    check_memory(16 * 4096 * args.cell_samples * max(dim, 2),
                 f"--cell-samples {args.cell_samples} with {args.lattice} (n = {dim})")


def _rate_warnings(op):
    """Warnings about the printed rate: its bias diagnostic exceeds its SE, or it lies outside
    the theory band [R(D,P), R(D,P) + ½log2(2πeG)] by more than 3 SE (SD only)."""
    out = []
    rd = op.rate_diagnostic
    if rd.get("bias_exceeds_se"):
        out.append(f"rate bias diagnostic {rd['bias']:+.3g} (± {rd['bias_stderr']:.2g}) exceeds "
                   f"its standard error {op.rate_stderr:.2g}: the rate is not trustworthy at "
                   "that precision (more --cell-samples, or see docs/rates.md)")
    lo, hi = op.theory.get("rate_lower"), op.theory.get("rate_upper")
    if lo is not None and not (lo - 3 * op.rate_stderr <= op.rate <= hi + 3 * op.rate_stderr):
        out.append(f"rate outside the theory band: {op.rate:.5f} ± {op.rate_stderr:.2g} not in "
                   f"[{lo:.5f}, {hi:.5f}] within 3 SE")
    return out


def run(args):
    from .. import operating_points as ops
    from ..perception import sd_ltc_perception_bounds
    n = _integer(args.samples, "--samples")
    if not (math.isfinite(args.D) and args.D > 0):
        raise ValueError(f"--D must be a finite number > 0 (the rate at D = 0 is infinite); "
                         f"got {args.D:g}")
    _check_sizes(args, n)
    if args.scheme != "sd" and args.P != 0.0:
        raise ValueError(f"--P applies to --scheme sd only ({args.scheme} works at P = 0)")
    if args.scheme == "qsd":
        ratio = _integer(args.ratio, "--ratio")
    elif args.ratio is not None:
        raise ValueError("--ratio applies to --scheme qsd only")
    if args.scheme != "sd" and args.dither != "voronoi":
        raise ValueError("--dither applies to --scheme sd only")
    if args.scheme == "sd" and args.s is not None:
        raise ValueError("--s applies to --scheme pd and qsd only")
    if args.s is not None and not (math.isfinite(args.s) and args.s > 0):
        raise ValueError(f"--s must be a finite number > 0; got {args.s:g}")
    _validate(args, ratio if args.scheme == "qsd" else None)  # before any output
    bar = None
    if not args.no_progress:
        from tqdm import tqdm
        bar = tqdm(total=n, file=sys.stderr, leave=False, unit="block", desc="rate")

    def progress(done, total):
        if bar is not None:
            if done < bar.n:  # the rate estimator moved on to importance sampling
                bar.reset(total=total)
                bar.set_description("rate (importance sampling)")
            bar.update(done - bar.n)

    common = dict(n_samples=n, cell_samples=args.cell_samples, rng=args.seed, keep_samples=True,
                  progress=progress, perception=True, rate_method=args.rate_method)
    if args.scheme == "sd":
        op = ops.sd_operating_point(args.lattice, args.D, args.P, args.sigma2, dither=args.dither,
                                    **common)
    elif args.scheme == "pd":
        op = ops.pd_operating_point(args.lattice, args.D, args.sigma2, s=args.s, **common)
    else:
        op = ops.qsd_operating_point(args.lattice, args.D, ratio, args.sigma2, s=args.s, **common)
    if bar is not None:
        bar.close()
    perc = dict(op.perception)
    exact = _exact_1d(args, op)
    if exact is not None:
        perc["exact_w2"], perc["exact_kl"] = exact
    bounds = None
    if args.scheme == "sd" and args.dither == "voronoi":
        bounds = sd_ltc_perception_bounds(args.D, args.P, op.parameters["G"], args.sigma2)
        perc["theorem_4_3_bounds"] = [float(b) for b in bounds]
    out = op.as_dict()
    rd = op.rate_diagnostic
    out["rate"] = {"value": op.rate, "stderr": op.rate_stderr, "unit": "bits per dimension",
                   "jensen_bias_estimate": op.rate_jensen_bias,
                   "method": rd.get("method"), "bias_estimate": rd.get("bias"),
                   "bias_estimate_stderr": rd.get("bias_stderr"),
                   "bias_exceeds_se": rd.get("bias_exceeds_se")}
    warnings = _rate_warnings(op)
    out["rate"]["outside_theory_band"] = any(w.startswith("rate outside") for w in warnings)
    out["warnings"] = warnings
    out["distortion"] = {"value": op.distortion, "stderr": op.distortion_stderr}
    out["perception"] = perc
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.json:
        print(json.dumps(jsonable(out), indent=2, allow_nan=False))
        return 0
    print(f"scheme      {op.scheme} with {op.lattice} (n = {op.dimension}), sigma2 = {op.sigma2:g}")
    print(f"target      D = {args.D:g}, P = {op.target_perception:g}")
    print(f"rate        {op.rate:.5f} ± {op.rate_stderr:.2g} bit/dim "
          f"({rd.get('n_centers', op.n_samples):,} blocks, {rd.get('method')} estimator; "
          f"bias diagnostic {rd.get('bias', float('nan')):+.2g} ± "
          f"{rd.get('bias_stderr', float('nan')):.2g})")
    if "rate_lower" in op.theory:
        print(f"            band [{op.theory['rate_lower']:.5f}, {op.theory['rate_upper']:.5f}] "
              "(R(D,P), R(D,P) + ½log2(2πeG))")
    print(f"distortion  {op.distortion:.5f} ± {op.distortion_stderr:.2g}")
    for line in _perception_lines(perc):
        print(line)
    for k, v in op.parameters.items():
        print(f"param       {k} = {v}")
    for k, v in op.theory.items():
        print(f"theory      {k} = {v:.6g}")
    return 0


def _exact_1d(args, op):
    """(exact W2², exact KL) per dimension for n = 1 (the references of the measurement)."""
    if op.dimension != 1 or args.sigma2 != 1.0:
        return None
    from ..perception.exact_1d import (pd_output_1d, qsd_output_1d, sd_output_kl_1d,
                                       uniform_mixture_w2_kl)
    from ..operating_points import sd_perception_exact_1d
    if args.scheme == "sd":
        if args.dither != "voronoi":
            return None
        return sd_perception_exact_1d(args.D, args.P), sd_output_kl_1d(args.D, args.P)
    if args.scheme == "pd":
        return uniform_mixture_w2_kl(pd_output_1d(args.D, s=args.s))
    return uniform_mixture_w2_kl(qsd_output_1d(args.D, op.parameters["ratio"], s=args.s))


def _perception_lines(p):
    warn = "  (KL unavailable: coupling bound only)" if p["kl"] != p["kl"] else ""
    out = [f"perception  {p['estimate']:.3e} ± {p['estimate_stderr']:.1e}  [{p['method']}]",
           f"            interval [{p['lower']:.3e} ± {p['lower_stderr']:.1e} ({p['lower_bound']}), "
           f"{p['upper']:.3e} ± {p['upper_stderr']:.1e} ({p['upper_bound']})]{warn}",
           f"            KL/n {p['kl']:.4e} ± {p['kl_stderr']:.1e} nats"]
    for w in p.get("warnings", ()):
        out.append(f"            warning: {w}")
    if "exact_w2" in p:
        out.append(f"            exact (n = 1): W2² {p['exact_w2']:.6e}, KL {p['exact_kl']:.6e}")
    if "theorem_4_3_bounds" in p:
        lo, up = p["theorem_4_3_bounds"]
        out.append(f"            Thm 4.3 bounds [{lo:.5f}, {up:.5f}]")
    return out
