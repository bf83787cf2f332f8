"""One `java -jar nmf-oracle.jar serve` process, spoken to in JSON lines (README "Serve protocol")."""
from __future__ import annotations

import atexit
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any, Optional

import numpy as np

from .certificate import Certificate, CheckReport, SolveResult


class OracleError(Exception):
    """A request the server answered with an error (bad input: ``exit`` 2; internal: 3), or a server that is gone."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit = exit_code


def find_jar(jar: Optional[str] = None) -> Path:
    """The CLI jar: the argument, else $NMF_ORACLE_JAR, else target/nmf-oracle.jar of the repository holding this file."""
    if jar is None:
        jar = os.environ.get("NMF_ORACLE_JAR")
    if jar is None:
        for parent in Path(__file__).resolve().parents:
            candidate = parent / "target" / "nmf-oracle.jar"
            if candidate.is_file():
                return candidate
        raise OracleError("nmf-oracle.jar not found: build it with `mvn -B -ntp package -DskipTests`, or set "
                          "NMF_ORACLE_JAR or pass jar=")
    p = Path(jar)
    if not p.is_file():
        raise OracleError(f"{p}: no such jar")
    return p


def find_java(java: Optional[str] = None) -> str:
    """java: the argument, else $JAVA_HOME/bin/java, else java on PATH."""
    if java:
        return java
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise OracleError("java not found: install Java 17+ or set JAVA_HOME")
    return found


class _Files:
    """Temporary files of one request (a scipy sparse V goes by path as .npz), removed when it is answered."""

    def __init__(self):
        self.dir: Optional[str] = None

    def __enter__(self) -> "_Files":
        return self

    def __exit__(self, *exc) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name: str) -> str:
        if self.dir is None:
            self.dir = tempfile.mkdtemp(prefix="nmf-oracle-")
        return os.path.join(self.dir, name)


def _is_sparse(a: Any) -> bool:
    """A scipy.sparse matrix or array, recognised without importing scipy (an optional dependency)."""
    return hasattr(a, "tocsr") and hasattr(a, "nnz")


def _matrix(name: str, a: Any, files: Optional[_Files] = None):
    """A matrix for the request: a str/Path is a file; a scipy sparse V is written to a temporary .npz and sent by
    path, so it stays sparse in the server (README "Sparse V"); anything array-like is sent inline as rows."""
    if isinstance(a, (str, os.PathLike)):
        return {"path": os.fspath(a)}
    if _is_sparse(a):
        if name != "V" or files is None:
            a = a.toarray()          # only V is read sparse; factors are small and dense
        else:
            import scipy.sparse
            csr = a.tocsr()
            if csr.ndim != 2:
                raise OracleError(f"{name}: must be 2-dimensional, got shape {csr.shape}")
            if not np.isfinite(csr.data).all():
                raise OracleError(f"{name}: contains NaN or infinity")
            path = files.path("V.npz")
            scipy.sparse.save_npz(path, csr.astype(np.float64), compressed=False)
            return {"path": path}
    try:
        arr = np.asarray(a, dtype=float)
    except (ValueError, TypeError) as e:
        raise OracleError(f"{name}: not a rectangular array of numbers ({e})") from None
    if arr.ndim != 2:
        raise OracleError(f"{name}: must be 2-dimensional, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise OracleError(f"{name}: contains NaN or infinity")
    return arr.tolist()


def _options(kw: dict) -> dict:
    """Python keywords to the CLI's option names: tol_first_order -> tol-first-order."""
    return {k.replace("_", "-"): v for k, v in kw.items() if v is not None}


class Oracle:
    """A `serve` process; use as a context manager (``with Oracle() as o: ...``) or call :meth:`close`.
    ``java_options`` go before ``-jar`` (e.g. ``("-Xmx8g",)`` for large inputs).

    Requests are answered in order; one Oracle may be shared between threads (a lock serialises requests).
    """

    def __init__(self, jar: Optional[str] = None, java: Optional[str] = None, java_options=()):
        cmd = [find_java(java), *java_options, "-jar", str(find_jar(jar)), "serve"]
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, encoding="utf-8", bufsize=1)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._stderr: list = []
        # drain stderr so a chatty library never blocks the server
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    def _read_stderr(self):
        for line in self._proc.stderr:
            self._stderr.append(line)
            del self._stderr[:-50]

    def __enter__(self) -> "Oracle":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Closes stdin (EOF ends the server with exit 0) and waits for it."""
        if self._proc.poll() is None:
            try:
                self._proc.stdin.close()
                self._proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()

    def request(self, req: dict) -> dict:
        """Sends one request and returns the answer; raises OracleError for an error answer."""
        with self._lock:
            req = dict(req)
            req.setdefault("id", next(self._ids))
            try:
                line = json.dumps(req, allow_nan=False)
            except ValueError:
                raise OracleError("the request contains NaN or infinity") from None
            try:
                self._proc.stdin.write(line + "\n")
                self._proc.stdin.flush()
                out = self._proc.stdout.readline()
            except (BrokenPipeError, OSError):
                out = ""
            if not out:
                raise OracleError("the nmf-oracle server ended: " + "".join(self._stderr[-5:]).strip(), 3)
            answer = json.loads(out)
        if answer.get("id") != req["id"]:
            raise OracleError(f"answer id {answer.get('id')!r} does not match request id {req['id']!r}", 3)
        if not answer["ok"]:
            raise OracleError(answer["error"], answer["exit"])
        return answer

    def ping(self) -> bool:
        return self.request({"op": "ping"})["ok"]

    def version(self) -> str:
        return self.request({"op": "version"})["version"]

    def certify(self, V, W, H, **options) -> Certificate:
        """Certifies (W, H) for V (a numpy array, a scipy sparse matrix, which stays sparse, or a file); options are certify's (mode="exact", tol_first_order=1e-8, require="sosp", ...).
        With ``require`` the certificate's ``exit`` is 1 unless that claim HOLDS (as the CLI's exit code)."""
        with _Files() as files:
            a = self.request({"op": "certify", "V": _matrix("V", V, files), "W": _matrix("W", W), "H": _matrix("H", H),
                              **_options(options)})
        return Certificate.from_json(a["result"], a["exit"])

    def check(self, V, W, H, certificate, **options) -> CheckReport:
        """Re-verifies a certificate (a Certificate, its dict, or a JSON file) with the independent checker."""
        if isinstance(certificate, Certificate):
            cert: Any = certificate.raw
        elif isinstance(certificate, (str, os.PathLike)):
            cert = {"path": os.fspath(certificate)}
        else:
            cert = certificate
        with _Files() as files:
            a = self.request({"op": "check", "V": _matrix("V", V, files), "W": _matrix("W", W), "H": _matrix("H", H),
                              "certificate": cert, **_options(options)})
        return CheckReport.from_json(a["result"])

    def solve(self, V, rank: int, **options) -> SolveResult:
        """Factorizes V with rank ``rank``; options are solve's (algorithm="hals", max_iter=500, seed=0, ...)."""
        for k in ("init_w", "init_h"):
            if k in options and options[k] is not None:
                options[k] = _matrix(k, options[k])
        with _Files() as files:
            a = self.request({"op": "solve", "V": _matrix("V", V, files), "rank": rank, **_options(options)})
        return SolveResult.from_json(a["result"])


_default: Optional[Oracle] = None
_default_lock = threading.Lock()


def default_oracle() -> Oracle:
    """One shared server for the module-level functions, started on first use and closed at exit."""
    global _default
    with _default_lock:
        if _default is None or _default._proc.poll() is not None:
            _default = Oracle()
            atexit.register(_default.close)
        return _default


def certify(V, W, H, **options) -> Certificate:
    return default_oracle().certify(V, W, H, **options)


def check(V, W, H, certificate, **options) -> CheckReport:
    return default_oracle().check(V, W, H, certificate, **options)


def solve(V, rank: int, **options) -> SolveResult:
    return default_oracle().solve(V, rank, **options)
