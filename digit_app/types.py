"""Small frozen dataclasses that cross layer boundaries (never Qt or tensor objects).

Boxes are ``(x, y, w, h)`` in integer pixels of the image that was recognized; their
arithmetic (area, IoU, union, matching) is in :mod:`digit_app.boxes`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from digit_app.boxes import union_box

#: ``(x, y, w, h)``: a half-open box of integer pixels (see :mod:`digit_app.boxes`).
Box = tuple[int, int, int, int]

#: Class index the model uses for "not a digit" (classes 0-9 are the digits).
NOT_A_DIGIT = 10
NUM_CLASSES = 11
#: Name of each class, by index (the model's metadata and the labels shown to the user).
CLASS_NAMES = tuple(str(d) for d in range(10)) + ("not a digit",)


@dataclass(frozen=True)
class Digit:
    """One accepted digit: ``label`` 0-9, ``confidence`` in [0, 1], ``top`` the best classes."""

    label: int
    confidence: float
    box: Box
    top: tuple[tuple[int, float], ...] = ()
    #: Printed (a label, a page number), not handwritten; reported only on request.
    printed: bool = False


@dataclass(frozen=True)
class Number:
    """Digits read together as one number; ``digits`` are indexes into ``Recognition.digits``."""

    text: str
    confidence: float
    box: Box
    digits: tuple[int, ...] = ()
    printed: bool = False  # all its digits are printed

    @classmethod
    def of(cls, digits: Sequence[Digit], group: Sequence[int]) -> Number:
        """The number made of ``digits[i]`` for ``i`` in ``group``, in that order."""
        members = [digits[i] for i in group]
        # The number is right only if every digit is: the product of their confidences.
        return cls(
            text="".join(str(d.label) for d in members),
            confidence=float(np.prod([d.confidence for d in members])),
            box=union_box([d.box for d in members]),
            digits=tuple(int(i) for i in group),
            printed=all(d.printed for d in members),
        )


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
    printed: bool = False  # part of printed text (a word, or a printed digit)


@dataclass(frozen=True)
class Recognition:
    """Everything read from one image: digits in reading order and numbers built from them."""

    width: int
    height: int
    digits: tuple[Digit, ...] = ()
    numbers: tuple[Number, ...] = ()
    candidates: tuple[Candidate, ...] = field(default=(), repr=False)
