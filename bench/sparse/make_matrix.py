"""The bench matrix of issue 15: n x m with a fraction `density` of non-zeros, uniform in (0, 1], seeded; scipy CSR.

usage: make_matrix.py OUT.npz [N M DENSITY SEED]   (defaults 100000 20000 0.001 15)
Also writes OUT with .mtx (coordinate) next to it when MTX=1.
"""
import os
import sys

import numpy as np
import scipy.io
import scipy.sparse as sp

out = sys.argv[1]
n, m = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (100_000, 20_000)
density = float(sys.argv[4]) if len(sys.argv) > 4 else 0.001
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 15
rng = np.random.default_rng(seed)
nnz = int(round(density * n * m))
# distinct positions: sample linear indices without replacement (rejection of repeats is cheap at 0.1 %)
lin = np.unique(rng.integers(0, n * m, size=int(nnz * 1.01) + 16, dtype=np.int64))
lin = rng.permutation(lin)[:nnz]
vals = 1.0 - rng.random(nnz)                       # (0, 1]: no explicit zeros
v = sp.csr_matrix((vals, (lin // m, lin % m)), shape=(n, m))
v.sort_indices()
sp.save_npz(out, v)
if os.environ.get("MTX") == "1":
    scipy.io.mmwrite(out[:-4] + ".mtx", v)
print(f"{out}: {n}x{m}, {v.nnz} non-zeros ({v.nnz / (n * m):.4%}), seed {seed}")
