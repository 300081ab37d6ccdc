"""Steady camera labels (no Qt): digits are tracked between frames by box overlap and their
label is the confidence-weighted vote over the last few frames.

A digit missed for a frame or two keeps its box (``lingering``) instead of blinking out; a
digit read as "1" in one frame out of five keeps the majority label.

Matching is by overlap or, for thin digits (a "1" whose box is a few pixels wide loses most of
its overlap when it moves by its own width), by the distance between box centres relative to
the digit's height. A lingering track that the current frame's digits overlap is not shown (it
would be a second box on the same digit), and a frame whose digits continue none of the tracks
is a cut in the video: the previous scene's tracks are dropped at once. The camera mode also
detects cuts from the picture itself (:func:`frame_signature`, :func:`is_scene_cut`), which
catches a cut to a scene without digits.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from digit_app.boxes import area, intersection_area, match
from digit_app.types import Box, Digit, Number, Recognition

#: Frames of history a label is voted over.
DEFAULT_HISTORY = 5
#: Minimum box overlap (IoU) for a detection to continue a track.
DEFAULT_MIN_IOU = 0.3
#: Frames a track survives without a detection.
DEFAULT_MAX_MISSING = 2
#: Weight of the newest box when smoothing box positions (1 = no smoothing).
DEFAULT_BOX_SMOOTHING = 0.6
#: A detection whose box centre is within this share of the track's height of the track's
#: centre continues it even with little overlap (thin digits).
DEFAULT_MAX_CENTRE_SHIFT = 0.35
#: Side of the grey thumbnail a frame is compared by to detect cuts.
SIGNATURE_SIZE = 32
#: Mean absolute difference (0-255) of two frames' thumbnails above which the video was cut.
#: Camera noise, auto exposure and a hand moving the sheet stay well under it; a cut to
#: another scene is usually far above it.
DEFAULT_CUT_THRESHOLD = 40.0


@dataclass
class _Track:
    track_id: int
    box: tuple[float, float, float, float]
    votes: deque = field(default_factory=deque)  # (label, confidence) per frame, newest last
    missing: int = 0

    def int_box(self) -> Box:
        return tuple(int(round(v)) for v in self.box)  # type: ignore[return-value]


def centre_shift(a: Box, b: Box) -> float:
    """Distance between the boxes' centres, in units of the taller box's height."""
    dx = (a[0] + a[2] / 2) - (b[0] + b[2] / 2)
    dy = (a[1] + a[3] / 2) - (b[1] + b[3] / 2)
    return float(np.hypot(dx, dy)) / max(a[3], b[3], 1)


def frame_signature(frame: np.ndarray, size: int = SIGNATURE_SIZE) -> np.ndarray:
    """A ``size x size`` float32 grey thumbnail of a HxW or HxWx3 BGR uint8 frame."""
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    return cv2.resize(grey, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32)


def is_scene_cut(previous: np.ndarray | None, current: np.ndarray,
                 threshold: float = DEFAULT_CUT_THRESHOLD) -> bool:
    """Whether two frame signatures differ like two different scenes (see :func:`frame_signature`)."""
    if previous is None or previous.shape != current.shape:
        return False
    return float(np.mean(np.abs(previous - current))) > threshold


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
                 max_missing: int = DEFAULT_MAX_MISSING, smoothing: float = DEFAULT_BOX_SMOOTHING,
                 max_centre_shift: float = DEFAULT_MAX_CENTRE_SHIFT):
        if history < 1:
            raise ValueError("history must be at least 1")
        self.history = history
        self.min_iou = min_iou
        self.max_missing = max_missing
        self.smoothing = smoothing
        self.max_centre_shift = max_centre_shift
        self._tracks: list[_Track] = []
        self._next_id = 1

    def reset(self) -> None:
        self._tracks.clear()

    def update(self, digits: tuple[Digit, ...] | list[Digit]) -> tuple[list[TrackedDigit], list[TrackedDigit]]:
        """Feed one frame's digits; returns (one TrackedDigit per input digit, lingering tracks)."""
        track_of = self._match(digits)
        if digits and not track_of and any(t.missing == 0 for t in self._tracks):
            # Digits, but none where the last frame had some: a cut in the video.
            self._tracks.clear()
        for di, d in enumerate(digits):
            track = track_of.get(di)
            if track is None:
                x, y, w, h = d.box
                track = _Track(self._next_id, (float(x), float(y), float(w), float(h)),
                               deque(maxlen=self.history))
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
        lingering = [self._steady(t) for t in self._tracks
                     if t.missing > 0 and not any(self._same_place(t.int_box(), d.box) for d in digits)]
        return current, lingering

    def _same_place(self, a: Box, b: Box) -> bool:
        """Whether two boxes mark the same digit: half the smaller one is shared, or their
        centres are close (neighbouring digits of a number may touch without being the same)."""
        shared = intersection_area(a, b)
        return (shared >= 0.5 * min(area(a), area(b))
                or centre_shift(a, b) <= self.max_centre_shift)

    def _match(self, digits: tuple[Digit, ...] | list[Digit]) -> dict[int, _Track]:
        """Digit index -> the track it continues: best overlap first, then nearest centre."""
        pairs = match([t.int_box() for t in self._tracks], [d.box for d in digits], self.min_iou,
                      accept=lambda a, b: centre_shift(a, b) <= self.max_centre_shift,
                      tie_break=centre_shift)
        return {di: self._tracks[ti] for ti, di in pairs}

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
