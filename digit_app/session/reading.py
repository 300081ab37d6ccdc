"""What the GUI shows of a Recognition (no Qt): texts with "?", confidence levels, overlay items.

A digit whose confidence is below ``uncertain_below`` (the pipeline's ``min_confidence``), or a
crop the recognizer rejected although it looks most like a digit, is shown as "?" rather than
guessed; the same rule is used on the canvas, the camera picture, the document
page, the side panel and the results table.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from digit_app.types import NOT_A_DIGIT, NUM_CLASSES, Box, Candidate, Recognition

UNCERTAIN_MARK = "?"
#: Threshold below which a digit is shown as "?" when the config has no ``min_confidence``.
DEFAULT_UNCERTAIN_BELOW = 0.4
#: At or above this confidence a box is drawn in the "sure" colour.
HIGH_CONFIDENCE = 0.9

LEVEL_HIGH, LEVEL_MEDIUM, LEVEL_LOW = "high", "medium", "low"
#: A digit the user corrected (drawn in its own colour, whatever the model's confidence).
LEVEL_CORRECTED = "corrected"


def uncertain_threshold(config: object | None) -> float:
    """The "?" threshold: the pipeline's own reject threshold, so GUI and CLI agree."""
    value = getattr(config, "min_confidence", None)
    return float(value) if isinstance(value, (int, float)) else DEFAULT_UNCERTAIN_BELOW


def is_uncertain(confidence: float, uncertain_below: float) -> bool:
    return confidence < uncertain_below


def confidence_level(confidence: float, uncertain_below: float) -> str:
    """``"high"`` (sure), ``"medium"`` (read, but not sure) or ``"low"`` (shown as "?")."""
    if is_uncertain(confidence, uncertain_below):
        return LEVEL_LOW
    return LEVEL_HIGH if confidence >= max(HIGH_CONFIDENCE, uncertain_below) else LEVEL_MEDIUM


def digit_text(label: int, confidence: float, uncertain_below: float) -> str:
    return UNCERTAIN_MARK if is_uncertain(confidence, uncertain_below) else str(label)


def number_texts(rec: Recognition, uncertain_below: float) -> list[str]:
    """The text of every number, uncertain digits replaced by "?"."""
    out = []
    for number in rec.numbers:
        if number.digits and all(0 <= i < len(rec.digits) for i in number.digits):
            out.append("".join(
                digit_text(rec.digits[i].label, rec.digits[i].confidence, uncertain_below)
                for i in number.digits
            ))
        else:
            out.append(number.text)
    return out


def number_of_digit(rec: Recognition, digit_index: int) -> int | None:
    """Index of the number that holds digit ``digit_index``."""
    for n, number in enumerate(rec.numbers):
        if digit_index in number.digits:
            return n
    return None


def candidate_for_digit(rec: Recognition, digit_index: int) -> Candidate | None:
    for c in rec.candidates:
        if c.digit_index == digit_index:
            return c
    return None


def class_probabilities(rec: Recognition, digit_index: int) -> list[float]:
    """Probability of each class (0-9, then "not a digit") for one digit.

    From the candidate the model saw when there is one, else from the digit's top classes.
    """
    cand = candidate_for_digit(rec, digit_index)
    if cand is not None and len(cand.probabilities) == NUM_CLASSES:
        return [float(p) for p in cand.probabilities]
    probs = [0.0] * NUM_CLASSES
    digit = rec.digits[digit_index]
    for label, p in digit.top or ((digit.label, digit.confidence),):
        if 0 <= label < NUM_CLASSES:
            probs[label] = float(p)
    return probs


@dataclass(frozen=True)
class OverlayItem:
    """One box to paint: a digit (label + confidence) or a number (text, drawn lighter)."""

    box: Box
    text: str
    confidence: float
    level: str
    kind: str  # "digit", "number" or "rejected" (a crop the model would not read: "?")
    index: int  # index into Recognition.digits / .numbers / .candidates
    selected: bool = False


def rejected_digits(rec: Recognition) -> list[int]:
    """Candidates the recognizer rejected although their best class is a digit (too unsure)."""
    out = []
    for i, c in enumerate(rec.candidates):
        if not c.accepted and len(c.probabilities) == NUM_CLASSES:
            best = max(range(NUM_CLASSES), key=lambda k: c.probabilities[k])
            if best != NOT_A_DIGIT:
                out.append(i)
    return out


def overlay_items(rec: Recognition | None, uncertain_below: float, selected_digit: int | None = None,
                  selected_number: int | None = None, numbers: bool = True,
                  corrected: Collection[int] = ()) -> list[OverlayItem]:
    """Boxes to paint: numbers of two or more digits, every digit, and rejected crops as "?";
    the digits in ``corrected`` (indexes) get the "corrected" level."""
    if rec is None:
        return []
    items: list[OverlayItem] = []
    if numbers:
        texts = number_texts(rec, uncertain_below)
        for i, number in enumerate(rec.numbers):
            if len(number.digits) > 1 or i == selected_number:
                items.append(OverlayItem(number.box, texts[i], number.confidence,
                                         confidence_level(number.confidence, uncertain_below),
                                         "number", i, i == selected_number))
    for i, d in enumerate(rec.digits):
        level = LEVEL_CORRECTED if i in corrected else confidence_level(d.confidence, uncertain_below)
        items.append(OverlayItem(d.box, digit_text(d.label, d.confidence, uncertain_below),
                                 d.confidence, level, "digit", i, i == selected_digit))
    for i in rejected_digits(rec):
        c = rec.candidates[i]
        items.append(OverlayItem(c.box, UNCERTAIN_MARK, max(c.probabilities[:NOT_A_DIGIT]),
                                 LEVEL_LOW, "rejected", i))
    return items
