#!/usr/bin/env python3
"""The orbit-restored concurrent MWU (issue 14, item 3): iterations to a relative-error target on 12 planted cases.

  orbit_rule.py [--target 0.01] [--iterations 5000] [--rules orbit-exact,orbit-halving,radial-halving,mu,mu-concurrent]

Cases: V = W0 H0, W0 (n x r), H0 (r x m) uniform in [0, 1) from numpy RandomState(seed), 20x20 ... 100x100, r = 2 ... 10.
Every MWU rule runs Algorithm 1's setting (V/C^2 on the unit simplex, C = 4 r (nm)^(1/4) sqrt(||V||_F) = 2 C*) from the
same Dirichlet(1, ..., 1) start as step_rules.py, with the per-coordinate step
  x_i(eta) = x_i (1 - eta g_i / D_i),  D_i = (W H H^T)_ik for W entries, (W^T W H)_kj for H entries
(eta = 1/2 is concurrent Lee-Seung), F along it an exact quartic in eta (2 products with V per iteration: V B^T, A^T V),
eta in [0, cap], cap = max(1/2, 0.99 eta_max), eta_max the positivity bound (>= 1/2 always).
  orbit-exact    eta = argmin of the quartic on [0, cap]; mass restored along the orbit (tW, H/t), t S_W + S_H / t = 1
  orbit-halving  eta = cap 2^-j, the best of the halvings while F keeps improving (as mwu-adaptive); orbit restoration
  radial-halving the same step restored radially, (W, H)/Z with Z = S_W + S_H (F evaluated after the division)
  mu, mu-concurrent  Lee-Seung on V/C^2 from the same simplex start (alternating: H then W; concurrent: both from x_t)
numpy only; not part of the test suite.
"""
import argparse
import numpy as np
from step_rules import instance, simplex_start   # the same V and start as step_rules.py

CASES = [(20, 20, 2, 1), (20, 20, 3, 2), (40, 30, 3, 3), (40, 40, 4, 4), (50, 40, 5, 5), (60, 50, 5, 6),
         (60, 60, 6, 7), (80, 60, 6, 8), (80, 80, 8, 9), (90, 80, 8, 10), (100, 90, 10, 11), (100, 100, 10, 12)]


def quartic_argmin(c, hi):
    """argmin of c0 + c1 e + ... + c4 e^4 over [0, hi]; 0 on ties."""
    cand = [0.0, hi]
    d = np.array([4 * c[4], 3 * c[3], 2 * c[2], c[1]])
    for z in np.roots(d) if np.any(d[:3]) else []:
        if abs(z.imag) < 1e-12 * max(1, abs(z.real)) and 0 < z.real < hi:
            cand.append(z.real)
    vals = [np.polyval(c[::-1], e) for e in cand]
    return cand[int(np.argmin(vals))]


def orbit_t(sw, sh):
    """t > 0 with t sw + sh / t = 1 continuing t = 1 (W keeps its side of the mass); None if 4 sw sh > 1."""
    disc = 1 - 4 * sw * sh
    if disc < 0:
        return None
    q = 1 + np.sqrt(disc)
    return q / (2 * sw) if sw >= sh else 2 * sh / q


def mwu_orbit(V, r, rule, iters, target, start_seed=0):
    n, m = V.shape
    C = 4 * r * (n * m) ** 0.25 * np.sqrt(np.linalg.norm(V))
    Vs = V / C ** 2
    vs2 = (Vs * Vs).sum()
    W, H = simplex_start(n, m, r, start_seed)
    for t in range(iters + 1):
        VHt, WtV, WtW, HHt = Vs @ H.T, W.T @ Vs, W.T @ W, H @ H.T
        f = vs2 - 2 * (W * VHt).sum() + (WtW * HHt).sum()
        rel = np.sqrt(max(f, 0) / vs2)
        if rel <= target or t == iters:
            return t, rel
        DW, DH = W @ HHt, WtW @ H
        gW, gH = 2 * (DW - VHt), 2 * (DH - WtV)
        sW = np.where(DW > 0, gW / np.where(DW > 0, DW, 1), 0)
        sH = np.where(DH > 0, gH / np.where(DH > 0, DH, 1), 0)
        A, B = W * sW, H * sH
        smax = max(sW[W > 0].max(), sH[H > 0].max())
        cap = max(0.5, 0.99 / smax) if smax > 0 else 1e6
        if rule.startswith('radial'):
            def fz(e):
                W2, H2 = W - e * A, H - e * B
                z = W2.sum() + H2.sum()
                return ((Vs - W2 @ H2 / z ** 2) ** 2).sum()
            c = None
        else:
            AtV = A.T @ Vs
            l = [(VHt * W).sum(), -((VHt * A).sum() + (WtV * B).sum()), (AtV * B).sum()]
            WtA, HBt = W.T @ A, H @ B.T
            P = [WtW, -(WtA + WtA.T), A.T @ A]
            Q = [HHt, -(HBt + HBt.T), B @ B.T]
            k = np.zeros(5)
            for i in range(3):
                for j in range(3):
                    k[i + j] += (P[i] * Q[j]).sum()
            c = np.array([0.0, -2 * l[1] + k[1], -2 * l[2] + k[2], k[3], k[4]])
            fz = lambda e: np.polyval(c[::-1], e)
        if rule == 'orbit-exact':
            best = quartic_argmin(c, cap)
        else:
            f0 = fz(0.0) if c is None else 0.0
            e, best, bc = cap, None, f0
            for _ in range(61):
                d = fz(e)
                if d <= bc:
                    best, bc = e, d
                elif best is not None:
                    break
                e *= 0.5
        if not best:
            return t, rel
        W, H = W - best * A, H - best * B
        if rule.startswith('radial'):
            z = W.sum() + H.sum()
            W, H = W / z, H / z
        else:
            tt = orbit_t(W.sum(), H.sum())
            if tt is None:
                raise RuntimeError('orbit misses the simplex')
            W, H = tt * W, H / tt


def mu(V, r, iters, target, concurrent, start_seed=0):
    n, m = V.shape
    C = 4 * r * (n * m) ** 0.25 * np.sqrt(np.linalg.norm(V))
    Vs = V / C ** 2
    vn = np.linalg.norm(Vs)
    W, H = simplex_start(n, m, r, start_seed)
    for t in range(iters + 1):
        rel = np.linalg.norm(Vs - W @ H) / vn
        if rel <= target or t == iters:
            return t, rel
        if concurrent:
            W, H = W * (Vs @ H.T) / (W @ (H @ H.T)), H * (W.T @ Vs) / (W.T @ W @ H)
        else:
            H = H * (W.T @ Vs) / (W.T @ W @ H)
            W = W * (Vs @ H.T) / (W @ (H @ H.T))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--target', type=float, default=0.01)
    ap.add_argument('--iterations', type=int, default=5000)
    ap.add_argument('--rules', default='orbit-exact,orbit-halving,radial-halving,mu,mu-concurrent')
    a = ap.parse_args()
    rules = a.rules.split(',')
    print('target %g, cap %d iterations; iterations (relative error at the cap if not reached)' % (a.target, a.iterations))
    print('%-16s' % 'case' + ''.join('%16s' % x for x in rules) + '   ratios to mu')
    for n, m, r, seed in CASES:
        V = instance(n, m, r, seed)
        out = {}
        for rule in rules:
            if rule.startswith('mu'):
                out[rule] = mu(V, r, a.iterations, a.target, rule == 'mu-concurrent')
            else:
                out[rule] = mwu_orbit(V, r, rule, a.iterations, a.target)
        cell = lambda t, rel: ('%d' % t) if rel <= a.target else ('- (%.2g)' % rel)
        ratios = ' '.join('%s %.2f' % (x, out[x][0] / out['mu'][0]) for x in rules
                          if x != 'mu' and 'mu' in out and out['mu'][1] <= a.target and out[x][1] <= a.target)
        print('%-16s' % ('%dx%d r=%d s%d' % (n, m, r, seed)) + ''.join('%16s' % cell(*out[x]) for x in rules) + '   ' + ratios,
              flush=True)


if __name__ == '__main__':
    main()
