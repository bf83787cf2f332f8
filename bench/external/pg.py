#!/usr/bin/env python3
"""Alternating projected gradient (Lin 2007) as an nmf-oracle external solver.

Protocol (README, "External solvers"): pg.py V.npy W0.npy H0.npy W.npy H.npy, with NMF_ORACLE_MAX_ITER and
NMF_ORACLE_TOL (stop when |F_t - F_{t-1}| <= tol * F_{t-1}) in the environment. A numpy port of the built-in
`pg` (same constants: sigma 0.01, beta 0.1, 20 inner iterations, 20 step trials, initial tolerance 0.001 of the
gradient norm, tightened x0.1 when a sub-problem stops at its first check), for comparing audits.
"""
import os
import sys

import numpy as np

SIGMA, BETA, MAX_INNER, MAX_TRIALS, MAX_RETRIES = 0.01, 0.1, 20, 20, 40


def subproblem(x, q, b, tol, alpha, left):
    """Lin's nlssubprob: min 0.5<x, Qx> - <b, x>, x >= 0; Q applied as x @ q (W) or q @ x (H)."""
    apply = (lambda y: q @ y) if left else (lambda y: y @ q)
    steps, first = 0, False
    for it in range(MAX_INNER):
        grad = apply(x) - b
        pg = np.sqrt(np.sum(grad[(grad < 0) | (x > 0)] ** 2))
        if pg < tol:
            first = it == 0
            break
        moved, prev, decrease = False, None, None
        for trial in range(MAX_TRIALS):
            xn = np.maximum(0.0, x - alpha * grad)
            d = xn - x
            sufficient = (1 - SIGMA) * np.sum(grad * d) + 0.5 * np.sum(apply(d) * d) < 0
            if trial == 0:
                decrease = not sufficient
            if decrease:
                if sufficient:
                    x, moved = xn, True
                    break
                alpha *= BETA
            else:
                if not sufficient or (prev is not None and np.array_equal(prev, xn)):
                    x, moved = prev, True
                    break
                prev = xn
                if trial == MAX_TRIALS - 1:
                    x, moved = prev, True
                    break
                alpha /= BETA
        if not moved:
            break
        steps += 1
    return x, steps, first, alpha


def main():
    v, w, h = (np.load(p).astype(np.float64) for p in sys.argv[1:4])
    max_iter = int(os.environ.get("NMF_ORACLE_MAX_ITER", "1000"))
    tol_obj = float(os.environ.get("NMF_ORACLE_TOL", "1e-9"))
    f = lambda: np.sum((v - w @ h) ** 2)
    gw, gh = w @ (h @ h.T) - v @ h.T, (w.T @ w) @ h - w.T @ v
    tol_w = tol_h = 0.001 * np.sqrt(np.sum(gw ** 2) + np.sum(gh ** 2))
    a_w = a_h = 1.0
    prev = f()
    for _ in range(max_iter):
        for _retry in range(MAX_RETRIES + 1):
            w, sw, fw, a_w = subproblem(w, h @ h.T, v @ h.T, tol_w, a_w, left=False)
            if fw:
                tol_w *= 0.1
            h, sh, fh, a_h = subproblem(h, w.T @ w, w.T @ v, tol_h, a_h, left=True)
            if fh:
                tol_h *= 0.1
            if sw or sh or (not fw and not fh):
                break
        if not (sw or sh):
            break
        cur = f()
        if tol_obj > 0 and abs(prev - cur) <= tol_obj * abs(prev):
            break
        prev = cur
    np.save(sys.argv[4], w)
    np.save(sys.argv[5], h)


if __name__ == "__main__":
    main()
