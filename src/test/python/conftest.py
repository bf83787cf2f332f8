"""pytest setup: the client from src/main/python, one shared serve process, reproducible Hypothesis runs."""
import collections
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "main" / "python"))

from nmf_oracle import Oracle  # noqa: E402

# derandomize: the same examples on every run (reproducible seeds); no example database written into the tree
settings.register_profile("nmf-oracle", derandomize=True, deadline=None, database=None, max_examples=100,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("nmf-oracle")

FOUND = collections.Counter()


@pytest.fixture(scope="session")
def oracle():
    with Oracle() as o:
        yield o


def pytest_terminal_summary(terminalreporter):
    if FOUND:
        terminalreporter.write_sep("-", "nmf-oracle: what the certifier found on scikit-learn's NMF")
        for key, count in sorted(FOUND.items()):
            terminalreporter.write_line(f"{key}: {count}")
