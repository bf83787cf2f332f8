"""scikit-learn's NMF on the same CSR: seconds per iteration (median over fits of time/K) and peak RSS.

usage: sklearn_nmf.py V.npz SOLVER K [ROUNDS]   SOLVER: mu or cd (cd is scikit-learn's HALS-like coordinate descent)
prints one line: SOLVER per_iteration_s=.. fit_K_s=.. max_rss_mib=..
"""
import resource
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning

path, solver, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
v = sp.load_npz(path).tocsr()
warnings.simplefilter("ignore", ConvergenceWarning)


def fit(iters):
    model = NMF(n_components=10, init="random", random_state=0, tol=0, max_iter=iters, solver=solver,
                beta_loss="frobenius", alpha_W=0.0)
    t0 = time.perf_counter()
    model.fit_transform(v)
    return time.perf_counter() - t0, model.n_iter_


fit(2)                                         # warm-up
# the slope between K and 2K iterations: the fixed cost of a fit (init, checks) cancels
times = []
for _ in range(rounds):
    t1, n1 = fit(k)
    t2, n2 = fit(2 * k)
    times.append((t2 - t1) / (n2 - n1))
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{solver} per_iteration_s={np.median(times):.4f} fit_{k}_s={t1:.3f} max_rss_mib={rss:.0f}")
