"""Hypothesis over the strategies in nmf_oracle.strategies: what the certifier must say is known for each."""
from hypothesis import given

from nmf_oracle import assert_sosp
from nmf_oracle import strategies as nst


def certified_fosp(oracle, V, W, H):
    """The certificate, after asserting FOSP HOLDS and that the independent checker accepts it."""
    cert = oracle.certify(V, W, H)
    assert cert.fosp.holds, cert.fosp.describe()
    report = oracle.check(V, W, H, cert, accept_unverified=True)
    assert report.ok, str(report)
    return cert


@given(nst.exact_factorizations())
def test_an_exact_factorization_is_a_fosp_and_never_fails_second_order(oracle, case):
    cert = certified_fosp(oracle, *case)
    for c in (cert.sosp_paper, cert.sosp_cone):
        assert not c.fails, c.describe()  # a global minimum has no descent direction


@given(nst.planted_saddles())
def test_a_planted_saddle_is_a_fosp_whose_second_order_claims_do_not_hold(oracle, case):
    cert = certified_fosp(oracle, *case)
    assert not cert.sosp_paper.holds and not cert.sosp_cone.holds, cert.sosp_cone.describe()


@given(nst.nmf_instances())
def test_any_point_gets_an_answer_the_independent_checker_accepts(oracle, case):
    V, W, H = case
    cert = oracle.certify(V, W, H)
    report = oracle.check(V, W, H, cert, accept_unverified=True)
    assert report.ok, str(report)


def test_assert_sosp_prints_the_witness_of_a_saddle(oracle):
    V = [[1.0, 0.0], [0.0, 2.0]]
    try:
        assert_sosp(([[1.0], [0.0]], [[1.0, 0.0]]), V, oracle=oracle)
    except AssertionError as e:
        msg = str(e)
    else:
        raise AssertionError("assert_sosp passed a saddle")
    assert "sospPaper: FAILS" in msg and "witness:" in msg and "dW" in msg


def test_assert_sosp_passes_a_global_minimum(oracle):
    cert = assert_sosp(([[1.0], [2.0]], [[1.0, 2.0]]), [[1.0, 2.0], [2.0, 4.0]], oracle=oracle)
    assert cert.sosp_paper.holds
