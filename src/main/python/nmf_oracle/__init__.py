"""Python client of nmf-oracle: certify, check and solve NMF through one long-lived ``serve`` process.

>>> from nmf_oracle import Oracle
>>> with Oracle() as o:
...     cert = o.certify(V, W, H)
...     cert.fosp.holds, cert.sosp_paper.verdict, cert.reconstruction_err_

Units: ``objective`` is the paper's F = ‖V − WH‖²_F; ``reconstruction_err_`` is scikit-learn's ‖V − WH‖_F.
"""
from .certificate import Certificate, Claim, Interval, CheckReport, SolveResult
from .client import Oracle, OracleError, certify, check, solve, default_oracle, find_jar, find_java
from .testing import assert_sosp, factors_of

__all__ = ["Certificate", "Claim", "Interval", "CheckReport", "SolveResult", "Oracle", "OracleError", "certify",
           "check", "solve", "default_oracle", "find_jar", "find_java", "assert_sosp", "factors_of"]
