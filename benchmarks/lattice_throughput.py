"""Nearest-point throughput of every registry lattice, on one core.

For each lattice of ``rdptheory.lattices.list_lattices()`` (or ``--lattices``) this times, in
one process with NUMBA_NUM_THREADS=1 (and BLAS/OpenMP threads = 1), after JIT warm-up, best
of ``--repeat`` runs:

  * ``fast``:    ``L.nearest_point(x)``, the structured decoder (``L.decoder``);
  * ``generic``: ``L.nearest_point_generic(x)``, exact LLL + Schnorr-Euchner on the same lattice,
                 the baseline run in the same process;
  * ``fast/generic``: the speed ratio of the two;
  * ``peer``:    fplll's CVP (``fpylll.CVP.closest_vector``, method "fast"), one call per point,
                 on an LLL-reduced integer basis obtained by scaling (and, for lattices given in
                 an irrational frame, isometrically embedding) the generator, with targets on a
                 grid of step 2^-20 in lattice coordinates (fplll takes integer targets only),
                 timed in a child process (fplll's CVP can get stuck at near-ties: fpylll issue
                 #235); "n/a" when fpylll is not importable, for Z1 (fplll's CVP fails in
                 dimension 1), or when no integral basis is found.

Inputs: Gaussian points with standard deviation ``--cells`` times the cell size V^(1/n), fixed
seed. Each column uses as many points as take about ``--seconds`` per run (calibrated; at most
1e6 points for n <= 8, 4e5 above), so slow decoders get fewer points; about 70 s in all.
The fast and generic decoders are checked to agree on distances, and so is fplll (on its
integer targets), for the points timed.

    python benchmarks/lattice_throughput.py [--lattices E8,Leech] [--seconds 0.4] [--json out.json]
"""
import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time

# One core: set before numpy/numba are imported. BLAS threads matter too: the user<->natural
# coordinate maps are thin matmuls, and multithreaded OpenBLAS on a busy 2-core machine made them
# up to 100x slower (A2: 2e6 instead of 2e7 points/s) in our measurements.
for _var in ("NUMBA_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

from rdptheory.lattices import get, list_lattices  # noqa: E402
from rdptheory.lattices._integral import integer_embedding  # noqa: E402

try:  # optional peer (run in a child process, see FplllPeer)
    import fpylll  # noqa: E402
except ImportError:  # pragma: no cover - depends on the environment
    fpylll = None

# The package's speed targets (one core, float64 input, exact decoding), and the figures quoted
# for what users have today. The latter are quoted, not measured here; they are printed for
# comparison with the measured table.
TARGETS = [  # (label, lattice, column, points/s)
    ("E8 fast decoder", "E8", "fast", 3e7),
    ("Lambda16 (BW16) fast decoder", "BW16", "fast", 2.5e6),
    ("Lambda24 (Leech) fast decoder", "Leech", "fast", 4e5),
    ("generic decoder on an E8 basis", "E8", "generic", 1e6),
]
TODAY = [  # (label, points/s)
    ("authors' PyTorch decoders on CPU, E8", 2e6),
    ("authors' PyTorch decoders on CPU, Lambda16", 5e4),
    ("authors' PyTorch decoders on CPU, Lambda24", 4e2),
    ("fplll generic CVP, E8", 1.3e4),
    ("fplll generic CVP, Lambda24", 1.1e3),
]



# The peer runs in a child process (same thread settings): fplll's CVP can loop forever in its
# Babai step at or near ties (fpylll issue #235), and cannot be interrupted reliably in-process.
_PEER_CHILD = r"""
import json, sys, time
from fpylll import CVP, LLL, IntegerMatrix
job = json.loads(sys.stdin.read())
A = IntegerMatrix.from_matrix(job["basis"])
LLL.reduction(A)
T = [tuple(t) for t in job["targets"]]
def decode(k):
    return [CVP.closest_vector(A, t) for t in T[:k]]
decode(4)
m = 16
while True:
    t0 = time.perf_counter(); decode(m); dt = time.perf_counter() - t0
    if dt >= 0.05 or m >= len(T):
        break
    m = min(len(T), 2 * m)
m = int(min(len(T), max(16, m * job["seconds"] / max(dt, 1e-9))))
best = float("inf")
for _ in range(job["repeat"]):
    t0 = time.perf_counter(); out = decode(m); best = min(best, time.perf_counter() - t0)
print(json.dumps({"points": m, "seconds": best, "answers": [list(v) for v in out]}))
"""


class FplllPeer:
    """fplll's CVP (``fpylll.CVP.closest_vector``, method "fast") on the integer basis ``S * M``,
    LLL-reduced, one call per point, timed in a child process.

    fplll takes integer targets only. A point x is replaced by the nearby point
    x' = (z / S) G, z = rint(S x G^-1) (a grid of step 1/S in lattice coordinates, S = 2^20),
    whose image z M is an integer target in the row space of M; the decoders being compared are
    run on x'. Targets on a coarse grid, or off the row space, make fplll's CVP loop forever far
    more often. fplll's CVP fails (error 5) in dimension 1 unless the target is a lattice point,
    so Z1 has no peer.
    """

    def __init__(self, L, refine=2 ** 20):
        if L.dimension < 2:
            raise ValueError("fplll CVP fails in dimension 1")
        emb = integer_embedding(L)
        if emb is None:
            raise ValueError(f"no integral basis found for {L.name}")
        self.E, self.s, self.M = emb
        self.G = np.asarray(L.generator, dtype=np.float64)
        self.S = refine

    def targets(self, x):
        """(integer targets, shape (m, N), the points x' they stand for, shape (m, n))."""
        z = np.rint(self.S * np.linalg.solve(self.G.T, np.asarray(x, dtype=np.float64).T).T)
        z = z.astype(np.int64)
        return z @ self.M, (z / self.S) @ self.G

    def run(self, targets, seconds, repeat, timeout):
        """Timed run in a child: (points timed, best seconds, fplll's answers in user
        coordinates). Raises subprocess.TimeoutExpired or RuntimeError."""
        job = json.dumps({"basis": (self.S * self.M).tolist(), "targets": targets.tolist(),
                          "seconds": seconds, "repeat": repeat})
        proc = subprocess.run([sys.executable, "-c", _PEER_CHILD], input=job, text=True,
                              capture_output=True, timeout=timeout)
        if proc.returncode != 0:
            err = [ln for ln in proc.stderr.splitlines() if not ln.startswith("warning:")]
            raise RuntimeError("fplll child failed: " + " | ".join(err[-3:]))
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        pts = (np.asarray(res["answers"], dtype=np.float64) / (self.S * self.s)) @ self.E.T
        return res["points"], res["seconds"], pts


def numpy_e8(x):
    """Plain-numpy E8 = D8 ∪ (D8 + ½·1) decoder (Conway & Sloane 1982), written for this
    benchmark as the in-process baseline: decode both cosets with vectorized rounding and the
    D8 parity fix, keep the nearer."""
    def d8(y):
        r = np.floor(y + 0.5)
        e = y - r
        odd = (r.sum(axis=1).astype(np.int64) & 1).astype(bool)
        w = np.abs(e).argmax(axis=1)
        rows = np.nonzero(odd)[0]
        cols = w[rows]
        r[rows, cols] += np.where(e[rows, cols] >= 0, 1.0, -1.0)
        return r
    a = d8(x)
    b = d8(x - 0.5) + 0.5
    da = ((x - a) ** 2).sum(axis=1)
    db = ((x - b) ** 2).sum(axis=1)
    return np.where((db < da)[:, None], b, a)


def sampling_breakdown(name, size, repeat, seed):
    """Uniform points in the Voronoi cell (``sample_voronoi``): points/s end to end and the
    share of the time spent drawing uniforms (and mapping them by the generator) vs decoding."""
    from rdptheory.dither import sample_voronoi
    L = get(name)
    sample_voronoi(L, 16, rng=seed)  # warm-up
    t_all = best_time(lambda: sample_voronoi(L, size, rng=seed), repeat)
    g = np.random.default_rng(seed)
    t_rng = best_time(lambda: g.random((size, L.dimension)) @ L.generator, repeat)
    x = g.random((size, L.dimension)) @ L.generator
    t_dec = best_time(lambda: L.nearest_point(x), repeat)
    return {"lattice": name, "points": size, "rate": size / t_all,
            "rng_share": t_rng / t_all, "decode_share": t_dec / t_all}


def nsm_scaling(name, samples, seed):
    """nsm_estimate points/s with 1 and 2 local worker processes (same seed, same answer)."""
    from rdptheory.nsm import nsm_estimate
    nsm_estimate(name, 2 ** 16, rng=seed, workers=1)  # warm-up
    out = {"lattice": name, "samples": samples}
    for w in (1, 2):
        t0 = time.perf_counter()
        r = nsm_estimate(name, samples, rng=seed, workers=w)
        out[f"rate_workers_{w}"] = samples / (time.perf_counter() - t0)
        out[f"estimate_workers_{w}"] = r.estimate
    return out


def best_time(fn, repeat):
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def calibrated_count(run, seconds, start=64, max_points=1_000_000):
    """Number of points that take about ``seconds`` for ``run(m)`` (doubling from ``start``)."""
    m = start
    while True:
        t0 = time.perf_counter()
        run(m)
        dt = time.perf_counter() - t0
        if dt >= 0.05 or m >= max_points:
            break
        m *= 4 if dt < 0.01 else 2
    return int(min(max_points, max(start, m * seconds / max(dt, 1e-9))))


def measure(name, seconds, repeat, cells, seed, peer=True):
    L = get(name)
    n = L.dimension
    rng = np.random.default_rng([seed, sum(map(ord, name))])
    std = cells * L.volume ** (1.0 / n)
    pool = rng.normal(size=(1_000_000 if n <= 8 else 400_000, n)) * std
    row = {"lattice": name, "dimension": n, "decoder": L.decoder, "input_std": std}

    L.nearest_point(pool[:16])  # JIT warm-up (numba caches compiled kernels on disk)
    L.nearest_point_generic(pool[:16])  # warm-up + LLL of the basis (cached on the Lattice)

    m = calibrated_count(lambda k: L.nearest_point(pool[:k]), seconds, max_points=len(pool))
    x = pool[:m]
    t = best_time(lambda: L.nearest_point(x), repeat)
    row.update(fast_points=m, fast_seconds=t, fast_rate=m / t)

    m = calibrated_count(lambda k: L.nearest_point_generic(pool[:k]), seconds, start=16,
                         max_points=len(pool))
    xg = pool[:m]
    t = best_time(lambda: L.nearest_point_generic(xg), repeat)
    row.update(generic_points=m, generic_seconds=t, generic_rate=m / t)
    row["fast_over_generic"] = row["fast_rate"] / row["generic_rate"]
    d_fast = np.linalg.norm(xg - L.nearest_point(xg), axis=1)
    d_gen = np.linalg.norm(xg - L.nearest_point_generic(xg), axis=1)
    row["max_abs_distance_diff_generic"] = float(np.abs(d_fast - d_gen).max())

    if name == "E8":  # the plain-numpy baseline written for this benchmark
        numpy_e8(pool[:16])
        mn = min(len(pool), 200_000)
        xn = pool[:mn]
        t = best_time(lambda: numpy_e8(xn), repeat)
        row.update(numpy_points=mn, numpy_rate=mn / t)
        row["fast_over_numpy"] = row["fast_rate"] / row["numpy_rate"]
        d_np = np.linalg.norm(xn - numpy_e8(xn), axis=1)
        d_fast = np.linalg.norm(xn - L.nearest_point(xn), axis=1)
        row["max_abs_distance_diff_numpy"] = float(np.abs(d_fast - d_np).max())

    row["peer_rate"] = None
    if peer and fpylll is not None:
        try:
            P = FplllPeer(L)
        except ValueError as e:
            row["peer_note"] = str(e)
            return row
        T, xu = P.targets(pool[:20_000])
        try:
            m, t, p_peer = P.run(T, seconds, repeat, timeout=max(60.0, 40 * seconds * repeat))
        except subprocess.TimeoutExpired:
            row["peer_note"] = "fplll CVP got stuck (Babai loop, fpylll issue #235); no figure"
        except RuntimeError as e:
            row["peer_note"] = str(e)
        else:
            row.update(peer_points=m, peer_seconds=t, peer_rate=m / t, peer_refinement=P.S,
                       peer_integer_basis_scale=P.s, peer_embedding_dimension=P.M.shape[1])
            xu = xu[:m]
            d_peer = np.linalg.norm(xu - p_peer, axis=1)
            d_fast = np.linalg.norm(xu - L.nearest_point(xu), axis=1)
            row["max_abs_distance_diff_peer"] = float(np.abs(d_fast - d_peer).max())
    return row


def fmt_rate(r):
    return "n/a" if r is None else f"{r:.3g}"


def print_table(rows, out=sys.stdout):
    head = (f"{'lattice':8} {'n':>3} {'fast pts/s':>11} {'generic pts/s':>14} "
            f"{'fast/generic':>12} {'peer fplll':>11} {'max|Δd|':>9}")
    print(head, file=out)
    print("-" * len(head), file=out)
    for r in rows:
        dd = max(r["max_abs_distance_diff_generic"], r.get("max_abs_distance_diff_peer", 0.0))
        flag = "  <-- DISAGREE" if dd > 1e-9 * max(1.0, r["input_std"]) else ""
        print(f"{r['lattice']:8} {r['dimension']:3d} {fmt_rate(r['fast_rate']):>11} "
              f"{fmt_rate(r['generic_rate']):>14} {r['fast_over_generic']:12.3g} "
              f"{fmt_rate(r['peer_rate']):>11} {dd:9.1e}{flag}", file=out)


def target_report(rows):
    by = {r["lattice"]: r for r in rows}
    out = []
    for label, lat, col, goal in TARGETS:
        r = by.get(lat)
        got = None if r is None else r[f"{col}_rate"]
        status = "not measured" if got is None else ("met" if got >= goal else "NOT met")
        out.append({"target": label, "lattice": lat, "column": col, "goal": goal,
                    "measured": got, "status": status})
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lattices", default=None,
                    help="comma-separated registry names (default: all of list_lattices())")
    ap.add_argument("--seconds", type=float, default=0.4,
                    help="approximate duration of one timed run per column (default 0.4)")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    ap.add_argument("--cells", type=float, default=3.0,
                    help="input standard deviation in cells V^(1/n) (default 3)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-peer", action="store_true", help="skip the fplll column")
    ap.add_argument("--no-sampling", action="store_true",
                    help="skip the sample_voronoi breakdown and the 1- vs 2-worker NSM runs")
    ap.add_argument("--json", metavar="PATH", default=None,
                    help="also write the results as JSON to PATH ('-' for stdout)")
    a = ap.parse_args(argv)
    names = list_lattices() if a.lattices is None else [s.strip() for s in a.lattices.split(",")
                                                         if s.strip()]
    t_start = time.perf_counter()
    rows = []
    for name in names:
        rows.append(measure(name, a.seconds, a.repeat, a.cells, a.seed, peer=not a.no_peer))
        print(f"  measured {name} ({time.perf_counter() - t_start:.0f} s)", file=sys.stderr,
              flush=True)

    if a.no_peer:
        peer_info = "not run (--no-peer)"
    elif fpylll is None:
        peer_info = "fpylll not importable: peer column n/a"
    else:
        peer_info = (f"fpylll {fpylll.__version__} (fplll CVP.closest_vector, method 'fast', one "
                     "call per point, LLL-reduced integer basis, timed in a child process)")
    print(f"Nearest-point throughput, one core (NUMBA/OPENBLAS/OMP/MKL_NUM_THREADS=1), best of "
          f"{a.repeat}, ~{a.seconds:g} s per run; inputs N(0, ({a.cells:g} cells)^2), "
          f"seed {a.seed}")
    print(f"peer: {peer_info}")
    print(f"load average at the end (1, 5, 15 min): {os.getloadavg()} on {os.cpu_count()} cores")
    print(f"max|Δd|: largest |distance difference| of the fast decoder vs generic/peer on the "
          f"timed points\n")
    print_table(rows)
    for r in rows:
        if r.get("peer_note"):
            print(f"  peer n/a for {r['lattice']}: {r['peer_note']}")
    for r in rows:
        if "numpy_rate" in r:
            print(f"\n{r['lattice']} plain-numpy baseline (written for this benchmark): "
                  f"{r['numpy_rate']:.3g} points/s; fast/numpy = {r['fast_over_numpy']:.3g} "
                  f"(max|Δd| {r['max_abs_distance_diff_numpy']:.1e})")
    sampling = []
    if not a.no_sampling:
        print("\nsample_voronoi (uniform points in the cell), one core: points/s and where "
              "the time goes")
        for name in [n for n in ("E8", "BW16", "Leech") if n in names]:
            size = 1_000_000 if name == "E8" else 200_000 if name == "BW16" else 40_000
            b = sampling_breakdown(name, size, a.repeat, a.seed)
            sampling.append(b)
            print(f"  {name:6} {b['rate']:.3g} points/s; uniforms + generator map "
                  f"{100 * b['rng_share']:.0f}%, decoding {100 * b['decode_share']:.0f}%")
        print("\nnsm_estimate points/s with 1 and 2 worker processes (2^21 samples)")
        for name in [n for n in ("E8",) if n in names]:
            b = nsm_scaling(name, 2 ** 21, a.seed)
            sampling.append(b)
            print(f"  {name:6} 1 worker {b['rate_workers_1']:.3g}, 2 workers "
                  f"{b['rate_workers_2']:.3g} (x{b['rate_workers_2'] / b['rate_workers_1']:.2f}); "
                  f"same estimate: {b['estimate_workers_1'] == b['estimate_workers_2']}")
    targets = target_report(rows)
    print("\nThroughput targets (fast decoder unless said otherwise):")
    for t in targets:
        got = "-" if t["measured"] is None else f"{t['measured']:.3g}"
        print(f"  {t['target']:34} >= {t['goal']:8.2g}   measured {got:>9}   {t['status']}")
    print("\nThe authors' PyTorch decoders on CPU (recorded with the targets, not measured here):")
    for label, v in TODAY:
        print(f"  {label:44} ~{v:.1e} points/s")
    print(f"\ntotal wall time {time.perf_counter() - t_start:.0f} s")

    if a.json:
        doc = {
            "benchmark": "lattice_throughput",
            "settings": {"seconds": a.seconds, "repeat": a.repeat, "cells": a.cells,
                         "seed": a.seed, "threads": 1},
            "environment": {"python": platform.python_version(), "numpy": np.__version__,
                            "machine": platform.machine(), "processor": platform.processor(),
                            "cpu_count": os.cpu_count(), "loadavg_end": os.getloadavg(),
                            "fpylll": None if fpylll is None else fpylll.__version__},
            "results": rows,
            "sampling": sampling,
            "targets": targets,
            "today_quoted": [{"label": lab, "points_per_second": v} for lab, v in TODAY],
        }
        text = json.dumps(doc, indent=2)
        if a.json == "-":
            print(text)
        else:
            with open(a.json, "w") as f:
                f.write(text + "\n")


if __name__ == "__main__":
    main()
