"""Printed glyphs as training samples: letters for "not a digit", and printed digits.

The ink crops of :mod:`digit_app.data.printed` through ``normalize_digit``, the function the
pipeline applies to its crops (train/serve parity), in the model's layout
``N x 32 x 32 x 1 float32``, like ``training_data.make_negatives``.
"""
from __future__ import annotations

import numpy as np

from digit_app.data.printed import (
    DEFAULT_PRINTED,
    PrintedConfig,
    font_paths,
    printed_digit,
    printed_letter,
)
from digit_app.pipeline.normalize import DEFAULT_NORMALIZE, NormalizeConfig, normalize_digit
from digit_app.types import NOT_A_DIGIT


def make_printed_negatives(n: int, rng: np.random.Generator,
                           norm: NormalizeConfig = DEFAULT_NORMALIZE,
                           cfg: PrintedConfig = DEFAULT_PRINTED) -> np.ndarray:
    """``n`` printed letters as the model sees them (``n x 32 x 32 x 1 float32``), all of
    the "not a digit" class (label ``NOT_A_DIGIT``), like ``training_data.make_negatives``."""
    fonts = font_paths()
    out = np.empty((n, 32, 32, 1), np.float32)
    for i in range(n):
        out[i, :, :, 0] = normalize_digit(printed_letter(rng, cfg, fonts), norm)
    return out


def make_printed_digits(n: int, rng: np.random.Generator,
                        norm: NormalizeConfig = DEFAULT_NORMALIZE,
                        cfg: PrintedConfig = DEFAULT_PRINTED,
                        as_digits: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` printed digits as the model sees them.

    Returns ``(x: n x 32 x 32 x 1 float32, digits: n int64 (the value printed, 0-9),
    as_digit: n bool)``; ``as_digit`` is ``as_digits`` for every sample: the training label
    is ``np.where(as_digit, digits, NOT_A_DIGIT)`` (see :func:`printed_labels`). Reading
    printed digits as digits (the default) leaves it to the pipeline to tell print from
    handwriting by its word or line.
    """
    fonts = font_paths()
    out = np.empty((n, 32, 32, 1), np.float32)
    digits = np.empty(n, np.int64)
    for i in range(n):
        crop, digits[i] = printed_digit(rng, cfg, fonts)
        out[i, :, :, 0] = normalize_digit(crop, norm)
    return out, digits, np.full(n, bool(as_digits))


def printed_labels(digits: np.ndarray, as_digit: np.ndarray) -> np.ndarray:
    """Training labels (int64) of printed digits: the digit, or ``NOT_A_DIGIT``."""
    return np.where(as_digit, digits, NOT_A_DIGIT).astype(np.int64)
