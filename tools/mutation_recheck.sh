#!/usr/bin/env bash
# Re-test the surviving mutants of a finished tools/mutation.sh run against test files added
# since (mutmut's own re-run would not know them: its test selection comes from the first run).
#
#   tools/mutation_recheck.sh operating_points tests/test_operating_points.py [more tests ...]
#
# Each surviving (or untested) mutant is switched on with MUTANT_UNDER_TEST in the scratch copy's
# mutants/ tree and the given tests (copied from this working tree) are run: a failure kills it.
# Writes <scratch>/recheck.txt (mutant, killed|survived) and prints the counts.
set -euo pipefail
module="${1:?usage: tools/mutation_recheck.sh MODULE TEST_FILE...}"
shift
repo="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${MUTATION_DIR:-/tmp/rdptheory-mutation-$module}"
for t in "$@"; do cp "$repo/$t" "$scratch/mutants/$t"; done
cd "$scratch/mutants"
export PYTHONPATH="$scratch/mutants"
export NUMBA_CACHE_DIR="$scratch/.numba"
: > ../recheck.txt
for m in $(grep -E ': (survived|no tests)$' ../results.txt | sed 's/^ *//; s/:.*//'); do
  if MUTANT_UNDER_TEST="$m" nice -n 10 timeout 300 python -m pytest -x -q -p no:cacheprovider \
       -p no:randomly "$@" > /dev/null 2>&1; then
    echo "$m survived" >> ../recheck.txt
  else
    echo "$m killed" >> ../recheck.txt
  fi
done
echo "rechecked $(wc -l < ../recheck.txt): killed $(grep -c ' killed$' ../recheck.txt || true), survived $(grep -c ' survived$' ../recheck.txt || true) (details: $scratch/recheck.txt)"
