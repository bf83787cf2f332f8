#!/usr/bin/env python3
"""1,000 certifications of small cases (n, m <= 20, r <= 3) through one `serve` process, against one JVM per call.

    /usr/bin/python3 bench/serve/certify_1000.py [--cases 1000] [--cli-sample 10]

Cases (seed 0): half random points, half exact factorizations V = WH (FOSP; the second-order stages run). The
one-JVM-per-call figure is measured on --cli-sample cases with `java -jar target/nmf-oracle.jar certify --json`
and extrapolated to --cases; both are printed side by side with their ratio.
"""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src" / "main" / "python"))
from nmf_oracle import Oracle  # noqa: E402
from nmf_oracle.client import find_jar, find_java  # noqa: E402


def cases(k, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for i in range(k):
        n, m = int(rng.integers(2, 21)), int(rng.integers(2, 21))
        r = int(rng.integers(1, min(3, n, m) + 1))
        W = rng.integers(0, 5, (n, r)).astype(float)
        H = rng.integers(0, 5, (r, m)).astype(float)
        V = W @ H if i % 2 else rng.random((n, m))
        out.append((V, W, H))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--cli-sample", type=int, default=10)
    a = ap.parse_args()
    cs = cases(a.cases)
    t0 = time.perf_counter()
    verdicts = {}
    with Oracle() as o:
        t1 = time.perf_counter()
        for V, W, H in cs:
            c = o.certify(V, W, H)
            verdicts[(c.fosp.verdict, c.sosp_paper.verdict)] = verdicts.get((c.fosp.verdict, c.sosp_paper.verdict), 0) + 1
        t2 = time.perf_counter()
    serve_total = t2 - t0
    per_call = []
    with tempfile.TemporaryDirectory() as d:
        for i, (V, W, H) in enumerate(cs[: a.cli_sample]):
            paths = []
            for name, x in (("V", V), ("W", W), ("H", H)):
                p = Path(d) / f"{name}{i}.csv"
                np.savetxt(p, x, delimiter=",", fmt="%.17g")
                paths.append(str(p))
            s = time.perf_counter()
            subprocess.run([find_java(), "-jar", str(find_jar()), "certify", "--input", paths[0], "--w", paths[1],
                            "--h", paths[2], "--json"], check=True, capture_output=True)
            per_call.append(time.perf_counter() - s)
    cli_total = float(np.mean(per_call)) * a.cases
    print(f"cases: {a.cases} (n, m <= 20, r <= 3, seed 0); verdicts (fosp, sospPaper): {verdicts}")
    print(f"serve, one JVM:   {serve_total:8.2f} s total ({t1 - t0:.2f} s start, {1e3 * (t2 - t1) / a.cases:.2f} ms per certification)")
    print(f"one JVM per call: {cli_total:8.2f} s (mean {np.mean(per_call):.2f} s over {len(per_call)} calls, times {a.cases})")
    print(f"ratio: {cli_total / serve_total:.0f}x")


if __name__ == "__main__":
    main()
