"""Reading order and numbers: boxes ``(x, y, w, h)`` -> text lines -> numbers.

A box joins the current text line when it overlaps the line's band (median top to median
bottom of its boxes) by ``line_overlap`` of the shorter height; lines are read top to bottom,
boxes left to right. On a line, neighbours whose gap is below ``number_gap_rel`` of their
mean height form one number, so columns and separate numbers on a line stay apart.
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence

import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig

BoxesLike = Sequence[Sequence[int]] | np.ndarray


def _as_boxes(boxes: BoxesLike) -> np.ndarray:
    b = np.asarray(boxes, dtype=np.float64)
    if b.size == 0:
        return np.zeros((0, 4))
    if b.ndim != 2 or b.shape[1] != 4:
        raise ValueError(f"boxes must be a sequence of (x, y, w, h), got shape {b.shape}")
    return b


def text_lines(boxes: BoxesLike, cfg: PipelineConfig = DEFAULT_CONFIG) -> list[list[int]]:
    """Indexes of ``boxes`` grouped into text lines, top to bottom, each left to right."""
    b = _as_boxes(boxes)
    if b.shape[0] == 0:
        return []
    top, height = b[:, 1], np.maximum(b[:, 3], 1.0)
    bottom = top + height
    centre = top + height / 2
    tops, bottoms, heights = top.tolist(), bottom.tolist(), height.tolist()
    lines: list[list[int]] = []
    line_tops: list[float] = []
    line_bottoms: list[float] = []
    band = (0.0, 0.0)
    for i in np.argsort(centre, kind="stable").tolist():
        if lines:
            overlap = min(bottoms[i], band[1]) - max(tops[i], band[0])
            if overlap >= cfg.line_overlap * min(heights[i], band[1] - band[0]):
                lines[-1].append(i)
                line_tops.append(tops[i])
                line_bottoms.append(bottoms[i])
                band = (statistics.median(line_tops), statistics.median(line_bottoms))
                continue
        lines.append([i])
        line_tops, line_bottoms = [tops[i]], [bottoms[i]]
        band = (tops[i], bottoms[i])
    centres = centre.tolist()
    lines.sort(key=lambda m: statistics.median(centres[i] for i in m))
    xs, ys = b[:, 0].tolist(), tops
    return [sorted(m, key=lambda i: (xs[i], ys[i])) for m in lines]


def reading_order(boxes: BoxesLike, cfg: PipelineConfig = DEFAULT_CONFIG) -> list[int]:
    """Permutation of box indexes into reading order: line by line, left to right."""
    return [i for line in text_lines(boxes, cfg) for i in line]


def group_numbers(boxes: BoxesLike, cfg: PipelineConfig = DEFAULT_CONFIG) -> list[tuple[int, ...]]:
    """Digit boxes -> numbers: tuples of box indexes, numbers in reading order, each
    number's digits left to right. Every box belongs to exactly one number."""
    b = _as_boxes(boxes)
    numbers: list[tuple[int, ...]] = []
    for line in text_lines(b, cfg):
        current = [line[0]]
        right = b[line[0], 0] + b[line[0], 2]
        for prev, nxt in zip(line, line[1:]):
            gap = b[nxt, 0] - right
            if gap < cfg.number_gap_rel * (b[prev, 3] + b[nxt, 3]) / 2:
                current.append(nxt)
                right = max(right, b[nxt, 0] + b[nxt, 2])
            else:
                numbers.append(tuple(current))
                current = [nxt]
                right = b[nxt, 0] + b[nxt, 2]
        numbers.append(tuple(current))
    return numbers
