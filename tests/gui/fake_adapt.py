"""Stand-ins for ``digit_app.adaptation.adapt``, run by the GUI's adaptation process in tests
(imported by name in the spawned child: no TensorFlow, done in a moment)."""
from __future__ import annotations

import threading
from pathlib import Path

from digit_app.adaptation import AdaptCancelled  # the real types: importing them loads no TensorFlow
from digit_app.adaptation import AdaptOutcome as Outcome


def kept(samples=None, base_model=None, out=None, progress=None, should_stop=None, **_):
    """Reports progress, writes ``out`` (a stand-in file) and keeps it."""
    for step in range(1, 6):
        progress(step, 5, f"step {step}")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_bytes(b"stand-in model")
    return Outcome(True, "better", 0.62, 0.91, 24, 70, 0.991, 0.990, 3.0, Path(out),
                   Path(base_model or "lenet.keras"))


def not_kept(samples=None, base_model=None, out=None, progress=None, should_stop=None, **_):
    progress(1, 1, "done")
    return Outcome(False, "it does not read your held-out samples better (62.0% -> 60.0%)", 0.62, 0.60,
                   24, 70, 0.991, 0.990, 2.0, None, Path("lenet.keras"))


def until_cancelled(samples=None, base_model=None, out=None, progress=None, should_stop=None, **_):
    """Runs (reporting progress) until ``should_stop()``; never writes anything."""
    stop = threading.Event()
    for step in range(1, 6000):
        progress(step, 6000, "training")
        if should_stop():
            raise AdaptCancelled("cancelled")
        stop.wait(0.01)
    raise RuntimeError("never cancelled")


def too_few(samples=None, **_):
    from digit_app.samples import SampleError

    raise SampleError(f"{samples}: 3 samples; adaptation needs at least 20 (correct more digits)")


def crashes(**_):
    import os

    os._exit(3)


def killed_while_writing(samples=None, base_model=None, out=None, progress=None, should_stop=None, **_):
    """Starts writing the model (half of it, under its temporary name, as the real save does),
    says so, then waits to be killed."""
    from digit_app import atomic
    from digit_app.model.metadata import metadata_path

    atomic.temp_path(Path(out)).parent.mkdir(parents=True, exist_ok=True)
    atomic.temp_path(Path(out)).write_bytes(b"half a model")
    atomic.temp_path(metadata_path(Path(out))).write_bytes(b"{")
    progress(1, 2, "writing")
    threading.Event().wait(120)
    raise RuntimeError("never killed")
