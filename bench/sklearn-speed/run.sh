#!/usr/bin/env bash
# Speed of nmf-oracle against scikit-learn's NMF (solvers mu and cd) on shared .npy inputs, in one run:
# time per iteration and time to a relative-error target. Downloads nothing. Not part of the test suite.
# See bench/sklearn-speed/README.md.
#
# Environment (all optional):
#   PYTHON        Python with scikit-learn   (default /usr/bin/python3, i.e. Debian's python3-sklearn)
#   JAR           nmf-oracle jar             (default <repo>/target/nmf-oracle.jar)
#   JAVA          java executable            (default java)
#   OUT           output folder              (default <repo>/target/sklearn-speed)
#   CASES         comma-separated cases      (default planted-500x400,planted-2000x2000,digits)
#   ALGORITHMS    nmf-oracle algorithms      (default mwu-adaptive,mu,hals,mwu-adaptive@native; ALG@native = --blas native;
#                 those the jar does not know or cannot load are skipped)
#   TIME_CAP      seconds per method and case to reach the target (default 600)
#   BLAS_THREADS  limit numpy/scikit-learn BLAS + OpenMP threads (default: the environment's, e.g. OMP_NUM_THREADS)
#   JAVA_THREADS  nmf-oracle --threads (default: all cores)
#   PER_ITERATION_ROUNDS  N > 0: only the time per iteration, all methods interleaved, N rounds (medians), written
#                 to OUT/per_iteration.csv; the full comparison is skipped
#   SAME_START    1: with PER_ITERATION_ROUNDS, every method starts from scikit-learn's random_state=0 start
# Exit status: 0 done; 2 the jar is missing; 3 scikit-learn is missing; other: compare.py failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
JAR=${JAR:-$root/target/nmf-oracle.jar}
JAVA=${JAVA:-java}
OUT=${OUT:-$root/target/sklearn-speed}
CASES=${CASES:-planted-500x400,planted-2000x2000,digits}
ALGORITHMS=${ALGORITHMS:-mwu-adaptive,mu,hals,mwu-adaptive@native}
TIME_CAP=${TIME_CAP:-600}

if ! "$PY" -c "import sklearn, numpy" >/dev/null 2>&1; then
    echo "scikit-learn not found: install Debian's python3-sklearn (apt-get install python3-sklearn); looked in $PY" >&2
    exit 3
fi
if [ ! -f "$JAR" ]; then
    echo "nmf-oracle jar not found at $JAR: build it first (mvn -q -B package -DskipTests)" >&2
    exit 2
fi
mkdir -p "$OUT"
args=(--out "$OUT" --jar "$JAR" --java "$JAVA" --cases "$CASES" --algorithms "$ALGORITHMS" --time-cap "$TIME_CAP")
[ -n "${BLAS_THREADS:-}" ] && args+=(--blas-threads "$BLAS_THREADS")
[ -n "${JAVA_THREADS:-}" ] && args+=(--java-threads "$JAVA_THREADS")
table="$OUT/table.txt"
if [ -n "${PER_ITERATION_ROUNDS:-}" ] && [ "$PER_ITERATION_ROUNDS" -gt 0 ]; then
    args+=(--per-iteration-rounds "$PER_ITERATION_ROUNDS")
    [ "${SAME_START:-0}" = 1 ] && args+=(--same-start)
    table="$OUT/per_iteration.txt"
fi
"$PY" "$here/compare.py" "${args[@]}" | tee "$table"
exit "${PIPESTATUS[0]}"
