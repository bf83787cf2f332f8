"""pytest helpers: assert_sosp gates a factorization (yours or a fitted scikit-learn NMF) on the certificate."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .certificate import Certificate
from .client import Oracle, default_oracle


def factors_of(model_or_W_H: Any, V, W=None):
    """(W, H) from a pair, or from a fitted scikit-learn NMF: H = model.components_, W the given W (pass
    fit_transform's output to certify the fitted point itself), else model.transform(V) (a fresh W for fixed H)."""
    if isinstance(model_or_W_H, (tuple, list)) and len(model_or_W_H) == 2:
        return np.asarray(model_or_W_H[0], dtype=float), np.asarray(model_or_W_H[1], dtype=float)
    if hasattr(model_or_W_H, "components_"):
        H = np.asarray(model_or_W_H.components_, dtype=float)
        if W is None:
            W = model_or_W_H.transform(V)
        return np.asarray(W, dtype=float), H
    raise TypeError("expected (W, H) or a fitted scikit-learn NMF (with components_)")


def assert_sosp(model_or_W_H: Any, V, W=None, claim: str = "sosp", oracle: Optional[Oracle] = None,
                **options) -> Certificate:
    """Asserts that FOSP and ``claim`` (sosp = the paper's second-order claim, sosp-cone, strict) HOLD for (W, H);
    on failure the message names each claim that does not hold with its reason and witness (0-based indices).
    Returns the certificate."""
    W, H = factors_of(model_or_W_H, V, W)
    cert = (oracle or default_oracle()).certify(np.asarray(V, dtype=float), W, H, **options)
    wanted = [cert.fosp] + ([] if claim == "fosp" else [cert.claim(claim)])
    failing = [c for c in wanted if not c.holds]
    if failing:
        lines = [f"not a certified {claim.upper()}: n={cert.n}, m={cert.m}, r={cert.r}, objective ‖V − WH‖²_F = "
                 f"{cert.objective!r} (reconstruction_err_ = {cert.reconstruction_err_!r})"]
        lines += [c.describe() for c in failing]
        raise AssertionError("\n".join(lines))
    return cert
