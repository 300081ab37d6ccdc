"""TensorFlow imported without its start-up chatter, and native output silenced.

Every TensorFlow or Keras import of the app goes through :func:`import_tensorflow` or
:func:`import_keras`. On CPUs where oneDNN runs (x86-64 with AVX-512 at least),
``import tensorflow`` writes "All log messages before absl::InitializeLog()..." and a oneDNN
notice to file descriptor 2, twice, whatever ``TF_CPP_MIN_LOG_LEVEL`` says: absl logs them
before TensorFlow reads that variable. Only ``TF_ENABLE_ONEDNN_OPTS=0`` stops them, and it
turns oneDNN's faster kernels off, so the import runs with descriptor 2 on the null device
instead. ``TF_CPP_MIN_LOG_LEVEL=2`` (set unless the user set it) keeps TensorFlow's later
informational lines out; spawned processes inherit it with the environment.
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading

#: Environment set before the first TensorFlow import (a value the user set is kept).
TF_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "2"}

_import_lock = threading.Lock()


def set_tensorflow_environment() -> None:
    for name, value in TF_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def import_tensorflow():
    """The ``tensorflow`` module, imported (once) with its start-up lines silenced."""
    with _import_lock:
        if "tensorflow" not in sys.modules:
            set_tensorflow_environment()
            with quiet_output(stdout=False):
                import tensorflow  # noqa: F401
    return sys.modules["tensorflow"]


def import_keras():
    """The ``keras`` module (TensorFlow backend), imported quietly like :func:`import_tensorflow`."""
    import_tensorflow()
    import keras

    return keras


@contextlib.contextmanager
def quiet_output(stdout: bool = True, stderr: bool = True):
    """Send what native code and ``print`` write to stdout and/or stderr to the null device
    for the duration (the command line's stdout is one JSON document). Process-wide: another
    thread's output in the meantime is lost too."""
    fds = [fd for fd, on in ((1, stdout), (2, stderr)) if on]
    streams = [s for s, on in ((sys.stdout, stdout), (sys.stderr, stderr)) if on and s is not None]
    for stream in streams:
        stream.flush()
    try:
        saved = [os.dup(fd) for fd in fds]
    except OSError:  # no standard streams at all (a windowed app): nothing to silence
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        for fd in fds:
            os.dup2(null, fd)
        yield
    finally:
        for stream in streams:
            with contextlib.suppress(Exception):
                stream.flush()
        for fd, copy in zip(fds, saved):
            os.dup2(copy, fd)
        for fd in (*saved, null):
            os.close(fd)
