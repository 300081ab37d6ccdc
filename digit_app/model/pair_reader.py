"""The pair reader: two touching or overlapping digits read together (issue 13).

A small convolutional net (``digit-app train --pair-model``) reads a crop holding two digits,
normalized by ``normalize_pair`` (``N x 32 x 64 x 1 float32``), and gives ``N x 21 float32``:
the left digit's 10 probabilities, the right digit's 10, and the probability that the crop
is two whole digits at all (the columns ``PAIR_LEFT``, ``PAIR_RIGHT`` and ``PAIR_TWO`` of
:mod:`digit_app.pipeline.graph`, which reads them). The segmentation graph offers it the runs of
pieces that column cuts cannot part (:mod:`digit_app.pipeline.segment`).

Its files sit beside the digit model's: ``models/pairs.keras`` (training artefact),
``pairs.tflite`` + ``pairs.lite.json`` (the reading path, no TensorFlow) and ``pairs.json``
(how it was trained, what it measured, the normalization it expects).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digit_app.model.classifier import DEFAULT_MODEL
from digit_app.model.helper_model import HelperInfo, HelperModel
from digit_app.pipeline.graph import PAIR_OUTPUTS
from digit_app.pipeline.normalize import PAIR_HEIGHT, PAIR_WIDTH

#: The pair reader shipped with the application, beside the digit model.
DEFAULT_PAIR_MODEL = DEFAULT_MODEL.with_name("pairs.keras")
KIND = "pair reader"
INPUT_SHAPE = (PAIR_HEIGHT, PAIR_WIDTH, 1)


@dataclass
class PairModelInfo(HelperInfo):
    """What ``pairs.json`` records."""

    kind: str = KIND
    input_shape: tuple[int, int, int] = INPUT_SHAPE
    output: str = "left digit (10), right digit (10), probability of two whole digits (1)"


class PairReader(HelperModel):
    """A loaded pair reader: ``predict`` maps pair crops to their 21 outputs."""

    INFO = PairModelInfo
    INPUT_SHAPE = INPUT_SHAPE
    OUTPUTS = PAIR_OUTPUTS
    DEFAULT = DEFAULT_PAIR_MODEL

    def predict(self, batch: np.ndarray) -> np.ndarray:
        """``N x 32 x 64 x 1 float32`` -> ``N x 21 float32``; N may be 0."""
        return self.outputs(batch)
