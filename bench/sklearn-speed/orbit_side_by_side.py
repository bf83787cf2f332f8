"""mwu-orbit against scikit-learn mu and cd (and our mu, mwu-adaptive): iterations and seconds to two targets.

Usage: /usr/bin/python3 bench/sklearn-speed/orbit_side_by_side.py JAR CASE [CASE ...]   (OUT: work directory)
CASE: planted-500x400 (V = W0 H0, RandomState(1), r = 10, as hals_side_by_side.py), noisy-500x400 (the same V plus
0.1 mean(V) times uniform [0, 1) noise from RandomState(101)), planted-2000x2000 (RandomState(2), r = 20).
Targets: relative error 1e-2 and the error of scikit-learn cd run to its own convergence (tol 1e-4, max_iter 10000)
times 1.0001 ("cd's converged error"). Our solvers: `solve --blas native --tol 0` from the seed-0 start, times from
the trace; mwu-adaptive is capped at MWU_ADAPTIVE_CAP iterations (default 3000; it is known to miss 1e-2 there).
scikit-learn (init='random', random_state=0): the least max_iter reaching the target (doubling up to MAX_ITER,
default 40000, then bisection to within 1 %), timed by fit_transform. A 1e-2 target below cd's converged error (noisy
V) is skipped. Environment: ALGS (our solvers, default mwu-orbit,mu,mwu-adaptive), SK_TARGETS=0 (scikit-learn per
iteration only, no cd reference and no search: for 2000x2000, where one scikit-learn mu fit to 1e-2 takes ~100 s). One round; per-iteration times are the trace's / fit's seconds over iterations.
"""
import sys, time, subprocess, csv, os, warnings
import numpy as np
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning

OUT = os.environ.get('OUT', 'target/orbit-side-by-side'); os.makedirs(OUT, exist_ok=True)
CAP = int(os.environ.get('MWU_ADAPTIVE_CAP', '3000'))
MAX_ITER = int(os.environ.get('MAX_ITER', '40000'))
ALGS = os.environ.get('ALGS', 'mwu-orbit,mu,mwu-adaptive').split(',')
SK_TARGETS = os.environ.get('SK_TARGETS', '1') == '1'
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import case   # noqa: E402


def sk(V, r, solver, it, tol=0.0):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        m = NMF(n_components=r, init='random', solver=solver, beta_loss='frobenius', tol=tol, max_iter=it,
                random_state=0, alpha_W=0.0)
        t = time.perf_counter(); W = m.fit_transform(V); H = m.components_; t = time.perf_counter() - t
    return t, np.linalg.norm(V - W @ H) / np.linalg.norm(V), m.n_iter_


def sk_to(V, r, solver, target, cap=None):
    cap = cap or MAX_ITER
    it = 1
    while sk(V, r, solver, it)[1] > target:
        if it >= cap:
            return None
        it = min(2 * it, cap)
    lo, hi = it // 2, it
    while hi - lo > max(1, hi // 100):
        mid = (lo + hi) // 2
        if sk(V, r, solver, mid)[1] <= target: hi = mid
        else: lo = mid
    t, e, _ = sk(V, r, solver, hi)
    return hi, t


def ours(jar, vpath, r, alg, max_iter, targets):
    tr = os.path.join(OUT, 'tr.csv')
    subprocess.run(['java', '-jar', jar, 'solve', '--input', vpath, '--rank', str(r), '--algorithm', alg, '--blas', 'native',
                    '--max-iter', str(max_iter), '--tol', '0', '--target-relative-error', str(min(t for t in targets if t > 0)), '--trace', tr, '-q'],
                   check=True, capture_output=True)
    rows = list(csv.DictReader(open(tr)))
    out = []
    for t in targets:
        h = next((x for x in rows if float(x['relative_error']) <= t), None)
        out.append((int(h['iteration']), float(h['seconds'])) if h and t > 0 else None)
    last = rows[-1]
    per = float(last['seconds']) / max(1, int(last['iteration']))
    return out, per, float(last['relative_error']), int(last['iteration'])


def main():
    jar = sys.argv[1]
    print('date', time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), 'load', os.getloadavg(), flush=True)
    for name in sys.argv[2:]:
        V, r = case(name)
        vpath = os.path.join(OUT, name + '.npy'); np.save(vpath, V)
        _, cd_err, cd_it = sk(V, r, 'cd', 10000, tol=1e-4) if SK_TARGETS else (0, 0.0, 0)
        T = (1e-2, 1.0001 * cd_err)
        reach = [t >= T[1] for t in T]       # 1e-2 below cd's converged error (noisy V) is not attempted
        print('%s: r = %d; cd converged (tol 1e-4) at %d iterations, relative error %.4e; targets %.1e, %.4e'
              % (name, r, cd_it, cd_err, T[0], T[1]), flush=True)
        rows = []
        for solver in ('mu', 'cd'):
            res = [sk_to(V, r, solver, t) if ok and SK_TARGETS else None for t, ok in zip(T, reach)]
            k = 200 if name.endswith('2000x2000') else 1000
            per = sk(V, r, solver, k)[0] / k
            rows.append(('scikit-learn ' + solver, res, per, ''))
        for alg in ALGS:
            res, per, last_err, last_it = ours(jar, vpath, r, alg, CAP if alg == 'mwu-adaptive' else MAX_ITER, T)
            note = '' if all(res) else 'error %.3g at iteration %d' % (last_err, last_it)
            rows.append(('nmf-oracle ' + alg + ' (native)', res, per, note))
        skmu = rows[0]
        for who, res, per, note in rows:
            cells = []
            for i, x in enumerate(res):
                ref = skmu[1][i]
                cells.append('%6s it %8s s %6s x' % (x[0], '%.3f' % x[1], '%.2f' % (x[1] / ref[1]) if ref else '-') if x
                             else '%6s it %8s s %6s x' % ('-', '-', '-'))
            print('  %-34s | 1e-2: %s | cd err: %s | per it %.3f ms (%.2f x sk mu) %s'
                  % (who, cells[0], cells[1], per * 1e3, per / skmu[2], note), flush=True)


if __name__ == '__main__':
    main()
