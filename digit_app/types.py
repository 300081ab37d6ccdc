"""Small frozen dataclasses that cross layer boundaries (never Qt or tensor objects).

Boxes are ``(x, y, w, h)`` in integer pixels of the image that was recognized.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

Box = tuple[int, int, int, int]

#: Class index the model uses for "not a digit" (classes 0-9 are the digits).
NOT_A_DIGIT = 10
NUM_CLASSES = 11


@dataclass(frozen=True)
class Digit:
    """One accepted digit: ``label`` 0-9, ``confidence`` in [0, 1], ``top`` the best classes."""

    label: int
    confidence: float
    box: Box
    top: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class Number:
    """Digits read together as one number; ``digits`` are indexes into ``Recognition.digits``."""

    text: str
    confidence: float
    box: Box
    digits: tuple[int, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A crop the model looked at, accepted or not (for overlays, corrections, debugging).

    ``probabilities`` has one entry per class (``NUM_CLASSES``, the last is "not a digit");
    ``model_input`` is the normalized 32x32 float32 image the network saw.
    """

    box: Box
    probabilities: tuple[float, ...]
    accepted: bool
    digit_index: int | None = None
    model_input: np.ndarray | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Recognition:
    """Everything read from one image: digits in reading order and numbers built from them."""

    width: int
    height: int
    digits: tuple[Digit, ...] = ()
    numbers: tuple[Number, ...] = ()
    candidates: tuple[Candidate, ...] = field(default=(), repr=False)
