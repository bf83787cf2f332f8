#!/usr/bin/env python3
"""The pytest gate over scikit-learn's NMF: Hypothesis, 100 examples per solver, assert_sosp on what NMF returns.

    /usr/bin/python3 bench/serve/sklearn_gate.py [--examples 100]

Prints, per solver (mu, cd): the time for the examples, how many were certified SOSP and why the others were not
(zero-locked: a zero entry with a negative gradient, fosp witness kind active-gradient; not converged: a positive
entry with a large gradient, support-gradient), and the smallest failing example with its witness. Needs
python3-sklearn.
"""
import argparse
import collections
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src" / "main" / "python"))
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from sklearn.decomposition import NMF  # noqa: E402

from nmf_oracle import Oracle, assert_sosp  # noqa: E402
from nmf_oracle import strategies as nst  # noqa: E402


TOL = 1e-4  # relative first-order tolerance: scikit-learn's solvers stop well before the default 1e-6


def run(oracle, solver, examples):
    seen = collections.Counter()
    failures = []

    # generate only (no shrinking): the 100 examples are what is timed; the smallest failure is printed
    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(nst.sklearn_cases())
    def gate(case):
        V, r, seed, init = case
        model = NMF(n_components=r, solver=solver, init=init, random_state=seed, max_iter=400, tol=1e-10)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            W = model.fit_transform(V)
        try:
            cert = assert_sosp(model, V, W=W, oracle=oracle, tol_first_order=TOL)
            seen[f"certified SOSP (init {init})"] += 1
        except AssertionError as e:
            c = oracle.certify(V, W, model.components_, tol_first_order=TOL)
            if c.fosp.fails:
                kind = (c.fosp.witness or {}).get("kind", "fosp FAILS")
            elif c.fosp.holds:
                kind = "saddle: a FOSP with a negative-curvature witness" if c.sosp_paper.fails else "sospPaper UNDECIDED"
            else:
                kind = "fosp UNDECIDED"
            why = {"active-gradient": "zero-locked: a zero entry whose gradient is negative",
                   "support-gradient": "not converged: a positive entry with a large gradient"}.get(kind, kind)
            seen[f"not certified (init {init}): {why}"] += 1
            failures.append((V.size, init, str(e) + f"\n(V = {V.tolist()}, r = {r}, random_state = {seed})"))

    t = time.perf_counter()
    gate()
    return time.perf_counter() - t, seen, failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=100)
    a = ap.parse_args()
    with Oracle() as o:
        for solver in ("mu", "cd"):
            secs, seen, failures = run(o, solver, a.examples)
            print(f"{solver}: {secs:.1f} s for {sum(seen.values())} examples (fit + certify each)")
            for k, v in sorted(seen.items()):
                print(f"  {v:4d}  {k}")
            zl = [f for f in failures if "active-gradient" in f[2]]
            saddles = [f for f in failures if "fosp: FAILS" not in f[2]]
            for title, group in (("smallest certified saddle", saddles), ("smallest zero-locked example", zl),
                                 ("smallest failure", failures)):
                if group:
                    size, init, msg = min(group, key=lambda f: f[0])
                    print(f"  {title} (init {init}):")
                    print("    " + msg.replace("\n", "\n    ")[:1500])


if __name__ == "__main__":
    main()
