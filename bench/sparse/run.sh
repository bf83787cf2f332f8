#!/bin/sh
# Issue 15 target: 100,000x20,000 with 0.1 % non-zeros, r = 10 -- nmf-oracle's mu and hals per iteration beside
# scikit-learn's NMF (mu and cd) on the same CSR, peak memory, and the time of a float first-order certificate.
# Prints one line per measurement and a table; writes nothing outside $OUT. Not part of `mvn test`.
#
# Environment: PYTHON (needs numpy, scipy, scikit-learn; default python3), JAR (default target/nmf-oracle.jar),
# JAVA (default java), XMX (java -Xmx, default 2g: the memory target), OUT (default target/sparse-bench),
# ROUNDS (default 3: rounds of all methods, interleaved), K (iterations per timed run, default 20), N, M, DENSITY,
# SEED (the matrix, default 100000 20000 0.001 15).
set -eu
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
JAR=${JAR:-target/nmf-oracle.jar}
JAVA=${JAVA:-java}
XMX=${XMX:-2g}
OUT=${OUT:-target/sparse-bench}
ROUNDS=${ROUNDS:-3}
K=${K:-20}
N=${N:-100000}; M=${M:-20000}; DENSITY=${DENSITY:-0.001}; SEED=${SEED:-15}
[ -f "$JAR" ] || { echo "no $JAR: run mvn -q -B package -DskipTests" >&2; exit 2; }
"$PYTHON" -c "import sklearn, scipy" 2>/dev/null || { echo "$PYTHON has no scikit-learn/scipy" >&2; exit 3; }
mkdir -p "$OUT"
V="$OUT/V-$N-$M-$DENSITY-$SEED.npz"
[ -f "$V" ] || "$PYTHON" bench/sparse/make_matrix.py "$V" "$N" "$M" "$DENSITY" "$SEED"
RES="$OUT/results.txt"
: > "$RES"

# ours: seconds per iteration from the trace (iterations 3..K: the JIT warm-up excluded), peak RSS from time(1)
ours() {
    alg=$1
    /usr/bin/time -f "%M" -o "$OUT/rss" "$JAVA" -Xmx"$XMX" -jar "$JAR" solve --input "$V" --rank 10 -a "$alg" \
        --max-iter "$K" --tol 0 --seed 0 --quiet --trace "$OUT/trace-$alg.csv" > /dev/null
    "$PYTHON" - "$OUT/trace-$alg.csv" "$OUT/rss" "$alg" <<'PY' | tee -a "$RES"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
t = [float(r["seconds"]) for r in rows]
rss = int(open(sys.argv[2]).read().split()[-1]) / 1024
print(f"nmf-oracle {sys.argv[3]} per_iteration_s={(t[-1] - t[3]) / (len(t) - 4):.4f} max_rss_mib={rss:.0f}")
PY
}

sklearn() {
    "$PYTHON" bench/sparse/sklearn_nmf.py "$V" "$1" "$K" 1 | sed 's/^/scikit-learn /' | tee -a "$RES"
}

certify() {
    "$JAVA" -Xmx"$XMX" -jar "$JAR" solve --input "$V" --rank 10 -a mu --max-iter "$K" --tol 0 --quiet \
        --out-w "$OUT/W.npy" --out-h "$OUT/H.npy" > /dev/null
    /usr/bin/time -f "%e %M" -o "$OUT/rss" "$JAVA" -Xmx"$XMX" -jar "$JAR" certify --input "$V" --w "$OUT/W.npy" \
        --h "$OUT/H.npy" --out "$OUT/certificate.json" > "$OUT/certificate.txt" || true
    fosp=$(sed -n 's/^  first order (KKT) *\([A-Z]*\).*/\1/p' "$OUT/certificate.txt")
    set -- $(tail -1 "$OUT/rss")
    echo "nmf-oracle certify wall_s=$1 (JVM start and reading V included) fosp=$fosp max_rss_mib=$(( $2 / 1024 ))" | tee -a "$RES"
}

i=1
while [ "$i" -le "$ROUNDS" ]; do
    echo "round $i of $ROUNDS"
    ours mu; sklearn mu; ours hals; sklearn cd
    i=$((i + 1))
done
certify
echo
echo "medians over $ROUNDS rounds (seconds per iteration; peak RSS MiB):"
"$PYTHON" - "$RES" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) (?:solver=)?(\S+) .*per_iteration_s=([\d.]+).*max_rss_mib=(\d+)", line)
    if m:
        rows.setdefault((m[1], m[2]), []).append((float(m[3]), int(m[4])))
for (tool, alg), v in rows.items():
    print(f"  {tool:12s} {alg:5s} {statistics.median(x for x, _ in v):.4f} s/iteration  {max(y for _, y in v)} MiB")
PY
