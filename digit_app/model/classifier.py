"""Loading a model file and running it on batches: the only place that touches tensors.

``Classifier.predict`` takes ``N x 32 x 32 x 1 float32`` and returns ``N x 11 float32``
probabilities (class 10 = "not a digit") with one direct call: of the model's LiteRT form
(:mod:`.lite_files`, no TensorFlow imported) when LiteRT runs here, else of a compiled
TensorFlow function of the ``.keras`` file. Either is tens of times cheaper than
``model.predict`` for the small batches of live recognition.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from digit_app.model import lite, lite_files
from digit_app.model.metadata import ModelError, ModelInfo, read_info
from digit_app.types import NUM_CLASSES

#: The model shipped with the application (produced by `digit-app train`).
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "lenet.keras"
MAX_BATCH = 4096  # larger inputs are split, so memory stays bounded
#: ``auto`` (LiteRT where it runs, else TensorFlow), ``litert`` or ``tensorflow``.
BACKEND_ENV = "DIGIT_APP_BACKEND"
BACKENDS = ("auto", "litert", "tensorflow")


def check_model_file(path: Path) -> None:
    """ModelError unless ``path`` is an existing ``.keras`` file (nothing imported)."""
    if not path.exists():
        raise ModelError(f"{path}: model file not found")
    if not path.is_file():
        raise ModelError(f"{path}: not a file")
    if path.suffix != ".keras":
        raise ModelError(f"{path}: expected a .keras model file")


def load_keras_model(path: Path | str, outputs: int = NUM_CLASSES,
                     input_shape: tuple[int, int, int] = (32, 32, 1)):
    """Load a ``.keras`` file with ``safe_mode=True``; ModelError with the path on any failure,
    or when it does not take ``input_shape`` crops to ``outputs`` values (the digit model's
    ``32 x 32 x 1`` to 11 classes; 1 for the print detector; ``32 x 64 x 1`` to 21 for the
    pair reader)."""
    from digit_app.model.quiet import import_keras

    path = Path(path)
    check_model_file(path)
    keras = import_keras()
    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as exc:  # Keras raises many types for a damaged archive
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelError(f"{path}: damaged or unreadable model file ({reason})") from exc
    shape = tuple(model.input_shape[1:])
    if shape != tuple(input_shape) or model.output_shape[-1] != outputs:
        raise ModelError(
            f"{path}: not a digit-app model (input {shape}, {model.output_shape[-1]} outputs)"
        )
    return model


def _backend(choice: str | None) -> str:
    choice = choice or os.environ.get(BACKEND_ENV) or "auto"
    if choice not in BACKENDS:
        raise ModelError(f"{BACKEND_ENV}={choice}: expected one of {', '.join(BACKENDS)}")
    return choice


def open_model(path: Path, choice: str, outputs: int = NUM_CLASSES,
               input_shape: tuple[int, int, int] = (32, 32, 1)):
    """``(LiteRT runner, None)`` of the checked model file ``path`` where LiteRT runs it and
    ``choice`` (one of ``BACKENDS``, see :meth:`Classifier.load`) allows, else ``(None, Keras
    model)``; the model maps ``N x input_shape`` crops to ``outputs`` values. ModelError
    naming the file."""
    if choice != "tensorflow" and lite.available():
        runner = lite_files.runner_for(path, outputs, input_shape)
        if runner is not None:
            return runner, None
    if choice == "litert":
        raise ModelError(f"{path}: LiteRT cannot run this model here ({BACKEND_ENV}=litert)")
    return None, load_keras_model(path, outputs, input_shape)


class Classifier:
    """A loaded model plus its metadata, with fast batched inference."""

    def __init__(self, model, info: ModelInfo, path: Path | None = None, lite=None):
        """``model``: the Keras model, or None when ``lite`` (a :class:`~.lite.LiteRunner` of
        the same model) is given and ``path`` names the ``.keras`` file (then loaded, with
        TensorFlow, only if :attr:`model` is asked for)."""
        if model is None and (lite is None or path is None):
            raise ValueError("a Classifier needs the Keras model, or its LiteRT form and file")
        self._model = model
        self.info = info
        self.path = path
        self._lite = lite
        self._call = None if lite is not None else compiled(model)

    @classmethod
    def load(cls, path: Path | str | None = None, backend: str | None = None) -> Classifier:
        """The model file ``path`` (default: the shipped one). ``backend`` (default
        ``$DIGIT_APP_BACKEND``, else ``auto``): ``auto`` reads the model's LiteRT form without
        importing TensorFlow when LiteRT runs here, else the ``.keras`` file with TensorFlow;
        ``litert`` or ``tensorflow`` insist on one. ModelError naming the file on failure."""
        choice = _backend(backend)
        path = Path(path) if path is not None else DEFAULT_MODEL
        check_model_file(path)
        info = read_info(path)
        runner, model = open_model(path, choice)
        return cls(model, info, path, runner)

    @property
    def model(self):
        """The Keras model (loaded from :attr:`path` on first use when reading on LiteRT)."""
        if self._model is None:
            assert self.path is not None, "__init__ takes no model without its file"
            self._model = load_keras_model(self.path)
        return self._model

    @property
    def uses_lite(self) -> bool:
        return self._lite is not None

    @property
    def name(self) -> str:
        return self.path.name if self.path else self.model.name

    def predict(self, batch: np.ndarray) -> np.ndarray:
        """``N x 32 x 32 x 1 float32`` -> ``N x 11 float32`` probabilities; N may be 0."""
        batch = np.asarray(batch, dtype=np.float32)
        if batch.ndim == 3:
            batch = batch[..., None]
        if batch.shape[1:] != (32, 32, 1):
            raise ValueError(f"model input must be N x 32 x 32 x 1, got {batch.shape}")
        if len(batch) == 0:
            return np.zeros((0, NUM_CLASSES), np.float32)
        call = self._call  # None exactly when reading on LiteRT
        run = self._lite if call is None else (lambda b: call(b).numpy())
        return np.concatenate(
            [run(batch[i : i + MAX_BATCH]) for i in range(0, len(batch), MAX_BATCH)]
        )


def compiled(model):
    """A TensorFlow function running the Keras ``model`` in inference mode."""
    from digit_app.model.quiet import import_tensorflow

    tf = import_tensorflow()
    return tf.function(
        lambda x: model(x, training=False),
        input_signature=[tf.TensorSpec([None, *model.input_shape[1:]], tf.float32)],
    )
