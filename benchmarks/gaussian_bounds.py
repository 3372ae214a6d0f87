"""Throughput of the Gaussian RDP closed forms.

Times, in one process on one core:
  * rdptheory.gaussian.rdp on 1e6 (D, P) points (validation + numba ufunc, double-double path);
  * a baseline: the textbook formula written directly in numpy (no validation, no stable forms);
  * the 50-digit mpmath reference, per point.
Prints evaluations per second and the ratios against the numpy baseline.

    python benchmarks/gaussian_bounds.py [--n 1000000] [--repeat 5]
"""
import argparse
import os
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from rdptheory import gaussian as g  # noqa: E402
from proofs_checks import mp_gaussian  # noqa: E402


def textbook_rdp_bits(D, P, s2=1.0):
    sigma = np.sqrt(s2)
    sh = sigma - np.sqrt(P)
    theta = np.maximum((s2 + sh ** 2 - D) / 2, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        active = 0.5 * np.log2(s2 * sh ** 2 / (s2 * sh ** 2 - theta ** 2))
        rd = np.maximum(0.5 * np.log2(s2 / D), 0.0)
    inactive = (np.sqrt(P) >= sigma - np.sqrt(np.abs(s2 - D)))
    return np.where(inactive, rd, np.where(theta <= 0, 0.0, active))


def best_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--mp-points", type=int, default=2000)
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    D = rng.uniform(0.0, 2.2, a.n)
    P = rng.uniform(0.0, 1.1, a.n)
    g.rdp(D[:10], P[:10])  # JIT warm-up (cached after the first run)
    t_lib = best_time(lambda: g.rdp(D, P), a.repeat)
    t_base = best_time(lambda: textbook_rdp_bits(D, P), a.repeat)
    m = a.mp_points
    t0 = time.perf_counter()
    for d, p in zip(D[:m], P[:m]):
        mp_gaussian.rdp(d, p, 1.0)
    t_mp = (time.perf_counter() - t0) / m
    agree = np.nanmax(np.abs(g.rdp(D, P) - textbook_rdp_bits(D, P)))
    print(f"points: {a.n:,}, best of {a.repeat}")
    print(f"rdptheory.gaussian.rdp (float64):   {a.n / t_lib:12.3e} evals/s  ({t_lib * 1e3:.1f} ms)")
    print(f"textbook numpy baseline:            {a.n / t_base:12.3e} evals/s  ({t_base * 1e3:.1f} ms)")
    print(f"mpmath 50 digits (per point):       {1 / t_mp:12.3e} evals/s  ({t_mp * 1e6:.1f} us/point)")
    print(f"speed ratio vs numpy baseline:      {t_base / t_lib:8.2f}  (>1: rdptheory faster)")
    print(f"speed ratio vs mpmath:              {t_mp * a.n / t_lib:8.0f}")
    print(f"max |rdptheory - baseline| (bits):  {agree:.2e}")


if __name__ == "__main__":
    main()
