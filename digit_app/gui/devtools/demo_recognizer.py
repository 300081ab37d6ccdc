"""A stand-in recognizer without a model (no Qt, no TensorFlow), for tests and screenshots.

It finds ink blobs with ``cv2.connectedComponentsWithStats`` and calls every blob the same
``label`` with the same ``confidence``; blobs on one line close together form a number. It
returns real :class:`~digit_app.types.Recognition` objects, with candidates and 32x32 inputs,
so every part of the GUI can be exercised without the trained network.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from digit_app.boxes import union_box
from digit_app.types import NOT_A_DIGIT, NUM_CLASSES, Candidate, Digit, Number, Recognition

MODEL_SIDE = 32
INK_BOX_SIDE = 20


@dataclass(frozen=True)
class DemoConfig:
    """Settings of the stand-in, shaped like the pipeline's (floats, ints, bools)."""

    min_area: int = 30  # smaller blobs are specks
    ink_threshold: int = 128  # grey level separating ink from paper
    line_overlap: float = 0.5  # vertical overlap (of the shorter box) for "same line"
    number_gap_rel: float = 0.8  # horizontal gap, relative to height, inside a number
    label: int = 7
    confidence: float = 0.9
    dilate: bool = False


class DemoRecognizer:
    """Recognizer-like object: ``config``, ``name`` and ``recognize(image, config=None)``."""

    model_name = "demo (no model)"

    def __init__(self, config: DemoConfig | None = None, delay: float = 0.0):
        self.config = config or DemoConfig()
        self.delay = delay  # seconds to sleep per call, to imitate a slow model in tests
        self.calls = 0

    def recognize(self, image: np.ndarray, config: DemoConfig | None = None) -> Recognition:
        cfg = config or self.config
        self.calls += 1
        if self.delay:
            import time

            time.sleep(self.delay)
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        h, w = gray.shape
        # Dark ink on light paper, or the reverse: the majority of pixels is paper.
        ink: np.ndarray
        if gray.mean() >= 127:
            ink = (gray < cfg.ink_threshold).astype(np.uint8)
        else:
            ink = (gray >= cfg.ink_threshold).astype(np.uint8)
        if cfg.dilate:
            ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))
        n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        boxes = [
            (int(s[0]), int(s[1]), int(s[2]), int(s[3])) for s in stats[1:n]
            if s[cv2.CC_STAT_AREA] >= cfg.min_area
            and s[cv2.CC_STAT_WIDTH] < w * 0.9 and s[cv2.CC_STAT_HEIGHT] < h * 0.9
        ]
        lines = _lines(boxes, cfg.line_overlap)
        ordered = [b for line in lines for b in line]
        probs = [(1 - cfg.confidence) / (NUM_CLASSES - 1)] * NUM_CLASSES
        probs[cfg.label] = cfg.confidence
        top = ((cfg.label, cfg.confidence),) + tuple(
            (k, probs[k]) for k in range(NUM_CLASSES) if k not in (cfg.label, NOT_A_DIGIT))[:2]
        digits = tuple(Digit(cfg.label, cfg.confidence, b, top) for b in ordered)
        candidates = tuple(
            Candidate(b, tuple(probs), True, i, _model_input(ink, b)) for i, b in enumerate(ordered)
        )
        numbers = []
        start = 0
        for line in lines:
            group = [start]
            for k in range(start + 1, start + len(line)):
                prev, cur = ordered[k - 1], ordered[k]
                gap = cur[0] - (prev[0] + prev[2])
                if gap <= cfg.number_gap_rel * (prev[3] + cur[3]) / 2:
                    group.append(k)
                else:
                    numbers.append(_number(group, digits))
                    group = [k]
            if line:
                numbers.append(_number(group, digits))
            start += len(line)
        return Recognition(w, h, digits, tuple(numbers), candidates)


def _lines(boxes: list[tuple[int, int, int, int]], overlap: float) -> list[list[tuple[int, int, int, int]]]:
    """Group boxes into text lines (top to bottom), each sorted left to right."""
    lines: list[list[tuple[int, int, int, int]]] = []
    for b in sorted(boxes, key=lambda b: b[1] + b[3] / 2):
        for line in lines:
            ref = line[-1]
            shared = min(b[1] + b[3], ref[1] + ref[3]) - max(b[1], ref[1])
            if shared >= overlap * min(b[3], ref[3]):
                line.append(b)
                break
        else:
            lines.append([b])
    return [sorted(line) for line in lines]


def _number(indexes: list[int], digits: tuple[Digit, ...]) -> Number:
    text = "".join(str(digits[i].label) for i in indexes)
    conf = min(digits[i].confidence for i in indexes)
    return Number(text, conf, union_box([digits[i].box for i in indexes]), tuple(indexes))


def _model_input(ink: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The blob fitted into 20x20 and centred in 32x32, bright ink on black (like MNIST)."""
    x, y, w, h = box
    crop = ink[y:y + h, x:x + w].astype(np.float32)
    scale = INK_BOX_SIDE / max(w, h)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    small = cv2.resize(crop, (nw, nh), interpolation=cv2.INTER_AREA)
    out = np.zeros((MODEL_SIDE, MODEL_SIDE), np.float32)
    ox, oy = (MODEL_SIDE - nw) // 2, (MODEL_SIDE - nh) // 2
    out[oy:oy + nh, ox:ox + nw] = small
    return out
