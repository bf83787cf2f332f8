#!/usr/bin/env bash
# The Python suite (pytest + Hypothesis) against target/nmf-oracle.jar; run by `mvn verify` after packaging.
# Needs Debian's python3-numpy, python3-pytest, python3-hypothesis (.ci/run installs them); python3-sklearn optional.
set -euo pipefail
cd "$(dirname "$0")/../../.."
py=${NMF_ORACLE_PYTHON:-/usr/bin/python3}
if ! command -v "$py" >/dev/null 2>&1; then
  echo "python tests: $py not found: apt-get install -y python3 python3-numpy python3-pytest python3-hypothesis (or run .ci/run; NMF_ORACLE_PYTHON picks another python)"
  exit 1
fi
missing=$("$py" - <<'PY'
import importlib.util
print(" ".join("python3-" + m for m in ("numpy", "pytest", "hypothesis") if importlib.util.find_spec(m) is None))
PY
)
if [ -n "$missing" ]; then
  echo "python tests: missing $missing for $py: apt-get install -y $missing (or run .ci/run)"
  exit 1
fi
# Debian's numpy links the system libblas.so.3 / liblapack.so.3. Where they are missing, give numpy the OpenBLAS
# the Java side ships through Maven (NMF_ORACLE_OPENBLAS_JAR, set by the pom) under those names, in target/.
if ! broken=$("$py" -c 'import numpy' 2>&1) && grep -Eq 'lib(c?blas|lapack)\.so\.3' <<<"$broken" \
    && [ -f "${NMF_ORACLE_OPENBLAS_JAR:-}" ]; then
  blas=$PWD/target/python-blas
  "$py" - "$NMF_ORACLE_OPENBLAS_JAR" "$blas" <<'PY'
import os, sys, zipfile
jar, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with zipfile.ZipFile(jar) as z:
    for n in z.namelist():
        base = os.path.basename(n)
        if base in ("libopenblas.so.0", "libgfortran.so.5", "libquadmath.so.0", "libgcc_s.so.1"):
            with z.open(n) as src, open(os.path.join(out, base), "wb") as dst:
                dst.write(src.read())
for alias in ("libblas.so.3", "libcblas.so.3", "liblapack.so.3"):
    path = os.path.join(out, alias)
    if os.path.lexists(path):
        os.remove(path)
    os.symlink("libopenblas.so.0", path)
PY
  export LD_LIBRARY_PATH="$blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "python tests: no system BLAS for numpy; using the bundled OpenBLAS ($blas)"
fi
# installed but broken (e.g. numpy without any BLAS it can load): one line, not an import traceback
if ! broken=$("$py" -c 'import numpy, pytest, hypothesis' 2>&1); then
  echo "python tests: numpy, pytest or hypothesis cannot be imported by $py ($(printf '%s\n' "$broken" | grep -v '^\s*$' | tail -n 1)): apt-get install --reinstall -y python3-numpy python3-pytest python3-hypothesis"
  exit 1
fi
export NMF_ORACLE_JAR=${NMF_ORACLE_JAR:-$PWD/target/nmf-oracle.jar}
exec "$py" -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning src/test/python "$@"
