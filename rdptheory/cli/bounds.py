"""``rdptheory bounds``: the Gaussian RDP bounds and the SD/PD-LTC parameters at a point."""
from __future__ import annotations

import json

from .._lazy import lazy_module
from ._format import jsonable, number

g = lazy_module("rdptheory.gaussian")  # imported on first use: `--help` stays fast

HELP = ("Gaussian RDP bounds at (D, P), D(R, Rc) with limited common randomness, or a "
        "certified numerical R(D,P) bracket for any source (--source)")


def add_parser(sub):
    p = sub.add_parser(
        "bounds", help=HELP, description=(
            "Closed-form bounds for a Gaussian source N(0, sigma2) with squared error and "
            "squared-W2 perception. With --D: R(D), R(D,P), R(D,0), R(D/2,inf), their gap, the "
            "optimal reconstruction and the SD-/PD-LTC parameters. With --R: D(R,P), D_SD(R), "
            "D_PD(R) and, with --Rc, D(R,Rc) for Rc bits of common randomness per sample. "
            "With --source and/or --perception: a certified [lower, upper] bracket of the "
            "information R(D,P) from the numerical solver (rdptheory.bounds), for any source "
            "and W2, KL, TV or no perception constraint."),
        epilog="examples:\n  rdptheory bounds --D 0.5 --P 0.05\n"
               "  rdptheory bounds --R 1 --Rc 1 --json\n"
               "  rdptheory bounds --source laplace --D 0.5 --P 0.1\n"
               "  rdptheory bounds --source bernoulli --p 0.3 --D 0.15 --P 0.05 --perception tv",
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--D", type=float, help="distortion (mean squared error per sample), >= 0")
    what.add_argument("--R", type=float, help="rate per sample (in --unit), >= 0")
    p.add_argument("--P", type=float, default=0.0,
                   help="perception budget, squared W2 per sample, >= 0 (default 0)")
    p.add_argument("--Rc", type=float, default=None,
                   help="common randomness per sample (in --unit), >= 0 or inf; with --R")
    p.add_argument("--sigma2", type=float, default=1.0, help="source variance (default 1)")
    p.add_argument("--unit", choices=("bits", "nats"), default="bits",
                   help="unit of rates, in and out (default bits)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    num = p.add_argument_group(
        "numerical solver (any source; used when --source or --perception is given)")
    num.add_argument("--source", choices=SOURCES, default=None,
                     help="source law (unit variance = --sigma2 unless stated): gaussian, laplace, "
                          "uniform, mixture (0.5 N(-m,s2) + 0.5 N(m,s2), equal total variance), "
                          "bernoulli (--p, Hamming distortion), discrete (--points/--probs), "
                          "empirical (--samples FILE.npy or text)")
    num.add_argument("--perception", choices=("w2", "kl", "kl-reverse", "tv", "none"),
                     default=None, help="perception measure: squared W2, D(P_X||P_Xhat) (kl), "
                                        "D(P_Xhat||P_X) (kl-reverse, nats), total variation, or "
                                        "none (plain R(D)); default w2")
    num.add_argument("--n", type=int, default=400,
                     help="grid cells for a continuous source (default 400)")
    num.add_argument("--p", type=float, default=0.3, help="Bernoulli parameter (default 0.3)")
    num.add_argument("--points", type=str, default=None, help="discrete support, comma-separated")
    num.add_argument("--probs", type=str, default=None,
                     help="discrete probabilities, comma-separated")
    num.add_argument("--samples", type=str, default=None, help="file of samples for 'empirical'")
    p.set_defaults(run=run)


SOURCES = ("gaussian", "laplace", "uniform", "mixture", "bernoulli", "discrete", "empirical")


def _build_source(args):
    from ..bounds import sources as S
    n, v = args.n, args.sigma2
    if args.source == "gaussian":
        return S.gaussian(v, n=n)
    if args.source == "laplace":
        return S.laplace(v, n=n)
    if args.source == "uniform":
        return S.uniform(v, n=n)
    if args.source == "mixture":  # means +-0.8 sigma, component variance 0.36 sigma^2
        return S.gaussian_mixture((0.5, 0.5), (-0.8 * v ** 0.5, 0.8 * v ** 0.5),
                                  (0.36 * v, 0.36 * v), n=n)
    if args.source == "bernoulli":
        return S.bernoulli(args.p)
    if args.source == "discrete":
        if not args.points or not args.probs:
            raise ValueError("--source discrete needs --points and --probs (comma-separated)")
        try:
            pts = [float(t) for t in args.points.split(",")]
            prs = [float(t) for t in args.probs.split(",")]
        except ValueError:
            raise ValueError("--points and --probs must be comma-separated numbers") from None
        return S.discrete(pts, prs)
    if args.source == "empirical":
        import numpy as np
        if not args.samples:
            raise ValueError("--source empirical needs --samples FILE (.npy or text)")
        x = np.load(args.samples) if args.samples.endswith(".npy") else np.loadtxt(args.samples)
        return S.empirical(np.ravel(x), n=n)
    raise ValueError(f"unknown source {args.source!r}")


def _numerical(args):
    import sys
    import time

    from ..bounds import rdp_bracket
    if args.D is None:
        raise ValueError("the numerical solver takes --D (distortion); --R is Gaussian-only")
    if args.Rc is not None:
        raise ValueError("--Rc is available for the Gaussian closed form only")
    src = _build_source(args if args.source else _with_default_source(args))
    perception = args.perception or "w2"
    distortion = "hamming" if src.name.startswith("bernoulli") else "mse"
    t0 = time.perf_counter()
    bar = None

    def progress(done, total):
        nonlocal bar
        if bar is None:
            from tqdm import tqdm
            bar = tqdm(total=total, file=sys.stderr, leave=False, unit="stage", delay=1.0,
                       desc="R(D,P) solve")
        bar.update(done - bar.n)

    b = rdp_bracket(src, args.D, args.P, perception=perception, distortion=distortion,
                    unit=args.unit, callback=progress)
    if bar is not None:
        bar.close()
    out = {"source": src.name, "support points": len(src), "distortion": distortion,
           "perception": b.perception, "D": b.D, "P": b.P, "unit": args.unit,
           "R(D,P) lower": b.lower, "R(D,P) upper": b.upper, "bracket width": b.width,
           "scope": b.scope + ("" if b.scope == "exact" else
                               " (discretization error not bounded; see docs/bounds.md)"),
           "feasible coupling": {"D": b.D_primal, "P": b.P_primal},
           "multipliers": {"lambda": b.multipliers[0], "mu": b.multipliers[1]},
           "seconds": time.perf_counter() - t0}
    if src.name.startswith("gaussian(") and perception in ("w2", "kl", "kl-reverse", "none"):
        from ..bounds import closed_forms as cf
        if perception == "w2":
            ref = g.rdp(args.D, args.P, args.sigma2, unit=args.unit)
        elif perception == "none":
            ref = g.rate_distortion(args.D, args.sigma2, unit=args.unit)
        else:
            ref = cf.gaussian_rdp_kl(args.D, args.P, args.sigma2, direction=perception,
                                     unit=args.unit)
        key = ("jointly Gaussian upper bound (not the optimum in this direction)"
               if perception == "kl" else "closed form (continuous Gaussian)")
        out[key] = float(ref)
    return out


def _with_default_source(args):
    import argparse
    a = argparse.Namespace(**vars(args))
    a.source = "gaussian"
    return a


def _at_distortion(D, P, s2, unit):
    out = {"sigma2": s2, "D": D, "P": P, "unit": unit}
    rec = g.rdp_reconstruction(D, P, s2)
    out["R(D)"] = float(g.rate_distortion(D, s2, unit=unit))
    out["R(D,P)"] = float(g.rdp(D, P, s2, unit=unit))
    out["R(D,0)"] = float(g.rdp_perfect_realism(D, s2, unit=unit))
    out["R(D/2,inf)"] = float(g.rate_no_common_randomness(D, s2, unit=unit))
    out["gap R(D/2,inf)-R(D,0)"] = float(g.common_randomness_gap(D, s2, unit=unit))
    out["regime"] = str(rec.regime)
    out["reconstruction"] = {"std": float(rec.std), "cov_with_X": float(rec.covariance)}
    if str(rec.regime) != "zero-rate":
        sd = g.sd_ltc_parameters(D, P, s2)
        out["sd_ltc"] = {"eta2": float(sd.eta2), "beta": float(sd.beta), "regime": str(sd.regime)}
    else:
        out["sd_ltc"] = "not applicable in the zero-rate region"
    if 0.0 < D < 2.0 * s2:
        pd = g.pd_ltc_parameters(D, s2)
        out["pd_ltc (P=0)"] = {"alpha": float(pd.alpha), "s": float(pd.s),
                               "second_moment": float(pd.second_moment)}
    else:
        out["pd_ltc (P=0)"] = "needs 0 < D < 2*sigma2"
    return out


def _at_rate(R, P, Rc, s2, unit):
    out = {"sigma2": s2, "R": R, "P": P, "unit": unit}
    out["D(R)"] = float(g.distortion_rate(R, s2, unit=unit))
    out["D(R,P)"] = float(g.distortion_rate_perception(R, P, s2, unit=unit))
    out["D_SD(R) = D(R,0)"] = float(g.distortion_rate_perfect_realism(R, s2, unit=unit))
    out["D_PD(R) (no common randomness)"] = float(
        g.distortion_rate_no_common_randomness(R, s2, unit=unit))
    if Rc is not None:
        out["Rc"] = Rc
        out["D(R,Rc) (Gaussian U, achievable)"] = float(
            g.distortion_limited_common_randomness(R, Rc, s2, unit=unit))
    return out


def _print(d, indent=""):
    width = max(len(k) for k in d)
    for k, v in d.items():
        if isinstance(v, dict):
            print(f"{indent}{k}:")
            _print(v, indent + "  ")
        else:
            print(f"{indent}{k.ljust(width)}  {number(v) if not isinstance(v, str) else v}")


def run(args):
    if args.R is None and args.Rc is not None:
        raise ValueError("--Rc goes with --R (the distortion at rate R and Rc bits of common "
                         "randomness)")
    if args.source is not None or args.perception is not None:
        out = _numerical(args)
    elif args.D is not None:
        out = _at_distortion(args.D, args.P, args.sigma2, args.unit)
    else:
        out = _at_rate(args.R, args.P, args.Rc, args.sigma2, args.unit)
    if args.json:
        print(json.dumps(jsonable(out), indent=2, allow_nan=False))
    else:
        _print(out)
    return 0
