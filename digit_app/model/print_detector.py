"""The print detector: how likely a crop is print rather than handwriting.

A small convolutional net (``digit-app train --print-model``) reads the same normalized crop
as the digit model, ``N x 32 x 32 x 1 float32``, and gives the probability that it is a
printed glyph (a label's digit, a letter of a font) rather than handwriting: ``N float32``.
Its files sit beside the digit model's: ``models/printed.keras`` (training artefact),
``printed.tflite`` + ``printed.lite.json`` (the reading path, no TensorFlow) and
``printed.json`` (how it was trained and what it measured, with the normalization it expects).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from digit_app.model.classifier import DEFAULT_MODEL, MAX_BATCH, _backend, check_model_file, compiled, open_model
from digit_app.model.metadata import ModelError, from_fields, metadata_path, read_json_object

#: The detector shipped with the application, beside the digit model.
DEFAULT_PRINT_MODEL = DEFAULT_MODEL.with_name("printed.keras")
KIND = "print detector"


@dataclass
class PrintModelInfo:
    """What ``printed.json`` records."""

    kind: str = KIND
    input_shape: tuple[int, int, int] = (32, 32, 1)
    output: str = "probability that the crop is printed, not handwritten"
    normalization: dict[str, Any] = field(default_factory=dict)
    parameters: int = 0
    training: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"


def read_print_info(model_path: Path | str) -> PrintModelInfo:
    """The metadata beside a print detector; ModelError naming the file when it is missing,
    not JSON, or not a print detector's."""
    path = metadata_path(model_path)
    raw = read_json_object(path, "print detector metadata", Path(model_path).name)
    if raw.get("kind") != KIND:
        raise ModelError(f"{path}: not the metadata of a print detector")
    info = from_fields(PrintModelInfo, raw, path, "print detector metadata")
    if not isinstance(info.normalization, dict):
        raise ModelError(f"{path}: malformed print detector metadata (normalization)")
    return info


class PrintDetector:
    """A loaded print detector: ``predict`` maps crops to print probabilities."""

    def __init__(self, run, info: PrintModelInfo, path: Path | None = None):
        """``run``: a callable ``N x 32 x 32 x 1 float32`` (N >= 1) -> ``N x 1`` (a LiteRT
        runner, or a compiled TensorFlow function returning numpy)."""
        self._run = run
        self.info = info
        self.path = path

    @classmethod
    def load(cls, path: Path | str | None = None, backend: str | None = None) -> PrintDetector:
        """The detector file ``path`` (default: the shipped one), on LiteRT without
        TensorFlow where it runs, else TensorFlow, as :meth:`Classifier.load` decides.
        ModelError naming the file when it is missing, damaged or not a print detector."""
        choice = _backend(backend)
        path = Path(path) if path is not None else DEFAULT_PRINT_MODEL
        check_model_file(path)
        info = read_print_info(path)
        runner, model = open_model(path, choice, outputs=1)
        if runner is not None:
            return cls(runner, info, path)
        call = compiled(model)
        return cls(lambda b: call(b).numpy(), info, path)

    def expects(self, normalization: dict[str, Any]) -> bool:
        """Whether crops normalized as ``normalization`` (a digit model's) are what this
        detector was trained on."""
        return all(normalization.get(k) == v for k, v in self.info.normalization.items())

    def predict(self, batch: np.ndarray) -> np.ndarray:
        """``N x 32 x 32 x 1 float32`` -> ``N float32`` print probabilities; N may be 0."""
        batch = np.asarray(batch, np.float32).reshape(-1, 32, 32, 1)
        if len(batch) == 0:
            return np.zeros(0, np.float32)
        return np.concatenate(
            [np.asarray(self._run(batch[i: i + MAX_BATCH])).reshape(-1)
             for i in range(0, len(batch), MAX_BATCH)]
        ).astype(np.float32)
