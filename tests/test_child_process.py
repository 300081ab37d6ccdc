"""Worker processes end with the process that started them (``digit_app.child_process``)."""
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from digit_app.child_process import exit_with_parent

#: A parent that starts a pool worker as digit-app's pools do, prints its pid, then is killed.
PARENT = """
import multiprocessing, os, pathlib, signal, sys
from concurrent.futures import ProcessPoolExecutor
from digit_app.child_process import exit_with_parent
if __name__ == "__main__":
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), {init})
    pathlib.Path(sys.argv[1]).write_text(str(pool.submit(os.getpid).result()))
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _running(pid: int) -> bool:
    """True while ``pid`` is a live process (a zombie nobody reaps counts as ended)."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def _worker_after_parent_killed(tmp_path, init: str) -> int:
    script = tmp_path / "parent.py"
    script.write_text(PARENT.format(init=init))
    pid_file = tmp_path / "worker.pid"
    # Not through pipes: a worker left behind would hold them open.
    subprocess.run([sys.executable, str(script), str(pid_file)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)
    return int(pid_file.read_text())


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_pool_worker_ends_when_its_parent_is_killed(tmp_path):
    pid = _worker_after_parent_killed(tmp_path, "initializer=exit_with_parent")
    deadline = time.monotonic() + 20
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(pid)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_without_it_the_worker_outlives_its_parent(tmp_path):
    """What ``exit_with_parent`` is for: a bare pool worker is left behind."""
    pid = _worker_after_parent_killed(tmp_path, "")
    try:
        time.sleep(2)
        assert _running(pid)
    finally:
        os.kill(pid, signal.SIGKILL)


def test_it_does_nothing_outside_a_multiprocessing_child():
    exit_with_parent()  # the test process: no parent to watch, no thread started
    assert "exit-with-parent" not in [t.name for t in threading.enumerate()]
