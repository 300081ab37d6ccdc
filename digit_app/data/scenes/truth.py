"""What a scene is: its image and exact ground truth (digits, numbers, distractors), and how
the truth is taken from the inks drawn."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from digit_app.boxes import union_box
from digit_app.data.scenes.config import SceneConfig
from digit_app.data.scenes.ink import Ink, ink_box
from digit_app.data.scenes.layout import overlap, reading_order
from digit_app.types import Box

__all__ = ["Box", "Scene", "TruthDigit", "TruthNumber", "assemble"]


@dataclass(frozen=True)
class TruthDigit:
    label: int
    box: Box  # tight around the digit's visible ink in Scene.image
    touching: bool = False  # its ink touches a neighbour's (the touching kind)


@dataclass(frozen=True)
class TruthNumber:
    text: str  # labels of its digits, left to right
    box: Box  # union of its digits' boxes
    digits: tuple[int, ...]  # indexes into Scene.digits, left to right


@dataclass(frozen=True)
class Scene:
    kind: str
    image: np.ndarray = field(repr=False, compare=False)  # H x W x 3 uint8 BGR, read-only
    digits: tuple[TruthDigit, ...]  # grouped by number; numbers in reading order
    numbers: tuple[TruthNumber, ...]  # reading order: top to bottom, then left to right
    # Non-digit things drawn: printed words, ruled lines and table borders, pieces of lines,
    # ink blots, smudges; in webcam frames also visible pieces of background clutter
    # (those whose box does not reach over a digit).
    distractors: tuple[Box, ...]
    # The sheet's corners in the image (top-left, top-right, bottom-right, bottom-left; x, y
    # in pixels, possibly outside the image where the sheet runs out of the frame) in webcam
    # frames: what the pipeline's sheet finder should find. None for the other kinds.
    sheet: tuple[tuple[float, float], ...] | None = None


def assemble(
    kind: str,
    image: np.ndarray,
    groups: Sequence[Sequence[Ink]],
    distractor_inks: Sequence[Ink],
    M: np.ndarray | None,
    cfg: SceneConfig,
    extra_distractors: Sequence[Box] = (),
    sheet: np.ndarray | None = None,
) -> Scene | None:
    """The scene of ``image`` (made read-only) with truth from the inks: ``groups`` one list
    of digit inks per number, drawn on a page that ``M`` (3x3, None: identity) carried into
    the image; ``sheet`` the corners of the sheet in the image (``4 x 2``, webcam frames).
    None if a digit vanished or two digit boxes overlap (the caller retries)."""
    size = (image.shape[1], image.shape[0])
    numbers: list[list[tuple[Box, int]]] = []
    for group in groups:
        labelled = []
        for ink in group:
            box = ink_box(ink, M, size, cfg.truth_level)
            if box is None:
                return None
            labelled.append((box, ink.label))
        numbers.append(sorted(labelled, key=lambda t: t[0][0]))
    all_boxes = [b for num in numbers for b, _ in num]
    for i in range(len(all_boxes)):
        for j in range(i + 1, len(all_boxes)):
            if overlap(all_boxes[i], all_boxes[j]):
                return None
    unions = [union_box([b for b, _ in num]) for num in numbers]
    digits: list[TruthDigit] = []
    truth_numbers: list[TruthNumber] = []
    for k in reading_order(unions):
        start = len(digits)
        digits.extend(TruthDigit(lab, b) for b, lab in numbers[k])
        text = "".join(str(lab) for _, lab in numbers[k])
        truth_numbers.append(TruthNumber(text, unions[k], tuple(range(start, len(digits)))))
    distractors = [b for b in (ink_box(ink, M, size, cfg.truth_level) for ink in distractor_inks)
                   if b is not None]
    # background pieces (clutter) whose box would reach over a digit are left out
    distractors += [b for b in extra_distractors if not any(overlap(b, d) for d in all_boxes)]
    image.setflags(write=False)
    corners = None if sheet is None else tuple((float(x), float(y)) for x, y in np.asarray(sheet))
    return Scene(kind, image, tuple(digits), tuple(truth_numbers), tuple(distractors), corners)
