"""Bias and standard error of the SD-LTC rate estimators vs cell samples and vs time.

For E8, BW16 and Leech at D = 0.1, 0.5, 1.0 (P = 0, sigma2 = 1) one set of source blocks
(c + u) is fixed and its rate E[−log2 P(cell)]/n is estimated by

* ``uniform``: the log-mean-exp over M uniform cell points (rdptheory.cell_probability),
  M = 1024, 4096, 16384;
* ``mis``: multiple importance sampling (rdptheory.rates.log_cell_probability_mis), M_u = 1024
  uniform points and M_g = 64, 256, 1024 Gaussian points per block.

The reference is ``mis`` with M_g = 4096 on the same blocks; "bias" is each estimate minus the
reference (paired: same blocks, so the source-sampling error cancels), "diag" the estimator's own
quarter-vs-full diagnostic, SE the between-block standard error of the rate for these blocks.
The last column is the time for the N blocks; scale it by 20000/N for the CLI default.

    python benchmarks/rate_estimators.py [--blocks 200] [--only E8,BW16,Leech] [--json out.json]
"""
import argparse
import json
import math
import time

import numpy as np

from rdptheory import gaussian as gauss
from rdptheory.cell_probability import log_cell_probability
from rdptheory.dither import sample_voronoi
from rdptheory.operating_points import scaled_to_second_moment
from rdptheory.rates import log_cell_probability_mis
from rdptheory.schemes import sd_encode

LN2 = math.log(2.0)


def centers(name, D, N, seed):
    L = scaled_to_second_moment(name, float(gauss.sd_ltc_parameters(D, 0.0).eta2))
    g = np.random.default_rng(seed)
    x = g.standard_normal((N, L.dimension))
    u = sample_voronoi(L, N, g)
    return L, sd_encode(x, L, u) + u


def rates(lp_full, lp_quarter, n):
    a, b = -lp_full / (n * LN2), -lp_quarter / (n * LN2)
    return a, float(((b - a) / 3).mean())


def run(name, D, N, seed):
    L, c = centers(name, D, N, seed)
    n = L.dimension
    t0 = time.perf_counter()
    ref = -log_cell_probability_mis(c, L, 1.0, uniform_samples=1024, gaussian_samples=4096,
                                    rng=seed + 9) / (n * LN2)
    t_ref = time.perf_counter() - t0
    rows = [dict(method="mis", samples=4096, rate=float(ref.mean()), bias=0.0,
                 se=float(ref.std(ddof=1) / math.sqrt(N)), diag=float("nan"), time=t_ref)]
    for M in (1024, 4096, 16384):
        t0 = time.perf_counter()
        t = sample_voronoi(L, M, seed + 1)
        f = log_cell_probability(c, t, L.volume, 1.0)
        q = log_cell_probability(c, t[: M // 4], L.volume, 1.0)
        dt = time.perf_counter() - t0
        a, diag = rates(f, q, n)
        rows.append(dict(method="uniform", samples=M, rate=float(a.mean()),
                         bias=float((a - ref).mean()), se=float(a.std(ddof=1) / math.sqrt(N)),
                         diag=diag, time=dt))
    for mg in (64, 256, 1024):
        t0 = time.perf_counter()
        f, q = log_cell_probability_mis(c, L, 1.0, uniform_samples=1024, gaussian_samples=mg,
                                        rng=seed + 2, return_quarter=True)
        dt = time.perf_counter() - t0
        a, diag = rates(f, q, n)
        rows.append(dict(method="mis", samples=mg, rate=float(a.mean()),
                         bias=float((a - ref).mean()), se=float(a.std(ddof=1) / math.sqrt(N)),
                         diag=diag, time=dt))
    R = float(gauss.rdp(D, 0.0))
    G = L.nsm_reference.value
    upper = R + 0.5 * math.log2(2 * math.pi * math.e * G)
    return dict(lattice=name, D=D, blocks=N, band=[R, upper], rows=rows)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--blocks", type=int, default=200)
    p.add_argument("--only", default="E8,BW16,Leech")
    p.add_argument("--D", default="0.1,0.5,1.0")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", default=None)
    a = p.parse_args(argv)
    out = []
    print("| lattice | D | band | estimator | samples | rate | SE | bias vs ref | own diag "
          "| time (s) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in a.only.split(","):
        for D in (float(d) for d in a.D.split(",")):
            r = run(name, D, a.blocks, a.seed)
            out.append(r)
            band = f"[{r['band'][0]:.4f}, {r['band'][1]:.4f}]"
            for row in r["rows"]:
                label = "mis (reference)" if row["samples"] == 4096 and row["method"] == "mis" \
                    else row["method"]
                print(f"| {name} | {D} | {band} | {label} | {row['samples']} | {row['rate']:.4f} "
                      f"| {row['se']:.4f} | {row['bias']:+.4f} | {row['diag']:+.4f} "
                      f"| {row['time']:.1f} |", flush=True)
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
