"""Start-up time of the command line: how long a user waits for ``rdptheory --help``.

Each command runs ``--repeat`` times in a fresh interpreter (``python -m rdptheory ...``, the
same code path as the ``rdptheory`` script); the table gives the median and the fastest wall
time, and the same for a bare ``python -c pass`` as the in-process baseline (the interpreter's
own start-up, which no change to the package can remove). The first run of each command also
warms the numba cache, so it is reported separately.

    python benchmarks/cli_startup.py [--repeat 7] [--json out.json]

Target: ``rdptheory --help`` and ``rdptheory bounds`` in well under a second. Neither imports
numba nor scipy: the sub-commands load lazily (rdptheory/_lazy.py) and scalar Gaussian closed forms
run their kernels as Python (rdptheory/gaussian/_kernels.py, ``SMALL_SIZE``).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "rdptheory --help": [sys.executable, "-m", "rdptheory", "--help"],
    "rdptheory nsm --help": [sys.executable, "-m", "rdptheory", "nsm", "--help"],
    "rdptheory bounds --D 0.5 --P 0.05": [sys.executable, "-m", "rdptheory", "bounds", "--D",
                                          "0.5", "--P", "0.05"],
}


def time_command(argv, repeat):
    """Wall times (s) of ``repeat`` runs of ``argv`` after one warm-up run (also returned)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def once():
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        return time.perf_counter() - t

    first = once()
    return first, [once() for _ in range(repeat)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7, help="timed runs per command (default 7)")
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args(argv)
    if a.repeat < 1:
        ap.error("--repeat must be >= 1")
    rows = []
    print(f"{'command':36} {'first':>7} {'median':>7} {'fastest':>7}   (seconds, "
          f"{a.repeat} runs, {os.cpu_count()} cores; other jobs may be running)")
    for label, cmd in COMMANDS.items():
        first, times = time_command(cmd, a.repeat)
        row = {"command": label, "first_s": first, "median_s": statistics.median(times),
               "min_s": min(times), "runs": len(times)}
        rows.append(row)
        print(f"{label:36} {first:7.2f} {row['median_s']:7.2f} {row['min_s']:7.2f}")
    base = rows[0]["median_s"]
    print("\nabove the bare interpreter (median): " + ", ".join(
        f"{r['command']} +{r['median_s'] - base:.2f} s" for r in rows[1:]))
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
