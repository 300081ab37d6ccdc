"""The print detector: how likely a crop is print rather than handwriting.

A small convolutional net (``digit-app train --print-model``) reads the same normalized crop
as the digit model, ``N x 32 x 32 x 1 float32``, and gives the probability that it is a
printed glyph (a label's digit, a letter of a font) rather than handwriting: ``N float32``.
Its files sit beside the digit model's: ``models/printed.keras`` (training artefact),
``printed.tflite`` + ``printed.lite.json`` (the reading path, no TensorFlow) and
``printed.json`` (how it was trained and what it measured, with the normalization it expects).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digit_app.model.classifier import DEFAULT_MODEL
from digit_app.model.helper_model import HelperInfo, HelperModel

#: The detector shipped with the application, beside the digit model.
DEFAULT_PRINT_MODEL = DEFAULT_MODEL.with_name("printed.keras")
KIND = "print detector"


@dataclass
class PrintModelInfo(HelperInfo):
    """What ``printed.json`` records."""

    kind: str = KIND
    input_shape: tuple[int, int, int] = (32, 32, 1)
    output: str = "probability that the crop is printed, not handwritten"


class PrintDetector(HelperModel):
    """A loaded print detector: ``predict`` maps crops to print probabilities."""

    INFO = PrintModelInfo
    DEFAULT = DEFAULT_PRINT_MODEL

    def predict(self, batch: np.ndarray) -> np.ndarray:
        """``N x 32 x 32 x 1 float32`` -> ``N float32`` print probabilities; N may be 0."""
        return self.outputs(batch).reshape(-1)
