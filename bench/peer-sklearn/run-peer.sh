#!/usr/bin/env bash
# Peer comparison: factorize with scikit-learn's NMF (solvers mu and cd), certify each result with
# nmf-oracle (float mode) and print a table of the verdicts. Downloads nothing. Not part of the test suite.
# See bench/peer-sklearn/README.md.
#
# Environment (all optional):
#   PYTHON      Python with scikit-learn      (default /usr/bin/python3, i.e. Debian's python3-sklearn)
#   JAR         nmf-oracle jar                (default <repo>/target/nmf-oracle.jar)
#   OUT         output folder                 (default <repo>/target/peer-sklearn)
#   CASES       cases to run                  (default "planted digits")
#   SOLVERS     scikit-learn solvers          (default "mu cd")
#   MAX_ITER    scikit-learn max_iter         (default 20000)
#   TOL         scikit-learn tol              (default 1e-10)
#   CERTIFY_ARGS extra options for certify    (default none)
# Exit status: 0 every step ran (whatever the verdicts); 1 some factorization or certification failed;
# 2 the jar is missing; 3 scikit-learn is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
JAR=${JAR:-$root/target/nmf-oracle.jar}
OUT=${OUT:-$root/target/peer-sklearn}
CASES=${CASES:-planted digits}
SOLVERS=${SOLVERS:-mu cd}
MAX_ITER=${MAX_ITER:-20000}
TOL=${TOL:-1e-10}
CERTIFY_ARGS=${CERTIFY_ARGS:-}

if ! "$PY" -c "import sklearn" >/dev/null 2>&1; then
    echo "scikit-learn not found: install Debian's python3-sklearn (apt-get install python3-sklearn); looked in $PY" >&2
    exit 3
fi
if [ ! -f "$JAR" ]; then
    echo "nmf-oracle jar not found at $JAR: build it first (mvn -q -B package -DskipTests)" >&2
    exit 2
fi
mkdir -p "$OUT"
status=0
runs=()
for case in $CASES; do
    for solver in $SOLVERS; do
        dir="$OUT/$case-$solver"
        rm -rf "$dir"; mkdir -p "$dir"
        "$PY" "$here/factorize.py" --case "$case" --solver "$solver" --out "$dir" --max-iter "$MAX_ITER" --tol "$TOL"
        rc=$?
        if [ $rc -eq 4 ]; then
            echo "$case/$solver: skipped (data not available offline)"
            continue
        elif [ $rc -ne 0 ]; then
            echo "$case/$solver: factorize.py failed (exit $rc)" >&2
            status=1; continue
        fi
        start=$(date +%s.%N)
        # shellcheck disable=SC2086
        java -jar "$JAR" certify --input "$dir/V.npy" --w "$dir/W.npy" --h "$dir/H.npy" --mode float --json \
             --out "$dir/cert.json" $CERTIFY_ARGS > "$dir/certify.stdout" 2> "$dir/certify.stderr"
        crc=$?
        end=$(date +%s.%N)
        echo "$crc $(echo "$end - $start" | bc 2>/dev/null || echo 0)" > "$dir/certify.status"
        if [ ! -s "$dir/cert.json" ]; then
            echo "$case/$solver: certify wrote no certificate (exit $crc): $(head -c 300 "$dir/certify.stderr")" >&2
            status=1
        fi
        runs+=("$dir")
    done
done

"$PY" - "${runs[@]}" <<'PYEOF'
import json, os, sys
rows = []
hdr = ('case', 'solver', 'n x m', 'r', 'iter', 'rel.err', 'fosp', 'residual', 'sospPaper', 'sospCone', 'strict', 'certify')
for d in sys.argv[1:]:
    info = json.load(open(os.path.join(d, 'info.json')))
    st = open(os.path.join(d, 'certify.status')).read().split()
    crc, secs = st[0], (st[1] if len(st) > 1 else '?')
    v = lambda c, k: '-'
    try:
        c = json.load(open(os.path.join(d, 'cert.json')))
        get = lambda k: (c.get(k) or {}).get('verdict', '?')
        res = (c.get('fosp') or {}).get('residual')
        cells = (get('fosp'), '%.3e' % res if isinstance(res, (int, float)) else str(res),
                 get('sospPaper'), get('sospCone'), get('strictModuloSymmetry'))
    except Exception as e:
        cells = ('-', '-', '-', '-', '-')
    try:
        secs = '%.1f s' % float(secs)
    except ValueError:
        pass
    rows.append((info['case'], info['solver'], '%dx%d' % (info['n'], info['m']), str(info['r']), str(info['n_iter']),
                 '%.3e' % info['relative_error']) + cells + ('exit %s, %s' % (crc, secs),))
w = [max(len(str(x)) for x in col) for col in zip(hdr, *rows)] if rows else [len(h) for h in hdr]
line = lambda r: '  '.join(str(x).ljust(k) for x, k in zip(r, w))
print(line(hdr)); print(line(['-' * k for k in w]))
for r in rows:
    print(line(r))
PYEOF
exit $status
