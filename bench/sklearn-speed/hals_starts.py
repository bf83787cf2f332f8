"""Does our default start cost hals iterations against scikit-learn's cd? Iterations only (no clock: load-independent).

Usage: /usr/bin/python3 bench/sklearn-speed/hals_starts.py JAR CASE [SEEDS] [MAX_ITER]
CASE: planted-500x400 (RandomState(1), W0 H0 uniform, r = 10), noisy-500x400 (the same plus 0.5 % uniform noise
relative to the mean, RandomState(1)), planted-2000x2000 (RandomState(2), r = 20).
For seeds s = 0..SEEDS-1: iterations of `solve --algorithm hals --seed s` (our start) and of the same hals from
scikit-learn's start for random_state = s (_initialize_nmf(init='random')), which takes exactly scikit-learn cd's
iterations (bench/sklearn-speed/README.md, 2026-12-02), to relative error 1e-2 and to the error scikit-learn cd
reaches at its own default stop (tol 1e-4, random_state 0).
"""
import sys, subprocess, csv, os, warnings, statistics, tempfile
import numpy as np
from sklearn.decomposition import NMF
from sklearn.decomposition._nmf import _initialize_nmf
from sklearn.exceptions import ConvergenceWarning
warnings.simplefilter('ignore', ConvergenceWarning)
jar, case = sys.argv[1], sys.argv[2]
seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 8
maxit = int(sys.argv[4]) if len(sys.argv) > 4 else 6000
if case.endswith('2000x2000'):
    rng = np.random.RandomState(2); n, m, r = 2000, 2000, 20
else:
    rng = np.random.RandomState(1); n, m, r = 500, 400, 10
V = rng.rand(n, r) @ rng.rand(r, m)
if case.startswith('noisy'):
    V = V + 0.005 * V.mean() * rng.rand(n, m)
tmp = tempfile.mkdtemp()
np.save(os.path.join(tmp, 'V.npy'), V)
vn = np.linalg.norm(V)
cd = NMF(n_components=r, init='random', solver='cd', random_state=0, max_iter=100000)
Wc = cd.fit_transform(V); cd_err = np.linalg.norm(V - Wc @ cd.components_) / vn
T = (1e-2, cd_err)
print('case %s, targets %.1e and %.3e (cd at tol 1e-4: %d iterations)' % (case, T[0], T[1], cd.n_iter_), flush=True)
def iters(extra, seed):
    tr = os.path.join(tmp, 'tr.csv')
    subprocess.run(['java', '-jar', jar, 'solve', '--input', os.path.join(tmp, 'V.npy'), '--rank', str(r), '--algorithm', 'hals',
                    '--seed', str(seed), '--max-iter', str(maxit), '--tol', '0', '--trace', tr, '-q'] + extra, check=True, capture_output=True)
    rows = list(csv.DictReader(open(tr)))
    return [next((int(x['iteration']) for x in rows if float(x['relative_error']) <= t), None) for t in T]
ours, theirs = [], []
for s in range(seeds):
    W0, H0 = _initialize_nmf(V, r, init='random', random_state=s)
    np.save(os.path.join(tmp, 'W0.npy'), W0); np.save(os.path.join(tmp, 'H0.npy'), H0)
    a = iters([], s)
    b = iters(['--init-w', os.path.join(tmp, 'W0.npy'), '--init-h', os.path.join(tmp, 'H0.npy')], s)
    ours.append(a); theirs.append(b)
    print('seed %d  ours %s  scikit-learn start %s' % (s, a, b), flush=True)
def med(xs):   # a run that misses the target counts as +inf (a lower bound on the median)
    return statistics.median([x if x is not None else float('inf') for x in xs])
for k, t in enumerate(T):
    print('target %.3e: median iterations ours %s, scikit-learn start %s; misses ours %d, scikit-learn start %d (of %d, max %d)'
          % (t, med([o[k] for o in ours]), med([o[k] for o in theirs]),
             sum(o[k] is None for o in ours), sum(o[k] is None for o in theirs), seeds, maxit))
