"""hals against scikit-learn cd, time to targets, cold and warm JVM, on planted and noisy 500x400 (r = 10) and planted
2000x2000 (r = 20).

Usage: OUT=dir /usr/bin/python3 bench/sklearn-speed/hals_targets.py JAR [CASE ...]
CASE: planted-500x400, noisy-500x400, planted-2000x2000 (default: all three; V as in orbit_side_by_side.py).
Everything starts from scikit-learn's start (_initialize_nmf(init='random', random_state=0)); our hals then takes cd's
iterations (same update order and floor), which the script checks and reports. Targets: 1e-2 (where cd's converged error is below
it) and cd's converged error (tol 1e-4, max_iter 40000) times 1.0001.
- scikit-learn cd: fit_transform timed at the least max_iter reaching the target (found once; each round refits it),
  after a warm-up fit, i.e. in a warm interpreter.
- ours, cold: `java -jar JAR solve --algorithm hals --blas BLAS` once per round, a fresh JVM; seconds from the trace
  (the run's start: after reading V, before the first product).
- ours, warm: bench/sklearn-speed/WarmRuns.java, RUNS (default 3) identical solves in one JVM; the last one counts.
BLAS (default auto, solve's default; native and java also) for both. ROUNDS (default 3) rounds, interleaved; medians with min-max. Not part of the test suite.
"""
import os, subprocess, statistics, sys, time, warnings
import numpy as np
from sklearn.decomposition import NMF
from sklearn.decomposition._nmf import _initialize_nmf
from sklearn.exceptions import ConvergenceWarning

OUT = os.environ.get('OUT', 'target/hals-targets'); os.makedirs(OUT, exist_ok=True)
ROUNDS = int(os.environ.get('ROUNDS', '3')); RUNS = int(os.environ.get('RUNS', '3')); BLAS = os.environ.get('BLAS', 'auto')
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cases import case as make   # noqa: E402
JAR = sys.argv[1]; CASES = sys.argv[2:] or ['planted-500x400', 'noisy-500x400', 'planted-2000x2000']


def sk(V, r, start, max_iter, tol=0.0):
    m = NMF(n_components=r, init='custom', solver='cd', beta_loss='frobenius', tol=tol, max_iter=max_iter,
            random_state=0, alpha_W=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        t = time.perf_counter(); W = m.fit_transform(V, W=start[0].copy(), H=start[1].copy()); t = time.perf_counter() - t
    return t, float(np.linalg.norm(V - W @ m.components_) / np.linalg.norm(V)), int(m.n_iter_)


def sk_iters(V, r, start, target, hint):
    """The least max_iter with error <= target: check the hint (our hals's count) and its predecessor, else search."""
    if hint > 1 and sk(V, r, start, hint)[1] <= target < sk(V, r, start, hint - 1)[1]:
        return hint, True
    it = 1
    while sk(V, r, start, it)[1] > target:
        it *= 2
    lo, hi = it // 2, it
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if sk(V, r, start, mid)[1] <= target else (mid, hi)
    return hi, False


def cold(d, r, targets, cap):
    tr = os.path.join(d, 'trace.csv')
    subprocess.run(['java', '-jar', JAR, 'solve', '--input', os.path.join(d, 'V.npy'), '--rank', str(r), '--algorithm',
                    'hals', '--blas', BLAS, '--max-iter', str(cap), '--tol', '0', '--target-relative-error',
                    repr(min(targets)), '--init-w', os.path.join(d, 'W0.npy'), '--init-h', os.path.join(d, 'H0.npy'),
                    '--trace', tr, '-q'], check=True, capture_output=True)
    rows = [l.split(',') for l in open(tr).read().split('\n')[1:] if l]
    out = []
    for t in targets:
        hit = next((x for x in rows if float(x[2]) <= t), None)
        out.append((int(hit[0]), float(hit[5])) if hit else (-1, float('nan')))
    return out


def warm(d, r, targets, cap):
    p = subprocess.run(['java', '-cp', JAR, os.path.join(HERE, 'WarmRuns.java'), os.path.join(d, 'V.npy'),
                        os.path.join(d, 'W0.npy'), os.path.join(d, 'H0.npy'), str(r), 'hals', BLAS, str(RUNS),
                        str(cap)] + [repr(t) for t in targets], check=True, capture_output=True, text=True)
    last = [l.split() for l in p.stdout.splitlines() if l.startswith('run %d ' % RUNS)]
    return [(int(x[5]), float(x[7])) for x in last]


print('date', time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), 'load', os.getloadavg(), 'jar', os.path.basename(JAR), 'blas', BLAS,
      'rounds', ROUNDS, 'warm runs', RUNS, flush=True)
for name in CASES:
    V, r = make(name); d = os.path.join(OUT, name); os.makedirs(d, exist_ok=True)
    start = _initialize_nmf(V, r, init='random', random_state=0)
    np.save(os.path.join(d, 'V.npy'), V); np.save(os.path.join(d, 'W0.npy'), start[0]); np.save(os.path.join(d, 'H0.npy'), start[1])
    sk(V, r, start, 20)
    _, cd_err, cd_it = sk(V, r, start, 40000, tol=1e-4)
    targets = ([1e-2] if cd_err < 1e-2 else []) + [cd_err * 1.0001]
    cap = 40000
    first = cold(d, r, targets, cap)
    its = [sk_iters(V, r, start, t, h[0]) for t, h in zip(targets, first)]
    print('%s: cd converged (tol 1e-4) at %d iterations, error %.4e; targets %s; cd iterations %s; ours %s (%s)' % (
        name, cd_it, cd_err, ', '.join('%.4e' % t for t in targets), [i for i, _ in its], [h[0] for h in first],
        'the same' if all(same for _, same in its) else 'NOT the same: compare the times with care'), flush=True)
    res = {}
    for rnd in range(ROUNDS):
        for t, (it, _) in zip(targets, its):
            res.setdefault(('scikit-learn cd', t), []).append((it, sk(V, r, start, it)[0]))
        for t, x in zip(targets, cold(d, r, targets, cap)):
            res.setdefault(('hals, cold JVM', t), []).append(x)
        for t, x in zip(targets, warm(d, r, targets, cap)):
            res.setdefault(('hals, warm JVM (run %d)' % RUNS, t), []).append(x)
    for t in targets:
        ref = statistics.median(s for _, s in res[('scikit-learn cd', t)])
        for who in ('scikit-learn cd', 'hals, cold JVM', 'hals, warm JVM (run %d)' % RUNS):
            v = res[(who, t)]; s = [x[1] for x in v]
            print('  %-17s target %.4e  %-24s iterations %5d  median %.3f s (%.3f-%.3f)  %.2fx cd' % (
                name, t, who, v[0][0], statistics.median(s), min(s), max(s), statistics.median(s) / ref), flush=True)
