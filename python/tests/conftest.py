"""Shared by the pytest tests of the Python module: the repository root (the
tests run from it, as ctest starts them), the built CLI (MFGSIM_BINARY, set
by tests/CMakeLists.txt) and helpers to run it."""
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("MFGSIM_BINARY", str(ROOT / "build" / "mfgsim"))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def cli(*args):
    """Runs the CLI from the repository root; fails the test unless it exits 0."""
    r = subprocess.run([BINARY, *map(str, args), "--log-level", "warn"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, f"mfgsim {' '.join(map(str, args))}: exit {r.returncode}\n{r.stderr}"
    return r


def assert_bitwise_equal(a, b):
    """Two Datasets with the same variables whose values are equal bit for
    bit (NaN payloads included), besides xarray's identical()."""
    assert sorted(a.variables) == sorted(b.variables)
    for name in a.variables:
        x, y = a[name].values, b[name].values
        assert x.dtype == y.dtype, name
        assert x.shape == y.shape, name
        if x.dtype.kind in "fiu":
            assert np.array_equal(x.view(f"u{x.dtype.itemsize}"), y.view(f"u{y.dtype.itemsize}")), name
        else:
            assert np.array_equal(x, y), name
