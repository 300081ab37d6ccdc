"""Scoring a recognizer's output on a synthetic ``Scene`` against its ground truth.

Pure functions on boxes, labels and strings: nothing here knows about the model or the
pipeline, so any reader (the app's recognizer, a baseline, a hand-written answer) can be scored.

Matching of a reported box to a truth box: IoU at least ``iou``, or each box's centre lies
inside the other box (mutual centre containment, which tolerates a loose or tight box
around the same ink but not one box spanning two digits). Matching is one-to-one, best IoU
first.

Counts, per scene (``SceneScore``), summed over scenes by ``SceneScore.merge``:

- ``truth_digits``, ``reported_digits``;
- ``matched_digits``: reported digits matched to a truth digit; ``correct_labels`` among them;
- ``false_detections``: reported digits matched to no truth digit, split into
  ``false_on_digits`` (mostly on a truth digit's box: a fragment, a duplicate) and the others,
  the *non-digits* (something that is not a digit reported as one); ``false_on_distractors``
  are the non-digits that overlap a distractor (a printed word, a line, a blot, clutter);
- ``truth_numbers``, ``reported_numbers``, ``exact_numbers``: truth numbers for which a
  reported number has a matching box and exactly the same text;
- ``touching_digits``: truth digits whose ink touches a neighbour's (``touching`` scenes),
  ``touching_correct`` those matched by a reported digit of the right label;
- ``sheets``: webcam frames whose sheet leaves some desk in view, and how the reader's sheet
  (a mask, when it reports one) fared on them (:func:`score_sheet`): ``sheets_found``,
  ``sheets_missed`` (no sheet found: the desk is read as if it were paper),
  ``sheets_leaked`` (the sheet found runs onto the desk).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from enum import Enum

import cv2
import numpy as np

from digit_app.boxes import area, intersection_area, iou, match
from digit_app.data.scenes import Scene
from digit_app.types import Box

__all__ = [
    "SceneScore",
    "SheetOutcome",
    "area",
    "boxes_match",
    "intersection",
    "iou",
    "match_boxes",
    "merge_scores",
    "score_scene",
    "score_sheet",
]


@dataclass
class SceneScore:
    truth_digits: int = 0
    reported_digits: int = 0
    matched_digits: int = 0
    correct_labels: int = 0
    false_detections: int = 0
    false_on_digits: int = 0
    false_on_distractors: int = 0
    truth_numbers: int = 0
    reported_numbers: int = 0
    exact_numbers: int = 0
    touching_digits: int = 0  # truth digits whose ink touches a neighbour's
    touching_correct: int = 0  # ... matched by a reported digit of the right label
    sheets: int = 0  # frames with a sheet to find (see score_sheet)
    sheets_found: int = 0
    sheets_missed: int = 0
    sheets_leaked: int = 0

    @property
    def non_digits(self) -> int:
        """Reported digits that are on no digit at all."""
        return self.false_detections - self.false_on_digits

    @classmethod
    def merge(cls, scores: Iterable[SceneScore]) -> SceneScore:
        """The sum of the counts of several scenes."""
        total = cls()
        for score in scores:
            for f in fields(cls):
                setattr(total, f.name, getattr(total, f.name) + getattr(score, f.name))
        return total

    def summary(self) -> dict[str, float]:
        """Rates in [0, 1]. A rate with nothing to count is 1.0 (0.0 for the error rates)."""
        return {
            "detection_recall": _rate(self.matched_digits, self.truth_digits, 1.0),
            "detection_precision": _rate(self.matched_digits, self.reported_digits, 1.0),
            "digit_accuracy": _rate(self.correct_labels, self.matched_digits, 1.0),
            "exact_number_rate": _rate(self.exact_numbers, self.truth_numbers, 1.0),
            "non_digit_rate": _rate(self.non_digits, self.reported_digits, 0.0),
            "distractor_rate": _rate(self.false_on_distractors, self.reported_digits, 0.0),
            "touching_digit_accuracy": _rate(self.touching_correct, self.touching_digits, 1.0),
            "sheet_found_rate": _rate(self.sheets_found, self.sheets, 1.0),
            "sheet_missed_rate": _rate(self.sheets_missed, self.sheets, 0.0),
            "sheet_leak_rate": _rate(self.sheets_leaked, self.sheets, 0.0),
        }


def merge_scores(scores: Iterable[SceneScore]) -> SceneScore:
    return SceneScore.merge(scores)


def _rate(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


#: The overlap of a reported and a truth box, in pixels (half-open boxes: see :mod:`digit_app.boxes`).
intersection = intersection_area


def _centre_inside(a: Box, b: Box) -> bool:
    """The centre of ``a`` lies inside ``b``, edges included: a centre is a point between
    pixels, and one that falls on the box's outline still counts."""
    cx, cy = a[0] + a[2] / 2, a[1] + a[3] / 2
    return b[0] <= cx <= b[0] + b[2] and b[1] <= cy <= b[1] + b[3]


def _centres_inside(truth: Box, reported: Box) -> bool:
    """Each box's centre lies inside the other (the rule for boxes that overlap too little)."""
    return _centre_inside(truth, reported) and _centre_inside(reported, truth)


def boxes_match(truth: Box, reported: Box, min_iou: float = 0.3) -> bool:
    """Whether a reported box may stand for a truth box: IoU at least ``min_iou``, or
    mutual centre containment."""
    return iou(truth, reported) >= min_iou or _centres_inside(truth, reported)


def match_boxes(
    truth: Sequence[Box],
    reported: Sequence[Box],
    min_iou: float = 0.3,
    compatible: Callable[[int, int], bool] | None = None,
) -> list[tuple[int, int]]:
    """One-to-one ``(truth index, reported index)`` pairs of boxes that match
    (:func:`boxes_match`), best IoU first (:func:`digit_app.boxes.match`).

    ``compatible(ti, ri)``, if given, must also hold for a pair (e.g. equal text).
    """
    return match(truth, reported, min_iou, accept=_centres_inside, compatible=compatible)


def exact_numbers(scene: Scene, numbers: Sequence[tuple[str, Box]], iou: float = 0.3) -> set[int]:
    """Indexes of ``scene``'s truth numbers read exactly: matched by a reported number
    (``(text, box)``) of the same text."""
    exact = match_boxes(
        [n.box for n in scene.numbers],
        [box for _, box in numbers],
        iou,
        compatible=lambda ti, ri: scene.numbers[ti].text == str(numbers[ri][0]),
    )
    return {ti for ti, _ in exact}


class SheetOutcome(Enum):
    """How a reader's sheet compares with a frame's true one (:func:`score_sheet`)."""

    NONE = "none"  # no sheet to find: it fills the frame (or the scene has none)
    FOUND = "found"
    MISSED = "missed"  # the reader found no sheet
    LEAKED = "leaked"  # its sheet runs onto the desk
    SHORT = "short"  # its sheet is on the paper but leaves much of it, or some writing, out


#: A sheet covering this share of the frame leaves no desk to keep out (a reader needs no mask).
SHEET_FILLS_FRAME = 0.9
#: A sheet found keeps at least this share of itself on the true sheet (its blurred border
#: band aside) ...
SHEET_MIN_PRECISION = 0.97
#: ... and covers at least this share of the true sheet (readers keep clear of its border) ...
SHEET_MIN_RECALL = 0.8
#: ... and of each digit written on it: a sheet carved around a digit drops it, however much
#: paper it covers.
SHEET_MIN_DIGIT_COVER = 0.9


def score_sheet(corners: Sequence[tuple[float, float]] | None, page: np.ndarray | None,
                shape: tuple[int, int], digits: Sequence[Box] = ()) -> SheetOutcome:
    """How the sheet a reader found (``page``: ``H x W`` mask, non-zero on the sheet, or None
    for none) compares with the true one (``corners``: its 4 corners, x, y in pixels, in an
    image of ``shape`` rows and columns; None: the scene has no sheet). ``digits``, the boxes
    of the digits written on the sheet: one the sheet found leaves partly out makes it SHORT."""
    if corners is None:
        return SheetOutcome.NONE
    truth = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(truth, np.round(np.asarray(corners, np.float64)).astype(np.int32), 1)
    true_area = int(np.count_nonzero(truth))
    if true_area >= SHEET_FILLS_FRAME * truth.size:
        return SheetOutcome.NONE
    if page is None:
        return SheetOutcome.MISSED
    if page.shape != tuple(shape):
        raise ValueError(f"sheet mask of shape {page.shape} for an image of {tuple(shape)}")
    found = page > 0
    on_sheet = int(np.count_nonzero(found & (truth > 0)))
    if on_sheet < SHEET_MIN_PRECISION * max(int(np.count_nonzero(found)), 1):
        return SheetOutcome.LEAKED
    if on_sheet < SHEET_MIN_RECALL * true_area:
        return SheetOutcome.SHORT
    for x, y, w, h in digits:
        inside = found[max(y, 0):y + h, max(x, 0):x + w]
        if np.count_nonzero(inside) < SHEET_MIN_DIGIT_COVER * max(inside.size, 1):
            return SheetOutcome.SHORT
    return SheetOutcome.FOUND


def score_scene(
    scene: Scene,
    digit_boxes: Sequence[Box],
    digit_labels: Sequence[int],
    numbers: Sequence[tuple[str, Box]],
    iou: float = 0.3,
    cover: float = 0.5,
    sheet: SheetOutcome = SheetOutcome.NONE,
) -> SceneScore:
    """Counts for one scene. ``cover``: the part of a false detection's area that a truth
    digit's box must cover for it to count as a fragment/duplicate rather than a non-digit;
    ``sheet``: how the reader found the sheet of a webcam frame (:func:`score_sheet`)."""
    if len(digit_boxes) != len(digit_labels):
        raise ValueError(f"{len(digit_boxes)} digit boxes but {len(digit_labels)} labels")
    truth_boxes = [d.box for d in scene.digits]
    pairs = match_boxes(truth_boxes, digit_boxes, iou)
    matched = {ri for _, ri in pairs}
    right = [ti for ti, ri in pairs if int(scene.digits[ti].label) == int(digit_labels[ri])]
    correct = len(right)
    touching = sum(1 for d in scene.digits if d.touching)
    touching_correct = sum(1 for ti in right if scene.digits[ti].touching)

    false_on_digits = false_on_distractors = 0
    for ri, box in enumerate(digit_boxes):
        if ri in matched:
            continue
        a = max(area(box), 1)
        if any(intersection(box, t) / a >= cover for t in truth_boxes):
            false_on_digits += 1
        elif any(intersection(box, d) > 0 for d in scene.distractors):
            false_on_distractors += 1

    return SceneScore(
        truth_digits=len(truth_boxes),
        reported_digits=len(digit_boxes),
        matched_digits=len(pairs),
        correct_labels=correct,
        false_detections=len(digit_boxes) - len(pairs),
        false_on_digits=false_on_digits,
        false_on_distractors=false_on_distractors,
        truth_numbers=len(scene.numbers),
        reported_numbers=len(numbers),
        exact_numbers=len(exact_numbers(scene, numbers, iou)),
        touching_digits=touching,
        touching_correct=touching_correct,
        sheets=int(sheet is not SheetOutcome.NONE),
        sheets_found=int(sheet is SheetOutcome.FOUND),
        sheets_missed=int(sheet is SheetOutcome.MISSED),
        sheets_leaked=int(sheet is SheetOutcome.LEAKED),
    )
