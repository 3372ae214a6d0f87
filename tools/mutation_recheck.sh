#!/usr/bin/env bash
# Re-test the surviving mutants of a finished tools/mutation.sh run against test files added
# since (mutmut's own re-run would not know them: its test selection comes from the first run).
#
#   tools/mutation_recheck.sh operating_points tests/test_operating_points.py [more tests ...]
#
# Each surviving (or untested) mutant is switched on with MUTANT_UNDER_TEST in the scratch copy's
# mutants/ tree and the given tests (copied from this working tree) are run in one Python process
# (pytest.main per mutant; mutmut's trampolines read the variable at call time): a failure kills
# it. Writes <scratch>/recheck.txt (mutant, killed|survived) and prints the counts.
# RECHECK_SHARD=k/N rechecks every N-th survivor from the k-th (k = 0..N-1) and writes
# recheck-k.txt, so N shards can run side by side. RECHECK_K='expr' passes `-k expr` to pytest
# (e.g. to leave out a test of code that changed after the run: the recheck needs the tests to
# pass on the run's unmutated snapshot). RECHECK_MATCH='regex' rechecks only the survivors whose
# name matches (e.g. 'quantile\.' with the quantile tests), writing recheck-<tag>.txt with
# RECHECK_TAG.
set -euo pipefail
module="${1:?usage: tools/mutation_recheck.sh MODULE TEST_FILE...}"
shift
repo="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${MUTATION_DIR:-/tmp/rdptheory-mutation-$module}"
for t in "$@"; do cp "$repo/$t" "$scratch/mutants/$t"; done
cd "$scratch/mutants"
export PYTHONPATH="$scratch/mutants"
export NUMBA_CACHE_DIR="$scratch/.numba"
nice -n 10 python - "$@" <<'PY'
import os, re, sys
import pytest
tests = sys.argv[1:]
names = [m.group(1) for line in open("../results.txt", encoding="utf-8")
         if (m := re.match(r"\s*(\S+): (survived|no tests)\s*$", line))]
if os.environ.get("RECHECK_MATCH"):
    names = [n for n in names if re.search(os.environ["RECHECK_MATCH"], n)]
shard = os.environ.get("RECHECK_SHARD")
k, N = (int(v) for v in shard.split("/")) if shard else (0, 1)
names = names[k::N]
tag = os.environ.get("RECHECK_TAG", "")
out_file = f"../recheck{tag}-{k}.txt" if shard else f"../recheck{tag}.txt"
args = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--no-header", "-o",
        "addopts="] + tests
if os.environ.get("RECHECK_K"):
    args += ["-k", os.environ["RECHECK_K"]]
os.environ["MUTANT_UNDER_TEST"] = ""
assert pytest.main(args) == 0, "the tests must pass without mutants"
out = []
for name in names:
    os.environ["MUTANT_UNDER_TEST"] = name
    code = pytest.main(args)
    out.append(f"{name} {'survived' if code == 0 else 'killed'}")
    print(out[-1], flush=True)
with open(out_file, "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
k = sum(x.endswith("killed") for x in out)
print(f"rechecked {len(out)}: killed {k}, survived {len(out) - k}")
PY
