"""Runs compute without the GIL, and Ctrl-C (SIGINT) stops them cleanly: a
run far too long to finish raises KeyboardInterrupt, a batch leaves only the
checkpoint of its finished scenarios."""
import os
import signal
import subprocess
import sys
import threading
import time

import mfgsim
from conftest import ROOT

# Minutes of work on one thread, memory bounded (quantile sketches beyond 64 MiB).
HUGE_RUN = 'mfgsim.run("scenarios/baseline.yaml", members=10_000_000, outputs=["co2"], threads=1, summary_memory=64)'
HUGE_BATCH = 'mfgsim.batch("scenarios/batches/levers.yaml", out=sys.argv[1], members=20_000, threads=1)'


def test_the_gil_is_released_while_a_run_computes():
    worker = threading.Thread(target=mfgsim.run, args=("scenarios/baseline.yaml",),
                              kwargs=dict(members=5000, threads=1, outputs=["co2"]))
    worker.start()
    # A hundred steps of Python in this thread. Were the GIL held while the run
    # computes, they could only end after it, with the worker gone.
    for _ in range(100):
        time.sleep(0.001)
    assert worker.is_alive(), "this thread ran only after the run: the GIL was held"
    worker.join()


def interrupt(code, *args):
    """Starts python3 running `code`, sends SIGINT once it computes; returns what it printed."""
    script = ("import sys, mfgsim\nprint('start', flush=True)\n"
              f"try:\n    {code}\n    print('finished')\nexcept KeyboardInterrupt:\n    print('KeyboardInterrupt')\n")
    p = subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=os.environ)
    assert p.stdout.readline().strip() == "start"
    time.sleep(1.0)
    assert p.poll() is None
    p.send_signal(signal.SIGINT)
    # The work takes minutes: ending within the minute means it was stopped.
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    return out.strip(), err


def test_ctrl_c_interrupts_a_run():
    out, err = interrupt(HUGE_RUN)
    assert out == "KeyboardInterrupt", err


def test_ctrl_c_interrupts_a_batch_and_leaves_no_output(tmp_path):
    out, err = interrupt(HUGE_BATCH, tmp_path / "levers")
    assert out == "KeyboardInterrupt", err
    # No result folder, no staging folder; the checkpoint keeps the scenarios
    # that finished, fewer than the batch's 260, for resume=True (as with the CLI).
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left in ([], [".levers.checkpoint"]), left
    if left:
        records = [p for p in (tmp_path / ".levers.checkpoint").rglob("*") if p.is_file() and p.name != "lock"]
        assert len(records) < 260
