#!/usr/bin/env python3
"""Which step rule would make the concurrent MWU fast? Iterations to a relative-error target, per rule, same V and start.

  step_rules.py [--n 100] [--m 80] [--r 5] [--seed 1] [--start-seed 0] [--iterations 20000] [--target 0.01]
                [--rules mwu-halving,mwu-exact,mwu-block,eg,eg-block,mu] [--c-scale 1]

V = W0 H0 with W0 (n x r), H0 (r x m) uniform in [0, 1) from numpy RandomState(seed) (as bench/sklearn-speed).
Every MWU rule runs Algorithm 1's setting: V/C^2 on the unit simplex of (W, H), C = 4 r (nm)^(1/4) sqrt(||V||_F),
from the same Dirichlet(1, ..., 1) start; the relative error ||V - C^2 W H|| / ||V|| is scale-free.
--c-scale s uses s*C instead (s = 0.505: C = 1.01 C*, just above Theorem 2's threshold C* = C/2).
  mwu-halving  nmf-oracle's mwu-adaptive: x_i <- x_i (1 - eps g_i) / Z, eps = 0.99 eps_max 2^-j (eps_max = 1/max g_i
               over x_i > 0), the best candidate by F evaluated exactly along the path (a rational function of eps)
  mwu-exact    the same update with the greedy-optimal eps in (0, 0.99 eps_max] (grid + golden section)
  mwu-block    one eps per block: eps_W = t/max g_W, eps_H = t/max g_H, t by halving as above (not Algorithm 1: its
               fixed points differ from KKT points where the multiplier is not 0)
  eg, eg-block exponentiated form x_i <- x_i exp(-eps g_i) / Z (no positivity cap), backtracking on F
  mu           Lee-Seung multiplicative updates on V itself (the reference), uniform start scaled to mean(V)
Prints one line per rule. numpy only; not part of the test suite.
"""
import argparse, time
import numpy as np


def instance(n, m, r, seed):
    rng = np.random.RandomState(seed)
    return rng.rand(n, r) @ rng.rand(r, m)


def simplex_start(n, m, r, seed):
    x = np.random.default_rng(seed).exponential(size=n * r + r * m)
    x /= x.sum()
    return x[:n * r].reshape(n, r).copy(), x[n * r:].reshape(r, m).copy()


def mwu_linear(V, r, rule, iters, start_seed, target, c_scale):
    n, m = V.shape
    C = c_scale * 4 * r * (n * m) ** 0.25 * np.sqrt(np.linalg.norm(V))
    Vs = V / C ** 2
    vs2 = (Vs * Vs).sum()
    W, H = simplex_start(n, m, r, start_seed)
    rel = np.inf
    for t in range(iters + 1):
        VHt, WtV, WtW, HHt = Vs @ H.T, W.T @ Vs, W.T @ W, H @ H.T
        rel = np.sqrt(max(vs2 - 2 * (W * VHt).sum() + (WtW * HHt).sum(), 0) / vs2)
        if rel <= target or t == iters:
            return t, rel
        gW, gH = -2 * (VHt - W @ HHt), -2 * (WtV - WtW @ H)
        if rule == 'mwu-block':
            a, b = 1 / gW[W > 0].max(), 1 / gH[H > 0].max()
        else:
            a = b = 1 / max(gW[W > 0].max(), gH[H > 0].max())
        P, Q = a * W * gW, b * H * gH
        PtV = P.T @ Vs
        s = P.sum() + Q.sum()
        l0, l1, l2 = (VHt * W).sum(), -((VHt * P).sum() + (WtV * Q).sum()), (PtV * Q).sum()
        WtP, HQt = W.T @ P, H @ Q.T
        A = [WtW, -(WtP + WtP.T), P.T @ P]
        B = [HHt, -(HQt + HQt.T), Q @ Q.T]
        k = np.zeros(5)
        for i in range(3):
            for j in range(3):
                k[i + j] += (A[i] * B[j]).sum()

        def change(e):  # F(x(e)) - F(x), exactly along the path, as in problem.MultiplicativePath
            z2 = (1 - e * s) ** 2
            lv = l0 + e * (l1 + e * l2)
            kv = k[0] + e * (k[1] + e * (k[2] + e * (k[3] + e * k[4])))
            return -2 * (lv / z2 - l0) + (kv / (z2 * z2) - k[0])

        e, best, bc = 0.99, None, 0.0
        for _ in range(61):
            d = change(e)
            if d <= bc and 1 - e * s > 0:
                best, bc = e, d
            elif best is not None:
                break
            e *= 0.5
        if rule == 'mwu-exact':
            grid = 0.99 * np.geomspace(1e-12, 1, 400)
            i = int(np.argmin([change(g) for g in grid]))
            lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
            for _ in range(60):
                a1, a2 = lo + 0.382 * (hi - lo), lo + 0.618 * (hi - lo)
                lo, hi = (lo, a2) if change(a1) < change(a2) else (a1, hi)
            e2 = 0.5 * (lo + hi)
            if change(e2) < bc:
                best, bc = e2, change(e2)
        if best is None:
            return t, rel
        z = 1 - best * s
        W, H = W * (1 - best * a * gW) / z, H * (1 - best * b * gH) / z


def eg(V, r, rule, iters, start_seed, target, c_scale):
    n, m = V.shape
    C = c_scale * 4 * r * (n * m) ** 0.25 * np.sqrt(np.linalg.norm(V))
    Vs = V / C ** 2
    vs = np.linalg.norm(Vs)
    W, H = simplex_start(n, m, r, start_seed)
    eps, rel = 1.0, np.inf
    for t in range(iters + 1):
        R = W @ H - Vs
        f = (R * R).sum()
        rel = np.sqrt(f) / vs
        if rel <= target or t == iters:
            return t, rel
        gW, gH = 2 * R @ H.T, 2 * W.T @ R
        if rule == 'eg-block':
            sW, sH = 1 / np.abs(gW).max(), 1 / np.abs(gH).max()
        else:
            sW = sH = 1 / max(np.abs(gW).max(), np.abs(gH).max())
        eps = min(2 * eps, 1e6)
        while True:
            W2, H2 = W * np.exp(-eps * sW * gW), H * np.exp(-eps * sH * gH)
            z = W2.sum() + H2.sum()
            W2, H2 = W2 / z, H2 / z
            if np.linalg.norm(W2 @ H2 - Vs) ** 2 <= f or eps < 1e-12:
                break
            eps *= 0.5
        W, H = W2, H2


def mu(V, r, iters, start_seed, target):
    n, m = V.shape
    g = np.random.default_rng(start_seed)
    s = 2 * np.sqrt(V.mean() / r)
    W, H = g.random((n, r)) * s, g.random((r, m)) * s
    vn = np.linalg.norm(V)
    rel = np.inf
    for t in range(iters + 1):
        rel = np.linalg.norm(V - W @ H) / vn
        if rel <= target or t == iters:
            return t, rel
        H *= (W.T @ V) / (W.T @ W @ H)
        W *= (V @ H.T) / (W @ (H @ H.T))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=100)
    ap.add_argument('--m', type=int, default=80)
    ap.add_argument('--r', type=int, default=5)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--start-seed', type=int, default=0)
    ap.add_argument('--iterations', type=int, default=20000)
    ap.add_argument('--target', type=float, default=0.01)
    ap.add_argument('--rules', default='mwu-halving,mwu-exact,mwu-block,eg,eg-block,mu')
    ap.add_argument('--c-scale', type=float, default=1.0)
    a = ap.parse_args()
    V = instance(a.n, a.m, a.r, a.seed)
    print('V = W0 H0, %dx%d, r = %d, seed %d; start seed %d; target %g; cap %d iterations; C = %g x Algorithm 1\'s'
          % (a.n, a.m, a.r, a.seed, a.start_seed, a.target, a.iterations, a.c_scale))
    for rule in a.rules.split(','):
        t0 = time.time()
        if rule.startswith('mwu-'):
            t, rel = mwu_linear(V, a.r, rule, a.iterations, a.start_seed, a.target, a.c_scale)
        elif rule.startswith('eg'):
            t, rel = eg(V, a.r, rule, a.iterations, a.start_seed, a.target, a.c_scale)
        elif rule == 'mu':
            t, rel = mu(V, a.r, a.iterations, a.start_seed, a.target)
        else:
            raise SystemExit('unknown rule %s' % rule)
        what = ('reached at iteration %d' % t) if rel <= a.target else ('NOT reached: %.4f after %d' % (rel, t))
        print('%-12s %s (%.1f s)' % (rule, what, time.time() - t0), flush=True)


if __name__ == '__main__':
    main()
