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
                     "blocks of the lattice's dimension, with the parameters of Thm 4.3 (SD) or "
                     "Thm 4.5 (PD, and QSD on the coarse lattice). Prints the rate (bits per "
                     "dimension, from cell probabilities), the distortion and the perception "
                     "(per-dimension squared W2; exact for n = 1, sliced for n > 1), each with "
                     "its standard error, and the theory they are compared with."),
        epilog="examples:\n  rdptheory simulate --scheme sd --lattice E8 --D 0.25 --P 0.02\n"
               "  rdptheory simulate --scheme qsd --lattice E8 --D 0.5 --ratio 3 --json",
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("--scheme", choices=("sd", "pd", "qsd"), required=True)
    p.add_argument("--lattice", default="E8", help="registry name (default E8)")
    p.add_argument("--D", type=float, required=True, help="target distortion per dimension")
    p.add_argument("--P", type=float, default=0.0,
                   help="perception budget (SD only; PD and QSD work at P = 0)")
    p.add_argument("--ratio", type=float, default=None, help="nesting ratio Γ (QSD), integer >= 1")
    p.add_argument("--sigma2", type=float, default=1.0)
    p.add_argument("--samples", type=float, default=20_000, help="source blocks (default 2e4)")
    p.add_argument("--cell-samples", type=int, default=4096,
                   help="uniform cell points per cell probability (default 4096)")
    p.add_argument("--rate-method", choices=("auto", "uniform", "mis"), default="auto",
                   help="cell-probability estimator: uniform log-mean-exp, multiple importance "
                        "sampling, or auto (uniform where its bias diagnostic is < SE/4)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(run=run)


def _integer(value, name):
    if value is None or not math.isfinite(value) or value != math.floor(value) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
    return int(value)


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
    from ..perception import sd_ltc_perception_bounds, sliced_w2
    n = _integer(args.samples, "--samples")
    if args.scheme != "sd" and args.P != 0.0:
        raise ValueError(f"--P applies to --scheme sd only ({args.scheme} works at P = 0)")
    if args.scheme == "qsd":
        ratio = _integer(args.ratio, "--ratio")
    elif args.ratio is not None:
        raise ValueError("--ratio applies to --scheme qsd only")
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
                  progress=progress, rate_method=args.rate_method)
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
    out["perception"] = {"value": perc, "stderr": perc_se, "method": how,
                         "bounds": None if bounds is None else [float(b) for b in bounds]}
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.json:
        print(json.dumps(jsonable(out), indent=2))
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
    print(f"perception  {perc:.5f}" + (f" ± {perc_se:.2g}" if perc_se else "") + f"  [{how}]")
    if bounds is not None:
        print(f"            bounds [{float(bounds[0]):.5f}, {float(bounds[1]):.5f}] (Thm 4.3)")
    for k, v in op.parameters.items():
        print(f"param       {k} = {v}")
    for k, v in op.theory.items():
        print(f"theory      {k} = {v:.6g}")
    return 0
