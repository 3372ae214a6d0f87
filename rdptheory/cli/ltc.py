"""``rdptheory ltc train``: train and evaluate one NTC/LTC on an i.i.d. source."""
from __future__ import annotations

import argparse
import json
import math
import sys

from ._format import jsonable

HELP = "train a numpy lattice transform coder (NTC = Z^n) and report rate, distortion, gap"


def add_parser(sub):
    p = sub.add_parser("ltc", help=HELP, description=HELP)
    lsub = p.add_subparsers(dest="ltc_command", metavar="ACTION")
    lsub.required = True
    t = lsub.add_parser(
        "train", help="train one model, evaluate it on held-out data",
        description=("Train an LTC (analysis transform, lattice quantizer, Monte Carlo cell "
                     "probabilities, synthesis transform; loss rate + λ·distortion) with Adam "
                     "on fresh source blocks, then evaluate it with hard quantization on "
                     "held-out blocks: rate (bits per scalar sample, cross-entropy), "
                     "distortion (MSE per sample) and the gap to R(D) (Gaussian) or to the "
                     "Shannon lower bound (Laplace)."),
        epilog=("examples:\n  rdptheory ltc train --lattice E8 --n 8 --lam 8\n"
                "  rdptheory ltc train --lattice Z1 --n 1 --target-rate 1 --json\n"
                "  rdptheory ltc train --lattice A2 --n 2 --lam 8 --transform mlp "
                "--source laplace"),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    t.add_argument("--lattice", required=True,
                   help="registry name: Z<n> (NTC), A2, D4*, E8, BW16, Leech, ...")
    t.add_argument("--n", type=int, required=True, help="block length (= lattice dimension)")
    t.add_argument("--lam", type=float, default=None, help="λ in rate + λ·distortion")
    t.add_argument("--target-rate", type=float, default=None,
                   help="search λ to land near this rate (bits per sample)")
    t.add_argument("--source", choices=("gaussian", "laplace"), default="gaussian",
                   help="i.i.d. source, unit variance (default gaussian)")
    t.add_argument("--transform", choices=("linear", "mlp"), default="linear",
                   help="analysis/synthesis transforms (default linear)")
    t.add_argument("--steps", type=int, default=None,
                   help="Adam steps (default 400 for n <= 8, 600 beyond)")
    t.add_argument("--batch-size", type=int, default=256, help="training batch (default 256)")
    t.add_argument("--mode", choices=("mixed", "ste", "noise"), default="mixed",
                   help="quantizer proxy in training (default: noise for the rate, "
                        "straight-through for the distortion)")
    t.add_argument("--eval-samples", type=int, default=None, help="held-out blocks")
    t.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    t.add_argument("--json", action="store_true", help="print the result as JSON")
    t.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    t.set_defaults(run=run)


#: λ and target rates where training is validated (λ ≈ 2.4 gives 1 bit, 8 gives 2 bits on
#: N(0, 1); each further bit multiplies λ by about 4): outside, training diverges or the rate
#: is pinned at 0
LAMBDA_RANGE = (0.05, 1e5)
RATE_RANGE = (0.1, 8.0)
MAX_STEPS = 1_000_000
TARGET_TOLERANCE = 0.03  # search_lambda's tolerance (bit/sample)
#: no model of a unit-variance source trained in RATE_RANGE codes above this rate
RATE_SANITY_BOUND = 16.0


def divergence(ev, source_variance=1.0):
    """Why an evaluated model is not a usable result (non-finite numbers, distortion above
    the source variance by more than 4 SE: worse than sending nothing, rate beyond
    RATE_SANITY_BOUND), or '' if none applies."""
    numbers = (ev.rate, ev.distortion, ev.rate_stderr, ev.distortion_stderr)
    if not all(math.isfinite(v) for v in numbers):
        return "non-finite rate or distortion"
    if ev.distortion > source_variance + 4.0 * ev.distortion_stderr:
        return (f"distortion {ev.distortion:.4g} exceeds the source variance "
                f"{source_variance:g}")
    if ev.rate > RATE_SANITY_BOUND:
        return f"rate {ev.rate:.4g} bit/sample exceeds {RATE_SANITY_BOUND:g}"
    return ""


def _check_memory(exp, args):
    """Refuse sizes that cannot fit: training holds batch x cell-samples x n arrays, the
    evaluation eval-samples x n blocks (several arrays of each)."""
    from ._limits import check_memory
    n = exp.n
    check_memory(32 * exp.batch_size * exp.cell_samples * n,
                 f"--batch-size {exp.batch_size:,} with {exp.cell_samples} cell samples, n = {n}")
    check_memory(64 * exp.eval_samples * n, f"--eval-samples {exp.eval_samples:,} with n = {n}")


def _positive_int(value, name):
    if value is not None and value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {value}")
    return value


def run(args):
    from ..lattices import as_lattice
    from ..ltc.experiments import preset, run_experiment, search_lambda
    if (args.lam is None) == (args.target_rate is None):
        raise ValueError("give --lam or --target-rate (one of them, not both)")
    lo, hi = LAMBDA_RANGE
    if args.lam is not None and not (lo <= args.lam <= hi):
        raise ValueError(f"--lam must be in [{lo:g}, {hi:g}] (about {RATE_RANGE[0]:g} to "
                         f"{RATE_RANGE[1]:g} bit/sample, where training is validated); got "
                         f"{args.lam:g}")
    lo, hi = RATE_RANGE
    if args.target_rate is not None and not (lo <= args.target_rate <= hi):
        raise ValueError(f"--target-rate must be in [{lo:g}, {hi:g}] bit/sample (the range "
                         f"where training is validated); got {args.target_rate:g}")
    L = as_lattice(args.lattice)
    if L.dimension != args.n:
        raise ValueError(f"--lattice {args.lattice} has dimension {L.dimension}, but --n = "
                         f"{args.n}; they must agree (n = {args.n})")
    _positive_int(args.steps, "--steps")
    _positive_int(args.batch_size, "--batch-size")
    _positive_int(args.eval_samples, "--eval-samples")
    if args.steps is not None and args.steps > MAX_STEPS:
        raise ValueError(f"--steps must be <= {MAX_STEPS:,} (a step takes milliseconds to "
                         f"seconds; the presets use 400-1500); got {args.steps:,}")
    kw = {k: v for k, v in (("steps", args.steps), ("eval_samples", args.eval_samples)) if v}
    kw.update(batch_size=args.batch_size, mode=args.mode, transform=args.transform)
    if args.source == "laplace":
        kw.update(entropy="mixture", components=2, kind="laplace")
    exp = preset(args.lattice, args.n, args.lam or 1.0, source=args.source, **kw)
    _check_memory(exp, args)

    bar = None
    if not args.no_progress:
        from tqdm import tqdm
        bar = tqdm(total=exp.steps, file=sys.stderr, leave=False, unit="step")

    def progress(step, total, terms):
        if bar is not None:
            if step == 1:
                bar.reset(total)
            bar.update(1)
            if step % 20 == 0 or step == total:
                bar.set_postfix(rate=f"{terms.rate:.3f}", D=f"{terms.distortion:.4f}")
    try:
        if args.target_rate is not None:
            res = search_lambda(exp, args.target_rate, args.seed, progress=progress)
        else:
            res = run_experiment(exp, args.seed, progress=progress, use_cache=False)
    finally:
        if bar is not None:
            bar.close()
    ev = res.evaluation
    diverged = divergence(ev)
    if diverged:
        print(f"rdptheory ltc: error: training diverged ({diverged}); no result reported. "
              "Try a λ or target rate nearer 1-4 bit/sample, or more --steps",
              file=sys.stderr)
        return 1
    missed = (args.target_rate is not None
              and abs(ev.rate - args.target_rate) > TARGET_TOLERANCE + 3.0 * ev.rate_stderr)
    if missed:
        print(f"rdptheory ltc: warning: --target-rate {args.target_rate:g} missed: the closest "
              f"model has rate {ev.rate:.4g} ± {ev.rate_stderr:.2g} bit/sample",
              file=sys.stderr)
    out = ev.as_dict()
    out["target_missed"] = bool(missed) if args.target_rate is not None else None
    out.update(lam=res.experiment.lam, seed=args.seed, steps=res.experiment.steps,
               mode=res.experiment.mode, transform=res.experiment.transform,
               target_rate=args.target_rate, train_time_s=round(res.train_time, 3),
               eval_time_s=round(res.eval_time, 3))
    warnings = []
    if abs(ev.rate_jensen_bias) > ev.rate_stderr:
        warnings.append(f"rate bias estimate {ev.rate_jensen_bias:.3g} (delta method, already "
                        f"subtracted; a lower bound on the real bias) exceeds the rate's standard "
                        f"error {ev.rate_stderr:.2g}: use more cell samples (docs/rates.md)")
    out["rate_bias_exceeds_se"] = bool(warnings)
    out["warnings"] = warnings
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.json:
        print(json.dumps(jsonable(out), indent=2, allow_nan=False))
        return 0
    print(f"model       LTC with {ev.lattice} (n = {ev.n}), {res.experiment.transform} "
          f"transforms, {args.source} source, λ = {res.experiment.lam:.6g}")
    print(f"rate        {ev.rate:.5f} ± {ev.rate_stderr:.2g} bit/sample (cross-entropy, "
          f"{ev.n_samples:,} held-out blocks, {ev.cell_samples} cell samples)")
    print(f"            index entropy {ev.empirical_entropy:.5f} ({ev.distinct_cells} cells; "
          + ("valid check)" if ev.entropy_check_valid else "too many cells for a plug-in "
             "estimate: a lower bound)"))
    print(f"distortion  {ev.distortion:.6f} ± {ev.distortion_stderr:.2g}")
    print(f"gap         {ev.gap_bits:.5f} ± {ev.gap_stderr:.2g} bit to {ev.reference_name} "
          f"({ev.reference_rate:.5f}) = {ev.gap_db:.3f} dB")
    print(f"time        train {res.train_time:.1f} s, evaluation {res.eval_time:.1f} s")
    return 0
