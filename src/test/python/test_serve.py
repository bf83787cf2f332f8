"""The serve protocol from Python: answers in order, errors as answers, the server survives, EOF exits 0."""
import json
import subprocess

import numpy as np
import pytest

from nmf_oracle import OracleError
from nmf_oracle.client import find_jar, find_java

V = [[1.0, 2.0], [2.0, 4.0]]
W = [[1.0], [2.0]]
H = [[1.0, 2.0]]


def raw_session(lines):
    """Runs serve on the given lines; returns (answers, exit code, stdout lines)."""
    p = subprocess.run([find_java(), "-jar", str(find_jar()), "serve"], input="\n".join(lines) + "\n",
                       capture_output=True, text=True, timeout=120)
    out = p.stdout.splitlines()
    return [json.loads(x) for x in out], p.returncode, out


def test_bad_requests_are_answers_and_the_server_keeps_running():
    bad = [
        ("not json", "malformed JSON"),
        ('[1, 2]', "must be a JSON object"),
        ('{"id": 3, "op": "certify", "V": [[1, 2], [3]], "W": [[1], [2]], "H": [[1, 1]]}', "V: ragged rows"),
        ('{"id": 4, "op": "certify", "V": [[1, "x"], [3, 4]], "W": [[1], [2]], "H": [[1, 1]]}', "V[0][1]: not a number"),
        ('{"id": 5, "op": "certify", "V": [[1, 1e999], [3, 4]], "W": [[1], [2]], "H": [[1, 1]]}', "V[0][1]: the number overflows"),
        ('{"id": 6, "op": "certify", "V": [[1, -2], [3, 4]], "W": [[1], [2]], "H": [[1, 1]]}', "negative"),
        ('{"id": 7, "op": "certify", "V": [[1, 2], [3, 4]], "W": [[1], [2], [3]], "H": [[1, 1]]}', "W: W has 3 rows but V has 2"),
        ('{"id": 8, "op": "certify", "V": [[1, 2], [3, 4]], "W": [[1], [2]], "H": [[1, 1]], "mode": "bogus"}', "--mode must be exact or float"),
        ('{"id": 9, "op": "certify", "V": [[1, 2], [3, 4]], "W": [[1], [2]], "H": [[1, 1]], "frob": 1}', "field 'frob'"),
        ('{"id": 10, "op": "certify", "W": [[1], [2]], "H": [[1, 1]]}', "field 'V' is required"),
        ('{"id": 11, "op": "certify", "V": [], "W": [[1], [2]], "H": [[1, 1]]}', "V: an inline matrix must be"),
        ('{"id": 12, "op": "certify", "V": {"path": "/no/such/file.csv"}, "W": [[1], [2]], "H": [[1, 1]]}', "no such file"),
        ('{"id": 13, "op": "solve", "V": [[1, 2], [3, 4]], "rank": 5}', "rank 5"),
        ('{"id": 14, "op": "launch"}', "unknown operation"),
        ('{"id": 15, "op": "certify", "id": 16}', "Duplicate field 'id'"),
        ('{"id": 17, "op": "check", "V": [[1]], "W": [[1]], "H": [[1]], "certificate": {"tool": "x"}}', "not a certificate"),
    ]
    good = '{"id": "last", "op": "certify", "V": %s, "W": %s, "H": %s}' % (json.dumps(V), json.dumps(W), json.dumps(H))
    answers, code, out = raw_session([b for b, _ in bad] + [good])
    assert code == 0
    assert len(answers) == len(bad) + 1
    for (line, want), a in zip(bad, answers):
        assert a["ok"] is False, line
        assert a["exit"] == 2, (line, a)
        assert want in a["error"], (line, a["error"])
        assert "Exception" not in a["error"] and "\tat " not in a["error"], a["error"]
    assert answers[2]["id"] == 3
    assert answers[-1]["id"] == "last" and answers[-1]["ok"] is True
    assert answers[-1]["result"]["fosp"]["verdict"] == "HOLDS"


def test_blank_lines_are_skipped_and_eof_ends_with_exit_0():
    answers, code, _ = raw_session(['{"op": "ping", "id": 1}', "", '{"op": "version", "id": 2}'])
    assert code == 0
    assert [a["id"] for a in answers] == [1, 2]
    assert answers[1]["protocol"] == 1


def test_certify_through_the_client_gives_a_typed_certificate(oracle):
    cert = oracle.certify(V, W, H)
    assert cert.fosp.holds and cert.objective == 0.0 and cert.reconstruction_err_ == 0.0
    assert (cert.n, cert.m, cert.r) == (2, 2, 1)
    assert not cert.sosp_paper.fails
    report = oracle.check(V, W, H, cert, accept_unverified=True)
    assert report.ok, str(report)


def test_units_match_scikit_learn(oracle):
    Vm = np.array([[1.0, 2.0], [3.0, 4.0]])
    Wm, Hm = np.array([[1.0], [2.0]]), np.array([[1.0, 1.5]])
    cert = oracle.certify(Vm, Wm, Hm)
    resid = np.linalg.norm(Vm - Wm @ Hm)
    assert cert.objective == pytest.approx(resid ** 2, rel=1e-15)
    assert cert.reconstruction_err_ == pytest.approx(resid, rel=1e-15)


def test_require_sets_the_exit_code_as_the_cli_does(oracle):
    saddle = oracle.certify([[1.0, 0.0], [0.0, 2.0]], [[1.0], [0.0]], [[1.0, 0.0]], require="sosp")
    assert saddle.fosp.holds and not saddle.sosp_paper.holds
    assert saddle.exit == 1
    assert oracle.certify(V, W, H, require="fosp").exit == 0


def test_solve_returns_factors_and_both_units(oracle):
    Vm = np.arange(1.0, 13.0).reshape(3, 4)
    res = oracle.solve(Vm, 2, algorithm="hals", max_iter=200, seed=3)
    assert res.W.shape == (3, 2) and res.H.shape == (2, 4)
    resid = np.linalg.norm(Vm - res.W @ res.H)
    assert res.reconstruction_err_ == pytest.approx(resid, rel=1e-9)
    assert res.objective == pytest.approx(resid ** 2, rel=1e-9)
    assert res.n_iter_ >= 1 and res.stop_reason in {"max_iterations", "objective_tolerance", "no_descent"}


def test_client_errors_are_raised_and_the_oracle_survives(oracle):
    with pytest.raises(OracleError, match="ragged|must be 2-dimensional|setting an array"):
        oracle.certify([[1.0, 2.0], [3.0]], W, H)
    with pytest.raises(OracleError, match="NaN or infinity"):
        oracle.certify([[np.nan, 1.0], [1.0, 1.0]], W, H)
    with pytest.raises(OracleError, match="--tol-first-order"):
        oracle.certify(V, W, H, tol_first_order="abc")
    assert oracle.ping()


def test_file_paths_and_inline_give_the_same_certificate(oracle, tmp_path):
    for name, a in (("V", V), ("W", W), ("H", H)):
        np.savetxt(tmp_path / f"{name}.csv", np.array(a), delimiter=",")
    by_file = oracle.certify(tmp_path / "V.csv", tmp_path / "W.csv", tmp_path / "H.csv")
    inline = oracle.certify(V, W, H)
    assert by_file.raw["fosp"] == inline.raw["fosp"] and by_file.raw["sospPaper"] == inline.raw["sospPaper"]


def test_a_scipy_sparse_v_stays_sparse_and_gives_the_dense_certificate(oracle):
    sparse = pytest.importorskip("scipy.sparse", reason="scipy not installed (Debian: apt-get install python3-scipy)")
    rng = np.random.default_rng(4)
    Vd = np.where(rng.random((30, 20)) < 0.3, rng.integers(1, 5, (30, 20)), 0).astype(float)
    res = oracle.solve(Vd, 2, algorithm="hals", max_iter=300, seed=1)
    for fmt in ("csr", "csc", "coo"):
        Vs = sparse.csr_matrix(Vd).asformat(fmt)
        a, b = oracle.certify(Vs, res.W, res.H), oracle.certify(Vd, res.W, res.H)
        for claim in ("fosp", "sospPaper", "sospCone", "strictModuloSymmetry"):
            assert a.raw[claim]["verdict"] == b.raw[claim]["verdict"], (fmt, claim)
        assert a.raw["provenance"]["sha256"]["V"] == b.raw["provenance"]["sha256"]["V"]
        assert oracle.check(Vs, res.W, res.H, a).ok
    # 30,000 x 20,000 (6e8 entries, beyond the dense limit of 5e8) with 3 non-zeros: by path as .npz, never dense
    big = sparse.csr_matrix((np.array([2.0, 3.0, 5.0]), (np.array([0, 1, 29_999]), np.array([0, 1, 19_999]))),
                            shape=(30_000, 20_000))
    cert = oracle.certify(big, np.zeros((30_000, 1)), np.zeros((1, 20_000)))
    assert cert.fosp.holds and cert.sosp_cone.fails     # W = H = 0: ∇F = 0; d = (e1, e1): dᵀ∇²F d = −4·2 < 0
    with pytest.raises(OracleError, match="NaN or infinity"):
        oracle.certify(sparse.csr_matrix(np.array([[np.nan, 1.0], [1.0, 1.0]])), W, H)
