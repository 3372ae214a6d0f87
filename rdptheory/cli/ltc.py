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
    t.add_argument("--source", choices=("gaussian", "laplace"), default="gaussian")
    t.add_argument("--transform", choices=("linear", "mlp"), default="linear")
    t.add_argument("--steps", type=int, default=None,
                   help="Adam steps (default 400 for n <= 8, 600 beyond)")
    t.add_argument("--batch-size", type=int, default=256)
    t.add_argument("--mode", choices=("mixed", "ste", "noise"), default="mixed",
                   help="quantizer proxy in training (default: noise for the rate, "
                        "straight-through for the distortion)")
    t.add_argument("--eval-samples", type=int, default=None, help="held-out blocks")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--json", action="store_true")
    t.add_argument("--no-progress", action="store_true")
    t.set_defaults(run=run)


def _positive_int(value, name):
    if value is not None and value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {value}")
    return value


def run(args):
    from ..lattices import as_lattice
    from ..ltc.experiments import preset, run_experiment, search_lambda
    if (args.lam is None) == (args.target_rate is None):
        raise ValueError("give --lam or --target-rate (one of them, not both)")
    if args.lam is not None and not (math.isfinite(args.lam) and args.lam > 0):
        raise ValueError(f"--lam must be a finite number > 0; got {args.lam}")
    if args.target_rate is not None and not (math.isfinite(args.target_rate)
                                             and args.target_rate > 0):
        raise ValueError(f"--target-rate must be a finite number > 0; got {args.target_rate}")
    L = as_lattice(args.lattice)
    if L.dimension != args.n:
        raise ValueError(f"--lattice {args.lattice} has dimension {L.dimension}, but --n = "
                         f"{args.n}; they must agree (n = {args.n})")
    _positive_int(args.steps, "--steps")
    _positive_int(args.batch_size, "--batch-size")
    _positive_int(args.eval_samples, "--eval-samples")
    kw = {k: v for k, v in (("steps", args.steps), ("eval_samples", args.eval_samples)) if v}
    kw.update(batch_size=args.batch_size, mode=args.mode, transform=args.transform)
    if args.source == "laplace":
        kw.update(entropy="mixture", components=2, kind="laplace")
    exp = preset(args.lattice, args.n, args.lam or 1.0, source=args.source, **kw)

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
    out = ev.as_dict()
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
        print(json.dumps(jsonable(out), indent=2))
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
