"""The user's corrections applied to a reading (no Qt).

A :class:`Correction` is a box and the label the user gave it (0-9, or ``NOT_A_DIGIT``).
:func:`apply_corrections` returns the reading as it should be shown: a digit whose box matches a
correction takes its label (confidence 1) or disappears ("not a digit"); a crop the model
rejected ("?") becomes the corrected digit (or, "not a digit", is no longer shown); a box drawn
by hand around a missed digit is added.
Numbers are rebuilt when digits come or go. Matching is by box overlap, so a correction stays
on its digit when the same image is read again (another stroke on the canvas, new settings).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from digit_app.session.geometry import iou
from digit_app.session.reading import candidate_for_digit, rejected_digits
from digit_app.types import CLASS_NAMES, NOT_A_DIGIT, NUM_CLASSES, Box, Candidate, Digit, Number, Recognition

#: Minimum overlap (IoU) between a digit's box and a correction's box for the correction to apply.
MATCH_IOU = 0.5
#: Short label names (buttons, bars, thumbnails): 0-9, then "✗" for "not a digit".
SHORT_LABELS = [str(d) for d in range(10)] + ["✗"]


def label_name(label: int) -> str:
    return CLASS_NAMES[label] if 0 <= label < NUM_CLASSES else str(label)


def short_label(label: int) -> str:
    return SHORT_LABELS[label] if 0 <= label < NUM_CLASSES else str(label)


@dataclass(frozen=True)
class Correction:
    """``box`` (x, y, w, h, image pixels) is ``label``; ``sample_id`` is the sample saved for it;
    ``added``: the box was drawn by hand around a digit the reader missed."""

    box: Box
    label: int
    sample_id: str = ""
    added: bool = False


@dataclass(frozen=True)
class CorrectedReading:
    """The reading to show, and which of its digits the user corrected.

    ``corrected`` maps a digit index of ``recognition`` to the label the reader had given it
    (``None`` for a digit boxed by hand or a "?" crop the reader had rejected)."""

    recognition: Recognition
    corrected: dict[int, int | None] = field(default_factory=dict)


def _best_match(box: Box, corrections: Sequence[Correction], used: set[int]) -> int | None:
    best, best_iou = None, MATCH_IOU
    for k, c in enumerate(corrections):
        if k in used:
            continue
        overlap = iou(box, c.box)
        if overlap >= best_iou:
            best, best_iou = k, overlap
    return best


@dataclass
class _Shown:
    digit: Digit
    candidate: int | None  # index into rec.candidates
    original: int | None  # the reader's label, or None
    corrected: bool


def apply_corrections(rec: Recognition | None, corrections: Sequence[Correction],
                      config: object | None = None) -> CorrectedReading | None:
    """``rec`` with ``corrections`` applied (see the module doc); ``config`` gives the number
    grouping thresholds (``line_overlap``, ``number_gap_rel``; the pipeline's defaults if absent)."""
    if rec is None:
        return None
    if not corrections:
        return CorrectedReading(rec)
    cand_of = {c.digit_index: i for i, c in enumerate(rec.candidates) if c.digit_index is not None}
    used: set[int] = set()
    shown: list[_Shown] = []
    removed = False
    for i, d in enumerate(rec.digits):
        k = _best_match(d.box, corrections, used)
        if k is None:
            shown.append(_Shown(d, cand_of.get(i), None, False))
            continue
        used.add(k)
        label = corrections[k].label
        if label == NOT_A_DIGIT:
            removed = True
            continue
        shown.append(_Shown(_sure(d.box, label), cand_of.get(i), d.label, True))
    added = False
    dismissed: set[int] = set()  # "?" crops the user said are not digits
    for ci in rejected_digits(rec):
        cand = rec.candidates[ci]
        k = _best_match(cand.box, corrections, used)
        if k is not None:
            used.add(k)
            if corrections[k].label != NOT_A_DIGIT:
                shown.append(_Shown(_sure(cand.box, corrections[k].label), ci, None, True))
                added = True
            else:
                dismissed.add(ci)
    for k, c in enumerate(corrections):
        if k not in used and c.added and c.label != NOT_A_DIGIT:
            shown.append(_Shown(_sure(c.box, c.label), None, None, True))
            added = True
    if not any(s.corrected for s in shown) and not removed and not dismissed:
        return CorrectedReading(rec)
    if added or removed:
        order = _reading_order([s.digit.box for s in shown], config)
        shown = [shown[i] for i in order]
        digits = tuple(s.digit for s in shown)
        numbers = tuple(Number.of(digits, g) for g in _groups([d.box for d in digits], config))
    else:
        digits = tuple(s.digit for s in shown)
        numbers = tuple(Number.of(digits, n.digits) for n in rec.numbers if n.digits)
    index_of_cand = {s.candidate: i for i, s in enumerate(shown) if s.candidate is not None}
    candidates = tuple(
        replace(c, accepted=i in index_of_cand, digit_index=index_of_cand.get(i))
        for i, c in enumerate(rec.candidates) if i not in dismissed
    )
    corrected = {i: s.original for i, s in enumerate(shown) if s.corrected}
    return CorrectedReading(Recognition(rec.width, rec.height, digits, numbers, candidates), corrected)


def _sure(box: Box, label: int) -> Digit:
    return Digit(label, 1.0, tuple(int(v) for v in box), ((label, 1.0),))  # type: ignore[arg-type]


def _grouping_config(config: object | None):
    from digit_app.pipeline.config import PipelineConfig

    if isinstance(config, PipelineConfig):
        return config
    base = PipelineConfig()
    values = {name: getattr(config, name) for name in ("line_overlap", "number_gap_rel")
              if isinstance(getattr(config, name, None), (int, float))}
    return replace(base, **values) if values else base


def _reading_order(boxes: list[Box], config: object | None) -> list[int]:
    from digit_app.pipeline.grouping import reading_order

    return reading_order(boxes, _grouping_config(config)) if boxes else []


def _groups(boxes: list[Box], config: object | None) -> list[tuple[int, ...]]:
    from digit_app.pipeline.grouping import group_numbers

    return group_numbers(boxes, _grouping_config(config)) if boxes else []


def target_input(rec: Recognition, kind: str, index: int) -> tuple[Box, np.ndarray | None] | None:
    """Box and model input of the item the user clicked: ``kind`` "digit" (index into
    ``rec.digits``) or "rejected" (index into ``rec.candidates``). None if out of range."""
    if kind == "digit" and 0 <= index < len(rec.digits):
        return rec.digits[index].box, _input_of(candidate_for_digit(rec, index))
    if kind == "rejected" and 0 <= index < len(rec.candidates):
        cand = rec.candidates[index]
        return cand.box, _input_of(cand)
    return None


def _input_of(cand: Candidate | None) -> np.ndarray | None:
    if cand is None or cand.model_input is None:
        return None
    return np.asarray(cand.model_input, np.float32)
