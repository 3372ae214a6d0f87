"""List the surviving mutants of a tools/mutation.sh run with their one-line change and the reason
each is left alive (equivalent, or equivalent at the tested precision), after the recheck.

    python tools/mutation_survivors.py SCRATCH REASONS.tsv [--title TEXT] > table.md

SCRATCH is the run's folder (survivors.diff, results.txt, recheck*.txt); REASONS.tsv holds
``<mutant name or fnmatch pattern>\t<reason>`` lines (``#`` comments). Mutants killed by the
recheck are counted, not listed. Prints a markdown table and the counts; a survivor without a
reason is listed as "not analysed" so that nothing is hidden; a reason starting with ``**gap**``
marks a survivor that a missing test would kill (counted as neither killed nor justified).
"""
from __future__ import annotations

import argparse
import fnmatch
import glob
import os
import re
import sys


def read_diffs(path):
    """{mutant: (removed lines, added lines)} from a survivors.diff of `mutmut show` outputs."""
    out, name = {}, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"# (\S+): ", line)
        if m:
            name = m.group(1)
            out[name] = ([], [])
        elif name and line.startswith("-") and not line.startswith("---"):
            out[name][0].append(line[1:].strip())
        elif name and line.startswith("+") and not line.startswith("+++"):
            out[name][1].append(line[1:].strip())
    return out


def read_statuses(scratch):
    status = {}
    for line in open(os.path.join(scratch, "results.txt"), encoding="utf-8"):
        m = re.match(r"\s*(\S+): (.+)$", line)
        if m:
            status[m.group(1)] = m.group(2).strip()
    for f in sorted(glob.glob(os.path.join(scratch, "recheck*.txt"))):
        for line in open(f, encoding="utf-8"):
            parts = line.split()
            if len(parts) == 2 and parts[1] == "killed":
                status[parts[0]] = "killed (recheck)"
    return status


def read_reasons(path):
    rules = []
    for line in open(path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            pattern, reason = line.rstrip("\n").split("\t", 1)
            rules.append((pattern.strip(), reason.strip()))
    return rules


def change(diff):
    removed, added = diff
    a = " ".join(removed)
    b = " ".join(added)
    if len(a) > 90 or len(b) > 90:          # show the differing middle only
        i = 0
        while i < min(len(a), len(b)) and a[i] == b[i]:
            i += 1
        j = 0
        while j < min(len(a), len(b)) - i and a[-1 - j] == b[-1 - j]:
            j += 1
        lo = max(0, i - 25)
        a = ("…" if lo else "") + a[lo:len(a) - j + 15] + "…"
        b = ("…" if lo else "") + b[lo:len(b) - j + 15] + "…"
    return f"`{a}` → `{b}`".replace("|", "\\|")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scratch")
    ap.add_argument("reasons")
    ap.add_argument("--title", default="")
    args = ap.parse_args(argv)
    diffs = read_diffs(os.path.join(args.scratch, "survivors.diff"))
    status = read_statuses(args.scratch)
    rules = read_reasons(args.reasons)
    counts = {}
    for s in status.values():
        key = "killed" if s.startswith("killed") or s in ("segfault", "timeout") else s
        counts[key] = counts.get(key, 0) + 1
    checked = sum(v for k, v in counts.items() if k != "not checked")
    left = [n for n, s in status.items() if s in ("survived", "no tests")]
    rows, unexplained, gaps = [], 0, 0
    for name in left:
        reason = next((r for p, r in rules if fnmatch.fnmatchcase(name, p)), None)
        if reason is None:
            unexplained += 1
            reason = "**not analysed**"
        elif reason.startswith("**gap**"):
            gaps += 1
        rows.append(f"| `{name.split('.x_', 1)[-1]}` | {change(diffs.get(name, ([], [])))} "
                    f"| {reason} |")
    killed = counts.get("killed", 0)
    justified = len(left) - unexplained - gaps
    if args.title:
        print(f"## {args.title}\n")
    print(f"Checked {checked} of {len(status)} mutants: killed {killed} (after the recheck), "
          f"{justified} survivors justified below, {gaps} known gaps (a missing test), "
          f"{unexplained} not analysed: "
          f"**{100 * (killed + justified) / max(checked, 1):.1f}% killed or justified**.\n")
    if rows:
        print("| mutant | change | reason |\n|---|---|---|")
        print("\n".join(rows))
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
