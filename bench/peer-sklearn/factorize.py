#!/usr/bin/env python3
"""Factorize one matrix with scikit-learn's NMF and write V.npy, W.npy, H.npy (+ info.json) for nmf-oracle certify.

Peer software only: nothing is downloaded. Uses the scikit-learn of the Python that runs it (run-peer.sh uses
Debian's python3-sklearn at /usr/bin/python3). Exit status: 0 done; 3 scikit-learn (or numpy) missing;
4 the data set is not available offline (digits only); 2 bad usage.

  factorize.py --case planted|digits --solver mu|cd --out DIR [--rank R] [--max-iter N] [--tol T]
               [--random-state S] [--data-seed S]

Cases:
  planted  V = W0 H0, 60x50, W0 and H0 uniform in [0, 1) (numpy RandomState(data-seed), default 7), rank 4
           (the same recipe as nmf-oracle's built-in example; not the same numbers: another generator)
  digits   sklearn.datasets.load_digits().data, 1797x64, values 0..16 (the file ships with scikit-learn)

NMF settings: beta_loss='frobenius' (objective 1/2 ||V - WH||_F^2), init='random', alpha_W = alpha_H = 0
(no regularisation), random_state fixed (default 0), solver 'mu' (Lee-Seung multiplicative updates) or 'cd'
(coordinate descent). tol: scikit-learn's stopping tolerance (for 'cd' on the projected-gradient violation
relative to the first iteration; for 'mu' on the relative decrease of the error, checked every 10 iterations).
"""
import argparse, json, os, sys, time

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--case', choices=['planted', 'digits'], required=True)
    ap.add_argument('--solver', choices=['mu', 'cd'], required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--rank', type=int)
    ap.add_argument('--max-iter', type=int, default=2000)
    ap.add_argument('--tol', type=float, default=1e-10)
    ap.add_argument('--random-state', type=int, default=0)
    ap.add_argument('--data-seed', type=int, default=7)
    a = ap.parse_args()
    try:
        import numpy as np
        import sklearn
        from sklearn.decomposition import NMF
    except ImportError as e:
        print("scikit-learn not found: install Debian's python3-sklearn (%s)" % e, file=sys.stderr)
        return 3
    if a.case == 'planted':
        rng = np.random.RandomState(a.data_seed)
        W0, H0 = rng.rand(60, 4), rng.rand(4, 50)
        V = W0 @ H0
        rank = a.rank or 4
    else:
        try:
            from sklearn.datasets import load_digits
            V = load_digits().data.astype(np.float64)
        except Exception as e:   # no download is attempted: load_digits reads a file inside the package
            print('digits data not available offline (%s: %s)' % (type(e).__name__, e), file=sys.stderr)
            return 4
        rank = a.rank or 16
    V = np.ascontiguousarray(V, dtype=np.float64)
    model = NMF(n_components=rank, init='random', solver=a.solver, beta_loss='frobenius', max_iter=a.max_iter,
                tol=a.tol, random_state=a.random_state, alpha_W=0.0, alpha_H='same')
    import warnings
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        W = model.fit_transform(V)
    seconds = time.perf_counter() - t0
    H = model.components_
    W = np.ascontiguousarray(W, dtype=np.float64); H = np.ascontiguousarray(H, dtype=np.float64)
    os.makedirs(a.out, exist_ok=True)
    np.save(os.path.join(a.out, 'V.npy'), V)
    np.save(os.path.join(a.out, 'W.npy'), W)
    np.save(os.path.join(a.out, 'H.npy'), H)
    R = V - W @ H
    info = {'case': a.case, 'solver': a.solver, 'n': V.shape[0], 'm': V.shape[1], 'r': rank,
            'max_iter': a.max_iter, 'tol': a.tol, 'random_state': a.random_state,
            'n_iter': int(model.n_iter_), 'seconds': seconds,
            'objective': float((R * R).sum()), 'relative_error': float(np.linalg.norm(R) / np.linalg.norm(V)),
            'zeros_W': int((W == 0).sum()), 'zeros_H': int((H == 0).sum()),
            'warnings': [str(w.message) for w in caught], 'sklearn': sklearn.__version__, 'numpy': np.__version__}
    with open(os.path.join(a.out, 'info.json'), 'w') as f:
        json.dump(info, f, indent=1)
    print('%s/%s: %dx%d r=%d, %d iterations, %.2f s, objective %.6e, relative error %.3e'
          % (a.case, a.solver, V.shape[0], V.shape[1], rank, info['n_iter'], seconds, info['objective'],
             info['relative_error']))
    return 0

if __name__ == '__main__':
    sys.exit(main())
