"""Typed views of serve's answers: the certificate (format v2, README "Certificate format"), check and solve."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

HOLDS, FAILS, UNDECIDED = "HOLDS", "FAILS", "UNDECIDED"


@dataclass(frozen=True)
class Interval:
    """A verified enclosure [lower, upper] of λ_min (second-order claims) or μ (strictness); None = not bounded."""
    lower: Optional[float]
    lower_method: Optional[str]
    upper: Optional[float]
    upper_method: Optional[str]

    @staticmethod
    def of(d: Optional[dict]) -> Optional["Interval"]:
        if d is None:
            return None
        return Interval(d.get("lower"), d.get("lowerMethod"), d.get("upper"), d.get("upperMethod"))


@dataclass(frozen=True)
class Claim:
    """One claim of the certificate: HOLDS, FAILS (with a witness) or UNDECIDED (with the reason)."""
    name: str
    verdict: str
    reason: Optional[str]
    witness: Any
    method: Optional[str] = None
    bound: Optional[Interval] = None
    residual: Optional[float] = None

    @property
    def holds(self) -> bool:
        return self.verdict == HOLDS

    @property
    def fails(self) -> bool:
        return self.verdict == FAILS

    def describe(self) -> str:
        """One paragraph: verdict, reason and the witness as JSON (what assert_sosp prints on failure)."""
        s = f"{self.name}: {self.verdict}"
        if self.reason:
            s += f" ({self.reason})"
        if self.witness is not None:
            s += "\n  witness: " + json.dumps(self.witness, sort_keys=True)
        return s


@dataclass(frozen=True)
class Certificate:
    """The certificate of (V, W, H). ``objective`` = ‖V − WH‖²_F (the paper's F); indices are 0-based."""
    problem: str
    mode: str
    n: int
    m: int
    r: int
    objective: float
    fosp: Claim
    sosp_paper: Claim
    sosp_cone: Claim
    strict_modulo_symmetry: Claim
    counts: Optional[dict]
    tolerances: dict
    notes: list
    exit: int
    raw: dict = field(repr=False)

    @property
    def reconstruction_err_(self) -> float:
        """scikit-learn's name and unit: ‖V − WH‖_F = √objective."""
        return math.sqrt(self.objective) if self.objective is not None else float("nan")

    def claim(self, name: str) -> Claim:
        """By the CLI's --require names: fosp, sosp (sospPaper), sosp-cone, strict."""
        return {"fosp": self.fosp, "sosp": self.sosp_paper, "sosp-cone": self.sosp_cone,
                "strict": self.strict_modulo_symmetry}[name]

    def to_json(self) -> str:
        """The certificate JSON as the CLI writes it (for `nmf-oracle check` or `Oracle.check`)."""
        return json.dumps(self.raw)

    @staticmethod
    def from_json(d: dict, exit_code: int = 0) -> "Certificate":
        info = d.get("info") or {}
        reasons = info.get("reasons") or {}
        methods = info.get("methods") or {}

        def second(key: str, bound_field: str) -> Claim:
            c = d[key]
            return Claim(key, c["verdict"], reasons.get(key), c.get("witness"), methods.get(key),
                         Interval.of(c.get(bound_field)))

        f = d["fosp"]
        return Certificate(
            problem=d["problem"], mode=d["mode"], n=d["n"], m=d["m"], r=d["r"], objective=d["objective"],
            fosp=Claim("fosp", f["verdict"], reasons.get("fosp"), f.get("witness"), residual=f.get("residual")),
            sosp_paper=second("sospPaper", "lambdaMin"), sosp_cone=second("sospCone", "lambdaMin"),
            strict_modulo_symmetry=second("strictModuloSymmetry", "mu"),
            counts=d.get("counts"), tolerances=d.get("tolerances") or {}, notes=list(info.get("notes") or []),
            exit=exit_code, raw=d)


@dataclass(frozen=True)
class CheckReport:
    """The independent checker's report: ok, the last line, the problems and every item."""
    ok: bool
    verdict: str
    problems: list
    items: list
    exit: int

    @staticmethod
    def from_json(d: dict) -> "CheckReport":
        return CheckReport(d["ok"], d["verdict"], d["problems"], d["items"], d["exit"])

    def __str__(self) -> str:
        return "\n".join([i["line"] for i in self.items] + [self.verdict])


@dataclass(frozen=True)
class SolveResult:
    """A solve: W (n×r), H (r×m); objective = ‖V − WH‖²_F, reconstruction_err_ = ‖V − WH‖_F (scikit-learn's unit)."""
    W: np.ndarray
    H: np.ndarray
    algorithm: str
    objective: Optional[float]
    reconstruction_err_: Optional[float]
    relative_error: Optional[float]
    first_order_residual: Optional[float]
    n_iter_: int
    stop_reason: str
    seconds: float
    raw: dict = field(repr=False)

    @staticmethod
    def from_json(d: dict) -> "SolveResult":
        return SolveResult(np.array(d["W"], dtype=float), np.array(d["H"], dtype=float), d["algorithm"],
                           d["objective"], d["reconstructionErr"], d["relativeError"], d["firstOrderResidual"],
                           d["iterations"], d["stopReason"], d["seconds"], {k: v for k, v in d.items() if k not in ("W", "H")})
