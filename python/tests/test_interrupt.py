"""Runs compute without the GIL, and Ctrl-C (SIGINT) stops them cleanly:
KeyboardInterrupt within a fraction of a second, nothing left behind."""
import os
import signal
import subprocess
import sys
import threading
import time

from conftest import ROOT

import mfgsim

# About 10 s of work on one thread, memory bounded (quantile sketches beyond 64 MiB).
LONG_RUN = 'mfgsim.run("scenarios/baseline.yaml", members=400_000, outputs=["co2"], threads=1, summary_memory=64)'
LONG_BATCH = 'mfgsim.batch("scenarios/batches/levers.yaml", out=sys.argv[1], members=400, threads=1)'


def test_the_gil_is_released_while_a_run_computes():
    done = threading.Event()
    worker = threading.Thread(target=lambda: (mfgsim.run("scenarios/baseline.yaml", members=4000, threads=1,
                                                         outputs=["co2"]), done.set()))
    start = time.monotonic()
    worker.start()
    ticks = 0
    while not done.is_set() and time.monotonic() - start < 60:
        ticks += 1
        time.sleep(0.001)
    worker.join()
    elapsed = time.monotonic() - start
    assert done.is_set()
    # Holding the GIL for the whole run would leave this thread about one tick.
    assert elapsed > 0.05 and ticks > 0.3 * elapsed / 0.0011, (ticks, elapsed)


def interrupt(code, *args):
    """Starts python3 running `code`, sends SIGINT 1 s after it starts computing;
    returns its output and the seconds from the signal to its exit."""
    script = ("import sys, time, mfgsim\nprint('start', flush=True)\n"
              f"try:\n    {code}\n    print('finished')\nexcept KeyboardInterrupt:\n    print('KeyboardInterrupt')\n")
    p = subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=os.environ)
    assert p.stdout.readline().strip() == "start"
    time.sleep(1.0)
    assert p.poll() is None, "the work ended before the signal: make it longer"
    sent = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    return out, err, time.monotonic() - sent, p.returncode


def test_ctrl_c_interrupts_a_run():
    out, err, seconds, code = interrupt(LONG_RUN)
    assert out.strip() == "KeyboardInterrupt", err
    assert code == 0
    assert seconds < 2.0


def test_ctrl_c_interrupts_a_batch_and_leaves_no_output(tmp_path):
    out_dir = tmp_path / "levers"
    out, err, seconds, code = interrupt(LONG_BATCH, out_dir)
    assert out.strip() == "KeyboardInterrupt", err
    assert seconds < 5.0
    # No result folder and no staging folder; only the finished scenarios' checkpoint may stay (as with the CLI).
    assert [p.name for p in tmp_path.iterdir() if p.name != ".levers.checkpoint"] == []
