"""The model as LiteRT (TensorFlow Lite) with its XNNPACK CPU kernels: the reading path of
:class:`~digit_app.model.classifier.Classifier`.

On this 2-core machine a batch of 10 crops takes 0.6 ms through LiteRT against 3.4 ms through
TensorFlow's compiled function, with the same probabilities to 1e-6
(``benchmarks/bench_inference.py``). LiteRT (``ai-edge-litert``) is Google's maintained
runtime for such converted models; TensorFlow's own ``tf.lite.Interpreter`` is deprecated.
Importing it takes about 0.1 s and no TensorFlow; converting a Keras model (:func:`convert`)
needs TensorFlow and is done when the model is written (:mod:`.lite_files`).
"""
from __future__ import annotations

import importlib.util
import threading

import numpy as np

from digit_app.model.quiet import import_tensorflow, quiet_output

#: Threads LiteRT may use for one batch (the machines this targets have 2 cores).
THREADS = 2


def available() -> bool:
    """Whether LiteRT is installed here (checked without importing it)."""
    return importlib.util.find_spec("ai_edge_litert") is not None


class LiteRunner:
    """Runs a converted model on ``N x H x W x 1 float32`` batches (the model's own crop
    size: ``32 x 32`` for the digit model, ``32 x 64`` for the pair reader); safe to share between
    threads (one batch at a time: a LiteRT interpreter is not re-entrant).

    Raises ImportError when LiteRT cannot be imported here, ValueError (or RuntimeError)
    when ``flatbuffer`` is not a model LiteRT can run."""

    def __init__(self, flatbuffer: bytes):
        from ai_edge_litert.interpreter import Interpreter

        self._interpreter = Interpreter(model_content=flatbuffer, num_threads=THREADS)
        details = self._interpreter.get_input_details()[0]
        self._input = details["index"]
        self.sample_shape = tuple(int(v) for v in details["shape"][1:])
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._lock = threading.Lock()
        with quiet_output():  # the first allocation announces the CPU delegate on stderr
            self._plan(1)

    def _plan(self, n: int) -> None:
        self._interpreter.resize_tensor_input(self._input, [n, *self.sample_shape])
        self._interpreter.allocate_tensors()
        self._batch = n

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        """``N x H x W x 1 float32`` (N >= 1) -> ``N x outputs float32``."""
        with self._lock:
            if len(batch) != self._batch:  # re-planning the tensors costs a few microseconds
                self._plan(len(batch))
            self._interpreter.set_tensor(self._input, np.ascontiguousarray(batch, np.float32))
            self._interpreter.invoke()
            return self._interpreter.get_tensor(self._output).copy()


def convert(model) -> bytes:
    """The Keras ``model`` as a LiteRT flatbuffer (float32, no quantization)."""
    tf = import_tensorflow()
    with quiet_output():  # the converter prints its SavedModel export and MLIR passes
        return tf.lite.TFLiteConverter.from_keras_model(model).convert()


def converter_version() -> str:
    """What made the flatbuffers, for their metadata: ``tensorflow 2.21.0``."""
    return f"tensorflow {import_tensorflow().__version__}"
