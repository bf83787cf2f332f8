"""hals against scikit-learn cd on planted 500x400, r = 10: iterations and seconds to relative error 1e-2 and 7.4e-4.

Usage: /usr/bin/python3 bench/sklearn-speed/hals_side_by_side.py JAR [JAR ...]   (OUT: work directory)
Each JAR runs `solve --algorithm hals` with --blas java and --blas native, from its own seed-0 start and from
scikit-learn's start (_initialize_nmf(init='random', random_state=0), passed with --init-w/--init-h); times are from
the trace. scikit-learn: the least max_iter reaching the target (doubling, then bisection), timed by fit_transform.
Three rounds, interleaved; medians with min-max.
"""
import sys, time, subprocess, csv, os, warnings, statistics
import numpy as np
OUT = os.environ.get('OUT', 'target/hals-side-by-side'); os.makedirs(OUT, exist_ok=True)
from sklearn.decomposition import NMF
from sklearn.decomposition._nmf import _initialize_nmf
from sklearn.exceptions import ConvergenceWarning
rng = np.random.RandomState(1); V = rng.rand(500,10) @ rng.rand(10,400); np.save(os.path.join(OUT, 'V.npy'), V)
W0, H0 = _initialize_nmf(V, 10, init='random', random_state=0); np.save(os.path.join(OUT, 'W0.npy'), W0); np.save(os.path.join(OUT, 'H0.npy'), H0)
vn = np.linalg.norm(V); T = (1e-2, 7.4e-4)
def sk(it):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        m = NMF(n_components=10, init='random', solver='cd', beta_loss='frobenius', tol=0, max_iter=it, random_state=0, alpha_W=0.0)
        t=time.perf_counter(); W=m.fit_transform(V); H=m.components_; t=time.perf_counter()-t
    return t, np.linalg.norm(V-W@H)/vn
def sk_iters(tgt):
    it = 1
    while sk(it)[1] > tgt: it *= 2
    lo, hi = it//2, it
    while hi - lo > 1:
        mid = (lo+hi)//2
        if sk(mid)[1] <= tgt: hi = mid
        else: lo = mid
    return hi
sk(50)
its = [sk_iters(t) for t in T]
res = {}
for rnd in range(3):
    for t, it in zip(T, its):
        res.setdefault(('scikit-learn cd', 'sklearn init', t), []).append((it, sk(it)[0]))
    for jar in sys.argv[1:]:
        for blas in ('java', 'native'):
            for start, extra in (('seed 0 (default)', []), ('sklearn init', ['--init-w',os.path.join(OUT, 'W0.npy'),'--init-h',os.path.join(OUT, 'H0.npy')])):
                subprocess.run(['java','-jar',jar,'solve','--input',os.path.join(OUT, 'V.npy'),'--rank','10','--algorithm','hals','--blas',blas,'--max-iter','2500','--tol','0','--trace',os.path.join(OUT, 'tr.csv'),'-q']+extra, check=True, capture_output=True)
                rows = list(csv.DictReader(open(os.path.join(OUT, 'tr.csv'))))
                for t in T:
                    h = next(r for r in rows if float(r['relative_error']) <= t)
                    res.setdefault(('%s hals --blas %s' % (os.path.basename(jar), blas), start, t), []).append((int(h['iteration']), float(h['seconds'])))
print('date', time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), 'load', os.getloadavg())
for (who, start, t), v in res.items():
    s = [x[1] for x in v]
    print('%-32s %-17s target %.1e  iterations %5d  median %.3f s (%.3f-%.3f)' % (who, start, t, v[0][0], statistics.median(s), min(s), max(s)))
