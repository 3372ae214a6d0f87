"""``rdptheory bounds``: the Gaussian RDP bounds and the SD/PD-LTC parameters at a point."""
from __future__ import annotations

import json

from .._lazy import lazy_module
from ._format import jsonable, number

g = lazy_module("rdptheory.gaussian")  # imported on first use: `--help` stays fast

HELP = "Gaussian RDP bounds at (D, P), or D(R, Rc) with limited common randomness"


def add_parser(sub):
    p = sub.add_parser(
        "bounds", help=HELP, description=(
            "Closed-form bounds for a Gaussian source N(0, sigma2) with squared error and "
            "squared-W2 perception. With --D: R(D), R(D,P), R(D,0), R(D/2,inf), their gap, the "
            "optimal reconstruction and the SD-/PD-LTC parameters. With --R: D(R,P), D_SD(R), "
            "D_PD(R) and, with --Rc, D(R,Rc) for Rc bits of common randomness per sample."),
        epilog="examples:\n  rdptheory bounds --D 0.5 --P 0.05\n"
               "  rdptheory bounds --R 1 --Rc 1 --json",
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
    p.set_defaults(run=run)


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
    if args.D is not None:
        out = _at_distortion(args.D, args.P, args.sigma2, args.unit)
    else:
        out = _at_rate(args.R, args.P, args.Rc, args.sigma2, args.unit)
    if args.json:
        print(json.dumps(jsonable(out), indent=2, allow_nan=False))
    else:
        _print(out)
    return 0
