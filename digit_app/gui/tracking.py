"""Steady camera labels (no Qt): digits are tracked between frames by box overlap and their
label is the confidence-weighted vote over the last few frames.

A digit missed for a frame or two keeps its box (``lingering``) instead of blinking out; a
digit read as "1" in one frame out of five keeps the majority label.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace

from digit_app.gui.geometry import iou
from digit_app.types import Box, Digit, Number, Recognition

#: Frames of history a label is voted over.
DEFAULT_HISTORY = 5
#: Minimum box overlap (IoU) for a detection to continue a track.
DEFAULT_MIN_IOU = 0.3
#: Frames a track survives without a detection.
DEFAULT_MAX_MISSING = 2
#: Weight of the newest box when smoothing box positions (1 = no smoothing).
DEFAULT_BOX_SMOOTHING = 0.6


@dataclass
class _Track:
    track_id: int
    box: tuple[float, float, float, float]
    votes: deque = field(default_factory=deque)  # (label, confidence) per frame, newest last
    missing: int = 0

    def int_box(self) -> Box:
        return tuple(int(round(v)) for v in self.box)  # type: ignore[return-value]


@dataclass(frozen=True)
class TrackedDigit:
    """A digit's steady reading: majority ``label``, ``confidence`` averaged over the history
    (frames that voted otherwise count as 0), ``agreement`` the share of frames that agree."""

    track_id: int
    box: Box
    label: int
    confidence: float
    agreement: float
    frames: int


class DigitTracker:
    """Matches each frame's digits to the tracks of the previous frames and votes on labels."""

    def __init__(self, history: int = DEFAULT_HISTORY, min_iou: float = DEFAULT_MIN_IOU,
                 max_missing: int = DEFAULT_MAX_MISSING, smoothing: float = DEFAULT_BOX_SMOOTHING):
        if history < 1:
            raise ValueError("history must be at least 1")
        self.history = history
        self.min_iou = min_iou
        self.max_missing = max_missing
        self.smoothing = smoothing
        self._tracks: list[_Track] = []
        self._next_id = 1

    def reset(self) -> None:
        self._tracks.clear()

    def update(self, digits: tuple[Digit, ...] | list[Digit]) -> tuple[list[TrackedDigit], list[TrackedDigit]]:
        """Feed one frame's digits; returns (one TrackedDigit per input digit, lingering tracks)."""
        pairs = sorted(
            ((iou(t.int_box(), d.box), ti, di) for ti, t in enumerate(self._tracks)
             for di, d in enumerate(digits)),
            reverse=True,
        )
        track_of: dict[int, _Track] = {}
        used: set[int] = set()
        for overlap, ti, di in pairs:
            if overlap < self.min_iou:
                break
            if ti in used or di in track_of:
                continue
            used.add(ti)
            track_of[di] = self._tracks[ti]
        for di, d in enumerate(digits):
            track = track_of.get(di)
            if track is None:
                track = _Track(self._next_id, tuple(float(v) for v in d.box), deque(maxlen=self.history))
                self._next_id += 1
                self._tracks.append(track)
                track_of[di] = track
            else:
                a = self.smoothing
                track.box = tuple(a * n + (1 - a) * o for n, o in zip(d.box, track.box))  # type: ignore[assignment]
            track.votes.append((d.label, d.confidence))
            track.missing = 0
        matched = {id(t) for t in track_of.values()}
        for t in self._tracks:
            if id(t) not in matched:
                t.missing += 1
        self._tracks = [t for t in self._tracks if t.missing <= self.max_missing]
        current = [self._steady(track_of[di]) for di in range(len(digits))]
        lingering = [self._steady(t) for t in self._tracks if t.missing > 0]
        return current, lingering

    @staticmethod
    def _steady(track: _Track) -> TrackedDigit:
        scores: dict[int, float] = {}
        counts: dict[int, int] = {}
        for label, conf in track.votes:
            scores[label] = scores.get(label, 0.0) + conf
            counts[label] = counts.get(label, 0) + 1
        label = max(scores, key=lambda k: (scores[k], counts[k]))
        n = len(track.votes)
        return TrackedDigit(track.track_id, track.int_box(), label, scores[label] / n,
                            counts[label] / n, n)


def steady_recognition(rec: Recognition, current: list[TrackedDigit],
                       lingering: list[TrackedDigit]) -> Recognition:
    """``rec`` with voted labels and smoothed boxes; lingering tracks appended as extra digits
    (after the digits that numbers refer to, so number indexes stay valid)."""
    digits = [
        replace(d, label=t.label, confidence=t.confidence, box=t.box)
        for d, t in zip(rec.digits, current)
    ]
    digits += [Digit(t.label, t.confidence, t.box, ((t.label, t.confidence),)) for t in lingering]
    numbers = []
    for n in rec.numbers:
        if n.digits and all(0 <= i < len(current) for i in n.digits):
            text = "".join(str(digits[i].label) for i in n.digits)
            conf = min(digits[i].confidence for i in n.digits)
            numbers.append(Number(text, conf, n.box, n.digits))
        else:
            numbers.append(n)
    return Recognition(rec.width, rec.height, tuple(digits), tuple(numbers), rec.candidates)
