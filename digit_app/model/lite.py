"""The model as LiteRT (TensorFlow Lite) with its XNNPACK CPU kernels: the fast path of
:class:`~digit_app.model.classifier.Classifier`.

On this 2-core machine a batch of 10 crops takes 0.6 ms through LiteRT against 3.4 ms through
TensorFlow's compiled function, with the same probabilities to 1e-6
(``benchmarks/bench_inference.py``). LiteRT (``ai-edge-litert``) is Google's maintained
runtime for such converted models; TensorFlow's own ``tf.lite.Interpreter`` is deprecated.

Converting a ``.keras`` file takes about a second, so the result is kept in the user's cache
folder (``$DIGIT_APP_CACHE`` overrides it), named by the SHA-256 of the model file: a changed
model is converted again, an unchanged one is read back. Anything that fails here (no LiteRT
for this platform, a model the converter refuses, an unwritable cache) leaves the caller on
TensorFlow, which gives the same answers, only slower.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sys
import threading
from pathlib import Path

import numpy as np

from digit_app import atomic, userdata

log = logging.getLogger(__name__)

#: Threads LiteRT may use for one batch (the machines this targets have 2 cores).
THREADS = 2


class LiteRunner:
    """Runs a converted model on ``N x 32 x 32 x 1 float32`` batches; safe to share between
    threads (one batch at a time: a LiteRT interpreter is not re-entrant)."""

    def __init__(self, flatbuffer: bytes):
        from ai_edge_litert.interpreter import Interpreter

        self._interpreter = Interpreter(model_content=flatbuffer, num_threads=THREADS)
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._lock = threading.Lock()
        with _quiet():  # the first allocation announces the CPU delegate on stderr
            self._plan(1)

    def _plan(self, n: int) -> None:
        self._interpreter.resize_tensor_input(self._input, [n, 32, 32, 1])
        self._interpreter.allocate_tensors()
        self._batch = n

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        """``N x 32 x 32 x 1 float32`` (N >= 1) -> ``N x classes float32``."""
        with self._lock:
            if len(batch) != self._batch:  # re-planning the tensors costs a few microseconds
                self._plan(len(batch))
            self._interpreter.set_tensor(self._input, np.ascontiguousarray(batch, np.float32))
            self._interpreter.invoke()
            return self._interpreter.get_tensor(self._output).copy()


def runner_for(model, path: Path) -> LiteRunner | None:
    """A :class:`LiteRunner` for the Keras ``model`` loaded from ``path``, converted once and
    cached; None (with the reason logged) when LiteRT cannot run it here."""
    try:
        cached = cache_path(path)
        if cached.is_file():
            try:
                return LiteRunner(cached.read_bytes())
            except Exception as exc:  # a damaged cache file: made again below
                log.info("LiteRT cache %s unreadable (%s): converting again", cached, exc)
        flatbuffer = convert(model)
        runner = LiteRunner(flatbuffer)
    except Exception as exc:  # ImportError (no LiteRT here), a model the converter refuses
        log.info("LiteRT unavailable for %s, using TensorFlow: %s", path, exc)
        return None
    try:
        atomic.atomic_write(cached, flatbuffer)
    except OSError as exc:  # a read-only cache only costs the conversion next time
        log.info("LiteRT model not cached at %s: %s", cached, exc)
    return runner


def cache_path(path: Path) -> Path:
    """Where the conversion of the model file ``path`` is kept."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]
    return userdata.cache_dir() / "lite" / f"{digest}.tflite"


def convert(model) -> bytes:
    """The Keras ``model`` as a LiteRT flatbuffer (float32, no quantization)."""
    import tensorflow as tf

    with _quiet():  # the converter prints its SavedModel export and MLIR passes
        return tf.lite.TFLiteConverter.from_keras_model(model).convert()


@contextlib.contextmanager
def _quiet():
    """Send what native code and ``print`` write to stdout and stderr to the null device for
    the duration (the command line's stdout is one JSON document)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    try:
        saved = [os.dup(1), os.dup(2)]
    except OSError:  # no standard streams at all (a windowed app): nothing to silence
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)
