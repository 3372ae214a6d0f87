#!/usr/bin/env bash
# Mutation testing of one core module with mutmut (pip install -e '.[dev]'), with a fast,
# targeted oracle: the test files and quick claims that guard that module.
#
#   tools/mutation.sh gaussian            # rdptheory/gaussian/
#   tools/mutation.sh operating_points    # rdptheory/operating_points.py
#   tools/mutation.sh perception          # rdptheory/perception/
#   tools/mutation.sh nsm                 # rdptheory/nsm.py
#
# Environment: MUTATION_TIMEOUT (seconds, default 2700), MUTATION_HANG (seconds of wall time
# after which a mutant's process is killed, default 120), MUTATION_JOBS (default 1),
# MUTATION_DIR (scratch folder, default /tmp/rdptheory-mutation-<module>), MUTATION_TESTS and
# MUTATION_SELECT (replace the module's oracle test files and its -k expression), MUTATION_ONLY
# (space-separated globs of files to mutate, default the whole module), MUTATION_NAMES
# (space-separated globs of mutant names to run, e.g. 'rdptheory.nsm.x_nsm_estimate__mutmut_*';
# default all; the others are reported "not checked").
#
# The run happens in a scratch copy of the working tree (mutmut writes a mutants/ folder and
# reads its [mutmut] section from setup.cfg there), under `nice`, capped by `timeout`. At the
# end it prints the counts and writes <scratch>/results.txt (one line per mutant with its
# status) and <scratch>/survivors.diff (the diff of every surviving mutant). numba-jitted
# kernels (decorated functions) are not mutated by mutmut; the score covers the Python layer.
set -euo pipefail
module="${1:?usage: tools/mutation.sh gaussian|operating_points|perception|nsm}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${MUTATION_DIR:-/tmp/rdptheory-mutation-$module}"
timeout_s="${MUTATION_TIMEOUT:-2700}"
jobs="${MUTATION_JOBS:-1}"

case "$module" in
  gaussian)
    only="${MUTATION_ONLY:-rdptheory/gaussian/*}"
    tests="tests/test_gaussian.py tests/test_gaussian_invariance.py tests/test_qsd_recipe.py tests/test_claims.py tests/test_negative_controls.py"
    select="gaussian or qsd_recipe";;
  operating_points)
    only="${MUTATION_ONLY:-rdptheory/operating_points.py}"
    tests="tests/test_operating_points.py tests/test_operating_points_qsd.py tests/test_perception_measurement.py tests/test_qsd_recipe.py tests/test_schemes.py tests/test_claims.py tests/test_negative_controls.py"
    select="operating_points or perception_measurement or qsd_recipe or schemes or ltc_sd or ltc_pd or ltc_qsd or rate_penalty or pd_sd or quadrature_n1 or exact_n1 or distortion_equals_D or rate_between_bounds or perception_within_bounds";;
  perception)
    only="${MUTATION_ONLY:-rdptheory/perception*}"
    tests="tests/test_perception.py tests/test_perception_claims.py tests/test_perception_measurement.py tests/test_perception_quantile.py tests/test_perception_reporting.py tests/test_perception_sliced.py tests/test_negative_perception.py tests/test_perception_exact_1d.py tests/test_perception_gaussian_edges.py tests/test_perception_inputs.py tests/test_perception_wiring.py tests/test_claims.py tests/test_negative_controls.py"
    select="perception";;
  nsm)
    only="${MUTATION_ONLY:-rdptheory/nsm.py}"
    tests="tests/test_nsm.py tests/test_nsm_streaming.py tests/test_nsm_api.py tests/test_claims.py tests/test_negative_controls.py"
    select="nsm and not ci_coverage";;
  *) echo "unknown module $module" >&2; exit 2;;
esac
tests="${MUTATION_TESTS:-$tests}"
select="${MUTATION_SELECT:-$select}"

rm -rf "$scratch"
# mutants/ must exist before Python starts: a PYTHONPATH entry that does not exist yet is cached
# as "no importer" and the editable install elsewhere would be imported instead
mkdir -p "$scratch/mutants"
(cd "$repo" && tar --exclude=.git --exclude=mutants --exclude='*.pyc' --exclude=__pycache__ \
    --exclude=.hypothesis -cf - rdptheory proofs_checks tests setup.cfg pyproject.toml) \
  | (cd "$scratch" && tar -xf -)
only_lines=$(set -f; for o in $only; do echo "    $o"; done)
cat >> "$scratch/setup.cfg" <<CFG

[mutmut]
source_paths = rdptheory/
only_mutate =
$only_lines
also_copy =
    proofs_checks/
pytest_add_cli_args_test_selection =
$(for t in $tests; do echo "    $t"; done)
pytest_add_cli_args =
    -p
    no:cacheprovider
    -q
    -x
    -k
    $select
CFG
cd "$scratch"
# the package must be imported from mutants/, not from an editable install elsewhere
export PYTHONPATH="$scratch/mutants"
export NUMBA_CACHE_DIR="$scratch/.numba"
echo "mutmut on $only, oracle: $tests -k '$select' (timeout ${timeout_s}s, ${jobs} job(s))"
start=$(date +%s)
# mutmut 3 limits a mutant's CPU time, not its wall time: a mutant that deadlocks a dask cluster
# sleeps forever. Kill any mutant process (mutmut names it "mutmut: <mutant>"; dask renames it
# "dask scheduler ...") after MUTATION_HANG seconds of wall time (default 120; the clean dask
# tests take 3 s): mutmut then counts the mutant as detected, as a test timeout would.
hang_s="${MUTATION_HANG:-120}"
(
  while sleep 5; do
    for pid in $(pgrep -f "^(mutmut: .*__mutmut_|dask scheduler)" || true); do
      # only this run's processes (their working directory is in the scratch folder): a
      # second run side by side must not see its mutants killed by this watchdog
      case "$(readlink "/proc/$pid/cwd" 2>/dev/null)" in "$scratch"*) ;; *) continue;; esac
      age=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ')
      if [ -n "$age" ] && [ "$age" -gt "$hang_s" ]; then
        echo "watchdog: killed $(ps -o cmd= -p "$pid" | cut -c1-80) after ${age}s" >> watchdog.log
        kill -9 $(pgrep -P "$pid") "$pid" 2>/dev/null || true
      fi
    done
  done
) &
watchdog=$!
set +e
set -f
# shellcheck disable=SC2086  # MUTATION_NAMES is a list of globs, passed to mutmut unexpanded
nice -n 10 timeout "$timeout_s" mutmut run --max-children "$jobs" ${MUTATION_NAMES:-}
set +f
rc=$?
set -e
kill "$watchdog" 2>/dev/null || true
echo "mutmut exit $rc after $(( $(date +%s) - start )) s"
mutmut results --all true > results.txt 2>/dev/null || mutmut results > results.txt 2>/dev/null || true
python - <<'PY'
import collections, re
counts = collections.Counter()
for line in open("results.txt", encoding="utf-8"):
    m = re.match(r"\s*(\S+): (.+)$", line)
    if m:
        counts[m.group(2).strip()] += 1
total = sum(counts.values())
killed = counts.get("killed", 0)
print(dict(counts), "total", total)
done = total - counts.get("not checked", 0)
if done:
    print(f"killed {killed}/{done} checked = {100 * killed / done:.1f}%")
PY
: > survivors.diff
for m in $(grep -E ': (survived|no tests)$' results.txt | sed 's/:.*//'); do
  mutmut show "$m" >> survivors.diff 2>/dev/null || true
done
echo "results: $scratch/results.txt; surviving mutants: $scratch/survivors.diff"
