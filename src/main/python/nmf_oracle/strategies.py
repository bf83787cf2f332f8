"""Hypothesis strategies for NMF instances and stationary points (needs hypothesis).

Every point here is exact in double precision (small integers times powers of two), so what the certifier must say
is known: an exact factorization V = WH is a global minimum (FOSP holds, no second-order claim can FAIL); a planted
saddle (one block of a block-diagonal V fitted, the other left out) is a FOSP whose second-order claims FAIL.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


def _pow2(draw, lo: int, hi: int) -> float:
    return float(2.0 ** draw(st.integers(lo, hi)))


@st.composite
def _integer_matrix(draw, rows: int, cols: int, zeros: bool = True, low: int = 0, high: int = 7):
    # zeros: exact zero patterns (whole rows/columns too, via the sampled density)
    density = draw(st.sampled_from([1.0, 0.7, 0.4])) if zeros else 1.0
    vals = draw(st.lists(st.integers(low if not zeros else 0, high), min_size=rows * cols, max_size=rows * cols))
    mask = draw(st.lists(st.floats(0, 1), min_size=rows * cols, max_size=rows * cols))
    a = np.array([v if (mk < density or not zeros) else 0 for v, mk in zip(vals, mask)], dtype=float)
    return a.reshape(rows, cols)


@st.composite
def shapes(draw, max_n: int = 20, max_m: int = 20, max_r: int = 3):
    n = draw(st.integers(1, max_n))
    m = draw(st.integers(1, max_m))
    r = draw(st.integers(1, min(max_r, n, m)))
    return n, m, r


@st.composite
def nmf_instances(draw, max_n: int = 20, max_m: int = 20, max_r: int = 3, scale_exponent: int = 300):
    """(V, W, H), any non-negative point: exact zeros, tiny and huge values (scaled by 2^k, |k| ≤ scale_exponent)."""
    n, m, r = draw(shapes(max_n, max_m, max_r))
    s = _pow2(draw, -scale_exponent, scale_exponent)
    t = _pow2(draw, -scale_exponent // 2, scale_exponent // 2)
    V = draw(_integer_matrix(n, m)) * s
    W = draw(_integer_matrix(n, r)) * t
    H = draw(_integer_matrix(r, m)) * t
    return V, W, H


@st.composite
def exact_factorizations(draw, max_n: int = 20, max_m: int = 20, max_r: int = 3, scale_exponent: int = 200):
    """(V, W, H) with V = WH exactly (a global minimum, F = 0), zero patterns and a power-of-two scale 2^(2k)."""
    n, m, r = draw(shapes(max_n, max_m, max_r))
    k = draw(st.integers(-scale_exponent, scale_exponent))
    W = draw(_integer_matrix(n, r)) * 2.0 ** k
    H = draw(_integer_matrix(r, m)) * 2.0 ** k
    return W @ H, W, H


@st.composite
def planted_saddles(draw, max_block: int = 6, scale_exponent: int = 200):
    """(V, W, H): V = diag(a bᵀ, c dᵀ) (rows and columns shuffled), W = [a; 0], H = [b, 0], plus with r = 2 a zero
    second component. ∇F = 0 but moving W, H onto (c, d) lowers F at second order whenever r = 2 or ‖c‖‖d‖ > ‖a‖‖b‖,
    so this is a FOSP and not an SOSP (sospPaper and sospCone must not HOLD)."""
    p, q = draw(st.integers(1, max_block)), draw(st.integers(1, max_block))
    p2, q2 = draw(st.integers(1, max_block)), draw(st.integers(1, max_block))
    r = draw(st.integers(1, 2))
    ints = st.integers(1, 5)
    a = np.array(draw(st.lists(ints, min_size=p, max_size=p)), dtype=float)
    b = np.array(draw(st.lists(ints, min_size=q, max_size=q)), dtype=float)
    c = np.array(draw(st.lists(ints, min_size=p2, max_size=p2)), dtype=float)
    d = np.array(draw(st.lists(ints, min_size=q2, max_size=q2)), dtype=float)
    fitted, left = float(a @ a) * float(b @ b), float(c @ c) * float(d @ d)  # exact: small integers
    if r == 1 and fitted == left:
        r = 2  # equal blocks: the curvature along (c, d) is 0 at r = 1, a degenerate case, not a planted saddle
    elif r == 1 and left < fitted:
        a, b, c, d = c, d, a, b  # fit the weaker block, leave the stronger out
        p, q, p2, q2 = p2, q2, p, q
    n, m = p + p2, q + q2
    k = draw(st.integers(-scale_exponent, scale_exponent))
    V = np.zeros((n, m))
    V[:p, :q] = np.outer(a, b)
    V[p:, q:] = np.outer(c, d)
    W = np.zeros((n, r))
    H = np.zeros((r, m))
    W[:p, 0] = a
    H[0, :q] = b
    rows = np.array(draw(st.permutations(range(n))))
    cols = np.array(draw(st.permutations(range(m))))
    return V[rows][:, cols] * 4.0 ** k, W[rows] * 2.0 ** k, H[:, cols] * 2.0 ** k


@st.composite
def sklearn_cases(draw, max_n: int = 20, max_m: int = 20, max_r: int = 3):
    """(V, r, seed, init) for fitting scikit-learn's NMF: non-negative V with exact zeros, values of mixed size, and
    init one of random, nndsvd (exact zeros in the start: multiplicative updates keep them), nndsvda."""
    n, m, r = draw(shapes(max_n, max_m, max_r))
    V = draw(_integer_matrix(n, m, high=9)) * _pow2(draw, -3, 3)
    return V, r, draw(st.integers(0, 2 ** 16)), draw(st.sampled_from(["random", "nndsvd", "nndsvda"]))
