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
                     "perception (per-dimension squared W2; exact for n = 1, sliced for n > 1), each with "
                     "its standard error, and the theory they are compared with."),
        epilog="examples:\n  rdptheory simulate --scheme sd --lattice E8 --D 0.25 --P 0.02\n"
               "  rdptheory simulate --scheme qsd --lattice E8 --D 0.5 --ratio 3 --json",
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("--scheme", choices=("sd", "pd", "qsd"), required=True,
                   help="sd: shared dither; pd: private dither; qsd: quantized shared dither")
    p.add_argument("--lattice", default="E8", help="registry name (default E8)")
    p.add_argument("--D", type=float, required=True, help="target distortion per dimension")
    p.add_argument("--P", type=float, default=0.0,
                   help="perception budget (SD only; PD and QSD work at P = 0)")
    p.add_argument("--ratio", type=float, default=None, help="nesting ratio Γ (QSD), integer >= 1")
    p.add_argument("--sigma2", type=float, default=1.0, help="source variance σ² (default 1)")
    p.add_argument("--samples", type=float, default=20_000, help="source blocks (default 2e4)")
    p.add_argument("--cell-samples", type=int, default=4096,
                   help="uniform cell points per cell probability (default 4096)")
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
    if args.cell_samples < 2:
        raise ValueError(f"--cell-samples must be an integer >= 2; got {args.cell_samples}")
    dim = as_lattice(args.lattice).dimension
    check_memory(64 * n * dim, f"--samples {args.samples:g} with {args.lattice} (n = {dim})")
    check_memory(16 * 4096 * args.cell_samples * max(dim, 2),
                 f"--cell-samples {args.cell_samples} with {args.lattice} (n = {dim})")


def run(args):
    from .. import operating_points as ops
    from ..perception import sd_ltc_perception_bounds, sliced_w2
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
    _validate(args, ratio if args.scheme == "qsd" else None)  # before any output
    bar = None
    if not args.no_progress:
        from tqdm import tqdm
        bar = tqdm(total=n, file=sys.stderr, leave=False, unit="block", desc="rate")

    def progress(done, total):
        if bar is not None:
            bar.update(done - bar.n)

    common = dict(n_samples=n, cell_samples=args.cell_samples, rng=args.seed, keep_samples=True,
                  progress=progress)
    if args.scheme == "sd":
        op = ops.sd_operating_point(args.lattice, args.D, args.P, args.sigma2, **common)
    elif args.scheme == "pd":
        op = ops.pd_operating_point(args.lattice, args.D, args.sigma2, **common)
    else:
        op = ops.qsd_operating_point(args.lattice, args.D, ratio, args.sigma2, **common)
    if bar is not None:
        bar.set_description("perception")
    if args.scheme == "sd":
        perc, perc_se, how = ops.sd_perception(op, rng=args.seed + 1)
        bounds = sd_ltc_perception_bounds(args.D, args.P, op.parameters["G"], args.sigma2)
    else:
        r = sliced_w2(op.samples["x"], op.samples["x_hat"], 256, rng=args.seed + 1)
        perc, perc_se, how = r.estimate, r.stderr_total, "sliced W2² (256 projections)"
        bounds = None
    if bar is not None:
        bar.close()
    out = op.as_dict()
    out["rate"] = {"value": op.rate, "stderr": op.rate_stderr, "unit": "bits per dimension",
                   "jensen_bias_estimate": op.rate_jensen_bias}
    out["distortion"] = {"value": op.distortion, "stderr": op.distortion_stderr}
    out["perception"] = {"value": perc, "stderr": perc_se, "method": how,
                         "bounds": None if bounds is None else [float(b) for b in bounds]}
    if args.json:
        print(json.dumps(jsonable(out), indent=2, allow_nan=False))
        return 0
    print(f"scheme      {op.scheme} with {op.lattice} (n = {op.dimension}), sigma2 = {op.sigma2:g}")
    print(f"target      D = {args.D:g}, P = {op.target_perception:g}")
    print(f"rate        {op.rate:.5f} ± {op.rate_stderr:.2g} bit/dim "
          f"({op.n_samples:,} blocks, {op.cell_samples} cell samples)")
    print(f"distortion  {op.distortion:.5f} ± {op.distortion_stderr:.2g}")
    print(f"perception  {perc:.5f}" + (f" ± {perc_se:.2g}" if perc_se else "") + f"  [{how}]")
    if bounds is not None:
        print(f"            bounds [{float(bounds[0]):.5f}, {float(bounds[1]):.5f}] (Thm 4.3)")
    for k, v in op.parameters.items():
        print(f"param       {k} = {v}")
    for k, v in op.theory.items():
        print(f"theory      {k} = {v:.6g}")
    return 0
