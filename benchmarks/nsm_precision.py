"""Precision per second of the NSM estimator (the package's targets in brackets):

  1. E8: standard error <= 1e-6 in <= 60 s on this 2-core machine;
  2. Leech: standard error <= 2e-6 in <= 10 minutes (the estimate and its interval are
     published in the README and docs/monte-carlo.md);
  3. RQMC's gain over plain MC, (variance x time)_MC / (variance x time)_RQMC, at equal sample
     counts, for Z4, D4, E8, Leech; the MC run is the baseline, in the same process.

A pilot run sizes each target run from its own variance. Usage:

    python benchmarks/nsm_precision.py [--workers 2] [--only e8,leech,gain] [--json out.json]
"""
import argparse
import json
import math
import time

from rdptheory.lattices import get
from rdptheory.nsm import nsm_estimate


def sized_run(name, target_se, method, workers, seed, pilot_n):
    pilot = nsm_estimate(name, pilot_n, rng=seed + 1, method=method, workers=workers)
    # SE scales as N^-1/2 for MC; for RQMC we size the same way (conservative)
    n = int(math.ceil(pilot.n_samples * (pilot.stderr / target_se) ** 2 * 1.1))
    if method == "rqmc":
        n = 16 * 2 ** math.ceil(math.log2(max(n // 16, 1)))
    t0 = time.perf_counter()
    r = nsm_estimate(name, n, rng=seed, method=method, workers=workers)
    return r, time.perf_counter() - t0, pilot


def show(label, r, wall, target_se=None, limit=None):
    lo, hi = r.ci95
    lo9, hi9 = r.interval(0.999)
    ok = ""
    if target_se is not None:
        ok = (f"  [target SE <= {target_se:g} in <= {limit:g} s: "
              f"{'MET' if (r.stderr <= target_se and wall <= limit) else 'NOT MET'}]")
    ref = get(r.lattice).nsm_reference
    print(f"{label}: G = {r.estimate:.8f} ± {r.stderr:.2e} (SE), N = {r.n_samples:,}, "
          f"{wall:.1f} s wall{ok}")
    print(f"    95% CI [{lo:.8f}, {hi:.8f}], 99.9% CI [{lo9:.8f}, {hi9:.8f}]; reference "
          f"{ref.value:.8g} ({ref.source}), deviation {(r.estimate - ref.value) / r.stderr:+.2f} SE")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--only", default="e8,leech,gain")
    ap.add_argument("--json", default=None, help="write the figures to this file")
    a = ap.parse_args()
    todo = set(a.only.split(","))
    out = {}
    nsm_estimate("Z2", 1000, rng=0)  # JIT warm-up
    if "e8" in todo:
        for method in ("mc", "rqmc"):
            r, wall, _ = sized_run("E8", 1e-6, method, a.workers, a.seed, 1 << 21)
            show(f"E8 {method}", r, wall, 1e-6, 60)
            out[f"E8_{method}"] = {**r.as_dict(), "wall": wall}
    if "leech" in todo:
        pilots = {m: nsm_estimate("Leech", 1 << 18, rng=a.seed + 5, method=m, workers=a.workers)
                  for m in ("mc", "rqmc")}
        eff = {m: p.stderr ** 2 * p.wall_time for m, p in pilots.items()}
        method = min(eff, key=eff.get)
        print(f"Leech pilot (2^18 samples): SE^2 x time MC {eff['mc']:.3g}, RQMC "
              f"{eff['rqmc']:.3g} -> using {method}")
        r, wall, _ = sized_run("Leech", 2e-6, method, a.workers, a.seed, 1 << 19)
        show(f"Leech {method}", r, wall, 2e-6, 600)
        out["Leech"] = {**r.as_dict(), "wall": wall}
    if "gain" in todo:
        print("\nRQMC gain over MC at equal N (baseline: MC in this process):")
        print(f"{'lattice':8s} {'N':>10s} {'SE mc':>10s} {'SE rqmc':>10s} {'t mc':>7s} "
              f"{'t rqmc':>7s} {'var ratio':>10s} {'gain (var x time)':>18s}")
        for name, N in (("Z4", 1 << 22), ("D4", 1 << 22), ("E8", 1 << 23), ("Leech", 1 << 20)):
            mc = nsm_estimate(name, N, rng=a.seed + 7, method="mc", workers=a.workers)
            rq = nsm_estimate(name, N, rng=a.seed + 7, method="rqmc", workers=a.workers)
            vr = (mc.stderr / rq.stderr) ** 2
            gain = vr * mc.wall_time / rq.wall_time
            print(f"{name:8s} {N:>10,d} {mc.stderr:10.2e} {rq.stderr:10.2e} {mc.wall_time:7.2f} "
                  f"{rq.wall_time:7.2f} {vr:10.3g} {gain:18.3g}")
            out[f"gain_{name}"] = {"N": N, "se_mc": mc.stderr, "se_rqmc": rq.stderr,
                                   "t_mc": mc.wall_time, "t_rqmc": rq.wall_time,
                                   "variance_ratio": vr, "gain": gain}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=2, default=str)


if __name__ == "__main__":
    main()
