"""The README's "From Python" example runs as shipped and shows what the README says."""
import subprocess
import sys

from conftest import ROOT


def test_the_paired_difference_example_runs_and_writes_its_figure(tmp_path):
    figure = tmp_path / "paired.png"
    r = subprocess.run([sys.executable, "python/examples/paired_difference.py", "--out", figure, "--members", "200"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "low_carbon_push - baseline, manufacturing value added ytd yoy (percentage points)"
    # The table the README shows, as printed (quantiles of the paired differences).
    readme = (ROOT / "README.md").read_text()
    table = "\n".join(lines[:6])
    assert table in readme, f"README's example output is stale:\n{table}"
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and figure.stat().st_size > 10_000
