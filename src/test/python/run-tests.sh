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
# installed but broken (e.g. numpy without the system BLAS it links): one line, not an import traceback
if ! broken=$("$py" -c 'import numpy, pytest, hypothesis' 2>&1); then
  echo "python tests: numpy, pytest or hypothesis cannot be imported by $py ($(printf '%s\n' "$broken" | grep -v '^\s*$' | tail -n 1)): apt-get install --reinstall -y python3-numpy python3-pytest python3-hypothesis"
  exit 1
fi
export NMF_ORACLE_JAR=${NMF_ORACLE_JAR:-$PWD/target/nmf-oracle.jar}
exec "$py" -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning src/test/python "$@"
