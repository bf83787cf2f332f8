"""Hypothesis over scikit-learn's NMF (mu and cd): certify what it returns and count the verdicts (printed in the
terminal summary). The property that must hold: the independent checker accepts every certificate. The gate itself
(assert_sosp on sklearn's output, which MU's zero-locking can fail) is bench/serve/sklearn_gate.py."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings

from nmf_oracle import assert_sosp
from nmf_oracle import strategies as nst

sklearn = pytest.importorskip("sklearn", reason="scikit-learn not installed (Debian: apt-get install python3-sklearn)")
from sklearn.decomposition import NMF  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

from conftest import FOUND  # noqa: E402


def fit(V, r, seed, solver, init="random"):
    model = NMF(n_components=r, solver=solver, init=init, random_state=seed, max_iter=400, tol=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)  # e.g. nndsvd on an all-zero V
        W = model.fit_transform(V)
    return model, W


@pytest.mark.parametrize("solver", ["mu", "cd"])
@settings(max_examples=50)
@given(case=nst.sklearn_cases())
def test_sklearn_nmf_certificates_are_accepted_by_the_checker(oracle, solver, case):
    V, r, seed, init = case
    model, W = fit(V, r, seed, solver, init)
    H = model.components_
    cert = oracle.certify(V, W, H, tol_first_order=1e-4)
    kind = (cert.fosp.witness or {}).get("kind", "") if cert.fosp.fails else ""
    FOUND[f"{solver}: fosp {cert.fosp.verdict}{' (' + kind + ')' if kind else ''}, sospPaper {cert.sosp_paper.verdict}"] += 1
    # scikit-learn's reconstruction_err_ is ‖V − WH‖_F of fit_transform's W: our objective is its square
    assert cert.reconstruction_err_ == pytest.approx(model.reconstruction_err_, rel=1e-6, abs=1e-12)
    report = oracle.check(V, W, H, cert, accept_unverified=True)
    assert report.ok, str(report)


def test_assert_sosp_takes_a_fitted_model(oracle):
    V = np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 3.0]])
    model, W = fit(V, 2, 0, "cd")
    cert = assert_sosp(model, V, W=W, oracle=oracle, tol_first_order=1e-4)
    assert cert.r == 2
