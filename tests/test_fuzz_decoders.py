"""Fuzz: every registry decoder at magnitudes 1e-300..1e300 ends in bounded time, exact or with
the generic decoder's ValueError. Decoding runs in a child interpreter with a timeout, so a
segfault or a hang is a test failure naming the lattice, not a dead test run."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: every standard registry lattice, the best known ones and a few family members
LATTICES = ("Z1", "Z3", "A2", "A3", "A5", "A3*", "A5*", "D4", "D5", "D4*", "D5*", "D6+", "E6",
            "E6*", "E7", "E7*", "E8", "D10+", "K12", "BW16", "Leech", "AE9", "A11^3", "D6^2+",
            "E6^2+", "Lambda15*")

CHILD = textwrap.dedent("""
    import json, sys, time
    import numpy as np
    from rdptheory.lattices import get
    names, exps, per, seed = json.loads(sys.argv[1])
    rng = np.random.default_rng(seed)
    eps = np.finfo(float).eps
    for name in names:
        L = get(name)
        n = L.dimension
        out = {"lattice": name, "exact": 0, "refused": 0, "bad": [], "max_s": 0.0}
        print(json.dumps({"start": name}), flush=True)
        for e in exps:
            x = rng.standard_normal((per, n)) * 10.0 ** e
            if e > 0:  # also points with one huge coordinate and a sign pattern
                x[0] = 0.0
                x[0, 0] = 10.0 ** e
            t = time.perf_counter()
            try:
                p = L.nearest_point(x)
            except ValueError as exc:
                if "more than 2**50 cells" not in str(exc):
                    out["bad"].append([e, "unexpected ValueError: " + str(exc)])
                out["refused"] += per
                out["max_s"] = max(out["max_s"], time.perf_counter() - t)
                continue
            out["max_s"] = max(out["max_s"], time.perf_counter() - t)
            if not np.all(np.isfinite(p)):
                out["bad"].append([e, "non-finite output"])
                continue
            if 10.0 ** e > 1e13:  # beyond where the generic oracle is affordable
                out["exact"] += per
                continue
            g = L.nearest_point_generic(x)
            scale = np.abs(x).max(axis=1) + 1.0
            d_fast = np.linalg.norm(x - p, axis=1)
            d_gen = np.linalg.norm(x - g, axis=1)
            tol = 8 * n * eps * scale  # rounding of x itself and of the distances
            worse = d_fast > d_gen + tol
            if worse.any():
                k = int(np.argmax(worse))
                out["bad"].append([e, f"not nearest: {d_fast[k]!r} > {d_gen[k]!r}"])
            out["exact"] += int((~worse).sum())
        print(json.dumps(out), flush=True)
    """)


def run_child(names, exps, per, seed, timeout):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps([names, exps, per, seed])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        current = [json.loads(s)["start"] for s in stdout.splitlines() if '"start"' in s]
        pytest.fail(f"decoding hung (> {timeout} s) in lattice {current[-1] if current else '?'}")
    lines = [json.loads(s) for s in stdout.splitlines()]
    started = [d["start"] for d in lines if "start" in d]
    if proc.returncode != 0:
        pytest.fail(f"the decoder child died (exit {proc.returncode}) in lattice "
                    f"{started[-1] if started else '?'}: {stderr[-800:]}")
    return [d for d in lines if "lattice" in d]


def _check(results, n_names):
    assert len(results) == n_names
    for r in results:
        assert not r["bad"], f"{r['lattice']}: {r['bad'][:3]}"
        assert r["max_s"] < 10.0, f"{r['lattice']}: a call took {r['max_s']:.1f} s"


def test_fuzz_decoders_all_magnitudes():
    """26 lattices x magnitudes 1e-300, 1e-100, 1e-10, 1, 1e6, 1e12, 1e15, 1e16, 1e20, 1e40,
    1e100, 1e200, 1e300, 4 points each (1352 points)."""
    exps = [-300, -100, -10, 0, 6, 12, 15, 16, 20, 40, 100, 200, 300]
    results = run_child(list(LATTICES), exps, 4, 14, timeout=240)
    _check(results, len(LATTICES))
    # exact well inside the range, refused far outside it, for every lattice
    for r in results:
        assert r["exact"] >= 6 * 4 and r["refused"] >= 5 * 4, r


@pytest.mark.slow
def test_fuzz_decoders_dense():
    """Every integer decade from 1e-300 to 1e300, 16 points each, two seeds."""
    exps = list(range(-300, 301, 7)) + list(range(10, 18))
    for seed in (1, 2):
        _check(run_child(list(LATTICES), exps, 16, seed, timeout=1800), len(LATTICES))
